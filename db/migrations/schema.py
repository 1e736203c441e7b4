"""What the migrations build with: sqlite-utils on the migration's own connection, inside
the one transaction ``db.database.migrate`` holds open (sqlite-utils' writes then run as
SAVEPOINTs within it, so a failed migration leaves nothing behind).

sqlite-utils says tables, columns and indexes; what it cannot say — CHECK constraints,
WITHOUT ROWID tables, partial indexes, FTS5 tables and triggers — is plain SQL through
``run_sql``. A database made by these migrations has the schema that the SQL of
the first Trygg versions made (a test compares them).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database


def database(conn: sqlite3.Connection) -> Database:
    """sqlite-utils over ``conn``, leaving the connection's settings as they are (no
    recursive triggers, no plugins). Imported here, when a database is made or
    upgraded, not each time Trygg starts."""
    from sqlite_utils import Database

    return Database(conn, recursive_triggers=False, execute_plugins=False)


def record_table(
    db: Database,
    name: str,
    fields: dict[str, Any],
    *,
    indexes: Iterable[tuple[str, tuple[str, ...]]] = (),
) -> None:
    """A record table: the text id, the fields in order, the tombstone flag ``deleted``;
    and its indexes as (name, columns)."""
    db.create_table(
        name,
        {"id": str, **fields, "deleted": int},
        pk="id",
        not_null={"deleted"},
        defaults={"deleted": 0},
    )
    for index_name, columns in indexes:
        db.table(name).create_index(list(columns), index_name=index_name)


def run_sql(conn: sqlite3.Connection, sql: str) -> None:
    """Execute each statement of ``sql`` in turn, keeping trigger bodies (``BEGIN … END;``)
    whole. (``executescript`` would commit first, and a migration must stay inside its
    one transaction.)"""
    current: list[str] = []
    for line in sql.strip().splitlines():
        current.append(line)
        text = "\n".join(current).strip()
        if text.endswith(";") and sqlite3.complete_statement(text):
            conn.execute(text)
            current = []
    if "\n".join(current).strip():
        conn.execute("\n".join(current))
