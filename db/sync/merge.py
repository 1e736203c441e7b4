"""Taking a bundle in.

The whole file is checked first (db/sync/bundle.py). Then, after a backup copy, in one
transaction: every entry not already held goes into the journal; each touched field takes
the value of its newest stamp; a tombstone deletes for good; an erasure marker nulls the
personal fields, removes their history, and drops any personal entry that arrives later;
the conflict list of each touched record is rebuilt; vectors advance only where the file
leaves nothing missing. A dry run does all of this and rolls it back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from db import peers
from db.backup import automatic_backup
from db.errors import TryggError
from db.journal import conflicts
from db.journal import vectors as vec
from db.journal.clock import COUNTER_BITS, MAX_FUTURE_MS
from db.journal.markers import ACK_PREFIX, DELETED, ERASED, apply_erasure
from db.journal.versions import current_versions
from db.labels import record_label
from db.peers import DeviceCard
from db.protect import gallring
from db.protect.encryption import Unlock, decrypt, is_encrypted
from db.protect.keys import fingerprint, own_secrets
from db.records import PERSONAL, TYPES, Kind, RecordType
from db.store import Store
from db.sync import authenticity
from db.sync.bundle import BundleReader, Progress
from db.sync.database_file import DatabaseReader, is_trygg_database
from db.sync.held import held_in, held_positions
from db.sync.manifest import Manifest

#: How many changed records a summary lists one by one (the counts cover all of them).
LISTED = 2000
#: Kinds whose column is not a JSON string's own text (Store._encode_column).
_ENCODED_KINDS = {Kind.TEXTLIST, Kind.PARTICIPANTS, Kind.BOOL}


@dataclass(frozen=True)
class RecordChange:
    """One record a file creates or changes, as the preview lists it."""

    rtype: str
    record_id: str
    label: str
    new: bool
    #: The fields whose shown value changes (empty for a record only deleted).
    fields: tuple[str, ...]
    deleted: bool
    #: Fields of this record in conflict after the merge.
    conflicts: tuple[str, ...]


@dataclass
class ImportSummary:
    path: Path
    sender: DeviceCard
    dry_run: bool
    already_imported: bool = False
    first_contact: bool = False
    new_records: dict[str, int] = field(default_factory=dict)
    updated_fields: int = 0
    unchanged: int = 0
    new_entries: int = 0
    dropped_personal: int = 0
    new_conflicts: int = 0
    open_conflicts: int = 0
    future_stamps: int = 0
    #: Entries the file carries that cannot be proved their authors' (from a Trygg before
    #: chains: "unverified (older file)").
    unverified: int = 0
    gaps: list[str] = field(default_factory=list)
    backup: Path | None = None
    encrypted: bool = False
    #: The sender's key fingerprint, for comparing by phone at first contact.
    fingerprint: str = ""
    #: The sender's organisation (polis/kommun), and whether the file carries personal data.
    sender_org: str | None = None
    #: A person here confirmed the sender as police (only then does it get personal data).
    sender_police: bool = False
    #: The name and organisation the sender's file gives, when they differ from the card
    #: pinned here (shown as ``sender``): they wait for a person to accept them.
    offered_card: DeviceCard | None = None
    personal: bool = False
    created_at: str = ""
    #: The file was a colleague's database, read as a full export from its device.
    from_database: bool = False
    #: Records whose personal data the file erased (gallring on the sender's side), and
    #: how many backup copies here were erased the same way.
    erased: list[str] = field(default_factory=list)
    backups_scrubbed: int = 0
    #: The records created or changed, the first LISTED of them, in file order.
    changes: list[RecordChange] = field(default_factory=list)

    @property
    def total_new_records(self) -> int:
        return sum(self.new_records.values())

    @property
    def changed(self) -> bool:
        return bool(self.new_entries)


class _DryRun(Exception):
    pass


def import_bundle(
    store: Store,
    path: Path,
    *,
    dry_run: bool = False,
    unlock: Unlock | None = None,
    lang: str | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Check ``path`` whole, then merge it (or, with ``dry_run``, only say what would
    change). An encrypted file is opened with ``unlock`` (or this device's own key) and
    read from memory. Raises TryggError, with the database untouched, for any
    bad file. With ``lang``, the changed records listed in the summary are named in that
    language (for a screen to show); without it they are left unnamed, sparing the
    command line and the mailbox a query per record. ``progress``, if given, hears
    (entries checked and merged, entries to check and merge) a chunk at a time: every
    entry of the file is checked, then those not held here are merged."""
    refuse_own_database(store, path)
    if is_encrypted(path):
        secrets = own_secrets(store.conn)
        identity = secrets.age_identity if secrets else None
        # Decrypted in memory: no plaintext copy on any disk, even if this is killed.
        plain = decrypt(path, unlock or Unlock(), identity)
        summary = _import_plain(store, BundleReader(path, data=plain), dry_run, lang, progress)
        summary.encrypted = True
        return summary
    # A colleague's database handed over as it is reads like a full export from its device.
    reader = DatabaseReader(path) if is_trygg_database(path) else BundleReader(path)
    return _import_plain(store, reader, dry_run, lang, progress)


