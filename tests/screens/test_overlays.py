"""At 80×24: dialogs overlay the screen they came from; notifications fit, name a written
file by its name with the folder on a line of its own, cover no more rows than they
must, and leave with the screen they were given on."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from screens.overview import OverviewScreen
from screens.report_list import ReportListScreen
from screens.widgets.dialogs import ConfirmModal
from tests.conftest import NOW, open_store, report_fields
from tests.screens.layout import screen_lines
from tui.app import TryggApp


def _reports(path: Path) -> None:
    with open_store(path) as store:
        store.create("snabbrapport", report_fields(place="Ungdomsgården", pm_social="ja"))
        store.create("snabbrapport", report_fields(place="Folkets park", time="22:15"))


async def settle(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()  # a notification's toast is mounted after the message


def toast_lines(lines: list[str]) -> list[str]:
    """The text of the notifications on screen (the lines with a toast's left edge)."""
    return [line.split("▌", 1)[1].strip() for line in lines if "▌" in line]


async def test_a_dialog_shows_the_screen_it_came_from(db_path: Path) -> None:
    _reports(db_path)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        lines = screen_lines(app)
        # The list's title, its header and the row below the dialog stay in sight.
        assert "Snabbrapporter" in lines[0]
        assert any("Plats" in line and "Datum" in line for line in lines)
        assert any("Folkets park" in line for line in lines)
        assert any("Ta bort rapport nr" in line for line in lines)


async def test_a_written_file_is_named_with_its_folder_below_and_leaves_with_its_screen(
    db_path: Path, tmp_path: Path
) -> None:
    _reports(db_path)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReportListScreen)
        [written] = list((tmp_path / "documents" / "Trygg").glob("PM-*.txt"))
        toast = toast_lines(screen_lines(app))
        # The file's whole name on one line, then its folder (broken only after a "/"),
        # and no blank padding rows.
        assert toast[0] == f"PM skrivet: {written.name}"
        assert "".join(toast[1:]) == str(written.parent)
        assert all(line.endswith("/") for line in toast[1:-1])
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert not list(app._notifications)
        assert not any("PM skrivet" in line for line in screen_lines(app))


async def test_news_from_a_dialog_stays_on_the_screen_below_it(db_path: Path) -> None:
    _reports(db_path)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        assert isinstance(app.screen, ReportListScreen)
        assert any("borttagen" in line for line in screen_lines(app))
        await pilot.press("f8")
        await settle(pilot)
        assert not any("borttagen" in line for line in screen_lines(app))


def test_every_screen_is_styled_as_a_textual_screen() -> None:
    """Textual and tui/trygg.tcss style screens by their type names (``Screen``,
    ``ModalScreen``): a shared base must not hide them (an opaque dialog, a screen without
    a background)."""
    import importlib
    import pkgutil

    import screens
    from screens.widgets.base import TryggModal, TryggScreen

    for module in pkgutil.walk_packages(screens.__path__, "screens."):
        importlib.import_module(module.name)
    found: list[type] = []
    todo: list[type] = [TryggScreen, TryggModal]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    assert len(found) > 20
    for cls in found:
        assert "Screen" in cls._css_type_names, cls  # type: ignore[attr-defined]
        if issubclass(cls, TryggModal):
            assert "ModalScreen" in cls._css_type_names, cls
