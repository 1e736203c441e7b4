"""``trygg doctor``: a health check that reports anything odd, changing nothing.

Each finding has a level: ``error`` (something is broken: integrity, a record out of step
with its journal, missing keys), ``warning`` (needs a person: duplicate numbers after a
merge, stamps from a clock running ahead, personal data overdue for erasure, a refused
key) or ``info`` (figures worth knowing). Nothing personal is ever named: a duplicate
personnummer is shown by report numbers only.
"""

from __future__ import annotations

import itertools
import sqlite3
from dataclasses import dataclass, field
from datetime import date

from db import peers
from db.backup import backup_folder
from db.journal import chains
from db.journal.clock import clocks_ahead
from db.journal.conflicts import JOURNAL_COLUMNS
from db.journal.versions import current_versions
from db.migrations.m0003_lists import SEARCHED
from db.migrations.schema import database
from db.protect import gallring, keys
from db.protect.keys import own_secrets
from db.records import TYPES
from db.store import Store
from db.sync.merge import column_value
from db.views import VIEWS

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Finding:
    level: str
    key: str
    params: dict[str, object] = field(default_factory=dict)


def check(store: Store, today: date) -> list[Finding]:
    """Every check, in order of importance."""
    conn = store.conn
    found: list[Finding] = []
    found += _integrity(conn)
    if not any(f.level == ERROR for f in found):
        found += _schema(conn)
    if any(f.level == ERROR for f in found):
        return found  # a damaged file makes every further answer unreliable
    if own_secrets(conn) is None:
        found.append(Finding(ERROR, "doctor.no_keys"))
    found += _journal_consistency(conn)
    found += _authenticity(conn)
    found += _duplicates(conn)
    found += _future_stamps(store)
    due = gallring.count_due(store, today)
    if due:
        found.append(Finding(WARNING, "doctor.gallring_due", {"count": due}))
    refused = conn.execute(
        "SELECT name FROM devices WHERE offered_key IS NOT NULL ORDER BY name"
    ).fetchall()
    for (name,) in refused:
        found.append(Finding(WARNING, "doctor.offered_key", {"name": name}))
    found += _figures(store)
    return found


def _integrity(conn: sqlite3.Connection) -> list[Finding]:
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    except sqlite3.DatabaseError as exc:
        return [Finding(ERROR, "doctor.integrity", {"detail": str(exc)})]
    if rows == ["ok"]:
        return [Finding(INFO, "doctor.integrity_ok")]
    return [Finding(ERROR, "doctor.integrity", {"detail": "; ".join(rows[:3])})]


#: Tables every check below reads, besides the record tables.
_CORE_TABLES = ("devices", "clock", "journal", "vectors", "settings", "conflicts")


def _schema(conn: sqlite3.Connection) -> list[Finding]:
    """The tables, columns, views and search indexes this Trygg expects, read by sqlite-utils'
    introspection: something missing means the file was changed outside Trygg."""
    db = database(conn)
    missing = [name for name in (*_CORE_TABLES, *TYPES) if not db[name].exists()]
    for name, rt in TYPES.items():
        if name not in missing:
            columns = db[name].columns_dict
            missing += [f"{name}.{c}" for c in ("id", "deleted", *rt.names) if c not in columns]
    if missing:
        return [Finding(ERROR, "doctor.schema", {"missing": ", ".join(missing)})]
    found = []
    views = [view for view in VIEWS.values() if view not in db.view_names()]
    if views:
        found.append(Finding(WARNING, "doctor.views_missing", {"views": ", ".join(views)}))
    fts5 = set(db.table_names(fts5=True))
    unindexed = [table for table in SEARCHED if f"{table}_fts" not in fts5]
    if unindexed:
        found.append(Finding(WARNING, "doctor.search_missing", {"tables": ", ".join(unindexed)}))
    return found or [Finding(INFO, "doctor.schema_ok")]


