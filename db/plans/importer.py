"""Bringing an existing action plan in from the table it lives in today (a Word table
saved as Excel, or CSV): read the table, guess which column is which, let the user
confirm or change that mapping, then create the plan, its focus areas and measures in one
transaction.

Plans as people write them: the focus area is written once and left empty on the rows
below it; a table continued on the next page repeats it as "Forts. Tryggt centrum"; the
rhythm hides in the goal ("minst ett besök per månad"). All three are understood.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlite_utils.utils import maximize_csv_field_size_limit

from db import tabular
from db.dates import parse_date
from db.errors import TryggError
from db.plans.rhythm import PERIOD_RULES, Rhythm, parse_rhythm
from db.records import GOAL_KINDS, MEASURE_STATUS, record_type
from db.store import Store
from db.validation import Refused, clean_value

#: What a column can become, in the order the mapping screen offers them.
TARGETS: tuple[str, ...] = (
    "focus_area",
    "cause_nr",
    "cause",
    "activity",
    "goal",
    "goal_kind",
    "when",
    "rhythm",
    "target_count",
    "responsible",
    "partners",
    "citizen_promise",
    "status",
)
#: Words in a column heading → what the column holds (first match wins, so the longer,
#: more specific words come first).
_HEADINGS: tuple[tuple[str, str], ...] = (
    ("fokusområde", "focus_area"), ("problemområde", "focus_area"), ("focus area", "focus_area"),
    ("område", "focus_area"), ("area", "focus_area"),
    ("orsak nr", "cause_nr"), ("cause no", "cause_nr"), ("nr", "cause_nr"),
    ("orsak", "cause"), ("cause", "cause"),
    ("operativa mål", "goal"), ("operativt mål", "goal"), ("måltyp", "goal_kind"),
    ("typ av mål", "goal_kind"), ("goal kind", "goal_kind"),
    ("mål", "goal"), ("goal", "goal"),
    ("aktivitet", "activity"), ("åtgärd", "activity"), ("activity", "activity"),
    ("measure", "activity"),
    ("rytm", "rhythm"), ("hur ofta", "rhythm"), ("frekvens", "rhythm"), ("rhythm", "rhythm"),
    ("antal", "target_count"), ("target", "target_count"),
    ("när", "when"), ("tidplan", "when"), ("deadline", "when"), ("when", "when"),
    ("ansvarig", "responsible"), ("vem", "responsible"), ("responsible", "responsible"),
    ("who", "responsible"),
    ("samverkan", "partners"), ("partner", "partners"), ("parter", "partners"),
    ("medborgarlöfte", "citizen_promise"), ("löfte", "citizen_promise"),
    ("citizen promise", "citizen_promise"), ("promise", "citizen_promise"),
    ("status", "status"),
)  # fmt: skip
_CONTINUED = re.compile(r"^\s*(forts(\.|ättning)?|cont(\.|inued)?)\s*:?\s*", re.IGNORECASE)


@dataclass
class Table:
    """A plan table as read from its file: the heading row and the rows below it."""

    header: list[str]
    rows: list[list[str]]
    sheet: str | None = None
    #: The text above the headings, when there is some (often the plan's own title).
    title: str | None = None


def read_table(path: Path) -> Table:
    """Read the plan table of a CSV or XLSX file. Raises TryggError with a plain reason
    for a missing, unreadable or empty file or an unknown kind of file."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise TryggError("plan_import.missing", path=str(path))
    try:
        if suffix in (".xlsx", ".xlsm"):
            grid, sheet = _xlsx_grid(path)
        elif suffix in (".csv", ".txt", ".tsv"):
            grid, sheet = csv_rows(path), None
        else:
            raise TryggError("plan_import.kind", path=str(path))
    except OSError as exc:
        raise TryggError("plan_import.unreadable", path=str(path), reason=exc.strerror) from None
    grid = [[_tidy(str(c)) for c in row] for row in grid]
    grid = [row for row in grid if any(row)]
    if len(grid) < 2:
        raise TryggError("plan_import.empty", path=str(path))
    at = _heading_row(grid)
    width = max(len(row) for row in grid[at:])
    header = (grid[at] + [""] * width)[:width]
    rows = [(row + [""] * width)[:width] for row in grid[at + 1 :]]
    above = next((c for row in grid[:at] for c in row if c), None)
    title = " ".join(above.split()) if above else None
    return Table([h or f"#{i + 1}" for i, h in enumerate(header)], rows, sheet, title)


