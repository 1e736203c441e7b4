"""A realistic database for the layout tests: the demo data (a walk, a plan with progress
and follow-ups, a few dozen quick reports), with the long names real data has — problem
owners such as "Trafikverket Region Norr, Underhållsdistrikt Västerbotten", long places,
areas and activities — and a colleague whose file brought a conflict. The clock, keys and
device ids are fixed, so that pictures of the screens do not change from run to run."""

from __future__ import annotations

import itertools
import os
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from db.demo import build_demo, demo_plan_files
from db.protect import copies, keys
from db.store import Store
from db.sync.exporter import export_bundle, find_peer
from db.sync.merge import import_bundle
from db.walks import FindingInput, save_finding
from tests.conftest import NOW, report_fields

#: Test-only identities (never used anywhere else).
_AGE = (
    "AGE-SECRET-KEY-19VN4LWEPY49GP7G2A6NL383JA0CGQSQEH8UA99SDLKEUG3627GFSQCFFES",
    "AGE-SECRET-KEY-1XKPL2U4E7859FW8SFP7CYL9QHDTKDZ4D9TQAK6CRTP0XQKWNMYCS966M5N",
)

LONG_OWNERS = {
    "Fastighetsbolaget": "Fastighetsbolaget Lyckselebostäder Aktiebolag",
    "Trafikverket": "Trafikverket Region Norr, Underhållsdistrikt Västerbotten",
    "Kommunen": "Lycksele kommun, Samhällsbyggnadsförvaltningen, gatuenheten",
}


def fix_identities(monkeypatch: pytest.MonkeyPatch) -> None:
    """New devices get fixed keys and ids (1, 2, … in the order they are made)."""
    seeds = itertools.count(1)
    numbers = itertools.count(1)
    ages = itertools.cycle(_AGE)

    def secrets() -> keys.Secrets:
        private = Ed25519PrivateKey.from_private_bytes(bytes([next(seeds)]) * 32)
        seed = private.private_bytes_raw().hex()
        return keys.Secrets(seed, keys.public_hex(private), next(ages))

    monkeypatch.setattr("db.migrations.m0004_protect.new_secrets", secrets)
    monkeypatch.setattr(
        "db.peers.new_device_id", lambda: f"00000000-0000-4000-8000-{next(numbers):012d}"
    )


def fix_export_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are written and logged at NOW (the exporter reads the wall clock)."""

    class Frozen(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
            return NOW.replace(tzinfo=UTC).astimezone(tz) if tz else NOW

    monkeypatch.setattr("db.sync.exporter.datetime", Frozen)


@pytest.fixture
def fixed_devices(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fixed keys and device ids, and one time zone for the times shown."""
    old_tz = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    fix_identities(monkeypatch)
    yield
    if old_tz is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old_tz
    time.tzset()


def _store(path: Path, name: str, org: str) -> Store:
    """A device whose writes are stamped from NOW on, a millisecond apart (so that ids,
    made from the time, keep the order records were made in)."""
    ticks = itertools.count(int(NOW.timestamp() * 1000))
    store = Store(path, now=lambda: NOW, wall=lambda: next(ticks))
    store.set_up_device(name, org, "Lycksele")
    return store


def _long_names(store: Store) -> None:
    """What real data looks like beside the demo's short names."""
    for existing in store.records("owner"):
        if existing["name"] in LONG_OWNERS:
            store.update("owner", existing["id"], {"name": LONG_OWNERS[existing["name"]]})
    walk = store.create(
        "walk",
        {
            "kommun": "Lycksele",
            "area": "Järnvägsstationen – Sjukhusbacken – Gymnasieskolans parkeringsplats",
            "date": (NOW.date() - timedelta(days=12)).isoformat(),
            "start_time": "19:00",
            "end_time": "21:30",
            "light": "morker",
            "weather": "Snöblandat regn, minus 1 grad",
            "participants": [
                {"group": "Boende", "count": 14},
                {"group": "Polis", "count": 2},
                {"group": "Fastighetsbolaget Lyckselebostäder", "count": 2},
            ],
            "organiser": "Brottsförebyggande rådet i Lycksele kommun",
        },
    )
    for place, remark, category, owner in (
        (
            "Gångtunneln under Järnvägsgatan vid resecentrum",
            "Belysningsarmaturerna sönderslagna, tunneln helt mörk efter klockan sexton",
            "belysning",
            LONG_OWNERS["Trafikverket"],
        ),
        (
            "Gymnasieskolans cykelparkering",
            "Buskage skymmer sikten mot entrén; ungdomar samlas bakom transformatorstationen",
            "vegetation",
            LONG_OWNERS["Kommunen"],
        ),
        (
            "Trapphuset Skolgatan 12 B",
            "Porttelefonen ur funktion, ytterdörren går inte i lås",
            "skalskydd",
            LONG_OWNERS["Fastighetsbolaget"],
        ),
    ):
        save_finding(store, walk, FindingInput(remark, place, category, owner))
    for nr, (place, name, custody, pm) in enumerate(
        (
            ("Järnvägsstationens väntsal", "Maximilian Andersson-Wikström", "lob", "ja"),
            ("Lyckselebostäders innergård, Skolgatan", "Tuva Ekstrand-Lindqvist", "nej", "ja"),
        )
    ):
        store.create(
            "snabbrapport",
            report_fields(
                date=(NOW.date() - timedelta(days=1)).isoformat(),
                time=f"2{nr}:40",
                place=place,
                name=name,
                personnummer=None,
                age=15,
                sex="kvinna" if nr else "man",
                custody=custody,
                pm_social=pm,
            ),
        )
    # A note already written: the list shows when ("✓ 2026-11-21").
    sent = next(
        r for r in store.records("snabbrapport") if r["place"] == "Järnvägsstationens väntsal"
    )
    store.update("snabbrapport", sent["id"], {"pm_sent_date": NOW.date().isoformat()})
    plan = store.records("plan")[0]
    area = store.create(
        "focus_area",
        {
            "plan_id": plan["id"],
            "name": "Trygghetsskapande åtgärder i bostadsområdet Forsdala och centrala Lycksele",
            "position": 9,
        },
    )
    store.create(
        "measure",
        {
            "plan_id": plan["id"],
            "focus_area_id": area,
            "activity": (
                "Gemensamma trygghetsvandringar med fastighetsägare, boende och "
                "ungdomsgårdens personal i Forsdala"
            ),
            "responsible": "Kommunpolis Lycksele och fritidsgårdsföreståndaren",
            "partners": LONG_OWNERS["Fastighetsbolaget"],
        },
    )


