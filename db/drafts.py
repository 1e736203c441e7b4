"""Drafts: what a form holds while it is being typed, kept on this laptop so that a crash
loses nothing (see ``db/migrations/m0005_drafts.py``).

A draft is a flat mapping of the form's field names to the text typed. It is written with
the database's usual durability (``synchronous = FULL``), so a draft on screen at the moment
of a power cut is there at the next start.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Draft:
    form: str
    saved_at: str  # local time, ISO, seconds
    data: dict[str, Any]


def record_key(rtype: str, record_id: str) -> str:
    """The form name of a draft that edits the record ``record_id`` of type ``rtype``."""
    return f"{rtype}:{record_id}"


def save(conn: sqlite3.Connection, form: str, data: dict[str, Any], now: datetime) -> None:
    """Keep ``data`` as the draft of ``form`` (replacing an earlier one)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # One statement in autocommit mode: atomic on its own, and never part of (or the
    # end of) a store transaction.
    conn.execute(
        "INSERT INTO drafts (form, saved_at, data) VALUES (?, ?, ?)"
        " ON CONFLICT (form) DO UPDATE SET saved_at = excluded.saved_at, data = excluded.data",
        (form, now.replace(microsecond=0).isoformat(), text),
    )


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
    conn.execute("DELETE FROM drafts WHERE form = ?", (form,))


def discard_older_than(conn: sqlite3.Connection, cutoff: datetime) -> int:
    """Remove drafts last written before ``cutoff`` (gallring); returns how many."""
    cur = conn.execute(
        "DELETE FROM drafts WHERE saved_at < ?", (cutoff.replace(microsecond=0).isoformat(),)
    )
    return cur.rowcount


def discard_for_records(conn: sqlite3.Connection, rtype: str, record_ids: Iterable[str]) -> int:
    """Remove the drafts editing these records (their personal data was erased); returns
    how many."""
    keys = [(record_key(rtype, record_id),) for record_id in record_ids]
    before = conn.total_changes
    conn.executemany("DELETE FROM drafts WHERE form = ?", keys)
    return conn.total_changes - before
