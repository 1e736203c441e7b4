"""The list of quick reports: every filter and the search, against real rows."""

from __future__ import annotations

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
