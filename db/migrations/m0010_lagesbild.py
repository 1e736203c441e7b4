"""Schema 10: what the lägesbild (the joint picture of places) needs.

- a measure may name the place it is about (``measure.place_id``), so a place shows the
  measures taken there even when they did not come from a safety-walk finding;
- indexes for counting one municipality's quick reports over a period (covering what the
  lägesbild counts, so the table itself is not read), for reading only
  the findings that were open or fixed lately (not a municipality's whole history), and
  for finding everything recorded at a place (quick reports, findings, measures).

Additive only: a column nobody has written yet reads as NULL.
"""

from __future__ import annotations

import sqlite3

from db.migrations.statements import run_statements

SQL = """
ALTER TABLE measure ADD COLUMN place_id TEXT;
CREATE INDEX measure_place ON measure(place_id);
CREATE INDEX snabbrapport_kommun
    ON snabbrapport(kommun, date, time, place_id, place, drunk, custody, deleted);
CREATE INDEX snabbrapport_place ON snabbrapport(place_id, date);
CREATE INDEX finding_place ON finding(place_id);
CREATE INDEX finding_fixed
    ON finding(status, fixed_date, walk_id, place_id, place, due_date, positive, deleted);
CREATE INDEX walk_in_kommun ON walk(id, kommun, date, deleted)
"""


def apply(conn: sqlite3.Connection) -> None:
    """Add the measure's place and the lägesbild's indexes."""
    run_statements(conn, SQL)
