"""A tour of every screen and dialog, for the layout tests: how to reach each one from the
overview with the keys an officer would press, on the realistic database
(``tests/screens/realistic.py``), in a fixed folder so that the paths shown on screen (the
database, where files go) are the same on every run."""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from db.reports import OUTPUT_FOLDER
from db.store import Store
from tests.conftest import NOW
from tests.screens.realistic import copy_database
from tui.app import TryggApp

#: Where the tour's database lives while a test runs (shown on the overview).
FOLDER = Path("/tmp/trygg-screens")

Steps = Callable[[Pilot[Any]], Awaitable[None]]


@dataclass(frozen=True)
class Stop:
    """One screen or dialog: its name, how to get there, and whether it is a form."""

    name: str
    steps: Steps
    form: bool = False
    #: A main list, also pictured at 120×40.
    main: bool = False
    #: On a new, empty database (the first run).
    empty: bool = False


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for Trygg's workers (counts, previews) and what they show; no blinking
    cursor. (A folder tree's loader is a worker that never ends: it is not waited for.)"""
    for _ in range(2):
        running = [w for w in pilot.app.workers if w.group.startswith("db") and w.is_running]
        for worker in running:
            await worker.wait()
        await pilot.pause()
    still_cursors(pilot)
    await pilot.pause()


def still_cursors(pilot: Pilot[Any]) -> None:
    """No blinking cursor in any field (text areas too), so that a snapshot does not
    depend on the moment it is taken."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
        # A text area keys its cached lines by the cursor only while it blinks, so a line
        # drawn in the blink's dark phase would be reused without the cursor: forget the
        # drawn lines and draw again, whatever the phase was.
        area._line_cache.clear()
        area.refresh()


def keys(*pressed: str) -> Steps:
    async def steps(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)

    return steps


def translated(key: str, *before: str) -> Steps:
    """Press ``before``, then the key the catalogue gives for ``key`` (a choice's key)."""

    async def steps(pilot: Pilot[Any]) -> None:
        await keys(*before)(pilot)
        app: Any = pilot.app
        await pilot.press(app.t(key))
        await settle(pilot)

    return steps


async def _receive(pilot: Pilot[Any]) -> None:
    """The dry run of Malin's newest file (F9, t, then the file's path)."""
    from screens.sync_receive import ReceiveScreen

    await keys("f9")(pilot)
    app: Any = pilot.app
    pilot.app.push_screen(ReceiveScreen(Path(app.db_path).parent / "malin-ny.trygg"))
    await settle(pilot)


STOPS = [
    # Screens
    Stop("overview", keys(), main=True),
    Stop("walk_list", keys("f3"), main=True),
    Stop("walk", keys("f3", "enter")),
    Stop("finding_list", keys("o"), main=True),
    Stop("owner_list", keys("f4"), main=True),
    Stop("report_list", keys("f6"), main=True),
    Stop("report_stats", keys("f6", "u")),
    Stop("plan_list", keys("f8"), main=True),
    Stop("plan", keys("f8", "enter", "down"), main=True),
    Stop("sync", keys("f9"), main=True),
    Stop("sync_conflicts", keys("f9", "k")),
    Stop("sync_receive", _receive),
    Stop("lagesbild", keys("l"), main=True),
    Stop("lagesbild_hours", keys("l", "t")),
    Stop("lagesbild_measures", keys("l", "a")),
    Stop("place", keys("f6", "k")),
    Stop("help", keys("f6", "f1")),
    Stop("device_setup", keys(), empty=True),
    # Dialogs
    Stop("confirm", keys("f6", "delete")),
    Stop("text_prompt", keys("f3", "enter", "x")),
    Stop("key_choice", keys("f8", "enter", "down", "r")),
    Stop("report_pm", keys("f6", "p")),
    Stop("record_history", keys("f6", "h")),
    Stop("lagesbild_period", keys("l", "d")),
    Stop("lagesbild_print", keys("l", "x")),
    Stop("place_radius", keys("f6", "k", "r")),
    Stop("path_picker", keys("f9", "t")),
    Stop("plan_import_file", keys("f8", "i")),
    Stop("measure_move", keys("f8", "enter", "down", "m")),
    Stop("measure_pick", translated("finding_measure.key.link", "f3", "enter", "m")),
    # Forms (their insides are the forms' own layout)
    Stop("report_form", keys("f5"), form=True),
    Stop("walk_form", keys("f3", "n"), form=True),
    Stop("finding_form", keys("f3", "enter", "n"), form=True),
    Stop("owner_form", keys("f4", "n"), form=True),
    Stop("plan_form", keys("f8", "n"), form=True),
    Stop("measure_form", keys("f8", "enter", "n"), form=True),
    Stop("progress_form", keys("f7"), form=True),
    Stop("followup_form", keys("f8", "enter", "down", "u"), form=True),
    Stop("plan_import", keys("f8", "i", "enter"), form=True),
    Stop("sync_send", keys("f9", "s"), form=True),
    Stop("owner_lists", keys("f3", "enter", "l"), form=True),
    Stop("protocol", keys("f3", "enter", "p"), form=True),
]


def tour_app(
    template: Path, name: str, monkeypatch: pytest.MonkeyPatch, *, empty: bool = False
) -> TryggApp:
    """A fresh copy of the tour's database in ``FOLDER/name`` (or, ``empty``, none: the
    app starts with the first-run questions), and the app on it, with the usual folders
    of this machine replaced by the tour's own."""
    folder = FOLDER / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if empty:
        return TryggApp(folder / "trygg.db", "sv", now=lambda: NOW)
    path = copy_database(template, folder / "trygg.db")
    for extra in template.parent.iterdir():
        if extra.suffix in (".trygg", ".xlsx", ".csv"):
            shutil.copy(extra, folder / extra.name)
    stick = FOLDER / "USB-TRYGG"
    documents = FOLDER / "Dokument" / "Trygg"
    for made in (stick, documents):
        made.mkdir(parents=True, exist_ok=True)
    with Store(path, now=lambda: NOW) as store:
        store.set_setting(OUTPUT_FOLDER, str(documents))
    monkeypatch.setattr(
        "screens.widgets.path_picker.usual_places", lambda extra=(): [stick, documents]
    )
    monkeypatch.setattr("screens.sync_send.usual_places", lambda extra=(): [stick, documents])
    monkeypatch.setattr("platformdirs.user_downloads_dir", lambda: str(folder))
    monkeypatch.setattr("platformdirs.user_documents_dir", lambda: str(folder))
    monkeypatch.chdir(folder)
    return TryggApp(path, "sv", now=lambda: NOW)
