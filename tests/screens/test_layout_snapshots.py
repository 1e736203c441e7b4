"""SVG snapshots of every screen and dialog at 80×24, and of the main lists at 120×40,
on the realistic database (long Swedish words, long owner names, a colleague and a
conflict) with a fixed clock, keys and device ids. Update with ``pytest
tests/screens/test_layout_snapshots.py --snapshot-update`` after a deliberate change, then
open the pictures and read them before committing (``rsvg-convert`` makes PNGs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.screens.tour import STOPS, Stop, tour_app


def _stops(*, main: bool = False) -> list[Any]:
    return [pytest.param(s, id=s.name) for s in STOPS if s.main or not main]


@pytest.mark.parametrize("stop", _stops())
def test_at_80x24(
    stop: Stop,
    snap_compare: Any,
    realistic_template: Path,
    fixed_devices: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = tour_app(realistic_template, f"snap-{stop.name}", monkeypatch, empty=stop.empty)
    assert snap_compare(app, terminal_size=(80, 24), run_before=stop.steps)


@pytest.mark.parametrize("stop", _stops(main=True))
def test_at_120x40(
    stop: Stop,
    snap_compare: Any,
    realistic_template: Path,
    fixed_devices: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = tour_app(realistic_template, f"snap-wide-{stop.name}", monkeypatch)
    assert snap_compare(app, terminal_size=(120, 40), run_before=stop.steps)
