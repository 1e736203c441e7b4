"""Schema 9: views for the tools people open the file with (``sqlite-utils rows``, the
``sqlite3`` shell, Datasette): each record type as the app shows it, without deleted
records, with choices in words and references named (see ``db/views.py``)."""

from __future__ import annotations

import sqlite3

from db.views import create_views


def apply(conn: sqlite3.Connection) -> None:
    """Create the views. Runs inside the caller's transaction."""
    create_views(conn)
