"""The bundle file: what one device sends another.

A bundle is a small SQLite database with two tables: ``manifest`` (key → JSON value) and
``entries`` (journal entries, in order). The manifest holds the format and schema
version, the sender, a file id, when it was made, the profile and its scopes, the sender's
vectors, the vectors it assumed the receiver had, counts, the names of the devices whose
entries it carries, and the SHA-256 of the entries.

A received file is opened read-only with ``immutable=1`` and ``trusted_schema=OFF``, its
schema compared with the expected one exactly, its integrity, hash and every entry checked
before anything is written anywhere, and it is read only through these known tables with
parameterised queries, row by row, so memory stays bounded whatever its size.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from db.dates import parse_iso_date
from db.errors import Phrase, TryggError
from db.files import atomic_file, is_database_in_use
from db.ids import is_id
from db.journal import vectors as vec
from db.journal.markers import ACK_PREFIX, DELETED, ERASED
from db.records import PERSONAL, TYPES, Kind
from db.sync.held import Held, held_whole
from db.sync.manifest import ChainHead, Manifest, ManifestProblem
from db.validation import Refused, clean_value


class Proof(Protocol):
    """What checks each entry's chain while the file is read (db/sync/authenticity.py)."""

    def add(self, row: Row) -> None: ...

    def add_all(self, rows: Iterable[Row]) -> None: ...

    def finish(self) -> None: ...

    def tops(self) -> list[tuple[str, str, int]] | None: ...

    #: Entries seen that no chain proves (from a Trygg before chains).
    unverified: int


SUFFIX = ".trygg"
_HEADER = b"SQLite format 3\x00"
_AGE_HEADER = b"age-encryption.org/"
_ARMOUR = b"-----BEGIN AGE ENCRYPTED FILE-----"

SCHEMA_SQL = (
    "CREATE TABLE manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE entries (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL,"
    " device TEXT NOT NULL, tbl TEXT NOT NULL, record_id TEXT NOT NULL,"
    " field TEXT NOT NULL, value TEXT, prev_ts INTEGER, prev_device TEXT,"
    " scope TEXT NOT NULL, salt TEXT, link BLOB, sealed TEXT)",
)
#: The schema of a format 2 file (before chains), still read.
SCHEMA_SQL_2 = (
    SCHEMA_SQL[0],
    "CREATE TABLE entries (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL,"
    " device TEXT NOT NULL, tbl TEXT NOT NULL, record_id TEXT NOT NULL,"
    " field TEXT NOT NULL, value TEXT, prev_ts INTEGER, prev_device TEXT,"
    " scope TEXT NOT NULL)",
)
_EXPECTED_MASTER = {
    ("table", "manifest"),
    ("index", "sqlite_autoindex_manifest_1"),
    ("table", "entries"),
}

#: One journal entry as it is merged: ts, device, tbl, record_id, field, value (JSON
#: text), prev_ts, prev_device, scope, salt, link.
Entry = tuple[
    int, str, str, str, str, "str | None", "int | None", "str | None", str, "str | None", Any
]
#: Called now and then while a file is read or written: (entries done, entries in all).
Progress = Callable[[int, int], None]
#: One row of a file's ``entries`` as it travels: an Entry and ``sealed`` (a stub's
#: commitment, else None).
Row = tuple[Any, ...]
_CHUNK = 5000
#: The name a received file is attached under, to be compared with the journal in SQL.
_ATTACHED = "incoming"
_COLUMNS = "ts, device, tbl, record_id, field, value, prev_ts, prev_device, scope"
_COLUMNS_3 = _COLUMNS + ", salt, link, sealed"
#: Each origin and scope of a file with its newest stamp, in the order of the two.
_HIGHEST = "SELECT device, scope, max(ts) FROM entries GROUP BY device, scope ORDER BY 1, 2"


