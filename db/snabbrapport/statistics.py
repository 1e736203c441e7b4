"""Follow-up statistics of quick reports — the reason the form exists.

Everything is counted in SQL, never report by report in Python, so a year of a whole
police area is counted at once: from the tally of reports per day and municipality that
triggers keep (``db/migrations/m0013_report_tally.py``), or, for one place, over the
statistics index of the report table. Nothing personal leaves
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
from db.migrations.m0013_report_tally import COUNTERS, answer_column, hour_column
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

    def tally_where(self) -> tuple[str, list[object]]:
        """The condition on the tally (``snabbrapport_tally``): the period and the
        municipality (the tally counts only reports not deleted; it knows no place)."""
        sql = "date >= ? AND date <= ?"
        params: list[object] = [self.start.isoformat(), self.end.isoformat()]
        if self.kommun:
            sql += " AND kommun = ? COLLATE NOCASE"
            params.append(self.kommun)
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
    """Count the reports ``wanted`` selects: from the tally, at most a row per day and
    municipality of the period, or, for one place, over the reports themselves; the
    individuals in the personnummer index's order (see ``_individuals``)."""
    if wanted.place:
        return _counted_from_reports(conn, wanted)
    where, params = wanted.tally_where()
    result = Statistics(wanted)
    columns = ["reports", *COUNTERS]
    sums = conn.execute(
        f"SELECT {', '.join(f'sum({c})' for c in columns)} FROM snabbrapport_tally WHERE {where}",
        params,
    ).fetchone()
    totals = {column: value or 0 for column, value in zip(columns, sums, strict=True)}
    result.reports = totals["reports"]
    for name, answers in [*CHOICES.items(), ("age_group", AGE_GROUPS)]:
        counts = {answer: totals[answer_column(name, answer)] for answer in answers}
        counts[NOT_ANSWERED] = result.reports - sum(counts.values())
        result.distributions[name] = counts
    result.ticks = {tick: totals[tick] for tick in TICKS}
    result.pm_sent = totals["pm_sent"]
    weekdays = {day: 0 for day in WEEKDAYS}
    for day, count in _per_date(conn, wanted):
        weekdays[str(date.fromisoformat(day).isoweekday())] += count
    result.distributions["weekday"] = weekdays
    result.distributions["hour"] = {hour: totals[hour_column(hour)] for hour in HOURS}
    result.individuals = _individuals(conn, *wanted.where())
    return result


def _per_date(conn: sqlite3.Connection, wanted: StatsFilter) -> list[tuple[str, int]]:
    """The number of reports on each date of the period that has any, in date order."""
    if wanted.place:
        where, params = wanted.where()
        sql = (
            f"SELECT date, count(*) FROM snabbrapport INDEXED BY snabbrapport_stats"
            f" WHERE {where} GROUP BY date"
        )
    else:
        where, params = wanted.tally_where()
        sql = f"SELECT date, sum(reports) FROM snabbrapport_tally WHERE {where} GROUP BY date"
    return [(day, count) for day, count in conn.execute(sql, params) if count]


