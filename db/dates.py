"""Dates and times as people type them, in Swedish or English.

The parser is deliberately strict about years: ``2230`` is not a date (python-dateutil
would make it the year 2230), a two-digit year means 20YY, and years outside 1900 .. ten
years ahead are refused. Errors raise :class:`DateInputError` with a ``date.*``/``time.*``
message key.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from db.errors import TryggError

MONTHS = {
    "jan": 1,
    "januari": 1,
    "january": 1,
    "feb": 2,
    "februari": 2,
    "february": 2,
    "mar": 3,
    "mars": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "maj": 5,
    "may": 5,
    "jun": 6,
    "juni": 6,
    "june": 6,
    "jul": 7,
    "juli": 7,
    "july": 7,
    "aug": 8,
    "augusti": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "okt": 10,
    "oct": 10,
    "oktober": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
WEEKDAYS = {
    "måndag": 0,
    "mån": 0,
    "monday": 0,
    "mon": 0,
    "tisdag": 1,
    "tis": 1,
    "tuesday": 1,
    "tue": 1,
    "onsdag": 2,
    "ons": 2,
    "wednesday": 2,
    "wed": 2,
    "torsdag": 3,
    "tor": 3,
    "thursday": 3,
    "thu": 3,
    "fredag": 4,
    "fre": 4,
    "friday": 4,
    "fri": 4,
    "lördag": 5,
    "lör": 5,
    "saturday": 5,
    "sat": 5,
    "söndag": 6,
    "sön": 6,
    "sunday": 6,
    "sun": 6,
}
RELATIVE = {
    "idag": 0,
    "i dag": 0,
    "today": 0,
    "nu": 0,
    "now": 0,
    "igår": -1,
    "i går": -1,
    "yesterday": -1,
    "i förrgår": -2,
    "förrgår": -2,
    "imorgon": 1,
    "i morgon": 1,
    "tomorrow": 1,
}

MIN_YEAR = 1900
FUTURE_YEARS = 10


class DateInputError(TryggError):
    """Typed text that is not a usable date or time."""


def parse_date(text: str, today: date, *, allow_future: bool = True) -> date:
    """Understand ``text`` as a date relative to ``today``.

    Accepts ``2026-11-21``, ``20261121``, ``261121``, ``21/11``, ``21.11.2026``,
    ``21 nov``, ``21 november 2026``, ``idag``/``today``, ``igår``/``yesterday`` and a
    weekday name (the latest such day, today included).
    """
    raw = " ".join((text or "").strip().lower().replace(",", " ").split())
    if not raw:
        raise DateInputError("date.empty")
    result = _parse_date(raw, today)
    if not MIN_YEAR <= result.year <= today.year + FUTURE_YEARS:
        raise DateInputError("date.year_range", year=result.year)
    if not allow_future and result > today:
        raise DateInputError("date.future", date=result.isoformat())
    return result


def _parse_date(raw: str, today: date) -> date:
    if raw in RELATIVE:
        return today + timedelta(days=RELATIVE[raw])
    if raw in WEEKDAYS:
        return today - timedelta(days=(today.weekday() - WEEKDAYS[raw]) % 7)

    patterns: list[tuple[str, tuple[str, str, str]]] = [
        (r"(\d{4})-(\d{1,2})-(\d{1,2})", ("y", "m", "d")),
        (r"(\d{4})(\d{2})(\d{2})", ("y", "m", "d")),
        (r"(\d{2})(\d{2})(\d{2})", ("y", "m", "d")),
        (r"(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})", ("d", "m", "y")),
        (r"(\d{1,2})[./](\d{1,2})", ("d", "m", "")),
    ]
    for pattern, order in patterns:
        match = re.fullmatch(pattern, raw)
        if match:
            parts = dict(zip(order, match.groups(), strict=False))
            return _build(parts.get("y"), parts["m"], parts["d"], today)

    match = re.fullmatch(r"(\d{1,2})\.? ?([a-zåäö]+)\.?(?: (\d{4}))?", raw)
    if match and match.group(2) in MONTHS:
        return _build(match.group(3), str(MONTHS[match.group(2)]), match.group(1), today)
    match = re.fullmatch(r"([a-zåäö]+)\.? (\d{1,2})(?: (\d{4}))?", raw)
    if match and match.group(1) in MONTHS:
        return _build(match.group(3), str(MONTHS[match.group(1)]), match.group(2), today)
    raise DateInputError("date.unreadable", text=raw)


def _build(year: str | None, month: str, day: str, today: date) -> date:
    if year is None:
        y = today.year
    elif len(year) == 2:
        y = 2000 + int(year)
    else:
        y = int(year)
    try:
        return date(y, int(month), int(day))
    except ValueError as exc:
        raise DateInputError("date.impossible", text=f"{y}-{month}-{day}") from exc


def parse_time(text: str) -> time:
    """Understand ``text`` as a time of day: ``22:30``, ``22.30``, ``2230``, ``22``,
    ``kl 22``, ``kl. 22.30``."""
    raw = (text or "").strip().lower()
    raw = re.sub(r"^kl\.?\s*", "", raw)
    if not raw:
        raise DateInputError("time.empty")
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?", raw) or re.fullmatch(
        r"(\d{1,2})(\d{2})", raw
    )
    if not match:
        raise DateInputError("time.unreadable", text=raw)
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise DateInputError("time.impossible", text=raw)
    return time(hour, minute)


def parse_iso_date(value: object) -> date | None:
    """``YYYY-MM-DD`` exactly, or None."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_iso_time(value: object) -> time | None:
    """``HH:MM`` exactly, or None."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{2}:\d{2}", value):
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        return None


#: How a moment (a file written, a change stamped) is shown: to the minute, local time.
MOMENT_FORMAT = "%Y-%m-%d %H:%M"


def local_moment(iso: str) -> str:
    """An ISO time (UTC, as files and logs keep it) in this computer's time zone; the
    text itself, cut to the minute, if it is not one."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime(MOMENT_FORMAT)
    except ValueError:
        return iso[:16]


def moment_of_ms(ms: int) -> str:
    """A journal stamp's milliseconds since the epoch, in this computer's time zone."""
    return datetime.fromtimestamp(ms / 1000).strftime(MOMENT_FORMAT)
