"""Full-text search over walks and findings (FTS5), kept current lazily.

Triggers queue every changed row (see ``db/migrations/m0003_lists.py``); ``refresh`` moves
the queued rows into the index in one short transaction, and ``match`` turns what a person
typed into a safe FTS5 query (every word a prefix, all words required).
"""

from __future__ import annotations

import re
import sqlite3

from db.database import begin_write
from db.migrations.m0003_lists import SEARCHED


def pending(conn: sqlite3.Connection) -> bool:
    """Whether rows wait to be indexed (a read: ``refresh`` writes)."""
    return conn.execute("SELECT EXISTS (SELECT 1 FROM search_queue)").fetchone()[0] == 1


def refresh(conn: sqlite3.Connection) -> int:
    """Bring the search index up to date with the queued rows; returns how many."""
    pending = conn.execute("SELECT count(*) FROM search_queue").fetchone()[0]
    if not pending:
        return 0
    own_transaction = not conn.in_transaction
    if own_transaction:
        begin_write(conn)
    try:
        for table, columns in SEARCHED.items():
            cols = ", ".join(columns)
            rows = [
                r[0] for r in conn.execute("SELECT row FROM search_queue WHERE tbl = ?", (table,))
            ]
            for row in rows:
                conn.execute(f"DELETE FROM {table}_fts WHERE rowid = ?", (row,))
                conn.execute(
                    f"INSERT INTO {table}_fts (rowid, {cols})"
                    f" SELECT rowid, {cols} FROM {table} WHERE rowid = ? AND deleted = 0",
                    (row,),
                )
        conn.execute("DELETE FROM search_queue")
        if own_transaction:
            conn.execute("COMMIT")
    except BaseException:
        if own_transaction:
            conn.execute("ROLLBACK")
        raise
    return pending


def match(text: str) -> str | None:
    """An FTS5 query for what a person typed, or None when there is nothing to search.

    Every word becomes a quoted prefix term, so FTS5 syntax characters (quotes, ``*``,
    ``NEAR``, ``-``) are searched as text instead of failing the query."""
    words = [w for w in re.split(r"[\s\"*^:()+\-]+", text) if w]
    if not words:
        return None
    return " AND ".join(f'"{w}"*' for w in words[:12])
