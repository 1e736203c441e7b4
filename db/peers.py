"""The devices table and its one owner: this device's card, and every other device's card
with its pinned key, what the users decided about it, and the vectors it declared.

Only a device speaks for itself. Its card (name, organisation) comes from its own signed
file: the first one pins card and key together; a later file that gives another name or
organisation only offers it, and a person here accepts it (``trygg peers trust``). What
a file says about other devices creates, at most, a card with a name for a device not met
yet (so its relayed changes have a name), and never changes a card. And a device counts
as police only once a person here confirmed it, having compared its key's fingerprint.

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
from db.journal import chains
from db.journal import vectors as vec
from db.records import KOMMUN, POLIS


@dataclass(frozen=True)
class Device:
    """This database's device identity."""

    id: str
    name: str
    org: str | None
    kommun: str | None

    @property
    def writes_notes(self) -> bool:
        """Whether this device writes the notes to social services (PM): not a
        municipality's. The police write them and mark them sent, which reaches them; a
        municipality's device has no names to write them with, and its "sent" mark
        would tell the officer the real note was written."""
        return self.org != KOMMUN


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
    #: A person here confirmed it as police, with the key it signs with now: it gets the
    #: police profile (personal data) by default. Whatever it says of itself, else not.
    police: bool = False


@dataclass(frozen=True)
class PeerKey:
    """What this database knows of a peer's signing key, and what waits for the users."""

    peer: Peer
    fingerprint: str | None
    pinned_at: str | None
    verified_at: str | None
    offered_fingerprint: str | None
    #: The card the device's own latest file gives, when it differs from the pinned one.
    offered_card: DeviceCard | None = None
    police_confirmed_at: str | None = None


# -- this device -----------------------------------------------------------------------


def this_device(conn: sqlite3.Connection) -> Device | None:
    """This database's device, or None before it has been set up."""
    row = conn.execute("SELECT id, name, org, kommun FROM devices WHERE is_self = 1").fetchone()
    return Device(*row) if row else None


def create_this_device(
    conn: sqlite3.Connection, name: str, org: str | None, kommun: str | None
) -> str:
    """Give a database its identity: a random id, a card, and new keys. Returns the id."""
    # Imported here: opening a store (every start) imports no migration module.
    from db.migrations.m0004_protect import install_secrets

    device_id = new_device_id()
    conn.execute(
        "INSERT INTO devices (id, name, org, kommun, created_at, is_self)"
        " VALUES (?, ?, ?, ?, ?, 1)",
        (device_id, name, org, kommun, _now()),
    )
    install_secrets(conn, device_id)
    key = conn.execute("SELECT public_key FROM devices WHERE id = ?", (device_id,)).fetchone()
    chains.begin(conn, device_id, key[0])
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
    secret = conn.execute("SELECT signing_key FROM device_secrets").fetchone()
    if secret is not None:
        # The old identity signs its chains as they stand before its key goes, so what
        # it wrote can still be passed on with proof.
        from db.protect.keys import sign  # cryptography: slow to import, seldom needed

        chains.sign_tips(conn, old_id, lambda message: sign(secret[0], message))
    conn.execute("DELETE FROM device_secrets")
    return old_id, create_this_device(conn, name, org, kommun)


# -- other devices -----------------------------------------------------------------------


def all_peers(conn: sqlite3.Connection) -> list[Peer]:
    """Every other device known to this database, most recently heard from first."""
    rows = conn.execute(
        "SELECT id, name, org, declared, last_heard, last_sent,"
        f" {_POLICE} FROM devices WHERE is_self = 0 ORDER BY last_heard DESC, name"
    ).fetchall()
    return [Peer(r[0], r[1], r[2], _declared(r[3]), r[4], r[5], bool(r[6])) for r in rows]


#: SQL: the device was confirmed as police with the key it signs with now.
_POLICE = "(police_confirmed_at IS NOT NULL AND public_key IS NOT NULL AND police_key = public_key)"


def peer_by_id(conn: sqlite3.Connection, device_id: str) -> Peer | None:
    """The other device with id ``device_id``, or None."""
    return next((p for p in all_peers(conn) if p.id == device_id), None)


def find_peer(conn: sqlite3.Connection, name_or_id: str) -> Peer:
    """The peer named ``name_or_id`` (its name, or the start of its id)."""
    wanted = _comparable(name_or_id)
    known = all_peers(conn)
    matches = (
        [p for p in known if _comparable(p.name) == wanted]
        or [p for p in known if wanted and p.id.startswith(wanted)]
        # A part of the name, if only one has it: "Kommunpolis Lycksele" for "Demo –
        # Kommunpolis Lycksele" (the help says "namn"; people type what they remember).
        or [p for p in known if len(wanted) >= 3 and wanted in _comparable(p.name)]
    )
    if len(matches) != 1:
        key = "peer.unknown" if not matches else "peer.ambiguous"
        raise TryggError(key, peer=name_or_id)
    return matches[0]


_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                          "\u2014": "-", "\u2212": "-"})  # fmt: skip


