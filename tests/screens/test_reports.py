"""Quick reports in the TUI, driven with the keyboard alone through Pilot, on real files:
a group of four young people filed in a row, the note to social services, the list's
filters, erasure, drafts that survive a crash, and the follow-up statistics."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from db import drafts
from db.reports import snabbrapport as tables
from db.store import Store
from db.sync import export_log
from screens.report_form import NEW_DRAFT, ReportFormScreen
from screens.report_list import ReportListScreen
from screens.report_pm import PmModal
from screens.report_stats import ReportStatsScreen
from screens.walk_list import WalkListScreen
from screens.widgets.choices import ChoiceLine, TickLine
from screens.widgets.dialogs import ConfirmModal, KeyChoiceModal
from screens.widgets.tables import FittedTable
from tests.conftest import NOW, open_store, report_fields
from tui.app import TryggApp

#: A group of four on the town square: name, personnummer, phone, seized codes, other text,
#: and the one-key answers (ticks, custody, guardian contacted, guardian's action).
GROUP = (
    ("Alva Testsson", "20100315-9801", "070-111 11 11", "6s", "Pratade med mamma", "bh", "njh"),
    ("Liam Provsson", "20110204-1231", "070-222 22 22", "2c", "", "b", "nes"),
    ("Ella Exempel", "20100822-3453", "", "", "Sprang först", "t", "ljh"),
    ("Noah Demosson", "20110530-5674", "070-444 44 44", "1p", "", "bt", "nev"),
)


def app_for(path: Path, lang: str = "sv") -> TryggApp:
    return TryggApp(path, lang, now=lambda: NOW)


async def settle(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_list(pilot: Pilot, *, at: str | None = None) -> Any:
    """F6 from the overview; with ``at``, the cursor on that report's row. Returns the
    list's table."""
    await settle(pilot)
    await pilot.press("f6")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReportListScreen)
    table = pilot.app.screen.query_one("#rep-table", FittedTable)
    if at is not None:
        table.move_cursor(row=[k.value for k in table.rows].index(at))
    return table


class KeyCounter:
    """Presses keys through Pilot and counts them: those that type personal or free text
    separately from the rest."""

    def __init__(self, pilot: Pilot) -> None:
        self.pilot = pilot
        self.keys = 0
        self.text = 0

    async def type_text(self, text: str) -> None:
        """Personal or free text (name, personnummer, phone, övrigt): counted apart."""
        if text:
            await self.pilot.press(*text)
            self.text += len(text)

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()
        self.keys += len(keys)


