"""A database that was moved or copied: asked once, then settled.

When a database is not where it recorded living (db/whereabouts.py), a person says which
it is. Moved (the same device, the old place no longer used): the record follows. A copy:
it becomes a new device, as a restored backup does (db/protect/restore.py) — a new id and
new keys under the same name; the old identity becomes a colleague known up to the copy's
moment; colleagues send it a full file the first time. A copy can never again speak with
the original's voice.

When nobody can be asked (a command in a script), the command line takes it for a copy:
that can never make two databases one voice, and nothing is lost by it — a moved
database merely gets a new identity, which its colleagues meet as a new device.
"""

from __future__ import annotations

from db import whereabouts
from db.store import Store
from db.whereabouts import Change


def check(store: Store) -> Change | None:
    """Whether the database is somewhere a person must judge (moved, or copied). Records
    where it lives when nothing was recorded yet (a database set up before this check)
    or when only the name or the disk's mounting changed."""
    if store.device is None:
        return None
    now = whereabouts.here(store.path)
    before = whereabouts.recorded(store.conn)
    change = whereabouts.compare(before, now) if before else None
    if change is None and before != now:
        with store.transaction():
            whereabouts.record(store.conn, now)
    return change


def settle_moved(store: Store) -> None:
    """The database was moved: the same device, living here from now on."""
    with store.transaction():
        whereabouts.record(store.conn, whereabouts.here(store.path))


def settle_copy(store: Store) -> tuple[str, str]:
    """The database is a copy: it becomes a new device, as a restored backup does.
    Returns (old id, new id)."""
    from db.protect.restore import take_new_identity

    with store.transaction():
        old, new = take_new_identity(store)
        whereabouts.record(store.conn, whereabouts.here(store.path))
    store.forget_device_cache()
    return old, new