def csv_rows(path: Path) -> list[list[str]]:
    """The cells of a CSV or TSV file, row by row, with the encoding and delimiter that
    records import detects too (``db.tabular``). Read as a grid, not as dicts keyed by
    the first row: a plan's table often has its title above the headings, and empty or
    repeated headings, which a dict would merge."""
    raw = path.read_bytes()
    text = raw.decode(tabular.encoding_of(raw) or "latin-1")
    dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else tabular.dialect_of(text)
    maximize_csv_field_size_limit()
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as exc:
        raise TryggError("plan_import.unreadable", path=str(path), reason=str(exc)) from None


def _tidy(cell: str) -> str:
    """Spaces tidied within each line; line breaks kept (a list of posts in one cell)."""
    lines = (" ".join(line.split()) for line in cell.splitlines())
    return "\n".join(line for line in lines if line)


def _xlsx_grid(path: Path) -> tuple[list[list[str]], str]:
    """The cells of the workbook's fullest sheet as text (dates as ISO dates)."""
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise TryggError("plan_import.bad_xlsx", path=str(path), reason=str(exc)) from None
    try:
        best: tuple[list[list[str]], str] = ([], "")
        for sheet in book.worksheets:
            grid = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            filled = sum(1 for row in grid if any(row))
            if filled > sum(1 for row in best[0] if any(row)):
                best = (grid, sheet.title)
        return best
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _heading_row(grid: list[list[str]]) -> int:
    """The row among the first ten that names most known columns (title rows above a
    table are common); the first row when none does."""
    scores = [(sum(1 for cell in row if guess_target(cell)), -i) for i, row in enumerate(grid[:10])]
    best, minus_index = max(scores)
    return -minus_index if best else 0


def guess_target(heading: str) -> str | None:
    """What a column with this heading probably holds, or None."""
    words = " ".join(heading.lower().split()).strip(" :")
    for word, target in _HEADINGS:
        if re.search(rf"(^|\W){re.escape(word)}($|\W)", words):
            return target
    return None


def guess_mapping(header: list[str]) -> list[str | None]:
    """A target (or None: leave out) for each column; a target is used once, by its
    first column."""
    taken: set[str] = set()
    mapping: list[str | None] = []
    for heading in header:
        target = guess_target(heading)
        if target in taken:
            target = None
        if target:
            taken.add(target)
        mapping.append(target)
    return mapping


# -- from rows to measures ---------------------------------------------------------------

_NUMBER = r"(\d{1,3}|en|ett|två|tre|fyra|one|two|three|four)"
_PERIOD = r"(dag|vecka|månad|kvartal|halvår|år|day|week|month|quarter|year)"
_PER_PERIOD = re.compile(
    rf"\b{_NUMBER}\b(\s+\S+){{0,3}}?\s+(per|i|om|a|every)\s+{_PERIOD}(en|et)?\b", re.IGNORECASE
)
_WEEKDAYS_TEXT = re.compile(
    r"\b(varje|every)\s+((mån|tis|ons|tors|fre|lör|sön)dag(ar)?|(mon|tues|wednes|thurs|fri|"
    r"satur|sun)days?)((\s*(,|och|and)\s*)((mån|tis|ons|tors|fre|lör|sön)dag(ar)?|(mon|tues|"
    r"wednes|thurs|fri|satur|sun)days?))*",
    re.IGNORECASE,
)
_YEARLY = re.compile(r"\b(årlig(a|t|en)?|yearly|annual|varje\s+(vår|höst|sommar|vinter))\b", re.I)


