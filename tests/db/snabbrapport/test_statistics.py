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


def test_the_counts_match_counting_each_report_by_hand(tmp_path: Path) -> None:
    """Many reports with every answer, missing answers, repeated and missing
    personnummer, deleted ones, two municipalities and several places: every count equals
    a plain count of the same reports in Python (the SQL packs several counts into one
    sum and reads individuals in index order; this is what it must come to)."""
    import random

    from db.personnummer import luhn_digit
    from db.records import ALCOHOL_SOURCE, CUSTODY, GUARDIAN_ACTION, GUARDIAN_CONTACTED, OBOT
    from db.snabbrapport.statistics import AGE_GROUPS, CHOICES, NOT_ANSWERED, TICKS

    rng = random.Random(20)
    s = Store(tmp_path / "many.db", now=lambda: datetime(2026, 11, 22, 12, 0))
    s.set_up_device("Test", "polis", "Lycksele")
    serials = [f"10{m:02d}15{n:03d}" for m in range(1, 13) for n in range(101, 104)]
    people = [f"20{d[:6]}-{d[6:]}{luhn_digit(d)}" for d in serials]
    written = []
    with s.transaction():
        for _ in range(400):
            fields = report_fields(
                date=date(2026, rng.randrange(8, 11), rng.randrange(1, 29)).isoformat(),
                time=f"{rng.randrange(24):02d}:{rng.randrange(60):02d}",
                kommun=rng.choice(("Lycksele", "Storuman")),
                place=rng.choice(("Torget", "Parken", "Stationen")),
                personnummer=rng.choice([*people, None]),
                age=rng.choice((11, 12, 13, 14, 15, 16, 17, 18, 19, None)),
                sex=rng.choice(("kvinna", "man", None)),
                drunk=rng.random() < 0.5,
                carried_alcohol=rng.random() < 0.3,
                with_carrier=rng.random() < 0.2,
                custody=rng.choice((*CUSTODY, None)),
                guardian_contacted=rng.choice((*GUARDIAN_CONTACTED, None)),
                guardian_action=rng.choice((*GUARDIAN_ACTION, None)),
                pm_social=rng.choice(("ja", "nej", None)),
                obot=rng.choice((*OBOT, None)),
                alcohol_source=rng.choice((*ALCOHOL_SOURCE, None)),
            )
            record_id = s.create("snabbrapport", fields)
            if rng.random() < 0.1:
                s.delete("snabbrapport", record_id)
            else:
                written.append(s.get("snabbrapport", record_id) or {})
    for wanted in (
        StatsFilter(date(2026, 8, 1), date(2026, 10, 31)),
        StatsFilter(date(2026, 10, 1), date(2026, 10, 31), kommun="storuman"),
        StatsFilter(date(2026, 8, 15), date(2026, 11, 30), place="Parken"),
    ):
        chosen = [
            r
            for r in written
            if wanted.start.isoformat() <= r["date"] <= wanted.end.isoformat()
            and (wanted.kommun is None or r["kommun"].lower() == wanted.kommun)
            and (wanted.place is None or r["place"] == wanted.place)
        ]
        counted = statistics(s.conn, wanted)
        assert counted.reports == len(chosen) > 10
        numbers = {r["personnummer"] for r in chosen if r["personnummer"]}
        assert counted.individuals == len(numbers) + sum(1 for r in chosen if not r["personnummer"])
        assert counted.ticks == {t: sum(1 for r in chosen if r[t]) for t in TICKS}
        for name, answers in CHOICES.items():
            expected = {a: sum(1 for r in chosen if r[name] == a) for a in answers}
            expected[NOT_ANSWERED] = len(chosen) - sum(expected.values())
            assert counted.distributions[name] == expected, name
        ages = counted.distributions["age_group"]
        assert ages["0-12"] == sum(1 for r in chosen if r["age"] is not None and r["age"] <= 12)
        assert ages["18+"] == sum(1 for r in chosen if r["age"] is not None and r["age"] >= 18)
        assert ages["15"] == sum(1 for r in chosen if r["age"] == 15)
        assert ages[NOT_ANSWERED] == sum(1 for r in chosen if r["age"] is None)
        assert set(ages) == {*AGE_GROUPS, NOT_ANSWERED}
        hours = counted.distributions["hour"]
        assert hours == {f"{h:02d}": sum(1 for r in chosen if r["time"][:2] == f"{h:02d}")
                         for h in range(24)}  # fmt: skip
        weekdays = counted.distributions["weekday"]
        assert weekdays == {
            str(d): sum(1 for r in chosen if date.fromisoformat(r["date"]).isoweekday() == d)
            for d in range(1, 8)
        }
        months = dict(monthly(s.conn, wanted))
        assert sum(months.values()) == len(chosen)
    s.close()
