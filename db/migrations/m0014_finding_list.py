"""Schema 14: an index for counting findings at 100,000 records.

``finding_listed`` holds, per walk, every column the finding lists' filters read (not
deleted, positive, status, due date, problem owner), so a count of the findings in a
state (open, overdue, positive …) reads the index alone instead of every finding's row;
the walk list's "walks with findings in a state" reads it too. Additive only.
"""

from __future__ import annotations

import sqlite3

from db.migrations.statements import run_statements

SQL = """
CREATE INDEX finding_listed ON finding(walk_id, deleted, positive, status, due_date, owner_id)
"""


def apply(conn: sqlite3.Connection) -> None:
    """Add the finding lists' index."""
    run_statements(conn, SQL)
