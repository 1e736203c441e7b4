"""Every screen and dialog at 80×24, the size a terminal opens at: no column header, field
label or placeholder is cut (see ``layout.cut_texts``), on realistic data with long
Swedish words and long owner names."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.screens.layout import cut_texts
from tests.screens.tour import STOPS, Stop, tour_app


@pytest.mark.parametrize("stop", [pytest.param(stop, id=stop.name) for stop in STOPS])
async def test_nothing_is_cut_at_80x24(
    stop: Stop,
    realistic_template: Path,
    fixed_devices: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = tour_app(realistic_template, f"cut-{stop.name}", monkeypatch, empty=stop.empty)
    async with app.run_test(size=(80, 24)) as pilot:
        await stop.steps(pilot)
        assert type(app.screen).__name__ != "OverviewScreen" or stop.name == "overview"
        assert cut_texts(app.screen) == []
