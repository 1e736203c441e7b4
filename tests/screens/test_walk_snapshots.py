"""SVG snapshots of the walk screen and the quick finding entry at 80×24 (the smallest
terminal Trygg promises). Update with ``pytest --snapshot-update`` after a deliberate
change, and look at the pictures before committing them."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from db import walks
from db.walks import FindingInput
from tests.conftest import NOW, open_store, walk_fields
from tests.screens.tour import still_cursors
from tui.app import TryggApp


def _database(path: Path) -> None:
    with open_store(path) as store:
        walk = store.create(
            "walk",
            walk_fields(
                area="Centrum – Åvägen – Storgatan",
                start_time="18:30",
                end_time="20:15",
                light="morker",
                weather="Klart, minus 4",
                participants="Boende: 9|Polis: 2",
            ),
        )
        for place, remark, category, owner in (
            ("Åvägen mittemot nr 37", "Trasig belysning", "1", "Kommunen"),
            ("Storgatan 85–89", "Uppbrutna källardörrar", "8", "Fastighetsbolaget"),
            ("Vändplanen vid Bygatan 3", "Fem skrotbilar", "6", "Kommunen"),
        ):
            walks.save_finding(store, walk, FindingInput(remark, place, category, owner))
        walks.save_finding(store, walk, FindingInput("Bra upplyst", "Tunneln", positive=True))
        first = store.records("finding", order_by=("nr",))[0]["id"]
        walks.mark_sent(store, [first], date(2026, 3, 1))


async def _steady(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    still_cursors(pilot)
    await pilot.pause()


def test_walk_screen(snap_compare: Any, db_path: Path) -> None:
    _database(db_path)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    assert snap_compare(app, press=["v", "enter"], terminal_size=(80, 24), run_before=_steady)


def test_quick_finding_entry(snap_compare: Any, db_path: Path) -> None:
    _database(db_path)
    app = TryggApp(db_path, "sv", now=lambda: NOW)

    async def typed(pilot: Pilot[Any]) -> None:
        for key in ("v", "enter", "n"):  # each screen up before the next key
            await pilot.press(key)
            await _steady(pilot)
        await pilot.press(*"Torget", "enter", *"Klotter", "enter", *"kl")
        await _steady(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=typed)
