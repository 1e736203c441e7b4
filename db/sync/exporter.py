"""Writing a bundle: what a peer lacks, or everything.

A delta holds every journal entry, whoever wrote it (relayed changes included), above the
vectors the peer last declared and up to the vectors this device declares in the file, in
the scopes of the profile: a device relays exactly what it claims. Profile ``kommun`` leaves
the personal scope out, so no name, personnummer, phone or free text about a person
leaves the device; it is the default for any peer not known to be police.
"""

from __future__ import annotations

import heapq
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from db.errors import TryggError
from db.files import write_failed
from db.ids import new_id
from db.journal import chains
from db.journal import vectors as vec
from db.peers import Peer, all_peers, mark_sent
from db.peers import find_peer as peer_named
from db.protect.encryption import Encryption, write_encrypted
from db.protect.keys import own_secrets
from db.records import CORE, KOMMUN, PERSONAL, POLIS, PROFILE_SCOPES, PROFILES
from db.store import Store
from db.sync import authenticity, export_log
from db.sync.bundle import SUFFIX, Row, bundle_bytes, write_bundle
from db.sync.manifest import SEKRETESS, DeviceCard, Manifest

#: Settings kept for the overview: per scope, the highest stamp of this device's own
#: changes written to any file; and when a file was last written.
SENT_UPTO = "sent_upto.{scope}"
LAST_EXPORT = "last_export_at"


@dataclass
class ExportSummary:
    path: Path
    profile: str
    full: bool
    peer: Peer | None
    entries: int = 0
    #: How many distinct records of each type the file touches.
    records: dict[str, int] = field(default_factory=dict)
    personal: bool = False
    #: ``none``, ``passphrase`` or ``recipients:N``.
    encryption: str = "none"


@cache
def app_version() -> str:
    """Trygg's version, written into every file's manifest. Read once: reading a
    package's metadata parses its files, which cost most of a small delta export."""
    try:
        return version("trygg")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


def peers(store: Store) -> list[Peer]:
    """Every other device known to this database, most recently heard from first."""
    return all_peers(store.conn)


def find_peer(store: Store, name_or_id: str) -> Peer:
    """The peer named ``name_or_id`` (its name, or the start of its id)."""
    return peer_named(store.conn, name_or_id)


def default_profile(peer: Peer | None) -> str:
    """``polis`` only towards a device a person here confirmed as police (with its
    fingerprint); ``kommun`` otherwise, whatever the device says of itself."""
    return POLIS if peer is not None and peer.police else KOMMUN


@dataclass(frozen=True)
class ExportPlan:
    """What a file would hold: its profile, scopes, the base it assumes and what we hold."""

    profile: str
    scopes: tuple[str, ...]
    base: vec.Vectors
    held: vec.Vectors

    @property
    def base_declared(self) -> vec.Vectors:
        return {scope: v for scope, v in self.base.items() if v}


def plan_export(
    store: Store, *, peer: Peer | None = None, full: bool = False, profile: str | None = None
) -> ExportPlan:
    """Decide profile, scopes and base for a file, without writing it."""
    profile = profile or default_profile(peer)
    if profile not in PROFILES:
        raise TryggError("export.bad_profile", profile=profile)
    scopes = PROFILE_SCOPES[profile]
    declared: vec.Vectors = {} if full or peer is None else peer.declared
    base = {scope: dict(declared.get(scope, {})) for scope in scopes}
    return ExportPlan(profile, scopes, base, vec.held(store.conn, scopes))


def default_file_name(store: Store, peer: Peer | None, personal: bool) -> str:
    """``trygg-2026-11-22-1430-Anna-Polisen-Malin.trygg``; ``-SEKRETESS`` when the file
    carries personal data, so it is seen on the stick before it is opened."""
    from db.reports import safe_name  # reports import the exporter's constants

    device = store.require_device()
    when = store.now().strftime("%Y-%m-%d-%H%M")
    to = safe_name(peer.name, 24) if peer else "alla"
    mark = f"-{SEKRETESS}" if personal else ""
    return f"trygg-{when}-{safe_name(device.name, 24)}-{to}{mark}{SUFFIX}"


def carries_personal(store: Store, plan: ExportPlan) -> bool:
    """Whether a file made from ``plan`` would hold any personal data."""
    if PERSONAL not in plan.scopes:
        return False
    for origin, scope, since, upto in _pairs(plan):
        if scope != PERSONAL:
            continue
        row = store.conn.execute(
            "SELECT 1 FROM journal WHERE device = ? AND scope = ? AND ts > ? AND ts <= ? LIMIT 1",
            (origin, PERSONAL, since, upto),
        ).fetchone()
        if row:
            return True
    return False


