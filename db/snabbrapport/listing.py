"""The list of quick reports after the night: filters for period, place, municipality,
officer, custody and the note to social services, and a search, paged from SQL.

Search is a plain ``LIKE`` over the report's own columns, not a full-text index: an FTS
index keeps copies of erased names in its segments, and gallring must leave none.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from db.errors import TryggError
from db.store import Store

#: Custody filter: everyone, anyone taken into custody, or one kind.
CUSTODY_FILTERS: tuple[str, ...] = ("alla", "omhandertagna", "lob", "pl12", "pl13", "annat", "nej")
#: Note-to-social-services filter: all, to be sent (answered Ja, not sent), sent, none.
PM_FILTERS: tuple[str, ...] = ("alla", "att_skicka", "skickat", "inget")

_CUSTODY_SQL = {
    "alla": "1",
    "omhandertagna": "r.custody IN ('lob', 'pl12', 'pl13', 'annat')",
    "lob": "r.custody = 'lob'",
    "pl12": "r.custody = 'pl12'",
    "pl13": "r.custody = 'pl13'",
    "annat": "r.custody = 'annat'",
    "nej": "r.custody = 'nej'",
}
_PM_SQL = {
    "alla": "1",
    "att_skicka": "r.pm_social = 'ja' AND r.pm_sent_date IS NULL",
    "skickat": "r.pm_sent_date IS NOT NULL",
    "inget": "coalesce(r.pm_social, 'nej') = 'nej' AND r.pm_sent_date IS NULL",
}


@dataclass(frozen=True)
class ReportFilter:
    """Which quick reports a list shows (dates as ISO text; empty means any)."""

    date_from: str | None = None
    date_to: str | None = None
    kommun: str | None = None
    place: str | None = None
    officer: str | None = None
    custody: str = "alla"
    pm: str = "alla"
    text: str = ""
    group_id: str | None = None


@dataclass(frozen=True)
class ReportRow:
    id: str
    nr: int
    date: str
    time: str
    place: str | None
    kommun: str | None
    name: str | None
    age: int | None
    sex: str | None
    custody: str | None
    pm_social: str | None
    pm_sent_date: str | None
    officer: str | None
    erased: bool
    group_id: str | None


def _query(flt: ReportFilter) -> tuple[str, dict[str, Any]]:
    if flt.custody not in CUSTODY_FILTERS:
        raise TryggError("filter.bad_status", status=flt.custody)
    if flt.pm not in PM_FILTERS:
        raise TryggError("filter.bad_status", status=flt.pm)
    where = ["r.deleted = 0", _CUSTODY_SQL[flt.custody], _PM_SQL[flt.pm]]
    params: dict[str, Any] = {}
    for name, column, op in (
        ("date_from", "r.date", ">="),
        ("date_to", "r.date", "<="),
        ("kommun", "r.kommun", "="),
        ("group_id", "r.group_id", "="),
    ):
        value = getattr(flt, name)
        if value:
            where.append(f"{column} {op} :{name}")
            params[name] = value
    for name in ("place", "officer"):
        value = (getattr(flt, name) or "").strip()
        if value:
            where.append(f"r.{name} LIKE :{name} ESCAPE '\\'")
            params[name] = _like(value)
    words = flt.text.split()
    for i, word in enumerate(words[:6]):
        key = f"w{i}"
        params[key] = _like(word)
        alternatives = [
            f"r.{column} LIKE :{key} ESCAPE '\\'"
            for column in ("name", "place", "personnummer", "ovrigt", "officer", "phone")
        ]
        if word.isdigit():
            alternatives.append(f"r.nr = :{key}_nr")
            params[f"{key}_nr"] = int(word)
        where.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(where), params


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def count_reports(store: Store, flt: ReportFilter) -> int:
    """How many reports the filter shows."""
    where, params = _query(flt)
    sql = f"SELECT count(*) FROM snabbrapport r WHERE {where}"
    return int(store.conn.execute(sql, params).fetchone()[0])


#: SQLite steps a search may spend reading reports newest first (a few ms) before it
#: reads them in table order instead and sorts the few it found.
NEWEST_FIRST_STEPS = 50_000


def list_reports(
    store: Store, flt: ReportFilter, *, offset: int = 0, limit: int = 100
) -> list[ReportRow]:
    """One page of reports, newest first."""
    where, params = _query(flt)
    params.update(limit=limit, offset=offset)

    def page(order: str) -> str:
        return f"""
        SELECT r.id, r.nr, r.date, r.time, r.place, r.kommun, r.name, r.age, r.sex,
            r.custody, r.pm_social, r.pm_sent_date, r.officer, r.erased_date IS NOT NULL,
            r.group_id
        FROM snabbrapport r WHERE {where}
        ORDER BY {order}, r.time DESC, r.nr DESC
        LIMIT :limit OFFSET :offset"""

    if flt.text.split():
        # Read newest first (a common word fills the page from the latest reports at
        # once) but only for a while: a word in few reports or none made that read every
        # report by the date index, in date order, half a second at 100,000 on the
        # screen's own thread for each letter typed. Then in table order, sorting what
        # matched: the same page, a tenth of the time for a rare word.
        rows = _within(store, page("r.date DESC"), params, NEWEST_FIRST_STEPS)
        if rows is None:
            rows = store.conn.execute(page("+r.date DESC"), params).fetchall()
    else:
        rows = store.conn.execute(page("r.date DESC"), params).fetchall()
    return [ReportRow(*row[:13], bool(row[13]), row[14]) for row in rows]  # type: ignore[call-arg]


def _within(
    store: Store, sql: str, params: dict[str, Any], steps: int
) -> list[tuple[Any, ...]] | None:
    """The rows of ``sql``, or None if SQLite needs more than about ``steps`` steps."""
    conn = store.conn
    spent = [0]
    every = max(1, min(10_000, steps))

    def budget() -> int:
        spent[0] += every
        return 1 if spent[0] > steps else 0

    conn.set_progress_handler(budget, every)
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as error:
        if "interrupt" not in str(error):
            raise
        return None
    finally:
        conn.set_progress_handler(None, every)


def report_kommuner(store: Store) -> list[str]:
    """Municipalities with quick reports, for the filter's autocomplete."""
    return store.distinct("snabbrapport", "kommun")


def report_officers(store: Store) -> list[str]:
    """Officers named on quick reports, for the filter's autocomplete."""
    return store.distinct("snabbrapport", "officer")