def _import_plain(
    store: Store,
    reader: BundleReader | DatabaseReader,
    dry_run: bool,
    lang: str | None,
    progress: Progress | None = None,
) -> ImportSummary:
    device = store.require_device()
    shown = reader.shown
    with reader:
        peeked = reader.peek()
        check_sender_key(store, peeked, shown)
        if isinstance(reader, BundleReader) and _imported_before(store, peeked):
            # Its signed manifest (signature and sender's key checked, header and size
            # too) names a file checked and merged whole before: answered without reading
            # its body. A damaged or altered copy of it is answered the same way: taking
            # nothing from it cannot let anything damaged or forged in.
            return _already_imported(peeked, shown, dry_run)
        # Every entry must be proved its origin's own (db/sync/authenticity.py).
        proof = authenticity.FileProof(store.conn, peeked, shown)
        held = reader.check_held(store.conn) if isinstance(reader, BundleReader) else None
        if held is not None:
            # Nothing in it that is not held here exactly, proved by the chains held:
            # another file with the same changes, taken without reading it entry by entry.
            manifest, proved = held
            proof.proved_held(proved)
            if progress is not None:
                progress(manifest.entry_count, manifest.entry_count)
        else:
            manifest = reader.check(proof, held_in(store.conn), progress)
        if _imported_before(store, manifest):
            # (A colleague's database read again, unchanged: nothing new in it.)
            return _already_imported(manifest, shown, dry_run)
        summary = ImportSummary(shown, manifest.sender, dry_run)
        summary.unverified = proof.unverified
        summary.from_database = isinstance(reader, DatabaseReader)
        summary.fingerprint = manifest.fingerprint
        summary.sender_org = manifest.sender.org
        summary.personal = manifest.marking is not None
        summary.created_at = manifest.created_at
        if manifest.sender.id == device.id and not dry_run:
            # Our own file (e.g. in the mailbox folder): nothing to learn from it.
            summary.unchanged = manifest.entry_count
            summary.already_imported = True
            return summary
        if not dry_run and reader.fresh_count:
            # (Nothing new: only who sent what is noted, no record changes to undo.)
            summary.backup = automatic_backup(store.conn, store.path, "before-import")
        try:
            # A bundle is attached to the store's connection while it is merged: its
            # entries go into the journal by INSERT … SELECT (attached before the
            # transaction begins, detached after it ends: SQLite wants it so).
            with _attached(reader, store) as schema, store.transaction():
                _merge(store, reader, manifest, summary, lang, progress, schema)
                proof.persist(reader)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    if summary.erased and not dry_run:
        # An erasure received is an erasure here: the same traces go as after a local one
        # (the copy just taken before this import among them).
        traces = gallring.clear_traces(store, summary.erased)
        summary.backups_scrubbed = traces.backups_scrubbed
    return summary


@contextmanager
def _attached(reader: BundleReader | DatabaseReader, store: Store) -> Iterator[str | None]:
    """The schema a bundle is attached under on the store's connection, or None (a
    colleague's database is read through its reader, row by row)."""
    if not isinstance(reader, BundleReader):
        yield None
        return
    with reader.attached(store.conn) as schema:
        yield schema


def _already_imported(manifest: Manifest, shown: Path, dry_run: bool) -> ImportSummary:
    done = ImportSummary(shown, manifest.sender, dry_run, already_imported=True)
    done.unchanged = manifest.entry_count
    return done


