"""Benchmark: the lägesbild of one municipality for a quarter, with 100,000 quick reports
and 100,000 safety-walk findings in that municipality over three years (target ≤ 0.3 s),
against the same picture on an empty database in the same run; and the place view of its
busiest place. Findings are followed up as in life (see ``_status``): most of a
municipality's history is fixed or answered, and only what was open lately is read.

    python -m tests.perf.bench_lagesbild [RECORDS]

Records are written straight into the tables (this measures counting, not entry: entry
through the store is benchmarked in bench_store). Prints its figures; asserts nothing
about time (shared machines are noisy).
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
from db.lagesbild.periods import last_quarter
from db.lagesbild.picture import lagesbild
from db.lagesbild.place import place_picture, place_ref
from db.records import CATEGORIES, CUSTODY
from db.store import Store

KOMMUN = "Lycksele"
OTHERS = ("Storuman", "Sorsele", "Vilhelmina")
TODAY = date(2026, 11, 22)
PLACES = 300
FINDINGS_PER_WALK = 50


def timed(job: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """The best of ``repeat`` runs: wall-clock seconds, and the process's CPU seconds
    (which other work on a shared machine hardly changes)."""
    best, cpu = float("inf"), float("inf")
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        job()
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return best, cpu


def line(label: str, seconds: tuple[float, float], note: str = "") -> str:
    wall, cpu = seconds
    return f"{label:52} {wall * 1000:7.1f} ms  (CPU {cpu * 1000:6.1f} ms){note}"


def fill(store: Store, n: int) -> list[str]:
    """``n`` quick reports and ``n`` findings in KOMMUN (a tenth as many elsewhere) over
    three years, at PLACES places with coordinates; returns the place ids."""
    rng = random.Random(22)
    first = TODAY - timedelta(days=3 * 365)
    places = [
        (new_id(), f"Plats {i}", KOMMUN, 64.58 + rng.random() * 0.04, 18.64 + rng.random() * 0.08)
        for i in range(PLACES)
    ]
    reports = []
    for nr in range(1, n + n // 10 + 1):
        kommun = KOMMUN if nr <= n else rng.choice(OTHERS)
        place = rng.choice(places)
        day = first + timedelta(days=rng.randrange(3 * 365))
        reports.append(
            (
                new_id(),
                nr,
                day.isoformat(),
                f"{rng.choice((20, 21, 22, 23, 0, 1))}:{rng.randrange(60):02d}",
                place[1],
                place[0] if kommun == KOMMUN else None,
                kommun,
                rng.random() < 0.5,
                rng.choice(CUSTODY),
            )
        )
    walks, findings = [], []
    for w in range(n // FINDINGS_PER_WALK):
        walk_id = new_id()
        day = first + timedelta(days=rng.randrange(3 * 365))
        walks.append((walk_id, KOMMUN, f"Område {w}", day.isoformat()))
        for nr in range(1, FINDINGS_PER_WALK + 1):
            place = rng.choice(places)
            status = _status(rng, (TODAY - day).days)
            sent = day + timedelta(days=3)
            findings.append(
                (
                    new_id(),
                    walk_id,
                    nr,
                    place[1],
                    place[0],
                    "Anmärkning",
                    rng.choice(CATEGORIES),
                    status,
                    (sent + timedelta(days=90)).isoformat(),
                    (sent + timedelta(days=rng.randrange(200))).isoformat()
                    if status == "atgardad"
                    else None,
                )
            )
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO place (id, name, kommun, lat, lon) VALUES (?, ?, ?, ?, ?)", places
        )
        store.conn.executemany(
            "INSERT INTO snabbrapport (id, nr, date, time, place, place_id, kommun, drunk,"
            " custody) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            reports,
        )
        store.conn.executemany(
            "INSERT INTO walk (id, kommun, area, date) VALUES (?, ?, ?, ?)", walks
        )
        store.conn.executemany(
            "INSERT INTO finding (id, walk_id, nr, place, place_id, remark, category, status,"
            " due_date, fixed_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            findings,
        )
    store.conn.execute("ANALYZE")
    return [p[0] for p in places]


def _status(rng: random.Random, age_days: int) -> str:
    """A finding's status as the follow-up leaves it: after half a year most are fixed
    or answered, one in ten still waits; of the last half year's, half still wait."""
    waiting = 0.5 if age_days < 180 else 0.1
    if rng.random() < waiting:
        return rng.choice(("ny", "skickad"))
    return rng.choices(("atgardad", "avvisad", "fel_agare"), (8, 1, 1))[0]


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        empty = Store(Path(folder) / "empty.db")
        empty.set_up_device("Tom", "kommun", KOMMUN)
        full = Store(Path(folder) / "full.db")
        full.set_up_device("Full", "kommun", KOMMUN)
        places = fill(full, n)
        quarter = last_quarter(TODAY)
        print(f"quick reports {n} and findings {n} in {KOMMUN} (+{n // 10} reports elsewhere)")
        baseline = timed(lambda: lagesbild(empty, KOMMUN, quarter, TODAY))
        print(line("baseline: the lägesbild on an empty database", baseline))
        for label, compare in (("the quarter before", "previous"), ("a year before", "year")):
            seconds = timed(partial(lagesbild, full, KOMMUN, quarter, TODAY, compare=compare))
            print(line(f"the lägesbild of a quarter against {label}", seconds, "  target ≤ 300 ms"))
        picture = lagesbild(full, KOMMUN, quarter, TODAY)
        busiest = picture.places[0].place_ids[0] if picture.places else places[0]
        ref = place_ref(full, busiest)
        assert ref is not None
        print(
            line(
                "the place view of the busiest place",
                timed(lambda: place_picture(full, ref, TODAY)),
            )
        )
        print(
            f"(the quarter: {picture.now.reports} quick reports, {len(picture.places)} places,"
            f" {picture.now.open_findings} findings open at its end)"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
