"""PM till socialförvaltningen: the note the police send to social services about young
people found drinking, "enligt överenskommelse" (seed 003, the SNABBRAPPORT ALKOHOL form).

A plain text memo that prints on any printer and opens on any computer: one section per
young person (who, what happened, guardian contact, the officer), marked SEKRETESS at the
top and bottom and in its file name. The legal reference printed on it is the users' own
text (a setting), because agreements and statutes differ between municipalities and change.

Writing it records on each report that and when the note was sent, and enters the file in
the export log: it carries personal data, so gallring lists it while it is still on disk.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from db.errors import TryggError
from db.i18n import msg
from db.ids import new_id
from db.records import choice_label, field_label
from db.reports import free_path, output_folder, write_text
from db.store import Store
from db.sync import export_log
from db.textutil import printable

RTYPE = "snabbrapport"
LEGAL_REFERENCE = "pm.legal_reference"
WIDTH = 78


@dataclass(frozen=True)
class WrittenPm:
    path: Path
    numbers: list[int]


def legal_reference(store: Store, lang: str | None = None) -> str:
    """The legal reference printed on every note: the users' text, or a neutral default."""
    return store.setting(LEGAL_REFERENCE) or msg("pm.legal_reference.default", lang)


def set_legal_reference(store: Store, text: str | None) -> None:
    """Change the printed legal reference (empty text restores the default)."""
    cleaned = " ".join((text or "").split())
    if len(cleaned) > 1000:
        raise TryggError("pm.reference_too_long")
    with store.transaction():
        store.set_setting(LEGAL_REFERENCE, cleaned or None)


