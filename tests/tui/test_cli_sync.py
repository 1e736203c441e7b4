"""The sync commands between three real database files, and every kind of bad file."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from db.migrations import SCHEMA_VERSION
from db.protect import keys
from db.protect.keys import own_secrets
from db.sync.bundle import entry_line
from db.sync.manifest import canonical
from tests.conftest import open_store, report_fields, walk_fields
from tui import cli

PNR = "20100315-9801"


def run(*args: str, lang: str = "sv") -> Result:
    return CliRunner().invoke(cli.build_cli(lang), list(args), catch_exceptions=False)


@pytest.fixture
def trio(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, org in (("polisA", "polis"), ("kommunB", "kommun"), ("polisC", "polis")):
        path = tmp_path / f"{name}.db"
        assert (
            run(
                "init", "--db", str(path), "--name", name, "--kommun", "Lycksele", "--org", org
            ).exit_code
            == 0
        )
        paths[name] = path
    with open_store(paths["polisA"]) as store:
        walk = store.create("walk", walk_fields(notes="[bold]x[/] \x1b[2J '); DROP TABLE walk;--"))
        store.create("finding", {"walk_id": walk, "remark": "Trasig belysning"})
        store.create("snabbrapport", report_fields(personnummer=PNR))
    return paths


def state(db: Path) -> str:
    return run("records", "export", "--db", str(db)).output


def test_three_devices_by_files(trio: dict[str, Path], tmp_path: Path) -> None:
    a, b, c = trio["polisA"], trio["kommunB"], trio["polisC"]
    out = tmp_path / "a-till-b.trygg"
    result = run("export", "--db", str(a), "--out", str(out), "--full")
    assert result.exit_code == 0, result.output
    assert "Profil kommun" in result.output and "inga personuppgifter" in result.output
    imported = run("import", str(out), "--db", str(b))
    assert imported.exit_code == 0, imported.output
    assert "Första filen från polisA" in imported.output
    assert "3 nya poster" in imported.output
    again = run("import", str(out), "--db", str(b))
    assert "redan inläst" in again.output and "0 nya poster" in again.output
    # b answers a, so a learns what b holds; then a sends b only what is new.
    back = tmp_path / "b-till-a.trygg"
    answer = run("export", "--db", str(b), "--out", str(back), "--to", "polisA")
    # polisA says it is police, but nobody at kommunB has confirmed it: profile kommun.
    assert answer.exit_code == 0 and "Profil kommun" in answer.output
    run("import", str(back), "--db", str(a))
    peers = run("peers", "--db", str(a))
    assert "kommunB (Kommun)" in peers.output and "0 av våra ändringar" in peers.output
    # polis to polis carries personal data, and says so.
    to_c = tmp_path / "a-till-c.trygg"
    direct = run("export", "--db", str(a), "--out", str(to_c), "--full", "--profile", "polis")
    assert "personuppgifter (SEKRETESS)" in direct.output
    run("import", str(to_c), "--db", str(c))
    assert state(c) == state(a)
    assert PNR in state(c) and PNR not in state(b)


def test_export_needs_a_target_or_full(trio: dict[str, Path], tmp_path: Path) -> None:
    result = run("export", "--db", str(trio["polisA"]), "--out", str(tmp_path / "x.trygg"))
    assert result.exit_code == 2 and "--to" in result.output
    unknown = run(
        "export", "--db", str(trio["polisA"]), "--out", str(tmp_path / "x.trygg"), "--to", "Okänd"
    )
    assert unknown.exit_code == 1 and "Ingen känd kollega" in unknown.stderr
    assert not (tmp_path / "x.trygg").exists()


def test_dry_run_changes_nothing(trio: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "a.trygg"
    run("export", "--db", str(trio["polisA"]), "--out", str(out), "--full")
    before = state(trio["kommunB"])
    result = run("import", str(out), "--db", str(trio["kommunB"]), "--dry-run")
    assert (
        result.exit_code == 0 and "Provkörning" in result.output and "3 nya poster" in result.output
    )
    assert state(trio["kommunB"]) == before
    assert "Inga kollegor" in run("peers", "--db", str(trio["kommunB"])).output


def test_mailbox_folder(trio: dict[str, Path], tmp_path: Path) -> None:
    box = tmp_path / "usb"
    box.mkdir()
    (box / ".trygg-halvfärdig.trygg.123.tmp").write_bytes(b"SQLite format 3\x00 half")
    (box / "anteckning.txt").write_text("inte vår")
    for name in ("polisA", "kommunB", "polisA", "kommunB"):
        result = run("sync", str(box), "--db", str(trio[name]))
        assert result.exit_code == 0, result.output + result.stderr
    b_state = state(trio["kommunB"])
    assert "Trasig belysning" in b_state and PNR not in b_state
    outgoing = sorted(p.name for p in box.glob("trygg-*.trygg"))
    assert len(outgoing) == 2
    quiet = run("sync", str(box), "--db", str(trio["polisA"]))
    assert "0 nya filer inlästa, 1 redan inläst" in quiet.output
    assert run("sync", str(tmp_path / "nej"), "--db", str(trio["polisA"])).exit_code != 0


def test_conflicts_listed_and_resolved_from_the_command_line(
    trio: dict[str, Path], tmp_path: Path
) -> None:
    a, c = trio["polisA"], trio["polisC"]
    first = tmp_path / "1.trygg"
    run("export", "--db", str(a), "--out", str(first), "--full", "--profile", "polis")
    run("import", str(first), "--db", str(c))
    with open_store(a) as store:
        walk = store.records("walk")[0]["id"]
        store.update("walk", walk, {"area": "Torget"})
    with open_store(c) as store:
        store.update("walk", walk, {"area": "Stationen"})
    second = tmp_path / "2.trygg"
    run("export", "--db", str(c), "--out", str(second), "--to", "polisA")
    result = run("import", str(second), "--db", str(a))
    assert "1 ny konflikt" in result.output
    listing = run("conflicts", "--db", str(a))
    assert "Trygghetsvandring" in listing.output and "Område eller sträcka" in listing.output
    assert "Torget" in listing.output and "Stationen" in listing.output
    conflict_id = listing.output.split(" · ")[0].strip()
    resolved = run("conflicts", "resolve", conflict_id, "--keep", "other", "--db", str(a))
    assert resolved.exit_code == 0, resolved.output + resolved.stderr
    assert "Inga olösta konflikter" in run("conflicts", "--db", str(a)).output
    # The resolution in the walk's log, in words (it printed "_ack.area: {'ts': …}").
    log = run("log", walk, "--db", str(a)).output
    assert "Konflikten om Område eller sträcka är löst" in log and "_ack" not in log
    missing = run("conflicts", "resolve", "ffff", "--keep", "winner", "--db", str(a))
    assert missing.exit_code == 1 and "Ingen olöst konflikt" in missing.stderr


# -- bad files: one sentence, non-zero exit, the database exactly as before -------------


def _good_bundle(trio: dict[str, Path], tmp_path: Path) -> Path:
    out = tmp_path / "good.trygg"
    run("export", "--db", str(trio["polisA"]), "--out", str(out), "--full", "--profile", "polis")
    return out


def _rewrite(
    path: Path,
    change: Callable[[sqlite3.Connection], object],
    *,
    rehash: bool,
    resign: bool = False,
) -> Path:
    """A changed copy of ``path``. ``rehash`` fixes the body hash; ``resign`` signs the
    manifest again with the sender's (polisA's) real key — a hostile or broken device,
    whose file only the entry checks can stop."""
    bad = path.with_name("bad.trygg")
    shutil.copy(path, bad)
    conn = sqlite3.connect(bad)
    change(conn)
    if rehash:
        digest = hashlib.sha256()
        rows = conn.execute(
            "SELECT ts, device, tbl, record_id, field, value, prev_ts, prev_device, scope,"
            " salt, link, sealed FROM entries ORDER BY seq"
        ).fetchall()
        for row in rows:
            digest.update(entry_line(row))
        conn.execute(
            "UPDATE manifest SET value = ? WHERE key = 'body_sha256'",
            (json.dumps(digest.hexdigest()),),
        )
        conn.execute("UPDATE manifest SET value = ? WHERE key = 'entry_count'", (str(len(rows)),))
    if resign:
        with open_store(path.with_name("polisA.db")) as sender:
            secret = own_secrets(sender.conn)
        assert secret is not None
        manifest = {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM manifest")}
        signature = keys.sign(secret.signing_key, canonical(manifest))
        conn.execute(
            "UPDATE manifest SET value = ? WHERE key = 'signature'", (json.dumps(signature),)
        )
    conn.commit()
    conn.close()
    return bad


def _manifest(key: str, value: object) -> Callable[[sqlite3.Connection], None]:
    def change(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE manifest SET value = ? WHERE key = ?", (json.dumps(value), key))

    return change


def _entries(sql: str) -> Callable[[sqlite3.Connection], object]:
    return lambda conn: conn.execute(sql)


BAD_FILES: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "truncated": (
        lambda good, tmp: _write(tmp / "t.trygg", good.read_bytes()[: len(good.read_bytes()) // 2]),
        "skadad eller ofullständig",
    ),
    "flipped byte": (
        lambda good, tmp: _write(tmp / "f.trygg", _flip(good.read_bytes())),
        "Inget har ändrats",
    ),
    "not a trygg file": (
        lambda good, tmp: _write(tmp / "n.trygg", b"Hej! Det h\xc3\xa4r \xc3\xa4r ett brev."),
        "ingen Trygg-fil",
    ),
    "another sqlite file": (lambda good, tmp: _other_sqlite(tmp / "o.trygg"), "ingen Trygg-fil"),
    "empty": (lambda good, tmp: _write(tmp / "e.trygg", b""), "är tom"),
    "encrypted, cut off in its header": (
        lambda good, tmp: _write(tmp / "a.trygg", b"age-encryption.org/v1\n-> X25519 abc\n"),
        "ofullständig",
    ),
    "rehashed but not signed again": (
        lambda good, tmp: _rewrite(
            good,
            _entries("UPDATE entries SET value = '\"Ändrad\"' WHERE field = 'remark'"),
            rehash=True,
        ),
        "ogiltig signatur",
    ),
    "sender renamed": (
        lambda good, tmp: _rewrite(
            good,
            _manifest("sender", {"id": "x", "name": "Chefen", "org": "polis", "key": "00"}),
            rehash=False,
        ),
        "ogiltig signatur",
    ),
    "signature removed": (
        lambda good, tmp: _rewrite(
            good, _entries("DELETE FROM manifest WHERE key = 'signature'"), rehash=False
        ),
        "ogiltig signatur",
    ),
    "old unsigned format": (
        lambda good, tmp: _rewrite(good, _manifest("format_version", 1), rehash=False, resign=True),
        "inte signerad",
    ),
    "newer format": (
        lambda good, tmp: _rewrite(good, _manifest("format_version", 99), rehash=False),
        "nyare version av Trygg",
    ),
    "newer schema": (
        lambda good, tmp: _rewrite(
            good, _manifest("schema_version", SCHEMA_VERSION + 1), rehash=False
        ),
        "nyare version av Trygg",
    ),
    "checksum mismatch": (
        lambda good, tmp: _rewrite(
            good,
            _entries("UPDATE entries SET value = '\"Ändrad\"' WHERE field = 'remark'"),
            rehash=False,
        ),
        "kontrollsumma",
    ),
    "duplicated entries": (
        lambda good, tmp: _rewrite(
            good,
            _entries(
                "INSERT INTO entries (ts, device, tbl, record_id, field, value, prev_ts,"
                " prev_device, scope) SELECT ts, device, tbl, record_id, field, value,"
                " prev_ts, prev_device, scope FROM entries WHERE seq = 1"
            ),
            rehash=True,
            resign=True,
        ),
        "samma ändring två gånger",
    ),
    "value not fitting": (
        lambda good, tmp: _rewrite(
            good,
            _entries("UPDATE entries SET value = '\"2026-13-45\"' WHERE field = 'date'"),
            rehash=True,
            resign=True,
        ),
        "inte passar Trygg (ett värde som inte passar fältet date)",
    ),
    "unknown table": (
        lambda good, tmp: _rewrite(
            good,
            _entries("UPDATE entries SET tbl = 'users' WHERE seq = 1"),
            rehash=True,
            resign=True,
        ),
        "inte passar Trygg (en okänd posttyp 'users')",
    ),
    "personal value in the core scope": (
        lambda good, tmp: _rewrite(
            good,
            _entries("UPDATE entries SET scope = 'core' WHERE field = 'personnummer'"),
            rehash=True,
            resign=True,
        ),
        "inte passar Trygg (ett fält i fel skyddsklass)",
    ),
    "extra table": (
        lambda good, tmp: _rewrite(good, _entries("CREATE TABLE evil (x)"), rehash=False),
        "ingen Trygg-fil",
    ),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _flip(data: bytes) -> bytes:
    raw = bytearray(data)
    index = raw.rfind(b"Trasig belysning")
    raw[index + 3] ^= 0x20
    return bytes(raw)


def _other_sqlite(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT INTO manifest VALUES ('format', '\"something-else\"')")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_change_nothing(case: str, trio: dict[str, Path], tmp_path: Path) -> None:
    make, expected = BAD_FILES[case]
    bad = make(_good_bundle(trio, tmp_path), tmp_path)
    target = trio["polisC"]
    before = state(target)
    before_journal = sqlite3.connect(target).execute("SELECT count(*) FROM journal").fetchone()
    result = run("import", str(bad), "--db", str(target))
    assert result.exit_code == 1, (case, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], (case, lines)
    assert "Traceback" not in result.output + result.stderr
    assert state(target) == before
    assert (
        sqlite3.connect(target).execute("SELECT count(*) FROM journal").fetchone() == before_journal
    )
    english = run("--lang", "en", "import", str(bad), "--db", str(target), lang="en")
    assert english.exit_code == 1 and "nothing" in english.stderr.lower()


def test_hostile_text_arrives_verbatim_and_harmless(trio: dict[str, Path], tmp_path: Path) -> None:
    bundle = _good_bundle(trio, tmp_path)
    assert run("import", str(bundle), "--db", str(trio["polisC"])).exit_code == 0
    exported = state(trio["polisC"])
    assert "[bold]x[/] \\u001b[2J '); DROP TABLE walk;--" in exported
    log = run("log", "--db", str(trio["polisC"]))
    assert "\x1b" not in log.output and "␛[2J" in log.output


def test_conflicts_name_the_record_and_its_values_as_the_app_does(
    trio: dict[str, Path], tmp_path: Path
) -> None:
    # They printed "Anmärkning 01a23e3c-452b…" and "avvisad" / "atgardad": the record by
    # its id, the choices by their codes (cold test); the app's screen names both.
    from datetime import date

    from db import walks

    a, c = trio["polisA"], trio["polisC"]
    first = tmp_path / "1.trygg"
    run("export", "--db", str(a), "--out", str(first), "--full", "--profile", "polis")
    run("import", str(first), "--db", str(c))
    with open_store(a) as store:
        finding = store.records("finding")[0]
        walks.mark_fixed(store, finding["id"], date(2026, 11, 20))
    with open_store(c) as store:
        walks.mark_rejected(store, finding["id"], "Inte vår mark")
    second = tmp_path / "2.trygg"
    run("export", "--db", str(c), "--out", str(second), "--to", "polisA")
    run("import", str(second), "--db", str(a))
    listing = run("conflicts", "--db", str(a)).output
    assert f"Anmärkning {finding['nr']}" in listing, listing
    assert finding["id"][:8] not in listing
    assert "Åtgärdad" in listing and "Avvisad" in listing
    assert "atgardad" not in listing and "avvisad" not in listing
