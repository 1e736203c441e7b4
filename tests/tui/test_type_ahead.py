"""Keys typed in one breath with the key before them, in the real ``trygg`` on a
pseudo-terminal (one read of the terminal holds both): none may go to the widget the
first key was leaving."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from tests.conftest import open_store, report_fields
from tests.tui.test_crash import running

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal")

F6 = b"\x1b[17~"


def test_a_search_typed_with_the_slash_keeps_its_first_letter(db_path: Path) -> None:
    """``/Torget`` in one read: the slash moves the cursor to the search field and the
    T lands there (it went to the table while the focus move waited its turn, and the
    search looked for "orget")."""
    store = open_store(db_path)
    for place in ("Torget", "Torget", "Stationen"):
        store.create("snabbrapport", report_fields(place=place))
    store.close()
    with running(db_path) as terminal:
        terminal.wait_for_output("Senaste utbyte")  # the overview is up
        terminal.press(F6, then="3 rapporter")
        terminal.press(b"/Torget", then="2 rapporter")


def test_a_place_typed_with_the_lagesbild_slash_lands_in_the_question(db_path: Path) -> None:
    """In the lägesbild, ``/Stat`` and Enter in one read: the slash asks which place and
    the letters typed with it are its answer (they reached the lägesbild while the
    question was being built, and were lost or taken for its keys)."""
    store = open_store(db_path)
    for place in ("Torget", "Stationen"):
        store.create("snabbrapport", report_fields(place=place))
    store.close()
    with running(db_path) as terminal:
        terminal.wait_for_output("Senaste utbyte")  # the overview is up
        # Its summary line (the footer of the overview names the lägesbild already).
        terminal.press(b"l", then="(före ")
        terminal.press(b"/Stat\r", then="Plats – Stationen")


def test_a_correction_typed_in_one_breath_is_made_where_it_was_typed(db_path: Path) -> None:
    """In a form, ``Kyrx``, backspace, ``kan`` in one read saves "Kyrkan": the
    backspace took the last letter of the text typed after it ("Kyrxka"), as ctrl+u
    and then a date emptied the date field (Textual runs a field's editing keys only
    once they reach the app, after the letters behind them)."""
    open_store(db_path).close()
    with running(db_path) as terminal:
        terminal.wait_for_output("Senaste utbyte")  # the overview is up
        terminal.press(b"n", then="Ny trygghetsvandring")
        terminal.send(b"Kyrx\x7fkan\r\x152026-03-01\x13", pause=0)  # ... ctrl+u ... ctrl+s
        deadline = time.monotonic() + 30
        walks: list[dict[str, object]] = []
        while not walks and time.monotonic() < deadline:
            time.sleep(0.2)
            with open_store(db_path) as store:
                walks = store.records("walk")
    assert [(w["area"], w["date"]) for w in walks] == [("Kyrkan", "2026-03-01")]
