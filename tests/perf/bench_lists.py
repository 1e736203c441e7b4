"""Benchmark: the walk and finding lists at 100,000 findings — a page, a count, a search,
the overview — against a plain ``SELECT … LIMIT 100`` of the same table in the same run.

    python -m tests.perf.bench_lists [FINDINGS]

Prints its figures; asserts nothing about time (shared machines are noisy).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from db import search, walks
from db.overview import overview
from db.store import Store
from db.walks import FindingFilter, WalkFilter

WORDS = ("Trasig", "belysning", "buskage", "klotter", "skrotbil", "källardörr", "gångväg")


def timed(job: Callable[[], object], repeat: int = 5) -> float:
    """The best of ``repeat`` runs, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main(n: int) -> None:
    now = datetime(2026, 11, 22, 12, 0)
    today = now.date()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "lists.db", now=lambda: now)
        store.set_up_device("Bänk", "kommun", "Lycksele")
        owners = [store.create("owner", {"name": f"Ägare {i}"}) for i in range(50)]
        start = time.perf_counter()
        with store.transaction():
            walk_ids = [
                store.create("walk", {"kommun": "Lycksele", "area": f"Område {i}",
                                      "date": date(2020 + i % 6, 1 + i % 12, 1).isoformat()})
                for i in range(max(1, n // 20))
            ]  # fmt: skip
            for i in range(n):
                store.create(
                    "finding",
                    {
                        "walk_id": walk_ids[i % len(walk_ids)],
                        "place": f"Gata {i % 997}",
                        "remark": " ".join(rng.sample(WORDS, 3)),
                        "owner_id": owners[i % len(owners)],
                        "status": rng.choice(("ny", "skickad", "atgardad")),
                        "due_date": date(2026, 1 + i % 12, 1).isoformat(),
                    },
                )
        built = time.perf_counter() - start
        start = time.perf_counter()
        with store.transaction():
            indexed = search.refresh(store.conn)
        catch_up = time.perf_counter() - start

        def raw_page() -> None:
            store.conn.execute("SELECT * FROM finding LIMIT 100").fetchall()

        floor = timed(raw_page)
        figures = {
            "walk list, first page": timed(lambda: walks.list_walks(store, WalkFilter(), today)),
            "walk list, count": timed(lambda: walks.count_walks(store, WalkFilter(), today)),
            "overdue findings, first page": timed(
                lambda: walks.list_findings(store, FindingFilter(status="forsenade"), today)
            ),
            "overdue findings, count": timed(
                lambda: walks.count_findings(store, FindingFilter(status="forsenade"), today)
            ),
            "search 'skrot', first page": timed(
                lambda: walks.list_findings(store, FindingFilter(text="skrot"), today)
            ),
            "search 'skrot', count": timed(
                lambda: walks.count_findings(store, FindingFilter(text="skrot"), today)
            ),
            "one owner's findings, page": timed(
                lambda: walks.list_findings(store, FindingFilter(owner_id=owners[3]), today)
            ),
            "owners with counts": timed(lambda: walks.list_owners(store, today)),
            "overview figures": timed(lambda: overview(store, today)),
        }
        store.close()
    print(f"{n} findings in {len(walk_ids)} walks written in {built:.1f} s")
    print(f"search index catch-up for {indexed} rows: {catch_up:.2f} s (once, in a worker)")
    print(f"baseline: plain SELECT of 100 rows: {floor:.2f} ms")
    for name, ms in figures.items():
        print(f"  {name:32} {ms:8.1f} ms  ({ms / floor:6.0f}× baseline)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
