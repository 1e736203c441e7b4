"""Schema 5: drafts of forms being typed.

A form writes what has been typed into ``drafts`` as the officer goes, so that a crash, a
flat battery or a closed lid loses nothing. A draft belongs to this laptop only: it is
never journaled, never exported, removed when the form is saved or deliberately left, and
removed by gallring when older than the retention period (it may hold a personnummer).
"""

from __future__ import annotations

import sqlite3

from db.migrations.schema import run_sql

# WITHOUT ROWID, which sqlite-utils cannot say: plain SQL.
SQL = """
CREATE TABLE drafts (
    form     TEXT PRIMARY KEY,
    saved_at TEXT NOT NULL,
    data     TEXT NOT NULL
) WITHOUT ROWID;
"""


def apply(conn: sqlite3.Connection) -> None:
    """Create schema 5's drafts table."""
    run_sql(conn, SQL)
