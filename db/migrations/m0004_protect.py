"""Schema 4: what protects files and data.

- per device: its Ed25519 public key, pinned from the first signed file it sent, when the
  users compared its fingerprint by phone, and a different key a later file offered (kept
  only so that ``trygg peers trust`` can accept it after a phone call);
- this device's secrets: its signing key and its ``age`` identity (for files colleagues
  encrypt to it). They never leave the database in any export;
- the export log: every file written, to whom, in which profile, encrypted or not.

Databases made before schema 4 get their keys here.
"""

from __future__ import annotations

import sqlite3

from db.migrations.statements import run_statements
from db.protect.keys import new_secrets

SQL = """
ALTER TABLE devices ADD COLUMN public_key TEXT;
ALTER TABLE devices ADD COLUMN key_pinned_at TEXT;
ALTER TABLE devices ADD COLUMN key_verified_at TEXT;
ALTER TABLE devices ADD COLUMN offered_key TEXT;
ALTER TABLE devices ADD COLUMN offered_at TEXT;

CREATE TABLE device_secrets (
    device_id    TEXT PRIMARY KEY,
    signing_key  TEXT NOT NULL,
    age_identity TEXT NOT NULL
);

CREATE TABLE export_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    file_id    TEXT NOT NULL,
    path       TEXT NOT NULL,
    recipient  TEXT,
    profile    TEXT NOT NULL,
    personal   INTEGER NOT NULL,
    encryption TEXT NOT NULL,
    entries    INTEGER NOT NULL,
    records    TEXT NOT NULL
);
"""


def apply(conn: sqlite3.Connection) -> None:
    """Create schema 4's additions and give an existing device its keys."""
    run_statements(conn, SQL)
    row = conn.execute("SELECT id FROM devices WHERE is_self = 1").fetchone()
    if row is not None:
        install_secrets(conn, row[0])


def install_secrets(conn: sqlite3.Connection, device_id: str) -> None:
    """Make and store a new signing key and age identity for ``device_id``."""
    secrets = new_secrets()
    conn.execute(
        "INSERT INTO device_secrets (device_id, signing_key, age_identity) VALUES (?, ?, ?)",
        (device_id, secrets.signing_key, secrets.age_identity),
    )
    conn.execute("UPDATE devices SET public_key = ? WHERE id = ?", (secrets.public_key, device_id))
