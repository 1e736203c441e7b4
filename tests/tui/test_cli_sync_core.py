"""The sync core under accident and attack, through the real command line on real files:
clocks running ahead, damaged copies, databases handed over, devices that speak for
others, and files that do not account for what they carry."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner, Result

from db.journal.clock import MAX_FUTURE_MS, Stamp, wall_ms
from db.overview import overview
from db.store import Store
from db.sync.exporter import export_bundle
from tests.conftest import NOW, open_store
from tui import cli

THREE_YEARS_MS = 3 * 365 * 24 * 60 * 60 * 1000


def run(*args: str, lang: str = "sv") -> Result:
    return CliRunner().invoke(cli.build_cli(lang), list(args), catch_exceptions=False)


def init(path: Path, name: str, org: str = "polis") -> Path:
    result = run("init", "--db", str(path), "--name", name, "--kommun", "Lycksele", "--org", org)
    assert result.exit_code == 0, result.output
    return path


def records(db: Path) -> list[dict]:
    output = run("records", "export", "--db", str(db)).output
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def place_note(db: Path, place_id: str) -> str | None:
    return next(r["note"] for r in records(db) if r["id"] == place_id)


# -- a clock running ahead -----------------------------------------------------------------


def test_a_local_edit_outranks_a_version_stamped_years_ahead(tmp_path: Path) -> None:
    here = init(tmp_path / "here.db", "Här")
    ahead_db = tmp_path / "ahead.db"
    # A colleague's laptop whose clock runs three years ahead edits a place's note.
    with Store(ahead_db, wall=lambda: wall_ms() + THREE_YEARS_MS) as ahead:
        ahead.set_up_device("Framtida", "kommun", "Lycksele")
        place = ahead.create("place", {"name": "Torget", "kommun": "Lycksele", "note": "gammal"})
        export_bundle(ahead, tmp_path / "from-ahead.trygg", full=True)
    assert run("import", str(tmp_path / "from-ahead.trygg"), "--db", str(here)).exit_code == 0

    # The same note is edited here: the edit shows, and is the value from now on.
    edit = tmp_path / "edit.jsonl"
    line = {"type": "place", "id": place, "name": "Torget", "note": "rättad här"}
    edit.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run("records", "import", str(edit), "--db", str(here))
    assert result.exit_code == 0 and "1 ändrade" in result.output, result.output
    assert place_note(here, place) == "rättad här"

    # Importing the colleague's file again does not bring the replaced value back.
    run("import", str(tmp_path / "from-ahead.trygg"), "--db", str(here))
    assert place_note(here, place) == "rättad här"
    # The edit reaches the colleague and wins there too.
    back = tmp_path / "to-ahead.trygg"
    assert run("export", "--db", str(here), "--out", str(back), "--full").exit_code == 0
    assert run("import", str(back), "--db", str(ahead_db)).exit_code == 0
    assert place_note(ahead_db, place) == "rättad här"
    # And a later file from the colleague does not revert it here.
    again = tmp_path / "from-ahead-2.trygg"
    assert run("export", "--db", str(ahead_db), "--out", str(again), "--full").exit_code == 0
    assert run("import", str(again), "--db", str(here)).exit_code == 0
    assert place_note(here, place) == "rättad här"

    # doctor finds the record consistent, and names the device whose clock runs ahead.
    doctor = run("doctor", "--db", str(here))
    assert doctor.exit_code == 0, doctor.output
    assert "stämmer inte med sin ändringslogg" not in doctor.output
    assert "Framtida" in doctor.output and "klocka" in doctor.output
    # So does the overview.
    with open_store(here) as store:
        figures = overview(store, NOW.date())
        assert [name for name, _day in figures.clocks_ahead] == ["Framtida"]
        assert figures.clocks_ahead[0][1] > date.today().replace(year=date.today().year + 2)
        # This device's clock was not dragged forward: an unrelated write is stamped now.
        other = store.create("place", {"name": "Stationen", "kommun": "Lycksele"})
        stamp: Stamp = store.journal(other)[0].stamp
        assert stamp.ms < wall_ms() + MAX_FUTURE_MS
