"""The numbered migrations, written with sqlite-utils: a database they make has the same
schema as one made by the SQL of the first Trygg versions (kept as a file in fixtures/),
an old file upgrades with its data, and sqlite-utils' writes stay inside the store's
transaction (its ``atomic()`` is a SAVEPOINT there: a rollback takes them back)."""

from __future__ import annotations

import gzip
import re
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from db import database
from db.migrations import MIGRATIONS, SCHEMA_VERSION
from db.migrations.schema import database as utils_database
from db.store import Store
from tests.conftest import open_store, walk_fields

#: A database made by Trygg at schema 5, before the migrations used sqlite-utils: a device,
#: records of every type, a deleted finding, a quick report with personal data (invented).
OLD_FILE = Path(__file__).parent / "fixtures" / "schema5.db.gz"
OLD_VERSION = 5


def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    path.write_bytes(gzip.decompress(OLD_FILE.read_bytes()))
    path.chmod(0o600)
    return path


def _normalised(sql: str | None) -> str | None:
    """SQL with comments, identifier quotes and layout taken out."""
    if sql is None:
        return None
    sql = re.sub(r"--[^\n]*", "", sql)
    sql = re.sub(r"[\"\[\]`]", "", sql)
    sql = re.sub(r"\s+", " ", sql)
    return re.sub(r"\s*([(),])\s*", r"\1", sql).strip()


def schema(conn: sqlite3.Connection) -> dict[str, object]:
    """Every object of the schema as SQLite sees it: each table's columns (name, type,
    NOT NULL, default, key), indexes (unique, partial, columns) and foreign keys, and the
    SQL of every object with layout and quoting normalised."""
    objects = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()
    result: dict[str, object] = {}
    for kind, name, table, sql in objects:
        result[f"{kind} {name}"] = (table, _normalised(sql))
        if kind != "table":
            continue
        result[f"columns {name}"] = conn.execute(f"PRAGMA table_xinfo('{name}')").fetchall()
        result[f"foreign keys {name}"] = conn.execute(
            f"PRAGMA foreign_key_list('{name}')"
        ).fetchall()
        for index in conn.execute(f"PRAGMA index_list('{name}')").fetchall():
            columns = conn.execute(f"PRAGMA index_xinfo('{index[1]}')").fetchall()
            result[f"index {index[1]}"] = (tuple(index[2:]), columns)
    return result


def _made_by_new_code(path: Path, up_to: int) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    for migration in MIGRATIONS:
        if migration.version <= up_to:
            migration.apply(conn)
    conn.execute("COMMIT")
    return conn


def test_a_new_database_has_the_schema_the_old_sql_made(tmp_path: Path) -> None:
    old = sqlite3.connect(old_file(tmp_path))
    assert old.execute("PRAGMA user_version").fetchone()[0] == OLD_VERSION
    new = _made_by_new_code(tmp_path / "new.db", OLD_VERSION)
    old_schema, new_schema = schema(old), schema(new)
    assert sorted(new_schema) == sorted(old_schema)
    for key, value in old_schema.items():
        assert new_schema[key] == value, key
    kommuner = "SELECT name, lan FROM kommun ORDER BY name"
    assert new.execute(kommuner).fetchall() == old.execute(kommuner).fetchall()


def test_an_old_file_upgrades_and_keeps_its_records(tmp_path: Path) -> None:
    path = old_file(tmp_path)
    with Store(path) as store:
        assert database.schema_version(store.conn) == SCHEMA_VERSION
        applied = [v for (v,) in store.conn.execute("SELECT version FROM schema_migrations")]
        assert applied == [m.version for m in MIGRATIONS]
        assert store.require_device().name == "Gammal enhet"
        assert [f["place"] for f in store.records("finding")] == ["Åvägen 37"]
        assert store.records("snabbrapport")[0]["personnummer"] == "20100315-9801"
        walk = store.records("walk")[0]["id"]
        store.update("walk", walk, {"area": "Centrum och stationen"})  # still writable
        assert store.records("walk")[0]["area"] == "Centrum och stationen"


def test_sqlite_utils_writes_roll_back_with_the_store_transaction(store: Store) -> None:
    """``atomic()`` inside an open transaction is a SAVEPOINT: when the store's transaction
    rolls back, what sqlite-utils wrote in it goes too; when it commits, it stays."""
    db = utils_database(store.conn)
    with pytest.raises(RuntimeError), store.transaction():
        store.create("walk", walk_fields(area="Bort"))
        db.table("settings").insert({"key": "prov", "value": "1"})
        assert store.conn.in_transaction
        raise RuntimeError("something failed after both writes")
    assert store.count("walk") == 0 and store.setting("prov") is None
    with store.transaction():
        db.table("settings").insert({"key": "prov", "value": "2"})
        store.create("walk", walk_fields(area="Kvar"))
    assert store.count("walk") == 1 and store.setting("prov") == "2"


def test_a_failing_sqlite_utils_write_takes_back_only_its_own_savepoint(store: Store) -> None:
    db = utils_database(store.conn)
    with store.transaction():
        store.create("walk", walk_fields(area="Före"))
        with pytest.raises(sqlite3.IntegrityError), db.atomic():
            db.table("settings").insert({"key": "a", "value": "1"})
            db.table("settings").insert({"key": "a", "value": "2"})  # the key exists
        assert store.conn.in_transaction  # the store's transaction is still open
    assert store.count("walk") == 1 and store.setting("a") is None


def test_sqlite_utils_leaves_the_connection_as_it_was(db_path: Path) -> None:
    with open_store(db_path) as store:
        before = store.conn.execute("PRAGMA recursive_triggers").fetchone()[0]
        utils_database(store.conn)
        assert store.conn.execute("PRAGMA recursive_triggers").fetchone()[0] == before
    assert isinstance(sqlite_utils.Database(db_path).table_names(), list)
