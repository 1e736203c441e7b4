"""The notes an import gives are decided once (db/sync/import_notes.py) and worded by both
interfaces: the CLI (`cli.import.<kind>`) and the receive screen (`receive.<kind>`)."""

from __future__ import annotations

from pathlib import Path
from string import Formatter

import pytest

from db.i18n import LANGUAGES, catalogue
from db.peers import DeviceCard
from db.records import KOMMUN, POLIS
from db.sync.import_notes import NOTE_KINDS, import_notes
from db.sync.merge import ImportSummary


def everything() -> ImportSummary:
    """A summary with every reason for a note."""
    summary = ImportSummary(Path("/tmp/polisA.trygg"), DeviceCard("d1", "polisA", POLIS), False)
    summary.encrypted = True
    summary.from_database = True
    summary.personal = True
    summary.already_imported = True
    summary.first_contact = True
    summary.fingerprint = "ABCD-EFGH"
    summary.sender_org = POLIS
    summary.offered_card = DeviceCard("d1", "Polis A\x1b[31m", KOMMUN)
    summary.future_stamps = 2
    summary.unverified = 3
    summary.gaps = ["kommunB"]
    summary.dropped_personal = 4
    summary.erased = ["r1", "r2"]
    summary.backups_scrubbed = 1
    summary.backup = Path("/tmp/backup.db")
    return summary


def test_every_kind_of_note_in_its_order() -> None:
    notes = import_notes(everything(), "sv")
    assert tuple(note.kind for note in notes) == NOTE_KINDS
    offered = next(note for note in notes if note.kind == "card_offered")
    # Text from a colleague's file is made printable before either interface shows it.
    assert "\x1b" not in str(offered.params["offered"])
    assert offered.params["org"] == "Kommun"


def test_a_quiet_import_gives_no_notes() -> None:
    summary = ImportSummary(Path("f.trygg"), DeviceCard("d1", "kommunB", KOMMUN), False)
    summary.sender_org = KOMMUN
    summary.new_entries = 5
    assert import_notes(summary) == []


def test_police_unconfirmed_is_said_at_every_import_not_only_the_first() -> None:
    # The CLI once said it only at first contact; the screen at every file.
    summary = ImportSummary(Path("f.trygg"), DeviceCard("d1", "polisA", POLIS), False)
    summary.sender_org = POLIS
    assert [note.kind for note in import_notes(summary)] == ["police_unconfirmed"]
    summary.sender_police = True
    assert import_notes(summary) == []


def test_a_dry_run_does_not_claim_erasure_done_here() -> None:
    summary = everything()
    summary.dry_run = True
    assert "erased" not in [note.kind for note in import_notes(summary)]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("prefix", ["cli.import", "receive"])
def test_both_interfaces_word_every_note_with_the_values_it_carries(lang: str, prefix: str) -> None:
    messages = catalogue("tui", lang)
    params = {note.kind: set(note.params) for note in import_notes(everything(), lang)}
    for kind in NOTE_KINDS:
        template = messages.get(f"{prefix}.{kind}")
        assert template is not None, f"{lang}: {prefix}.{kind} missing"
        named = {name for _, name, _, _ in Formatter().parse(template) if name}
        assert named <= params[kind], f"{lang}: {prefix}.{kind} names {named - params[kind]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_why_an_entry_does_not_fit_is_said_in_the_readers_language(lang: str) -> None:
    """A damaged file's refusal once read "(type 'snacbrapport')" or "(record id)" in a
    Swedish sentence (found by a cold test): each reason is a phrase of the catalogue."""
    from db.errors import TryggError
    from db.sync.bundle import _PROBLEM_PHRASES, problem_phrase

    messages = catalogue("db", lang)
    for words, key in _PROBLEM_PHRASES.items():
        assert key in messages, key
        refusal = TryggError("bundle.bad_entry", path="f.trygg", problem=problem_phrase(words))
        assert "bundle." not in refusal.message(lang)
    said = TryggError(
        "bundle.bad_entry", path="f.trygg", problem=problem_phrase("type 'snacbrapport'")
    ).message(lang)
    assert "'snacbrapport'" in said and "type '" not in said
    if lang == "sv":
        assert "okänd posttyp 'snacbrapport'" in said and "skadad" in said
