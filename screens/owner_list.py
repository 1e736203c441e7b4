"""Problemägare: every owner with what they have open."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header

from db.records import choice_label
from db.walks import list_owners
from screens.owner_form import OwnerFormScreen
from screens.widgets.base import DataChanged, TryggScreen
from screens.widgets.tables import row_under_cursor
from screens.widgets.text import plain


class OwnerListScreen(TryggScreen):
    """Owners with counts; Enter shows an owner's findings across all walks."""

    BINDINGS = [
        Binding(
            "escape", "app.pop_screen", "key.back", tooltip="key.back.tooltip", id="owners_back"
        ),
        Binding("n", "new", "key.new_owner", tooltip="key.new_owner.tooltip", id="owners_new"),
        Binding("e", "edit", "key.edit", tooltip="key.edit_owner.tooltip", id="owners_edit"),
        Binding(
            "l", "lists", "key.owner_list", tooltip="key.owner_list.tooltip", id="owners_lists"
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="owner-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.t("app.title")
        self.sub_title = self.t("owners.title")
        table = self.query_one(DataTable)
        for key in ("name", "kind", "total", "open", "unsent", "overdue"):
            table.add_column(self.t(f"owners.col.{key}"), key=key)
        self.reload()
        table.focus()

    @on(DataChanged)
    def show_changed_data(self) -> None:
        """Records changed behind this screen: show them again."""
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self, keep: str | None = None) -> None:
        """Owners are reference data (tens, not thousands): loaded whole."""
        table = self.query_one(DataTable)
        keep = keep or self._current()
        table.clear()
        lang = self.lang
        for r in list_owners(self.trygg.store, self.trygg.store.now().date()):
            alert = "bold red" if r.overdue else ""
            table.add_row(
                plain(r.name),
                plain(choice_label("owner", "kind", r.kind, lang) if r.kind else ""),
                Text(str(r.total), justify="right"),
                Text(str(r.open or ""), justify="right"),
                Text(str(r.unsent or ""), justify="right"),
                Text(str(r.overdue or ""), justify="right", style=alert),
                key=r.id,
            )
        if keep and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))

    def _current(self) -> str | None:
        return row_under_cursor(self.query_one(DataTable))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        from screens.finding_list import FindingListScreen

        if event.row_key.value:
            self.app.push_screen(FindingListScreen(status="alla", owner_id=event.row_key.value))

    def action_new(self) -> None:
        self.app.push_screen(OwnerFormScreen(), lambda owner_id: self.reload(owner_id))

    def action_edit(self) -> None:
        owner_id = self._current()
        if owner_id:
            self.app.push_screen(OwnerFormScreen(owner_id), lambda _: self.reload(owner_id))

    def action_lists(self) -> None:
        from screens.walk_documents import OwnerListsModal

        owner_id = self._current()
        if owner_id:
            self.app.push_screen(OwnerListsModal(owner_id=owner_id), lambda _: self.reload())
