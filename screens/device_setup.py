"""First run: who this device is (name, organisation, default municipality)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Label, Static

from db.errors import FieldProblem, TryggError, ValidationFailed
from db.records import ORGANISATIONS
from screens.widgets.choices import ChoiceLine, numbered_options
from screens.widgets.forms import FormInput, FormModal


class SetupScreen(FormModal):
    """Asks for the device's identity; dismisses with the device's name once it is saved.

    A form like every other (screens/widgets/forms.py): Enter and the organisation's key
    move the cursor as they are read, so a name typed fast is not followed by the
    municipality in the same field ("Alva Berg1Alvesta" did, typed in one breath), and
    ctrl+s waits for every field's keys."""

    AUTO_FOCUS = "#setup-name"
    FIELD_WIDGETS = {"name": "setup-name", "org": "setup-org", "kommun": "setup-kommun"}

    def compose(self) -> ComposeResult:
        lang = self.lang
        with VerticalScroll(id="setup", can_focus=False):
            yield Static(self.t("setup.title"), classes="section-title")
            yield Static(self.t("setup.intro"), markup=False)
            yield Label(self.t("setup.name"))
            yield FormInput(placeholder=self.t("setup.name.placeholder"), id="setup-name")
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
            yield FormInput(placeholder=self.t("setup.kommun.placeholder"), id="setup-kommun")
            yield Static(id="form-error", classes="form-error", markup=False)
            yield Button(self.t("setup.save"), variant="primary", id="setup-save")
            # Esc leaves nothing here: the way out is said.
            yield Static(self.t("setup.keys"), classes="form-keys", markup=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save_key()

    def action_cancel(self) -> None:
        """Esc leaves nothing: the device is set up before anything else (ctrl+q quits)."""

    def action_save(self) -> None:
        name = self.query_one("#setup-name", Input).value
        org = self.query_one("#setup-org", ChoiceLine).value
        kommun = self.query_one("#setup-kommun", Input).value
        # All that is missing at once, in the form's order. The municipality too, as
        # `trygg init --kommun` asks: without it every quick report and the lägesbild
        # started from an empty municipality.
        missing = [
            FieldProblem(field, key)
            for field, key, absent in (
                ("name", "value.required", not name.strip()),
                ("org", "value.choose", org is None),
                ("kommun", "value.required", not kommun.strip()),
            )
            if absent
        ]
        try:
            if missing:
                raise ValidationFailed("device", missing)
            self.trygg.store.set_up_device(name, str(org), kommun)
        except TryggError as error:
            self.show_error(error)
            return
        self.app.notify(self.t("setup.saved"), markup=False)
        self.dismiss(name)
