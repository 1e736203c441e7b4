"""What a safety walk sends out: the list for each problem owner (asking them to report
when each finding is fixed), the walk protocol, and the findings as GeoJSON for a map."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from db.errors import TryggError
from db.i18n import msg
from db.records import choice_label
from db.reports import esc, excel_csv, free_path, html_page, safe_name, write_text
from db.store import Store
from db.textutil import json_text, swedish_sort_key
from db.walks import (
    FindingFilter,
    FindingRow,
    due_date_for,
    format_participants,
    list_findings,
    mark_sent,
    participant_total,
)

#: Which findings an owner list holds: those not yet sent, or every open one (a reminder).
OWNER_LIST_SCOPES = ("new", "open")
OWNER_LIST_FORMATS = ("html", "csv")
PROTOCOL_FORMATS = ("html", "csv", "geojson")


@dataclass(frozen=True)
class Written:
    """A document on disk and how many findings it holds."""

    path: Path
    count: int


def owner_findings(
    store: Store, owner_id: str, today: date, *, scope: str = "new", walk_id: str | None = None
) -> list[FindingRow]:
    """The findings an owner list would hold."""
    if scope not in OWNER_LIST_SCOPES:
        raise TryggError("owner_list.bad_scope", scope=scope)
    flt = FindingFilter(walk_id=walk_id, owner_id=owner_id, status="oppna")
    rows = _all(store, flt, today)
    return [r for r in rows if scope == "open" or (r.status or "ny") == "ny"]


@dataclass(frozen=True)
class OwnerToSend:
    """A problem owner with findings for a list, and how many."""

    owner_id: str
    name: str
    count: int


def owners_to_send(
    store: Store, today: date, *, scope: str = "new", walk_id: str | None = None
) -> tuple[list[OwnerToSend], int]:
    """The owners that have findings for a list (of one walk, or of all walks), and how
    many such findings have no owner yet (they cannot be sent until they get one)."""
    rows = _all(store, FindingFilter(walk_id=walk_id, status="oppna"), today)
    rows = [r for r in rows if scope == "open" or (r.status or "ny") == "ny"]
    counts: dict[str, OwnerToSend] = {}
    unowned = 0
    for r in rows:
        if r.owner_id is None:
            unowned += 1
            continue
        known = counts.get(r.owner_id)
        counts[r.owner_id] = OwnerToSend(
            r.owner_id, r.owner_name or "", (known.count if known else 0) + 1
        )
    owners = sorted(counts.values(), key=lambda o: swedish_sort_key(o.name))
    return owners, unowned


def write_owner_list(
    store: Store,
    owner_id: str,
    folder: Path,
    today: date,
    *,
    fmt: str = "html",
    scope: str = "new",
    walk_id: str | None = None,
    mark: bool = True,
    lang: str | None = None,
) -> Written:
    """Write the list for one problem owner and, with ``mark``, record the findings as sent
    today (with their due dates). The file is written before anything is marked, so a
    failed write marks nothing."""
    if fmt not in OWNER_LIST_FORMATS:
        raise TryggError("report.bad_format", format=fmt, formats=", ".join(OWNER_LIST_FORMATS))
    owner = store.get("owner", owner_id)
    if owner is None:
        raise TryggError("record.missing", id=owner_id)
    rows = owner_findings(store, owner_id, today, scope=scope, walk_id=walk_id)
    if not rows:
        raise TryggError("owner_list.empty", owner=owner["name"])
    stem = f"{msg('report.owner_list.file', lang)}-{safe_name(owner['name'])}-{today.isoformat()}"
    path = free_path(folder, stem, f".{fmt}")
    if fmt == "html":
        write_text(path, _owner_html(store, owner, rows, today, lang))
    else:
        write_text(path, "\ufeff" + _findings_csv(rows, lang))
    if mark:
        mark_sent(store, [r.id for r in rows], today)
    return Written(path, len(rows))


def _owner_html(
    store: Store, owner: dict, rows: list[FindingRow], today: date, lang: str | None
) -> str:
    device = store.require_device()
    title = msg("report.owner_list.title", lang, owner=owner["name"])
    meta = [
        (msg("report.date", lang), today.isoformat()),
        (msg("report.from", lang), device.name),
        (msg("report.contact", lang), owner.get("contact") or owner.get("email")),
    ]
    body = [_meta_table(meta), f"<p>{esc(msg('report.owner_list.ask', lang))}</p>"]
    header = ["nr", "walk", "place", "remark", "category", "due", "answer"]
    cells = []
    for r in rows:
        due = _due_after_sending(store, r, today)
        cells.append(
            [
                r.nr,
                f"{r.walk_area or ''} {r.walk_date or ''}",
                r.place,
                r.remark,
                _category(r, lang),
                due,
                "\u00a0",  # left blank: the owner writes the date fixed, or why not
            ]
        )
    body.append(_table([msg(f"report.col.{h}", lang) for h in header], cells))
    return html_page(title, "\n".join(body), lang=lang or "sv")


def _due_after_sending(store: Store, row: FindingRow, today: date) -> str:
    if row.due_date:
        return row.due_date
    return due_date_for(store, row.owner_id, today).isoformat()


def write_walk_protocol(
    store: Store,
    walk_id: str,
    folder: Path,
    today: date,
    *,
    fmt: str = "html",
    lang: str | None = None,
) -> Written:
    """Write the walk's protocol: the walk and every finding (HTML or CSV), or the findings
    with coordinates as GeoJSON for a map program."""
    if fmt not in PROTOCOL_FORMATS:
        raise TryggError("report.bad_format", format=fmt, formats=", ".join(PROTOCOL_FORMATS))
    walk = store.get("walk", walk_id)
    if walk is None:
        raise TryggError("record.missing", id=walk_id)
    rows = _all(store, FindingFilter(walk_id=walk_id), today)
    stem = f"{msg('report.protocol.file', lang)}-{safe_name(walk['area'])}-{walk['date']}"
    path = free_path(folder, stem, f".{fmt}")
    if fmt == "html":
        device = store.require_device()
        org = choice_label("device", "org", device.org, lang) if device.org else ""
        written = msg(
            "report.protocol.written",
            lang,
            who=f"{device.name} ({org})" if org else device.name,
            when=store.now().strftime("%Y-%m-%d %H:%M"),
        )
        write_text(path, _protocol_html(walk, rows, lang, written))
        return Written(path, len(rows))
    if fmt == "csv":
        write_text(path, "\ufeff" + _findings_csv(rows, lang))
        return Written(path, len(rows))
    features = _geojson_features(store, rows, lang)
    if not features:
        raise TryggError("report.no_coordinates")
    collection = {"type": "FeatureCollection", "features": features}
    write_text(path, json_text(collection, indent=1) + "\n")
    return Written(path, len(features))


def _protocol_html(walk: dict, rows: list[FindingRow], lang: str | None, written: str) -> str:
    title = msg("report.protocol.title", lang, area=walk["area"], date=walk["date"])
    times = " – ".join(t for t in (walk.get("start_time"), walk.get("end_time")) if t)
    light = choice_label("walk", "light", walk["light"], lang) if walk.get("light") else None
    participants = format_participants(walk.get("participants"))
    total = participant_total(walk.get("participants"))
    if total:
        participants += f" ({msg('report.total', lang, count=total)})"
    meta = [
        (msg("field.kommun", lang), walk.get("kommun")),
        (msg("report.time", lang), times),
        (msg("field.walk.light", lang), light),
        (msg("field.walk.weather", lang), walk.get("weather")),
        (msg("field.walk.participants", lang), participants),
        (msg("field.walk.organiser", lang), walk.get("organiser")),
        (msg("field.notes", lang), walk.get("notes")),
        (msg("report.protocol.by", lang), written),
    ]
    negative = [r for r in rows if not r.positive]
    positive = [r for r in rows if r.positive]
    # The handbook's list: Nr, Anmärkning, Problemägare, Åtgärdat — with the place, the
    # category, the status and the date it is due by.
    header = ["nr", "place", "remark", "category", "owner", "status", "due", "fixed"]
    body = [_meta_table(meta), f"<h2>{esc(msg('report.protocol.findings', lang))}</h2>"]
    body.append(
        _table(
            [msg(f"report.col.{h}", lang) for h in header],
            [_protocol_row(r, lang) for r in negative],
        )
    )
    if positive:
        body.append(f"<h2>{esc(msg('report.protocol.positive', lang))}</h2>")
        body.append(
            _table(
                [msg(f"report.col.{h}", lang) for h in ("nr", "place", "remark")],
                [[r.nr, r.place, r.remark] for r in positive],
            )
        )
    return html_page(title, "\n".join(body), lang=lang or "sv")


def _protocol_row(r: FindingRow, lang: str | None) -> list[object]:
    category, status = _category(r, lang), _status(r, lang)
    return [r.nr, r.place, r.remark, category, r.owner_name, status, r.due_date, r.fixed_date]


def _findings_csv(rows: list[FindingRow], lang: str | None) -> str:
    header = [
        "nr",
        "walk",
        "date",
        "place",
        "remark",
        "category",
        "owner",
        "status",
        "sent",
        "due",
        "fixed",
    ]
    return excel_csv(
        [msg(f"report.col.{h}", lang) for h in header],
        (
            [
                r.nr,
                r.walk_area,
                r.walk_date,
                r.place,
                r.remark,
                _category(r, lang),
                r.owner_name,
                _status(r, lang),
                r.sent_date,
                r.due_date,
                r.fixed_date,
            ]
            for r in rows
        ),
    )


def _geojson_features(store: Store, rows: list[FindingRow], lang: str | None) -> list[dict]:
    features = []
    for r in rows:
        finding = store.get("finding", r.id) or {}
        lat, lon = finding.get("lat"), finding.get("lon")
        if lat is None or lon is None:
            place = store.get("place", finding["place_id"]) if finding.get("place_id") else None
            lat, lon = (place or {}).get("lat"), (place or {}).get("lon")
        if lat is None or lon is None or not math.isfinite(lat) or not math.isfinite(lon):
            continue  # GeoJSON has no infinity: such a point is no place on a map
        features.append(
            {
                "type": "Feature",
                # GeoJSON is longitude first (RFC 7946).
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "nr": r.nr,
                    "place": r.place,
                    "remark": r.remark,
                    "category": _category(r, lang),
                    "positive": r.positive,
                    "owner": r.owner_name,
                    "status": _status(r, lang),
                },
            }
        )
    return features


def _all(store: Store, flt: FindingFilter, today: date) -> list[FindingRow]:
    rows: list[FindingRow] = []
    while page := list_findings(store, flt, today, offset=len(rows), limit=1000):
        rows += page
        if len(page) < 1000:
            break
    return rows


def _category(row: FindingRow, lang: str | None) -> str:
    return choice_label("finding", "category", row.category, lang) if row.category else ""


def _status(row: FindingRow, lang: str | None) -> str:
    if row.positive:
        return msg("report.positive", lang)
    text = choice_label("finding", "status", row.status or "ny", lang)
    if row.overdue:
        text += " – " + msg("report.overdue", lang)
    return text


def _meta_table(pairs: list[tuple[str, object]]) -> str:
    rows = "".join(
        f"<tr><td><b>{esc(label)}</b></td><td>{esc(value)}</td></tr>"
        for label, value in pairs
        if value
    )
    return f'<table class="meta">{rows}</table>'


def _table(header: list[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
