"""Which key each colleague's device signs with, and what the users did about it.

The first signed file from a device pins its key (db/sync/merge.py, db/peers.py). A later file that
claims the device with another key is refused, and the key it offered is kept here until
the users, having compared fingerprints by phone, accept it (``trust``) — or throw the
pin away altogether (``forget``), so that the next file pins afresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from db import peers
from db.errors import TryggError
from db.peers import Peer, PeerKey
from db.protect.keys import age_recipient, fingerprint, own_secrets
from db.store import Store
from db.sync.exporter import find_peer


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
    """What this database knows of ``peer``'s key."""
    return peers.peer_key(store.conn, peer)


def trust(
    store: Store, name_or_id: str, given: str | None = None, *, police: bool = False
) -> PeerKey:
    """Accept what a peer's own files say that waits for the users: the key a refused file
    offered (after a phone call) — or, when none was offered, mark the pinned key as
    compared — and the name or organisation its latest file gives. ``given``, if any, must
    be the fingerprint of that key.

    With ``police``, also confirm the device as police: from then on it gets personal
    data by default. That needs ``given`` (the fingerprint compared with the colleague)
    and a device whose own card says police."""
    peer = find_peer(store, name_or_id)
    key = peer_key(store, peer)
    target = key.offered_fingerprint or key.fingerprint
    if target is None:
        raise TryggError("peer.no_key", name=peer.name)
    if police and not given:
        raise TryggError("peer.police_needs_fingerprint", name=peer.name)
    if given is not None and _normal(given) != _normal(target):
        raise TryggError("peer.fingerprint_mismatch", given=given, name=peer.name, actual=target)
    with store.transaction():
        if key.offered_fingerprint:
            peers.accept_offered_key(store.conn, peer.id)
        else:
            peers.mark_key_verified(store.conn, peer.id)
        peers.accept_offered_card(store.conn, peer.id)
        if police:
            peers.confirm_police(store.conn, peer.id)
    return peer_key(store, find_peer(store, peer.id))


def forget(store: Store, name_or_id: str) -> Peer:
    """Drop a peer's pinned key and what it declared: its next file pins a key afresh,
    and the next file to it is a full one."""
    peer = find_peer(store, name_or_id)
    with store.transaction():
        peers.forget(store.conn, peer.id)
    return peer


def _normal(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())
