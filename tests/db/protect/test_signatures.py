"""Every bundle is signed; the first file from a device pins its key; a file that claims a
known device with another key is refused until the users accept the key by phone."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from db.errors import TryggError
from db.migrations.m0004_protect import install_secrets
from db.protect import keys, pinning
from db.store import Store
from db.sync.bundle import BundleReader
from db.sync.exporter import export_bundle, find_peer
from db.sync.merge import import_bundle
from db.views import VIEWS
from tests.conftest import open_store, walk_fields


def _journal_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    finally:
        conn.close()


def _export(store: Store, out: Path) -> Path:
    export_bundle(store, out, full=True)
    return out


def _impostor(original: Path, copy: Path) -> Store:
    """A copy of ``original`` that speaks with its device id but has a key of its own
    (what a thief with the database file, but not its key, would have)."""
    shutil.copy(original, copy)
    store = open_store(copy)
    with store.transaction():
        device_id = store.require_device().id
        store.conn.execute("DELETE FROM device_secrets")
        install_secrets(store.conn, device_id)
    return store


def test_new_device_has_keys_and_files_verify(tmp_path: Path) -> None:
    with open_store(tmp_path / "a.db") as a:
        a.create("walk", walk_fields())
        secrets = keys.own_secrets(a.conn)
        assert secrets is not None and keys.is_public_key(secrets.public_key)
        out = _export(a, tmp_path / "a.trygg")
    with BundleReader(out) as reader:
        manifest = reader.check()
    assert manifest.sender_key == secrets.public_key
    assert len(manifest.fingerprint) == 19 and manifest.fingerprint.count("-") == 3


def test_first_file_pins_the_key_and_another_key_is_refused(tmp_path: Path) -> None:
    with open_store(tmp_path / "a.db", name="Anna") as a:
        a.create("walk", walk_fields(area="Äkta"))
        real = _export(a, tmp_path / "real.trygg")
        real_fp = keys.fingerprint(keys.own_secrets(a.conn).public_key)  # type: ignore[union-attr]
    with _impostor(tmp_path / "a.db", tmp_path / "fake.db") as fake:
        fake.create("walk", walk_fields(area="Förfalskad"))
        forged = _export(fake, tmp_path / "forged.trygg")
        fake_fp = keys.fingerprint(keys.own_secrets(fake.conn).public_key)  # type: ignore[union-attr]

    b_path = tmp_path / "b.db"
    with open_store(b_path, name="Bertil") as b:
        first = import_bundle(b, real)
        assert first.first_contact and first.fingerprint == real_fp
        before = _journal_count(b_path)
        with pytest.raises(TryggError) as refused:
            import_bundle(b, forged)
        assert refused.value.key == "bundle.key_changed"
        message = refused.value.message("sv")
        assert "VARNING" in message and real_fp in message and fake_fp in message
        assert _journal_count(b_path) == before
        assert b.count("walk") == 1

        key = pinning.peer_key(b, find_peer(b, "Anna"))
        assert key.fingerprint == real_fp and key.offered_fingerprint == fake_fp
        with pytest.raises(TryggError) as wrong:
            pinning.trust(b, "Anna", given="0000-0000-0000-0000")
        assert wrong.value.key == "peer.fingerprint_mismatch"
        # After the phone call: the users accept the new key, and its files are read.
        accepted = pinning.trust(b, "Anna", given=fake_fp.lower().replace("-", " "))
        assert accepted.fingerprint == fake_fp and accepted.verified_at
        import_bundle(b, forged)
        assert b.count("walk") == 2
        # Now the old key is the stranger.
        with pytest.raises(TryggError):
            import_bundle(b, _export(open_store(tmp_path / "a.db"), tmp_path / "again.trygg"))


def test_forget_lets_the_next_file_pin_afresh(tmp_path: Path) -> None:
    with open_store(tmp_path / "a.db", name="Anna") as a:
        real = _export(a, tmp_path / "real.trygg")
    with _impostor(tmp_path / "a.db", tmp_path / "new.db") as renewed:
        renewed.create("walk", walk_fields())
        second = _export(renewed, tmp_path / "second.trygg")
    with open_store(tmp_path / "b.db") as b:
        import_bundle(b, real)
        with pytest.raises(TryggError):
            import_bundle(b, second)
        pinning.forget(b, "Anna")
        assert pinning.peer_key(b, find_peer(b, "Anna")).fingerprint is None
        result = import_bundle(b, second)
        assert result.new_entries
        assert pinning.peer_key(b, find_peer(b, "Anna")).fingerprint == result.fingerprint


def test_trust_without_a_new_key_marks_the_pinned_key_checked(tmp_path: Path) -> None:
    with open_store(tmp_path / "a.db", name="Anna") as a:
        real = _export(a, tmp_path / "real.trygg")
    with open_store(tmp_path / "b.db") as b:
        import_bundle(b, real)
        assert pinning.peer_key(b, find_peer(b, "Anna")).verified_at is None
        checked = pinning.trust(b, "Anna")
        assert checked.verified_at is not None and checked.offered_fingerprint is None


def test_a_file_claiming_to_be_from_this_device_with_another_key_is_refused(
    tmp_path: Path,
) -> None:
    with open_store(tmp_path / "a.db", name="Anna") as a:
        a.create("walk", walk_fields())
    with _impostor(tmp_path / "a.db", tmp_path / "fake.db") as fake:
        fake.create("walk", walk_fields(area="Inskjuten"))
        forged = _export(fake, tmp_path / "forged.trygg")
    with open_store(tmp_path / "a.db") as a, pytest.raises(TryggError) as refused:
        import_bundle(a, forged)
    assert refused.value.key == "bundle.claims_this_device"


def test_schema_3_database_gets_keys_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with open_store(path) as store:
        device_id = store.require_device().id
    conn = sqlite3.connect(path)
    conn.executescript(
        # The views name the tables' columns: a column is dropped only from under no view.
        "".join(f"DROP VIEW {view};" for view in VIEWS.values())
        # Schema 13's tally and the triggers on the reports that keep it.
        + "".join(
            f"DROP TRIGGER snabbrapport_tally_{when};"
            for when in ("insert", "delete", "update_old", "update_new")
        )
        + "DROP TABLE snabbrapport_tally; DROP INDEX finding_listed;"
        "DROP INDEX snabbrapport_stats; DROP INDEX snabbrapport_person;"
        "DROP INDEX journal_origin_scope; DROP INDEX journal_erasures;"
        "DROP INDEX measure_place; DROP INDEX snabbrapport_kommun; DROP INDEX snabbrapport_place;"
        "DROP INDEX finding_place; DROP INDEX finding_fixed; DROP INDEX walk_in_kommun;"
        "ALTER TABLE measure DROP COLUMN place_id;"
        "DROP TABLE journal_erased; DROP TABLE chain_heads; DROP TABLE chain_starts;"
        "DROP TABLE chain_anchors;"
        "ALTER TABLE journal DROP COLUMN salt; ALTER TABLE journal DROP COLUMN link;"
        "DROP TABLE undo_steps; ALTER TABLE snabbrapport DROP COLUMN age_unknown;"
        "DELETE FROM schema_migrations WHERE version = 7;"
        "ALTER TABLE devices DROP COLUMN offered_name; ALTER TABLE devices DROP COLUMN offered_org;"
        "ALTER TABLE devices DROP COLUMN police_confirmed_at;"
        "ALTER TABLE devices DROP COLUMN police_key;"
        "DELETE FROM schema_migrations WHERE version >= 6;"
        "DROP TABLE drafts; DELETE FROM schema_migrations WHERE version = 5;"
        "DROP TABLE device_secrets; DROP TABLE export_log;"
        "ALTER TABLE devices DROP COLUMN public_key; ALTER TABLE devices DROP COLUMN offered_key;"
        "ALTER TABLE devices DROP COLUMN offered_at; ALTER TABLE devices DROP COLUMN key_pinned_at;"
        "ALTER TABLE devices DROP COLUMN key_verified_at;"
        "DELETE FROM schema_migrations WHERE version = 4; PRAGMA user_version = 3;"
    )
    conn.close()
    with Store(path) as upgraded:
        secrets = keys.own_secrets(upgraded.conn)
        assert secrets is not None
        assert upgraded.require_device().id == device_id


def test_files_with_personal_data_are_marked_sekretess(tmp_path: Path) -> None:
    from tests.conftest import report_fields

    with open_store(tmp_path / "a.db") as a:
        a.create("snabbrapport", report_fields())
        police = tmp_path / "polis.trygg"
        export_bundle(a, police, full=True, profile="polis")
        municipal = tmp_path / "kommun.trygg"
        export_bundle(a, municipal, full=True, profile="kommun")
        folder = tmp_path / "ut"
        folder.mkdir()
        named = export_bundle(a, folder, full=True, profile="polis").path
    with BundleReader(police) as reader:
        assert reader.check().marking == "SEKRETESS"
    with BundleReader(municipal) as reader:
        assert reader.check().marking is None
    assert named.parent == folder and named.name.endswith("-SEKRETESS.trygg")
