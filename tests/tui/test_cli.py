"""The command line, driven as a person would, on real database files."""

from __future__ import annotations

import importlib
import json
import pkgutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from db.database import resolve_path
from db.migrations import SCHEMA_VERSION
from db.records import TYPE_NAMES
from db.store import Store
from tests.conftest import open_store, report_fields, walk_fields
from tui import cli
from tui.cli import common, records


def run(*args: str, lang: str = "sv") -> Result:
    return CliRunner().invoke(cli.build_cli(lang), list(args), catch_exceptions=False)


@pytest.fixture(autouse=True)
def _no_tui(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    opened: list[Path] = []
    monkeypatch.setattr(common, "run_app", opened.append)
    return opened


def test_init_creates_a_database(db_path: Path) -> None:
    result = run("--db", str(db_path), "init", "--name", "Bil 12", "--kommun", "Åsele",
                 "--org", "polis")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "är skapad för Bil 12 (Polis, Åsele)" in result.output
    with Store(db_path) as store:
        device = store.require_device()
        assert (device.name, device.org, device.kommun) == ("Bil 12", "polis", "Åsele")
    again = run("init", "--db", str(db_path), "--name", "X", "--kommun", "Y", "--org", "kommun")
    assert again.exit_code == 1
    assert again.stderr.strip() == f"Databasen {db_path} är redan konfigurerad."


def test_init_with_a_bad_name_leaves_no_file(db_path: Path) -> None:
    result = run("--lang", "en", "init", "--db", str(db_path), "--name", " ", "--kommun", "Y",
                 "--org", "kommun", lang="en")  # fmt: skip
    assert result.exit_code == 1
    assert "is required" in result.stderr
    assert not db_path.exists()


def test_init_with_a_municipality_that_is_none_leaves_no_file(db_path: Path) -> None:
    result = run("init", "--db", str(db_path), "--name", "Bil 12", "--kommun", "Storum",
                 "--org", "polis")  # fmt: skip
    assert result.exit_code == 1
    assert (
        result.stderr.strip() == "Standardkommun: ingen kommun heter 'Storum' – menar du Storuman?"
    )
    assert not db_path.exists()
    result = run("init", "--db", str(db_path), "--name", "Bil 12", "--kommun", "storuman",
                 "--org", "polis")  # fmt: skip
    assert "är skapad för Bil 12 (Polis, Storuman)" in result.output


def test_demo_then_export_lists_every_type(tmp_path: Path, _no_tui: list[Path]) -> None:
    demo = tmp_path / "demo.db"
    result = run("demo", "--db", str(demo))
    assert result.exit_code == 0, result.output
    assert _no_tui == [demo]  # the app is opened on the demo file
    exported = run("records", "export", "--db", str(demo))
    types = {json.loads(line)["type"] for line in exported.output.splitlines()}
    assert types == set(TYPE_NAMES)
    first_ids = exported.output
    # Made anew each time.
    assert run("demo", "--db", str(demo), "--no-tui").exit_code == 0
    assert run("records", "export", "--db", str(demo)).output != first_ids


def test_demo_without_db_goes_beside_the_default_database(_no_tui: list[Path]) -> None:
    result = run("demo", "--no-tui")
    assert result.exit_code == 0, result.output
    assert _no_tui == []
    lines = result.output.splitlines()
    path = Path(lines[0].split(": ", 1)[1].strip())
    assert path.name == "trygg-demo.db" and path.exists()
    assert path.parent == resolve_path(None).parent
    # The Sollefteå plan lies beside it, to try the plan import with.
    plan_file = Path(lines[1].split(": ", 1)[1].strip())
    assert plan_file.name == "solleftea-handlingsplan.xlsx" and plan_file.exists()


def test_demo_never_overwrites_a_real_database(store: Store) -> None:
    store.create("walk", walk_fields())
    before = run("records", "export", "--db", str(store.path)).output
    result = run("demo", "--db", str(store.path), "--no-tui")
    assert result.exit_code == 1
    assert "ingen demodatabas" in result.stderr
    assert run("records", "export", "--db", str(store.path)).output == before


def test_export_to_a_file_and_import_elsewhere(tmp_path: Path) -> None:
    demo = tmp_path / "demo.db"
    run("demo", "--db", str(demo), "--no-tui")
    out = tmp_path / "poster.jsonl"
    result = run("records", "export", "--db", str(demo), "--out", str(out))
    assert result.exit_code == 0
    assert "poster exporterade till" in result.stderr
    assert not list(tmp_path.glob(".*.tmp"))
    target = tmp_path / "target.db"
    run("init", "--db", str(target), "--name", "Samordnare", "--kommun", "Åsele", "--org",
        "kommun")  # fmt: skip
    imported = run("records", "import", str(out), "--db", str(target))
    assert imported.exit_code == 0, imported.output
    assert imported.output.startswith("Importerat: ")
    again = run("records", "export", "--db", str(target))
    assert again.output == out.read_text(encoding="utf-8")


def test_export_only_some_types(tmp_path: Path) -> None:
    demo = tmp_path / "demo.db"
    run("demo", "--db", str(demo), "--no-tui")
    result = run("records", "export", "--db", str(demo), "--type", "walk", "--type", "owner")
    assert {json.loads(x)["type"] for x in result.output.splitlines()} == {"walk", "owner"}


def test_a_bad_import_lists_each_problem_and_changes_nothing(store: Store, tmp_path: Path) -> None:
    store.create("walk", walk_fields())
    before = run("records", "export", "--db", str(store.path)).output
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps({"type": "place", "name": "Torget"})
        + "\n"
        + json.dumps({"type": "snabbrapport", **report_fields(personnummer="20100315-9802")})
        + "\n"
    )
    result = run("records", "import", str(bad), "--db", str(store.path))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert (
        lines[0] == "rad 2: P-nr (personnummer): kontrollsiffran stämmer inte – kontrollera numret"
    )
    assert lines[-1] == "1 fel – inget har importerats."
    assert run("records", "export", "--db", str(store.path)).output == before
    english = run("--lang", "en", "records", "import", str(bad), "--db", str(store.path), lang="en")
    assert "line 2: Personnummer (personnummer): the check digit does not match" in english.stderr