def entry_line(entry: Row) -> bytes:
    """The canonical bytes of one entry for the body hash (a format 2 entry has nine
    parts; a link is written as hex)."""
    parts = list(entry)
    if len(parts) > 10 and parts[10] is not None:
        parts[10] = bytes(parts[10]).hex()
    return (json.dumps(parts, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _hex(part: Any) -> str:
    """A link (the only bytes a row holds) as its line writes it: hex. Anything else that
    is not JSON is refused as ``json.dumps`` refuses it."""
    if isinstance(part, bytes | bytearray | memoryview):
        return bytes(part).hex()
    raise TypeError(f"{type(part).__name__} is not JSON")


_LINE_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_hex)
#: ``_LINE_ENCODER``'s own C encoder (what its ``encode`` calls, made once here rather
#: than once per chunk): None where Python has no C accelerator for JSON.
_make_c_encoder = getattr(json.encoder, "c_make_encoder", None)
_C_LINE_ENCODER = (
    None
    if _make_c_encoder is None
    # (markers, default, string encoder, indent, separators, sort_keys, skipkeys,
    # allow_nan: as JSONEncoder passes them for ensure_ascii=False and these separators)
    else _make_c_encoder(
        None, _hex, json.encoder.encode_basestring, None, ":", ",", False, False, True
    )
)
#: Where one row's line ends and the next begins, in a chunk encoded as one JSON array.
_BETWEEN_ROWS = "],["


def chunk_lines(chunk: Sequence[Row]) -> bytes:
    """``entry_line`` of each row of ``chunk``, joined: the same bytes (a link, the only
    bytes a row holds, written as hex), made by encoding the whole chunk as one JSON
    array of rows, its rows then split into lines where ``],[`` joins two of them. Where
    a row's own text holds ``],[`` (inside a string: then there are more of them than
    joins), each row is encoded on its own."""
    if not chunk:
        return b""
    if _C_LINE_ENCODER is not None:
        text = "".join(_C_LINE_ENCODER(chunk, 0))
    else:
        text = _LINE_ENCODER.encode(chunk)
    if len(chunk) == 1 or text.count(_BETWEEN_ROWS) == len(chunk) - 1:
        return (text[1:-1].replace(_BETWEEN_ROWS, "]\n[") + "\n").encode()
    encode = _LINE_ENCODER.encode
    return ("\n".join([encode(row) for row in chunk]) + "\n").encode()


def write_bundle(
    path: Path,
    manifest: Manifest,
    entries: Iterable[Row],
    *,
    signing_key: str,
    private: bool = True,
) -> Manifest:
    """Write a bundle to ``path`` atomically (a temporary name, then rename). The manifest's
    ``entry_count`` and ``body_sha256`` are filled in here, its device cards narrowed to the
    devices whose entries the file carries, and the whole manifest is signed with
    ``signing_key``. Returns the manifest as written.

    A ``private`` file is readable by its owner only; a mailbox file keeps the folder's
    usual permissions, since the colleagues sharing the folder must read it."""
    with atomic_file(path, private=private) as tmp:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            written = _fill(conn, manifest, entries, signing_key)
        finally:
            conn.close()
    return written


def bundle_bytes(
    manifest: Manifest, entries: Iterable[Row], *, signing_key: str
) -> tuple[bytes, Manifest]:
    """A bundle built in memory, as the bytes of its file, and the manifest as written:
    what is encrypted before it is written, so that its plaintext never reaches a disk."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.execute("PRAGMA temp_store = MEMORY")
        written = _fill(conn, manifest, entries, signing_key)
        return conn.serialize(), written
    finally:
        conn.close()


def _fill(
    conn: sqlite3.Connection, manifest: Manifest, entries: Iterable[Row], signing_key: str
) -> Manifest:
    """Write the schema, the entries and the completed, signed manifest into ``conn``."""
    digest = hashlib.sha256()
    count = 0
    origins: set[str] = set()
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    for sql in SCHEMA_SQL:
        conn.execute(sql)
    chunk: list[Row] = []
    for entry in entries:
        digest.update(entry_line(entry))
        origins.add(entry[1])
        chunk.append(entry)
        count += 1
        if len(chunk) >= _CHUNK:
            _insert(conn, chunk)
            chunk = []
    _insert(conn, chunk)
    written = manifest.completed(count, digest.hexdigest(), origins)
    conn.executemany(
        "INSERT INTO manifest (key, value) VALUES (?, ?)",
        [
            (key, json.dumps(value, ensure_ascii=False))
            for key, value in written.signed(signing_key).items()
        ],
    )
    conn.execute("COMMIT")
    return written


def _insert(conn: sqlite3.Connection, chunk: list[Row]) -> None:
    if chunk:
        conn.executemany(
            f"INSERT INTO entries ({_COLUMNS_3}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            chunk,
        )


class BundleReader:
    """A received bundle, opened read-only. Call :meth:`check` before anything else.

    ``data``, when given, is the bundle itself, decrypted in memory: it is read from
    there (``path`` is then the encrypted original, for messages), and never written to
    a disk."""

    def __init__(self, path: Path, *, shown: Path | None = None, data: bytes | None = None) -> None:
        self.path = path
        #: The name messages use (the encrypted original when reading a decrypted copy).
        self.shown = shown or path
        self._data = data
        self._in_memory = data is not None
        self._conn: sqlite3.Connection | None = None
        self.manifest: Manifest | None = None
        #: The file has the chained schema (format 3); else it is a format 2 file.
        self._chained = True
        #: How many of its entries :meth:`check` found not held by the receiver (all of
        #: them when it was not told which are held), and how many held.
        self.fresh_count = 0
        self.held_count = 0
        #: The devices whose entries the file carries, as the check found them.
        self._origins: set[str] = set()
        #: The check found every entry linked with its value in the clear: no stub.
        self._all_clear = False

    def __enter__(self) -> BundleReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def check(
        self, proof: Proof | None = None, held: Held | None = None, progress: Progress | None = None
    ) -> Manifest:
        """Check the whole file; return its manifest or raise a TryggError saying why not.
        ``proof``, when given, is shown every entry in file order (the chains' check:
        db/sync/authenticity.py) and told when they are all seen. Every entry is hashed
        and proved; with ``held`` (db/sync/held.py), the entries the receiver holds
        exactly, key and content, are not checked against the schema again. ``progress``
        hears (entries read, entries in the file) a chunk at a time."""
        manifest = self.peek()
        try:
            assert self._conn is not None
            if self._conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise self._damaged()
            self._check_entries(self._conn, manifest, proof, held, progress)
        except sqlite3.DatabaseError:
            raise self._damaged() from None
        self.manifest = manifest
        return manifest

    def check_held(self, conn: sqlite3.Connection) -> tuple[Manifest, list[ChainHead]] | None:
        """The manifest, with the file taken as checked, when it carries nothing the
        journal of ``conn`` does not hold exactly and every entry is proved in its chain
        by what that journal holds (db/sync/held.py, :func:`held_whole`): found in SQL,
        with the file attached to ``conn``, no entry read one by one (its body is not
        hashed either: what it carries is what its signed heads say, all held). None
        when that cannot be shown: :meth:`check` then checks it whole. With the manifest,
        the chains its entries were proved in. ``conn`` must not be in a transaction."""
        manifest = self.peek()
        if not self._chained:
            return None  # a format 2 file: nothing in it proved by a chain
        try:
            assert self._conn is not None
            with self.attached(conn) as schema:
                if schema is None:
                    return None
                proved = held_whole(conn, schema, manifest)
            # (Its integrity only once all is found held: a file with anything new, a
            # first import above all, has it checked once, by the whole check.)
            if proved is None or self._conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return None
        except sqlite3.DatabaseError:
            return None  # the whole check says why
        self.manifest = manifest
        self.fresh_count, self.held_count = 0, manifest.entry_count
        # (Every entry is in a run of one of these chains, and each chain in a run.)
        self._origins = {chain.head.device for chain in proved}
        self._all_clear = True  # (every entry held exactly, and a stub is never held)
        return manifest, proved

    @property
    def chained(self) -> bool:
        """The file has the chained schema (format 3: salt, link, sealed); else format 2."""
        return self._chained

    @contextmanager
    def attached(self, conn: sqlite3.Connection) -> Iterator[str | None]:
        """This file attached to ``conn`` read-only, as the schema yielded (None when it
        cannot be). ``conn`` must not be in a transaction."""
        if self._conn is None:
            self._open()
        assert self._conn is not None
        if not self._in_memory:
            # Where URIs were not understood, SQLite would create a file of that name:
            # the name attached is checked to be this file before anything is read.
            uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
            conn.execute(f"ATTACH DATABASE ? AS {_ATTACHED}", (uri,))
            try:
                attached = {row[1]: row[2] for row in conn.execute("PRAGMA database_list")}
                if Path(attached.get(_ATTACHED) or "") != self.path.resolve():
                    yield None
                else:
                    yield _ATTACHED
            finally:
                conn.execute(f"DETACH DATABASE {_ATTACHED}")
        else:
            # Read from memory (decrypted): a copy of it, in memory, on ``conn``.
            conn.execute(f"ATTACH DATABASE ':memory:' AS {_ATTACHED}")
            try:
                conn.deserialize(self._conn.serialize(), name=_ATTACHED)
                yield _ATTACHED
            finally:
                conn.execute(f"DETACH DATABASE {_ATTACHED}")

    def peek(self) -> Manifest:
        """Check the header, the schema and the manifest only (cheap: for deciding whether
        a file is worth reading at all). :meth:`check` is still needed before use."""
        try:
            conn = self._conn or self._open()
            master = {(t, n) for t, n in conn.execute("SELECT type, name FROM sqlite_master")}
            sqls = [r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE type='table'")]
            if master != _EXPECTED_MASTER or sorted(sqls) not in (
                sorted(SCHEMA_SQL),
                sorted(SCHEMA_SQL_2),
            ):
                raise TryggError("bundle.not_trygg", path=str(self.shown))
            self._chained = sorted(sqls) == sorted(SCHEMA_SQL)
            manifest = self._read_manifest(conn)
            if self._chained != (manifest.format_version >= 3):
                raise self._damaged()
            return manifest
        except sqlite3.DatabaseError:
            raise self._damaged() from None

    def _open(self) -> sqlite3.Connection:
        if self._data is not None:
            head, size = self._data[:64], len(self._data)
        else:
            head, size = self._read_head()
        self._check_header(head, size)
        if self._data is not None:
            conn = sqlite3.connect(":memory:", isolation_level=None)
            self._conn = conn
            conn.deserialize(self._data)
            self._data = None  # SQLite holds its own copy now
            conn.execute("PRAGMA query_only = ON")
            # Sorting and grouping stay in memory too: no plaintext in temporary files.
            conn.execute("PRAGMA temp_store = MEMORY")
        else:
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
            self._conn = conn
        conn.execute("PRAGMA trusted_schema = OFF")
        return conn

    def _read_head(self) -> tuple[bytes, int]:
        if is_database_in_use(self.path):
            # Reading it with open() would drop this process's SQLite locks on it.
            raise TryggError("bundle.own_database", path=str(self.shown))
        try:
            with self.path.open("rb") as handle:
                head = handle.read(64)
            return head, self.path.stat().st_size
        except OSError as exc:
            raise TryggError(
                "bundle.unreadable", path=str(self.shown), reason=exc.strerror
            ) from None

    def _check_header(self, head: bytes, size: int) -> None:
        if size == 0:
            raise TryggError("bundle.empty", path=str(self.shown))
        if head.startswith(_AGE_HEADER) or head.lstrip().startswith(_ARMOUR):
            raise TryggError("bundle.encrypted", path=str(self.shown))
        if not head.startswith(_HEADER):
            raise TryggError("bundle.not_trygg", path=str(self.shown))
        if size < 512 or size % 512:
            raise self._damaged()

    def _damaged(self) -> TryggError:
        return TryggError("bundle.damaged", path=str(self.shown))

    def _read_manifest(self, conn: sqlite3.Connection) -> Manifest:
        raw: dict[str, Any] = {}
        for key, value in conn.execute("SELECT key, value FROM manifest"):
            try:
                raw[key] = json.loads(value)
            except (json.JSONDecodeError, TypeError):
                raise self._damaged() from None
        try:
            return Manifest.from_signed(raw)
        except ManifestProblem as problem:
            raise TryggError(problem.key, path=str(self.shown), **problem.params) from None

    def _check_entries(
        self,
        conn: sqlite3.Connection,
        manifest: Manifest,
        proof: Proof | None,
        held: Held | None = None,
        progress: Progress | None = None,
    ) -> None:
        digest = hashlib.sha256()
        count = 0
        self.fresh_count = self.held_count = 0
        self._origins = set()
        # A damaged file is reported as damaged: a proof's refusal waits for the body
        # hash and the other checks.
        unproved: TryggError | None = None
        # Where the chains can prove every entry byte for byte, the body hash is taken
        # only if they do not (see _chains_cover).
        self._all_clear = self._chains_cover(conn)
        deferred = proof is not None and self._all_clear
        for chunk in self._rows(conn):
            if not deferred:
                digest.update(self._lines(chunk))
            self._origins.update({row[1] for row in chunk})
            count += len(chunk)
            skip = held(chunk) if held is not None else set()
            self.held_count += len(skip)
            fresh, problem = chunk_problem(chunk, skip, manifest.scopes)
            self.fresh_count += fresh
            if problem:
                raise TryggError(
                    "bundle.bad_entry", path=str(self.shown), problem=problem_phrase(problem)
                )
            if proof is not None and unproved is None:
                try:
                    proof.add_all(chunk)
                except TryggError as refusal:
                    unproved = refusal
            if progress is not None:
                progress(count, manifest.entry_count)
        # Where the proof holds every entry linked and each origin in one run, the file
        # can hold no entry twice and its runs' heads give each origin's newest stamp:
        # the two queries over the whole file are not needed (their refusals would come
        # first, so they are asked whenever the proof refuses).
        unfinished: TryggError | None = None
        tops = None
        if proof is not None and unproved is None:
            try:
                proof.finish()
                tops = proof.tops()
            except TryggError as refusal:
                unfinished = refusal
        proved = proof is not None and not (unproved or unfinished or proof.unverified)
        if deferred and not proved:
            for chunk in self._rows(conn):
                digest.update(self._lines(chunk))
        if count != manifest.entry_count or (
            (not deferred or not proved) and digest.hexdigest() != manifest.body_sha256
        ):
            raise TryggError("bundle.checksum", path=str(self.shown))
        if (
            tops is None
            and conn.execute(
                "SELECT 1 FROM entries GROUP BY record_id, field, ts, device HAVING count(*) > 1"
                " LIMIT 1"
            ).fetchone()
        ):
            raise TryggError("bundle.duplicate_entries", path=str(self.shown))
        highest = tops if tops is not None else conn.execute(_HIGHEST)
        origin = vec.unaccounted(highest, manifest.sender_vectors)
        if origin is not None:
            names = {card.id: card.name for card in (manifest.sender, *manifest.devices)}
            device = names.get(origin, origin[:8])
            raise TryggError("bundle.undeclared", path=str(self.shown), device=device)
        if unproved is not None:
            raise unproved
        if unfinished is not None:
            raise unfinished

    def _chains_cover(self, conn: sqlite3.Connection) -> bool:
        """Whether every entry of the file is linked with its value in the clear: then,
        once the proof has followed each chain to its signed head, every part of every
        entry (what its line writes: its leaf and its link, db/journal/chains.py) is
        proved its origin's, and the body hash, which would prove the same bytes again,
        is not needed. A personal entry is not covered: its leaf holds only its
        commitment, the same for the entry and for its erased stub, so only the body
        hash shows a stub put in its place after the sender signed."""
        if not self._chained:
            return False
        uncovered = "link IS NULL OR salt IS NOT NULL OR sealed IS NOT NULL"
        return not conn.execute(f"SELECT 1 FROM entries WHERE {uncovered} LIMIT 1").fetchone()

    def _lines(self, chunk: list[Row]) -> bytes:
        """The lines of ``chunk`` as the body hash takes them."""
        return chunk_lines(chunk if self._chained else [e[:9] for e in chunk])

    def _rows(self, conn: sqlite3.Connection, where: str = "") -> Iterator[list[Row]]:
        """Every row, in file order, as twelve parts (a format 2 file's without salt,
        link or seal)."""
        columns = _COLUMNS_3 if self._chained else _COLUMNS + ", NULL, NULL, NULL"
        cursor = conn.execute(f"SELECT {columns} FROM entries {where} ORDER BY seq")
        while rows := cursor.fetchmany(_CHUNK):
            yield rows

    def _chunks(self, conn: sqlite3.Connection) -> Iterator[list[Entry]]:
        """The entries to merge, without the stubs of erased entries."""
        columns = (_COLUMNS + ", salt, link") if self._chained else _COLUMNS + ", NULL, NULL"
        where = "WHERE sealed IS NULL" if self._chained else ""
        cursor = conn.execute(f"SELECT {columns} FROM entries {where} ORDER BY seq")
        while rows := cursor.fetchmany(_CHUNK):
            yield rows

    def rows(self) -> Iterator[Row]:
        """Every row of the checked file, stubs included, in file order."""
        if self._conn is None or self.manifest is None:
            raise RuntimeError("check() first")
        for chunk in self._rows(self._conn):
            yield from chunk

    def stubs(self) -> list[Row]:
        """The stubs of erased entries the file carries (their places in chains)."""
        if self._conn is None or self.manifest is None:
            raise RuntimeError("check() first")
        if not self._chained or self._all_clear:
            return []
        return [
            row for chunk in self._rows(self._conn, "WHERE sealed IS NOT NULL") for row in chunk
        ]

    def personal_linked(self, record_ids: set[str]) -> list[Row]:
        """The linked personal entries the file carries for ``record_ids``."""
        if self._conn is None or self.manifest is None:
            raise RuntimeError("check() first")
        if not self._chained or not record_ids:
            return []
        return [
            row
            for chunk in self._rows(
                self._conn, "WHERE scope = 'personal' AND link IS NOT NULL AND sealed IS NULL"
            )
            for row in chunk
            if row[3] in record_ids
        ]

    def entries(self) -> Iterator[Entry]:
        """The checked entries, in file order."""
        for chunk in self.chunks():
            yield from chunk

    def chunks(self) -> Iterator[list[Entry]]:
        """The checked entries, in file order, a bounded chunk at a time."""
        if self._conn is None or self.manifest is None:
            raise RuntimeError("check() first")
        return self._chunks(self._conn)

    def origins(self) -> set[str]:
        """The devices whose entries this file carries (found by the check, which read
        every entry or proved each in its origin's chain)."""
        if self._conn is None or self.manifest is None:
            raise RuntimeError("check() first")
        return set(self._origins)

    def records_with_field(self, field: str) -> set[str]:
        """Ids of the records that have an entry for ``field`` in this file."""
        if self._conn is None or self.manifest is None:
            raise RuntimeError("check() first")
        return {
            row[0]
            for row in self._conn.execute(
                "SELECT DISTINCT record_id FROM entries WHERE field = ?", (field,)
            )
        }


def chunk_problem(
    chunk: Sequence[Row], skip: set[int], scopes: tuple[str, ...]
) -> tuple[int, str | None]:
    """How many of ``chunk``'s rows (twelve parts each) not at a position in ``skip`` are
    entries rather than stubs, and why the first of those rows that does not fit does
    not (``entry_problem``, then ``_chain_problem``), or None if they all fit.

    Runs over every row of a file checked whole, so the common row is judged in one
    lean pass: what is known to fit within the chunk (a device, a record id: a record's
    entries come together; a (type, field, scope, value)) is not checked again, and a row
    whose every part is found fine here is taken without asking ``entry_problem``. A row
    with any part not found fine (or not of the common shape: a personal entry, a stub,
    a salt) is judged by ``entry_problem`` and ``_chain_problem`` themselves, which give
    the reason: this pass only ever finds a row fine where they do."""
    known: dict[tuple[Any, ...], str | None] = {}  # per chunk: memory stays bounded
    devices: set[Any] = set()
    ids: set[Any] = set()
    fresh = 0
    types = TYPES
    missing = _MISSING
    for position, row in enumerate(chunk):
        if skip and position in skip:
            continue
        ts, device, tbl, record_id, field, value, prev_ts, prev_by, scope, salt, link, sealed = row
        if sealed is None:
            fresh += 1
        if (
            type(ts) is int
            and ts > 0
            and (device in devices or _fine_device(device, devices))
            and tbl in types
            and (record_id in ids or _fine_id(record_id, ids))
            and (
                (prev_ts is None and prev_by is None)
                or (type(prev_ts) is int and type(prev_by) is str)
            )
            and scope in scopes
            and salt is None
            and sealed is None
            and scope != PERSONAL
            and (link is None or (type(link) is bytes and len(link) == 32))
        ):
            found = known.get((tbl, field, scope, value), missing)
            if found is None:
                continue
            if found is missing:
                fits = _fits_plainly(tbl, field, scope, value)
                found = None if fits else _value_problem(tbl, field, scope, value)
                if isinstance(value, str | None) and isinstance(field, str):
                    known[(tbl, field, scope, value)] = found
                if found is None:
                    continue
        problem = entry_problem(row[:9], scopes, known) or _chain_problem(row)
        if problem:
            return fresh, problem
    return fresh, None


#: Not found among what is known (None is a finding: nothing wrong).
_MISSING: Any = object()


def _fits_plainly(tbl: str, field: Any, scope: str, value: Any) -> bool:
    """Whether ``value`` is, at a glance, a text or a decimal number that fits field
    ``field`` of type ``tbl`` in ``scope`` as it stands: a JSON string with nothing
    escaped, no space at either end and no character a text refuses, no longer than
    the field allows; or a JSON number with a fraction or an exponent, finite, within
    the field's range. True only where ``_value_problem`` finds nothing wrong (most
    values of a file: names, notes, coordinates), without decoding or cleaning them;
    False says nothing (it is then asked)."""
    f = TYPES[tbl].find(field) if isinstance(field, str) else None
    if f is None or scope != f.scope or not isinstance(value, str) or len(value) < 3:
        return False
    kind = f.kind
    if kind is Kind.TEXT or kind is Kind.LONGTEXT:
        inner = value[1:-1]
        return (
            value[0] == value[-1] == '"'
            and '"' not in inner
            and "\\" not in inner
            # (No control character, no space other than a plain one: all a text strips.)
            and inner.isprintable()
            and inner[0] != " "
            and inner[-1] != " "
            and len(inner) <= f.max_length
        )
    if kind is Kind.REAL and _JSON_DECIMAL.fullmatch(value) is not None:
        number = float(value)  # (what the JSON decoder reads it as)
        return (
            math.isfinite(number)
            and (f.minimum is None or number >= f.minimum)
            and (f.maximum is None or number <= f.maximum)
        )
    return False


#: A JSON number that the JSON decoder reads as a float: with a fraction or an exponent.
_JSON_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)")


def _fine_device(device: Any, devices: set[Any]) -> bool:
    """Whether ``device`` is an origin's id as ``entry_problem`` takes it (then noted)."""
    if isinstance(device, str) and device and len(device) <= 64:
        devices.add(device)
        return True
    return False


def _fine_id(record_id: Any, ids: set[Any]) -> bool:
    """Whether ``record_id`` is a record id as ``entry_problem`` takes it (then noted)."""
    if is_id(record_id):
        ids.add(record_id)
        return True
    return False


def entry_problem(
    entry: tuple[Any, ...],
    scopes: tuple[str, ...],
    known: dict[tuple[Any, ...], str | None] | None = None,
) -> str | None:
    """Why ``entry`` does not fit Trygg's schema, or None if it does. ``known``, when
    given, remembers what was found of each (type, field, scope, value) — a pure function
    of those four — for the next entries (a chunk's: kommun names, choices, yes and no
    recur)."""
    if len(entry) != 9:
        return "shape"
    ts, device, tbl, record_id, field, value, prev_ts, prev_device, scope = entry
    if isinstance(ts, bool) or not isinstance(ts, int) or ts <= 0:
        return "ts"
    if not isinstance(device, str) or not device or len(device) > 64:
        return "device"
    if tbl not in TYPES:
        return f"type {str(tbl)[:40]!r}"
    if not is_id(record_id):
        return "record id"
    if (prev_ts is None) != (prev_device is None):
        return "prev"
    if prev_ts is not None and (not isinstance(prev_ts, int) or not isinstance(prev_device, str)):
        return "prev"
    if scope not in scopes:
        return "scope"
    if known is None:
        return _value_problem(tbl, field, scope, value)
    key = (tbl, field, scope, value)
    try:
        return known[key]
    except (KeyError, TypeError):  # (TypeError: a value of a type that does not hash)
        problem = _value_problem(tbl, field, scope, value)
    if isinstance(value, str | None) and isinstance(field, str):
        known[key] = problem
    return problem


def json_value(text: str) -> Any:
    """``json.loads(text)``, without the decoder for a JSON string with nothing escaped
    in it (most values): its text between the quotes is the string."""
    if (
        len(text) > 1
        and text[0] == text[-1] == '"'
        and '"' not in (inner := text[1:-1])
        and "\\" not in inner
        and inner.isprintable()  # (no control character, which JSON refuses unescaped)
    ):
        return inner
    return json.loads(text)


def _value_problem(tbl: str, field: Any, scope: str, value: Any) -> str | None:
    """Why ``value`` does not fit field ``field`` of type ``tbl`` in ``scope``, or None."""
    rt = TYPES[tbl]
    if not isinstance(field, str):
        return "field"
    if value is not None and not isinstance(value, str):
        return "value"
    try:
        decoded = None if value is None else json_value(value)
    except json.JSONDecodeError:
        return "value"
    if field == DELETED:
        ok = isinstance(decoded, dict) and vec.is_vectors({"core": decoded.get("seen", {})})
        return None if ok and scope == "core" else "deleted"
    if field == ERASED:
        ok = isinstance(decoded, dict) and _is_date(decoded.get("date"))
        return None if ok and scope == "core" else "erased"
    if field.startswith(ACK_PREFIX):
        target = field[len(ACK_PREFIX) :]
        ok = (
            rt.has(target)
            and isinstance(decoded, dict)
            and isinstance(decoded.get("ts"), int)
            and isinstance(decoded.get("device"), str)
            and scope == rt.field(target).scope
        )
        return None if ok else "ack"
    if not rt.has(field):
        return f"field {field[:40]!r}"
    f = rt.field(field)
    if scope != f.scope:
        return "scope"
    if decoded is None:
        return None
    try:
        cleaned = clean_value(f, decoded)
    except Refused:
        return f"value of {field}"
    if cleaned != decoded or (f.kind is Kind.REAL and not isinstance(decoded, float)):
        return f"value of {field}"
    return None


#: The first words of each reason ``entry_problem`` and ``_chain_problem`` give, and the
#: message that says it (what follows the words, a type's or a field's name, is kept).
_PROBLEM_PHRASES = {
    "record id": "bundle.problem.record_id",
    "value of": "bundle.problem.value_of",
    "shape": "bundle.problem.shape",
    "ts": "bundle.problem.ts",
    "device": "bundle.problem.device",
    "type": "bundle.problem.type",
    "prev": "bundle.problem.prev",
    "scope": "bundle.problem.scope",
    "field": "bundle.problem.field",
    "value": "bundle.problem.value",
    "deleted": "bundle.problem.deleted",
    "erased": "bundle.problem.erased",
    "ack": "bundle.problem.ack",
    "salt": "bundle.problem.chain",
    "link": "bundle.problem.chain",
    "sealed": "bundle.problem.chain",
}


def problem_phrase(problem: str) -> Phrase:
    """The reason an entry does not fit (``entry_problem``'s words), as the person
    reading the refusal says it."""
    for words, key in _PROBLEM_PHRASES.items():
        if problem == words or problem.startswith(words + " "):
            return Phrase(key, {"detail": problem[len(words) :].strip()})
    return Phrase("bundle.problem.other", {"detail": problem})


def _chain_problem(row: Row) -> str | None:
    """Why the chain parts of a row (salt, link, seal) do not fit, or None."""
    scope, value, salt, link, sealed = row[8], row[5], row[9], row[10], row[11]
    if salt is not None and (scope != PERSONAL or not _is_hex(salt, 32)):
        return "salt"
    if link is not None and (not isinstance(link, bytes) or len(link) != 32):
        return "link"
    if sealed is not None and (
        scope != PERSONAL
        or value is not None
        or salt is not None
        or link is None
        or not _is_hex(sealed, 64)
    ):
        return "sealed"
    if link is not None and scope == PERSONAL and salt is None and sealed is None:
        return "salt"
    if link is None and (salt is not None or sealed is not None):
        return "link"
    return None


def _is_hex(value: Any, length: int) -> bool:
    if not isinstance(value, str) or len(value) != length:
        return False
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return True


def _is_date(value: Any) -> bool:
    return parse_iso_date(value) is not None
