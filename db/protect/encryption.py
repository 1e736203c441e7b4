"""Encrypted files: standard ``age`` (through pyrage), so the ``age`` command opens them too.

A file is encrypted either with a team passphrase (scrypt) or to colleagues' public
``age1…`` keys. Reading detects an encrypted file by its header and asks only for what it
needs: the passphrase for a passphrase file; for a file encrypted to keys, this device's
own identity is tried first, then any identity the user named.

Plaintext never touches a disk: a file to encrypt is built in memory and encrypted there,
and a received file is decrypted into memory (SQLite reads the bundle from there). No
decrypted copy lies in a temporary folder, not even for a moment, so an import or export
that is killed half-way leaves nothing in clear behind (a USB stick, a shared temp folder
and a laptop's disk never hold a plaintext copy, not even a deleted one).

Files in age's ASCII armour (``age -a``, "-----BEGIN AGE ENCRYPTED FILE-----") are read
like binary ones.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyrage

from db.errors import TryggError
from db.files import atomic_file, is_database_in_use

AGE_HEADER = b"age-encryption.org/v1\n"
#: The first and last lines of a file in age's ASCII armour (``age -a``).
ARMOUR_BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
ARMOUR_END = b"-----END AGE ENCRYPTED FILE-----"
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
    """True if ``path`` starts like an age file, binary or armoured."""
    if is_database_in_use(path):
        return False  # never opened outside SQLite (that would drop SQLite's locks)
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError:
        return False
    return head.startswith(AGE_HEADER) or head.lstrip().startswith(ARMOUR_BEGIN)


def read_encrypted(path: Path) -> bytes:
    """The age file at ``path`` in age's binary form (armour taken off). An armoured file
    that is cut off or damaged gives bytes that do not decrypt, which tells why."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TryggError("bundle.unreadable", path=str(path), reason=exc.strerror) from None
    return dearmoured(raw)


def dearmoured(raw: bytes) -> bytes:
    """``raw`` without age's ASCII armour (unchanged when it has none). An armoured text
    with no end line or with damaged Base64 yields what could be decoded of it."""
    text = raw.strip()
    if not text.startswith(ARMOUR_BEGIN):
        return raw
    lines = text.splitlines()[1:]
    body = []
    for line in lines:
        if line.strip() == ARMOUR_END:
            break
        body.append(line.strip())
    joined = b"".join(body)
    try:
        return base64.b64decode(joined, validate=True)
    except (binascii.Error, ValueError):
        # A cut-off or damaged copy: decode what forms whole groups, so that the header
        # can still be read and the file is reported as incomplete, not as foreign.
        try:
            return base64.b64decode(joined[: len(joined) - len(joined) % 4])
        except (binascii.Error, ValueError):
            return b""


def stanzas(source: Path | bytes) -> list[str]:
    """The kinds of the age header's recipient stanzas (``scrypt``, ``X25519`` …) of an
    age file (a path, or its binary bytes)."""
    data = read_encrypted(source) if isinstance(source, Path) else source
    kinds = []
    for line in data[: 100 * 4096].split(b"\n")[1:101]:
        if line.startswith(b"---"):
            break
        if line.startswith(b"-> "):
            kinds.append(line[3:].split(b" ", 1)[0].strip().decode("ascii", "replace"))
    return kinds


def write_encrypted(plain: bytes, target: Path, how: Encryption, *, private: bool = True) -> None:
    """Encrypt ``plain`` in memory and write the result to ``target`` atomically: only the
    encrypted bytes ever reach a disk."""
    try:
        if how.passphrase:
            sealed = pyrage.passphrase.encrypt(plain, how.passphrase)
        else:
            sealed = pyrage.encrypt(plain, parse_recipients(how.recipients))
    except pyrage.EncryptError:
        raise TryggError("encrypt.failed", path=str(target)) from None
    with atomic_file(target, private=private) as tmp:
        tmp.write_bytes(sealed)


def decrypt(path: Path, unlock: Unlock, own_identity: str | None) -> bytes:
    """The plaintext of the encrypted ``path``, in memory (never on disk).

    Raises one clear TryggError for each way it can fail: no passphrase given, a wrong
    passphrase, a file for someone else's key, a cut-off file, a changed file."""
    data = read_encrypted(path)
    kinds = stanzas(data)
    try:
        if "scrypt" in kinds:
            secret = unlock.passphrase()
            if not secret:
                raise TryggError("decrypt.need_passphrase", path=str(path))
            return pyrage.passphrase.decrypt(data, secret)
        identities = [own_identity] if own_identity else []
        identities += unlock.identities
        parsed = [_identity(text) for text in identities]
        if not parsed:
            raise TryggError("decrypt.not_for_us", path=str(path))
        return pyrage.decrypt(data, parsed)
    except pyrage.DecryptError as error:
        raise _why(path, data, kinds, str(error)) from None
    except OSError as error:
        if error.errno is not None:  # a real I/O failure, not a bad file
            raise TryggError("bundle.unreadable", path=str(path), reason=error.strerror) from None
        # pyrage reports some bad payloads as a bare OSError.
        raise _why(path, data, kinds, str(error)) from None


def _identity(text: str) -> pyrage.x25519.Identity:
    try:
        return pyrage.x25519.Identity.from_str(text.strip())
    except pyrage.IdentityError:
        raise TryggError("decrypt.bad_identity") from None


def _why(path: Path, data: bytes, kinds: list[str], reason: str) -> TryggError:
    """Tell a cut-off file, a changed file, a wrong key and a wrong passphrase apart."""
    if "No matching keys" in reason:
        return TryggError("decrypt.not_for_us", path=str(path))
    if not _whole(data):
        return TryggError("decrypt.truncated", path=str(path))
    if reason == "Decryption failed" and "scrypt" in kinds:
        # The header could not be opened: the passphrase (or, rarely, a changed header).
        return TryggError("decrypt.wrong_passphrase", path=str(path))
    return TryggError("decrypt.tampered", path=str(path))


def _whole(data: bytes) -> bool:
    """Whether the payload length fits a complete encrypted bundle: age writes 64 KiB
    chunks with a 16-byte tag each, and a bundle's plaintext is a multiple of 512 bytes,
    so a copy cut off at a random byte almost never fits."""
    data_start = _header_length(data)
    if data_start is None:
        return False
    payload = len(data) - data_start - _NONCE
    if payload <= 0:
        return False
    rest = payload % (_CHUNK + _TAG)
    return rest == 0 or (rest > _TAG and (rest - _TAG) % _PAGE_MULTIPLE == 0)


def _header_length(data: bytes) -> int | None:
    offset = 0
    for _ in range(200):
        end = data.find(b"\n", offset, offset + 4096)
        if end < 0:
            return None
        line = data[offset : end + 1]
        offset = end + 1
        if line.startswith(b"--- "):
            return offset
    return None
