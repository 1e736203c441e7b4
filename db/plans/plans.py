"""Plans, focus areas and measures as people handle them: finding a plan by a word of its
title, moving a measure to another area or plan, turning a safety-walk finding into a
measure (or linking it to one), and where a measure came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from db.errors import TryggError
from db.store import Store


def plans_in_order(store: Store, today: date) -> list[dict[str, Any]]:
    """Plans running today first (by start), then those ahead, then those ended."""

    def order(plan: dict[str, Any]) -> tuple[int, str]:
        start, end = plan.get("start_date") or "", plan.get("end_date") or "9999"
        running = 0 if start <= today.isoformat() <= end else 1 if start > today.isoformat() else 2
        return running, (plan.get("start_date") or "") + plan["title"].casefold()

    return sorted(store.records("plan"), key=order)


def find_plan(store: Store, wanted: str | None, today: date) -> dict[str, Any]:
    """The plan with id ``wanted``, or the only one whose title contains it; with nothing
    given, the only plan running today. Raises TryggError naming the plans to choose from."""
    plans = plans_in_order(store, today)
    if not plans:
        raise TryggError("plan.none")
    if wanted:
        exact = [p for p in plans if p["id"] == wanted]
        if exact:
            return exact[0]
        found = [p for p in plans if wanted.casefold() in p["title"].casefold()]
    else:
        found = [
            p
            for p in plans
            if (p.get("start_date") or "") <= today.isoformat() <= (p.get("end_date") or "9999")
        ]
    if len(found) == 1:
        return found[0]
    names = "; ".join(p["title"] for p in (found or plans))
    raise TryggError("plan.which", plans=names)


def move_measure(store: Store, measure_id: str, *, plan_id: str, focus_area_id: str | None) -> None:
    """Move a measure to another focus area, of its plan or of another plan. Its log and
    follow-ups move with it (they belong to the measure)."""
    if focus_area_id:
        area = store.get("focus_area", focus_area_id)
        if area is None or area["plan_id"] != plan_id:
            raise TryggError("plan.area_not_in_plan")
    store.update("measure", measure_id, {"plan_id": plan_id, "focus_area_id": focus_area_id})


def measure_from_finding(store: Store, finding_id: str) -> dict[str, Any]:
    """Fields for a new measure drawn from a finding: the remark is the cause, the place
    and walk say where it came from. Nothing is written."""
    finding = store.get("finding", finding_id)
    if finding is None:
        raise TryggError("record.missing", id=finding_id)
    walk = store.get("walk", finding["walk_id"]) or {}
    where = ", ".join(p for p in (finding.get("place"), walk.get("area")) if p)
    cause = " ".join(str(finding.get("remark") or "").split())
    return {
        "finding_id": finding_id,
        "cause": f"{cause} ({where})" if where else cause,
        "activity": cause,
        "due_date": finding.get("due_date"),
        "status": "planerad",
    }


def link_finding(store: Store, finding_id: str, measure_id: str) -> None:
    """Record that a finding is dealt with by a measure (on both records, in one
    transaction). A measure made from the finding keeps that finding as its origin."""
    with store.transaction():
        store.update("finding", finding_id, {"measure_id": measure_id})
        measure = store.get("measure", measure_id)
        if measure is None:
            raise TryggError("record.missing", id=measure_id)
        if not measure.get("finding_id"):
            store.update("measure", measure_id, {"finding_id": finding_id})


@dataclass(frozen=True)
class Origin:
    """The safety-walk finding a measure came from."""

    finding_id: str
    nr: int | None
    remark: str
    place: str | None
    walk_area: str | None
    walk_date: str | None


def origin(store: Store, measure: dict[str, Any]) -> Origin | None:
    """Where a measure came from, when it came from a finding."""
    if not measure.get("finding_id"):
        return None
    finding = store.get("finding", measure["finding_id"])
    if finding is None:
        return None
    walk = store.get("walk", finding["walk_id"]) or {}
    return Origin(
        finding["id"],
        finding.get("nr"),
        " ".join(str(finding.get("remark") or "").split()),
        finding.get("place"),
        walk.get("area"),
        walk.get("date"),
    )


def linked_findings(store: Store, measure_id: str) -> list[dict[str, Any]]:
    """The findings that point at a measure."""
    return store.records("finding", where={"measure_id": measure_id})


def delete_plan(store: Store, plan_id: str) -> None:
    """Remove a plan that has no measures (a plan with measures is refused: move or
    remove them first, so nothing is lost by one key)."""
    if store.count("measure", where={"plan_id": plan_id}):
        raise TryggError("plan.has_measures")
    store.delete("plan", plan_id)


def delete_measure(store: Store, measure_id: str) -> None:
    """Remove a measure with its log and follow-ups (the store's cascade); findings
    linked to it are unlinked, not removed."""
    with store.transaction():
        for finding in linked_findings(store, measure_id):
            store.update("finding", finding["id"], {"measure_id": None})
        store.delete("measure", measure_id)


def delete_area(store: Store, area_id: str) -> None:
    """Remove a focus area that holds no measures (refused otherwise: move them first)."""
    if store.count("measure", where={"focus_area_id": area_id}):
        raise TryggError("plan.area_has_measures")
    store.delete("focus_area", area_id)
