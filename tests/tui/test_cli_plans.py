"""``trygg import-plan`` and ``trygg report followup|promises|calendar`` on real files:
the Sollefteå plan read in, a column remapped, a dry run that saves nothing, and the
reports written where asked."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from click.testing import CliRunner, Result

from db.demo import SOLLEFTEA_PLAN_CSV, build_demo
from db.store import Store
from tui import cli

NOW = datetime(2026, 11, 22, 3, 0)


def run(*args: str, lang: str = "sv") -> Result:
    return CliRunner().invoke(cli.build_cli(lang), ["--lang", lang, *args], catch_exceptions=False)


def _database(path: Path, *, demo: bool = False) -> None:
    with Store(path, now=lambda: NOW) as store:
        store.set_up_device("Test", "kommun", "Sollefteå")
        if demo:
            build_demo(store, NOW.date())


def test_the_solleftea_plan_is_read_in_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    _database(path)
    dry = run("import-plan", "--db", str(path), str(SOLLEFTEA_PLAN_CSV), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Område" in dry.output and "Fokusområde" in dry.output
    assert "26 åtgärder i 6 fokusområden" in dry.output
    assert "Provkörning" in dry.output
    with Store(path) as store:
        assert store.count("measure") == 0
    result = run(
        "import-plan", "--db", str(path), str(SOLLEFTEA_PLAN_CSV),
        "--title", "Handlingsplan Sollefteå", "--from", "2026-01-01", "--to", "2028-12-31",
        "--column", "Ansvarig=partners",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Inläst: 26 åtgärder, 6 nya fokusområden" in result.output
    with Store(path) as store:
        (plan,) = store.records("plan")
        assert (plan["title"], plan["kommuner"], plan["start_date"]) == (
            "Handlingsplan Sollefteå",
            ["Sollefteå"],
            "2026-01-01",
        )
        measures = store.records("measure")
        assert all(m["responsible"] is None for m in measures)
        assert any(m["partners"] == "Polis, Kommun (BSN)" for m in measures)


def test_import_refusals_are_plain_words(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    _database(path)
    bad_column = run(
        "import-plan", "--db", str(path), str(SOLLEFTEA_PLAN_CSV), "--column", "Vem=goal"
    )
    assert bad_column.exit_code != 0
    assert "Okänd kolumn 'Vem'" in bad_column.output and "Traceback" not in bad_column.output
    no_activity = run(
        "import-plan", "--db", str(path), str(SOLLEFTEA_PLAN_CSV), "--column", "Aktivitet=none"
    )
    assert no_activity.exit_code != 0 and "Ingen kolumn är vald" in no_activity.output
    missing = run("import-plan", "--db", str(path), str(tmp_path / "saknas.xlsx"))
    assert missing.exit_code != 0 and "finns inte" in missing.output
    with Store(path) as store:
        assert store.count("plan") == 0


def test_plan_reports_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    _database(path, demo=True)
    out = tmp_path / "out"
    followup = run(
        "report", "followup", "--db", str(path), "--period", "2026-Q3", "--format", "xlsx",
        "--out", str(out),
    )  # fmt: skip
    assert followup.exit_code == 0, followup.output
    assert "(7 åtgärder)" in followup.output
    promises = run(
        "report", "promises", "--db", str(path), "--plan", "Lycksele", "--period", "2026-Q3",
        "--format", "md", "--out", str(out), lang="en",
    )  # fmt: skip
    assert promises.exit_code == 0, promises.output
    (md,) = out.glob("citizen-promises-*.md")
    assert "What we did:" in md.read_text(encoding="utf-8")
    calendar = run("report", "calendar", "--db", str(path), "--out", str(out))
    assert calendar.exit_code == 0, calendar.output
    assert len(list(out.glob("*.ics"))) == 1
    bad = run("report", "followup", "--db", str(path), "--period", "våren")
    assert bad.exit_code != 0 and "ingen uppföljningsperiod" in bad.output
    which = run("report", "followup", "--db", str(path), "--plan", "Finns inte")
    assert which.exit_code != 0 and "Vilken plan?" in which.output
