"""The lägesbild and the place in the TUI, by keyboard alone at 80×24, on real files: the
issue's "done when" in the demo — the coordinator opens the lägesbild of Lycksele for the
last quarter, sees the places ranked and on the map, opens one place and finds its
findings, quick reports and measures, and prints it — and the map, the period keys,
coordinates given to a place, and the place of a row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from db.demo import build_demo
from db.lagesbild.periods import Period
from screens.finding_form import FindingFormScreen
from screens.lagesbild import LagesbildScreen
from screens.place import PlaceScreen
from screens.widgets.dialogs import ConfirmModal, KeyChoiceModal, TextPrompt
from screens.widgets.terminal_map import TerminalMap
from tests.conftest import NOW, open_store, walk_fields
from tests.screens.test_reports import app_for, settle

SIZE = (80, 24)


def _demo(path: Path) -> None:
    with open_store(path) as store:
        build_demo(store, NOW.date())


def rows(app: Any, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def text_of(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_lagesbild(pilot: Pilot[Any]) -> LagesbildScreen:
    await settle(pilot)
    await pilot.press("l")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LagesbildScreen)
    return screen


async def test_done_when_the_coordinator_pictures_lycksele_by_keyboard(
    db_path: Path, tmp_path: Path
) -> None:
    _demo(db_path)
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lagesbild(pilot)
        # The last whole quarter of the device's municipality, against the one before.
        assert screen.period == Period(NOW.date().replace(month=7, day=1), NOW.date().replace(
            month=9, day=30))  # fmt: skip
        assert screen.sub_title == "Lägesbild Lycksele – kvartal 3 2026"
        summary = text_of(app, "#lb-summary")
        assert "kvartal 3 2026 (2026-07-01 – 2026-09-30) · mot kvartal 2 2026" in summary
        picture = screen.picture
        assert picture is not None and picture.now.reports > 0
        ranked = rows(app, "#lb-table")
        assert ranked[0][:2] == ["1", "Torget"]
        assert [r[0] for r in ranked] == [str(n) for n in range(1, len(ranked) + 1)]
        # On the map: a numbered mark for every ranked place with coordinates.
        terminal_map = screen.query_one(TerminalMap)
        assert [m.number for m in terminal_map.marks] == [
            r.number for r in picture.places if r.point is not None
        ]
        drawn = str(terminal_map.render())
        assert all(str(m.number) in drawn for m in terminal_map.marks)
        assert "500 m" in drawn or "1 km" in drawn
        # Down the list, and the map follows; Tab to the map, and an arrow moves on it.
        await pilot.press("down")
        assert terminal_map.selected_key == picture.places[1].key
        assert picture.places[1].name in text_of(app, "#lb-detail")
        await pilot.press("tab")
        assert app.focused is terminal_map
        await pilot.press("1")  # a digit jumps to that mark
        assert terminal_map.selected_key == "torget"
        assert screen.query_one("#lb-table", DataTable).cursor_row == 0
        await pilot.press("enter")
        await settle(pilot)
        place = app.screen
        assert isinstance(place, PlaceScreen)
        assert place.sub_title == "Plats – Torget, Lycksele"
        shown = rows(app, "#place-table")
        texts = [r[1] for r in shown]
        assert "Klotter på elskåpet vid busshållplatsen" in texts  # a finding at Torget
        assert any(t.startswith("Uppbrutna") and "Storgatan 85–89, 120 m" in t for t in texts)
        assert any(r[0] == "Kv 3 2026" and r[1].startswith("rapporter ") for r in shown)
        assert any("Synliga poliser" in t for t in texts)  # the measure at Torget
        assert "● Grön" in next(r[2] for r in shown if "Synliga poliser" in r[1])
        # Back, and print it.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LagesbildScreen)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, KeyChoiceModal)
        await pilot.press("h")
        await pilot.pause()
    documents = tmp_path / "documents" / "Trygg"
    (page,) = documents.glob("Lägesbild-Lycksele-2026-07-01-2026-09-30.html")
    html = page.read_text(encoding="utf-8")
    assert "<svg" in html and "Torget" in html


async def test_hours_measures_and_other_periods_by_key(db_path: Path) -> None:
    _demo(db_path)
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lagesbild(pilot)
        await pilot.press("t")
        hours = text_of(app, "#lb-hours-table")
        assert "Snabbrapporter per veckodag och timme – kvartal 3 2026" in hours
        assert "Snabbrapporter per veckodag och timme – kvartal 2 2026" in hours
        assert "Flest: " in hours
        await pilot.press("t", "a")
        measures = rows(app, "#lb-measures")
        assert measures[0][0] == "● Röd"  # red first: what the steering group must discuss
        # A long name is shortened with "…", not cut mid-word unmarked (cold test).
        for row in measures:
            assert len(row[1]) <= 40 and (len(row[1]) < 40 or row[1].endswith("…")), row
        assert any(row[1].endswith("…") for row in measures), measures
        await pilot.press("a", "minus")
        await settle(pilot)
        assert screen.sub_title == "Lägesbild Lycksele – kvartal 2 2026"
        await pilot.press("j")
        await settle(pilot)
        assert "mot kvartal 2 2025" in text_of(app, "#lb-summary")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one(Input).value = "2026-09"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.sub_title == "Lägesbild Lycksele – september 2026"
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one(Input).value = "Lyksele"
        await pilot.press("enter")
        await settle(pilot)
        assert "menar du Lycksele?" in text_of(app, "#lb-detail")
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one(Input).value = "storuman"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.sub_title == "Lägesbild Storuman – september 2026"


async def test_the_map_moves_to_the_nearest_mark_in_the_direction_pressed(
    db_path: Path,
) -> None:
    _demo(db_path)
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lagesbild(pilot)
        terminal_map = screen.query_one(TerminalMap)
        await pilot.press("tab")
        cells = terminal_map._cells
        seen = {terminal_map.selected_key}
        for key in ("right", "down", "left", "up", "right", "right", "up"):
            before = cells[terminal_map.selected]  # type: ignore[index]
            await pilot.press(key)
            after = cells[terminal_map.selected]  # type: ignore[index]
            dx, dy = {"right": (1, 0), "left": (-1, 0), "up": (0, -1), "down": (0, 1)}[key]
            moved = (after[0] - before[0]) * dx + (after[1] - before[1]) * dy
            assert moved >= 0, key  # never against the direction pressed
            seen.add(terminal_map.selected_key)
        assert len(seen) > 2
        await pilot.press("home")
        assert terminal_map.selected == 0


async def test_coordinates_given_to_a_place_are_shown_back_before_saving(
    db_path: Path,
) -> None:
    with open_store(db_path) as store:
        store.create("place", {"name": "Torget", "kommun": "Lycksele", "lat": 64.5957,
                               "lon": 18.6756})  # fmt: skip
        walk = store.create("walk", walk_fields())
        store.create("finding", {"walk_id": walk, "remark": "Mörk passage", "place": "Tunneln"})
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"sök")
        await pilot.pause(0.3)  # the palette searches after a pause in the typing
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one(Input).value = "tunn"
        await pilot.press("enter")
        await settle(pilot)
        place = app.screen
        assert isinstance(place, PlaceScreen)
        assert "Inga koordinater" in text_of(app, "#place-head")
        assert "Mörk passage" in [r[1] for r in rows(app, "#place-table")]
        # A map link that names no position: one sentence, nothing saved.
        await pilot.press("k")
        await pilot.pause()
        app.screen.query_one(Input).value = "https://maps.app.goo.gl/AbC123"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlaceScreen)
        assert any("kortlänk" in str(n.message) for n in app._notifications)
        # SWEREF 99 TM from the municipal map, shown back with the nearest place.
        await pilot.press("k")
        await pilot.pause()
        app.screen.query_one(Input).value = "N 7168530  E 675885"
        await pilot.press("enter")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmModal)
        question = str(confirm.query(Static).first().render())
        assert "Tunneln ligger här: 64.59600, 18.67599" in question
        assert "SWEREF 99 TM N 7168530, E 675885 · 40 m från Torget, Lycksele" in question
        await pilot.press("j")
        await settle(pilot)
        head = text_of(app, "#place-head")
        assert "SWEREF 99 TM N 7168530, E 675885" in head
        assert "Inom 200 m: Torget (40 m)" in head  # now it has a neighbour within 200 m
    with open_store(db_path) as store:
        tunneln = [p for p in store.records("place") if p["name"] == "Tunneln"]
        assert len(tunneln) == 1
        assert tunneln[0]["lat"] == pytest.approx(64.596, abs=1e-5)
        assert tunneln[0]["lon"] == pytest.approx(18.676, abs=1e-4)


async def test_the_radius_key_looks_wider(db_path: Path) -> None:
    _demo(db_path)
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_lagesbild(pilot)
        await pilot.press("enter")  # Torget
        await settle(pilot)
        assert "Inom 200 m: Storgatan 85–89" in text_of(app, "#place-head")
        await pilot.press("r")
        await settle(pilot)
        head = text_of(app, "#place-head")
        assert "Inom 500 m:" in head and "Busstationen" in head
        await pilot.press("r", "r")
        await settle(pilot)
        assert "Inga andra kända platser inom 100 m" in text_of(app, "#place-head")


def place_under_cursor(app: Any, rtype: str) -> str:
    """The place name of the record on the row under the cursor, read from the file."""
    table = app.screen.query_one(DataTable)
    record_id = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    with open_store(app.db_path) as store:
        return str(store.get(rtype, record_id)["place"])  # type: ignore[index]


async def test_the_place_of_the_row_under_the_cursor_on_every_list(db_path: Path) -> None:
    _demo(db_path)
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        async def place_from(*keys: str) -> str:
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            await pilot.press("k")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, PlaceScreen), keys
            name = screen.ref.name
            await pilot.press("escape")
            await settle(pilot)
            return name

        # The walks: the walk's first finding's place (its area is no place).
        assert await place_from("f3") == "Åvägen mittemot nr 37"
        # The walk's findings, then the list of open findings.
        assert await place_from("enter") == "Åvägen mittemot nr 37"
        await pilot.press("f2", "o", "down")
        await settle(pilot)
        assert await place_from() == place_under_cursor(app, "finding")
        # The quick reports: the report's place.
        await pilot.press("f6")
        await settle(pilot)
        assert await place_from() == place_under_cursor(app, "snabbrapport")
        # The plan: the measure's own place.
        await pilot.press("f8")
        await settle(pilot)
        assert await place_from("enter", "down") == "Torget"


async def test_unreadable_coordinates_on_a_finding_are_explained_in_words(db_path: Path) -> None:
    with open_store(db_path) as store:
        walk = store.create("walk", walk_fields())
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(FindingFormScreen(walk))
        await pilot.pause()
        form = app.screen
        form.query_one("#finding-remark", Input).value = "Mörkt"
        form.query_one("#finding-coords", Input).value = "nära kiosken vid torget"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(form.query_one("#form-error", Static).render())
        # Not the message's key: a sentence saying what to write.
        assert "coords." not in error
        assert "förstår inte 'nära kiosken vid torget' som en position" in error


HOSTILE = "[bold]Torg[/bold]\x1b[31m[@click=app.quit]"


async def test_a_place_named_like_markup_shows_as_typed(db_path: Path) -> None:
    with open_store(db_path) as store:
        place = store.create("place", {"name": HOSTILE, "kommun": "Lycksele", "lat": 64.59,
                                       "lon": 18.67})  # fmt: skip
        store.create(
            "snabbrapport",
            {"date": "2026-09-26", "time": "22:00", "place": HOSTILE, "place_id": place,
             "kommun": "Lycksele", "name": "Alva Testsson"},
        )  # fmt: skip
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_lagesbild(pilot)
        name = rows(app, "#lb-table")[0][1]
        assert name.startswith("[bold]Torg[/b") and "\x1b" not in name
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlaceScreen)
        assert "[bold]Torg[/bold]␛[31m[@click=app.quit]" in str(app.screen.sub_title)
        assert "[bold]Torg[/bold]␛" in text_of(app, "#place-head")
        await pilot.press("escape")
        assert app.is_running


async def test_a_device_without_a_municipality_is_asked_for_one(db_path: Path) -> None:
    """A device set up without a default municipality (the first-run screen took none
    before) opened the lägesbild on "Ingen kommun heter ''": it asks which one."""
    _demo(db_path)
    with open_store(db_path) as store:
        store.update_device(kommun=None)
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LagesbildScreen)
        assert text_of(app, "#lb-detail") == "Ingen kommun vald – tryck m och skriv kommunen."
        await pilot.press("m", *"Lycksele", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LagesbildScreen) and screen.picture is not None
        assert screen.picture.kommun == "Lycksele"
