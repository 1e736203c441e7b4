"""What every Trygg screen shares: UI strings from the running app, localised bindings,
the messages the app sends when data changed behind a screen, and the app as screens see
it (a protocol, so that screens never import tui)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from textual import events
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from db.errors import TryggError
from db.store import Store
from screens.widgets.text import in_folder, toast_text_width

T = TypeVar("T")


class TryggAppLike(Protocol):
    """What screens need from the app (kept as a protocol so screens never import tui)."""

    store: Store

    def t(self, key: str, **params: object) -> str: ...

    def in_thread(
        self,
        job: Callable[[Store], Any],
        done: Callable[[Any], None],
        failed: Callable[[TryggError], None] | None = None,
        *,
        exclusive: str | None = None,
    ) -> None:
        """Run ``job(store)`` in a worker with its own connection, then ``done(result)``
        on the UI thread (``failed(error)`` for a refusal). With ``exclusive`` (a group
        name), a newer run of the same name voids the older one's result, so only the
        newest shows."""
        ...

    def hold_keys(self) -> None:
        """Keep the keys read from now on (a form is saving) until ``release_keys``."""
        ...

    def release_keys(self) -> None:
        """Give the held keys out, in order."""
        ...

    def ignore_keys_typed_before_now(self) -> None:
        """Drop the keys typed so far, held or on their way: a question appeared."""
        ...

    def check_mailbox(self) -> None:
        """Look in the mailbox folder for colleagues' files not announced yet."""
        ...

    def action_section(self, name: str) -> None:
        """Show one of the sections a function key away (walks, reports, plans, sync)."""
        ...

    def built_ahead(self, key: str, make: Callable[[], Screen[Any]]) -> Screen[Any]:
        """The screen ``key`` names (a section, the open findings), fresh: the one built
        ahead in idle time if there is one, else ``make()``."""
        ...


class DataChanged(Message):
    """Records changed behind the current screen (a quick report saved over a list, an
    import, gallring): screens that show records handle it with ``@on`` and show them
    again."""


class MailboxChanged(Message):
    """New colleagues' files lie in the mailbox folder."""


def localise_bindings(node: DOMNode, translate: Any) -> None:
    """Replace each binding's description and tooltip (catalogue keys in ``BINDINGS``) by
    the text in the current language. Bindings keep their ids, so keymaps still apply."""
    bindings: BindingsMap = node._bindings
    for key, key_bindings in list(bindings.key_to_bindings.items()):
        bindings.key_to_bindings[key] = [_translated(b, translate) for b in key_bindings]


def _translated(binding: Binding, translate: Any) -> Binding:
    return dataclasses.replace(
        binding,
        description=translate(binding.description) if binding.description else "",
        tooltip=translate(binding.tooltip) if binding.tooltip else "",
    )


class _TryggNode:
    """What Trygg's screens and modals share: localised bindings and UI strings.

    A plain mixin, not a DOMNode: Textual takes a widget's CSS type names (``Screen``,
    ``ModalScreen``, which the app's and Textual's styles select) from its first DOMNode
    base, which must stay the Textual screen."""

    app: Any
    _shown_before = False
    #: Whether the screen has been shown (and so styled whole) once.
    _styled_once = False
    #: The theme the screen's widgets were styled in when they were mounted.
    _styled_theme: str | None = None
    #: The store's change mark and the day when the screen was built ahead of being shown
    #: (see ``TryggAppLike.built_ahead``); None for a screen built when it was asked for.
    built_ahead_at: tuple[tuple[int, int], date] | None = None

    def _post_register(self, app: Any) -> None:
        # Localised once, as soon as the screen belongs to the app, before anything can
        # read its keys (a screen built ahead composes long before it is shown). In
        # on_mount it ran twice: a screen's on_mount calls this class's, and Textual
        # calls each class's handler too.
        super()._post_register(app)  # type: ignore[misc]
        localise_bindings(self, self.t)  # type: ignore[arg-type]
        self._styled_theme = app.theme

    def on_mount(self) -> None:
        self.refresh_bindings()  # type: ignore[attr-defined]

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual styles every widget of a screen again each time it is shown, in case
        # the theme changed while it was hidden. The first time, each widget has just
        # been styled as it was mounted: styling them all again cost a list screen a
        # tenth of its opening, and the layouts after it more (their caches emptied).
        if not self._styled_once:
            self._styled_once = True
            # A screen built ahead may have been styled in the other theme.
            if self.app.theme == self._styled_theme:
                event.refresh_styles = False

    @property
    def awaiting_results(self) -> bool:
        """Whether what the screen shows still waits for a worker's result (a count,
        figures): a screen built ahead is drawn ahead once it has them."""
        return False

    def returned_to(self) -> bool:
        """For ``on_screen_resume``, whether to load what the screen shows again: False
        when the screen is first shown (its ``on_mount`` has just loaded it: loading again
        would double the cost of opening it; a screen built ahead is shown only while the
        database is as it was when built), True each time it is shown again (a screen
        above it closed)."""
        again, self._shown_before = self._shown_before, True
        return again

    @property
    def trygg(self) -> TryggAppLike:
        """The app, as screens see it."""
        return cast(TryggAppLike, self.app)

    def t(self, key: str, **params: object) -> str:
        return self.trygg.t(key, **params)

    def notify_in_folder(
        self, message: str, folder: Path | str, *, warning: bool = False, timeout: float = 10
    ) -> None:
        """A notification about a file written (``message`` names it by its name) or a
        folder chosen, with the folder on a line of its own rather than a whole path
        wrapped mid-word."""
        self.app.notify(
            in_folder(message, folder, toast_text_width(self.app.size.width)),
            severity="warning" if warning else "information",
            markup=False,
            timeout=timeout,
        )

    @property
    def lang(self) -> str | None:
        """The interface language, for data-core labels and messages."""
        return getattr(self.app, "lang", None)


