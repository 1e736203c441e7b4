"""The plans' deadlines as an iCalendar file (RFC 5545) a coordinator opens in Outlook,
Thunderbird or a phone: one all-day event per deadline, with a stable UID so that
importing a newer file updates the events instead of doubling them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from db.i18n import msg
from db.plans.deadlines import Deadline, deadlines
from db.plans.followup import period_label
from db.reports import free_path, write_text
from db.store import Store

#: How far ahead the calendar reaches by default.
HORIZON_DAYS = 365


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Lines of at most 75 octets; continuation lines start with a space (RFC 5545 3.1)."""
    out, current = [], ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def summary(deadline: Deadline, lang: str | None = None) -> str:
    """What the calendar shows for a deadline."""
    if deadline.kind == "followup":
        return msg(
            "calendar.followup",
            lang,
            period=period_label(deadline.period or "", lang),
            plan=deadline.plan_title,
        )
    if deadline.kind == "plan_end":
        return msg("calendar.plan_end", lang, plan=deadline.plan_title)
    key = "calendar.due" if deadline.kind == "due" else "calendar.rhythm"
    return msg(key, lang, activity=" ".join((deadline.activity or "").split()))


def ical(found: list[Deadline], stamp: datetime, lang: str | None = None) -> str:
    """The deadlines as an iCalendar text (CRLF line ends, as the standard wants)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Trygg//Deadlines//SV",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(msg('calendar.name', lang))}",
    ]
    stamped = stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    for d in found:
        uid = f"{d.kind}-{d.measure_id or d.plan_id}-{d.day.isoformat()}@trygg"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTAMP:{stamped}",
            f"DTSTART;VALUE=DATE:{d.day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(d.day + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(summary(d, lang))}",
            f"DESCRIPTION:{_escape(d.plan_title)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))


def write_calendar(
    store: Store,
    folder: Path,
    today: date,
    *,
    plan_id: str | None = None,
    days: int = HORIZON_DAYS,
    lang: str | None = None,
) -> tuple[Path, int]:
    """Write the deadlines from today over ``days`` days; returns the path and the
    number of events."""
    found = deadlines(store, today, today + timedelta(days=days), plan_id=plan_id)
    path = free_path(folder, msg("calendar.file", lang), ".ics")
    write_text(path, ical(found, store.now(), lang))
    return path, len(found)
