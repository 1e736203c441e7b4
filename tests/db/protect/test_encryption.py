"""Encrypted bundles: standard age files, opened by themselves on import, one clear
sentence for every way they can fail, nothing written when they do."""

from __future__ import annotations

import base64
import os
import pty
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
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


# -- nothing in clear on any disk ----------------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]
TRYGG = "import sys; from tui.cli import main; main(sys.argv[1:])"


def _files_holding(marker: bytes, *roots: Path, besides: tuple[Path, ...] = ()) -> list[Path]:
    """Every file under ``roots`` whose bytes hold ``marker``, but the ``besides``."""
    found = set()
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and path not in besides and marker in path.read_bytes():
                found.add(path)
    return sorted(found)


def _database_files(db: Path) -> tuple[Path, ...]:
    return tuple(Path(f"{db}{suffix}") for suffix in ("", "-wal", "-shm"))


def test_an_import_killed_half_way_leaves_no_plaintext(
    trio: dict[str, Path], tmp_path: Path
) -> None:
    (tmp_path / "post").mkdir()
    sealed = _to_b(trio, tmp_path / "post" / "till-b.trygg")  # opens with b's own key
    temp = tmp_path / "tmp"  # the system temp folder, as the importing process sees it
    temp.mkdir()
    # Another program writes, so the import, once the file is open and checked, waits
    # for the database: a deterministic moment to kill it.
    holder = sqlite3.connect(trio["b"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    child = subprocess.Popen(
        [sys.executable, "-c", TRYGG, "--db", str(trio["b"]), "import", str(sealed)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temp), "TRYGG_LANG": "sv"},
    )
    try:
        assert child.stderr is not None
        said = ""
        deadline = time.monotonic() + 60
        while "väntar" not in said and time.monotonic() < deadline:
            ready, _, _ = select.select([child.stderr], [], [], 0.2)
            if ready:
                said += child.stderr.readline()
            if child.poll() is not None:
                break
        assert child.poll() is None, said  # still running: decrypted, and waiting
        child.send_signal(signal.SIGKILL)
        child.wait()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    leaks = _files_holding(SECRET_NOTE.encode(), temp, tmp_path, besides=_database_files(trio["a"]))
    assert leaks == [], f"plaintext left on disk: {leaks}"
    assert _journal(trio["b"]) == 0  # and nothing half-imported


@pytest.mark.parametrize("how", ["passphrase", "recipients"])
def test_an_export_never_writes_its_plaintext(
    trio: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    import pyrage

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR afresh
    out = tmp_path / "ut" / "till-b.trygg"
    out.parent.mkdir()
    seen: list[list[Path]] = []

    def scanning(encrypt: object) -> object:
        def wrapper(*args: object, **kwargs: object) -> object:
            # The moment the plaintext is encrypted: is it anywhere on disk?
            seen.append(
                _files_holding(SECRET_NOTE.encode(), temp, out.parent, besides=(trio["a"],))
            )
            return encrypt(*args, **kwargs)  # type: ignore[operator]

        return wrapper

    for module, name in (
        (pyrage.passphrase, "encrypt"),
        (pyrage, "encrypt"),
        (pyrage, "encrypt_file"),
    ):
        monkeypatch.setattr(module, name, scanning(getattr(module, name)))
    with open_store(trio["b"]) as b:
        recipient = _age_recipient(b)
    encryption = (
        Encryption(PASSPHRASE) if how == "passphrase" else Encryption(recipients=[recipient])
    )
    with open_store(trio["a"]) as a:
        export_bundle(a, out, full=True, profile="polis", encryption=encryption)
    assert seen and seen == [[]] * len(seen), f"plaintext on disk while encrypting: {seen}"
    assert SECRET_NOTE.encode() not in out.read_bytes()
    with open_store(trio["b"]) as b:
        unlock = Unlock(ask_passphrase=lambda: PASSPHRASE)
        assert import_bundle(b, out, unlock=unlock).encrypted and b.count("walk") == 1


# -- age's ASCII armour ----------------------------------------------------------------------


def _armoured(data: bytes) -> bytes:
    text = base64.b64encode(data).decode()
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return (
        "-----BEGIN AGE ENCRYPTED FILE-----\n"
        + "\n".join(lines)
        + "\n-----END AGE ENCRYPTED FILE-----\n"
    ).encode()


def test_an_armoured_passphrase_file_is_imported(trio: dict[str, Path], tmp_path: Path) -> None:
    binary = tmp_path / "team.trygg"
    with open_store(trio["a"]) as a:
        export_bundle(a, binary, full=True, profile="polis", encryption=Encryption(PASSPHRASE))
    armoured = tmp_path / "team.asc"
    armoured.write_bytes(_armoured(binary.read_bytes()))
    assert is_encrypted(armoured)
    cut = tmp_path / "cut.asc"
    cut.write_bytes(armoured.read_bytes()[: len(armoured.read_bytes()) // 2])
    with open_store(trio["b"]) as b:
        with pytest.raises(TryggError) as none_given:
            import_bundle(b, armoured)
        assert none_given.value.key == "decrypt.need_passphrase"  # its header was read
        unlock = Unlock(ask_passphrase=lambda: PASSPHRASE)
        with pytest.raises(TryggError) as refused:
            import_bundle(b, cut, unlock=unlock)
        assert refused.value.key == "decrypt.truncated"
        result = import_bundle(b, armoured, unlock=unlock)
        assert result.encrypted and b.count("snabbrapport") == 1


@needs_age
def test_a_file_armoured_by_the_age_command_is_imported_by_the_command_line(
    trio: dict[str, Path], tmp_path: Path
) -> None:
    plain = tmp_path / "plain.trygg"
    with open_store(trio["a"]) as a:
        export_bundle(a, plain, full=True)
    with open_store(trio["b"]) as b:
        recipient = _age_recipient(b)
    sealed = tmp_path / "sealed.trygg"
    subprocess.run(["age", "-a", "-r", recipient, "-o", str(sealed), str(plain)], check=True)
    assert sealed.read_bytes().startswith(b"-----BEGIN AGE ENCRYPTED FILE-----")
    done = subprocess.run(
        [sys.executable, "-c", TRYGG, "--db", str(trio["b"]), "import", str(sealed)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TRYGG_LANG": "sv"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "krypterad" in done.stdout.lower()
    with open_store(trio["b"]) as b:
        assert b.count("walk") == 1
