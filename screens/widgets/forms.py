"""The one form behaviour of Trygg, shared by every form:

- one line per field, in the paper's order, which is also the order of Tab and Enter;
- Enter moves to the next field on every kind of field — a line of text, free text (where
  ctrl+j starts a new line), a choice line; on the last field it saves, and neither Enter
  nor Tab ever wraps round into the first field;
- a field that starts filled in is not selected when the cursor arrives, so typing meant
  for the next field is added (and refused on saving) rather than replacing it;
- ctrl+s saves from any field; a refused save names the problem on a line that stays in
  view and puts the cursor on the first wrong field, in the form's order;
- what is typed is kept as a draft on this laptop as it is typed (a moment after each
  change, and at once on every Enter), offered back when the form is opened again after
  a crash or a quit; only an explicit choice throws a draft away, never Esc;
- pasted text keeps its order, loses the terminal's colour codes, and a line field gets
  every pasted line, joined.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from typing import Any

from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

from db import drafts
from db.errors import TryggError, ValidationFailed
from db.textutil import clean_paste
from screens.widgets.base import TryggModal
from screens.widgets.choices import AnswerLine, ChoiceLine, TickLine, YesNoLine
from screens.widgets.dialogs import KeyChoiceModal
from screens.widgets.key_order import LineInput, run_own_binding


class FormInput(LineInput):
    """A line of text in a form: arriving in it leaves what it holds unmarked, and a
    paste keeps all its lines (joined) in order, without escape codes."""

    def __init__(self, value: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(value, **kwargs)

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # not Input's own paste as well (Textual runs both)
        text = clean_paste(event.text, single_line=True)
        if text:
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *selection)
        event.stop()


class FormTextArea(TextArea):
    """Free text in a form: Enter moves on like on every field; ctrl+j (which terminals
    send apart from Enter, unlike shift+Enter) starts a new line."""

    class Done(Message):
        """Enter: the field is finished."""

        def __init__(self, area: FormTextArea) -> None:
            super().__init__()
            self.area = area

        @property
        def control(self) -> FormTextArea:
            return self.area

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(text, id=id, soft_wrap=True, tab_behavior="focus", show_line_numbers=False)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Done(self))
            return
        if event.key == "ctrl+j":
            event.stop()
            event.prevent_default()
            if not self.read_only:
                self.replace("\n", *self.selection)
            return
        # Backspace, the arrows, ctrl+u … in the order typed (see key_order); other keys:
        # TextArea's own handler runs next (Textual calls each class's).
        await run_own_binding(self, event)

    async def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # not TextArea's own paste as well
        text = clean_paste(event.text, single_line=False)
        if text and not self.read_only:
            self.replace(text, *self.selection)


#: The widgets that hold a form's values (Tab and Enter move between them).
FIELD_TYPES = (Input, TextArea, AnswerLine)


class FormModal(TryggModal[str | None]):
    """A form that dismisses with the saved record's id, or None when left unsaved.

    A form composes its rows (``row``), ends with ``form_footer``, sets ``FIELD_WIDGETS``
    (record field → widget id) and implements ``action_save``; it keeps drafts by
    returning a key from ``draft_base``.
    """

    DEFAULT_CSS = """
    FormModal { align: center middle; }
    FormModal .form {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    FormModal .row { height: auto; min-height: 1; }
    FormModal .row > Label { width: 18; height: auto; padding: 0 1 0 0; }
    FormModal .row Input { border: none; height: 1; width: 1fr; padding: 0 1; background: $boost; }
    FormModal .row Input:focus { background: $primary 30%; }
    FormModal .row TextArea {
        height: auto; min-height: 2; max-height: 6; width: 1fr; border: none; padding: 0 1;
        background: $boost;
    }
    FormModal .row TextArea:focus { background: $primary 30%; }
    FormModal .form-footer { dock: bottom; width: 100%; height: auto; background: $surface; }
    FormModal .form-error { color: $error; text-style: bold; width: 100%; height: auto; }
    FormModal .form-keys { color: $text-muted; width: 100%; height: auto; }
    FormModal .hint { color: $text-muted; height: auto; }
    """

    BINDINGS = [
        Binding(
            "ctrl+s",
            "save_key",
            "key.save",
            tooltip="key.save.tooltip",
            id="form_save",
            priority=True,
        ),
        Binding("escape", "cancel", "key.cancel", tooltip="key.cancel.tooltip", id="form_cancel"),
        # Priority: handled as the key is read, so the keys typed after it go to the
        # field the cursor moved to, however fast they come (a real terminal delivers a
        # whole burst before the form has handled the first key).
        Binding("enter", "enter", show=False, priority=True),
        Binding("tab", "next_field", show=False, priority=True),
        Binding("shift+tab", "previous_field", show=False, priority=True),
    ]

    #: What is typed while the form is being built belongs in its first field: the app
    #: holds the keys from the push until the cursor is there (``_give_early_keys``), or
    #: drops them for the draft question.
    HOLDS_EARLY_KEYS = True

    #: Widget id for each record field, so a refused value puts the cursor on its field.
    FIELD_WIDGETS: dict[str, str] = {}
    #: How long after a change the draft is written (it is written at once on Enter).
    DRAFT_DELAY = 0.3

    def __init__(self) -> None:
        super().__init__()
        self._initial: dict[str, Any] = {}
        #: What leaving the form gives back (a form that saves and goes on sets it).
        self.cancel_result: str | None = None
        #: The key of the draft this form writes (made when the first draft is written).
        self.draft_key: str | None = None
        self._draft_timer: asyncio.TimerHandle | None = None
        #: True while values are put into the widgets by the form itself.
        self.loading = False
        self._draft_offer_due = False
        #: Set as the form goes (saved, or left): no draft is written after that.
        self._gone = False
        #: The record as a form that edits one loaded it: its save passes it on
        #: (``Store.update(seen=…)``), so that only what was typed is written.
        self.seen: dict[str, Any] | None = None

    # -- building ------------------------------------------------------------------

    def row(self, label: str, widget: Widget) -> Horizontal:
        """One field: its label, then the widget."""
        return Horizontal(Label(label), widget, classes="row")

    def yes_no(self, value: bool, *, id: str) -> YesNoLine:
        """A yes-or-no line (j/n, in English y/n)."""
        return YesNoLine(
            value, self.t("form.yes_no_keys"), self.t("form.yes"), self.t("form.no"), id=id
        )

    def form_footer(self, keys: str) -> ComposeResult:
        """The error line and the key hints, kept in view below the fields however far
        the form scrolls (compose them last, inside the form's scroll area)."""
        yield Vertical(
            Static(id="form-error", classes="form-error", markup=False),
            Static(keys, classes="form-keys", markup=False),
            classes="form-footer",
        )

    def remember_initial(self) -> None:
        """Note the values as loaded; leaving asks first only if something changed."""
        self._initial = self.current_values()

    def current_values(self) -> dict[str, Any]:
        """The form's values by widget id (text as typed, choices as codes, ticks as a
        sorted list), as a draft keeps them."""
        values: dict[str, Any] = {}
        for widget in self.query("Input, TextArea, AnswerLine"):
            if widget.id is None:
                continue
            if isinstance(widget, Input):
                values[widget.id] = widget.value
            elif isinstance(widget, TextArea):
                values[widget.id] = widget.text
            elif isinstance(widget, TickLine):
                values[widget.id] = sorted(widget.value)
            elif isinstance(widget, ChoiceLine):
                values[widget.id] = widget.value
        return values

    def apply_values(self, values: dict[str, Any]) -> None:
        """Put values kept by ``current_values`` back into the widgets."""
        self.loading = True
        try:
            for widget in self.query("Input, TextArea, AnswerLine"):
                if widget.id is None or widget.id not in values:
                    continue
                value = values[widget.id]
                if isinstance(widget, Input) and isinstance(value, str):
                    widget.value = value
                elif isinstance(widget, TextArea) and isinstance(value, str):
                    widget.load_text(value)
                elif isinstance(widget, TickLine) and isinstance(value, list):
                    widget.value = frozenset(value)
                elif isinstance(widget, ChoiceLine) and (value is None or isinstance(value, str)):
                    widget.value = value
        finally:
            self.loading = False

    @property
    def dirty(self) -> bool:
        return self.current_values() != self._initial

    def on_mount(self) -> None:
        super().on_mount()
        # Once (Textual calls each class's on_mount, and forms call super() too), after
        # the form's own on_mount has loaded its values.
        if not self._draft_offer_due:
            self._draft_offer_due = True
            self.call_later(self._offer_draft)

    # -- moving between fields -----------------------------------------------------

    def form_fields(self) -> list[Widget]:
        """The fields the cursor can be in, in the form's (the paper's) order."""
        return [w for w in self.focus_chain if isinstance(w, FIELD_TYPES) and not self.skipped(w)]

    def skipped(self, field: Widget) -> bool:
        """True for a field Enter and Tab pass by now (decided from the values as they
        stand when the key is read, not from what the form has shown of them yet)."""
        return False

    def _step(self, field: Widget | None, step: int) -> Widget | None:
        fields = self.form_fields()
        if field not in fields:
            return fields[0] if fields else None
        at = fields.index(field) + step
        return fields[at] if 0 <= at < len(fields) else None

    def move_to(self, field: Widget) -> None:
        """Put the cursor on ``field`` now (not after the keys already read: they go to
        the field the cursor moves to)."""
        self.set_focus(field)
        # Whole on screen: Textual scrolls a field in as focus moves, but a form whose
        # lines wrap or show (an "Annat" line) in the same turn is laid out after that,
        # and the next question stayed below the edge while its keys answered it.
        self.call_after_refresh(field.scroll_visible, animate=False)

    def next_field(self, field: Widget) -> None:
        """Put the cursor on the field after ``field`` (staying put on the last one)."""
        following = self._step(field, 1)
        if following is not None:
            self.move_to(following)

    def _say_last_field(self) -> None:
        self.query_one("#form-error", Static).update(self.t("form.last_field"))

    def action_next_field(self) -> None:
        """Tab: the next field; on the last field it stays (never round to the first)."""
        if self.focused is None:
            self.focus_next()
        elif self._step(self.focused, 1) is None:
            self._say_last_field()
        else:
            self.next_field(self.focused)

    def action_previous_field(self) -> None:
        if self.focused is None:
            return
        previous = self._step(self.focused, -1)
        if previous is not None:
            self.move_to(previous)

    def action_enter(self) -> None:
        """Enter: the cursor moves to the next field at once; what finishes the field
        (``field_done``) runs once the field has taken the keys typed before Enter. On
        the last field Enter saves: the keys typed after it wait for the save."""
        field = self.focused
        if not isinstance(field, FIELD_TYPES) or field not in self.form_fields():
            raise SkipAction()  # a table in the form, say: its own Enter
        if self._step(field, 1) is None:
            self.after_keys(lambda: self.field_done(field))
            return
        self.next_field(field)
        field.call_later(self.field_done, field)

    def after_keys(self, job: Any) -> None:
        """Run ``job`` (a save) once every field has taken the keys typed before, holding
        the keys typed after it until it is done — they go where it leaves the cursor.

        Every field, not only the one the cursor is in: each takes its keys in a queue of
        its own, and one that was busy when they came (a loaded machine drawing it) took
        them after the save — a burst's second finding was saved without its place, and
        the place stood in the next, empty form."""
        self.trygg.hold_keys()
        waiting: list[Widget] = [w for w in self.query("*") if isinstance(w, FIELD_TYPES)]
        if self.focused is not None and self.focused not in waiting:
            waiting.append(self.focused)  # a table in the form, say
        left = 0

        def taken() -> None:
            nonlocal left
            left -= 1
            if left == 0:
                run()

        def run() -> None:
            try:
                job()
            finally:
                self.trygg.release_keys()

        for widget in waiting:
            # One closing meanwhile takes no more keys: it is not waited for.
            if widget.call_later(taken):
                left += 1
        if left == 0:
            self.call_later(run)

    def action_save_key(self) -> None:
        """ctrl+s: save once the field has its keys; what is typed next waits."""
        self.after_keys(self.action_save)

    def field_done(self, field: Widget) -> None:
        """Enter was pressed on ``field`` (the cursor has moved on already): keep the
        draft; on the last field, save. Forms change what Enter does on one field by
        overriding this (completing a category, expanding seized codes)."""
        self.write_draft()
        if self._step(field, 1) is None:
            self.action_save()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()

    @on(FormTextArea.Done)
    def _text_area_done(self, event: FormTextArea.Done) -> None:
        event.stop()

    # Answer lines (screens/widgets/choices.py): a pick-one key moves on, Enter moves on.
    # Forms change this by overriding ``answered``, not the handlers, so that Textual
    # does not run the base handler as well.

    def line_answered(self, line: AnswerLine, advance: bool) -> None:
        """An answer line's key was pressed (called at once by the line)."""
        self.draft_soon()
        self.answered(line, advance)

    def on_answer_line_done(self, event: AnswerLine.Done) -> None:
        event.stop()

    def answered(self, line: AnswerLine, advance: bool) -> None:
        """An option key was pressed on ``line``; ``advance`` for a pick-one answer: the
        next field (an answer on the last field does not save: Enter or ctrl+s does)."""
        if not advance:
            return
        self.write_draft()
        if self._step(line, 1) is None:
            self._say_last_field()
        else:
            self.next_field(line)

    # -- refusals ------------------------------------------------------------------

    def show_error(self, error: TryggError) -> None:
        """Say what is wrong and put the cursor on the first wrong field (in the form's
        order, whatever order the problems were found in)."""
        self.query_one("#form-error", Static).update(error.message(self.lang))
        if not isinstance(error, ValidationFailed):
            return
        wrong: list[Widget] = []
        for problem in error.problems:
            widget_id = self.FIELD_WIDGETS.get(problem.field)
            if widget_id:
                wrong.extend(self.query(f"#{widget_id}"))
        fields = self.form_fields()
        wrong.sort(key=lambda w: fields.index(w) if w in fields else len(fields))
        if wrong:
            self.move_to(wrong[0])

    def clear_error(self) -> None:
        self.query_one("#form-error", Static).update("")

    # -- drafts --------------------------------------------------------------------

    def draft_base(self) -> str | None:
        """What this form's drafts are kept under ("finding:new:<walk id>"); None for a
        form that keeps none."""
        return None

    def draft_extra(self) -> dict[str, Any]:
        """What a draft keeps beyond the widgets' values (the form's own state)."""
        return {}

    def not_in_draft(self) -> frozenset[str]:
        """The widgets whose values a draft may not keep (a record's personal data once it
        is erased); asked as each draft is written."""
        return frozenset()

    def restore_extra(self, data: dict[str, Any]) -> None:
        """Take back what ``draft_extra`` kept, before the values are put back."""

    def draft_restored(self) -> None:
        """The draft's values are in the widgets: show what follows from them."""

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _changed(self) -> None:
        if not self.loading:
            self.draft_soon()

    def draft_soon(self) -> None:
        """Write the draft in a moment (at most ``DRAFT_DELAY`` behind the typing)."""
        if self._gone:
            return
        if self._draft_timer is None and self.draft_base() is not None and self.is_mounted:
            # Not a Textual timer: a one-shot Textual timer that starts late (a busy
            # moment) is skipped, and the draft would never be written again.
            loop = asyncio.get_running_loop()
            self._draft_timer = loop.call_later(self.DRAFT_DELAY, self.write_draft)

    def write_draft(self) -> None:
        """Keep what the form holds, once something differs from how it opened."""
        if self._draft_timer is not None:
            self._draft_timer.cancel()
            self._draft_timer = None
        base = self.draft_base()
        if base is None or self._gone or not self.is_mounted or self.loading or not self.dirty:
            return
        if self.draft_key is None:
            self.draft_key = drafts.new_key(base)
        focused = self.focused.id if self.focused is not None else None
        left_out = self.not_in_draft()

        def kept(values: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in values.items() if k not in left_out}

        values = kept(self.current_values())
        data = {"values": values, "extra": self.draft_extra(), "focus": focused}
        if self.seen is not None:
            data["shown"] = kept(self._initial)  # what the record was when the typing began
        # Closing: the store may be gone already, and the last written draft stands.
        with contextlib.suppress(sqlite3.Error):
            if not drafts.save(self.trygg.store, self.draft_key, data):
                self.draft_soon()  # another program writes just now: keep it a moment later

    def forget_draft(self) -> None:
        """The form was saved or its text deliberately thrown away: remove its draft."""
        if self._draft_timer is not None:
            self._draft_timer.cancel()
            self._draft_timer = None
        if self.draft_key is not None:
            drafts.discard(self.trygg.store, self.draft_key)
            self.draft_key = None

    def _offer_draft(self) -> None:
        # First, so that the keys held since the push are given out whatever happens next.
        self.call_after_refresh(self._give_early_keys)
        base = self.draft_base()
        draft = drafts.latest(self.trygg.store, base) if base else None
        if draft is None:
            return
        # The question takes keys of its own: what was typed before it appeared (the
        # place, typed with F5, may well start with the key that takes the draft back) is
        # not an answer.
        self.trygg.ignore_keys_typed_before_now()
        count = len(drafts.of_form(self.trygg.store, base or ""))

        def answered(choice: str | None) -> None:
            if choice == "restore":
                self.restore_draft(draft)
            elif choice == "discard":
                drafts.discard(self.trygg.store, draft.form)
            # Esc: the draft stays for later; this form writes a draft of its own.

        when = draft.saved_at.replace("T", " ")[:16]
        question = self.t("form.draft_found", when=when)
        if count > 1:
            question += " " + self.t("form.drafts_more", count=count - 1)
        options = [
            (self.t("form.draft.restore_key"), "restore", self.t("form.draft.restore")),
            (self.t("form.draft.discard_key"), "discard", self.t("form.draft.discard")),
        ]
        # A change to a record starts from the record, not from empty fields.
        later = self.t("form.draft.later" if self.seen is None else "form.draft.later_saved")
        self.app.push_screen(KeyChoiceModal(question, options, cancel_hint=later), answered)

    def _give_early_keys(self) -> None:
        """The keys typed while the form was built go to its first field (the app holds
        them from the push: HOLDS_EARLY_KEYS)."""
        if self.focused is None:
            fields = self.form_fields()
            if fields:
                self.set_focus(fields[0])
        self.trygg.release_keys()

    def restore_draft(self, draft: drafts.Draft) -> None:
        """Fill the form from ``draft``; the form goes on writing to the same draft."""
        data = draft.data
        extra = data.get("extra")
        self.restore_extra(extra if isinstance(extra, dict) else {})
        values = data.get("values")
        values = values if isinstance(values, dict) else {}
        # A draft of a change to a record: what it had as it was shown is not what was
        # typed, and the form shows that as the record stands now (a colleague's file may
        # have changed it since). A new record's draft keeps all it had (its date too).
        shown = data.get("shown")
        if isinstance(shown, dict):
            values = {k: v for k, v in values.items() if k not in shown or shown[k] != v}
        self.apply_values(values)
        self.draft_key = draft.form
        self.draft_restored()
        # Back where the typing stopped, so that typing on goes where it was going.
        focus = data.get("focus")
        if isinstance(focus, str):
            found = [w for w in self.form_fields() if w.id == focus]
            if found:
                self.move_to(found[0])

    def on_unmount(self) -> None:
        if self._draft_timer is not None:
            self.write_draft()

    # -- saving and leaving --------------------------------------------------------

    def action_save(self) -> None:
        raise NotImplementedError

    def dismiss(self, result: str | None = None) -> AwaitComplete:
        """Close the form. The changes its fields report reach it after a save that
        ended a burst of typing (each field hands them on in its own turn): from here on
        they write no draft, or the form kept a draft of what it had just saved."""
        self._gone = True
        return super().dismiss(result)

    def saved(self, result: str | None) -> None:
        """The form was saved: forget its draft and close with ``result``."""
        self.forget_draft()
        self.dismiss(result)

    def action_cancel(self) -> None:
        if not self.dirty:
            self.forget_draft()
            self.dismiss(self.cancel_result)
            return
        if self.draft_base() is None:
            options = [(self.t("form.leave.discard_key"), "discard", self.t("form.leave.lose"))]
        else:
            self.write_draft()
            options = [
                (self.t("form.leave.keep_key"), "keep", self.t("form.leave.keep")),
                (self.t("form.leave.discard_key"), "discard", self.t("form.leave.discard")),
            ]

        def answered(choice: str | None) -> None:
            if choice == "keep":
                self.dismiss(self.cancel_result)
            elif choice == "discard":
                self.forget_draft()
                self.dismiss(self.cancel_result)

        self.app.push_screen(
            KeyChoiceModal(
                self.t("form.leave_unsaved"), options, cancel_hint=self.t("form.leave.stay")
            ),
            answered,
        )