@dataclass(frozen=True)
class ExportPreview:
    """What a file would carry, shown before it is written."""

    profile: str
    full: bool
    entries: int
    #: How many distinct records of each type the file would touch.
    records: dict[str, int]
    #: Whether any personal data (names, personnummer, phone, free text) would go.
    personal: bool

    @property
    def record_count(self) -> int:
        return sum(self.records.values())


def _ranges(plan: ExportPlan) -> tuple[str, list[object]]:
    """A WHERE clause selecting the journal entries a file made from ``plan`` holds."""
    clauses, params = [], []
    for origin, scope, since, upto in _pairs(plan):
        clauses.append("(device = ? AND scope = ? AND ts > ? AND ts <= ?)")
        params += [origin, scope, since, upto]
    return (" OR ".join(clauses) or "0"), params


def _pairs(plan: ExportPlan) -> list[tuple[str, str, int, int]]:
    """(origin, scope, since, upto) of each origin and scope with anything above the
    base: the only ones a file made from ``plan`` reads (by the journal_origin_scope
    index), so a delta costs what it sends, not what the journal holds."""
    pairs = []
    for scope in plan.scopes:
        for origin, upto in sorted(plan.held.get(scope, {}).items()):
            since = plan.base.get(scope, {}).get(origin, 0)
            if upto > since:
                pairs.append((origin, scope, since, upto))
    return pairs


def preview_export(
    store: Store,
    *,
    peer: Peer | None = None,
    full: bool = False,
    profile: str | None = None,
    plan: ExportPlan | None = None,
) -> ExportPreview:
    """Count what a file for ``peer`` (or anyone, ``full``) would carry, without writing
    it: entries, records per type, whether personal data is among them."""
    plan = plan or plan_export(store, peer=peer, full=full, profile=profile)
    where, params = _ranges(plan)
    records: dict[str, int] = {}
    entries, personal = 0, False
    for tbl, count, distinct, has_personal in store.conn.execute(
        "SELECT tbl, count(*), count(DISTINCT record_id), max(scope = ?) FROM journal"
        f" WHERE {where} GROUP BY tbl ORDER BY tbl",
        [PERSONAL, *params],
    ):
        records[tbl] = distinct
        entries += count
        personal = personal or bool(has_personal)
    return ExportPreview(plan.profile, full or peer is None, entries, records, personal)


def unconfirmed_entries(store: Store, peer: Peer) -> int:
    """How many journal entries held here ``peer`` has not declared holding — "what they
    lack of ours" (only the scopes it has declared; a municipal device's personal scope
    is not counted, since it is never sent there)."""
    total = 0
    for scope, vector in (peer.declared or {CORE: {}}).items():
        for origin, upto in store.conn.execute(
            "SELECT device, ts FROM vectors WHERE scope = ?", (scope,)
        ).fetchall():
            total += store.conn.execute(
                "SELECT count(*) FROM journal WHERE device = ? AND scope = ? AND ts > ?"
                " AND ts <= ?",
                (origin, scope, vector.get(origin, 0), upto),
            ).fetchone()[0]
    return total


#: Called now and then while a file is written: (entries written, entries in all).
Progress = Callable[[int, int], None]
_PROGRESS_EVERY = 500