def typing_in_field(screen: Screen[Any]) -> bool:
    """Whether the cursor is in a text field, where a key such as ``/`` is a character.

    A list's ``/`` is a priority binding: the app runs it before it reads the next key,
    so a letter typed with it lands in the search field (a plain binding runs in the
    table's turn, after the app has already handed the letter to the table). Its
    ``check_action`` turns it off while a field has the cursor."""
    from textual.widgets import Input, TextArea

    return isinstance(screen.focused, (Input, TextArea))


class _DismissedOnce:
    """``dismiss`` takes a screen away once. Textual's pops whatever is on top, so a
    second call — a key read in the same breath as the one that answered, before the
    screen was gone — took away the screen under it (F5's draft question answered by
    the T and the t of "Torget" closed the report form)."""

    _dismissed = False

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if self._dismissed or self not in self.app.screen_stack:  # type: ignore[attr-defined]
            return AwaitComplete(_nothing())
        self._dismissed = True
        return super().dismiss(result)  # type: ignore[misc]


async def _nothing() -> None:
    return None


class TryggScreen(_DismissedOnce, _TryggNode, Screen[Any]):
    """A full screen of Trygg."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "field_enter":
            from textual.widgets import Input

            return isinstance(self.focused, Input)
        # A key that opens a form is a letter in a text field (see form_key).
        return not (action == "open_form" and typing_in_field(self))

    def action_field_enter(self) -> None:
        """Enter in a list's search or filter field (a priority binding: FIELD_ENTER):
        done once the field has the keys typed before it, and the keys typed after it
        wait to go where it leads. The field's own Enter ran in the field's turn, and
        "/Bravo", Enter, "e" in one breath searched for "Bravoe"."""
        field = self.focused
        if field is not None:
            self._after_typed_keys(lambda: self.field_entered(field))

    def field_entered(self, field: Widget) -> None:
        """Enter was pressed in ``field``, a text field of this screen."""

    def action_open_form(self, action: str) -> None:
        """Run ``action`` (it opens a form) once the widget with the cursor has taken the
        keys typed before it, holding the keys typed after it for the form's first field.

        Bound with ``form_key``: a plain binding ran once the key had reached the screen,
        after the app had handed the keys typed with it to the list ("n" and "Abc" in one
        breath opened an empty finding); a priority binding alone would open the row the
        cursor was on before the arrow keys typed ahead of it had moved it."""
        self._after_typed_keys(getattr(self, f"action_{action}"))

    def _after_typed_keys(self, job: Callable[[], None]) -> None:
        """Run ``job`` once the keys typed before now have reached the app through the
        widget with the cursor, holding the keys typed from now on until it has run."""
        self.trygg.hold_keys()

        def run() -> None:
            try:
                job()
            finally:
                # A form it opened holds them itself until its first field has the cursor.
                if not getattr(self.app.screen, "HOLDS_EARLY_KEYS", False):
                    self.trygg.release_keys()

        after_keys_reach_app(self.focused or self, run)


def after_keys_reach_app(node: DOMNode, job: Callable[[], None]) -> None:
    """Run ``job`` once the keys handed to ``node`` so far have reached the app.

    A list's arrow keys are bindings of the list, which the app runs once the key has
    bubbled up to it, through each container's queue in turn: ``job`` follows the same
    way up, one queue after the other, and comes after them."""

    def step(at: DOMNode) -> None:
        parent = at.parent
        if parent is None:  # the app
            job()
        elif not parent.call_later(step, parent):
            job()  # closing: nothing more reaches the app that way

    if not node.call_later(step, node):
        job()


#: Enter in a text field of a list screen, read at once (TryggScreen.action_field_enter).
FIELD_ENTER = Binding("enter", "field_enter", show=False, priority=True, id="field_enter")


def form_key(key: str, action: str, description: str, *, tooltip: str, id: str) -> Binding:
    """The binding of a key that opens a form: read at once (priority), run in its turn
    (``TryggScreen.action_open_form``), off while the cursor is in a text field."""
    return Binding(
        key, f"open_form({action!r})", description, tooltip=tooltip, id=id, priority=True
    )


class TryggModal(_DismissedOnce, _TryggNode, ModalScreen[T]):
    """A modal of Trygg returning a ``T`` through ``dismiss``."""
