"""Running a migration's SQL inside the migration's transaction."""

from __future__ import annotations

import sqlite3


def run_statements(conn: sqlite3.Connection, sql: str) -> None:
    """Execute each ``;``-terminated statement of ``sql`` in turn. (``executescript``
    would commit first, and a migration must stay inside its one transaction.)"""
    for statement in sql.split(";\n"):
        if statement.strip():
            conn.execute(statement)