def export_bundle(
    store: Store,
    out: Path,
    *,
    peer: Peer | None = None,
    full: bool = False,
    profile: str | None = None,
    private: bool = True,
    sent_to: list[str] | None = None,
    encryption: Encryption | None = None,
    recipient_label: str | None = None,
    progress: Progress | None = None,
) -> ExportSummary:
    """Write a signed bundle for ``peer`` (a delta) or for anyone (``full``) to ``out`` (a
    file, or a folder to put a file with the default name in), encrypted if asked.

    ``sent_to`` names the devices whose "last sent" time this file updates (the peer by
    default; everyone reading a mailbox folder). Every file written is entered in the
    export log. ``progress``, if given, hears how far the writing has come."""
    device = store.require_device()
    secrets = own_secrets(store.conn)
    if secrets is None:  # pragma: no cover - set_up_device always makes keys
        raise TryggError("device.not_set_up", path=str(store.path))
    plan = plan_export(store, peer=peer, full=full, profile=profile)
    profile, scopes, base, held = plan.profile, plan.scopes, plan.base, plan.held
    personal = carries_personal(store, plan)
    if out.is_dir():
        out = out / default_file_name(store, peer, personal)
    summary = ExportSummary(out, profile, full or peer is None, peer)
    summary.encryption = encryption.label if encryption else "none"

    cards = [
        DeviceCard(row[0], row[1], row[2])
        for row in store.conn.execute("SELECT id, name, org FROM devices WHERE is_self = 0")
    ]
    origins = sorted({d for v in held.values() for d in v})
    # Each origin's chain as far as it can be proved, with the head its origin signed.
    claimed = {scope: dict(vector) for scope, vector in held.items()}
    parts: dict[tuple[str, str], authenticity.ChainPart] = {}
    sign = authenticity.signer(secrets)
    with store.transaction():
        for origin in origins:
            for scope in scopes:
                since = base.get(scope, {}).get(origin, 0)
                upto = held.get(scope, {}).get(origin, 0)
                if upto <= since:
                    continue
                part = authenticity.chain_part(
                    store.conn, device.id, sign, origin, scope, since, upto
                )
                parts[(origin, scope)] = part
                if part.cut is not None:
                    # Claim no further than what can be proved.
                    claimed[scope][origin] = max(part.cut[0], since)
    file_id = new_id()
    manifest = Manifest(
        file_id=file_id,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        sender=DeviceCard(device.id, device.name, device.org),
        sender_key=secrets.public_key,
        profile=profile,
        sender_vectors=claimed,
        base_vectors=plan.base_declared,
        # Narrowed, once written, to the devices whose entries the file carries.
        devices=tuple(cards),
        marking=SEKRETESS if personal else None,
        app_version=app_version(),
        chains=tuple(p.chain for p in parts.values() if p.chain is not None),
    )

    touched: dict[str, set[str]] = {}
    total = preview_export(store, plan=plan).entries if progress else 0
    written = 0

    def entries() -> Iterator[Row]:
        nonlocal written
        for origin in origins:
            for scope in scopes:
                since = base.get(scope, {}).get(origin, 0)
                # Up to what we claim, no further: a receiver refuses entries the sender
                # does not account for (entries held here beyond a gap wait for it to close).
                upto = claimed.get(scope, {}).get(origin, 0)
                part = parts.get((origin, scope))
                if part is None:
                    continue
                cursor = store.conn.execute(
                    "SELECT ts, device, tbl, record_id, field, value, prev_ts, prev_device,"
                    " scope, salt, link, NULL FROM journal WHERE device = ? AND ts > ?"
                    " AND ts <= ? AND scope = ? ORDER BY ts, record_id, field",
                    (origin, since, upto, scope),
                )
                rows: Iterable[Row] = (row for chunk in _fetched(cursor) for row in chunk)
                erased = chains.stubs(store.conn, origin, scope, since, upto)
                if erased:
                    # Erased entries keep their places in the chain, in chain order.
                    rows = heapq.merge(rows, erased, key=lambda r: (r[0], r[3], r[4]))
                for row in rows:
                    if not part.sends(row[0], row[3], row[4], row[10]):
                        continue
                    touched.setdefault(row[2], set()).add(row[3])
                    if row[8] == PERSONAL:
                        summary.personal = True
                    written += 1
                    if progress and written % _PROGRESS_EVERY == 0:
                        progress(written, total)
                    yield row

    try:
        if encryption is None:
            sent = write_bundle(
                out, manifest, entries(), signing_key=secrets.signing_key, private=private
            )
        else:
            # Built and encrypted in memory: its plaintext never reaches a disk.
            plain, sent = bundle_bytes(manifest, entries(), signing_key=secrets.signing_key)
            write_encrypted(plain, out, encryption, private=private)
            del plain
        summary.entries = sent.entry_count
        summary.records = {rtype: len(ids) for rtype, ids in sorted(touched.items())}
        if progress:
            progress(written, max(total, written))
    except (sqlite3.OperationalError, OSError) as exc:
        raise write_failed(out, exc) from None
    with store.transaction():
        recipients = sent_to if sent_to is not None else ([peer.id] if peer else [])
        mark_sent(store.conn, recipients)
        for scope in scopes:
            upto = held.get(scope, {}).get(device.id, 0)
            store.set_setting(SENT_UPTO.format(scope=scope), str(upto))
        store.set_setting(LAST_EXPORT, _now())
        export_log.record(
            store.conn,
            file_id=file_id,
            path=out,
            recipient=recipient_label or (peer.name if peer else None),
            summary=summary,
        )
    return summary


def _fetched(cursor: sqlite3.Cursor) -> Iterator[list[Row]]:
    while rows := cursor.fetchmany(5000):
        yield rows


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
