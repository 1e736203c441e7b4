"""The mailbox folder: ``trygg sync DIR``.

A USB stick, a Syncthing folder or a network share holds one outgoing file per device,
``trygg-<device id>.trygg``. Syncing imports every other device's file not imported yet
(half-written files, whose names start with a dot or do not end in ``.trygg``, are left
alone), then writes this device's file atomically. The file is written after the imports,
so it acknowledges what was just received; it holds what the least informed device in the
folder lacks. Everyone who can read the folder can read the file, so its profile is
``kommun`` unless the folder is declared police-only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from db.errors import TryggError
from db.protect.encryption import Encryption, Unlock, is_encrypted
from db.store import Store
from db.sync import vectors as vec
from db.sync.bundle import SUFFIX, BundleReader
from db.sync.exporter import (
    SEKRETESS,
    ExportPlan,
    ExportSummary,
    Peer,
    carries_personal,
    export_bundle,
    peers,
    plan_export,
)
from db.sync.merge import ImportSummary, import_bundle


@dataclass
class MailboxSummary:
    folder: Path
    sent: ExportSummary | None = None
    imported: list[ImportSummary] = field(default_factory=list)
    already: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, TryggError]] = field(default_factory=list)


def outgoing_name(device_id: str, personal: bool = False) -> str:
    """This device's file in a mailbox folder; ``-SEKRETESS`` when it carries personal
    data (only in a police-only folder, ``--profile polis``)."""
    mark = f"-{SEKRETESS}" if personal else ""
    return f"trygg-{device_id}{mark}{SUFFIX}"


def own_names(device_id: str) -> set[str]:
    """Both names this device's mailbox file can have."""
    return {outgoing_name(device_id), outgoing_name(device_id, personal=True)}


def incoming_files(folder: Path, device_id: str) -> list[Path]:
    """Other devices' finished files in ``folder``."""
    own = own_names(device_id)
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file()
        and path.suffix == SUFFIX
        and not path.name.startswith(".")
        and path.name not in own
    )


def sync_folder(
    store: Store,
    folder: Path,
    *,
    profile: str = "kommun",
    encryption: Encryption | None = None,
    unlock: Unlock | None = None,
) -> MailboxSummary:
    """Import the others' files from ``folder``, then write ours there (encrypted if
    asked; encrypted files of others are opened with ``unlock``)."""
    if not folder.is_dir():
        raise TryggError("mailbox.not_folder", path=str(folder))
    device = store.require_device()
    summary = MailboxSummary(folder)
    senders: set[str] = set()
    for path in incoming_files(folder, device.id):
        try:
            if is_encrypted(path):
                seen_key = _SEEN.format(name=path.name)
                header = _age_header_digest(path)
                if store.setting(seen_key) == header:
                    summary.already.append(path)
                    senders.update(_sender_of_seen(store, path.name))
                    continue
                result = import_bundle(store, path, unlock=unlock)
                with store.transaction():
                    store.set_setting(seen_key, header)
                    store.set_setting(_SENDER.format(name=path.name), result.sender["id"])
                senders.add(result.sender["id"])
                summary.imported.append(result)
                continue
            with BundleReader(path) as reader:
                manifest = reader.peek()
            senders.add(manifest.sender["id"])
            seen = store.conn.execute(
                "SELECT 1 FROM imported_bundles WHERE file_id = ?", (manifest.file_id,)
            ).fetchone()
            if seen:
                summary.already.append(path)
                continue
            summary.imported.append(import_bundle(store, path, unlock=unlock))
        except TryggError as error:
            summary.failed.append((path, error))

    readers = [p for p in peers(store) if p.id in senders]
    everyone = None
    if readers and len(readers) == len(senders):
        least = vec.minimum([p.declared for p in readers])
        everyone = Peer("*", "*", None, least, None, None)
    plan = plan_export(store, peer=everyone, full=everyone is None, profile=profile)
    personal = carries_personal(store, plan)
    target = folder / outgoing_name(device.id, personal)
    written = _plan_text(plan, encryption)
    plan_key = _PLAN.format(name=target.name)
    if target.exists() and store.setting(plan_key) == written:
        # Same content as the file already there: a new file id would only make every
        # colleague read it again for nothing.
        return summary
    summary.sent = export_bundle(
        store,
        target,
        peer=everyone,
        full=everyone is None,
        profile=profile,
        private=False,
        sent_to=sorted(senders),
        encryption=encryption,
        recipient_label=str(folder),
    )
    with store.transaction():
        store.set_setting(plan_key, written)
    for name in own_names(device.id) - {target.name}:
        # The file under its other name is outdated now (it may even hold personal data
        # this one no longer carries).
        with contextlib.suppress(OSError):
            (folder / name).unlink()
    return summary


#: Settings: what this device last wrote to its mailbox file, and the encrypted files of
#: others already read (by a digest of their age header, which is unique per file).
_PLAN = "mailbox.plan.{name}"
_SEEN = "mailbox.seen.{name}"
_SENDER = "mailbox.sender.{name}"


def _plan_text(plan: ExportPlan, encryption: Encryption | None) -> str:
    return json.dumps(
        {
            "profile": plan.profile,
            "held": plan.held,
            "base": plan.base_declared,
            "encryption": encryption.label if encryption else "none",
        },
        sort_keys=True,
    )


def _age_header_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.sha256(handle.read(1024)).hexdigest()


def _sender_of_seen(store: Store, name: str) -> set[str]:
    sender = store.setting(_SENDER.format(name=name))
    return {sender} if sender else set()