def refuse_own_database(store: Store, path: Path) -> None:
    """Refuse this device's own database (or its log files) as a file to import — before
    anything opens it: opening and closing it by other means than SQLite would drop this
    process's locks on it."""
    try:
        given = path.stat()
    except OSError:
        return  # the reader says why it cannot be read
    for own in (store.path, *(Path(f"{store.path}{tail}") for tail in _SIDE_FILES)):
        try:
            mine = own.stat()
        except OSError:
            continue
        if (given.st_dev, given.st_ino) == (mine.st_dev, mine.st_ino):
            raise TryggError("import.own_database", path=str(path))


_SIDE_FILES = ("-wal", "-shm", "-journal")


def check_sender_key(store: Store, manifest: Manifest, shown: Path) -> None:
    """Refuse a file whose sender claims a device whose pinned key is another one (this
    device included). The offered key is remembered, so that after comparing fingerprints
    by phone the users can accept it with ``trygg peers trust``."""
    known = peers.pinned_key(store.conn, manifest.sender.id)
    if known is None:
        return
    pinned, name, is_self = known
    if pinned is None or pinned == manifest.sender_key:
        return
    if is_self:
        raise TryggError("bundle.claims_this_device", path=str(shown))
    with store.transaction():
        peers.offer_key(store.conn, manifest.sender.id, manifest.sender_key)
    raise TryggError(
        "bundle.key_changed",
        path=str(shown),
        name=name,
        pinned=fingerprint(pinned),
        offered=manifest.fingerprint,
    )


def _merge(
    store: Store,
    reader: BundleReader | DatabaseReader,
    manifest: Manifest,
    summary: ImportSummary,
    lang: str | None,
    progress: Progress | None = None,
    schema: str | None = None,
) -> None:
    conn = store.conn
    held_before = vec.held(conn)
    conflicts_before = conn.execute("SELECT count(*) FROM conflicts").fetchone()[0]
    summary.already_imported = (
        conn.execute(
            "SELECT 1 FROM imported_bundles WHERE file_id = ?", (manifest.file_id,)
        ).fetchone()
        is not None
    )
    origins = reader.origins()
    listed = [card for card in manifest.devices if card.id in origins]
    summary.first_contact = peers.meet(conn, manifest.sender, manifest.sender_key, listed)
    sender = peers.peer_by_id(conn, manifest.sender.id)
    if sender is not None:
        summary.sender = DeviceCard(sender.id, sender.name, sender.org)
        summary.sender_org = sender.org
        summary.sender_police = sender.police
        summary.offered_card = peers.peer_key(conn, sender).offered_card

    erased = {row[0] for row in conn.execute(_ERASED_HERE)}
    if reader.fresh_count:  # (else nothing is merged: no erasure it carries is new here)
        erased |= reader.records_with_field(ERASED)
    with_conflicts = {row[0] for row in conn.execute("SELECT DISTINCT record_id FROM conflicts")}
    now_ms = store._wall()
    newest_ts = 0
    touched: dict[str, str] = {}
    # Only the entries not held here are merged (none at all when the check found none:
    # the same changes in another file).
    checked = manifest.entry_count
    merged = 0
    journal_before = conn.execute("SELECT COALESCE(max(seq), 0) FROM journal").fetchone()[0]
    if schema is not None and isinstance(reader, BundleReader) and reader.fresh_count:
        newest_ts = _take_entries(conn, schema, reader.chained, erased, summary, touched,
                                  now_ms, progress, checked, reader.fresh_count)  # fmt: skip
    for chunk in reader.chunks() if reader.fresh_count and schema is None else ():
        # (Asked again only if the check found any held: it found them chunk by chunk.)
        held = held_positions(conn, chunk) if reader.held_count else set()
        summary.unchanged += len(held)
        kept = []
        for entry in (e for position, e in enumerate(chunk) if position not in held):
            ts, record_id, scope = entry[0], entry[3], entry[8]
            if ts >> COUNTER_BITS > now_ms + MAX_FUTURE_MS:
                summary.future_stamps += 1
            elif ts > newest_ts:
                newest_ts = ts
            if scope == PERSONAL and record_id in erased:
                summary.dropped_personal += 1
            else:
                kept.append(entry)
        last_seq = conn.execute("SELECT COALESCE(max(seq), 0) FROM journal").fetchone()[0]
        conn.executemany(
            "INSERT OR IGNORE INTO journal (ts, device, tbl, record_id, field, value,"
            " prev_ts, prev_device, scope, salt, link) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            kept,
        )
        fresh = conn.execute(
            "SELECT tbl, record_id, field FROM journal WHERE seq > ?", (last_seq,)
        ).fetchall()
        summary.new_entries += len(fresh)
        summary.unchanged += len(kept) - len(fresh)
        for tbl, record_id, name in fresh:
            touched[record_id] = tbl
            if name == ERASED:
                summary.erased.append(record_id)
        merged += len(chunk) - len(held)
        if progress is not None:
            progress(checked + merged, checked + reader.fresh_count)

    if not reader.fresh_count:
        summary.unchanged = manifest.entry_count
    if summary.erased:
        # Erased here too only what was here before: a record first heard of in this
        # file, already erased, left no trace here (a new database was told "88 reports
        # erased … here too, in 0 copies").
        held = {
            row[0]
            for row in conn.execute(
                "SELECT DISTINCT record_id FROM journal WHERE seq <= ?"
                " AND record_id IN (SELECT value FROM json_each(?))",
                (journal_before, json.dumps(summary.erased)),
            )
        }
        summary.erased = [record_id for record_id in summary.erased if record_id in held]
    _apply_records(conn, touched, erased, with_conflicts, summary)
    # Labelled after every record is in place (a finding's label names its walk), and
    # before a dry run rolls the new records back.
    if lang is not None:
        summary.changes = [
            replace(change, label=record_label(conn, change.rtype, change.record_id, lang))
            for change in summary.changes
        ]

    _observe_clock(store, newest_ts)
    _advance_vectors(conn, manifest, held_before, summary)
    peers.remember_declared(conn, manifest.sender.id, manifest.sender_vectors)
    conn.execute(
        "INSERT OR IGNORE INTO imported_bundles (file_id, body_sha256, sender, created_at,"
        " imported_at) VALUES (?, ?, ?, ?, ?)",
        (
            manifest.file_id,
            manifest.body_sha256,
            manifest.sender.id,
            manifest.created_at,
            _now(),
        ),
    )
    open_now = conn.execute("SELECT count(*) FROM conflicts").fetchone()[0]
    summary.open_conflicts = open_now
    summary.new_conflicts = max(0, open_now - conflicts_before)


