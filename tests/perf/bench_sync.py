"""Benchmark: sync of a large database, against plain SQLite inserts in the same run.

    python -m tests.perf.bench_sync [--quick] [RECORDS ...]   (default 10000 30000 100000)

For each size, builds a database of RECORDS place records through the store (five
journal entries each), exports it in full twice (the same changes in two files), and,
in a child process (so that its peak memory is the import's own), imports the first file
into an empty database, the same file again, and the other file (nothing new in it). The
floor is an ``executemany`` of the same journal entries into the journal table of an
empty Trygg database, with its indexes, timed in the same run.

Then the delta export: a database of 10,000, 100,000 and 300,000 records whose peer holds
everything but 100 changes; the export of those 100 should cost the same at every size.
(The peer's holding is stated, as a round trip would leave it, rather than imported.)

``--quick`` uses a tenth of every size. Prints times, ratios and peak memory; asserts
nothing about time.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from db import peers
from db.ids import new_id
from db.journal import vectors as vec
from db.store import Store
from db.sync.exporter import export_bundle, find_peer
from db.sync.merge import import_bundle

JOURNAL_COLUMNS = (
    "ts, device, tbl, record_id, field, value, prev_ts, prev_device, scope, salt, link"
)


def build(path: Path, records: int, store: Store | None = None) -> tuple[Store, float]:
    """A database at ``path`` with ``records`` more place records (written through the
    store, in one transaction), and the seconds that took."""
    if store is None:
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


def journal_floor(source: Store, path: Path) -> float:
    """Seconds for one ``executemany`` of ``source``'s journal entries into the journal
    table (with its indexes) of an empty Trygg database, in one transaction."""
    rows = [tuple(r) for r in source.conn.execute(f"SELECT {JOURNAL_COLUMNS} FROM journal")]
    target = Store(path)
    target.set_up_device("Golv", "polis", "Lycksele")
    conn = target.conn
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        f"INSERT INTO journal ({JOURNAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
    )
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    target.close()
    return elapsed


def sync_at(root: Path, records: int) -> dict[str, float]:
    source, built = build(root / "source.db", records)
    entries = source.journal_size()
    floor = journal_floor(source, root / "floor.db")
    bundle = root / "full.trygg"
    start = time.perf_counter()
    export_bundle(source, bundle, full=True, profile="polis")
    exported = time.perf_counter() - start
    same_again = root / "full-again.trygg"  # the same changes, another file
    export_bundle(source, same_again, full=True, profile="polis")
    source.close()
    child = subprocess.run(
        [sys.executable, "-m", "tests.perf.bench_sync", "--import-only",
         str(bundle), str(same_again), str(root / "target.db"), str(records)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    imported, reimported, nothing_new, peak = (float(x) for x in child.stdout.split())
    return {
        "entries": entries,
        "built": built,
        "floor": floor,
        "exported": exported,
        "imported": imported,
        "reimported": reimported,
        "nothing_new": nothing_new,
        "peak": peak,
        "size_mb": bundle.stat().st_size / 1e6,
    }


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
    nothing_new = time.perf_counter() - start
    assert first.total_new_records == records and again.new_entries == 0
    assert other.new_entries == 0 and not other.already_imported
    target.close()
    print(imported, reimported, nothing_new, peak_rss_mb())


def peak_rss_mb() -> float:
    """This process's own peak resident memory. (ru_maxrss would do, but on Linux it
    survives exec and so can report the parent's size at fork.)"""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def delta_exports(root: Path, sizes: list[int], changes: int = 100) -> list[tuple[int, float]]:
    """(records, best CPU seconds) of a delta export of ``changes`` changes to a peer
    holding all else, the database grown to each of ``sizes`` in turn."""
    peer_store = Store(root / "peer.db")
    peer_store.set_up_device("Mottagare", "polis", "Lycksele")
    export_bundle(peer_store, root / "peer.trygg", full=True, profile="polis")
    peer_id = peer_store.require_device().id
    peer_store.close()
    store: Store | None = None
    results = []
    have = 0
    for size in sizes:
        store, _ = build(root / "delta.db", size - have, store)
        have = size
        if not results:
            import_bundle(store, root / "peer.trygg")  # now a known peer
        with store.transaction():
            # What a round trip would leave: the peer declares holding all of it.
            peers.remember_declared(store.conn, peer_id, vec.held(store.conn))
        changed = [r[0] for r in store.conn.execute("SELECT id FROM place LIMIT ?", (changes,))]
        with store.transaction():
            for record_id in changed:
                store.update("place", record_id, {"note": f"Ändrad vid {size}"})
        peer = find_peer(store, peer_id)
        best = float("inf")
        for i in range(5):
            start = time.process_time()
            summary = export_bundle(store, root / f"delta-{size}-{i}.trygg", peer=peer)
            best = min(best, time.process_time() - start)
        assert summary.entries == changes, summary.entries
        results.append((size, best))
    assert store is not None
    store.close()
    return results


def main(sizes: list[int], delta_sizes: list[int]) -> None:
    figures = {}
    for records in sizes:
        with tempfile.TemporaryDirectory() as folder:
            figures[records] = sync_at(Path(folder), records)
    for records, f in figures.items():
        print(
            f"records {records}, journal entries {f['entries']:.0f},"
            f" bundle {f['size_mb']:.1f} MB, built through the store in {f['built']:.1f} s"
        )
        print(f"  floor: executemany of the entries into the journal  {f['floor']:8.3f} s")
        print(f"  full export                                         {f['exported']:8.3f} s")
        print(
            f"  import into an empty database                       {f['imported']:8.3f} s"
            f"  ({f['imported'] / f['floor']:4.1f}x floor; target <= 2x)"
        )
        print(
            f"  import another file, nothing new in it              {f['nothing_new']:8.3f} s"
            f"  ({f['nothing_new'] / f['imported']:5.3f}x first import; target <= 0.2x)"
        )
        print(
            f"  import the same file again                          {f['reimported']:8.3f} s"
            f"  ({f['reimported'] / f['imported']:5.3f}x first import; target ~0)"
        )
        print(f"  peak memory of the importing process                {f['peak']:8.1f} MB"
              "  (target < 300 MB)")  # fmt: skip
    first = next(iter(figures))
    for records in list(figures)[1:]:
        grow = records / first
        for key, label in (("imported", "first import"), ("nothing_new", "nothing new")):
            ratio = figures[records][key] / figures[first][key]
            print(f"growth {first} -> {records} records, {label}: {ratio:.1f}x for {grow:.0f}x")
    with tempfile.TemporaryDirectory() as folder:
        deltas = delta_exports(Path(folder), delta_sizes)
    base = deltas[0][1]
    for size, cpu in deltas:
        print(
            f"delta export of 100 changes at {size:7d} records: {cpu * 1000:7.1f} ms CPU"
            f"  ({cpu / base:4.2f}x the smallest; target within 20 %)"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--import-only"]:
        import_only(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5]))
    else:
        arguments = sys.argv[1:]
        quick = "--quick" in arguments
        given = [int(a) for a in arguments if a != "--quick"] or [10_000, 30_000, 100_000]
        delta = [10_000, 100_000, 300_000]
        if quick:
            given, delta = [n // 10 for n in given], [n // 10 for n in delta]
        main(given, delta)