async def test_a_group_of_four_is_filed_with_the_keyboard_alone(db_path: Path) -> None:
    with open_store(db_path) as store:
        store.set_setting("snabbrapport.last_officer", "Insp. Berg")
    app = app_for(db_path)
    per_report: list[int] = []
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReportFormScreen)
        # The first report: date and time default to now, the municipality to the
        # device's; there is no place yet, so the cursor starts there.
        assert form.query_one("#rep-date", Input).value == "2026-11-22"
        assert form.query_one("#rep-time", Input).value == "01:30"
        assert form.kommun == "Lycksele"
        assert "Lycksele" in str(form.query_one("#rep-kommun", Static).render())
        assert app.focused is form.query_one("#rep-place", Input)
        await pilot.press(*"Torget", "enter")  # the municipality is chosen, off this path
        # The source of the alcohol and the O-bot answer are shared by the group.
        form.query_one("#rep-source", ChoiceLine).value = "okand_vuxen"
        form.query_one("#rep-obot", ChoiceLine).value = "nej"
        form.query_one("#rep-pm", ChoiceLine).value = "ja"
        for name, pnr, phone, seized, other, ticks, answers in GROUP:
            counter = KeyCounter(pilot)
            assert app.focused is form.query_one("#rep-name", Input)
            await counter.type_text(name)
            await counter.press("enter")
            await counter.type_text(pnr)
            hint = str(form.query_one("#rep-pnr-hint", Static).render())
            assert "år" in hint and "✓" in hint, hint
            await counter.press("enter")
            await counter.type_text(phone)
            # Age and sex come from the number; Enter passes them (the same number of
            # Enters whatever is typed, so keys typed ahead land where they are meant).
            await counter.press("enter", "enter", "enter")
            if seized:
                await counter.press(*seized)
            await counter.press("enter", "enter")  # seized items, seized note
            await counter.type_text(other)
            await counter.press("enter")
            await counter.press(*ticks, "enter")
            await counter.press(*answers)  # each answer moves on by itself
            assert app.focused is form.query_one("#rep-pm", ChoiceLine)
            await counter.press("ctrl+n")
            per_report.append(counter.keys)
            assert isinstance(app.screen, ReportFormScreen), form.query_one("#form-error").render()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReportFormScreen)

    # The target: at most 25 keystrokes beyond the typed personal and free text.
    assert max(per_report[1:]) <= 25, per_report
    with Store(db_path) as store:
        reports = store.records("snabbrapport", order_by=("nr",))
    assert [r["name"] for r in reports] == [g[0] for g in GROUP]
    assert len({r["group_id"] for r in reports}) == 1 and reports[0]["group_id"]
    for report, (_, pnr, phone, _seized, other, ticks, answers) in zip(reports, GROUP, strict=True):
        assert (report["date"], report["time"], report["place"]) == (
            "2026-11-22",
            "01:30",
            "Torget",
        )
        assert report["personnummer"] == pnr
        assert report["phone"] == (phone or None)
        assert report["ovrigt"] == (other or None)
        assert report["officer"] == "Insp. Berg"
        assert report["alcohol_source"] == "okand_vuxen" and report["obot"] == "nej"
        assert report["drunk"] == ("b" in ticks)
        assert report["with_carrier"] == ("t" in ticks)
        custody = {"n": "nej", "l": "lob"}[answers[0]]
        assert report["custody"] == custody
        assert report["guardian_contacted"] == {"j": "ja", "e": "i_efterhand"}[answers[1]]
        assert (
            report["guardian_action"]
            == {"h": "hamtade", "s": "ordnade_skjuts", "v": "vagrade"}[answers[2]]
        )
    assert reports[0]["seized"] == ["6 burk starköl 50 cl"]
    assert reports[3]["seized"] == ["1 flaska sprit 70 cl"]
    assert reports[2]["seized"] is None
    assert reports[0]["age"] == 16 and reports[0]["sex"] == "kvinna"


async def test_personnummer_is_read_as_typed_and_a_report_saves_without_one(
    db_path: Path,
) -> None:
    open_store(db_path).close()
    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await pilot.pause()
        form = app.screen
        await pilot.press(*"Torget", "enter", *"Okänd Pojke", "enter")
        hint = form.query_one("#rep-pnr-hint", Static)
        await pilot.press(*"20100315-9802")  # wrong check digit
        assert "kontrollsiffran" in str(hint.render())
        await pilot.press(*(["backspace"] * 13), *"20300315-9801")
        assert "✗" in str(hint.render())
        await pilot.press(*(["backspace"] * 13), *"20100975-2468")  # samordningsnummer
        assert "samordningsnummer" in str(hint.render())
        assert form.query_one("#rep-age", Input).value  # filled in from the number
        await pilot.press(*(["backspace"] * 13))
        # No number: age and sex are typed (the young person would not say).
        assert form.query_one("#rep-age", Input).value == ""
        await pilot.press("enter", "enter", *"15", "enter", "m")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ReportFormScreen)
    with Store(db_path) as store:
        (report,) = store.records("snabbrapport")
    assert report["personnummer"] is None
    assert (report["name"], report["age"], report["sex"]) == ("Okänd Pojke", 15, "man")


@pytest.mark.parametrize(
    ("lang", "typing", "one", "unfinished"),
    [
        ("sv", "… 7 siffror hittills", "… 1 siffra hittills", "✗ ofullständigt"),
        ("en", "… 7 digits so far", "… 1 digit so far", "✗ unfinished"),
    ],
)
async def test_an_unfinished_personnummer_is_said_when_its_field_is_left(
    db_path: Path, lang: str, typing: str, one: str, unfinished: str
) -> None:
    # It said only "…" beside the field, typed or left, until the save named it.
    open_store(db_path).close()
    app = app_for(db_path, lang)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await pilot.pause()
        form = app.screen
        await pilot.press(*"Torget", "enter", *"Alva", "enter")
        hint = form.query_one("#rep-pnr-hint", Static)
        await pilot.press("2")
        assert str(hint.render()) == one
        await pilot.press(*"010031")
        assert str(hint.render()) == typing
        await pilot.press("enter")  # on to the phone, the number unfinished
        await pilot.pause()
        assert str(hint.render()).startswith(unfinished)
        assert hint.has_class("pnr-bad")
        await pilot.press("shift+tab")  # back, and finished
        await pilot.pause()
        await pilot.press("end", *"5-9801")
        assert "✓" in str(hint.render())


