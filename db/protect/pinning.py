"""Which key each colleague's device signs with, and what the users did about it.

The first signed file from a device pins its key (db/sync/merge.py). A later file that
claims the device with another key is refused, and the key it offered is kept here until
the users, having compared fingerprints by phone, accept it (``trust``) — or throw the
pin away altogether (``forget``), so that the next file pins afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from db.errors import TryggError
from db.protect.keys import age_recipient, fingerprint, own_secrets
from db.store import Store
from db.sync.exporter import Peer, find_peer


@dataclass(frozen=True)
class PeerKey:
    """What this database knows of a peer's signing key."""

    peer: Peer
    fingerprint: str | None
    pinned_at: str | None
    verified_at: str | None
    offered_fingerprint: str | None


@dataclass(frozen=True)
class OwnKeys:
    """This device's public keys, to read out or send to colleagues."""

    fingerprint: str
    age_recipient: str


def own_keys(store: Store) -> OwnKeys:
    secrets = own_secrets(store.conn)
    if secrets is None:
        raise TryggError("device.not_set_up", path=str(store.path))
    return OwnKeys(fingerprint(secrets.public_key), age_recipient(secrets))


def peer_key(store: Store, peer: Peer) -> PeerKey:
    row = store.conn.execute(
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


def trust(store: Store, name_or_id: str, given: str | None = None) -> PeerKey:
    """Accept the key a peer's refused file offered (after a phone call), or, when none
    was offered, mark its pinned key as compared. ``given``, if any, must match."""
    peer = find_peer(store, name_or_id)
    key = peer_key(store, peer)
    target = key.offered_fingerprint or key.fingerprint
    if target is None:
        raise TryggError("peer.no_key", name=peer.name)
    if given is not None and _normal(given) != _normal(target):
        raise TryggError("peer.fingerprint_mismatch", given=given, name=peer.name, actual=target)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with store.transaction():
        if key.offered_fingerprint:
            store.conn.execute(
                "UPDATE devices SET public_key = offered_key, key_pinned_at = ?,"
                " key_verified_at = ?, offered_key = NULL, offered_at = NULL WHERE id = ?",
                (now, now, peer.id),
            )
        else:
            store.conn.execute(
                "UPDATE devices SET key_verified_at = ? WHERE id = ?", (now, peer.id)
            )
    return peer_key(store, peer)


def forget(store: Store, name_or_id: str) -> Peer:
    """Drop a peer's pinned key and what it declared: its next file pins a key afresh,
    and the next file to it is a full one."""
    peer = find_peer(store, name_or_id)
    with store.transaction():
        store.conn.execute(
            "UPDATE devices SET public_key = NULL, key_pinned_at = NULL, key_verified_at = NULL,"
            " offered_key = NULL, offered_at = NULL, declared = NULL WHERE id = ?",
            (peer.id,),
        )
    return peer


def _normal(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())
