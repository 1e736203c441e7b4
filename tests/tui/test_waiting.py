"""The app while another program writes: a save waits for it, says so, and never fails."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db import database
from screens.walk import WalkScreen
from screens.walk_form import WalkFormScreen
from tests.conftest import NOW, open_store, walk_fields
from tui.app import TryggApp

ROOT = Path(__file__).resolve().parents[2]

#: Another program that holds the write lock for a while (a long import, say).
HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def _hold(db: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def _waited(app: TryggApp) -> bool:
    return any("används av ett annat program" in str(n.message) for n in app._notifications)


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
        holder = _hold(db_path, 1.5)
        await pilot.press("ctrl+s")
        await pilot.pause()
        holder.wait(timeout=30)
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen), "the save failed instead of waiting"
        assert _waited(app)
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
        holder = _hold(db_path, 1.5)
        app.in_thread(
            lambda store: store.create("walk", walk_fields(area="I bakgrunden")), results.append
        )
        await app.workers.wait_for_complete()
        await pilot.pause()
        holder.wait(timeout=30)
        assert len(results) == 1, "the write failed instead of waiting"
        assert _waited(app)
    assert database._wait_notice is None  # the app's notice goes with it
