"""The records interchange format: the current state of a database as JSON Lines.

One JSON object per line: ``"type"`` (walk, finding, snabbrapport, plan, focus_area,
measure, progress, followup, place, owner), ``"id"``, then every field of the type in the
registry's order (null where empty). Lines are sorted by type, then id, so two databases
holding the same data print byte-identical files. Deleted records are not part of the
state and are not written.

Import reads the same format, or CSV (comma or semicolon, UTF-8 with or without BOM) with
a ``type`` column or a given type. Every line is checked before anything is written; one
bad line means nothing is written. Records whose id exists are updated through the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from sqlite_utils.utils import Format

from db import tabular
from db.errors import TryggError, ValidationFailed
from db.i18n import msg
from db.ids import is_id
from db.records import TYPE_NAMES, TYPES, Kind, field_label, record_type
from db.store import Store
from db.textutil import json_text
from db.validation import validate

#: Called now and then during long work: (records done, records in all).
Progress = Callable[[int, int], None]
_PROGRESS_EVERY = 50


def iter_records(store: Store, types: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every live record of ``types`` (all types by default) as interchange objects, in
    interchange order."""
    wanted = sorted({record_type(t).name for t in types} if types else TYPE_NAMES)
    for rtype in wanted:
        for record in store.records(rtype, order_by=("id",)):
            yield {"type": rtype, **record}


def dump_record(record: dict[str, Any]) -> str:
    """One interchange line (without the newline). Characters a terminal would obey or
    hide are written as JSON escapes, so the file reads back exactly and prints safely."""
    return json_text(record)


def export_records(
    store: Store,
    out: IO[str],
    types: Iterable[str] | None = None,
    *,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write the interchange file to ``out``; returns the number of records per type.
    ``progress``, if given, hears how many records are written."""
    wanted = sorted({record_type(t).name for t in types} if types else TYPE_NAMES)
    total = sum(store.count(rtype) for rtype in wanted) if progress else 0
    counts: dict[str, int] = {}
    written = 0
    for record in iter_records(store, wanted):
        out.write(dump_record(record) + "\n")
        counts[record["type"]] = counts.get(record["type"], 0) + 1
        written += 1
        if progress and written % _PROGRESS_EVERY == 0:
            progress(written, max(total, written))
    if progress:
        progress(written, written)
    return counts


@dataclass(frozen=True)
class LineProblem:
    """Why one line of an import file was refused."""

    line: int
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    rtype: str | None = None
    field: str | None = None
    #: The line is the position of an item in a JSON array, not a line of text.
    item: bool = False

    def message(self, lang: str | None = None) -> str:
        problem = msg(self.key, lang, **self.params)
        label = field_label(self.rtype, self.field, lang) if self.field and self.rtype else None
        if self.field and label and label != self.field:
            problem = f"{label} ({self.field}): {problem}"
        elif self.field:
            problem = f"{self.field}: {problem}"
        key = "records.item" if self.item else "records.line"
        return msg(key, lang, line=self.line, problem=problem)


class RecordsImportFailed(TryggError):
    """The file had problems; nothing was written. ``problems`` lists every one."""

    def __init__(self, problems: list[LineProblem]) -> None:
        super().__init__("records.failed", count=len(problems))
        self.problems = problems


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    skipped_deleted: int = 0

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def total_updated(self) -> int:
        return sum(self.updated.values())


@dataclass
class _Incoming:
    line: int
    rtype: str
    record_id: str | None
    fields: dict[str, Any]


def read_file(
    path: Path, default_type: str | None = None
) -> tuple[list[tuple[int, dict[str, Any]]], bool]:
    """Read an import file into ``(line number, object)`` pairs: JSON Lines (the
    interchange format), a JSON array, or CSV/TSV (``;``, ``,`` or tab; UTF-8 or Excel's
    Windows-1252) — by its ending, else by its content. A CSV row's number is its row in
    a spreadsheet; a JSON array's item its position (the second value returned says
    which). Raises RecordsImportFailed for unreadable lines, naming each."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TryggError("records.unreadable", path=str(path), reason=exc.strerror) from None
    fmt = tabular.format_of(raw, path.suffix)
    if fmt in (Format.CSV, Format.TSV):
        encoding = tabular.encoding_of(raw)
        if encoding is None:
            raise TryggError("records.not_utf8", path=str(path))
        return _read_csv(raw, fmt, encoding, default_type), False
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TryggError("records.not_utf8", path=str(path)) from None
    if fmt is Format.JSON:
        return _read_json(raw.removeprefix(b"\xef\xbb\xbf")), True
    return _read_jsonl(text), False


def _read_jsonl(text: str) -> list[tuple[int, dict[str, Any]]]:
    objects, problems = [], []
    # Split on "\n" only: str.splitlines() would also split on U+0085 and U+2028, which
    # JSON leaves unescaped inside strings.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            obj = tabular.json_value(line)
        except tabular.Unreadable as bad:
            problems.append(LineProblem(number, bad.key, bad.params))
            continue
        if not isinstance(obj, dict):
            problems.append(LineProblem(number, "records.not_object"))
            continue
        objects.append((number, obj))
    if problems:
        raise RecordsImportFailed(problems)
    return objects


def _read_json(raw: bytes) -> list[tuple[int, dict[str, Any]]]:
    try:
        items = tabular.json_rows(raw)
    except tabular.Unreadable as bad:
        raise RecordsImportFailed([LineProblem(bad.params.get("line", 1), bad.key)]) from None
    objects, problems = [], []
    for number, obj in enumerate(items, start=1):
        if isinstance(obj, dict):
            objects.append((number, obj))
        else:
            problems.append(LineProblem(number, "records.not_object", item=True))
    if problems:
        raise RecordsImportFailed(problems)
    return objects


