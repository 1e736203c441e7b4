"""The devices table and its one owner: this device's card, and every other device's card
with its pinned key, what the users decided about it, and the vectors it declared.

Every write to ``devices`` is a function here, called by the store (this device), the
merge (cards and keys from a received file, declared vectors), the exporter (when a file
was last written for a device), pinning (the users' decisions) and restore (a new
identity). The functions take the caller's connection and run inside the caller's
transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from db.errors import TryggError
from db.ids import new_device_id
from db.journal import vectors as vec
from db.migrations.m0004_protect import install_secrets
from db.protect.keys import fingerprint


@dataclass(frozen=True)
class Device:
    """This database's device identity."""

    id: str
    name: str
    org: str | None
    kommun: str | None


@dataclass(frozen=True)
class DeviceCard:
    """A device as a file presents it: id, name, organisation."""

    id: str
    name: str
    org: str | None


@dataclass(frozen=True)
class Peer:
    """Another device this database has heard of."""

    id: str
    name: str
    org: str | None
    declared: vec.Vectors
    last_heard: str | None
    last_sent: str | None


@dataclass(frozen=True)
class PeerKey:
    """What this database knows of a peer's signing key."""

    peer: Peer
    fingerprint: str | None
    pinned_at: str | None
    verified_at: str | None
    offered_fingerprint: str | None


# -- this device -----------------------------------------------------------------------


def this_device(conn: sqlite3.Connection) -> Device | None:
    """This database's device, or None before it has been set up."""
    row = conn.execute("SELECT id, name, org, kommun FROM devices WHERE is_self = 1").fetchone()
    return Device(*row) if row else None


def create_this_device(
    conn: sqlite3.Connection, name: str, org: str | None, kommun: str | None
) -> str:
    """Give a database its identity: a random id, a card, and new keys. Returns the id."""
    device_id = new_device_id()
    conn.execute(
        "INSERT INTO devices (id, name, org, kommun, created_at, is_self)"
        " VALUES (?, ?, ?, ?, ?, 1)",
        (device_id, name, org, kommun, _now()),
    )
    install_secrets(conn, device_id)
    return device_id


def update_this_device(conn: sqlite3.Connection, changes: dict[str, str | None]) -> None:
    """Change this device's name, organisation or default municipality (checked by the
    caller)."""
    for key in ("name", "org", "kommun"):
        if key in changes:
            conn.execute(f"UPDATE devices SET {key} = ? WHERE is_self = 1", (changes[key],))


def become_new_device(conn: sqlite3.Connection) -> tuple[str, str]:
    """Give this database a new identity (a restored or copied file): a new id and new
    keys under the same name. The old identity becomes a colleague whose changes are
    known up to this moment, with the old public key pinned; its private keys go.
    Returns (old id, new id)."""
    row = conn.execute("SELECT id, name, org, kommun FROM devices WHERE is_self = 1").fetchone()
    old_id, name, org, kommun = row[0], row[1], row[2], row[3]
    conn.execute(
        "UPDATE devices SET is_self = 0, declared = NULL, last_heard = NULL, last_sent = NULL,"
        " key_pinned_at = ? WHERE id = ?",
        (_now(), old_id),
    )
    conn.execute("DELETE FROM device_secrets")
    return old_id, create_this_device(conn, name, org, kommun)


# -- other devices -----------------------------------------------------------------------


def all_peers(conn: sqlite3.Connection) -> list[Peer]:
    """Every other device known to this database, most recently heard from first."""
    rows = conn.execute(
        "SELECT id, name, org, declared, last_heard, last_sent FROM devices"
        " WHERE is_self = 0 ORDER BY last_heard DESC, name"
    ).fetchall()
    return [Peer(r[0], r[1], r[2], _declared(r[3]), r[4], r[5]) for r in rows]


def find_peer(conn: sqlite3.Connection, name_or_id: str) -> Peer:
    """The peer named ``name_or_id`` (its name, or the start of its id)."""
    wanted = name_or_id.strip().casefold()
    known = all_peers(conn)
    matches = [p for p in known if p.name.casefold() == wanted] or [
        p for p in known if wanted and p.id.startswith(wanted)
    ]
    if len(matches) != 1:
        key = "peer.unknown" if not matches else "peer.ambiguous"
        raise TryggError(key, peer=name_or_id)
    return matches[0]


def names(conn: sqlite3.Connection) -> dict[str, str]:
    """Every known device's name by id."""
    return dict(conn.execute("SELECT id, name FROM devices"))