def reports_for_pm(store: Store, report_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The reports a note is about, in Nr order; refuses missing and erased ones (an
    erased report has no one to write about)."""
    if not report_ids:
        raise TryggError("pm.none")
    device = store.device
    if device is not None and not device.writes_notes:
        raise TryggError("pm.police_only")
    reports = []
    for report_id in dict.fromkeys(report_ids):
        report = store.get(RTYPE, report_id)
        if report is None:
            raise TryggError("record.missing", id=report_id)
        if report.get("erased_date"):
            raise TryggError("pm.erased", nr=report["nr"])
        if not report.get("name") and not report.get("personnummer"):
            raise TryggError("pm.no_person", nr=report["nr"])
        reports.append(report)
    return sorted(reports, key=lambda r: r["nr"] or 0)


def pm_text(store: Store, report_ids: Sequence[str], today: date, lang: str | None = None) -> str:
    """The memo as plain text (control and bidirectional characters in what was typed
    shown as visible stand-ins: the memo is printed, and read with ``cat``)."""
    return _memo(store, reports_for_pm(store, report_ids), today, lang)


def _memo(store: Store, reports: list[dict[str, Any]], today: date, lang: str | None) -> str:
    device = store.device
    kommuner = sorted({str(r["kommun"]) for r in reports if r.get("kommun")})
    lines = [
        msg("pm.marking", lang),
        "",
        msg("pm.title", lang),
        "",
        _pair(msg("pm.to", lang), msg("pm.to_value", lang, kommun=", ".join(kommuner))),
        _pair(msg("pm.from", lang), device.name if device else ""),
        _pair(msg("pm.date", lang), today.isoformat()),
        _pair(msg("pm.count", lang), str(len(reports))),
        "",
        *_wrapped(legal_reference(store, lang), indent=""),
    ]
    for report in reports:
        lines += ["", "-" * WIDTH, *_section(report, lang)]
    lines += [
        "",
        "-" * WIDTH,
        *_wrapped(msg("pm.footer", lang), indent=""),
        "",
        msg("pm.marking", lang),
        "",
    ]
    return printable("\n".join(lines))


def _section(report: dict[str, Any], lang: str | None) -> list[str]:
    def label(name: str) -> str:
        return field_label(RTYPE, name, lang)

    def choice(name: str) -> str:
        code = report.get(name)
        return choice_label(RTYPE, name, code, lang) if code else msg("pm.not_stated", lang)

    person = report.get("name") or msg("pm.no_name", lang)
    who = [person]
    if report.get("personnummer"):
        who[0] += ","
        who.append(str(report["personnummer"]))
    facts = []
    if report.get("age") is not None:
        facts.append(msg("pm.age", lang, age=report["age"]))
    if report.get("sex"):
        facts.append(choice_label(RTYPE, "sex", report["sex"], lang).lower())
    if facts:
        who.append(f"({', '.join(facts)})")
    ticks = [label(t) for t in ("drunk", "carried_alcohol", "with_carrier") if report.get(t)]
    custody = choice("custody")
    if report.get("custody") == "annat" and report.get("custody_other"):
        custody += f": {report['custody_other']}"
    action = choice("guardian_action")
    if report.get("guardian_action") == "annat" and report.get("guardian_action_other"):
        action += f": {report['guardian_action_other']}"
    when = msg(
        "pm.when",
        lang,
        nr=report["nr"],
        date=report["date"],
        time=report["time"],
        place=report["place"],
        kommun=report["kommun"],
    )
    lines = [when, ""]
    lines += _wrapped(_pair(msg("pm.young_person", lang), " ".join(who)))
    if report.get("phone"):
        lines.append(_pair(label("phone"), str(report["phone"])))
    lines += _wrapped(
        _pair(msg("pm.follow_up", lang), ", ".join(ticks) or msg("pm.not_stated", lang))
    )
    seized = "; ".join(report.get("seized") or [])
    if report.get("seized_note"):
        seized = f"{seized}. {report['seized_note']}" if seized else str(report["seized_note"])
    lines += _wrapped(_pair(label("seized"), seized or msg("pm.nothing", lang)))
    lines += _wrapped(_pair(label("custody"), custody))
    lines += _wrapped(_pair(msg("pm.guardian", lang), choice("guardian_contacted")))
    lines += _wrapped(_pair(label("guardian_action"), action))
    lines.append(_pair(label("obot"), choice("obot")))
    if report.get("alcohol_source"):
        lines.append(_pair(label("alcohol_source"), choice("alcohol_source")))
    if report.get("ovrigt"):
        lines += _wrapped(_pair(label("ovrigt"), str(report["ovrigt"])))
    lines.append(_pair(label("officer"), report.get("officer") or msg("pm.not_stated", lang)))
    return lines


def _pair(label: str, value: str) -> str:
    return f"{label}: {value}"


def _wrapped(text: str, indent: str = "  ") -> list[str]:
    """``text`` in lines of WIDTH; continuation lines indented under a "label: value"."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += textwrap.wrap(paragraph, WIDTH, subsequent_indent=indent) or [""]
    return lines


def write_pm(
    store: Store,
    report_ids: Sequence[str],
    today: date,
    lang: str | None = None,
    *,
    out: Path | None = None,
) -> WrittenPm:
    """Write the memo to ``out`` (a file or folder; default the documents folder), mark
    each report as sent today, and log the file. The marks and the log entry are written
    only once the file is safely on disk."""
    reports = reports_for_pm(store, report_ids)
    numbers = [int(r["nr"]) for r in reports]
    text = _memo(store, reports, today, lang)
    stem = f"PM-{msg('pm.file_stem', lang)}-{today.isoformat()}-nr{'-'.join(map(str, numbers))}"
    stem = stem[:80] + "-SEKRETESS"
    if out is None or out.is_dir():
        path = free_path(out or output_folder(store), stem, ".txt")
    else:
        path = out
    write_text(path, text, private=True)
    with store.transaction():
        for report in reports:
            sent = {"pm_social": "ja", "pm_sent_date": today.isoformat()}
            store.update(RTYPE, report["id"], sent)
        export_log.record_file(
            store.conn,
            file_id=new_id(),
            path=path,
            recipient=msg("pm.recipient", lang),
            profile="pm",
            personal=True,
            encryption="none",
            entries=len(reports),
            records={RTYPE: len(reports)},
        )
    return WrittenPm(path, numbers)