def _take_entries(
    conn: sqlite3.Connection,
    schema: str,
    chained: bool,
    erased_records: set[str],
    summary: ImportSummary,
    touched: dict[str, str],
    now_ms: int,
    progress: Progress | None,
    checked: int,
    fresh_count: int,
) -> int:
    """Copy the checked entries of the bundle attached as ``schema`` into the journal,
    a range of the file at a time, by INSERT … SELECT: all but the stubs of erased entries
    and the personal entries of ``erased_records`` (erased here or by the file), which are
    dropped; those held already are ignored (a format 2 file, not ``chained``, has neither salts,
    links nor stubs). Notes in ``touched`` (record → type) each record an
    entry was added for, and returns the newest stamp added (not from a clock more than a
    day ahead: those are counted)."""
    entries = f"{schema}.entries"
    # (Passed to each range's statements: a subquery in them would read the whole file
    # again for every range.)
    erased = json.dumps(sorted(erased_records))
    erased_personal = f"scope = '{PERSONAL}' AND record_id IN (SELECT value FROM json_each(?))"
    chain_parts, not_stub = ("salt, link", "sealed IS NULL") if chained else ("NULL, NULL", "1")
    first, last = conn.execute(f"SELECT min(seq), max(seq) FROM {entries}").fetchone()
    ahead = (now_ms + MAX_FUTURE_MS) << COUNTER_BITS | ((1 << COUNTER_BITS) - 1)
    newest_ts = 0
    done = reported = 0
    before = conn.execute("SELECT COALESCE(max(seq), 0) FROM journal").fetchone()[0]
    for low in range(first or 0, (last or -1) + 1, _RANGE):
        span = (low, low + _RANGE - 1)
        total, dropped = conn.execute(
            f"SELECT count(*), count(*) FILTER (WHERE {erased_personal}) FROM {entries}"
            f" WHERE seq BETWEEN ? AND ? AND {not_stub}",
            (erased, *span),
        ).fetchone()
        last_seq = conn.execute("SELECT COALESCE(max(seq), 0) FROM journal").fetchone()[0]
        conn.execute(
            "INSERT OR IGNORE INTO main.journal (ts, device, tbl, record_id, field, value,"
            " prev_ts, prev_device, scope, salt, link) SELECT ts, device, tbl, record_id,"
            f" field, value, prev_ts, prev_device, scope, {chain_parts} FROM"
            f" {entries} WHERE seq BETWEEN ? AND ? AND {not_stub}"
            f" AND NOT ({erased_personal}) ORDER BY seq",
            (*span, erased),
        )
        # What was added, counted in SQL (not read entry by entry).
        added, future, newest = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE ts > ?), max(ts) FILTER (WHERE ts <= ?)"
            " FROM journal WHERE seq > ?",
            (ahead, ahead, last_seq),
        ).fetchone()
        summary.dropped_personal += dropped
        summary.new_entries += added
        summary.unchanged += total - dropped - added
        summary.future_stamps += future
        newest_ts = max(newest_ts, newest or 0)
        summary.erased.extend(
            row[0]
            for row in conn.execute(
                f"SELECT record_id FROM journal WHERE seq > ? AND field = '{ERASED}' ORDER BY seq",
                (last_seq,),
            )
        )
        done = min(fresh_count, done + added + dropped)
        if progress is not None and done > reported:
            progress(checked + done, checked + fresh_count)
            reported = done
    # Each record an entry was added for, in the order the file first touched it, with
    # the type of its last entry added.
    for record_id, tbl in conn.execute(
        "SELECT g.record_id, j.tbl FROM (SELECT record_id, min(seq) AS first, max(seq) AS last"
        " FROM journal NOT INDEXED WHERE seq > ? GROUP BY record_id) AS g JOIN journal AS j"
        " ON j.seq = g.last ORDER BY g.first",
        (before,),
    ):
        touched[record_id] = tbl
    if progress is not None and reported < fresh_count:
        progress(checked + fresh_count, checked + fresh_count)
    return newest_ts


