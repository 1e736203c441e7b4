"""The list of quick reports: every filter and the search, against real rows."""

from __future__ import annotations

import pytest

from db.snabbrapport.listing import (
    ReportFilter,
    count_reports,
    list_reports,
    report_kommuner,
    report_officers,
)
from db.store import Store
from tests.conftest import report_fields


def _ids(store: Store, **filters: object) -> list[int]:
    flt = ReportFilter(**filters)  # type: ignore[arg-type]
    rows = list_reports(store, flt)
    assert count_reports(store, flt) == len(rows)
    return [r.nr for r in rows]


def test_filters(store: Store) -> None:
    store.create("snabbrapport", report_fields(custody="lob", pm_social="ja", officer="Berg"))
    store.create(
        "snabbrapport",
        report_fields(
            name="Liam 50%_x", date="2026-10-10", place="Skolgården", kommun="Umeå",
            custody="nej", pm_social="ja", pm_sent_date="2026-10-11", ovrigt="sprang",
        ),
    )  # fmt: skip
    store.create("snabbrapport", report_fields(personnummer=None, custody="pl13", pm_social="nej"))
    deleted = store.create("snabbrapport", report_fields())
    store.delete("snabbrapport", deleted)

    assert _ids(store) == [3, 1, 2]  # newest first (3 and 1 share date and time)
    assert _ids(store, custody="omhandertagna") == [3, 1]
    assert _ids(store, custody="pl13") == [3]
    assert _ids(store, custody="nej") == [2]
    assert _ids(store, pm="att_skicka") == [1]
    assert _ids(store, pm="skickat") == [2]
    assert _ids(store, pm="inget") == [3]
    assert _ids(store, date_from="2026-11-01") == [3, 1]
    assert _ids(store, date_to="2026-10-31") == [2]
    assert _ids(store, kommun="Umeå") == [2]
    assert _ids(store, place="skol") == [2]
    assert _ids(store, officer="ber") == [1]
    assert _ids(store, text="liam") == [2]
    assert _ids(store, text="50%_") == [2]  # LIKE wildcards are literal
    assert _ids(store, text="50%x") == []
    assert _ids(store, text="sprang") == [2]
    assert 3 in _ids(store, text="3")  # a number finds the Nr (report 3 has no p-nr)
    assert _ids(store, text="20100315") == [1, 2]  # personnummer digits
    assert report_kommuner(store) == ["Lycksele", "Umeå"]
    assert report_officers(store) == ["Berg"]


def test_erased_reports_are_listed_without_a_name(store: Store) -> None:
    report_id = store.create("snabbrapport", report_fields())
    store.erase_personal("snabbrapport", report_id)
    (row,) = list_reports(store, ReportFilter())
    assert row.erased and row.name is None and row.age == 16
    assert _ids(store, text="Alva") == []


def test_a_search_reads_a_rare_word_in_table_order_and_gives_the_same_page(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A word in few reports or none read every report by the date index, newest first:
    # half a second at 100,000, on the screen's thread, for each letter typed. After a
    # few steps the search reads in table order and sorts what matched: the same page.
    from db.snabbrapport import listing

    with store.transaction():
        for day in range(1, 29):
            for hour in ("21:00", "23:30"):
                place = "Järnvägen" if day in (3, 17) else f"Torget {day}"
                store.create(
                    "snabbrapport", report_fields(date=f"2026-02-{day:02d}", time=hour, place=place)
                )
    newest_first = list_reports(store, ReportFilter(text="järnväg"), limit=3)
    gave_up: list[bool] = []
    real = listing._within

    def within(*args: object) -> object:
        rows = real(*args)  # type: ignore[arg-type]
        gave_up.append(rows is None)
        return rows

    monkeypatch.setattr(listing, "_within", within)
    monkeypatch.setattr(listing, "NEWEST_FIRST_STEPS", 1)
    in_table_order = list_reports(store, ReportFilter(text="järnväg"), limit=3)
    assert gave_up == [True]
    assert [r.nr for r in in_table_order] == [r.nr for r in newest_first]
    assert [(r.date, r.time) for r in in_table_order] == [
        ("2026-02-17", "23:30"),
        ("2026-02-17", "21:00"),
        ("2026-02-03", "23:30"),
    ]
    monkeypatch.setattr(listing, "NEWEST_FIRST_STEPS", 10**9)
    list_reports(store, ReportFilter(text="Torget"), limit=3)
    assert gave_up == [True, False]  # a common word: newest first, at once
