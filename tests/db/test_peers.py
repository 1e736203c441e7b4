"""The devices table's one owner: cards pinned from a device's own files, hearsay that
changes nothing, and police confirmed by a person for one key."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import peers
from db.errors import TryggError
from db.peers import DeviceCard
from db.protect.keys import new_secrets
from db.protect.pinning import forget, trust
from db.store import Store
from tests.conftest import open_store

ANNA = "00000000-0000-4000-8000-00000000000a"


def _meet(store: Store, card: DeviceCard, key: str, *listed: DeviceCard) -> bool:
    with store.transaction():
        return peers.meet(store.conn, card, key, listed)


def test_the_first_own_file_pins_card_and_key_and_later_ones_only_offer(tmp_path: Path) -> None:
    key = new_secrets().public_key
    with open_store(tmp_path / "x.db") as store:
        assert _meet(store, DeviceCard(ANNA, "Anna", "polis"), key)
        assert not _meet(store, DeviceCard(ANNA, "Anna B", "kommun"), key)
        anna = peers.peer_by_id(store.conn, ANNA)
        assert anna is not None and (anna.name, anna.org) == ("Anna", "polis")
        assert peers.peer_key(store.conn, anna).offered_card == DeviceCard(ANNA, "Anna B", "kommun")
        # Saying the pinned card again withdraws the offer.
        _meet(store, DeviceCard(ANNA, "Anna", "polis"), key)
        assert peers.peer_key(store.conn, anna).offered_card is None


def test_hearsay_names_a_device_not_met_and_never_changes_a_card(tmp_path: Path) -> None:
    key, other = new_secrets().public_key, new_secrets().public_key
    bo = "00000000-0000-4000-8000-00000000000b"
    with open_store(tmp_path / "x.db") as store:
        _meet(store, DeviceCard(bo, "Bo", "kommun"), other)
        _meet(store, DeviceCard(ANNA, "Anna", "kommun"), key, DeviceCard(bo, "Polisen Bo", "polis"))
        heard = "00000000-0000-4000-8000-00000000000c"
        _meet(store, DeviceCard(ANNA, "Anna", "kommun"), key, DeviceCard(heard, "Cilla", "polis"))
        cards = {p.id: (p.name, p.org) for p in peers.all_peers(store.conn)}
        assert cards[bo] == ("Bo", "kommun") and cards[heard] == ("Cilla", None)
        # Cilla's own first file makes the card hers.
        assert _meet(store, DeviceCard(heard, "Cilla Polis", "polis"), new_secrets().public_key)
        assert peers.peer_by_id(store.conn, heard).name == "Cilla Polis"  # type: ignore[union-attr]


def test_police_is_confirmed_for_one_key_and_ends_with_it(tmp_path: Path) -> None:
    first, second = new_secrets().public_key, new_secrets().public_key
    with open_store(tmp_path / "x.db") as store:
        _meet(store, DeviceCard(ANNA, "Anna", "polis"), first)
        assert not peers.peer_by_id(store.conn, ANNA).police  # type: ignore[union-attr]
        fingerprint = peers.peer_key(store.conn, peers.peer_by_id(store.conn, ANNA)).fingerprint  # type: ignore[arg-type]
        assert trust(store, "Anna", fingerprint, police=True).peer.police
        # A new key, accepted after a phone call, is not yet confirmed as police.
        with store.transaction():
            peers.offer_key(store.conn, ANNA, second)
        assert not trust(store, "Anna").peer.police
        forget(store, "Anna")
        forgotten = peers.peer_by_id(store.conn, ANNA)
        assert forgotten is not None
        assert peers.peer_key(store.conn, forgotten).police_confirmed_at is None


def test_a_device_that_says_kommun_cannot_be_confirmed_as_police(tmp_path: Path) -> None:
    key = new_secrets().public_key
    with open_store(tmp_path / "x.db") as store:
        _meet(store, DeviceCard(ANNA, "Anna", "kommun"), key)
        fingerprint = peers.peer_key(store.conn, peers.peer_by_id(store.conn, ANNA)).fingerprint  # type: ignore[arg-type]
        with pytest.raises(TryggError) as refused:
            trust(store, "Anna", fingerprint, police=True)
        assert refused.value.key == "peer.not_police"
        assert not peers.peer_by_id(store.conn, ANNA).police  # type: ignore[union-attr]


def test_a_colleague_is_found_by_the_name_as_people_type_it(tmp_path: Path) -> None:
    # "Demo - Kommunpolis Lycksele" (a hyphen) and "Kommunpolis Lycksele" were "Ingen
    # känd kollega" for "Demo – Kommunpolis Lycksele" (cold test).
    bertil = "00000000-0000-4000-8000-00000000000b"
    with open_store(tmp_path / "x.db") as store:
        _meet(
            store,
            DeviceCard(ANNA, "Demo – Kommunpolis Lycksele", "polis"),
            new_secrets().public_key,
        )
        _meet(store, DeviceCard(bertil, "Kommunpolis Åsele", "polis"), new_secrets().public_key)
        for typed in ("Demo - Kommunpolis Lycksele", " demo –  kommunpolis lycksele ",
                      "Kommunpolis Lycksele"):  # fmt: skip
            assert peers.find_peer(store.conn, typed).id == ANNA, typed
        assert peers.find_peer(store.conn, "åsele").id == bertil
        with pytest.raises(TryggError) as caught:
            peers.find_peer(store.conn, "Kommunpolis")  # both have it
        assert caught.value.key == "peer.ambiguous"
        with pytest.raises(TryggError) as caught:
            peers.find_peer(store.conn, "Umeå")
        assert caught.value.key == "peer.unknown"
