"""Safety walks in the TUI, driven with the keyboard alone through Pilot, on real files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from db import drafts, walks
from db.store import Store
from db.walks import FindingInput
from screens.finding_form import FindingFormScreen
from screens.finding_list import FindingListScreen
from screens.overview import OverviewScreen
from screens.owner_list import OwnerListScreen
from screens.walk import WalkScreen
from screens.walk_documents import OwnerListsModal
from screens.walk_form import WalkFormScreen
from screens.walk_list import WalkListScreen
from screens.widgets.dialogs import ConfirmModal, KeyChoiceModal, TextPrompt
from tests.conftest import NOW, open_store, walk_fields
from tui.app import TryggApp

#: Markup, an action link, a broken tag and a terminal escape: all must show as typed.
HOSTILE = "[bold]x[/] [@click=app.quit]hej[/] [/ \x1b[31mröd"
HOSTILE_SHOWN = "[bold]x[/] [@click=app.quit]hej[/] [/ ␛[31mröd"

#: The handbook's four example findings (seed 003) as an officer types them.
HANDBOOK = (
    ("Åvägen mittemot nr 37", "Trasig belysning", "1", "Kommunen"),
    ("Storgatan 85-89", "Uppbrutna källardörrar", "skal", "Fastighetsbolaget"),
    ("Vändplanen vid Bygatan 3", "Fem skrotbilar", "6", "Kom"),
    ("Bivägen 4-6", "Brandfarliga källargångar", "9", "Fast"),
)


def app_for(path: Path, lang: str = "sv") -> TryggApp:
    return TryggApp(path, lang, now=lambda: NOW)


async def settle(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def cells(app: TryggApp, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_walk_and_the_handbook_findings_with_the_keyboard_alone(db_path: Path) -> None:
    open_store(db_path).close()
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")  # new walk from the overview
        await pilot.pause()
        assert isinstance(app.screen, WalkFormScreen)
        assert app.screen.query_one("#walk-kommun", Input).value == "Lycksele"
        await pilot.press(*"Centrum - Åvägen", "enter")
        await pilot.press("ctrl+a", "ctrl+k", *"igår", "enter")  # the date, in words
        await pilot.press(*"18.30", "enter", *"2015", "enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)

        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FindingFormScreen)
        keys = text = 0
        new_owners = {"Kommunen", "Fastighetsbolaget"}
        for place, remark, category, owner in HANDBOOK:
            # The documented path: Enter between fields, ctrl+s after the owner (the
            # coordinates and "positive" that follow are rarely filled in on the spot).
            for value, end in ((place, "enter"), (remark, "enter"), (category, "enter"),
                               (owner, "ctrl+s")):  # fmt: skip
                await pilot.press(*value, end)
                keys += len(value) + 1
            text += len(place) + len(remark) + (len(owner) if owner in new_owners else 0)
            new_owners.discard(owner)
            await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)
        rows = cells(app, "#finding-table")
        assert [r[0] for r in rows] == ["1", "2", "3", "4"]
        # Two minutes at three keys a second (cold hands) is 360 keys; beyond the text of
        # place, remark and a new owner's name, each finding costs at most 8 keys.
        print(f"handbook findings: {keys} keys, {keys - text} beyond the text itself")
        assert keys <= 360 and keys - text <= 4 * 8
    with Store(db_path) as store:
        walk = store.records("walk")[0]
        assert (walk["area"], walk["date"], walk["start_time"]) == (
            "Centrum - Åvägen",
            "2026-11-21",
            "18:30",
        )
        found = store.records("finding", order_by=("nr",))
        assert [(f["category"], f["status"]) for f in found] == [
            ("belysning", "ny"),
            ("skalskydd", "ny"),
            ("overgivna_fordon", "ny"),
            ("brandrisk", "ny"),
        ]
        owners = {o["id"]: (o["name"], o["kind"]) for o in store.records("owner")}
        assert sorted(owners.values()) == [
            ("Fastighetsbolaget", "fastighetsagare"),
            ("Kommunen", "kommun"),
        ]
        assert [owners[f["owner_id"]][0] for f in found] == [
            "Kommunen",
            "Fastighetsbolaget",
            "Kommunen",
            "Fastighetsbolaget",
        ]
        assert store.count("place") == 4


def _walk_with_findings(path: Path, area: str = "Centrum") -> str:
    with open_store(path) as store:
        walk = store.create("walk", walk_fields(area=area))
        for remark, owner in (("Trasig lampa", "Kommunen"), ("Klotter", "Bostadsbolaget")):
            walks.save_finding(store, walk, FindingInput(remark, "Torget", "1", owner))
        walks.save_finding(store, walk, FindingInput("Bra upplyst", "Parken", positive=True))
        return walk


async def test_follow_up_keys_lists_and_overdue(db_path: Path, tmp_path: Path) -> None:
    walk = _walk_with_findings(db_path)
    with open_store(db_path) as store:
        store.set_setting("output_folder", str(tmp_path / "ut"))
        first = store.records("finding", order_by=("nr",))[0]["id"]
        walks.mark_sent(store, [first], date(2026, 1, 2))  # six months: overdue since July
    app = app_for(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        figures = cells(app, "#home-figures")
        assert figures[1][:2] == ["Öppna anmärkningar", "2"]
        assert figures[2][:2] == ["Försenade anmärkningar", "1"]
        await pilot.press("f")  # the overdue findings
        await pilot.pause()
        assert isinstance(app.screen, FindingListScreen)
        rows = cells(app, "#finding-table")
        assert len(rows) == 1 and rows[0][3] == "FÖRSENAD"
        await pilot.press("a")  # fixed today
        await pilot.pause()
        assert cells(app, "#finding-table") == []
        await pilot.press("escape", "v", "enter")  # the walk list, then the walk
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen) and app.screen.walk_id == walk
        await pilot.press("down", "x")  # finding 2: rejected, with a reason
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"Inte vår mark", "enter")
        await pilot.pause()
        assert cells(app, "#finding-table")[1][3] == "Avvisad"
        await pilot.press("u")  # reopen
        await pilot.press("l")  # lists for the owners
        await pilot.pause()
        assert isinstance(app.screen, OwnerListsModal)
        owners = str(app.screen.query_one("#documents-owners", Static).render())
        assert "Bostadsbolaget" in owners and "Kommunen" not in owners
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)
        assert cells(app, "#finding-table")[1][3] == "Skickad"
    written = list((tmp_path / "ut").glob("*.html"))
    assert [p.name for p in written] == ["Åtgärdslista-Bostadsbolaget-2026-11-22.html"]
    with Store(db_path) as store:
        second = store.records("finding", order_by=("nr",))[1]
        assert (second["status"], second["sent_date"], second["due_date"]) == (
            "skickad",
            "2026-11-22",
            "2027-02-22",
        )


async def test_reopening_an_open_finding_says_so_and_writes_nothing(db_path: Path) -> None:
    # u on a finding already open said "Anmärkning 1 är öppen igen. Ctrl+Z ångrar." with
    # nothing written, and the ctrl+z it offered took back an unrelated quick report
    # saved before (cold test). Likewise a to a finding already fixed that day.
    walk = _walk_with_findings(db_path)
    with open_store(db_path) as store:
        first = store.records("finding", order_by=("nr",))[0]["id"]
        walks.mark_sent(store, [first], date(2026, 11, 2))
    app = app_for(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("v", "enter")
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen) and app.screen.walk_id == walk
        size = app.store.journal_size()
        await pilot.press("u")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert said[-1] == "Anmärkning 1 är redan öppen – inget ändrades.", said
        assert app.store.journal_size() == size
        await pilot.press("a", "a")  # fixed today, then again
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert said[-2].startswith("Anmärkning 1 markerad som åtgärdad i dag")
        assert said[-1] == "Anmärkning 1 är redan åtgärdad – inget ändrades."


async def test_user_text_shows_as_typed_on_every_screen(db_path: Path) -> None:
    with open_store(db_path) as store:
        walk = store.create("walk", walk_fields(area=HOSTILE, organiser=HOSTILE, notes=HOSTILE))
        walks.save_finding(store, walk, FindingInput(HOSTILE, HOSTILE, "1", HOSTILE))
    app = app_for(db_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, WalkListScreen)
        assert cells(app, "#walk-table")[0][2] == HOSTILE_SHOWN
        await pilot.press("enter")
        await pilot.pause()
        summary = app.screen.query_one("#walk-summary", Static).render()
        assert HOSTILE_SHOWN in str(summary) and HOSTILE_SHOWN in str(app.screen.sub_title)
        row = cells(app, "#finding-table")[0]
        assert row[1] == HOSTILE_SHOWN and row[5] == HOSTILE_SHOWN
        await pilot.press("enter")  # the finding's form
        await pilot.pause()
        assert app.screen.query_one("#finding-remark", Input).value == HOSTILE
        await pilot.press("escape", "escape", "escape")
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, OwnerListScreen)
        assert cells(app, "#owner-table")[0][0] == HOSTILE_SHOWN
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FindingListScreen)
        assert HOSTILE_SHOWN in str(app.screen.sub_title)
        await pilot.press("delete")  # the question quotes the remark
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        question = str(app.screen.query_one(Static).render())
        assert HOSTILE_SHOWN[:20] in question and "\x1b" not in question
        await pilot.press("n")
        assert app.is_running  # the [@click=app.quit] did nothing


async def test_a_wrong_date_is_explained_and_nothing_is_saved(db_path: Path) -> None:
    open_store(db_path).close()
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Norr", "enter", "ctrl+a", "ctrl+k", *"31/2", "ctrl+s")
        await pilot.pause()
        error = str(app.screen.query_one("#form-error", Static).render())
        assert error.startswith("Datum:")
        assert app.focused is app.screen.query_one("#walk-date", Input)
        await pilot.press("escape")  # typed text: asks first
        await pilot.pause()
        assert isinstance(app.screen, KeyChoiceModal)
        await pilot.press("escape")  # Esc again: back to the form, nothing lost
        await pilot.pause()
        assert isinstance(app.screen, WalkFormScreen)
        await pilot.press("escape", "x")  # x: throw what was typed away, deliberately
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
    with Store(db_path) as store:
        assert store.count("walk") == 0
        assert drafts.every(store) == []


async def test_walk_list_search_filters_and_delete(db_path: Path) -> None:
    _walk_with_findings(db_path, area="Stationsområdet")
    with open_store(db_path) as store:
        store.create("walk", walk_fields(area="Norra", kommun="Sorsele", date="2025-04-01"))
    app = app_for(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await pilot.pause()
        assert len(cells(app, "#walk-table")) == 2
        await pilot.press("slash", *"lampa")  # a word in a finding finds its walk
        await pilot.pause(WalkListScreen.DEBOUNCE * 3)  # the list follows once typing pauses
        await settle(pilot)
        assert [r[2] for r in cells(app, "#walk-table")] == ["Stationsområdet"]
        await pilot.press("ctrl+a", "ctrl+k", "tab", *"sorsele", "enter")
        await pilot.pause()
        assert [r[2] for r in cells(app, "#walk-table")] == ["Norra"]
        await pilot.press("slash", "tab", "ctrl+a", "ctrl+k", "tab", *"30 feb", "enter")
        await pilot.pause()
        line = str(app.screen.query_one("#walk-line", Static).render())
        assert line.startswith("Från")
        await pilot.press("ctrl+a", "ctrl+k", "enter")
        await pilot.press("s")  # walks with open findings (the municipality was cleared)
        await pilot.pause()
        assert [r[2] for r in cells(app, "#walk-table")] == ["Stationsområdet"]
        await pilot.press("s", "s", "s", "s", "s")  # round to all again
        await pilot.press("slash", "tab", "ctrl+a", "ctrl+k", "enter")
        await pilot.pause()
        assert len(cells(app, "#walk-table")) == 2
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("enter")  # a stray Enter deletes nothing
        await pilot.press("j")
        await pilot.pause()
        assert len(cells(app, "#walk-table")) == 1
    with Store(db_path) as store:
        assert store.count("walk") == 1


async def test_owner_form_and_english(db_path: Path) -> None:
    open_store(db_path).close()
    app = app_for(db_path, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4", "n")
        await pilot.pause()
        # The kind is one key (1 = municipality), which moves on by itself.
        await pilot.press(*"Trafikverket", "enter", "1", *"Anna", "enter")
        await pilot.press("enter", "enter", *"tio", "ctrl+s")
        await pilot.pause()
        error = str(app.screen.query_one("#form-error", Static).render())
        assert error == "Response time (days): must be a whole number"
        await pilot.press("ctrl+a", "ctrl+k", *"90", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, OwnerListScreen)
        assert cells(app, "#owner-table")[0][:2] == ["Trafikverket", "Municipality"]
    with Store(db_path) as store:
        owner = store.records("owner")[0]
        assert (owner["contact"], owner["default_due_days"]) == ("Anna", 90)


def test_plain_cells_never_parse_markup() -> None:
    from screens.widgets.text import plain

    cell = plain(HOSTILE)
    assert isinstance(cell, Text) and cell.plain == HOSTILE_SHOWN and not cell.spans


async def test_question_mark_is_text_in_a_field_and_sections_wait_for_dialogs(
    db_path: Path,
) -> None:
    open_store(db_path).close()
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3", "slash", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, WalkListScreen)
        assert app.screen.query_one("#walk-search", Input).value == "?"
        await pilot.press("escape", "question_mark")  # on the table: help
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape", "n", "f4")  # a form is open: F4 does not leave it
        await pilot.pause()
        assert isinstance(app.screen, WalkFormScreen)
        await pilot.press("escape", "f4")
        await pilot.pause()
        assert isinstance(app.screen, OwnerListScreen)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen) and len(app.screen_stack) == 2
