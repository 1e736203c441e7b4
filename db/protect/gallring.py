"""Gallring: erasing personal data when its time is up, keeping the statistics.

The rule lives in the database (settings): how many days after the report date the
personal fields of a quick report are erased (90 unless the users set another), and the
legal basis the users state for it, kept as their text. Erasure (``Store.erase_personal``)
nulls the personal fields, removes their history and conflict copies, and journals a
marker that travels to every device and outranks every old copy. What stays: date, time,
place, age at the event, sex, the tick boxes and choices.

Then the traces: SQLite's ``secure_delete`` (always on, see db/database.py) has zeroed
the freed bytes; a checkpoint truncates the write-ahead log, which held the old pages. The
automatic backup copies are erased the same way, drafts editing the reports are
discarded, and this device's own mailbox file, if it carried personal data, is removed
(the next sync writes it anew). An erasure marker received from another device clears
the same traces here (``clear_traces``, called by the merge). Files handed to
others are out of reach: the summary names those still on disk.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from db import drafts
from db.backup import backup_folder
from db.errors import TryggError
from db.journal.markers import ERASED, apply_erasure
from db.records import record_type
from db.store import Store
from db.sync import export_log

RTYPE = "snabbrapport"
DAYS_KEY = "retention.snabbrapport.days"
BASIS_KEY = "retention.basis"
DEFAULT_DAYS = 90
#: A report is due when not yet erased and dated on or before the cutoff (deleted ones too).
_DUE = "erased_date IS NULL AND date <= ?"
#: Told how far gallring has come: (steps done, steps in all), a step being one report
#: erased or one backup copy cleared.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Rule:
    """How long personal data is kept, and why (the users' own words)."""

    days: int
    basis: str | None


@dataclass(frozen=True)
class DueReport:
    """A quick report whose personal fields are due for erasure (no personal data here:
    the list may be shown and printed)."""

    id: str
    nr: int | None
    date: str


@dataclass
class GallringSummary:
    rule: Rule
    cutoff: str
    due: list[DueReport]
    dry_run: bool
    erased: int = 0
    backups_scrubbed: int = 0
    drafts: int = 0
    removed_files: list[Path] = field(default_factory=list)
    files_left: list[Path] = field(default_factory=list)


def rule(store: Store) -> Rule:
    """The retention rule in force."""
    raw = store.setting(DAYS_KEY)
    days = int(raw) if raw and raw.isdigit() else DEFAULT_DAYS
    return Rule(days, store.setting(BASIS_KEY))


def set_rule(store: Store, days: int | None = None, basis: str | None = None) -> Rule:
    """Change the number of days and/or the stated legal basis."""
    if days is not None and not 1 <= days <= 3650:
        raise TryggError("gallring.bad_days")
    with store.transaction():
        if days is not None:
            store.set_setting(DAYS_KEY, str(days))
        if basis is not None:
            store.set_setting(BASIS_KEY, basis.strip() or None)
    return rule(store)


def cutoff(store: Store, today: date) -> date:
    """Reports dated on or before this day are due."""
    return today - timedelta(days=rule(store).days)


def due(store: Store, today: date) -> list[DueReport]:
    """Reports, deleted ones included, whose personal data is due for erasure."""
    rows = store.conn.execute(
        f"SELECT id, nr, date FROM snabbrapport WHERE {_DUE} ORDER BY date, nr",
        (cutoff(store, today).isoformat(),),
    ).fetchall()
    return [DueReport(r[0], r[1], r[2]) for r in rows]


def count_due(store: Store, today: date) -> int:
    row = store.conn.execute(
        f"SELECT count(*) FROM snabbrapport WHERE {_DUE}", (cutoff(store, today).isoformat(),)
    ).fetchone()
    return int(row[0])


def run(
    store: Store, today: date, *, dry_run: bool = False, progress: Progress | None = None
) -> GallringSummary:
    """Erase every due report's personal data (or, with ``dry_run``, only list them).
    ``progress``, if given, hears how many reports and backup copies are done."""
    summary = GallringSummary(
        rule(store), cutoff(store, today).isoformat(), due(store, today), dry_run
    )
    if dry_run:
        summary.files_left = export_log.personal_files_still_present(store.conn)
        return summary
    # A draft left unsaved holds the same kind of data and follows the same rule.
    day_after = datetime.combine(cutoff(store, today) + timedelta(days=1), datetime.min.time())
    summary.drafts = drafts.discard_older_than(store.conn, day_after)
    if not summary.due and not summary.drafts:
        summary.files_left = export_log.personal_files_still_present(store.conn)
        return summary
    tell = _teller(progress, len(summary.due), store.path)
    tell(0)
    with store.transaction():
        for done, report in enumerate(summary.due, start=1):
            if store.erase_personal(RTYPE, report.id):
                summary.erased += 1
            tell(done)
    _clear_traces(store, summary, drafts_before=day_after, scrubbed=tell)
    return summary


def erase_now(store: Store, record_id: str, *, progress: Progress | None = None) -> GallringSummary:
    """Erase one report's personal data at once, whatever its date. ``progress``, if
    given, hears how far it has come (the report, then the backup copies)."""
    row = store.conn.execute(
        "SELECT id, nr, date FROM snabbrapport WHERE id = ?", (record_id,)
    ).fetchone()
    if row is None:
        raise TryggError("record.missing", id=record_id)
    summary = GallringSummary(rule(store), "", [DueReport(row[0], row[1], row[2])], False)
    tell = _teller(progress, 1, store.path)
    if store.erase_personal(RTYPE, record_id):
        summary.erased = 1
        tell(1)
        _clear_traces(store, summary, scrubbed=tell)
    return summary


def _teller(progress: Progress | None, reports: int, db_path: Path) -> Callable[[int], None]:
    """``tell(done)`` for work on ``reports`` reports, then on each backup copy."""
    if progress is None:
        return lambda done: None
    total = reports + len(_backup_copies(db_path))
    return lambda done: progress(min(done, total), total)


def _clear_traces(
    store: Store,
    summary: GallringSummary,
    *,
    drafts_before: datetime | None = None,
    scrubbed: Callable[[int], None] | None = None,
) -> None:
    erased = [report.id for report in summary.due]
    after = len(summary.due)
    traces = clear_traces(
        store,
        erased,
        drafts_before=drafts_before,
        scrubbed=(lambda copies: scrubbed(after + copies)) if scrubbed else None,
    )
    summary.backups_scrubbed = traces.backups_scrubbed
    summary.drafts += traces.drafts
    summary.removed_files = traces.removed_files
    summary.files_left = traces.files_left


@dataclass
class Traces:
    """What clearing the traces of an erasure did."""

    backups_scrubbed: int = 0
    drafts: int = 0
    removed_files: list[Path] = field(default_factory=list)
    files_left: list[Path] = field(default_factory=list)


def clear_traces(
    store: Store,
    erased: Iterable[str],
    *,
    drafts_before: datetime | None = None,
    scrubbed: Callable[[int], None] | None = None,
) -> Traces:
    """After personal data was erased — here, or by a marker received from another device
    (db/sync/merge.py) — clear the copies this device keeps: the erasure markers go into
    every automatic backup copy, drafts editing the erased reports are discarded, this
    device's own mailbox files that carried personal data are removed, and the
    write-ahead log, which still holds the pages as they were, is emptied. With
    ``drafts_before``, the backup copies lose their drafts older than that too;
    ``scrubbed``, if given, hears how many copies are done."""
    markers = store.conn.execute(
        "SELECT ts, device, tbl, record_id, field, value, prev_ts, prev_device, scope"
        " FROM journal WHERE field = ?",
        (ERASED,),
    ).fetchall()
    traces = Traces()
    traces.drafts = drafts.discard_for_records(store.conn, RTYPE, erased)
    found = [tuple(m) for m in markers]
    traces.backups_scrubbed = scrub_backups(
        store.path, found, drafts_before=drafts_before, scrubbed=scrubbed
    )
    traces.removed_files = _remove_own_mailbox_files(store)
    traces.files_left = export_log.personal_files_still_present(store.conn)
    checkpoint(store.conn)
    return traces


def checkpoint(conn: sqlite3.Connection) -> None:
    """Move everything into the database file and empty the write-ahead log, which still
    holds the pages as they were before the erasure."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def scrub_backups(
    db_path: Path,
    markers: list[tuple],
    *,
    drafts_before: datetime | None = None,
    scrubbed: Callable[[int], None] | None = None,
) -> int:
    """Erase the same reports in every automatic backup copy: the same markers go into
    its journal (so a restored copy knows), the personal fields and their history go, and
    so do the copy's drafts of those reports (and, with ``drafts_before``, its drafts
    older than that, as gallring removes them here). Returns how many copies changed;
    ``scrubbed``, if given, hears how many copies are done after each."""
    if not (markers or drafts_before):
        return 0
    rt = record_type(RTYPE)
    changed = 0
    for done, copy in enumerate(_backup_copies(db_path), start=1):
        conn = sqlite3.connect(copy, isolation_level=None)
        try:
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("BEGIN IMMEDIATE")
            present = {
                r[0] for r in conn.execute("SELECT id FROM snabbrapport WHERE erased_date IS NULL")
            }
            wanted = [m for m in markers if m[2] == RTYPE and m[3] in present]
            for marker in wanted:
                conn.execute(
                    "INSERT OR IGNORE INTO journal (ts, device, tbl, record_id, field, value,"
                    " prev_ts, prev_device, scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    marker,
                )
                apply_erasure(conn, rt, marker[3], json.loads(marker[5])["date"])
            dropped = drafts.discard_for_records(conn, RTYPE, [m[3] for m in markers])
            if drafts_before is not None:
                dropped += drafts.discard_older_than(conn, drafts_before)
            conn.execute("COMMIT")
            if wanted or dropped:
                conn.execute("VACUUM")
                changed += 1
        except sqlite3.DatabaseError:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            # A damaged or foreign copy cannot be trusted to be erased: remove it.
            with contextlib.suppress(OSError):
                copy.unlink()
        finally:
            conn.close()
        if scrubbed:
            scrubbed(done)
    return changed


def _backup_copies(db_path: Path) -> list[Path]:
    """The automatic backup copies of the database at ``db_path``."""
    folder = backup_folder(db_path)
    return sorted(folder.glob("*.db")) if folder.is_dir() else []


def _remove_own_mailbox_files(store: Store) -> list[Path]:
    """This device's own files in mailbox folders that carried personal data."""
    from db.sync.mailbox import own_names

    own = own_names(store.require_device().id)
    removed = []
    for path in export_log.personal_files_still_present(store.conn):
        if path.name in own:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed
