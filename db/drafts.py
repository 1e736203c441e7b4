"""Drafts: what a form holds while it is being typed, kept on this laptop so that a crash
loses nothing (see ``db/migrations/m0005_drafts.py``).

A draft is a flat mapping of the form's field names to the text typed. It is written with
the database's usual durability (``synchronous = FULL``), so a draft on screen at the moment
of a power cut is there at the next start.

Each form has a *base* key saying what it is for ("finding:new:<walk id>", "walk:<id>",
"snabbrapport:new"), so that two walks' finding drafts never meet. One form may hold
several drafts: a draft left for later (Esc on the offer) is kept while the form is typed
afresh, under the base key and a suffix of its own (``base#suffix``). Drafts are never
journaled nor exported; saving the form removes its draft; gallring removes old ones, and
an erasure (local or received) removes the drafts editing the erased records.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from db import database

if TYPE_CHECKING:
    from db.store import Store

#: Separates a form's base key from the suffix of one of its drafts.
SUFFIX = "#"
#: How long keeping a draft waits for another program's write lock before it leaves the
#: draft for the next moment (the form still holds what was typed).
DRAFT_WAIT_MS = 200


@dataclass(frozen=True)
class Draft:
    form: str
    saved_at: str  # local time, ISO, seconds
    data: dict[str, Any]

    @property
    def base(self) -> str:
        """The form this draft belongs to (its key without the suffix)."""
        return self.form.split(SUFFIX, 1)[0]


def record_key(rtype: str, record_id: str) -> str:
    """The base key of the drafts that edit the record ``record_id`` of type ``rtype``."""
    return f"{rtype}:{record_id}"


def new_key(base: str) -> str:
    """A key for a fresh draft of the form ``base``."""
    return f"{base}{SUFFIX}{secrets.token_hex(4)}"


def save(store: Store, form: str, data: dict[str, Any], now: datetime | None = None) -> bool:
    """Keep ``data`` as the draft ``form`` (replacing an earlier one of that key).

    Returns False, having written nothing, when another program (a long import, say) holds
    the write lock: the form must not freeze for it, and it still holds what was typed, so
    the caller keeps the draft again a moment later."""
    conn = store.conn
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    when = (now or store.now()).replace(microsecond=0).isoformat()
    sql = (
        "INSERT INTO drafts (form, saved_at, data) VALUES (?, ?, ?)"
        " ON CONFLICT (form) DO UPDATE SET saved_at = excluded.saved_at, data = excluded.data"
    )
    params = (form, when, text)
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


def _draft(form: str, saved_at: str, text: str) -> Draft:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = {}
    return Draft(form, saved_at, data if isinstance(data, dict) else {})


def load(store: Store, form: str) -> Draft | None:
    """The draft with key ``form``, or None."""
    row = store.conn.execute("SELECT saved_at, data FROM drafts WHERE form = ?", (form,)).fetchone()
    return None if row is None else _draft(form, row[0], row[1])


def of_form(store: Store, base: str) -> list[Draft]:
    """Every draft of the form ``base``, newest first."""
    rows = store.conn.execute(
        "SELECT form, saved_at, data FROM drafts WHERE form = ? OR substr(form, 1, ?) = ?"
        " ORDER BY saved_at DESC, form",
        (base, len(base) + 1, base + SUFFIX),
    ).fetchall()
    return [_draft(*row) for row in rows]


def latest(store: Store, base: str) -> Draft | None:
    """The newest draft of the form ``base``, or None."""
    found = of_form(store, base)
    return found[0] if found else None


def every(store: Store) -> list[Draft]:
    """Every draft on this laptop, newest first."""
    rows = store.conn.execute(
        "SELECT form, saved_at, data FROM drafts ORDER BY saved_at DESC, form"
    ).fetchall()
    return [_draft(*row) for row in rows]


def discard(store: Store, form: str) -> None:
    """Forget the draft ``form`` (saved, or deliberately thrown away)."""
    _write(store.conn, "DELETE FROM drafts WHERE form = ?", (form,))


def discard_older_than(conn: sqlite3.Connection, cutoff: datetime) -> int:
    """Remove drafts last written before ``cutoff`` (gallring) from the database of
    ``conn`` (the live one, or a backup copy being scrubbed); returns how many."""
    return _write(
        conn,
        "DELETE FROM drafts WHERE saved_at < ?",
        (cutoff.replace(microsecond=0).isoformat(),),
    )


def discard_for_records(conn: sqlite3.Connection, rtype: str, record_ids: Iterable[str]) -> int:
    """Remove the drafts editing these records (their personal data was erased), from the
    database of ``conn``; returns how many."""
    removed = 0
    for record_id in record_ids:
        base = record_key(rtype, record_id)
        removed += _write(
            conn,
            "DELETE FROM drafts WHERE form = ? OR substr(form, 1, ?) = ?",
            (base, len(base) + 1, base + SUFFIX),
        )
    return removed


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
