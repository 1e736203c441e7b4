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
from db.journal import vectors as vec
from db.protect.encryption import Encryption, Unlock, is_encrypted
from db.records import KOMMUN, PROFILES
from db.store import Store
from db.sync.bundle import SUFFIX, BundleReader
from db.sync.exporter import (
    SEKRETESS,
    ExportPlan,
    ExportPreview,
    ExportSummary,
    Peer,
    Progress,
    carries_personal,
    export_bundle,
    peers,
    plan_export,
    preview_export,
)
from db.sync.merge import ImportSummary, import_bundle

#: Settings: the mailbox folder this device syncs through, and the profile of its file
#: there (``kommun`` unless the folder is the police's own).
MAILBOX_FOLDER = "mailbox.folder"
MAILBOX_PROFILE = "mailbox.profile"


@dataclass(frozen=True)
class Mailbox:
    """The mailbox folder configured on this device."""

    folder: Path
    profile: str


def configured_mailbox(store: Store) -> Mailbox | None:
    """The mailbox folder set up once for this device, or None."""
    folder = store.setting(MAILBOX_FOLDER)
    if not folder:
        return None
    profile = store.setting(MAILBOX_PROFILE) or KOMMUN
    return Mailbox(Path(folder), profile if profile in PROFILES else KOMMUN)


def configure_mailbox(store: Store, folder: Path | None, profile: str = KOMMUN) -> None:
    """Set (or, with None, stop using) the mailbox folder and its profile."""
    if profile not in PROFILES:
        raise TryggError("export.bad_profile", profile=profile)
    if folder is not None and not folder.is_dir():
        raise TryggError("mailbox.not_folder", path=str(folder))
    with store.transaction():
        store.set_setting(MAILBOX_FOLDER, str(folder.resolve()) if folder else "")
        store.set_setting(MAILBOX_PROFILE, profile)


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
    profile: str = KOMMUN,
    encryption: Encryption | None = None,
    unlock: Unlock | None = None,
) -> MailboxSummary:
    """Import the others' files from ``folder``, then write ours there (encrypted if
    asked; encrypted files of others are opened with ``unlock``)."""
    if not folder.is_dir():
        raise TryggError("mailbox.not_folder", path=str(folder))
    device = store.require_device()
    summary = MailboxSummary(folder)
    for path in incoming_files(folder, device.id):
        try:
            if not is_waiting(store, path):
                summary.already.append(path)
                continue
            summary.imported.append(receive_file(store, path, unlock=unlock))
        except TryggError as error:
            summary.failed.append((path, error))
    summary.sent = write_own_file(store, folder, profile=profile, encryption=encryption)
    return summary


def is_waiting(store: Store, path: Path) -> bool:
    """Whether another device's file in a mailbox folder has not been read here yet (an
    unreadable file counts as waiting: reading it is what tells the user why)."""
    try:
        if is_encrypted(path):
            return store.setting(_SEEN.format(name=path.name)) != _age_header_digest(path)
        with BundleReader(path) as reader:
            manifest = reader.peek()
    except (TryggError, OSError):
        return True
    seen = store.conn.execute(
        "SELECT 1 FROM imported_bundles WHERE file_id = ?", (manifest.file_id,)
    ).fetchone()
    return seen is None


def waiting_files(store: Store, folder: Path) -> list[Path]:
    """The other devices' files in ``folder`` not read here yet (none if the folder is
    not there: a USB stick not plugged in is no error while watching)."""
    device = store.require_device()
    try:
        incoming = incoming_files(folder, device.id)
    except OSError:
        return []
    return [path for path in incoming if is_waiting(store, path)]


def receive_file(
    store: Store, path: Path, *, unlock: Unlock | None = None, lang: str | None = None
) -> ImportSummary:
    """Import one file of another device's from a mailbox folder, remembering an
    encrypted one as read (its header is unique per file) and who sent it."""
    result = import_bundle(store, path, unlock=unlock, lang=lang)
    if result.encrypted:
        with store.transaction():
            store.set_setting(_SEEN.format(name=path.name), _age_header_digest(path))
            store.set_setting(_SENDER.format(name=path.name), result.sender.id)
    return result


def folder_senders(store: Store, folder: Path) -> set[str]:
    """The devices whose files lie in ``folder``: the readers of the file this device
    writes there (one not heard from yet makes that file a full one)."""
    device = store.require_device()
    senders: set[str] = set()
    try:
        incoming = incoming_files(folder, device.id)
    except OSError:
        return senders
    for path in incoming:
        if is_encrypted(path):
            senders.update(_sender_of_seen(store, path.name))
            continue
        try:
            with BundleReader(path) as reader:
                manifest = reader.peek()
        except TryggError:
            continue
        senders.add(manifest.sender.id)
    return senders


def _folder_plan(
    store: Store, folder: Path, profile: str
) -> tuple[Peer | None, ExportPlan, set[str]]:
    """What this device's file in ``folder`` holds: what the least informed reader of the
    folder lacks (everything when a reader is not known yet); and who those readers are."""
    senders = folder_senders(store, folder)
    readers = [p for p in peers(store) if p.id in senders]
    everyone = None
    if readers and len(readers) == len(senders):
        least = vec.minimum([p.declared for p in readers])
        everyone = Peer("*", "*", None, least, None, None)
    plan = plan_export(store, peer=everyone, full=everyone is None, profile=profile)
    return everyone, plan, senders


def preview_own_file(store: Store, folder: Path, *, profile: str = KOMMUN) -> ExportPreview:
    """What this device's file in the mailbox ``folder`` would carry."""
    _everyone, plan, _senders = _folder_plan(store, folder, profile)
    return preview_export(store, plan=plan)


def write_own_file(
    store: Store,
    folder: Path,
    *,
    profile: str = KOMMUN,
    encryption: Encryption | None = None,
    progress: Progress | None = None,
) -> ExportSummary | None:
    """Write this device's file into the mailbox ``folder``, for everyone reading it;
    None when the file already there says the same."""
    if not folder.is_dir():
        raise TryggError("mailbox.not_folder", path=str(folder))
    device = store.require_device()
    everyone, plan, senders = _folder_plan(store, folder, profile)
    personal = carries_personal(store, plan)
    target = folder / outgoing_name(device.id, personal)
    written = _plan_text(plan, encryption)
    plan_key = _PLAN.format(name=target.name)
    if target.exists() and store.setting(plan_key) == written:
        # Same content as the file already there: a new file id would only make every
        # colleague read it again for nothing.
        return None
    sent = export_bundle(
        store,
        target,
        peer=everyone,
        full=everyone is None,
        profile=profile,
        private=False,
        sent_to=sorted(senders),
        encryption=encryption,
        recipient_label=str(folder),
        progress=progress,
    )
    with store.transaction():
        store.set_setting(plan_key, written)
    for name in own_names(device.id) - {target.name}:
        # The file under its other name is outdated now (it may even hold personal data
        # this one no longer carries).
        with contextlib.suppress(OSError):
            (folder / name).unlink()
    return sent


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
