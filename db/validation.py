"""Validation and normalisation of field values, shared by the store, the CLI and the TUI.

Values arrive from forms, JSON Lines and CSV (where everything is text); they leave as the
one canonical form the store keeps: ISO dates, ``HH:MM`` times, ints, floats, bools, choice
codes, lists. Every refusal is a :class:`FieldProblem` with a message key, so the caller
shows it in the user's language.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from db.dates import parse_iso_date, parse_iso_time
from db.errors import FieldProblem, ValidationFailed
from db.ids import is_id
from db.kommuner import canonical_kommun
from db.personnummer import PersonnummerError, parse_personnummer
from db.records import Field, Kind, RecordType, record_type

#: A report may be dated this far ahead of the device clock (clocks drift).
CLOCK_SLACK = timedelta(minutes=5)
_PERIOD_RE = re.compile(r"^\d{4}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$")
_TRUE = {"true", "1", "ja", "yes", "j", "y", "x", "sant"}
_FALSE = {"false", "0", "nej", "no", "n", "falskt"}


class Refused(Exception):
    """A value that cannot be cleaned; ``key`` names the reason."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


#: SQLite's integers are 64 bits; no count, number or day count in Trygg comes near.
_INT_LIMIT = 2**63 - 1
_INT_DIGITS = 19
#: Longer number texts are refused before conversion (Python refuses more than 4,300
#: digits anyway, and no coordinate or hour count needs more than a few).
_REAL_DIGITS = 40


