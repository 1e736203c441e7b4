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


# -- writers wait, they never fail ---------------------------------------------------------

#: The ``trygg`` command with SQLite's own wait cut short, so that a lock held for a
#: second outlasts it, as a 14-second import outlasted the 10 seconds Trygg once waited.
TRYGG_IMPATIENT = (
    "import sys; import db.database as d; d.BUSY_TIMEOUT_MS = 100;"
    " from tui.cli import main; main(sys.argv[1:])"
)
WAITING_SV = "väntar tills det är klart"
ROUNDS = 10
RECORDS_PER_WRITER = 100


def _records_file(path: Path, prefix: str, count: int) -> Path:
    lines = [
        f'{{"type": "walk", "kommun": "Lycksele", "area": "{prefix} {n}", "date": "2026-11-02"}}'
        for n in range(count)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_three_large_writers_at_once_all_finish(tmp_path: Path) -> None:
    from db.sync.exporter import export_bundle
    from tests.conftest import walk_fields

    with open_store(tmp_path / "kollega.db", name="Kollega") as colleague:
        with colleague.transaction():
            for n in range(RECORDS_PER_WRITER):
                colleague.create("walk", walk_fields(area=f"Kollega {n}"))
        bundle = tmp_path / "kollega.trygg"
        export_bundle(colleague, bundle, full=True)
    pristine = tmp_path / "tom.db"
    open_store(pristine, name="Här").close()
    files = [_records_file(tmp_path / f"{p}.jsonl", p, RECORDS_PER_WRITER) for p in "AB"]
    commands: list[tuple[str, ...]] = [
        ("records", "import", str(files[0])),
        ("records", "import", str(files[1])),
    ]
    commands.append(("import", str(bundle)))

    for round_ in range(ROUNDS):
        db = tmp_path / f"runda{round_}.db"
        db.write_bytes(pristine.read_bytes())
        # Another program holds the write lock while the three start, so that each of
        # them meets it; then they meet each other.
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        writers = [
            subprocess.Popen(
                [sys.executable, "-c", TRYGG_IMPATIENT, "--db", str(db), *command],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=_env(),
            )
            for command in commands
        ]
        try:
            for writer in writers:
                assert writer.stderr is not None
                # Each says that it waits (or, on failure, ends without saying so).
                first = writer.stderr.readline()
                assert WAITING_SV in first, (round_, first + writer.stderr.read())
        finally:
            holder.execute("COMMIT")
            holder.close()
        for writer, command in zip(writers, commands, strict=True):
            out, err = writer.communicate(timeout=120)
            assert writer.returncode == 0, (round_, command, out, err)
            assert WAITING_SV not in err, "said more than once that it waits"
        walks = _areas(db)
        assert len(walks) == 3 * RECORDS_PER_WRITER, round_
        db.unlink()


# -- nothing replaces the database in use ------------------------------------------------


def test_no_output_replaces_the_database_in_use(tmp_path: Path) -> None:
    """A backup or an export given the database's own name (or its log's) by mistake is
    refused: renamed over the live file, it would cut off every write made afterwards."""
    db = tmp_path / "trygg.db"
    with open_store(db) as store:
        store.create("walk", {"kommun": "Lycksele", "area": "Kvar", "date": "2026-11-02"})
    for command in (
        ("backup", "--out", str(db)),
        ("records", "export", "--out", str(db)),
        ("export", "--full", "--out", f"{db}-wal"),
    ):
        done = _trygg(db, *command)
        assert done.returncode == 1, (command, done.stdout, done.stderr)
        assert "databasen som Trygg använder" in done.stderr, done.stderr
    assert _areas(db) == {"Kvar"}


def test_importing_the_database_in_use_is_refused_without_opening_it(tmp_path: Path) -> None:
    db = tmp_path / "trygg.db"
    open_store(db).close()
    done = _trygg(db, "import", str(db))
    assert done.returncode == 1
    assert "är den här datorns egen databas" in done.stderr
