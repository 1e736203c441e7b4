"""The paged lists keep up with typing: a search typed fast is one query once typing
pauses, the count of what matches is made in a worker (only the newest shows), and a
change of filter reads one page, never a loop of pages looking for the row the cursor
was on."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from db.snabbrapport import listing
from screens.report_list import ReportListScreen
from screens.widgets.base import DataChanged
from screens.widgets.tables import PagedTable
from tests.conftest import NOW, open_store, report_fields
from tui.app import TryggApp


def _reports(path: Path, count: int) -> None:
    with open_store(path) as store, store.transaction():
        for i in range(count):
            day = (date(2026, 10, 1) + timedelta(days=i % 50)).isoformat()
            store.create(
                "snabbrapport",
                report_fields(
                    date=day,
                    time=f"{20 + i % 4}:{i % 60:02d}",
                    name=f"Liam Testsson {i}" if i % 2 else f"Alva Provsson {i}",
                    pm_social="ja" if i % 3 == 0 else "nej",
                ),
            )


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


class Calls:
    """Counts the calls of a function and the threads they ran on."""

    def __init__(self, function: Any) -> None:
        self.function = function
        self.threads: list[threading.Thread] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.threads.append(threading.current_thread())
        return self.function(*args, **kwargs)

    @property
    def count(self) -> int:
        return len(self.threads)


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> tuple[Calls, Calls]:
    """Counts the list's reads of its pages and counts: those of the list on screen
    alone, with no list built ahead meanwhile (see test_built_ahead.py)."""
    monkeypatch.setattr(TryggApp, "BUILT_AHEAD", {})
    pages = Calls(listing.list_reports)
    counts = Calls(listing.count_reports)
    monkeypatch.setattr("screens.report_list.list_reports", pages)
    monkeypatch.setattr("screens.report_list.count_reports", counts)
    return pages, counts


async def test_a_word_typed_fast_is_one_query(db_path: Path, listed: tuple[Calls, Calls]) -> None:
    pages, _counts = listed
    _reports(db_path, 30)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        before = pages.count
        search = app.screen.query_one("#rep-search", Input)
        for typed in ("L", "Li", "Lia", "Liam"):  # four keystrokes in a row
            search.value = typed
        await pilot.pause(ReportListScreen.DEBOUNCE * 4)
        await settle(pilot)
        assert pages.count - before == 1
        table = app.screen.query_one(PagedTable)
        assert table.row_count == 15
        assert all("Liam" in table.record(str(k.value))["name"] for k in table.rows)


async def test_a_key_that_leaves_the_page_as_it_is_leaves_the_table_alone(
    db_path: Path, listed: tuple[Calls, Calls], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing a word that every row on the page still matches read the same rows and
    replaced the table's rows with them: laying out and drawing the same table again
    was most of a keystroke's time at 100,000 records. The rows read are compared with
    the rows shown; a page that differs (a row or one cell of it) is shown."""
    pages, _counts = listed
    _reports(db_path, 60)
    cleared: list[object] = []
    clear = PagedTable.clear_records

    def clear_and_note(table: PagedTable) -> None:
        cleared.append(table)
        clear(table)

    monkeypatch.setattr(PagedTable, "clear_records", clear_and_note)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        first = next(iter(table.rows.values()))
        shown, before = table.record(str(first.key.value)), pages.count
        cleared.clear()
        await pilot.press("slash", "a")  # in every name (Liam, Alva): the same page
        await pilot.pause(ReportListScreen.DEBOUNCE * 3)
        await settle(pilot)
        assert pages.count - before == 1 and not cleared
        assert next(iter(table.rows.values())) is first
        assert str(app.screen.query_one("#rep-line").render()).startswith("60 rapporter")
        await pilot.press("l", "v")  # "alv": only Alva
        await pilot.pause(ReportListScreen.DEBOUNCE * 3)
        await settle(pilot)
        assert cleared
        names = [table.record(str(k.value))["name"] for k in table.rows]
        assert len(names) == 30 and all("Alva" in n for n in names)
        # One cell changed (a mark) shows, as before.
        await pilot.press("escape")
        cleared.clear()
        key = table.current_key
        assert key is not None
        app.store.update("snabbrapport", key, {"place": "Stationen"})
        app.screen.post_message(DataChanged())
        await settle(pilot)
        assert cleared and table.record(key)["place"] == "Stationen"
        assert shown["place"] == "Torget"


async def test_the_count_is_made_in_a_worker(db_path: Path, listed: tuple[Calls, Calls]) -> None:
    _pages, counts = listed
    _reports(db_path, 12)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert counts.count >= 1
        assert all(t is not threading.main_thread() for t in counts.threads)
        line = str(app.screen.query_one("#rep-line").render())
        assert line.startswith("12 rapporter")


