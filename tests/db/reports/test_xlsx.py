"""The XLSX writer, read back by a real reader (openpyxl)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from db.errors import TryggError
from db.reports.xlsx import write_xlsx


def test_text_numbers_and_awkward_content_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    rows = [
        ["Åäö & <b>", 12, 0.25, None],
        ["=1+1", -3, 1.5, "tab\there"],
        ["ctrl\x01char", 0, 0.0, ""],
    ]
    write_xlsx(path, [("Statistik", ["Fråga", "Antal", "Andel", "Not"], rows)])
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet.title == "Statistik"
    read = [[c.value for c in row] for row in sheet.iter_rows()]
    assert read[0] == ["Fråga", "Antal", "Andel", "Not"]
    assert read[1] == ["Åäö & <b>", 12, 0.25, None]
    assert read[2][0] == "=1+1" and sheet["A3"].data_type == "s"  # text, never a formula
    assert read[2][3] == "tab\there"
    assert read[3][0] == "ctrl\ufffdchar"
    assert sheet["A1"].font.b  # the header is bold


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
