"""The statistics (u on the quick reports) are built ahead like the lists: u shows a
screen composed and counted while no key was typed, as long as the database has not
changed since; each screen's counts are its own."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from screens.report_stats import ReportStatsScreen
from tests.conftest import NOW, open_store, report_fields
from tui.app import TryggApp


async def _built_ahead(pilot: Pilot[Any], key: str) -> Any:
    """Wait (without typing) until the screen ``key`` names is built and drawn ahead."""
    app = pilot.app
    assert isinstance(app, TryggApp)
    for _ in range(100):
        await app.workers.wait_for_complete()
        if key in app._drawn_ahead:
            return app._ahead[key]
        await pilot.pause(0.1)
    raise AssertionError(f"{key} was never built ahead")


def _line(screen: ReportStatsScreen) -> str:
    return str(screen.query_one("#stats-line", Static).render())


async def test_u_shows_the_statistics_built_ahead(db_path: Path) -> None:
    with open_store(db_path) as store:
        store.create("snabbrapport", report_fields(date="2026-11-20"))
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        ahead = await _built_ahead(pilot, "statistics")
        assert isinstance(ahead, ReportStatsScreen) and "1 rapport," in _line(ahead)
        await pilot.press("u")
        await pilot.pause()
        assert app.screen is ahead
        assert ahead.focused is ahead.query_one("#stats-body")


async def test_u_after_a_change_counts_again(db_path: Path) -> None:
    with open_store(db_path) as store:
        store.create("snabbrapport", report_fields(date="2026-11-20"))
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        ahead = await _built_ahead(pilot, "statistics")
        app.store.create("snabbrapport", report_fields(date="2026-11-21"))
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = app.screen
        assert isinstance(shown, ReportStatsScreen) and shown is not ahead
        assert "2 rapporter" in _line(shown)


async def test_a_screen_built_ahead_does_not_cancel_the_count_of_the_one_shown(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counts are the newest of their own screen: the one built ahead, counting while
    another's count is under way, does not stop the shown one's figures from showing."""
    from db.snabbrapport.statistics import compared

    with open_store(db_path) as store:
        store.create("snabbrapport", report_fields(date="2026-11-20"))
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        await _built_ahead(pilot, "statistics")
        await pilot.press("u")
        await pilot.pause()
        shown = app.screen
        assert isinstance(shown, ReportStatsScreen)
        app.store.create("snabbrapport", report_fields(date="2026-11-21"))
        release, calls = threading.Event(), []

        def first_waits(*args: Any) -> Any:
            calls.append(1)
            if len(calls) == 1:
                release.wait(10)
            return compared(*args)

        monkeypatch.setattr("screens.report_stats.compared", first_waits)
        shown.recount()  # held until the other screen has counted
        other = ReportStatsScreen()  # as built ahead meanwhile: counts on mount
        app._get_screen(other)
        for _ in range(100):
            if other.is_mounted and "2 rapporter" in _line(other):
                break
            await pilot.pause(0.05)
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "2 rapporter" in _line(other) and "2 rapporter" in _line(shown)


async def test_the_statistics_are_built_ahead_after_the_lists(db_path: Path) -> None:
    """Built at the same time as the lists, the statistics held up the list F6 shows
    (both built right after the first paint)."""
    with open_store(db_path) as store:
        store.create("snabbrapport", report_fields(date="2026-11-20"))
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        lists = {"reports", "findings:oppna"}
        for _ in range(500):
            if lists <= app._drawn_ahead:
                break
            assert "statistics" not in app._ahead
            await pilot.pause(0.02)
        else:
            raise AssertionError("the lists were never built ahead")
        assert isinstance(await _built_ahead(pilot, "statistics"), ReportStatsScreen)