def test_log_hides_personal_data_unless_asked(store: Store) -> None:
    report = store.create("snabbrapport", report_fields())
    hidden = run("log", report, "--db", str(store.path))
    assert hidden.exit_code == 0
    assert "Testenhet · Snabbrapport alkohol" in hidden.output
    assert "20100315-9801" not in hidden.output and "Alva" not in hidden.output
    assert "P-nr: (personuppgift dold)" in hidden.output
    assert "Ålder: 16" in hidden.output
    shown = run("log", report, "--db", str(store.path), "--show-personal")
    assert "P-nr: 20100315-9801" in shown.output


def test_log_tells_an_erasure_and_a_deletion_in_words(store: Store) -> None:
    """The journal's markers read as sentences (gallring printed "_erased: {'date': …}")."""
    report = store.create("snabbrapport", report_fields())
    assert store.erase_personal("snabbrapport", report)
    store.delete("snabbrapport", report)
    today = store.now().date().isoformat()
    swedish = run("log", report, "--db", str(store.path)).output
    assert f"    Personuppgifterna gallrades {today}.\n" in swedish
    assert "    (borttagen)\n" in swedish
    assert "_erased" not in swedish and "_deleted" not in swedish
    english = run("--lang", "en", "log", report, "--db", str(store.path), lang="en").output
    assert f"    Personal data erased {today}.\n" in english and "    (deleted)\n" in english


def test_log_of_an_unknown_record(store: Store) -> None:
    result = run("log", "01a200bc-0000-7000-8000-000000000000", "--db", str(store.path))
    assert result.exit_code == 1
    assert "finns inte" in result.stderr


def test_log_shows_escape_sequences_harmlessly(store: Store) -> None:
    store.create("walk", walk_fields(notes="\x1b[2J\x1b[31mröd[/]"))
    result = run("log", "--db", str(store.path))
    assert "\x1b" not in result.output
    assert "␛[2J␛[31mröd[/]" in result.output


