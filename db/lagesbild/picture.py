"""The lägesbild of one municipality and period: its places ranked by what happened
there, when quick reports happen (weekday × hour, for when patrols should be out), the
measures with their lights and progress, and each figure against the period it is
compared with.

Places are ranked by quick reports plus open findings plus overdue findings (an overdue
finding is also open, so it weighs twice: a problem its owner has let pass its date
weighs more), then by quick reports, then by name. A finding counts as open on the last
day of the period (or today, for a period not yet over): found by then and not fixed by
then. Places are counted under their name, folded (two devices' "Torget" are one place).

Everything is counted in SQL with the indexes of schema 10, so a municipality with
100,000 quick reports and findings is pictured in well under a third of a second (see
``tests/perf/bench_lagesbild.py``). No personal data is read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from difflib import get_close_matches
from typing import Any

from db.coordinates import LatLon
from db.errors import TryggError
from db.kommuner import ALL_KOMMUNER, canonical_kommun, suggest_kommun
from db.lagesbild.periods import Period, compared
from db.lagesbild.sources import (
    NOT_POSITIVE,
    key_of,
    kommun_measures,
    latest_lights,
    measure_places,
    place_names,
    record_place_name,
)
from db.places import located
from db.plans.progress import MeasureProgress, plan_progress
from db.store import Store
from db.textutil import fold

#: Monday … Sunday, as rows of the weekday × hour table.
WEEKDAYS = 7
HOURS = 24


@dataclass(frozen=True)
class Figures:
    """What happened in one period, for a place or the whole municipality."""

    reports: int = 0
    drunk: int = 0
    custody: int = 0
    new_findings: int = 0
    fixed_findings: int = 0
    open_findings: int = 0
    overdue_findings: int = 0
    walks: int = 0

    def __add__(self, other: Figures) -> Figures:
        # Written out: places are summed thousands of times for one picture.
        return Figures(
            self.reports + other.reports,
            self.drunk + other.drunk,
            self.custody + other.custody,
            self.new_findings + other.new_findings,
            self.fixed_findings + other.fixed_findings,
            self.open_findings + other.open_findings,
            self.overdue_findings + other.overdue_findings,
            self.walks + other.walks,
        )

    @property
    def score(self) -> int:
        """What a place is ranked by (see the module's docstring)."""
        return self.reports + self.open_findings + self.overdue_findings

    def share(self, count: int) -> float | None:
        """``count`` as a share of the quick reports (None without reports)."""
        return count / self.reports if self.reports else None


@dataclass
class PlaceRow:
    """One place of the municipality, numbered by rank (its mark on the map)."""

    number: int
    key: str
    name: str
    place_ids: list[str]
    point: LatLon | None
    now: Figures
    before: Figures
    measures: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MeasureRow:
    """A measure of the municipality with its light and progress."""

    id: str
    plan_id: str
    activity: str
    status: str | None
    light_period: str | None
    light: str | None
    progress: MeasureProgress
    places: tuple[str, ...]


@dataclass
class Lagesbild:
    """The joint picture of ``kommun`` for ``period``, against ``before``."""

    kommun: str
    period: Period
    before: Period
    compare: str
    today: date
    now: Figures
    then: Figures
    places: list[PlaceRow]
    #: Quick reports per weekday (Monday first) and hour, in each period.
    hours: list[list[int]]
    hours_before: list[list[int]]
    measures: list[MeasureRow]

    @property
    def as_of(self) -> date:
        """The day open findings are counted on."""
        return min(self.period.end, self.today)

    def place(self, key: str) -> PlaceRow | None:
        return next((p for p in self.places if p.key == key), None)


def kommun_named(store: Store, text: str) -> str:
    """The municipality ``text`` names: its official spelling, or the text as records
    carry it. Raises TryggError with suggestions when it names none."""
    typed = " ".join((text or "").split())
    official = canonical_kommun(typed)
    if official:
        return official
    if typed:
        for table in ("snabbrapport", "walk"):
            if store.conn.execute(
                f"SELECT 1 FROM {table} WHERE deleted = 0 AND kommun = ? LIMIT 1", (typed,)
            ).fetchone():
                return typed
    folded = {fold(k): k for k in ALL_KOMMUNER}
    near = [folded[k] for k in get_close_matches(fold(typed), list(folded), n=3, cutoff=0.75)]
    hint = suggest_kommun(typed, 3) or near
    if not hint:
        raise TryggError("lagesbild.unknown_kommun", kommun=typed)
    raise TryggError("lagesbild.unknown_kommun_hint", kommun=typed, hint=" / ".join(hint))


def lagesbild(
    store: Store, kommun: str, period: Period, today: date, *, compare: str = "previous"
) -> Lagesbild:
    """Draw the picture of ``kommun`` (as recorded: see ``kommun_named``) for ``period``."""
    before = compared(period, compare)
    names = place_names(store)
    now_by_place, hours = _reports(store, kommun, period, names)
    before_by_place, hours_before = _reports(store, kommun, before, names)
    findings = _findings(store, kommun, period, before, today, names)
    walks = _walks(store, kommun, (period, before))

    totals_now, totals_before = Figures(walks=walks[0]), Figures(walks=walks[1])
    rows: list[PlaceRow] = []
    for key in set(now_by_place) | set(before_by_place) | set(findings):
        found_now, found_before = findings.get(key, (Figures(), Figures()))
        now = now_by_place.get(key, Figures()) + found_now
        then = before_by_place.get(key, Figures()) + found_before
        totals_now, totals_before = totals_now + now, totals_before + then
        if key[0]:  # findings written without a place count in the totals, on no map
            rows.append(PlaceRow(0, key[0], key[1], [], None, now, then))
    ids_by_key = _place_ids(names, kommun)
    merged = _merge_spellings(rows)
    for row in merged:
        row.place_ids = ids_by_key.get(row.key, [])
        if row.place_ids:
            row.name = " ".join(str(names[row.place_ids[0]]["name"]).split())
        row.point = _point(row.place_ids, names)
    merged = [r for r in merged if r.now.score or r.before.score or r.now.fixed_findings]
    _finding_points(store, merged)
    merged.sort(key=lambda r: (-r.now.score, -r.now.reports, -r.before.score, r.key))
    for number, row in enumerate(merged, start=1):
        row.number = number

    measures = _measures(store, kommun, period, today)
    by_key = {r.key: r for r in merged}
    for m in measures:
        for place_key in m.places:
            if place_key in by_key:
                by_key[place_key].measures.append(m.id)
    return Lagesbild(
        kommun,
        period,
        before,
        compare,
        today,
        totals_now,
        totals_before,
        merged,
        hours,
        hours_before,
        measures,
    )


def _merge_spellings(rows: list[PlaceRow]) -> list[PlaceRow]:
    """One row per place key (the same place typed "Torget" and "torget")."""
    merged: dict[str, PlaceRow] = {}
    for row in rows:
        known = merged.get(row.key)
        if known is None:
            merged[row.key] = row
        else:
            known.now, known.before = known.now + row.now, known.before + row.before
    return list(merged.values())


def _place_ids(names: dict[str, dict[str, Any]], kommun: str) -> dict[str, list[str]]:
    """Place record ids per place key: this municipality's places (and places named
    without one, last)."""
    ids: dict[str, list[str]] = defaultdict(list)
    for place in sorted(names.values(), key=lambda p: (not p.get("kommun"), p["id"])):
        if place.get("kommun") in (kommun, None, ""):
            ids[key_of(place.get("name"))].append(place["id"])
    return ids


def _point(ids: list[str], names: dict[str, dict[str, Any]]) -> LatLon | None:
    """Where the first of a place's records with coordinates lies."""
    return next((located(names[i]) for i in ids if located(names[i])), None)


Counts = dict[tuple[str, str], Figures]


def _reports(
    store: Store, kommun: str, period: Period, names: dict[str, dict[str, Any]]
) -> tuple[Counts, list[list[int]]]:
    span = (kommun, period.start.isoformat(), period.end.isoformat())
    where = "deleted = 0 AND kommun = ? AND date >= ? AND date <= ?"
    counts: Counts = {}
    for place_id, text, reports, drunk, custody in store.conn.execute(
        "SELECT place_id, place, count(*), sum(coalesce(drunk, 0)),"
        " sum(custody IS NOT NULL AND custody != 'nej')"
        f" FROM snabbrapport WHERE {where} GROUP BY place_id, place",
        span,
    ):
        name = record_place_name(place_id, text, names)
        counted = Figures(reports=reports, drunk=drunk or 0, custody=custody or 0)
        key = (key_of(name), name)
        counts[key] = counts.get(key, Figures()) + counted
    hours = [[0] * HOURS for _ in range(WEEKDAYS)]
    for weekday, hour, reports in store.conn.execute(
        "SELECT (CAST(strftime('%w', date) AS INTEGER) + 6) % 7, CAST(substr(time, 1, 2)"
        f" AS INTEGER), count(*) FROM snabbrapport WHERE {where} GROUP BY 1, 2",
        span,
    ):
        if weekday is not None and hour is not None and 0 <= hour < HOURS:
            hours[weekday][hour] += reports
    return counts, hours


#: What is read of a finding that may count: all of it in the covering index
#: ``finding_fixed`` (schema 10), so the table itself is not read. Each branch of the
#: query says whether its findings still wait for their owner (new, sent, or no status).
_FINDING_COLUMNS = "walk_id, place_id, place, fixed_date, due_date, positive"
_BRANCHES = (
    ("1", "status = 'ny'"),
    ("1", "status = 'skickad'"),
    ("1", "status IS NULL"),
    ("0", "status = 'atgardad' AND fixed_date >= ?"),
)


def _open_on(day: date) -> str:
    """SQL: the finding (``f``, with ``waiting``; its walk ``w``) was open on ``day`` —
    found by then, and still waiting or fixed only later. A rejected finding carries no
    date and counts as closed. (``day`` is a date: what is written is ``YYYY-MM-DD``.)"""
    iso = day.isoformat()
    return f"(w.date <= '{iso}' AND (f.waiting OR f.fixed_date > '{iso}'))"


def _findings(
    store: Store,
    kommun: str,
    period: Period,
    before: Period,
    today: date,
    names: dict[str, dict[str, Any]],
) -> dict[tuple[str, str], tuple[Figures, Figures]]:
    """Per place (key, name): the findings' figures in both periods (positive remarks
    are not findings to follow up and count nowhere).

    Only the findings that can count are read, each through an index: those still
    waiting or fixed since the earlier period began (by status and fixed date), and
    those found on walks in either period (by municipality and date). Findings closed
    long ago, the bulk of a municipality's history, are never touched."""
    on_now, on_before = min(period.end, today), min(before.end, today)
    earliest = min(period.start, before.start).isoformat()

    def within(p: Period, column: str) -> str:
        return f"({column} >= '{p.start.isoformat()}' AND {column} <= '{p.end.isoformat()}')"

    branches = " UNION ALL ".join(
        f"SELECT {_FINDING_COLUMNS}, {waiting} AS waiting FROM finding"
        f" WHERE deleted = 0 AND {condition}"
        for waiting, condition in _BRANCHES
    )
    lately = store.conn.execute(
        "SELECT f.place_id, f.place,"
        f" sum({_open_on(on_now)}), sum({_open_on(on_now)} AND f.due_date < '{on_now}'),"
        f" sum({_open_on(on_before)}),"
        f" sum({_open_on(on_before)} AND f.due_date < '{on_before}'),"
        f" sum(NOT f.waiting AND {within(period, 'f.fixed_date')}),"
        f" sum(NOT f.waiting AND {within(before, 'f.fixed_date')})"
        f" FROM ({branches}) f JOIN walk w ON w.id = f.walk_id"
        f" WHERE w.deleted = 0 AND w.kommun = ? AND coalesce(f.positive, 0) = 0"
        " GROUP BY f.place_id, f.place",
        (earliest, kommun),
    )
    result: dict[tuple[str, str], tuple[Figures, Figures]] = {}

    def add(place_id: str | None, text: str | None, now: Figures, then: Figures) -> None:
        name = record_place_name(place_id, text, names)
        key = (key_of(name), name)
        known = result.get(key, (Figures(), Figures()))
        result[key] = (known[0] + now, known[1] + then)

    for place_id, text, *sums in lately:
        # A sum over only unknown dates (NULL) is NULL: none.
        o1, d1, o0, d0, f1, f0 = (int(value or 0) for value in sums)
        add(
            place_id,
            text,
            Figures(open_findings=o1, overdue_findings=d1, fixed_findings=f1),
            Figures(open_findings=o0, overdue_findings=d0, fixed_findings=f0),
        )
    found = store.conn.execute(
        f"SELECT f.place_id, f.place, sum({within(period, 'w.date')}),"
        f" sum({within(before, 'w.date')}) FROM walk w JOIN finding f ON f.walk_id = w.id"
        f" WHERE w.deleted = 0 AND f.deleted = 0 AND {NOT_POSITIVE} AND w.kommun = ?"
        f" AND ({within(period, 'w.date')} OR {within(before, 'w.date')})"
        " GROUP BY f.place_id, f.place",
        (kommun,),
    )
    for place_id, text, n1, n0 in found:
        add(place_id, text, Figures(new_findings=int(n1 or 0)), Figures(new_findings=int(n0 or 0)))
    return result


def _finding_points(store: Store, rows: list[PlaceRow]) -> None:
    """A place whose records have no coordinates is put where its findings' own
    coordinates lie on average, when they have any."""
    for row in rows:
        if row.point is not None or not row.place_ids:
            continue
        marks = ", ".join("?" for _ in row.place_ids)
        lat, lon = store.conn.execute(
            f"SELECT avg(lat), avg(lon) FROM finding WHERE deleted = 0 AND place_id IN ({marks})"
            " AND lat IS NOT NULL AND lon IS NOT NULL",
            row.place_ids,
        ).fetchone()
        if lat is not None and lon is not None:
            row.point = LatLon(lat, lon)


def _walks(store: Store, kommun: str, periods: tuple[Period, Period]) -> tuple[int, int]:
    counts = [
        store.conn.execute(
            "SELECT count(*) FROM walk WHERE deleted = 0 AND kommun = ? AND date >= ?"
            " AND date <= ?",
            (kommun, p.start.isoformat(), p.end.isoformat()),
        ).fetchone()[0]
        for p in periods
    ]
    return counts[0], counts[1]


def _measures(store: Store, kommun: str, period: Period, today: date) -> list[MeasureRow]:
    measures = kommun_measures(store, kommun)
    if not measures:
        return []
    ids = [m["id"] for m in measures]
    progress = plan_progress(store, min(today, period.end), measure_ids=ids)
    lights = latest_lights(store, ids, period.end)
    places = measure_places(store, measures)
    rows = [
        MeasureRow(
            m["id"],
            m["plan_id"],
            " ".join(str(m.get("activity") or "").split()),
            m.get("status"),
            lights.get(m["id"], (None, None))[0],
            lights.get(m["id"], (None, None))[1],
            progress[m["id"]],
            tuple(sorted(places.get(m["id"], set()))),
        )
        for m in measures
    ]
    # Red first: what the steering group must talk about.
    order = {"rod": 0, "gul": 1, None: 2, "gron": 3}
    rows.sort(key=lambda r: (order.get(r.light, 2), not r.progress.behind, r.activity.casefold()))
    return rows
