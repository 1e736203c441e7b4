"""No crash may cost a record: SIGKILL at random moments during a large import and during
ordinary writes leaves a whole database holding either everything of the interrupted
transaction or nothing of it; two processes writing at once never see "database is
locked"; a full disk and a read-only file give a clear message and lose nothing."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.errors import TryggError
from db.store import Store
from db.sync.exporter import export_bundle
from tests.conftest import open_store, walk_fields

ROOT = Path(__file__).resolve().parents[3]
ROUNDS = 20
#: Rounds of the killed import after which the same import is run again to its end.
RERUN_EVERY = 4
FINDINGS_PER_WALK = 5


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def _count(path: Path, sql: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def _copy_db(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(str(target) + suffix).unlink()
    shutil.copy(source, target)


@pytest.fixture(scope="module")
def big_bundle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    """A bundle of 6,000 records (about 30,000 journal entries), a fresh receiver, and
    the journal size the receiver has once the bundle is in."""
    folder = tmp_path_factory.mktemp("crash")
    with open_store(folder / "source.db", name="Källa") as source:
        with source.transaction():
            for i in range(3000):
                walk = source.create("walk", walk_fields(area=f"Område {i}", notes="x" * 40))
                source.create(
                    "finding",
                    {
                        "walk_id": walk,
                        "place": f"Plats {i}",
                        "category": "belysning",
                        "remark": "Trasig lampa",
                    },
                )
        bundle = folder / "big.trygg"
        export_bundle(source, bundle, full=True)
    pristine = folder / "receiver.db"
    open_store(pristine, name="Mottagare").close()
    done = folder / "done.db"
    _copy_db(pristine, done)
    with Store(done) as store:
        from db.sync.merge import import_bundle

        import_bundle(store, bundle)
    return bundle, pristine, _count(done, "SELECT count(*) FROM journal")


IMPORT = """
import sys
from pathlib import Path
from db.store import Store
from db.sync.merge import import_bundle
with Store(Path(sys.argv[1])) as store:
    import_bundle(store, Path(sys.argv[2]))
print("done", flush=True)
"""


def test_sigkill_during_a_large_import(big_bundle: tuple[Path, Path, int], tmp_path: Path) -> None:
    bundle, pristine, full = big_bundle
    before = _count(pristine, "SELECT count(*) FROM journal")
    rng = random.Random(20261122)
    outcomes = {"before": 0, "after": 0}
    target = tmp_path / "receiver.db"
    for round_ in range(ROUNDS):
        _copy_db(pristine, target)
        child = _python(IMPORT, str(target), str(bundle))
        time.sleep(rng.uniform(0.02, 0.6))
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert _integrity(target) == "ok"
        journal = _count(target, "SELECT count(*) FROM journal")
        assert journal in (before, full), journal
        records = _count(target, "SELECT count(*) FROM walk") + _count(
            target, "SELECT count(*) FROM finding"
        )
        assert records == (0 if journal == before else 6000)
        outcomes["before" if journal == before else "after"] += 1
        # And the interrupted database still works: the same import now goes through
        # (every few rounds: a whole import is most of this test's time), and it takes
        # an ordinary write every round.
        if round_ % RERUN_EVERY == 0:
            rerun = _python(IMPORT, str(target), str(bundle))
            _out, err = rerun.communicate(timeout=120)
            assert rerun.returncode == 0, err
            assert _count(target, "SELECT count(*) FROM journal") == full
        with Store(target) as store:
            store.create("walk", walk_fields(area="Efter avbrottet"))
    print(f"import killed {ROUNDS} times: {outcomes}")


WRITER = """
import sys
from pathlib import Path
from db.store import Store
from tests.conftest import walk_fields
with Store(Path(sys.argv[1])) as store:
    n = 0
    while True:
        with store.transaction():
            walk = store.create("walk", walk_fields(area=f"Skrivning {n}"))
            for k in range(int(sys.argv[2])):
                store.create(
                    "finding",
                    {"walk_id": walk, "place": f"P{k}", "category": "klotter", "remark": "r"},
                )
        n += 1
        print(n, flush=True)
"""


def test_sigkill_during_ordinary_writes(tmp_path: Path) -> None:
    target = tmp_path / "writes.db"
    open_store(target).close()
    rng = random.Random(7)
    committed_total = 0
    for _ in range(ROUNDS):
        child = _python(WRITER, str(target), str(FINDINGS_PER_WALK))
        assert child.stdout is not None
        first = child.stdout.readline()  # the writer is running
        assert first.strip().isdigit(), child.stderr.read() if child.stderr else ""
        time.sleep(rng.uniform(0.0, 0.3))
        child.send_signal(signal.SIGKILL)
        out, _err = child.communicate()
        reported = int([first.strip(), *out.split()][-1])
        assert _integrity(target) == "ok"
        walks = _count(target, "SELECT count(*) FROM walk")
        # Every commit the writer reported is there; at most one more finished unreported.
        assert committed_total + reported <= walks <= committed_total + reported + 1
        committed_total = walks
        # Wholly before or wholly after: no walk has only some of its findings.
        partial = _count(
            target,
            "SELECT count(*) FROM (SELECT w.id FROM walk w LEFT JOIN finding f"
            f" ON f.walk_id = w.id GROUP BY w.id HAVING count(f.id) != {FINDINGS_PER_WALK})",
        )
        assert partial == 0
        # Every field of every record is in the journal (no row without its history).
        fields_missing = _count(
            target,
            "SELECT count(*) FROM walk w WHERE NOT EXISTS"
            " (SELECT 1 FROM journal j WHERE j.record_id = w.id AND j.field = 'area')",
        )
        assert fields_missing == 0


COUNTED_WRITER = """
import sys
from pathlib import Path
from db.store import Store
from tests.conftest import walk_fields
with Store(Path(sys.argv[1])) as store:
    for n in range(int(sys.argv[2])):
        store.create("walk", walk_fields(area=f"{sys.argv[3]} {n}"))
