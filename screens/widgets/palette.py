"""Textual's command palette, speaking the interface language: its prompt and its
"nothing found" line are English in Textual and not parameters of its search."""

from __future__ import annotations

from rich.align import Align
from rich.style import Style
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option


class TryggPalette(CommandPalette):
    """The command palette with its prompt and its "no matches" line translated."""

    def __init__(self, placeholder: str, no_matches: str) -> None:
        super().__init__(placeholder=placeholder, id="--command-palette")
        self._no_matches_line = no_matches

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own (textual/command.py) with the line in the interface language;
        # the countdown and the flags are the same.
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(self._no_matches_line, style=Style(bold=False))),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)
