"""Drafts: what a form holds while it is being typed, kept on this laptop so that a crash
loses nothing (see ``db/migrations/m0005_drafts.py``).

A draft is a flat mapping of the form's field names to the text typed. It is written with
the database's usual durability (``synchronous = FULL``), so a draft on screen at the moment
of a power cut is there at the next start.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from db import database


@dataclass(frozen=True)
class Draft:
    form: str
    saved_at: str  # local time, ISO, seconds
    data: dict[str, Any]


def record_key(rtype: str, record_id: str) -> str:
    """The form name of a draft that edits the record ``record_id`` of type ``rtype``."""
    return f"{rtype}:{record_id}"


#: How long keeping a draft waits for another program's write lock before it leaves the
#: draft for the next moment (the form still holds what was typed).
DRAFT_WAIT_MS = 200


def save(conn: sqlite3.Connection, form: str, data: dict[str, Any], now: datetime) -> bool:
    """Keep ``data`` as the draft of ``form`` (replacing an earlier one).

    Returns False, having written nothing, when another program (a long import, say) holds
    the write lock: the form must not freeze for it, and it still holds what was typed, so
    the caller keeps the draft again a moment later."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    sql = (
        "INSERT INTO drafts (form, saved_at, data) VALUES (?, ?, ?)"
        " ON CONFLICT (form) DO UPDATE SET saved_at = excluded.saved_at, data = excluded.data"
    )
    params = (form, now.replace(microsecond=0).isoformat(), text)
    if conn.in_transaction:  # part of a store transaction, which holds the lock already
        conn.execute(sql, params)
        return True
    # One statement in autocommit mode: atomic on its own, and never the end of a store
    # transaction. It waits only briefly for the lock.
    conn.execute(f"PRAGMA busy_timeout = {DRAFT_WAIT_MS}")
    try:
        conn.execute(sql, params)
    except sqlite3.OperationalError as exc:
        if not database.is_busy(exc):
            raise
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout = {database.BUSY_TIMEOUT_MS}")
    return True


def load(conn: sqlite3.Connection, form: str) -> Draft | None:
    """The draft of ``form``, or None."""
    row = conn.execute("SELECT saved_at, data FROM drafts WHERE form = ?", (form,)).fetchone()
    if row is None:
        return None
    try:
        data = json.loads(row[1])
    except json.JSONDecodeError:
        return None
    return Draft(form, row[0], data if isinstance(data, dict) else {})


def discard(conn: sqlite3.Connection, form: str) -> None:
    """Forget the draft of ``form`` (saved, or deliberately left)."""
    _write(conn, "DELETE FROM drafts WHERE form = ?", (form,))


def discard_older_than(conn: sqlite3.Connection, cutoff: datetime) -> int:
    """Remove drafts last written before ``cutoff`` (gallring); returns how many."""
    return _write(
        conn,
        "DELETE FROM drafts WHERE saved_at < ?",
        (cutoff.replace(microsecond=0).isoformat(),),
    )


def _write(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> int:
    """Run one writing statement, waiting for another program's lock like every write;
    inside an open transaction it joins it. Returns the number of rows changed."""
    if conn.in_transaction:
        return conn.execute(sql, params).rowcount
    database.begin_write(conn)
    try:
        count = conn.execute(sql, params).rowcount
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    return count


def discard_for_records(conn: sqlite3.Connection, rtype: str, record_ids: Iterable[str]) -> int:
    """Remove the drafts editing these records (their personal data was erased); returns
    how many."""
    keys = [(record_key(rtype, record_id),) for record_id in record_ids]
    before = conn.total_changes
    conn.executemany("DELETE FROM drafts WHERE form = ?", keys)
    return conn.total_changes - before
