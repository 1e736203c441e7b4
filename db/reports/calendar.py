"""The plans' deadlines as an iCalendar file (RFC 5545, written by the ``icalendar``
library) that a coordinator opens in Outlook, Thunderbird or a phone: one all-day event per
deadline.

Importing a newer file must update the events it already holds, not double them or leave
stale ones behind. So an event's UID names what the deadline is, never its date: a measure's
own deadline, a plan's end and a follow-up period keep their UID when their date moves. (An
occurrence of a rhythm is its date, so its UID holds the date.) SEQUENCE counts the changes
to what the event shows, and LAST-MODIFIED is the time of the latest, both read from the
journal, so a calendar sees that an event it holds has changed.

User text is shown with control and bidirectional characters as visible stand-ins, and a
carriage return cannot start a line of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event

from db.i18n import msg
from db.journal.clock import Stamp
from db.plans.deadlines import Deadline, deadlines
from db.plans.followup import period_label
from db.reports import free_path, write_text
from db.store import Store
from db.textutil import printable

#: How far ahead the calendar reaches by default.
HORIZON_DAYS = 365

#: The fields each kind of deadline shows (record type → fields): a change to any of them
#: is a new version of the event.
_SHOWN: dict[str, dict[str, tuple[str, ...]]] = {
    "due": {"measure": ("due_date", "activity"), "plan": ("title",)},
    "rhythm": {
        "measure": ("rrule", "activity", "start_date", "end_date"),
        "plan": ("title", "start_date", "end_date"),
    },
    "followup": {"plan": ("title", "followup_interval", "end_date")},
    "plan_end": {"plan": ("title", "end_date")},
}


@dataclass(frozen=True)
class Version:
    """How often an event's content has changed, and when it last did."""

    sequence: int = 0
    modified: datetime | None = None


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


def uid(deadline: Deadline) -> str:
    """The event's identity: what the deadline is, not the day it falls on."""
    if deadline.kind == "due":
        return f"due-{deadline.measure_id}@trygg"
    if deadline.kind == "rhythm":
        return f"rhythm-{deadline.measure_id}-{deadline.day.isoformat()}@trygg"
    if deadline.kind == "followup":
        return f"followup-{deadline.plan_id}-{deadline.period}@trygg"
    return f"{deadline.kind}-{deadline.plan_id}@trygg"


def _text(value: str | None) -> str:
    """User text for a property: line ends as newlines (the library escapes them as
    ``\\n``), every other control character a visible stand-in."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return printable(text)


def ical(
    found: list[Deadline],
    stamp: datetime,
    lang: str | None = None,
    versions: dict[str, Version] | None = None,
) -> str:
    """The deadlines as an iCalendar text (CRLF line ends, lines folded at 75 octets).
    ``versions`` gives each event's SEQUENCE and LAST-MODIFIED by UID."""
    calendar = Calendar()
    calendar.add("prodid", "-//Trygg//Deadlines//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", msg("calendar.name", lang))
    stamped = stamp.astimezone(UTC).replace(microsecond=0)
    for deadline in found:
        event = Event()
        key = uid(deadline)
        version = (versions or {}).get(key, Version())
        event.add("uid", key)
        event.add("dtstamp", stamped)
        event.add("dtstart", deadline.day)
        event.add("dtend", deadline.day + timedelta(days=1))
        event.add("summary", _text(summary(deadline, lang)))
        event.add("description", _text(deadline.plan_title))
        event.add("sequence", version.sequence)
        if version.modified is not None:
            event.add("last-modified", version.modified)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def event_versions(store: Store, found: list[Deadline]) -> dict[str, Version]:
    """Each event's version from the journal: how many writes changed what it shows
    (so SEQUENCE only grows, on every device that holds the same journal), and when the
    latest was made."""
    versions = {}
    for deadline in found:
        records = {"measure": deadline.measure_id, "plan": deadline.plan_id}
        clauses, params = [], []
        for rtype, fields in _SHOWN[deadline.kind].items():
            marks = ", ".join("?" for _ in fields)
            clauses.append(f"(tbl = ? AND record_id = ? AND field IN ({marks}))")
            params += [rtype, records[rtype], *fields]
        count, ts = store.conn.execute(
            "SELECT count(*), max(ts) FROM journal WHERE " + " OR ".join(clauses),
            params,
        ).fetchone()
        modified = Stamp.from_ts(ts, "").as_datetime().replace(microsecond=0) if ts else None
        versions[uid(deadline)] = Version(max(count - 1, 0), modified)
    return versions


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
    write_text(path, ical(found, store.now(), lang, event_versions(store, found)))
    return path, len(found)
