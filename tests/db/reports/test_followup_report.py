"""The steering group's follow-up (HTML, Markdown, XLSX with coloured lights), the
citizen-promise report (only promises, plain language) and the calendar of deadlines."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from db.errors import TryggError
from db.plans.deadlines import Deadline
from db.plans.followup import save_followup
from db.plans.progress import log_progress
from db.reports.calendar import ical, write_calendar
from db.reports.followup import write_followup_report, write_promise_report
from db.store import Store

TODAY = date(2026, 11, 22)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _plan(store: Store) -> dict[str, str]:
    plan = store.create(
        "plan",
        {"title": "Trygg i Lycksele", "kommuner": ["Lycksele"], "start_date": "2026-01-01",
         "end_date": "2026-12-31", "followup_interval": "halvar"},
    )  # fmt: skip
    centre = store.create("focus_area", {"plan_id": plan, "name": "Tryggt centrum", "position": 1})
    youth = store.create("focus_area", {"plan_id": plan, "name": "Ungdomar", "position": 2})
    krog = store.create(
        "measure",
        {"plan_id": plan, "focus_area_id": centre, "cause_nr": 1, "cause": "Bråk vid stängning",
         "activity": "Krogkontroll", "goal": "Minst 2 per månad på Storgatan under 2026",
         "responsible": "Polisen", "partners": "Alkoholhandläggare", "rrule": "FREQ=MONTHLY",
         "target_count": 2, "citizen_promise": True},
    )  # fmt: skip
    gard = store.create(
        "measure",
        {"plan_id": plan, "focus_area_id": youth, "activity": "Besök på fritidsgården",
         "responsible": "Fältassistent"},
    )  # fmt: skip
    for month in (7, 8, 9, 10):
        log_progress(store, krog, day=date(2026, month, 12), hours=3, note="Kalle Anka var med")
    save_followup(
        store, krog, "2026-H2",
        {"rating": "gul", "process": "Samordnat med kommunen", "effect": "Färre bråk"},
    )  # fmt: skip
    save_followup(store, gard, "2026-H2", {"rating": "rod", "effect": "Inga besök blev av"})
    return {"plan": plan, "krog": krog, "gard": gard}


def test_html_report_follows_the_handbook_layout_with_lights(store: Store, tmp_path: Path) -> None:
    ids = _plan(store)
    written = write_followup_report(store, ids["plan"], "2026-H2", tmp_path, TODAY)
    html = written.path.read_text(encoding="utf-8")
    assert written.measures == 2
    for heading in ("Orsak", "Åtgärd", "Operativa mål", "När", "Vem", "Uppföljning"):
        assert f"<th>{heading}</th>" in html
    assert html.index("Tryggt centrum") < html.index("Ungdomar")
    assert "color:#b58900" in html and "● Gul" in html  # yellow light, with its word
    assert "color:#c62828" in html and "● Röd" in html
    assert "1. Bråk vid stängning" in html
    assert "Genomfört 4 gånger under perioden" in html
    assert "sedan start 4 av 20 väntade – EFTER PLAN" in html
    assert "12 timmar" in html
    assert "med gott resultat på problemet" in html  # the handbook's meaning, as a legend
    assert "Kalle Anka" not in html  # the log's notes are not the steering group's


def test_markdown_and_xlsx_carry_the_same_lights(store: Store, tmp_path: Path) -> None:
    ids = _plan(store)
    md = write_followup_report(store, ids["plan"], "2026-H2", tmp_path, TODAY, fmt="md")
    text = md.path.read_text(encoding="utf-8")
    assert "| Orsak | Åtgärd | Operativa mål | När | Vem | Uppföljning |" in text
    assert "🟡 Gul" in text and "🔴 Röd" in text
    xlsx = write_followup_report(store, ids["plan"], "2026-H2", tmp_path, TODAY, fmt="xlsx")
    book = openpyxl.load_workbook(xlsx.path)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = {r[header.index("Åtgärd")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Krogkontroll"][header.index("Genomfört (antal)")] == 4
    assert rows["Krogkontroll"][header.index("Bedömning")] == "Gul"
    rating_col = header.index("Bedömning") + 1
    fills = {
        sheet.cell(row=r, column=rating_col).value: sheet.cell(row=r, column=rating_col).fill
        for r in (2, 3)
    }
    assert fills["Gul"].fgColor.rgb == "FFFFEB9C"
    assert fills["Röd"].fgColor.rgb == "FFFFC7CE"
    hours = book.worksheets[1]
    assert [tuple(r) for r in hours.iter_rows(min_row=2, values_only=True)] == [
        ("Tryggt centrum", 12),
        ("Ungdomar", 0),
    ]


def test_the_follow_up_workbook_prints_one_page_wide(store: Store, tmp_path: Path) -> None:
    """Landscape A4, fitted to the page's width, header repeated: the steering group's
    sheet no longer prints its assessment alone on page 10."""
    ids = _plan(store)
    xlsx = write_followup_report(store, ids["plan"], "2026-H2", tmp_path, TODAY, fmt="xlsx")
    sheet = openpyxl.load_workbook(xlsx.path).worksheets[0]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr is not None
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToHeight == 0
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    header = [c.value for c in sheet[1]]
    process = header.index("Process") + 1
    assert sheet.cell(2, process).alignment.wrap_text
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed: the printed page count is not checked")
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(xlsx.path)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    (pdf,) = (tmp_path / "pdf").glob("*.pdf")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages == 2  # the measures sheet and the hours sheet, one page each


def test_the_promise_report_holds_only_promises_in_plain_words(
    store: Store, tmp_path: Path
) -> None:
    ids = _plan(store)
    for fmt in ("html", "md", "txt"):
        written = write_promise_report(store, ids["plan"], "2026-H2", tmp_path, TODAY, fmt=fmt)
        text = written.path.read_text(encoding="utf-8")
        assert written.measures == 1
        assert "Våra medborgarlöften i Lycksele" in text
        assert "Krogkontroll" in text and "fritidsgården" not in text
        assert "Det här har vi gjort: 4 gånger under perioden." in text
        assert "Färre bråk" in text
        assert "Kalle Anka" not in text


def test_a_plan_without_promises_says_so(store: Store, tmp_path: Path) -> None:
    plan = store.create("plan", {"title": "Intern plan"})
    store.create("measure", {"plan_id": plan, "activity": "Internt"})
    folder = tmp_path / "out"
    with pytest.raises(TryggError) as caught:
        write_promise_report(store, plan, "2026-H2", folder, TODAY)
    assert caught.value.key == "promises.none"
    assert not folder.exists()


def test_unknown_format_and_plan_are_refused(store: Store, tmp_path: Path) -> None:
    ids = _plan(store)
    with pytest.raises(TryggError) as bad:
        write_followup_report(store, ids["plan"], "2026-H2", tmp_path, TODAY, fmt="pdf")
    assert bad.value.key == "report.bad_format"
    with pytest.raises(TryggError):
        write_followup_report(store, "0" * 36, "2026-H2", tmp_path, TODAY)


def test_the_calendar_is_valid_icalendar_with_stable_uids(store: Store, tmp_path: Path) -> None:
    ids = _plan(store)
    store.create(
        "measure",
        {"plan_id": ids["plan"], "activity": "Skyltar vid badplatsen; ny, tydlig text",
         "due_date": "2026-12-15"},
    )  # fmt: skip
    path, count = write_calendar(store, tmp_path, TODAY)
    raw = path.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw.decode("utf-8").split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    unfolded = raw.decode("utf-8").replace("\r\n ", "")
    assert "SUMMARY:Senast i dag: Skyltar vid badplatsen\\; ny\\, tydlig text" in unfolded
    assert "DTSTART;VALUE=DATE:20261215" in unfolded
    assert "SUMMARY:Uppföljning 2:a halvåret 2026: Trygg i Lycksele" in unfolded
    assert unfolded.count("BEGIN:VEVENT") == count == 5  # Nov, Dec rhythm; due; follow-up; end
    again, _ = write_calendar(store, tmp_path, TODAY)
    uids = [line for line in unfolded.split("\r\n") if line.startswith("UID:")]
    assert len(set(uids)) == len(uids)
    assert sorted(uids) == sorted(
        line
        for line in again.read_bytes().decode("utf-8").replace("\r\n ", "").split("\r\n")
        if line.startswith("UID:")
    )


def test_long_summaries_fold_without_splitting_a_character() -> None:
    long = Deadline(date(2026, 12, 1), "due", "p", "Plan", "m", "Åtgärd " * 30)
    text = ical([long], datetime(2026, 11, 22, 1, 30))
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    assert "Åtgärd Åtgärd" in text.replace("\r\n ", "")
