"""Progress on measures: logging what was done in five seconds (today, once, by this
device unless told otherwise), and done versus expected to date from the measure's rhythm.

A measure's window runs from its start date (else its plan's start, else the first
logged entry) to its end date (else its plan's end). Without a rhythm a measure with a
target and a due date expects the whole target once the due date has passed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from db.plans.rhythm import Rhythm, expected_by, next_due
from db.store import Store


@dataclass(frozen=True)
class MeasureProgress:
    measure_id: str
    done: int
    expected: int
    hours: float
    people: int
    next_due: date | None
    last_done: date | None

    @property
    def behind(self) -> bool:
        return self.done < self.expected

    @property
    def share(self) -> float | None:
        """Done as a share of expected (None when nothing is expected yet)."""
        return self.done / self.expected if self.expected else None


def log_progress(
    store: Store,
    measure_id: str,
    *,
    day: date | None = None,
    count: int | None = 1,
    people: int | None = None,
    hours: float | None = None,
    note: str | None = None,
    by: str | None = None,
) -> str:
    """Log one entry for ``measure_id``; the defaults make "done once today" one call."""
    device = store.device
    with store.transaction():
        store.set_setting(LAST_MEASURE, measure_id)
        return store.create(
            "progress",
            {
                "measure_id": measure_id,
                "date": (day or store.now().date()).isoformat(),
                "count": count,
                "people_reached": people,
                "hours": hours,
                "note": note,
                "by": by or (device.name if device else None),
            },
        )


def format_hours(value: float) -> str:
    """Hours with at most one decimal and a decimal comma, the Swedish way: "175,5", "12"."""
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def measure_window(
    measure: dict[str, Any], plan: dict[str, Any] | None, first: str | None = None
) -> tuple[date | None, date | None]:
    """The days a measure runs: its start (else the plan's, else ``first``, the first
    logged day) to its end (else the plan's)."""

    def day(value: Any) -> date | None:
        return date.fromisoformat(value) if value else None

    start = day(measure.get("start_date")) or day((plan or {}).get("start_date")) or day(first)
    end = day(measure.get("end_date")) or day((plan or {}).get("end_date"))
    return start, end


def measure_progress(store: Store, measure_id: str, today: date) -> MeasureProgress:
    """Done versus expected for one measure on ``today``."""
    return plan_progress(store, today, measure_ids=[measure_id])[measure_id]


def plan_progress(
    store: Store,
    today: date,
    *,
    plan_id: str | None = None,
    measure_ids: list[str] | None = None,
) -> dict[str, MeasureProgress]:
    """Done versus expected for every measure of a plan (or the measures named, or all),
    with one query over the log."""
    where: dict[str, Any] = {"plan_id": plan_id} if plan_id else {}
    measures = [
        m
        for m in store.records("measure", where=where)
        if measure_ids is None or m["id"] in measure_ids
    ]
    plans = {p["id"]: p for p in store.records("plan")}
    wanted = [m["id"] for m in measures]
    entries: dict[str, list[tuple[str, int, float, int]]] = defaultdict(list)
    rows = store.conn.execute(
        "SELECT measure_id, date, coalesce(count, 1), coalesce(hours, 0),"
        " coalesce(people_reached, 0) FROM progress WHERE deleted = 0"
        f" AND measure_id IN ({', '.join('?' for _ in wanted)})",
        wanted,
    )
    for measure_id, day, count, hours, people in rows:
        entries[measure_id].append((day, int(count), float(hours), int(people)))
    result: dict[str, MeasureProgress] = {}
    for measure in measures:
        logged = entries.get(measure["id"], [])
        first = min((e[0] for e in logged), default=None)
        last = max((e[0] for e in logged), default=None)
        start, end = measure_window(measure, plans.get(measure["plan_id"]), first)
        until = (min(today, end) if end else today).isoformat()
        counted = [e for e in logged if (not start or e[0] >= start.isoformat()) and e[0] <= until]
        expected, following = 0, None
        if measure.get("rrule") and start:
            rhythm = Rhythm(measure["rrule"], measure.get("target_count") or 1)
            expected = expected_by(rhythm, start, today, end)
            following = next_due(rhythm, start, today, end)
        elif measure.get("target_count") and measure.get("due_date"):
            due = date.fromisoformat(measure["due_date"])
            expected = measure["target_count"] if due <= today else 0
            following = due if due > today else None
        result[measure["id"]] = MeasureProgress(
            measure["id"],
            sum(e[1] for e in counted),
            expected,
            sum(e[2] for e in counted),
            sum(e[3] for e in counted),
            following,
            date.fromisoformat(last) if last else None,
        )
    return result


@dataclass(frozen=True)
class Hours:
    """Hours logged, added up (the handbook asks for the cost in time)."""

    per_measure: dict[str, float]
    per_area: dict[str | None, float]
    total: float


def plan_hours(store: Store, plan_id: str) -> Hours:
    """Hours per measure, per focus area (None: measures without one) and for the plan."""
    rows = store.conn.execute(
        "SELECT m.id, m.focus_area_id, coalesce(sum(p.hours), 0) FROM measure m"
        " LEFT JOIN progress p ON p.measure_id = m.id AND p.deleted = 0"
        " WHERE m.deleted = 0 AND m.plan_id = ? GROUP BY m.id",
        (plan_id,),
    ).fetchall()
    per_measure = {r[0]: float(r[2]) for r in rows}
    per_area: dict[str | None, float] = defaultdict(float)
    for _, area, hours in rows:
        per_area[area] += float(hours)
    return Hours(per_measure, dict(per_area), sum(per_measure.values()))


LAST_MEASURE = "progress.last_measure"


def measure_choices(store: Store, today: date) -> list[tuple[str, str]]:
    """(id, name) of the measures one can log for: not cancelled or finished, of plans
    still running; the one logged last on this laptop first, then by name."""
    plans = {p["id"]: p for p in store.records("plan")}
    choices = []
    for m in store.records("measure"):
        plan = plans.get(m["plan_id"]) or {}
        if m.get("status") in ("installd", "genomford"):
            continue
        if plan.get("end_date") and plan["end_date"] < today.isoformat():
            continue
        choices.append((m["id"], " ".join(str(m["activity"]).split())[:80]))
    last = store.setting(LAST_MEASURE)
    choices.sort(key=lambda c: (c[0] != last, c[1].casefold()))
    return choices


def find_measure(choices: list[tuple[str, str]], typed: str) -> str | None:
    """The measure whose name is ``typed`` (any case) or the only one starting with it or
    containing it."""
    wanted = " ".join(typed.split()).casefold()
    if not wanted:
        return None
    for tests in (
        lambda name: name == wanted,
        lambda name: name.startswith(wanted),
        lambda name: wanted in name,
    ):
        found = [mid for mid, name in choices if tests(name.casefold())]
        if len(found) == 1:
            return found[0]
    return None