def build_realistic(folder: Path) -> Path:
    """Anna's database (police, Lycksele) with the demo data, long names, and a conflict
    with Malin (municipality); returns its path."""
    anna = _store(folder / "anna.db", "Anna Polisen", "polis")
    malin = _store(folder / "malin.db", "Malin Kommunen, Brottsförebyggande samordnare", "kommun")
    build_demo(anna, NOW.date())
    _long_names(anna)
    export_bundle(anna, folder / "a.trygg", full=True)
    import_bundle(malin, folder / "a.trygg")
    export_bundle(malin, folder / "m.trygg", full=True)
    import_bundle(anna, folder / "m.trygg")
    finding = next(f for f in anna.records("finding") if f["remark"] == "Fem skrotbilar")
    anna.update("finding", finding["id"], {"status": "atgardad"})
    malin.update(
        "finding",
        finding["id"],
        {"status": "avvisad", "reject_reason": "Bilarna står på privat mark"},
    )
    export_bundle(malin, folder / "m2.trygg", peer=find_peer(malin, anna.require_device().name))
    import_bundle(anna, folder / "m2.trygg")
    # Files are logged at the wall clock's time: put them at fixed times before NOW.
    with anna.transaction():
        anna.conn.execute(
            "UPDATE export_log SET at = '2026-11-21T19:05:00+00:00',"
            " path = '/media/anna/TRYGG/trygg-2026-11-21-1905-Anna-Polisen-alla.trygg'"
        )
        anna.conn.execute(
            "UPDATE devices SET last_heard = '2026-11-21T22:10:00+00:00',"
            " last_sent = '2026-11-21T19:05:00+00:00' WHERE is_self = 0"
        )
        anna.set_setting("last_export_at", "2026-11-21T19:05:00+00:00")
    anna.close()
    # Malin's newest file, not read yet: a new finding on the long walk and a status.
    walk = next(w for w in malin.records("walk") if w["area"].startswith("Järnvägsstationen"))
    save_finding(
        malin,
        walk["id"],
        FindingInput(
            "Klotter på bullerplanket längs Järnvägsgatan, återkommande varje helg",
            "Bullerplanket vid Järnvägsgatan 20–24",
            "klotter",
            LONG_OWNERS["Trafikverket"],
        ),
    )
    export_bundle(malin, folder / "malin-ny.trygg", peer=find_peer(malin, "Anna Polisen"))
    malin.close()
    demo_plan_files(folder)
    for name in ("a.trygg", "m.trygg", "m2.trygg"):
        (folder / name).unlink()
    return folder / "anna.db"


def copy_database(source: Path, target: Path) -> Path:
    """A copy of a closed database, made by SQLite (``VACUUM INTO``), that stands in for
    the original: the same device, moved (else the app would first ask at start whether
    it was moved or copied)."""
    with sqlite3.connect(source) as conn:
        conn.execute("VACUUM INTO ?", (str(target),))
    conn.close()
    for suffix in ("-wal", "-shm"):
        extra = Path(f"{target}{suffix}")
        if extra.exists():
            extra.unlink()
    with Store(target) as store:
        copies.settle_moved(store)
    return target


def fresh_copy(template: Path, target_folder: Path) -> Path:
    target_folder.mkdir(parents=True, exist_ok=True)
    target = target_folder / "trygg.db"
    if target.exists():
        target.unlink()
    return copy_database(template, target)
