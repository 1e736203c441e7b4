"""Follow-up statistics of quick reports — the reason the form exists.

Everything is counted in SQL over the report table (an index on date), never row by row
in Python, so a year of a whole police area is counted at once. Nothing personal leaves
this module: the personnummer is used only to count individuals (each one once, while it
exists; a report without one, or whose personal data is erased, counts as one).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from db.dates import parse_date
from db.errors import TryggError
from db.records import (
    ALCOHOL_SOURCE,
    CUSTODY,
    GUARDIAN_ACTION,
    GUARDIAN_CONTACTED,
    OBOT,
    SEX,
    YES_NO,
)

if TYPE_CHECKING:
    from db.store import Store

#: Unanswered questions are counted under this key.
NOT_ANSWERED = "-"
#: The age groups of the distribution (the form is about young people).
AGE_GROUPS = ("0-12", "13", "14", "15", "16", "17", "18+")
WEEKDAYS = ("1", "2", "3", "4", "5", "6", "7")  # Monday … Sunday (ISO)
HOURS = tuple(f"{h:02d}" for h in range(24))

#: The choice questions and their answers, in the paper form's order.
CHOICES: dict[str, tuple[str, ...]] = {
    "sex": SEX,
    "custody": CUSTODY,
    "guardian_contacted": GUARDIAN_CONTACTED,
    "guardian_action": GUARDIAN_ACTION,
    "pm_social": YES_NO,
    "obot": OBOT,
    "alcohol_source": ALCOHOL_SOURCE,
}
TICKS = ("drunk", "carried_alcohol", "with_carrier")


@dataclass(frozen=True)
class StatsFilter:
    """Which reports to count: a period (inclusive), optionally one municipality or place."""

    start: date
    end: date
    kommun: str | None = None
    place: str | None = None

    def where(self) -> tuple[str, list[object]]:
        sql = "deleted = 0 AND date >= ? AND date <= ?"
        params: list[object] = [self.start.isoformat(), self.end.isoformat()]
        if self.kommun:
            sql += " AND kommun = ? COLLATE NOCASE"
            params.append(self.kommun)
        if self.place:
            sql += " AND place = ? COLLATE NOCASE"
            params.append(self.place)
        return sql, params


@dataclass
class Statistics:
    """The counts for one filter. ``distributions`` maps a question (a field name, or
    ``age_group``, ``weekday``, ``hour``) to its answers' counts, every answer present."""

    filter: StatsFilter
    reports: int = 0
    individuals: int = 0
    #: Notes to social services actually sent (a sent date), beside ``pm_social``'s
    #: "ja" (agreed on the form, to be sent).
    pm_sent: int = 0
    ticks: dict[str, int] = field(default_factory=dict)
    distributions: dict[str, dict[str, int]] = field(default_factory=dict)

    def share(self, count: int) -> float:
        """``count`` as a share of the reports (0 when there are none)."""
        return count / self.reports if self.reports else 0.0


def statistics(conn: sqlite3.Connection, wanted: StatsFilter) -> Statistics:
    """Count the reports ``wanted`` selects: one scan for the totals, tick boxes, choices
    and ages; the weekdays from a count per date (the date index); the hours grouped."""
    where, params = wanted.where()
    result = Statistics(wanted)
    sums: list[tuple[str, str]] = []  # (question, answer) of each sum, in column order
    expressions = []
    for name, answers in CHOICES.items():
        for answer in answers:
            sums.append((name, answer))
            expressions.append(f"sum({name} = '{answer}')")
    for group, condition in _AGE_CONDITIONS.items():
        sums.append(("age_group", group))
        expressions.append(f"sum({condition})")
    row = conn.execute(
        "SELECT count(*), count(DISTINCT personnummer),"
        " sum(personnummer IS NULL OR personnummer = ''),"
        " sum(coalesce(drunk, 0)), sum(coalesce(carried_alcohol, 0)),"
        f" sum(coalesce(with_carrier, 0)), {', '.join(expressions)},"
        " sum(pm_sent_date IS NOT NULL AND pm_sent_date != '')"
        f" FROM snabbrapport WHERE {where}",
        params,
    ).fetchone()
    result.reports = row[0]
    result.individuals = (row[1] or 0) + (row[2] or 0)
    result.ticks = {name: row[3 + i] or 0 for i, name in enumerate(TICKS)}
    for name, answers in (*CHOICES.items(), ("age_group", AGE_GROUPS)):
        result.distributions[name] = {answer: 0 for answer in answers}
    result.pm_sent = row[-1] or 0
    for (name, answer), count in zip(sums, row[6:-1], strict=True):
        result.distributions[name][answer] = count or 0
    for counts in result.distributions.values():
        counts[NOT_ANSWERED] = result.reports - sum(counts.values())
    weekdays = {day: 0 for day in WEEKDAYS}
    for day, count in conn.execute(
        f"SELECT date, count(*) FROM snabbrapport WHERE {where} GROUP BY date", params
    ):
        weekdays[str(date.fromisoformat(day).isoweekday())] += count
    result.distributions["weekday"] = weekdays
    result.distributions["hour"] = _grouped(conn, "substr(time, 1, 2)", where, params, HOURS)
    return result


