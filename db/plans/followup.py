"""Follow-up (uppföljning) per measure and period, the way the handbook asks for it:
production (was it done, how many times — counted from the log, editable), process (how,
what changed and why), effect (did it move the problem) and a traffic light.

Periods are written as the record field stores them: ``2026`` (a year), ``2026-H1`` (a
half-year), ``2026-Q3`` (a quarter). A plan says which kind it is followed up by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from db.errors import TryggError
from db.i18n import msg
from db.plans.progress import MeasureProgress, plan_progress
from db.plans.rhythm import describe
from db.store import Store

_PERIOD = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]))?$")


def period_range(period: str) -> tuple[date, date]:
    """First and last day of ``period``; raises TryggError("followup.bad_period")."""
    match = _PERIOD.match(period.strip().upper())
    if not match:
        raise TryggError("followup.bad_period", period=period)
    year, part = int(match.group(1)), match.group(2)
    if part is None:
        return date(year, 1, 1), date(year, 12, 31)
    months = 6 if part[0] == "H" else 3
    first_month = (int(part[1]) - 1) * months + 1
    first = date(year, first_month, 1)
    after = (
        date(year + 1, 1, 1) if first_month + months > 12 else date(year, first_month + months, 1)
    )
    return first, after - timedelta(days=1)


def period_of(interval: str | None, day: date) -> str:
    """The period of kind ``interval`` (kvartal, halvar, ar; default halvar) holding ``day``."""
    if interval == "ar":
        return str(day.year)
    if interval == "kvartal":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-H{1 if day.month <= 6 else 2}"


def previous_period(period: str) -> str:
    """The period just before ``period``, of the same kind."""
    first, _ = period_range(period)
    before = first - timedelta(days=1)
    match = _PERIOD.match(period.strip().upper())
    part = match.group(2) if match else None
    interval = "ar" if part is None else ("halvar" if part[0] == "H" else "kvartal")
    return period_of(interval, before)


def read_period(text: str, interval: str | None, today: date) -> str:
    """A period as typed: ``2026-H1``, ``2026 h1``, ``2026-q3``, ``2026``, or empty for the
    current one. Raises TryggError("followup.bad_period")."""
    cleaned = re.sub(r"\s+", "-", text.strip().upper())
    if not cleaned:
        return period_of(interval, today)
    period_range(cleaned)
    return cleaned


def period_label(period: str, lang: str | None = None) -> str:
    """``2026-H1`` → "första halvåret 2026"; ``2026-Q3`` → "kvartal 3 2026"; ``2026``."""
    match = _PERIOD.match(period.strip().upper())
    if not match or match.group(2) is None:
        return period
    year, part = match.group(1), match.group(2)
    key = f"followup.period.{part[0]}"
    return msg(key, lang, n=int(part[1]), year=year)


def production_in(store: Store, measure_id: str, period: str) -> int:
    """How many times the measure was logged done within ``period``."""
    first, last = period_range(period)
    row = store.conn.execute(
        "SELECT coalesce(sum(coalesce(count, 1)), 0) FROM progress WHERE deleted = 0"
        " AND measure_id = ? AND date BETWEEN ? AND ?",
        (measure_id, first.isoformat(), last.isoformat()),
    ).fetchone()
    return int(row[0])


def find_followup(store: Store, measure_id: str, period: str) -> dict[str, Any] | None:
    """The measure's follow-up for ``period`` (the latest written, should two laptops
    each have made one), or None."""
    rows = store.records("followup", where={"measure_id": measure_id, "period": period})
    return max(rows, key=lambda r: (r.get("updated") or "", r["id"]), default=None)


def save_followup(
    store: Store,
    measure_id: str,
    period: str,
    values: dict[str, Any],
    *,
    seen: dict[str, Any] | None = None,
) -> str:
    """Write the follow-up of ``measure_id`` for ``period``: a change to the one there
    is (to what was typed over ``seen``, the follow-up as the form showed it), else a
    new one. Returns its id."""
    period_range(period)
    existing = find_followup(store, measure_id, period)
    if existing:
        shown = seen if seen is not None and seen.get("id") == existing["id"] else None
        store.update("followup", existing["id"], values, seen=shown)
        return str(existing["id"])
    return store.create("followup", {**values, "measure_id": measure_id, "period": period})


@dataclass(frozen=True)
class FollowupRow:
    """One measure as the steering group reads it for a period."""

    measure: dict[str, Any]
    area: str
    when: str
    production: int
    followup: dict[str, Any] | None
    progress: MeasureProgress
    hours: float

    @property
    def rating(self) -> str | None:
        return (self.followup or {}).get("rating")

    @property
    def production_count(self) -> int:
        """The entered production, else the count from the log."""
        entered = (self.followup or {}).get("production_count")
        return int(entered) if entered is not None else self.production


def followup_rows(
    store: Store,
    plan_id: str,
    period: str,
    today: date,
    *,
    promises_only: bool = False,
    lang: str | None = None,
) -> list[FollowupRow]:
    """Every measure of the plan (or only its citizen promises) in plan order — focus
    area, then cause number — with production, hours and follow-up for ``period``."""
    first, last = period_range(period)
    areas = {
        a["id"]: (a.get("position") or 0, a["name"])
        for a in store.records("focus_area", where={"plan_id": plan_id})
    }
    measures = store.records("measure", where={"plan_id": plan_id})
    if promises_only:
        measures = [m for m in measures if m.get("citizen_promise")]
    progress = plan_progress(store, min(today, last), plan_id=plan_id)
    done = _logged(store, plan_id, first, last)
    followups: dict[str, dict[str, Any]] = {}
    for f in store.records("followup", where={"period": period}):
        known = followups.get(f["measure_id"])
        if known is None or (f.get("updated") or "") > (known.get("updated") or ""):
            followups[f["measure_id"]] = f

    def order(m: dict[str, Any]) -> tuple[Any, ...]:
        area = areas.get(m.get("focus_area_id") or "", (10_001, ""))
        # Ids are time-ordered: within a cause, measures keep the order they were written in.
        return (area[0], area[1].casefold(), m.get("cause_nr") or 0, m["id"])

    rows = []
    for m in sorted(measures, key=order):
        count, hours = done.get(m["id"], (0, 0.0))
        rows.append(
            FollowupRow(
                m,
                areas.get(m.get("focus_area_id") or "", (0, msg("plan.no_area", lang)))[1],
                when_text(m, lang),
                count,
                followups.get(m["id"]),
                progress[m["id"]],
                hours,
            )
        )
    return rows


def _logged(store: Store, plan_id: str, first: date, last: date) -> dict[str, tuple[int, float]]:
    rows = store.conn.execute(
        "SELECT p.measure_id, sum(coalesce(p.count, 1)), sum(coalesce(p.hours, 0))"
        " FROM progress p JOIN measure m ON m.id = p.measure_id"
        " WHERE p.deleted = 0 AND m.plan_id = ? AND p.date BETWEEN ? AND ?"
        " GROUP BY p.measure_id",
        (plan_id, first.isoformat(), last.isoformat()),
    )
    return {r[0]: (int(r[1]), float(r[2])) for r in rows}


def when_text(measure: dict[str, Any], lang: str | None = None) -> str:
    """The handbook's "När": the rhythm in words, a due date, or ordinary work."""
    parts = []
    if measure.get("rrule"):
        parts.append(describe(measure["rrule"], measure.get("target_count"), lang))
    if measure.get("due_date"):
        parts.append(msg("plan.due", lang, date=measure["due_date"]))
    if not parts and measure.get("one_off") is False:
        parts.append(msg("plan.ordinary_work", lang))
    if measure.get("one_off"):
        parts.append(msg("plan.one_off", lang))
    return " · ".join(parts)
