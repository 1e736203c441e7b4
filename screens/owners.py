"""Problemägare: every owner with what they have open, and the form for one owner."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, RadioButton, RadioSet, Static

from db.errors import TryggError
from db.records import OWNER_KINDS, choice_label
from db.walks import DEFAULT_DUE_MONTHS, DUE_MONTHS_BY_KIND, list_owners
from screens.base import TryggScreen
from screens.forms import FormModal
from screens.widgets import plain, row_under_cursor


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
        from screens.findings import FindingListScreen

        if event.row_key.value:
            self.app.push_screen(FindingListScreen(status="alla", owner_id=event.row_key.value))

    def action_new(self) -> None:
        self.app.push_screen(OwnerFormScreen(), lambda owner_id: self.reload(owner_id))

    def action_edit(self) -> None:
        owner_id = self._current()
        if owner_id:
            self.app.push_screen(OwnerFormScreen(owner_id), lambda _: self.reload(owner_id))

    def action_lists(self) -> None:
        from screens.documents import OwnerListsModal

        owner_id = self._current()
        if owner_id:
            self.app.push_screen(OwnerListsModal(owner_id=owner_id), lambda _: self.reload())


class OwnerFormScreen(FormModal):
    """A problem owner: name, kind, contact, and how long they usually have to fix."""

    FIELD_WIDGETS = {
        "name": "owner-name",
        "kind": "owner-kind",
        "contact": "owner-contact",
        "email": "owner-email",
        "phone": "owner-phone",
        "default_due_days": "owner-days",
    }
    AUTO_FOCUS = "#owner-name"

    def __init__(self, owner_id: str | None = None) -> None:
        super().__init__()
        self.owner_id = owner_id

    def compose(self) -> ComposeResult:
        lang = self.lang
        owner = self.trygg.store.get("owner", self.owner_id) if self.owner_id else None
        value = (owner or {}).get
        with VerticalScroll(classes="form", can_focus=False):
            yield Static(
                self.t("owner_form.edit" if owner else "owner_form.new"), classes="section-title"
            )
            yield self.row(self.t("owner_form.name"), Input(value("name") or "", id="owner-name"))
            buttons = [
                RadioButton(choice_label("owner", "kind", kind, lang), value=value("kind") == kind)
                for kind in OWNER_KINDS
            ]
            yield self.row(self.t("owner_form.kind"), RadioSet(*buttons, id="owner-kind"))
            yield self.row(
                self.t("owner_form.contact"), Input(value("contact") or "", id="owner-contact")
            )
            yield self.row(
                self.t("owner_form.email"), Input(value("email") or "", id="owner-email")
            )
            yield self.row(
                self.t("owner_form.phone"), Input(value("phone") or "", id="owner-phone")
            )
            days = value("default_due_days")
            yield self.row(
                self.t("owner_form.days"),
                Input(
                    "" if days is None else str(days),
                    id="owner-days",
                    placeholder=self.t("owner_form.days.placeholder"),
                ),
            )
            yield Static(self._due_hint(), classes="hint", markup=False)
            yield from self.error_line()
            yield Static(self.t("form.keys"), classes="hint", markup=False)

    def _due_hint(self) -> str:
        lang = self.lang
        parts = [
            f"{choice_label('owner', 'kind', kind, lang)} {months}"
            for kind, months in DUE_MONTHS_BY_KIND.items()
        ]
        return self.t("owner_form.days.hint", kinds=", ".join(parts), default=DEFAULT_DUE_MONTHS)

    def on_mount(self) -> None:
        super().on_mount()
        self.remember_initial()

    def action_save(self) -> None:
        store = self.trygg.store
        pressed = self.query_one("#owner-kind", RadioSet).pressed_index
        fields = {
            "name": self.query_one("#owner-name", Input).value,
            "kind": OWNER_KINDS[pressed] if pressed >= 0 else None,
            "contact": self.query_one("#owner-contact", Input).value,
            "email": self.query_one("#owner-email", Input).value,
            "phone": self.query_one("#owner-phone", Input).value,
            "default_due_days": self.query_one("#owner-days", Input).value,
        }
        try:
            if self.owner_id:
                store.update("owner", self.owner_id, fields)
                owner_id = self.owner_id
            else:
                owner_id = store.create("owner", fields)
        except TryggError as error:
            self.show_error(error)
            return
        self.app.notify(self.t("owner_form.saved"), markup=False)
        self.dismiss(owner_id)
