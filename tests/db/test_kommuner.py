"""Municipalities: the reference list and the official spelling."""

from __future__ import annotations

from db.kommuner import ALL_KOMMUNER, KOMMUNER_BY_LAN, canonical_kommun, suggest_kommun
from db.store import Store
from tests.conftest import walk_fields


def test_all_290_municipalities_in_21_counties() -> None:
    assert len(ALL_KOMMUNER) == len(set(ALL_KOMMUNER)) == 290
    assert len(KOMMUNER_BY_LAN) == 21
    assert len(KOMMUNER_BY_LAN["Västra Götalands län"]) == 49
    assert len(KOMMUNER_BY_LAN["Skåne län"]) == 33
    seeds = {"Dorotea", "Lycksele", "Sorsele", "Storuman", "Vilhelmina", "Åsele",
             "Sollefteå", "Kramfors", "Härnösand", "Luleå"}  # fmt: skip
    assert seeds <= set(ALL_KOMMUNER)


def test_swedish_alphabetical_order() -> None:
    assert ALL_KOMMUNER[0] == "Ale"
    assert ALL_KOMMUNER[-3:] == ("Östra Göinge", "Överkalix", "Övertorneå")
    tail = [k[0] for k in ALL_KOMMUNER if k[0] in "ÅÄÖ"]
    assert tail == sorted(tail, key="ÅÄÖ".index)


def test_suggestions_ignore_case_and_accents() -> None:
    assert suggest_kommun("asel") == ["Åsele"]
    assert suggest_kommun("SOLLE")[0] == "Sollefteå"
    assert suggest_kommun("") == []
    assert canonical_kommun(" lulea ") == "Luleå"
    assert canonical_kommun("Norrland") is None


def test_store_knows_them_and_writes_the_official_spelling(store: Store) -> None:
    assert len(store.kommuner()) == 290
    assert ("Lycksele", "Västerbottens län") in store.kommuner()
    walk = store.create("walk", walk_fields(kommun="lycksele"))
    assert store.get("walk", walk)["kommun"] == "Lycksele"  # type: ignore[index]
    district = store.create("walk", walk_fields(kommun="Södra Lappland"))
    assert store.get("walk", district)["kommun"] == "Södra Lappland"  # type: ignore[index]