def test_a_newer_database_is_refused_in_one_sentence(db_path: Path) -> None:
    open_store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    result = run("records", "export", "--db", str(db_path))
    assert result.exit_code == 1
    assert "nyare version av Trygg" in result.stderr
    assert "Traceback" not in result.stderr + result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unexpected_error_is_one_sentence_without_debug(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(records, "export_records", broken)
    result = run("records", "export", "--db", str(store.path))
    assert result.exit_code == common.EXIT_UNEXPECTED
    assert result.stderr.strip() == (
        "Ett oväntat fel inträffade (RuntimeError). Kör igen med --debug för detaljer."
    )
    with pytest.raises(RuntimeError):
        run("--debug", "records", "export", "--db", str(store.path))


def test_missing_device_setup_is_explained(db_path: Path) -> None:
    Store(db_path).close()
    bad = db_path.parent / "x.jsonl"
    bad.write_text(json.dumps({"type": "place", "name": "Torget"}))
    result = run("records", "import", str(bad), "--db", str(db_path))
    assert result.exit_code == 1
    assert "trygg init" in result.stderr


def test_trygg_alone_opens_the_app_on_the_default_database(_no_tui: list[Path]) -> None:
    result = run()
    assert result.exit_code == 0
    assert _no_tui == [resolve_path(None)]


def test_help_speaks_the_chosen_language() -> None:
    assert "Användning:" in run("--help").output
    english = CliRunner().invoke(cli.build_cli("en"), ["--help"])
    assert "Usage:" in english.output and "Show this message and exit." in english.output
    assert cli._language_from_argv(["--lang", "en", "log"]) == "en"
    assert cli._language_from_argv(["--lang=en"]) == "en"


def test_opening_the_app_imports_no_command_module(db_path: Path) -> None:
    """``trygg`` alone opens the app: no command's module (sync, reports, plans,
    protection …) and nothing only they need (calendars, spreadsheets) is imported on the
    way to its first screen. A fresh interpreter, as at start-up, with the app itself
    replaced by a stub at the moment it would open."""
    Store(db_path).close()
    script = (
        "import sys\n"
        "import tui.app\n"
        "opened = []\n"
        "tui.app.run_app = lambda path, *args, **kwargs: opened.append(path)\n"
        "from tui.cli import main\n"
        "try:\n"
        f"    main(['--db', {str(db_path)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "assert opened, 'the app was not opened'\n"
        # click_words: a usage mistake in ``trygg --bogus`` is told in Swedish too.
        "wanted = {'tui.cli', 'tui.cli.common', 'tui.cli.click_words'}\n"
        "slow = ('icalendar', 'xlsxwriter', 'db.sync.merge', 'db.reports.calendar')\n"
        "print(sorted(m for m in sys.modules\n"
        "             if (m.startswith('tui.cli') and m not in wanted) or m in slow))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def _reachable(
    command: click.Command, ctx: click.Context, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command under ``command`` (itself first), with the names that lead to it."""
    yield path, command
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            found = command.get_command(ctx, name)
            assert found is not None and found.name == name, name
            yield from _reachable(found, click.Context(found, parent=ctx), (*path, name))


def test_every_command_module_is_reachable_from_trygg() -> None:
    """The commands are module-level click commands in ``tui.cli``'s modules, found by
    name when looked up: each name leads to the command of that name, and no command
    defined in a module is left out of ``trygg``."""
    root = cli.build_cli("sv")
    reachable = [command for _path, command in _reachable(root, click.Context(root))]
    defined = [
        value
        for module in pkgutil.iter_modules(cli.__path__, "tui.cli.")
        for value in vars(importlib.import_module(module.name)).values()
        if isinstance(value, click.Command)
    ]
    assert len(defined) > 20
    assert [d.name for d in defined if not any(c is d for c in reachable)] == []
    listed = run("--help").output
    assert [name for name in cli.COMMANDS if f"  {name} " not in listed] == []


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_help_text_is_translated_when_shown(lang: str) -> None:
    """Help texts are catalogue keys, turned into the chosen language when help is shown:
    no key shows through, on any command or option, and each is in ``lang``."""
    root = cli.build_cli(lang)
    for path, _command in _reachable(root, click.Context(root)):
        shown = run("--lang", lang, *path, "--help", lang=lang).output
        assert "cli." not in shown, (path, shown)
        assert ("Användning:" in shown) == (lang == "sv"), (path, shown)
        if lang == "sv":  # click's own bracketed words too ("[required]", "[default: 50]")
            assert "required]" not in shown and "default:" not in shown, (path, shown)
    listed = run("--lang", lang, "--help", lang=lang).output
    init = {"sv": "Skapa och konfigurera en ny databas", "en": "Create and set up a new database"}
    assert init[lang] in listed
    db_help = {"sv": "Databasfil (annars TRYGG_DB", "en": "Database file (else TRYGG_DB"}
    assert db_help[lang] in run("--lang", lang, "log", "--help", lang=lang).output
    marks = {"sv": ("[måste anges]", "[standard: 50;"), "en": ("[required]", "[default: 50;")}
    for command, mark in zip(("init", "log"), marks[lang], strict=True):
        shown = " ".join(run("--lang", lang, command, "--help", lang=lang).output.split())
        assert mark in shown, (command, shown)
    # an option's help with its parameters filled in
    column = run("--lang", lang, "import-plan", "--help", lang=lang).output
    assert "goal_kind" in column and "{targets}" not in column
