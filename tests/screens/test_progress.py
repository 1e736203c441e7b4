"""Logging progress on a measure from any screen (F7), by keyboard, on a real file."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from db.store import Store
from screens.progress_form import ProgressFormScreen
from tests.conftest import NOW, open_store
from tests.screens.test_reports import settle
from tui.app import TryggApp


def _plan(path: Path) -> dict[str, str]:
    with open_store(path) as store:
        plan = store.create("plan", {"title": "Trygg i Lycksele", "start_date": "2026-01-01"})
        return {
            "krog": store.create(
                "measure",
                {
                    "plan_id": plan,
                    "activity": "Krogkontroll",
                    "rrule": "FREQ=WEEKLY;BYDAY=FR,SA",
                    "start_date": "2026-11-01",
                },
            ),
            "skola": store.create(
                "measure", {"plan_id": plan, "activity": "Skolbesök", "rrule": "FREQ=MONTHLY"}
            ),
        }


async def test_krogkontroll_done_tonight_in_a_few_keys(db_path: Path) -> None:
    ids = _plan(db_path)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProgressFormScreen)
        measure = form.query_one("#prog-measure", Input)
        measure.value = "krog"
        await pilot.pause()
        status = str(form.query_one("#prog-status", Static).render())
        assert "varje fredag och lördag: 0 gjorda av 6" in status and "EFTER" in status
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ProgressFormScreen)
        # The next time the measure logged last is chosen already: F7 and ctrl+s.
        await pilot.press("f7", "ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ProgressFormScreen)
    with Store(db_path) as store:
        entries = store.records("progress", where={"measure_id": ids["krog"]})
    assert [(e["date"], e["count"], e["by"]) for e in entries] == [
        ("2026-11-22", 1, "Testenhet"),
        ("2026-11-22", 1, "Testenhet"),
    ]


async def test_a_wrong_value_is_named_and_nothing_is_logged(db_path: Path) -> None:
    _plan(db_path)
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await pilot.pause()
        form = app.screen
        form.query_one("#prog-measure", Input).value = "s"  # "Skolbesök": the only one with s
        form.query_one("#prog-hours", Input).value = "två"
        form.query_one("#prog-date", Input).value = "i morgon bitti"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProgressFormScreen)
        error = str(form.query_one("#form-error", Static).render())
        assert "Datum:" in error and "Timmar:" in error, error
        assert app.focused is form.query_one("#prog-date", Input)
        form.query_one("#prog-measure", Input).value = "okänd åtgärd"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "vilken åtgärd" in str(form.query_one("#form-error", Static).render())
    with Store(db_path) as store:
        assert store.count("progress") == 0
