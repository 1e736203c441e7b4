"""Renders docs/records.md, the reference of the records interchange format, from the
record registry and the catalogues, so the documentation cannot drift from the code.

Run ``python -m db.docs > docs/records.md`` after changing a record type; a test fails
while the committed file differs.
"""

from __future__ import annotations

from db.i18n import msg
from db.records import DISPLAY_ORDER, PERSONAL, TYPES, Field, Kind, field_label, type_label

_KIND_TEXT = {
    Kind.TEXT: "text (one line)",
    Kind.LONGTEXT: "text (several lines)",
    Kind.INT: "integer",
    Kind.REAL: "number",
    Kind.BOOL: "true / false",
    Kind.DATE: "date `YYYY-MM-DD`",
    Kind.TIME: "time `HH:MM`",
    Kind.CHOICE: "code",
    Kind.REF: "id of a {ref}",
    Kind.TEXTLIST: "list of text",
    Kind.PARTICIPANTS: 'list of `{{"group": text, "count": integer}}`',
    Kind.RRULE: "RFC 5545 RRULE, e.g. `FREQ=WEEKLY;BYDAY=FR,SA`",
    Kind.PERIOD: "`2026`, `2026-H1`, `2026-Q3` or `2026-05`",
}

INTRO = """\
# The records interchange format

`trygg records export` writes the current state of a database as JSON Lines (UTF-8):
one object per record, `"type"` first, then `"id"` (a UUID), then every field of the
type below in this order, `null` where empty. Lines are sorted by type, then id, so
two databases holding the same data give byte-identical files. Deleted records are
not part of the state and are not written.

`trygg records import FILE` reads the same format, or CSV (comma or semicolon,
UTF-8 with or without BOM) with a `type` column or `--type TYPE`. In CSV, lists are
written `a|b|c` (or as a JSON array) and participants `Boende:8|Polis:2`; decimal
commas are accepted. Every line is checked before anything is written: on any
problem each one is printed with its line number and nothing changes. A line whose
id exists updates that record through the store (journalled like any edit); a line
without an id, or with an unknown one, creates a record; fields left out of a line
are left as they are.

Fields marked *personal* are personal data (name, personnummer, phone, free text
about a person): they are erased when their time is up and stay on the device unless
an export deliberately includes them. Fields marked *set by Trygg* are filled in by
the store (a number that is the next free one, age and sex from the personnummer at
the report's date) and may be given on import.

This page is generated from the code by `python -m db.docs`.
"""


def _kind(f: Field) -> str:
    text = _KIND_TEXT[f.kind].format(ref=f.ref)
    if f.kind is Kind.CHOICE:
        text += ": " + ", ".join(f"`{code}`" for code in f.choices)
    if f.kind in (Kind.INT, Kind.REAL) and f.minimum is not None and f.maximum is not None:
        text += f" ({_num(f.minimum)}–{_num(f.maximum)})"
    return text


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _notes(rtype: str, f: Field) -> str:
    notes = []
    if f.required:
        notes.append("required")
    if f.scope == PERSONAL:
        notes.append("*personal*")
    if f.derived or (rtype == "snabbrapport" and f.name in ("age", "sex")):
        notes.append("*set by Trygg*")
    if f.not_future:
        notes.append("not in the future")
    return ", ".join(notes)


def render() -> str:
    """The whole reference page as Markdown."""
    parts = [INTRO]
    for name in DISPLAY_ORDER:
        rt = TYPES[name]
        parts.append(f"\n## `{name}` — {type_label(name, 'en')} ({type_label(name, 'sv')})\n")
        parts.append("| field | kind | label (sv) | notes |")
        parts.append("| --- | --- | --- | --- |")
        for f in rt.fields:
            label = field_label(name, f.name, "sv")
            parts.append(f"| `{f.name}` | {_kind(f)} | {label} | {_notes(name, f)} |")
        choices = [f for f in rt.fields if f.kind is Kind.CHOICE]
        if choices:
            parts.append("")
            for f in choices:
                words = ", ".join(f"`{c}` {msg(f'choice.{f.name}.{c}', 'sv')}" for c in f.choices)
                parts.append(f"- `{f.name}`: {words}")
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(render(), end="")
