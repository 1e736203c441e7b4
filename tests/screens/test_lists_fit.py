"""The lists at 80×24 (and wider): the columns that matter for the list's job in view,
long text ellipsised ("…") rather than cut mid-word with the whole of it under the table,
and more shown when the terminal is wider. Each test is a defect seen on the landed main."""

from __future__ import annotations

from pathlib import Path

import pytest

from screens.plan import PlanScreen
from screens.plan_import import CHOICES, PlanImportScreen
from screens.report_list import ReportListScreen
from screens.walk import WalkScreen
from screens.widgets.tables import Col, FittedTable, fit_columns
from tests.screens.layout import screen_lines
from tests.screens.realistic import LONG_OWNERS
from tests.screens.tour import keys, settle, tour_app


def _header(lines: list[str], first: str) -> str:
    return next(line for line in lines if line.strip().startswith(first))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_quick_report_list_shows_custody_and_the_note(
    size: tuple[int, int],
    realistic_template: Path,
    fixed_devices: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = tour_app(realistic_template, f"f6-{size[0]}", monkeypatch)
    async with app.run_test(size=size) as pilot:
        await keys("f6")(pilot)
        assert isinstance(app.screen, ReportListScreen)
        lines = screen_lines(app)
        header = _header(lines, "Nr")
        # Custody and the note to social services are why the list is opened.
        assert "Omhänd." in header and header.rstrip().endswith("PM")
        sent = next(line for line in lines if "Järnvägssta" in line)
        assert "LOB" in sent and "✓ 2026-11-22" in sent
        assert any("ska skickas" in line for line in lines)
        if size[0] >= 120:
            assert "Ålder" in header and "Kön" in header
            assert "Maximilian Andersson-Wikström" in sent


async def test_the_quick_report_list_says_the_rest_under_the_row(
    realistic_template: Path, fixed_devices: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = tour_app(realistic_template, "f6-detail", monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await keys("f6")(pilot)
        table = app.screen.query_one(FittedTable)
        row = next(
            str(k.value) for k in table.rows if "Maximilian" in table.record(str(k.value))["name"]
        )
        table.move_cursor(row=table.get_row_index(row))
        await settle(pilot)
        lines = screen_lines(app)
        shown = next(line for line in lines if "Järnvägssta" in line)
        assert "Maximilian An…" in shown or "Maximilian Andersson-W…" in shown
        detail = " ".join(" ".join(lines[-6:-1]).split())
        assert "Ålder 15" in detail and "Maximilian Andersson-Wikström" in detail


async def test_the_walk_shows_owners_shortened_and_whole_below(
    realistic_template: Path, fixed_devices: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = tour_app(realistic_template, "walk-owner", monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await keys("f3", "enter")(pilot)
        assert isinstance(app.screen, WalkScreen)
        lines = screen_lines(app)
        assert "Ägare" in _header(lines, "Nr")
        first = next(line for line in lines if line.strip().startswith("1 "))
        assert "Trafikverket" in first and first.rstrip().endswith("…")
        # The whole name under the table, for the finding under the cursor.
        below = " ".join(" ".join(lines[lines.index(first) + 1 : -1]).split())
        assert LONG_OWNERS["Trafikverket"] in below


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_plan_keeps_its_assessment_and_hours_in_view(
    size: tuple[int, int],
    realistic_template: Path,
    fixed_devices: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = tour_app(realistic_template, f"plan-{size[0]}", monkeypatch)
    async with app.run_test(size=size) as pilot:
        await keys("f8", "enter")(pilot)
        assert isinstance(app.screen, PlanScreen)
        table = app.screen.query_one(FittedTable)
        long_area = next(
            str(k.value) for k in table.rows if "Forsdala" in table.record(str(k.value))["activity"]
        )
        table.move_cursor(row=table.get_row_index(long_area) + 1)
        await settle(pilot)
        lines = screen_lines(app)
        header = _header(lines, "Nr")
        assert "Bedömning" in header and header.rstrip().endswith("Tim")
        area = next(line for line in lines if "▸ Trygghetsskapande" in line)
        assert area.rstrip().endswith("…")
        measure = next(line for line in lines if "Gemensamma trygghets" in line)
        assert "…" in measure
        # The measure under the cursor, whole, below the table.
        detail = " ".join(" ".join(lines[lines.index(measure) + 1 : -1]).split())
        assert "ungdomsgårdens personal i Forsdala" in detail


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_import_mapping_shows_what_each_column_becomes(
    size: tuple[int, int],
    realistic_template: Path,
    fixed_devices: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = tour_app(realistic_template, f"import-{size[0]}", monkeypatch)
    async with app.run_test(size=size) as pilot:
        await keys("f8", "i", "enter")(pilot)
        assert isinstance(app.screen, PlanImportScreen)
        lines = screen_lines(app)
        assert any("Kolumn i filen" in line and "Blir" in line for line in lines)
        shown = "\n".join(lines)
        for target in ("Fokusområde", "Åtgärd/aktivitet", "Operativt mål", "Vem (ansvarig)"):
            assert target in shown
        # The longest meaning fits too, when the arrows give it to a column.
        for _ in range(len(CHOICES)):
            if "Samverkanspartne" in "\n".join(screen_lines(app)):
                break
            await pilot.press("right")
            await pilot.pause()
        line = next(line for line in screen_lines(app) if "Samverkanspartne" in line)
        assert "Samverkanspartner " in line


async def test_the_plan_list_shows_its_counts_whole(
    realistic_template: Path, fixed_devices: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = tour_app(realistic_template, "plans", monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await keys("f8")(pilot)
        header = _header(screen_lines(app), "Plan")
        for label in ("Åtgärder", "Efter plan", "Timmar"):
            assert label in header


async def test_the_walk_list_search_hint_is_read_whole(
    realistic_template: Path, fixed_devices: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = tour_app(realistic_template, "walks", monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await keys("f3")(pilot)
        assert any("/ – ord i område, plats, anmärkning" in line for line in screen_lines(app))


async def test_a_wider_terminal_widens_the_list(
    realistic_template: Path, fixed_devices: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = tour_app(realistic_template, "resize", monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await keys("f6")(pilot)
        table = app.screen.query_one(FittedTable)
        assert "age" not in table.shown
        narrow = dict(table.shown)
        await pilot.resize_terminal(140, 40)
        await settle(pilot)
        assert "age" in table.shown and "sex" in table.shown
        assert table.shown["place"] > narrow["place"] and table.shown["name"] > narrow["name"]


def test_columns_give_way_in_order_and_headers_are_never_cut() -> None:
    columns = [
        Col("nr", "Nr", width=3),
        Col("text", "Anmärkning", min=10),
        Col("extra", "Kategori", min=8, drop=1),
        Col("more", "Vandring", min=8, drop=2),
    ]
    natural = {"text": 80, "extra": 20, "more": 30}
    assert list(fit_columns(columns, natural, 100)) == ["nr", "text", "extra", "more"]
    assert list(fit_columns(columns, natural, 34)) == ["nr", "text", "extra"]
    assert list(fit_columns(columns, natural, 20)) == ["nr", "text"]
    narrow = fit_columns(columns, natural, 10)
    assert narrow["text"] >= len("Anmärkning")
    wide = fit_columns(columns, natural, 200)
    assert wide["extra"] == 20 and wide["more"] == 30 and wide["text"] == 60
