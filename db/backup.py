"""Consistent copies of the database, taken with SQLite's backup API (safe while another
process writes). Trygg keeps a few automatic copies beside the database, taken before
every import, so a bad file can always be undone."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import datetime
from pathlib import Path

from db.errors import TryggError
from db.files import atomic_file, is_disk_full

AUTOMATIC_KEEP = 5


def backup_folder(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.backups")


def copy_database(conn: sqlite3.Connection, target: Path) -> Path:
    """Write a consistent copy of ``conn``'s database to ``target`` (mode 0600). A copy
    that cannot be written (a full disk) leaves no half file and raises a clear
    TryggError."""
    try:
        with atomic_file(target) as tmp:
            dest = sqlite3.connect(tmp)
            try:
                conn.backup(dest)
            finally:
                dest.close()
    except (sqlite3.OperationalError, OSError) as exc:
        if is_disk_full(exc):
            raise TryggError("backup.disk_full", path=str(target)) from None
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise TryggError("backup.failed", path=str(target), reason=reason) from None
    return target


def manual_backup(conn: sqlite3.Connection, db_path: Path, out: Path | None = None) -> Path:
    """``trygg backup``: a consistent copy to ``out`` (a file or a folder), by default
    ``<db>.backups/backup-<time>.db``. Manual copies are not rotated away."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    if out is None:
        folder = backup_folder(db_path)
        folder.mkdir(mode=0o700, exist_ok=True)
        out = folder / f"backup-{stamp}.db"
    elif out.is_dir():
        out = out / f"{db_path.stem}-backup-{stamp}.db"
    return copy_database(conn, out)


def automatic_backup(conn: sqlite3.Connection, db_path: Path, reason: str) -> Path:
    """A rotating copy in ``<db>.backups/``, keeping the newest few."""
    folder = backup_folder(db_path)
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = copy_database(conn, folder / f"{reason}-{stamp}.db")
    copies = sorted(folder.glob(f"{reason}-*.db"))
    for old in copies[:-AUTOMATIC_KEEP]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target
