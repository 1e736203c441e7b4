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


# -- a damaged copy of a file already imported ---------------------------------------------


def _damaged_copy(path: Path, at: int) -> Path:
    """A copy of ``path`` with a few bytes of its entries overwritten, as a failing USB
    stick or an interrupted copy leaves it (size and manifest untouched)."""
    data = bytearray(path.read_bytes())
    data[at : at + 24] = b"\x00\xff" * 12
    bad = path.with_name(f"damaged-{at}.trygg")
    bad.write_bytes(bytes(data))
    return bad


def test_a_damaged_copy_of_a_file_already_imported_is_reported_damaged(tmp_path: Path) -> None:
    a, b = init(tmp_path / "a.db", "Anna"), init(tmp_path / "b.db", "Bo", "kommun")
    with open_store(a) as store:
        for n in range(400):
            store.create("place", {"name": f"Plats {n}", "kommun": "Lycksele", "note": "x" * 40})
    out = tmp_path / "a.trygg"
    assert run("export", "--db", str(a), "--out", str(out), "--full").exit_code == 0
    assert run("import", str(out), "--db", str(b)).exit_code == 0
    size = out.stat().st_size
    for at in (size - 700, size // 2):  # the last page, and one in the middle
        bad = _damaged_copy(out, at)
        result = run("import", str(bad), "--db", str(b))
        assert result.exit_code == 1, result.output
        assert "redan inläst" not in result.output
        assert "skadad" in result.output or "kontrollsumma" in result.output, result.output
