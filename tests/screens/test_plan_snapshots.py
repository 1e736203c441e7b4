"""SVG snapshots of a plan (the demo's Lycksele plan, by focus area, with progress bars
and lights) and of one measure's follow-up form. Update with ``pytest --snapshot-update``
after a deliberate change, and look at the pictures before committing them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from db.demo import build_demo
from tests.conftest import NOW, open_store
from tests.screens.tour import still_cursors
from tui.app import TryggApp


async def _steady(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    still_cursors(pilot)
    await pilot.pause()


def _demo(path: Path) -> TryggApp:
    with open_store(path) as store:
        build_demo(store, NOW.date())
    return TryggApp(path, "sv", now=lambda: NOW)


def test_plan_by_focus_area_with_progress(snap_compare: Any, db_path: Path) -> None:
    app = _demo(db_path)

    async def opened(pilot: Pilot[Any]) -> None:
        await _steady(pilot)
        await pilot.press("f8", "enter", "down", "minus")  # the previous quarter's lights
        await _steady(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=opened)


def test_follow_up_of_a_measure(snap_compare: Any, db_path: Path) -> None:
    app = _demo(db_path)

    async def opened(pilot: Pilot[Any]) -> None:
        await _steady(pilot)
        await pilot.press("f8", "enter", "down", "down", "u")
        await _steady(pilot)

    assert snap_compare(app, terminal_size=(100, 34), run_before=opened)
