"""Views that show a Trygg database the way the app shows it, for the tools people open a
SQLite file with (``sqlite-utils rows``, the ``sqlite3`` shell, Datasette, DB Browser).

One view per record type (``walks_view``, ``findings_view``, ``quick_reports_view``,
``measures_view`` …): deleted records and the records of deleted walks and plans are left
out, choices and yes/no are in the users' words (Swedish, the app's default language),
lists are joined into text, and each reference (``walk_id``) has beside it the name of
what it refers to (``walk_name``). Columns keep the field names of the records interchange
format (docs/records.md).

The views are derived from the record registry (``db.records``). A migration that changes
the records or their words calls ``create_views`` again; it replaces them. (A view names
its table's columns: SQLite refuses ``DROP COLUMN`` under it, and sqlite-utils'
``transform(drop=…)`` leaves it broken until ``create_views`` runs.)
"""

from __future__ import annotations

import sqlite3

from db.i18n import msg
from db.records import TYPES, Kind, RecordType, choice_label

LANG = "sv"

#: The view of each record type.
VIEWS: dict[str, str] = {
    "walk": "walks_view",
    "finding": "findings_view",
    "snabbrapport": "quick_reports_view",
    "place": "places_view",
    "owner": "owners_view",
    "plan": "plans_view",
    "focus_area": "focus_areas_view",
    "measure": "measures_view",
    "progress": "progress_view",
    "followup": "followups_view",
}

#: How a referenced record is named: an SQL expression over its table's alias ``r``.
_NAMES: dict[str, str] = {
    "walk": "r.area || ' ' || coalesce(r.date, '')",
    "finding": "'Nr ' || coalesce(r.nr, '?') || ': ' || coalesce(r.place, r.remark, '')",
    "place": "r.name",
    "owner": "r.name",
    "plan": "r.title",
    "focus_area": "r.name",
    "measure": "r.activity",
}

#: The parent whose deletion hides a record (its own tombstone aside).
_PARENTS: dict[str, tuple[str, str]] = {
    "finding": ("walk_id", "walk"),
    "focus_area": ("plan_id", "plan"),
    "measure": ("plan_id", "plan"),
    "progress": ("measure_id", "measure"),
    "followup": ("measure_id", "measure"),
}

_ORDER: dict[str, str] = {
    "walk": "t.date DESC, t.area",
    "finding": "walk_name, t.nr",
    "snabbrapport": "t.date DESC, t.time DESC, t.nr DESC",
    "plan": "t.title",
    "focus_area": "plan_name, t.position",
    "measure": "plan_name, focus_area_name, t.cause_nr",
    "progress": "measure_name, t.date",
    "followup": "measure_name, t.period",
}


#: Choices the app reads a missing answer as (a finding nobody has handled is new).
_MISSING_MEANS: dict[tuple[str, str], str] = {("finding", "status"): "ny"}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _column(rt: RecordType, name: str) -> list[str]:
    f = rt.field(name)
    col = f"t.{name}"
    if (rt.name, name) in _MISSING_MEANS:
        col = f"coalesce({col}, {_literal(_MISSING_MEANS[rt.name, name])})"
    if f.kind is Kind.CHOICE:
        cases = " ".join(
            f"WHEN {_literal(code)} THEN {_literal(choice_label(rt.name, name, code, LANG))}"
            for code in f.choices
        )
        return [f"CASE {col} {cases} ELSE {col} END AS {name}"]
    if f.kind is Kind.BOOL:
        yes, no = _literal(msg("label.yes", LANG)), _literal(msg("label.no", LANG))
        return [f"CASE {col} WHEN 1 THEN {yes} WHEN 0 THEN {no} END AS {name}"]
    # Lists are JSON: read with json_each, the one JSON function SQLite lets a view use
    # while ``trusted_schema`` is off (as Trygg's own connection has it).
    if f.kind is Kind.TEXTLIST:
        return [f"(SELECT group_concat(j.value, ', ') FROM json_each({col}) j) AS {name}"]
    if f.kind is Kind.PARTICIPANTS:
        return [
            f"(SELECT group_concat(g.value || ': ' || n.value, ', ') FROM json_each({col}) j,"
            f" json_each(j.value, '$.group') g, json_each(j.value, '$.count') n) AS {name}"
        ]
    if f.kind is Kind.REF and f.ref in _NAMES:
        label = name.removesuffix("_id") + "_name"
        named = f"(SELECT {_NAMES[f.ref]} FROM {f.ref} r WHERE r.id = {col}) AS {label}"
        return [col, named]
    return [col]


def view_sql(rtype: str) -> str:
    """The ``CREATE VIEW`` statement of ``rtype``'s view."""
    rt = TYPES[rtype]
    columns = ["t.id"] + [c for name in rt.names for c in _column(rt, name)]
    where = ["t.deleted = 0"]
    if rtype in _PARENTS:
        ref, parent = _PARENTS[rtype]
        where.append(f"{ref} IN (SELECT id FROM {parent} WHERE deleted = 0)")
    order = f"\nORDER BY {_ORDER[rtype]}" if rtype in _ORDER else ""
    return (
        f"CREATE VIEW {VIEWS[rtype]} AS\nSELECT\n    "
        + ",\n    ".join(columns)
        + f"\nFROM {rtype} t\nWHERE "
        + " AND ".join(where)
        + order
    )


def drop_views(conn: sqlite3.Connection) -> None:
    """Remove the views (before a migration changes a table one of them reads)."""
    for view in VIEWS.values():
        conn.execute(f"DROP VIEW IF EXISTS {view}")


def create_views(conn: sqlite3.Connection) -> None:
    """(Re)create every view. Runs inside the caller's transaction."""
    for rtype, view in VIEWS.items():
        conn.execute(f"DROP VIEW IF EXISTS {view}")
        conn.execute(view_sql(rtype))
