"""The form for one problem owner."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, RadioButton, RadioSet, Static

from db.errors import TryggError
from db.records import OWNER_KINDS, choice_label
from db.walks import DEFAULT_DUE_MONTHS, DUE_MONTHS_BY_KIND
from screens.widgets.forms import FormModal


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