def clean_value(f: Field, value: Any) -> Any:
    """The canonical form of ``value`` for field ``f`` (None for empty); raises Refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    cleaner = _CLEANERS[f.kind]
    return cleaner(f, value)


def _clean_text(f: Field, value: Any) -> str:
    if not isinstance(value, str):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Refused("value.not_text")
        value = str(value)
    text = value.strip() if f.kind is Kind.TEXT else value.strip("\r\n ").replace("\r\n", "\n")
    if "\x00" in text:
        raise Refused("value.nul")
    if len(text) > f.max_length:
        raise Refused("value.too_long", max=f.max_length)
    return text


def _clean_int(f: Field, value: Any) -> int:
    if isinstance(value, bool):
        raise Refused("value.not_int")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        stripped = value.strip().replace(" ", "").replace("\u00a0", "")
        if not re.fullmatch(r"-?\d+", stripped):
            raise Refused("value.not_int")
        if len(stripped.lstrip("-")) > _INT_DIGITS:
            raise Refused("value.number_too_long")
        value = int(stripped)
    if not isinstance(value, int):
        raise Refused("value.not_int")
    if not -_INT_LIMIT <= value <= _INT_LIMIT:  # beyond what SQLite stores as an integer
        raise Refused("value.number_too_long")
    _check_range(f, value)
    return value


def _clean_real(f: Field, value: Any) -> float:
    if isinstance(value, bool):
        raise Refused("value.not_number")
    if isinstance(value, str):
        stripped = value.strip().replace(",", ".")
        if not re.fullmatch(r"-?\d+(\.\d+)?", stripped):
            raise Refused("value.not_number")
        if len(stripped) > _REAL_DIGITS:
            raise Refused("value.number_too_long")
        value = float(stripped)
    if not isinstance(value, int | float):
        raise Refused("value.not_number")
    try:
        value = float(value)
    except OverflowError:  # an integer too large for a float
        raise Refused("value.number_too_long") from None
    if not math.isfinite(value):
        raise Refused("value.not_number")
    _check_range(f, value)
    return value


def _check_range(f: Field, value: float) -> None:
    if f.minimum is not None and value < f.minimum:
        raise Refused("value.too_small", min=_fmt_num(f.minimum))
    if f.maximum is not None and value > f.maximum:
        raise Refused("value.too_large", max=_fmt_num(f.maximum))


def _fmt_num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _clean_bool(f: Field, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise Refused("value.not_bool")


def _clean_date(f: Field, value: Any) -> str:
    parsed = parse_iso_date(value.strip() if isinstance(value, str) else value)
    if parsed is None:
        raise Refused("value.not_date", text=str(value)[:40])
    if parsed.year < 1900:
        raise Refused("date.year_range", year=parsed.year)
    return parsed.isoformat()


def _clean_time(f: Field, value: Any) -> str:
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and re.fullmatch(r"\d:\d{2}", text):
        text = "0" + text
    parsed = parse_iso_time(text)
    if parsed is None:
        raise Refused("value.not_time", text=str(value)[:40])
    return parsed.strftime("%H:%M")


def _clean_choice(f: Field, value: Any) -> str:
    code = value.strip().lower() if isinstance(value, str) else value
    if code not in f.choices:
        raise Refused("value.not_choice", choices=", ".join(f.choices))
    return code


def _clean_ref(f: Field, value: Any) -> str:
    text = value.strip().lower() if isinstance(value, str) else value
    if not is_id(text):
        raise Refused("value.not_id")
    return text


def _clean_textlist(f: Field, value: Any) -> list[str] | None:
    if isinstance(value, str):
        value = _decode_list_text(value)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Refused("value.not_list")
    items = [v.strip() for v in value if v.strip()]
    for item in items:
        if len(item) > f.max_length:
            raise Refused("value.too_long", max=f.max_length)
    return items or None


def _decode_list_text(text: str) -> Any:
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            return json.loads(stripped)
        except json.JSONDecodeError:
            raise Refused("value.not_list") from None
    return [part for part in re.split(r"[|\n]", stripped)]


def _clean_participants(f: Field, value: Any) -> list[dict[str, Any]] | None:
    if isinstance(value, str):
        value = _decode_list_text(value)
        if value and all(isinstance(v, str) for v in value):
            value = [_participant_from_text(v) for v in value if v.strip()]
    if not isinstance(value, list):
        raise Refused("value.not_participants")
    cleaned = []
    for item in value:
        if not isinstance(item, Mapping) or set(item) - {"group", "count"}:
            raise Refused("value.not_participants")
        group, count = item.get("group"), item.get("count")
        if not isinstance(group, str) or not group.strip() or len(group) > f.max_length:
            raise Refused("value.not_participants")
        if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
            raise Refused("value.not_participants")
        if count is not None and not 0 <= count <= 100_000:
            raise Refused("value.not_participants")
        cleaned.append({"group": group.strip(), "count": count})
    return cleaned or None


def _participant_from_text(text: str) -> dict[str, Any]:
    group, _, count = text.rpartition(":")
    if not group:
        return {"group": text.strip(), "count": None}
    if not count.strip().isdigit():
        raise Refused("value.not_participants")
    return {"group": group.strip(), "count": int(count)}


def _clean_rrule(f: Field, value: Any) -> str:
    if not isinstance(value, str):
        raise Refused("value.not_rrule")
    text = value.strip().upper()
    text = text.removeprefix("RRULE:")
    if len(text) > f.max_length or "\n" in text:
        raise Refused("value.not_rrule")
    try:
        from dateutil.rrule import rrulestr  # slow to import; only measure forms need it

        rrulestr(text, dtstart=datetime(2020, 1, 1))
    except (ValueError, TypeError, KeyError):
        raise Refused("value.not_rrule") from None
    return text


def _clean_period(f: Field, value: Any) -> str:
    text = value.strip().upper() if isinstance(value, str) else value
    if not isinstance(text, str) or not _PERIOD_RE.match(text):
        raise Refused("value.not_period")
    return text


_CLEANERS = {
    Kind.TEXT: _clean_text,
    Kind.LONGTEXT: _clean_text,
    Kind.INT: _clean_int,
    Kind.REAL: _clean_real,
    Kind.BOOL: _clean_bool,
    Kind.DATE: _clean_date,
    Kind.TIME: _clean_time,
    Kind.CHOICE: _clean_choice,
    Kind.REF: _clean_ref,
    Kind.TEXTLIST: _clean_textlist,
    Kind.PARTICIPANTS: _clean_participants,
    Kind.RRULE: _clean_rrule,
    Kind.PERIOD: _clean_period,
}


def validate(
    rtype: str,
    changes: Mapping[str, Any],
    current: Mapping[str, Any] | None,
    now: datetime,
) -> dict[str, Any]:
    """Clean ``changes`` to a record of type ``rtype`` and check the record they make.

    ``current`` is the stored record for an update, None for a new record. Returns the
    cleaned changes plus the fields the store derives (age and sex from a personnummer).
    Raises :class:`ValidationFailed` listing every problem.
    """
    rt = record_type(rtype)
    problems: list[FieldProblem] = []
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        if not rt.has(name):
            problems.append(FieldProblem(name, "field.unknown"))
            continue
        f = rt.field(name)
        try:
            cleaned[name] = _official_kommun(name, clean_value(f, value))
        except Refused as refusal:
            problems.append(FieldProblem(name, refusal.key, refusal.params))

    merged = {name: None for name in rt.names}
    if current:
        merged.update({k: v for k, v in current.items() if k in merged})
    merged.update(cleaned)

    for f in rt.fields:
        if f.required and merged.get(f.name) is None and f.name not in _problem_fields(problems):
            problems.append(FieldProblem(f.name, "value.required"))

    _check_dates_not_future(rt, merged, cleaned, now, problems)
    _check_record_rules(rt, merged, cleaned, current, problems)
    if problems:
        raise ValidationFailed(rtype, problems)
    return cleaned


def _official_kommun(name: str, value: Any) -> Any:
    """Municipality names in their official spelling when recognised ("lycksele" →
    "Lycksele"); anything else (a district, a joint name) is kept as typed."""
    if name == "kommun" and isinstance(value, str):
        return canonical_kommun(value) or value
    if name == "kommuner" and isinstance(value, list):
        return [canonical_kommun(v) or v for v in value]
    return value


def _problem_fields(problems: list[FieldProblem]) -> set[str]:
    return {p.field for p in problems}


def _check_dates_not_future(
    rt: RecordType,
    merged: dict[str, Any],
    cleaned: dict[str, Any],
    now: datetime,
    problems: list[FieldProblem],
) -> None:
    for f in rt.fields:
        if not f.not_future or f.name not in cleaned or cleaned[f.name] is None:
            continue
        when = datetime.combine(date.fromisoformat(cleaned[f.name]), datetime.min.time())
        # A stored time not written HH:MM (behind the form's back) is left out of the
        # check rather than breaking the edit: the date is checked alone.
        clock = parse_iso_time(merged.get("time")) if rt.has("time") and f.name == "date" else None
        if clock is not None:
            when = when.replace(hour=clock.hour, minute=clock.minute)
            if when > now + CLOCK_SLACK:
                problems.append(FieldProblem(f.name, "value.future_datetime"))
        elif when.date() > now.date():
            problems.append(FieldProblem(f.name, "value.future_date"))


def _check_record_rules(
    rt: RecordType,
    merged: dict[str, Any],
    cleaned: dict[str, Any],
    current: Mapping[str, Any] | None,
    problems: list[FieldProblem],
) -> None:
    if rt.has("start_date") and merged.get("start_date") and merged.get("end_date"):
        if merged["end_date"] < merged["start_date"]:
            problems.append(FieldProblem("end_date", "value.end_before_start"))
    if rt.name == "snabbrapport":
        _check_snabbrapport(merged, cleaned, current, problems)


def _check_snabbrapport(
    merged: dict[str, Any],
    cleaned: dict[str, Any],
    current: Mapping[str, Any] | None,
    problems: list[FieldProblem],
) -> None:
    pnr_text = merged.get("personnummer")
    report_date = parse_iso_date(merged.get("date"))
    if pnr_text and report_date and ("personnummer" in cleaned or "date" in cleaned):
        try:
            number = parse_personnummer(pnr_text, report_date)
        except PersonnummerError as error:
            problems.append(FieldProblem("personnummer", error.key, error.params))
        else:
            cleaned["personnummer"] = number.canonical()
            cleaned["age"] = number.age_at(report_date)
            cleaned["sex"] = number.sex
    erased = merged.get("erased_date") is not None
    # Who the report is about is asked for when it is written and whenever the name or
    # personnummer changes; a change to the other fields leaves that question alone, so a
    # municipal device, which never holds them, can still change what it holds.
    identity = current is None or any(
        name in cleaned and cleaned[name] != current.get(name) for name in ("name", "personnummer")
    )
    if identity and not erased and not merged.get("name") and not merged.get("personnummer"):
        if "personnummer" not in _problem_fields(problems):
            problems.append(FieldProblem("name", "value.name_or_pnr"))
