"""Schema 12: an index for importing at 100,000 records.

- ``journal_erasures`` lists the records with an erasure marker, which every import reads
  (without it, a scan of the whole journal).

Additive only.
"""

from __future__ import annotations

import sqlite3

from db.migrations.statements import run_statements

SQL = """
CREATE INDEX journal_erasures ON journal(record_id) WHERE field = '_erased'
"""


def apply(conn: sqlite3.Connection) -> None:
    """Add the erasure markers' index."""
    run_statements(conn, SQL)
