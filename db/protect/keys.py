"""Device keys: an Ed25519 key that signs every bundle this device writes, and an ``age``
identity colleagues can encrypt files to.

A key is shown to people as a short fingerprint (16 hex digits in four groups) that two
colleagues can read to each other over the phone.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

#: Prefix of the signed bytes, so a signature can never be replayed for another purpose.
SIGNATURE_CONTEXT = b"trygg-bundle-manifest-v1\n"


@dataclass(frozen=True)
class Secrets:
    """A device's private keys (hex Ed25519 seed, age secret key) and its public key."""

    signing_key: str
    public_key: str
    age_identity: str


def new_secrets() -> Secrets:
    """A fresh signing key and age identity."""
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes_raw().hex()
    return Secrets(seed, public_hex(private), str(pyrage.x25519.Identity.generate()))


def public_hex(private: Ed25519PrivateKey) -> str:
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def holds_private_key(signing_key: object, public_key: str) -> bool:
    """True if ``signing_key`` (a hex Ed25519 seed) is the private half of ``public_key``."""
    if not isinstance(signing_key, str) or len(signing_key) != 64:
        return False
    try:
        private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(signing_key))
    except ValueError:
        return False
    return public_hex(private) == public_key


def fingerprint(public_key: str) -> str:
    """The short form of a public key people compare: ``3F2A-9C1B-77D0-E4A2``."""
    digest = hashlib.sha256(bytes.fromhex(public_key)).hexdigest()[:16].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def is_public_key(text: object) -> bool:
    """True if ``text`` is a hex Ed25519 public key."""
    if not isinstance(text, str) or len(text) != 64:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(text))
    except ValueError:
        return False
    return True


def sign(signing_key: str, message: bytes) -> str:
    """The hex Ed25519 signature of ``message`` (with the Trygg context prefix)."""
    private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(signing_key))
    return private.sign(SIGNATURE_CONTEXT + message).hex()


def verify(public_key: str, signature: object, message: bytes) -> bool:
    """True if ``signature`` is ``public_key``'s signature of ``message``."""
    if not isinstance(signature, str) or len(signature) != 128:
        return False
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
        key.verify(bytes.fromhex(signature), SIGNATURE_CONTEXT + message)
    except (ValueError, InvalidSignature):
        return False
    return True


def own_secrets(conn: sqlite3.Connection) -> Secrets | None:
    """This device's keys, or None before it is set up."""
    row = conn.execute(
        "SELECT s.signing_key, d.public_key, s.age_identity FROM device_secrets s"
        " JOIN devices d ON d.id = s.device_id AND d.is_self = 1"
    ).fetchone()
    return Secrets(row[0], row[1], row[2]) if row else None


def age_recipient(secrets: Secrets) -> str:
    """The public ``age1…`` key colleagues encrypt files to this device with."""
    return str(pyrage.x25519.Identity.from_str(secrets.age_identity).to_public())