#: The records erased here: their erasure markers, read from the index of those alone
#: (named: without statistics, SQLite's planner would read the whole journal's index).
_ERASED_HERE = (
    f"SELECT record_id FROM main.journal INDEXED BY journal_erasures WHERE field = '{ERASED}'"
)

#: Entries of a bundle (by its seq) per INSERT … SELECT into the journal.
_RANGE = 5000


def _apply_records(
    conn: sqlite3.Connection,
    touched: dict[str, str],
    erased: set[str],
    with_conflicts: set[str],
    summary: ImportSummary,
) -> None:
    """Bring every touched record's row in line with its journal, a batch at a time, in
    the order the file first touched them. A record new here whose journal holds one
    version per field and no marker (what most of a first import is) is written by one
    INSERT … SELECT per table and batch from the journal itself: nothing competes, so
    each field's only version is current and there is no conflict. Every other record
    (competing versions, tombstones, erasure, acknowledgements, conflicts held) goes
    through :func:`_apply_record`, the rule in full."""
    items = list(touched.items())
    ruled = erased | with_conflicts
    _register_column_function(conn)
    for start in range(0, len(items), _BATCH):
        batch = items[start : start + _BATCH]
        plain = _plain_new_records(conn, [item for item in batch if item[0] not in ruled])
        room = max(0, LISTED - len(summary.changes))
        listed = _shown_fields(conn, [i for i, _t in batch if i in plain][:room]) if room else {}
        new: dict[str, list[str]] = {}
        for record_id, tbl in batch:
            if record_id not in plain:
                _apply_record(
                    conn,
                    TYPES[tbl],
                    record_id,
                    record_id in erased,
                    record_id in with_conflicts,
                    summary,
                )
                continue
            new.setdefault(tbl, []).append(record_id)
            summary.new_records[tbl] = summary.new_records.get(tbl, 0) + 1
            if len(summary.changes) < LISTED:
                fields = listed.get(record_id, ())
                summary.changes.append(RecordChange(tbl, record_id, "", True, fields, False, ()))
        for tbl, ids in new.items():
            _insert_new(conn, TYPES[tbl], ids)