print("ok", flush=True)
"""


def test_two_processes_writing_at_once(big_bundle: tuple[Path, Path, int], tmp_path: Path) -> None:
    bundle, pristine, _full = big_bundle
    target = tmp_path / "shared.db"
    _copy_db(pristine, target)
    writers = [_python(COUNTED_WRITER, str(target), "300", name) for name in ("A", "B")]
    importer = _python(IMPORT, str(target), str(bundle))
    for process in [*writers, importer]:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert "locked" not in err
    assert _integrity(target) == "ok"
    assert _count(target, "SELECT count(*) FROM walk") == 600 + 3000


# -- full disk and read-only files --------------------------------------------------------


@contextlib.contextmanager
def _tiny_filesystem(folder: Path, size: str) -> Iterator[Path]:
    """A small tmpfs mounted at ``folder`` (needs the right to mount: skipped otherwise)."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small filesystem here; the simulated test covers it")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _fill_until_full(store: Store) -> tuple[int, TryggError]:
    for n in range(100_000):
        try:
            store.create("walk", walk_fields(area=f"Fyllnad {n}", notes="ö" * 2000))
        except TryggError as error:
            return n, error
    raise AssertionError("the disk never filled")


def test_full_disk_on_a_real_small_filesystem(tmp_path: Path) -> None:
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting needs root")
    with _tiny_filesystem(tmp_path / "small", "2m") as folder:
        path = folder / "full.db"
        with open_store(path) as store:
            saved, error = _fill_until_full(store)
        assert error.key == "db.disk_full", error.key
        assert "Disken är full" in error.message("sv")
        assert _integrity(path) == "ok"
        assert _count(path, "SELECT count(*) FROM walk") == saved
        # Exporting onto the full disk fails cleanly too, leaving no half file.
        with open_store(path) as store, pytest.raises(TryggError):
            export_bundle(store, folder / "ut.trygg", full=True)
        assert not [p for p in folder.iterdir() if p.name.endswith((".trygg", ".tmp"))]


def test_full_disk_simulated(tmp_path: Path) -> None:
    path = tmp_path / "limited.db"
    with open_store(path) as store:
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 40}")
        saved, error = _fill_until_full(store)
    assert error.key == "db.disk_full"
    assert _integrity(path) == "ok"
    assert _count(path, "SELECT count(*) FROM walk") == saved > 0


def test_read_only_file_gives_a_clear_message(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        if shutil.which("mount") is None:
            pytest.skip("no way to make a read-only file for root here")
        with _tiny_filesystem(tmp_path / "ro", "4m") as folder:
            path = folder / "ro.db"
            with open_store(path) as store:
                store.create("walk", walk_fields(area="Sparad"))
            remount = subprocess.run(
                ["mount", "-o", "remount,ro", str(folder)], capture_output=True
            )
            if remount.returncode != 0:
                pytest.skip("cannot remount read-only here")
            _check_read_only(path)
    else:
        path = tmp_path / "ro.db"
        with open_store(path) as store:
            store.create("walk", walk_fields(area="Sparad"))
        path.chmod(0o444)
        tmp_path.chmod(0o555)
        try:
            _check_read_only(path)
        finally:
            tmp_path.chmod(0o755)


def _check_read_only(path: Path) -> None:
    with pytest.raises(TryggError) as refused, Store(path) as store:
        store.create("walk", walk_fields(area="Ny"))
    assert refused.value.key == "db.readonly"
    assert "skrivskyddad" in refused.value.message("sv")
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    assert conn.execute("SELECT area FROM walk").fetchall() == [("Sparad",)]
    conn.close()


def test_backup_while_another_process_writes(tmp_path: Path) -> None:
    from db.backup import manual_backup

    target = tmp_path / "busy.db"
    open_store(target).close()
    writer = _python(WRITER, str(target), str(FINDINGS_PER_WALK))
    assert writer.stdout is not None
    writer.stdout.readline()
    copies = []
    try:
        with Store(target) as store:
            for n in range(5):
                copies.append(manual_backup(store.conn, target, tmp_path / f"copy{n}.db"))
                time.sleep(0.05)
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.communicate()
    for copy in copies:
        assert _integrity(copy) == "ok"
        # Each copy is one moment: whole walks with all their findings, and growing.
        partial = _count(
            copy,
            "SELECT count(*) FROM (SELECT w.id FROM walk w LEFT JOIN finding f"
            f" ON f.walk_id = w.id GROUP BY w.id HAVING count(f.id) != {FINDINGS_PER_WALK})",
        )
        assert partial == 0
    counts = [_count(c, "SELECT count(*) FROM walk") for c in copies]
    assert counts == sorted(counts) and counts[-1] > 0
