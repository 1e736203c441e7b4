"""Schema 7 (renumbered by the lead on merge): taking back this device's own changes, and
a quick report's age said to be unknown.

- ``undo_steps``: one row per write transaction that changed records on this device — the
  range of this device's stamps it wrote — so that ctrl+z takes back a whole action (a
  report saved with a new place, a finding marked sent) and repeated ctrl+z walks further
  back, never taking back an undo. Local bookkeeping: never journaled nor exported; a
  restored or copied file gets a new device id, and the old steps no longer match it.
- ``snabbrapport.age_unknown``: without a personnummer the form asks for the age, and
  "okänd" is an answer, not a blank.
"""

from __future__ import annotations

import sqlite3

from db.migrations.statements import run_statements

SQL = """
CREATE TABLE undo_steps (
    id        INTEGER PRIMARY KEY,
    device    TEXT NOT NULL,
    after_ts  INTEGER NOT NULL,
    last_ts   INTEGER NOT NULL,
    undoes    INTEGER,
    undone_by INTEGER
);
CREATE INDEX undo_steps_open ON undo_steps(device, undone_by, undoes);
ALTER TABLE snabbrapport ADD COLUMN age_unknown INTEGER;
"""


def apply(conn: sqlite3.Connection) -> None:
    """Create the undo bookkeeping and the quick report's ``age_unknown``."""
    run_statements(conn, SQL)
