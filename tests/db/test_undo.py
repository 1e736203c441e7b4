"""Undo: this device's own changes taken back one step at a time, as normal writes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from db import walks
from db.protect import gallring
from db.snabbrapport.entry import save_report
from db.store import Store
from db.sync.exporter import export_bundle
from db.sync.merge import import_bundle
from db.walks import FindingInput
from tests.conftest import open_store, report_fields, walk_fields

DAY = date(2026, 11, 21)


def _walk(store: Store) -> tuple[str, str]:
    walk = store.create("walk", walk_fields())
    finding, _ = walks.save_finding(
        store, walk, FindingInput("Trasig lampa", "Torget", "1", "Kommunen")
    )
    return walk, finding


def test_each_one_key_change_is_taken_back_in_turn(store: Store) -> None:
    _, finding = _walk(store)
    walks.mark_sent(store, [finding], DAY)
    walks.mark_fixed(store, finding, DAY)
    undone = store.undo_last("sv")
    assert "Anmärkning 1" in undone.message and undone.message.startswith("Ångrade:")
    assert (store.get("finding", finding) or {})["status"] == "skickad"
    store.undo_last("sv")
    after = store.get("finding", finding) or {}
    assert (after["status"], after["sent_date"]) == ("ny", None)
    # The undo is a write like any other: journaled, so it travels.
    statuses = [e.value for e in store.journal(finding) if e.field == "status"]
    assert statuses[:2] == ["ny", "skickad"]


def test_repeated_undo_walks_back_and_never_undoes_an_undo(store: Store) -> None:
    _, finding = _walk(store)
    walks.mark_rejected(store, finding, "Inte vår mark", not_owner=True)
    store.undo_last("sv")  # the rejection
    store.undo_last("sv")  # the finding itself (created with its owner in one step)
    assert store.get("finding", finding) is None
    store.undo_last("sv")  # the walk
    assert store.count("walk") == 0
    assert store.undo_last("sv").message == "Det finns inget mer att ångra på den här enheten."


def test_a_field_changed_since_is_left_as_it_is(tmp_path: Path) -> None:
    a = open_store(tmp_path / "a.db", name="A")
    b = open_store(tmp_path / "b.db", name="B")
    _, finding = _walk(a)
    import_bundle(b, export_bundle(a, tmp_path / "1.trygg", full=True).path)
    walks.mark_sent(a, [finding], DAY)
    import_bundle(b, export_bundle(a, tmp_path / "2.trygg", full=True).path)
    b.update("finding", finding, {"notes": "Ringde kommunen"})
    b.update("finding", finding, {"status": "atgardad"})
    import_bundle(a, export_bundle(b, tmp_path / "3.trygg", full=True).path)
    undone = a.undo_last("sv")
    assert "Ändrat sedan dess" in undone.message
    assert (a.get("finding", finding) or {})["status"] == "atgardad"  # B's, kept
    assert (a.get("finding", finding) or {})["sent_date"] is None  # A's own, taken back
    a.close()
    b.close()


def test_a_deletion_comes_back_as_a_copy_with_its_findings(store: Store) -> None:
    walk, _ = _walk(store)
    store.delete("walk", walk)
    undone = store.undo_last("sv")
    assert "tillbaka som kopia" in undone.message
    (copy,) = store.records("walk")
    assert copy["id"] != walk and copy["area"] == "Centrum"
    (finding,) = store.records("finding")
    assert finding["walk_id"] == copy["id"] and finding["remark"] == "Trasig lampa"


def test_an_erasure_cannot_be_undone_and_undo_goes_on_past_it(store: Store) -> None:
    report, _ = save_report(store, report_fields())
    store.update("snabbrapport", report, {"custody": "lob"})
    gallring.erase_now(store, report)
    said = store.undo_last("sv")
    assert not said.changed and "kan inte ångras" in said.message
    assert (store.get("snabbrapport", report) or {})["name"] is None  # still erased
    store.undo_last("sv")  # goes on: the custody answer
    assert (store.get("snabbrapport", report) or {})["custody"] is None
