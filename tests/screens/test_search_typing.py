"""A search keeps up with typing: the first key after a pause shows its result at once
(it does not wait for typing to pause), and keys typed fast after it are searched once,
for the whole burst, when typing pauses; a text in between is never searched or shown.

The pause is made long here (seconds) so that a slow machine cannot turn one burst of
keys into two: nothing is timed, only which searches ran and what the list shows."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from db import walks
from db.snabbrapport import listing
from db.walks import FindingInput
from screens.finding_list import FindingListScreen, FindingsScreen
from screens.report_list import ReportListScreen
from screens.widgets.tables import PagedTable
from tests.conftest import NOW, open_store, report_fields, walk_fields
from tui.app import TryggApp


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _reports(path: Path) -> None:
    with open_store(path) as store, store.transaction():
        for i in range(20):
            store.create(
                "snabbrapport",
                report_fields(
                    date=(date(2026, 10, 1) + timedelta(days=i)).isoformat(),
                    name=f"Liam Testsson {i}" if i % 2 else f"Alva Provsson {i}",
                ),
            )


def _findings(path: Path) -> None:
    with open_store(path) as store:
        walk = store.create("walk", walk_fields())
        for i in range(12):
            remark = "Trasig lampa" if i % 3 == 0 else "Klotter på väggen"
            walks.save_finding(store, walk, FindingInput(remark, f"Torget {i}"))


class Searched:
    """Records the search text of every page a list reads."""

    def __init__(self, function: Any) -> None:
        self.function = function
        self.texts: list[str] = []

    def __call__(self, store: Any, flt: Any, *args: Any, **kwargs: Any) -> Any:
        self.texts.append(flt.text)
        return self.function(store, flt, *args, **kwargs)

    def typed(self) -> list[str]:
        """The searches with a text, in order, each repeat of the same text once."""
        texts: list[str] = []
        for text in self.texts:
            if text and (not texts or texts[-1] != text):
                texts.append(text)
        return texts


def _names(app: TryggApp) -> list[str]:
    table = app.screen.query_one(PagedTable)
    return [table.record(str(k.value))["name"] for k in table.rows]


def _remarks(app: TryggApp) -> list[str]:
    table = app.screen.query_one(PagedTable)
    return [table.record(str(k.value))["remark"] for k in table.rows]


@pytest.fixture
def reports_searched(monkeypatch: pytest.MonkeyPatch) -> Searched:
    searched = Searched(listing.list_reports)
    monkeypatch.setattr("screens.report_list.list_reports", searched)
    return searched


@pytest.fixture
def findings_searched(monkeypatch: pytest.MonkeyPatch) -> Searched:
    searched = Searched(walks.list_findings)
    monkeypatch.setattr("screens.finding_list.list_findings", searched)
    return searched


async def test_one_key_shows_its_reports_at_once(
    db_path: Path, reports_searched: Searched, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pause longer than the test: the key's result cannot be the pause's doing.
    monkeypatch.setattr(ReportListScreen, "DEBOUNCE", 60.0)
    _reports(db_path)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert len(_names(app)) == 20
        await pilot.press("slash", "v")  # "Alva", "Provsson": one key, no pause after it
        await settle(pilot)
        assert reports_searched.typed() == ["v"]
        names = _names(app)
        assert len(names) == 10 and all("Alva" in n for n in names)


async def test_keys_typed_fast_are_one_search_of_reports(
    db_path: Path, reports_searched: Searched, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ReportListScreen, "DEBOUNCE", 1.0)
    _reports(db_path)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("slash", *"Liam")
        await pilot.pause(ReportListScreen.DEBOUNCE * 2.5)
        await settle(pilot)
        # The first key at once, the rest of the burst once: never "Li" or "Lia".
        assert reports_searched.typed() == ["L", "Liam"]
        names = _names(app)
        assert len(names) == 10 and all("Liam" in n for n in names)
        # After the pause, the next key is searched at once again.
        await pilot.press("backspace", "backspace", "backspace", "backspace", "v")
        await settle(pilot)
        assert reports_searched.typed()[2] == "Lia"
        await pilot.pause(ReportListScreen.DEBOUNCE * 2.5)
        await settle(pilot)
        assert reports_searched.typed()[2:] == ["Lia", "v"]
        assert all("Alva" in n for n in _names(app)) and len(_names(app)) == 10


async def test_one_key_shows_its_findings_at_once(
    db_path: Path, findings_searched: Searched, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FindingsScreen, "DEBOUNCE", 60.0)
    _findings(db_path)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")  # the open findings
        await settle(pilot)
        assert isinstance(app.screen, FindingListScreen)
        assert len(_remarks(app)) == 12
        await pilot.press("slash", "l")  # "lampa" (and "Klotter" is no word starting so)
        await settle(pilot)
        assert findings_searched.typed() == ["l"]
        assert _remarks(app) == ["Trasig lampa"] * 4


async def test_keys_typed_fast_are_one_search_of_findings(
    db_path: Path, findings_searched: Searched, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FindingsScreen, "DEBOUNCE", 1.0)
    _findings(db_path)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("slash", *"kl")
        await pilot.pause(FindingsScreen.DEBOUNCE * 2.5)
        await settle(pilot)
        assert findings_searched.typed() == ["k", "kl"]
        assert _remarks(app) == ["Klotter på väggen"] * 8
        # Enter searches what is typed at once and the pending search is dropped.
        await pilot.press("o", "t", "enter")
        await settle(pilot)
        assert findings_searched.typed()[2:] == ["klo", "klot"]
        await pilot.pause(FindingsScreen.DEBOUNCE * 2.5)
        await settle(pilot)
        assert findings_searched.typed()[2:] == ["klo", "klot"]


async def test_a_slash_typed_in_a_field_is_a_character(db_path: Path) -> None:
    """``/`` is a priority key on the lists (so that a letter typed with it lands in the
    search field); in a field it must still be a character, not a jump to the search."""
    _reports(db_path)
    _findings(db_path)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("slash", "a", "slash", "b")
        await settle(pilot)
        search = app.screen.query_one("#rep-search", Input)
        assert search.value == "a/b" and app.screen.focused is search
        await pilot.press("tab")  # the from-date field
        await pilot.press("slash")
        assert app.screen.focused is not search
        assert "/" in str(getattr(app.screen.focused, "value", ""))
        await pilot.press("escape", "escape", "escape")
        await settle(pilot)
        await pilot.press("o")  # the open findings
        await settle(pilot)
        assert isinstance(app.screen, FindingsScreen)
        await pilot.press("slash", "k", "slash")
        await settle(pilot)
        assert app.screen.query_one("#finding-search", Input).value == "k/"