def _read_csv(
    raw: bytes, fmt: Format, encoding: str, default_type: str | None
) -> list[tuple[int, dict[str, Any]]]:
    rows = tabular.table_rows(raw, fmt, encoding)
    objects = []
    try:
        for number, row in enumerate(rows, start=2):
            if number == 2 and "type" not in row and default_type is None:
                raise TryggError("records.csv_no_type")
            obj: dict[str, Any] = {}
            for key, value in row.items():
                if key is None:  # more cells than header columns
                    continue
                obj[key.strip()] = value if value is None or value.strip() else None
            if not any(v is not None for v in obj.values()):
                continue
            rtype = obj.get("type") or default_type
            # A mixed CSV has every type's columns; keep those of this row's type.
            if rtype in TYPES:
                rt = TYPES[rtype]
                obj = {
                    k: v
                    for k, v in obj.items()
                    if k in ("type", "id") or rt.has(k) or v is not None
                }
            objects.append((number, obj))
    except tabular.Unreadable as bad:
        line = objects[-1][0] + 1 if objects else 2
        raise RecordsImportFailed([LineProblem(line, bad.key, bad.params)]) from None
    return objects


def import_records(
    store: Store,
    path: Path,
    default_type: str | None = None,
    *,
    progress: Progress | None = None,
) -> ImportSummary:
    """Check every line of ``path``, then write all of it in one transaction, or nothing.

    Raises RecordsImportFailed listing each problem with its line number. ``progress``,
    if given, hears how many lines are done: a line is half done when checked, done when
    written (checking and writing take about as long).
    """
    if default_type is not None:
        record_type(default_type)
    objects, items = read_file(path, default_type)
    if not objects:
        raise TryggError("records.empty_file", path=str(path))

    def step(steps: int) -> None:
        if progress and (steps % _PROGRESS_EVERY == 0 or steps == 2 * len(objects)):
            progress(steps // 2, len(objects))

    incoming, problems = _check(store, objects, default_type, step)
    if problems:
        raise RecordsImportFailed([replace(p, item=items) for p in problems])

    summary = ImportSummary()
    with store.transaction():
        for done, item in enumerate(incoming, start=len(objects) + 1):
            _write(store, item, summary)
            step(done)
    return summary


def _write(store: Store, item: _Incoming, summary: ImportSummary) -> None:
    """Create or update one checked record; a record deleted here stays deleted."""
    if item.record_id and store.exists(item.rtype, item.record_id):
        if store.get(item.rtype, item.record_id) is None:
            summary.skipped_deleted += 1
            return
        changed = store.update(item.rtype, item.record_id, item.fields, check_refs=False)
        if changed:
            summary.updated[item.rtype] = summary.updated.get(item.rtype, 0) + 1
        else:
            summary.unchanged += 1
    else:
        store.create(item.rtype, item.fields, record_id=item.record_id, check_refs=False)
        summary.created[item.rtype] = summary.created.get(item.rtype, 0) + 1


def _check(
    store: Store,
    objects: list[tuple[int, dict[str, Any]]],
    default_type: str | None,
    step: Callable[[int], None],
) -> tuple[list[_Incoming], list[LineProblem]]:
    problems: list[LineProblem] = []
    incoming: list[_Incoming] = []
    seen_ids: dict[str, int] = {}
    file_ids: dict[str, str] = {}  # id -> type, for references within the file
    now = store.now()

    for checked, (number, obj) in enumerate(objects):
        step(checked)
        obj = dict(obj)
        rtype = obj.pop("type", None) or default_type
        if rtype is None:
            problems.append(LineProblem(number, "records.no_type"))
            continue
        if rtype not in TYPES:
            problems.append(
                LineProblem(number, "type.unknown", {"type": rtype, "types": ", ".join(TYPE_NAMES)})
            )
            continue
        record_id = obj.pop("id", None)
        if record_id is not None:
            record_id = record_id.strip().lower() if isinstance(record_id, str) else record_id
            if not is_id(record_id):
                problems.append(LineProblem(number, "record.bad_id", {"id": str(record_id)[:60]}))
                continue
            if record_id in seen_ids:
                problems.append(
                    LineProblem(
                        number,
                        "records.duplicate_id",
                        {"id": record_id, "other": seen_ids[record_id]},
                    )
                )
                continue
            seen_ids[record_id] = number
            file_ids[record_id] = rtype
        current = store.get(rtype, record_id, include_deleted=True) if record_id else None
        try:
            validate(rtype, obj, current, now)
        except ValidationFailed as failure:
            problems.extend(
                LineProblem(number, p.key, p.params, rtype, p.field) for p in failure.problems
            )
            continue
        incoming.append(_Incoming(number, rtype, record_id, obj))

    for item in incoming:
        rt = TYPES[item.rtype]
        for name, value in item.fields.items():
            f = rt.field(name)
            if f.kind is not Kind.REF or value is None:
                continue
            target = value.strip().lower()
            if file_ids.get(target) == f.ref:
                continue
            stored = store.get(f.ref, target, include_deleted=True)  # type: ignore[arg-type]
            if stored is None:
                problems.append(
                    LineProblem(item.line, "ref.missing", {"id": target}, rt.name, name)
                )
            elif store.get(f.ref, target) is None:  # type: ignore[arg-type]
                problems.append(
                    LineProblem(item.line, "ref.deleted", {"id": target}, rt.name, name)
                )
    problems.sort(key=lambda p: p.line)
    return incoming, problems
