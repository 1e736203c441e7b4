"""The protecting commands through the CLI: encrypted export/import/sync, peers and
their keys, the export log, gallra, backup/restore and doctor — on real files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from db.sync.exporter import export_bundle
from db.sync.merge import import_bundle
from tests.conftest import open_store, report_fields, walk_fields
from tui import cli

PASSPHRASE = "sommarstuga i Lycksele"


def run(*args: str, lang: str = "sv", input: str | None = None, env: dict | None = None) -> Result:
    return CliRunner().invoke(
        cli.build_cli(lang),
        ["--lang", lang, *args],
        catch_exceptions=False,
        input=input,
        env=env,
    )


@pytest.fixture
def pair(tmp_path: Path) -> dict[str, Path]:
    paths = {"a": tmp_path / "a.db", "b": tmp_path / "b.db"}
    with open_store(paths["a"], name="Anna") as a:
        a.create("walk", walk_fields(area="Norra"))
        a.create("snabbrapport", report_fields())
    open_store(paths["b"], name="Bertil").close()
    return paths


def test_passphrase_export_then_import_asks_for_it(pair: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "team.trygg"
    exported = run(
        "export",
        "--db",
        str(pair["a"]),
        "--full",
        "--profile",
        "polis",
        "--out",
        str(out),
        "--encrypt",
        env={"TRYGG_PASSPHRASE": PASSPHRASE},
    )
    assert exported.exit_code == 0, exported.output
    assert "krypterad med lösenfras" in exported.output and "SEKRETESS" in exported.output
    assert PASSPHRASE.encode() not in pair["a"].read_bytes()

    wrong = run("import", "--db", str(pair["b"]), str(out), lang="en", input="fel fel fel\n")
    assert wrong.exit_code == 1
    assert "Wrong passphrase" in wrong.stderr and "Traceback" not in wrong.output

    right = run("import", "--db", str(pair["b"]), str(out), input=PASSPHRASE + "\n")
    assert right.exit_code == 0, right.output
    assert "krypterad och har öppnats" in right.output
    assert "Första filen från Anna" in right.output and "fingeravtryck" in right.output


def test_short_passphrase_and_both_kinds_are_refused(pair: dict[str, Path], tmp_path: Path) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_text("kort\n")
    out = tmp_path / "x.trygg"
    short = run(
        "export",
        "--db",
        str(pair["a"]),
        "--full",
        "--out",
        str(out),
        "--passphrase-file",
        str(secret),
    )
    assert short.exit_code == 1 and "för kort" in short.stderr and not out.exists()
    both = run(
        "export",
        "--db",
        str(pair["a"]),
        "--full",
        "--out",
        str(out),
        "--encrypt",
        "--recipient",
        "age1xyz",
    )
    assert both.exit_code == 1 and "inte båda" in both.stderr


def test_peers_shows_fingerprints_and_trust_checks_them(
    pair: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "a.trygg"
    assert run("export", "--db", str(pair["a"]), "--full", "--out", str(out)).exit_code == 0
    anna = run("peers", "--db", str(pair["a"])).output
    anna_fp = anna.split("fingeravtryck: ")[1].split()[0]
    assert run("import", "--db", str(pair["b"]), str(out)).exit_code == 0
    listing = run("peers", "--db", str(pair["b"])).output
    assert anna_fp in listing and "ej kontrollerat" in listing and "age1" in listing
    wrong = run("peers", "trust", "Anna", "--db", str(pair["b"]), "--fingerprint", "1234")
    assert wrong.exit_code == 1 and "stämmer inte" in wrong.stderr
    ok = run("peers", "trust", "Anna", "--db", str(pair["b"]), "--fingerprint", anna_fp)
    assert ok.exit_code == 0 and "godkänd" in ok.output
    assert "kontrollerat per telefon" in run("peers", "--db", str(pair["b"])).output
    forgot = run("peers", "forget", "Anna", "--db", str(pair["b"]))
    assert forgot.exit_code == 0
    assert "ingen nyckel ännu" in run("peers", "--db", str(pair["b"])).output


def test_file_for_a_colleagues_key_and_the_export_log(
    pair: dict[str, Path], tmp_path: Path
) -> None:
    bertil = run("peers", "--db", str(pair["b"])).output
    recipient = next(w for w in bertil.split() if w.startswith("age1"))
    documents = tmp_path / "documents"
    result = run(
        "export", "--db", str(pair["a"]), "--full", "--profile", "polis", "--recipient", recipient
    )
    assert result.exit_code == 0, result.output
    written = list((documents / "Trygg").glob("*.trygg"))
    assert len(written) == 1 and written[0].name.endswith("-SEKRETESS.trygg")
    assert written[0].name.startswith("trygg-2026-") and "Anna" in written[0].name
    assert run("import", "--db", str(pair["b"]), str(written[0])).exit_code == 0
    log = run("log", "--exports", "--db", str(pair["a"])).output
    assert "SEKRETESS" in log and "mottagarnycklar" in log and str(written[0]) in log
    plain = run("export", "--db", str(pair["a"]), "--full", "--out", str(tmp_path / "k.trygg"))
    assert plain.exit_code == 0 and not (tmp_path / "k-SEKRETESS.trygg").exists()
    lines = run("log", "--exports", "--db", str(pair["a"]), lang="en").output.splitlines()
    assert "no personal data" in lines[0] and "not encrypted" in lines[0]


def test_encrypted_mailbox_between_two_laptops(pair: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    env = {"TRYGG_PASSPHRASE": PASSPHRASE}
    first = run("sync", "--db", str(pair["a"]), str(folder), "--encrypt", env=env)
    assert first.exit_code == 0, first.output
    (mine,) = folder.iterdir()
    assert mine.read_bytes().startswith(b"age-encryption.org/v1")
    second = run("sync", "--db", str(pair["b"]), str(folder), "--encrypt", env=env)
    assert second.exit_code == 0, second.output
    assert "1 ny fil inläst" in second.output
    with open_store(pair["b"]) as b:
        assert b.count("walk") == 1 and b.count("snabbrapport") == 1
        # Profile kommun in a shared folder: the report came without its personal data.
        (report,) = b.records("snabbrapport")
        assert report["name"] is None
    again = run("sync", "--db", str(pair["b"]), str(folder), "--encrypt", env=env)
    assert "0 nya filer inlästa, 1 redan inläst" in again.output


def test_gallra_rule_dry_run_and_run(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    with open_store(path) as store:
        store.create("snabbrapport", report_fields(date="2026-07-01", name="Gammal Gallras"))
        store.create("snabbrapport", report_fields(date="2026-11-20", name="Ny Behålls"))
    rule = run("gallra", "rule", "--db", str(path), "--days", "100", "--basis", "PDL 2 kap.")
    assert "100 dagar" in rule.output and "PDL 2 kap." in rule.output
    dry = run("gallra", "--db", str(path), "--dry-run")
    assert "1 rapport skulle gallras" in dry.output and "Nr 1, 2026-07-01" in dry.output
    assert b"Gammal Gallras" in _raw(path)
    done = run("gallra", "--db", str(path))
    assert done.exit_code == 0 and "1 rapport är raderade" in done.output
    assert b"Gammal Gallras" not in _raw(path)
    assert "Inget att gallra" in run("gallra", "--db", str(path)).output


def test_backup_restore_gives_a_new_identity(pair: dict[str, Path], tmp_path: Path) -> None:
    copy = tmp_path / "kopia.db"
    made = run("backup", "--db", str(pair["a"]), "--out", str(copy))
    assert made.exit_code == 0 and copy.exists()
    with open_store(pair["a"]) as a:
        old_id = a.require_device().id
        a.create("walk", walk_fields(area="Efter kopian"))
    cancelled = run("restore", "--db", str(pair["a"]), str(copy), input="n\n")
    assert cancelled.exit_code == 1
    restored = run("restore", "--db", str(pair["a"]), str(copy), input="j\n")
    assert restored.exit_code == 0, restored.output
    assert "ny enhet" in restored.output
    with open_store(pair["a"]) as a:
        device = a.require_device()
        assert device.id != old_id and device.name == "Anna"
        assert [w["area"] for w in a.records("walk")] == ["Norra"]
        # A file written now is signed by the new identity, and a colleague who knew the
        # old one takes it as a new device.
        out = tmp_path / "after.trygg"
        export_bundle(a, out, full=True)
    with open_store(pair["b"]) as b:
        assert import_bundle(b, out).first_contact
    not_db = tmp_path / "brev.db"
    not_db.write_text("hej")
    refused = run("restore", "--db", str(pair["a"]), str(not_db), "--yes")
    assert refused.exit_code == 1 and "ingen säkerhetskopia av en Trygg-databas" in refused.stderr


def test_doctor_reports_duplicates_and_damage(tmp_path: Path) -> None:
    a_path, b_path = tmp_path / "a.db", tmp_path / "b.db"
    with open_store(a_path, name="Anna") as a, open_store(b_path, name="Bertil") as b:
        walk = a.create("walk", walk_fields())
        export_bundle(a, tmp_path / "w.trygg", full=True)
        import_bundle(b, tmp_path / "w.trygg")
        a.create(
            "finding",
            {"walk_id": walk, "place": "Torget", "category": "belysning", "remark": "Mörkt"},
        )
        b.create(
            "finding",
            {"walk_id": walk, "place": "Parken", "category": "klotter", "remark": "Klotter"},
        )
        export_bundle(b, tmp_path / "f.trygg", full=True)
        import_bundle(a, tmp_path / "f.trygg")
    healthy = run("doctor", "--db", str(a_path))
    assert healthy.exit_code == 0, healthy.output
    assert "samma Nr 1" in healthy.output and "0 fel, 1 varningar" in healthy.output

    damaged = tmp_path / "trasig.db"
    with open_store(damaged) as store:
        for n in range(300):
            store.create("walk", walk_fields(notes=f"anteckning {n} " * 20))
    conn = sqlite3.connect(damaged)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    raw = bytearray(damaged.read_bytes())
    for offset in range(4096 * 3, 4096 * 3 + 200):
        raw[offset] = 0x55
    damaged.write_bytes(bytes(raw))
    sick = run("doctor", "--db", str(damaged))
    assert sick.exit_code == 1
    assert "FEL" in sick.output + sick.stderr or "skadad" in sick.output + sick.stderr
    assert "Traceback" not in sick.output + sick.stderr


def _raw(path: Path) -> bytes:
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
