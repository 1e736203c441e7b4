"""Where a database lives: the machine, the path and the file it recorded, so that a copy
notices that it is one.

A copied database keeps the original's device id and signing key: left alone, two
databases would speak with one voice, and two writes with the same stamp and device would
be indistinguishable. So each database records where it lives (kept in ``settings``, which
no file carries to other devices), and compares at start. Looking costs one ``stat`` of
the file (it is never opened by other means than SQLite) and reading the machine's id.

The same file renamed or moved within its disk keeps its identity (device and inode
numbers); a disk mounted anew gives the same path another device number. Both are the
same database, and the record just follows. Another machine, or another file at another
path, or another file put at the same path on the same disk (a copy put back) — that is
a move or a copy, and a person must say which (db/protect/copies.py).
"""

from __future__ import annotations

import hashlib
import json
import socket
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path

SETTING = "whereabouts"
_MACHINE_IDS = (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id"))


@dataclass(frozen=True)
class Whereabouts:
    """A machine (a digest of its id), a path, and a file's identity on its disk."""

    machine: str
    path: str
    disk: int
    inode: int


@dataclass(frozen=True)
class Change:
    """The database is not where it recorded living, in a way only a person can judge."""

    before: Whereabouts
    now: Whereabouts


def machine_id() -> str:
    """This machine's id (the operating system's, else its host name), as a digest."""
    for path in _MACHINE_IDS:
        try:
            text = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if text:
            return hashlib.sha256(b"trygg-machine\n" + text.encode()).hexdigest()[:16]
    name = socket.gethostname()
    return hashlib.sha256(b"trygg-host\n" + name.encode()).hexdigest()[:16]


def here(path: Path) -> Whereabouts:
    """Where the database at ``path`` lives now."""
    info = path.stat()
    return Whereabouts(machine_id(), str(path.resolve()), info.st_dev, info.st_ino)


def recorded(conn: sqlite3.Connection) -> Whereabouts | None:
    """Where the database recorded living, or None (set up before this was recorded)."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (SETTING,)).fetchone()
    if row is None or not row[0]:
        return None
    try:
        return Whereabouts(**json.loads(row[0]))
    except (TypeError, ValueError):
        return None


def record(conn: sqlite3.Connection, where: Whereabouts) -> None:
    """Remember ``where`` as where the database lives (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (SETTING, json.dumps(asdict(where), sort_keys=True)),
    )


def compare(before: Whereabouts, now: Whereabouts) -> Change | None:
    """None when ``now`` is the same database as ``before`` (or only renamed, or its
    disk mounted anew); else the change for a person to judge."""
    if before.machine != now.machine:
        return Change(before, now)
    if (before.disk, before.inode) == (now.disk, now.inode):
        return None  # the same file, renamed or moved within its disk
    if before.path == now.path and before.disk != now.disk:
        return None  # the same place on a disk mounted anew (a USB stick)
    return Change(before, now)