#: Records per batch of :func:`_apply_records` (well below SQLite's limit on parameters).
_BATCH = 2000


def _plain_new_records(conn: sqlite3.Connection, batch: list[tuple[str, str]]) -> set[str]:
    """Of ``batch`` (record id, type), the records with no row yet whose journal holds
    exactly one version of each field and no marker or acknowledgement (a journal field
    beginning with ``_``)."""
    if not batch:
        return set()
    ids = [record_id for record_id, _tbl in batch]
    marks = ", ".join("?" for _ in ids)
    existing: set[str] = set()
    for tbl in {tbl for _id, tbl in batch}:
        existing.update(
            row[0] for row in conn.execute(f"SELECT id FROM {tbl} WHERE id IN ({marks})", ids)
        )
    single = {
        row[0]
        for row in conn.execute(
            f"SELECT record_id FROM journal WHERE record_id IN ({marks}) GROUP BY record_id"
            " HAVING count(*) = count(DISTINCT field) AND max(substr(field, 1, 1) = '_') = 0",
            ids,
        )
    }
    return single - existing


def _shown_fields(conn: sqlite3.Connection, ids: list[str]) -> dict[str, tuple[str, ...]]:
    """For each of ``ids`` (plain new records), the fields whose column is not null once
    written, in field order: what the preview lists as changed."""
    if not ids:
        return {}
    shown: dict[str, list[str]] = {}
    for record_id, name in conn.execute(
        f"SELECT record_id, field FROM journal WHERE record_id IN ({', '.join('?' for _ in ids)})"
        f" AND value IS NOT NULL AND trim(value, {_JSON_SPACE}) != 'null'"
        " ORDER BY record_id, field",
        ids,
    ):
        shown.setdefault(record_id, []).append(name)
    return {record_id: tuple(names) for record_id, names in shown.items()}


#: The characters JSON allows around a value (a value of only these and ``null`` is null).
_JSON_SPACE = "' ' || char(9, 10, 13)"


def _insert_new(conn: sqlite3.Connection, rt: RecordType, ids: list[str]) -> None:
    """Write the rows of ``ids``, plain new records of type ``rt``, from the journal: each
    column the one version of its field, decoded as :func:`column_value` does (a JSON
    string with nothing escaped in SQL, any other value by that function itself); a field
    without a version is left empty, as it would be."""
    columns = []
    for f in rt.fields:
        fast = (
            "WHEN substr(value, 1, 1) = '\"' AND substr(value, -1, 1) = '\"'"
            " AND length(value) >= 2 AND instr(value, '\\') = 0"
            " THEN substr(value, 2, length(value) - 2)"
            if f.kind not in _ENCODED_KINDS
            else ""
        )
        columns.append(
            f"max(CASE WHEN field = '{f.name}' THEN CASE WHEN value IS NULL THEN NULL {fast}"
            f" ELSE {_COLUMN_FUNCTION}('{rt.name}', field, value) END END)"
        )
    conn.execute(
        f"INSERT INTO {rt.name} (id, {', '.join(f.name for f in rt.fields)})"
        f" SELECT record_id, {', '.join(columns)} FROM journal"
        f" WHERE record_id IN ({', '.join('?' for _ in ids)}) GROUP BY record_id",
        ids,
    )


#: The SQL function that gives :func:`column_value` of (type, field, value).
_COLUMN_FUNCTION = "trygg_column_value"


def _register_column_function(conn: sqlite3.Connection) -> None:
    conn.create_function(_COLUMN_FUNCTION, 3, _sql_column_value, deterministic=True)


def _sql_column_value(tbl: str, name: str, value: str | None) -> Any:
    """:func:`column_value`, reading a number of a decimal field with ``float`` (what
    the JSON decoder does for it, without the decoder)."""
    rt = TYPES[tbl]
    if value and value[0] in _NUMBER_START and rt.field(name).kind is Kind.REAL:
        try:
            return float(value)
        except ValueError:
            pass
    return column_value(rt, name, value)


_NUMBER_START = frozenset("-0123456789")


