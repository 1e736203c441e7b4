"""Konflikter: the same field changed on two devices, neither having seen the other's
change. Each shows the record, the field and both values with who wrote them and when;
one key keeps what is shown, another takes the other value. The choice is an ordinary
change: it goes with the next file, and the conflict disappears on every device."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static

from db.dates import moment_of_ms
from db.errors import TryggError
from db.labels import label_of, value_text
from db.records import field_label
from db.store import Conflict, Stamp
from db.textutil import printable
from screens.widgets.base import DataChanged, TryggScreen
from screens.widgets.footer import Footer
from screens.widgets.navigate import open_record
from screens.widgets.tables import Col, FittedTable
from screens.widgets.text import plain


class ConflictListScreen(TryggScreen):
    """Unresolved conflicts, oldest record first."""

    BINDINGS = [
        Binding(
            "escape", "app.pop_screen", "key.back", tooltip="key.back.tooltip", id="conflicts_back"
        ),
        Binding("b", "keep", "key.conflict_keep", tooltip="key.conflict_keep.tooltip", id="keep"),
        Binding(
            "a", "switch", "key.conflict_switch", tooltip="key.conflict_switch.tooltip", id="switch"
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="conflicts", can_focus=False):
            yield Static(id="conflicts-head", markup=False, classes="section-title")
            yield FittedTable(id="conflicts-table")
            yield Static(id="conflicts-detail", markup=False)
            yield Static(self.t("conflicts.keys"), markup=False, classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.t("app.title")
        self.sub_title = self.t("conflicts.title")
        table = self.query_one("#conflicts-table", FittedTable)

        def label(key: str) -> str:
            return self.t(f"conflicts.col.{key}")

        # Both values in full are in the detail below the table.
        table.set_columns(
            [
                Col("record", label("record"), min=20, max=60),
                Col("field", label("field"), min=6, max=20),
                Col("shown", label("shown"), min=10, max=30),
                Col("other", label("other"), min=10, max=30),
            ]
        )
        table.focus()
        self.reload()

    @on(DataChanged)
    def show_changed_data(self) -> None:
        """Records changed behind this screen: show them again."""
        self.reload()

    def on_screen_resume(self) -> None:
        if self.returned_to():
            self.reload()

    def reload(self) -> None:
        store = self.trygg.store
        self.found = {c.id: c for c in store.conflicts()}
        table = self.query_one("#conflicts-table", FittedTable)
        keep = table.cursor_row
        table.clear_records()
        for c in self.found.values():
            table.add_record(
                c.id,
                {
                    "record": plain(label_of(store, c.rtype, c.record_id, self.lang)),
                    "field": Text(field_label(c.rtype, c.field, self.lang)),
                    "shown": plain(self._value(c, winner=True), style="bold"),
                    "other": plain(self._value(c, winner=False)),
                },
            )
        table.rows_changed()
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        head = "conflicts.count" if self.found else "conflicts.none"
        self.query_one("#conflicts-head", Static).update(self.t(head, count=len(self.found)))
        self._detail()
        self.refresh_bindings()

    def _value(self, c: Conflict, *, winner: bool) -> str:
        if winner and c.winner_deletes:
            return self.t("conflicts.deleted")
        value = c.winner_value if winner else c.loser_value
        return value_text(c.rtype, c.field, value, self.lang)

    def _who(self, name: str | None, stamp: Stamp) -> str:
        when = moment_of_ms(stamp.ms)
        return self.t("conflicts.who", name=name or "?", when=when)

    def _current(self) -> Conflict | None:
        key = self.query_one("#conflicts-table", FittedTable).current_key
        return self.found.get(key) if key else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    def _detail(self) -> None:
        c = self._current()
        widget = self.query_one("#conflicts-detail", Static)
        if c is None:
            widget.update("")
            return
        store = self.trygg.store
        text = Text()
        text.append(printable(label_of(store, c.rtype, c.record_id, self.lang)), "bold")
        text.append(
            "\n" + self.t("conflicts.field", field=field_label(c.rtype, c.field, self.lang))
        )
        text.append("\n" + self.t("conflicts.shown"), "bold")
        text.append(printable(self._value(c, winner=True)))
        text.append("  " + printable(self._who(c.winner_name, c.winner)), "dim")
        text.append("\n" + self.t("conflicts.other"), "bold")
        text.append(printable(self._value(c, winner=False)))
        text.append("  " + printable(self._who(c.loser_name, c.loser)), "dim")
        if c.winner_deletes:
            text.append("\n" + self.t("conflicts.deleted_hint"))
        widget.update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("keep", "switch"):
            return bool(getattr(self, "found", None))
        return True

    def action_keep(self) -> None:
        self._resolve("winner")

    def action_switch(self) -> None:
        self._resolve("other")

    def _resolve(self, keep: str) -> None:
        c = self._current()
        if c is None:
            return
        try:
            copy = self.trygg.store.resolve_conflict(c.id, keep)
        except TryggError as error:
            self.notify(error.message(self.lang), severity="error", markup=False)
            return
        self.notify(self.t("conflicts.restored" if copy else "conflicts.resolved"), markup=False)
        self.reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        c = self._current()
        if c is not None and not open_record(self.app, self.trygg.store, c.rtype, c.record_id):
            self.notify(self.t("receive.no_screen"), markup=False)
