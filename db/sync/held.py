"""Which of a file's journal entries this database already holds, exactly.

An entry is held when the journal has one with the same key (record, field, stamp: the
journal's unique index) AND the same content (type, value, the version it replaced,
scope, salt and link). A file full of what is already here (the same changes in another
file, a colleague's database read again) then costs reading, hashing and proving its
chains, not checking and merging every entry again. An entry that shares a held entry's
key but not its content (a forged or altered variant) is not held: it is checked like
any new entry, and refused as before.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

#: Given a chunk of a file's rows (entries of at least nine parts), the positions of
#: those the receiving database holds exactly.
Held = Callable[[Sequence[Sequence[Any]]], set[int]]


def held_in(conn: sqlite3.Connection) -> Held:
    """``held_positions`` for the journal of ``conn``, as the readers' ``check`` takes it."""
    return lambda chunk: held_positions(conn, chunk)


def held_positions(conn: sqlite3.Connection, chunk: Sequence[Sequence[Any]]) -> set[int]:
    """The positions in ``chunk`` (a bounded chunk, as the readers give them) of the rows
    whose key and content the journal of ``conn`` holds. A row is ts, device, tbl,
    record_id, field, value, prev_ts, prev_device, scope[, salt, link[, sealed]]; an
    erased entry's stub (sealed) is never held (it is not a journal entry). One query per
    part of the chunk reads the journal entries of its records through the journal's
    record index, unless the journal holds nothing of the chunk's origins and scopes in its
    stamps' range (a first import: then nothing of it can be held)."""
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples, to compare with the rows' parts
    if not _holds_any(cursor, chunk):
        return set()
    records = sorted({row[3] for row in chunk if isinstance(row[3], str)})
    stored: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for start in range(0, len(records), _PER_QUERY):
        part = records[start : start + _PER_QUERY]
        for ts, device, tbl, record_id, name, *content in cursor.execute(
            "SELECT ts, device, tbl, record_id, field, value, prev_ts, prev_device, scope,"
            f" salt, link FROM journal WHERE record_id IN ({', '.join('?' * len(part))})",
            part,
        ):
            stored[(record_id, name, ts, device)] = (tbl, *content)
    held = set()
    for position, row in enumerate(chunk):
        if len(row) > 11 and row[11] is not None:
            continue
        salt, link = (row[9], row[10]) if len(row) > 10 else (None, None)
        found = stored.get((row[3], row[4], row[0], row[1]))
        if found is not None and found == (row[2], *row[5:9], salt, _bytes(link)):
            held.add(position)
    return held


def _holds_any(cursor: sqlite3.Cursor, chunk: Sequence[Sequence[Any]]) -> bool:
    """Whether the journal holds any entry of an origin and scope of ``chunk`` within the
    range of its stamps there (one look into the journal_origin_scope index each)."""
    spans: dict[tuple[Any, Any], list[Any]] = {}
    for row in chunk:
        if type(row[0]) is not int:
            continue  # not a stamp: never held (the check refuses it)
        span = spans.get((row[1], row[8]))
        if span is None:
            spans[(row[1], row[8])] = [row[0], row[0]]
        elif row[0] < span[0]:
            span[0] = row[0]
        elif row[0] > span[1]:
            span[1] = row[0]
    return any(
        cursor.execute(
            "SELECT 1 FROM journal WHERE device = ? AND scope = ? AND ts BETWEEN ? AND ? LIMIT 1",
            (device, scope, low, high),
        ).fetchone()
        for (device, scope), (low, high) in spans.items()
    )


def _bytes(link: Any) -> Any:
    """A link as the journal returns it (bytes), whatever buffer type a reader gave."""
    return bytes(link) if isinstance(link, (bytearray, memoryview)) else link


#: Record ids per query (well below SQLite's limit on parameters).
_PER_QUERY = 5000
