"""Benchmark: follow-up statistics of quick reports at 100,000 reports (target under
0.5 s), against the same statistics on an empty database in the same run.

    python -m tests.perf.bench_stats [REPORTS]

The reports are written straight into the table (the benchmark measures counting, not
entry: entry through the store is benchmarked in bench_store). Prints its figures;
asserts nothing about time (shared machines are noisy).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from db.ids import new_id
from db.records import ALCOHOL_SOURCE, CUSTODY, GUARDIAN_ACTION, GUARDIAN_CONTACTED, OBOT
from db.snabbrapport.statistics import StatsFilter, monthly, previous_period, statistics
from db.store import Store

KOMMUNER = ("Lycksele", "Storuman", "Sorsele", "Malå", "Åsele", "Vilhelmina")


def timed(job: Callable[[], object], repeat: int = 5) -> float:
    """The best of ``repeat`` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        best = min(best, time.perf_counter() - start)
    return best


def fill(store: Store, n: int) -> None:
    rng = random.Random(11)
    first = date(2024, 1, 1)
    rows = []
    for nr in range(1, n + 1):
        day = first + timedelta(days=rng.randrange(3 * 365))
        rows.append(
            (
                new_id(),
                nr,
                day.isoformat(),
                f"{rng.choice((20, 21, 22, 23, 0, 1))}:{rng.randrange(60):02d}",
                f"Plats {rng.randrange(200)}",
                rng.choice(KOMMUNER),
                _fake_personnummer(rng),
                rng.randrange(12, 19),
                rng.choice(("kvinna", "man")),
                rng.random() < 0.6,
                rng.random() < 0.4,
                rng.random() < 0.5,
                rng.choice(CUSTODY),
                rng.choice(GUARDIAN_CONTACTED),
                rng.choice(GUARDIAN_ACTION),
                rng.choice(("ja", "nej")),
                rng.choice(OBOT),
                rng.choice(ALCOHOL_SOURCE),
            )
        )
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO snabbrapport (id, nr, date, time, place, kommun, personnummer, age, sex,"
            " drunk, carried_alcohol, with_carrier, custody, guardian_contacted,"
            " guardian_action, pm_social, obot, alcohol_source)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def _fake_personnummer(rng: random.Random) -> str:
    # Only counted as distinct text here, never validated: the check digit is not needed.
    month, day, serial = rng.randrange(1, 13), rng.randrange(1, 28), rng.randrange(10000)
    return f"2010{month:02d}{day:02d}-{serial:04d}"


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        empty = Store(Path(folder) / "empty.db")
        empty.set_up_device("Tom", "polis", "Lycksele")
        full = Store(Path(folder) / "full.db")
        full.set_up_device("Full", "polis", "Lycksele")
        fill(full, n)
        year = StatsFilter(date(2025, 1, 1), date(2025, 12, 31))
        month = StatsFilter(date(2025, 11, 1), date(2025, 11, 30))
        everything = StatsFilter(date(2000, 1, 1), date(2030, 12, 31))
        one_kommun = StatsFilter(date(2000, 1, 1), date(2030, 12, 31), kommun="Åsele")
        print(f"reports {n}")
        baseline = timed(lambda: statistics(empty.conn, everything))
        print(f"baseline: all statistics on an empty database   {baseline * 1000:8.2f} ms")
        for label, wanted in (
            ("all statistics, every report", everything),
            ("all statistics, one year", year),
            ("all statistics, one month", month),
            ("all statistics, one municipality", one_kommun),
        ):
            seconds = timed(lambda w=wanted: statistics(full.conn, w))
            print(f"{label:45} {seconds * 1000:8.1f} ms  (target < 500 ms)")
        both = timed(
            lambda: [statistics(full.conn, month), statistics(full.conn, previous_period(month))]
        )
        print(f"{'a month against the month before':45} {both * 1000:8.1f} ms")
        per_month = timed(lambda: monthly(full.conn, year))
        print(f"{'reports per month over a year':45} {per_month * 1000:8.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