def _counted_from_reports(conn: sqlite3.Connection, wanted: StatsFilter) -> Statistics:
    """The statistics of one place: one pass over the statistics index
    (``snabbrapport_stats`` holds every counted column, so the table is not read), one
    row per date in the index's order, without sorting, from which the totals, tick
    boxes, choices, ages and weekdays are added up; the hours grouped; the individuals
    in the personnummer index's order (see ``_individuals``)."""
    where, params = wanted.where()
    result = Statistics(wanted)
    questions = [*CHOICES.items(), ("age_group", AGE_GROUPS)]
    sums: list[str] = []
    for name, answers in questions:
        sums += _packed_counts([_answer_condition(name, answer) for answer in answers])
    # The tick boxes and the sent note are not exclusive: one count each.
    sums += [f"count(*) FILTER (WHERE {tick} = 1)" for tick in TICKS]
    sums.append("count(*) FILTER (WHERE pm_sent_date IS NOT NULL AND pm_sent_date != '')")
    totals = [[0] * _SLOTS for _ in sums]
    # The dates' packed sums are added up as they are, and unpacked only before a slot
    # could overflow into the next.
    packed, in_packed = [0] * len(sums), 0
    weekdays = {day: 0 for day in WEEKDAYS}
    for day, count, *row in conn.execute(
        f"SELECT date, count(*), {', '.join(sums)} FROM snabbrapport"
        f" INDEXED BY snabbrapport_stats WHERE {where} GROUP BY date",
        params,
    ):
        result.reports += count
        weekdays[str(date.fromisoformat(day).isoweekday())] += count
        if in_packed + count >= 1 << _SLOT_BITS:
            _unpack_into(totals, packed)
            packed, in_packed = [0] * len(sums), 0
        packed = [a + (b or 0) for a, b in zip(packed, row, strict=True)]
        in_packed += count
    _unpack_into(totals, packed)
    position = 0
    for name, answers in questions:
        counts, position = _counts_at(totals, position, len(answers))
        result.distributions[name] = dict(zip(answers, counts, strict=True))
        result.distributions[name][NOT_ANSWERED] = result.reports - sum(counts)
    result.ticks = {tick: totals[position + i][0] for i, tick in enumerate(TICKS)}
    result.pm_sent = totals[-1][0]
    result.distributions["weekday"] = weekdays
    hours = {hour: 0 for hour in HOURS}
    for hour, count in conn.execute(
        f"SELECT substr(time, 1, 2), count(*) FROM snabbrapport INDEXED BY snabbrapport_stats"
        f" WHERE {where} AND time IS NOT NULL GROUP BY 1",
        params,
    ):
        if hour in hours:  # a time not written HH:MM (never stored so) is not an hour
            hours[hour] += count
    result.distributions["hour"] = hours
    result.individuals = _individuals(conn, where, params)
    return result


#: Counts are carried three to an SQL integer, 21 bits each (up to 2,097,151 reports a
#: day): one aggregate step per question and row instead of one per answer, which is
#: what made counting slow.
_SLOT_BITS = 21
_SLOTS = 3


def _answer_condition(name: str, answer: str) -> str:
    if name == "age_group":
        return _AGE_CONDITIONS[answer]
    return f"{name} = '{answer}'"


def _packed_counts(conditions: list[str]) -> list[str]:
    """SQL sums counting the rows that meet each condition (exclusive ones: a row meets at
    most one), three counts to a sum, each in its own 21-bit slot."""
    sums = []
    for start in range(0, len(conditions), _SLOTS):
        whens = " ".join(
            f"WHEN {condition} THEN {1 << (_SLOT_BITS * slot)}"
            for slot, condition in enumerate(conditions[start : start + _SLOTS])
        )
        sums.append(f"sum(CASE {whens} ELSE 0 END)")
    return sums


def _unpack_into(totals: list[list[int]], packed: list[int]) -> None:
    """Add the counts packed in each sum (see ``_packed_counts``) to ``totals``."""
    mask = (1 << _SLOT_BITS) - 1
    for total, value in zip(totals, packed, strict=True):
        for slot in range(_SLOTS):
            total[slot] += (value >> (_SLOT_BITS * slot)) & mask


def _counts_at(totals: list[list[int]], position: int, how_many: int) -> tuple[list[int], int]:
    """``how_many`` counts from the packed totals starting at sum ``position``; and the
    position after them."""
    counts: list[int] = []
    while len(counts) < how_many:
        counts += totals[position][: how_many - len(counts)]
        position += 1
    return counts, position


def _individuals(conn: sqlite3.Connection, where: str, params: list[object]) -> int:
    """Each personnummer once; each report without one (or whose personal data is
    erased) as one. The distinct ones are read in the ``snabbrapport_person`` index's
    order, so no personnummer is sorted (or written to a temporary file) to be counted;
    the reports without one are found through the same index."""
    distinct = conn.execute(
        "SELECT count(DISTINCT personnummer) FROM snabbrapport INDEXED BY snabbrapport_person"
        f" WHERE {where} AND personnummer > ''",
        params,
    ).fetchone()[0]
    without = conn.execute(
        "SELECT count(*) FROM snabbrapport INDEXED BY snabbrapport_person"
        f" WHERE {where} AND (personnummer IS NULL OR personnummer = '')",
        params,
    ).fetchone()[0]
    return distinct + without


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
    included. (Counted per date, in date order, and added up here: a GROUP BY on the
    month would sort every report.)"""
    counts: dict[str, int] = {}
    for day, count in _per_date(conn, wanted):
        counts[day[:7]] = counts.get(day[:7], 0) + count
    months = []
    year, month = wanted.start.year, wanted.start.month
    while (year, month) <= (wanted.end.year, wanted.end.month):
        key = f"{year:04d}-{month:02d}"
        months.append((key, counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


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
