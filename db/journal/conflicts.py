"""The conflict list: versions of a field that lost to a concurrent write.

A pure function of the journal, so devices holding the same entries list the same
conflicts whatever order files arrived in:

- The versions of one field form a tree through ``prev`` (the version a write replaced).
  The winner is the current version (db/journal/versions.py: the newest version no write
  replaced). Every other version that no write replaced (a leaf) and that no
  acknowledgement names lost to a write that had not seen it: a conflict.
- For a deleted record, a version the deleter had not seen (its stamp lies above the
  deleter's vector for its device), that no write replaced and no acknowledgement names,
  is an edit concurrent with the delete: a conflict against the tombstone.
- Resolving writes ``_ack.<field>`` naming the losing version; it syncs like any entry.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass

from db.journal import versions as versions_rule
from db.journal.markers import ACK_PREFIX, DELETED, ERASED


def conflict_id(record_id: str, field: str, loser_ts: int, loser_device: str) -> str:
    """A stable id, the same on every device."""
    text = f"{record_id}|{field}|{loser_ts}|{loser_device}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class _Version:
    ts: int
    device: str
    prev: tuple[int, str] | None
    value: str | None

    @property
    def stamp(self) -> tuple[int, str]:
        return (self.ts, self.device)


#: The journal columns :func:`compute` reads, in this order.
JOURNAL_COLUMNS = "field, ts, device, prev_ts, prev_device, value"

Found = list[tuple[str, tuple[int, str], tuple[int, str]]]


def recompute(conn: sqlite3.Connection, tbl: str, record_id: str) -> None:
    """Rebuild the conflict rows of one record from its journal entries."""
    rows = conn.execute(
        f"SELECT {JOURNAL_COLUMNS} FROM journal WHERE record_id = ?", (record_id,)
    ).fetchall()
    store_conflicts(conn, tbl, record_id, compute(rows), had_conflicts=True)


def store_conflicts(
    conn: sqlite3.Connection, tbl: str, record_id: str, found: Found, *, had_conflicts: bool
) -> None:
    """Replace the record's conflict rows by ``found`` (from :func:`compute`)."""
    if had_conflicts:
        conn.execute("DELETE FROM conflicts WHERE record_id = ?", (record_id,))
    if found:
        conn.executemany(
            "INSERT INTO conflicts (id, tbl, record_id, field, winner_ts, winner_device,"
            " loser_ts, loser_device) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (conflict_id(record_id, field, *loser), tbl, record_id, field, *winner, *loser)
                for field, winner, loser in found
            ],
        )


def compute(rows: list[tuple]) -> Found:
    """The conflicts among one record's journal rows (``JOURNAL_COLUMNS``), as
    (field, winning stamp, losing stamp)."""
    fields = [row[0] for row in rows]
    if len(set(fields)) == len(fields) and DELETED not in fields:
        return []  # one version per field and no tombstone: nothing can conflict
    versions: dict[str, list[_Version]] = {}
    acked: set[tuple[str, int, str]] = set()
    for field, ts, device, prev_ts, prev_device, value in rows:
        if field.startswith(ACK_PREFIX):
            named = json.loads(value)
            acked.add((field[len(ACK_PREFIX) :], named["ts"], named["device"]))
            continue
        prev = (prev_ts, prev_device) if prev_ts is not None else None
        versions.setdefault(field, []).append(_Version(ts, device, prev, value))

    found: Found = []
    deletes = versions.pop(DELETED, [])
    versions.pop(ERASED, None)
    if deletes:
        newest_delete = max(v.stamp for v in deletes)
        seen = [json.loads(v.value or "{}").get("seen", {}) for v in deletes]
        for field, field_versions in versions.items():
            for leaf in _leaves(field_versions):
                if (field, *leaf.stamp) in acked:
                    continue
                if all(leaf.ts > vector.get(leaf.device, 0) for vector in seen):
                    found.append((field, newest_delete, leaf.stamp))
    else:
        for field, field_versions in versions.items():
            winner = versions_rule.current((v.stamp, v.prev) for v in field_versions)
            for leaf in _leaves(field_versions):
                if leaf.stamp != winner and (field, *leaf.stamp) not in acked:
                    found.append((field, winner, leaf.stamp))
    return found


def _leaves(versions: list[_Version]) -> list[_Version]:
    replaced = {v.prev for v in versions if v.prev is not None and v.prev != v.stamp}
    return [v for v in versions if v.stamp not in replaced]


def has_conflicts(conn: sqlite3.Connection, record_id: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM conflicts WHERE record_id = ? LIMIT 1", (record_id,)).fetchone()
        is not None
    )
