"""What SQLite can check of a received file's entries, a range of them at a time.

Checking a first import entry by entry in Python cost half of it (issue 20). Most entries
are plain: a stamp, a device, a known type, a canonical id, a field of that type in its
scope, and a value of a kind whose canonical form SQLite can recognise (text without
escapes or surrounding space, an integer, a decimal number, a choice, a yes or no, an
id). :func:`plain_entries` finds those with one query per range of the file; Python's
``entry_problem`` (db/sync/bundle.py) still checks every other entry, so each refusal is
found, and said, exactly as before. The conditions here are deliberately narrower than
``entry_problem``: an entry they pass is one ``entry_problem`` passes (a test holds them
to it), and an entry they do not pass is merely checked in Python.

:func:`body_lines` likewise writes the canonical lines of the body hash with SQLite's
``json_array``, which escapes text as Python's ``json.dumps(ensure_ascii=False)`` does,
for a range whose parts are all integers, texts, links and nulls (any other range is
written by ``chunk_lines`` in Python).
"""

from __future__ import annotations

import json
import sqlite3
from functools import cache

from db.records import PERSONAL, TYPES, Field, Kind
from db.validation import Refused, clean_value

#: A canonical lower-case UUID (db/ids.py), as a GLOB pattern.
_HEX = "[0-9a-f]"
_UUID_GLOB = "-".join(_HEX * n for n in (8, 4, 4, 4, 12))
#: The first and last character of a text that cannot be whitespace for Python's
#: ``str.strip``: printable ASCII but the space, and the Latin letters up to U+024F.
_EDGE = "(({c}) BETWEEN 33 AND 126 OR ({c}) BETWEEN 192 AND 591)"
#: A number as far from a field's limit as SQLite's reading of a decimal text can be from
#: Python's (SQLite 3.40's is not always correctly rounded): closer is checked in Python.
_MARGIN = 1e-9
_NO_LIMIT = 1e300


def _text_condition(v: str, max_length: int) -> str:
    """``v`` is a JSON string with nothing escaped, no control character, no space at
    either end, at most ``max_length`` characters: Python decodes and cleans it to its
    text between the quotes, unchanged."""
    return (
        f"(substr({v}, 1, 1) = '\"' AND substr({v}, -1, 1) = '\"'"
        f" AND instr({v}, char(0)) = 0 AND instr({v}, '\\') = 0"
        f" AND NOT {v} GLOB '*[' || char(1) || '-' || char(31) || ']*'"
        f" AND length({v}) BETWEEN 3 AND {max_length + 2}"
        f" AND instr(substr({v}, 2, length({v}) - 2), '\"') = 0"
        f" AND {_EDGE.format(c=f'unicode(substr({v}, 2, 1))')}"
        f" AND {_EDGE.format(c=f'unicode(substr({v}, -2, 1))')})"
    )


def _bounds(f: Field) -> tuple[float, float]:
    low = -_NO_LIMIT if f.minimum is None else f.minimum
    high = _NO_LIMIT if f.maximum is None else f.maximum
    return low, high


def _int_condition(v: str, f: Field) -> str:
    """``v`` is a JSON integer of at most 18 digits within the field's limits."""
    low, high = _bounds(f)
    digits = f"(CASE WHEN substr({v}, 1, 1) = '-' THEN substr({v}, 2) ELSE {v} END)"
    return (
        f"(length({v}) BETWEEN 1 AND 18 AND ({digits} = '0' OR {digits} GLOB '[1-9]*')"
        f" AND {digits} NOT GLOB '*[^0-9]*' AND {v} != '-0'"
        f" AND CAST({v} AS INTEGER) BETWEEN {low!r} AND {high!r})"
    )


def _real_condition(v: str, f: Field) -> str:
    """``v`` is a JSON decimal number with a fraction (Python reads a float from it),
    without exponent, clearly within the field's limits."""
    low, high = _bounds(f)
    low += _MARGIN * (abs(low) + 1)
    high -= _MARGIN * (abs(high) + 1)
    digits = f"(CASE WHEN substr({v}, 1, 1) = '-' THEN substr({v}, 2) ELSE {v} END)"
    return (
        f"(length({v}) BETWEEN 3 AND 24 AND {digits} GLOB '[0-9]*.[0-9]*'"
        f" AND {digits} NOT GLOB '*[^0-9.]*' AND {digits} NOT GLOB '*.*.*'"
        f" AND {digits} NOT GLOB '0[0-9]*'"
        f" AND CAST({v} AS REAL) BETWEEN {low!r} AND {high!r})"
    )


def _among(v: str, texts: list[str]) -> str:
    if not texts:
        return "0"
    return f"{v} IN ({', '.join(_quote(t) for t in texts)})"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _value_condition(v: str, f: Field) -> str | None:
    """The condition on the JSON text ``v`` (not null) under which ``entry_problem``
    finds nothing wrong with it as a value of ``f``; None for a kind left to Python."""
    if f.kind in (Kind.TEXT, Kind.LONGTEXT):
        return _text_condition(v, f.max_length)
    if f.kind is Kind.INT:
        return _int_condition(v, f)
    if f.kind is Kind.REAL:
        return _real_condition(v, f)
    if f.kind is Kind.CHOICE:
        kept = [code for code in f.choices if _cleans_to_itself(f, code)]
        return _among(v, [json.dumps(code, ensure_ascii=False) for code in kept])
    if f.kind is Kind.BOOL:
        return _among(v, ["true", "false"])
    if f.kind is Kind.REF:
        return f"({v} GLOB '\"{_UUID_GLOB}\"')"
    return None


