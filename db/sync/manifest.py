"""What a bundle says about itself: one ``Manifest`` type, written and read.

The manifest holds the format and schema version, the sender's card and public key, a file
id, when it was made, the profile and its scopes, the sender's vectors, the vectors it
assumed the receiver had, the cards of the devices whose entries it carries, the entry
count and the SHA-256 of the entries. In the file it is a table of key → JSON value; the
sender signs the canonical JSON of every key but the signature.

What a valid signature proves: the file was made by whoever holds the sender's private key
(the device, or someone who copied its database), and manifest and entries are as that
device wrote them. It does not prove that the sender's vectors are honest: the receiver
checks what it can (db/sync/bundle.py, merge.py). That each entry is its origin's own is
proved by the ``chains``: per origin and scope, the head of the origin's hash chain its
origin signed, and the link before the file's first entry of it (docs/authenticity.md,
db/sync/authenticity.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeGuard

from db.journal import chains
from db.journal import vectors as vec
from db.migrations import SCHEMA_VERSION
from db.peers import DeviceCard
from db.protect import keys
from db.records import ORGANISATIONS, PERSONAL, PROFILE_SCOPES, PROFILES

FORMAT = "trygg-bundle"
#: 2: every file is signed by its sender's device key (version 1 files were not).
#: 3: every entry carries its link in its origin's chain, and the manifest the signed
#: heads of the chains (version 2 files are read; their entries stay unverified).
FORMAT_VERSION = 3
#: The marking of a file that carries personal data (manifest and default file name).
SEKRETESS = "SEKRETESS"
#: A file names at most this many devices (in its vectors and in its cards): a working
#: group has a handful, a county a few hundred; a file naming more is refused whole.
MAX_DEVICES = 1000
_MAX_TEXT = 400


@dataclass(frozen=True)
class ChainHead:
    """One chain's part in a file: the head its origin signed at the file's last entry of
    it, and the position and link just before the file's first entry (None: the chain's
    beginning)."""

    head: chains.Head
    anchor: tuple[chains.Position, bytes] | None = None

    def to_json(self) -> dict[str, Any]:
        h = self.head
        anchor = None if self.anchor is None else [*self.anchor[0], self.anchor[1].hex()]
        return {
            "device": h.device,
            "scope": h.scope,
            "ts": h.ts,
            "record_id": h.record_id,
            "field": h.field,
            "link": h.link.hex(),
            "start": h.start,
            "key": h.key,
            "signature": h.signature,
            "anchor": anchor,
        }

    @classmethod
    def from_json(cls, data: Any) -> ChainHead:
        """Read one (raises ValueError, KeyError or TypeError)."""
        if not isinstance(data, dict):
            raise ValueError("chain")
        link, anchor = _link(data["link"]), data["anchor"]
        head = chains.Head(
            _text(data["device"], 64),
            _text(data["scope"], 16),
            _stamp(data["ts"]),
            _text(data["record_id"], 64),
            _text(data["field"], 64),
            link,
            _stamp(data["start"]),
            _text(data["key"], 64),
            _text(data["signature"], 128),
        )
        if anchor is None:
            return cls(head)
        ts, record_id, field_name, anchor_link = _list(anchor)
        position = (_stamp(ts), _text(record_id, 64), _text(field_name, 64))
        return cls(head, (position, _link(anchor_link)))


class ManifestProblem(ValueError):
    """Why a manifest cannot be used; ``key`` is the message key (``bundle.…``)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Manifest:
    """A bundle's manifest. ``entry_count`` and ``body_sha256`` are filled in when the
    entries have been written (:func:`db.sync.bundle.write_bundle`)."""

    file_id: str
    created_at: str
    sender: DeviceCard
    #: The sender's public signing key (hex Ed25519).
    sender_key: str
    profile: str
    sender_vectors: vec.Vectors
    base_vectors: vec.Vectors
    devices: tuple[DeviceCard, ...] = ()
    entry_count: int = 0
    body_sha256: str = ""
    #: ``SEKRETESS`` when the file carries personal data, else None.
    marking: str | None = None
    schema_version: int = SCHEMA_VERSION
    app_version: str = "0"
    format_version: int = FORMAT_VERSION
    #: The signed heads of the chains whose entries the file carries (format 3).
    chains: tuple[ChainHead, ...] = ()
    #: Keys of the raw manifest this version of Trygg does not know (kept, so the
    #: signature of a newer file's manifest can be checked as it was written).
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def scopes(self) -> tuple[str, ...]:
        return PROFILE_SCOPES[self.profile]

    @property
    def personal(self) -> bool:
        """Whether the file's profile includes the personal scope."""
        return PERSONAL in self.scopes

    @property
    def fingerprint(self) -> str:
        return keys.fingerprint(self.sender_key)

    def completed(self, entry_count: int, body_sha256: str, origins: set[str]) -> Manifest:
        """This manifest once the entries are written: their count and hash, and the cards
        of only the devices whose entries the file carries."""
        cards = tuple(card for card in self.devices if card.id in origins)
        return replace(self, entry_count=entry_count, body_sha256=body_sha256, devices=cards)

    def to_json(self) -> dict[str, Any]:
        """The manifest as stored, without the signature."""
        return {
            **self.extra,
            "format": FORMAT,
            "format_version": self.format_version,
            "schema_version": self.schema_version,
            "app_version": self.app_version,
            "file_id": self.file_id,
            "created_at": self.created_at,
            "sender": {**_card_json(self.sender), "key": self.sender_key},
            "profile": self.profile,
            "scopes": list(self.scopes),
            "personal": self.personal,
            "marking": self.marking,
            "sender_vectors": self.sender_vectors,
            "base_vectors": self.base_vectors,
            "devices": [_card_json(card) for card in self.devices],
            "entry_count": self.entry_count,
            "body_sha256": self.body_sha256,
            "chains": [chain.to_json() for chain in self.chains],
        }

    def signed(self, signing_key: str) -> dict[str, Any]:
        """The manifest as stored, signed with ``signing_key``."""
        raw = self.to_json()
        return {**raw, "signature": keys.sign(signing_key, canonical(raw))}

    @classmethod
    def from_signed(cls, raw: Mapping[str, Any]) -> Manifest:
        """Read and check a stored manifest: format, versions, signature, every field.
        Raises :class:`ManifestProblem`."""
        if raw.get("format") != FORMAT:
            raise ManifestProblem("bundle.not_trygg")
        version = raw.get("format_version")
        schema = raw.get("schema_version")
        if not _is_int(version) or not _is_int(schema):
            raise ManifestProblem("bundle.damaged")
        if version > FORMAT_VERSION or schema > SCHEMA_VERSION:
            raise ManifestProblem("bundle.newer", version=raw.get("app_version"))
        if version < 2:
            raise ManifestProblem("bundle.unsigned")
        sender = raw.get("sender")
        sender_key = sender.get("key") if isinstance(sender, dict) else None
        if not keys.is_public_key(sender_key) or not keys.verify(
            str(sender_key), raw.get("signature"), canonical(raw)
        ):
            raise ManifestProblem("bundle.bad_signature")
        try:
            manifest = cls(
                file_id=_text(raw["file_id"]),
                created_at=_text(raw["created_at"]),
                sender=device_card(sender),
                sender_key=str(sender_key),
                profile=_text(raw["profile"]),
                sender_vectors=raw["sender_vectors"],
                base_vectors=raw["base_vectors"],
                devices=tuple(device_card(d) for d in _list(raw["devices"])),
                entry_count=_count(raw["entry_count"]),
                body_sha256=_text(raw["body_sha256"]),
                marking=SEKRETESS if raw.get("marking") == SEKRETESS else None,
                schema_version=schema,
                app_version=str(raw.get("app_version"))[:_MAX_TEXT],
                format_version=version,
                chains=tuple(ChainHead.from_json(c) for c in _list(raw.get("chains", []))),
                extra={k: v for k, v in raw.items() if k not in _KNOWN},
            )
        except (KeyError, TypeError, ValueError):
            raise ManifestProblem("bundle.damaged") from None
        manifest.check_shape(raw.get("scopes"), raw.get("personal"))
        return manifest

    def check_shape(self, scopes: object = None, personal: object = None) -> None:
        """Refuse a manifest whose parts do not fit together or exceed the bounds."""
        if self.profile not in PROFILES:
            raise ManifestProblem("bundle.damaged")
        if scopes is not None and list(self.scopes) != scopes:
            raise ManifestProblem("bundle.damaged")
        if personal is not None and personal is not self.personal:
            raise ManifestProblem("bundle.damaged")
        for vectors in (self.sender_vectors, self.base_vectors):
            if not vec.is_vectors(vectors) or not set(vectors) <= set(self.scopes):
                raise ManifestProblem("bundle.damaged")
            if any(len(vector) > MAX_DEVICES for vector in vectors.values()):
                raise ManifestProblem("bundle.too_many_devices", limit=MAX_DEVICES)
        if len(self.chains) > 2 * MAX_DEVICES:
            raise ManifestProblem("bundle.too_many_devices", limit=MAX_DEVICES)
        if len({(c.head.device, c.head.scope) for c in self.chains}) != len(self.chains):
            raise ManifestProblem("bundle.damaged")
        if any(c.head.scope not in self.scopes for c in self.chains):
            raise ManifestProblem("bundle.damaged")
        if len(self.devices) > MAX_DEVICES:
            raise ManifestProblem("bundle.too_many_devices", limit=MAX_DEVICES)
        if len({card.id for card in self.devices}) != len(self.devices):
            raise ManifestProblem("bundle.damaged")


