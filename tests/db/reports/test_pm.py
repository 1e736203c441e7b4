"""The note to social services: what it says, how it is marked, what writing it records."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import pytest

from db.errors import TryggError
from db.reports import pm
from db.store import Store
from db.sync import export_log
from tests.conftest import report_fields

TODAY = date(2026, 11, 22)


def _report(store: Store, **overrides: object) -> str:
    fields = report_fields(
        phone="070-123 45 67", drunk=True, custody="annat", custody_other="skjutsad hem",
        guardian_contacted="i_efterhand", guardian_action="vagrade", obot="rapporteftergift",
        seized=["6 burk starköl 50 cl"], seized_note="hälldes ut", ovrigt="Lugn, samarbetsvillig",
        officer="Insp. Berg",
    )  # fmt: skip
    fields.update(overrides)
    return store.create("snabbrapport", fields)


def test_the_note_says_who_what_and_how_the_guardian_was_reached(store: Store) -> None:
    text = pm.pm_text(store, [_report(store)], TODAY, "sv")
    lines = text.splitlines()
    assert lines[0] == "SEKRETESS" and lines[-1] == "SEKRETESS"
    assert "PM TILL SOCIALFÖRVALTNINGEN" in text
    assert "Till: Socialförvaltningen, Lycksele" in text
    assert "Ungdom: Alva Testsson, 20100315-9801 (16 år, kvinna)" in text
    assert "Telefon: 070-123 45 67" in text
    assert "Uppgifter för uppföljning: Berusad" in text
    assert "6 burk starköl 50 cl. hälldes ut" in text
    assert "Blev personen omhändertagen: Annat: skjutsad hem" in text
    assert "Målsman eller annan vuxen kontaktad på platsen: I efterhand" in text
    assert "Målsmans agerande: Vägrade" in text
    assert "O-bot utfärdad: Rapporteftergift" in text
    assert "Lugn, samarbetsvillig" in text and "Insp. Berg" in text
    assert max(len(line) for line in lines) <= pm.WIDTH
    assert pm.legal_reference(store, "sv") in text.replace("\n", " ")


def test_the_legal_reference_is_the_users_text(store: Store) -> None:
    default = pm.legal_reference(store, "sv")
    pm.set_legal_reference(store, "  Enligt 10 kap.   OSL, dnr 2026/17 ")
    assert pm.legal_reference(store) == "Enligt 10 kap. OSL, dnr 2026/17"
    assert "dnr 2026/17" in pm.pm_text(store, [_report(store)], TODAY)
    pm.set_legal_reference(store, "")
    assert pm.legal_reference(store, "sv") == default
    with pytest.raises(TryggError):
        pm.set_legal_reference(store, "x" * 1001)


def test_writing_records_the_sending_and_logs_a_private_file(store: Store, tmp_path: Path) -> None:
    first, second, other = _report(store), _report(store, name="Liam"), _report(store)
    written = pm.write_pm(store, [second, first], TODAY, "sv", out=tmp_path)
    assert written.numbers == [1, 2]
    assert written.path.name == "PM-socialforvaltningen-2026-11-22-nr1-2-SEKRETESS.txt"
    assert stat.S_IMODE(written.path.stat().st_mode) == 0o600
    for report_id in (first, second):
        report = store.get("snabbrapport", report_id) or {}
        assert (report["pm_social"], report["pm_sent_date"]) == ("ja", "2026-11-22")
    assert (store.get("snabbrapport", other) or {})["pm_sent_date"] is None
    (entry,) = export_log.entries(store.conn)
    assert entry.personal and entry.profile == "pm" and entry.records == {"snabbrapport": 2}
    assert export_log.personal_files_still_present(store.conn) == [written.path.resolve()]
    again = pm.write_pm(store, [first], TODAY, "sv", out=tmp_path)
    assert again.path != written.path  # never overwrites an earlier note


def test_erased_or_missing_reports_are_refused_and_nothing_is_written(
    store: Store, tmp_path: Path
) -> None:
    report_id = _report(store)
    store.erase_personal("snabbrapport", report_id)
    out = tmp_path / "notes"
    out.mkdir()
    with pytest.raises(TryggError) as caught:
        pm.write_pm(store, [report_id], TODAY, out=out)
    assert caught.value.key == "pm.erased"
    with pytest.raises(TryggError):
        pm.write_pm(store, [], TODAY, out=out)
    assert list(out.iterdir()) == []
    assert export_log.entries(store.conn) == []


def test_a_note_that_cannot_be_written_marks_nothing(store: Store, tmp_path: Path) -> None:
    report_id = _report(store)
    blocked = tmp_path / "file"
    blocked.write_text("")
    with pytest.raises(TryggError) as caught:
        pm.write_pm(store, [report_id], TODAY, out=blocked / "pm.txt")
    assert caught.value.key == "export.failed"
    assert (store.get("snabbrapport", report_id) or {})["pm_sent_date"] is None


def test_a_municipality_s_device_writes_no_note_and_counts_none_due(
    tmp_path: Path,
) -> None:
    # A kommun device (its reports came without names) wrote a note to "(namn ej
    # uppgivet)" and marked the report sent; the mark reached the police, whose officer
    # would never write the real one (cold test). Its overview counted notes "to send".
    from db.overview import overview
    from tests.conftest import open_store

    with open_store(tmp_path / "kommun.db", org="kommun") as store:
        report_id = _report(store, pm_social="ja")
        out = tmp_path / "notes"
        out.mkdir()
        with pytest.raises(TryggError) as caught:
            pm.write_pm(store, [report_id], TODAY, out=out)
        assert caught.value.key == "pm.police_only"
        assert (store.get("snabbrapport", report_id) or {}).get("pm_sent_date") is None
        assert list(out.iterdir()) == []
        assert overview(store, TODAY).pm_due is None
    with open_store(tmp_path / "polis.db") as store:
        _report(store, pm_social="ja")
        assert overview(store, TODAY).pm_due == 1


def test_a_report_with_nobody_named_here_gets_no_note(store: Store, tmp_path: Path) -> None:
    # As a file in the kommun profile brings it: the name and personnummer left out.
    report_id = _report(store)
    with store.transaction():
        store.conn.execute(
            "UPDATE snabbrapport SET name = NULL, personnummer = NULL WHERE id = ?", (report_id,)
        )
    with pytest.raises(TryggError) as caught:
        pm.write_pm(store, [report_id], TODAY, out=tmp_path)
    assert caught.value.key == "pm.no_person"
    assert caught.value.message("sv").startswith("Rapport nr 1 har varken namn")
