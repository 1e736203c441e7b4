"""Schema 1: device identity, clock, journal, version vectors and every record table.

References between records (walk_id, measure_id, …) are checked by the store when a person
writes, not by SQL foreign keys: sync delivers records in any order, and a merge must never
fail on a reference whose target arrives in a later file (DESIGN.md, "Sync by files").
"""

from __future__ import annotations

import sqlite3

from db.kommuner import KOMMUNER_BY_LAN
from db.migrations.statements import run_statements

SQL = """
CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

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

-- Reference list of municipalities (seeded below); records name their kommun as text.
CREATE TABLE kommun (
    name TEXT PRIMARY KEY,
    lan  TEXT NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT
);

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
CREATE UNIQUE INDEX journal_entry ON journal(record_id, field, ts, device);
CREATE INDEX journal_origin ON journal(device, ts);

-- Version vectors per scope: the highest stamp held from each origin device.
CREATE TABLE vectors (
    scope  TEXT NOT NULL,
    device TEXT NOT NULL,
    ts     INTEGER NOT NULL,
    PRIMARY KEY (scope, device)
);

CREATE TABLE place (
    id      TEXT PRIMARY KEY,
    name    TEXT,
    kommun  TEXT,
    lat     REAL,
    lon     REAL,
    note    TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE owner (
    id               TEXT PRIMARY KEY,
    name             TEXT,
    kind             TEXT,
    contact          TEXT,
    email            TEXT,
    phone            TEXT,
    default_due_days INTEGER,
    deleted          INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE walk (
    id           TEXT PRIMARY KEY,
    kommun       TEXT,
    area         TEXT,
    date         TEXT,
    start_time   TEXT,
    end_time     TEXT,
    light        TEXT,
    weather      TEXT,
    participants TEXT,
    organiser    TEXT,
    notes        TEXT,
    deleted      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX walk_date ON walk(date);

CREATE TABLE finding (
    id            TEXT PRIMARY KEY,
    walk_id       TEXT,
    nr            INTEGER,
    place         TEXT,
    place_id      TEXT,
    lat           REAL,
    lon           REAL,
    remark        TEXT,
    category      TEXT,
    positive      INTEGER,
    owner_id      TEXT,
    status        TEXT,
    sent_date     TEXT,
    due_date      TEXT,
    fixed_date    TEXT,
    reject_reason TEXT,
    notes         TEXT,
    measure_id    TEXT,
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX finding_walk ON finding(walk_id, nr);
CREATE INDEX finding_owner ON finding(owner_id);

CREATE TABLE snabbrapport (
    id                    TEXT PRIMARY KEY,
    nr                    INTEGER,
    date                  TEXT,
    time                  TEXT,
    place                 TEXT,
    place_id              TEXT,
    kommun                TEXT,
    name                  TEXT,
    personnummer          TEXT,
    phone                 TEXT,
    age                   INTEGER,
    sex                   TEXT,
    seized                TEXT,
    seized_note           TEXT,
    ovrigt                TEXT,
    drunk                 INTEGER,
    carried_alcohol       INTEGER,
    with_carrier          INTEGER,
    custody               TEXT,
    custody_other         TEXT,
    guardian_contacted    TEXT,
    guardian_action       TEXT,
    guardian_action_other TEXT,
    pm_social             TEXT,
    pm_sent_date          TEXT,
    obot                  TEXT,
    alcohol_source        TEXT,
    officer               TEXT,
    group_id              TEXT,
    erased_date           TEXT,
    deleted               INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX snabbrapport_date ON snabbrapport(date, time);

CREATE TABLE plan (
    id                TEXT PRIMARY KEY,
    title             TEXT,
    kommuner          TEXT,
    start_date        TEXT,
    end_date          TEXT,
    agreement_ref     TEXT,
    followup_interval TEXT,
    notes             TEXT,
    deleted           INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE focus_area (
    id       TEXT PRIMARY KEY,
    plan_id  TEXT,
    name     TEXT,
    position INTEGER,
    deleted  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX focus_area_plan ON focus_area(plan_id);

CREATE TABLE measure (
    id              TEXT PRIMARY KEY,
    plan_id         TEXT,
    focus_area_id   TEXT,
    cause_nr        INTEGER,
    cause           TEXT,
    activity        TEXT,
    goal            TEXT,
    goal_kind       TEXT,
    due_date        TEXT,
    start_date      TEXT,
    end_date        TEXT,
    one_off         INTEGER,
    responsible     TEXT,
    partners        TEXT,
    citizen_promise INTEGER,
    rrule           TEXT,
    target_count    INTEGER,
    status          TEXT,
    finding_id      TEXT,
    deleted         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX measure_plan ON measure(plan_id, focus_area_id);

CREATE TABLE progress (
    id             TEXT PRIMARY KEY,
    measure_id     TEXT,
    date           TEXT,
    count          INTEGER,
    people_reached INTEGER,
    hours          REAL,
    note           TEXT,
    by             TEXT,
    deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX progress_measure ON progress(measure_id, date);

CREATE TABLE followup (
    id               TEXT PRIMARY KEY,
    measure_id       TEXT,
    period           TEXT,
    rating           TEXT,
    production_count INTEGER,
    production       TEXT,
    process          TEXT,
    effect           TEXT,
    deleted          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX followup_measure ON followup(measure_id, period);
"""


def apply(conn: sqlite3.Connection) -> None:
    """Create schema 1. Runs inside the caller's transaction."""
    run_statements(conn, SQL)
    conn.executemany(
        "INSERT INTO kommun (name, lan) VALUES (?, ?)",
        [(name, lan) for lan, names in KOMMUNER_BY_LAN.items() for name in names],
    )
