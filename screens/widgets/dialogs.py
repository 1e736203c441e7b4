"""Small dialogs shared by several screens: yes/no, one line of text, one key of a few."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from db.textutil import printable
from screens.widgets.base import TryggModal
from screens.widgets.key_order import LineInput

T = TypeVar("T")


class DialogModal(TryggModal[T]):
    """A small centred dialog (type selectors also match subclasses)."""

    DEFAULT_CSS = """
    DialogModal { align: center middle; }
    DialogModal .dialog {
        width: 64; max-width: 100%; height: auto; border: thick $accent;
        background: $surface; padding: 1 2;
    }
    DialogModal .dialog Input { margin: 1 0; }
    DialogModal .hint { color: $text-muted; }
    """


class ConfirmModal(DialogModal[bool]):
    """Asks a yes/no question; J or Y is yes, N or Esc is no (so a stray Enter never
    deletes anything)."""

    BINDINGS = [
        Binding("j,y", "answer(True)", "key.yes", tooltip="key.yes.tooltip", id="yes"),
        Binding("n,escape", "answer(False)", "key.no", tooltip="key.no.tooltip", id="no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(printable(self._question), markup=False)
            yield Static(self.t("confirm.keys"), classes="hint", markup=False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class TextPrompt(DialogModal[str | None]):
    """Asks for one line of text; Enter gives it, Esc gives None."""

    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", tooltip="key.cancel.tooltip", id="cancel"),
    ]

    #: What is typed with the key that asked (``/Stat`` and Enter in one breath) is the
    #: answer: the app holds it from the push until the field has the cursor.
    HOLDS_EARLY_KEYS = True

    def __init__(
        self, question: str, value: str = "", placeholder: str = "", *, password: bool = False
    ) -> None:
        super().__init__()
        self._question, self._value, self._placeholder = question, value, placeholder
        self._password = password

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._question, markup=False)
            yield LineInput(
                self._value,
                placeholder=self._placeholder,
                password=self._password,
                id="prompt-input",
            )
            yield Static(self.t("prompt.keys"), classes="hint", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(Input).focus()
        self.call_after_refresh(self.trygg.release_keys)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class KeyChoiceModal(DialogModal[str | None]):
    """Asks to pick one of a few options, each by its own key (Esc gives None)."""

    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", tooltip="key.cancel.tooltip", id="choice_cancel"),
    ]

    def __init__(
        self,
        question: str,
        options: Sequence[tuple[str, str, str]],
        *,
        cancel_hint: str | None = None,
    ) -> None:
        super().__init__()
        self._question = question
        self._options = list(options)
        #: What Esc does, when it is more than "cancel" (a form's draft kept for later).
        self._cancel_hint = cancel_hint

    def compose(self) -> ComposeResult:
        lines = Text()
        for key, _code, label in self._options:
            lines.append(f"  {key}", style="bold")
            lines.append(f"  {label}\n")
        with Vertical(classes="dialog"):
            yield Static(self._question, markup=False)
            yield Static(lines)
            keys = self.t("keychoice.keys")
            if self._cancel_hint:
                keys = self.t("keychoice.keys_esc", esc=self._cancel_hint)
            yield Static(keys, classes="hint", markup=False)

    def on_key(self, event: events.Key) -> None:
        if self._dismissed:
            # Typed with the answer, before the question was taken away: dropped. Read
            # in the same breath, they were all on their way here before the answer was
            # read, and "Torget" after the draft's t answered again with its own t — a
            # second dismiss, which closed the form under it, and the letters went on to
            # the overview (o: the open findings, Enter: a finding's form, typed into).
            event.stop()
            return
        for key, code, _ in self._options:
            if event.character is not None and event.character.lower() == key:
                event.stop()
                self.dismiss(code)
                return

    def action_cancel(self) -> None:
        self.dismiss(None)  # (once: a second answer is no answer, see _DismissedOnce)
