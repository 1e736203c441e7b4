"""What a change of filter costs the screen: the rows are drawn with the key, and the
count, which comes from its worker after them, is written into its one-row line in
place, without laying the whole list out again (a layout drew every row once more)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static

from db import walks
from db.snabbrapport import listing
from db.walks import FindingInput
from screens.finding_list import FindingListScreen
from screens.report_list import ReportListScreen
from screens.widgets.tables import PagedTable
from tests.conftest import NOW, open_store, report_fields, walk_fields
from tui.app import TryggApp


class HeldCount:
    """A count that waits, once released, to answer (so the rows show first)."""

    def __init__(self, count: Any) -> None:
        self.count = count
        self.release = threading.Event()
        self.started = threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.started.set()
        self.release.wait(10)
        return self.count(*args, **kwargs)


class Layouts:
    """Counts the layouts of the screen shown."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        original = Screen._refresh_layout

        def counted(screen: Screen[Any], *args: Any, **kwargs: Any) -> None:
            if screen.is_current:
                self.count += 1
            original(screen, *args, **kwargs)

        monkeypatch.setattr(Screen, "_refresh_layout", counted)


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def _held_then_shown(pilot: Pilot[Any], held: HeldCount, layouts: Layouts, key: str) -> int:
    """Press ``key`` with the count held; once the rows have been drawn, let the count
    answer. The layouts of the screen after the rows were drawn."""
    await pilot.press(key)
    for _ in range(200):
        if held.started.is_set():
            break
        await pilot.pause(0.02)
    await pilot.pause()
    await pilot.pause()
    before = layouts.count
    held.release.set()
    await _settle(pilot)
    return layouts.count - before


async def test_the_count_of_a_filtered_report_list_is_drawn_without_a_layout(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(db_path) as store, store.transaction():
        for i, custody in enumerate(["lob", "nej", "lob", "pl12"]):
            store.create("snabbrapport", report_fields(custody=custody, time=f"22:0{i}"))
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("f6")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportListScreen)
        layouts = Layouts(monkeypatch)
        held = HeldCount(listing.count_reports)
        monkeypatch.setattr("screens.report_list.count_reports", held)
        after = await _held_then_shown(pilot, held, layouts, "o")  # those taken into custody
        line = str(screen.query_one("#rep-line", Static).render())
        assert line.startswith("3 ") and screen.query_one(PagedTable).row_count == 3
        assert after == 0


async def test_the_count_of_a_filtered_finding_list_is_drawn_without_a_layout(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(db_path) as store:
        walk = store.create("walk", walk_fields())
        for remark in ("Trasig lampa", "Buskage", "Klotter"):
            walks.save_finding(store, walk, FindingInput(remark, "Torget", "1", "Kommunen"))
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("o")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, FindingListScreen)
        screen.status = "positiva"  # the last filter: f goes round to every finding
        layouts = Layouts(monkeypatch)
        held = HeldCount(walks.count_findings)
        monkeypatch.setattr("screens.finding_list.count_findings", held)
        after = await _held_then_shown(pilot, held, layouts, "f")  # every finding
        line = str(screen.query_one("#finding-line", Static).render())
        assert line.startswith("3 ") and screen.query_one(PagedTable).row_count == 3
        assert after == 0


async def _ready_ahead(pilot: Pilot[Any], *keys: str) -> None:
    """Wait (without typing) until the screens ``keys`` name are built and drawn ahead,
    with nothing left to draw again."""
    app = pilot.app
    assert isinstance(app, TryggApp)
    for _ in range(200):
        await app.workers.wait_for_complete()
        if set(keys) <= app._drawn_ahead and not app._ahead_wanted & set(keys):
            return
        await pilot.pause(0.05)
    raise AssertionError(f"{keys} were never ready ahead")


@pytest.mark.parametrize(
    ("keys", "shown"),
    [(["f6"], ReportListScreen), (["o"], FindingListScreen)],
)
async def test_a_list_built_ahead_is_shown_without_a_layout(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, keys: list[str], shown: type
) -> None:
    """Laid out and drawn ahead, with its count: showing it lays nothing out again (it
    did, the whole screen, which made the layout ahead worth nothing)."""
    with open_store(db_path) as store:
        store.create("snabbrapport", report_fields())
        walk = store.create("walk", walk_fields())
        walks.save_finding(store, walk, FindingInput("Trasig lampa", "Torget", "1", "Kommunen"))
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready_ahead(pilot, "reports", "findings:oppna")
        ahead = app._ahead["reports" if shown is ReportListScreen else "findings:oppna"]
        layouts = Layouts(monkeypatch)
        await pilot.press(*keys)
        await _settle(pilot)
        assert app.screen is ahead
        line = "#rep-line" if shown is ReportListScreen else "#finding-line"
        assert str(ahead.query_one(line, Static).render()).startswith("1 ")
        assert layouts.count == 0


async def test_the_statistics_built_ahead_are_drawn_with_their_figures(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drawn ahead before its figures came (from a worker), the statistics screen was
    laid out again when u showed it."""
    from screens.report_stats import ReportStatsScreen

    with open_store(db_path) as store:
        store.create("snabbrapport", report_fields(date="2026-11-20"))
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        await _ready_ahead(pilot, "statistics")
        ahead = app._ahead["statistics"]
        layouts = Layouts(monkeypatch)
        await pilot.press("u")
        await _settle(pilot)
        assert isinstance(ahead, ReportStatsScreen) and app.screen is ahead
        assert "1 rapport," in str(ahead.query_one("#stats-line", Static).render())
        assert layouts.count == 0


async def test_a_search_key_that_keeps_the_rows_lays_nothing_out(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A letter typed into a list's search whose rows stay the same (every row still
    matches) draws the field's new text, and lays the screen out not at all: the field's
    growing text and the detail line written again each laid the screen out."""
    with open_store(db_path) as store, store.transaction():
        for i in range(3):
            store.create("snabbrapport", report_fields(place="Torget", time=f"22:0{i}"))
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("f6")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportListScreen)
        await pilot.press("slash", "T")
        await _settle(pilot)
        await pilot.pause(0.2)  # past the pause that searches keys typed together
        layouts = Layouts(monkeypatch)
        await pilot.press("o")
        await _settle(pilot)
        await pilot.pause(0.2)
        await _settle(pilot)
        assert screen.query_one("#rep-search", Input).value == "To"
        assert screen.query_one(PagedTable).row_count == 3
        assert layouts.count == 0
