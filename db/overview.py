"""The figures on the overview (Översikt): what needs attention, at a glance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from db.journal.clock import clocks_ahead
from db.peers import all_peers
from db.peers import names as device_names
from db.plans.deadlines import deadlines
from db.plans.progress import plan_progress
from db.records import PERSONAL
from db.store import Store

#: After this many days with changes not sent, the overview reminds gently.
REMIND_AFTER_DAYS = 7
#: How far ahead the overview counts deadlines.
DEADLINE_DAYS = 14


@dataclass(frozen=True)
class Overview:
    open_findings: int
    overdue_findings: int
    reports_week: int
    reports_month: int
    #: Reports answered "PM: Ja" whose note has not been written yet; None on a
    #: municipality's device (the police write the notes, with the names it never gets).
    pm_due: int | None
    #: Measures of running plans behind their rhythm, or past their due date unfinished.
    measures_behind: int
    #: Deadlines in the next DEADLINE_DAYS days (measures due, production due, follow-ups).
    deadlines_soon: int
    unsent_changes: int
    #: ISO time (UTC) of the last file written or read, None if there has been none.
    last_exchange: str | None
    #: ISO date of the oldest change not yet sent, None if everything has been sent.
    oldest_unsent: str | None
    #: Per colleague's device, most recent first: (name, ISO time of the last file
    #: exchanged with it either way, or None).
    exchanges: tuple[tuple[str, str | None], ...] = ()
    #: Unresolved sync conflicts.
    open_conflicts: int = 0
    #: Devices whose clock runs more than a day ahead: (name, day of their furthest
    #: stamp). Their changes still lose to a later edit here (db/journal/versions.py).
    clocks_ahead: tuple[tuple[str, date], ...] = ()

    def remind_to_send(self, today: date) -> bool:
        """True when changes have waited to be sent for a week or more."""
        return bool(
            self.unsent_changes
            and self.oldest_unsent
            and self.oldest_unsent <= (today - timedelta(days=REMIND_AFTER_DAYS)).isoformat()
        )


#: The settings that say when a file was last written, and up to which stamp of each
#: scope this device's changes have been written to a file (``db.sync.exporter``'s
#: LAST_EXPORT and SENT_UPTO; not imported from there: the exporter imports cryptography
#: and pyrage, and the overview is counted while the app draws its first screen).
LAST_EXPORT = "last_export_at"
SENT_UPTO = "sent_upto.{scope}"


def overview(store: Store, today: date) -> Overview:
    """Count what the overview shows. Cheap at 100,000 records: every count uses an index."""
    conn = store.conn
    iso = today.isoformat()
    open_sql = (
        "FROM finding f JOIN walk w ON w.id = f.walk_id WHERE f.deleted = 0 AND w.deleted = 0"
        " AND coalesce(f.positive, 0) = 0 AND coalesce(f.status, 'ny') IN ('ny', 'skickad')"
    )
    open_findings = conn.execute(f"SELECT count(*) {open_sql}").fetchone()[0]
    overdue = conn.execute(f"SELECT count(*) {open_sql} AND f.due_date < ?", (iso,)).fetchone()[0]
    monday = (today - timedelta(days=today.weekday())).isoformat()
    first = today.replace(day=1).isoformat()
    reports = "SELECT count(*) FROM snabbrapport WHERE deleted = 0 AND date >= ? AND date <= ?"
    week = conn.execute(reports, (monday, iso)).fetchone()[0]
    month = conn.execute(reports, (first, iso)).fetchone()[0]
    device = store.device
    pm_due = None
    if device is None or device.writes_notes:
        pm_due = conn.execute(
            "SELECT count(*) FROM snabbrapport WHERE deleted = 0 AND pm_social = 'ja'"
            " AND pm_sent_date IS NULL AND erased_date IS NULL"
        ).fetchone()[0]
    behind = _measures_behind(store, today)
    soon = len(deadlines(store, today, today + timedelta(days=DEADLINE_DAYS)))
    unsent, oldest = unsent_changes(store)
    exchanges = [store.setting(LAST_EXPORT)]
    per_peer = []
    for peer in all_peers(store.conn):
        exchanges += [peer.last_heard, peer.last_sent]
        times = [e for e in (peer.last_heard, peer.last_sent) if e]
        per_peer.append((peer.name, max(times) if times else None))
    per_peer.sort(key=lambda pair: pair[1] or "", reverse=True)
    known = [e for e in exchanges if e]
    open_conflicts = conn.execute("SELECT count(*) FROM conflicts").fetchone()[0]
    names = device_names(conn)
    ahead = tuple(
        (names.get(a.device, a.device[:8]), a.newest.as_datetime().date())
        for a in clocks_ahead(conn, store._wall())
    )
    return Overview(
        open_findings=open_findings,
        overdue_findings=overdue,
        reports_week=week,
        reports_month=month,
        pm_due=pm_due,
        measures_behind=behind,
        deadlines_soon=soon,
        unsent_changes=unsent,
        last_exchange=max(known) if known else None,
        oldest_unsent=oldest,
        exchanges=tuple(per_peer),
        open_conflicts=open_conflicts,
        clocks_ahead=ahead,
    )


def _measures_behind(store: Store, today: date) -> int:
    """Open measures behind their rhythm, or past their due date."""
    iso = today.isoformat()
    progress = plan_progress(store, today)
    count = 0
    for m in store.records("measure"):
        if m.get("status") in ("genomford", "installd"):
            continue
        overdue = bool(m.get("due_date") and m["due_date"] < iso)
        if overdue or progress[m["id"]].behind:
            count += 1
    return count


def unsent_changes(store: Store) -> tuple[int, str | None]:
    """Changes made on this device and not yet written to any file, and when the oldest
    was made. Personal changes count too: colleagues in the police need them."""
    device = store.device
    if device is None:
        return 0, None
    total, oldest_ms = 0, None
    for scope in ("core", PERSONAL):
        upto = int(store.setting(SENT_UPTO.format(scope=scope)) or 0)
        count, first_ts = store.conn.execute(
            "SELECT count(*), min(ts) FROM journal WHERE device = ? AND ts > ? AND scope = ?",
            (device.id, upto, scope),
        ).fetchone()
        total += count
        if first_ts is not None:
            ms = first_ts >> 16
            oldest_ms = ms if oldest_ms is None else min(oldest_ms, ms)
    if oldest_ms is None:
        return total, None
    return total, datetime.fromtimestamp(oldest_ms / 1000, UTC).date().isoformat()
