"""A full disk during an import, a records import, an export or a memo: one clear
sentence, the database as it was, no half-written file. Runs on a real small filesystem
(a tmpfs, which needs the right to mount: skipped otherwise)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from db.errors import TryggError
from db.interchange import import_records
from db.protect.encryption import Encryption
from db.reports.pm import write_pm
from db.sync.exporter import export_bundle
from db.sync.merge import import_bundle
from tests.conftest import NOW, open_store, report_fields, walk_fields
from tui import cli


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "1200k") -> Iterator[Path]:
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small filesystem here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill_leaving(folder: Path, free: int) -> None:
    """Fill the filesystem of ``folder`` until about ``free`` bytes are left."""
    left = shutil.disk_usage(folder).free
    (folder / "fyllnad").write_bytes(b"\0" * max(0, left - free))


def journal(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    finally:
        conn.close()


def leftovers(folder: Path) -> list[str]:
    """Half-written files: temporary names, or anything but the database, its log and
    index, the filler and the backup folder."""
    known = {"r.db", "r.db-wal", "r.db-shm", "fyllnad", "r.db.backups"}
    found = [p.name for p in folder.iterdir() if p.name not in known]
    backups = folder / "r.db.backups"
    if backups.is_dir():
        found += [f"r.db.backups/{p.name}" for p in backups.iterdir()]
    return found


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("källa")
    with open_store(folder / "source.db", name="Källa") as source:
        with source.transaction():
            for n in range(400):
                source.create("walk", walk_fields(area=f"Område {n}", notes="x" * 200))
        export_bundle(source, folder / "big.trygg", full=True)
    return folder / "big.trygg"


def test_an_import_whose_backup_copy_does_not_fit(bundle: Path, tmp_path: Path) -> None:
    with small_disk(tmp_path / "liten") as disk:
        db = disk / "r.db"
        open_store(db, name="Mottagare").close()
        fill_leaving(disk, 60_000)
        with open_store(db) as store, pytest.raises(TryggError) as refused:
            import_bundle(store, bundle)
        assert refused.value.key == "backup.disk_full"
        assert "Disken är full" in refused.value.message("sv")
        assert journal(db) == 0
        assert leftovers(disk) == []
        result = CliRunner().invoke(
            cli.build_cli("sv"), ["import", str(bundle), "--db", str(db)], catch_exceptions=False
        )
        assert result.exit_code == 1
        assert "Disken är full" in result.output and "Inget har ändrats" in result.output
        assert journal(db) == 0


def test_an_import_and_a_records_import_that_do_not_fit(bundle: Path, tmp_path: Path) -> None:
    with small_disk(tmp_path / "liten") as disk:
        db = disk / "r.db"
        open_store(db, name="Mottagare").close()
        # Room for the backup copy (as large as the database), not for the merge.
        fill_leaving(disk, db.stat().st_size + 40_000)
        with open_store(db) as store:
            with pytest.raises(TryggError) as refused:
                import_bundle(store, bundle)
            assert refused.value.key == "db.disk_full"
            assert journal(db) == 0
            lines = [
                json.dumps(walk_fields(type="walk", area=f"Rad {n}", notes="y" * 300))
                for n in range(800)
            ]
            records = tmp_path / "poster.jsonl"
            records.write_text("\n".join(lines) + "\n", encoding="utf-8")
            with pytest.raises(TryggError) as refused:
                import_records(store, records)
            assert refused.value.key == "db.disk_full"
            assert store.count("walk") == 0
        assert journal(db) == 0


@pytest.mark.parametrize("encrypted", [False, True])
def test_an_export_that_does_not_fit(bundle: Path, tmp_path: Path, encrypted: bool) -> None:
    source = bundle.parent / "source.db"
    with small_disk(tmp_path / "sticka") as stick:
        fill_leaving(stick, 40_000)
        target = stick / "ut.trygg"
        how = Encryption("en lång lösenfras") if encrypted else None
        with open_store(source) as store:
            before = journal(source)
            with pytest.raises(TryggError) as refused:
                export_bundle(store, target, full=True, encryption=how)
        assert refused.value.key == "export.disk_full", refused.value.key
        assert "Disken är full" in refused.value.message("sv")
        assert sorted(p.name for p in stick.iterdir()) == ["fyllnad"]  # no half file
        assert journal(source) == before


def test_a_memo_that_does_not_fit(tmp_path: Path) -> None:
    db = tmp_path / "pm.db"
    with open_store(db) as store:
        report = store.create("snabbrapport", report_fields(ovrigt="z" * 3000))
        with small_disk(tmp_path / "sticka") as stick:
            fill_leaving(stick, 1_000)
            with pytest.raises(TryggError) as refused:
                write_pm(store, [report], NOW.date(), out=stick)
            assert refused.value.key == "export.disk_full"
            assert sorted(p.name for p in stick.iterdir()) == ["fyllnad"]
        assert store.get("snabbrapport", report)["pm_social"] != "ja"  # type: ignore[index]  # not marked as sent