def _comparable(name: str) -> str:
    """A name as typed and as shown compare equal: case, runs of spaces and the kind of
    dash aside (a name shown with an en dash is typed with a hyphen)."""
    return " ".join(name.translate(_DASHES).casefold().split())


def names(conn: sqlite3.Connection) -> dict[str, str]:
    """Every known device's name by id."""
    return dict(conn.execute("SELECT id, name FROM devices"))


def peer_key(conn: sqlite3.Connection, peer: Peer) -> PeerKey:
    """What this database knows of ``peer``'s key."""
    from db.protect.keys import fingerprint  # cryptography: slow to import at start-up

    row = conn.execute(
        "SELECT public_key, key_pinned_at, key_verified_at, offered_key, offered_name,"
        f" offered_org, CASE WHEN {_POLICE} THEN police_confirmed_at END"
        " FROM devices WHERE id = ?",
        (peer.id,),
    ).fetchone()
    return PeerKey(
        peer,
        fingerprint(row[0]) if row[0] else None,
        row[1],
        row[2],
        fingerprint(row[3]) if row[3] else None,
        DeviceCard(peer.id, row[4], row[5]) if row[4] else None,
        row[6],
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
    """Take in the cards a received file presents: the sender's own, from its manifest
    signed with ``key`` (the caller refused any key other than the pinned one), and those
    of other devices whose entries it carries. Returns True when this file pinned the
    sender's key and card (first contact)."""
    now = _now()
    row = conn.execute(
        "SELECT public_key, name, org, is_self FROM devices WHERE id = ?", (sender.id,)
    ).fetchone()
    first = row is None or (row[0] is None and not row[3])
    if row is None:
        conn.execute(
            "INSERT INTO devices (id, name, org, created_at, is_self, public_key,"
            " key_pinned_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
            (sender.id, sender.name, sender.org, now, key, now),
        )
    elif first:
        # Known so far only from others' files (or forgotten): its own file pins it.
        conn.execute(
            "UPDATE devices SET name = ?, org = ?, public_key = ?, key_pinned_at = ?,"
            " offered_name = NULL, offered_org = NULL WHERE id = ? AND is_self = 0",
            (sender.name, sender.org, key, now, sender.id),
        )
    elif not row[3]:
        # A pinned card changes only when a person accepts it: until then it is offered.
        same = (row[1], row[2]) == (sender.name, sender.org)
        conn.execute(
            "UPDATE devices SET offered_name = ?, offered_org = ? WHERE id = ?",
            (None if same else sender.name, None if same else sender.org, sender.id),
        )
    for card in listed:
        if card.id == sender.id:
            continue
        # A name for a device not met yet, so its relayed changes are not anonymous; no
        # organisation (it is only hearsay) and never a change to a card already there.
        conn.execute(
            "INSERT INTO devices (id, name, org, created_at, is_self) VALUES (?, ?, NULL, ?, 0)"
            " ON CONFLICT(id) DO NOTHING",
            (card.id, card.name, now),
        )
    return first


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


def accept_offered_card(conn: sqlite3.Connection, device_id: str) -> None:
    """Take the name and organisation the device's own file offered. A device that no
    longer says it is police is no longer confirmed as police."""
    conn.execute(
        "UPDATE devices SET name = offered_name, org = offered_org, offered_name = NULL,"
        " offered_org = NULL,"
        " police_confirmed_at = CASE WHEN offered_org = 'polis' THEN police_confirmed_at END,"
        " police_key = CASE WHEN offered_org = 'polis' THEN police_key END"
        " WHERE id = ? AND offered_name IS NOT NULL AND is_self = 0",
        (device_id,),
    )


def confirm_police(conn: sqlite3.Connection, device_id: str) -> None:
    """A person here confirmed the device as police, having compared the fingerprint of
    the key it signs with: from now on it gets personal data by default. Refused for a
    device with no pinned key, or one whose own card does not say police."""
    row = conn.execute(
        "SELECT name, org, public_key FROM devices WHERE id = ? AND is_self = 0", (device_id,)
    ).fetchone()
    if row is None:
        raise TryggError("peer.unknown", peer=device_id)
    if row[2] is None:
        raise TryggError("peer.no_key", name=row[0])
    if row[1] != POLIS:
        raise TryggError("peer.not_police", name=row[0])
    conn.execute(
        "UPDATE devices SET police_confirmed_at = ?, police_key = public_key WHERE id = ?",
        (_now(), device_id),
    )


def forget(conn: sqlite3.Connection, device_id: str) -> None:
    """Drop a peer's pinned key, card offers, police confirmation and what it declared:
    its next file pins a key and card afresh, and the next file to it is a full one."""
    conn.execute(
        "UPDATE devices SET public_key = NULL, key_pinned_at = NULL, key_verified_at = NULL,"
        " offered_key = NULL, offered_at = NULL, declared = NULL, offered_name = NULL,"
        " offered_org = NULL, police_confirmed_at = NULL, police_key = NULL"
        " WHERE id = ? AND is_self = 0",
        (device_id,),
    )


def _declared(text: str | None) -> vec.Vectors:
    try:
        return vec.loads(text)
    except ValueError:
        return {}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
