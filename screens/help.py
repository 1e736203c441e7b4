"""Help (F1): every key of the screen below, with what it does."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from screens.widgets.base import TryggModal


class HelpScreen(TryggModal[None]):
    """Lists the active bindings of ``target``."""

    #: The keys it lists are the screen's below: the app judges them as if that were on top.
    LISTS_KEYS_BELOW = True

    BINDINGS = [
        Binding("escape", "close", "key.back", tooltip="key.back.tooltip", id="close"),
        Binding("f1", "close", show=False, id="close_f1"),
    ]

    def __init__(self, target: Screen) -> None:
        super().__init__()
        self._target = target

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(self.t("help.title"), classes="section-title")
            yield DataTable(id="help-keys", cursor_type="row", show_header=False)
            yield Static(self.t("help.close"), markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one(DataTable)
        table.add_columns("key", "action")
        seen = set()
        for key, active in self._target.active_bindings.items():
            binding = active.binding
            # Textual's own scrolling and focus keys carry no id; Trygg's all do.
            if binding.id is None or not binding.description:
                continue
            if (binding.action, binding.description) in seen:
                continue
            seen.add((binding.action, binding.description))
            shown = binding.key_display or self.app.get_key_display(binding)
            table.add_row(Text(shown, style="bold"), Text(binding.description), key=key)
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
