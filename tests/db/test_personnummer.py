"""The personnummer validator, with the ``personnummer`` package as an oracle where both
agree on the rules (12 digits, a past date, an ordinary number)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from personnummer import personnummer as oracle

from db.personnummer import PersonnummerError, luhn_digit, parse_personnummer

EVENT = date(2026, 11, 21)


def number(birth: date, serial: int, *, samordning: bool = False, digits: int = 12) -> str:
    day = birth.day + 60 if samordning else birth.day
    body = f"{birth:%y%m}{day:02d}{serial:03d}"
    check = luhn_digit(body)
    if digits == 12:
        return f"{birth:%Y%m}{day:02d}-{serial:03d}{check}"
    age = EVENT.year - birth.year - ((EVENT.month, EVENT.day) < (birth.month, birth.day))
    sep = "+" if age >= 100 else "-"
    return f"{birth:%y%m}{day:02d}{sep}{serial:03d}{check}"


def refusal(text: str, at: date = EVENT) -> str:
    with pytest.raises(PersonnummerError) as info:
        parse_personnummer(text, at)
    return info.value.key


def test_twelve_digits_give_age_and_sex_at_the_event() -> None:
    pnr = parse_personnummer("20100315-9801", EVENT)
    assert pnr.birth_date == date(2010, 3, 15)
    assert pnr.age_at(EVENT) == 16
    assert pnr.sex == "kvinna"  # ninth digit 0 is even
    assert pnr.canonical() == "20100315-9801"


def test_age_is_counted_at_the_event_not_today() -> None:
    pnr = parse_personnummer("20100315-9801", date(2026, 3, 14))
    assert pnr.age_at(date(2026, 3, 14)) == 15
    assert pnr.age_at(date(2026, 3, 15)) == 16


def test_ten_digits_take_the_century_that_makes_the_person_under_100() -> None:
    assert parse_personnummer("100315-9801", EVENT).year == 2010
    assert parse_personnummer("1003159801", EVENT).year == 2010
    # Born on a day after the event in the current century: the previous century.
    late = date(1926, 12, 24)
    assert parse_personnummer(number(late, 981, digits=10), EVENT).year == 1926


def test_plus_means_a_hundred_or_older() -> None:
    old = date(1920, 5, 2)
    text = number(old, 982, digits=10)
    assert "+" in text
    pnr = parse_personnummer(text, EVENT)
    assert pnr.year == 1920 and pnr.age_at(EVENT) == 106
    assert refusal(f"{date(2010, 3, 15):%Y%m%d}+9801") == "pnr.plus"


def test_samordningsnummer_has_sixty_added_to_the_day() -> None:
    birth = date(2009, 6, 7)
    pnr = parse_personnummer(number(birth, 985, samordning=True), EVENT)
    assert pnr.samordning and pnr.birth_date == birth and pnr.age_at(EVENT) == 17
    assert pnr.canonical().startswith("20090667")


def test_samordningsnummer_with_unknown_day_counts_the_youngest_possible_age() -> None:
    body = "091160985"  # November 2009, day 00 + 60
    text = f"2009116098{5}{luhn_digit(body)}"
    pnr = parse_personnummer(f"{text[:8]}-{text[8:]}", EVENT)
    assert pnr.day == 0
    assert pnr.birth_date == date(2009, 11, 30)
    assert pnr.age_at(EVENT) == 16  # 17 only if born on or before 21 November


def test_leap_day_births() -> None:
    leap = number(date(2008, 2, 29), 990)
    assert parse_personnummer(leap, EVENT).birth_date == date(2008, 2, 29)
    # 29 February turns a year older on 1 March in common years.
    pnr = parse_personnummer(leap, EVENT)
    assert pnr.age_at(date(2026, 2, 28)) == 17
    assert pnr.age_at(date(2026, 3, 1)) == 18
    # 1900 was no leap year: 000229+NNNC is no real date, even with a correct check digit.
    body = "000229990"
    assert refusal(f"000229+990{luhn_digit(body)}") == "pnr.date"
    assert parse_personnummer(f"000229-990{luhn_digit(body)}", EVENT).year == 2000


def test_refusals_say_why() -> None:
    assert refusal("20100315-9802") == "pnr.checksum"
    assert refusal("abc") == "pnr.format"
    assert refusal("201003159") == "pnr.format"
    assert refusal(f"20100315-000{luhn_digit('100315000')}") == "pnr.serial"
    assert refusal("2010-03-15-9801") == "pnr.format"
    body = "101315980"
    assert refusal(f"20101315-980{luhn_digit(body)}") == "pnr.date"
    body = "100431980"
    assert refusal(f"20100431-980{luhn_digit(body)}") == "pnr.date"
    future = date(2026, 12, 24)
    assert refusal(number(future, 980)) == "pnr.future"
    assert refusal(number(EVENT + timedelta(days=1), 980)) == "pnr.future"


def test_spaces_are_forgiven() -> None:
    assert parse_personnummer(" 20100315 -9801 ", EVENT).canonical() == "20100315-9801"


@given(
    birth=st.dates(min_value=date(1927, 1, 1), max_value=EVENT),
    serial=st.integers(min_value=1, max_value=999),
)
def test_agrees_with_the_personnummer_package(birth: date, serial: int) -> None:
    text = number(birth, serial)
    ours = parse_personnummer(text, EVENT)
    theirs = oracle.parse(text)
    assert ours.sex == ("man" if theirs.is_male() else "kvinna")
    assert oracle.valid(text)
    assert ours.birth_date == birth


@given(
    birth=st.dates(min_value=date(1927, 1, 1), max_value=EVENT),
    serial=st.integers(min_value=1, max_value=999),
    wrong=st.integers(min_value=1, max_value=9),
)
def test_every_wrong_check_digit_is_refused(birth: date, serial: int, wrong: int) -> None:
    text = number(birth, serial)
    bad = text[:-1] + str((int(text[-1]) + wrong) % 10)
    assert not oracle.valid(bad)
    assert refusal(bad) == "pnr.checksum"


@given(birth=st.dates(min_value=date(1927, 1, 1), max_value=EVENT))
def test_ten_and_twelve_digit_forms_agree(birth: date) -> None:
    long_form = parse_personnummer(number(birth, 123), EVENT)
    short_form = parse_personnummer(number(birth, 123, digits=10), EVENT)
    assert long_form == short_form