def _apply_record(
    conn, rt: RecordType, record_id: str, erased: bool, had_conflicts: bool, summary: ImportSummary
) -> None:
    """Bring one record's row in line with its journal: each field takes its current
    version (db/journal/versions.py); a tombstone deletes; an erasure marker erases;
    conflicts are rebuilt."""
    row = conn.execute(f"SELECT * FROM {rt.name} WHERE id = ?", (record_id,)).fetchone()
    existed = row is not None
    current = dict(row) if existed else {}
    rows = conn.execute(
        f"SELECT {conflicts.JOURNAL_COLUMNS} FROM journal WHERE record_id = ?", (record_id,)
    ).fetchall()
    newest = current_versions(rows)

    changes: dict[str, object] = {}
    for name, (_ts, _device, value) in newest.items():
        if name in (DELETED, ERASED) or name.startswith(ACK_PREFIX):
            continue
        column = column_value(rt, name, value)
        if current.get(name) != column:
            changes[name] = column
    if DELETED in newest and not current.get("deleted"):
        changes["deleted"] = 1
    if not existed:
        columns = ["id", *changes]
        conn.execute(
            f"INSERT INTO {rt.name} ({', '.join(columns)}) VALUES"
            f" ({', '.join('?' for _ in columns)})",
            [record_id, *changes.values()],
        )
        summary.new_records[rt.name] = summary.new_records.get(rt.name, 0) + 1
    elif changes:
        assignments = ", ".join(f"{name} = ?" for name in changes)
        conn.execute(
            f"UPDATE {rt.name} SET {assignments} WHERE id = ?", [*changes.values(), record_id]
        )
        summary.updated_fields += len([c for c in changes if c != "deleted"])
    if erased and ERASED in newest:
        apply_erasure(conn, rt, record_id, json.loads(newest[ERASED][2] or "{}")["date"])
        rows = conn.execute(
            f"SELECT {conflicts.JOURNAL_COLUMNS} FROM journal WHERE record_id = ?", (record_id,)
        ).fetchall()
    found = conflicts.compute(rows)
    conflicts.store_conflicts(conn, rt.name, record_id, found, had_conflicts=had_conflicts)
    fields = tuple(name for name in changes if name != "deleted")
    deleted = "deleted" in changes
    if (not existed or fields or deleted or found) and len(summary.changes) < LISTED:
        summary.changes.append(
            RecordChange(
                rt.name,
                record_id,
                "",
                new=not existed,
                fields=fields,
                deleted=deleted,
                conflicts=tuple(sorted({f for f, _w, _l in found})),
            )
        )


def column_value(rt: RecordType, name: str, value: str | None) -> object:
    """What a row's column holds for the journal value ``value`` of field ``name``."""
    return Store._encode_column(rt, name, None if value is None else json.loads(value))


def _imported_before(store: Store, manifest: Manifest) -> bool:
    row = store.conn.execute(
        "SELECT 1 FROM imported_bundles WHERE file_id = ? AND body_sha256 = ?",
        (manifest.file_id, manifest.body_sha256),
    ).fetchone()
    return row is not None


def _observe_clock(store: Store, newest_ts: int) -> None:
    """Later local writes must order after everything received (but a stamp from a device
    whose clock runs more than a day ahead does not drag ours; it was flagged)."""
    if not newest_ts:
        return
    ms, counter = newest_ts >> COUNTER_BITS, newest_ts & ((1 << COUNTER_BITS) - 1)
    store.conn.execute(
        "INSERT INTO clock (id, ms, counter) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET"
        " ms = excluded.ms, counter = excluded.counter"
        " WHERE (excluded.ms, excluded.counter) > (clock.ms, clock.counter)",
        (ms, counter),
    )


def _advance_vectors(
    conn, manifest: Manifest, held_before: vec.Vectors, summary: ImportSummary
) -> None:
    gaps: set[str] = set()
    for scope in manifest.scopes:
        sender = manifest.sender_vectors.get(scope, {})
        base = manifest.base_vectors.get(scope, {})
        ours = held_before.get(scope, {})
        for device in set(sender) | set(base):
            if base.get(device, 0) > ours.get(device, 0):
                gaps.add(device)  # entries in between are missing here: claim nothing
            elif sender.get(device):
                vec.advance(conn, scope, device, sender[device])
    names = peers.names(conn)
    summary.gaps = sorted(names.get(d, d[:8]) for d in gaps)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
