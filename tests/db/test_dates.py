"""Dates and times as people type them."""

from __future__ import annotations

from datetime import date, time

import pytest

from db.dates import DateInputError, parse_date, parse_time

TODAY = date(2026, 11, 22)  # a Sunday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-21", date(2026, 11, 21)),
        ("2026-1-5", date(2026, 1, 5)),
        ("20261121", date(2026, 11, 21)),
        ("261121", date(2026, 11, 21)),
        ("21/11", date(2026, 11, 21)),
        ("21.11.2026", date(2026, 11, 21)),
        ("21/11/26", date(2026, 11, 21)),
        ("21 nov", date(2026, 11, 21)),
        ("21 november 2026", date(2026, 11, 21)),
        ("3 maj", date(2026, 5, 3)),
        ("May 3", date(2026, 5, 3)),
        ("idag", TODAY),
        ("Today", TODAY),
        ("igår", date(2026, 11, 21)),
        ("i går", date(2026, 11, 21)),
        ("yesterday", date(2026, 11, 21)),
        ("lördag", date(2026, 11, 21)),
        ("fredag", date(2026, 11, 20)),
        ("söndag", TODAY),
        ("2024-02-29", date(2024, 2, 29)),
    ],
)
def test_understands_what_people_type(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("2230", "date.unreadable"),  # dateutil would make this the year 2230
        ("", "date.empty"),
        ("kalle", "date.unreadable"),
        ("2026-02-30", "date.impossible"),
        ("2025-02-29", "date.impossible"),
        ("31/4", "date.impossible"),
        ("2230-01-01", "date.year_range"),
        ("1850-01-01", "date.year_range"),
    ],
)
def test_refuses_with_a_reason(text: str, key: str) -> None:
    with pytest.raises(DateInputError) as info:
        parse_date(text, TODAY)
    assert info.value.key == key


def test_future_dates_can_be_refused() -> None:
    assert parse_date("imorgon", TODAY) == date(2026, 11, 23)
    with pytest.raises(DateInputError) as info:
        parse_date("imorgon", TODAY, allow_future=False)
    assert info.value.key == "date.future"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22:30", time(22, 30)),
        ("22.30", time(22, 30)),
        ("2230", time(22, 30)),
        ("930", time(9, 30)),
        ("22", time(22, 0)),
        ("kl 22", time(22, 0)),
        ("kl. 0.15", time(0, 15)),
    ],
)
def test_times(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "22:60", "ikväll", "", "1:2"])
def test_bad_times(text: str) -> None:
    with pytest.raises(DateInputError):
        parse_time(text)


def test_messages_in_both_languages() -> None:
    with pytest.raises(DateInputError) as info:
        parse_date("2230", TODAY)
    assert "datum" in info.value.message("sv")
    assert "date" in info.value.message("en")
