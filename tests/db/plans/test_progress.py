"""Progress on measures: the five-second log entry, done versus expected to date, the next
deadline, and hours added up per measure, area and plan."""

from __future__ import annotations

from datetime import date

from db.plans.progress import log_progress, measure_progress, plan_hours, plan_progress
from db.plans.rhythm import PERIOD_RULES
from db.store import Store

TODAY = date(2026, 11, 22)


def _plan(store: Store) -> dict[str, str]:
    plan = store.create(
        "plan", {"title": "Trygg i Lycksele", "start_date": "2026-01-01", "end_date": "2026-12-31"}
    )
    area = store.create("focus_area", {"plan_id": plan, "name": "Tryggt centrum"})
    nights = store.create(
        "measure",
        {
            "plan_id": plan,
            "focus_area_id": area,
            "activity": "Krogkontroll fredag och lördag",
            "rrule": "FREQ=WEEKLY;BYDAY=FR,SA",
            "start_date": "2026-11-01",
        },
    )
    monthly = store.create(
        "measure",
        {
            "plan_id": plan,
            "activity": "Tillsynsbesök",
            "rrule": PERIOD_RULES["manad"],
            "target_count": 2,
        },
    )
    one_off = store.create(
        "measure",
        {"plan_id": plan, "activity": "Högriskhelg", "target_count": 1, "due_date": "2026-06-06"},
    )
    return {"plan": plan, "area": area, "nights": nights, "monthly": monthly, "one_off": one_off}


def test_one_call_logs_done_once_today_by_this_device(store: Store) -> None:
    ids = _plan(store)
    entry = log_progress(store, ids["nights"])
    saved = store.get("progress", entry) or {}
    assert (saved["date"], saved["count"], saved["by"]) == ("2026-11-22", 1, "Testenhet")


def test_done_versus_expected(store: Store) -> None:
    ids = _plan(store)
    for day in ("2026-11-06", "2026-11-07", "2026-11-13", "2026-10-30"):  # one before start
        log_progress(store, ids["nights"], day=date.fromisoformat(day), hours=2.5, people=40)
    nights = measure_progress(store, ids["nights"], TODAY)
    assert (nights.done, nights.expected, nights.behind) == (3, 6, True)
    assert nights.next_due == date(2026, 11, 27)
    assert nights.hours == 7.5 and nights.people == 120
    assert nights.last_done == date(2026, 11, 13)

    log_progress(store, ids["monthly"], day=date(2026, 3, 3), count=25)
    monthly = measure_progress(store, ids["monthly"], TODAY)
    assert monthly.expected == 20  # 2 per month, January to October ended
    assert not monthly.behind and monthly.share == 25 / 20

    progress = plan_progress(store, TODAY, plan_id=ids["plan"])
    assert progress[ids["one_off"]].expected == 1 and progress[ids["one_off"]].behind
    assert plan_progress(store, date(2026, 6, 1), plan_id=ids["plan"])[ids["one_off"]].expected == 0


def test_deleted_entries_do_not_count(store: Store) -> None:
    ids = _plan(store)
    entry = log_progress(store, ids["nights"], day=date(2026, 11, 6), hours=3)
    store.delete("progress", entry)
    nights = measure_progress(store, ids["nights"], TODAY)
    assert nights.done == 0 and nights.hours == 0


def test_hours_add_up_per_measure_area_and_plan(store: Store) -> None:
    ids = _plan(store)
    log_progress(store, ids["nights"], day=date(2026, 11, 6), hours=2.5)
    log_progress(store, ids["nights"], day=date(2026, 11, 7), hours=3)
    log_progress(store, ids["monthly"], day=date(2026, 3, 3), hours=1.25)
    hours = plan_hours(store, ids["plan"])
    assert hours.per_measure[ids["nights"]] == 5.5
    assert hours.per_area == {ids["area"]: 5.5, None: 1.25}
    assert hours.total == 6.75