def _cleans_to_itself(f: Field, value: str) -> bool:
    try:
        return clean_value(f, value) == value and '"' not in value and "\\" not in value
    except Refused:
        return False


def _field_condition(scopes: tuple[str, ...]) -> str:
    """Type, field, scope and value (``e.value``) of a plain entry (a CASE on the type,
    then one on the field: SQLite tries each WHEN in turn)."""
    types = []
    for rt in TYPES.values():
        cases = []
        for f in rt.fields:
            value = _value_condition("e.value", f) if f.scope in scopes else None
            if value is not None:
                cases.append(
                    f"WHEN {_quote(f.name)} THEN e.scope = {_quote(f.scope)} AND (e.value IS NULL"
                    f" OR (typeof(e.value) = 'text' AND {value}))"
                )
        if cases:
            types.append(f"WHEN {_quote(rt.name)} THEN CASE e.field {' '.join(cases)} ELSE 0 END")
    if not types:
        return "0"
    return f"(CASE e.tbl {' '.join(types)} ELSE 0 END)"


def _chain_condition(chained: bool) -> str:
    """Salt, link and seal of an entry ``_chain_problem`` passes (no stub: those are
    checked in Python)."""
    if not chained:
        return "1"
    link = "(typeof(e.link) = 'blob' AND length(e.link) = 32)"
    salt = "(typeof(e.salt) = 'text' AND length(e.salt) = 32 AND e.salt NOT GLOB '*[^0-9a-f]*')"
    return (
        f"(e.sealed IS NULL AND (e.salt IS NULL AND (e.link IS NULL OR ({link}"
        f" AND e.scope != {_quote(PERSONAL)}))"
        f" OR (e.scope = {_quote(PERSONAL)} AND {salt} AND {link})))"
    )


@cache
def _plain_condition(scopes: tuple[str, ...], chained: bool) -> str:
    """The whole condition on an entry ``e`` of the file that ``entry_problem`` and
    ``_chain_problem`` would pass."""
    return (
        "(typeof(e.ts) = 'integer' AND e.ts > 0"
        " AND typeof(e.device) = 'text' AND length(CAST(e.device AS BLOB)) BETWEEN 1 AND 64"
        " AND typeof(e.tbl) = 'text' AND typeof(e.record_id) = 'text'"
        " AND length(CAST(e.record_id AS BLOB)) = 36"
        f" AND e.record_id GLOB '{_UUID_GLOB}'"
        " AND typeof(e.field) = 'text'"
        " AND ((e.prev_ts IS NULL AND e.prev_device IS NULL) OR (typeof(e.prev_ts) ="
        " 'integer' AND typeof(e.prev_device) = 'text'))"
        f" AND e.scope IN ({', '.join(_quote(s) for s in scopes) or 'NULL'})"
        f" AND {_chain_condition(chained)}"
        f" AND {_field_condition(scopes)})"
    )


def unplain_seqs(
    conn: sqlite3.Connection, low: int, high: int, scopes: tuple[str, ...], chained: bool
) -> list[int]:
    """The seqs of the file's entries between ``low`` and ``high`` (inclusive) that are
    not plain: the ones to check in Python. ``conn`` reads the file as ``main``."""
    condition = _plain_condition(tuple(scopes), chained)
    return [
        row[0]
        for row in conn.execute(
            f"SELECT e.seq FROM entries AS e WHERE e.seq BETWEEN ? AND ?"
            f" AND coalesce({condition}, 0) = 0",
            (low, high),
        )
    ]


def body_lines(conn: sqlite3.Connection, low: int, high: int, chained: bool) -> bytes | None:
    """``chunk_lines`` of the file's entries between ``low`` and ``high`` (inclusive), made
    by SQLite; None when a part of one of them is of a type that SQLite's JSON would not
    write as Python's does (a number with a fraction, a blob that is not a link)."""
    texts = ["device", "tbl", "record_id", "field", "value", "prev_device", "scope"]
    parts = "ts, device, tbl, record_id, field, value, prev_ts, prev_device, scope"
    if chained:
        texts += ["salt", "sealed"]
        parts += ", salt, CASE WHEN link IS NULL THEN NULL ELSE lower(hex(link)) END, sealed"
    sayable = " AND ".join(
        [
            "typeof(ts) = 'integer'",
            "typeof(prev_ts) IN ('integer', 'null')",
            *(f"typeof({name}) IN ('text', 'null')" for name in texts),
            *(["typeof(link) IN ('blob', 'null')"] if chained else []),
        ]
    )
    ok, lines = conn.execute(
        "SELECT min(ok), CAST(group_concat(line, char(10)) AS BLOB) FROM (SELECT"
        f" ({sayable}) AS ok, CASE WHEN {sayable} THEN json_array({parts}) END AS line"
        " FROM entries WHERE seq BETWEEN ? AND ? ORDER BY seq)",
        (low, high),
    ).fetchone()
    if not ok or lines is None:
        return None
    return bytes(lines) + b"\n"
