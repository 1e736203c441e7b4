"""Writing files so that nobody ever sees half of one."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from db.errors import TryggError

#: The database files this process has open (device and inode numbers → how many times).
_DATABASES: dict[tuple[int, int], int] = {}
_DATABASES_LOCK = threading.Lock()
FileKey = tuple[int, int]


def register_database(path: Path) -> FileKey | None:
    """Remember, until :func:`release_database`, that this process uses the database at
    ``path``: no file Trygg writes may replace it or its write-ahead log (a backup or an
    export given its name by mistake), and it is never read outside SQLite."""
    try:
        info = path.stat()  # a stat opens nothing, so it leaves SQLite's locks alone
    except OSError:
        return None
    key = (info.st_dev, info.st_ino)
    with _DATABASES_LOCK:  # the app opens a store per worker thread
        _DATABASES[key] = _DATABASES.get(key, 0) + 1
    return key


def release_database(key: FileKey | None) -> None:
    """Forget one use of a database (its store was closed)."""
    with _DATABASES_LOCK:
        if key in _DATABASES:
            _DATABASES[key] -= 1
            if not _DATABASES[key]:
                del _DATABASES[key]


def is_database_in_use(path: Path) -> bool:
    """Whether ``path`` is a database this process uses, or its ``-wal`` or ``-shm``."""
    for candidate in (path, path.with_name(path.name.removesuffix("-wal").removesuffix("-shm"))):
        try:
            info = candidate.stat()
        except OSError:
            continue
        if (info.st_dev, info.st_ino) in _DATABASES:
            return True
    return False


@contextlib.contextmanager
def atomic_file(target: Path, *, private: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``target`` to write; when the block succeeds it is
    flushed to disk and renamed over ``target``, otherwise removed. A ``private`` file is
    created readable by its owner only. The temporary name starts with a dot and ends in
    ``.tmp``, so mailbox readers skip it.

    Refuses a ``target`` that is the database in use: renaming a file over a live
    database (or its log) loses everything written to it afterwards."""
    if is_database_in_use(target):
        raise TryggError("file.is_database", path=str(target))
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    if private:
        os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        yield tmp
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says that the disk (or the user's quota) is full, as the system
    (``ENOSPC``, ``EDQUOT``) or SQLite ("database or disk is full") reports it."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return isinstance(exc, sqlite3.OperationalError) and "full" in str(exc).lower()


def write_failed(path: Path, exc: OSError | sqlite3.OperationalError) -> TryggError:
    """The clear message for a file Trygg could not write: the disk is full, or why not."""
    if is_disk_full(exc):
        return TryggError("export.disk_full", path=str(path))
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return TryggError("export.failed", path=str(path), reason=reason)


#: Where removable media and network shares are usually mounted (Linux desktops, older
#: Linux, hand-made mounts, macOS).
MOUNT_ROOTS = ("/media/{user}", "/run/media/{user}", "/media", "/mnt", "/Volumes")


def usual_places(
    extra: list[Path] | None = None, roots: tuple[str, ...] = MOUNT_ROOTS
) -> list[Path]:
    """Folders a USB stick or shared folder is usually found in: each mounted medium
    first, then ``extra`` (the mailbox folder, the documents folder), then home."""
    import getpass

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user name in a container
        user = ""
    found: list[Path] = []
    for root in roots:
        folder = Path(root.format(user=user))
        try:
            children = sorted(p for p in folder.iterdir() if p.is_dir())
        except OSError:
            continue
        found += [p for p in children if not p.name.startswith(".") and p.name != user]
    found += extra or []
    found.append(Path.home())
    unique: list[Path] = []
    for path in found:
        if path not in unique and path.is_dir():
            unique.append(path)
    return unique
