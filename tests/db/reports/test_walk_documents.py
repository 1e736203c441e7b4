"""The documents a walk sends out: owner lists, the protocol, GeoJSON."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from db import walks
from db.errors import TryggError
from db.reports import output_folder
from db.reports.walks import write_owner_list, write_walk_protocol
from db.store import Store
from db.walks import FindingInput
from tests.conftest import NOW, walk_fields

TODAY = NOW.date()
OGRINFO = shutil.which("ogrinfo")
HOSTILE = "<script>alert(1)</script> [bold]x[/] =SUM(A1) \x1b[31m"


@pytest.fixture
def walk(store: Store) -> str:
    walk_id = store.create(
        "walk", walk_fields(area="Centrum & stationen", participants="boende: 12")
    )
    for remark, owner in (
        ("Trasig belysning på Åvägen mittemot nr 37", "Kommunen"),
        (HOSTILE, "Kommunen"),
        ("Buskage vid busshållplatsen", "Bostadsbolaget"),
    ):
        walks.save_finding(store, walk_id, FindingInput(remark, "Åvägen", "1", owner))
    walks.save_finding(store, walk_id, FindingInput("Bra upplyst", "Torget", positive=True))
    return walk_id


def _owner(store: Store, name: str) -> str:
    return next(o["id"] for o in store.records("owner") if o["name"] == name)


def test_owner_list_html_marks_sent_and_escapes(store: Store, walk: str, tmp_path: Path) -> None:
    kommunen = _owner(store, "Kommunen")
    written = write_owner_list(store, kommunen, tmp_path, TODAY)
    assert written.count == 2 and written.path.name == "Åtgärdslista-Kommunen-2026-11-22.html"
    page = written.path.read_text(encoding="utf-8")
    assert "Trasig belysning på Åvägen mittemot nr 37" in page
    assert "<script>" not in page and "&lt;script&gt;" in page and "\x1b" not in page
    assert "Buskage" not in page  # another owner's
    sent = [f for f in store.records("finding") if f["owner_id"] == kommunen]
    assert {f["status"] for f in sent} == {"skickad"}
    assert {f["due_date"] for f in sent} == {"2027-05-22"}  # six months: a municipality
    # Nothing new left to send; a reminder of everything open still can be.
    with pytest.raises(TryggError) as caught:
        write_owner_list(store, kommunen, tmp_path, TODAY)
    assert caught.value.key == "owner_list.empty"
    again = write_owner_list(store, kommunen, tmp_path, TODAY, scope="open", mark=False)
    assert again.count == 2 and again.path.name.endswith("-2.html")


def test_owner_list_csv_opens_in_swedish_excel(store: Store, walk: str, tmp_path: Path) -> None:
    written = write_owner_list(
        store, _owner(store, "Kommunen"), tmp_path, TODAY, fmt="csv", mark=False
    )
    raw = written.path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Nr", "Trygghetsvandring"] and len(rows) == 3
    hostile = rows[2][4]
    assert hostile.startswith("<script>") and "␛" in hostile
    assert store.count("finding", where={"status": "skickad"}) == 0


def test_a_failed_write_marks_nothing(store: Store, walk: str, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(TryggError) as caught:
        write_owner_list(store, _owner(store, "Kommunen"), blocker / "sub", TODAY)
    assert caught.value.key == "export.failed"
    assert store.count("finding", where={"status": "skickad"}) == 0


def test_protocol_lists_every_finding_and_the_positive_ones(
    store: Store, walk: str, tmp_path: Path
) -> None:
    written = write_walk_protocol(store, walk, tmp_path, TODAY)
    page = written.path.read_text(encoding="utf-8")
    assert written.count == 4 and "Centrum &amp; stationen" in page
    assert "Positiva iakttagelser" in page and "Bra upplyst" in page
    assert "boende 12 (totalt 12)" in page
    english = write_walk_protocol(store, walk, tmp_path, TODAY, lang="en")
    assert "Positive observations" in english.path.read_text(encoding="utf-8")


def test_protocol_shows_due_and_fixed_dates_its_writer_and_page_numbers(
    store: Store, walk: str, tmp_path: Path
) -> None:
    first = store.records("finding", order_by=("nr",))[0]
    store.update("finding", first["id"], {"due_date": "2026-12-31", "fixed_date": "2026-11-20",
                                          "status": "atgardad"})  # fmt: skip
    page = write_walk_protocol(store, walk, tmp_path, TODAY).path.read_text(encoding="utf-8")
    # The handbook's columns: Nr, Anmärkning, Problemägare, Åtgärdat — and the due date.
    assert "<th>Åtgärdat</th>" in page and "<th>Åtgärdas senast</th>" in page
    assert "2026-11-20" in page and "2026-12-31" in page
    assert "Protokollet skrivet" in page and "av Testenhet (Polis)" in page
    assert "counter(page)" in page and '"Sida "' in page and "counter(pages)" in page


def test_geojson_uses_finding_or_place_coordinates(store: Store, walk: str, tmp_path: Path) -> None:
    with pytest.raises(TryggError) as caught:
        write_walk_protocol(store, walk, tmp_path, TODAY, fmt="geojson")
    assert caught.value.key == "report.no_coordinates"
    first = store.records("finding", order_by=("nr",))[0]
    store.update("finding", first["id"], {"lat": 64.5951234, "lon": 18.6767891})
    torget = next(p for p in store.records("place") if p["name"] == "Torget")
    store.update("place", torget["id"], {"lat": 64.6, "lon": 18.7})
    written = write_walk_protocol(store, walk, tmp_path, TODAY, fmt="geojson")
    data = json.loads(written.path.read_text(encoding="utf-8"))
    points = {f["properties"]["nr"]: f["geometry"]["coordinates"] for f in data["features"]}
    assert points == {1: [18.6767891, 64.5951234], 4: [18.7, 64.6]}


def test_geojson_leaves_out_a_point_at_infinity(store: Store, walk: str, tmp_path: Path) -> None:
    """SQLite keeps an infinite REAL (from a file written elsewhere, say); GeoJSON has no
    infinity, and ``Infinity`` in the file makes map programs refuse all of it."""
    first, second = store.records("finding", order_by=("nr",))[:2]
    store.update("finding", first["id"], {"lat": 64.59, "lon": 18.67})
    store.update("finding", second["id"], {"lat": 64.6, "lon": 18.7})
    store.conn.execute("UPDATE finding SET lat = 9e999 WHERE id = ?", (second["id"],))
    written = write_walk_protocol(store, walk, tmp_path, TODAY, fmt="geojson")
    text = written.path.read_text(encoding="utf-8")
    data = json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in GeoJSON"))
    assert [f["properties"]["nr"] for f in data["features"]] == [1]


@pytest.mark.skipif(
    OGRINFO is None, reason="GDAL's ogrinfo is not installed (apt-get install gdal-bin)"
)
def test_ogrinfo_reads_the_geojson_as_points_with_their_fields(
    store: Store, walk: str, tmp_path: Path
) -> None:
    """GDAL, under QGIS and most map programs, opens the whole file: every point in the
    right place (longitude first), the fields typed, user text kept as text, and a point
    at infinity left out rather than spoiling the file."""
    first, second, third = store.records("finding", order_by=("nr",))[:3]
    store.update("finding", first["id"], {"lat": 64.5951234, "lon": 18.6767891})
    store.update("finding", second["id"], {"lat": 64.6, "lon": 18.7})
    store.update("finding", third["id"], {"lat": 64.61, "lon": 18.71})
    store.conn.execute("UPDATE finding SET lon = 9e999 WHERE id = ?", (third["id"],))
    torget = next(p for p in store.records("place") if p["name"] == "Torget")
    store.update("place", torget["id"], {"lat": 64.59, "lon": 18.68})
    written = write_walk_protocol(store, walk, tmp_path, TODAY, fmt="geojson")
    done = subprocess.run(
        [str(OGRINFO), "-ro", "-al", str(written.path)],
        capture_output=True, timeout=60, env={**os.environ, "LC_ALL": "C.UTF-8"},
    )  # fmt: skip
    out = done.stdout.decode("utf-8", errors="replace")
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert "using driver `GeoJSON' successful" in out
    assert "Geometry: Point" in out and "Feature Count: 3" in out
    assert "nr: Integer" in out and "positive: Integer(Boolean)" in out
    assert "POINT (18.6767891 64.5951234)" in out and "POINT (18.68 64.59)" in out
    assert "remark (String) = <script>alert(1)</script> [bold]x[/] =SUM(A1)" in out
    assert "remark (String) = Bra upplyst" in out and "positive (Integer(Boolean)) = 1" in out
    assert "place (String) = Åvägen" in out


def test_documents_go_to_the_chosen_folder(store: Store, tmp_path: Path) -> None:
    assert output_folder(store) == tmp_path / "documents" / "Trygg"
    store.set_setting("output_folder", str(tmp_path / "ut"))
    assert output_folder(store) == tmp_path / "ut"


def test_owners_to_send_and_findings_without_owner(store: Store, walk: str) -> None:
    from db.reports.walks import owners_to_send

    walks.save_finding(store, walk, FindingInput("Ingen ägare än", "Parken"))
    owners, unowned = owners_to_send(store, TODAY, walk_id=walk)
    assert [(o.name, o.count) for o in owners] == [("Bostadsbolaget", 1), ("Kommunen", 2)]
    assert unowned == 1
    write_owner_list(store, _owner(store, "Kommunen"), store.path.parent, TODAY)
    owners, _ = owners_to_send(store, TODAY, walk_id=walk)
    assert [o.name for o in owners] == ["Bostadsbolaget"]
    reminders, _ = owners_to_send(store, TODAY, scope="open")
    assert [o.name for o in reminders] == ["Bostadsbolaget", "Kommunen"]
