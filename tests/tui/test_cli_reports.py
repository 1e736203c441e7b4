"""``trygg report snabbrapport`` on a real database: this month against the month
before, files for Excel and Markdown, and clear words for a bad date."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from click.testing import CliRunner, Result

from db.store import Store
from tests.conftest import report_fields
from tui import cli


def run(*args: str, lang: str = "sv") -> Result:
    return CliRunner().invoke(cli.build_cli(lang), ["--lang", lang, *args], catch_exceptions=False)


def _database(path: Path) -> None:
    with Store(path, now=lambda: datetime(2026, 11, 22, 3, 0)) as store:
        store.set_up_device("Test", "polis", "Lycksele")
        for day in ("2026-11-06", "2026-11-20", "2026-11-21"):
            store.create("snabbrapport", report_fields(date=day, drunk=True, custody="lob"))
        store.create("snabbrapport", report_fields(date="2026-10-16", custody="nej"))


def test_month_against_the_month_before(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    _database(path)
    result = run(
        "report", "snabbrapport", "--db", str(path), "--from", "1/11", "--compare-previous"
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "2026-11-01 – 2026-11-30" in lines[0] and "2026-10-01 – 2026-10-31" in lines[0]
    reports = next(line for line in lines if "Rapporter" in line).split()
    assert reports[-6:] == ["3", "100", "%", "1", "100", "%"]
    lob = next(line for line in lines if "LOB" in line)
    assert lob.split()[1:] == ["3", "100", "%", "0", "0", "%"]


def test_files_for_excel_and_markdown(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    _database(path)
    csv_file = tmp_path / "stat.csv"
    written = run(
        "report",
        "snabbrapport",
        "--db",
        str(path),
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--format",
        "csv",
        "--out",
        str(csv_file),
    )
    assert written.exit_code == 0 and "Skrev" in written.output
    raw = csv_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    assert "Berusad;3;100 %" in raw.decode("utf-8-sig")
    assert b"Alva" not in raw and b"20100315" not in raw
    md = run(
        "report",
        "snabbrapport",
        "--db",
        str(path),
        "--from",
        "2026-11-01",
        "--format",
        "md",
        lang="en",
    )
    assert md.output.startswith("# Quick alcohol reports – follow-up")
    assert "| Numbers | Reports | 3 | 100 % |" in md.output


def test_bad_dates_are_named(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    _database(path)
    bad = run("report", "snabbrapport", "--db", str(path), "--from", "31/2")
    assert bad.exit_code == 1 and bad.stderr.startswith("--from:")
    backwards = run(
        "report",
        "snabbrapport",
        "--db",
        str(path),
        "--from",
        "2026-11-20",
        "--to",
        "2026-11-01",
        lang="en",
    )
    assert backwards.exit_code == 1 and "ends before it starts" in backwards.stderr
    chart = run(
        "report",
        "snabbrapport",
        "--db",
        str(path),
        "--from",
        "2026-09-01",
        "--to",
        "2026-11-30",
        "--monthly",
    )
    assert chart.output.splitlines()[0] == "2026-09   0"
    assert chart.output.splitlines()[2].endswith("█ 3")


def test_an_excel_workbook_opens_in_a_real_reader(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "r.db"
    _database(path)
    out = tmp_path / "stat.xlsx"
    result = run(
        "report", "snabbrapport", "--db", str(path), "--from", "1/11", "--compare-previous",
        "--format", "xlsx", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][2] == "2026-11-01 – 2026-11-30"
    reports = next(r for r in rows if r[1] == "Rapporter")
    assert reports[2:] == [3, 1, 1, 1]  # counts are numbers, shares fractions
    lob = next(r for r in rows if r[1] == "LOB")
    assert lob[2:] == [3, 1, 0, 0]
    row = 1 + rows.index(lob)
    assert sheet.cell(row, 4).number_format == "0 %"  # "100 %" as the CSV says, not 1
    assert sheet.cell(row, 3).number_format == "0"
    text = " ".join(str(c) for r in rows for c in r)
    assert "Alva" not in text and "20100315" not in text


def test_xlsx_needs_a_file(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    _database(path)
    result = CliRunner().invoke(
        cli.build_cli("sv"), ["report", "snabbrapport", "--db", str(path), "--format", "xlsx"]
    )
    assert result.exit_code == 2
    assert "--out" in result.output and "Traceback" not in result.output


def test_the_note_to_social_services_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    _database(path)
    out = tmp_path / "pm"
    out.mkdir()
    result = run(
        "report", "pm", "1", "2", "--db", str(path), "--out", str(out),
        "--reference", "Enligt överenskommelse dnr 2026/17",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (written,) = out.iterdir()
    assert "SEKRETESS" in written.name
    text = written.read_text(encoding="utf-8")
    assert "dnr 2026/17" in text and text.count("Alva Testsson") == 2
    with Store(path) as store:
        sent = [r["pm_sent_date"] for r in store.records("snabbrapport", order_by=("nr",))]
    today = datetime.now().date().isoformat()  # the command line runs on the real clock
    assert sent[:2] == [today, today] and sent[2:] == [None, None]
    missing = CliRunner().invoke(
        cli.build_cli("sv"), ["report", "pm", "99", "--db", str(path), "--out", str(out)]
    )
    assert missing.exit_code == 2 and "nr 99" in missing.output
