"""The sync core under accident and attack, through the real command line on real files:
clocks running ahead, damaged copies, databases handed over, devices that speak for
others, and files that do not account for what they carry."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from db import drafts
from db.journal.clock import MAX_FUTURE_MS, Stamp, wall_ms
from db.overview import overview
from db.protect import keys
from db.protect.keys import own_secrets
from db.store import Store
from db.sync.exporter import export_bundle
from db.sync.manifest import canonical
from tests.conftest import NOW, open_store, report_fields, walk_fields
from tui import cli
from tui.cli import common

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
    assert result.exit_code == 0 and "1 ändrad," in result.output, result.output
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


def test_a_damaged_copy_of_a_file_already_imported_is_already_imported(tmp_path: Path) -> None:
    """Its signed manifest names a file merged whole here: it is answered "already
    imported" without its body being read, and changes nothing (taking nothing from it
    lets nothing damaged in). The same copy is refused as damaged where the file was never
    imported."""
    a, b = init(tmp_path / "a.db", "Anna"), init(tmp_path / "b.db", "Bo", "kommun")
    c = init(tmp_path / "c.db", "Cilla", "kommun")
    with open_store(a) as store:
        for n in range(400):
            store.create("place", {"name": f"Plats {n}", "kommun": "Lycksele", "note": "x" * 40})
    out = tmp_path / "a.trygg"
    assert run("export", "--db", str(a), "--out", str(out), "--full").exit_code == 0
    assert run("import", str(out), "--db", str(b)).exit_code == 0
    before = records(b)
    size = out.stat().st_size
    for at in (size - 700, size // 2):  # the last page, and one in the middle
        bad = _damaged_copy(out, at)
        result = run("import", str(bad), "--db", str(b))
        assert result.exit_code == 0, result.output
        assert "redan inläst" in result.output, result.output
        assert records(b) == before
        refused = run("import", str(bad), "--db", str(c))
        assert refused.exit_code == 1, refused.output
        assert "skadad" in refused.output or "kontrollsumma" in refused.output, refused.output
        assert records(c) == []


# -- only a device speaks for itself ---------------------------------------------------------

PNR = "20100315-9801"


def device_id(db: Path) -> str:
    with open_store(db) as store:
        return store.require_device().id


def fingerprint_of(db: Path) -> str:
    first = run("peers", "--db", str(db)).output.splitlines()[0]
    return first.rsplit(" ", 1)[1]


def send(src: Path, dst: Path, out: Path, *options: str) -> Result:
    exported = run("export", "--db", str(src), "--out", str(out), *options)
    assert exported.exit_code == 0, exported.output
    imported = run("import", str(out), "--db", str(dst))
    assert imported.exit_code == 0, imported.output
    return imported


def with_report(db: Path) -> None:
    with open_store(db) as store:
        store.create("snabbrapport", report_fields(personnummer=PNR))


def test_a_third_device_cannot_rename_or_promote_another(tmp_path: Path) -> None:
    a = init(tmp_path / "a.db", "polisA")
    b = init(tmp_path / "b.db", "kommunB", "kommun")
    m = init(tmp_path / "m.db", "Tredje", "kommun")
    with_report(a)
    with open_store(b) as store:
        store.create("place", {"name": "Torget", "kommun": "Lycksele"})
    send(b, a, tmp_path / "b-a.trygg", "--full")
    send(b, m, tmp_path / "b-m.trygg", "--full")
    # The third laptop, dishonest or compromised, says kommunB is the police.
    with sqlite3.connect(m) as conn:
        conn.execute(
            "UPDATE devices SET name = 'Polisen Bo', org = 'polis' WHERE id = ?", (device_id(b),)
        )
    send(m, a, tmp_path / "m-a.trygg", "--full")
    listed = run("peers", "--db", str(a)).output
    assert "kommunB (Kommun)" in listed and "Polisen Bo" not in listed
    # So the next file to kommunB carries no personal data.
    to_b = run(
        "export", "--db", str(a), "--out", str(tmp_path / "a-b.trygg"), "--to", device_id(b)[:8]
    )
    assert "Profil kommun" in to_b.output, to_b.output
    run("import", str(tmp_path / "a-b.trygg"), "--db", str(b))
    assert PNR not in run("records", "export", "--db", str(b)).output


def test_a_device_changes_its_own_card_only_once_accepted_here(tmp_path: Path) -> None:
    a = init(tmp_path / "a.db", "polisA")
    b = init(tmp_path / "b.db", "kommunB", "kommun")
    send(b, a, tmp_path / "1.trygg", "--full")
    with open_store(b) as store:
        store.update_device(name="Bo på kommunen", org="polis")
    said = send(b, a, tmp_path / "2.trygg", "--full")
    assert 'kommunB kallar sig nu "Bo på kommunen" (Polis)' in said.output
    listed = run("peers", "--db", str(a)).output
    assert "kommunB (Kommun)" in listed and 'kallar sig nu "Bo på kommunen"' in listed
    accepted = run("peers", "trust", "kommunB", "--db", str(a))
    assert accepted.exit_code == 0, accepted.output
    listed = run("peers", "--db", str(a)).output
    assert "Bo på kommunen (Polis)" in listed and "kallar sig nu" not in listed
    # Saying "polis" of itself is not enough to get personal data.
    assert "säger sig vara polis men är inte bekräftad" in listed


def test_a_file_naming_too_many_devices_is_refused_whole(tmp_path: Path) -> None:
    a = init(tmp_path / "a.db", "polisA")
    m = init(tmp_path / "m.db", "Tredje", "kommun")
    with open_store(m) as store:
        store.create("place", {"name": "Torget", "kommun": "Lycksele"})
    with sqlite3.connect(m) as conn:
        fakes = [(f"{n:08d}-0000-4000-8000-000000000000", f"Enhet {n}") for n in range(1001)]
        conn.executemany(
            "INSERT INTO devices (id, name, org, created_at, is_self)"
            " VALUES (?, ?, 'polis', '', 0)",
            fakes,
        )
        conn.executemany(
            "INSERT INTO vectors (scope, device, ts) VALUES ('core', ?, 1)",
            [(f[0],) for f in fakes],
        )
    out = tmp_path / "m.trygg"
    assert run("export", "--db", str(m), "--out", str(out), "--full").exit_code == 0
    before = run("records", "export", "--db", str(a)).output
    refused = run("import", str(out), "--db", str(a))
    assert refused.exit_code == 1 and "fler än 1000 enheter" in refused.output, refused.output
    assert len(run("peers", "--db", str(a)).output.splitlines()) < 5
    assert run("records", "export", "--db", str(a)).output == before


# -- police by decision, not by declaration ---------------------------------------------------


def test_a_device_gets_personal_data_only_once_confirmed_as_police(tmp_path: Path) -> None:
    a = init(tmp_path / "a.db", "polisA")
    c = init(tmp_path / "c.db", "polisC")
    b = init(tmp_path / "b.db", "kommunB", "kommun")
    with_report(a)
    first = send(c, a, tmp_path / "c-a.trygg", "--full")
    assert "polisC säger sig vara polis" in first.output
    send(b, a, tmp_path / "b-a.trygg", "--full")
    # Until someone here confirms it, polisC gets what the municipality gets.
    plain = send(a, c, tmp_path / "a-c-1.trygg", "--to", "polisC")
    assert PNR not in run("records", "export", "--db", str(c)).output
    assert "säger sig vara polis men är inte bekräftad" in run("peers", "--db", str(a)).output

    no_print = run("peers", "trust", "polisC", "--police", "--db", str(a))
    assert no_print.exit_code == 1 and "kräver fingeravtrycket" in no_print.output
    wrong = run("peers", "trust", "polisC", "--police", "--fingerprint", "0000-0000-0000-0000",
                "--db", str(a))  # fmt: skip
    assert wrong.exit_code == 1 and "stämmer inte" in wrong.output
    confirmed = run("peers", "trust", "polisC", "--police", "--fingerprint", fingerprint_of(c),
                    "--db", str(a))  # fmt: skip
    assert confirmed.exit_code == 0 and "bekräftad som polis" in confirmed.output
    to_c = run("export", "--db", str(a), "--out", str(tmp_path / "a-c-2.trygg"), "--to", "polisC")
    assert "Profil polis" in to_c.output
    run("import", str(tmp_path / "a-c-2.trygg"), "--db", str(c))
    assert PNR in run("records", "export", "--db", str(c)).output
    assert plain.exit_code == 0

    # A device that says it is the municipality's cannot be confirmed as police.
    kommun = run("peers", "trust", "kommunB", "--police", "--fingerprint", fingerprint_of(b),
                 "--db", str(a))  # fmt: skip
    assert kommun.exit_code == 1 and "inte hör till polisen" in kommun.output


# -- every device relays what it holds ----------------------------------------------------


def resigned(path: Path, signer_db: Path, **changes: object) -> Path:
    """``path`` with manifest keys changed and signed again by ``signer_db``'s own key: a
    file a dishonest device could write."""
    bad = path.with_name("forged-" + path.name)
    bad.write_bytes(path.read_bytes())
    with open_store(signer_db) as store:
        secret = own_secrets(store.conn)
    assert secret is not None
    conn = sqlite3.connect(bad)
    for key, value in changes.items():
        conn.execute("UPDATE manifest SET value = ? WHERE key = ?", (json.dumps(value), key))
    manifest = {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM manifest")}
    signature = keys.sign(secret.signing_key, canonical(manifest))
    conn.execute("UPDATE manifest SET value = ? WHERE key = 'signature'", (json.dumps(signature),))
    conn.commit()
    conn.close()
    return bad


def test_entries_the_sender_does_not_account_for_are_refused(tmp_path: Path) -> None:
    s, r, t = (
        init(tmp_path / "s.db", "Sara"),
        init(tmp_path / "r.db", "Rut"),
        init(tmp_path / "t.db", "Tor"),
    )
    with open_store(s) as store:
        store.create("place", {"name": "Torget", "kommun": "Lycksele"})
    out = tmp_path / "s.trygg"
    assert run("export", "--db", str(s), "--out", str(out), "--full").exit_code == 0
    # Sara's file carries her changes but its vectors do not claim them.
    forged = resigned(out, s, sender_vectors={})
    before = records(r)
    result = run("import", str(forged), "--db", str(r))
    assert result.exit_code == 1 and "inte redovisar" in result.output, result.output
    assert records(r) == before
    # Whatever Rut holds, Tor gets by Rut's files: the two never diverge.
    send(r, t, tmp_path / "r-t.trygg", "--full")
    assert records(t) == records(r)
    # Sara's honest file travels on through Rut to Tor.
    send(s, r, tmp_path / "s-r.trygg", "--full")
    send(r, t, tmp_path / "r-t-2.trygg", "--full")
    assert records(t) == records(r) and any(x["type"] == "place" for x in records(t))


# -- a received erasure erases everywhere ----------------------------------------------------

SECRETS = ("Zebulon Qvist", "20100315-9801", "070-1234567")


def traces(db: Path) -> list[str]:
    """Which personal values lie in the raw bytes of the database, its write-ahead log or
    any of its automatic backup copies (drafts live in the database)."""
    files = [db, db.with_name(db.name + "-wal")]
    files += sorted(db.with_name(db.name + ".backups").glob("*"))
    return [
        f"{file.name}: {secret}"
        for file in files
        if file.exists()
        for secret in SECRETS
        if secret.encode() in file.read_bytes()
    ]


def test_a_received_erasure_clears_backups_drafts_and_the_log(tmp_path: Path) -> None:
    a, b = init(tmp_path / "a.db", "polisA"), init(tmp_path / "b.db", "polisB")
    with open_store(a) as store:
        report = store.create(
            "snabbrapport",
            report_fields(name=SECRETS[0], personnummer=SECRETS[1], phone=SECRETS[2]),
        )
    send(a, b, tmp_path / "1.trygg", "--full", "--profile", "polis")
    with open_store(a) as store:  # something new, so that the next import backs up
        store.create("place", {"name": "Torget", "kommun": "Lycksele"})
    send(a, b, tmp_path / "1b.trygg", "--full", "--profile", "polis")  # a second backup
    with open_store(b) as store:
        # Bertil had started to edit the report when the laptop was closed.
        drafts.save(store, drafts.record_key("snabbrapport", report),
                    {"name": SECRETS[0], "phone": SECRETS[2]}, NOW)  # fmt: skip
    assert len(traces(b)) > 3, "the personal data is there before"

    erased = run("gallra", "--report", report, "--db", str(a))
    assert erased.exit_code == 0, erased.output
    said = send(a, b, tmp_path / "2.trygg", "--full", "--profile", "polis")
    assert traces(b) == []
    assert "gallrade" in said.output, said.output
    with open_store(b) as store:
        assert drafts.load(store, drafts.record_key("snabbrapport", report)) is None
        assert store.get("snabbrapport", report)["name"] is None  # type: ignore[index]


# -- a municipal device edits what it holds ---------------------------------------------------


def test_a_municipal_device_changes_the_core_of_a_quick_report(tmp_path: Path) -> None:
    a = init(tmp_path / "a.db", "polisA")
    b = init(tmp_path / "b.db", "kommunB", "kommun")
    with open_store(a) as store:
        report = store.create("snabbrapport", report_fields(personnummer=PNR))
    send(a, b, tmp_path / "a-b.trygg", "--full")  # kommun profile: no personal data
    held = next(r for r in records(b) if r["id"] == report)
    assert held["name"] is None and held["personnummer"] is None
    edit = tmp_path / "edit.jsonl"
    line = {"type": "snabbrapport", "id": report, "place": "Stationen", "obot": "ja"}
    edit.write_text(json.dumps(line) + "\n", encoding="utf-8")
    changed = run("records", "import", str(edit), "--db", str(b))
    assert changed.exit_code == 0 and "1 ändrad," in changed.output, changed.output
    # The change reaches the police, whose personal data stays as it was.
    send(b, a, tmp_path / "b-a.trygg", "--full")
    back = next(r for r in records(a) if r["id"] == report)
    assert (back["place"], back["obot"], back["personnummer"]) == ("Stationen", "ja", PNR)
    # Clearing the name of a report that has no personnummer is still refused.
    with open_store(a) as store:
        other = store.create("snabbrapport", report_fields(personnummer=None))
    cleared = {"type": "snabbrapport", "id": other, "name": None}
    edit.write_text(json.dumps(cleared) + "\n", encoding="utf-8")
    refused = run("records", "import", str(edit), "--db", str(a))
    assert refused.exit_code == 1 and "ange namn eller personnummer" in refused.output


# -- a database handed to a colleague --------------------------------------------------------


def test_a_colleagues_database_is_read_like_a_full_export(tmp_path: Path) -> None:
    a, b = init(tmp_path / "anna.db", "Anna"), init(tmp_path / "bo.db", "Bo")
    with open_store(a) as store:
        walk = store.create("walk", walk_fields())
        store.create("finding", {"walk_id": walk, "remark": "Trasig belysning"})
        store.create("snabbrapport", report_fields(personnummer=PNR))
    handed = tmp_path / "usb" / "anna.db"
    handed.parent.mkdir()
    handed.write_bytes(a.read_bytes())  # the file itself, as a colleague copies it
    before = handed.read_bytes()
    with open_store(b) as store:
        own_key = own_secrets(store.conn)

    result = run("import", str(handed), "--db", str(b))
    assert result.exit_code == 0, result.output
    assert "Trygg-databas" in result.output and "Första filen från Anna" in result.output
    assert "3 nya poster" in result.output
    assert records(b) == records(a)
    # Read-only: the colleague's file is as it was, and nothing was left beside it.
    assert handed.read_bytes() == before
    assert sorted(p.name for p in handed.parent.iterdir()) == ["anna.db"]
    # Its signing key was checked, never taken over: this device keeps its own, and
    # Anna's public key is pinned as if her own file had come.
    with open_store(b) as store:
        assert own_secrets(store.conn) == own_key
        assert store.conn.execute("SELECT count(*) FROM device_secrets").fetchone()[0] == 1
    assert fingerprint_of(a) in run("peers", "--db", str(b)).output
    again = run("import", str(handed), "--db", str(b))
    assert again.exit_code == 0 and "0 nya poster" in again.output


def test_a_database_is_checked_as_strictly_as_a_file(tmp_path: Path) -> None:
    a, b = init(tmp_path / "anna.db", "Anna"), init(tmp_path / "bo.db", "Bo")
    with open_store(a) as store:
        store.create("walk", walk_fields())
    before = records(b)

    bad = tmp_path / "bad.db"
    bad.write_bytes(a.read_bytes())
    with sqlite3.connect(bad) as conn:
        conn.execute("UPDATE journal SET value = '\"inte ett datum\"' WHERE field = 'date'")
    refused = run("import", str(bad), "--db", str(b))
    assert refused.exit_code == 1 and "inte passar Trygg" in refused.output, refused.output

    # A database made to look like Anna's without her private key speaks for no one.
    send(a, b, tmp_path / "a.trygg", "--full")
    before = records(b)
    forged = tmp_path / "forged.db"
    forged.write_bytes(a.read_bytes())
    with sqlite3.connect(forged) as conn:
        conn.execute("DELETE FROM device_secrets")
    refused = run("import", str(forged), "--db", str(b))
    assert refused.exit_code == 1 and "egen nyckel" in refused.output, refused.output
    assert records(b) == before

    own = run("import", str(b), "--db", str(b))
    assert own.exit_code == 1 and "egen databas" in own.output, own.output
    assert records(b) == before


def test_a_copied_database_becomes_a_new_device_when_nobody_can_be_asked(
    tmp_path: Path,
) -> None:
    original = init(tmp_path / "anna.db", "Anna")
    with open_store(original) as store:
        store.create("walk", walk_fields())
    copy = tmp_path / "kopia.db"
    copy.write_bytes(original.read_bytes())  # the file copied, as people do
    first = device_id(original)

    result = run("log", "--db", str(copy))  # any command, in a script
    assert result.exit_code == 0, result.output
    assert "räknas som en kopia" in result.output and "trygg moved" in result.output
    assert device_id(copy) != first and device_id(original) == first
    # The copy speaks with its own voice: its file is no longer refused as a forgery of
    # the original, and the original keeps speaking for itself.
    with open_store(copy) as store:
        store.create("place", {"name": "Kopians plats", "kommun": "Lycksele"})
    back = send(copy, original, tmp_path / "kopia.trygg", "--full")
    assert "Första filen från Anna" in back.output
    assert len(run("peers", "--db", str(original)).output.splitlines()) > 2
    again = run("log", "--db", str(copy))
    assert "kopia" not in again.output  # asked once


def test_a_moved_database_stays_the_same_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = init(tmp_path / "anna.db", "Anna")
    first = device_id(original)
    # Renamed on its disk: the same file, nothing to ask.
    renamed = tmp_path / "trygg.db"
    original.rename(renamed)
    assert "kopia" not in run("log", "--db", str(renamed)).output
    assert device_id(renamed) == first
    # Copied to a new place by a person at a terminal, who says it was moved.
    moved = tmp_path / "ny-dator" / "trygg.db"
    moved.parent.mkdir()
    moved.write_bytes(renamed.read_bytes())
    renamed.unlink()
    monkeypatch.setattr(common, "interactive", lambda: True)
    answered = CliRunner().invoke(
        cli.build_cli("sv"), ["log", "--db", str(moved)], input="f\n", catch_exceptions=False
    )
    assert answered.exit_code == 0 and "flyttats hit" in answered.output, answered.output
    assert device_id(moved) == first
    # Or told ahead of time, in a script.
    monkeypatch.setattr(common, "interactive", lambda: False)
    again = tmp_path / "tredje" / "trygg.db"
    again.parent.mkdir()
    again.write_bytes(moved.read_bytes())
    assert run("moved", "--db", str(again)).exit_code == 0
    assert "kopia" not in run("log", "--db", str(again)).output
    assert device_id(again) == first
