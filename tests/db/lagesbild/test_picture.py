"""The lägesbild's figures against counts this test makes itself, record by record in
Python, over a random but seeded municipality: places typed in several spellings,
findings in every state, quick reports with and without a place record, deleted records
and a neighbouring municipality that must not leak in."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from db.coordinates import LatLon
from db.errors import TryggError
from db.lagesbild.periods import Period, compared, last_quarter, quarter_of, read_period
from db.lagesbild.picture import Figures, kommun_named, lagesbild
from db.store import Store
from db.textutil import fold
from tests.conftest import NOW

TODAY = NOW.date()
LYCKSELE_PLACES = (
    ("Torget", 64.5957, 18.6756),
    ("Järnvägsstationen", 64.5947, 18.6633),
    ("Ungdomsgården", 64.5979, 18.6812),
    ("Badplatsen Ansia", 64.5886, 18.7011),
    ("Busstationen", None, None),
    ("Skolgården", None, None),
)


@dataclass
class World:
    places: dict[str, str]  # "name, kommun" -> id


def spelled(rng: random.Random, name: str) -> str:
    """The same place as people type it: as written, lower case, or with spaces."""
    return rng.choice((name, name.lower(), f" {name}  ", name.upper()))


def build(store: Store, seed: int = 7) -> World:
    rng = random.Random(seed)
    places = {}
    for name, lat, lon in LYCKSELE_PLACES:
        places[f"{name}, Lycksele"] = store.create(
            "place", {"name": name, "kommun": "Lycksele", "lat": lat, "lon": lon}
        )
    places["Torget, Storuman"] = store.create(
        "place", {"name": "Torget", "kommun": "Storuman", "lat": 65.0961, "lon": 17.1086}
    )
    start = date(2025, 3, 1)
    span = (TODAY - start).days
    names = [p[0] for p in LYCKSELE_PLACES] + ["Gamla macken"]  # one without a record
    for _ in range(40):
        kommun = rng.choice(("Lycksele", "Lycksele", "Lycksele", "Storuman"))
        walk_day = start + timedelta(days=rng.randrange(span))
        walk = store.create(
            "walk", {"kommun": kommun, "area": "Centrum", "date": walk_day.isoformat()}
        )
        for _ in range(rng.randrange(0, 7)):
            name = rng.choice(names)
            key = f"{name}, {kommun}"
            status = rng.choice(("ny", "skickad", "atgardad", "avvisad", "fel_agare", None))
            sent = walk_day + timedelta(days=2)
            fixed = sent + timedelta(days=rng.randrange(0, 300))
            fields: dict[str, Any] = {
                "walk_id": walk,
                "remark": "Anmärkning",
                "place": spelled(rng, name),
                "place_id": places.get(key) if rng.random() < 0.7 else None,
                "positive": rng.random() < 0.1,
                "status": status,
                "due_date": (sent + timedelta(days=rng.choice((30, 90, 180)))).isoformat(),
                "fixed_date": fixed.isoformat() if status == "atgardad" else None,
            }
            if rng.random() < 0.2:
                fields["reject_reason"] = "Inte vår"
            store.create("finding", fields)
    report_start = date(2025, 6, 1)
    for _ in range(400):
        kommun = rng.choice(("Lycksele", "Lycksele", "Storuman"))
        name = rng.choice(names)
        day = report_start + timedelta(days=rng.randrange((TODAY - report_start).days))
        store.create(
            "snabbrapport",
            {
                "date": day.isoformat(),
                "time": f"{rng.randrange(24):02d}:{rng.randrange(60):02d}",
                "place": spelled(rng, name),
                "place_id": places.get(f"{name}, {kommun}") if rng.random() < 0.8 else None,
                "kommun": kommun,
                "name": "Alva Testsson",
                "drunk": rng.choice((True, False, None)),
                "custody": rng.choice(("nej", "lob", "pl12", "pl13", "annat", None)),
            },
        )
    # Deleted records count nowhere.
    for report in store.records("snabbrapport", limit=5):
        store.delete("snabbrapport", report["id"])
    store.delete("walk", store.records("walk", where={"kommun": "Lycksele"}, limit=1)[0]["id"])
    return World(places)


def place_key(place_id: str | None, text: str | None, store: Store) -> str:
    """Written here from the rule, not taken from the module: the place record's name
    when there is one, else the text, folded."""
    name = text or ""
    if place_id:
        record = store.get("place", place_id)
        if record:
            name = record["name"]
    return fold(" ".join(name.split()))


def expected(store: Store, kommun: str, p: Period) -> tuple[Figures, dict[str, Counter]]:
    """Totals and per-place counts for ``p``, record by record."""
    as_of = min(p.end, TODAY).isoformat()
    start, end = p.start.isoformat(), p.end.isoformat()
    per_place: dict[str, Counter] = {}
    totals: Counter = Counter()

    def add(key: str, what: str) -> None:
        per_place.setdefault(key, Counter())[what] += 1
        totals[what] += 1

    for r in store.records("snabbrapport", where={"kommun": kommun}):
        if start <= r["date"] <= end:
            key = place_key(r["place_id"], r["place"], store)
            add(key, "reports")
            if r["drunk"]:
                add(key, "drunk")
            if r["custody"] not in (None, "nej"):
                add(key, "custody")
    walks = {w["id"]: w for w in store.records("walk", where={"kommun": kommun})}
    for f in store.records("finding"):
        walk = walks.get(f["walk_id"])
        if walk is None:
            continue
        key = place_key(f["place_id"], f["place"], store)
        if f["positive"]:
            continue
        waiting = (f["status"] or "ny") in ("ny", "skickad")
        fixed_later = f["status"] == "atgardad" and (f["fixed_date"] or "") > as_of
        if walk["date"] <= as_of and (waiting or fixed_later):
            add(key, "open_findings")
            if f["due_date"] and f["due_date"] < as_of:
                add(key, "overdue_findings")
        if start <= walk["date"] <= end:
            add(key, "new_findings")
        if f["status"] == "atgardad" and start <= (f["fixed_date"] or "") <= end:
            add(key, "fixed_findings")
    totals["walks"] = sum(1 for w in walks.values() if start <= w["date"] <= end)
    return Figures(**totals), per_place


def hours_of(store: Store, kommun: str, p: Period) -> list[list[int]]:
    table = [[0] * 24 for _ in range(7)]
    for r in store.records("snabbrapport", where={"kommun": kommun}):
        if p.start.isoformat() <= r["date"] <= p.end.isoformat():
            table[date.fromisoformat(r["date"]).weekday()][int(r["time"][:2])] += 1
    return table


PERIODS = [
    last_quarter(TODAY),
    quarter_of(TODAY),  # not over yet: findings are counted as of today
    Period(date(2026, 1, 1), date(2026, 6, 30)),
    Period(date(2026, 8, 5), date(2026, 9, 17)),  # not whole months
]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p.start}..{p.end}")
@pytest.mark.parametrize("compare", ["previous", "year"])
def test_figures_match_counts_made_record_by_record(
    store: Store, period: Period, compare: str
) -> None:
    build(store)
    picture = lagesbild(store, "Lycksele", period, TODAY, compare=compare)
    assert picture.before == compared(period, compare)
    for figures, p in ((picture.now, period), (picture.then, picture.before)):
        totals, _ = expected(store, "Lycksele", p)
        assert figures == totals
    _, now_places = expected(store, "Lycksele", period)
    _, before_places = expected(store, "Lycksele", picture.before)
    shown = {row.key: row for row in picture.places}
    for key in set(now_places) | set(before_places):
        want_now = Figures(**now_places.get(key, Counter()))
        want_before = Figures(**before_places.get(key, Counter()))
        if not (want_now.score or want_before.score or want_now.fixed_findings):
            assert key not in shown
            continue
        assert shown[key].now == want_now, key
        assert shown[key].before == want_before, key
    assert picture.hours == hours_of(store, "Lycksele", period)
    assert picture.hours_before == hours_of(store, "Lycksele", picture.before)
    # Ranked: by reports + open + overdue, then reports; numbered from 1.
    scores = [(r.now.score, r.now.reports) for r in picture.places]
    assert scores == sorted(scores, reverse=True)
    assert [r.number for r in picture.places] == list(range(1, len(picture.places) + 1))


def test_every_spelling_is_one_place_with_its_records_coordinates(store: Store) -> None:
    world = build(store)
    picture = lagesbild(store, "Lycksele", Period(date(2025, 1, 1), TODAY), TODAY)
    keys = [row.key for row in picture.places]
    assert len(keys) == len(set(keys))
    torget = picture.place("torget")
    assert torget is not None
    assert torget.name == "Torget"
    assert torget.place_ids == [world.places["Torget, Lycksele"]]  # not Storuman's
    assert torget.point == LatLon(64.5957, 18.6756)
    assert picture.place("busstationen").point is None  # type: ignore[union-attr]
    macken = picture.place("gamla macken")
    assert macken is not None and macken.place_ids == [] and macken.name.strip()


def test_a_municipality_is_named_as_people_type_it(store: Store) -> None:
    build(store)
    assert kommun_named(store, "lycksele") == "Lycksele"
    assert kommun_named(store, " STORUMAN ") == "Storuman"
    with pytest.raises(TryggError) as caught:
        kommun_named(store, "Lyksele")
    assert caught.value.key == "lagesbild.unknown_kommun_hint"
    assert "Lycksele" in caught.value.message("sv")
    with pytest.raises(TryggError) as caught:
        kommun_named(store, "Ingenstans")
    assert caught.value.key == "lagesbild.unknown_kommun"
    store.create("walk", {"kommun": "Norra byn", "area": "x", "date": "2026-01-01"})
    assert kommun_named(store, "Norra byn") == "Norra byn"


def test_measures_of_the_municipality_with_their_lights(store: Store) -> None:
    world = build(store)
    plan = store.create("plan", {"title": "Plan", "kommuner": ["Lycksele"]})
    other = store.create("plan", {"title": "Annan", "kommuner": ["Storuman"]})
    at_torget = store.create(
        "measure",
        {"plan_id": plan, "activity": "Belysning", "place_id": world.places["Torget, Lycksele"]},
    )
    finding = store.records("finding", where={"place_id": world.places["Ungdomsgården, Lycksele"]})
    from_finding = store.create(
        "measure", {"plan_id": plan, "activity": "Klipp buskar", "finding_id": finding[0]["id"]}
    )
    plain = store.create("measure", {"plan_id": plan, "activity": "Utbildning"})
    store.create("measure", {"plan_id": other, "activity": "I Storuman"})
    store.create("followup", {"measure_id": at_torget, "period": "2026-Q2", "rating": "gul"})
    store.create("followup", {"measure_id": at_torget, "period": "2026-Q3", "rating": "rod"})
    store.create("followup", {"measure_id": at_torget, "period": "2026-Q4", "rating": "gron"})
    picture = lagesbild(store, "Lycksele", Period(date(2026, 7, 1), date(2026, 9, 30)), TODAY)
    rows = {m.id: m for m in picture.measures}
    assert set(rows) == {at_torget, from_finding, plain}
    assert (rows[at_torget].light, rows[at_torget].light_period) == ("rod", "2026-Q3")
    assert rows[plain].light is None
    assert picture.measures[0].id == at_torget  # red first
    torget = picture.place("torget")
    assert torget is not None and torget.measures == [at_torget]
    assert rows[from_finding].places == ("ungdomsgarden",)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-Q3", "2026-07-01", "2026-09-30"),
        ("2026 h2", "2026-07-01", "2026-12-31"),
        ("2025", "2025-01-01", "2025-12-31"),
        ("2026-02", "2026-02-01", "2026-02-28"),
        ("2026-07-01 – 2026-07-31", "2026-07-01", "2026-07-31"),
        ("1/7 - 15/8", "2026-07-01", "2026-08-15"),
    ],
)
def test_periods_as_typed(text: str, start: str, end: str) -> None:
    assert read_period(text, TODAY) == Period(date.fromisoformat(start), date.fromisoformat(end))


def test_like_with_like() -> None:
    q3 = Period(date(2026, 7, 1), date(2026, 9, 30))
    assert compared(q3) == Period(date(2026, 4, 1), date(2026, 6, 30))
    assert compared(q3, "year") == Period(date(2025, 7, 1), date(2025, 9, 30))
    february = Period(date(2026, 2, 1), date(2026, 2, 28))
    assert compared(february) == Period(date(2026, 1, 1), date(2026, 1, 31))
    days = Period(date(2026, 8, 5), date(2026, 8, 18))
    assert compared(days) == Period(date(2026, 7, 22), date(2026, 8, 4))
    assert last_quarter(TODAY) == q3
    with pytest.raises(TryggError):
        read_period("snart", TODAY)
    with pytest.raises(TryggError):
        Period(date(2026, 2, 1), date(2026, 1, 1))
    assert q3.label("sv") == "kvartal 3 2026"
    assert february.label("en") == "February 2026"
