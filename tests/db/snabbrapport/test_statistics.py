"""Follow-up statistics of quick reports, counted from real reports written through the
store, and their tables — which must never carry personal data."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from db.protect import gallring
from db.reports import snabbrapport as tables
from db.snabbrapport.statistics import (
    StatsFilter,
    month_of,
    monthly,
    previous_period,
    statistics,
)
from db.store import Store
from tests.conftest import report_fields

NOVEMBER = StatsFilter(date(2026, 11, 1), date(2026, 11, 30))
PNR_A, PNR_B = "20100315-9801", "20110722-1234"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "s.db", now=lambda: datetime(2026, 11, 22, 3, 0))
    s.set_up_device("Test", "polis", "Lycksele")
    # Fri 20 Nov 22:10, the same young person twice (once on Saturday), a third without
    # a personnummer, one in October, one in another municipality, one deleted.
    s.create(
        "snabbrapport",
        report_fields(
            date="2026-11-20",
            time="22:10",
            personnummer=PNR_A,
            drunk=True,
            custody="lob",
            guardian_contacted="ja",
            alcohol_source="foralder",
        ),
    )
    s.create(
        "snabbrapport",
        report_fields(
            date="2026-11-21", time="23:40", personnummer=PNR_A, carried_alcohol=True, custody="nej"
        ),
    )
    s.create(
        "snabbrapport",
        report_fields(
            date="2026-11-21",
            time="00:15",
            personnummer=None,
            name="Utan Nummer",
            age=16,
            sex="man",
            with_carrier=True,
            pm_social="ja",
            obot="ja",
        ),
    )
    s.create("snabbrapport", report_fields(date="2026-10-31", time="21:00", personnummer=PNR_B))
    s.create(
        "snabbrapport",
        report_fields(
            date="2026-11-14", time="20:30", kommun="Åsele", personnummer=PNR_B, drunk=True
        ),
    )
    gone = s.create("snabbrapport", report_fields(date="2026-11-07", personnummer=PNR_B))
    s.delete("snabbrapport", gone)
    return s


def test_counts_for_a_month(store: Store) -> None:
    stats = statistics(store.conn, NOVEMBER)
    assert stats.reports == 4
    assert stats.individuals == 3  # PNR_A once, PNR_B once, the one without a number
    assert stats.ticks == {"drunk": 2, "carried_alcohol": 1, "with_carrier": 1}
    assert stats.distributions["custody"]["lob"] == 1
    assert stats.distributions["custody"]["nej"] == 1
    assert stats.distributions["custody"]["-"] == 2
    assert stats.distributions["guardian_contacted"]["ja"] == 1
    assert stats.distributions["alcohol_source"]["foralder"] == 1
    assert stats.distributions["pm_social"]["ja"] == 1 and stats.distributions["obot"]["ja"] == 1
    assert stats.distributions["weekday"]["5"] == 1  # Friday
    assert stats.distributions["weekday"]["6"] == 3  # Saturday (14, 21, 21 November)
    assert stats.distributions["hour"]["22"] == 1 and stats.distributions["hour"]["00"] == 1
    # Ages at the event: PNR_A is 16, the typed age 16, PNR_B 15.
    assert stats.distributions["age_group"]["16"] == 3
    assert stats.distributions["age_group"]["15"] == 1
    assert stats.distributions["sex"] == {"kvinna": 2, "man": 2, "okand": 0, "-": 0}
    assert stats.share(stats.ticks["drunk"]) == 0.5


def test_filters_and_periods(store: Store) -> None:
    lycksele = statistics(store.conn, StatsFilter(NOVEMBER.start, NOVEMBER.end, kommun="lycksele"))
    assert lycksele.reports == 3
    torget = statistics(store.conn, StatsFilter(NOVEMBER.start, NOVEMBER.end, place="Parken"))
    assert torget.reports == 0 and torget.share(0) == 0.0
    october = previous_period(month_of(date(2026, 11, 22)))
    assert (october.start, october.end) == (date(2026, 10, 1), date(2026, 10, 31))
    assert statistics(store.conn, october).reports == 1
    week = previous_period(StatsFilter(date(2026, 11, 16), date(2026, 11, 22)))
    assert (week.start, week.end) == (date(2026, 11, 9), date(2026, 11, 15))
    year = monthly(store.conn, StatsFilter(date(2026, 1, 1), date(2026, 12, 31)))
    assert len(year) == 12 and dict(year)["2026-11"] == 4 and dict(year)["2026-10"] == 1


def test_erasure_keeps_the_statistics(store: Store) -> None:
    before = statistics(store.conn, NOVEMBER)
    gallring.set_rule(store, days=1)
    assert gallring.run(store, date(2026, 11, 22)).erased >= 3
    after = statistics(store.conn, NOVEMBER)
    assert after.reports == before.reports
    assert after.ticks == before.ticks and after.distributions == before.distributions
    # Without personnummer every report is its own individual: an upper bound, said so.
    assert after.individuals == 4


def test_tables_carry_no_personal_data(store: Store) -> None:
    periods = [statistics(store.conn, NOVEMBER), statistics(store.conn, previous_period(NOVEMBER))]
    for text in (
        tables.as_csv(periods, "sv"),
        tables.as_markdown(periods, "en"),
        tables.as_text(periods, "sv"),
    ):
        for secret in ("Alva", "Testsson", "Utan Nummer", "20100315", "9801", "20110722"):
            assert secret not in text
    csv = tables.as_csv(periods, "sv").splitlines()
    assert csv[0].startswith("Fråga;Svar;2026-11-01 – 2026-11-30;Andel;2026-10-01")
    assert "Antal;Rapporter;4;100 %;1;100 %" in csv
    assert "Blev personen omhändertagen;LOB;1;25 %;0;0 %" in csv
    chart = tables.monthly_chart([("2026-10", 1), ("2026-11", 4)], width=8)
    assert chart.splitlines() == ["2026-10  ██ 1", "2026-11  ████████ 4"]


def test_a_month_so_far_is_compared_with_the_same_days_before(store: Store) -> None:
    # The landed default: 1–2 December against the whole of November.
    december = previous_period(StatsFilter(date(2026, 12, 1), date(2026, 12, 2)))
    assert (december.start, december.end) == (date(2026, 11, 1), date(2026, 11, 2))
    march = previous_period(StatsFilter(date(2027, 3, 1), date(2027, 3, 30)))
    assert (march.start, march.end) == (date(2027, 2, 1), date(2027, 2, 28))


def test_notes_sent_are_counted_beside_notes_agreed(store: Store) -> None:
    store.create("snabbrapport", report_fields(pm_social="ja", pm_sent_date="2026-11-21"))
    store.create("snabbrapport", report_fields(pm_social="ja", personnummer="20110204-1231"))
    counted = statistics(store.conn, NOVEMBER)
    assert counted.distributions["pm_social"]["ja"] == 3  # one more in the fixture
    assert counted.pm_sent == 1
