"""Schema 2: what file-based sync remembers.

- per peer device: the version vectors it last declared (per scope), when we last heard
  from it and last wrote a file for it;
- the bundles already imported (by file id), so a mailbox never imports one twice;
- the conflict list, derived from the journal (see db/journal/conflicts.py).
"""

from __future__ import annotations

import sqlite3

from db.migrations.schema import database


def apply(conn: sqlite3.Connection) -> None:
    """Create schema 2's additions. Runs inside the caller's transaction."""
    db = database(conn)
    for column in ("declared", "last_heard", "last_sent"):
        db.table("devices").add_column(column, str)
    db.create_table(
        "imported_bundles",
        {"file_id": str, "body_sha256": str, "sender": str, "created_at": str, "imported_at": str},
        pk="file_id",
        not_null={"body_sha256", "sender", "imported_at"},
    )
    # One row per version of a field that lost to a concurrent write and is not yet resolved.
    db.create_table(
        "conflicts",
        {"id": str, "tbl": str, "record_id": str, "field": str, "winner_ts": int,
         "winner_device": str, "loser_ts": int, "loser_device": str},
        pk="id",
        not_null={"tbl", "record_id", "field", "winner_ts", "winner_device", "loser_ts",
                  "loser_device"},
    )  # fmt: skip
    db.table("conflicts").create_index(["record_id", "field"], "conflicts_field")
