"""Undo: taking back the last change made on this device (ctrl+z in the app).

A change is one write transaction of the store that wrote records here: saving a form,
marking a finding as sent, a report saved with a new place. The store notes each one in
``undo_steps`` (the range of this device's stamps it wrote, see
``db/migrations/m0007_undo.py``). Undo is a write like any other: it restores the values
the step replaced through the store, so it is journaled, stamped above what it replaces and
synced like every other change. Repeated undo walks further back through this device's own
steps; an undo is never itself taken back by the next one.

What undo does with each kind of change:

- a changed field gets its previous value back — unless it has changed again since (a
  colleague's file, say): then it is left as it is and the answer says so;
- a record created by the step is deleted (a tombstone, like any deletion);
- a deletion is a tombstone that never expires, by design: undoing one makes a new copy
  of the record (and of the dependants deleted with it), as resolving a conflict with a
  deletion does;
- an erasure (gallring) cannot be undone — the data is gone. Undo says so, and the next
  undo goes on further back.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from db.errors import TryggError
from db.i18n import msg
from db.journal.markers import ACK_PREFIX, DELETED, ERASED
from db.labels import record_label
from db.records import field_label, record_type

if TYPE_CHECKING:
    from db.store import Store

#: ``undone_by`` of a step that cannot be undone (an erasure): passed over.
PASSED = -1


@dataclass(frozen=True)
class Mark:
    """Where this device's clock stood when a write transaction began."""

    device: str
    ts: int


def begin(conn: sqlite3.Connection) -> Mark | None:
    """Note the clock at the start of a write transaction (None before set-up)."""
    row = conn.execute("SELECT id FROM devices WHERE is_self = 1").fetchone()
    if row is None:
        return None
    clock = conn.execute("SELECT ms, counter FROM clock WHERE id = 1").fetchone()
    ts = (clock[0] << 16 | clock[1]) if clock else 0
    return Mark(row[0], ts)


def end(conn: sqlite3.Connection, mark: Mark | None, undoes: int | None = None) -> None:
    """At the end of a write transaction: if it wrote records on this device, note it as
    one step (``undoes``: the step it took back, for an undo)."""
    if mark is None:
        return
    clock = conn.execute("SELECT ms, counter FROM clock WHERE id = 1").fetchone()
    last = (clock[0] << 16 | clock[1]) if clock else 0
    if last <= mark.ts:
        return
    wrote = conn.execute(
        "SELECT 1 FROM journal WHERE device = ? AND ts > ? AND ts <= ? LIMIT 1",
        (mark.device, mark.ts, last),
    ).fetchone()
    if wrote is None:
        return
    cur = conn.execute(
        "INSERT INTO undo_steps (device, after_ts, last_ts, undoes) VALUES (?, ?, ?, ?)",
        (mark.device, mark.ts, last, undoes),
    )
    if undoes is not None:
        conn.execute("UPDATE undo_steps SET undone_by = ? WHERE id = ?", (cur.lastrowid, undoes))


@dataclass
class Undone:
    """What one undo did, to be said to the user."""

    message: str
    #: False when nothing was changed (nothing left, or an erasure passed over).
    changed: bool = True
    records: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Entry:
    ts: int
    rtype: str
    record_id: str
    field: str
    value: Any
    prev_ts: int | None
    prev_device: str | None


def _decode(text: str | None) -> Any:
    import json

    return None if text is None else json.loads(text)


def _last_step(store: Store, device: str) -> sqlite3.Row | None:
    return store.conn.execute(
        "SELECT id, after_ts, last_ts FROM undo_steps"
        " WHERE device = ? AND undoes IS NULL AND undone_by IS NULL ORDER BY id DESC LIMIT 1",
        (device,),
    ).fetchone()


def _entries(store: Store, device: str, after: int, last: int) -> list[_Entry]:
    rows = store.conn.execute(
        "SELECT ts, tbl, record_id, field, value, prev_ts, prev_device FROM journal"
        " WHERE device = ? AND ts > ? AND ts <= ? ORDER BY ts, seq",
        (device, after, last),
    ).fetchall()
    return [_Entry(r[0], r[1], r[2], r[3], _decode(r[4]), r[5], r[6]) for r in rows]


def _previous(store: Store, entry: _Entry) -> tuple[bool, Any]:
    """(known, value) of the version ``entry`` replaced: None when there was none; not
    known when its history is gone (erased)."""
    if entry.prev_ts is None:
        return True, None
    row = store.conn.execute(
        "SELECT value FROM journal WHERE record_id = ? AND field = ? AND ts = ? AND device = ?",
        (entry.record_id, entry.field, entry.prev_ts, entry.prev_device),
    ).fetchone()
    return (False, None) if row is None else (True, _decode(row[0]))


def _created_here(store: Store, entry: _Entry, after: int, device: str) -> bool:
    """True if the record was created by the step (no version of it before)."""
    row = store.conn.execute(
        "SELECT 1 FROM journal WHERE record_id = ? AND NOT (device = ? AND ts > ?) LIMIT 1",
        (entry.record_id, device, after),
    ).fetchone()
    return row is None


