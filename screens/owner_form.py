"""The form for one problem owner."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from db.errors import TryggError
from db.records import OWNER_KINDS, choice_label
from db.walks import DEFAULT_DUE_MONTHS, DUE_MONTHS_BY_KIND
from screens.widgets.choices import ChoiceLine, numbered_options
from screens.widgets.forms import FormInput, FormModal


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
        self.seen = owner
        value = (owner or {}).get
        with VerticalScroll(classes="form", can_focus=False):
            yield Static(
                self.t("owner_form.edit" if owner else "owner_form.new"), classes="section-title"
            )
            yield self.row(
                self.t("owner_form.name"), FormInput(value("name") or "", id="owner-name")
            )
            yield self.row(
                self.t("owner_form.kind"),
                ChoiceLine(
                    numbered_options("owner", "kind", OWNER_KINDS, lang),
                    value("kind"),
                    id="owner-kind",
                ),
            )
            yield self.row(
                self.t("owner_form.contact"), FormInput(value("contact") or "", id="owner-contact")
            )
            yield self.row(
                self.t("owner_form.email"), FormInput(value("email") or "", id="owner-email")
            )
            yield self.row(
                self.t("owner_form.phone"), FormInput(value("phone") or "", id="owner-phone")
            )
            days = value("default_due_days")
            yield self.row(
                self.t("owner_form.days"),
                FormInput(
                    "" if days is None else str(days),
                    id="owner-days",
                    placeholder=self.t("owner_form.days.placeholder"),
                ),
            )
            yield Static(self._due_hint(), classes="hint", markup=False)
            yield from self.form_footer(self.t("form.keys"))

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

    def draft_base(self) -> str:
        return f"owner:{self.owner_id}" if self.owner_id else "owner:new"

    def action_save(self) -> None:
        store = self.trygg.store
        fields = {
            "name": self.query_one("#owner-name", Input).value,
            "kind": self.query_one("#owner-kind", ChoiceLine).value,
            "contact": self.query_one("#owner-contact", Input).value,
            "email": self.query_one("#owner-email", Input).value,
            "phone": self.query_one("#owner-phone", Input).value,
            "default_due_days": self.query_one("#owner-days", Input).value,
        }
        try:
            if self.owner_id:
                store.update("owner", self.owner_id, fields, seen=self.seen)
                owner_id = self.owner_id
            else:
                owner_id = store.create("owner", fields)
        except TryggError as error:
            self.show_error(error)
            return
        self.app.notify(self.t("owner_form.saved"), markup=False)
        self.saved(owner_id)
