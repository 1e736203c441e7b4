"""Schema 2: what file-based sync remembers.

- per peer device: the version vectors it last declared (per scope), when we last heard
  from it and last wrote a file for it;
- the bundles already imported (by file id), so a mailbox never imports one twice;
- the conflict list, derived from the journal (see db/journal/conflicts.py).
"""

from __future__ import annotations

import sqlite3

from db.migrations.statements import run_statements

SQL = """
ALTER TABLE devices ADD COLUMN declared TEXT;
ALTER TABLE devices ADD COLUMN last_heard TEXT;
ALTER TABLE devices ADD COLUMN last_sent TEXT;

CREATE TABLE imported_bundles (
    file_id     TEXT PRIMARY KEY,
    body_sha256 TEXT NOT NULL,
    sender      TEXT NOT NULL,
    created_at  TEXT,
    imported_at TEXT NOT NULL
);

-- One row per version of a field that lost to a concurrent write and is not yet resolved.
CREATE TABLE conflicts (
    id            TEXT PRIMARY KEY,
    tbl           TEXT NOT NULL,
    record_id     TEXT NOT NULL,
    field         TEXT NOT NULL,
    winner_ts     INTEGER NOT NULL,
    winner_device TEXT NOT NULL,
    loser_ts      INTEGER NOT NULL,
    loser_device  TEXT NOT NULL
);
CREATE INDEX conflicts_field ON conflicts(record_id, field);
"""


def apply(conn: sqlite3.Connection) -> None:
    """Create schema 2's additions. Runs inside the caller's transaction."""
    run_statements(conn, SQL)
