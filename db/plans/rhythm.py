"""A measure's rhythm in the words people use ("varje månad", "varje fredag och lördag",
"en gång om året", "minst 4 per kvartal"), stored as an RFC 5545 RRULE, and how many
times it should have been done by a given day.

Each occurrence of a rhythm's rule is the day by which one more should be done: the last
day of each month for "every month", every Friday and Saturday for "every Friday and
Saturday". So halfway through a month a monthly measure is not behind yet, and a rule for
"every month" never skips February (a plain ``FREQ=MONTHLY`` from the 31st would).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from db.errors import TryggError

#: Period words → the rule whose occurrences are that period's last day.
PERIOD_RULES: dict[str, str] = {
    "dag": "FREQ=DAILY",
    "vecka": "FREQ=WEEKLY;BYDAY=SU",
    "varannan_vecka": "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU",
    "manad": "FREQ=MONTHLY;BYMONTHDAY=-1",
    "kvartal": "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1",
    "halvar": "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1",
    "ar": "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31",
}
#: Bare rules (from other tools, or typed) read as "every period", due at its end.
_BARE = {
    "FREQ=DAILY": "dag",
    "FREQ=WEEKLY": "vecka",
    "FREQ=WEEKLY;INTERVAL=2": "varannan_vecka",
    "FREQ=MONTHLY": "manad",
    "FREQ=MONTHLY;INTERVAL=3": "kvartal",
    "FREQ=MONTHLY;INTERVAL=6": "halvar",
    "FREQ=YEARLY": "ar",
}


def canonical_rule(rule: str) -> str:
    """``rule`` with a bare period ("FREQ=MONTHLY") as the rule due at each period's end."""
    bare = rule.strip().upper().removeprefix("RRULE:")
    return PERIOD_RULES[_BARE[bare]] if bare in _BARE else bare


_PERIOD_WORDS = {
    "dag": "dag", "dagen": "dag", "dygn": "dag", "day": "dag",
    "vecka": "vecka", "veckan": "vecka", "week": "vecka",
    "månad": "manad", "månaden": "manad", "manad": "manad", "month": "manad",
    "kvartal": "kvartal", "kvartalet": "kvartal", "quarter": "kvartal",
    "halvår": "halvar", "halvåret": "halvar", "halvar": "halvar", "half-year": "halvar",
    "år": "ar", "året": "ar", "ar": "ar", "year": "ar",
}  # fmt: skip
_WEEKDAYS = {
    "måndag": "MO", "tisdag": "TU", "onsdag": "WE", "torsdag": "TH", "fredag": "FR",
    "lördag": "SA", "söndag": "SU", "monday": "MO", "tuesday": "TU", "wednesday": "WE",
    "thursday": "TH", "friday": "FR", "saturday": "SA", "sunday": "SU",
}  # fmt: skip
_NUMBER_WORDS = {"en": 1, "ett": 1, "one": 1, "once": 1, "två": 2, "two": 2, "twice": 2,
                 "tre": 3, "three": 3, "fyra": 4, "four": 4}  # fmt: skip


@dataclass(frozen=True)
class Rhythm:
    """How often a measure is to be done: ``times`` per occurrence of ``rule``."""

    rule: str
    times: int = 1