def _journal_consistency(conn: sqlite3.Connection) -> list[Finding]:
    """Each record's row must hold its current journal value for every field (the merge's
    own rule, db/journal/versions.py); every row must have a history and every history a row."""
    found: list[Finding] = []
    out_of_step: dict[str, int] = {}
    orphans = 0
    for name, rt in TYPES.items():
        columns = [f.name for f in rt.fields]
        index = {c: i for i, c in enumerate(columns)}
        rows = {r[0]: r[1:] for r in conn.execute(f"SELECT id, {', '.join(columns)} FROM {name}")}
        journal = conn.execute(
            f"SELECT record_id, {JOURNAL_COLUMNS} FROM journal WHERE tbl = ? ORDER BY record_id",
            (name,),
        )
        with_history = set()
        for record_id, entries in itertools.groupby(journal, key=lambda r: r[0]):
            with_history.add(record_id)
            row = rows.get(record_id)
            if row is None:
                orphans += 1
                continue
            newest = current_versions(entry[1:] for entry in entries)
            if any(
                column_value(rt, field, value) != row[index[field]]
                for field, (_ts, _device, value) in newest.items()
                if field in index
            ):
                out_of_step[name] = out_of_step.get(name, 0) + 1
        missing = len(set(rows) - with_history)
        if missing:
            found.append(Finding(WARNING, "doctor.no_history", {"type": name, "count": missing}))
    for name, count in out_of_step.items():
        found.append(Finding(ERROR, "doctor.out_of_step", {"type": name, "count": count}))
    if orphans:
        found.append(Finding(ERROR, "doctor.orphans", {"count": orphans}))
    if not found:
        found.append(Finding(INFO, "doctor.journal_ok"))
    return found


def _authenticity(conn: sqlite3.Connection) -> list[Finding]:
    """Every entry re-verified against its origin's chain and signed heads
    (docs/authenticity.md): those that do not hold are named by their origin."""
    device = peers.this_device(conn)
    reports = chains.verify_journal(conn, device.id if device else "", keys.verify)
    names = peers.names(conn)
    found = []
    for rep in sorted(reports.values(), key=lambda r: names.get(r.device, r.device)):
        name = names.get(rep.device, rep.device[:8])
        if rep.broken:
            found.append(Finding(ERROR, "doctor.unproved", {"name": name, "count": rep.broken}))
        if rep.hearsay:
            found.append(Finding(WARNING, "doctor.hearsay_key", {"name": name}))
    proved = sum(r.proved for r in reports.values())
    older = sum(r.older for r in reports.values())
    if not any(r.broken for r in reports.values()):
        found.append(Finding(INFO, "doctor.proved", {"count": proved}))
    if older:
        found.append(Finding(INFO, "doctor.older_entries", {"count": older}))
    return found


def _duplicates(conn: sqlite3.Connection) -> list[Finding]:
    found: list[Finding] = []
    for area, day, nr, count in conn.execute(
        "SELECT w.area, w.date, f.nr, count(*) FROM finding f JOIN walk w ON w.id = f.walk_id"
        " WHERE f.deleted = 0 GROUP BY f.walk_id, f.nr HAVING count(*) > 1"
    ):
        params = {"walk": f"{area or '–'} {day or ''}".strip(), "nr": nr, "count": count}
        found.append(Finding(WARNING, "doctor.duplicate_finding", params))
    for nr, count in conn.execute(
        "SELECT nr, count(*) FROM snabbrapport WHERE deleted = 0 GROUP BY nr HAVING count(*) > 1"
    ):
        found.append(Finding(WARNING, "doctor.duplicate_report", {"nr": nr, "count": count}))
    for numbers, day in conn.execute(
        "SELECT group_concat(nr, ', '), date FROM (SELECT nr, date, personnummer"
        " FROM snabbrapport WHERE deleted = 0 AND personnummer IS NOT NULL ORDER BY nr)"
        " GROUP BY personnummer, date HAVING count(*) > 1"
    ):
        found.append(Finding(WARNING, "doctor.same_person", {"numbers": numbers, "date": day}))
    return found


def _future_stamps(store: Store) -> list[Finding]:
    names = peers.names(store.conn)
    return [
        Finding(
            WARNING,
            "doctor.future",
            {"name": names.get(ahead.device, ahead.device[:8]), "count": ahead.count},
        )
        for ahead in clocks_ahead(store.conn, store._wall())
    ]


def _figures(store: Store) -> list[Finding]:
    conn = store.conn
    found = [
        Finding(
            INFO,
            "doctor.size",
            {
                "journal": conn.execute("SELECT count(*) FROM journal").fetchone()[0],
                "devices": conn.execute("SELECT count(*) FROM devices").fetchone()[0],
            },
        )
    ]
    conflicts = conn.execute("SELECT count(*) FROM conflicts").fetchone()[0]
    if conflicts:
        found.append(Finding(INFO, "doctor.conflicts", {"count": conflicts}))
    copies = sorted(backup_folder(store.path).glob("*.db"))
    if copies:
        found.append(
            Finding(INFO, "doctor.backups", {"count": len(copies), "newest": copies[-1].name})
        )
    else:
        found.append(Finding(INFO, "doctor.no_backups"))
    return found
