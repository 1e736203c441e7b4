"""The period a lägesbild covers and the one it is compared with: like with like and of
the same length — a quarter with the quarter before (or the same quarter a year
earlier), a month with the month before, any other span with as many days just before."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from db.dates import DateInputError, parse_date
from db.errors import TryggError
from db.i18n import msg
from db.plans.followup import period_range

#: What a period is compared with.
COMPARE = ("previous", "year")


@dataclass(frozen=True)
class Period:
    """Days ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise TryggError(
                "lagesbild.bad_period", start=self.start.isoformat(), end=self.end.isoformat()
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def months(self) -> int | None:
        """How many whole calendar months the period is, or None if it is not whole months."""
        if self.start.day != 1 or (self.end + timedelta(days=1)).day != 1:
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def label(self, lang: str | None = None) -> str:
        """ "kvartal 3 2026", "november 2026", "2026", else "2026-07-05 – 2026-08-04"."""
        months = self.months
        if months == 3 and self.start.month % 3 == 1:
            return msg("lagesbild.quarter", lang, n=(self.start.month - 1) // 3 + 1,
                       year=self.start.year)  # fmt: skip
        if months == 6 and self.start.month in (1, 7):
            return msg("followup.period.H", lang, n=1 if self.start.month == 1 else 2,
                       year=self.start.year)  # fmt: skip
        if months == 12 and self.start.month == 1:
            return str(self.start.year)
        if months == 1:
            return msg(f"lagesbild.month.{self.start.month}", lang) + f" {self.start.year}"
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def shifted(self, steps: int) -> Period:
        """The period ``steps`` lengths later (earlier when negative): whole months move by
        months, anything else by days."""
        months = self.months
        if months:
            start = self.start + relativedelta(months=months * steps)
            return Period(start, start + relativedelta(months=months) - timedelta(days=1))
        return Period(
            self.start + timedelta(days=self.days * steps),
            self.end + timedelta(days=self.days * steps),
        )


def compared(period: Period, compare: str = "previous") -> Period:
    """The period ``period`` is compared with: the one just before (``previous``) or the
    same days a year earlier (``year``)."""
    if compare == "year":
        if period.months:
            start = period.start - relativedelta(years=1)
            return Period(start, start + relativedelta(months=period.months) - timedelta(days=1))
        return Period(period.start - relativedelta(years=1), period.end - relativedelta(years=1))
    if compare != "previous":
        raise TryggError("lagesbild.bad_compare", compare=compare, choices=", ".join(COMPARE))
    return period.shifted(-1)


def quarter_of(day: date) -> Period:
    """The calendar quarter ``day`` falls in."""
    start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return Period(start, start + relativedelta(months=3) - timedelta(days=1))


def last_quarter(today: date) -> Period:
    """The last whole quarter before ``today`` (what the steering group is shown)."""
    return quarter_of(today).shifted(-1)


_SPLIT = re.compile(r"\s+(?:-|–|—|till|to)\s+|\s*(?:–|—|\.\.)\s*", re.IGNORECASE)


def read_period(text: str, today: date) -> Period:
    """A period as typed: a quarter ("2026-Q3", "2026 q3"), a half-year ("2026-H1"), a
    year ("2026"), a month ("2026-09"), or two days ("2026-07-01 – 2026-09-30",
    "1/7 - 30/9"). Raises TryggError."""
    raw = " ".join((text or "").split())
    compact = raw.upper().replace(" ", "-")
    if re.fullmatch(r"\d{4}-\d{1,2}", compact):
        year, month = (int(x) for x in compact.split("-"))
        if 1 <= month <= 12:
            start = date(year, month, 1)
            return Period(start, start + relativedelta(months=1) - timedelta(days=1))
    if re.fullmatch(r"\d{4}(-(H[12]|Q[1-4]))?", compact):
        return Period(*period_range(compact))
    parts = [p for p in _SPLIT.split(raw) if p]
    if len(parts) == 2:
        try:
            return Period(parse_date(parts[0], today), parse_date(parts[1], today))
        except DateInputError:
            pass
    raise TryggError("lagesbild.bad_period_text", text=raw[:40])
