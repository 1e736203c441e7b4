"""Everything at one place and around it: the safety-walk findings there (open and
fixed), the quick reports per quarter with the share intoxicated and taken into custody,
and the measures taken there with their lights and progress.

"There" is the place's name in its municipality (every spelling of it, folded), and,
where the place has coordinates, every known place within a radius and every finding
whose own coordinates lie within it. A place without coordinates is matched by name.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from db.coordinates import LatLon, distance_m
from db.lagesbild.periods import Period, quarter_of
from db.lagesbild.sources import key_of, latest_lights, place_names
from db.places import located
from db.plans.progress import MeasureProgress, plan_progress
from db.store import Store
from db.textutil import fold, swedish_sort_key

#: How far around a place the place view looks, in metres (a key cycles through them).
RADII = (100, 200, 500, 1000)
DEFAULT_RADIUS = 200
#: Quarters of quick reports shown, newest first.
QUARTERS = 8


@dataclass(frozen=True)
class PlaceRef:
    """A place as a screen opens it: its record (if there is one), its name and
    municipality."""

    place_id: str | None
    name: str
    kommun: str | None


@dataclass(frozen=True)
class FindingLine:
    id: str
    walk_id: str
    nr: int | None
    walk_area: str
    walk_date: str
    place: str
    remark: str
    category: str | None
    status: str | None
    positive: bool
    due_date: str | None
    fixed_date: str | None
    overdue: bool
    #: How far from the place, when it lies around it rather than at it.
    metres: float | None

    @property
    def is_open(self) -> bool:
        return not self.positive and (self.status or "ny") in ("ny", "skickad")


@dataclass(frozen=True)
class QuarterLine:
    period: Period
    reports: int
    drunk: int
    custody: int

    def share(self, count: int) -> float | None:
        return count / self.reports if self.reports else None


@dataclass(frozen=True)
class MeasureLine:
    id: str
    plan_id: str
    activity: str
    status: str | None
    light_period: str | None
    light: str | None
    progress: MeasureProgress


@dataclass(frozen=True)
class PlacePicture:
    ref: PlaceRef
    point: LatLon | None
    radius: int
    #: Known places around this one (place record, metres), nearest first.
    nearby: list[tuple[dict[str, Any], float]]
    findings: list[FindingLine]
    quarters: list[QuarterLine]
    measures: list[MeasureLine]

    @property
    def open_findings(self) -> list[FindingLine]:
        return [f for f in self.findings if f.is_open]

    @property
    def reports(self) -> int:
        return sum(q.reports for q in self.quarters)


def place_ref(store: Store, place_id: str) -> PlaceRef | None:
    """The place record ``place_id`` as a PlaceRef, or None."""
    place = store.get("place", place_id)
    if place is None:
        return None
    return PlaceRef(place_id, " ".join(str(place["name"] or "").split()), place.get("kommun"))


def place_of_record(store: Store, rtype: str, record_id: str) -> PlaceRef | None:
    """The place a record is about, or None when it names none: a finding's or quick
    report's place, a measure's own place or its finding's, a walk's area when a place
    has that name (else its first finding's place), a log entry's or follow-up's
    measure's."""
    record = store.get(rtype, record_id)
    if record is None:
        return None
    if rtype == "place":
        return place_ref(store, record_id)
    if rtype in ("progress", "followup"):
        return place_of_record(store, "measure", record["measure_id"])
    if rtype == "snabbrapport":
        return _named(store, record.get("place_id"), record.get("place"), record.get("kommun"))
    if rtype == "finding":
        walk = store.get("walk", record["walk_id"]) or {}
        return _named(store, record.get("place_id"), record.get("place"), walk.get("kommun"))
    if rtype == "measure":
        if record.get("place_id"):
            return place_ref(store, record["place_id"])
        linked = [record["finding_id"]] if record.get("finding_id") else []
        linked += [f["id"] for f in store.records("finding", where={"measure_id": record_id})]
        for finding_id in linked:
            found = place_of_record(store, "finding", finding_id)
            if found is not None:
                return found
        return None
    if rtype == "walk":
        wanted = key_of(record.get("area"))
        for place in store.records("place"):
            if key_of(place.get("name")) == wanted and place.get("kommun") == record["kommun"]:
                return place_ref(store, place["id"])
        for finding in store.records("finding", where={"walk_id": record_id}, order_by=("nr",)):
            found = place_of_record(store, "finding", finding["id"])
            if found is not None:
                return found
    return None


def _named(
    store: Store, place_id: str | None, text: str | None, kommun: str | None
) -> PlaceRef | None:
    if place_id:
        found = place_ref(store, place_id)
        if found is not None:
            return found
    name = " ".join((text or "").split())
    if not name:
        return None
    for place in store.records("place"):
        if key_of(place.get("name")) == key_of(name) and place.get("kommun") in (kommun, None):
            return place_ref(store, place["id"])
    return PlaceRef(None, name, kommun)


def find_places(store: Store, text: str, kommun: str | None = None) -> list[PlaceRef]:
    """Places whose name contains ``text`` (case and accents ignored): the place
    register's, and names typed on findings and quick reports that never got a record.
    Those starting with ``text`` first, ``kommun``'s before the others', then in Swedish
    order."""
    wanted = fold(" ".join((text or "").split()))
    found: dict[tuple[str, str | None], PlaceRef] = {}
    for p in store.records("place"):
        name = " ".join(str(p.get("name") or "").split())
        if name and wanted in fold(name):
            found.setdefault(
                (key_of(name), p.get("kommun")), PlaceRef(p["id"], name, p.get("kommun"))
            )
    unregistered = store.conn.execute(
        "SELECT DISTINCT place, kommun FROM snabbrapport WHERE deleted = 0 AND place_id IS NULL"
        " UNION SELECT DISTINCT f.place, w.kommun FROM finding f JOIN walk w ON w.id = f.walk_id"
        " WHERE f.deleted = 0 AND w.deleted = 0 AND f.place_id IS NULL AND f.place IS NOT NULL"
    )
    for text_typed, place_kommun in unregistered:
        name = " ".join(str(text_typed or "").split())
        if name and wanted in fold(name):
            found.setdefault((key_of(name), place_kommun), PlaceRef(None, name, place_kommun))

    def order(ref: PlaceRef) -> tuple[bool, bool, str]:
        return (
            not fold(ref.name).startswith(wanted),
            bool(kommun) and ref.kommun != kommun,
            swedish_sort_key(ref.name),
        )

    return sorted(found.values(), key=order)


def place_picture(
    store: Store, ref: PlaceRef, today: date, *, radius: int = DEFAULT_RADIUS
) -> PlacePicture:
    """Everything at ``ref`` and within ``radius`` metres of it, as of ``today``."""
    places = place_names(store)
    same = [
        p
        for p in places.values()
        if key_of(p.get("name")) == key_of(ref.name) and p.get("kommun") in (ref.kommun, None)
    ]
    if ref.place_id and ref.place_id in places and places[ref.place_id] not in same:
        same.insert(0, places[ref.place_id])
    point = next((located(p) for p in same if located(p)), None)
    nearby: list[tuple[dict[str, Any], float]] = []
    if point is not None:
        same_ids = {p["id"] for p in same}
        for place in places.values():
            where = located(place)
            if where is None or place["id"] in same_ids:
                continue
            metres = distance_m(point, where)
            if metres <= radius:
                nearby.append((place, metres))
        nearby.sort(key=lambda pair: pair[1])
    ids = [p["id"] for p in same] + [p["id"] for p, _ in nearby]
    distance = {p["id"]: metres for p, metres in nearby}
    names = {key_of(ref.name)} | {key_of(p.get("name")) for p, _ in nearby}
    findings = _findings(store, ref, point, radius, ids, names, distance, places, today)
    quarters = _quarters(store, ref, ids, names, today)
    measures = _measures(store, ids, [f.id for f in findings], today)
    return PlacePicture(ref, point, radius, nearby, findings, quarters, measures)


def _findings(
    store: Store,
    ref: PlaceRef,
    point: LatLon | None,
    radius: int,
    ids: list[str],
    names: set[str],
    distance: dict[str, float],
    places: dict[str, dict[str, Any]],
    today: date,
) -> list[FindingLine]:
    marks = ", ".join("?" for _ in ids) or "NULL"
    params: list[Any] = list(ids)
    near = ""
    if point is not None:
        # A box around the place (one degree of latitude is 111 km), then the circle.
        dlat = radius / 111_000 + 0.0001
        dlon = dlat / max(0.01, abs(math.cos(math.radians(point.lat))))
        near = " OR (f.lat BETWEEN ? AND ? AND f.lon BETWEEN ? AND ?)"
        params += [point.lat - dlat, point.lat + dlat, point.lon - dlon, point.lon + dlon]
    rows = store.conn.execute(
        "SELECT f.id, f.walk_id, f.nr, w.area, w.date, f.place_id, f.place, f.remark,"
        " f.category, f.status, f.positive, f.due_date, f.fixed_date, f.lat, f.lon, w.kommun"
        " FROM finding f JOIN walk w ON w.id = f.walk_id"
        " WHERE f.deleted = 0 AND w.deleted = 0"
        f" AND (f.place_id IN ({marks}) OR (f.place_id IS NULL AND f.place IS NOT NULL){near})",
        params,
    ).fetchall()
    lines = []
    for row in rows:
        (fid, walk_id, nr, area, walk_date, place_id, text, remark, category, status,
         positive, due, fixed, lat, lon, kommun) = row  # fmt: skip
        own = LatLon(lat, lon) if lat is not None and lon is not None else None
        metres: float | None = None  # at the place itself
        if place_id in ids:
            metres = distance.get(place_id)
        elif not (place_id is None and key_of(text) in names and kommun == ref.kommun):
            if own is None or point is None or distance_m(own, point) > radius:
                continue
            metres = distance_m(own, point)
        name = places.get(place_id or "", {}).get("name") or text or ""
        lines.append(
            FindingLine(
                fid,
                walk_id,
                nr,
                area or "",
                walk_date or "",
                " ".join(str(name).split()),
                " ".join(str(remark or "").split()),
                category,
                status,
                bool(positive),
                due,
                fixed,
                bool(
                    not positive
                    and (status or "ny") in ("ny", "skickad")
                    and due
                    and due < today.isoformat()
                ),
                metres if metres is not None and metres >= 1 else None,
            )
        )

    # Open first, then fixed or rejected, then positive remarks; the latest walk first.
    lines.sort(key=lambda line: (line.walk_date, -(line.nr or 0)), reverse=True)
    return sorted(lines, key=lambda line: 0 if line.is_open else 2 if line.positive else 1)


def _quarters(
    store: Store, ref: PlaceRef, ids: list[str], names: set[str], today: date
) -> list[QuarterLine]:
    marks = ", ".join("?" for _ in ids) or "NULL"
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    rows = store.conn.execute(
        "SELECT place_id, place, kommun, substr(date, 1, 7), count(*), sum(coalesce(drunk, 0)),"
        " sum(custody IS NOT NULL AND custody != 'nej') FROM snabbrapport WHERE deleted = 0"
        f" AND (place_id IN ({marks}) OR (place_id IS NULL AND kommun IS ?))"
        " GROUP BY place_id, place, kommun, substr(date, 1, 7)",
        [*ids, ref.kommun],
    )
    for place_id, text, kommun, month, reports, drunk, custody in rows:
        if place_id not in ids and not (key_of(text) in names and kommun == ref.kommun):
            continue
        quarter = quarter_of(date.fromisoformat(month + "-01")).start.isoformat()
        counts[quarter][0] += reports
        counts[quarter][1] += drunk or 0
        counts[quarter][2] += custody or 0
    current = quarter_of(today)
    first = min((date.fromisoformat(q) for q in counts), default=current.start)
    lines: list[QuarterLine] = []
    period = current
    while period.start >= first and len(lines) < QUARTERS:
        reports, drunk, custody = counts.get(period.start.isoformat(), [0, 0, 0])
        lines.append(QuarterLine(period, reports, drunk, custody))
        period = period.shifted(-1)
    return lines


def _measures(
    store: Store, ids: list[str], finding_ids: list[str], today: date
) -> list[MeasureLine]:
    wanted = set(finding_ids)
    chosen: dict[str, dict[str, Any]] = {}
    for measure in store.records("measure"):
        if measure.get("place_id") in ids or measure.get("finding_id") in wanted:
            chosen[measure["id"]] = measure
    for finding_id in finding_ids:
        finding = store.get("finding", finding_id) or {}
        if finding.get("measure_id") and finding["measure_id"] not in chosen:
            linked = store.get("measure", finding["measure_id"])
            if linked is not None:
                chosen[linked["id"]] = linked
    if not chosen:
        return []
    progress = plan_progress(store, today, measure_ids=list(chosen))
    lights = latest_lights(store, chosen, today)
    lines = [
        MeasureLine(
            m["id"],
            m["plan_id"],
            " ".join(str(m.get("activity") or "").split()),
            m.get("status"),
            lights.get(m["id"], (None, None))[0],
            lights.get(m["id"], (None, None))[1],
            progress[m["id"]],
        )
        for m in chosen.values()
    ]
    return sorted(lines, key=lambda line: line.activity.casefold())
