"""First run: who this device is (name, organisation, default municipality)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Label, Static

from db.errors import FieldProblem, TryggError, ValidationFailed
from db.records import ORGANISATIONS
from screens.widgets.base import TryggModal
from screens.widgets.choices import AnswerLine, ChoiceLine, numbered_options
from screens.widgets.key_order import LineInput


class SetupScreen(TryggModal[bool]):
    """Asks for the device's identity; dismisses with True once it is saved."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", tooltip="key.save.tooltip", id="save"),
    ]
    AUTO_FOCUS = "#setup-name"

    def compose(self) -> ComposeResult:
        lang = self.lang
        with VerticalScroll(id="setup", can_focus=False):
            yield Static(self.t("setup.title"), classes="section-title")
            yield Static(self.t("setup.intro"), markup=False)
            yield Label(self.t("setup.name"))
            yield LineInput(placeholder=self.t("setup.name.placeholder"), id="setup-name")
            yield Label(self.t("setup.org"))
            # The one choice widget: a key per option, Enter moves on (a dropdown would
            # open on Enter and swallow the typing meant for the municipality).
            # Not preselected: a coordinator's Enter through the form made a "police"
            # device, to which colleagues' exports then carry the young people's names.
            org = ChoiceLine(numbered_options("device", "org", ORGANISATIONS, lang), None,
                             id="setup-org")  # fmt: skip
            org.required = True
            yield org
            yield Label(self.t("setup.kommun"))
            yield LineInput(placeholder=self.t("setup.kommun.placeholder"), id="setup-kommun")
            yield Static(id="setup-error", markup=False)
            yield Button(self.t("setup.save"), variant="primary", id="setup-save")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "setup-name":
            self.query_one("#setup-org", ChoiceLine).focus()
        else:
            self.action_save()

    def on_answer_line_answered(self, event: AnswerLine.Answered) -> None:
        if event.advance:
            self.query_one("#setup-kommun", Input).focus()

    def on_answer_line_done(self, event: AnswerLine.Done) -> None:
        self.query_one("#setup-kommun", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save()

    def action_save(self) -> None:
        name = self.query_one("#setup-name", Input).value
        org = self.query_one("#setup-org", ChoiceLine).value
        kommun = self.query_one("#setup-kommun", Input).value
        lang = self.lang
        try:
            if org is None:
                missing = [FieldProblem("org", "value.choose")]
                if not name.strip():
                    missing.insert(0, FieldProblem("name", "value.required"))
                raise ValidationFailed("device", missing)
            self.trygg.store.set_up_device(name, str(org), kommun)
        except (ValidationFailed, TryggError) as error:
            self.query_one("#setup-error", Static).update(error.message(lang))
            return
        self.app.notify(self.t("setup.saved"), markup=False)
        self.dismiss(True)
