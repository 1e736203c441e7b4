"""Plans as people handle them: finding one by a word, moving measures, findings turned
into measures, deadlines ahead, and removal that never loses work by one key."""

from __future__ import annotations

from datetime import date

import pytest

from db.errors import TryggError
from db.plans.deadlines import deadlines
from db.plans.plans import (
    delete_area,
    delete_measure,
    delete_plan,
    find_plan,
    link_finding,
    measure_from_finding,
    move_measure,
    origin,
)
from db.store import Store
from tests.conftest import walk_fields

TODAY = date(2026, 11, 22)


def test_a_plan_is_found_by_a_word_or_as_the_only_running_one(store: Store) -> None:
    with pytest.raises(TryggError) as none:
        find_plan(store, None, TODAY)
    assert none.value.key == "plan.none"
    old = store.create(
        "plan",
        {"title": "Plan Lycksele 2024", "start_date": "2024-01-01", "end_date": "2024-12-31"},
    )
    now = store.create(
        "plan",
        {"title": "Plan Lycksele 2026", "start_date": "2026-01-01", "end_date": "2026-12-31"},
    )
    assert find_plan(store, None, TODAY)["id"] == now
    assert find_plan(store, "2024", TODAY)["id"] == old
    assert find_plan(store, old, TODAY)["id"] == old
    with pytest.raises(TryggError) as which:
        find_plan(store, "lycksele", TODAY)
    assert which.value.key == "plan.which"
    assert "Plan Lycksele 2024" in str(which.value.params["plans"])


def test_a_measure_moves_to_another_plan_with_its_log(store: Store) -> None:
    one = store.create("plan", {"title": "Ett"})
    two = store.create("plan", {"title": "Två"})
    area_one = store.create("focus_area", {"plan_id": one, "name": "A"})
    area_two = store.create("focus_area", {"plan_id": two, "name": "B"})
    measure = store.create("measure", {"plan_id": one, "focus_area_id": area_one, "activity": "X"})
    store.create("progress", {"measure_id": measure, "date": "2026-11-01", "count": 1})
    with pytest.raises(TryggError) as wrong:
        move_measure(store, measure, plan_id=one, focus_area_id=area_two)
    assert wrong.value.key == "plan.area_not_in_plan"
    move_measure(store, measure, plan_id=two, focus_area_id=area_two)
    moved = store.get("measure", measure) or {}
    assert (moved["plan_id"], moved["focus_area_id"]) == (two, area_two)
    assert store.count("progress", where={"measure_id": measure}) == 1


def test_a_finding_becomes_a_measure_that_shows_where_it_came_from(store: Store) -> None:
    walk = store.create("walk", walk_fields(area="Centrum", date="2026-10-03"))
    finding = store.create(
        "finding", {"walk_id": walk, "place": "Torget", "remark": "Trasig  belysning"}
    )
    plan = store.create("plan", {"title": "Plan"})
    fields = measure_from_finding(store, finding)
    assert fields["cause"] == "Trasig belysning (Torget, Centrum)"
    measure = store.create("measure", {**fields, "plan_id": plan})
    link_finding(store, finding, measure)
    assert (store.get("finding", finding) or {})["measure_id"] == measure
    came = origin(store, store.get("measure", measure) or {})
    assert came is not None
    assert (came.nr, came.remark, came.walk_area, came.walk_date) == (
        1,
        "Trasig belysning",
        "Centrum",
        "2026-10-03",
    )
    # Removing the measure unlinks the finding instead of removing it.
    delete_measure(store, measure)
    assert (store.get("finding", finding) or {})["measure_id"] is None


def test_removal_of_plans_and_areas_with_measures_is_refused(store: Store) -> None:
    plan = store.create("plan", {"title": "Plan"})
    area = store.create("focus_area", {"plan_id": plan, "name": "A"})
    measure = store.create("measure", {"plan_id": plan, "focus_area_id": area, "activity": "X"})
    for remove, key in (
        (delete_plan, "plan.has_measures"),
        (delete_area, "plan.area_has_measures"),
    ):
        with pytest.raises(TryggError) as refused:
            remove(store, plan if remove is delete_plan else area)
        assert refused.value.key == key
    delete_measure(store, measure)
    delete_area(store, area)
    delete_plan(store, plan)
    assert store.count("plan") == 0


def test_deadlines_ahead_leave_out_the_weekly_work_unless_asked(store: Store) -> None:
    plan = store.create(
        "plan",
        {"title": "Plan", "start_date": "2026-01-01", "end_date": "2027-01-31",
         "followup_interval": "kvartal"},
    )  # fmt: skip
    store.create("measure", {"plan_id": plan, "activity": "Månad", "rrule": "FREQ=MONTHLY"})
    store.create("measure", {"plan_id": plan, "activity": "Helg", "rrule": "FREQ=WEEKLY;BYDAY=FR"})
    store.create("measure", {"plan_id": plan, "activity": "Klar", "due_date": "2026-12-01",
                             "status": "genomford"})  # fmt: skip
    store.create("measure", {"plan_id": plan, "activity": "Skylt", "due_date": "2026-12-15"})
    found = deadlines(store, TODAY, date(2027, 2, 28))
    assert [(d.day.isoformat(), d.kind, d.activity or d.period) for d in found] == [
        ("2026-11-30", "rhythm", "Månad"),
        ("2026-12-15", "due", "Skylt"),
        ("2026-12-31", "followup", "2026-Q4"),
        ("2026-12-31", "rhythm", "Månad"),
        ("2027-01-31", "plan_end", None),
        ("2027-01-31", "rhythm", "Månad"),
    ]
    weekly = deadlines(store, TODAY, date(2026, 12, 5), weekly=True)
    assert [d.day.isoformat() for d in weekly if d.activity == "Helg"] == [
        "2026-11-27",
        "2026-12-04",
    ]
