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

from db.journal import vectors as vec
from db.journal.chains import Position
from db.sync.manifest import ChainHead, Manifest

#: Given a chunk of a file's rows (entries of at least nine parts), the positions of
#: those the receiving database holds exactly.
Held = Callable[[Sequence[Sequence[Any]]], set[int]]


def held_in(conn: sqlite3.Connection) -> Held:
    """``held_positions`` for the journal of ``conn``, as the readers' ``check`` takes it,
    for one file's check (the journal does not change meanwhile). A chunk all of whose
    origins the journal holds no entry of (a first import) holds nothing held: found by
    one look into the journal per origin and file, not by a look at every row."""
    absent: set[Any] = set()  # origins the journal holds nothing of
    present: set[Any] = set()

    def held(chunk: Sequence[Sequence[Any]]) -> set[int]:
        origins = {row[1] for row in chunk}
        for origin in origins - absent - present:
            if len(absent) + len(present) >= _ORIGINS_KEPT:
                absent.clear()  # (a forged file's thousands of origins: memory stays bounded)
                present.clear()
            found = conn.execute("SELECT 1 FROM journal WHERE device = ? LIMIT 1", (origin,))
            (present if found.fetchone() else absent).add(origin)
        if origins <= absent:
            return set()
        return held_positions(conn, chunk)

    return held


#: How many origins ``held_in`` remembers, at most.
_ORIGINS_KEPT = 1000


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


def held_whole(conn: sqlite3.Connection, schema: str, manifest: Manifest) -> list[ChainHead] | None:
    """Whether a file attached to ``conn`` as ``schema`` carries nothing but entries the
    journal holds exactly, proved in their chains by what the journal holds: then the
    chains (of ``manifest``'s, their heads' signatures already checked) that its
    entries prove, else None (the file is then checked entry by entry, and refused or
    merged as ever). A few set-wise queries, no entry read into Python.

    It holds when its ``manifest.entry_count`` entries are all linked (no stub, nothing from
    before chains); every one is held exactly (key and content, link included); each
    origin and scope is one run in chain order (so none twice), within its head and the
    anchor before it (from the origin's start on); and the journal holds that part of the
    chain whole: the entry at the head with the head's link, the anchor's place with the
    anchor's link, and exactly as many linked entries in between as the run. The links
    held were proved when they came (or written here), so the head's link commits to
    every one of them: the file is exactly what its signed heads say, entry for entry,
    and brings nothing."""
    entries = f"{schema}.entries"
    # First, as it ends at the first entry not held: a file with anything new in it (a
    # first import above all) is answered without reading it whole.
    if conn.execute(
        f"SELECT 1 FROM {entries} AS e WHERE NOT EXISTS (SELECT 1 FROM main.journal AS j"
        " WHERE j.record_id = e.record_id AND j.field = e.field AND j.ts = e.ts"
        " AND j.device = e.device AND j.tbl IS e.tbl AND j.value IS e.value"
        " AND j.prev_ts IS e.prev_ts AND j.prev_device IS e.prev_device"
        " AND j.scope IS e.scope AND j.salt IS e.salt AND j.link IS e.link) LIMIT 1"
    ).fetchone():
        return None
    count, odd, first, last = conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE link IS NULL OR sealed IS NOT NULL),"
        f" min(seq), max(seq) FROM {entries}"
    ).fetchone()
    if odd or count != manifest.entry_count or (count and last - first + 1 != count):
        return None
    # In file order (seq, without gaps: checked above), each entry after the one before
    # in chain order (stamp, record, field) where both are of one origin and scope. No
    # entry twice, then: the same key is the same origin and, held, the same scope. And
    # where each run begins (each origin and scope must begin one run only). Both found
    # in one pass over the file: an entry of the run before it is out of order.
    starts = []
    for seq, device, scope, ts, record_id, name, out_of_order in conn.execute(
        f"SELECT b.seq, b.device, b.scope, b.ts, b.record_id, b.field, a.seq IS NOT NULL"
        f" AND a.device IS b.device AND a.scope IS b.scope FROM {entries} AS b"
        f" LEFT JOIN {entries} AS a ON a.seq = b.seq - 1 WHERE a.seq IS NULL"
        " OR a.device IS NOT b.device OR a.scope IS NOT b.scope"
        " OR NOT (b.ts, b.record_id, b.field) > (a.ts, a.record_id, a.field) ORDER BY b.seq"
    ):
        if out_of_order:
            return None
        starts.append((seq, device, scope, (ts, record_id, name)))
    if len({(device, scope) for _seq, device, scope, _first in starts}) != len(starts):
        return None
    heads = {(chain.head.device, chain.head.scope): chain for chain in manifest.chains}
    proved = []
    # Where each run ends: before the next begins (seq has no gaps), the last at the end.
    ends = [seq - 1 for seq, *_rest in starts[1:]] + ([last] if starts else [])
    for (seq, device, scope, first_at), end in zip(starts, ends, strict=True):
        chain = heads.get((device, scope))
        if chain is None or first_at[0] < chain.head.start:
            return None
        # A run is in chain order: it lies within its chain's part (after the anchor, up
        # to the head) when its first and its last entry do.
        low = chain.anchor[0] if chain.anchor else (0, "", "")
        high = chain.head.position
        last_at = conn.execute(
            f"SELECT ts, record_id, field FROM {entries} WHERE seq = ?", (end,)
        ).fetchone()
        if not low < first_at or not tuple(last_at) <= high:
            return None
        if _linked_in_span(conn, device, scope, low, high, end - seq + 1) != end - seq + 1:
            return None
        if _link_at(conn, device, scope, high) != chain.head.link:
            return None
        if chain.anchor and _link_at(conn, device, scope, low) != chain.anchor[1]:
            return None
        proved.append(chain)
    # Each run ends at its head (all of the journal's part of the chain is in it): the
    # sender's vectors must account for it, as for any file.
    tops = [(c.head.device, c.head.scope, c.head.ts) for c in proved]
    return proved if vec.unaccounted(tops, manifest.sender_vectors) is None else None


