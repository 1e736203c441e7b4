"""Sync between real database files: each property of DESIGN.md "Sync by files"."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from db.sync.exporter import export_bundle
from tests.conftest import report_fields, walk_fields
from tests.db.sync.harness import Device, exchange, raw_bytes

PNR = "20100315-9801"
NAME = "Alva Testsson"


@pytest.fixture
def devices(tmp_path: Path) -> Iterator[dict[str, Device]]:
    made = {
        "a": Device(tmp_path, "a"),
        "b": Device(tmp_path, "b"),
        "c": Device(tmp_path, "c"),
        "k": Device(tmp_path, "k", org="kommun"),
    }
    yield made
    for device in made.values():
        device.close()


def test_full_round_trip_and_idempotence(devices: dict[str, Device]) -> None:
    a, b = devices["a"], devices["b"]
    walk = a.store.create("walk", walk_fields())
    a.store.create("finding", {"walk_id": walk, "remark": "Trasig belysning", "lat": 64.59571})
    a.store.create("snabbrapport", report_fields())
    bundle = a.send(b)
    first = b.receive(bundle)
    assert first.new_records == {"walk": 1, "finding": 1, "snabbrapport": 1}
    assert first.first_contact and first.backup is not None and first.backup.exists()
    assert b.state() == a.state()
    before = b.state()
    second = b.receive(bundle)
    assert second.already_imported and second.new_entries == 0
    assert second.unchanged == first.new_entries
    assert b.state() == before


def test_dry_run_writes_nothing(devices: dict[str, Device]) -> None:
    a, b = devices["a"], devices["b"]
    a.store.create("walk", walk_fields())
    before = b.state()
    journal = b.store.journal_size()
    summary = b.receive(a.send(b), dry_run=True)
    assert summary.new_records == {"walk": 1} and summary.dry_run
    assert b.state() == before and b.store.journal_size() == journal
    assert b.store.conn.execute("SELECT count(*) FROM devices").fetchone()[0] == 1


def test_delta_holds_only_what_the_peer_lacks(devices: dict[str, Device]) -> None:
    a, b = devices["a"], devices["b"]
    a.store.create("walk", walk_fields())
    exchange(a, b)  # b now declares what it holds
    walk = a.store.create("walk", walk_fields(area="Skolan"))
    delta = a.send(b)
    summary = b.receive(delta)
    assert summary.new_records == {"walk": 1} and summary.unchanged == 0
    assert b.store.get("walk", walk) is not None


def test_edits_that_saw_each_other_do_not_conflict(devices: dict[str, Device]) -> None:
    a, b = devices["a"], devices["b"]
    walk = a.store.create("walk", walk_fields())
    exchange(a, b)
    b.store.update("walk", walk, {"area": "Stationen"})
    exchange(a, b)
    a.store.update("walk", walk, {"area": "Torget"})
    exchange(a, b)
    assert a.store.conflicts() == [] and b.store.conflicts() == []
    assert a.state() == b.state()
    assert a.store.get("walk", walk)["area"] == "Torget"  # type: ignore[index]


def test_concurrent_edits_become_a_visible_conflict_and_resolve_everywhere(
    devices: dict[str, Device],
) -> None:
    a, b = devices["a"], devices["b"]
    walk = a.store.create("walk", walk_fields())
    exchange(a, b)
    a.store.update("walk", walk, {"area": "Torget"})
    b.store.update("walk", walk, {"area": "Stationen"})
    exchange(a, b)
    assert a.state() == b.state()
    assert a.conflict_ids() == b.conflict_ids() and len(a.conflict_ids()) == 1
    conflict = a.store.conflicts()[0]
    assert {conflict.winner_value, conflict.loser_value} == {"Torget", "Stationen"}
    assert a.store.get("walk", walk)["area"] == conflict.winner_value  # type: ignore[index]
    b.store.resolve_conflict(conflict.id[:6], "other")
    exchange(a, b)
    assert a.store.conflicts() == [] and b.store.conflicts() == []
    assert a.store.get("walk", walk)["area"] == conflict.loser_value  # type: ignore[index]
    assert a.state() == b.state()


def test_keeping_the_winner_resolves_without_changing_the_value(
    devices: dict[str, Device],
) -> None:
    a, b = devices["a"], devices["b"]
    walk = a.store.create("walk", walk_fields())
    exchange(a, b)
    a.store.update("walk", walk, {"area": "Torget"})
    b.store.update("walk", walk, {"area": "Stationen"})
    exchange(a, b)
    shown = a.store.get("walk", walk)["area"]  # type: ignore[index]
    a.store.resolve_conflict(a.store.conflicts()[0].id, "winner")
    exchange(a, b)
    assert b.store.conflicts() == []
    assert b.store.get("walk", walk)["area"] == shown  # type: ignore[index]


def test_an_edit_concurrent_with_a_delete_is_kept(devices: dict[str, Device]) -> None:
    a, b = devices["a"], devices["b"]
    walk = a.store.create("walk", walk_fields())
    exchange(a, b)
    a.store.delete("walk", walk)
    b.store.update("walk", walk, {"notes": "Lampan lagad av Kommunen"})
    exchange(a, b)
    assert a.store.get("walk", walk) is None and b.store.get("walk", walk) is None
    assert a.conflict_ids() == b.conflict_ids()
    conflict = a.store.conflicts()[0]
    assert conflict.winner_deletes and conflict.loser_value == "Lampan lagad av Kommunen"
    copy = a.store.resolve_conflict(conflict.id, "other")
    assert copy is not None
    restored = a.store.get("walk", copy)
    assert restored is not None and restored["notes"] == "Lampan lagad av Kommunen"
    exchange(a, b)
    assert b.store.get("walk", copy) is not None and b.store.conflicts() == []


def test_a_delete_that_had_seen_the_edit_is_no_conflict(devices: dict[str, Device]) -> None:
    a, b = devices["a"], devices["b"]
    walk = a.store.create("walk", walk_fields())
    exchange(a, b)
    b.store.update("walk", walk, {"notes": "sett"})
    exchange(a, b)
    a.store.delete("walk", walk)
    exchange(a, b)
    assert a.store.conflicts() == [] and b.store.conflicts() == []


def test_a_deleted_record_never_comes_back_from_an_old_file(devices: dict[str, Device]) -> None:
    a, b = devices["a"], devices["b"]
    walk = a.store.create("walk", walk_fields())
    old = a.send(b)
    b.receive(old)
    a.store.delete("walk", walk)
    b.receive(a.send(b, full=True))
    shutil.copy(old, old.with_name("old-again.trygg"))
    b.receive(old.with_name("old-again.trygg"))
    b.receive(old)
    assert b.store.get("walk", walk) is None
    assert a.state() == b.state()


def test_kommun_in_the_middle_never_holds_personal_data(devices: dict[str, Device]) -> None:
    a, k, c = devices["a"], devices["k"], devices["c"]
    report = a.store.create("snabbrapport", report_fields(name=NAME, personnummer=PNR))
    to_kommun = a.send(k)  # k is kommun: the default profile leaves personal data out
    k.receive(to_kommun)
    k_copy = k.store.get("snabbrapport", report)
    assert k_copy is not None
    assert (k_copy["name"], k_copy["personnummer"], k_copy["age"]) == (None, None, 16)
    c.receive(k.send(c, profile="polis"))
    k.store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    for path in (k.store.path, to_kommun):
        data = raw_bytes(path)
        assert PNR.encode() not in data and NAME.encode() not in data
        assert b"Alva" not in data
    c_copy = c.store.get("snabbrapport", report)
    assert c_copy is not None and c_copy["personnummer"] is None
    # Later A sends to C directly: C gets the personal fields it never claimed from k.
    summary = c.receive(a.send(c, profile="polis"))
    assert summary.gaps == []
    c_copy = c.store.get("snabbrapport", report)
    assert c_copy is not None and (c_copy["name"], c_copy["personnummer"]) == (NAME, PNR)


def test_transitive(devices: dict[str, Device], tmp_path: Path) -> None:
    a, b, c = devices["a"], devices["b"], devices["c"]
    walk = a.store.create("walk", walk_fields())
    a.store.create("finding", {"walk_id": walk, "remark": "Klotter"})
    b.receive(a.send(b))
    b.store.create("place", {"name": "Torget"})
    c.receive(b.send(c))
    direct = Device(tmp_path, "direct")
    direct.receive(a.send(direct))
    direct.receive(b.send(direct, full=True))
    assert c.state() == direct.state()
    direct.close()


def test_a_restored_backup_sees_the_gap(devices: dict[str, Device], tmp_path: Path) -> None:
    a, b = devices["a"], devices["b"]
    a.store.create("walk", walk_fields())
    b.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    backup = tmp_path / "b-backup.db"
    shutil.copy(b.store.path, backup)  # b as it was before hearing from a
    exchange(a, b)  # a now believes b holds a's walk
    b.close()
    shutil.copy(backup, b.store.path)
    Path(f"{b.store.path}-wal").unlink(missing_ok=True)
    restored = Device.__new__(Device)
    restored.folder, restored.name = tmp_path, "b"
    from db.store import Store

    restored.store = Store(tmp_path / "b.db")
    a.store.create("walk", walk_fields(area="Skolan"))
    summary = restored.receive(a.send(restored))
    assert summary.gaps == ["a"]
    held = restored.store.conn.execute(
        "SELECT ts FROM vectors WHERE scope = 'core' AND device = ?", (a.id,)
    ).fetchone()
    assert held is None  # the missing range is not claimed
    full = restored.receive(a.send(restored, full=True))
    assert full.gaps == []
    assert restored.state() == a.state()
    restored.close()


def test_future_stamps_are_flagged_and_do_not_move_the_clock(
    devices: dict[str, Device],
) -> None:
    a, b = devices["a"], devices["b"]
    b.store.create("place", {"name": "Torget"})
    before = b.store.conn.execute("SELECT ms FROM clock").fetchone()[0]
    a.store._wall = lambda: 4_102_444_800_000  # a laptop whose clock says 2100
    a.store.create("walk", walk_fields())
    summary = b.receive(a.send(b))
    assert summary.future_stamps > 0 and summary.new_records == {"walk": 1}
    assert b.store.conn.execute("SELECT ms FROM clock").fetchone()[0] == before


def test_erasure_wins_over_every_version_and_old_files(devices: dict[str, Device]) -> None:
    a, b = devices["a"], devices["b"]
    report = a.store.create("snabbrapport", report_fields(name=NAME, personnummer=PNR))
    with_personal = a.send(b)
    b.receive(with_personal)
    b.store.update("snabbrapport", report, {"phone": "070-000 00 00"})
    a.store.erase_personal("snabbrapport", report)
    exchange(a, b)
    for device in (a, b):
        got = device.store.get("snabbrapport", report)
        assert got is not None
        assert (got["name"], got["personnummer"], got["phone"]) == (None, None, None)
        assert (got["age"], got["sex"]) == (16, "kvinna")
        assert got["erased_date"] == "2026-11-22"
        rows = device.store.conn.execute(
            "SELECT count(*) FROM journal WHERE record_id = ? AND scope = 'personal'", (report,)
        ).fetchone()[0]
        assert rows == 0
    again = b.receive(with_personal)  # read before: nothing in it can matter now
    assert again.already_imported and again.new_entries == 0
    assert b.store.get("snabbrapport", report)["name"] is None  # type: ignore[index]
    assert a.state() == b.state()
    # A device that hears of the erasure first drops the old file's personal values.
    c = devices["c"]
    c.receive(a.send(c, full=True, profile="polis"))
    late = c.receive(with_personal)
    assert late.dropped_personal > 0
    got = c.store.get("snabbrapport", report)
    assert got is not None and (got["name"], got["personnummer"]) == (None, None)
    rows = c.store.conn.execute(
        "SELECT count(*) FROM journal WHERE record_id = ? AND scope = 'personal'", (report,)
    ).fetchone()[0]
    assert rows == 0
    assert c.state() == a.state()


def test_any_order_of_the_same_files_gives_identical_state(tmp_path: Path) -> None:
    a, b, c = (Device(tmp_path, n) for n in ("a", "b", "c"))
    walk = a.store.create("walk", walk_fields())
    exchange(a, b)
    exchange(b, c)
    a.store.update("walk", walk, {"area": "Torget"})
    b.store.update("walk", walk, {"area": "Stationen"})
    c.store.delete("walk", walk)
    c.store.create("place", {"name": "Skolgården"})
    b.store.create("snabbrapport", report_fields())
    files = [a.send(full=True, profile="polis"), b.send(full=True, profile="polis"),
             c.send(full=True, profile="polis")]  # fmt: skip
    results = set()
    conflict_sets = set()
    for n, order in enumerate(itertools.permutations(files)):
        (tmp_path / f"p{n}").mkdir()
        fresh = Device(tmp_path / f"p{n}", "fresh")
        for path in order:
            fresh.receive(path)
        results.add(fresh.state())
        conflict_sets.add(tuple(fresh.conflict_ids()))
        fresh.close()
    assert len(results) == 1 and len(conflict_sets) == 1
    assert conflict_sets.pop()  # the concurrent edits and the delete are visible
    for device in (a, b, c):
        device.close()


def test_a_kommun_peer_gets_kommun_files_by_default(devices: dict[str, Device]) -> None:
    a, k = devices["a"], devices["k"]
    a.store.create("snabbrapport", report_fields())
    exchange(a, k, profile="kommun")
    summary = export_bundle(a.store, a.folder / "again.trygg", peer=_peer(a, k))
    assert summary.profile == "kommun" and not summary.personal


def _peer(a: Device, other: Device):
    from db.sync.exporter import find_peer

    return find_peer(a.store, other.id)


def _rows(device: Device) -> dict[str, list[tuple]]:
    """Every record table's rows as stored, column by column."""
    from db.records import TYPES

    conn = device.store.conn
    return {
        name: [tuple(r) for r in conn.execute(f"SELECT * FROM {name} ORDER BY id")]
        for name in TYPES
    }