def peer_key(conn: sqlite3.Connection, peer: Peer) -> PeerKey:
    """What this database knows of ``peer``'s key."""
    row = conn.execute(
        "SELECT public_key, key_pinned_at, key_verified_at, offered_key FROM devices WHERE id = ?",
        (peer.id,),
    ).fetchone()
    return PeerKey(
        peer,
        fingerprint(row[0]) if row[0] else None,
        row[1],
        row[2],
        fingerprint(row[3]) if row[3] else None,
    )


def pinned_key(conn: sqlite3.Connection, device_id: str) -> tuple[str | None, str, bool] | None:
    """(pinned public key, name, is this device) of ``device_id``, or None if unknown."""
    row = conn.execute(
        "SELECT public_key, name, is_self FROM devices WHERE id = ?", (device_id,)
    ).fetchone()
    return (row[0], row[1], bool(row[2])) if row else None


def offer_key(conn: sqlite3.Connection, device_id: str, key: str) -> None:
    """Remember a key a refused file offered for ``device_id``, for the users to accept
    after comparing fingerprints."""
    conn.execute(
        "UPDATE devices SET offered_key = ?, offered_at = ? WHERE id = ? AND is_self = 0",
        (key, _now(), device_id),
    )


def meet(
    conn: sqlite3.Connection, sender: DeviceCard, key: str, listed: Iterable[DeviceCard]
) -> bool:
    """Take in the cards a received file presents: the sender's own, signed with ``key``,
    and those of the other devices whose entries it carries. Returns True at first
    contact with the sender."""
    self_id = conn.execute("SELECT id FROM devices WHERE is_self = 1").fetchone()[0]
    known = conn.execute("SELECT 1 FROM devices WHERE id = ?", (sender.id,)).fetchone()
    for card in [*listed, sender]:
        if card.id == self_id:
            continue
        conn.execute(
            "INSERT INTO devices (id, name, org, created_at, is_self) VALUES (?, ?, ?, ?, 0)"
            " ON CONFLICT(id) DO UPDATE SET name = excluded.name, org = excluded.org"
            " WHERE devices.is_self = 0",
            (card.id, card.name, card.org, _now()),
        )
    # The first signed file from a device pins its key (the caller refused any other key
    # before we got here).
    conn.execute(
        "UPDATE devices SET public_key = ?, key_pinned_at = ?"
        " WHERE id = ? AND is_self = 0 AND public_key IS NULL",
        (key, _now(), sender.id),
    )
    return known is None


def remember_declared(conn: sqlite3.Connection, device_id: str, declared: vec.Vectors) -> None:
    """Add what ``device_id`` declared holding to what it declared before, and note that
    we heard from it now."""
    row = conn.execute("SELECT declared FROM devices WHERE id = ?", (device_id,)).fetchone()
    if row is None:
        return
    merged = vec.merged(_declared(row[0]), declared)
    conn.execute(
        "UPDATE devices SET declared = ?, last_heard = ? WHERE id = ? AND is_self = 0",
        (vec.dumps(merged), _now(), device_id),
    )


def mark_sent(conn: sqlite3.Connection, device_ids: Iterable[str]) -> None:
    """Note that a file was just written for these devices."""
    conn.executemany(
        "UPDATE devices SET last_sent = ? WHERE id = ? AND is_self = 0",
        [(_now(), device_id) for device_id in device_ids],
    )


# -- the users' decisions ----------------------------------------------------------------


def accept_offered_key(conn: sqlite3.Connection, device_id: str) -> None:
    """Pin the key a refused file offered (the users compared fingerprints)."""
    now = _now()
    conn.execute(
        "UPDATE devices SET public_key = offered_key, key_pinned_at = ?, key_verified_at = ?,"
        " offered_key = NULL, offered_at = NULL WHERE id = ? AND offered_key IS NOT NULL",
        (now, now, device_id),
    )


def mark_key_verified(conn: sqlite3.Connection, device_id: str) -> None:
    """Note that the users compared the pinned key's fingerprint."""
    conn.execute("UPDATE devices SET key_verified_at = ? WHERE id = ?", (_now(), device_id))


def forget(conn: sqlite3.Connection, device_id: str) -> None:
    """Drop a peer's pinned key and what it declared: its next file pins a key afresh,
    and the next file to it is a full one."""
    conn.execute(
        "UPDATE devices SET public_key = NULL, key_pinned_at = NULL, key_verified_at = NULL,"
        " offered_key = NULL, offered_at = NULL, declared = NULL WHERE id = ? AND is_self = 0",
        (device_id,),
    )


def _declared(text: str | None) -> vec.Vectors:
    try:
        return vec.loads(text)
    except ValueError:
        return {}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
