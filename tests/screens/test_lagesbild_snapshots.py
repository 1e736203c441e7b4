"""SVG snapshots at 80×24 of the demo's lägesbild of Lycksele (the ranked places beside
the map), its weekday × hour view, and the place screen of Torget. Update with
``pytest --snapshot-update`` after a deliberate change, and look at the pictures before
committing them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from db.demo import build_demo
from tests.conftest import NOW, open_store
from tui.app import TryggApp


async def _steady(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _demo(path: Path) -> TryggApp:
    with open_store(path) as store:
        build_demo(store, NOW.date())
    return TryggApp(path, "sv", now=lambda: NOW)


def _after(*keys: str) -> Any:
    async def run(pilot: Pilot[Any]) -> None:
        await _steady(pilot)
        for key in keys:
            await pilot.press(key)
            await _steady(pilot)

    return run


def test_the_lagesbild_of_lycksele(snap_compare: Any, db_path: Path) -> None:
    app = _demo(db_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_after("l", "down", "down"))


def test_quick_reports_by_weekday_and_hour(snap_compare: Any, db_path: Path) -> None:
    app = _demo(db_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_after("l", "t"))


def test_the_place_screen_of_torget(snap_compare: Any, db_path: Path) -> None:
    app = _demo(db_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_after("l", "enter"))