def test_new_records_are_written_in_bulk_exactly_as_record_by_record(
    devices: dict[str, Device], monkeypatch: pytest.MonkeyPatch
) -> None:
    from db.sync import merge

    a, b, c = devices["a"], devices["b"], devices["c"]
    tricky = 'Åsa "Ö" \\ / \t 😀 \u2028 slut'
    walk = a.store.create("walk", walk_fields(notes=f"{tricky}\nrad två"))
    a.store.create(
        "finding",
        {"walk_id": walk, "remark": tricky, "lat": 64.59571123456789, "lon": 18.1,
         "positive": True, "nr": 7},
    )  # fmt: skip
    a.store.create("finding", {"walk_id": walk, "remark": "Nej", "positive": False})
    a.store.create("snabbrapport", report_fields(seized=["Öl", 'Vin "rött"'], drunk=True, age=15))
    edited = a.store.create("place", {"name": "Torget", "kommun": "Lycksele"})
    a.store.update("place", edited, {"name": tricky})  # two versions: the full rule
    bundle = a.send(full=True, profile="polis")
    one_by_one: list[str] = []
    full_rule = merge._apply_record

    def counted(conn: Any, rt: Any, record_id: str, *rest: Any) -> Any:
        one_by_one.append(record_id)
        return full_rule(conn, rt, record_id, *rest)

    monkeypatch.setattr(merge, "_apply_record", counted)
    bulk = b.receive(bundle)
    assert one_by_one == [edited]  # the only record with competing versions
    monkeypatch.setattr(merge, "_apply_record", full_rule)
    monkeypatch.setattr(merge, "_plain_new_records", lambda conn, batch: {})
    by_record = c.receive(bundle)
    assert _rows(b) == _rows(c) == _rows(a)
    assert bulk.changes == by_record.changes and len(bulk.changes) == 5
    assert bulk.new_records == by_record.new_records
    assert bulk.updated_fields == by_record.updated_fields


