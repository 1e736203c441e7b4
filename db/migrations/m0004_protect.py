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
from typing import TYPE_CHECKING

from db.migrations.schema import database

if TYPE_CHECKING:
    from db.protect.keys import Secrets


def apply(conn: sqlite3.Connection) -> None:
    """Create schema 4's additions and give an existing device its keys."""
    db = database(conn)
    for column in ("public_key", "key_pinned_at", "key_verified_at", "offered_key", "offered_at"):
        db.table("devices").add_column(column, str)
    db.create_table(
        "device_secrets",
        {"device_id": str, "signing_key": str, "age_identity": str},
        pk="device_id",
        not_null={"signing_key", "age_identity"},
    )
    db.create_table(
        "export_log",
        {"id": int, "at": str, "file_id": str, "path": str, "recipient": str, "profile": str,
         "personal": int, "encryption": str, "entries": int, "records": str},
        pk="id",
        not_null={"at", "file_id", "path", "profile", "personal", "encryption", "entries",
                  "records"},
    )  # fmt: skip
    row = conn.execute("SELECT id FROM devices WHERE is_self = 1").fetchone()
    if row is not None:
        install_secrets(conn, row[0])


def new_secrets() -> Secrets:
    """A new signing key and ``age`` identity (see ``db.protect.keys``). Imported when
    needed: cryptography and pyrage are slow to import, and every start of the app
    imports this module."""
    from db.protect import keys

    return keys.new_secrets()


def install_secrets(conn: sqlite3.Connection, device_id: str) -> None:
    """Make and store a new signing key and age identity for ``device_id``."""
    secrets = new_secrets()
    conn.execute(
        "INSERT INTO device_secrets (device_id, signing_key, age_identity) VALUES (?, ?, ?)",
        (device_id, secrets.signing_key, secrets.age_identity),
    )
    conn.execute("UPDATE devices SET public_key = ? WHERE id = ?", (secrets.public_key, device_id))
