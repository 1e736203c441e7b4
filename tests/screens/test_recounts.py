"""Overlapping recounts show only the newest figures: a count that started first but
finishes last (a slow disk, a big journal) never overwrites a newer one on the overview,
the statistics or the Synk screen."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from db.sync.status import sync_status
from screens.overview import OverviewScreen
from screens.report_stats import ReportStatsScreen
from screens.sync import SyncScreen
from tests.conftest import NOW, open_store, report_fields
from tui.app import TryggApp


class FirstIsSlow:
    """Wraps a counting function so that its first call waits until released and then
    returns a stale answer (``stale(result)``); later calls answer at once."""

    def __init__(self, count: Callable[..., Any], stale: Callable[[Any], Any]) -> None:
        self.count, self.stale = count, stale
        self.calls = 0
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.first_done = threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            self.calls += 1
            first = self.calls == 1
        result = self.count(*args, **kwargs)
        if first:
            self.release.wait(10)
            self.first_done.set()
            return self.stale(result)
        return result


async def until(pilot: Pilot[Any], condition: Callable[[], bool]) -> None:
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the condition was never met")


async def after_the_slow_one(pilot: Pilot[Any], slow: FirstIsSlow, asked: int) -> None:
    """Once the newest count (call number ``asked``) has been shown, let the first
    (stale) count finish and its result reach the UI thread."""
    await until(pilot, lambda: slow.calls >= asked)
    # Every worker but the blocked first one (if it still counts as running) is done.
    await until(pilot, lambda: sum(w.is_running for w in pilot.app.workers) <= 1)
    await pilot.pause()
    slow.release.set()
    await until(pilot, slow.first_done.is_set)
    for _ in range(5):
        await pilot.pause(0.02)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def reports_db(db_path: Path) -> Path:
    with open_store(db_path) as store:
        store.create("snabbrapport", report_fields())
    return db_path


async def test_the_overview_shows_the_newest_count(
    reports_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db.overview import overview

    slow = FirstIsSlow(overview, lambda o: dataclasses.replace(o, open_findings=999))
    monkeypatch.setattr("db.overview.overview", slow)
    app = TryggApp(reports_db, "sv", now=lambda: NOW)
    async with app.run_test() as pilot:
        await until(pilot, lambda: slow.calls >= 1)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        asked = slow.calls + 1
        screen.refresh_overview()
        await after_the_slow_one(pilot, slow, asked)
        table = screen.query_one("#home-figures", DataTable)
        assert str(table.get_cell("oppna", table.ordered_columns[1].key)) == "0"


async def test_the_statistics_show_the_newest_count(
    reports_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db.snabbrapport.statistics import compared

    def stale(counted: Any) -> Any:
        periods, months = counted
        return [dataclasses.replace(periods[0], reports=999), *periods[1:]], months

    slow = FirstIsSlow(compared, stale)
    monkeypatch.setattr("screens.report_stats.compared", slow)
    app = TryggApp(reports_db, "sv", now=lambda: NOW)
    async with app.run_test() as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("f6", "u")
        await until(pilot, lambda: slow.calls >= 1)
        screen = app.screen
        assert isinstance(screen, ReportStatsScreen)
        asked = slow.calls + 1
        screen.recount()
        await after_the_slow_one(pilot, slow, asked)
        assert screen.figures is not None
        assert screen.figures.periods[0].reports == 1
        line = str(screen.query_one("#stats-line", Static).render())
        assert "1 rapport," in line and "999" not in line


async def test_the_sync_screen_shows_the_newest_status(
    reports_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = FirstIsSlow(sync_status, lambda s: dataclasses.replace(s, unsent=999))
    monkeypatch.setattr("screens.sync.sync_status", slow)
    app = TryggApp(reports_db, "sv", now=lambda: NOW)
    async with app.run_test() as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("f9")
        await until(pilot, lambda: slow.calls >= 1)
        screen = app.screen
        assert isinstance(screen, SyncScreen)
        asked = slow.calls + 1
        screen.reload()
        await after_the_slow_one(pilot, slow, asked)
        assert screen.status is not None
        assert screen.status.unsent != 999
        assert "999" not in str(screen.query_one("#sync-state", Static).render())
