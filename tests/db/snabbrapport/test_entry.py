"""Filing rules for quick reports: one key per answer, seized codes, the personnummer read
as it is typed, defaults, the next young person of a group, and deleting a mistake."""

from __future__ import annotations

from datetime import date

import pytest

from db import records
from db.errors import ValidationFailed
from db.i18n import msg
from db.places import place_names
from db.snabbrapport import entry
from db.store import Store
from tests.conftest import report_fields

DAY = date(2026, 11, 21)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_choice_has_its_own_key_in_both_languages(lang: str) -> None:
    for name in (*entry.CHOICE_FIELDS, "sex"):
        keys = entry.choice_keys(name, lang)
        assert sorted(keys.values()) == sorted(
            records.record_type("snabbrapport").field(name).choices
        )
        assert len(keys) == len(set(keys))  # zip(strict) would fail on a short string
    assert sorted(entry.tick_keys(lang).values()) == sorted(entry.TICK_FIELDS)
    letters = [letter for letter, _ in entry.seized_codes(lang)]
    assert len(letters) == len(set(letters)) == len(entry.SEIZED_KINDS)


def test_swedish_keys_are_the_paper_forms_first_letters() -> None:
    assert entry.choice_keys("custody", "sv") == {
        "n": "nej", "l": "lob", "2": "pl12", "3": "pl13", "a": "annat",
    }  # fmt: skip
    assert entry.choice_keys("guardian_contacted", "sv") == {
        "n": "nej", "j": "ja", "e": "i_efterhand",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "items"),
    [
        ("6s", ["6 burk starköl 50 cl"]),
        ("6s, 2c", ["6 burk starköl 50 cl", "2 burk cider 33 cl"]),
        ("6s 2c; en halv vodka", ["6 burk starköl 50 cl", "2 burk cider 33 cl", "en halv vodka"]),
        ("6 S", ["6 burk starköl 50 cl"]),
        ("p", ["1 flaska sprit 70 cl"]),
        ("6 st öl", ["6 st öl"]),  # not codes: kept as typed
        ("  ,  ; ", []),
    ],
)  # fmt: skip
def test_seized_codes_expand(typed: str, items: list[str]) -> None:
    assert entry.expand_seized(typed, "sv") == items


def test_seized_codes_in_english() -> None:
    assert entry.expand_seized("6s 1w", "en") == [
        "6 can of strong beer 50 cl",
        "1 bottle of wine 75 cl",
    ]


@pytest.mark.parametrize(
    ("typed", "age", "sex", "problem"),
    [
        ("20100315-9801", 16, "kvinna", None),
        ("100315-9801", 16, "kvinna", None),
        ("20110204-1231", 15, "man", None),
        ("20100975-2468", 16, "kvinna", None),  # samordningsnummer: day + 60
        ("20100315-9802", None, None, "pnr.checksum"),
        ("20100230-1234", None, None, "pnr.checksum"),
        ("20271121-1234", None, None, "pnr.checksum"),
    ],
)  # fmt: skip
def test_personnummer_read_as_typed(
    typed: str, age: int | None, sex: str | None, problem: str | None
) -> None:
    reading = entry.read_personnummer(typed, DAY)
    assert reading.complete
    assert (reading.age, reading.sex) == (age, sex)
    assert (reading.problem.key if reading.problem else None) == problem


def test_personnummer_impossible_or_future_dates_say_so() -> None:
    from db.personnummer import luhn_digit

    impossible = "100230" + "123"
    future = "271121" + "123"
    impossible_read = entry.read_personnummer(f"20{impossible}{luhn_digit(impossible)}", DAY)
    assert impossible_read.problem is not None and impossible_read.problem.key == "pnr.date"
    future_read = entry.read_personnummer(f"20{future}{luhn_digit(future)}", DAY)
    assert future_read.problem is not None and future_read.problem.key == "pnr.future"
    assert entry.read_personnummer("", DAY).empty
    partial = entry.read_personnummer("201003", DAY)
    assert not partial.complete and partial.problem is None


def test_defaults_come_from_the_device_and_the_last_report(store: Store) -> None:
    defaults = entry.new_report_defaults(store)
    assert defaults["date"] == "2026-11-22" and defaults["time"] == "01:30"
    assert defaults["kommun"] == "Lycksele" and defaults["place"] == ""
    entry.save_report(store, {**report_fields(place="  Folkets   park "), "officer": "Insp. Berg"})
    defaults = entry.new_report_defaults(store)
    assert defaults["place"] == "Folkets park" and defaults["officer"] == "Insp. Berg"
    assert "Folkets park" in place_names(store, "Lycksele")


