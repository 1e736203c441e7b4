"""The change history on screen (h on a list row): per write its author and whether it is
proved theirs; an older file's changes shown as not proved; personal values never shown."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from db.protect.keys import own_secrets
from screens.record_history import RecordHistoryModal
from screens.walk_list import WalkListScreen
from tests.conftest import open_store, report_fields, walk_fields
from tests.db.sync.forge import read_bundle, write_format_2
from tests.screens.test_reports import app_for, open_list, settle
from tests.tui.test_cli_authenticity import export, imported, init


def _shown(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, RecordHistoryModal)
    return str(screen.query_one("#history-text", Static).render())


async def history_at(pilot: Pilot[Any], report: str) -> str:
    """The history of ``report``, opened with h on the quick-report list."""
    await open_list(pilot, at=report)
    await pilot.press("h")
    await pilot.pause()
    return _shown(pilot.app)


async def test_a_quick_report_history_names_its_author_and_hides_the_person(
    db_path: Path,
) -> None:
    with open_store(db_path, name="Kommunpolis Lycksele") as store:
        report = store.create("snabbrapport", report_fields())
        store.update("snabbrapport", report, {"place": "[@click=app.quit]Buss[/]"})
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        shown = await history_at(pilot, report)
        assert "Kommunpolis Lycksele" in shown and "styrkt" in shown
        assert "ej styrkt" not in shown
        # Both writes, newest first; a value that looks like markup shown as typed.
        assert "[@click=app.quit]Buss[/]" in shown and "Torget" in shown
        assert shown.index("Buss") < shown.index("Torget")
        assert "Alva Testsson" not in shown  # the person's name never on this screen
        assert "personuppgift" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RecordHistoryModal)


async def test_an_erased_report_history_says_so_in_words(db_path: Path) -> None:
    """Gallring in the history reads as a sentence, not as "_erased: {'date': …}"."""
    with open_store(db_path) as store:
        report = store.create("snabbrapport", report_fields())
        store.erase_personal("snabbrapport", report)
        today = store.now().date().isoformat()
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        shown = await history_at(pilot, report)
    assert f"Personuppgifterna gallrades {today}." in shown
    assert "_erased" not in shown


async def test_an_older_files_changes_are_shown_unproved(tmp_path: Path) -> None:
    old_db = init(tmp_path / "old.db", "Gammal")
    with open_store(old_db) as store:
        store.create("walk", walk_fields(area="Förr"))
        secret = own_secrets(store.conn).signing_key  # type: ignore[union-attr]
    manifest, rows = read_bundle(export(old_db, tmp_path / "new.trygg"))
    old = write_format_2(tmp_path / "old.trygg", replace(manifest, chains=()), rows, secret)
    here = init(tmp_path / "here.db", "Här")
    imported(here, old)
    app = app_for(here)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, WalkListScreen)
        await pilot.press("h")
        await pilot.pause()
        shown = _shown(app)
        assert "Gammal" in shown and "ej styrkt (äldre fil)" in shown


async def test_h_on_an_empty_list_says_there_is_no_history(db_path: Path) -> None:
    with open_store(db_path):
        pass
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert not isinstance(app.screen, RecordHistoryModal)
        assert any("ingen historik" in n.message for n in app._notifications)
