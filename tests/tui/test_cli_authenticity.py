"""Every change provably from its author, through the real command line on real files: a
colleague's laptop that forges, alters or invents entries in another's name is refused on
direct import and after relaying through a municipal device; erasure and the kommun
profile leave every remaining entry verifiable; older files are read as unverified.
(docs/authenticity.md)"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from db.journal import chains
from db.protect import keys
from db.protect.keys import own_secrets
from db.sync import manifest as manifest_module
from db.sync.bundle import BundleReader
from tests.conftest import open_store, report_fields, walk_fields
from tests.db.sync.forge import forge, head_over, read_bundle, relinked, write_format_2
from tui import cli


def run(*args: str, lang: str = "sv") -> Result:
    return CliRunner().invoke(cli.build_cli(lang), list(args), catch_exceptions=False)


def init(path: Path, name: str, org: str = "polis") -> Path:
    result = run("init", "--db", str(path), "--name", name, "--kommun", "Lycksele", "--org", org)
    assert result.exit_code == 0, result.output
    return path


def export(db: Path, out: Path, *extra: str) -> Path:
    result = run("export", "--db", str(db), "--out", str(out), "--full", *extra)
    assert result.exit_code == 0, result.output
    return out


def imported(db: Path, path: Path) -> Result:
    result = run("import", str(path), "--db", str(db))
    assert result.exit_code == 0, result.output
    return result


def refused(db: Path, path: Path) -> str:
    """Import ``path`` expecting a refusal that changes nothing; return the message."""
    before = _journal(db)
    result = run("import", str(path), "--db", str(db))
    assert result.exit_code == 1, result.output
    assert _journal(db) == before
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def _journal(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT * FROM journal ORDER BY seq").fetchall()
    finally:
        conn.close()


def device_id(db: Path) -> str:
    with open_store(db) as store:
        return store.require_device().id


@pytest.fixture
def group(tmp_path: Path) -> dict[str, Path]:
    """Anna (police) wrote a walk; Rut (police) and Mats (kommun, the forger) hold it from
    Anna's own file."""
    anna = init(tmp_path / "anna.db", "Anna")
    with open_store(anna) as store:
        store.create("walk", walk_fields(area="Centrum"))
    rut = init(tmp_path / "rut.db", "Rut")
    mats = init(tmp_path / "mats.db", "Mats", "kommun")
    first = export(anna, tmp_path / "anna.trygg")
    imported(rut, first)
    imported(mats, first)
    return {"anna": anna, "rut": rut, "mats": mats, "dir": tmp_path}


def _mats_relay(group: dict[str, Path]) -> Path:
    return export(group["mats"], group["dir"] / "mats.trygg")


def test_an_honest_relay_is_proved_and_shown_verified(group: dict[str, Path]) -> None:
    # A device that never met Anna takes her walk from Mats's file: proved hers.
    other = init(group["dir"] / "other.db", "Olle")
    imported(other, _mats_relay(group))
    with open_store(other) as store:
        walk = store.records("walk")[0]["id"]
    log = run("log", walk, "--db", str(other))
    assert "Anna" in log.output and "styrkt" in log.output, log.output
    assert "ej styrkt" not in log.output


def test_an_altered_entry_is_refused_naming_origin_and_sender(group: dict[str, Path]) -> None:
    anna = device_id(group["anna"])

    def alter(rows: list) -> list:
        return [
            (*r[:5], '"Förfalskat"', *r[6:]) if r[1] == anna and r[4] == "area" else r for r in rows
        ]

    with open_store(group["mats"]) as mats:
        bad = forge(_mats_relay(group), mats, group["dir"] / "bad.trygg", entries=alter)
    message = refused(group["rut"], bad)
    assert "Anna" in message and "Mats" in message and "styrka" in message, message


def test_an_altered_entry_with_its_links_recomputed_is_refused(group: dict[str, Path]) -> None:
    anna = device_id(group["anna"])

    def alter(rows: list) -> list:
        changed = [
            (*r[:5], '"Förfalskat"', *r[6:]) if r[1] == anna and r[4] == "area" else r for r in rows
        ]
        return relinked(changed, anna, "core")

    with open_store(group["mats"]) as mats:
        bad = forge(_mats_relay(group), mats, group["dir"] / "bad.trygg", entries=alter)
    message = refused(group["rut"], bad)
    assert "Anna" in message and "Mats" in message, message