def undo_last(store: Store, lang: str | None = None) -> Undone:
    """Take back this device's last change not taken back yet; say what was done."""
    device = store.require_device().id
    with store.transaction():
        step = _last_step(store, device)
        if step is None:
            return Undone(msg("undo.nothing", lang), changed=False)
        step_id, after, last = step
        entries = _entries(store, device, after, last)
        by_record: dict[tuple[str, str], list[_Entry]] = {}
        for entry in entries:
            by_record.setdefault((entry.rtype, entry.record_id), []).append(entry)
        if any(e.field == ERASED for e in entries):
            store.conn.execute(
                "UPDATE undo_steps SET undone_by = ? WHERE id = ?", (PASSED, step_id)
            )
            (rtype, record_id), *_ = [
                k for k, v in by_record.items() if any(e.field == ERASED for e in v)
            ]
            label = record_label(store.conn, rtype, record_id, lang)
            return Undone(msg("undo.erased", lang, record=label), changed=False)
        said: list[str] = []
        left: list[str] = []
        restored: set[str] = set()
        # Deletions first, parents before the dependants deleted with them (which come
        # back with their parent); then other writes, later ones first, so that
        # dependants go before what they depend on.
        deleted = [k for k, v in by_record.items() if any(e.field == DELETED for e in v)]
        for rtype, record_id in deleted:
            if record_id not in restored:
                copy = _restore_copy(store, rtype, record_id, restored)
                label = record_label(store.conn, rtype, copy, lang)
                said.append(msg("undo.deleted", lang, record=label))
        for (rtype, record_id), changes in reversed(by_record.items()):
            if (rtype, record_id) in deleted:
                continue
            said_one, left_one = _undo_record(store, rtype, record_id, changes, after, device, lang)
            said.extend(said_one)
            left.extend(left_one)
        store.undo_marker = step_id
    message = msg("undo.done", lang, what="; ".join(said) or msg("undo.no_change", lang))
    if left:
        message += " " + msg("undo.left", lang, fields=", ".join(left))
    return Undone(message, records=list(by_record))


def _undo_record(
    store: Store,
    rtype: str,
    record_id: str,
    changes: list[_Entry],
    after: int,
    device: str,
    lang: str | None,
) -> tuple[list[str], list[str]]:
    rt = record_type(rtype)
    fields = [e for e in changes if not e.field.startswith(ACK_PREFIX)]
    if not fields:
        return [], []
    label = record_label(store.conn, rtype, record_id, lang)
    if _created_here(store, fields[0], after, device):
        if store.get(rtype, record_id) is not None:
            store.delete(rtype, record_id)
        return [msg("undo.created", lang, record=label)], []
    current = store.get(rtype, record_id, include_deleted=True) or {}
    restore: dict[str, Any] = {}
    left: list[str] = []
    latest: dict[str, _Entry] = {}
    first: dict[str, _Entry] = {}
    for entry in fields:
        latest[entry.field] = entry
        first.setdefault(entry.field, entry)
    for name, entry in latest.items():
        if not rt.has(name) or rt.field(name).derived:
            continue
        known, previous = _previous(store, first[name])
        if not known or current.get(name) != entry.value:
            left.append(field_label(rtype, name, lang))
            continue
        restore[name] = previous
    if restore and store.get(rtype, record_id) is not None:
        store.update(rtype, record_id, restore, check_refs=False)
    names = ", ".join(field_label(rtype, n, lang).lower() for n in restore)
    said = [msg("undo.changed", lang, fields=names, record=label)] if restore else []
    return said, left


def _restore_copy(store: Store, rtype: str, record_id: str, restored: set[str]) -> str:
    """A deleted record (and the dependants deleted with it) back, as a new copy;
    ``restored`` collects the ids brought back."""
    restored.add(record_id)
    from db.store import CASCADE

    rt = record_type(rtype)
    current = store.get(rtype, record_id, include_deleted=True)
    if current is None:
        raise TryggError("record.missing", id=record_id)
    copy = {k: v for k, v in current.items() if k != "id" and not rt.field(k).derived}
    if rt.number_field and current.get(rt.number_field) is not None:
        copy[rt.number_field] = current[rt.number_field]
    copy_id = store.create(rtype, {k: v for k, v in copy.items() if v is not None},
                           check_refs=False)  # fmt: skip
    deleted_at = store.conn.execute(
        "SELECT ts FROM journal WHERE record_id = ? AND field = ? ORDER BY ts DESC LIMIT 1",
        (record_id, DELETED),
    ).fetchone()
    for child, ref in CASCADE.get(rtype, ()):
        rows = store.conn.execute(
            f"SELECT c.id FROM {child} c JOIN journal j ON j.record_id = c.id"
            f" AND j.field = ? AND j.ts = ? WHERE c.{ref} = ? AND c.deleted = 1",
            (DELETED, deleted_at[0] if deleted_at else -1, record_id),
        ).fetchall()
        for (child_id,) in rows:
            grandchild = _restore_copy(store, child, child_id, restored)
            store.update(child, grandchild, {ref: copy_id}, check_refs=False)
    return copy_id
