"""A small XLSX (Office Open XML spreadsheet) writer: sheets of text and numbers, a bold
header row, nothing else. Enough for statistics a coordinator opens in Excel or
LibreOffice, without a dependency.

Strings are written inline (``inlineStr``), so no shared-string table is needed; numbers
stay numbers so that Excel can sum them. Text that would start a formula is only ever
text here: a cell is a formula only with an ``<f>`` element, which this writer never
writes.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from db.errors import TryggError
from db.files import atomic_file

# ruff: noqa: E501  (the fixed XML parts below read best unwrapped)


class Coloured(str):
    """Text in a cell filled with a traffic-light colour: ``Coloured("Grön", "gron")``."""

    colour: str

    def __new__(cls, text: str, colour: str) -> Coloured:
        cell = super().__new__(cls, text)
        cell.colour = colour
        return cell


#: Fill colours (Excel's own "good", "neutral", "bad") → cell style index in _STYLES.
_FILL_STYLES = {"gron": 2, "gul": 3, "rod": 4}

Cell = str | int | float | None
Sheet = tuple[str, Sequence[str], Sequence[Sequence[Cell]]]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
{sheets}
</Types>"""
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="5"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFC6EFCE"/></patternFill></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFFEB9C"/></patternFill></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFFC7CE"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1"/><xf numFmtId="0" fontId="0" fillId="3" borderId="0" xfId="0" applyFill="1"/><xf numFmtId="0" fontId="0" fillId="4" borderId="0" xfId="0" applyFill="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value: Cell, style: int) -> str:
    if isinstance(value, Coloured):
        style = _FILL_STYLES.get(value.colour, style)
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int | float):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    text = escape(_CONTROL.sub("\ufffd", str(value)))
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet_xml(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    lines = []
    for r, row in enumerate([list(header), *rows], start=1):
        style = 1 if r == 1 else 0
        cells = "".join(_cell(f"{_column(c)}{r}", v, style) for c, v in enumerate(row))
        lines.append(f'<row r="{r}">{cells}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{_widths(header, rows)}<sheetData>{''.join(lines)}</sheetData></worksheet>"
    )


def _widths(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    """Column widths from the longest value (a long text capped, so it does not push
    the other columns off the screen)."""
    longest = [len(str(h)) for h in header]
    for row in rows:
        for c, value in enumerate(row):
            size = max((len(line) for line in str(value or "").splitlines()), default=0)
            if c < len(longest):
                longest[c] = max(longest[c], size)
            else:
                longest.append(size)
    cols = "".join(
        f'<col min="{c}" max="{c}" width="{min(max(size, 6), 60) + 2}" customWidth="1"/>'
        for c, size in enumerate(longest, start=1)
    )
    return f"<cols>{cols}</cols>" if cols else ""


def _sheet_name(name: str, taken: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ , unique.
    base = re.sub(r"[\[\]:*?/\\]", "-", name).strip("'")[:31] or "Blad"
    candidate, n = base, 2
    while candidate.casefold() in taken:
        candidate = f"{base[:28]}-{n}"
        n += 1
    taken.add(candidate.casefold())
    return candidate


def write_xlsx(path: Path, sheets: Sequence[Sheet]) -> Path:
    """Write ``sheets`` (name, header, rows) as an XLSX workbook at ``path``, atomically."""
    taken: set[str] = set()
    names = [_sheet_name(name, taken) for name, _, _ in sheets]
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        "<sheets>"
        + "".join(
            f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
            for n, name in enumerate(names, start=1)
        )
        + "</sheets></workbook>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(sheets) + 1)
        )
        + f'<Relationship Id="rId{len(sheets) + 1}" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    types = _CONTENT_TYPES.format(
        sheets="\n".join(_SHEET_TYPE.format(n=n) for n in range(1, len(sheets) + 1))
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with (
            atomic_file(path, private=False) as tmp,
            zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z,
        ):
            z.writestr("[Content_Types].xml", types)
            z.writestr("_rels/.rels", _ROOT_RELS)
            z.writestr("xl/workbook.xml", workbook)
            z.writestr("xl/_rels/workbook.xml.rels", rels)
            z.writestr("xl/styles.xml", _STYLES)
            for n, (_, header, rows) in enumerate(sheets, start=1):
                z.writestr(f"xl/worksheets/sheet{n}.xml", _sheet_xml(header, rows))
    except OSError as exc:
        raise TryggError("export.failed", path=str(path), reason=exc.strerror or str(exc)) from None
    return path
