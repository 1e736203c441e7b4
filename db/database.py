"""Finding, opening, creating and upgrading the SQLite file of one device.

Opening is careful: a file that is not a Trygg database, is damaged, or was written by a
newer Trygg is refused after a read-only look, before anything is written to it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from db import views
from db.errors import TryggError
from db.migrations import MIGRATIONS, SCHEMA_VERSION

#: ``PRAGMA application_id`` of every Trygg database ("Tryg" in ASCII).
APPLICATION_ID = 0x54727967
#: How long SQLite itself waits for another writer's lock at a time. A write never gives
#: up (see :func:`begin_write`); this is how soon it says that it waits, and how often
#: an interrupt (Ctrl+C) is noticed while it does.
BUSY_TIMEOUT_MS = 2_000


def default_path() -> Path:
    """Where the database lives unless ``--db`` or ``TRYGG_DB`` says otherwise."""
    return platformdirs.user_data_path("trygg", appauthor=False) / "trygg.db"


def resolve_path(path: str | os.PathLike[str] | None = None) -> Path:
    """``path`` if given, else ``$TRYGG_DB``, else the platform's default location."""
    if path:
        return Path(path).expanduser()
    env = os.environ.get("TRYGG_DB")
    return Path(env).expanduser() if env else default_path()


def check_existing(path: Path) -> int:
    """Look at an existing file read-only; return its schema version (0 for an empty file).

    Raises TryggError if it is not a Trygg database, is damaged, or is newer than this Trygg.

    The file is only ever looked at through SQLite. SQLite's locks belong to the process:
    opening and closing the database file by any other means (reading its header with
    ``open()``, say) in a process that has a connection to it would drop that
    connection's locks, and another process could then delete the live write-ahead log
    (SQLite's "How To Corrupt An SQLite Database File", 2.2). The app opens a store per
    worker thread, so this check runs while the process holds connections.
    """
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _refusal(path, exc) from None
    if app_id != APPLICATION_ID and (tables or app_id):
        raise TryggError("db.not_trygg", path=str(path))
    if version > SCHEMA_VERSION:
        raise TryggError("db.newer", path=str(path), version=version, supported=SCHEMA_VERSION)
    return version


def _refusal(path: Path, exc: sqlite3.DatabaseError) -> TryggError:
    """Why SQLite could not read an existing file: not a database at all (its header is
    not SQLite's), a read-only place, unreadable, or damaged."""
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF  # the primary result code
    if path.is_dir():
        return TryggError("db.unreadable", path=str(path), reason=os.strerror(errno.EISDIR))
    if code == sqlite3.SQLITE_NOTADB:
        return TryggError("db.not_trygg", path=str(path))
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return TryggError("db.locked", path=str(path))
    if not os.access(path, os.R_OK):
        return TryggError("db.unreadable", path=str(path), reason=os.strerror(errno.EACCES))
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        # A database in WAL mode cannot even be read where nothing may be written
        # (its index file cannot be made): that is a read-only place, not damage.
        return TryggError("db.readonly", path=str(path))
    if code == sqlite3.SQLITE_CANTOPEN:
        return TryggError("db.unreadable", path=str(path), reason=str(exc))
    return TryggError("db.damaged", path=str(path))


def is_damage(error: sqlite3.Error) -> bool:
    """Whether ``error`` says the database file itself is damaged (a page that is not what
    SQLite wrote: "database disk image is malformed"), not that it is busy or full."""
    code = getattr(error, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def connect(path: Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (creating and migrating as needed) the database at ``path``.

    The connection is in autocommit mode; the store opens transactions explicitly.
    """
    if path.exists():
        check_existing(path)
    elif not create:
        raise TryggError("db.missing", path=str(path))
    else:
        _create_private_file(path)
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA trusted_schema = OFF")
        # Deleted and overwritten content is zeroed on disk, not left in free space:
        # erasure of personal data (gallring) must not be undone with a hex editor.
        conn.execute("PRAGMA secure_delete = ON")
        migrate(conn, path)
    except sqlite3.OperationalError as exc:
        raise operational_error(path, exc) from None
    return conn


def operational_error(path: Path, exc: sqlite3.OperationalError) -> TryggError:
    """The clear message for an SQLite failure: read-only, disk full, locked, or other."""
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        return TryggError("db.readonly", path=str(path))
    if "full" in text:
        return TryggError("db.disk_full", path=str(path))
    if "locked" in text or "busy" in text:
        return TryggError("db.locked", path=str(path))
    return TryggError("db.unreadable", path=str(path), reason=str(exc))


#: Told once per wait that another program holds the write lock (the path is passed).
WaitNotice = Callable[[Path | None], None]
_wait_notice: WaitNotice | None = None


def set_wait_notice(notice: WaitNotice | None) -> None:
    """Say how this process tells its user that a write waits for another program: the
    command line prints one line, the app shows a notification. Process-wide, because
    stores are opened in many places (one per worker thread in the app)."""
    global _wait_notice
    _wait_notice = notice


def is_busy(exc: sqlite3.OperationalError) -> bool:
    """Whether ``exc`` means that another connection holds the lock."""
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return True
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def begin_write(
    conn: sqlite3.Connection, path: Path | None = None, *, notice: WaitNotice | None = None
) -> None:
    """Start a write transaction (``BEGIN IMMEDIATE``), waiting as long as another writer
    holds the lock: writers wait, they never fail. An import of 20,000 records holds the
    lock for many seconds; no timeout would be long enough, so after each of SQLite's own
    waits (``BUSY_TIMEOUT_MS``) this simply asks again, having said once that it waits."""
    told = False
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise operational_error(path or Path(""), exc) from None
        if not told:
            told = True
            say = notice or _wait_notice
            if say is not None:
                say(path)


def _create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only (SQLite gives -wal and -shm the same
    mode), with any missing parent folders private too."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        return
    except OSError as exc:
        raise TryggError("db.cannot_create", path=str(path), reason=exc.strerror) from None


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, path: Path | None = None) -> list[int]:
    """Apply every pending migration in one transaction; return the versions applied.

    A file that is up to date is not locked at all (opening a store must not wait for, or
    hold up, another program's long import)."""
    if schema_version(conn) == SCHEMA_VERSION:
        return []
    begin_write(conn, path)
    try:
        current = schema_version(conn)
        if current > SCHEMA_VERSION:  # another process upgraded it meanwhile
            raise TryggError("db.newer", path="", version=current, supported=SCHEMA_VERSION)
        applied = []
        # A view names its table's columns, and a migration may change a table: the views
        # are made again afterwards, from the record registry as it then stands.
        views.drop_views(conn)
        for migration in MIGRATIONS:
            if migration.version <= current:
                continue
            migration.apply(conn)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (
                    migration.version,
                    migration.name,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                ),
            )
            applied.append(migration.version)
        if applied:
            views.create_views(conn)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
        return applied
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
