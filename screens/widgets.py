"""Widgets and small modals shared by several screens."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from db.textutil import printable
from screens.base import TryggModal

T = TypeVar("T")

#: A row for a PagedTable: its key and its cells (already Text or plain strings).
Row = tuple[str, Sequence[Text | str]]


def plain(value: object, *, style: str = "") -> Text:
    """User text for a table cell or label: never markup, control characters visible,
    one line."""
    return Text(printable("" if value is None else value, single_line=True), style=style)


class PagedTable(DataTable[Any]):
    """A table that loads its rows from the database a page at a time, as the cursor
    nears the end of what is loaded, so a list of 100,000 records opens at once."""

    DEFAULT_CSS = """
    PagedTable { height: 1fr; }
    """
    PAGE = 100

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._fetch: Callable[[int, int], list[Row]] | None = None
        self._total: Callable[[], int] | None = None
        self.total_rows = 0
        self._loaded = 0
        self._loading = False

    def set_source(self, fetch: Callable[[int, int], list[Row]], total: Callable[[], int]) -> None:
        """Where rows come from: ``fetch(offset, limit)`` and ``total()``."""
        self._fetch, self._total = fetch, total

    def reload(self, *, keep: str | None = None) -> None:
        """Load the first page again, keeping the cursor on row ``keep`` if it is loaded
        (or on the same position)."""
        if self._fetch is None or self._total is None:
            return
        old = self.cursor_row
        self.clear()
        self._loaded = 0
        self.total_rows = self._total()
        self._load_page()
        while keep and keep not in self.rows and self._loaded < min(self.total_rows, 2000):
            if not self._load_page():
                break
        if keep and keep in self.rows:
            self.move_cursor(row=self.get_row_index(keep))
        elif self.row_count:
            self.move_cursor(row=min(old, self.row_count - 1))

    def _load_page(self) -> int:
        assert self._fetch is not None
        # Adding rows moves the cursor, which would ask for the next page meanwhile.
        self._loading = True
        try:
            rows = self._fetch(self._loaded, self.PAGE)
            for key, cells in rows:
                if key not in self.rows:  # a record written meanwhile may shift a page
                    self.add_row(*cells, key=key)
            self._loaded += len(rows)
        finally:
            self._loading = False
        return len(rows)

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)
        if self._loading:
            return
        if new.row >= self.row_count - 10 and self._loaded < self.total_rows:
            self._load_page()

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor, or None for an empty table."""
        return row_under_cursor(self)


def ago(translate: Callable[..., str], when: str | None, now: datetime) -> str:
    """How long ago the ISO time ``when`` was at ``now`` (the store's clock, local time),
    in words ("för 3 dagar sedan"); "aldrig" for None."""

    if not when:
        return translate("home.never")
    try:
        then = datetime.fromisoformat(when)
    except ValueError:
        return when
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    hours = max(0, int((now.astimezone(UTC) - then).total_seconds() // 3600))
    if hours < 1:
        return translate("home.ago_now")
    if hours < 48:
        return translate("home.ago_hours", count=hours)
    return translate("home.ago_days", count=hours // 24)


def row_under_cursor(table: DataTable[Any]) -> str | None:
    """The key of ``table``'s row under the cursor, or None for an empty table."""
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


class DialogModal(TryggModal[T]):
    """A small centred dialog (type selectors also match subclasses)."""

    DEFAULT_CSS = """
    DialogModal { align: center middle; }
    DialogModal .dialog {
        width: 64; max-width: 100%; height: auto; border: thick $accent;
        background: $surface; padding: 1 2;
    }
    DialogModal .dialog Input { margin: 1 0; }
    DialogModal .hint { color: $text-muted; }
    """


class ConfirmModal(DialogModal[bool]):
    """Asks a yes/no question; J or Y is yes, N or Esc is no (so a stray Enter never
    deletes anything)."""

    BINDINGS = [
        Binding("j,y", "answer(True)", "key.yes", tooltip="key.yes.tooltip", id="yes"),
        Binding("n,escape", "answer(False)", "key.no", tooltip="key.no.tooltip", id="no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(printable(self._question), markup=False)
            yield Static(self.t("confirm.keys"), classes="hint", markup=False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class TextPrompt(DialogModal[str | None]):
    """Asks for one line of text; Enter gives it, Esc gives None."""

    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", tooltip="key.cancel.tooltip", id="cancel"),
    ]

    def __init__(
        self, question: str, value: str = "", placeholder: str = "", *, password: bool = False
    ) -> None:
        super().__init__()
        self._question, self._value, self._placeholder = question, value, placeholder
        self._password = password

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._question, markup=False)
            yield Input(
                self._value,
                placeholder=self._placeholder,
                password=self._password,
                id="prompt-input",
            )
            yield Static(self.t("prompt.keys"), classes="hint", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class KeyChoiceModal(DialogModal[str | None]):
    """Asks to pick one of a few options, each by its own key (Esc gives None)."""

    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", tooltip="key.cancel.tooltip", id="choice_cancel"),
    ]

    def __init__(self, question: str, options: Sequence[tuple[str, str, str]]) -> None:
        super().__init__()
        self._question = question
        self._options = list(options)

    def compose(self) -> ComposeResult:
        lines = Text()
        for key, _code, label in self._options:
            lines.append(f"  {key}", style="bold")
            lines.append(f"  {label}\n")
        with Vertical(classes="dialog"):
            yield Static(self._question, markup=False)
            yield Static(lines)
            yield Static(self.t("keychoice.keys"), classes="hint", markup=False)

    def on_key(self, event: events.Key) -> None:
        for key, code, _ in self._options:
            if event.character == key:
                event.stop()
                self.dismiss(code)
                return

    def action_cancel(self) -> None:
        self.dismiss(None)
