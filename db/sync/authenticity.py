"""Proving that every entry of a received file is its origin's own (docs/authenticity.md).

A file carries, per origin and scope, a suffix of the origin's hash chain
(db/journal/chains.py): every entry with its link, the head the origin signed at the last
of them, and the link just before the first. While the file is checked, :class:`FileProof`
recomputes each link and accepts the file only if

- every linked entry's link is the hash of the one before and of the entry itself, in
  chain order, each (origin, scope) in one run;
- the run ends at a head signed with its origin's key: the key pinned here from the
  origin's own file, else the one first heard of through a relay, else the one the head
  carries (then kept: trust on first hearing);
- where this database holds the same place of a chain (the link before the run, a head
  kept before, its newest linked entry), the links agree; otherwise the origin has signed
  two histories (a fork);
- an unlinked entry (written before its origin began chaining, or from a format 2 file)
  is older than its origin's start when that is known: no file can pass a newer entry off
  as an older one.

A refusal names the claimed origin and the device the file came from; nothing of the file
is taken in. After the merge, :meth:`FileProof.persist` keeps the heads, the origins'
starts and keys, and the places of the erased entries the file carries.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from hashlib import sha256 as _sha256
from pathlib import Path
from typing import Protocol

from db import peers
from db.errors import TryggError
from db.journal import chains
from db.journal.chains import GENESIS, Position, leaf, next_link
from db.protect import keys
from db.protect.keys import Secrets
from db.records import PERSONAL, TYPES
from db.sync.bundle import Row
from db.sync.manifest import ChainHead, Manifest


class Source(Protocol):
    """A file read (a bundle, or a colleague's database): what is kept after the merge."""

    def stubs(self) -> list[Row]: ...

    def personal_linked(self, record_ids: set[str]) -> list[Row]: ...


@dataclass
class _Run:
    """One (origin, scope) run of entries in the file, as far as it is read."""

    device: str
    scope: str
    chain: ChainHead | None
    link: bytes = GENESIS
    position: Position | None = None
    linked: int = 0
    #: The origin's start (only known where the run is linked).
    start: int = 0
    #: Places of this chain held here, with their links: the file must agree.
    held: dict[Position, bytes] = field(default_factory=dict)


class FileProof:
    """Checks a file's chains against what this database holds. Raises TryggError."""

    def __init__(self, conn: sqlite3.Connection, manifest: Manifest, shown: Path) -> None:
        self.conn = conn
        self.manifest = manifest
        self.shown = shown
        self.unverified = 0
        self._names = {card.id: card.name for card in manifest.devices}
        self._names.update(peers.names(conn))
        self._names.setdefault(manifest.sender.id, manifest.sender.name)
        self._chains: dict[tuple[str, str], ChainHead] = {}
        self._starts: dict[str, int] = {}
        self._unknown: set[str] = set()
        self._run: _Run | None = None
        self._done: set[tuple[str, str]] = set()
        self._proved: list[ChainHead] = []
        #: Origins whose chains held here may be compared with the file's.
        self._trusted: set[str] = set()
        for chain in manifest.chains:
            self._check_head(chain)

    # -- the heads ---------------------------------------------------------------------

    def _check_head(self, chain: ChainHead) -> None:
        head = chain.head
        if head.device == self.manifest.sender.id:
            key = self.manifest.sender_key
        else:
            key = chains.known_key(self.conn, head.device) or head.key
        if head.key != key or not keys.verify(key, head.signature, head.message()):
            raise self._forged(head.device)
        # What is held of this chain counts only if it came under the same key: a chain
        # first heard of through a relay under another key is superseded by the
        # origin's own (docs/authenticity.md, "Trust on first hearing").
        kept = chains.start_and_key(self.conn, head.device)
        if kept is None or kept[1] == key:
            self._trusted.add(head.device)
        start = self._starts.setdefault(head.device, head.start)
        if start != head.start or (kept and kept[1] == key and kept[0] != head.start):
            raise self._forged(head.device)
        self._chains[(head.device, head.scope)] = chain

    def _start(self, device: str) -> int | None:
        if device not in self._starts:
            if device in self._unknown:
                return None
            known = chains.start_of(self.conn, device)
            if known is None:
                self._unknown.add(device)  # asked once per file, not once per entry
                return None
            self._starts[device] = known
        return self._starts[device]

    # -- the entries -------------------------------------------------------------------

    def add(self, row: Row) -> None:
        """Check one entry (twelve parts, in file order). Runs once per entry of every
        file: kept lean."""
        ts, device, tbl, record_id, name, value, prev_ts, prev_device, scope, salt, link, sealed = (
            row
        )
        run = self._run
        if run is None or run.device != device or run.scope != scope:
            run = self._open(device, scope)
        if link is None:
            # Unlinked: only what its origin wrote before it began chaining.
            start = self._start(device)
            if run.linked or (start is not None and ts >= start):
                raise self._forged(device)
            self.unverified += 1
            return
        if run.chain is None:
            raise self._forged(device)
        position = (ts, record_id, name)
        if ts < run.start or (run.position is not None and position <= run.position):
            raise self._forged(device)
        if salt is None and sealed is None:
            # ``leaf``'s bytes for an entry with its value in the clear (most entries),
            # made here: the same bytes, without two calls per entry.
            part = "n" if value is None else "v" + value
            prev = "" if prev_ts is None else prev_ts
            entry_leaf = (
                f"{device}\0{scope}\0{ts}\0{tbl}\0{record_id}\0{name}\0{prev}"
                f"\0{prev_device or ''}\0{part}"
            ).encode()
            run.link = _sha256(run.link + entry_leaf).digest()
        else:
            run.link = next_link(
                run.link,
                leaf(
                    device, scope, ts, tbl, record_id, name, value, prev_ts, prev_device, salt,
                    sealed,
                ),
            )  # fmt: skip
        if run.link != link:
            raise self._forged(device)
        if run.held and run.held.get(position, link) != link:
            raise self._fork(device)
        run.position = position
        run.linked += 1

    def add_all(self, rows: Iterable[Row]) -> None:
        """:meth:`add` each of ``rows`` in turn (a chunk of a file, in file order). The
        same checks; the common entry (linked, its value in the clear, of the run before
        it, in a chain of which nothing is held here) is judged with the run's state kept
        in locals, every other by :meth:`add` itself."""
        run: _Run | None = None
        link_now, last, linked, start = GENESIS, (0, "", ""), 0, 0
        for row in rows:
            if run is not None:
                (
                    ts,
                    device,
                    tbl,
                    record_id,
                    name,
                    value,
                    prev_ts,
                    prev_by,
                    scope,
                    salt,
                    link,
                    sealed,
                ) = row
                if (
                    link is not None
                    and salt is None
                    and sealed is None
                    and device == run.device
                    and scope == run.scope
                ):
                    position = (ts, record_id, name)
                    if ts < start or position <= last:
                        raise self._forged(device)
                    part = "n" if value is None else "v" + value
                    prev = "" if prev_ts is None else prev_ts
                    link_now = _sha256(
                        link_now
                        + f"{device}\0{scope}\0{ts}\0{tbl}\0{record_id}\0{name}\0{prev}"
                        f"\0{prev_by or ''}\0{part}".encode()
                    ).digest()
                    if link_now != link:
                        raise self._forged(device)
                    last = position
                    linked += 1
                    continue
                run.link, run.position, run.linked = link_now, last, linked
            self.add(row)
            run = self._run
            if run is None or run.chain is None or run.held or run.position is None:
                run = None
            else:
                link_now, last, linked, start = run.link, run.position, run.linked, run.start
        if run is not None:
            run.link, run.position, run.linked = link_now, last, linked

    def finish(self) -> None:
        """Every entry has been seen: the last run must end at its signed head."""
        self._close()

    def tops(self) -> list[tuple[str, str, int]] | None:
        """After :meth:`finish`, when every entry seen was linked and each origin came in
        one run (one scope): each run's origin, scope and newest stamp (its head's: a run
        is in chain order and ends at its head), sorted; else None. Then no two entries
        seen share a key (record, field, stamp, origin): an origin's entries are one run,
        each after the one before."""
        if self.unverified or self._run is not None or len(self._proved) != len(self._done):
            return None
        origins = {device for device, _scope in self._done}
        if len(origins) != len(self._done):
            return None
        return sorted((c.head.device, c.head.scope, c.head.ts) for c in self._proved)

    def proved_held(self, proved: list[ChainHead]) -> None:
        """Instead of every entry seen: the file's entries are all held here and proved
        in ``proved`` by the links held (db/sync/held.py, ``held_whole``)."""
        self._proved = list(proved)

    def _open(self, device: str, scope: str) -> _Run:
        self._close()
        if (device, scope) in self._done:
            raise self._forged(device)  # a chain in two runs is not in chain order
        chain = self._chains.get((device, scope))
        run = _Run(device, scope, chain)
        if chain is not None:
            run.start = self._starts[device]
        if chain is not None:
            head = chain.head
            trusted = device in self._trusted
            if chain.anchor is not None:
                position, link = chain.anchor
                if position >= head.position:
                    raise self._forged(device)
                held = chains.link_at(self.conn, device, scope, position) if trusted else None
                if held is not None and held != link:
                    raise self._fork(device)
                run.link, run.position = link, position
            if trusted:
                run.held = self._held(device, scope, run.position, head)
        self._run = run
        return run

    def _held(
        self, device: str, scope: str, after: Position | None, head: chains.Head
    ) -> dict[Position, bytes]:
        """Places of a chain between ``after`` and ``head`` held here with their links:
        the heads kept, the newest linked entry, and the head's own place."""
        since = after[0] if after else 0
        held = {
            (ts, record_id, name): bytes(link)
            for ts, record_id, name, link in self.conn.execute(
                "SELECT ts, record_id, field, link FROM chain_heads WHERE device = ?"
                " AND scope = ? AND ts >= ? AND ts <= ? AND key = ?",
                (device, scope, since, head.ts, head.key),
            )
        }
        tip = chains.last_before(self.conn, device, scope, head.ts, since)
        if tip is not None:
            held[tip[0]] = tip[1]
        at_head = chains.link_at(self.conn, device, scope, head.position)
        if at_head is not None:
            held[head.position] = at_head
        return held

    def _close(self) -> None:
        run, self._run = self._run, None
        if run is None:
            return
        self._done.add((run.device, run.scope))
        if not run.linked:
            return
        assert run.chain is not None
        head = run.chain.head
        if run.position != head.position or run.link != head.link:
            raise self._forged(run.device)
        self._proved.append(run.chain)

    # -- after the merge ---------------------------------------------------------------

    def persist(self, reader: Source) -> None:
        """Keep what the file proved: its heads, its origins' starts and keys, and the
        places of erased personal entries (those it carries as stubs, and those the merge
        dropped for a record erased here)."""
        for chain in self._proved:
            head = chain.head
            chains.remember_head(self.conn, head)
            chains.remember_start(self.conn, head.device, head.start, head.key)
            if chain.anchor is not None:
                chains.remember_anchor(self.conn, head.device, head.scope, *chain.anchor)
        for row in reader.stubs():
            chains.keep_stub(self.conn, row)
        erased = self._erased_records()
        for row in reader.personal_linked(erased):
            if chains.link_at(self.conn, row[1], PERSONAL, (row[0], row[3], row[4])) is None:
                sealed = chains.commitment(row[9], row[5])
                chains.keep_stub(self.conn, (*row[:5], None, *row[6:9], None, row[10], sealed))

    def _erased_records(self) -> set[str]:
        erased: set[str] = set()
        for rt in TYPES.values():
            if rt.personal_fields:
                erased |= {
                    r[0]
                    for r in self.conn.execute(
                        f"SELECT id FROM {rt.name} WHERE erased_date IS NOT NULL"
                    )
                }
        return erased

    # -- refusals ----------------------------------------------------------------------

    def _name(self, device: str) -> str:
        return self._names.get(device, device[:8])

    def _forged(self, device: str) -> TryggError:
        return TryggError(
            "bundle.forged",
            path=str(self.shown),
            origin=self._name(device),
            sender=self._name(self.manifest.sender.id),
        )

    def _fork(self, device: str) -> TryggError:
        return TryggError(
            "bundle.fork",
            path=str(self.shown),
            origin=self._name(device),
            sender=self._name(self.manifest.sender.id),
        )


# -- the sending side ----------------------------------------------------------------------


@dataclass(frozen=True)
class ChainPart:
    """What a file sends of one chain: its signed head and the link before (None when
    nothing linked is sent), the origin's start (None: unknown here, so every entry of it
    is an older one), and the last place that can be proved (None: no limit)."""

    chain: ChainHead | None
    start: int | None
    cut: Position | None = None

    def sends(self, ts: int, record_id: str, name: str, link: object) -> bool:
        """Whether an entry held here goes into the file: a linked one up to the head,
        an unlinked one only from before its origin began chaining."""
        if link is None:
            return self.start is None or ts < self.start
        return self.cut is None or (ts, record_id, name) <= self.cut


def chain_part(
    conn: sqlite3.Connection,
    own: str,
    sign: chains.Sign,
    origin: str,
    scope: str,
    since: int,
    upto: int,
    *,
    keep: bool = True,
) -> ChainPart:
    """The part of ``origin``'s chain of ``scope`` a file sends for the stamps
    (``since``, ``upto``]: up to its last linked entry there, with the head the origin
    signed at that place (signed now for this device's own chain; kept from the file it
    came in for another's). Where no head was kept at that place, up to the newest head
    that was. Call inside a transaction (a head signed here is kept, unless ``keep`` is
    False)."""
    start = chains.start_of(conn, origin)
    if start is None:
        return ChainPart(None, None)
    last = chains.last_before(conn, origin, scope, upto, max(since + 1, start))
    if last is None:
        return ChainPart(None, start)
    head: chains.Head | None
    if origin == own:
        head = chains.sign_head(conn, origin, scope, last[0], sign, keep=keep)
    else:
        head = chains.head_at(conn, origin, scope, last[0])
    cut = None
    if head is None:
        row = conn.execute(
            "SELECT ts, record_id, field FROM chain_heads WHERE device = ? AND scope = ?"
            " AND ts > ? AND ts <= ? ORDER BY ts DESC, record_id DESC, field DESC LIMIT 1",
            (origin, scope, since, upto),
        ).fetchone()
        head = chains.head_at(conn, origin, scope, tuple(row)) if row else None
        cut = head.position if head else (since, "", "")
    if head is None:
        return ChainPart(None, start, cut)
    anchor = chains.last_before(conn, origin, scope, since, start)
    return ChainPart(ChainHead(head, anchor), start, cut)


def signer(secrets: Secrets) -> chains.Sign:
    """Signs with this device's key."""
    return lambda message: keys.sign(secrets.signing_key, message)