def _invented(group: dict[str, Path], *, real_key: bool) -> Path:
    """Mats's file with a new change in Anna's name, linked onto her chain, under a head
    Mats signed himself (claiming his own key, or Anna's)."""
    anna = device_id(group["anna"])
    source = _mats_relay(group)
    manifest, rows = read_bundle(source)
    last = [r for r in rows if r[1] == anna and r[8] == "core"][-1]
    invented = (last[0] + 1, anna, "walk", last[3], "area", '"Påhittat"', last[0], anna,
                "core", None, last[10], None)  # fmt: skip
    rows = relinked([*rows, invented], anna, "core")
    with open_store(group["mats"]) as mats:
        secrets = own_secrets(mats.conn)
        assert secrets is not None
        with open_store(group["anna"]) as store:
            anna_key = own_secrets(store.conn).public_key  # type: ignore[union-attr]
        key = anna_key if real_key else secrets.public_key
        start = chains.start_of(mats.conn, anna)
        assert start is not None
        head = head_over(rows, anna, "core", start, secrets.signing_key, key)
        others = tuple(c for c in manifest.chains if c.head.device != anna)
        vectors = {**manifest.sender_vectors}
        vectors["core"] = {**vectors["core"], anna: invented[0]}
        return forge(
            source,
            mats,
            group["dir"] / "invented.trygg",
            entries=lambda _rows: rows,
            chains=(*others, replace(head, anchor=None)),
            sender_vectors=vectors,
        )


@pytest.mark.parametrize("real_key", [False, True], ids=["forger's key", "origin's key"])
def test_a_change_invented_in_anothers_name_is_refused(
    group: dict[str, Path], real_key: bool
) -> None:
    message = refused(group["rut"], _invented(group, real_key=real_key))
    assert "Anna" in message and "Mats" in message, message


def test_an_unlinked_entry_in_anothers_name_is_refused(group: dict[str, Path]) -> None:
    anna = device_id(group["anna"])
    source = _mats_relay(group)
    manifest, rows = read_bundle(source)
    last = [r for r in rows if r[1] == anna][-1]
    # Passed off as written before Anna began chaining: no link, no proof needed?
    unlinked = (last[0] + 1, anna, "walk", last[3], "area", '"Påhittat"', last[0], anna, "core")
    vectors = {**manifest.sender_vectors}
    vectors["core"] = {**vectors["core"], anna: last[0] + 1}
    with open_store(group["mats"]) as mats:
        bad = forge(
            source,
            mats,
            group["dir"] / "unlinked.trygg",
            entries=lambda rows: [*rows, unlinked],
            sender_vectors=vectors,
        )
        old = write_format_2(
            group["dir"] / "old-format.trygg",
            replace(manifest, sender_vectors=vectors),
            [*rows, unlinked],
            own_secrets(mats.conn).signing_key,  # type: ignore[union-attr]
        )
    assert "Anna" in refused(group["rut"], bad)
    # Nor as an older file (format 2): Anna's start is known, the change is after it.
    message = refused(group["rut"], old)
    assert "Anna" in message and "Mats" in message, message


def test_forgery_is_refused_after_relaying_through_a_kommun_device(
    group: dict[str, Path],
) -> None:
    anna = device_id(group["anna"])
    tmp = group["dir"]
    # A municipal device that has met Anna refuses Mats's invention itself.
    kommun = init(tmp / "kommun.db", "Kommunen", "kommun")
    imported(kommun, export(group["anna"], tmp / "anna-k.trygg", "--profile", "kommun"))
    assert "Anna" in refused(kommun, _invented(group, real_key=False))

    # One that never met Anna takes Mats's whole forged chain on his word (it has no key
    # of Anna's to check it with: trust on first hearing) ...
    stranger = init(tmp / "stranger.db", "Kommun 2", "kommun")
    manifest, rows = read_bundle(_mats_relay(group))
    rows = relinked(
        [(*r[:5], '"Förfalskat"', *r[6:]) if r[1] == anna and r[4] == "area" else r for r in rows],
        anna,
        "core",
    )
    with open_store(group["mats"]) as mats:
        secrets = own_secrets(mats.conn)
        assert secrets is not None
        fake = keys.new_secrets()
        start = chains.start_of(mats.conn, anna)
        assert start is not None
        head = head_over(rows, anna, "core", start, fake.signing_key, fake.public_key)
        others = tuple(c for c in manifest.chains if c.head.device != anna)
        chain = forge(
            _mats_relay(group),
            mats,
            tmp / "chain.trygg",
            entries=lambda _rows: rows,
            chains=(*others, head),
        )
    imported(stranger, chain)
    # ... but where it passes the changes on, a device that knows Anna's key refuses them,
    # naming Anna and the municipal device that passed them on.
    relayed = export(stranger, tmp / "relayed.trygg")
    message = refused(group["rut"], relayed)
    assert "Anna" in message and "Kommun 2" in message, message
    # The deceived device cannot know, but its doctor says whose key is only hearsay.
    doctor = run("doctor", "--db", str(stranger))
    assert "Anna" in doctor.output and "bara hörts via andra enheter" in doctor.output


