"""The statistics screen after a recount: it shows the new figures, and redraws only
the blocks (the table, the chart) whose text changed."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from screens.report_stats import COUNTING_SAID_AFTER, ReportStatsScreen
from tests.conftest import NOW, open_store, report_fields
from tui.app import TryggApp


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _reports_line(screen: ReportStatsScreen) -> list[str]:
    table = str(screen.query_one("#stats-table", Static).render())
    line = next(row for row in table.splitlines() if row.strip().startswith("Rapporter"))
    return line.split()[1:]


async def _statistics(pilot: Pilot[Any]) -> ReportStatsScreen:
    await _settle(pilot)
    await pilot.press("f6")
    await _settle(pilot)
    await pilot.press("u")
    await _settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportStatsScreen)
    return screen


async def test_a_recount_shows_the_new_figures(db_path: Path) -> None:
    with open_store(db_path) as store:
        store.create("snabbrapport", report_fields(date="2026-11-20"))
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _statistics(pilot)
        assert _reports_line(screen)[0] == "1"
        app.store.create("snabbrapport", report_fields(date="2026-11-21"))
        await pilot.press("tab", "enter")  # Enter in the from-field counts again
        await _settle(pilot)
        assert _reports_line(screen)[0] == "2"
        line = str(screen.query_one("#stats-line", Static).render())
        assert ": 2 rapporter" in line


async def test_a_recount_that_changes_nothing_redraws_no_block(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(db_path) as store:
        store.create("snabbrapport", report_fields(date="2026-11-20"))
    updated: list[str | None] = []
    original = Static.update

    def update(self: Static, *args: Any, **kwargs: Any) -> None:
        updated.append(self.id)
        original(self, *args, **kwargs)

    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _statistics(pilot)
        monkeypatch.setattr(Static, "update", update)
        await pilot.press("tab", "enter")
        await _settle(pilot)
        assert "stats-line" in updated
        assert "stats-table" not in updated and "stats-chart" not in updated
        assert _reports_line(screen)[0] == "1"


async def test_a_date_that_cannot_be_read_keeps_the_cursor_in_its_field(db_path: Path) -> None:
    """Enter on a wrong date says why and leaves the cursor there to put it right: it
    went to the figures, and what was typed next went nowhere (found by a cold test)."""
    with open_store(db_path) as store:
        store.create("snabbrapport", report_fields(date="2026-11-20"))
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _statistics(pilot)
        await pilot.press("tab")  # the from-field, its text selected
        field = screen.focused
        await pilot.press(*"2026-13-45", "enter")
        await _settle(pilot)
        assert screen.focused is field
        assert "2026-13-45" in str(screen.query_one("#stats-line", Static).render())
        assert isinstance(field, Input)
        field.value = "2026-11-01"
        await pilot.press("enter")
        await _settle(pilot)
        assert screen.focused is not field and _reports_line(screen)[0] == "1"


async def test_new_figures_of_the_same_size_are_drawn_without_a_layout(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A recount whose table, chart and line keep their sizes redraws them in place: a
    layout moved every widget of the screen, and the scroll bars it resized asked for
    another, each drawing the whole screen again."""
    with open_store(db_path) as store:
        store.create("snabbrapport", report_fields(date="2026-11-20"))
    laid_out: list[str | None] = []
    original = Static.refresh

    def refresh(self: Static, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("layout"):
            laid_out.append(self.id)
        return original(self, *args, **kwargs)

    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _statistics(pilot)
        app.store.create("snabbrapport", report_fields(date="2026-11-21"))
        monkeypatch.setattr(Static, "refresh", refresh)
        screen.recount()  # the focus stays on the figures: nothing else moves
        await _settle(pilot)
        assert _reports_line(screen)[0] == "2"  # drawn: the table's text changed
        assert "2 rapporter" in str(screen.query_one("#stats-line", Static).render())
        assert laid_out == []


async def test_a_quick_count_goes_straight_to_its_figures(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Räknar …" is for a count that takes a while; one quicker than that goes from
    the old figures to the new without it (it was drawn, and then the figures, at each
    recount: a layout and a screen drawn for nothing)."""
    with open_store(db_path) as store:
        store.create("snabbrapport", report_fields(date="2026-11-20"))
    said: list[str] = []
    original = Static.update

    def update(self: Static, content: Any = "", **kwargs: Any) -> None:
        if self.id == "stats-line":
            said.append(str(content))
        original(self, content, **kwargs)

    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _statistics(pilot)
        monkeypatch.setattr(Static, "update", update)
        await pilot.press("tab", "enter")
        await _settle(pilot)
        await pilot.pause(COUNTING_SAID_AFTER + 0.1)  # a note on a timer would show now
        assert said and all("Räknar" not in text for text in said)
        assert "1 rapport," in str(screen.query_one("#stats-line", Static).render())


async def test_a_slow_count_says_it_counts(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from db.snabbrapport.statistics import compared

    with open_store(db_path) as store:
        store.create("snabbrapport", report_fields(date="2026-11-20"))
    release = threading.Event()

    def slow(*args: Any) -> Any:
        release.wait(10)
        return compared(*args)

    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _statistics(pilot)
        monkeypatch.setattr("screens.report_stats.compared", slow)
        await pilot.press("tab", "enter")
        await pilot.pause(COUNTING_SAID_AFTER + 0.2)
        line = screen.query_one("#stats-line", Static)
        assert "Räknar" in str(line.render())
        release.set()
        await _settle(pilot)
        assert "1 rapport," in str(line.render())


async def test_a_counting_note_that_fires_late_leaves_the_figures(db_path: Path) -> None:
    """Its timer stopped just after it fired (a loaded machine), the "Räknar …" note still
    called back and covered the figures shown meanwhile."""
    with open_store(db_path) as store:
        store.create("snabbrapport", report_fields(date="2026-11-20"))
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _statistics(pilot)
        screen._say_counting()  # what the stopped timer's late call does
        await pilot.pause()
        line = str(screen.query_one("#stats-line", Static).render())
        assert "Räknar" not in line and ": 1 rapport," in line


async def test_enter_in_a_field_draws_the_figures_and_the_key_line_together(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enter on a from-date long ago: the figures, the key line of the figures (the
    letters' keys back) and the cursor on them come in one layout of the screen, and a
    period named by whole dates fits the terminal (no sideways scroll bar, which came
    and laid the screen out twice more)."""
    from textual.screen import Screen
    from textual.widgets._footer import FooterKey

    from screens.widgets.footer import Footer

    with open_store(db_path) as store:
        store.create("snabbrapport", report_fields(date="2026-11-20"))
        store.create("snabbrapport", report_fields(date="2026-10-02"))
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _statistics(pilot)
        await pilot.press("tab", *"2000-01-01")
        await _settle(pilot)
        layouts: list[Screen[Any]] = []
        original = Screen._refresh_layout

        def counted(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
            layouts.append(self)
            original(self, *args, **kwargs)

        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        await pilot.press("enter")
        await _settle(pilot)
        await pilot.pause(0.1)
        assert _reports_line(screen)[0] == "2"
        assert screen.focused is screen.query_one("#stats-body")
        footer_keys = screen.query_one(Footer).query(FooterKey)
        keys = [key.key for key in footer_keys if key.display]
        assert "j" in keys and "m" in keys
        body = screen.query_one("#stats-body")
        assert not body.show_horizontal_scrollbar
        assert len([s for s in layouts if s is screen]) == 1


async def test_keys_typed_right_after_enter_follow_the_cursor_to_the_figures(
    db_path: Path,
) -> None:
    """j typed with Enter (held until the figures show) reaches the figures, where it
    turns the comparison off, not the date field."""
    with open_store(db_path) as store:
        store.create("snabbrapport", report_fields(date="2026-11-20"))
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _statistics(pilot)
        assert screen.compare
        await pilot.press("tab", "enter", "j")
        await _settle(pilot)
        await _settle(pilot)
        assert not screen.compare
        assert screen.query_one("#stats-from", Input).value == "2026-11-01"
