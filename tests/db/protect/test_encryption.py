"""Encrypted bundles: standard age files, opened by themselves on import, one clear
sentence for every way they can fail, nothing written when they do."""

from __future__ import annotations

import os
import pty
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from db.errors import TryggError
from db.protect import keys
from db.protect.encryption import Encryption, Unlock, is_encrypted
from db.store import Store
from db.sync.bundle import BundleReader
from db.sync.exporter import export_bundle
from db.sync.merge import import_bundle
from tests.conftest import open_store, report_fields, walk_fields

SECRET_NOTE = "Nyckeln ligger under mattan vid Storgatan 7"
PASSPHRASE = "korrekt häst batteri häftklammer"
needs_age = pytest.mark.skipif(shutil.which("age") is None, reason="Debian's age not installed")


def _age_recipient(store: Store) -> str:
    secrets = keys.own_secrets(store.conn)
    assert secrets is not None
    return keys.age_recipient(secrets)


@pytest.fixture
def trio(tmp_path: Path) -> dict[str, Path]:
    paths = {name: tmp_path / f"{name}.db" for name in ("a", "b", "c")}
    with open_store(paths["a"], name="Anna") as a:
        a.create("walk", walk_fields(notes=SECRET_NOTE))
        a.create("snabbrapport", report_fields())
    for name in ("b", "c"):
        open_store(paths[name], name=name.upper()).close()
    return paths


def _journal(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    finally:
        conn.close()


def _to_b(trio: dict[str, Path], out: Path) -> Path:
    with open_store(trio["b"]) as b:
        recipient = _age_recipient(b)
    with open_store(trio["a"]) as a:
        summary = export_bundle(
            a, out, full=True, profile="polis", encryption=Encryption(recipients=[recipient])
        )
    assert summary.encryption == "recipients:1" and summary.personal
    return out


def test_file_for_a_colleague_opens_only_with_their_key(
    trio: dict[str, Path], tmp_path: Path
) -> None:
    out = _to_b(trio, tmp_path / "till-b.trygg")
    raw = out.read_bytes()
    assert is_encrypted(out)
    for secret in (SECRET_NOTE, "Alva Testsson", "20100315-9801", "Anna"):
        assert secret.encode() not in raw
    with open_store(trio["b"]) as b:
        result = import_bundle(b, out)
        assert result.encrypted and b.count("walk") == 1
    before = _journal(trio["c"])
    with open_store(trio["c"]) as c, pytest.raises(TryggError) as refused:
        import_bundle(c, out)
    assert refused.value.key == "decrypt.not_for_us"
    assert _journal(trio["c"]) == before


def test_cut_off_and_changed_files_are_told_apart(trio: dict[str, Path], tmp_path: Path) -> None:
    good = _to_b(trio, tmp_path / "good.trygg").read_bytes()
    cut = tmp_path / "cut.trygg"
    cut.write_bytes(good[: len(good) - 700])
    changed = tmp_path / "changed.trygg"
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0x01
    changed.write_bytes(bytes(flipped))
    before = _journal(trio["b"])
    with open_store(trio["b"]) as b:
        for path, key in ((cut, "decrypt.truncated"), (changed, "decrypt.tampered")):
            with pytest.raises(TryggError) as refused:
                import_bundle(b, path)
            assert refused.value.key == key
            assert str(path) in refused.value.message("en")
    assert _journal(trio["b"]) == before
    assert not list(trio["b"].parent.glob("b.db.backups/*")), "no backup for a refused file"


def test_passphrase_file_needs_the_right_passphrase(trio: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "team.trygg"
    with open_store(trio["a"]) as a:
        export_bundle(a, out, full=True, profile="polis", encryption=Encryption(PASSPHRASE))
    assert out.read_bytes().startswith(b"age-encryption.org/v1\n-> scrypt ")
    before = _journal(trio["b"])
    with open_store(trio["b"]) as b:
        with pytest.raises(TryggError) as none_given:
            import_bundle(b, out)
        assert none_given.value.key == "decrypt.need_passphrase"
        with pytest.raises(TryggError) as wrong:
            import_bundle(b, out, unlock=Unlock(ask_passphrase=lambda: "fel lösenfras"))
        assert wrong.value.key == "decrypt.wrong_passphrase"
        assert _journal(trio["b"]) == before
        asked: list[int] = []

        def ask() -> str:
            asked.append(1)
            return PASSPHRASE

        result = import_bundle(b, out, unlock=Unlock(ask_passphrase=ask))
        assert result.encrypted and b.count("snabbrapport") == 1 and asked == [1]


def test_plaintext_never_lands_beside_the_encrypted_file(
    trio: dict[str, Path], tmp_path: Path
) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    _to_b(trio, stick / "till-b.trygg")
    assert [p.name for p in stick.iterdir()] == ["till-b.trygg"]


def test_bad_recipient_key_is_named(trio: dict[str, Path], tmp_path: Path) -> None:
    with open_store(trio["a"]) as a, pytest.raises(TryggError) as refused:
        export_bundle(
            a, tmp_path / "x.trygg", full=True, encryption=Encryption(recipients=["age1fel"])
        )
    assert refused.value.key == "encrypt.bad_recipient"
    assert not (tmp_path / "x.trygg").exists()


@needs_age
def test_the_age_command_opens_a_file_for_its_key(trio: dict[str, Path], tmp_path: Path) -> None:
    keyfile = tmp_path / "key.txt"
    subprocess.run(["age-keygen", "-o", str(keyfile)], check=True, capture_output=True)
    recipient = next(
        line.split(": ")[1]
        for line in keyfile.read_text().splitlines()
        if line.startswith("# public key")
    )
    out = tmp_path / "for-age.trygg"
    with open_store(trio["a"]) as a:
        export_bundle(a, out, full=True, encryption=Encryption(recipients=[recipient]))
    plain = tmp_path / "plain.trygg"
    subprocess.run(["age", "-d", "-i", str(keyfile), "-o", str(plain), str(out)], check=True)
    with BundleReader(plain) as reader:
        assert reader.check().sender.name == "Anna"


@needs_age
def test_a_file_encrypted_by_the_age_command_is_imported(
    trio: dict[str, Path], tmp_path: Path
) -> None:
    plain = tmp_path / "plain.trygg"
    with open_store(trio["a"]) as a:
        export_bundle(a, plain, full=True)
    with open_store(trio["b"]) as b:
        recipient = _age_recipient(b)
    sealed = tmp_path / "sealed.trygg"
    subprocess.run(["age", "-r", recipient, "-o", str(sealed), str(plain)], check=True)
    with open_store(trio["b"]) as b:
        assert import_bundle(b, sealed).encrypted and b.count("walk") == 1


@needs_age
def test_the_age_command_opens_a_passphrase_file(trio: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "team.trygg"
    with open_store(trio["a"]) as a:
        export_bundle(a, out, full=True, encryption=Encryption(PASSPHRASE))
    plain = tmp_path / "plain.trygg"
    code = _age_at_a_terminal(["-d", "-o", str(plain), str(out)], PASSPHRASE)
    assert code == 0
    with BundleReader(plain) as reader:
        assert reader.check().sender.name == "Anna"


def _age_at_a_terminal(args: list[str], passphrase: str) -> int:
    """Run ``age`` with a terminal of its own (it reads passphrases only from one)."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execvp("age", ["age", *args])
    seen = b""
    answered = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if not answered and b"passphrase" in seen.lower():
            os.write(fd, passphrase.encode() + b"\n")
            answered = True
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status)
