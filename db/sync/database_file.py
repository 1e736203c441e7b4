"""A colleague's Trygg database, read like a full export from its device.

Users hand each other database files as well as exported ones. ``trygg import
colleague.db`` reads such a file as its device would export everything it holds: the
journal entries up to the vectors it claims (a device relays exactly what it claims), in
both scopes, with its own device card as the sender.

The file is opened read-only (never migrated, never written), with ``trusted_schema``
off, its integrity checked, and read only through known tables and columns with
parameterised queries; every entry is checked as strictly as a bundle's. A database
carries no signature, so whoever has the file could have written it: it is taken as its
device's only if it holds that device's private key (checked against the public key,
then forgotten — never stored). The pinned key is then compared as for a signed file, so
a crafted database cannot speak for a colleague already met.

Its entries are proved like a file's (docs/authenticity.md): the chains it holds, up to
the heads their origins signed (kept in it), and its own device's chains, whose heads the
private key it holds signs, in memory, for this reading only. A database from before
chains (schema below 8) offers only unverified entries.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from db.database import APPLICATION_ID
from db.errors import TryggError
from db.journal import vectors as vec
from db.migrations import SCHEMA_VERSION
from db.peers import DeviceCard
from db.protect import keys
from db.protect.keys import Secrets
from db.records import PERSONAL, POLIS
from db.sync import authenticity
from db.sync.bundle import Entry, Progress, Row, chunk_lines, entry_problem, problem_phrase
from db.sync.held import Held
from db.sync.manifest import SEKRETESS, ChainHead, Manifest, ManifestProblem, device_card

_SQLITE_HEADER = b"SQLite format 3\x00"
#: The oldest schema whose devices carry keys (schema 4 brought signing).
OLDEST_SCHEMA = 4
_COLUMNS = {
    "journal": {"seq", "ts", "device", "tbl", "record_id", "field", "value", "prev_ts"}
    | {"prev_device", "scope"},
    "devices": {"id", "name", "org", "is_self", "public_key"},
    "vectors": {"scope", "device", "ts"},
    "device_secrets": {"device_id", "signing_key"},
}
_CHUNK = 5000
#: The entries a device relays: those up to what its vectors claim.
_ENTRIES = (
    "SELECT j.ts, j.device, j.tbl, j.record_id, j.field, j.value, j.prev_ts, j.prev_device,"
    " j.scope FROM journal j JOIN vectors v ON v.scope = j.scope"
    " AND v.device = j.device AND j.ts <= v.ts"
)
#: The same with their chain parts, and the erased stubs, in chain order (schema 8 on).
_CHAINED = (
    "SELECT j.ts, j.device, j.tbl, j.record_id, j.field, j.value, j.prev_ts, j.prev_device,"
    " j.scope, j.salt, j.link, NULL FROM journal j JOIN vectors v ON v.scope = j.scope"
    " AND v.device = j.device AND j.ts <= v.ts"
    " UNION ALL SELECT e.ts, e.device, e.tbl, e.record_id, e.field, NULL, e.prev_ts,"
    " e.prev_device, e.scope, NULL, e.link, e.sealed FROM journal_erased e JOIN vectors v"
    " ON v.scope = e.scope AND v.device = e.device AND e.ts <= v.ts"
    " ORDER BY 2, 9, 1, 4, 5"
)


def is_trygg_database(path: Path) -> bool:
    """True if ``path`` is an SQLite file marked as a Trygg database (a bundle is not)."""
    try:
        with path.open("rb") as handle:
            if handle.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
                return False
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            return conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        finally:
            conn.close()
    except (OSError, sqlite3.DatabaseError):
        return False


class DatabaseReader:
    """A colleague's database, opened read-only, presenting itself as a full export.
    Call :meth:`check` before reading entries."""

    def __init__(self, path: Path, *, shown: Path | None = None) -> None:
        self.path = path
        self.shown = shown or path
        self._conn: sqlite3.Connection | None = None
        self.manifest: Manifest | None = None
        #: Per (origin, scope), what of its chain can be proved (schema 8 on).
        self._parts: dict[tuple[str, str], authenticity.ChainPart] | None = None
        #: How many of its entries :meth:`check` found not held by the receiver, and
        #: how many held.
        self.fresh_count = 0
        self.held_count = 0

    def __enter__(self) -> DatabaseReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def peek(self) -> Manifest:
        """Open the file, check its schema and its device's key, and say who it is from
        (entry count and hash not yet known)."""
        self.close()
        try:
            self._conn = self._open()
            return self._sender_manifest(self._conn)
        except sqlite3.DatabaseError:
            raise self._damaged() from None

    def check(
        self,
        proof: authenticity.FileProof | None = None,
        held: Held | None = None,
        progress: Progress | None = None,
    ) -> Manifest:
        """Check the whole file — integrity, every entry the device would export, each
        shown to ``proof`` — and return its manifest, or raise a TryggError saying why
        not. With ``held`` (db/sync/held.py), the entries the receiver holds exactly,
        key and content, are not checked against the schema again. ``progress`` hears
        (entries read, 0: their number is known only at the end) a chunk at a time."""
        manifest = self.peek()
        conn = self._conn
        assert conn is not None
        try:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise self._damaged()
            digest = hashlib.sha256()
            count = 0
            personal = False
            self.fresh_count = self.held_count = 0
            for chunk in _in_chunks(self._rows(conn)):
                skip = held(chunk) if held is not None else set()
                self.held_count += len(skip)
                for position, entry in enumerate(chunk):
                    if position not in skip:
                        self.fresh_count += entry[11] is None
                        problem = entry_problem(entry[:9], manifest.scopes)
                        if problem:
                            raise TryggError(
                                "bundle.bad_entry",
                                path=str(self.shown),
                                problem=problem_phrase(problem),
                            )
                    if proof is not None:
                        proof.add(entry)
                # An erased entry's place is not an entry to take in.
                entries = [entry[:9] for entry in chunk if entry[11] is None]
                digest.update(chunk_lines(entries))
                count += len(entries)
                personal = personal or any(entry[8] == PERSONAL for entry in entries)
                if progress is not None:
                    progress(count, 0)
            if proof is not None:
                proof.finish()
            duplicates = conn.execute(
                f"SELECT 1 FROM ({_ENTRIES}) GROUP BY record_id, field, ts, device"
                " HAVING count(*) > 1 LIMIT 1"
            ).fetchone()
        except sqlite3.DatabaseError:
            raise self._damaged() from None
        if duplicates:
            raise TryggError("bundle.duplicate_entries", path=str(self.shown))
        body = digest.hexdigest()
        self.manifest = Manifest(
            file_id=f"database-{body[:32]}",
            created_at=manifest.created_at,
            sender=manifest.sender,
            sender_key=manifest.sender_key,
            profile=manifest.profile,
            sender_vectors=manifest.sender_vectors,
            base_vectors={},
            devices=manifest.devices,
            entry_count=count,
            body_sha256=body,
            marking=SEKRETESS if personal else None,
            schema_version=manifest.schema_version,
            chains=manifest.chains,
        )
        return self.manifest

    def chunks(self) -> Iterator[list[Entry]]:
        """The checked entries, in journal order, a bounded chunk at a time."""
        if self._conn is None or self.manifest is None:
            raise RuntimeError("check() first")
        return self._chunks(self._conn)

    def stubs(self) -> list[Row]:
        """The places of erased entries it holds, within what it claims."""
        if self._conn is None or self.manifest is None:
            raise RuntimeError("check() first")
        return [row for row in self._rows(self._conn) if row[11] is not None]

    def personal_linked(self, record_ids: set[str]) -> list[Row]:
        """Its linked personal entries of ``record_ids``."""
        if self._conn is None or self.manifest is None:
            raise RuntimeError("check() first")
        return [
            row
            for row in self._rows(self._conn)
            if row[3] in record_ids
            and row[8] == PERSONAL
            and row[10] is not None
            and row[11] is None
        ]

    def entries(self) -> Iterator[Entry]:
        for chunk in self.chunks():
            yield from chunk

    def origins(self) -> set[str]:
        """The devices whose entries the export carries."""
        if self._conn is None or self.manifest is None:
            raise RuntimeError("check() first")
        return {row[1] for chunk in self._chunks(self._conn) for row in chunk}

    def records_with_field(self, field: str) -> set[str]:
        if self._conn is None or self.manifest is None:
            raise RuntimeError("check() first")
        return {row[3] for chunk in self._chunks(self._conn) for row in chunk if row[4] == field}

    # -- opening and checking ------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        uri = self.path.resolve().as_uri()
        if Path(f"{self.path}-wal").exists():
            # In use, or copied with its log: the latest changes are in the log, which
            # only a (read-only) connection that shares its locks may read.
            try:
                conn = sqlite3.connect(f"{uri}?mode=ro", uri=True)
                conn.execute("PRAGMA trusted_schema = OFF")
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError as exc:
                raise TryggError(
                    "bundle.unreadable", path=str(self.shown), reason=str(exc)
                ) from None
        else:
            # A file at rest (handed over, on a stick): read as it is, leaving nothing
            # beside it.
            conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)
            conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA query_only = ON")
        return conn

    def _sender_manifest(self, conn: sqlite3.Connection) -> Manifest:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise TryggError("bundle.not_trygg", path=str(self.shown))
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise TryggError("bundle.newer", path=str(self.shown), version=version)
        if version < OLDEST_SCHEMA:
            raise TryggError("bundle.database_too_old", path=str(self.shown))
        for table, wanted in _COLUMNS.items():
            kind = conn.execute(
                "SELECT type FROM sqlite_master WHERE name = ?", (table,)
            ).fetchone()
            columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            if kind is None or kind[0] != "table" or not wanted <= columns:
                raise self._damaged()
        rows = conn.execute(
            "SELECT d.id, d.name, d.org, d.public_key, s.signing_key FROM devices d"
            " LEFT JOIN device_secrets s ON s.device_id = d.id WHERE d.is_self = 1"
        ).fetchall()
        if len(rows) != 1:
            raise TryggError("bundle.database_no_device", path=str(self.shown))
        device_id, name, org, public_key, signing_key = rows[0]
        if not keys.is_public_key(public_key) or not keys.holds_private_key(
            signing_key, str(public_key)
        ):
            raise TryggError("bundle.database_no_key", path=str(self.shown))
        claimed: vec.Vectors = {}
        for scope, origin, ts in conn.execute("SELECT scope, device, ts FROM vectors"):
            claimed.setdefault(scope, {})[origin] = ts
        proved = self._prove(conn, str(device_id), str(signing_key), claimed)
        listed = []
        for row in conn.execute("SELECT id, name FROM devices WHERE is_self = 0"):
            try:
                listed.append(device_card({"id": row[0], "name": row[1]}))
            except ValueError:
                continue  # a name it could not have exported is not passed on
        try:
            sender = device_card({"id": device_id, "name": name, "org": org})
            manifest = Manifest(
                file_id="database",
                created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                sender=sender,
                sender_key=str(public_key),
                profile=POLIS,
                sender_vectors=claimed,
                base_vectors={},
                devices=tuple(DeviceCard(c.id, c.name, None) for c in listed),
                schema_version=version,
                chains=proved,
            )
            manifest.check_shape()
        except ValueError as problem:
            if isinstance(problem, ManifestProblem):
                raise TryggError(problem.key, path=str(self.shown), **problem.params) from None
            raise self._damaged() from None
        return manifest

    def _prove(
        self, conn: sqlite3.Connection, own: str, signing_key: str, claimed: vec.Vectors
    ) -> tuple[ChainHead, ...]:
        """What of each chain it holds can be proved, as its device would export it:
        ``claimed`` is lowered where it holds no head that far."""
        if not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'chain_heads'"
        ).fetchone():
            self._parts = None
            return ()
        sign = authenticity.signer(Secrets(signing_key, "", ""))
        self._parts = {}
        for scope, vector in claimed.items():
            for origin, upto in vector.items():
                part = authenticity.chain_part(conn, own, sign, origin, scope, 0, upto, keep=False)
                self._parts[(origin, scope)] = part
                if part.cut is not None:
                    vector[origin] = part.cut[0]
        return tuple(p.chain for p in self._parts.values() if p.chain is not None)

    def _rows(self, conn: sqlite3.Connection) -> Iterator[Row]:
        """Every entry it relays as twelve parts, in chain order (schema 8 on; before, in
        journal order and unlinked); what cannot be proved is left out."""
        if self._parts is None:
            for row in conn.execute(f"{_ENTRIES} ORDER BY j.seq"):
                yield (*row, None, None, None)
            return
        for row in conn.execute(_CHAINED):
            part = self._parts.get((row[1], row[8]))
            if part is not None and part.sends(row[0], row[3], row[4], row[10]):
                yield row

    def _chunks(self, conn: sqlite3.Connection) -> Iterator[list[Entry]]:
        chunk: list[Entry] = []
        for row in self._rows(conn):
            if row[11] is None:
                chunk.append(row[:11])
                if len(chunk) >= _CHUNK:
                    yield chunk
                    chunk = []
        if chunk:
            yield chunk

    def _damaged(self) -> TryggError:
        return TryggError("bundle.damaged", path=str(self.shown))


def _in_chunks(rows: Iterator[Row]) -> Iterator[list[Row]]:
    """``rows`` a bounded chunk at a time."""
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