def _linked_in_span(
    conn: sqlite3.Connection, device: str, scope: str, low: Position, high: Position, run: int
) -> int:
    """How many linked entries the journal holds of ``device``'s chain in ``scope`` after
    ``low`` and up to ``high`` (chain order), where a run of ``run`` entries, all held and
    linked, lies there. Counted first in the journal_origin_scope index alone, every entry
    there (by its stamp, and at the two end stamps by record and field too): when that
    is ``run``, every one of them is the run's and linked; only when there are more are
    the links looked at, entry by entry."""
    span = (device, scope, *low, *high)
    within = "device = ? AND scope = ? AND (ts, record_id, field) > (?, ?, ?)"
    within += " AND (ts, record_id, field) <= (?, ?, ?)"
    inside = conn.execute(
        "SELECT count(*) FROM main.journal WHERE device = ? AND scope = ? AND ts > ? AND ts < ?",
        (device, scope, low[0], high[0]),
    ).fetchone()[0]
    at = "SELECT count(*) FROM main.journal WHERE device = ? AND scope = ? AND ts = ?"
    ends: list[tuple[str, tuple[Any, ...]]]
    if low[0] == high[0]:
        ends = [(f"{at} AND (record_id, field) > (?, ?) AND (record_id, field) <= (?, ?)",
                 (device, scope, low[0], *low[1:], *high[1:]))]  # fmt: skip
    else:
        ends = [
            (f"{at} AND (record_id, field) > (?, ?)", (device, scope, *low)),
            (f"{at} AND (record_id, field) <= (?, ?)", (device, scope, *high)),
        ]
    inside += sum(conn.execute(sql, arguments).fetchone()[0] for sql, arguments in ends)
    if inside == run:
        return run
    return conn.execute(
        f"SELECT count(*) FROM main.journal WHERE link IS NOT NULL AND {within}", span
    ).fetchone()[0]


def _link_at(conn: sqlite3.Connection, device: str, scope: str, pos: Position) -> bytes | None:
    """The link of the journal's entry at ``pos`` of a chain (an erased stub's is not one:
    what it replaces is not held), or None."""
    row = conn.execute(
        "SELECT link FROM main.journal WHERE record_id = ? AND field = ? AND ts = ?"
        " AND device = ? AND scope = ?",
        (pos[1], pos[2], pos[0], device, scope),
    ).fetchone()
    return None if row is None or row[0] is None else bytes(row[0])