async def test_a_wrong_value_is_named_and_nothing_is_saved(db_path: Path) -> None:
    open_store(db_path).close()
    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await pilot.pause()
        form = app.screen
        form.query_one("#rep-date", Input).value = "31 februari"
        await pilot.press(*"Torget", "enter", *"Alva", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReportFormScreen)
        error = str(form.query_one("#form-error", Static).render())
        assert "Datum" in error
        assert app.focused is form.query_one("#rep-date", Input)
    with Store(db_path) as store:
        assert store.count("snabbrapport") == 0


async def test_leaving_with_unsaved_text_asks_first_and_a_crash_keeps_a_draft(
    db_path: Path,
) -> None:
    open_store(db_path).close()
    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press(*"Torget", "enter", *"Alva Testsson", "enter")
        await pilot.press(*"20100315-9801", "enter")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, KeyChoiceModal)
        await pilot.press("escape")  # back to the form
        await pilot.pause()
        assert isinstance(app.screen, ReportFormScreen)
        # The laptop dies here: the app ends without the form being closed or saved.
    with Store(db_path) as store:
        draft = drafts.latest(store, NEW_DRAFT)
    assert draft is not None and draft.data["values"]["rep-name"] == "Alva Testsson"

    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, KeyChoiceModal)  # the draft is offered back
        await pilot.press("t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReportFormScreen), (app.screen, app.screen_stack)
        assert form.query_one("#rep-name", Input).value == "Alva Testsson"
        assert form.query_one("#rep-pnr", Input).value == "20100315-9801"
        assert form.query_one("#rep-place", Input).value == "Torget"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ReportFormScreen)
    with Store(db_path) as store:
        assert store.count("snabbrapport") == 1
        assert drafts.latest(store, NEW_DRAFT) is None  # saved: the draft is gone


async def test_a_new_report_is_one_key_away_from_another_section(db_path: Path) -> None:
    open_store(db_path).close()
    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, WalkListScreen)
        footer_keys = {b.binding.key for b in app.screen.active_bindings.values()}
        assert "f5" in footer_keys
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ReportFormScreen)


def _filed(db_path: Path) -> dict[str, str]:
    """Three reports: one in custody (LOB), one with a note due, one without a note."""
    with open_store(db_path) as store:
        ids = {
            "lob": store.create(
                "snabbrapport",
                report_fields(custody="lob", pm_social="ja", name="Alva Testsson"),
            ),
            "due": store.create(
                "snabbrapport",
                report_fields(
                    name="Liam Provsson",
                    personnummer="20110204-1231",
                    custody="nej",
                    pm_social="ja",
                    time="22:00",
                    guardian_contacted="ja",
                    guardian_action="hamtade",
                    seized=["6 burk starköl 50 cl"],
                ),
            ),
            "none": store.create(
                "snabbrapport",
                report_fields(
                    name="Ella Exempel",
                    personnummer="20100822-3453",
                    custody="nej",
                    pm_social="nej",
                    date="2026-10-10",
                    place="Skolgården",
                ),
            ),
        }
    return ids


