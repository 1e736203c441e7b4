"""Benchmark: what proving every change's author costs (docs/authenticity.md).

    python -m tests.perf.bench_authenticity [RECORDS]      (default 100000)

Builds a database of RECORDS place records (five fields each: five journal entries per
record), then, in the same run and alternating, twice each (the faster run counts):

- a full export with signing (heads signed, links read) and without (no heads: the
  chains' part of the export left out);
- an import of that file into an empty database with verification (every link
  recomputed, heads checked) and without (the proof left out, the same file and merge),
  and of the same entries as a format 2 file (what the previous Trygg read).

Prints times and the ratios; the budget is 1.15x. Asserts nothing about time.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from db.protect import keys
from db.protect.keys import own_secrets
from db.store import Store
from db.sync import authenticity, merge
from db.sync.bundle import SCHEMA_SQL_2, entry_line
from db.sync.exporter import export_bundle
from db.sync.manifest import canonical
from tests.perf import bench_sync


def build(path: Path, records: int) -> Store:
    """A database of ``records`` place records (bench_sync's, written the same way)."""
    return bench_sync.build(path, records)[0]


class _NoProof:
    """Verification left out: the file is read and merged exactly as with it."""

    def __init__(self, *_args: object) -> None:
        #: Read by the merge, as FileProof's (nothing is counted unproved here).
        self.unverified = 0

    def add(self, _row: object) -> None:
        pass

    def finish(self) -> None:
        pass

    def persist(self, _reader: object) -> None:
        pass


@contextmanager
def without(module: object, name: str, stand_in: object) -> Iterator[None]:
    original = getattr(module, name)
    setattr(module, name, stand_in)
    try:
        yield
    finally:
        setattr(module, name, original)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def export_timed(source: Store, out: Path) -> float:
    return timed(lambda: export_bundle(source, out, full=True, profile="polis"))


def import_into(path: Path, bundle: Path) -> float:
    target = Store(path)
    target.set_up_device("Mål", "polis", "Lycksele")
    try:
        return timed(lambda: merge.import_bundle(target, bundle))
    finally:
        target.close()


def format_2_copy(bundle: Path, out: Path, signing_key: str) -> Path:
    """The same entries as a format 2 file (nine parts each, no chains)."""
    src = sqlite3.connect(bundle)
    manifest = {k: json.loads(v) for k, v in src.execute("SELECT key, value FROM manifest")}
    conn = sqlite3.connect(out, isolation_level=None)
    conn.execute("BEGIN")
    for sql in SCHEMA_SQL_2:
        conn.execute(sql)
    digest = hashlib.sha256()
    cursor = src.execute(
        "SELECT ts, device, tbl, record_id, field, value, prev_ts, prev_device, scope"
        " FROM entries ORDER BY seq"
    )
    while rows := cursor.fetchmany(5000):
        for row in rows:
            digest.update(entry_line(row))
        conn.executemany(
            "INSERT INTO entries (ts, device, tbl, record_id, field, value, prev_ts,"
            " prev_device, scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    src.close()
    manifest.pop("chains", None)
    manifest.pop("signature", None)
    manifest["format_version"] = 2
    manifest["body_sha256"] = digest.hexdigest()
    manifest["signature"] = keys.sign(signing_key, canonical(manifest))
    conn.executemany(
        "INSERT INTO manifest (key, value) VALUES (?, ?)",
        [(k, json.dumps(v, ensure_ascii=False)) for k, v in manifest.items()],
    )
    conn.execute("COMMIT")
    conn.close()
    return out


def main(records: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        start = time.perf_counter()
        source = build(root / "source.db", records)
        built = time.perf_counter() - start
        entries = source.journal_size()
        secrets = own_secrets(source.conn)
        assert secrets is not None

        signed, unsigned = [], []
        no_heads = lambda *_args: authenticity.ChainPart(None, None)  # noqa: E731
        for n in range(2):
            with without(authenticity, "chain_part", no_heads):
                unsigned.append(export_timed(source, root / f"plain-{n}.trygg"))
            bundle = root / f"signed-{n}.trygg"
            signed.append(export_timed(source, bundle))
        source.close()
        old = format_2_copy(bundle, root / "format-2.trygg", secrets.signing_key)

        verified, unverified, older = [], [], []
        for n in range(2):
            with without(merge.authenticity, "FileProof", _NoProof):
                unverified.append(import_into(root / f"plain-{n}.db", bundle))
            verified.append(import_into(root / f"proved-{n}.db", bundle))
            older.append(import_into(root / f"old-{n}.db", old))
        size = bundle.stat().st_size / 1e6
        old_size = old.stat().st_size / 1e6

    print(
        f"records {records}, journal entries {entries}, file {size:.1f} MB"
        f" (format 2: {old_size:.1f} MB)"
    )
    print(f"building the source through the store (links sealed)  {built:8.3f} s")
    ex, ex0 = min(signed), min(unsigned)
    print(f"full export, heads signed                              {ex:8.3f} s")
    print(f"full export, no heads                                  {ex0:8.3f} s")
    print(f"  export with signing / without                        {ex / ex0:8.2f}x (budget 1.15x)")
    im, im0, im2 = min(verified), min(unverified), min(older)
    print(f"import, every link recomputed and heads checked        {im:8.3f} s")
    print(f"import, the same file without verification             {im0:8.3f} s")
    print(f"import, the same entries as a format 2 file            {im2:8.3f} s")
    print(f"  import with verification / without                  {im / im0:8.2f}x (budget 1.15x)")
    print(f"  import with verification / format 2 file             {im / im2:8.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
