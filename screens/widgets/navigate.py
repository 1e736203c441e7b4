"""Opening a record where people work with it, whatever its type: a walk on its
screen, a finding or quick report in its form, a measure in its plan."""

from __future__ import annotations

from typing import Any

from db.store import Store


def open_record(app: Any, store: Store, rtype: str, record_id: str) -> bool:
    """Push the screen that shows ``record_id``; False when there is none to show (a
    removed record, a place)."""
    row = store.get(rtype, record_id)
    if row is None:
        return False
    if rtype == "walk":
        from screens.walk import WalkScreen

        app.push_screen(WalkScreen(record_id))
    elif rtype == "finding":
        from screens.finding_form import FindingFormScreen

        app.push_screen(FindingFormScreen(row["walk_id"], record_id))
    elif rtype == "snabbrapport":
        from screens.report_form import ReportFormScreen

        app.push_screen(ReportFormScreen(record_id))
    elif rtype == "owner":
        from screens.owner_form import OwnerFormScreen

        app.push_screen(OwnerFormScreen(record_id))
    elif rtype in ("plan", "focus_area", "measure", "progress", "followup"):
        from screens.plan import PlanScreen

        measure = record_id if rtype == "measure" else row.get("measure_id")
        plan_id = record_id if rtype == "plan" else row.get("plan_id")
        if plan_id is None and measure:
            plan_id = (store.get("measure", measure) or {}).get("plan_id")
        if plan_id is None:
            return False
        app.push_screen(PlanScreen(plan_id, focus=measure))
    else:
        return False
    return True
