"""The views that show a database as the app shows it, read by the tools people use on a
SQLite file: the ``sqlite-utils`` command line and, where installed, the ``sqlite3``
shell."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from db.records import TYPES
from db.store import Store
from db.views import VIEWS
from tests.conftest import report_fields, walk_fields

SQLITE_UTILS = Path(sys.executable).with_name("sqlite-utils")
SQLITE3 = shutil.which("sqlite3")


def _filled(store: Store) -> dict[str, str]:
    owner = store.create("owner", {"name": "Kommunen", "kind": "kommun"})
    walk = store.create(
        "walk", walk_fields(light="morker", participants=[{"group": "Boende", "count": 8}])
    )
    lamp = store.create(
        "finding",
        {"walk_id": walk, "place": "Åvägen 37", "remark": "Trasig belysning",
         "category": "belysning", "owner_id": owner, "positive": False},
    )  # fmt: skip
    gone = store.create("finding", {"walk_id": walk, "remark": "Klotter", "category": "klotter"})
    store.delete("finding", gone)
    old_walk = store.create("walk", walk_fields(area="Rivet"))
    store.create("finding", {"walk_id": old_walk, "remark": "Under ett raderat vandring"})
    store.delete("walk", old_walk)
    report = store.create("snabbrapport", report_fields(custody="lob", drunk=True))
    plan = store.create("plan", {"title": "Trygg i Lycksele", "kommuner": ["Lycksele", "Åsele"]})
    store.create("measure", {"plan_id": plan, "activity": "Krogkontroll", "status": "pagaende"})
    return {"walk": walk, "lamp": lamp, "report": report, "plan": plan}


def test_every_record_type_has_a_view_without_deleted_records(store: Store) -> None:
    ids = _filled(store)
    assert set(VIEWS) == set(TYPES)
    findings = [dict(r) for r in store.conn.execute("SELECT * FROM findings_view")]
    assert [f["id"] for f in findings] == [ids["lamp"]]  # no tombstone, none of a deleted walk
    assert "deleted" not in findings[0]
    walks = [dict(r) for r in store.conn.execute("SELECT * FROM walks_view")]
    assert [w["id"] for w in walks] == [ids["walk"]]


def test_views_show_words_and_names_instead_of_codes_and_ids(store: Store) -> None:
    _filled(store)
    finding = dict(store.conn.execute("SELECT * FROM findings_view").fetchone())
    assert finding["category"] == "Belysning" and finding["positive"] == "Nej"
    assert finding["status"] == "Ny"  # as the app reads a finding nobody has handled
    assert finding["owner_name"] == "Kommunen" and finding["walk_name"] == "Centrum 2026-11-01"
    walk = dict(store.conn.execute("SELECT * FROM walks_view").fetchone())
    assert walk["light"] == "Mörker" and walk["participants"] == "Boende: 8"
    report = dict(store.conn.execute("SELECT * FROM quick_reports_view").fetchone())
    assert report["custody"] == "LOB" and report["drunk"] == "Ja"
    plan = dict(store.conn.execute("SELECT * FROM plans_view").fetchone())
    assert plan["kommuner"] == "Lycksele, Åsele"
    measure = dict(store.conn.execute("SELECT * FROM measures_view").fetchone())
    assert measure["status"] == "Pågående" and measure["plan_name"] == "Trygg i Lycksele"


def test_an_erased_report_shows_no_personal_data(store: Store) -> None:
    ids = _filled(store)
    store.erase_personal("snabbrapport", ids["report"])
    report = dict(store.conn.execute("SELECT * FROM quick_reports_view").fetchone())
    assert report["name"] is None and report["personnummer"] is None
    assert report["erased_date"] == "2026-11-22"


def test_the_sqlite_utils_command_reads_the_views(store: Store) -> None:
    _filled(store)
    store.close()
    path = str(store.path)
    rows = subprocess.run(
        [str(SQLITE_UTILS), "rows", path, "findings_view"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    (finding,) = json.loads(rows.stdout)
    assert finding["category"] == "Belysning" and finding["owner_name"] == "Kommunen"
    views = subprocess.run(
        [str(SQLITE_UTILS), "views", path, "--counts"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    counts = {v["view"]: v["count"] for v in json.loads(views.stdout)}
    assert set(counts) >= set(VIEWS.values())
    assert counts["findings_view"] == 1 and counts["quick_reports_view"] == 1


@pytest.mark.skipif(SQLITE3 is None, reason="the sqlite3 shell is not installed")
def test_the_sqlite3_shell_reads_the_views(store: Store) -> None:
    _filled(store)
    store.close()
    assert SQLITE3 is not None
    shell = subprocess.run(
        [SQLITE3, "-json", str(store.path), "SELECT place, status, category FROM findings_view"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert json.loads(shell.stdout) == [
        {"place": "Åvägen 37", "status": "Ny", "category": "Belysning"}
    ]
