"""Each device's entries as hash chains, so that every entry can be proved its author's.

Per origin device and scope, the entries that origin wrote form one chain, in the order
(stamp, record id, field). Each entry's ``link`` is SHA-256 over the previous entry's link
and the entry's own canonical bytes (origin, scope, stamp, type, record, field, the
version it replaced, and its value — or, for a personal field, a commitment to the value
with a random salt). The origin signs a chain's *head* (its last position and link) with
its device key in every file it writes; relays pass those signed heads on. A receiver
recomputes the links and accepts an entry only when it leads to a head its origin signed
(docs/authenticity.md).

Erasure removes a personal entry's value and salt but keeps its place in the chain as a
*stub* (position and commitment): what remains still verifies and reveals nothing.

Entries written before a device began chaining (its ``start`` stamp) have no link; they
are shown as unverified (older file). Own entries are sealed (linked) when the
transaction that wrote them commits.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from hashlib import sha256 as _sha256

from db.records import CORE, PERSONAL

#: The link before a chain's first entry.
GENESIS = bytes(32)
#: Prefix of a signed head, so its signature can never be taken for another purpose.
HEAD_CONTEXT = "trygg-chain-head-v1"
#: A place in a chain: (stamp, record id, field).
Position = tuple[int, str, str]
#: Signs bytes with this device's key (db/protect/keys.py), giving the hex signature.
Sign = Callable[[bytes], str]
#: Whether (public key, signature, bytes) holds.
Verify = Callable[[str, str, bytes], bool]


def new_salt() -> str:
    """A fresh random salt for one personal value (hex, 128 bits)."""
    return secrets.token_hex(16)


def commitment(salt: str, value: str | None) -> str:
    """The salted commitment to a personal value: it reveals nothing once the salt is
    gone, however few values are possible (a personnummer is guessed in seconds)."""
    body = b"\x00" if value is None else b"\x01" + value.encode()
    return hashlib.sha256(bytes.fromhex(salt) + body).hexdigest()


def leaf(
    device: str,
    scope: str,
    ts: int,
    tbl: str,
    record_id: str,
    field: str,
    value: str | None,
    prev_ts: int | None,
    prev_device: str | None,
    salt: str | None,
    sealed: str | None = None,
) -> bytes:
    """The canonical bytes of one entry. The parts are joined with NUL, which none of
    them contains (values are JSON text, which escapes control characters). A personal
    entry contributes its commitment (``sealed`` once erased) instead of its value."""
    if sealed is not None:
        part = "c" + sealed
    elif salt is not None:
        part = "c" + commitment(salt, value)
    else:
        part = "n" if value is None else "v" + value
    prev = "" if prev_ts is None else prev_ts
    return (
        f"{device}\0{scope}\0{ts}\0{tbl}\0{record_id}\0{field}\0{prev}\0{prev_device or ''}\0{part}"
    ).encode()


def next_link(link: bytes, entry_leaf: bytes) -> bytes:
    """The link after an entry whose canonical bytes are ``entry_leaf``."""
    return _sha256(link + entry_leaf).digest()


@dataclass(frozen=True)
class Head:
    """A chain's head as its origin signed it: the last position and its link, the
    stamp the origin began chaining at, the key that signs, and the signature."""

    device: str
    scope: str
    ts: int
    record_id: str
    field: str
    link: bytes
    start: int
    key: str
    signature: str = ""

    @property
    def position(self) -> Position:
        return (self.ts, self.record_id, self.field)

    def message(self) -> bytes:
        """The bytes the origin signs."""
        parts = (HEAD_CONTEXT, self.device, self.scope, str(self.ts), self.record_id)
        return "\x00".join((*parts, self.field, self.link.hex(), str(self.start))).encode()


# -- what this database keeps ------------------------------------------------------------


def start_of(conn: sqlite3.Connection, device: str) -> int | None:
    """The stamp ``device`` began chaining at, as known here (None: not known)."""
    row = conn.execute("SELECT start FROM chain_starts WHERE device = ?", (device,)).fetchone()
    return row[0] if row else None


def known_key(conn: sqlite3.Connection, device: str) -> str | None:
    """The key ``device``'s heads are checked with: the key pinned from its own file, or
    else the key its heads carried when they were first heard of through a relay."""
    row = conn.execute("SELECT public_key FROM devices WHERE id = ?", (device,)).fetchone()
    if row and row[0]:
        return str(row[0])
    row = conn.execute("SELECT key FROM chain_starts WHERE device = ?", (device,)).fetchone()
    return str(row[0]) if row else None


def start_and_key(conn: sqlite3.Connection, device: str) -> tuple[int, str] | None:
    """The start kept for ``device`` and the key it came under, or None."""
    row = conn.execute("SELECT start, key FROM chain_starts WHERE device = ?", (device,)).fetchone()
    return (row[0], row[1]) if row else None


def remember_start(conn: sqlite3.Connection, device: str, start: int, key: str) -> None:
    """Keep the start and key a verified head of ``device`` gave. A head verified with
    another key than the one kept (the origin's own, pinned since) replaces it."""
    conn.execute(
        "INSERT INTO chain_starts (device, start, key) VALUES (?, ?, ?)"
        " ON CONFLICT(device) DO UPDATE SET start = excluded.start, key = excluded.key"
        " WHERE chain_starts.key != excluded.key",
        (device, start, key),
    )


def remember_head(conn: sqlite3.Connection, head: Head) -> None:
    """Keep a signed head (received, or made here), so it can be passed on."""
    conn.execute(
        "INSERT OR IGNORE INTO chain_heads (device, scope, ts, record_id, field, link, start,"
        " key, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            head.device,
            head.scope,
            head.ts,
            head.record_id,
            head.field,
            head.link,
            head.start,
            head.key,
            head.signature,
        ),
    )


