"""Every XLSX workbook Trygg writes, by xlsxwriter: sheets of a header and rows, laid out
to be read on screen and printed.

Each sheet has a bold, frozen header row with an autofilter; columns as wide as their
content (long text wraps in a capped column); numbers as numbers, shares as percentages,
dates as dates; traffic-light fills; and prints in landscape on A4, fitted to the page's
width with the header repeated on every page.

Text is only ever text: cells are written with ``write_string``, so ``=1+1`` or a URL stays
what was typed, and xlsxwriter escapes control characters the way Excel does (``_x0007_``).
A number that is not finite (NaN, infinity, which a file from elsewhere may carry) is
left blank: Excel and openpyxl refuse a workbook holding one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from db.errors import TryggError
from db.files import atomic_file


class Coloured(str):
    """Text in a cell filled with a traffic-light colour: ``Coloured("Grön", "gron")``."""

    colour: str

    def __new__(cls, text: str, colour: str) -> Coloured:
        cell = super().__new__(cls, text)
        cell.colour = colour
        return cell


@dataclass(frozen=True)
class Column:
    """A column's heading and what it holds: ``text`` (wrapped when long), ``int``,
    ``number``, ``percent`` (a fraction shown as "58 %") or ``date``
    (a ``date`` or an ISO date text)."""

    title: str
    kind: str = "text"


Cell = str | int | float | date | None
Sheet = tuple[str, Sequence[str | Column], Sequence[Sequence[Cell]]]

#: Excel's own "good", "neutral" and "bad" cell styles: fill and font colour.
_LIGHTS = {
    "gron": ("#C6EFCE", "#006100"),
    "gul": ("#FFEB9C", "#9C5700"),
    "rod": ("#FFC7CE", "#9C0006"),
}
#: Number formats by column kind; other numbers use Excel's General (12, 1.5, 0.25).
_NUMBER_FORMATS = {"int": "0", "percent": "0 %", "date": "yyyy-mm-dd"}
#: Widths in characters: at least this, and text wraps beyond the most.
_MIN_WIDTH, _MAX_WIDTH = 6, 50


def _sheet_name(name: str, taken: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ , unique.
    base = re.sub(r"[\[\]:*?/\\]", "-", name).strip("'")[:31] or "Blad"
    candidate, n = base, 2
    while candidate.casefold() in taken:
        candidate = f"{base[:28]}-{n}"
        n += 1
    taken.add(candidate.casefold())
    return candidate


def _column(spec: str | Column) -> Column:
    return spec if isinstance(spec, Column) else Column(str(spec))


def _finite(value: Any) -> bool:
    return not isinstance(value, float) or math.isfinite(value)


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _width(value: Any, kind: str) -> int:
    if value is None:
        return 0
    if kind == "date" or isinstance(value, date):
        return 10
    if kind == "percent":
        return 6
    return max((len(line) for line in str(value).splitlines()), default=0)


class _Formats:
    """The workbook's cell formats, made once each (xlsxwriter wants them shared)."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.header = book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bottom": 1, "bg_color": "#F2F2F2"}
        )
        self._made: dict[tuple[str, str | None], Any] = {}

    def cell(self, kind: str, light: str | None = None) -> Any:
        key = (kind, light)
        if key not in self._made:
            spec: dict[str, Any] = {"valign": "top"}
            if kind == "text":
                spec["text_wrap"] = True
            if kind in _NUMBER_FORMATS:
                spec["num_format"] = _NUMBER_FORMATS[kind]
            if light in _LIGHTS:
                spec["bg_color"], spec["font_color"] = _LIGHTS[light]
            self._made[key] = self.book.add_format(spec)
        return self._made[key]


def _write_sheet(
    book: Any,
    formats: _Formats,
    name: str,
    header: Sequence[str | Column],
    rows: Sequence[Sequence[Cell]],
) -> None:
    sheet = book.add_worksheet(name)
    columns = [_column(spec) for spec in header]
    width = max([len(columns), *(len(row) for row in rows)])
    columns += [Column("") for _ in range(width - len(columns))]
    widths = [len(c.title) for c in columns]
    for c, column in enumerate(columns):
        sheet.write_string(0, c, column.title, formats.header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            kind = columns[c].kind
            widths[c] = max(widths[c], _width(value, kind))
            _write_cell(sheet, formats, r, c, value, kind)
    for c, size in enumerate(widths):
        sheet.set_column(c, c, min(max(size, _MIN_WIDTH), _MAX_WIDTH) + 2)
    sheet.freeze_panes(1, 0)
    if width:
        sheet.autofilter(0, 0, max(len(rows), 1), width - 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.fit_to_pages(1, 0)  # as wide as the page, as many pages long as it takes
    sheet.repeat_rows(0)
    sheet.set_footer("&L&A&R&P / &N")


def _write_cell(sheet: Any, formats: _Formats, r: int, c: int, value: Cell, kind: str) -> None:
    if value is None or value == "" or not _finite(value):
        return
    if isinstance(value, Coloured):
        sheet.write_string(r, c, str(value), formats.cell("text", value.colour))
        return
    if isinstance(value, bool):
        value = int(value)
    day = _as_date(value) if kind == "date" or isinstance(value, date) else None
    if day is not None:
        sheet.write_datetime(r, c, datetime(day.year, day.month, day.day), formats.cell("date"))
    elif isinstance(value, int | float):
        number_kind = kind if kind in ("int", "percent") else "number"
        if kind == "text" and isinstance(value, int):
            number_kind = "int"
        sheet.write_number(r, c, value, formats.cell(number_kind))
    else:
        sheet.write_string(r, c, str(value), formats.cell("text"))


def write_xlsx(path: Path, sheets: Sequence[Sheet]) -> Path:
    """Write ``sheets`` (name, header, rows) as an XLSX workbook at ``path``, atomically.
    A header item is a title or a ``Column`` saying what the column holds."""
    # Imported when a workbook is written, not with every screen that can write one.
    import xlsxwriter
    from xlsxwriter.exceptions import XlsxWriterException

    taken: set[str] = set()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path, private=False) as tmp:
            book = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False})
            formats = _Formats(book)
            for name, header, rows in sheets:
                _write_sheet(book, formats, _sheet_name(name, taken), header, rows)
            book.close()
    except OSError as exc:
        raise TryggError("export.failed", path=str(path), reason=exc.strerror or str(exc)) from None
    except XlsxWriterException as exc:
        raise TryggError("export.failed", path=str(path), reason=str(exc)) from None
    return path
