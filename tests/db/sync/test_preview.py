"""What the Synk screen reads before anything is written: the preview of a file to send,
the progress of writing it, the per-record list of what a received file changes, what a
colleague lacks, and the mailbox folder's waiting files."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.errors import TryggError
from db.labels import record_label, value_text
from db.overview import overview
from db.sync.exporter import (
    export_bundle,
    find_peer,
    preview_export,
    unconfirmed_entries,
)
from db.sync.mailbox import (
    configure_mailbox,
    configured_mailbox,
    preview_own_file,
    receive_file,
    waiting_files,
    write_own_file,
)
from db.sync.merge import import_bundle
from db.sync.status import sync_status
from tests.conftest import NOW, report_fields, walk_fields
from tests.db.sync.harness import Device


@pytest.fixture
def pair(tmp_path: Path):
    anna = Device(tmp_path, "Anna", "polis")
    malin = Device(tmp_path, "Malin", "kommun")
    yield anna, malin
    anna.close()
    malin.close()


def test_preview_counts_what_the_file_then_carries(pair, tmp_path: Path) -> None:
    anna, _malin = pair
    walk = anna.store.create("walk", walk_fields())
    anna.store.create("finding", {"walk_id": walk, "remark": "Trasig lampa"})
    anna.store.create("snabbrapport", report_fields())
    for profile, personal in (("kommun", False), ("polis", True)):
        preview = preview_export(anna.store, full=True, profile=profile)
        heard: list[tuple[int, int]] = []
        summary = export_bundle(
            anna.store,
            tmp_path / f"{profile}.trygg",
            full=True,
            profile=profile,
            progress=lambda done, total: heard.append((done, total)),  # noqa: B023
        )
        assert preview.entries == summary.entries
        assert preview.records == summary.records
        assert preview.personal is personal is summary.personal
        assert heard[-1] == (summary.entries, summary.entries)
    assert preview_export(anna.store, full=True, profile="kommun").records == {
        "finding": 1,
        "snabbrapport": 1,
        "walk": 1,
    }


def test_a_colleague_lacks_what_it_has_not_confirmed(pair) -> None:
    anna, malin = pair
    anna.store.create("walk", walk_fields())
    malin.receive(anna.send(malin))
    anna.receive(malin.send(anna))
    peer = find_peer(anna.store, "Malin")
    assert unconfirmed_entries(anna.store, peer) == 0
    anna.store.create("walk", walk_fields(area="Norr"))
    assert unconfirmed_entries(anna.store, find_peer(anna.store, "Malin")) == 3
    preview = preview_export(anna.store, peer=find_peer(anna.store, "Malin"))
    assert (preview.entries, preview.records, preview.full) == (3, {"walk": 1}, False)


def test_a_dry_run_lists_each_record_with_its_label_and_changes_nothing(pair) -> None:
    anna, malin = pair
    walk = anna.store.create("walk", walk_fields(area="Storgatan"))
    anna.store.create("finding", {"walk_id": walk, "remark": "Mörk passage", "place": "Torget"})
    path = anna.send(malin)
    summary = import_bundle(malin.store, path, dry_run=True, lang="sv")
    labels = {c.rtype: c.label for c in summary.changes}
    assert labels["walk"] == "Trygghetsvandring Storgatan 2026-11-01"
    assert labels["finding"] == "Anmärkning 1, Torget (Storgatan 2026-11-01)"
    assert all(c.new for c in summary.changes)
    assert summary.first_contact and summary.fingerprint
    assert malin.store.count("walk") == 0
    malin.receive(path)
    anna.store.update("walk", walk, {"weather": "Snö"})
    again = import_bundle(malin.store, anna.send(malin), dry_run=True, lang="en")
    [change] = again.changes
    assert (change.new, change.fields) == (False, ("weather",))
    assert change.label.startswith("Safety walk Storgatan")
    assert malin.store.get("walk", walk)["weather"] is None


def test_labels_never_name_the_person_in_a_quick_report(store) -> None:
    report = store.create("snabbrapport", report_fields())
    label = record_label(store.conn, "snabbrapport", report, "sv")
    assert "Alva" not in label and "20100315" not in label
    assert label.startswith("Snabbrapport nr 1, 2026-11-21, Torget")
    assert value_text("finding", "status", "atgardad", "sv") == "Åtgärdad"
    assert value_text("finding", "positive", True, "en") == "Yes"
    assert value_text("walk", "weather", None) == "–"


def test_the_mailbox_folder_offers_only_unread_files(pair, tmp_path: Path) -> None:
    anna, malin = pair
    box = tmp_path / "box"
    with pytest.raises(TryggError):
        configure_mailbox(malin.store, box)
    box.mkdir()
    configure_mailbox(malin.store, box, "kommun")
    mailbox = configured_mailbox(malin.store)
    assert mailbox is not None and mailbox.folder == box.resolve()
    anna.store.create("walk", walk_fields())
    assert write_own_file(anna.store, box) is not None
    assert write_own_file(anna.store, box) is None  # nothing new: the file stays
    # No reader of the folder is known to Anna yet, so her file there holds everything.
    own = preview_own_file(anna.store, box)
    assert own.full and own.entries == preview_export(anna.store, full=True).entries > 0
    [waiting] = waiting_files(malin.store, box)
    (box / ".half-written.trygg.tmp").write_bytes(b"x")
    assert waiting_files(malin.store, box) == [waiting]
    receive_file(malin.store, waiting)
    assert waiting_files(malin.store, box) == []
    assert waiting_files(malin.store, tmp_path / "unplugged") == []
    status = sync_status(malin.store)
    assert status.mailbox is not None and status.waiting == 0
    assert [c.name for c in status.colleagues] == ["Anna"]


def test_the_overview_names_each_colleague_and_counts_conflicts(pair) -> None:
    anna, malin = pair
    walk = anna.store.create("walk", walk_fields())
    malin.receive(anna.send(malin))
    anna.store.update("walk", walk, {"weather": "Regn"})
    malin.store.update("walk", walk, {"weather": "Snö"})
    anna.receive(malin.send(anna))
    figures = overview(anna.store, NOW.date())
    assert [name for name, _when in figures.exchanges] == ["Malin"]
    assert figures.exchanges[0][1] is not None
    assert figures.open_conflicts == 1
