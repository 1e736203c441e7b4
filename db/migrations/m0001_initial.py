"""Schema 1: device identity, clock, journal, version vectors and every record table.

References between records (walk_id, measure_id, …) are checked by the store when a person
writes, not by SQL foreign keys: sync delivers records in any order, and a merge must never
fail on a reference whose target arrives in a later file (DESIGN.md, "Sync by files").
"""

from __future__ import annotations

import sqlite3

from db.kommuner import KOMMUNER_BY_LAN
from db.migrations.schema import database, record_table, run_sql

#: What sqlite-utils cannot say: CHECK constraints and a partial unique index.
SQL = """
-- This device (is_self = 1) and every device heard of through files.
CREATE TABLE devices (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    org        TEXT CHECK (org IN ('polis', 'kommun')),
    kommun     TEXT,
    created_at TEXT NOT NULL,
    is_self    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX devices_one_self ON devices(is_self) WHERE is_self = 1;

-- The hybrid logical clock's last issued stamp.
CREATE TABLE clock (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    ms      INTEGER NOT NULL,
    counter INTEGER NOT NULL
);

-- One entry per changed field per write: the audit trail and the source of every export.
-- (ts, device) is the hybrid logical clock stamp; prev_* names the version it replaced.
CREATE TABLE journal (
    seq         INTEGER PRIMARY KEY,
    ts          INTEGER NOT NULL,
    device      TEXT NOT NULL,
    tbl         TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    field       TEXT NOT NULL,
    value       TEXT,
    prev_ts     INTEGER,
    prev_device TEXT,
    scope       TEXT NOT NULL CHECK (scope IN ('core', 'personal'))
);
"""

# The record tables: their fields in order (after ``id``, before ``deleted``), and indexes.
RECORDS: dict[str, tuple[dict[str, type], tuple[tuple[str, tuple[str, ...]], ...]]] = {
    "place": (
        {"name": str, "kommun": str, "lat": float, "lon": float, "note": str},
        (),
    ),
    "owner": (
        {"name": str, "kind": str, "contact": str, "email": str, "phone": str,
         "default_due_days": int},
        (),
    ),
    "walk": (
        {"kommun": str, "area": str, "date": str, "start_time": str, "end_time": str,
         "light": str, "weather": str, "participants": str, "organiser": str, "notes": str},
        (("walk_date", ("date",)),),
    ),
    "finding": (
        {"walk_id": str, "nr": int, "place": str, "place_id": str, "lat": float, "lon": float,
         "remark": str, "category": str, "positive": int, "owner_id": str, "status": str,
         "sent_date": str, "due_date": str, "fixed_date": str, "reject_reason": str,
         "notes": str, "measure_id": str},
        (("finding_walk", ("walk_id", "nr")), ("finding_owner", ("owner_id",))),
    ),
    "snabbrapport": (
        {"nr": int, "date": str, "time": str, "place": str, "place_id": str, "kommun": str,
         "name": str, "personnummer": str, "phone": str, "age": int, "sex": str,
         "seized": str, "seized_note": str, "ovrigt": str, "drunk": int,
         "carried_alcohol": int, "with_carrier": int, "custody": str, "custody_other": str,
         "guardian_contacted": str, "guardian_action": str, "guardian_action_other": str,
         "pm_social": str, "pm_sent_date": str, "obot": str, "alcohol_source": str,
         "officer": str, "group_id": str, "erased_date": str},
        (("snabbrapport_date", ("date", "time")),),
    ),
    "plan": (
        {"title": str, "kommuner": str, "start_date": str, "end_date": str,
         "agreement_ref": str, "followup_interval": str, "notes": str},
        (),
    ),
    "focus_area": (
        {"plan_id": str, "name": str, "position": int},
        (("focus_area_plan", ("plan_id",)),),
    ),
    "measure": (
        {"plan_id": str, "focus_area_id": str, "cause_nr": int, "cause": str,
         "activity": str, "goal": str, "goal_kind": str, "due_date": str, "start_date": str,
         "end_date": str, "one_off": int, "responsible": str, "partners": str,
         "citizen_promise": int, "rrule": str, "target_count": int, "status": str,
         "finding_id": str},
        (("measure_plan", ("plan_id", "focus_area_id")),),
    ),
    "progress": (
        {"measure_id": str, "date": str, "count": int, "people_reached": int, "hours": float,
         "note": str, "by": str},
        (("progress_measure", ("measure_id", "date")),),
    ),
    "followup": (
        {"measure_id": str, "period": str, "rating": str, "production_count": int,
         "production": str, "process": str, "effect": str},
        (("followup_measure", ("measure_id", "period")),),
    ),
}  # fmt: skip


def apply(conn: sqlite3.Connection) -> None:
    """Create schema 1. Runs inside the caller's transaction."""
    db = database(conn)
    db.create_table(
        "schema_migrations",
        {"version": int, "name": str, "applied_at": str},
        pk="version",
        not_null={"name", "applied_at"},
    )
    run_sql(conn, SQL)
    # Reference list of municipalities; records name their kommun as text.
    db.create_table("kommun", {"name": str, "lan": str}, pk="name", not_null={"lan"})
    db.create_table("settings", {"key": str, "value": str}, pk="key")
    db.table("journal").create_index(
        ["record_id", "field", "ts", "device"], "journal_entry", unique=True
    )
    db.table("journal").create_index(["device", "ts"], "journal_origin")
    # Version vectors per scope: the highest stamp held from each origin device.
    db.create_table(
        "vectors",
        {"scope": str, "device": str, "ts": int},
        pk=("scope", "device"),
        not_null={"scope", "device", "ts"},
    )
    for name, (fields, indexes) in RECORDS.items():
        record_table(db, name, fields, indexes=indexes)
    db.table("kommun").insert_all(
        {"name": name, "lan": lan} for lan, names in KOMMUNER_BY_LAN.items() for name in names
    )
