"""The export log: every file this device wrote — when, to whom, in which profile,
encrypted or not, how much — kept locally and never sent anywhere.

It is what a coordinator shows when asked "what personal data has left this laptop?".
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.sync.exporter import ExportSummary


@dataclass(frozen=True)
class ExportLogEntry:
    at: str
    file_id: str
    path: str
    recipient: str | None
    profile: str
    personal: bool
    encryption: str
    entries: int
    records: dict[str, int]


def record(
    conn: sqlite3.Connection,
    *,
    file_id: str,
    path: Path,
    recipient: str | None,
    summary: ExportSummary,
) -> None:
    """Enter one written sync file in the log (inside the caller's transaction)."""
    record_file(
        conn,
        file_id=file_id,
        path=path,
        recipient=recipient,
        profile=summary.profile,
        personal=summary.personal,
        encryption=summary.encryption,
        entries=summary.entries,
        records=summary.records,
    )


def record_file(
    conn: sqlite3.Connection,
    *,
    file_id: str,
    path: Path,
    recipient: str | None,
    profile: str,
    personal: bool,
    encryption: str,
    entries: int,
    records: dict[str, int],
) -> None:
    """Enter one written file of any kind (a sync file, a note to social services)."""
    conn.execute(
        "INSERT INTO export_log (at, file_id, path, recipient, profile, personal, encryption,"
        " entries, records) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            datetime.now(UTC).isoformat(timespec="seconds"),
            file_id,
            str(path.resolve()),
            recipient,
            profile,
            int(personal),
            encryption,
            entries,
            json.dumps(records),
        ),
    )


def entries(conn: sqlite3.Connection, *, limit: int | None = None) -> list[ExportLogEntry]:
    """The log, newest first."""
    sql = (
        "SELECT at, file_id, path, recipient, profile, personal, encryption, entries, records"
        " FROM export_log ORDER BY id DESC"
    )
    params: tuple[int, ...] = ()
    if limit is not None:
        sql += " LIMIT ?"
        params = (limit,)
    return [
        ExportLogEntry(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7], json.loads(r[8]))
        for r in conn.execute(sql, params)
    ]


def personal_files_still_present(conn: sqlite3.Connection) -> list[Path]:
    """Files with personal data this device wrote that still exist where they were put
    (a copy on a stick not yet delivered, a forgotten export)."""
    paths = {Path(r[0]) for r in conn.execute("SELECT path FROM export_log WHERE personal = 1")}
    return sorted(p for p in paths if p.exists())
