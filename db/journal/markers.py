"""The journal's own fields, beside the record fields.

- ``_deleted``: a tombstone. Its value names everything the deleter had seen (``seen``,
  a vector), so an edit it had not seen can be told apart and kept as a conflict.
- ``_erased``: an erasure marker (gallring). It outranks every version of the record's
  personal fields whatever its stamp: applying it nulls them and removes their history
  and conflict copies.
- ``_ack.<field>``: an acknowledgement naming a losing version of ``<field>`` that a
  person has seen and resolved.

Markers carry no personal data and travel in the core scope, so every profile carries
deletions and erasures.
"""

from __future__ import annotations

import sqlite3

from db.i18n import msg
from db.journal import chains
from db.records import CORE, RecordType, field_label

DELETED = "_deleted"
ERASED = "_erased"
ACK_PREFIX = "_ack."


def ack_field(field: str) -> str:
    """The journal field that acknowledges a losing version of ``field``."""
    return ACK_PREFIX + field


def marker_text(rtype: str, field: str, value: object, lang: str | None = None) -> str | None:
    """A marker entry of the journal in the users' words ("Personuppgifterna gallrades
    2026-12-04"), for the change history and ``trygg log``; None for a record field."""
    if field == DELETED:
        return msg("journal.deleted", lang)
    if field == ERASED:
        date = value.get("date") if isinstance(value, dict) else None
        return msg("journal.erased", lang, date=date or "–")
    if field.startswith(ACK_PREFIX):
        return msg(
            "journal.resolved", lang, field=field_label(rtype, field[len(ACK_PREFIX) :], lang)
        )
    return None


def field_scope(rt: RecordType, name: str) -> str:
    """The sync scope of a journal field: a record field's own scope; markers are core,
    so deletions and erasures travel in every profile; an acknowledgement has the scope
    of the field it acknowledges."""
    if name in (DELETED, ERASED):
        return CORE
    if name.startswith(ACK_PREFIX):
        return rt.field(name[len(ACK_PREFIX) :]).scope
    return rt.field(name).scope


def apply_erasure(conn: sqlite3.Connection, rt: RecordType, record_id: str, day: str) -> None:
    """Null the personal fields of a record, and remove their history and conflicts."""
    personal = rt.personal_fields
    marks = ", ".join("?" for _ in personal)
    acks = [ack_field(name) for name in personal]
    # Their places in their origins' chains stay, without value or salt (a backup copy
    # made before chaining has nothing to keep).
    if chains.has_chains(conn):
        chains.keep_erased(conn, record_id, [*personal, *acks])
    conn.execute(
        f"DELETE FROM journal WHERE record_id = ? AND field IN ({marks}, {marks})",
        (record_id, *personal, *acks),
    )
    conn.execute(
        f"DELETE FROM conflicts WHERE record_id = ? AND field IN ({marks})",
        (record_id, *personal),
    )
    assignments = ", ".join(f"{name} = NULL" for name in personal)
    conn.execute(
        f"UPDATE {rt.name} SET {assignments}, erased_date = ? WHERE id = ?", (day, record_id)
    )
