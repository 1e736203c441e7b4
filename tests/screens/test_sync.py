"""The Synk screen (F9), driven through Pilot on real database files: sending with a
preview, receiving with a dry run first, resolving a conflict between two databases, the
refusals (wrong passphrase, tampered file) that change nothing, the colleagues' keys, and
the watched mailbox folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from db.protect.encryption import Encryption
from db.store import Store
from db.sync.exporter import export_bundle, find_peer
from db.sync.mailbox import configure_mailbox, write_own_file
from db.sync.merge import import_bundle
from screens.sync import SyncScreen
from screens.sync_conflicts import ConflictListScreen
from screens.sync_receive import ReceiveScreen
from screens.sync_send import SendScreen
from screens.widgets.dialogs import ConfirmModal, TextPrompt
from screens.widgets.path_picker import PathPickerModal
from tests.conftest import open_store, report_fields, walk_fields
from tests.db.sync.harness import Device
from tests.screens.test_reports import app_for, settle


def shown(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def journal_size(path: Path) -> int:
    with Store(path) as store:
        return store.conn.execute("SELECT count(*) FROM journal").fetchone()[0]


async def open_sync(pilot: Pilot[Any]) -> SyncScreen:
    await settle(pilot)
    await pilot.press("f9")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SyncScreen)
    return pilot.app.screen


async def receive(pilot: Pilot[Any], path: Path) -> Screen[Any]:
    """t on the Synk screen, the path typed into the picker, Enter: the screen that shows
    what the file brings (a ReceiveScreen), or first asks for its passphrase."""
    await open_sync(pilot)
    await pilot.press("t")
    # Not settle(): the folder tree keeps a loader worker running while it is open.
    await pilot.pause()
    assert isinstance(pilot.app.screen, PathPickerModal)
    pilot.app.screen.query_one("#picker-path", Input).value = str(path)
    await pilot.press("ctrl+s")
    await settle(pilot)
    return pilot.app.screen


async def test_send_shows_what_goes_then_writes_the_file_where_chosen(
    tmp_path: Path, db_path: Path
) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    with open_store(db_path) as store:
        store.create("walk", walk_fields())
        store.create("snabbrapport", report_fields())
    app = app_for(db_path)
    async with app.run_test(size=(110, 40)) as pilot:
        await open_sync(pilot)
        await pilot.press("s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SendScreen)
        form.query_one("#send-folder", Input).value = str(stick)
        form.query_one("#send-to").focus()
        await pilot.press("2")  # a new colleague: everything
        await settle(pilot)
        preview = shown(app, "#send-preview")
        assert "Filen får allt" in preview
        assert "snabbrapport alkohol 1" in preview and "trygghetsvandring 1" in preview
        assert "Inga personuppgifter ingår." in preview
        assert "utan personuppgifter" in shown(app, "#send-profile-said")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [written] = list(stick.glob("*.trygg"))
        done = shown(app, "#send-done").splitlines()
        assert written.name in done[0] and str(written.parent) in done
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SyncScreen)
        files = app.screen.query_one("#sync-files", DataTable)
        assert files.row_count == 1
    malin = Device(tmp_path, "Malin", "kommun")
    summary = import_bundle(malin.store, written)
    assert summary.new_records == {"snabbrapport": 1, "walk": 1}
    [report] = malin.store.records("snabbrapport")
    assert report["name"] is None and report["personnummer"] is None  # kommun profile
    malin.close()


async def test_send_refuses_a_short_passphrase_and_a_missing_folder(
    tmp_path: Path, db_path: Path
) -> None:
    with open_store(db_path) as store:
        store.create("walk", walk_fields())
    app = app_for(db_path)
    async with app.run_test(size=(110, 40)) as pilot:
        await open_sync(pilot)
        await pilot.press("s")
        await settle(pilot)
        form = app.screen
        form.query_one("#send-folder", Input).value = str(tmp_path / "not-plugged-in")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "finns inte" in shown(app, "#form-error")
        form.query_one("#send-folder", Input).value = str(tmp_path)
        form.query_one("#send-crypt").focus()
        await pilot.press("2")
        form.query_one("#send-pass", Input).value = "kort"
        form.query_one("#send-pass2", Input).value = "kort"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "för kort" in shown(app, "#form-error")
        assert app.focused is form.query_one("#send-pass", Input)
    assert list(tmp_path.glob("*.trygg")) == []


async def test_receive_shows_a_dry_run_first_and_takes_in_only_on_j(
    tmp_path: Path, db_path: Path
) -> None:
    anna = Device(tmp_path, "Anna")
    walk = anna.store.create("walk", walk_fields(area="Storgatan"))
    anna.store.create("finding", {"walk_id": walk, "remark": "Mörk passage", "place": "Torget"})
    path = anna.send()
    open_store(db_path).close()
    before = journal_size(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await receive(pilot, path)
        assert isinstance(screen, ReceiveScreen)
        head = shown(app, "#receive-head")
        assert "Förhandsvisning – inget är inläst än" in head and "2 nya poster" in head
        flags = shown(app, "#receive-flags")
        assert "Första filen från Anna" in flags
        assert anna.store.require_device().id and "Fingeravtryck" in flags
        table = screen.query_one("#receive-changes", DataTable)
        labels = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert "Anmärkning 1, Torget (Storgatan 2026-11-01)" in labels
        assert journal_size(db_path) == before  # nothing taken in yet
        await pilot.press("j")
        await settle(pilot)
        assert "Inläst:" in shown(app, "#receive-head")
        assert app.store.get("walk", walk) is not None
        # Enter on a row opens the record: the walk's own screen.
        table.move_cursor(row=labels.index("Trygghetsvandring Storgatan 2026-11-01"))
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "WalkScreen"
    anna.close()


async def test_receive_says_what_the_command_line_says_about_the_sender_and_erasures(
    tmp_path: Path, db_path: Path
) -> None:
    """The notes `trygg import` prints reach the F9 screen too: a sender that says it is
    police but is not confirmed yet, and a report the sender erased whose personal data is
    erased here as well."""
    from db.protect import gallring

    anna = Device(tmp_path, "Anna")  # says polis; nobody has confirmed it here
    report = anna.store.create("snabbrapport", report_fields())
    first = anna.send(profile="polis")
    open_store(db_path).close()
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await receive(pilot, first)
        flags = shown(app, "#receive-flags")
        assert "Anna säger sig vara polis" in flags and "Synk (p)" in flags
        await pilot.press("j")
        await settle(pilot)
        assert app.store.get("snabbrapport", report)["name"] == "Alva Testsson"  # type: ignore[index]
    gallring.erase_now(anna.store, report)
    second = anna.send(profile="polis")
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await receive(pilot, second)
        assert "gallrades av avsändaren" not in shown(app, "#receive-flags")  # a preview
        await pilot.press("j")
        await settle(pilot)
        flags = shown(app, "#receive-flags")
        assert "1 rapport gallrades av avsändaren" in flags
        assert app.store.get("snabbrapport", report)["name"] is None  # type: ignore[index]
    anna.close()


async def test_a_wrong_passphrase_is_named_and_changes_nothing(
    tmp_path: Path, db_path: Path
) -> None:
    anna = Device(tmp_path, "Anna")
    anna.store.create("walk", walk_fields())
    path = tmp_path / "locked.trygg"
    export_bundle(anna.store, path, full=True, encryption=Encryption(passphrase="rätt lösenfras"))
    open_store(db_path).close()
    before = journal_size(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await receive(pilot, path)
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one(Input).value = "fel lösenfras"
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReceiveScreen)
        assert "Fel lösenfras" in shown(app, "#receive-flags")
        assert "Inget kan läsas in" in shown(app, "#receive-hint")
        await pilot.press("j")
        await settle(pilot)
        assert journal_size(db_path) == before
        # p asks again; the right passphrase opens the file.
        await pilot.press("p")
        await settle(pilot)
        app.screen.query_one(Input).value = "rätt lösenfras"
        await pilot.press("enter")
        await settle(pilot)
        assert "1 ny post" in shown(app, "#receive-head")
        assert "Krypterad fil, öppnad." in shown(app, "#receive-flags")
    assert journal_size(db_path) == before
    anna.close()


async def test_a_tampered_file_is_refused_with_a_reason_and_changes_nothing(
    tmp_path: Path, db_path: Path
) -> None:
    anna = Device(tmp_path, "Anna")
    anna.store.create("walk", walk_fields(area="Originalet"))
    path = anna.send()
    data = bytearray(path.read_bytes())
    spot = data.find(b"Originalet")
    data[spot : spot + 10] = "Förfalskat".encode()[:10]
    path.write_bytes(bytes(data))
    open_store(db_path).close()
    before = journal_size(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await receive(pilot, path)
        flags = shown(app, "#receive-flags")
        assert "Inget har ändrats" in flags
        assert "stämmer inte" in flags or "skadad" in flags
        await pilot.press("j")
        await settle(pilot)
    assert journal_size(db_path) == before
    anna.close()


async def test_a_conflict_between_two_databases_is_seen_and_resolved(
    tmp_path: Path, db_path: Path
) -> None:
    anna = Device(tmp_path, "Anna")
    malin = Device(tmp_path, "Malin", "kommun")
    walk = anna.store.create("walk", walk_fields())
    finding = anna.store.create("finding", {"walk_id": walk, "remark": "Trasig lampa"})
    malin.receive(anna.send(malin))
    anna.store.update("finding", finding, {"status": "skickad"})
    malin.store.update("finding", finding, {"status": "atgardad"})
    anna.receive(malin.send(anna))
    [conflict] = anna.store.conflicts()
    shown_now = anna.store.get("finding", finding)["status"]  # type: ignore[index]
    other = conflict.loser_value
    anna.close()
    app = app_for(tmp_path / "Anna.db")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_sync(pilot)
        assert "1 olöst konflikt" in shown(app, "#sync-state")
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, ConflictListScreen)
        detail = shown(app, "#conflicts-detail")
        assert "Anmärkning 1" in detail and "Status" in detail
        assert "Malin" in detail and "Anna" in detail
        await pilot.press("a")  # take the other value
        await settle(pilot)
        assert app.store.get("finding", finding)["status"] == other != shown_now  # type: ignore[index]
        assert app.store.conflicts() == []
        assert "Inga olösta konflikter." in shown(app, "#conflicts-head")
        await pilot.press("escape")
        await settle(pilot)
        assert screen is app.screen
    # The choice is an ordinary change: it reaches Malin, whose conflict goes too.
    anna = Device.__new__(Device)
    anna.folder, anna.name = tmp_path, "Anna"
    anna.store = open_store(tmp_path / "Anna.db")
    malin.receive(anna.send(malin))
    assert malin.store.conflicts() == []
    assert malin.store.get("finding", finding)["status"] == other  # type: ignore[index]
    anna.close()
    malin.close()


async def test_colleagues_key_is_trusted_after_the_phone_call(
    tmp_path: Path, db_path: Path
) -> None:
    anna = Device(tmp_path, "Anna")
    anna.store.create("walk", walk_fields())
    with open_store(db_path) as store:
        import_bundle(store, anna.send())
    app = app_for(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_sync(pilot)
        peers = app.screen.query_one("#sync-peers", DataTable)
        assert peers.row_count == 1
        assert "inte jämfört" in shown(app, "#sync-peer")
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("j")
        await settle(pilot)
        assert "jämfört per telefon" in shown(app, "#sync-peer")
        assert "inte jämfört" not in shown(app, "#sync-peer")
        assert "✓" in str(peers.get_row_at(0)[2])
    with open_store(db_path) as store:
        peer = find_peer(store, "Anna")
        row = store.conn.execute(
            "SELECT key_verified_at FROM devices WHERE id = ?", (peer.id,)
        ).fetchone()
        assert row[0] is not None
    anna.close()


async def test_the_mailbox_is_watched_and_synced_both_ways(tmp_path: Path, db_path: Path) -> None:
    box = tmp_path / "box"
    box.mkdir()
    anna = Device(tmp_path, "Anna")
    anna.store.create("walk", walk_fields(area="Norr"))
    with open_store(db_path, name="Malin", org="kommun") as store:
        store.create("walk", walk_fields(area="Söder"))
        configure_mailbox(store, box, "kommun")
    app = app_for(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_sync(pilot)
        assert "Ingen brevlåda" not in shown(app, "#sync-mailbox")
        write_own_file(anna.store, box)
        app.check_mailbox()
        await settle(pilot)
        assert any("1 ny fil från kollegor" in n.message for n in app._notifications)
        assert "1 ny fil väntar" in shown(app, "#sync-mailbox")
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ReceiveScreen)
        assert "din egen fil i brevlådan" in shown(app, "#receive-flags")
        await pilot.press("j")
        await settle(pilot)
        assert "Din fil ligger i brevlådan" in shown(app, "#receive-flags")
    assert len(list(box.glob("*.trygg"))) == 2
    # Anna's side reads Malin's file from the folder: both ways, no command line.
    [malins] = [p for p in box.glob("*.trygg") if anna.id not in p.name]
    anna.receive(malins)
    assert {w["area"] for w in anna.store.records("walk")} == {"Norr", "Söder"}
    anna.close()


async def _mailbox_round(path: Path, box: Path, *, set_up: bool) -> dict[str, Any]:
    """One person's turn at the laptop, keys only: (the first time, b to choose the
    mailbox folder, 1 for kommun), then y to read what waits there, j to take it in
    (which also puts their own file there). Returns what the screens said."""
    app = app_for(path)
    said: dict[str, Any] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await open_sync(pilot)
        if set_up:
            await pilot.press("b")
            await pilot.pause()
            app.screen.query_one("#picker-path", Input).value = str(box)
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press("1")
            await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        if isinstance(app.screen, ReceiveScreen):
            said["preview"] = shown(app, "#receive-head")
            if "Förhandsvisning" in said["preview"]:
                await pilot.press("j")
                await settle(pilot)
            said["done"] = shown(app, "#receive-head")
            said["flags"] = shown(app, "#receive-flags")
            await pilot.press("escape")
            await settle(pilot)
        said["conflicts"] = len(app.store.conflicts())
        if said["conflicts"]:
            await pilot.press("k")
            await settle(pilot)
            await pilot.press("a")  # take the colleague's value
            await settle(pilot)
            said["resolved"] = app.store.conflicts() == []
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("s")  # send the choice on to the folder
            await settle(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot)
            said["sent"] = shown(app, "#send-done")
    return said


async def test_two_demo_databases_exchange_both_ways_and_resolve_a_conflict(
    tmp_path: Path,
) -> None:
    """The issue's "done when": two people with demo-like databases exchange files both
    ways through a folder, see and resolve a conflict, and never touch the command line."""
    from db.demo import build_demo
    from tests.conftest import NOW

    box = tmp_path / "box"
    box.mkdir()
    anna, malin = tmp_path / "anna.db", tmp_path / "malin.db"
    for path, name, org in ((anna, "Anna", "polis"), (malin, "Malin", "kommun")):
        with open_store(path, name=name, org=org) as store:
            build_demo(store, NOW.date())
    with open_store(anna) as store:
        walk = store.create("walk", walk_fields(area="Gemensam"))

    first = await _mailbox_round(anna, box, set_up=True)  # nothing waits yet: writes hers
    assert "Inga nya filer" in first["done"] and "Din fil ligger i brevlådan" in first["flags"]
    assert len(list(box.glob("*.trygg"))) == 1
    second = await _mailbox_round(malin, box, set_up=True)
    assert "Förhandsvisning" in second["preview"] and "Inläst" in second["done"]
    assert "Din fil ligger i brevlådan" in second["flags"]
    third = await _mailbox_round(anna, box, set_up=False)
    assert "Inläst" in third["done"]
    with open_store(anna) as a, open_store(malin) as m:
        assert m.get("walk", walk)["area"] == "Gemensam"  # type: ignore[index]
        assert a.count("walk") == m.count("walk")  # each has the other's walks too
        a.update("walk", walk, {"weather": "Regn"})
        m.update("walk", walk, {"weather": "Snö"})
    await _mailbox_round(anna, box, set_up=False)  # reads nothing new; writes her change
    fourth = await _mailbox_round(malin, box, set_up=False)
    assert fourth["conflicts"] == 1 and fourth["resolved"]
    assert "Filen är skriven" in fourth["sent"]
    final = await _mailbox_round(anna, box, set_up=False)
    assert final["conflicts"] == 0
    with open_store(anna) as a, open_store(malin) as m:
        assert a.get("walk", walk)["weather"] == m.get("walk", walk)["weather"]  # type: ignore[index]
