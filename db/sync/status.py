"""What the Synk screen shows at a glance: this device's keys, what waits to be sent,
each colleague's device (organisation, key, last heard, what it lacks of ours), the
recent files written, and the mailbox folder."""

from __future__ import annotations

from dataclasses import dataclass

from db.overview import unsent_changes
from db.protect.pinning import OwnKeys, PeerKey, own_keys, peer_key
from db.store import Store
from db.sync import export_log
from db.sync.export_log import ExportLogEntry
from db.sync.exporter import LAST_EXPORT, peers, unconfirmed_entries
from db.sync.mailbox import Mailbox, configured_mailbox, waiting_files


@dataclass(frozen=True)
class Colleague:
    """A colleague's device and where we stand with it."""

    key: PeerKey
    #: Journal entries held here that the device has not confirmed holding.
    lacks: int

    @property
    def name(self) -> str:
        return self.key.peer.name


@dataclass(frozen=True)
class SyncStatus:
    own: OwnKeys
    unsent: int
    oldest_unsent: str | None
    last_export: str | None
    open_conflicts: int
    colleagues: list[Colleague]
    recent_files: list[ExportLogEntry]
    mailbox: Mailbox | None
    #: Files from others in the mailbox folder not read yet (0 when it is not there).
    waiting: int


def sync_status(store: Store, *, recent: int = 5) -> SyncStatus:
    """Gather the Synk screen's figures (a few indexed counts per colleague)."""
    unsent, oldest = unsent_changes(store)
    colleagues = [
        Colleague(peer_key(store, p), unconfirmed_entries(store, p)) for p in peers(store)
    ]
    mailbox = configured_mailbox(store)
    waiting = len(waiting_files(store, mailbox.folder)) if mailbox else 0
    return SyncStatus(
        own=own_keys(store),
        unsent=unsent,
        oldest_unsent=oldest,
        last_export=store.setting(LAST_EXPORT),
        open_conflicts=store.conn.execute("SELECT count(*) FROM conflicts").fetchone()[0],
        colleagues=colleagues,
        recent_files=export_log.entries(store.conn, limit=recent),
        mailbox=mailbox,
        waiting=waiting,
    )
