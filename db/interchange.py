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

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from db.errors import TryggError, ValidationFailed
from db.i18n import msg
from db.ids import is_id
from db.records import TYPE_NAMES, TYPES, Kind, field_label, record_type
from db.store import Store
from db.textutil import json_text
from db.validation import validate


def iter_records(store: Store, types: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every live record of ``types`` (all types by default) as interchange objects, in
    interchange order."""
    wanted = sorted({record_type(t).name for t in types} if types else TYPE_NAMES)
    for rtype in wanted:
        for record in store.list(rtype, order_by=("id",)):
            yield {"type": rtype, **record}


def dump_record(record: dict[str, Any]) -> str:
    """One interchange line (without the newline). Characters a terminal would obey or
    hide are written as JSON escapes, so the file reads back exactly and prints safely."""
    return json_text(record)


def export_records(
    store: Store, out: IO[str], types: Iterable[str] | None = None
) -> dict[str, int]:
    """Write the interchange file to ``out``; returns the number of records per type."""
    counts: dict[str, int] = {}
    for record in iter_records(store, types):
        out.write(dump_record(record) + "\n")
        counts[record["type"]] = counts.get(record["type"], 0) + 1
    return counts


@dataclass(frozen=True)
class LineProblem:
    """Why one line of an import file was refused."""

    line: int
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    rtype: str | None = None
    field: str | None = None

    def message(self, lang: str | None = None) -> str:
        problem = msg(self.key, lang, **self.params)
        label = field_label(self.rtype, self.field, lang) if self.field and self.rtype else None
        if self.field and label and label != self.field:
            problem = f"{label} ({self.field}): {problem}"
        elif self.field:
            problem = f"{self.field}: {problem}"
        return msg("records.line", lang, line=self.line, problem=problem)


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


def read_file(path: Path, default_type: str | None = None) -> list[tuple[int, dict[str, Any]]]:
    """Read an interchange file (JSON Lines, or CSV by its ``.csv`` ending) into
    ``(line number, object)`` pairs. Raises RecordsImportFailed for unreadable lines."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TryggError("records.unreadable", path=str(path), reason=exc.strerror) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TryggError("records.not_utf8", path=str(path)) from None
    if path.suffix.lower() == ".csv":
        return _read_csv(text, default_type)
    return _read_jsonl(text)


def _read_jsonl(text: str) -> list[tuple[int, dict[str, Any]]]:
    objects, problems = [], []
    # Split on "\n" only: str.splitlines() would also split on U+0085 and U+2028, which
    # JSON leaves unescaped inside strings.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            problems.append(LineProblem(number, "records.not_json"))
            continue
        if not isinstance(obj, dict):
            problems.append(LineProblem(number, "records.not_object"))
            continue
        objects.append((number, obj))
    if problems:
        raise RecordsImportFailed(problems)
    return objects


def _read_csv(text: str, default_type: str | None) -> list[tuple[int, dict[str, Any]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if reader.fieldnames is None:
        return []
    if "type" not in reader.fieldnames and default_type is None:
        raise TryggError("records.csv_no_type")
    objects = []
    for row in reader:
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
                k: v for k, v in obj.items() if k in ("type", "id") or rt.has(k) or v is not None
            }
        objects.append((reader.line_num, obj))
    return objects


def import_records(store: Store, path: Path, default_type: str | None = None) -> ImportSummary:
    """Check every line of ``path``, then write all of it in one transaction, or nothing.

    Raises RecordsImportFailed listing each problem with its line number.
    """
    if default_type is not None:
        record_type(default_type)
    objects = read_file(path, default_type)
    if not objects:
        raise TryggError("records.empty_file", path=str(path))
    incoming, problems = _check(store, objects, default_type)
    if problems:
        raise RecordsImportFailed(problems)

    summary = ImportSummary()
    with store.transaction():
        for item in incoming:
            if item.record_id and store.exists(item.rtype, item.record_id):
                if store.get(item.rtype, item.record_id) is None:
                    summary.skipped_deleted += 1
                    continue
                changed = store.update(item.rtype, item.record_id, item.fields, check_refs=False)
                if changed:
                    summary.updated[item.rtype] = summary.updated.get(item.rtype, 0) + 1
                else:
                    summary.unchanged += 1
            else:
                store.create(item.rtype, item.fields, record_id=item.record_id, check_refs=False)
                summary.created[item.rtype] = summary.created.get(item.rtype, 0) + 1
    return summary


def _check(
    store: Store, objects: list[tuple[int, dict[str, Any]]], default_type: str | None
) -> tuple[list[_Incoming], list[LineProblem]]:
    problems: list[LineProblem] = []
    incoming: list[_Incoming] = []
    seen_ids: dict[str, int] = {}
    file_ids: dict[str, str] = {}  # id -> type, for references within the file
    now = store.now()

    for number, obj in objects:
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
