"""Drafts: what a form holds while it is being typed, kept on this laptop so that a crash
loses nothing (see ``db/migrations/m0005_drafts.py``).

A draft is a flat mapping of the form's field names to the text typed. It is written with
the database's usual durability (``synchronous = FULL``), so a draft on screen at the moment
of a power cut is there at the next start.

Each form has a *base* key saying what it is for ("finding:new:<walk id>", "walk:<id>",
"snabbrapport:new"), so that two walks' finding drafts never meet. One form may hold
several drafts: a draft left for later (Esc on the offer) is kept while the form is typed
afresh, under the base key and a suffix of its own (``base#suffix``). Drafts are never
journaled nor exported; saving the form removes its draft; gallring removes old ones.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from db.store import Store

#: Separates a form's base key from the suffix of one of its drafts.
SUFFIX = "#"


@dataclass(frozen=True)
class Draft:
    form: str
    saved_at: str  # local time, ISO, seconds
    data: dict[str, Any]

    @property
    def base(self) -> str:
        """The form this draft belongs to (its key without the suffix)."""
        return self.form.split(SUFFIX, 1)[0]


def new_key(base: str) -> str:
    """A key for a fresh draft of the form ``base``."""
    return f"{base}{SUFFIX}{secrets.token_hex(4)}"


def save(store: Store, form: str, data: dict[str, Any], now: datetime | None = None) -> None:
    """Keep ``data`` as the draft ``form`` (replacing an earlier one of that key)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    when = (now or store.now()).replace(microsecond=0).isoformat()
    # One statement in autocommit mode: atomic on its own, and never part of (or the
    # end of) a store transaction.
    store.conn.execute(
        "INSERT INTO drafts (form, saved_at, data) VALUES (?, ?, ?)"
        " ON CONFLICT (form) DO UPDATE SET saved_at = excluded.saved_at, data = excluded.data",
        (form, when, text),
    )


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
    store.conn.execute("DELETE FROM drafts WHERE form = ?", (form,))


def discard_older_than(store: Store, cutoff: datetime) -> int:
    """Remove drafts last written before ``cutoff`` (gallring); returns how many."""
    cur = store.conn.execute(
        "DELETE FROM drafts WHERE saved_at < ?", (cutoff.replace(microsecond=0).isoformat(),)
    )
    return cur.rowcount
