"""The calendar of deadlines read back with the ``icalendar`` library, as a calendar
program reads it: a moved deadline updates its event instead of leaving a stale one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from icalendar import Calendar

from db.reports.calendar import write_calendar
from db.store import Store

TODAY = date(2026, 11, 22)


def _events(path: Path) -> dict[str, dict]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {
        str(event["uid"]): {
            "start": event.decoded("dtstart"),
            "summary": str(event["summary"]),
            "description": str(event["description"]),
            "sequence": int(event.get("sequence", 0)),
            "modified": event.decoded("last-modified") if "last-modified" in event else None,
        }
        for event in calendar.walk("VEVENT")
    }


def _plan(store: Store) -> tuple[str, str]:
    plan = store.create("plan", {"title": "Trygg i Lycksele", "end_date": "2027-06-30"})
    measure = store.create(
        "measure", {"plan_id": plan, "activity": "Skyltar vid badplatsen", "due_date": "2026-12-15"}
    )
    return plan, measure


def test_a_moved_deadline_keeps_its_event(store: Store, tmp_path: Path) -> None:
    plan, measure = _plan(store)
    first, _ = write_calendar(store, tmp_path / "before", TODAY)
    store.update("measure", measure, {"due_date": "2027-01-20"})
    store.update("plan", plan, {"end_date": "2027-05-31"})
    second, _ = write_calendar(store, tmp_path / "after", TODAY)

    before, after = _events(first), _events(second)
    assert set(before) == set(after)  # no stale event: the same UIDs, moved
    due = next(uid for uid in after if uid.startswith("due-"))
    assert before[due]["start"] == date(2026, 12, 15)
    assert after[due]["start"] == date(2027, 1, 20)
    assert after[due]["sequence"] > before[due]["sequence"]
    assert after[due]["modified"] is not None and after[due]["modified"] >= before[due]["modified"]
    end = next(uid for uid in after if uid.startswith("plan_end-"))
    assert (before[end]["start"], after[end]["start"]) == (date(2027, 6, 30), date(2027, 5, 31))
    assert after[end]["sequence"] > before[end]["sequence"]


def test_an_unchanged_deadline_keeps_its_version(store: Store, tmp_path: Path) -> None:
    _plan(store)
    first, _ = write_calendar(store, tmp_path / "a", TODAY)
    second, _ = write_calendar(store, tmp_path / "b", TODAY)
    assert _events(first) == _events(second)


def test_user_text_cannot_break_out_of_its_line(store: Store, tmp_path: Path) -> None:
    """A carriage return cannot start a property of its own; control and bidirectional
    characters are visible stand-ins."""
    plan = store.create("plan", {"title": "Plan\rBEGIN:VALARM\rTRIGGER:-PT5M\rEND:VALARM\x1b[31m"})
    store.create(
        "measure", {"plan_id": plan, "activity": "Möte\r\nATTENDEE:x@y", "due_date": "2026-12-01"}
    )
    path, _ = write_calendar(store, tmp_path, TODAY)
    raw = path.read_bytes()
    assert b"\r\nBEGIN:VALARM" not in raw and b"\rBEGIN" not in raw.replace(b"\r\n", b"")
    assert b"\x1b" not in raw
    lines = raw.split(b"\r\n")
    assert not any(b"\r" in line or b"\n" in line for line in lines)
    assert not any(line.startswith((b"ATTENDEE", b"TRIGGER")) for line in lines)
    (event,) = [e for e in Calendar.from_ical(raw).walk("VEVENT") if "Möte" in str(e["summary"])]
    assert not event.walk("VALARM")
    assert "␛[31m" in str(event["description"])
