"""Action plans in the TUI, by keyboard, on real files: the issue's "done when" — import
the Sollefteå plan from its file, log progress, set a follow-up with a light and print the
steering-group report — and the measure form, moving measures, and a finding turned into
a measure."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static, TextArea

from db.demo import build_demo, demo_plan_files
from db.store import Store
from screens.followup_form import FollowupFormScreen
from screens.measure_form import MeasureFormScreen
from screens.plan import PlanScreen
from screens.plan_import import PlanImportFileModal, PlanImportScreen
from screens.plan_list import PlanListScreen
from screens.progress_form import ProgressFormScreen
from screens.widgets.dialogs import KeyChoiceModal
from tests.conftest import NOW, open_store, walk_fields
from tests.screens.test_reports import app_for, settle


def _row_of(table: DataTable, key: str) -> int:
    return [k.value for k in table.rows].index(key)


async def test_import_log_follow_up_and_report_by_keyboard(db_path: Path, tmp_path: Path) -> None:
    with open_store(db_path) as store:
        build_demo(store, NOW.date())
    xlsx = demo_plan_files(tmp_path / "files")[0]
    app = app_for(db_path)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, PlanListScreen)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, PlanImportFileModal)
        app.screen.query_one("#import-path", Input).value = str(xlsx)
        await pilot.press("enter")
        await pilot.pause()
        importer = app.screen
        assert isinstance(importer, PlanImportScreen)
        # The guess is shown; → changes the first column's meaning, ← puts it back.
        assert importer.mapping == ["focus_area", "activity", "goal", "responsible"]
        await pilot.press("right")
        assert importer.mapping[0] == "cause_nr"
        await pilot.press("left")
        assert importer.mapping[0] == "focus_area"
        preview = str(importer.query_one("#import-preview", Static).render())
        assert "26 åtgärder i 6 fokusområden" in preview
        # The title and municipality come from the title row above the table.
        assert importer.query_one("#import-title", Input).value.startswith("Handlingsplan för")
        assert importer.query_one("#import-kommuner", Input).value == "Sollefteå"
        await pilot.press("ctrl+s")
        await settle(pilot)
        plan_screen = app.screen
        assert isinstance(plan_screen, PlanScreen)
        with Store(db_path) as store:
            plan = store.get("plan", plan_screen.plan_id) or {}
            assert plan["kommuner"] == ["Sollefteå"]
            measures = {
                m["activity"]: m["id"]
                for m in store.records("measure", where={"plan_id": plan_screen.plan_id})
            }
        assert len(measures) == 26
        visits = measures["Oplanerade besök på krogarna av polispatruller"]
        table = plan_screen.query_one(DataTable)
        table.move_cursor(row=_row_of(table, visits))
        await pilot.pause()
        # Log: the measure under the cursor is chosen; today, once.
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, ProgressFormScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        # Follow-up: the light is one key, the logged count filled in.
        await pilot.press("u")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FollowupFormScreen)
        assert form.query_one("#fu-count", Input).value == "1"
        assert "med gott resultat på problemet" in str(
            form.query_one("#fu-meanings", Static).render()
        )
        # The documented path: Enter between the fields, in the handbook's order
        # (count, production, process, effect), the light last, Enter on it saves.
        assert app.focused is form.query_one("#fu-count", Input)
        await pilot.press("enter", *"Varje helg", "enter", *"Två patruller", "enter")
        await pilot.press(*"Lugnare vid stängning", "enter", "1")
        assert isinstance(app.screen, FollowupFormScreen)  # a light alone does not save
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        light = str(table.get_row(visits)[5])
        assert "Grön" in light
        # The steering-group report: R, S (styrgrupp), H (HTML).
        await pilot.press("r", "s", "h")
        await pilot.pause()
    with Store(db_path) as store:
        (entry,) = store.records("progress", where={"measure_id": visits})
        assert (entry["date"], entry["count"]) == ("2026-11-22", 1)
        (followup,) = store.records("followup", where={"measure_id": visits})
        assert (followup["period"], followup["rating"], followup["effect"]) == (
            "2026-H2",
            "gron",
            "Lugnare vid stängning",
        )
        assert (followup["production"], followup["process"]) == ("Varje helg", "Två patruller")
    (report,) = (tmp_path / "documents" / "Trygg").glob("uppfoljning-*.html")
    html = report.read_text(encoding="utf-8")
    assert "Oplanerade besök på krogarna" in html and "● Grön" in html


def _plan(path: Path) -> dict[str, str]:
    with open_store(path) as store:
        plan = store.create(
            "plan", {"title": "Trygg i Lycksele", "start_date": "2026-01-01",
                     "followup_interval": "kvartal"},
        )  # fmt: skip
        centre = store.create("focus_area", {"plan_id": plan, "name": "Centrum", "position": 1})
        school = store.create("focus_area", {"plan_id": plan, "name": "Skolan", "position": 2})
        measure = store.create(
            "measure", {"plan_id": plan, "focus_area_id": centre, "activity": "Belysning"}
        )
        return {"plan": plan, "centre": centre, "school": school, "measure": measure}


async def test_a_new_measure_with_rhythm_in_words_and_smart_hints(db_path: Path) -> None:
    ids = _plan(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        app.push_screen(PlanScreen(ids["plan"]))
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=_row_of(table, f"area:{ids['school']}"))
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MeasureFormScreen)
        form.query_one("#measure-activity", TextArea).text = "Rastvakter"
        form.query_one("#measure-goal", TextArea).text = "Minska antalet brott"
        await pilot.pause()
        hints = str(form.query_one("#measure-smart", Static).render())
        assert "inget tal" in hints and "när" in hints and "var" in hints
        form.query_one(
            "#measure-goal", TextArea
        ).text = "Minst 2 rastvakter vid skolgården varje skoldag under 2027"
        rhythm = form.query_one("#measure-rhythm", Input)
        rhythm.value = "minst 3 per vecka"
        await pilot.pause()
        assert str(form.query_one("#measure-smart", Static).render()) == ""
        assert "✓ 3 per vecka" in str(form.query_one("#measure-rhythm-said", Static).render())
        # A wrong date is named, and nothing is saved.
        form.query_one("#measure-due", Input).value = "31 februari"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MeasureFormScreen)
        assert "inget verkligt datum" in str(form.query_one("#form-error", Static).render())
        assert app.focused is form.query_one("#measure-due", Input)
        with Store(db_path) as store:
            assert store.count("measure") == 1
        form.query_one("#measure-due", Input).value = "2027-06-15"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
    with Store(db_path) as store:
        (new,) = [m for m in store.records("measure") if m["activity"] == "Rastvakter"]
    assert (new["focus_area_id"], new["rrule"], new["target_count"], new["due_date"]) == (
        ids["school"],
        "FREQ=WEEKLY;BYDAY=SU",
        3,
        "2027-06-15",
    )


async def test_a_measure_moves_to_another_area_with_m(db_path: Path) -> None:
    ids = _plan(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        app.push_screen(PlanScreen(ids["plan"]))
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=_row_of(table, ids["measure"]))
        await pilot.press("m")
        await pilot.pause()
        # Options: Centrum, Skolan, (no area) — Skolan is the second.
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
    with Store(db_path) as store:
        assert (store.get("measure", ids["measure"]) or {})["focus_area_id"] == ids["school"]


async def test_a_finding_becomes_a_measure_that_shows_its_origin(db_path: Path) -> None:
    ids = _plan(db_path)
    with open_store(db_path) as store:
        walk = store.create("walk", walk_fields(area="Centrum", date="2026-10-03"))
        finding = store.create(
            "finding", {"walk_id": walk, "place": "Torget", "remark": "Trasig belysning"}
        )
    app = app_for(db_path)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        from screens.walk import WalkScreen

        app.push_screen(WalkScreen(walk))
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("n")  # new measure; the only plan is chosen
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MeasureFormScreen)
        assert "Från trygghetsvandring Centrum 2026-10-03, anmärkning 1" in str(
            form.query(".hint").first().render()
        )
        assert form.query_one("#measure-activity", TextArea).text == "Trasig belysning"
        await pilot.press("ctrl+s")
        await pilot.pause()
    with Store(db_path) as store:
        linked = (store.get("finding", finding) or {})["measure_id"]
        measure = store.get("measure", linked) or {}
    assert measure["finding_id"] == finding and measure["plan_id"] == ids["plan"]
    assert measure["cause"] == "Trasig belysning (Torget, Centrum)"


async def test_a_wrong_file_is_named_and_nothing_is_imported(db_path: Path, tmp_path: Path) -> None:
    _plan(db_path)
    bad = tmp_path / "plan.xlsx"
    bad.write_bytes(b"inte en Excel-fil")
    app = app_for(db_path)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f8", "i")
        await pilot.pause()
        modal = app.screen
        modal.query_one("#import-path", Input).value = str(tmp_path / "saknas.csv")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlanImportFileModal)
        assert "finns inte" in str(modal.query_one("#import-error", Static).render())
        modal.query_one("#import-path", Input).value = str(bad)
        await pilot.press("enter")
        await pilot.pause()
        importer = app.screen
        assert isinstance(importer, PlanImportScreen)
        assert "går inte att läsa som Excel-fil" in str(
            importer.query_one("#form-error", Static).render()
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
    with Store(db_path) as store:
        assert store.count("plan") == 1


async def test_user_text_that_looks_like_markup_is_shown_as_typed(db_path: Path) -> None:
    from tests.screens.test_walks import HOSTILE

    with open_store(db_path) as store:
        plan = store.create("plan", {"title": HOSTILE, "kommuner": [HOSTILE]})
        area = store.create("focus_area", {"plan_id": plan, "name": HOSTILE})
        store.create(
            "measure",
            {"plan_id": plan, "focus_area_id": area, "activity": HOSTILE, "goal": HOSTILE,
             "responsible": HOSTILE},
        )  # fmt: skip
    app = app_for(db_path)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("enter", "down")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        detail = str(app.screen.query_one("#plan-detail", Static).render())
        assert "[@click=app.quit]" in detail
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("escape", "r")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, PlanScreen)


async def test_importing_a_plan_twice_asks_and_keeps_the_files_order(
    db_path: Path, tmp_path: Path
) -> None:
    open_store(db_path).close()
    csv = demo_plan_files(tmp_path / "files")[1]
    app = app_for(db_path)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        for answer in (None, "u", "n"):
            app.push_screen(PlanImportScreen(str(csv)))
            await pilot.pause()
            await pilot.press("ctrl+s")
            await settle(pilot)
            if answer is not None:
                # The title exists: update that plan, or make a second one.
                assert isinstance(app.screen, KeyChoiceModal)
                await pilot.press(answer)
                await settle(pilot)
            assert not isinstance(app.screen, PlanImportScreen | KeyChoiceModal)
    with Store(db_path) as store:
        plans = store.records("plan")
        assert len(plans) == 2  # the update made no second plan; "n" did
        first = store.records("measure", where={"plan_id": plans[0]["id"]}, order_by=("id",))
        second = store.records("measure", where={"plan_id": plans[1]["id"]}, order_by=("id",))
    assert len(first) == len(second) == 26  # updated in place, not doubled
    # The file's order, and a Nr for each measure within its area.
    assert [m["activity"] for m in first] == [m["activity"] for m in second]
    assert first[0]["activity"].startswith(second[0]["activity"][:10])
    assert all(m["cause_nr"] for m in first)
    areas: dict[str, list[int]] = {}
    for m in first:
        areas.setdefault(m["focus_area_id"], []).append(m["cause_nr"])
    assert all(nrs == sorted(nrs) for nrs in areas.values())
