"""What the place view and the municipality's picture both read: which name a record's
place goes by, the lights of measures, and which measures belong to a municipality.
Counting stays in SQL; only the handful of places and measures are handled in Python."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from db.plans.followup import period_range
from db.store import Store
from db.textutil import fold

#: A finding that is not a positive remark, in the query's ``f`` alias.
NOT_POSITIVE = "coalesce(f.positive, 0) = 0"


@lru_cache(maxsize=4096)
def key_of(name: str | None) -> str:
    """The key places are counted under: the name, case and accents folded, spaces
    collapsed ("Torget", "torget " and "TORGET" are one place)."""
    return fold(" ".join((name or "").split()))


def place_names(store: Store) -> dict[str, dict[str, Any]]:
    """Every place record by id (a small table: read once per picture)."""
    return {p["id"]: p for p in store.records("place")}


def record_place_name(place_id: str | None, text: str | None, places: dict[str, Any]) -> str:
    """The name a record's place goes by: its place record's name, else the text typed."""
    place = places.get(place_id or "")
    if place is not None and place.get("name"):
        return " ".join(str(place["name"]).split())
    return " ".join((text or "").split())


def latest_lights(
    store: Store, measure_ids: Iterable[str], until: date
) -> dict[str, tuple[str, str | None]]:
    """Per measure, its latest follow-up that began by ``until``: (period, light)."""
    wanted = set(measure_ids)
    best: dict[str, tuple[date, str, str | None, str]] = {}
    for f in store.records("followup"):
        if f["measure_id"] not in wanted:
            continue
        try:
            first, last = period_range(f["period"])
        except Exception:  # a period another version wrote: not a light we can place
            continue
        if first > until:
            continue
        known = best.get(f["measure_id"])
        candidate = (last, f["period"], f.get("rating"), f["id"])
        if (
            known is None
            or candidate[0] > known[0]
            or (candidate[0] == known[0] and candidate[3] > known[3])
        ):
            best[f["measure_id"]] = candidate
    return {mid: (period, rating) for mid, (_, period, rating, _) in best.items()}


def kommun_measures(store: Store, kommun: str) -> list[dict[str, Any]]:
    """The measures of plans made for ``kommun``, and measures placed in it."""
    plans = {
        p["id"]
        for p in store.records("plan")
        if any(fold(k) == fold(kommun) for k in (p.get("kommuner") or []))
    }
    places = {
        p["id"] for p in store.records("place") if fold(p.get("kommun") or "") == fold(kommun)
    }
    return [
        m
        for m in store.records("measure")
        if m["plan_id"] in plans or (m.get("place_id") and m["place_id"] in places)
    ]


def measure_places(store: Store, measures: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Per measure, the place keys it is about: its own place, the finding it came
    from, and the findings linked to it."""
    places = place_names(store)
    result: dict[str, set[str]] = {m["id"]: set() for m in measures}
    origin: dict[str, str] = {}
    for m in measures:
        if m.get("place_id") and m["place_id"] in places:
            result[m["id"]].add(key_of(places[m["place_id"]]["name"]))
        if m.get("finding_id"):
            origin[m["finding_id"]] = m["id"]
    if not measures:
        return result
    ids = list(result)
    marks = ", ".join("?" for _ in ids)
    origin_marks = ", ".join("?" for _ in origin) or "NULL"
    rows = store.conn.execute(
        "SELECT f.id, f.measure_id, f.place_id, f.place FROM finding f WHERE f.deleted = 0"
        f" AND (f.measure_id IN ({marks}) OR f.id IN ({origin_marks}))",
        [*ids, *origin],
    )
    for finding_id, measure_id, place_id, text in rows:
        name = record_place_name(place_id, text, places)
        if not name:
            continue
        for mid in (measure_id, origin.get(finding_id)):
            if mid in result:
                result[mid].add(key_of(name))
    return result