def test_a_string_with_space_after_its_closing_quote_is_written_as_the_full_rule_does(
    devices: dict[str, Device], monkeypatch: pytest.MonkeyPatch
) -> None:
    """JSON allows space around a value: a dishonest sender (with its own key, its own
    chain relinked and signed afresh) may write '"Torget" '. Every receiver must store what
    the full rule decodes ("Torget"), whether the record is written in bulk or not."""
    from dataclasses import replace

    from db.journal import chains
    from db.protect.keys import own_secrets
    from db.sync import merge
    from tests.db.sync.forge import forge, head_over, read_bundle, relinked

    a, b, c = devices["a"], devices["b"], devices["c"]
    a.store.create("place", {"name": "Torget", "kommun": "Lycksele"})
    real = a.send(full=True)
    manifest, rows = read_bundle(real)
    rows = [(*r[:5], '"Torget" ', *r[6:]) if r[4] == "name" else r for r in rows]
    rows = relinked(rows, a.id, "core")
    secrets = own_secrets(a.store.conn)
    start = chains.start_of(a.store.conn, a.id)
    assert secrets is not None and start is not None
    head = head_over(rows, a.id, "core", start, secrets.signing_key, secrets.public_key)
    others = tuple(chain for chain in manifest.chains if chain.head.device != a.id)
    spaced = forge(
        real,
        a.store,
        a.folder / "spaced.trygg",
        entries=lambda _rows: rows,
        chains=(*others, replace(head, anchor=None)),
    )
    b.receive(spaced)  # in bulk
    monkeypatch.setattr(merge, "_plain_new_records", lambda conn, batch: {})
    c.receive(spaced)  # record by record
    assert [r[1] for r in _rows(b)["place"]] == [r[1] for r in _rows(c)["place"]] == ["Torget"]
