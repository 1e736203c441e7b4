"""Putting a backup copy in place — with a new device identity.

A restored copy holds less than the device it came from had (everything since the copy
was taken is missing). If it kept speaking with the old device's voice, colleagues would
believe it holds what they confirmed earlier and never send it again. So the restored
database becomes a new device: a new id and new keys; the old id becomes a colleague
whose changes are known up to the copy's moment, and everyone sends the new device a full
file the first time.

The copy is written into the live database with SQLite's backup API (not by replacing the
file), so a window of Trygg that has the database open sees either all of the old
content or all of the restored content, never a mix.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from db import database, peers, whereabouts
from db.backup import automatic_backup
from db.errors import TryggError
from db.store import Store


@dataclass(frozen=True)
class RestoreSummary:
    source: Path
    safety_copy: Path | None
    old_device: str
    new_device: str
    records: int


def check_backup(source: Path) -> None:
    """Refuse anything that is not a whole Trygg database with a device."""
    if not source.is_file():
        raise TryggError("restore.missing", path=str(source))
    try:
        database.check_existing(source)
    except TryggError as error:
        if error.key == "db.not_trygg":  # its advice (choose another --db) does not fit here
            raise TryggError("restore.not_trygg", path=str(source)) from None
        raise
    try:
        conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise TryggError("db.damaged", path=str(source))
            row = conn.execute("SELECT 1 FROM devices WHERE is_self = 1").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise TryggError("db.damaged", path=str(source)) from None
    if row is None:
        raise TryggError("restore.no_device", path=str(source))


def restore(
    db_path: Path, source: Path, *, confirm: Callable[[], bool] | None = None
) -> RestoreSummary:
    """Replace the database at ``db_path`` by the copy ``source`` (after a safety copy of
    the current content), then give it a new device identity. ``confirm`` is asked once
    the copy has been checked, so nobody is asked about a file that would be refused."""
    check_backup(source)
    if source.resolve() == db_path.resolve():
        raise TryggError("restore.same_file", path=str(source))
    if confirm is not None and not confirm():
        raise TryggError("restore.cancelled")
    with Store(db_path) as live:
        safety = automatic_backup(live.conn, db_path, "before-restore") if live.device else None
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            src.backup(live.conn)
        except sqlite3.OperationalError as exc:
            raise database.operational_error(db_path, exc) from None
        finally:
            src.close()
        database.migrate(live.conn)
        with live.transaction():
            old, new = take_new_identity(live)
            whereabouts.record(live.conn, whereabouts.here(db_path))
        records = sum(
            live.conn.execute(f"SELECT count(*) FROM {table} WHERE deleted = 0").fetchone()[0]
            for table in ("walk", "finding", "snabbrapport", "plan", "measure")
        )
    return RestoreSummary(source, safety, old, new, records)


def take_new_identity(store: Store) -> tuple[str, str]:
    """Make this database a new device (a restored backup, a copy): new id and keys, the
    old identity a colleague, nothing of the new one sent anywhere yet. Runs inside the
    caller's transaction; returns (old id, new id)."""
    old_id, new_id = peers.become_new_device(store.conn)
    # Nothing of the new device has been sent anywhere yet.
    store.conn.execute(
        "DELETE FROM settings WHERE key LIKE 'sent_upto.%' OR key LIKE 'mailbox.%'"
        " OR key = 'last_export_at'"
    )
    return old_id, new_id
