"""The application shell, driven with the keyboard through Textual's Pilot."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import DataTable, Footer, Static

from db.migrations import SCHEMA_VERSION
from db.store import Store
from screens.device_setup import SetupScreen
from screens.help import HelpScreen
from screens.overview import OverviewScreen
from tests.conftest import open_store, walk_fields
from tui.app import TryggApp

NASTY = "Bil [bold]12[/] [@click=app.quit]x[/] [/"


def shown(app: TryggApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_first_run_asks_who_the_device_is(db_path: Path) -> None:
    app = TryggApp(db_path, "sv")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        await pilot.press("ctrl+s")  # save with nothing typed
        await pilot.pause()
        assert "måste fyllas i" in shown(app, "#form-error")
        await pilot.press(*NASTY)
        await pilot.press("enter")  # on to the organisation
        await pilot.press("1")  # Polis, and on to the municipality
        await pilot.press(*"Åsele")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        assert shown(app, "#home-device") == f"Enhet: {NASTY} · Polis · Åsele"
        assert app.is_running  # the [@click=app.quit] in the name did nothing
    with Store(db_path) as store:
        device = store.require_device()
        assert (device.name, device.org, device.kommun) == (NASTY, "polis", "Åsele")


async def test_first_run_asks_for_the_municipality_as_trygg_init_does(db_path: Path) -> None:
    """Enter straight after the organisation's key (which moved on to the municipality)
    saved a device without one: every quick report and the lägesbild then started from
    an empty municipality ("Ingen kommun heter ''"), and what was typed next fell on the
    overview as keys."""
    app = TryggApp(db_path, "sv")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"Polis 2", "enter", "2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert shown(app, "#form-error") == "Standardkommun: måste fyllas i"
        # Esc leaves nothing here; the way out is on the screen.
        await pilot.press("escape")
        assert isinstance(app.screen, SetupScreen)
        assert "Ctrl+Q = avsluta" in shown(app, ".form-keys")
        assert app.focused is app.screen.query_one("#setup-kommun")
        await pilot.press(*"Alvesta", "enter")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
    with Store(db_path) as store:
        assert store.require_device().kommun == "Alvesta"


async def test_first_run_form_moves_on_with_enter_and_takes_the_organisation_by_key(
    db_path: Path,
) -> None:
    """Enter moves through the first-run form like every form: the organisation is one
    key (2 = Kommun), and Enter on it moves on instead of opening a list that swallows
    the municipality typed next (it did with the dropdown). Neither is taken unless it
    is answered: no organisation preselected, a municipality that is one."""
    app = TryggApp(db_path, "sv")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        await pilot.press(*"Brå Lycksele", "enter")
        await pilot.press("enter")  # no organisation chosen: on, and asked for at the save
        await pilot.press(*"Storum", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert shown(app, "#form-error") == ("Organisation: välj ett av svaren (tryck dess siffra)")
        # The cursor is on the field to put right, as in every form.
        assert app.focused is app.screen.query_one("#setup-org")
        await pilot.press("2")  # Kommun, and on to the municipality
        await pilot.press("enter")
        await pilot.pause()
        # Not a municipality: every quick report would have been refused ("Storum" was
        # taken, and each F5 then started with it).
        assert shown(app, "#form-error") == (
            "Standardkommun: ingen kommun heter 'Storum' – menar du Storuman?"
        )
        await pilot.press("ctrl+u", *"lycksele", "enter")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
    with Store(db_path) as store:
        device = store.require_device()
        assert (device.name, device.org, device.kommun) == ("Brå Lycksele", "kommun", "Lycksele")


async def test_overview_counts_and_quit(db_path: Path) -> None:
    with open_store(db_path) as store:
        store.create("walk", walk_fields())
    app = TryggApp(db_path, "sv")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#home-figures", DataTable)
        assert [str(c) for c in table.get_row("walks")] == ["Trygghetsvandringar", "1", "[v]"]
        assert str(table.get_row("oppna")[1]) == "0"
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not app.is_running
    assert app.return_code == 0


async def test_help_lists_the_keys_of_the_screen(db_path: Path) -> None:
    open_store(db_path).close()
    app = TryggApp(db_path, "sv")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        actions = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert {"Hjälp", "Avsluta", "Kommandon"} <= actions
        # The app-wide keys too (judged as if the key list were not on top, it listed
        # none of them: no F2–F9, no v, no ctrl+z).
        assert {"Vandringar", "Ny snabbrapport", "Snabbrapporter", "Synk", "Ångra"} <= actions
        assert not any("Scroll" in a for a in actions)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_english_interface(db_path: Path) -> None:
    open_store(db_path).close()
    app = TryggApp(db_path, "en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert shown(app, "#home-device").startswith("Device: Testenhet · Police")
        footer_keys = {a.binding.description for a in app.screen.active_bindings.values()}
        assert {"Quit", "Help"} <= footer_keys
        assert app.screen.query_one(Footer) is not None


async def test_bindings_have_ids_for_keymaps(db_path: Path) -> None:
    open_store(db_path).close()
    app = TryggApp(db_path, "sv")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        ours = [
            active.binding
            for active in app.screen.active_bindings.values()
            if active.binding.description
            and active.binding.action in {"quit", "help", "command_palette"}
        ]
        assert ours and all(b.id for b in ours)
        app.set_keymap({"quit": "ctrl+x"})
        await pilot.pause()
        await pilot.press("ctrl+x")
        await pilot.pause()
    assert not app.is_running


async def test_a_database_from_a_newer_trygg_closes_with_a_sentence(db_path: Path) -> None:
    open_store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    app = TryggApp(db_path, "sv")
    async with app.run_test() as pilot:
        await pilot.pause()
    assert not app.is_running


async def test_the_palette_speaks_swedish_and_switches_theme(db_path: Path) -> None:
    open_store(db_path).close()
    app = TryggApp(db_path, "sv")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles[:3] == ["Hjälp – visa tangenterna", "Vandringar", "Ny vandring"]
        assert {"Öppna", "Försenade", "Översikt", "Byt till ljust tema", "Avsluta"} <= set(titles)
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"ljust")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "textual-light"


async def test_the_palette_finds_and_runs_the_app_wide_commands(db_path: Path) -> None:
    # Opened, the palette itself was the top screen, a dialog, under which the app's
    # keys (F2–F9, ctrl+z) count as off: "snab" found nothing (cold test).
    from screens.report_list import ReportListScreen

    open_store(db_path).close()
    app = TryggApp(db_path, "sv")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"snabbrapporter")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReportListScreen)


@pytest.mark.parametrize("lang", ["sv", "en"])
async def test_the_palette_names_each_command_once(db_path: Path, lang: str) -> None:
    # F1 and ? both show the keys, and the overview's l and the app's own command both
    # open the lägesbild: one command each, not "Hjälp" beside "Hjälp – visa tangenterna"
    # (nor, in English, "Joint picture" beside "Joint picture (lägesbild)").
    from screens.lagesbild import LagesbildScreen

    open_store(db_path).close()
    app = TryggApp(db_path, lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles)), titles
        picture = {"sv": "Lägesbild", "en": "Joint picture"}[lang]
        assert "Hjälp" not in titles and titles.count(picture) == 1
        assert not any(title.startswith(picture + " ") for title in titles)
        await pilot.press("l")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, LagesbildScreen)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles)), titles
        assert titles.count({"sv": "Sök plats", "en": "Find place"}[lang]) == 1


@pytest.mark.parametrize(
    ("lang", "prompt", "nothing"),
    [
        ("sv", "Sök bland kommandona …", "Inget kommando heter så"),
        ("en", "Search for commands …", "No command is called that"),
    ],
)
async def test_the_palette_prompts_and_finds_nothing_in_the_interface_language(
    db_path: Path, lang: str, prompt: str, nothing: str
) -> None:
    from textual.command import CommandInput, CommandList

    open_store(db_path).close()
    app = TryggApp(db_path, lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.query_one(CommandInput).placeholder == prompt
        await pilot.press(*"zqxw")
        await pilot.pause(0.8)  # the palette says so after half a second of nothing
        options = app.screen.query_one(CommandList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(nothing in text for text in shown), shown


def test_the_screens_one_key_away_are_imported_after_the_first_paint(db_path: Path) -> None:
    """Start-up imports no section screen (the overview draws sooner); once it is drawn,
    the screens of F3–F9 and the forms of F5 and F7 are imported in the background, so
    the first of those keys does not wait for an import. A fresh interpreter, as at
    start-up."""
    import subprocess
    import sys

    open_store(db_path).close()
    script = (
        "import asyncio, sys\n"
        "from pathlib import Path\n"
        "from tui.app import TryggApp\n"
        "WANTED = ('screens.report_list', 'screens.walk_list', 'screens.plan_list',\n"
        "          'screens.sync', 'screens.report_form', 'screens.progress_form')\n"
        "def held():\n"
        "    return [m for m in WANTED if m in sys.modules]\n"
        "async def main():\n"
        "    app = TryggApp(Path(sys.argv[1]), 'sv')\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        # The warm-up worker starts after the first paint, which a loaded machine may
        # not have reached when the first wait returns: up to ten seconds for it.
        "        for _ in range(100):\n"
        "            await app.workers.wait_for_complete()\n"
        "            await pilot.pause(0.1)\n"
        "            if len(held()) == len(WANTED):\n"
        "                break\n"
        "        print(held())\n"
        "asyncio.run(main())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(db_path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == str(
        [
            "screens.report_list",
            "screens.walk_list",
            "screens.plan_list",
            "screens.sync",
            "screens.report_form",
            "screens.progress_form",
        ]
    )


def test_start_up_imports_nothing_slow_it_does_not_need(db_path: Path) -> None:
    """Until the first screen is drawn, nothing imports the signing and encryption
    libraries (cryptography, pyrage: the overview's count imported them through the
    exporter, in a thread competing with the drawing), the command line's progress bars,
    or the recurrence rules of measures. A fresh interpreter, as at start-up."""
    import subprocess
    import sys

    open_store(db_path).close()
    script = (
        "import asyncio, sys\n"
        "from pathlib import Path\n"
        "import tui.cli  # as the trygg command starts\n"
        "from tui.app import TryggApp\n"
        "SLOW = ('cryptography', 'pyrage', 'rich.progress', 'dateutil.rrule',\n"
        "        'db.sync.exporter')\n"
        "seen = []\n"
        "painted = TryggApp._after_first_paint\n"
        "def watched(self):\n"
        "    seen.append([m for m in SLOW if m in sys.modules])\n"
        "    painted(self)\n"
        "TryggApp._after_first_paint = watched\n"
        "async def main():\n"
        "    app = TryggApp(Path(sys.argv[1]), 'sv')\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.pause()\n"
        "        await app.workers.wait_for_complete()\n"
        "    print(seen)\n"
        "asyncio.run(main())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(db_path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[[]]"


def test_the_overview_names_the_exporters_settings() -> None:
    """The overview reads two of the exporter's settings without importing it."""
    from db import overview
    from db.sync import exporter

    assert (overview.LAST_EXPORT, overview.SENT_UPTO) == (exporter.LAST_EXPORT, exporter.SENT_UPTO)
