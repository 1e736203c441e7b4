"""Reading the tables people bring: CSV and TSV saved by Excel or LibreOffice, JSON and
JSON Lines, read by sqlite-utils' ``rows_from_file``.

What Trygg adds around it is what Swedish files need: the text may be UTF-8 (with or
without a BOM) or Windows-1252 (Excel's "CSV (semikolonavgränsad)"), and the delimiter a
semicolon, a comma or a tab, whichever the file uses. Deeply nested JSON and numbers too
long for Python to convert are refused with a reason instead of an unexpected error.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from sqlite_utils.utils import (
    Format,
    RowError,
    maximize_csv_field_size_limit,
    rows_from_file,
)

#: Delimiters a table from a Swedish office may use.
DELIMITERS = ";,\t"
#: How much of a file the delimiter is guessed from.
SAMPLE = 8192
#: The encodings tried in turn: UTF-8 (a BOM skipped), then Windows' Western European.
ENCODINGS = ("utf-8-sig", "cp1252")


class Unreadable(ValueError):
    """One row or value of a table cannot be read; ``key`` names why (a message key)."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def encoding_of(raw: bytes) -> str | None:
    """The first of ENCODINGS that decodes ``raw``, or None."""
    for encoding in ENCODINGS:
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def dialect_of(text: str) -> type[csv.Dialect]:
    """The CSV dialect of ``text`` (its start): the delimiter among ``; , tab`` that
    splits its lines consistently, by the standard library's sniffer; where the sniffer
    finds none (a table of one column), the one its first line holds most of."""
    sample = text[:SAMPLE]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        first = sample.split("\n", 1)[0]
        delimiter = max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ","

        class Guessed(csv.excel):
            pass

        Guessed.delimiter = delimiter
        return Guessed


def format_of(raw: bytes, suffix: str) -> Format:
    """The format of a file: by its ending where that says (``.json``, ``.jsonl``,
    ``.ndjson``, ``.tsv``, ``.csv``), else by its first character — ``[`` a JSON array,
    ``{`` JSON Lines — else CSV."""
    suffix = suffix.lower()
    if suffix == ".json":
        return Format.JSON
    if suffix in (".jsonl", ".ndjson"):
        return Format.NL
    if suffix == ".tsv":
        return Format.TSV
    if suffix != ".csv":
        start = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if start == b"[":
            return Format.JSON
        if start == b"{":
            return Format.NL
    return Format.CSV


def table_rows(raw: bytes, fmt: Format, encoding: str) -> Iterator[dict[str | None, Any]]:
    """The rows of a CSV or TSV file as dicts keyed by its heading row (cells beyond the
    headings under the key None), one per row as a spreadsheet shows it."""
    # A long cell (a note pasted in) is read whole and refused, if it is too long for its
    # field, by that field's own rule instead of the csv module's 128 KiB limit.
    maximize_csv_field_size_limit()
    if fmt is Format.TSV:
        dialect: type[csv.Dialect] = csv.excel_tab
    else:
        dialect = dialect_of(raw.decode(encoding, errors="replace"))
    rows, _ = rows_from_file(
        io.BytesIO(raw), format=Format.CSV, dialect=dialect, encoding=encoding, extras_key="\0"
    )
    try:
        for row in rows:
            extras = row.pop("\0", None)
            if extras:
                row[None] = extras  # type: ignore[index]
            yield row  # type: ignore[misc]
    except csv.Error as exc:
        raise Unreadable("table.bad_csv", reason=str(exc)) from None
    except RowError as exc:  # pragma: no cover - extras_key keeps extra cells
        raise Unreadable("table.bad_csv", reason=str(exc)) from None


def json_rows(raw: bytes) -> list[Any]:
    """The items of a JSON file holding an array (or one object)."""
    try:
        rows, _ = rows_from_file(io.BytesIO(raw), format=Format.JSON)
    except RecursionError:
        raise Unreadable("table.too_deep") from None
    except json.JSONDecodeError as exc:
        raise Unreadable("table.not_json_at", line=exc.lineno) from None
    except ValueError as exc:
        raise _value_problem(exc) from None
    return list(rows)


def json_value(line: str) -> Any:
    """One line of JSON Lines. Raises Unreadable."""
    try:
        return json.loads(line)
    except RecursionError:
        raise Unreadable("table.too_deep") from None
    except json.JSONDecodeError:
        raise Unreadable("table.not_json") from None
    except ValueError as exc:
        raise _value_problem(exc) from None


def _value_problem(exc: ValueError) -> Unreadable:
    # Python refuses to convert integers of more than 4,300 digits (a guard against
    # denial of service): such a number is no value any field of Trygg holds.
    if "digits" in str(exc):
        return Unreadable("table.number_too_long")
    if isinstance(exc, UnicodeDecodeError):
        return Unreadable("table.not_utf8")
    return Unreadable("table.not_json")
