"""Follow-up per measure and period: periods, production counted from the log (and
editable), one follow-up per measure and period, rows in plan order."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.errors import TryggError
from db.plans.followup import (
    find_followup,
    followup_rows,
    period_label,
    period_of,
    period_range,
    previous_period,
    production_in,
    read_period,
    save_followup,
)
from db.plans.progress import log_progress
from db.store import Store

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
        ("2028-Q1", date(2028, 1, 1), date(2028, 3, 31)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ],
)
def test_period_ranges(period: str, first: date, last: date) -> None:
    assert period_range(period) == (first, last)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_a_day_lies_in_its_period_and_the_previous_period_ends_the_day_before(day: date) -> None:
    for interval in ("kvartal", "halvar", "ar"):
        period = period_of(interval, day)
        first, last = period_range(period)
        assert first <= day <= last
        assert period_range(previous_period(period))[1].toordinal() == first.toordinal() - 1


def test_periods_as_typed() -> None:
    assert read_period("", "kvartal", TODAY) == "2026-Q4"
    assert read_period("", None, TODAY) == "2026-H2"
    assert read_period("2026 h1", "ar", TODAY) == "2026-H1"
    with pytest.raises(TryggError) as caught:
        read_period("våren", "halvar", TODAY)
    assert caught.value.key == "followup.bad_period"
    assert period_label("2026-H1") == "1:a halvåret 2026"
    assert period_label("2026-Q3", "en") == "quarter 3 2026"


def _measure(store: Store, **fields: object) -> tuple[str, str]:
    plan = store.create(
        "plan", {"title": "Plan", "start_date": "2026-01-01", "followup_interval": "halvar"}
    )
    area = store.create("focus_area", {"plan_id": plan, "name": "Centrum", "position": 1})
    measure = store.create(
        "measure",
        {"plan_id": plan, "focus_area_id": area, "activity": "Krogkontroll", **fields},
    )
    return plan, measure


def test_production_is_counted_from_the_log_within_the_period(store: Store) -> None:
    _, measure = _measure(store)
    log_progress(store, measure, day=date(2026, 6, 30), count=2)
    log_progress(store, measure, day=date(2026, 7, 1))
    log_progress(store, measure, day=date(2026, 11, 1), count=None)  # counts as once
    assert production_in(store, measure, "2026-H1") == 2
    assert production_in(store, measure, "2026-H2") == 2
    assert production_in(store, measure, "2026") == 4


def test_one_followup_per_measure_and_period_is_changed_not_doubled(store: Store) -> None:
    _, measure = _measure(store)
    first = save_followup(store, measure, "2026-H1", {"rating": "gul", "effect": "Lugnare"})
    again = save_followup(store, measure, "2026-H1", {"rating": "gron"})
    assert first == again
    saved = find_followup(store, measure, "2026-H1") or {}
    assert (saved["rating"], saved["effect"]) == ("gron", "Lugnare")
    assert save_followup(store, measure, "2026-H2", {"rating": "rod"}) != first
    with pytest.raises(TryggError):
        save_followup(store, measure, "H3", {"rating": "rod"})


def test_rows_hold_computed_or_entered_production_and_the_light(store: Store) -> None:
    plan, measure = _measure(store, rrule="FREQ=MONTHLY", target_count=1)
    other = store.create("measure", {"plan_id": plan, "activity": "Utan område"})
    for month in (7, 8, 9):
        log_progress(store, measure, day=date(2026, month, 10), hours=2)
    rows = followup_rows(store, plan, "2026-H2", TODAY)
    assert [r.measure["id"] for r in rows] == [measure, other]  # areas first
    assert (rows[0].production, rows[0].production_count, rows[0].hours) == (3, 3, 6.0)
    assert rows[0].rating is None
    assert rows[1].area == "Utan fokusområde"
    save_followup(store, measure, "2026-H2", {"rating": "gul", "production_count": 4})
    row = followup_rows(store, plan, "2026-H2", TODAY)[0]
    assert (row.production, row.production_count, row.rating) == (3, 4, "gul")
    # Progress to date: a monthly measure since January, 3 done of 10 expected by Nov 22.
    assert (row.progress.done, row.progress.expected, row.progress.behind) == (3, 10, True)


def test_promise_rows_hold_only_citizen_promises(store: Store) -> None:
    plan, promised = _measure(store, citizen_promise=True)
    store.create("measure", {"plan_id": plan, "activity": "Internt", "citizen_promise": False})
    rows = followup_rows(store, plan, "2026-H2", TODAY, promises_only=True)
    assert [r.measure["id"] for r in rows] == [promised]