async def test_the_list_filters_by_custody_note_and_place(db_path: Path) -> None:
    ids = _filed(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        table = await open_list(pilot)
        screen = app.screen
        assert table.row_count == 3
        await pilot.press("o")  # everyone taken into custody
        await pilot.pause()
        assert list(table.rows) and [k.value for k in table.rows] == [ids["lob"]]
        await pilot.press("o", "o", "o", "o", "o", "o")  # round to "alla" again
        await pilot.press("s")  # notes to send
        await pilot.pause()
        assert {k.value for k in table.rows} == {ids["lob"], ids["due"]}
        await pilot.press("s", "s", "s")
        screen.query_one("#rep-place", Input).value = "skol"
        await pilot.press("slash")
        await pilot.press("enter")
        await pilot.pause()
        assert [k.value for k in table.rows] == [ids["none"]]
        screen.query_one("#rep-place", Input).value = ""
        screen.query_one("#rep-search", Input).value = "Liam"
        await pilot.pause(ReportListScreen.DEBOUNCE * 3)  # the list follows once typing pauses
        await settle(pilot)
        assert [k.value for k in table.rows] == [ids["due"]]
        screen.query_one("#rep-search", Input).value = ""
        screen.query_one("#rep-from", Input).value = "den 40:e"
        await pilot.press("slash", "enter")
        await pilot.pause()
        # Whole on its one row at 80 columns (the date's own sentence was cut there).
        said = str(screen.query_one("#rep-line", Static).render())
        assert said == "Från: 'den 40:e' är inget datum – skriv t.ex. 21/11, 2026-11-21 eller igår"
        assert len(said) <= 78


async def test_a_note_to_social_services_for_two_marked_reports(
    db_path: Path, tmp_path: Path
) -> None:
    ids = _filed(db_path)
    with open_store(db_path) as store:
        store.set_setting("output_folder", str(tmp_path / "docs"))
    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        table = await open_list(pilot)
        order = [k.value for k in table.rows]
        for key in (ids["lob"], ids["due"]):
            table.move_cursor(row=order.index(key))
            await pilot.press("space")
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PmModal)
        await pilot.press("r")  # the legal reference is the users' text
        await pilot.pause()
        prompt = app.screen.query_one(Input)
        prompt.value = "Enligt överenskommelse med Lycksele kommun, dnr 2026/17."
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReportListScreen)
    (written,) = (tmp_path / "docs").iterdir()
    assert written.name.endswith("-SEKRETESS.txt")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    text = written.read_text(encoding="utf-8")
    assert text.startswith("SEKRETESS") and text.rstrip().endswith("SEKRETESS")
    assert "Alva Testsson" in text and "Liam Provsson" in text and "Ella Exempel" not in text
    assert "dnr 2026/17" in text
    assert "6 burk starköl 50 cl" in text
    with Store(db_path) as store:
        for key in ("lob", "due"):
            report = store.get("snabbrapport", ids[key]) or {}
            assert report["pm_sent_date"] == "2026-11-22" and report["pm_social"] == "ja"
        assert store.get("snabbrapport", ids["none"])["pm_sent_date"] is None  # type: ignore[index]
        assert export_log.personal_files_still_present(store.conn) == [written.resolve()]


async def test_erasing_one_report_now_from_the_list(db_path: Path) -> None:
    ids = _filed(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        table = await open_list(pilot, at=ids["due"])
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("j")
        await pilot.pause()
        cells = [str(c) for c in table.get_row(ids["due"])]
        assert "(gallrad)" in cells
    with Store(db_path) as store:
        report = store.get("snabbrapport", ids["due"]) or {}
        assert report["name"] is None and report["personnummer"] is None
        assert report["erased_date"] == "2026-11-22"
        assert report["age"] == 15 and report["custody"] == "nej"  # statistics stay


async def test_the_months_statistics_compared_with_the_month_before(
    db_path: Path, tmp_path: Path
) -> None:
    _filed(db_path)
    with open_store(db_path) as store:
        store.set_setting("output_folder", str(tmp_path / "docs"))
    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_list(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportStatsScreen)
        table = str(screen.query_one("#stats-table", Static).render())
        # Like with like: November so far against the same days of October.
        assert "2026-11-01–11-22" in table and "2026-10-01–10-22" in table
        line = next(row for row in table.splitlines() if row.strip().startswith("Rapporter"))
        assert line.split()[1:] == ["2", "100", "%", "1", "100", "%"]
        assert "Alva" not in table and "20100315" not in table
        chart = str(screen.query_one("#stats-chart", Static).render())
        assert "2026-10" in chart and "2026-11" in chart
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, KeyChoiceModal)
        await pilot.press("x")  # Excel
        await pilot.pause()
    (workbook,) = (tmp_path / "docs").iterdir()
    assert workbook.suffix == ".xlsx"
    book = openpyxl.load_workbook(workbook)
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
             for c in row if c is not None]  # fmt: skip
    assert "Rapporter" in cells and not any("Alva" in c for c in cells)
    assert len(book.worksheets) == 2  # the table, and reports per month


