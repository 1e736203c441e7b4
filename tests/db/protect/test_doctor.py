"""trygg doctor's checks on real files: each finds what it is for and stays quiet otherwise."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from db.journal.clock import wall_ms
from db.protect import doctor
from db.store import Store
from tests.conftest import NOW, open_store, report_fields, walk_fields

TODAY = date(2026, 11, 22)


def _keys(store: Store) -> dict[str, str]:
    return {f.key: f.level for f in doctor.check(store, TODAY)}


def test_a_healthy_database_has_no_errors_or_warnings(tmp_path: Path) -> None:
    with open_store(tmp_path / "ok.db") as store:
        store.create("walk", walk_fields())
        found = _keys(store)
    assert found["doctor.integrity_ok"] == "info" and found["doctor.journal_ok"] == "info"
    assert not [k for k, level in found.items() if level != "info"]


def test_a_row_changed_behind_the_stores_back_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "edited.db"
    with open_store(path) as store:
        store.create("walk", walk_fields(area="Rätt"))
    conn = sqlite3.connect(path)
    conn.execute("UPDATE walk SET area = 'Ändrad utan logg'")
    conn.execute(
        "INSERT INTO walk (id, kommun, deleted) VALUES"
        " ('0190a0a0-0000-7000-8000-000000000001', 'Lycksele', 0)"
    )
    conn.commit()
    conn.close()
    with open_store(path) as store:
        found = _keys(store)
    assert found["doctor.out_of_step"] == "error"
    assert found["doctor.no_history"] == "warning"


def test_stamps_from_a_clock_running_ahead_and_the_same_person_twice(tmp_path: Path) -> None:
    path = tmp_path / "clock.db"
    ahead = wall_ms() + 3 * 24 * 3600 * 1000
    with Store(path, now=lambda: NOW, wall=lambda: ahead) as fast:
        fast.set_up_device("Snabb klocka", "polis", "Lycksele")
        fast.create("snabbrapport", report_fields(time="21:00"))
        fast.create("snabbrapport", report_fields(time="22:00"))
    with open_store(path) as store:
        found = doctor.check(store, TODAY)
    levels = {f.key: f for f in found}
    assert levels["doctor.future"].level == "warning"
    same = levels["doctor.same_person"]
    assert same.params == {"numbers": "1, 2", "date": "2026-11-21"}
    assert "20100315" not in str(same.params)


def test_a_table_changed_outside_trygg_is_named_through_the_command(tmp_path: Path) -> None:
    """A dropped column would make the later checks fail with an SQL error: doctor names
    what is missing instead, and a missing view or search index is a warning."""
    from click.testing import CliRunner

    from tui import cli

    path = tmp_path / "changed.db"
    with open_store(path) as store:
        store.create("walk", walk_fields())
    conn = sqlite3.connect(path)
    conn.executescript("DROP VIEW findings_view; DROP TABLE finding_fts;")
    conn.close()
    with open_store(path) as store:
        found = _keys(store)
    assert found["doctor.views_missing"] == "warning"
    assert found["doctor.search_missing"] == "warning"
    conn = sqlite3.connect(path)
    conn.executescript("DROP VIEW walks_view; ALTER TABLE walk DROP COLUMN notes;")
    conn.close()
    result = CliRunner().invoke(cli.build_cli("sv"), ["doctor", "--db", str(path)])
    assert result.exit_code != 0
    assert "saknar delar som Trygg behöver (walk.notes)" in result.output
    assert "oväntat" not in result.output
