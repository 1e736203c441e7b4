"""CSV for Swedish Excel: a number that is not a number is an empty cell, not "nan"."""

from __future__ import annotations

from db.reports import excel_csv


def test_not_a_number_is_an_empty_cell() -> None:
    text = excel_csv(["a", "b", "c", "d"], [[float("nan"), float("inf"), 1.5, "=1+1"]])
    assert text.splitlines()[1] == ";;1,5;'=1+1"