async def test_statistics_say_why_when_the_result_cannot_be_drawn(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drawing the counted figures fails: the screen says so in one sentence instead of
    "Räknar …" for ever."""
    _filed(db_path)

    def broken(*_args: object, **_kwargs: object) -> str:
        raise ValueError("cannot draw")

    monkeypatch.setattr(tables, "as_screen", broken)
    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_list(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ReportStatsScreen)
        line = app.screen.query_one("#stats-line", Static)
        text = str(line.render())
        assert "Räknar" not in text
        assert "oväntat fel (ValueError)" in text and line.has_class("form-error")


async def test_statistics_of_reports_with_times_written_without_a_leading_zero(
    db_path: Path,
) -> None:
    """A time written "0:37" straight into the table (as the benchmark once did) is no
    hour of the chart; the statistics are shown all the same."""
    ids = _filed(db_path)
    with open_store(db_path) as store, store.transaction():
        store.conn.execute("UPDATE snabbrapport SET time = '0:37' WHERE id = ?", (ids["lob"],))
    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_list(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ReportStatsScreen)
        line = str(app.screen.query_one("#stats-line", Static).render())
        assert "Räknar" not in line and "2 rapporter" in line
        table = str(app.screen.query_one("#stats-table", Static).render())
        assert "Klockslag" in table and "0:" not in table


async def test_an_edited_report_keeps_its_number_and_shows_erasure(db_path: Path) -> None:
    ids = _filed(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_list(pilot, at=ids["lob"])
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReportFormScreen), (app.screen, app.screen_stack)
        assert form.query_one("#rep-name", Input).value == "Alva Testsson"
        assert form.query_one("#rep-custody", ChoiceLine).value == "lob"
        ticks = form.query_one("#rep-ticks", TickLine)
        ticks.focus()
        await pilot.press("b")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReportListScreen)
    with Store(db_path) as store:
        report = store.get("snabbrapport", ids["lob"]) or {}
        assert report["drunk"] is True and report["nr"] == 1


async def test_the_overview_counts_notes_to_send_and_opens_them(db_path: Path) -> None:
    ids = _filed(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#home-figures", FittedTable)
        row = [str(c) for c in table.get_row("pm_due")]
        assert row[1] == "2"
        table.move_cursor(row=table.get_row_index("pm_due"))
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportListScreen)
        assert {k.value for k in screen.query_one("#rep-table", FittedTable).rows} == {
            ids["lob"],
            ids["due"],
        }


async def test_markup_in_names_and_places_is_shown_as_typed(db_path: Path) -> None:
    from tests.screens.test_walks import HOSTILE, HOSTILE_SHOWN

    with open_store(db_path) as store:
        report = store.create(
            "snabbrapport", report_fields(name=HOSTILE, place=HOSTILE, officer=HOSTILE)
        )
    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        table = await open_list(pilot, at=report)
        cells = [str(c) for c in table.get_row(report)]
        assert cells.count(HOSTILE_SHOWN) == 2  # place and name
        await pilot.press("p")
        await pilot.pause()
        assert HOSTILE_SHOWN in str(app.screen.query_one("#pm-who", Static).render())
        await pilot.press("escape", "enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReportFormScreen)
        assert form.query_one("#rep-name", Input).value == HOSTILE
        assert app.is_running  # the action link did not quit the app


async def test_the_statistics_saved_as_csv_are_one_table(db_path: Path, tmp_path: Path) -> None:
    """F6 → u → x → CSV: every line a row of the table, as wide as its header (a bar chart
    after it would land in column A in Excel and LibreOffice)."""
    import csv

    _filed(db_path)
    with open_store(db_path) as store:
        store.set_setting("output_folder", str(tmp_path / "docs"))
    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_list(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("c")  # CSV
        await pilot.pause()
    (written,) = (tmp_path / "docs").iterdir()
    assert written.suffix == ".csv"
    text = written.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    assert rows[0][:2] == ["Fråga", "Svar"]
    assert all(len(row) == len(rows[0]) for row in rows), [r for r in rows if len(r) != 6]
    assert "█" not in text


async def test_a_new_report_starts_on_the_place_the_last_one_chosen(db_path: Path) -> None:
    # With a place remembered the form started on Namn: a place typed in paper order
    # went into Namn, the name into P-nr, every answer one field down (cold test). The
    # last place stands chosen: Enter keeps it, typing replaces it.
    with open_store(db_path) as store:
        from db.snabbrapport.entry import save_report

        save_report(store, report_fields(place="Torget"))
    app = app_for(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await pilot.pause()
        form = app.screen
        place = form.query_one("#rep-place", Input)
        assert app.focused is place and place.value == "Torget"
        await pilot.press(*"Stationen", "enter", *"Anna A")
        assert place.value == "Stationen"
        assert form.query_one("#rep-name", Input).value == "Anna A"
        await pilot.press("escape")
        await pilot.pause()
        if isinstance(app.screen, KeyChoiceModal):  # what to do with what was typed
            await pilot.press("x")
            await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        form = app.screen
        await pilot.press("enter", *"Olle")  # Enter keeps the place
        assert form.query_one("#rep-place", Input).value == "Torget"
        assert form.query_one("#rep-name", Input).value == "Olle"