_KNOWN = {
    "format",
    "format_version",
    "schema_version",
    "app_version",
    "file_id",
    "created_at",
    "sender",
    "profile",
    "scopes",
    "personal",
    "marking",
    "sender_vectors",
    "base_vectors",
    "devices",
    "entry_count",
    "body_sha256",
    "chains",
    "signature",
}


def canonical(manifest: Mapping[str, Any]) -> bytes:
    """The bytes a bundle's signature covers: every manifest key but the signature, as
    sorted compact JSON. The body is covered through ``body_sha256``."""
    signed = {k: v for k, v in manifest.items() if k != "signature"}
    return json.dumps(signed, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _card_json(card: DeviceCard) -> dict[str, Any]:
    return {"id": card.id, "name": card.name, "org": card.org}


def device_card(data: Any) -> DeviceCard:
    """A device card from JSON, checked (raises ValueError)."""
    if not isinstance(data, dict):
        raise ValueError("device")
    org = data.get("org")
    if org is not None and org not in ORGANISATIONS:
        raise ValueError("org")
    return DeviceCard(_text(data.get("id"), 64), _text(data.get("name")), org)


def _text(value: Any, limit: int = _MAX_TEXT) -> str:
    if not isinstance(value, str) or not value or len(value) > limit:
        raise ValueError("text")
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("list")
    return value


def _stamp(value: Any) -> int:
    if not _is_int(value) or value <= 0:
        raise ValueError("stamp")
    return int(value)


def _link(value: Any) -> bytes:
    if not isinstance(value, str) or len(value) != 64:
        raise ValueError("link")
    return bytes.fromhex(value)


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(value: Any) -> int:
    if not _is_int(value) or value < 0:
        raise ValueError("count")
    return int(value)