def compared(
    store: Store, periods: Sequence[StatsFilter], chart: StatsFilter
) -> tuple[list[Statistics], list[tuple[str, int]]]:
    """What the statistics screen shows, read through ``store``: the statistics of each
    of ``periods``, and the reports per month over ``chart``."""
    return [statistics(store.conn, p) for p in periods], monthly(store.conn, chart)


#: How each age group is recognised (the age at the event, stored with the report).
_AGE_CONDITIONS = {
    "0-12": "age <= 12",
    **{str(age): f"age = {age}" for age in range(13, 18)},
    "18+": "age >= 18",
}


def monthly(conn: sqlite3.Connection, wanted: StatsFilter) -> list[tuple[str, int]]:
    """Reports per month (``YYYY-MM``) over the filter's period, months without reports
    included."""
    where, params = wanted.where()
    counts = dict(
        conn.execute(
            f"SELECT substr(date, 1, 7), count(*) FROM snabbrapport WHERE {where}"
            " GROUP BY substr(date, 1, 7)",
            params,
        ).fetchall()
    )
    months = []
    year, month = wanted.start.year, wanted.start.month
    while (year, month) <= (wanted.end.year, wanted.end.month):
        key = f"{year:04d}-{month:02d}"
        months.append((key, counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _grouped(
    conn: sqlite3.Connection,
    expression: str,
    where: str,
    params: list[object],
    keys: tuple[str, ...],
) -> dict[str, int]:
    counts = {key: 0 for key in keys}
    for key, count in conn.execute(
        f"SELECT {expression}, count(*) FROM snabbrapport WHERE {where} GROUP BY 1", params
    ):
        counts[str(key)] = counts.get(str(key), 0) + count
    return counts


def read_day(text: str, today: date, label: str, lang: str | None = None) -> date:
    """A day of a period as people write it ("1/11", "igår"); a refusal names the field
    (``label``) it came from."""
    try:
        return parse_date(text, today)
    except TryggError as error:
        raise TryggError("stats.bad_date", option=label, reason=error.message(lang)) from None


def checked_period(
    start: date, end: date, kommun: str | None = None, place: str | None = None
) -> StatsFilter:
    """The filter for ``start``–``end``; refuses a period that ends before it starts."""
    if end < start:
        raise TryggError("stats.bad_period", start=start.isoformat(), end=end.isoformat())
    return StatsFilter(start, end, kommun, place)


def month_of(day: date) -> StatsFilter:
    """The calendar month ``day`` falls in."""
    start = day.replace(day=1)
    following = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
    return StatsFilter(start, following - timedelta(days=1))


def previous_period(wanted: StatsFilter) -> StatsFilter:
    """The period to compare ``wanted`` with, like with like: a whole calendar month with
    the month before; a month so far with the same days of the month before (1–2
    December with 1–2 November, not the whole of November); else as many days just
    before (a week with the week before)."""
    same_month = (wanted.start.year, wanted.start.month) == (wanted.end.year, wanted.end.month)
    if same_month and wanted.start.day == 1:
        this = month_of(wanted.start)
        month = month_of(wanted.start - timedelta(days=wanted.start.day))
        if wanted.start == this.start and wanted.end == this.end:
            return StatsFilter(month.start, month.end, wanted.kommun, wanted.place)
        last = month.end.day
        start = month.start.replace(day=min(wanted.start.day, last))
        end = month.start.replace(day=min(wanted.end.day, last))
        return StatsFilter(start, end, wanted.kommun, wanted.place)
    length = (wanted.end - wanted.start).days + 1
    end = wanted.start - timedelta(days=1)
    return StatsFilter(end - timedelta(days=length - 1), end, wanted.kommun, wanted.place)
