"""Encrypted files: standard ``age`` (through pyrage), so the ``age`` command opens them too.

A file is encrypted either with a team passphrase (scrypt) or to colleagues' public
``age1…`` keys. Reading detects an encrypted file by its header and asks only for what it
needs: the passphrase for a passphrase file; for a file encrypted to keys, this device's
own identity is tried first, then any identity the user named.

Plaintext never touches the destination: a file to encrypt is first written into a private
temporary folder on this machine, and a received file is decrypted into one (a USB stick
must never hold a plaintext copy, not even a deleted one).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyrage

from db.errors import TryggError
from db.files import atomic_file

AGE_HEADER = b"age-encryption.org/v1\n"
_CHUNK = 64 * 1024
_TAG = 16
_NONCE = 16
#: A bundle is an SQLite file: its size is always a multiple of this.
_PAGE_MULTIPLE = 512


@dataclass
class Encryption:
    """How to encrypt a file: a passphrase, or colleagues' ``age1…`` public keys."""

    passphrase: str | None = None
    recipients: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if bool(self.passphrase) == bool(self.recipients):
            raise TryggError("encrypt.choose_one")

    @property
    def label(self) -> str:
        """How the export log describes it: ``passphrase`` or ``recipients:N``."""
        return "passphrase" if self.passphrase else f"recipients:{len(self.recipients)}"


#: The shortest team passphrase accepted for a new file.
MIN_PASSPHRASE = 8


def passphrase_encryption(secret: str, again: str | None = None) -> Encryption:
    """Encryption with a team passphrase, refused when it is too short or (when typed
    twice) the two differ."""
    if again is not None and secret != again:
        raise TryggError("encrypt.passphrase_mismatch")
    if len(secret) < MIN_PASSPHRASE:
        raise TryggError("encrypt.passphrase_short", min=MIN_PASSPHRASE)
    return Encryption(passphrase=secret)


@dataclass
class Unlock:
    """What may open a received encrypted file. ``ask_passphrase`` is called only when a
    passphrase file arrives (once; the answer is reused for further files)."""

    identities: list[str] = field(default_factory=list)
    ask_passphrase: Callable[[], str | None] | None = None
    _passphrase: str | None = None

    def passphrase(self) -> str | None:
        if self._passphrase is None and self.ask_passphrase is not None:
            self._passphrase = self.ask_passphrase()
        return self._passphrase


def parse_recipients(texts: list[str]) -> list[pyrage.x25519.Recipient]:
    """``age1…`` keys, each checked; a bad one is named."""
    parsed = []
    for text in texts:
        try:
            parsed.append(pyrage.x25519.Recipient.from_str(text.strip()))
        except pyrage.RecipientError:
            raise TryggError("encrypt.bad_recipient", recipient=text.strip()[:70]) from None
    return parsed


def is_encrypted(path: Path) -> bool:
    """True if ``path`` starts like an age file."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(AGE_HEADER)) == AGE_HEADER
    except OSError:
        return False


def stanzas(path: Path) -> list[str]:
    """The kinds of the age header's recipient stanzas (``scrypt``, ``X25519`` …)."""
    kinds = []
    with path.open("rb") as handle:
        handle.readline()
        for _ in range(100):
            line = handle.readline(4096)
            if not line or line.startswith(b"---"):
                break
            if line.startswith(b"-> "):
                kinds.append(line[3:].split(b" ", 1)[0].strip().decode("ascii", "replace"))
    return kinds


@contextlib.contextmanager
def private_folder() -> Iterator[Path]:
    """A temporary folder readable by this user only, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="trygg-") as name:
        os.chmod(name, 0o700)
        yield Path(name)


def encrypt_into(plain: Path, target: Path, how: Encryption, *, private: bool = True) -> None:
    """Encrypt ``plain`` into ``target`` atomically."""
    try:
        with atomic_file(target, private=private) as tmp:
            if how.passphrase:
                data = plain.read_bytes()
                tmp.write_bytes(pyrage.passphrase.encrypt(data, how.passphrase))
            else:
                pyrage.encrypt_file(str(plain), str(tmp), parse_recipients(how.recipients))
    except pyrage.EncryptError:
        raise TryggError("encrypt.failed", path=str(target)) from None


@contextlib.contextmanager
def decrypted(path: Path, unlock: Unlock, own_identity: str | None) -> Iterator[Path]:
    """Yield a private plaintext copy of the encrypted ``path`` (removed afterwards).

    Raises one clear TryggError for each way it can fail: no passphrase given, a wrong
    passphrase, a file for someone else's key, a cut-off file, a changed file."""
    kinds = stanzas(path)
    with private_folder() as folder:
        plain = folder / "bundle.trygg"
        try:
            if "scrypt" in kinds:
                secret = unlock.passphrase()
                if not secret:
                    raise TryggError("decrypt.need_passphrase", path=str(path))
                plain.write_bytes(pyrage.passphrase.decrypt(path.read_bytes(), secret))
            else:
                identities = [own_identity] if own_identity else []
                identities += unlock.identities
                parsed = [_identity(text) for text in identities]
                if not parsed:
                    raise TryggError("decrypt.not_for_us", path=str(path))
                pyrage.decrypt_file(str(path), str(plain), parsed)
        except pyrage.DecryptError as error:
            raise _why(path, kinds, str(error)) from None
        except OSError as error:
            if error.errno is not None:  # a real I/O failure, not a bad file
                raise TryggError(
                    "bundle.unreadable", path=str(path), reason=error.strerror
                ) from None
            # pyrage's streaming reader reports a bad payload as a bare OSError.
            raise _why(path, kinds, str(error)) from None
        yield plain


def _identity(text: str) -> pyrage.x25519.Identity:
    try:
        return pyrage.x25519.Identity.from_str(text.strip())
    except pyrage.IdentityError:
        raise TryggError("decrypt.bad_identity") from None


def _why(path: Path, kinds: list[str], reason: str) -> TryggError:
    """Tell a cut-off file, a changed file, a wrong key and a wrong passphrase apart."""
    if "No matching keys" in reason:
        return TryggError("decrypt.not_for_us", path=str(path))
    if not _whole(path):
        return TryggError("decrypt.truncated", path=str(path))
    if reason == "Decryption failed" and "scrypt" in kinds:
        # The header could not be opened: the passphrase (or, rarely, a changed header).
        return TryggError("decrypt.wrong_passphrase", path=str(path))
    return TryggError("decrypt.tampered", path=str(path))


def _whole(path: Path) -> bool:
    """Whether the payload length fits a complete encrypted bundle: age writes 64 KiB
    chunks with a 16-byte tag each, and a bundle's plaintext is a multiple of 512 bytes,
    so a copy cut off at a random byte almost never fits."""
    data_start = _header_length(path)
    if data_start is None:
        return False
    payload = path.stat().st_size - data_start - _NONCE
    if payload <= 0:
        return False
    rest = payload % (_CHUNK + _TAG)
    return rest == 0 or (rest > _TAG and (rest - _TAG) % _PAGE_MULTIPLE == 0)


def _header_length(path: Path) -> int | None:
    with path.open("rb") as handle:
        offset = 0
        for _ in range(200):
            line = handle.readline(4096)
            if not line:
                return None
            offset += len(line)
            if line.startswith(b"--- "):
                return offset
    return None
