"""The real ``trygg`` in a pseudo-terminal, killed with SIGKILL in the middle of a form:
what was typed is in the draft, and the next start offers it back (the second half runs
through Pilot on the same file). Also: a bracketed paste with escape sequences arrives
whole and in order through the real terminal input."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from db import drafts
from db.store import Store
from screens.finding_form import FindingFormScreen
from screens.report_form import NEW_DRAFT, ReportFormScreen
from screens.walk import WalkScreen
from screens.widgets.dialogs import KeyChoiceModal
from screens.widgets.forms import FormTextArea
from tests.conftest import NOW, open_store, walk_fields
from tui.app import TryggApp

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal")

TRYGG = Path(sys.executable).with_name("trygg")
F5 = b"\x1b[15~"
ENTER = b"\r"


class Terminal:
    """A running ``trygg`` on an 80×24 pseudo-terminal."""

    def __init__(self, db_path: Path) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
        self.process = subprocess.Popen(
            [str(TRYGG), "--db", str(db_path)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def wait_for_output(self, text: str, *, since: int = 0, timeout: float = 30.0) -> None:
        """Wait until ``text`` is drawn (after the first ``since`` bytes of output)."""
        wanted = text.encode()
        deadline = time.monotonic() + timeout
        while wanted not in self.output[since:]:
            assert time.monotonic() < deadline, f"{text!r} never appeared"
            time.sleep(0.1)

    def press(self, key: bytes | str, then: str) -> None:
        """Press ``key`` and wait until ``then`` is drawn."""
        since = len(self.output)
        self.send(key, pause=0)
        self.wait_for_output(then, since=since)

    def send(self, *keys: bytes | str, pause: float = 0.15) -> None:
        """Each key (or text) in turn, with a pause as a person would leave."""
        for key in keys:
            os.write(self.master, key.encode() if isinstance(key, str) else key)
            time.sleep(pause)

    def type(self, text: str) -> None:
        self.send(*text, pause=0.05)

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as a crash or a pulled battery."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        os.close(self.master)


@contextmanager
def running(db_path: Path) -> Iterator[Terminal]:
    terminal = Terminal(db_path)
    try:
        yield terminal
    finally:
        if terminal.process.poll() is None:
            terminal.kill()


def wait_for(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.1)


def draft_values(db_path: Path, base: str) -> dict[str, Any] | None:
    """The newest draft of ``base``, read while the app runs: read-only, so that this
    reader never checkpoints nor removes the write-ahead log the app is writing to."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT data FROM drafts WHERE form = ? OR form LIKE ? ORDER BY saved_at DESC",
            (base, base + "#%"),
        ).fetchall()
    finally:
        conn.close()
    return json.loads(rows[0][0]).get("values") if rows else None


def app_for(path: Path) -> TryggApp:
    return TryggApp(path, "sv", now=lambda: NOW)


async def test_kill_9_in_a_quick_report_loses_nothing_typed(db_path: Path) -> None:
    open_store(db_path).close()
    with running(db_path) as terminal:
        terminal.wait_for_output("Senaste utbyte")  # the overview is up
        terminal.press(F5, then="Ny snabbrapport")
        terminal.type("Torget")
        terminal.send(ENTER)
        terminal.type("Alva Testsson")  # no Enter: killed in the middle of the field
        values = wait_for(
            lambda: (v := draft_values(db_path, NEW_DRAFT)) and v["rep-name"] == "Alva Testsson"
        )
        terminal.kill()
    assert values
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, KeyChoiceModal)  # offered back
        await pilot.press("t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReportFormScreen)
        assert form.query_one("#rep-place", Input).value == "Torget"
        assert form.query_one("#rep-name", Input).value == "Alva Testsson"


def test_what_is_typed_right_after_f5_lands_in_the_first_field(db_path: Path) -> None:
    """F5 and the place typed at once, in one read of the terminal (a fast typist, or a
    slow machine): the form holds the letters until its first field is there, instead of
    losing them while it is being built."""
    open_store(db_path).close()
    with running(db_path) as terminal:
        terminal.wait_for_output("Senaste utbyte")  # the overview is up
        terminal.send(F5 + "Järnvägsstationen".encode(), pause=0)
        wait_for(
            lambda: (
                (v := draft_values(db_path, NEW_DRAFT)) and v["rep-place"] == "Järnvägsstationen"
            )
        )
        terminal.kill()
    values = draft_values(db_path, NEW_DRAFT)
    assert values is not None and values["rep-name"] == ""  # nothing went to another field


def test_keys_typed_right_after_f5_never_answer_the_draft_question(db_path: Path) -> None:
    """With a draft waiting, F5 asks whether to take it back; letters typed with F5 (the
    place, "Torget", starting with t = take back) are not an answer: the question stays
    and the draft with it."""
    with open_store(db_path) as store:
        drafts.save(store, NEW_DRAFT, {"values": {"rep-place": "Kvar", "rep-name": "Alva"}})
    with running(db_path) as terminal:
        terminal.wait_for_output("Senaste utbyte")
        since = len(terminal.output)
        terminal.send(F5 + b"Torget", pause=0)
        terminal.wait_for_output("osparat utkast", since=since)
        time.sleep(1.0)  # what the letters would have done, they would have done by now
        drawn = terminal.output[since:].decode(errors="replace")
        terminal.kill()
    assert "Torget" not in drawn
    values = draft_values(db_path, NEW_DRAFT)
    assert values == {"rep-place": "Kvar", "rep-name": "Alva"}


async def test_kill_9_in_a_finding_loses_nothing_typed(db_path: Path) -> None:
    with open_store(db_path) as store:
        walk = store.create("walk", walk_fields(area="Centrum"))
        other = store.create("walk", walk_fields(area="Norr"))
    with running(db_path) as terminal:
        terminal.wait_for_output("Senaste utbyte")  # the overview is up
        terminal.press("\x1b[13~", then="2 vandringar")  # F3: the walks
        terminal.press(ENTER, then="Anmärkning")  # either walk (they share a date)
        terminal.press("n", then="Ny anmärkning")
        terminal.type("Åvägen 37")
        terminal.send(ENTER)
        terminal.type("Trasig belysning")
        base = None

        def typed() -> bool:
            nonlocal base
            for walk_id in (walk, other):
                values = draft_values(db_path, f"finding:new:{walk_id}")
                if values and values["finding-remark"] == "Trasig belysning":
                    base = walk_id
                    return True
            return False

        wait_for(typed)
        terminal.kill()
    assert base is not None
    # The other walk's finding form has no draft: drafts of two walks never meet.
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        for walk_id, offered in ((other if base == walk else walk, False), (base, True)):
            app.push_screen(WalkScreen(walk_id))
            await pilot.pause()
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, KeyChoiceModal) is offered
            if offered:
                await pilot.press("t")
                await pilot.pause()
                form = app.screen
                assert isinstance(form, FindingFormScreen)
                assert form.query_one("#finding-place", Input).value == "Åvägen 37"
                assert form.query_one("#finding-remark", Input).value == "Trasig belysning"
                # Back where the typing stopped: what is typed next goes on from there.
                assert app.focused is form.query_one("#finding-remark", Input)
                await pilot.press("ctrl+s")
                await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            app.pop_screen()
            await pilot.pause()
    with Store(db_path) as store:
        (finding,) = store.records("finding")
        assert (finding["walk_id"], finding["remark"]) == (base, "Trasig belysning")
        assert drafts.every(store) == []


