"""The demo database: every record type, valid fictitious personnummer."""

from __future__ import annotations

from pathlib import Path

from db.demo import SODRA_LAPPLAND, build_demo
from db.personnummer import parse_personnummer
from db.records import TYPE_NAMES
from tests.conftest import NOW, open_store


def test_demo_holds_every_type_and_only_test_numbers(tmp_path: Path) -> None:
    with open_store(tmp_path / "demo.db") as store:
        build_demo(store, today=NOW.date())
        for rtype in TYPE_NAMES:
            assert store.count(rtype) > 0, rtype
        reports = store.records("snabbrapport")
        assert len(reports) >= 24
        assert {r["kommun"] for r in reports} <= set(SODRA_LAPPLAND)
        for report in reports:
            if report["personnummer"]:
                pnr = parse_personnummer(report["personnummer"], NOW.date())
                assert 980 <= int(pnr.serial) <= 999
                assert 12 <= report["age"] <= 18
        weekdays = {__import__("datetime").date.fromisoformat(r["date"]).weekday() for r in reports}
        assert weekdays <= {4, 5}
        remarks = [f["remark"] for f in store.records("finding", order_by=("nr",))]
        assert remarks[:4] == [
            "Trasig belysning",
            "Uppbrutna källardörrar",
            "Fem skrotbilar",
            "Brandfarliga källargångar",
        ]
        areas = [a["name"] for a in store.records("focus_area", order_by=("position",))]
        # The focus areas of the södra Lappland agreement (seed 000).
        assert areas == [
            "Brottsförebyggande arbete kring ungdomar",
            "ANDT- och tillsynsarbete",
            "Integration av nyanlända i kommunerna",
        ]
        promises = [m for m in store.records("measure") if m["citizen_promise"]]
        assert len(promises) == 3
        assert {f["rating"] for f in store.records("followup")} == {"gron", "gul", "rod"}
