"""Benchmark: sync of a large database, against plain SQLite inserts in the same run.

    python -m tests.perf.bench_sync [RECORDS]      (default 100000)

Builds a database of RECORDS place records with their journal, exports it in full,
imports the file into an empty database, and imports it again. The floors are plain
``executemany`` inserts into SQLite, timed in the same run: one of as many rows as there
are records, and one of as many rows as there are journal entries (what an import really
writes). Prints times, ratios and peak memory; asserts nothing about time.
"""

from __future__ import annotations

import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from db.ids import new_id
from db.store import Store
from db.sync.exporter import export_bundle
from db.sync.merge import import_bundle


def floor(path: Path, rows: int, columns: int) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    names = ", ".join(f"c{i}" for i in range(columns))
    conn.execute(f"CREATE TABLE t (id TEXT PRIMARY KEY, {names})")
    data = [(f"{i:012d}", *(f"värde {i} {c}" for c in range(columns))) for i in range(rows)]
    marks = ", ".join("?" for _ in range(columns + 1))
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO t VALUES ({marks})", data)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def build(path: Path, records: int) -> tuple[Store, float]:
    store = Store(path, now=lambda: datetime(2026, 11, 22, 12, 0))
    store.set_up_device("Källa", "polis", "Lycksele")
    start = time.perf_counter()
    with store.transaction():
        for i in range(records):
            store.create(
                "place",
                {
                    "name": f"Plats {i}",
                    "kommun": "Lycksele",
                    "lat": 64.5 + i / 1e6,
                    "lon": 18.6,
                    "note": "Belysningen trasig vid entrén",
                },
                record_id=new_id(),
            )
    return store, time.perf_counter() - start


def main(records: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source, built = build(root / "source.db", records)
        entries = source.journal_size()
        floor_records = floor(root / "floor1.db", records, 5)
        floor_entries = floor(root / "floor2.db", entries, 8)

        bundle = root / "full.trygg"
        start = time.perf_counter()
        summary = export_bundle(source, bundle, full=True, profile="polis")
        exported = time.perf_counter() - start
        same_again = root / "full-again.trygg"  # same content, another file
        export_bundle(source, same_again, full=True, profile="polis")
        source.close()

        # The imports run in a child process, so its peak memory is the import's own.
        child = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.perf.bench_sync",
                "--import-only",
                str(bundle),
                str(same_again),
                str(root / "target.db"),
                str(records),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        imported, reimported, same_content, peak = (float(x) for x in child.stdout.split())
        size_mb = bundle.stat().st_size / 1e6

    print(f"records {records}, journal entries {entries}, bundle {size_mb:.1f} MB")
    print(f"floor: executemany of {records} rows      {floor_records:8.3f} s")
    print(f"floor: executemany of {entries} rows     {floor_entries:8.3f} s")
    print(f"building the source through the store     {built:8.3f} s")
    print(f"full export                               {exported:8.3f} s  (target < 10 s)")
    print(
        f"import into an empty database             {imported:8.3f} s  "
        f"({imported / floor_records:5.1f}x record floor, "
        f"{imported / floor_entries:4.1f}x entry floor; target 3x)"
    )
    print(
        f"import the same file again                {reimported:8.3f} s  "
        f"({reimported / imported:4.2f}x first import; target 0.5x)"
    )
    print(
        f"import another file, nothing new in it    {same_content:8.3f} s  "
        f"({same_content / imported:4.2f}x first import)"
    )
    print(f"peak memory of the importing process      {peak:8.1f} MB  (target < 300 MB)")
    del summary


def import_only(bundle: Path, same_again: Path, target_path: Path, records: int) -> None:
    target = Store(target_path)
    target.set_up_device("Mål", "polis", "Lycksele")
    start = time.perf_counter()
    first = import_bundle(target, bundle)
    imported = time.perf_counter() - start
    start = time.perf_counter()
    again = import_bundle(target, bundle)
    reimported = time.perf_counter() - start
    start = time.perf_counter()
    other = import_bundle(target, same_again)
    same_content = time.perf_counter() - start
    assert first.total_new_records == records and again.new_entries == 0
    assert other.new_entries == 0 and not other.already_imported
    target.close()
    print(imported, reimported, same_content, peak_rss_mb())


def peak_rss_mb() -> float:
    """This process's own peak resident memory. (ru_maxrss would do, but on Linux it
    survives exec and so can report the parent's size at fork.)"""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    if sys.argv[1:2] == ["--import-only"]:
        import_only(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
