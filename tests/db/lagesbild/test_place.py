"""One place and what is around it: findings by place, by name and by their own
coordinates, quick reports per quarter, measures by place, by finding and by origin —
and nothing from the place of the same name in another municipality."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from db.lagesbild.periods import quarter_of
from db.lagesbild.place import (
    PlaceRef,
    find_places,
    place_of_record,
    place_picture,
    place_ref,
)
from db.store import Store
from tests.conftest import NOW, report_fields, walk_fields

TODAY = NOW.date()


@pytest.fixture
def town(store: Store) -> dict[str, str]:
    ids = {}
    for key, name, kommun, lat, lon in (
        ("torget", "Torget", "Lycksele", 64.5957, 18.6756),
        ("storgatan", "Storgatan 85–89", "Lycksele", 64.5961, 18.6779),  # 118 m away
        ("stationen", "Järnvägsstationen", "Lycksele", 64.5947, 18.6633),  # 600 m away
        ("storuman", "Torget", "Storuman", 65.0961, 17.1086),
    ):
        ids[key] = store.create("place", {"name": name, "kommun": kommun, "lat": lat, "lon": lon})
    walk = store.create("walk", walk_fields(date="2026-03-10"))
    ids["walk"] = walk
    for key, fields in (
        ("at", {"place": "Torget", "place_id": ids["torget"], "status": "skickad",
                "due_date": "2026-06-01"}),
        ("typed", {"place": " torget ", "status": "atgardad", "fixed_date": "2026-05-02"}),
        ("near", {"place": "Storgatan 85–89", "place_id": ids["storgatan"], "status": "ny"}),
        ("own", {"lat": 64.5960, "lon": 18.6760, "status": "ny"}),  # 40 m, no place named
        ("far", {"place": "Järnvägsstationen", "place_id": ids["stationen"], "status": "ny"}),
        ("good", {"place": "Torget", "place_id": ids["torget"], "positive": True}),
    ):  # fmt: skip
        ids[key] = store.create("finding", {"walk_id": walk, "remark": key, **fields})
    other = store.create("walk", walk_fields(kommun="Storuman", date="2026-03-11"))
    ids["storuman_finding"] = store.create(
        "finding", {"walk_id": other, "remark": "x", "place": "Torget", "place_id": ids["storuman"]}
    )
    for day, place, kommun, drunk, custody in (
        ("2026-11-20", "torget", "Lycksele", True, "lob"),
        ("2026-10-02", "torget", "Lycksele", False, "nej"),
        ("2026-08-14", "torget", "Lycksele", True, "nej"),
        ("2026-08-15", "storgatan", "Lycksele", True, "pl13"),
        ("2026-02-06", "torget", "Lycksele", True, None),
        ("2026-08-14", "stationen", "Lycksele", True, "lob"),
        ("2026-08-14", "storuman", "Storuman", True, "lob"),
    ):
        ids[f"report {day} {place}"] = store.create(
            "snabbrapport",
            report_fields(
                date=day,
                place="Torget" if place in ("torget", "storuman") else place,
                place_id=ids[place],
                kommun=kommun,
                drunk=drunk,
                custody=custody,
            ),
        )
    # A report typed before the place had a record: matched by name and municipality.
    ids["typed report"] = store.create(
        "snabbrapport", report_fields(date="2026-08-01", place="TORGET", kommun="Lycksele")
    )
    plan = store.create("plan", {"title": "Plan", "kommuner": ["Lycksele"]})
    ids["m_place"] = store.create(
        "measure", {"plan_id": plan, "activity": "Kameror", "place_id": ids["torget"]}
    )
    ids["m_origin"] = store.create(
        "measure", {"plan_id": plan, "activity": "Lås dörrarna", "finding_id": ids["near"]}
    )
    ids["m_linked"] = store.create("measure", {"plan_id": plan, "activity": "Belysning"})
    store.update("finding", ids["at"], {"measure_id": ids["m_linked"]})
    ids["m_far"] = store.create(
        "measure", {"plan_id": plan, "activity": "Vakter", "place_id": ids["stationen"]}
    )
    store.create("followup", {"measure_id": ids["m_place"], "period": "2026-Q2", "rating": "rod"})
    store.create("followup", {"measure_id": ids["m_place"], "period": "2026-Q3", "rating": "gul"})
    return ids


def test_findings_at_the_place_and_around_it(store: Store, town: dict[str, str]) -> None:
    ref = place_ref(store, town["torget"])
    assert ref == PlaceRef(town["torget"], "Torget", "Lycksele")
    picture = place_picture(store, ref, TODAY)
    shown = {f.id: f for f in picture.findings}
    want = {"at", "typed", "near", "own", "good"}
    assert set(shown) == {town[k] for k in want}
    assert shown[town["at"]].metres is None and shown[town["at"]].overdue
    assert 100 < (shown[town["near"]].metres or 0) < 130
    assert 30 < (shown[town["own"]].metres or 0) < 50
    assert [p["name"] for p, _ in picture.nearby] == ["Storgatan 85–89"]
    # Open first, then fixed, then the positive remark.
    states = [("open" if f.is_open else "good" if f.positive else "done") for f in picture.findings]
    assert states == sorted(states, key=["open", "done", "good"].index)
    narrow = place_picture(store, ref, TODAY, radius=100)
    assert {f.id for f in narrow.findings} == {town[k] for k in ("at", "typed", "own", "good")}


def test_quick_reports_per_quarter(store: Store, town: dict[str, str]) -> None:
    picture = place_picture(store, place_ref(store, town["torget"]), TODAY)  # type: ignore[arg-type]
    counted: Counter = Counter()
    ids = {town["torget"], town["storgatan"]}
    for r in store.records("snabbrapport"):
        ours = r["place_id"] in ids or (
            r["place_id"] is None and r["place"].lower() == "torget" and r["kommun"] == "Lycksele"
        )
        if ours:
            quarter = quarter_of(date.fromisoformat(r["date"]))
            counted[(quarter, "reports")] += 1
            counted[(quarter, "drunk")] += bool(r["drunk"])
            counted[(quarter, "custody")] += r["custody"] not in (None, "nej")
    lines = {q.period: q for q in picture.quarters}
    assert [q.period for q in picture.quarters] == [
        quarter_of(date(2026, 11, 1)),
        quarter_of(date(2026, 8, 1)),
        quarter_of(date(2026, 5, 1)),
        quarter_of(date(2026, 2, 1)),
    ]
    for period, line in lines.items():
        assert line.reports == counted[(period, "reports")]
        assert line.drunk == counted[(period, "drunk")]
        assert line.custody == counted[(period, "custody")]
    assert picture.reports == 6  # not the station's, not Storuman's
    assert lines[quarter_of(date(2026, 5, 1))].share(0) is None


def test_measures_by_place_by_origin_and_by_link(store: Store, town: dict[str, str]) -> None:
    picture = place_picture(store, place_ref(store, town["torget"]), TODAY)  # type: ignore[arg-type]
    measures = {m.id: m for m in picture.measures}
    assert set(measures) == {town["m_place"], town["m_origin"], town["m_linked"]}
    assert (measures[town["m_place"]].light, measures[town["m_place"]].light_period) == (
        "gul",
        "2026-Q3",
    )


def test_the_same_name_elsewhere_stays_elsewhere(store: Store, town: dict[str, str]) -> None:
    picture = place_picture(store, place_ref(store, town["storuman"]), TODAY)  # type: ignore[arg-type]
    assert {f.id for f in picture.findings} == {town["storuman_finding"]}
    assert picture.reports == 1
    assert picture.measures == []


def test_a_place_without_coordinates_is_matched_by_name(store: Store) -> None:
    walk = store.create("walk", walk_fields())
    named = store.create("finding", {"walk_id": walk, "remark": "x", "place": "Gamla macken"})
    store.create("finding", {"walk_id": walk, "remark": "y", "place": "Annan plats"})
    picture = place_picture(store, PlaceRef(None, "gamla  MACKEN", "Lycksele"), TODAY)
    assert [f.id for f in picture.findings] == [named]
    assert picture.point is None and picture.nearby == []


def test_the_place_of_any_record(store: Store, town: dict[str, str]) -> None:
    torget = PlaceRef(town["torget"], "Torget", "Lycksele")
    assert place_of_record(store, "finding", town["at"]) == torget
    assert place_of_record(store, "finding", town["typed"]) == torget  # by name
    assert place_of_record(store, "finding", town["own"]) is None
    assert place_of_record(store, "snabbrapport", town["typed report"]) == torget
    assert place_of_record(store, "measure", town["m_place"]) == torget
    assert place_of_record(store, "measure", town["m_linked"]) == torget  # its finding's
    assert place_of_record(store, "measure", town["m_origin"]).name == "Storgatan 85–89"  # type: ignore[union-attr]
    assert place_of_record(store, "walk", town["walk"]) == torget  # its first finding's
    followup = store.records("followup", limit=1)[0]["id"]
    assert place_of_record(store, "followup", followup) == torget
    assert place_of_record(store, "place", town["storuman"]).kommun == "Storuman"  # type: ignore[union-attr]
    assert place_of_record(store, "walk", "no-such-id") is None


def test_places_are_found_as_typed(store: Store, town: dict[str, str]) -> None:
    found = find_places(store, "torg", "Lycksele")
    assert [(p.name, p.kommun) for p in found] == [
        ("Torget", "Lycksele"),
        ("Torget", "Storuman"),
        ("Storgatan 85–89", "Lycksele"),  # contains "torg"
    ]
    assert [p.name for p in find_places(store, "JARNVAG")] == ["Järnvägsstationen"]


def test_names_typed_without_a_record_are_found_too(store: Store, town: dict[str, str]) -> None:
    walk = store.create("walk", walk_fields(kommun="Storuman"))
    store.create("finding", {"walk_id": walk, "remark": "x", "place": "Gamla  macken"})
    store.create("snabbrapport", report_fields(place="Macken vid E12", kommun="Storuman"))
    found = find_places(store, "macken", "Lycksele")
    assert found == [
        PlaceRef(None, "Macken vid E12", "Storuman"),  # starts with what was typed
        PlaceRef(None, "Gamla macken", "Storuman"),
    ]
    # A typed name that has a record is the record, once.
    assert [p.place_id for p in find_places(store, "torget")] == [
        town["torget"],
        town["storuman"],
    ]