async def test_a_paste_with_escape_codes_arrives_whole_and_in_order(db_path: Path) -> None:
    open_store(db_path).close()
    with running(db_path) as terminal:
        terminal.wait_for_output("Senaste utbyte")  # the overview is up
        terminal.press(F5, then="Ny snabbrapport")
        terminal.type("Torget")
        terminal.send(ENTER)
        terminal.send(b"\x1b[200~Ring \x1b[31mR\xc3\x96D\x1b[0m\x1b[201~", pause=0.5)
        values = wait_for(lambda: (v := draft_values(db_path, NEW_DRAFT)) and v["rep-name"] and v)
        terminal.kill()
    assert values["rep-name"] == "Ring RÖD"
    # the same cleaning serves the free-text fields (see test_forms)
    assert FormTextArea is not None


def count_rows(db_path: Path, table: str) -> int:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table} WHERE deleted = 0").fetchone()[0])
    finally:
        conn.close()


async def test_a_burst_of_keys_lands_field_by_field(db_path: Path) -> None:
    """A real terminal hands over typed keys faster than a form handles them: Enter,
    the choice keys and ctrl+s move the cursor as they are read, so nothing lands in the
    field before (the landed bugs: "TorgetAlva" in Plats; the next finding's place in the
    owner field after ctrl+s)."""
    with open_store(db_path) as store:
        walk = store.create("walk", walk_fields(area="Centrum"))
    findings = (("Åvägen 37", "Trasig belysning", "1", "Kommunen"),
                ("Storgatan 85", "Uppbrutna dörrar", "skal", "Fastighetsbolaget"))  # fmt: skip
    with running(db_path) as terminal:
        terminal.wait_for_output("Senaste utbyte")
        terminal.press("\x1b[13~", then="1 vandring ·")
        terminal.press(ENTER, then="Anmärkning")
        terminal.press("n", then="Ny anmärkning")
        burst = "".join(f"{p}\r{r}\r{c}\r{o}\x13" for p, r, c, o in findings)
        terminal.send(burst, pause=0)  # all at once
        wait_for(lambda: count_rows(db_path, "finding") == 2)
        terminal.kill()
    with Store(db_path) as store:
        saved = store.records("finding", order_by=("nr",))
        owners = {o["id"]: o["name"] for o in store.records("owner")}
    got = [(f["place"], f["remark"], f["category"], owners.get(f["owner_id"])) for f in saved]
    assert got == [
        ("Åvägen 37", "Trasig belysning", "belysning", "Kommunen"),
        ("Storgatan 85", "Uppbrutna dörrar", "skalskydd", "Fastighetsbolaget"),
    ]
    assert all(f["walk_id"] == walk for f in saved)


def device_of(db_path: Path) -> tuple[str, str | None, str | None] | None:
    with Store(db_path, create=False) as store:
        device = store.device
        return None if device is None else (device.name, device.org, device.kommun)


async def test_the_first_run_typed_in_one_breath_lands_field_by_field(db_path: Path) -> None:
    """The first-run form is a form like the others: its Enter moved the cursor only once
    the name field had handled it, and a burst put "Alva Berg1Alvesta" in the name."""
    with running(db_path) as terminal:
        terminal.wait_for_output("Välkommen till Trygg")
        terminal.send("Alva Berg\r2Alvesta\x13", pause=0)  # all at once
        device = wait_for(lambda: device_of(db_path) if db_path.exists() else None)
        terminal.kill()
    assert device == ("Alva Berg", "kommun", "Alvesta")