def remember_anchor(
    conn: sqlite3.Connection, device: str, scope: str, pos: Position, link: bytes
) -> None:
    """Keep the link before a received part of a chain, where the entry it follows is
    not held here (so every link held can be recomputed)."""
    if link_at(conn, device, scope, pos) is None:
        conn.execute(
            "INSERT OR IGNORE INTO chain_anchors (device, scope, ts, record_id, field, link)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (device, scope, *pos, link),
        )


def head_at(conn: sqlite3.Connection, device: str, scope: str, pos: Position) -> Head | None:
    """The signed head kept here at exactly ``pos`` of a chain, if any."""
    row = conn.execute(
        "SELECT link, start, key, signature FROM chain_heads WHERE device = ? AND scope = ?"
        " AND ts = ? AND record_id = ? AND field = ?",
        (device, scope, *pos),
    ).fetchone()
    return Head(device, scope, *pos, bytes(row[0]), row[1], row[2], row[3]) if row else None


def heads(conn: sqlite3.Connection) -> Iterator[Head]:
    """Every signed head kept here."""
    for row in conn.execute(
        "SELECT device, scope, ts, record_id, field, link, start, key, signature FROM chain_heads"
    ):
        yield Head(row[0], row[1], row[2], row[3], row[4], bytes(row[5]), row[6], row[7], row[8])


def link_at(conn: sqlite3.Connection, device: str, scope: str, pos: Position) -> bytes | None:
    """The link held here at ``pos`` of a chain (of an entry or an erased stub), or None."""
    ts, record_id, field = pos
    for table in ("journal", "journal_erased"):
        row = conn.execute(
            f"SELECT link FROM {table} WHERE record_id = ? AND field = ? AND ts = ?"
            " AND device = ? AND scope = ?",
            (record_id, field, ts, device, scope),
        ).fetchone()
        if row and row[0] is not None:
            return bytes(row[0])
    return None


def last_before(
    conn: sqlite3.Connection, device: str, scope: str, ts: int, since: int = 0
) -> tuple[Position, bytes] | None:
    """The last linked position (and its link) of a chain with a stamp at most ``ts``
    (looking no further back than ``since``, the origin's start)."""
    best: tuple[Position, bytes] | None = None
    for table in ("journal", "journal_erased"):
        row = conn.execute(
            f"SELECT ts, record_id, field, link FROM {table} WHERE device = ? AND scope = ?"
            " AND ts <= ? AND ts >= ? AND link IS NOT NULL"
            " ORDER BY ts DESC, record_id DESC, field DESC LIMIT 1",
            (device, scope, ts, since),
        ).fetchone()
        if row and (best is None or tuple(row[:3]) > best[0]):
            best = ((row[0], row[1], row[2]), bytes(row[3]))
    return best