def parse_rhythm(text: str) -> Rhythm:
    """Read a rhythm in plain Swedish (or English) words, or a raw RRULE.

    "varje månad" · "varje vecka" · "varannan vecka" · "varje fredag och lördag" ·
    "en gång om året" · "varje kvartal" · "minst 4 per kvartal" · "2 gånger i månaden" ·
    "every month" · "every Friday and Saturday" · "at least 3 per month".
    Raises TryggError("rhythm.unknown") for anything else.
    """
    words = " ".join(text.strip().lower().replace(",", " ").split())
    if not words:
        raise TryggError("rhythm.unknown", text=text)
    if words.upper().startswith(("FREQ=", "RRULE:")):
        rule = canonical_rule(words)
        _check(rule, text)
        return Rhythm(rule)
    days = [code for word, code in _WEEKDAYS.items() if re.search(rf"\b{word}(ar|s)?\b", words)]
    if days and re.search(r"\b(varje|every|alla|varannan)\b", words):
        ordered = [d for d in ("MO", "TU", "WE", "TH", "FR", "SA", "SU") if d in days]
        interval = ";INTERVAL=2" if "varannan" in words else ""
        return Rhythm(f"FREQ=WEEKLY{interval};BYDAY={','.join(ordered)}")
    if re.search(r"\bvarannan vecka\b|\bevery other week\b", words):
        return Rhythm(PERIOD_RULES["varannan_vecka"])
    period = None
    for token in reversed(re.findall(r"[\wåäö-]+", words)):
        if token in _PERIOD_WORDS:
            period = _PERIOD_WORDS[token]
            break
    if period is None:
        raise TryggError("rhythm.unknown", text=text)
    times = 1
    number = re.search(r"\b(\d{1,4})\b", words)
    if number:
        times = int(number.group(1))
    else:
        for word, value in _NUMBER_WORDS.items():
            if re.search(rf"\b{word}\b", words):
                times = value
                break
    if times < 1:
        raise TryggError("rhythm.unknown", text=text)
    return Rhythm(PERIOD_RULES[period], times)


def _check(rule: str, text: str) -> None:
    try:
        _rrulestr(rule, dtstart=datetime(2020, 1, 1))
    except (ValueError, TypeError, KeyError):
        raise TryggError("rhythm.unknown", text=text) from None


def describe(rule: str | None, times: int | None, lang: str | None = None) -> str:
    """The rhythm in plain words again, for showing ("4 per kvartal")."""
    from db.i18n import msg

    if not rule:
        return msg("rhythm.none", lang)
    rule = canonical_rule(rule)
    count = times or 1
    for period, known in PERIOD_RULES.items():
        if rule == known:
            key = "rhythm.every" if count == 1 else "rhythm.times_per"
            return msg(key, lang, times=count, period=msg(f"rhythm.period.{period}", lang))
    match = re.fullmatch(r"FREQ=WEEKLY(;INTERVAL=2)?;BYDAY=([A-Z,]+)", rule)
    if match:
        names = [msg(f"rhythm.day.{d}", lang) for d in match.group(2).split(",")]
        key = "rhythm.every_other_days" if match.group(1) else "rhythm.every_days"
        return msg(key, lang, days=msg("rhythm.and", lang).join(names))
    return rule


def occurrences(rule: str, start: date, end: date) -> list[date]:
    """The days in [start, end] by which one more is due."""
    if end < start:
        return []
    parsed = _rrulestr(rule, dtstart=datetime.combine(start, time()))
    return [
        d.date()
        for d in parsed.between(
            datetime.combine(start, time()), datetime.combine(end, time()), inc=True
        )
    ]


def expected_by(rhythm: Rhythm, start: date, today: date, end: date | None = None) -> int:
    """How many should be done by ``today`` for a measure running from ``start`` (to
    ``end``, if it has one)."""
    last = min(today, end) if end else today
    return len(occurrences(canonical_rule(rhythm.rule), start, last)) * rhythm.times


def next_due(rhythm: Rhythm, start: date, today: date, end: date | None = None) -> date | None:
    """The next day (after ``today``) by which one more is due, None when the measure ends
    before it."""
    parsed = _rrulestr(canonical_rule(rhythm.rule), dtstart=datetime.combine(start, time()))
    after = parsed.after(datetime.combine(max(today, start), time()), inc=today < start)
    if after is None or (end and after.date() > end):
        return None
    return after.date()


def _rrulestr(rule: str, dtstart: datetime) -> Any:
    """dateutil's ``rrulestr``, imported when a rhythm is first read (slow to import, and
    the overview, drawn at start, imports this module)."""
    from dateutil.rrule import rrulestr

    return rrulestr(rule, dtstart=dtstart)
