"""The app while another program writes: a save waits for it, says so, and never fails."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from db import database
from screens.walk import WalkScreen
from screens.walk_form import WalkFormScreen
from tests.conftest import NOW, open_store, walk_fields
from tui.app import TryggApp

ROOT = Path(__file__).resolve().parents[2]

#: Another program that holds the write lock (a long import, say) until it is told to
#: let go, or for at most half a minute.
HOLDER = """
import select, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
select.select([sys.stdin], [], [], 30)
conn.execute("COMMIT")
"""


def _hold(db: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def _let_go_once_told(app: TryggApp, holder: subprocess.Popen[str]) -> list[str]:
    """The holder lets go once the app has told its user that a write waits (so that the
    write surely met the lock, however slow the machine). Returns the notes the app shows
    from then on."""
    told = database._wait_notice
    assert told is not None, "the app has no way to say that a write waits"
    shown: list[str] = []
    notify = app.notify

    def noting(message: str, *args: Any, **kwargs: Any) -> None:
        shown.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = noting  # type: ignore[method-assign]

    def tell_then_let_go(path: Path | None) -> None:
        told(path)
        assert holder.stdin is not None
        holder.stdin.write("go\n")
        holder.stdin.flush()

    database.set_wait_notice(tell_then_let_go)
    return shown


def _waited(shown: list[str]) -> bool:
    return any("används av ett annat program" in note for note in shown)


@pytest.fixture(autouse=True)
def _impatient_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's own wait cut short, so a lock held for a second outlasts it (as a
    14-second import outlasted the 10 seconds Trygg once waited)."""
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 100)


async def test_a_save_on_screen_waits_for_another_program(db_path: Path) -> None:
    open_store(db_path).close()
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("n")  # a new walk
        await pilot.pause()
        assert isinstance(app.screen, WalkFormScreen)
        await pilot.press(*"Under låset", "enter")
        holder = _hold(db_path)
        shown = _let_go_once_told(app, holder)
        await pilot.press("ctrl+s")
        await pilot.pause()
        holder.wait(timeout=30)
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen), "the save failed instead of waiting"
        assert _waited(shown)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT area FROM walk").fetchall() == [("Under låset",)]
    conn.close()


async def test_a_write_in_a_worker_waits_and_the_screen_says_so(db_path: Path) -> None:
    open_store(db_path).close()
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    results: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        holder = _hold(db_path)
        shown = _let_go_once_told(app, holder)
        app.in_thread(
            lambda store: store.create("walk", walk_fields(area="I bakgrunden")), results.append
        )
        await app.workers.wait_for_complete()
        await pilot.pause()
        holder.wait(timeout=30)
        assert len(results) == 1, "the write failed instead of waiting"
        assert _waited(shown)
    assert database._wait_notice is None  # the app's notice goes with it
