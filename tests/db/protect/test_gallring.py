"""Gallring: personal data is erased when its time is up, leaves no trace in the raw
files, never comes back with old bundles, and the statistics stay as they were."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from db.errors import TryggError
from db.protect import gallring
from db.records import record_type
from db.store import Store
from db.sync.exporter import export_bundle, find_peer
from db.sync.merge import import_bundle
from tests.conftest import report_fields

NAMES = ("Zebulon Qvist", "Zebbe Qvist", "Ylva Örnkvist")
PNR = ("20100315-9801", "201003159801", "20110722-1234")
PHONE = "070-1234567"
OTHER_PHONE = "073-9999999"
TODAY = date(2026, 11, 22)


def _store(path: Path, name: str, when: datetime = datetime(2026, 11, 21, 22, 0)) -> Store:
    store = Store(path, now=lambda: when)
    if store.device is None:
        store.set_up_device(name, "polis", "Lycksele")
    return store


def _traces(path: Path) -> list[str]:
    """Which of the personal values occur in the raw bytes of the database, its
    write-ahead log, or any backup copy."""
    files = [path, path.with_name(path.name + "-wal")]
    files += sorted(path.with_name(path.name + ".backups").glob("*"))
    found = []
    for file in files:
        if not file.exists():
            continue
        raw = file.read_bytes()
        for secret in (*NAMES, *PNR, PHONE, OTHER_PHONE, "070-0000000", "Ringde mamman"):
            if secret.encode() in raw:
                found.append(f"{file.name}: {secret}")
    return found


def _statistics(path: Path) -> list[tuple]:
    personal = set(record_type("snabbrapport").personal_fields) | {"erased_date"}
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("SELECT * FROM snabbrapport ORDER BY id").fetchall()
        return [tuple((k, r[k]) for k in r.keys() if k not in personal) for r in rows]  # noqa: SIM118
    finally:
        conn.close()


@pytest.fixture
def history(tmp_path: Path) -> dict[str, Path]:
    """Two police laptops that exchanged reports, with edits, a personal-field conflict
    and old bundles lying around."""
    a_path, b_path = tmp_path / "a.db", tmp_path / "b.db"
    files: dict[str, Path] = {"a": a_path, "b": b_path}
    with _store(a_path, "Anna") as a, _store(b_path, "Bertil") as b:
        old = a.create(
            "snabbrapport",
            report_fields(
                date="2026-08-01",
                name=NAMES[0],
                personnummer=PNR[0],
                phone=PHONE,
                ovrigt="Ringde mamman",
                drunk=True,
            ),
        )
        a.update("snabbrapport", old, {"name": NAMES[1]})
        recent = a.create(
            "snabbrapport", report_fields(date="2026-11-20", name=NAMES[2], personnummer=PNR[2])
        )
        files["old1"] = tmp_path / "old1.trygg"
        export_bundle(a, files["old1"], full=True, profile="polis")
        import_bundle(b, files["old1"])
        # The same field edited on both laptops before they met again: a conflict copy.
        a.update("snabbrapport", old, {"phone": "070-0000000"})
        b.update("snabbrapport", old, {"phone": OTHER_PHONE})
        files["old2"] = tmp_path / "old2.trygg"
        export_bundle(a, files["old2"], full=True, profile="polis")
        files["from_b"] = tmp_path / "from_b.trygg"
        export_bundle(b, files["from_b"], full=True, profile="polis")
        import_bundle(a, files["from_b"])
        assert a.conflicts(), "the fixture needs a conflict on a personal field"
        files["old_id"] = Path(old)
        files["recent_id"] = Path(recent)
    return files


def test_dry_run_lists_and_changes_nothing(history: dict[str, Path]) -> None:
    before = history["a"].read_bytes()
    with _store(history["a"], "Anna") as a:
        summary = gallring.run(a, TODAY, dry_run=True)
    assert [r.id for r in summary.due] == [str(history["old_id"])]
    assert summary.erased == 0 and summary.cutoff == "2026-08-24"
    with _store(history["a"], "Anna") as a:
        assert a.get("snabbrapport", str(history["old_id"]))["name"] == NAMES[1]  # type: ignore[index]
    assert history["a"].read_bytes() == before


def test_erasure_leaves_no_trace_and_keeps_the_statistics(history: dict[str, Path]) -> None:
    old_id, recent_id = str(history["old_id"]), str(history["recent_id"])
    statistics = _statistics(history["a"])
    assert _traces(history["a"]), "the personal data is there before"
    with _store(history["a"], "Anna") as a:
        summary = gallring.run(a, TODAY)
        assert summary.erased == 1 and summary.backups_scrubbed >= 1
        report = a.get("snabbrapport", old_id)
        assert report is not None
        assert (report["name"], report["personnummer"], report["phone"], report["ovrigt"]) == (
            None,
            None,
            None,
            None,
        )
        assert report["age"] is not None and report["sex"] is not None and report["drunk"]
        assert a.get("snabbrapport", recent_id)["name"] == NAMES[2]  # type: ignore[index]
        assert not [c for c in a.conflicts() if c.record_id == old_id]
        assert not [e for e in a.journal(old_id) if e.scope == "personal"]
    assert _statistics(history["a"]) == statistics
    left = [t for t in _traces(history["a"]) if NAMES[2] not in t and PNR[2] not in t]
    assert left == []


def test_old_bundles_in_any_order_never_bring_it_back(history: dict[str, Path]) -> None:
    old_id = str(history["old_id"])
    with _store(history["a"], "Anna") as a:
        gallring.run(a, TODAY)
    statistics = _statistics(history["a"])
    bundles = [history["old1"], history["old2"], history["from_b"]]
    for order in itertools.permutations(bundles):
        with _store(history["a"], "Anna") as a:
            for bundle in order:
                import_bundle(a, bundle)
            report = a.get("snabbrapport", old_id)
            assert report is not None and report["name"] is None and report["phone"] is None
            gallring.checkpoint(a.conn)
        assert _statistics(history["a"]) == statistics
        left = [t for t in _traces(history["a"]) if NAMES[2] not in t and PNR[2] not in t]
        assert left == [], order


def test_the_marker_erases_on_the_other_laptop_too(history: dict[str, Path]) -> None:
    with _store(history["a"], "Anna") as a:
        gallring.run(a, TODAY)
        out = history["a"].with_name("after.trygg")
        export_bundle(a, out, peer=find_peer(a, "Bertil"), profile="kommun")
    with _store(history["b"], "Bertil") as b:
        result = import_bundle(b, out)
        assert result.new_entries
        assert b.get("snabbrapport", str(history["old_id"]))["name"] is None  # type: ignore[index]
        assert result.erased == [str(history["old_id"])] and result.backups_scrubbed >= 1
    # The received erasure reaches every copy Bertil keeps, as a local one would: the live
    # file, its log, and the backups taken before each import.
    left = [t for t in _traces(history["b"]) if NAMES[2] not in t and PNR[2] not in t]
    assert left == []


def test_a_new_database_is_not_told_of_erasures_it_never_held(
    history: dict[str, Path], tmp_path: Path
) -> None:
    # A database that first hears of a report already erased held nothing of it: it was
    # told "1 rapport gallrades av avsändaren: … raderade här också, i 0 kopior" (cold
    # test). The one that held it is still told.
    with _store(history["a"], "Anna") as a:
        gallring.run(a, TODAY)
        out = tmp_path / "after.trygg"
        export_bundle(a, out, full=True, profile="polis")
    with _store(tmp_path / "new.db", "Cecilia") as new:
        result = import_bundle(new, out)
        assert result.new_entries and result.erased == []
        assert new.get("snabbrapport", str(history["old_id"]))["name"] is None  # type: ignore[index]
    with _store(history["b"], "Bertil") as b:
        assert import_bundle(b, out).erased == [str(history["old_id"])]


def test_one_report_at_once_and_the_rule_is_kept_in_the_database(tmp_path: Path) -> None:
    with _store(tmp_path / "x.db", "Anna", datetime(2026, 11, 21, 23, 30)) as store:
        rid = store.create("snabbrapport", report_fields(name=NAMES[0], personnummer=PNR[0]))
        assert gallring.count_due(store, TODAY) == 0
        summary = gallring.erase_now(store, rid)
        assert summary.erased == 1
        assert store.get("snabbrapport", rid)["name"] is None  # type: ignore[index]
        assert gallring.erase_now(store, rid).erased == 0
        with pytest.raises(TryggError):
            gallring.erase_now(store, "0190a0a0-0000-7000-8000-000000000000")
        rule = gallring.set_rule(store, days=30, basis="Polisdatalagen 2 kap.")
        assert rule == gallring.Rule(30, "Polisdatalagen 2 kap.")
        with pytest.raises(TryggError):
            gallring.set_rule(store, days=0)
    with _store(tmp_path / "x.db", "Anna") as again:
        assert gallring.rule(again).days == 30


def test_gallring_tells_how_far_it_has_come(tmp_path: Path) -> None:
    """``progress`` hears (steps done, steps in all): each due report erased, then each
    backup copy cleared of it."""
    from db.backup import manual_backup

    with _store(tmp_path / "x.db", "Anna", datetime(2026, 11, 21, 23, 30)) as store:
        for i in range(3):
            store.create("snabbrapport", report_fields(date=f"2026-01-1{i}", name=NAMES[0]))
        kept = store.create("snabbrapport", report_fields(name=NAMES[1]))
        (tmp_path / "x.db.backups").mkdir()
        for i in range(2):
            manual_backup(store.conn, store.path, tmp_path / "x.db.backups" / f"{i}.db")
        heard: list[tuple[int, int]] = []
        summary = gallring.run(store, TODAY, progress=lambda d, t: heard.append((d, t)))
        assert summary.erased == 3 and summary.backups_scrubbed == 2
        assert heard == [(0, 5), (1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
        told: list[tuple[int, int]] = []
        gallring.erase_now(store, kept, progress=lambda d, t: told.append((d, t)))
        assert told == [(1, 3), (2, 3), (3, 3)]


def test_own_mailbox_file_with_personal_data_goes_with_the_erasure(tmp_path: Path) -> None:
    from db.sync.mailbox import sync_folder

    folder = tmp_path / "polismapp"
    folder.mkdir()
    with _store(tmp_path / "m.db", "Anna") as store:
        store.create("snabbrapport", report_fields(date="2026-07-01", name=NAMES[0]))
        device_id = store.require_device().id
        sync_folder(store, folder, profile="polis")
        secret_file = folder / f"trygg-{device_id}-SEKRETESS.trygg"
        assert [p.name for p in folder.iterdir()] == [secret_file.name]
        summary = gallring.run(store, TODAY)
        assert summary.removed_files == [secret_file.resolve()]
        assert not secret_file.exists()
        sync_folder(store, folder, profile="polis")
    (rewritten,) = folder.iterdir()
    assert rewritten.name == f"trygg-{device_id}.trygg"
    assert NAMES[0].encode() not in rewritten.read_bytes()