def stubs(conn: sqlite3.Connection, device: str, scope: str, since: int, upto: int) -> list[tuple]:
    """The erased stubs of a chain between two stamps, in chain order, as bundle rows
    (ts, device, tbl, record_id, field, value, prev_ts, prev_device, scope, salt, link,
    sealed)."""
    return conn.execute(
        "SELECT ts, device, tbl, record_id, field, NULL, prev_ts, prev_device, scope, NULL,"
        " link, sealed FROM journal_erased WHERE device = ? AND scope = ? AND ts > ?"
        " AND ts <= ? ORDER BY ts, record_id, field",
        (device, scope, since, upto),
    ).fetchall()


def keep_stub(conn: sqlite3.Connection, row: tuple) -> None:
    """Keep an erased entry's place: ``row`` as :func:`stubs` gives it."""
    conn.execute(
        "INSERT OR IGNORE INTO journal_erased (ts, device, tbl, record_id, field, prev_ts,"
        " prev_device, scope, link, sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*row[:5], row[6], row[7], row[8], row[10], row[11]),
    )


def has_chains(conn: sqlite3.Connection) -> bool:
    """Whether this database keeps chains (a backup copy from before may not)."""
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'journal_erased'"
    ).fetchone()
    return row is not None


def keep_erased(conn: sqlite3.Connection, record_id: str, fields: Iterable[str]) -> None:
    """Before the journal entries of ``fields`` of a record are removed (erasure), keep
    the place of each linked one in its chain: its commitment, without value or salt."""
    names = list(fields)
    marks = ", ".join("?" for _ in names)
    rows = conn.execute(
        "SELECT ts, device, tbl, record_id, field, value, prev_ts, prev_device, scope, salt,"
        f" link FROM journal WHERE record_id = ? AND field IN ({marks}) AND link IS NOT NULL",
        (record_id, *names),
    ).fetchall()
    for row in rows:
        sealed = commitment(row[9], row[5]) if row[9] is not None else None
        if sealed is None:
            continue  # an unsalted entry was never part of a chain
        keep_stub(conn, (*row[:5], None, row[6], row[7], row[8], None, row[10], sealed))


# -- sealing this device's own entries ---------------------------------------------------


def seal_own(conn: sqlite3.Connection, device: str) -> None:
    """Link this device's entries not linked yet (those of the transaction now ending),
    continuing each scope's chain. Entries before this device's start stay unlinked."""
    start = start_of(conn, device)
    if start is None:
        return
    updates = []
    for scope in (CORE, PERSONAL):
        tip = last_before(conn, device, scope, 1 << 62, start)
        rows = conn.execute(
            "SELECT seq, ts, tbl, record_id, field, value, prev_ts, prev_device, salt"
            " FROM journal WHERE device = ? AND scope = ? AND ts >= ? AND link IS NULL"
            " ORDER BY ts, record_id, field",
            (device, scope, tip[0][0] if tip else start),
        ).fetchall()
        for seq, ts, tbl, record_id, field, value, prev_ts, prev_device, salt in rows:
            pos = (ts, record_id, field)
            if tip is not None and pos <= tip[0]:
                # Below the chain's tip: cannot happen with one clock; left unlinked
                # (shown unverified) rather than breaking the chain.
                continue
            entry_leaf = leaf(
                device, scope, ts, tbl, record_id, field, value, prev_ts, prev_device, salt
            )
            link = next_link(tip[1] if tip else GENESIS, entry_leaf)
            tip = (pos, link)
            updates.append((link, seq))
    conn.executemany("UPDATE journal SET link = ? WHERE seq = ?", updates)


def personal_salt(scope: str) -> str | None:
    """A salt for an entry of ``scope``: personal values are committed to with one."""
    return new_salt() if scope == PERSONAL else None


def begin(conn: sqlite3.Connection, device: str, key: str, start: int = 1) -> None:
    """``device`` (this one, set up or given a new identity) chains from ``start`` on."""
    conn.execute(
        "INSERT OR REPLACE INTO chain_starts (device, start, key) VALUES (?, ?, ?)",
        (device, start, key),
    )


def sign_head(
    conn: sqlite3.Connection,
    device: str,
    scope: str,
    pos: Position,
    sign: Sign,
    *,
    keep: bool = True,
) -> Head | None:
    """Sign this device's head of ``scope`` at ``pos`` (and keep it, unless ``keep`` is
    False: a database read, not written); None if ``pos`` holds no link here."""
    link = link_at(conn, device, scope, pos)
    start = start_of(conn, device)
    row = conn.execute("SELECT public_key FROM devices WHERE id = ?", (device,)).fetchone()
    if link is None or start is None or row is None or not row[0]:
        return None
    head = Head(device, scope, *pos, link, start, row[0])
    signed = Head(**{**head.__dict__, "signature": sign(head.message())})
    if keep:
        remember_head(conn, signed)
    return signed


