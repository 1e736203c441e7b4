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


def test_letters_typed_with_the_draft_answer_do_not_answer_again(db_path: Path) -> None:
    """F5 with a draft waiting asks whether to take it back; ``Torget`` and Enter typed
    in one read after the question showed: the T took the draft, the t of "Torget"
    answered the question a second time — a second dismiss, which closed the form — and
    the rest reached the overview: o opened the open findings and Enter a finding's form
    (cold test). The form with its draft stays; a finding is never opened."""
    from db import drafts
    from screens.report_form import NEW_DRAFT

    store = open_store(db_path)
    store.create("walk", {"kommun": "Lycksele", "area": "Centrum", "date": "2026-11-01"})
    walk = store.records("walk")[0]["id"]
    from db import walks

    walks.save_finding(store, walk, walks.FindingInput("Trasig lampa", "Torget", "1", "Kommunen"))
    values = {"rep-place": "Kyrkan", "rep-name": "Olle"}
    drafts.save(store, drafts.new_key(NEW_DRAFT), {"values": values, "extra": {}, "focus": None})
    store.close()
    with running(db_path) as terminal:
        terminal.wait_for_output("Senaste utbyte")  # the overview is up
        terminal.press(b"\x1b[15~", then="osparat utkast")  # F5, and the draft question
        since = len(terminal.output)
        terminal.send(b"Torget\r", pause=0)
        terminal.wait_for_output("Kyrkan", since=since)  # the draft taken back
        time.sleep(1.5)
        assert "Anmärkning nr".encode() not in terminal.output[since:]
        # Still the report form: its save asks for what the draft lacks.
        terminal.press(b"\x13", then="Ålder: skriv")


def test_the_question_the_cursor_reaches_is_scrolled_into_view(db_path: Path) -> None:
    """At 80×24, Enter by Enter down the quick report: from Uppföljning the cursor went
    to Omhändertagen below the edge and the form did not scroll, so its key (l: LOB)
    answered a question not on screen (cold test)."""
    open_store(db_path).close()
    with running(db_path) as terminal:
        terminal.wait_for_output("Senaste utbyte")  # the overview is up
        terminal.press(b"\x1b[15~", then="Ny snabbrapport")  # F5
        since = len(terminal.output)
        terminal.send(*[b"\r"] * 10, pause=0.3)
        terminal.wait_for_output("Omhändertagen", since=since, timeout=10)


def test_a_date_typed_after_tab_goes_to_the_next_filter_field(db_path: Path) -> None:
    """In F6's filter fields, ``1/11``, Tab, ``15/11`` in one read: the app's Tab ran only
    once it had bubbled up from the field, after the letters behind it, and Från got
    "1/1115/11" with Till empty (cold test)."""
    store = open_store(db_path)
    store.create("snabbrapport", report_fields(place="Torget"))
    store.close()
    with running(db_path) as terminal:
        terminal.wait_for_output("Senaste utbyte")  # the overview is up
        terminal.press(F6, then="1 rapport")
        terminal.send(b"/", b"\t", pause=0.5)  # the search field, then Från
        since = len(terminal.output)
        terminal.send(b"1/11\t15/11", pause=0)
        terminal.wait_for_output("15/11", since=since)
        time.sleep(1.0)
        assert b"1/1115/11" not in terminal.output[since:]
