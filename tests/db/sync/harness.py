"""Devices on disk for sync tests: real database files that exchange real bundle files."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

from db.interchange import export_records
from db.store import Store
from db.sync.exporter import export_bundle, find_peer
from db.sync.merge import ImportSummary, import_bundle
from tests.conftest import NOW

_files = itertools.count(1)


class Device:
    """One laptop: a Store at ``folder/name.db``."""

    def __init__(self, folder: Path, name: str, org: str = "polis") -> None:
        self.folder = folder
        self.name = name
        self.org = org
        self.store = Store(folder / f"{name}.db", now=lambda: NOW)
        self.store.set_up_device(name, org, "Lycksele")

    @property
    def id(self) -> str:
        return self.store.require_device().id

    def send(
        self, to: Device | None = None, *, full: bool = False, profile: str | None = None
    ) -> Path:
        """Write a bundle for ``to`` (a delta if we know it), or a full one."""
        peer = None
        if to is not None:
            try:
                peer = find_peer(self.store, to.id)
            except Exception:
                peer = None
        out = self.folder / f"{self.name}-{next(_files):04d}.trygg"
        if peer is None and to is not None and profile is None:
            profile = "polis" if to.store.require_device().org == "polis" else "kommun"
        export_bundle(self.store, out, peer=peer, full=full or peer is None, profile=profile)
        return out

    def receive(self, path: Path, *, dry_run: bool = False) -> ImportSummary:
        return import_bundle(self.store, path, dry_run=dry_run)

    def state(self) -> str:
        out = io.StringIO()
        export_records(self.store, out)
        return out.getvalue()

    def conflict_ids(self) -> list[str]:
        return sorted(c.id for c in self.store.conflicts())

    def close(self) -> None:
        self.store.close()


def exchange(a: Device, b: Device, profile: str = "polis") -> None:
    """Both ways, once."""
    b.receive(a.send(b, profile=profile))
    a.receive(b.send(a, profile=profile))


def raw_bytes(path: Path) -> bytes:
    """The database file and its WAL, as an attacker with the disk would read them."""
    data = path.read_bytes()
    wal = Path(f"{path}-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")