def sign_tips(conn: sqlite3.Connection, device: str, sign: Sign) -> None:
    """Sign the newest head of each of this device's chains (before its key goes: a copy
    taking a new identity, so what the old identity wrote can still be passed on)."""
    start = start_of(conn, device)
    if start is None:
        return
    seal_own(conn, device)
    for scope in (CORE, PERSONAL):
        tip = last_before(conn, device, scope, 1 << 62, start)
        if tip is not None:
            sign_head(conn, device, scope, tip[0], sign)


# -- re-verifying everything held ----------------------------------------------------------


@dataclass
class ChainReport:
    """What re-verifying one origin's chains found: entries proved, entries whose link or
    head does not hold, entries from before chains, and whether its heads are proved
    only against a key heard through other devices."""

    device: str
    proved: int = 0
    broken: int = 0
    older: int = 0
    hearsay: bool = False


def verify_journal(conn: sqlite3.Connection, own: str, verify: Verify) -> dict[str, ChainReport]:
    """Recompute every link held here and check every kept head against it and against
    its origin's key (what ``trygg doctor`` does). Per origin device, a report."""
    reports: dict[str, ChainReport] = {}

    def report(device: str) -> ChainReport:
        return reports.setdefault(device, ChainReport(device))

    for device, count in conn.execute(
        "SELECT device, count(*) FROM journal WHERE link IS NULL GROUP BY device"
    ):
        report(device).older = count
    heads_by_chain: dict[tuple[str, str], dict[Position, Head]] = {}
    for kept in heads(conn):
        heads_by_chain.setdefault((kept.device, kept.scope), {})[kept.position] = kept
    items = conn.execute(
        "SELECT device, scope, ts, record_id, field, 0, tbl, value, prev_ts, prev_device,"
        " salt, NULL, link FROM journal WHERE link IS NOT NULL"
        " UNION ALL SELECT device, scope, ts, record_id, field, 0, tbl, NULL, prev_ts,"
        " prev_device, NULL, sealed, link FROM journal_erased"
        " UNION ALL SELECT device, scope, ts, record_id, field, 1, NULL, NULL, NULL, NULL,"
        " NULL, NULL, link FROM chain_anchors"
        " ORDER BY 1, 2, 3, 4, 5, 6"
    )
    chain: tuple[str, str] | None = None
    link = GENESIS
    pending = 0  # entries since the last head that proved them
    for device, scope, ts, record_id, field, is_anchor, *rest in items:
        if (device, scope) != chain:
            if chain is not None and pending and chain[0] != own:
                report(chain[0]).broken += pending
            chain, link, pending = (device, scope), GENESIS, 0
        stored = bytes(rest[-1])
        if is_anchor:
            link = stored
            continue
        tbl, value, prev_ts, prev_device, salt, sealed = rest[:-1]
        entry_leaf = leaf(
            device, scope, ts, tbl, record_id, field, value, prev_ts, prev_device, salt, sealed
        )
        link = next_link(link, entry_leaf)
        if link != stored:
            report(device).broken += 1
            link = stored  # go on from what is held, to count each break once
            continue
        pending += 1
        head = heads_by_chain.get((device, scope), {}).get((ts, record_id, field))
        if head is not None:
            if head.link == link and _head_holds(conn, head, verify):
                report(device).proved += pending
            else:
                report(device).broken += pending
            pending = 0
    if chain is not None and pending:
        if chain[0] == own:
            report(own).proved += pending  # sealed here; signed when next sent
        else:
            report(chain[0]).broken += pending
    for device, rep in reports.items():
        pinned = conn.execute("SELECT public_key FROM devices WHERE id = ?", (device,)).fetchone()
        rep.hearsay = bool(rep.proved) and not (pinned and pinned[0])
    return reports


def _head_holds(conn: sqlite3.Connection, head: Head, verify: Verify) -> bool:
    """A kept head is signed by the key its origin is known by here."""
    known = known_key(conn, head.device)
    return known == head.key and verify(head.key, head.signature, head.message())
