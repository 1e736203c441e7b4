"""Trygg processes side by side on one database file.

A window of Trygg stays open for hours while commands run beside it (an export, a backup,
a mailbox sync). SQLite's locks belong to the process: if a process holding a connection
opens and closes the database file by any other means, its locks are gone, and the next
command to close its connection believes it is the last one and deletes the write-ahead
log that the open window is still writing to. These tests run real processes.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import open_store

ROOT = Path(__file__).resolve().parents[2]

#: Does what the app does: one store open on the main thread for as long as it runs,
#: and a store of its own for each job in a worker thread (``TryggApp.in_thread``).
#: Reads commands from stdin: ``main AREA`` and ``worker AREA`` write a walk, ``quit``.
APP_LIKE_WRITER = """
import sys, threading
from pathlib import Path
from db.store import Store
from tests.conftest import walk_fields

path = Path(sys.argv[1])
main = Store(path)

def in_worker(area):
    def work():
        with Store(path, create=False) as store:
            store.create("walk", walk_fields(area=area))
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()

print("ready", flush=True)
for line in sys.stdin:
    where, _, area = line.strip().partition(" ")
    if where == "quit":
        break
    if where == "worker":
        in_worker(area)
    else:
        main.create("walk", walk_fields(area=area))
    print("ok", flush=True)
main.close()
print("closed", flush=True)
"""


#: The ``trygg`` command, run from this checkout.
TRYGG = "import sys; from tui.cli import main; main(sys.argv[1:])"


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "TRYGG_LANG": "sv"}


def _trygg(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", TRYGG, "--db", str(db), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )


def _areas(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT area FROM walk")}
    finally:
        conn.close()


def test_commands_beside_an_open_writer_never_take_its_log_away(tmp_path: Path) -> None:
    db = tmp_path / "delad.db"
    open_store(db, name="Fönstret").close()
    mailbox = tmp_path / "brevlada"
    mailbox.mkdir()
    records = tmp_path / "poster.jsonl"
    records.write_text(
        '{"type": "walk", "kommun": "Lycksele", "area": "Från fil", "date": "2026-11-02"}\n',
        encoding="utf-8",
    )
    commands = [
        ("records", "export", "--out", str(tmp_path / "alla.jsonl")),
        ("backup", "--out", str(tmp_path / "kopia.db")),
        ("sync", str(mailbox)),
        ("log", "--limit", "5"),
        ("doctor",),
        ("records", "import", str(records)),
        ("export", "--full", "--out", str(tmp_path / "allt.trygg")),
    ]
    writer = subprocess.Popen(
        [sys.executable, "-c", APP_LIKE_WRITER, str(db)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert writer.stdin is not None and writer.stdout is not None

    def write(where: str, area: str) -> None:
        assert writer.stdin is not None and writer.stdout is not None
        writer.stdin.write(f"{where} {area}\n")
        writer.stdin.flush()
        answer = writer.stdout.readline()
        assert answer.strip() == "ok", answer + (writer.stderr.read() if writer.stderr else "")

    written = []
    try:
        assert writer.stdout.readline().strip() == "ready"
        for n, command in enumerate(commands):
            # The app-like process opens a worker's store before each command, as the
            # app does every few seconds (mailbox look, search catch-up, lists).
            for where in ("worker", "main"):
                area = f"{where}-{n}"
                write(where, area)
                written.append(area)
            done = _trygg(db, *command)
            assert done.returncode == 0, (command, done.stderr)
            assert Path(f"{db}-wal").exists(), f"the open writer's log vanished after {command}"
            assert Path(f"{db}-shm").exists(), f"the open writer's index vanished after {command}"
        for where in ("worker", "main"):
            write(where, f"{where}-last")
            written.append(f"{where}-last")
        writer.stdin.write("quit\n")
        writer.stdin.flush()
        assert writer.stdout.readline().strip() == "closed"
    finally:
        writer.stdin.close()
        writer.wait(timeout=60)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    missing = set(written) - _areas(db)
    assert not missing, f"writes lost: {sorted(missing)}"
    assert "Från fil" in _areas(db)