def test_a_device_municipality_that_is_none_is_not_a_report_s_default(store: Store) -> None:
    # Set up before a device's municipality had to be one: each F5 started with "Storum"
    # and every save refused it.
    from db import peers

    with store.transaction():
        peers.update_this_device(store.conn, {"kommun": "Storum"})
    assert entry.new_report_defaults(store)["kommun"] == ""


def test_typed_age_and_sex_count_only_without_a_personnummer(store: Store) -> None:
    with_pnr, _ = entry.save_report(store, report_fields(age=30, sex="man"))
    without, _ = entry.save_report(
        store, report_fields(personnummer=None, name="Okänd", age=15, sex="man")
    )
    assert (store.get("snabbrapport", with_pnr) or {})["age"] == 16
    assert (store.get("snabbrapport", with_pnr) or {})["sex"] == "kvinna"
    assert (store.get("snabbrapport", without) or {})["age"] == 15


def test_an_age_typed_beside_a_personnummer_must_be_its_age() -> None:
    # The form fills the age in from the number and the save takes the number's: text
    # typed there one Enter early ("6s, 2c", meant for the seized alcohol) was dropped
    # without a word (cold test).
    typed = {"date": "2026-11-21", "personnummer": "20100315-9801"}
    with pytest.raises(ValidationFailed) as caught:
        entry.parse_typed({**typed, "age": "6s, 2c"}, DAY)
    (problem,) = caught.value.problems
    assert problem.field == "age"
    assert problem.message("sv").startswith("'6s, 2c' är inte åldern personnumret ger (16 år)")
    for fine in ("16", " 16 ", "", "?"):
        entry.parse_typed({**typed, "age": fine}, DAY)
    entry.parse_typed({"date": "2026-11-21", "personnummer": "", "age": "15"}, DAY)


def test_the_other_text_belongs_to_the_other_answer(store: Store) -> None:
    report_id, _ = entry.save_report(
        store, report_fields(custody="lob", custody_other="kvar från förra gången")
    )
    assert (store.get("snabbrapport", report_id) or {})["custody_other"] is None
    entry.save_report(
        store, {"custody": "annat", "custody_other": "skjuts hem"}, report_id=report_id
    )
    assert (store.get("snabbrapport", report_id) or {})["custody_other"] == "skjuts hem"


def test_a_report_needs_a_name_or_a_personnummer(store: Store) -> None:
    with pytest.raises(ValidationFailed) as caught:
        entry.save_report(store, report_fields(name=None, personnummer=None))
    assert caught.value.problems[0].key == "value.name_or_pnr"
    assert store.count("snabbrapport") == 0
    assert store.setting(entry.LAST_PLACE) is None  # nothing remembered from a refusal


def test_typed_text_is_read_as_people_write_it() -> None:
    values = entry.parse_typed(
        {"date": "igår", "time": "23.10", "seized": "6s", "pm_sent_date": ""}, date(2026, 11, 22)
    )
    assert values["date"] == "2026-11-21" and values["time"] == "23:10"
    assert values["seized"] == ["6 burk starköl 50 cl"] and values["pm_sent_date"] is None
    with pytest.raises(ValidationFailed) as caught:
        entry.parse_typed({"date": "31 februari", "time": "25:00"}, date(2026, 11, 22))
    assert {p.field for p in caught.value.problems} == {"date", "time"}


def test_the_next_in_a_group_keeps_the_event_and_clears_the_person(store: Store) -> None:
    first, _ = entry.save_report(
        store,
        report_fields(
            group_id="g-1", drunk=True, custody="lob", obot="nej", alcohol_source="foralder",
            pm_social="ja", phone="070-1", ovrigt="ringde", officer="Berg",
        ),
    )  # fmt: skip
    start = entry.next_in_group(store, store.get("snabbrapport", first) or {})
    assert start["group_id"] == "g-1"
    # Each report keeps its own moment: the next one starts now (the clock: 01:30)...
    assert (start["date"], start["time"], start["place"], start["officer"]) == (
        "2026-11-22", "01:30", "Torget", "Berg",
    )  # fmt: skip
    # ... unless the first one's moment was typed (a report written afterwards).
    typed = entry.next_in_group(store, store.get("snabbrapport", first) or {}, typed_moment=True)
    assert (typed["date"], typed["time"]) == ("2026-11-21", "23:10")
    assert (start["obot"], start["alcohol_source"], start["pm_social"]) == ("nej", "foralder", "ja")
    for personal in ("name", "personnummer", "phone", "ovrigt", "drunk", "custody"):
        assert start.get(personal) is None
    without_group = entry.next_in_group(store, {"id": "abc"})
    assert without_group["group_id"] == "abc"


