"""The lägesbild on paper: printable HTML with a map drawn as SVG from the coordinates
(numbered marks like the paper map, no tiles, nothing fetched), XLSX for the steering
group, and Markdown.

Only counts, place names and the plan's own measures are written: no quick report's
name, personnummer, phone or free text is ever read for it (the picture does not hold
them), so the document can be handed to another organisation as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from db.coordinates import format_latlon
from db.errors import TryggError
from db.files import atomic_file
from db.i18n import msg
from db.lagesbild.layout import format_metres, frame_for
from db.lagesbild.periods import Period
from db.lagesbild.picture import HOURS, Figures, Lagesbild
from db.records import choice_label
from db.reports import esc, free_path, html_page, safe_name, write_text
from db.reports.followup import light_word
from db.textutil import printable

FORMATS: tuple[str, ...] = ("html", "xlsx", "md")
#: The SVG map's size in pixels.
MAP_WIDTH, MAP_HEIGHT = 640, 420
#: The rows of the summary table: (figure, share of quick reports?).
SUMMARY = (
    ("reports", False),
    ("drunk", True),
    ("custody", True),
    ("walks", False),
    ("new_findings", False),
    ("fixed_findings", False),
    ("open_findings", False),
    ("overdue_findings", False),
)


@dataclass(frozen=True)
class Written:
    path: Path
    places: int


def write_lagesbild(
    picture: Lagesbild,
    folder: Path,
    *,
    fmt: str = "html",
    lang: str | None = None,
    today: date | None = None,
) -> Written:
    """Write ``picture`` into ``folder`` as ``fmt`` (one of FORMATS), under a free name."""
    if fmt not in FORMATS:
        raise TryggError("report.bad_format", format=fmt, formats=", ".join(FORMATS))
    stem = "-".join(
        (
            msg("lagesbild.report.file", lang),
            safe_name(picture.kommun, 30),
            picture.period.start.isoformat(),
            picture.period.end.isoformat(),
        )
    )
    path = free_path(folder, stem, f".{fmt}")
    printed = today or picture.today
    if fmt == "xlsx":
        write_workbook(path, picture, lang)
    elif fmt == "md":
        write_text(path, as_markdown(picture, lang, printed))
    else:
        write_text(path, as_html(picture, lang, printed))
    return Written(path, len(picture.places))


# -- words and figures shared by every format --------------------------------------------


def title(picture: Lagesbild, lang: str | None) -> str:
    return msg(
        "lagesbild.report.title", lang, kommun=picture.kommun, period=picture.period.label(lang)
    )


def _span(period: Period) -> str:
    return f"{period.start.isoformat()} – {period.end.isoformat()}"


def meta(picture: Lagesbild, lang: str | None, printed: date) -> list[tuple[str, str]]:
    """The facts under the title: period, what it is compared with, when counted."""
    return [
        (msg("lagesbild.report.period", lang), _span(picture.period)),
        (
            msg("lagesbild.report.compared", lang),
            f"{picture.before.label(lang)} ({_span(picture.before)})"
            if picture.before.label(lang) != _span(picture.before)
            else _span(picture.before),
        ),
        (msg("lagesbild.report.as_of", lang), picture.as_of.isoformat()),
        (msg("lagesbild.report.printed", lang), printed.isoformat()),
    ]


def change(now: int, before: int) -> str:
    """ "+6", "−3", "±0"."""
    diff = now - before
    return f"+{diff}" if diff > 0 else f"−{-diff}" if diff < 0 else "±0"


def percent(count: int, total: int) -> str:
    return f"{round(100 * count / total)} %" if total else "–"


def summary_rows(picture: Lagesbild, lang: str | None) -> list[list[str]]:
    """Figure, this period, the period compared with, and the change."""
    rows = []
    for name, shared in SUMMARY:
        now, then = getattr(picture.now, name), getattr(picture.then, name)
        label = msg(f"lagesbild.figure.{name}", lang)
        if shared:
            rows.append(
                [
                    label,
                    f"{now} ({percent(now, picture.now.reports)})",
                    f"{then} ({percent(then, picture.then.reports)})",
                    change(now, then),
                ]
            )
        else:
            rows.append([label, str(now), str(then), change(now, then)])
    return rows


def place_header(lang: str | None) -> list[str]:
    return [
        msg(f"lagesbild.col.{name}", lang)
        for name in (
            "nr",
            "place",
            "reports",
            "reports_before",
            "drunk",
            "custody",
            "open",
            "open_before",
            "overdue",
            "overdue_before",
            "new",
            "fixed",
            "measures",
        )
    ]


def place_cells(row: Any) -> list[int | str]:
    now: Figures = row.now
    before: Figures = row.before
    return [
        row.number,
        row.name,
        now.reports,
        before.reports,
        now.drunk,
        now.custody,
        now.open_findings,
        before.open_findings,
        now.overdue_findings,
        before.overdue_findings,
        now.new_findings,
        now.fixed_findings,
        len(row.measures),
    ]


def weekday_names(lang: str | None) -> list[str]:
    return [msg(f"lagesbild.weekday.{d}", lang) for d in range(1, 8)]


def measure_header(lang: str | None) -> list[str]:
    return [
        msg(f"lagesbild.col.{name}", lang)
        for name in ("activity", "places", "light", "progress", "status")
    ]


def measure_cells(picture: Lagesbild, m: Any, lang: str | None) -> list[str]:
    names = {r.key: f"{r.number} {r.name}" for r in picture.places}
    light = light_word(m.light, lang)
    if m.light_period:
        light += f" ({m.light_period})"
    progress = (
        f"{m.progress.done}/{m.progress.expected}" if m.progress.expected else str(m.progress.done)
    )
    status = choice_label("measure", "status", m.status, lang) if m.status else ""
    return [m.activity, ", ".join(names.get(k, k) for k in m.places), light, progress, status]


# -- HTML with an SVG map ----------------------------------------------------------------


def svg_map(picture: Lagesbild, lang: str | None) -> str:
    """The places with coordinates as numbered circles, with a scale bar and north."""
    located = [r for r in picture.places if r.point is not None]
    if not located:
        return f"<p>{esc(msg('lagesbild.report.no_map', lang))}</p>"
    frame = frame_for([r.point for r in located], MAP_WIDTH, MAP_HEIGHT, margin=0.1)  # type: ignore[misc]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{MAP_WIDTH}" height="{MAP_HEIGHT}"'
        f' viewBox="0 0 {MAP_WIDTH} {MAP_HEIGHT}" role="img"'
        f' aria-label="{esc(msg("lagesbild.report.map", lang))}">',
        f'<rect x="0.5" y="0.5" width="{MAP_WIDTH - 1}" height="{MAP_HEIGHT - 1}"'
        ' fill="#fff" stroke="#444"/>',
    ]
    # The busiest last, so it is drawn on top.
    for row in sorted(located, key=lambda r: -r.number):
        x, y = frame.at(row.point)  # type: ignore[arg-type]
        radius = 9 + min(9, row.now.score)
        fill = "#222" if row.now.score else "#fff"
        ink = "#fff" if row.now.score else "#222"
        parts.append(
            f"<g><title>{esc(row.name)}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{fill}" stroke="#222"'
            ' stroke-width="1.5"/>'
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11"'
            f' font-family="sans-serif" font-weight="bold" fill="{ink}">{row.number}</text></g>'
        )
    metres, length = frame.scale(MAP_WIDTH / 4)
    y = MAP_HEIGHT - 16
    parts.append(
        f'<path d="M16 {y - 5} V{y} H{16 + length:.1f} V{y - 5}" fill="none" stroke="#222"'
        ' stroke-width="1.5"/>'
        f'<text x="{20 + length:.1f}" y="{y}" font-size="11" font-family="sans-serif">'
        f"{esc(format_metres(metres))}</text>"
        f'<text x="{MAP_WIDTH - 22}" y="24" font-size="13" font-family="sans-serif"'
        ' font-weight="bold" text-anchor="middle">N</text>'
        f'<path d="M{MAP_WIDTH - 22} 30 l-5 12 h10 z" fill="#222"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _html_table(header: Sequence[str], rows: Sequence[Sequence[object]], cls: str = "") -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    attr = f' class="{cls}"' if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _hours_html(hours: list[list[int]], lang: str | None) -> str:
    top = max((c for row in hours for c in row), default=0)
    head = "<th></th>" + "".join(f"<th>{h:02d}</th>" for h in range(HOURS)) + "<th>Σ</th>"
    body = []
    for name, row in zip(weekday_names(lang), hours, strict=True):
        cells = []
        for count in row:
            shade = 255 - round(150 * count / top) if top and count else 255
            ink = "#fff" if shade < 170 else "#000"
            cells.append(
                f'<td style="background:rgb({shade},{shade},{shade});color:{ink}">'
                f"{count or ''}</td>"
            )
        body.append(f"<tr><th>{esc(name)}</th>{''.join(cells)}<th>{sum(row)}</th></tr>")
    totals = [sum(row[h] for row in hours) for h in range(HOURS)]
    body.append(
        "<tr><th>Σ</th>"
        + "".join(f"<th>{t or ''}</th>" for t in totals)
        + f"<th>{sum(totals)}</th></tr>"
    )
    return (
        f'<table class="hours"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def as_html(picture: Lagesbild, lang: str | None, printed: date) -> str:
    """The printable page."""
    meta_rows = "".join(
        f"<tr><td><b>{esc(k)}</b></td><td>{esc(v)}</td></tr>"
        for k, v in meta(picture, lang, printed)
    )
    header = [
        msg("lagesbild.col.figure", lang),
        picture.period.label(lang),
        picture.before.label(lang),
        msg("lagesbild.col.change", lang),
    ]
    parts = [
        f'<table class="meta">{meta_rows}</table>',
        f"<h2>{esc(msg('lagesbild.report.summary', lang))}</h2>",
        _html_table(header, summary_rows(picture, lang)),
        f"<h2>{esc(msg('lagesbild.report.map', lang))}</h2>",
        svg_map(picture, lang),
        f'<p class="note">{esc(msg("lagesbild.report.map_note", lang))}</p>',
        f"<h2>{esc(msg('lagesbild.report.places', lang))}</h2>",
        f'<p class="note">{esc(msg("lagesbild.report.rank_note", lang))}</p>',
        _html_table(place_header(lang), [place_cells(r) for r in picture.places]),
        f"<h2>{esc(msg('lagesbild.report.hours', lang))}</h2>",
        f"<h3>{esc(picture.period.label(lang))}</h3>",
        _hours_html(picture.hours, lang),
        f"<h3>{esc(picture.before.label(lang))}</h3>",
        _hours_html(picture.hours_before, lang),
        f"<h2>{esc(msg('lagesbild.report.measures', lang))}</h2>",
        _html_table(
            measure_header(lang), [measure_cells(picture, m, lang) for m in picture.measures]
        )
        if picture.measures
        else f"<p>{esc(msg('lagesbild.report.no_measures', lang))}</p>",
    ]
    page = html_page(title(picture, lang), "\n".join(parts), lang=lang or "sv")
    extra = (
        ".hours { font-size: 8pt; } .hours td, .hours th { padding: 1px 2px; text-align: right; }"
        " .note { font-size: 9pt; color: #333; } svg { max-width: 100%; height: auto; }"
        " @page { size: A4 landscape; }"
    )
    return page.replace("</style>", extra + "\n</style>", 1)


# -- Markdown -------------------------------------------------------------------------------


def _md(value: object) -> str:
    text = printable(value, single_line=True)
    for char in "\\|*_`[]<>#":
        text = text.replace(char, "\\" + char)
    return text


def _md_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(_md(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return lines


def as_markdown(picture: Lagesbild, lang: str | None, printed: date) -> str:
    """The same tables in Markdown; the map as its numbered marks with coordinates."""
    lines = [f"# {_md(title(picture, lang))}", ""]
    lines += [f"- **{_md(k)}:** {_md(v)}" for k, v in meta(picture, lang, printed)]
    header = [
        msg("lagesbild.col.figure", lang),
        picture.period.label(lang),
        picture.before.label(lang),
        msg("lagesbild.col.change", lang),
    ]
    lines += ["", f"## {_md(msg('lagesbild.report.summary', lang))}", ""]
    lines += _md_table(header, summary_rows(picture, lang))
    lines += ["", f"## {_md(msg('lagesbild.report.places', lang))}", ""]
    lines += [_md(msg("lagesbild.report.rank_note", lang)), ""]
    lines += _md_table(place_header(lang), [place_cells(r) for r in picture.places])
    located = [r for r in picture.places if r.point is not None]
    if located:
        lines += ["", f"## {_md(msg('lagesbild.report.marks', lang))}", ""]
        lines += [f"{r.number}. {_md(r.name)} — {format_latlon(r.point)}" for r in located]  # type: ignore[arg-type]
    for label, hours in (
        (picture.period.label(lang), picture.hours),
        (picture.before.label(lang), picture.hours_before),
    ):
        lines += ["", f"## {_md(msg('lagesbild.report.hours', lang))}: {_md(label)}", ""]
        rows = [
            [name, *row, sum(row)] for name, row in zip(weekday_names(lang), hours, strict=True)
        ]
        lines += _md_table(["", *(f"{h:02d}" for h in range(HOURS)), "Σ"], rows)
    lines += ["", f"## {_md(msg('lagesbild.report.measures', lang))}", ""]
    if picture.measures:
        lines += _md_table(
            measure_header(lang), [measure_cells(picture, m, lang) for m in picture.measures]
        )
    else:
        lines.append(_md(msg("lagesbild.report.no_measures", lang)))
    return "\n".join(lines) + "\n"


# -- XLSX -----------------------------------------------------------------------------------


def write_workbook(path: Path, picture: Lagesbild, lang: str | None) -> Path:
    """Counts for the steering group: summary, places, weekday × hour, measures."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path, private=False) as tmp:
            book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False,
                                                  "strings_to_urls": False})  # fmt: skip
            bold = book.add_format({"bold": True, "bottom": 1, "bg_color": "#F2F2F2"})
            share = book.add_format({"num_format": "0 %"})

            def sheet(name: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Any:
                ws = book.add_worksheet(name[:31])
                ws.write_row(0, 0, header, bold)
                for r, row in enumerate(rows, start=1):
                    for c, value in enumerate(row):
                        if isinstance(value, float):
                            ws.write_number(r, c, value, share)
                        elif isinstance(value, int):
                            ws.write_number(r, c, value)
                        elif value is not None:
                            ws.write_string(r, c, str(value))
                widths = [len(str(h)) for h in header]
                for row in rows:
                    for c, value in enumerate(row):
                        widths[c] = max(widths[c], len(str(value or "")))
                for c, width in enumerate(widths):
                    ws.set_column(c, c, min(max(width, 4), 50) + 2)
                ws.freeze_panes(1, 0)
                if rows:
                    ws.autofilter(0, 0, len(rows), len(header) - 1)
                ws.set_landscape()
                ws.set_paper(9)  # A4
                ws.fit_to_pages(1, 0)
                ws.repeat_rows(0)
                return ws

            summary = []
            for name, shared in SUMMARY:
                now, then = getattr(picture.now, name), getattr(picture.then, name)
                summary.append([msg(f"lagesbild.figure.{name}", lang), now, then, now - then])
                if shared:
                    summary.append(
                        [
                            msg("lagesbild.figure.share", lang,
                                figure=msg(f"lagesbild.figure.{name}", lang)),
                            picture.now.share(now),
                            picture.then.share(then),
                            None,
                        ]
                    )  # fmt: skip
            sheet(
                msg("lagesbild.sheet.summary", lang),
                [
                    msg("lagesbild.col.figure", lang),
                    _span(picture.period),
                    _span(picture.before),
                    msg("lagesbild.col.change", lang),
                ],
                summary,
            )
            sheet(
                msg("lagesbild.sheet.places", lang),
                [*place_header(lang), "lat", "lon"],
                [
                    [*place_cells(r), *(r.point.lat, r.point.lon)] if r.point else place_cells(r)
                    for r in picture.places
                ],
            )
            hours_rows: list[list[Any]] = []
            for label, hours in ((_span(picture.period), picture.hours),
                                 (_span(picture.before), picture.hours_before)):  # fmt: skip
                for name, row in zip(weekday_names(lang), hours, strict=True):
                    hours_rows.append([label, name, *row, sum(row)])
            sheet(
                msg("lagesbild.sheet.hours", lang),
                [msg("lagesbild.col.period", lang), msg("lagesbild.col.weekday", lang),
                 *(f"{h:02d}" for h in range(HOURS)), "Σ"],
                hours_rows,
            )  # fmt: skip
            sheet(
                msg("lagesbild.sheet.measures", lang),
                measure_header(lang),
                [measure_cells(picture, m, lang) for m in picture.measures],
            )
            book.close()
    except (OSError, XlsxWriterException) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise TryggError("export.failed", path=str(path), reason=reason) from None
    return path
