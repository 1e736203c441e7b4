"""Records and values in the users' words, for lists that mix record types (what a file
brought, the conflict list): "Anmärkning 5, Storgatan (Centrum 2026-10-02)".

Labels name a record by what people recognise it by — number, place, date, activity —
and never by personal data: a quick report is its number, date and place, not the
young person's name.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from db.i18n import msg
from db.records import TYPES, Kind, choice_label, type_label

if TYPE_CHECKING:
    from db.store import Store

#: How much of a long text a label shows.
SHORT = 48


def short(text: object, length: int = SHORT) -> str:
    """``text`` on one line, cut to ``length`` characters with an ellipsis."""
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def label_of(store: Store, rtype: str, record_id: str, lang: str | None = None) -> str:
    """``record_label`` read through ``store`` (for screens, which hold a store)."""
    return record_label(store.conn, rtype, record_id, lang)


def record_label(
    conn: sqlite3.Connection, rtype: str, record_id: str, lang: str | None = None
) -> str:
    """A one-line name for a record, deleted or not; the type and the start of its id
    when the record is not (or no longer) here."""
    if rtype not in TYPES:
        return record_id[:8]
    conn_row = conn.execute(f"SELECT * FROM {rtype} WHERE id = ?", (record_id,)).fetchone()
    if conn_row is None:
        return f"{type_label(rtype, lang)} {record_id[:8]}"
    row = _as_dict(conn, rtype, conn_row)
    name = type_label(rtype, lang)
    if rtype == "walk":
        text = msg("label.walk", lang, area=short(row["area"], 30), date=row["date"] or "?")
    elif rtype == "finding":
        walk = _row(conn, "walk", row.get("walk_id"))
        where = short(row.get("place") or row.get("remark"), 30)
        text = msg(
            "label.finding",
            lang,
            nr=row.get("nr") or "?",
            where=where,
            walk=short(walk.get("area"), 20) if walk else "?",
            date=walk.get("date", "?") if walk else "?",
        )
    elif rtype == "snabbrapport":
        text = msg(
            "label.snabbrapport",
            lang,
            nr=row.get("nr") or "?",
            date=row.get("date") or "?",
            place=short(row.get("place"), 30),
        )
    elif rtype in ("plan",):
        text = f"{name}: {short(row.get('title'))}"
    elif rtype in ("focus_area", "place", "owner"):
        text = f"{name}: {short(row.get('name'))}"
    elif rtype == "measure":
        text = f"{name}: {short(row.get('activity'))}"
    elif rtype == "progress":
        measure = _row(conn, "measure", row.get("measure_id"))
        text = msg(
            "label.progress",
            lang,
            date=row.get("date") or "?",
            activity=short(measure.get("activity") if measure else "?", 36),
        )
    elif rtype == "followup":
        measure = _row(conn, "measure", row.get("measure_id"))
        text = msg(
            "label.followup",
            lang,
            period=row.get("period") or "?",
            activity=short(measure.get("activity") if measure else "?", 36),
        )
    else:  # pragma: no cover - every type is named above
        text = f"{name} {record_id[:8]}"
    if row.get("deleted"):
        text += " " + msg("label.deleted", lang)
    return text


def value_text(rtype: str, field: str, value: Any, lang: str | None = None) -> str:
    """A field's value as a person reads it: choices in words, yes/no, lists joined."""
    if value is None or value == "" or value == []:
        return "–"
    rt = TYPES.get(rtype)
    kind = rt.field(field).kind if rt is not None and rt.has(field) else None
    if kind is Kind.BOOL or isinstance(value, bool):
        return msg("label.yes" if value else "label.no", lang)
    if kind is Kind.CHOICE and isinstance(value, str):
        return choice_label(rtype, field, value, lang)
    if isinstance(value, list):
        return ", ".join(_item(v) for v in value)
    return " ".join(str(value).split())


def _item(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values() if v)
    return str(value)


def _as_dict(conn: sqlite3.Connection, rtype: str, row: Any) -> dict[str, Any]:
    if isinstance(row, sqlite3.Row):
        return dict(row)
    columns = [c[1] for c in conn.execute(f"PRAGMA table_info({rtype})")]
    return dict(zip(columns, row, strict=False))


def _row(conn: sqlite3.Connection, rtype: str, record_id: object) -> dict[str, Any]:
    if not isinstance(record_id, str):
        return {}
    row = conn.execute(f"SELECT * FROM {rtype} WHERE id = ?", (record_id,)).fetchone()
    return _as_dict(conn, rtype, row) if row is not None else {}
