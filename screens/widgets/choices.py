"""The one choice widget of Trygg: answer lines of a paper form, one key per option.
``ChoiceLine`` picks one (like the form's "Nej · LOB · PL 12 · PL 13 · Annat", a document's
format, yes or no); ``TickLine`` ticks any.

A key chooses and moves on, so a whole group is answered with one keystroke; Backspace
clears an answer, Enter (or Tab) moves on keeping it. Each option shows its key, and its
mark says what is chosen without colour: ● ○ for pick-one, ☒ ☐ for ticks. The line's
label is the form row's own label, beside the line, so it is there focused or not.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class AnswerLine(Widget, can_focus=True):
    """What both lines share: options (key, code, label) drawn on one line (wrapping when
    narrow), the answer in reverse video, a message when the answer is given."""

    DEFAULT_CSS = """
    AnswerLine { height: auto; width: 1fr; padding: 0 1; background: $boost; }
    AnswerLine:focus { background: $primary 30%; }
    AnswerLine:disabled { color: $text-disabled; }
    """

    class Answered(Message):
        """An option key was pressed (the form moves on after a pick-one answer)."""

        def __init__(self, line: AnswerLine, advance: bool) -> None:
            super().__init__()
            self.line = line
            self.advance = advance

        @property
        def control(self) -> AnswerLine:
            return self.line

    class Done(Message):
        """Enter: the officer is finished with this line."""

        def __init__(self, line: AnswerLine) -> None:
            super().__init__()
            self.line = line

        @property
        def control(self) -> AnswerLine:
            return self.line

    def __init__(self, options: Sequence[tuple[str, str, str]], *, id: str | None = None) -> None:
        super().__init__(id=id, classes="form-value")
        self.options = list(options)
        # Option keys are priority bindings, handled as the key is read: a key typed
        # straight after goes to the field the answer moved on to, however fast.
        for key, code, _ in self.options:
            keys = f"{key},{key.upper()}" if key.upper() != key else key
            self._bindings.bind(keys, f"choose({code!r})", show=False, priority=True)

    def chosen(self, code: str) -> bool:
        raise NotImplementedError

    #: The marks for an option not chosen and chosen (visible without colour too).
    MARKS = ("○", "●")

    def render(self) -> Text:
        text = Text(no_wrap=False, overflow="fold")
        for i, (key, code, label) in enumerate(self.options):
            if i:
                text.append("  ")
            chosen = self.chosen(code)
            text.append(f"[{key}]", style="bold")
            text.append(f" {self.MARKS[chosen]} {label}", style="bold reverse" if chosen else "")
        return text

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Done(self))
            return
        if event.key in ("backspace", "delete"):
            event.stop()
            event.prevent_default()
            self.clear()
            return
        char = (event.character or "").lower()
        for key, code, _ in self.options:
            if char == key:
                event.stop()
                event.prevent_default()
                self.press(code)
                return

    def action_choose(self, code: str) -> None:
        self.press(code)

    def answer(self, advance: bool) -> None:
        """Tell the form (at once, so that the next key goes where the answer moved the
        cursor) or, outside a form, whoever listens."""
        form = getattr(self.screen, "line_answered", None)
        if form is not None:
            form(self, advance)
        else:
            self.post_message(self.Answered(self, advance))

    def press(self, code: str) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError


class ChoiceLine(AnswerLine):
    """Pick one (or none): ``value`` is the chosen code or None."""

    value: reactive[str | None] = reactive(None)

    def __init__(
        self,
        options: Sequence[tuple[str, str, str]],
        value: str | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(options, id=id)
        self.set_reactive(ChoiceLine.value, value)

    def chosen(self, code: str) -> bool:
        return self.value == code

    #: A line that must keep an answer (yes/no, a format): Backspace does not clear it.
    required = False

    def press(self, code: str) -> None:
        self.value = code
        self.answer(advance=True)

    def clear(self) -> None:
        if self.required:
            return
        self.value = None
        self.answer(advance=False)


class YesNoLine(ChoiceLine):
    """A yes-or-no answer ("Medborgarlöfte", "Punktinsats"): ``checked`` is True for yes.
    Always answered (no blank), so it reads the same focused or not."""

    required = True

    def __init__(self, value: bool, keys: str, yes: str, no: str, *, id: str | None = None):
        options = [(keys[0], "ja", yes), (keys[1], "nej", no)]
        super().__init__(options, "ja" if value else "nej", id=id)

    @property
    def checked(self) -> bool:
        return self.value == "ja"

    @checked.setter
    def checked(self, value: bool) -> None:
        self.value = "ja" if value else "nej"


class TickLine(AnswerLine):
    """Tick any: ``value`` is the set of ticked codes."""

    value: reactive[frozenset[str]] = reactive(frozenset)
    MARKS = ("☐", "☒")

    def __init__(
        self,
        options: Sequence[tuple[str, str, str]],
        value: frozenset[str] = frozenset(),
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(options, id=id)
        self.set_reactive(TickLine.value, frozenset(value))

    def chosen(self, code: str) -> bool:
        return code in self.value

    def press(self, code: str) -> None:
        self.value = self.value ^ {code}
        self.answer(advance=False)

    def clear(self) -> None:
        self.value = frozenset()
        self.answer(advance=False)


def numbered_options(
    rtype: str, name: str, codes: Sequence[str], lang: str | None
) -> list[tuple[str, str, str]]:
    """Options keyed 1, 2, 3 … (the same keys on every keyboard layout and language)."""
    from db.records import choice_label

    return [(str(i), code, choice_label(rtype, name, code, lang)) for i, code in
            enumerate(codes, start=1)]  # fmt: skip
