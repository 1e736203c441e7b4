"""What Trygg's forms share: one line per field, Enter moves on like on a paper form,
ctrl+s saves from any field, Esc asks before throwing typed text away, and a refused
value is named in plain words with the cursor put on its field."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, RadioSet, Static, TextArea

from db.errors import TryggError, ValidationFailed
from screens.widgets.base import TryggModal
from screens.widgets.choices import AnswerLine
from screens.widgets.dialogs import ConfirmModal


class FormModal(TryggModal[str | None]):
    """A form that dismisses with the saved record's id, or None when left unsaved."""

    DEFAULT_CSS = """
    FormModal { align: center middle; }
    FormModal .form {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    FormModal .row { height: auto; min-height: 1; }
    FormModal .row > Label { width: 18; padding: 0 1 0 0; }
    FormModal .row Input { border: none; height: 1; width: 1fr; padding: 0 1; background: $boost; }
    FormModal .row Input:focus { background: $primary 30%; }
    FormModal .row TextArea {
        height: 3; width: 1fr; border: none; padding: 0 1; background: $boost;
    }
    FormModal .row RadioSet { layout: horizontal; border: none; width: 1fr; height: 1; padding: 0; }
    FormModal .row RadioButton { width: auto; margin: 0 2 0 0; padding: 0; }
    FormModal Checkbox { border: none; height: 1; padding: 0; background: $surface; }
    FormModal .form-error { color: $error; text-style: bold; height: auto; }
    FormModal .hint { color: $text-muted; height: auto; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", tooltip="key.save.tooltip", id="form_save"),
        Binding("escape", "cancel", "key.cancel", tooltip="key.cancel.tooltip", id="form_cancel"),
    ]

    #: Widget id for each record field, so a refused value puts the cursor on its field.
    FIELD_WIDGETS: dict[str, str] = {}

    def __init__(self) -> None:
        super().__init__()
        self._initial: dict[str, Any] = {}
        #: What leaving the form gives back (a form that saves and goes on sets it).
        self.cancel_result: str | None = None

    # -- building ------------------------------------------------------------------

    def row(self, label: str, widget: Widget) -> Horizontal:
        """One field: its label, then the widget."""
        return Horizontal(Label(label), widget, classes="row")

    def error_line(self) -> ComposeResult:
        yield Static(id="form-error", classes="form-error", markup=False)

    def remember_initial(self) -> None:
        """Note the values as loaded; leaving asks first only if something changed."""
        self._initial = self.current_values()

    def current_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for widget in self.query("Input, TextArea, Checkbox, RadioSet"):
            if widget.id is None:
                continue
            if isinstance(widget, Input):
                values[widget.id] = widget.value
            elif isinstance(widget, TextArea):
                values[widget.id] = widget.text
            elif isinstance(widget, Checkbox):
                values[widget.id] = widget.value
            elif isinstance(widget, RadioSet):
                values[widget.id] = widget.pressed_index
        # Answer lines (screens/choices.py) and other widgets that hold a form value.
        for widget in self.query(".form-value"):
            if widget.id is not None:
                values[widget.id] = widget.value  # type: ignore[attr-defined]
        return values

    @property
    def dirty(self) -> bool:
        return self.current_values() != self._initial

    # -- behaviour -----------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submitted(event.input)

    def submitted(self, field: Input) -> None:
        """Enter in ``field``: move to the next field; on the last one, save."""
        fields = [w for w in self.query("Input, TextArea, Checkbox, RadioSet") if w.focusable]
        if fields and field is fields[-1]:
            self.action_save()
        else:
            self.focus_next()

    # Answer lines (screens/choices.py): a pick-one key moves on, Enter moves on. Forms
    # change this by overriding ``answered``/``answer_done``, not the handlers, so that
    # Textual does not run the base handler as well.

    def on_answer_line_answered(self, event: AnswerLine.Answered) -> None:
        event.stop()
        self.answered(event.line, event.advance)

    def on_answer_line_done(self, event: AnswerLine.Done) -> None:
        event.stop()
        self.answer_done(event.line)

    def answered(self, line: AnswerLine, advance: bool) -> None:
        """An option key was pressed on ``line``; ``advance`` for a pick-one answer."""
        if advance:
            self.focus_next()

    def answer_done(self, line: AnswerLine) -> None:
        """Enter on ``line``: move to the next field."""
        self.focus_next()

    def show_error(self, error: TryggError) -> None:
        """Say what is wrong and put the cursor on the first wrong field."""
        lang = self.lang
        self.query_one("#form-error", Static).update(error.message(lang))
        if isinstance(error, ValidationFailed):
            for problem in error.problems:
                widget_id = self.FIELD_WIDGETS.get(problem.field)
                if widget_id:
                    self.query_one(f"#{widget_id}").focus()
                    break

    def clear_error(self) -> None:
        self.query_one("#form-error", Static).update("")

    def action_save(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(self.cancel_result)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss(self.cancel_result)

        self.app.push_screen(ConfirmModal(self.t("form.leave_unsaved")), answered)
