"""The sync core's questions and warnings on screen: a clock running ahead on the
overview, confirming a colleague as police in F9, and a copied database at start."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from db.journal.clock import wall_ms
from db.store import Store
from db.sync.exporter import export_bundle, find_peer, plan_export
from db.sync.merge import import_bundle
from screens.overview import OverviewScreen
from screens.widgets.dialogs import ConfirmModal
from tests.conftest import open_store, report_fields
from tests.db.sync.harness import Device
from tests.screens.test_sync import open_sync, settle
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
        assert isinstance(app.screen, OverviewScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#home-figures", DataTable)
        label, day, key = (str(c) for c in table.get_row("clock-0"))
        assert label == "Klockan på Framtida går före – dess ändringar är daterade"
        assert int(day[:4]) >= 2028 and key == "[F9]"


async def test_a_colleague_is_confirmed_as_police_in_f9(tmp_path: Path) -> None:
    db_path = tmp_path / "here.db"
    cecilia = Device(tmp_path, "Cecilia", "polis")
    cecilia.store.create("place", {"name": "Torget", "kommun": "Lycksele"})
    with open_store(db_path) as store:
        store.create("snabbrapport", report_fields())
        import_bundle(store, cecilia.send())
        assert plan_export(store, peer=find_peer(store, "Cecilia")).profile == "kommun"
    app = TryggApp(db_path, "sv")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_sync(pilot)
        peers = app.screen.query_one("#sync-peers", DataTable)
        assert str(peers.get_row_at(0)[1]) == "Polis ?"
        detail = str(app.screen.query_one("#sync-peer", Static).render())
        assert "inte bekräftad här" in detail
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("j")
        await settle(pilot)
        assert str(peers.get_row_at(0)[1]) == "Polis ✓"
        detail = str(app.screen.query_one("#sync-peer", Static).render())
        assert "Bekräftad som polis här" in detail
    with open_store(db_path) as store:
        assert plan_export(store, peer=find_peer(store, "Cecilia")).profile == "polis"
    cecilia.close()


async def test_a_municipal_device_edits_a_report_it_holds_without_names(tmp_path: Path) -> None:
    from screens.report_form import ReportFormScreen
    from screens.report_list import ReportListScreen
    from screens.widgets.choices import TickLine
    from tests.screens.test_reports import app_for, open_list

    police, db_path = Device(tmp_path, "Polisen", "polis"), tmp_path / "kommun.db"
    report = police.store.create("snabbrapport", report_fields())
    with open_store(db_path, name="Kommunen", org="kommun") as store:
        import_bundle(store, police.send(full=True, profile="kommun"))
        assert store.get("snabbrapport", report)["name"] is None  # type: ignore[index]
    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_list(pilot, at=report)
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReportFormScreen)
        form.query_one("#rep-ticks", TickLine).focus()
        await pilot.press("b")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReportListScreen)
    with open_store(db_path) as store:
        held = store.get("snabbrapport", report) or {}
        assert held["drunk"] is True and held["name"] is None
    police.close()


async def test_a_copied_database_asks_at_start_whether_it_moved(tmp_path: Path) -> None:
    from screens.widgets.dialogs import KeyChoiceModal

    original = tmp_path / "anna.db"
    with open_store(original) as store:
        first = store.require_device().id
    for key, same in (("f", True), ("k", False)):
        copy = tmp_path / f"kopia-{key}.db"
        copy.write_bytes(original.read_bytes())
        app = TryggApp(copy, "sv")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, KeyChoiceModal)
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, OverviewScreen)
        with Store(copy) as store:
            assert (store.require_device().id == first) is same
        # Asked once: the next start goes straight to the overview.
        app = TryggApp(copy, "sv")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, OverviewScreen)
