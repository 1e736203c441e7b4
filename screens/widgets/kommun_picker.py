"""Choosing one of Sweden's municipalities: type a few letters, the list narrows, Enter
takes the one highlighted (↑ ↓ move). Never free text: what comes back is always a
municipality's official name."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from db.kommuner import ALL_KOMMUNER, suggest_kommun
from screens.widgets.dialogs import DialogModal
from screens.widgets.key_order import LineInput


class KommunPickerModal(DialogModal[str | None]):
    """Dismisses with the chosen municipality, or None (Esc)."""

    DEFAULT_CSS = """
    KommunPickerModal OptionList { height: 10; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", tooltip="key.cancel.tooltip", id="kommun_cancel"),
    ]

    def __init__(self, current: str | None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.t("kommun_picker.title"), markup=False)
            yield LineInput(id="kommun-filter", placeholder=self.t("kommun_picker.placeholder"))
            yield OptionList(id="kommun-list")
            yield Static(self.t("kommun_picker.keys"), classes="hint", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self._show("")
        self.query_one("#kommun-filter", Input).focus()

    def _show(self, typed: str) -> None:
        names = suggest_kommun(typed, limit=290) if typed.strip() else list(ALL_KOMMUNER)
        listing = self.query_one("#kommun-list", OptionList)
        listing.clear_options()
        listing.add_options([Option(Text(name), id=name) for name in names])
        if names:
            at = names.index(self.current) if self.current in names and not typed else 0
            listing.highlighted = at

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show(event.value)

    def on_key(self, event: events.Key) -> None:
        listing = self.query_one("#kommun-list", OptionList)
        if event.key in ("down", "up"):
            event.stop()
            if event.key == "down":
                listing.action_cursor_down()
            else:
                listing.action_cursor_up()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        listing = self.query_one("#kommun-list", OptionList)
        if listing.highlighted is None:
            return
        self.dismiss(listing.get_option_at_index(listing.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
