"""The XLSX writer (xlsxwriter), read back by a real reader (openpyxl) and, where it is
installed, by LibreOffice headless."""

from __future__ import annotations

import csv
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from db.errors import TryggError
from db.reports.xlsx import Cell, Coloured, Column, write_xlsx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def test_text_numbers_and_awkward_content_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    rows: list[list[Cell]] = [
        ["Åäö & <b>", 12, 0.25, None],
        ["=1+1", -3, 1.5, "tab\there"],
        ["ctrl\x01char", 0, 0.0, ""],
        ["https://exempel.se", 7, None, "+46 70"],
    ]
    write_xlsx(path, [("Statistik", ["Fråga", "Antal", "Andel", "Not"], rows)])
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet.title == "Statistik"
    read = [[c.value for c in row] for row in sheet.iter_rows()]
    assert read[0] == ["Fråga", "Antal", "Andel", "Not"]
    assert read[1] == ["Åäö & <b>", 12, 0.25, None]
    assert read[2][0] == "=1+1" and sheet["A3"].data_type == "s"  # text, never a formula
    assert read[2][3] == "tab\there"
    assert read[4] == ["https://exempel.se", 7, None, "+46 70"]  # no link, no number
    assert sheet["A1"].font.b  # the header is bold


def test_control_characters_are_escaped_the_way_excel_reads_them(tmp_path: Path) -> None:
    """Not replaced by U+FFFD: kept, in Excel's own escape (``_x0001_``), which Excel
    and LibreOffice turn back into the character."""
    path = write_xlsx(tmp_path / "c.xlsx", [("S", ["a"], [["ctrl\x01char\x1b"]])])
    with zipfile.ZipFile(path) as z:
        strings = z.read("xl/sharedStrings.xml").decode()
    assert "ctrl_x0001_char_x001B_" in strings and "\ufffd" not in strings
    assert openpyxl.load_workbook(path).worksheets[0]["A2"].value == "ctrl_x0001_char_x001B_"


def test_shares_are_percentages_and_dates_are_dates(tmp_path: Path) -> None:
    path = tmp_path / "kinds.xlsx"
    header: list[str | Column] = [
        "Fråga",
        Column("Antal", "int"),
        Column("Andel", "percent"),
        Column("Datum", "date"),
    ]
    rows: list[list[Cell]] = [
        ["Berusad", 7, 0.5833, "2026-11-21"],
        ["Annat", 1, 0.0833, date(2026, 10, 3)],
    ]
    write_xlsx(path, [("S", header, rows)])
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet["C2"].value == pytest.approx(0.5833)
    assert sheet["C2"].number_format == "0 %"
    assert sheet["D2"].value == datetime(2026, 11, 21) and sheet["D2"].is_date
    assert sheet["D3"].value == datetime(2026, 10, 3)
    assert sheet["B2"].number_format == "0"


def test_not_a_number_is_never_written(tmp_path: Path) -> None:
    """A NaN (``<v>nan</v>``) makes openpyxl refuse the whole workbook: it is left blank."""
    path = tmp_path / "nan.xlsx"
    write_xlsx(path, [("S", ["a", "b", "c"], [[float("nan"), float("inf"), 1.5]])])
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode().lower()
    assert "nan" not in xml and "inf" not in xml
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert [c.value for c in sheet[2]] == [None, None, 1.5]


def test_a_sheet_is_laid_out_to_read_and_to_print(tmp_path: Path) -> None:
    path = tmp_path / "layout.xlsx"
    long = "En lång text om vad som gjordes och varför, " * 6
    rows = [["Kort", long, Coloured("Grön", "gron")], ["Två", "x", Coloured("Röd", "rod")]]
    write_xlsx(path, [("S", ["Namn", "Text", "Bedömning"], rows)])
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet.freeze_panes == "A2"  # the header stays in view
    assert sheet.auto_filter.ref == "A1:C3"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr is not None
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1)  # absent means 1: one page wide
    assert sheet.page_setup.fitToHeight == 0  # as many pages long as it takes
    assert sheet.print_title_rows == "$1:$1"  # the header on every printed page
    widths = {c: sheet.column_dimensions[c].width for c in "ABC"}
    assert widths["A"] < 12 and 40 < widths["B"] < 60  # as wide as the content, capped
    assert sheet["B2"].alignment.wrap_text  # the long text wraps instead
    assert sheet["C2"].fill.fgColor.rgb == "FFC6EFCE" and sheet["C3"].fill.fgColor.rgb == "FFFFC7CE"


def test_sheet_names_are_made_valid_and_unique(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    sheets = [("Per/månad: [2026]?", ["a"], [[1]]), ("per/MÅNAD: [2026]?", ["a"], [[2]])]
    write_xlsx(path, sheets)
    names = openpyxl.load_workbook(path).sheetnames
    assert len(set(names)) == 2 and all(len(n) <= 31 for n in names)
    assert not any(c in "".join(names) for c in "[]:*?/\\")


def test_many_columns_get_excel_letters(tmp_path: Path) -> None:
    path = tmp_path / "wide.xlsx"
    write_xlsx(path, [("S", [f"c{i}" for i in range(30)], [list(range(30))])])
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet["AD2"].value == 29
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None


def test_a_failed_write_says_so_and_leaves_nothing(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    with pytest.raises(TryggError) as caught:
        write_xlsx(blocked / "x.xlsx", [("S", ["a"], [])])
    assert caught.value.key == "export.failed"


def libreoffice_csv(path: Path, out: Path) -> list[list[str]]:
    """``path`` converted to CSV by LibreOffice headless, as displayed (formats applied)."""
    assert SOFFICE
    profile = out / "profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true", "--outdir", str(out),
         str(path)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    with (out / f"{path.stem}.csv").open(encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)"
)
def test_libreoffice_opens_the_workbook_as_written(tmp_path: Path) -> None:
    header: list[str | Column] = [
        "Fråga",
        Column("Antal", "int"),
        Column("Andel", "percent"),
        Column("Datum", "date"),
    ]
    rows: list[list[Cell]] = [["Berusad", 7, 0.5833, "2026-11-21"], ["=1+1", 1, float("nan"), None]]
    path = write_xlsx(tmp_path / "lo.xlsx", [("S", header, rows)])
    table = libreoffice_csv(path, tmp_path)
    assert table[0] == ["Fråga", "Antal", "Andel", "Datum"]
    assert table[1] == ["Berusad", "7", "58 %", "2026-11-21"]
    assert table[2] == ["=1+1", "1", "", ""]
