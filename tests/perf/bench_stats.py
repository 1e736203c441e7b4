"""Benchmark: follow-up statistics of quick reports at 10,000, 30,000 and 100,000
reports (target: what the statistics screen counts for all 100,000 in under 0.2 s),
against the same statistics on an empty database in the same run.

    python -m tests.perf.bench_stats [--quick] [REPORTS ...]   (default 10000 30000 100000)

``--quick`` counts a tenth as many.
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
from functools import partial
from pathlib import Path

from db.ids import new_id
from db.records import ALCOHOL_SOURCE, CUSTODY, GUARDIAN_ACTION, GUARDIAN_CONTACTED, OBOT
from db.snabbrapport.statistics import StatsFilter, monthly, previous_period, statistics
from db.store import Store

KOMMUNER = ("Lycksele", "Storuman", "Sorsele", "Malå", "Åsele", "Vilhelmina")


def timed(job: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """The best of ``repeat`` runs: wall-clock seconds, and this process's CPU seconds
    (which other work on a shared machine hardly changes)."""
    best, cpu = float("inf"), float("inf")
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        job()
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return best, cpu


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
                f"{rng.choice((20, 21, 22, 23, 0, 1)):02d}:{rng.randrange(60):02d}",
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


def on_screen(conn: object, wanted: StatsFilter) -> None:
    """What the statistics screen counts: the period, the one before, a year by month."""
    statistics(conn, wanted)  # type: ignore[arg-type]
    statistics(conn, previous_period(wanted))  # type: ignore[arg-type]
    chart = StatsFilter(date(wanted.end.year - 1, wanted.end.month, 1), wanted.end)
    monthly(conn, chart)  # type: ignore[arg-type]


def line(label: str, seconds: tuple[float, float], baseline: float, note: str = "") -> str:
    wall, cpu = seconds
    return (
        f"  {label:42} {wall * 1000:8.1f} ms  (CPU {cpu * 1000:7.1f} ms,"
        f" {wall / baseline:6.0f}x empty){note}"
    )


def main(sizes: list[int]) -> None:
    year = StatsFilter(date(2025, 1, 1), date(2025, 12, 31))
    month = StatsFilter(date(2025, 11, 1), date(2025, 11, 30))
    everything = StatsFilter(date(2000, 1, 1), date(2030, 12, 31))
    one_kommun = StatsFilter(date(2000, 1, 1), date(2030, 12, 31), kommun="Åsele")
    screen_all: list[tuple[int, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        empty = Store(Path(folder) / "empty.db")
        empty.set_up_device("Tom", "polis", "Lycksele")
        baseline = timed(lambda: on_screen(empty.conn, everything))[0]
        print(f"baseline: the statistics screen's counts, empty database {baseline * 1000:.2f} ms")
        for n in sizes:
            full = Store(Path(folder) / f"full-{n}.db")
            full.set_up_device("Full", "polis", "Lycksele")
            fill(full, n)
            print(f"reports {n}")
            seconds = timed(partial(on_screen, full.conn, everything))
            screen_all.append((n, seconds[0]))
            print(line("the screen, every report", seconds, baseline, "  (target < 200 ms)"))
            for label, wanted in (
                ("all statistics, every report", everything),
                ("all statistics, one year", year),
                ("all statistics, one month", month),
                ("all statistics, one municipality", one_kommun),
            ):
                print(line(label, timed(partial(statistics, full.conn, wanted)), baseline))
            per_month = timed(partial(monthly, full.conn, year))
            print(line("reports per month over a year", per_month, baseline))
            full.close()
        empty.close()
    first_n, first_s = screen_all[0]
    for n, taken in screen_all[1:]:
        print(
            f"growth of the screen's counts {first_n} -> {n} reports: {taken / first_s:.1f}x"
            f" time for {n / first_n:.0f}x reports"
        )


if __name__ == "__main__":
    arguments = sys.argv[1:]
    quick = "--quick" in arguments
    given = [int(a) for a in arguments if a != "--quick"] or [10_000, 30_000, 100_000]
    main([n // 10 for n in given] if quick else given)