def rhythm_in_text(text: str) -> Rhythm | None:
    """A rhythm stated in a goal or activity ("minst ett grundligt besök per månad",
    "varje fredag och lördag", "en årlig kontroll"), or None. Careful by design: "inom
    två år" is a deadline, not a rhythm, and is not read as one."""
    for pattern in (_WEEKDAYS_TEXT, _PER_PERIOD):
        found = pattern.search(text or "")
        if found:
            try:
                return parse_rhythm(found.group(0))
            except TryggError:
                continue
    if _YEARLY.search(text or ""):
        return Rhythm(PERIOD_RULES["ar"])
    return None


@dataclass
class ImportRow:
    """One measure as it will be created, with what was noticed on the way."""

    #: The row's number in the table (1 = the first row under the headings).
    line: int
    area: str | None
    values: dict[str, Any]
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportPreview:
    """What an import would create: areas in order, measures, and rows left out."""

    areas: list[str]
    rows: list[ImportRow]
    skipped: list[int]

    @property
    def rhythms_found(self) -> int:
        return sum(1 for r in self.rows if r.values.get("rrule"))


def preview(table: Table, mapping: list[str | None], today: date) -> ImportPreview:
    """The measures ``table`` gives under ``mapping``; nothing is written. Raises
    TryggError("plan_import.no_activity") when no column is the activity."""
    if "activity" not in mapping:
        raise TryggError("plan_import.no_activity")
    areas: list[str] = []
    rows: list[ImportRow] = []
    skipped: list[int] = []
    area: str | None = None
    for number, cells in enumerate(table.rows, start=1):
        got = {t: _one_line(t, cells[i]) for i, t in enumerate(mapping) if t and i < len(cells)}
        if got.get("focus_area"):
            area = _CONTINUED.sub("", got["focus_area"]).strip() or area
            if area and area not in areas:
                areas.append(area)
        if not got.get("activity"):
            # A row with only an area (a heading row in the table) or nothing useful.
            if any(v for k, v in got.items() if k != "focus_area"):
                skipped.append(number)
            continue
        rows.append(_measure(number, area, got, today))
    return ImportPreview(areas, rows, skipped)


def _one_line(target: str, cell: str) -> str:
    """A cell's lines as one value: posts become a list ("Polis, Kommun (ION)"), other
    text one paragraph."""
    lines = [line.strip() for line in cell.splitlines() if line.strip()]
    return (", " if target in ("responsible", "partners") else " ").join(lines)


def _measure(line: int, area: str | None, got: dict[str, str], today: date) -> ImportRow:
    values: dict[str, Any] = {
        name: got[name]
        for name in ("cause", "activity", "goal", "responsible", "partners")
        if got.get(name)
    }
    row = ImportRow(line, area, values)
    if got.get("cause_nr"):
        digits = re.match(r"\d+", got["cause_nr"])
        if digits:
            values["cause_nr"] = int(digits.group(0))
    kind = got.get("goal_kind", "").lower()
    for code in GOAL_KINDS:
        if kind.startswith(code[:4]):
            values["goal_kind"] = code
    status = got.get("status", "").lower()
    for code in MEASURE_STATUS:
        if status.startswith(code[:4]):
            values["status"] = code
    if got.get("citizen_promise"):
        try:
            values["citizen_promise"] = clean_value(
                record_type("measure").field("citizen_promise"), got["citizen_promise"]
            )
        except Refused:
            row.notes.append("citizen_promise")
    if got.get("target_count", "").isdigit():
        values["target_count"] = int(got["target_count"])
    when = got.get("when", "")
    if when:
        try:
            values["due_date"] = parse_date(when, today).isoformat()
        except TryggError:
            rhythm = _rhythm_or_none(when)
            if rhythm:
                _set_rhythm(values, rhythm)
            else:
                # Kept where people will see it, not dropped.
                values["goal"] = " ".join(filter(None, [values.get("goal"), f"({when})"]))
                row.notes.append("when")
    if got.get("rhythm"):
        rhythm = _rhythm_or_none(got["rhythm"])
        if rhythm:
            _set_rhythm(values, rhythm)
        else:
            row.notes.append("rhythm")
    if "rrule" not in values:
        rhythm = rhythm_in_text(values.get("goal", "")) or rhythm_in_text(values["activity"])
        if rhythm:
            _set_rhythm(values, rhythm)
            row.notes.append("rhythm_from_text")
    if values.get("rrule") and "goal_kind" not in values:
        values["goal_kind"] = "produktion"
    return row


