"""Problemägare: every owner with what they have open."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header

from db.records import choice_label
from db.walks import list_owners
from screens.owner_form import OwnerFormScreen
from screens.widgets.base import DataChanged, TryggScreen, form_key
from screens.widgets.footer import Footer
from screens.widgets.tables import Col, FittedTable, RowDetail
from screens.widgets.text import plain


class OwnerListScreen(TryggScreen):
    """Owners with counts; Enter shows an owner's findings across all walks."""

    BINDINGS = [
        Binding(
            "escape", "app.pop_screen", "key.back", tooltip="key.back.tooltip", id="owners_back"
        ),
        form_key("n", "new", "key.new_owner", tooltip="key.new_owner.tooltip", id="owners_new"),
        form_key("e", "edit", "key.edit", tooltip="key.edit_owner.tooltip", id="owners_edit"),
        Binding(
            "l", "lists", "key.owner_list", tooltip="key.owner_list.tooltip", id="owners_lists"
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield FittedTable(id="owner-table")
        yield RowDetail(id="owner-detail")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.t("app.title")
        self.sub_title = self.t("owners.title")
        table = self.query_one(FittedTable)

        def label(key: str) -> str:
            return self.t(f"owners.col.{key}")

        table.set_columns(
            [
                Col("name", label("name"), min=30, max=60),
                Col("kind", label("kind"), min=12, max=24, drop=1),
                Col("total", label("total"), width=3, justify="right"),
                Col("open", label("open"), width=3, justify="right"),
                Col("unsent", label("unsent"), width=3, justify="right"),
                Col("overdue", label("overdue"), width=3, justify="right"),
            ]
        )
        table.detail_widget = self.query_one("#owner-detail", RowDetail)
        self.reload()
        table.focus()

    @on(DataChanged)
    def show_changed_data(self) -> None:
        """Records changed behind this screen: show them again."""
        self.reload()

    def on_screen_resume(self) -> None:
        if self.returned_to():
            self.reload()

    def reload(self, keep: str | None = None) -> None:
        """Owners are reference data (tens, not thousands): loaded whole."""
        table = self.query_one(FittedTable)
        keep = keep or self._current()
        table.clear_records()
        lang = self.lang
        for r in list_owners(self.trygg.store, self.trygg.store.now().date()):
            alert = "bold red" if r.overdue else ""
            table.add_record(
                r.id,
                {
                    "name": plain(r.name),
                    "kind": plain(choice_label("owner", "kind", r.kind, lang) if r.kind else ""),
                    "total": Text(str(r.total)),
                    "open": Text(str(r.open or "")),
                    "unsent": Text(str(r.unsent or "")),
                    "overdue": Text(str(r.overdue or ""), style=alert),
                },
            )
        table.rows_changed()
        if keep and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))

    def _current(self) -> str | None:
        return self.query_one(FittedTable).current_key

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
