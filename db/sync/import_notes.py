"""What an import tells a person beside its counts, decided once.

The CLI (`trygg import`, `trygg sync`) and the receive screen (F9) word the same notes
differently — a command to type, a key to press — but must never disagree on *which*
notes an import gives: one of them lacking the note that a sender claims to be police,
or that changes could not be proved, once hid exactly that from the person reading it.
Each note's ``kind`` is the last part of its catalogue key in both interfaces:
``cli.import.<kind>`` and ``receive.<kind>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from db.records import POLIS, choice_label
from db.sync.merge import ImportSummary
from db.textutil import printable

#: Every kind of note, in the order they are given.
NOTE_KINDS = (
    "encrypted",
    "database",
    "personal",
    "already",
    "first_contact",
    "police_unconfirmed",
    "card_offered",
    "future",
    "unverified",
    "gap",
    "dropped",
    "erased",
    "backup",
)


@dataclass(frozen=True)
class ImportNote:
    """One note: its kind, whether it asks for attention, and the values its sentence
    names (already printable: file text never reaches a terminal raw)."""

    kind: str
    warning: bool = False
    params: Mapping[str, str | int] = field(default_factory=dict)


def import_notes(summary: ImportSummary, lang: str | None = None) -> list[ImportNote]:
    """The notes an import gives, in ``NOTE_KINDS`` order."""
    sender = printable(summary.sender.name, single_line=True)
    notes: list[ImportNote] = []

    def note(kind: str, warning: bool = False, **params: str | int) -> None:
        notes.append(ImportNote(kind, warning, params))

    if summary.encrypted:
        note("encrypted")
    if summary.from_database:
        note("database", path=printable(str(summary.path), single_line=True), sender=sender)
    if summary.personal:
        note("personal")
    if summary.already_imported and not summary.changed:
        note("already")
    if summary.first_contact:
        note("first_contact", True, sender=sender, fingerprint=summary.fingerprint)
    if summary.sender_org == POLIS and not summary.sender_police:
        note("police_unconfirmed", True, sender=sender)
    if summary.offered_card:
        offered = summary.offered_card
        org = choice_label("device", "org", offered.org, lang) if offered.org else "–"
        note(
            "card_offered",
            True,
            sender=sender,
            offered=printable(offered.name, single_line=True),
            org=org,
        )
    if summary.future_stamps:
        note("future", True, count=summary.future_stamps, sender=sender)
    if summary.unverified:
        note("unverified", True, count=summary.unverified)
    if summary.gaps:
        note(
            "gap", True, devices=printable(", ".join(summary.gaps), single_line=True), sender=sender
        )
    if summary.dropped_personal:
        note("dropped", count=summary.dropped_personal)
    if summary.erased and not summary.dry_run:
        note("erased", count=len(summary.erased), backups=summary.backups_scrubbed)
    if summary.backup:
        note("backup", path=printable(str(summary.backup), single_line=True))
    return notes
