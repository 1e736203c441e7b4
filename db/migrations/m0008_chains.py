"""Schema 8 (renumbered by the lead on merge if needed): every change provably from its
author (docs/authenticity.md).

- ``journal.salt``: the random salt a personal value is committed to with (erased with
  the value); ``journal.link``: the entry's link in its origin's hash chain (NULL for an
  entry written before its origin began chaining: "unverified (older file)").
- ``journal_erased``: the place of an erased personal entry in its chain — position,
  link and salted commitment, no value, no salt — so what remains still verifies.
- ``chain_heads``: the chain heads origins signed, kept to be checked and passed on.
- ``chain_anchors``: the link before a received part of a chain whose beginning is not
  held here (a delta), so ``doctor`` can recompute every link held.
- ``chain_starts``: per origin, the stamp it began chaining at and the key its heads are
  checked with when its own key has not been pinned here (heard of through a relay).
  This device begins now: what it wrote before stays unlinked, everywhere alike.

Additive only.
"""

from __future__ import annotations

import sqlite3

from db.journal.clock import COUNTER_BITS
from db.migrations.statements import run_statements

SQL = """
ALTER TABLE journal ADD COLUMN salt TEXT;
ALTER TABLE journal ADD COLUMN link BLOB;
CREATE TABLE journal_erased (
    device      TEXT NOT NULL,
    scope       TEXT NOT NULL,
    ts          INTEGER NOT NULL,
    record_id   TEXT NOT NULL,
    field       TEXT NOT NULL,
    tbl         TEXT NOT NULL,
    prev_ts     INTEGER,
    prev_device TEXT,
    link        BLOB NOT NULL,
    sealed      TEXT NOT NULL,
    PRIMARY KEY (device, scope, ts, record_id, field)
) WITHOUT ROWID;
CREATE TABLE chain_heads (
    device    TEXT NOT NULL,
    scope     TEXT NOT NULL,
    ts        INTEGER NOT NULL,
    record_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    link      BLOB NOT NULL,
    start     INTEGER NOT NULL,
    key       TEXT NOT NULL,
    signature TEXT NOT NULL,
    PRIMARY KEY (device, scope, ts, record_id, field)
) WITHOUT ROWID;
CREATE TABLE chain_anchors (
    device    TEXT NOT NULL,
    scope     TEXT NOT NULL,
    ts        INTEGER NOT NULL,
    record_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    link      BLOB NOT NULL,
    PRIMARY KEY (device, scope, ts, record_id, field)
) WITHOUT ROWID;
CREATE TABLE chain_starts (
    device TEXT PRIMARY KEY,
    start  INTEGER NOT NULL,
    key    TEXT NOT NULL
);
"""


def apply(conn: sqlite3.Connection) -> None:
    """Add the chain columns and tables; this device begins chaining after its clock."""
    run_statements(conn, SQL)
    row = conn.execute(
        "SELECT d.id, d.public_key, c.ms, c.counter FROM devices d LEFT JOIN clock c"
        " ON c.id = 1 WHERE d.is_self = 1 AND d.public_key IS NOT NULL"
    ).fetchone()
    if row is not None:
        start = ((row[2] << COUNTER_BITS) | row[3]) + 1 if row[2] is not None else 1
        conn.execute(
            "INSERT INTO chain_starts (device, start, key) VALUES (?, ?, ?)",
            (row[0], start, row[1]),
        )
