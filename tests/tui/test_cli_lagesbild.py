"""``trygg report lagesbild`` on a real database: the figures in the workbook against
counts this test makes itself, no personal data in any format, the map drawn from the
coordinates, and one clear sentence for a wrong municipality or period."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from db.lagesbild.periods import Period, last_quarter
from db.store import Store
from tests.db.lagesbild.test_picture import build, expected, hours_of
from tui import cli

NOW = datetime(2026, 11, 22, 1, 30)


def run(*args: str, lang: str = "sv") -> Result:
    return CliRunner().invoke(cli.build_cli(lang), ["--lang", lang, *args], catch_exceptions=False)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "l.db"
    with Store(path, now=lambda: NOW) as store:
        store.set_up_device("Samordnare", "kommun", "Lycksele")
        build(store)
    return path


#: What a quick report says about the person: none of it may reach the documents.
PERSONAL = ("Alva Testsson", "20100315-9801", "070-123 45 67", "Mamma hämtade")


def _with_personal_data(path: Path) -> None:
    with Store(path, now=lambda: NOW) as store:
        store.create(
            "snabbrapport",
            {
                "date": "2026-08-14",
                "time": "22:10",
                "place": "Torget",
                "kommun": "Lycksele",
                "name": PERSONAL[0],
                "personnummer": PERSONAL[1],
                "phone": PERSONAL[2],
                "ovrigt": PERSONAL[3],
                "drunk": True,
            },
        )


def _write(path: Path, out: Path, fmt: str, *extra: str) -> Path:
    result = run(
        "report", "lagesbild", "--db", str(path), "--kommun", "lycksele",
        "--from", "2026-07-01", "--to", "2026-09-30", "--format", fmt, "--out", str(out), *extra,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = sorted(out.glob(f"*.{fmt}"))[-1]
    assert str(written) in result.output
    return written


def test_the_workbook_holds_the_counts(database: Path, tmp_path: Path) -> None:
    written = _write(database, tmp_path / "docs", "xlsx")
    book = openpyxl.load_workbook(written)
    assert book.sheetnames == ["Sammanfattning", "Platser", "Veckodag och timme", "Åtgärder"]
    q3, q2 = (
        Period(date(2026, 7, 1), date(2026, 9, 30)),
        Period(date(2026, 4, 1), date(2026, 6, 30)),
    )
    with Store(database, now=lambda: NOW) as store:
        now, per_place = expected(store, "Lycksele", q3)
        before, _ = expected(store, "Lycksele", q2)
        hours = hours_of(store, "Lycksele", q3)
    summary = {row[0]: row[1:] for row in book["Sammanfattning"].iter_rows(values_only=True)}
    assert summary["Snabbrapporter"] == (now.reports, before.reports, now.reports - before.reports)
    assert summary["Berusade"][:2] == (now.drunk, before.drunk)
    assert summary["Öppna anmärkningar vid periodens slut"][:2] == (
        now.open_findings,
        before.open_findings,
    )
    assert summary["Försenade anmärkningar vid periodens slut"][0] == now.overdue_findings
    share = summary["Berusade, andel av snabbrapporterna"][0]
    assert share == pytest.approx(now.drunk / now.reports)
    places = list(book["Platser"].iter_rows(values_only=True))
    header = places[0]
    torget = next(row for row in places[1:] if row[1] == "Torget")
    assert torget[header.index("Snabbrapporter")] == per_place["torget"]["reports"]
    assert torget[header.index("Öppna anm.")] == per_place["torget"]["open_findings"]
    assert [row[0] for row in places[1:]] == list(range(1, len(places)))
    grid = [row for row in book["Veckodag och timme"].iter_rows(values_only=True)][1:]
    assert [list(row[2:26]) for row in grid[:7]] == hours
    assert [row[26] for row in grid[:7]] == [sum(day) for day in hours]


def test_no_personal_data_in_any_format(database: Path, tmp_path: Path) -> None:
    _with_personal_data(database)
    for fmt in ("xlsx", "html", "md"):
        written = _write(database, tmp_path / fmt, fmt)
        if fmt == "xlsx":
            with zipfile.ZipFile(written) as z:
                text = "".join(z.read(name).decode("utf-8") for name in z.namelist()
                               if name.endswith(".xml"))  # fmt: skip
        else:
            text = written.read_text(encoding="utf-8")
        assert "Torget" in text
        for value in PERSONAL:
            assert value not in text, (fmt, value)


def test_the_printable_page_draws_the_map_from_the_coordinates(
    database: Path, tmp_path: Path
) -> None:
    written = _write(database, tmp_path / "docs", "html")
    page = written.read_text(encoding="utf-8")
    assert page.count("<svg") == 1 and "http" not in page.split("<svg", 1)[1].split(">", 1)[1]
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    # One numbered mark per place with coordinates (four of the Lycksele places have them).
    assert svg.count("<circle") == 4
    assert "<title>Torget</title>" in svg
    assert "Lägesbild Lycksele – kvartal 3 2026" in page
    assert "kvartal 2 2026 (2026-04-01 – 2026-06-30)" in page


def test_against_the_same_quarter_a_year_before_in_english(database: Path, tmp_path: Path) -> None:
    result = run(
        "report", "lagesbild", "--db", str(database), "--kommun", "Lycksele", "--from",
        "2026-07-01", "--to", "2026-09-30", "--compare", "year", "--format", "md", "--out",
        str(tmp_path), lang="en",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    assert "# Joint picture Lycksele – quarter 3 2026" in text
    assert "quarter 3 2025 (2025-07-01 – 2025-09-30)" in text


def test_by_default_the_last_whole_quarter_of_the_devices_municipality(
    database: Path, tmp_path: Path
) -> None:
    result = run("report", "lagesbild", "--db", str(database), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    quarter = last_quarter(date.today())
    (written,) = tmp_path.glob("*.html")
    assert written.name == f"Lägesbild-Lycksele-{quarter.start}-{quarter.end}.html"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--kommun", "Lyksele"), "Ingen kommun heter 'Lyksele' – menar du Lycksele?"),
        (("--from", "2026-10-10", "--to", "2026-10-01"), "Perioden slutar (2026-10-01)"),
        (("--from", "snart"), "--from"),
    ],
)
def test_a_wrong_municipality_or_period_is_one_sentence(
    database: Path, tmp_path: Path, args: tuple[str, ...], words: str
) -> None:
    out = tmp_path / "docs"
    result = run("report", "lagesbild", "--db", str(database), "--out", str(out), *args)
    assert result.exit_code == 1
    assert words in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_device_without_a_municipality_is_asked_to_name_one(
    database: Path, tmp_path: Path
) -> None:
    """It said "Ingen kommun heter ''." (a device the first-run screen set up without a
    default municipality)."""
    with Store(database, now=lambda: NOW) as store:
        store.update_device(kommun=None)
    out = tmp_path / "ut"
    refused = run("report", "lagesbild", "--db", str(database), "--out", str(out))
    assert refused.exit_code == 2
    assert "Ange kommunen med --kommun: enheten har ingen standardkommun." in refused.stderr
    assert not out.exists()
    english = run("report", "lagesbild", "--db", str(database), lang="en")
    assert "Name the municipality with --kommun" in english.stderr
    named = run(
        "report", "lagesbild", "--db", str(database), "--kommun", "Lycksele", "--out", str(out)
    )
    assert named.exit_code == 0 and "Lycksele" in named.output
