"""Rhythms in plain words, and how many should be done by a day: across month ends,
leap years, week boundaries and the measure's own end."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.errors import TryggError
from db.plans.rhythm import PERIOD_RULES, Rhythm, describe, expected_by, next_due, parse_rhythm


@pytest.mark.parametrize(
    ("words", "rule", "times"),
    [
        ("varje månad", PERIOD_RULES["manad"], 1),
        ("Varje vecka", PERIOD_RULES["vecka"], 1),
        ("varannan vecka", PERIOD_RULES["varannan_vecka"], 1),
        ("varje fredag och lördag", "FREQ=WEEKLY;BYDAY=FR,SA", 1),
        ("alla lördagar och fredagar", "FREQ=WEEKLY;BYDAY=FR,SA", 1),
        ("en gång om året", PERIOD_RULES["ar"], 1),
        ("minst en gång per år", PERIOD_RULES["ar"], 1),
        ("varje kvartal", PERIOD_RULES["kvartal"], 1),
        ("minst 4 per kvartal", PERIOD_RULES["kvartal"], 4),
        ("2 gånger i månaden", PERIOD_RULES["manad"], 2),
        ("två gånger per halvår", PERIOD_RULES["halvar"], 2),
        ("every Friday and Saturday", "FREQ=WEEKLY;BYDAY=FR,SA", 1),
        ("at least 3 per month", PERIOD_RULES["manad"], 3),
        ("once a year", PERIOD_RULES["ar"], 1),
        ("FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;BYDAY=TU", 1),
    ],
)
def test_plain_words_become_rules(words: str, rule: str, times: int) -> None:
    assert parse_rhythm(words) == Rhythm(rule, times)


@pytest.mark.parametrize("words", ["", "ibland", "när det behövs", "FREQ=SOMETIMES", "0 per år"])
def test_unknown_rhythms_are_refused_with_examples(words: str) -> None:
    with pytest.raises(TryggError) as caught:
        parse_rhythm(words)
    assert caught.value.key == "rhythm.unknown"
    assert "varje månad" in caught.value.message("sv")


def test_rules_read_back_in_plain_words() -> None:
    assert describe(PERIOD_RULES["manad"], 1, "sv") == "varje månad"
    assert describe(PERIOD_RULES["kvartal"], 4, "sv") == "4 per kvartal"
    assert describe("FREQ=WEEKLY;BYDAY=FR,SA", 1, "sv") == "varje fredag och lördag"
    assert describe("FREQ=WEEKLY;BYDAY=FR,SA", 1, "en") == "every Friday and Saturday"
    assert describe(None, None, "sv") == "ingen rytm"


def test_monthly_is_due_at_each_month_end_and_never_skips_february() -> None:
    monthly = Rhythm(PERIOD_RULES["manad"])
    start = date(2027, 1, 31)
    assert expected_by(monthly, start, date(2027, 1, 30)) == 0
    assert expected_by(monthly, start, date(2027, 1, 31)) == 1
    assert expected_by(monthly, start, date(2027, 2, 27)) == 1
    assert expected_by(monthly, start, date(2027, 2, 28)) == 2
    assert expected_by(monthly, start, date(2027, 12, 31)) == 12
    assert next_due(monthly, start, date(2027, 2, 10)) == date(2027, 2, 28)


def test_leap_years() -> None:
    monthly = Rhythm(PERIOD_RULES["manad"])
    assert expected_by(monthly, date(2028, 2, 1), date(2028, 2, 28)) == 0
    assert expected_by(monthly, date(2028, 2, 1), date(2028, 2, 29)) == 1
    yearly = Rhythm(PERIOD_RULES["ar"])
    assert expected_by(yearly, date(2024, 2, 29), date(2028, 2, 29)) == 4
    assert expected_by(Rhythm(PERIOD_RULES["dag"]), date(2028, 2, 1), date(2028, 3, 1)) == 30


def test_friday_and_saturday_nights() -> None:
    nights = Rhythm("FREQ=WEEKLY;BYDAY=FR,SA")
    # November 2026: Fridays 6, 13, 20, 27 and Saturdays 7, 14, 21, 28.
    assert expected_by(nights, date(2026, 11, 1), date(2026, 11, 22)) == 6
    assert expected_by(nights, date(2026, 11, 1), date(2026, 11, 30)) == 8
    assert next_due(nights, date(2026, 11, 1), date(2026, 11, 22)) == date(2026, 11, 27)


def test_the_measure_end_stops_the_count() -> None:
    quarterly = Rhythm(PERIOD_RULES["kvartal"], 4)
    start, end = date(2026, 1, 1), date(2026, 6, 30)
    assert expected_by(quarterly, start, date(2026, 11, 22), end) == 8
    assert next_due(quarterly, start, date(2026, 11, 22), end) is None
    assert expected_by(quarterly, start, date(2025, 12, 1)) == 0  # before the start
    assert next_due(quarterly, start, date(2025, 12, 1)) == date(2026, 3, 31)


RULES = st.sampled_from([*PERIOD_RULES.values(), "FREQ=WEEKLY;BYDAY=FR,SA"])
DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))


@given(RULES, st.integers(1, 5), DAYS, st.integers(0, 800), st.integers(0, 400))
def test_expected_never_falls_and_grows_by_whole_periods(
    rule: str, times: int, start: date, span: int, more: int
) -> None:
    rhythm = Rhythm(rule, times)
    today = start + timedelta(days=span)
    earlier, later = (
        expected_by(rhythm, start, today),
        expected_by(rhythm, start, today + timedelta(days=more)),
    )
    assert 0 <= earlier <= later
    assert earlier % times == 0 and later % times == 0
    # A rule never expects more than once a day.
    assert earlier <= (span + 1) * times


def test_bare_rules_from_elsewhere_are_due_at_the_period_end() -> None:
    assert parse_rhythm("FREQ=MONTHLY") == Rhythm(PERIOD_RULES["manad"])
    assert describe("FREQ=MONTHLY", 1, "sv") == "varje månad"
    bare = Rhythm("FREQ=MONTHLY")
    assert expected_by(bare, date(2027, 1, 31), date(2027, 2, 28)) == 2
