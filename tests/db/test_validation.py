"""Cleaning and checking field values, as they arrive from forms, JSON and CSV."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.errors import ValidationFailed
from db.validation import validate
from tests.conftest import NOW, report_fields


def clean(rtype: str, **fields: Any) -> dict[str, Any]:
    return validate(rtype, fields, None, NOW)


def refused(rtype: str, **fields: Any) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as info:
        validate(rtype, fields, None, NOW)
    return {p.field: p.key for p in info.value.problems}


def test_text_is_trimmed_and_empty_means_none() -> None:
    got = clean("place", name="  Torget ", note="\n  rad ett\nrad två \n", kommun="")
    assert got == {"name": "Torget", "note": "rad ett\nrad två", "kommun": None}


def test_text_limits() -> None:
    assert refused("place", name="x" * 201) == {"name": "value.too_long"}
    assert refused("place", name="a\x00b") == {"name": "value.nul"}
    assert refused("place", name=["Torget"]) == {"name": "value.not_text"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("ja", True), ("X", True), ("1", True), ("nej", False), (0, False)],
)
def test_booleans(value: Any, expected: bool) -> None:
    assert clean("finding", walk_id=_ID, remark="r", positive=value)["positive"] is expected


def test_bad_boolean() -> None:
    assert refused("finding", walk_id=_ID, remark="r", positive="kanske") == {
        "positive": "value.not_bool"
    }


def test_numbers_from_text_with_decimal_commas() -> None:
    got = clean("place", name="p", lat="64,5957", lon=" 18.6756")
    assert got["lat"] == 64.5957 and got["lon"] == 18.6756
    assert clean("owner", name="o", default_due_days="1 80")["default_due_days"] == 180
    assert refused("place", name="p", lat="91") == {"lat": "value.too_large"}
    assert refused("place", name="p", lat="NaN") == {"lat": "value.not_number"}
    assert refused("place", name="p", lat=float("inf")) == {"lat": "value.not_number"}
    assert refused("owner", name="o", default_due_days=True) == {
        "default_due_days": "value.not_int"
    }
    assert refused("owner", name="o", default_due_days=2.5) == {"default_due_days": "value.not_int"}


def test_dates_and_times_in_files_are_strict() -> None:
    got = clean("walk", kommun="Åsele", area="a", date="2026-11-01", start_time="9:05")
    assert got["date"] == "2026-11-01" and got["start_time"] == "09:05"
    assert refused("walk", kommun="Å", area="a", date="21/11/2026") == {"date": "value.not_date"}
    assert refused("walk", kommun="Å", area="a", date="2026-02-29") == {"date": "value.not_date"}
    assert refused("walk", kommun="Å", area="a", date="2026-11-01", end_time="25:00") == {
        "end_time": "value.not_time"
    }


def test_choices_are_codes() -> None:
    assert clean("owner", name="o", kind=" Kommun ")["kind"] == "kommun"
    assert refused("owner", name="o", kind="staten") == {"kind": "value.not_choice"}


def test_lists_and_participants_from_json_or_csv_text() -> None:
    got = clean("plan", title="t", kommuner="Sorsele|Storuman")
    assert got["kommuner"] == ["Sorsele", "Storuman"]
    assert clean("plan", title="t", kommuner='["Åsele"]')["kommuner"] == ["Åsele"]
    walk = clean("walk", kommun="Å", area="a", date="2026-11-01", participants="Boende:8|Polis:2")
    assert walk["participants"] == [{"group": "Boende", "count": 8}, {"group": "Polis", "count": 2}]
    assert refused(
        "walk", kommun="Å", area="a", date="2026-11-01", participants=[{"group": "x", "count": -1}]
    ) == {"participants": "value.not_participants"}


def test_rrule_and_period() -> None:
    got = clean("measure", plan_id=_ID, activity="a", rrule="rrule:freq=weekly;byday=fr,sa")
    assert got["rrule"] == "FREQ=WEEKLY;BYDAY=FR,SA"
    assert refused("measure", plan_id=_ID, activity="a", rrule="every friday") == {
        "rrule": "value.not_rrule"
    }
    assert clean("followup", measure_id=_ID, period="2026-h1")["period"] == "2026-H1"
    assert refused("followup", measure_id=_ID, period="2026-Q5") == {"period": "value.not_period"}


def test_end_before_start() -> None:
    assert refused("plan", title="t", start_date="2026-05-01", end_date="2026-04-30") == {
        "end_date": "value.end_before_start"
    }


def test_required_and_unknown_fields() -> None:
    assert refused("walk") == {"kommun": "value.required", "area": "value.required",
                               "date": "value.required"}  # fmt: skip
    assert refused("place", name="p", colour="blå") == {"colour": "field.unknown"}
    assert refused("finding", walk_id="walk-1", remark="r") == {"walk_id": "value.not_id"}


def test_progress_cannot_be_logged_in_the_future() -> None:
    assert refused("progress", measure_id=_ID, date="2026-11-23") == {"date": "value.future_date"}


def test_an_update_is_checked_against_the_whole_record() -> None:
    current = {"id": _ID, **clean("snabbrapport", **report_fields())}
    with pytest.raises(ValidationFailed) as info:
        validate("snabbrapport", {"name": None, "personnummer": None}, current, NOW)
    assert info.value.problems[0].key == "value.name_or_pnr"
    # Moving the report's date re-derives the age from the personnummer.
    moved = validate("snabbrapport", {"date": "2025-11-21"}, current, NOW)
    assert moved["age"] == 15


def test_messages_name_the_field_in_the_users_words() -> None:
    with pytest.raises(ValidationFailed) as info:
        validate("snabbrapport", report_fields(custody="arrest"), None, NOW)
    assert info.value.message("sv").startswith("Blev personen omhändertagen: ska vara ett av: nej")
    assert info.value.message("en").startswith("Taken into custody: must be one of: nej")


@given(st.text(max_size=50))
def test_any_text_is_either_cleaned_or_refused_with_a_reason(text: str) -> None:
    try:
        got = clean("place", name=text)
    except ValidationFailed as failure:
        assert all(p.key.startswith("value.") for p in failure.problems)
    else:
        assert got["name"] == text.strip()


_ID = "01a200bc-f6b7-7b69-9828-f2eb5456263b"


@pytest.mark.parametrize("stored", ["23", "23:1x", "25:00", ""])
def test_a_stored_time_that_is_not_hh_mm_never_breaks_an_edit(stored: str) -> None:
    """A time written behind the form's back (an old version, a hand-edited file) is kept
    out of the future-date check instead of raising from it: the edit is checked on the
    date alone."""
    current = {**report_fields(), "time": stored}
    assert clean_edit(current, place="Stationen")["place"] == "Stationen"
    with pytest.raises(ValidationFailed) as info:
        validate("snabbrapport", {"date": "2099-01-01"}, current, NOW)
    assert {p.field: p.key for p in info.value.problems} == {"date": "value.future_date"}


def clean_edit(current: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return validate("snabbrapport", fields, current, NOW)