async def test_a_change_of_filter_reads_one_page(
    db_path: Path, listed: tuple[Calls, Calls]
) -> None:
    pages, _counts = listed
    _reports(db_path, 330)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        # Far down the list, on a report the next filter leaves out.
        while table.row_count < 300:
            table.move_cursor(row=table.row_count - 1)
            await pilot.pause()
        while app.store.get("snabbrapport", table.current_key or "")["pm_social"] == "ja":  # type: ignore[index]
            table.move_cursor(row=table.cursor_row - 1)
            await pilot.pause()
        kept = table.current_key
        assert kept is not None and table.cursor_row > table.page
        before = pages.count
        await pilot.press("s")  # PM: to send
        await settle(pilot)
        assert pages.count - before == 1
        assert table.cursor_row == 0
        assert kept not in [k.value for k in table.rows]


async def test_opening_a_list_reads_it_once(db_path: Path, listed: tuple[Calls, Calls]) -> None:
    """A screen's first ScreenResume follows its on_mount: reading the list again there
    doubled the cost of opening it (two first pages, two counts)."""
    pages, counts = listed
    _reports(db_path, 12)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert (pages.count, counts.count) == (1, 1)
        # Back from a screen above it, it shows what changed meanwhile.
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReportListScreen)
        assert (pages.count, counts.count) == (2, 2)


async def test_opening_the_findings_and_the_overview_counts_once(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db import walks
    from db.overview import overview

    monkeypatch.setattr(TryggApp, "BUILT_AHEAD", {})  # its own reads, as in ``listed``
    pages, figures = Calls(walks.list_findings), Calls(overview)
    monkeypatch.setattr("screens.finding_list.list_findings", pages)
    monkeypatch.setattr("db.overview.overview", figures)
    _reports(db_path, 1)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert figures.count == 1
        await pilot.press("o")  # the open findings
        await settle(pilot)
        assert pages.count == 1
        await pilot.press("escape")
        await settle(pilot)
        assert figures.count == 2


async def test_a_page_shows_the_detail_line_once(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each row added moves the cursor; the detail line under the table followed every
    move (a hundred times a page, most of a filter change's time)."""
    shown: list[str | None] = []
    original = PagedTable.show_detail

    def show_detail(self: PagedTable) -> None:
        shown.append(self.current_key)
        original(self)

    monkeypatch.setattr(PagedTable, "show_detail", show_detail)
    _reports(db_path, 150)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        shown.clear()
        await pilot.press("s")  # PM: to send
        await settle(pilot)
        assert len(shown) == 1
        # It shows the row under the cursor (at 80 columns age and sex live there).
        detail = str(app.screen.query_one("#rep-detail").render())
        assert table.current_key is not None
        assert detail == table.detail(table.current_key).plain
        assert "Ålder" in detail


async def test_a_page_is_two_screens_of_rows(db_path: Path) -> None:
    """Each row loaded is Python work for the table: a change of filter reads what the
    terminal shows and a screen more (a hundred rows, at 24 lines, was four screens),
    and the next page follows the cursor."""
    _reports(db_path, 150)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        assert table.row_count == 48
        await pilot.press("s")  # PM: to send (50 of the 150)
        await settle(pilot)
        assert table.row_count == 48
        await pilot.press("s")  # PM: sent (none)
        await pilot.press("s")  # without a PM (100)
        await settle(pilot)
        assert table.row_count == 48
        await pilot.press("pagedown", "pagedown", "pagedown")
        await settle(pilot)
        assert table.cursor_row >= 38
        assert table.row_count == 96
        assert str(app.screen.query_one("#rep-line").render()).startswith("100 rapporter")


async def test_opening_a_list_styles_it_once(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual styled a screen's every widget again when it was first shown, though each
    had just been styled as it was mounted; and the search field, first in the screen,
    took the focus before the list did (styled twice, and the key line built twice)."""
    monkeypatch.setattr(TryggApp, "BUILT_AHEAD", {})  # opened by the key, not ahead
    _reports(db_path, 3)
    restyled: list[Any] = []
    original = TryggApp.update_styles

    def update_styles(self: TryggApp, node: Any, animate: bool = True) -> None:
        restyled.append(node)
        original(self, node, animate)

    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(TryggApp, "update_styles", update_styles)
        await pilot.press("f6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportListScreen)
        assert app.focused is screen.query_one(PagedTable)
        assert screen not in restyled
        assert not [node for node in restyled if isinstance(node, Input)]
