"""Benchmark: writing through the store, and the interchange round trip, against plain
SQLite inserts of the same rows measured in the same run.

    python -m tests.perf.bench_store [N]

Prints its figures; asserts nothing about time (shared machines are noisy).
"""

from __future__ import annotations

import io
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from db.interchange import export_records, import_records
from db.store import Store


def place(i: int) -> dict[str, object]:
    return {"name": f"Plats {i}", "kommun": "Lycksele", "lat": 64.5 + i / 1e6, "lon": 18.6,
            "note": "Belysningen trasig vid entrén"}  # fmt: skip


def raw_floor(path: Path, n: int) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE place (id TEXT PRIMARY KEY, name, kommun, lat, lon, note)")
    rows = [(f"id-{i:08d}", *place(i).values()) for i in range(n)]
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO place VALUES (?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def main(n: int) -> None:
    now = datetime(2026, 11, 22, 12, 0)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        floor = raw_floor(root / "raw.db", n)

        store = Store(root / "a.db", now=lambda: now)
        store.set_up_device("Bänk", "polis", "Lycksele")
        start = time.perf_counter()
        with store.transaction():
            for i in range(n):
                store.create("place", place(i))
        through_store = time.perf_counter() - start

        out = root / "records.jsonl"
        start = time.perf_counter()
        with out.open("w", encoding="utf-8") as handle:
            export_records(store, handle)
        exported = time.perf_counter() - start
        store.close()

        target = Store(root / "b.db", now=lambda: now)
        target.set_up_device("Mål", "kommun", "Lycksele")
        start = time.perf_counter()
        import_records(target, out)
        imported = time.perf_counter() - start
        start = time.perf_counter()
        import_records(target, out)
        reimported = time.perf_counter() - start
        check = io.StringIO()
        export_records(target, check)
        assert check.getvalue() == out.read_text(encoding="utf-8")
        target.close()

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"records: {n}")
    print(f"raw executemany insert (floor): {floor:8.3f} s")
    ratio = through_store / floor
    print(f"store.create, one transaction:  {through_store:8.3f} s  ({ratio:5.1f}x floor)")
    print(f"records export:                 {exported:8.3f} s  ({exported / floor:5.1f}x floor)")
    print(f"records import (new):           {imported:8.3f} s  ({imported / floor:5.1f}x floor)")
    again = reimported / imported
    print(f"records import (again):         {reimported:8.3f} s  ({again:5.2f}x first import)")
    print(f"peak memory (RSS):              {peak_mb:8.1f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
