"""The key line at the foot of the screens: built once per screen and its keys styled once,
yet it follows the screen's keys when they change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from screens.report_list import ReportListScreen
from screens.widgets.footer import Footer
from tests.conftest import NOW, open_store
from tui.app import TryggApp


async def test_moving_between_fields_keeps_the_footer(db_path: Path) -> None:
    """Each change of focus asked Textual's footer to build its keys again (a third of a
    list's time from key to screen); from one filter field to the next the keys shown
    stay the same, so nothing is built, and from the list to a field and back they
    change, the same keys hidden and shown again rather than built anew."""
    open_store(db_path).close()
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("f6")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReportListScreen)
        built = list(app.screen.query(FooterKey))
        in_list = _shown(app)
        assert in_list[:3] == ["Tillbaka", "Ny snabbrapport", "Markera"]
        await pilot.press("slash")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#rep-search", Input)
        in_field = _shown(app)
        # Typed letters go into the field: their keys leave the footer.
        assert "Markera" not in in_field
        assert "Tillbaka" in in_field
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#rep-from", Input)
        assert _shown(app) == in_field
        await pilot.press("escape")
        await pilot.pause()
        assert _shown(app) == in_list
        assert list(app.screen.query(FooterKey)) == built


async def test_footer_keys_are_not_styled_again_once_made(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual styled each key twice more after making it (its ``compact`` flag set on,
    then bound to the footer's off)."""
    restyled: list[FooterKey] = []
    original = FooterKey.update_node_styles

    def update_node_styles(self: FooterKey, animate: bool = True) -> None:
        restyled.append(self)
        original(self, animate)

    monkeypatch.setattr(FooterKey, "update_node_styles", update_node_styles)
    open_store(db_path).close()
    app = TryggApp(db_path, "sv", now=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("f6")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        keys = list(app.screen.query(FooterKey))
        assert keys
        keys = [k for k in keys if not k.has_class("-command-palette")]
        assert not any(k.compact or k.has_class("-compact") for k in keys)
        assert not [k for k in restyled if k in keys]


class _Switching(App[None]):
    """A screen whose key ``x`` is shown only while ``offered``."""

    BINDINGS = [Binding("x", "take", "Ta"), Binding("y", "other", "Annan")]
    offered = False

    def compose(self) -> ComposeResult:
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take":
            return self.offered
        return True

    def action_take(self) -> None:
        pass

    def action_other(self) -> None:
        pass


def _shown(app: App[Any]) -> list[str]:
    """The keys the footer shows (those hidden while a field has the focus left out)."""
    return [k.description for k in app.screen.query(FooterKey) if k.display]


async def test_the_footer_follows_the_keys_the_screen_offers() -> None:
    app = _Switching()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Ta" not in _shown(app)
        assert "Annan" in _shown(app)
        app.offered = True
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert "Ta" in _shown(app)
        app.offered = False
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert "Ta" not in _shown(app)
