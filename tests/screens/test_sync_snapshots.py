"""SVG snapshots of the Synk screen (status, a colleague, a file written) and the
conflict list, on two real databases that exchanged files and edited the same field.
Keys, device ids and times are fixed so the pictures do not change from run to run.
Update with ``pytest --snapshot-update`` after a deliberate change, and look at the
pictures before committing them."""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from textual.pilot import Pilot

from db.protect import keys
from db.store import Store
from db.sync.exporter import export_bundle, find_peer
from db.sync.merge import import_bundle
from tests.conftest import NOW, walk_fields
from tui.app import TryggApp

#: Test-only identities (never used anywhere else).
_AGE = itertools.cycle(
    [
        "AGE-SECRET-KEY-19VN4LWEPY49GP7G2A6NL383JA0CGQSQEH8UA99SDLKEUG3627GFSQCFFES",
        "AGE-SECRET-KEY-1XKPL2U4E7859FW8SFP7CYL9QHDTKDZ4D9TQAK6CRTP0XQKWNMYCS966M5N",
    ]
)


@pytest.fixture
def fixed_devices(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fixed keys and device ids, and one time zone for the times shown."""
    old_tz = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    seeds = itertools.count(1)
    numbers = itertools.count(1)

    def secrets() -> keys.Secrets:
        private = Ed25519PrivateKey.from_private_bytes(bytes([next(seeds)]) * 32)
        seed = private.private_bytes_raw().hex()
        return keys.Secrets(seed, keys.public_hex(private), next(_AGE))

    monkeypatch.setattr("db.migrations.m0004_protect.new_secrets", secrets)
    monkeypatch.setattr(
        "db.peers.new_device_id", lambda: f"00000000-0000-4000-8000-{next(numbers):012d}"
    )
    yield
    if old_tz is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old_tz
    time.tzset()


def _store(path: Path, name: str, org: str) -> Store:
    """A device whose writes are stamped at NOW (so the conflict's times are fixed)."""
    store = Store(path, now=lambda: NOW, wall=lambda: int(NOW.timestamp() * 1000))
    store.set_up_device(name, org, "Lycksele")
    return store


def _two_devices_in_conflict(folder: Path) -> Path:
    """Anna (police) and Malin (municipality) share a walk, then both set the same
    finding's status; Anna reads Malin's file. Returns Anna's database."""
    anna = _store(folder / "anna.db", "Anna Polisen", "polis")
    malin = _store(folder / "malin.db", "Malin Kommunen", "kommun")
    walk = anna.create("walk", walk_fields(area="Centrum"))
    finding = anna.create("finding", {"walk_id": walk, "remark": "Trasig lampa", "place": "Torget"})
    export_bundle(anna, folder / "a.trygg", full=True)
    import_bundle(malin, folder / "a.trygg")
    export_bundle(malin, folder / "m.trygg", full=True)
    import_bundle(anna, folder / "m.trygg")
    anna.update("finding", finding, {"status": "skickad"})
    malin.update("finding", finding, {"status": "atgardad"})
    export_bundle(malin, folder / "m2.trygg", peer=find_peer(malin, "Anna Polisen"))
    import_bundle(anna, folder / "m2.trygg")
    with anna.transaction():
        anna.conn.execute(
            "UPDATE export_log SET at = '2026-11-21T19:05:00+00:00',"
            " path = '/media/anna/TRYGG/trygg-2026-11-21-2005-Anna-alla.trygg'"
        )
        anna.conn.execute(
            "UPDATE devices SET last_heard = '2026-11-21T22:10:00+00:00',"
            " last_sent = '2026-11-21T19:05:00+00:00' WHERE is_self = 0"
        )
        anna.set_setting("last_export_at", "2026-11-21T19:05:00+00:00")
    anna.close()
    malin.close()
    return folder / "anna.db"


async def _steady(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_the_sync_screen(snap_compare: Any, tmp_path: Path, fixed_devices: None) -> None:
    app = TryggApp(_two_devices_in_conflict(tmp_path), "sv", now=lambda: NOW)

    async def opened(pilot: Pilot[Any]) -> None:
        await _steady(pilot)
        await pilot.press("f9")
        await _steady(pilot)

    assert snap_compare(app, terminal_size=(110, 30), run_before=opened)


def test_the_conflict_list(snap_compare: Any, tmp_path: Path, fixed_devices: None) -> None:
    app = TryggApp(_two_devices_in_conflict(tmp_path), "sv", now=lambda: NOW)

    async def opened(pilot: Pilot[Any]) -> None:
        await _steady(pilot)
        await pilot.press("f9")
        await _steady(pilot)
        await pilot.press("k")
        await _steady(pilot)

    assert snap_compare(app, terminal_size=(110, 24), run_before=opened)
