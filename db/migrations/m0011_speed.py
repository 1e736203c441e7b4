"""Schema 11: indexes for speed at 100,000 records.

- ``snabbrapport_stats`` holds, in date order, every column the follow-up statistics
  count, so one pass over a period reads the index alone, grouped by date without sorting;
- ``snabbrapport_person`` orders the reports by personnummer (with the columns a period
  is chosen by), so individuals are counted without sorting personnummer into a
  temporary b-tree. Erasure nulls the column, and with it the index entry (secure_delete
  zeroes what it frees, as for the table);
- ``journal_origin_scope`` orders the journal by origin, scope and stamp: a delta export
  reads only the entries it sends, whatever the size of the journal.

Additive only.
"""

from __future__ import annotations

import sqlite3

from db.migrations.statements import run_statements

SQL = """
CREATE INDEX snabbrapport_stats ON snabbrapport(date, deleted, kommun, place, time, age, sex,
    drunk, carried_alcohol, with_carrier, custody, guardian_contacted, guardian_action,
    pm_social, pm_sent_date, obot, alcohol_source);
CREATE INDEX snabbrapport_person ON snabbrapport(personnummer, deleted, date, kommun, place);
CREATE INDEX journal_origin_scope ON journal(device, scope, ts)
"""


def apply(conn: sqlite3.Connection) -> None:
    """Add the statistics' and the delta export's indexes."""
    run_statements(conn, SQL)
