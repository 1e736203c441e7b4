"""Deadlines ahead: measures due, production due at the end of each month, quarter or
year, follow-ups due to the steering group, plans ending. For the overview and for a
coordinator's calendar (db/reports/calendar.py).

Weekly and daily rhythms ("every Friday and Saturday") are left out unless asked for:
they are the ordinary work of the night, not dates for a calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from db.plans.followup import period_of, period_range
from db.plans.progress import measure_window
from db.plans.rhythm import canonical_rule, occurrences
from db.store import Store

_CLOSED = ("genomford", "installd")


@dataclass(frozen=True)
class Deadline:
    day: date
    #: "due" (the measure's date), "rhythm" (production due), "followup", "plan_end".
    kind: str
    plan_id: str
    plan_title: str
    measure_id: str | None = None
    activity: str | None = None
    #: The follow-up period, for kind "followup".
    period: str | None = None


def deadlines(
    store: Store,
    first: date,
    last: date,
    *,
    plan_id: str | None = None,
    weekly: bool = False,
) -> list[Deadline]:
    """Deadlines from ``first`` to ``last`` (both included), by day."""
    plans = {
        p["id"]: p
        for p in store.records("plan")
        if (plan_id is None or p["id"] == plan_id)
        and not (p.get("end_date") and p["end_date"] < first.isoformat())
    }
    found: list[Deadline] = []
    for plan in plans.values():
        found.extend(_plan_deadlines(plan, first, last))
    for m in store.records("measure"):
        measure_plan = plans.get(m["plan_id"])
        if measure_plan is None or m.get("status") in _CLOSED:
            continue
        title = measure_plan["title"]
        if m.get("due_date") and first.isoformat() <= m["due_date"] <= last.isoformat():
            found.append(
                Deadline(
                    date.fromisoformat(m["due_date"]),
                    "due",
                    measure_plan["id"],
                    title,
                    m["id"],
                    m["activity"],
                )
            )
        rule = canonical_rule(m["rrule"]) if m.get("rrule") else None
        if rule and (weekly or not rule.startswith(("FREQ=WEEKLY", "FREQ=DAILY"))):
            start, end = measure_window(m, measure_plan)
            if start is None:
                continue
            to = min(last, end) if end else last
            for day in occurrences(rule, start, to):
                if day >= first:
                    found.append(
                        Deadline(day, "rhythm", measure_plan["id"], title, m["id"], m["activity"])
                    )
    return sorted(found, key=lambda d: (d.day, d.plan_title, d.activity or ""))


def _plan_deadlines(plan: dict[str, Any], first: date, last: date) -> list[Deadline]:
    found = []
    interval = plan.get("followup_interval")
    if interval:
        day = first
        ends = plan.get("end_date") or "9999-12-31"
        while day <= last and day.isoformat() <= ends:
            period = period_of(interval, day)
            end = period_range(period)[1]
            if first <= end <= last:
                found.append(Deadline(end, "followup", plan["id"], plan["title"], period=period))
            day = date.fromordinal(end.toordinal() + 1)
    if plan.get("end_date") and first.isoformat() <= plan["end_date"] <= last.isoformat():
        found.append(
            Deadline(date.fromisoformat(plan["end_date"]), "plan_end", plan["id"], plan["title"])
        )
    return found
