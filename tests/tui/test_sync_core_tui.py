"""The sync core's questions and warnings on screen: a clock running ahead on the
overview, confirming a colleague as police in F9, and a copied database at start."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from db.journal.clock import wall_ms
from db.store import Store
from db.sync.exporter import export_bundle
from db.sync.merge import import_bundle
from screens.home import HomeScreen
from tests.conftest import open_store
from tui.app import TryggApp

THREE_YEARS_MS = 3 * 365 * 24 * 60 * 60 * 1000


async def test_the_overview_names_a_device_whose_clock_runs_ahead(tmp_path: Path) -> None:
    db_path = tmp_path / "here.db"
    with Store(tmp_path / "ahead.db", wall=lambda: wall_ms() + THREE_YEARS_MS) as ahead:
        ahead.set_up_device("Framtida", "kommun", "Lycksele")
        ahead.create("place", {"name": "Torget", "kommun": "Lycksele"})
        export_bundle(ahead, tmp_path / "ahead.trygg", full=True)
    with open_store(db_path) as store:
        import_bundle(store, tmp_path / "ahead.trygg")
    app = TryggApp(db_path, "sv")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#home-figures", DataTable)
        label, day, key = (str(c) for c in table.get_row("clock-0"))
        assert label == "Klockan på Framtida går före – dess ändringar är daterade"
        assert int(day[:4]) >= 2028 and key == "[F9]"
