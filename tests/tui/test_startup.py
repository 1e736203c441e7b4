"""Start-up does only what the first screen needs: the modules made lazy for it must not
come back into the path from ``trygg`` to the overview (each cost start-up time), and the
garbage collection paused for it comes back once the first screen is drawn."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

from db.store import Store
from screens.overview import OverviewScreen
from tui.app import TryggApp
from tui.cli import app_options

#: Imported by start-up before the first paint: the entry point, the app, the overview.
ENTRY = "import tui.cli, tui.app, screens.overview"
#: Not needed before the first paint: the migrations (only a file that is not up to date
#: runs them), the overview's counting (in a worker, after the first paint), the command
#: line's machinery (``trygg`` alone opens the app without it).
LAZY = (
    "db.migrations.m0001_initial",
    "db.migrations.m0013_report_tally",
    "db.overview",
    "click",
    "tui.cli.root",
    "tui.cli.common",
)


def _imported(code: str, cwd: Path) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=cwd, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_entry_point_imports_nothing_the_first_screen_does_without(tmp_path: Path) -> None:
    modules = _imported(ENTRY, Path(__file__).resolve().parents[2])
    assert "tui.app" in modules and "screens.overview" in modules  # the check sees them
    assert not modules & set(LAZY)


def _opened_with(args: list[str], tmp_path: Path, **environ: str) -> list[object]:
    """What ``trygg ARGS`` (a real process) handed the app, and whether click was loaded
    by then; the app itself stood in for by a note of its arguments."""
    script = (
        "import json, sys, tui.app\n"
        "def run_app(path, lang, *, debug=False):\n"
        "    print(json.dumps([str(path), lang, debug, 'click' in sys.modules]))\n"
        "tui.app.run_app = run_app\n"
        "from tui.cli import main\n"
        f"main({args!r})\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "TRYGG_LANG": "", "TRYGG_DB": "", **environ},
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_trygg_alone_opens_the_app_without_loading_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    assert _opened_with(["--db", db], tmp_path) == [db, "sv", False, False]
    assert _opened_with([f"--db={db}", "--lang", "en", "--debug"], tmp_path) == [
        db, "en", True, False,
    ]  # fmt: skip
    assert _opened_with([], tmp_path, TRYGG_DB=db, TRYGG_LANG="en") == [db, "en", False, False]


def test_what_the_group_would_refuse_is_left_to_it(tmp_path: Path) -> None:
    """A command, help, a language or a database file the group would refuse: parsed by
    the group, which says what is wrong, as before."""
    db = str(tmp_path / "a.db")
    for args, environ in (
        (["--db", db, "--help"], {}),
        (["--db", db, "log"], {}),
        (["--lang", "fr"], {}),
        (["--lang", "EN"], {}),
        ([], {"TRYGG_LANG": "fr"}),
        (["--db", str(tmp_path)], {}),
        ([], {"TRYGG_DB": str(tmp_path)}),
        (["--db"], {}),
        (["--db="], {}),
        (["--db", ""], {}),
        (["--"], {}),
    ):
        assert app_options(args, {**environ}) is None, (args, environ)
    assert app_options(["--db", db, "--db", "b.db"], {}) == ("b.db", None, False)


def test_a_file_that_is_no_database_is_refused_in_a_sentence_without_the_group(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "brev.db"
    bad.write_text("Hej! Det här är inget.")
    done = subprocess.run(
        [sys.executable, "-c", "from tui.cli import main; main()", "--db", str(bad)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "TRYGG_LANG": ""},
    )
    assert done.returncode == 1
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert str(bad) in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_opening_an_up_to_date_file_imports_no_migration(tmp_path: Path) -> None:
    path = tmp_path / "trygg.db"
    Store(path).close()
    modules = _imported(
        f"from db.store import Store\nStore({str(path)!r}).close()",
        Path(__file__).resolve().parents[2],
    )
    assert "db.store" in modules
    assert not [m for m in modules if m.startswith("db.migrations.m0")]


async def test_garbage_collection_paused_for_start_up_comes_back(tmp_path: Path) -> None:
    path = tmp_path / "trygg.db"
    with Store(path) as store:
        store.set_up_device("Bänk", "polis", "Lycksele")
    gc.disable()  # as run_app does
    try:
        app = TryggApp(path, "sv")
        async with app.run_test() as pilot:
            await pilot.pause()
            assert isinstance(app.screen, OverviewScreen)
            assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_an_empty_database_name_is_refused_not_taken_for_the_default(tmp_path: Path) -> None:
    """``--db ""`` (a variable that was empty) opened the default database, creating it."""
    data = tmp_path / "data"
    for args in (["--db", ""], ["--db="], ["log", "--db", ""]):
        done = subprocess.run(
            [sys.executable, "-c", "import sys; from tui.cli import main; main(sys.argv[1:])",
             *args],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
            env={**os.environ, "TRYGG_LANG": "", "TRYGG_DB": "", "XDG_DATA_HOME": str(data),
                 "HOME": str(tmp_path)},
        )  # fmt: skip
        assert done.returncode == 2, (args, done)
        assert "ange en fil, inte en tom text" in done.stderr, (args, done.stderr)
    assert not data.exists() and not (tmp_path / ".local").exists()
