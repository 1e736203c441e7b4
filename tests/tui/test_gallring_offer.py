"""At start, the app offers to erase personal data that is past its retention period."""

from __future__ import annotations

from pathlib import Path

from screens.overview import OverviewScreen
from screens.widgets.dialogs import ConfirmModal
from tests.conftest import NOW, open_store, report_fields
from tui.app import TryggApp


def _with_old_report(path: Path) -> str:
    with open_store(path) as store:
        store.create("snabbrapport", report_fields(date="2026-11-20", name="Färsk Rapport"))
        return store.create("snabbrapport", report_fields(date="2026-06-01", name="Gammal Rapport"))


async def test_yes_erases_and_says_so(db_path: Path) -> None:
    old = _with_old_report(db_path)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        question = str(app.screen.query("Static").first().render())
        assert "1 snabbrapport " in question and "90 dagar" in question
        await pilot.press("j")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        assert any("Gallrat" in str(n.message) for n in app._notifications)
    with open_store(db_path) as store:
        assert store.get("snabbrapport", old)["name"] is None  # type: ignore[index]
        assert {r["name"] for r in store.records("snabbrapport")} == {None, "Färsk Rapport"}


async def test_no_keeps_everything_and_nothing_is_asked_when_nothing_is_due(
    db_path: Path, tmp_path: Path
) -> None:
    old = _with_old_report(db_path)
    app = TryggApp(db_path, "en", now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
    with open_store(db_path) as store:
        assert store.get("snabbrapport", old)["name"] == "Gammal Rapport"  # type: ignore[index]

    fresh = tmp_path / "fresh.db"
    open_store(fresh).close()
    app = TryggApp(fresh, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