def test_next_number_counts_deleted_reports(store: Store) -> None:
    assert entry.next_number(store) == 1
    report_id, nr = entry.save_report(store, report_fields())
    entry.delete_report(store, report_id)
    assert entry.next_number(store) == nr + 1


def test_deleting_a_mistake_erases_its_personal_data(store: Store) -> None:
    report_id, _ = entry.save_report(store, report_fields())
    entry.delete_report(store, report_id)
    row = store.conn.execute(
        "SELECT deleted, name, personnummer FROM snabbrapport WHERE id = ?", (report_id,)
    ).fetchone()
    assert tuple(row) == (1, None, None)
    assert msg("keys.custody", "sv")  # the catalogue holds the keys, not the code


def test_a_personnummer_in_the_name_or_another_field_is_refused(store: Store) -> None:
    # The landed bug: the name typed in Kommun and the number in Namn.
    with pytest.raises(ValidationFailed) as caught:
        entry.save_report(
            store, report_fields(name="20100315-9801", personnummer=None, age=16, sex="kvinna")
        )
    assert [(p.field, p.key) for p in caught.value.problems] == [("name", "pnr.in_field")]
    for name in ("place", "officer"):
        with pytest.raises(ValidationFailed) as caught:
            entry.save_report(store, report_fields(**{name: "Torget 201003159801"}))
        assert caught.value.problems[0].field == name
    # A number that is no personnummer (a phone number, a wrong check digit) is fine.
    entry.save_report(store, report_fields(place="Busshållplats 0701234560"))
    assert store.count("snabbrapport") == 1


@pytest.mark.parametrize("phone", ["20090312-1234", "200903121234", "090312-1234"])
def test_a_personnummer_in_the_phone_field_is_refused(store: Store, phone: str) -> None:
    # One Enter too many after Namn puts the number in Telefon: it was saved there
    # (cold test), where it is neither checked nor read as the young person's.
    with pytest.raises(ValidationFailed) as caught:
        entry.save_report(store, report_fields(personnummer=None, phone=phone, age=16, sex="man"))
    assert [(p.field, p.key) for p in caught.value.problems] == [("phone", "pnr.in_field")]
    assert store.count("snabbrapport") == 0


@pytest.mark.parametrize("phone", ["0701234569", "070-123 45 69", "0907121230", "+46701234569"])
def test_a_phone_number_that_passes_for_a_personnummer_is_kept(store: Store, phone: str) -> None:
    # "0701234569" reads as 2007-01-23 with a right check digit: written as a phone number
    # is, it is one.
    report_id, _ = entry.save_report(store, report_fields(phone=phone))
    assert (store.get("snabbrapport", report_id) or {})["phone"] == phone


def test_a_municipality_that_is_none_is_refused(store: Store) -> None:
    with pytest.raises(ValidationFailed) as caught:
        entry.save_report(store, report_fields(kommun="Alva Testsson"))
    assert caught.value.problems[0].key == "report.kommun_unknown"
    report_id, _ = entry.save_report(store, report_fields(kommun="lycksele"))
    assert (store.get("snabbrapport", report_id) or {})["kommun"] == "Lycksele"


def test_without_a_personnummer_age_and_sex_are_asked_or_said_unknown(store: Store) -> None:
    with pytest.raises(ValidationFailed) as caught:
        entry.save_report(store, report_fields(personnummer=None))
    assert {p.field for p in caught.value.problems} == {"age", "sex"}
    typed = entry.parse_typed(
        report_fields(personnummer=None, age="?", sex="okand"), date(2026, 11, 22)
    )
    report_id, _ = entry.save_report(store, typed)
    saved = store.get("snabbrapport", report_id) or {}
    assert (saved["age"], saved["age_unknown"], saved["sex"]) == (None, True, "okand")


def test_a_group_is_summed_up(store: Store) -> None:
    for custody, pm in (("lob", "ja"), ("nej", "ja"), ("nej", "nej")):
        entry.save_report(store, report_fields(group_id="g", custody=custody, pm_social=pm))
    summary = entry.group_summary(store, "g")
    assert len(summary.ids) == 3 and summary.custody == {"lob": 1} and len(summary.pm_due) == 2