def test_erasure_and_the_kommun_profile_keep_every_entry_verifiable(tmp_path: Path) -> None:
    anna = init(tmp_path / "anna.db", "Anna")
    with open_store(anna) as store:
        report = store.create("snabbrapport", report_fields())
        store.create("walk", walk_fields())
    peter = init(tmp_path / "peter.db", "Peter")
    imported(peter, export(anna, tmp_path / "1.trygg", "--profile", "polis"))
    with open_store(anna) as store:
        assert store.erase_personal("snabbrapport", report)
    # The erasure travels; Peter's copies of the personal entries become stubs.
    imported(peter, export(anna, tmp_path / "2.trygg", "--profile", "polis"))
    conn = sqlite3.connect(peter)
    personal = conn.execute("SELECT count(*) FROM journal WHERE scope = 'personal'").fetchone()
    stubs = conn.execute("SELECT count(*) FROM journal_erased").fetchone()
    conn.close()
    assert personal == (0,) and stubs[0] > 0
    # Relayed on in full, stubs and all, to a device that never had the values.
    quinn = init(tmp_path / "quinn.db", "Quinn")
    relayed = export(peter, tmp_path / "3.trygg", "--profile", "polis")
    with BundleReader(relayed) as reader:
        reader.check()
        sealed = [row for row in reader.rows() if row[11] is not None]
        assert sealed and all(row[5] is None and row[9] is None for row in sealed)
    imported(quinn, relayed)
    # The kommun profile leaves the personal chain out; the core chain verifies alone.
    kommun = init(tmp_path / "kommun.db", "Kommunen", "kommun")
    imported(kommun, export(quinn, tmp_path / "4.trygg", "--profile", "kommun"))
    last = init(tmp_path / "last.db", "Sist", "kommun")
    imported(last, export(kommun, tmp_path / "5.trygg"))
    for db in (peter, quinn, kommun, last):
        doctor = run("doctor", "--db", str(db))
        assert doctor.exit_code == 0, doctor.output
        assert "kunde inte styrkas" not in doctor.output, doctor.output
        assert "är styrkta som sina upphovsenheters egna" in doctor.output, doctor.output
    log = run("log", report, "--db", str(last))
    assert "Anna" in log.output and "ej styrkt" not in log.output, log.output


def test_an_older_file_is_read_and_its_entries_shown_unverified(tmp_path: Path) -> None:
    # A colleague still on the previous Trygg (format 2, no chains).
    old_db = init(tmp_path / "old.db", "Gammal")
    with open_store(old_db) as store:
        walk = store.create("walk", walk_fields(area="Förr"))
    manifest, rows = read_bundle(export(old_db, tmp_path / "new.trygg"))
    with open_store(old_db) as store:
        secret = own_secrets(store.conn).signing_key  # type: ignore[union-attr]
    old = write_format_2(tmp_path / "old.trygg", replace(manifest, chains=()), rows, secret)
    here = init(tmp_path / "here.db", "Här")
    said = imported(here, old)
    assert "är ej styrkta (äldre fil)" in said.output, said.output
    log = run("log", walk, "--db", str(here))
    assert "Gammal" in log.output and "ej styrkt (äldre fil)" in log.output, log.output
    log_en = run("--lang", "en", "log", walk, "--db", str(here), lang="en")
    assert "unverified (older file)" in log_en.output, log_en.output


def test_a_trygg_from_before_refuses_the_new_format_with_update_trygg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna = init(tmp_path / "anna.db", "Anna")
    with open_store(anna) as store:
        store.create("walk", walk_fields())
    new = export(anna, tmp_path / "new.trygg")
    here = init(tmp_path / "here.db", "Här")
    # The format-version rule as the previous Trygg has it: version 2 and no further.
    monkeypatch.setattr(manifest_module, "FORMAT_VERSION", 2)
    message = refused(here, new)
    assert "nyare version av Trygg" in message and "Uppdatera Trygg" in message, message


def test_a_colleagues_database_is_proved_and_a_forged_one_refused(
    group: dict[str, Path],
) -> None:
    tmp = group["dir"]
    with open_store(group["mats"]) as store:
        store.create("place", {"name": "Torget", "kommun": "Lycksele"})
    # Handed over whole: Anna's walk and Mats's place are both proved their authors'.
    honest = tmp / "honest.db"
    shutil.copy(group["mats"], honest)
    other = init(tmp / "other.db", "Olle")
    imported(other, honest)
    with open_store(other) as store:
        walk = store.records("walk")[0]["id"]
    log = run("log", "--db", str(other))
    assert "Mats" in log.output and "Anna" in log.output and "ej styrkt" not in log.output
    # Mats changes Anna's entry in his own database: refused, naming her and him.
    forged = tmp / "forged.db"
    shutil.copy(group["mats"], forged)
    conn = sqlite3.connect(forged)
    conn.execute(
        "UPDATE journal SET value = '\"Förfalskat\"' WHERE record_id = ? AND field = 'area'",
        (walk,),
    )
    conn.commit()
    conn.close()
    message = refused(group["rut"], forged)
    assert "Anna" in message and "Mats" in message, message
