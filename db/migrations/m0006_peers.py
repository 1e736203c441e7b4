"""Schema 6: what the users decided about each colleague's device.

- ``offered_name``, ``offered_org``: a new name or organisation a device gave itself in its
  own signed file, waiting for a person here to accept it (``trygg peers trust``). A
  device's card is pinned with its key at first contact and changes only that way.
- ``police_confirmed_at``, ``police_key``: when a person here confirmed the device as
  police, and the key they compared. Only such a device gets personal data by default;
  a device that says it is police but has not been confirmed gets the kommun profile.
  The confirmation holds for that key only.
"""

from __future__ import annotations

import sqlite3

from db.migrations.statements import run_statements

SQL = """
ALTER TABLE devices ADD COLUMN offered_name TEXT;
ALTER TABLE devices ADD COLUMN offered_org TEXT CHECK (offered_org IN ('polis', 'kommun'));
ALTER TABLE devices ADD COLUMN police_confirmed_at TEXT;
ALTER TABLE devices ADD COLUMN police_key TEXT;
"""


def apply(conn: sqlite3.Connection) -> None:
    """Add schema 6's columns to ``devices``."""
    run_statements(conn, SQL)
