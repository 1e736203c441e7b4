"""Schema 3: what the lists of walks and findings need to stay fast at 100,000 records.

- indexes for the follow-up questions (open and overdue findings, findings per owner);
- full-text search (FTS5) over walks and findings. Triggers note every changed row in
  ``search_queue`` so that every writer (the store, a merge) keeps search correct without
  knowing it exists; ``db.search`` brings the index up to date before it searches. (A
  trigger may not write to a virtual table while ``trusted_schema`` is off, which it is.)

The search tables use the records' implicit rowid. ``VACUUM`` may renumber those, so Trygg
never vacuums a live database (gallring vacuums only its backup copies).
"""

from __future__ import annotations

import sqlite3

from db.migrations.schema import database, run_sql

#: The text columns each searchable table indexes.
SEARCHED: dict[str, tuple[str, ...]] = {
    "walk": ("kommun", "area", "organiser", "weather", "notes"),
    "finding": ("place", "remark", "notes", "reject_reason"),
}


def _search_sql(table: str, columns: tuple[str, ...]) -> str:
    cols = ", ".join(columns)
    queue = f"INSERT OR IGNORE INTO search_queue (tbl, row) VALUES ('{table}', {{}}.rowid);"
    # remove_diacritics folds å/ä/ö so "gang" finds "gång" typed on a foreign keyboard.
    return f"""
CREATE VIRTUAL TABLE {table}_fts USING fts5(
    {cols}, tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO {table}_fts (rowid, {cols}) SELECT rowid, {cols} FROM {table} WHERE deleted = 0;
CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN
    {queue.format("new")}
END;
CREATE TRIGGER {table}_search_update AFTER UPDATE OF {cols}, deleted ON {table} BEGIN
    {queue.format("new")}
END;
CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN
    {queue.format("old")}
END;
"""


# A WITHOUT ROWID table, FTS5 tables and triggers: what sqlite-utils cannot say. (Its
# ``enable_fts`` makes an external-content index kept by triggers that write to the index,
# which ``trusted_schema = OFF`` forbids, and its ``populate_fts`` would index deleted rows.)
SQL = """
CREATE TABLE search_queue (
    tbl TEXT NOT NULL,
    row INTEGER NOT NULL,
    PRIMARY KEY (tbl, row)
) WITHOUT ROWID;
""" + "".join(_search_sql(table, columns) for table, columns in SEARCHED.items())


def apply(conn: sqlite3.Connection) -> None:
    """Create schema 3's additions. Runs inside the caller's transaction."""
    db = database(conn)
    run_sql(conn, SQL)
    db.table("finding").create_index(["status", "due_date"], "finding_follow_up")
    db.table("walk").create_index(["kommun", "date"], "walk_kommun")
