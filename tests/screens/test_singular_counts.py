"""A list of one says so in the singular ("1 rapport", not "1 rapporter"), in both
languages, on the screen a person reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from tests.conftest import NOW, open_store, report_fields
from tui.app import TryggApp


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [("sv", "1 rapport · ", "2 rapporter · "), ("en", "1 report · ", "2 reports · ")],
)
async def test_the_report_list_counts_one_report_in_the_singular(
    db_path: Path, lang: str, one: str, two: str
) -> None:
    with open_store(db_path) as store:
        store.create("snabbrapport", report_fields(date="2026-11-20"))
    app = TryggApp(db_path, lang, now=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("f6")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        line = str(app.screen.query_one("#rep-line", Static).render())
        assert line.startswith(one), line
        app.store.create("snabbrapport", report_fields(date="2026-11-21"))
        await pilot.press("escape", "f6")  # back to the list, read again
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        line = str(app.screen.query_one("#rep-line", Static).render())
        assert line.startswith(two), line
