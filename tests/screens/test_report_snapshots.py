"""SVG snapshots of the quick-report form mid-entry and of the follow-up statistics at
80×24. Update with ``pytest --snapshot-update`` after a deliberate change, and look at the
pictures before committing them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.conftest import NOW, open_store, report_fields
from tests.screens.tour import still_cursors
from tui.app import TryggApp


async def _steady(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    still_cursors(pilot)
    await pilot.pause()


def test_report_form_mid_entry(snap_compare: Any, db_path: Path) -> None:
    with open_store(db_path) as store:
        store.set_setting("snabbrapport.last_place", "Torget")
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    # The place kept by Enter; name, number, then phone, age and sex (filled in from the
    # number) passed by Enter.
    keys = ["f5", "enter", *"Alva Testsson", "enter", *"20100315-9801", *["enter"] * 4]
    keys += ["6", "s"]
    assert snap_compare(app, press=keys, terminal_size=(80, 24), run_before=_steady)


def test_statistics_against_the_month_before(snap_compare: Any, db_path: Path) -> None:
    with open_store(db_path) as store:
        for day, custody in (("2026-11-06", "lob"), ("2026-11-21", "nej"), ("2026-10-16", "nej")):
            store.create("snabbrapport", report_fields(date=day, custody=custody, drunk=True))
    app = TryggApp(db_path, "sv", now=lambda: NOW)

    async def counted(pilot: Pilot[Any]) -> None:
        # The statistics are counted in a worker: wait for it, not for a while.
        await _steady(pilot)
        await pilot.press("f6", "u")
        await _steady(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=counted)
