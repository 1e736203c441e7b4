"""Opening, creating and upgrading database files."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path

import pytest

from db import database, migrations
from db.errors import TryggError
from db.migrations import MIGRATIONS, SCHEMA_VERSION, Migration
from db.records import TYPES, Kind
from db.store import Store
from tests.conftest import open_store, walk_fields


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_file_is_private_wal_and_versioned(db_path: Path) -> None:
    with open_store(db_path) as store:
        store.create("walk", walk_fields())
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        busy_timeout = store.conn.execute("PRAGMA busy_timeout").fetchone()[0]
        assert busy_timeout == database.BUSY_TIMEOUT_MS > 0
        assert database.schema_version(store.conn) == SCHEMA_VERSION
        applied = store.conn.execute("SELECT version FROM schema_migrations").fetchall()
        assert [v for (v,) in applied] == [m.version for m in MIGRATIONS]
        for suffix in ("", "-wal"):
            mode = stat.S_IMODE(Path(f"{db_path}{suffix}").stat().st_mode)
            assert mode == 0o600, (suffix, oct(mode))


def test_schema_matches_the_record_registry(store: Store) -> None:
    affinity = {Kind.INT: "INTEGER", Kind.BOOL: "INTEGER", Kind.REAL: "REAL"}
    for rtype in TYPES.values():
        columns = {row[1]: row[2] for row in store.conn.execute(f"PRAGMA table_info({rtype.name})")}
        assert set(columns) == {"id", "deleted", *rtype.names}, rtype.name
        for f in rtype.fields:
            assert columns[f.name] == affinity.get(f.kind, "TEXT"), (rtype.name, f.name)


def test_a_file_from_a_newer_trygg_is_refused_and_untouched(db_path: Path) -> None:
    open_store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = digest(db_path)
    with pytest.raises(TryggError) as info:
        Store(db_path)
    assert info.value.key == "db.newer"
    assert "Uppdatera Trygg" in info.value.message("sv")
    assert "Update Trygg" in info.value.message("en")
    assert digest(db_path) == before


def test_an_older_file_is_upgraded_in_one_transaction(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(db_path) as store:
        walk = store.create("walk", walk_fields())

    def add_column(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE walk ADD COLUMN route_map TEXT")

    newer = (*MIGRATIONS, Migration(SCHEMA_VERSION + 1, "route map", add_column))
    monkeypatch.setattr(database, "MIGRATIONS", newer)
    monkeypatch.setattr(database, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with Store(db_path) as store:
        assert database.schema_version(store.conn) == SCHEMA_VERSION + 1
        assert store.get("walk", walk) is not None
        columns = [row[1] for row in store.conn.execute("PRAGMA table_info(walk)")]
        assert "route_map" in columns


def test_a_failing_migration_changes_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_store(db_path).close()

    def half_then_fail(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE walk ADD COLUMN half TEXT")
        raise RuntimeError("power cut")

    newer = (*MIGRATIONS, Migration(SCHEMA_VERSION + 1, "broken", half_then_fail))
    monkeypatch.setattr(database, "MIGRATIONS", newer)
    monkeypatch.setattr(database, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(RuntimeError):
        Store(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert "half" not in [row[1] for row in conn.execute("PRAGMA table_info(walk)")]
    conn.close()


def test_not_a_trygg_file(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("inköpslista: mjölk")
    with pytest.raises(TryggError) as info:
        Store(text)
    assert info.value.key == "db.not_trygg"
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    before = digest(other)
    with pytest.raises(TryggError) as info:
        Store(other)
    assert info.value.key == "db.not_trygg"
    assert digest(other) == before


def test_a_damaged_file(db_path: Path) -> None:
    open_store(db_path).close()
    data = bytearray(db_path.read_bytes())
    data[16:100] = b"\xff" * 84  # the header after the magic string
    db_path.write_bytes(bytes(data))
    with pytest.raises(TryggError) as info:
        Store(db_path)
    assert info.value.key in {"db.damaged", "db.not_trygg"}


def test_missing_file_without_create(tmp_path: Path) -> None:
    with pytest.raises(TryggError) as info:
        Store(tmp_path / "nope.db", create=False)
    assert info.value.key == "db.missing"
    assert not (tmp_path / "nope.db").exists()


def test_default_path_and_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert database.resolve_path(None) == database.default_path()
    assert database.default_path().name == "trygg.db"
    monkeypatch.setenv("TRYGG_DB", str(tmp_path / "env.db"))
    assert database.resolve_path(None) == tmp_path / "env.db"
    assert database.resolve_path(tmp_path / "arg.db") == tmp_path / "arg.db"


def test_migrations_are_numbered_without_gaps() -> None:
    versions = [m.version for m in migrations.MIGRATIONS]
    assert versions == sorted(set(versions)) and versions[0] == 1
    # Until the branches that write migrations 6-8 are merged beside 9 (the views), those
    # three numbers are the only gap allowed. After the merge: range(1, SCHEMA_VERSION + 1).
    assert set(range(1, SCHEMA_VERSION + 1)) - set(versions) <= {6, 7, 8}