def _rhythm_or_none(text: str) -> Rhythm | None:
    try:
        return parse_rhythm(text)
    except TryggError:
        return rhythm_in_text(text)


def _set_rhythm(values: dict[str, Any], rhythm: Rhythm) -> None:
    values["rrule"] = rhythm.rule
    values.setdefault("target_count", rhythm.times)


@dataclass(frozen=True)
class Imported:
    plan_id: str
    areas: int
    measures: int


def import_plan(
    store: Store,
    found: ImportPreview,
    plan: dict[str, Any],
    *,
    into: str | None = None,
) -> Imported:
    """Create the plan (from ``plan``'s fields) — or add to plan ``into`` — with the
    previewed areas and measures, all in one transaction: a refused value leaves nothing
    behind. Areas already in the plan are reused by name."""
    with store.transaction():
        if into:
            if store.get("plan", into) is None:
                raise TryggError("record.missing", id=into)
            plan_id = into
        else:
            plan_id = store.create("plan", plan)
        existing = {
            a["name"].casefold(): a["id"]
            for a in store.records("focus_area", where={"plan_id": plan_id})
        }
        position = len(existing)
        created_areas = 0
        for name in found.areas:
            if name.casefold() not in existing:
                position += 1
                existing[name.casefold()] = store.create(
                    "focus_area", {"plan_id": plan_id, "name": name, "position": position}
                )
                created_areas += 1
        # Updating a plan: a measure already in it (the same activity) is updated, not
        # made twice.
        have = {
            _same(m["activity"]): m["id"]
            for m in store.records("measure", where={"plan_id": plan_id})
        }
        numbers: dict[str | None, int] = {}
        for row in found.rows:
            values = {"plan_id": plan_id, "status": "planerad", **row.values}
            if row.area:
                values["focus_area_id"] = existing[row.area.casefold()]
            # Each measure gets its Nr: the file's own, or its place in its area.
            numbers[row.area] = numbers.get(row.area, 0) + 1
            values.setdefault("cause_nr", numbers[row.area])
            if values.get("cause_nr") is None:
                values["cause_nr"] = numbers[row.area]
            known = have.get(_same(values["activity"]))
            if known:
                values.pop("status")
                store.update("measure", known, values)
            else:
                store.create("measure", values)
    return Imported(plan_id, created_areas, len(found.rows))


def _same(text: object) -> str:
    return " ".join(str(text or "").split()).casefold()


def plan_titled(store: Store, title: str) -> str | None:
    """The plan already called ``title`` (ignoring case and spacing), if any."""
    wanted = _same(title)
    for plan in store.records("plan"):
        if _same(plan["title"]) == wanted:
            return str(plan["id"])
    return None


def kommuner_in(text: str | None) -> list[str]:
    """The municipalities named in ``text`` ("… mellan Sollefteå kommun och polisen")."""
    from db.kommuner import KOMMUNER_BY_LAN

    words = text or ""
    return [
        name
        for names in KOMMUNER_BY_LAN.values()
        for name in names
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", words)
    ]


def title_from_file(path: Path) -> str:
    """A first guess at the plan's title from its file name ("solleftea-handlingsplan"
    → "Solleftea handlingsplan")."""
    words = re.sub(r"[_\-.]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else path.name
