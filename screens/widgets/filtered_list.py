"""What the filtered list screens share (walks, quick reports): a search field that filters
as it is typed (a key after a pause at once, keys typed fast once they pause), filter
fields applied with Enter, a line that says what is shown (or what is wrong with a
filter), a paged table with a detail line under it, and Esc that leaves a field before the
screen."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input, Static

from db.dates import parse_date
from db.errors import TryggError
from db.labels import short
from screens.widgets.base import FIELD_ENTER, TryggScreen, typing_in_field
from screens.widgets.debounce import Debounce
from screens.widgets.tables import PagedTable


class FilteredListScreen(TryggScreen):
    """Subclasses name their search field and status line, and implement
    ``read_filters`` (None when a field cannot be read) and ``line_text``."""

    BINDINGS = [
        # Priority: the cursor moves when Tab is read, so that what is typed after it in
        # the same breath goes to the next field ("1/11⇥15/11" put "1/1115/11" in Från:
        # the app's Tab ran only once it had bubbled up from the field, after the rest).
        Binding("tab", "next_field", show=False, priority=True, id="list_next_field"),
        Binding("shift+tab", "previous_field", show=False, priority=True, id="list_previous_field"),
        FIELD_ENTER,
    ]

    SEARCH_ID = ""
    LINE_ID = ""
    #: The list has the keys from the start (not the search field, first in the screen:
    #: focusing it and then the list styled both twice and built the key line twice).
    AUTO_FOCUS = PagedTable.__name__
    #: Keys typed within this many seconds of each other are searched together once
    #: typing pauses (a word typed fast is one query, not one per letter); the first key
    #: after a pause is searched at once.
    DEBOUNCE = 0.1

    _filter: Any
    _typing: Debounce | None = None
    #: The search text the list shows (None before the first search).
    _searched: str | None = None

    @property
    def today(self) -> date:
        return self.trygg.store.now().date()

    def action_next_field(self) -> None:
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def read_filters(self) -> Any | None:
        raise NotImplementedError

    def line_text(self, shown: int | str) -> str:
        """The status line for ``shown`` matching records ("…" while counting)."""
        raise NotImplementedError

    def read_dates(self, widget_prefix: str) -> dict[str, str | None] | None:
        """The ``from`` and ``to`` fields as ISO dates (as people write them); None, with
        the reason on the status line, when one cannot be read."""
        dates: dict[str, str | None] = {}
        for name in ("from", "to"):
            text = self.query_one(f"#{widget_prefix}-{name}", Input).value.strip()
            if not text:
                dates[name] = None
                continue
            try:
                dates[name] = parse_date(text, self.today).isoformat()
            except TryggError as error:
                # The line is one row: the date's own sentence (with three examples) was
                # cut at 80 columns mid-example.
                field = self.t(f"filter.{name}")
                if error.key == "date.unreadable":
                    problem = self.t("filter.bad_date", field=field, text=short(text, 16))
                else:
                    problem = f"{field}: {error.message(self.lang)}"
                self.show_line(problem)
                return None
        return dates

    def reload(self, keep: str | None = None, *, filter_changed: bool = False) -> None:
        table = self.query_one(PagedTable)
        table.reload(keep=keep or table.current_key, filter_changed=filter_changed)
        self.show_line()

    def show_line(self, problem: str | None = None) -> None:
        line = self.query_one(f"#{self.LINE_ID}", Static)
        # The line is one row high whatever it says: drawn in place, without a layout
        # (the count comes after the rows, and a layout then drew the whole list again).
        if problem:
            line.update(Text(problem, style="bold red"), layout=False)
        else:
            total = self.query_one(PagedTable).total_rows
            line.update(self.line_text("…" if total is None else total), layout=False)

    @property
    def awaiting_results(self) -> bool:
        return self.query_one(PagedTable).total_rows is None

    @on(PagedTable.Counted)
    def show_count(self) -> None:
        """The count of matching records came from its worker."""
        self.show_line()

    def apply_filters(self) -> bool:
        if self._typing is not None:
            self._typing.cancel()
        flt = self.read_filters()
        if flt is None:
            return False
        self._filter = flt
        self._searched = self.query_one(f"#{self.SEARCH_ID}", Input).value
        self.reload(filter_changed=True)
        return True

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == self.SEARCH_ID:
            if self._typing is None:
                self._typing = Debounce(self, self.DEBOUNCE, self._search_typed)
            self._typing()

    def _search_typed(self) -> None:
        # The keys that followed the search may have left the text as it was searched
        # (the first key's search already read the whole burst).
        if self.query_one(f"#{self.SEARCH_ID}", Input).value != self._searched:
            self.apply_filters()

    def field_entered(self, field: Widget) -> None:
        if self.apply_filters():
            self.set_focus(self.query_one(PagedTable))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "search" and typing_in_field(self):
            return False
        return super().check_action(action, parameters)

    def action_search(self) -> None:
        # Focus moves now, not when the queue gets to it (``focus()``): a letter typed
        # with the slash is already queued and must land in the field.
        self.set_focus(self.query_one(f"#{self.SEARCH_ID}", Input))

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.set_focus(self.query_one(PagedTable))
        else:
            self.app.pop_screen()


def matching(typed: str | None, known: list[str]) -> str | None:
    """The known name typed in any case (a municipality); the text itself if none matches."""
    if not typed:
        return None
    for name in known:
        if name.casefold() == typed.casefold():
            return name
    return typed
