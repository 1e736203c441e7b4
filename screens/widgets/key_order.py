"""Keys in the order they were typed, in a text field.

Textual's Input and TextArea insert a typed character in their own key handler, but
their editing keys (backspace, delete, the arrows, ctrl+u …) are bindings, which run
only once the key has bubbled up to the app — after the characters typed behind it,
which were already handed to the field. Typed in one breath, ``Cenx⌫trum`` became
"Cenxtru" and ``ctrl+u`` then a date emptied the field (Textual issue #6605). A field
that runs its own bindings in its key handler keeps the order.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input


async def run_own_binding(widget: Widget, event: events.Key) -> bool:
    """Run ``widget``'s own (not priority) binding of ``event``'s key now, in the key's
    turn, as the app would once the key reached it; True if one ran (the key is then
    spent: stopped, and no base class handles it too)."""
    for binding in widget._bindings.key_to_bindings.get(event.key, ()):
        # Priority bindings ran before the key reached the field.
        if binding.priority:
            continue
        if await widget.app.run_action(binding.action, widget):
            event.stop()
            event.prevent_default()
            return True
    return False


class LineInput(Input):
    """A one-line text field whose editing keys run in the order they were typed, and
    whose ctrl+u empties it: every text field of Trygg is one (or a FormTextArea)."""

    async def _on_key(self, event: events.Key) -> None:
        await run_own_binding(self, event)

    def _watch_value(self, value: str) -> None:
        # Textual's watcher sets the field's virtual size (its text's width, which grows
        # with each key typed) as a change that lays the whole screen out: a list's
        # search laid the screen out for the letter, then again for the rows it found.
        # The size is all the field needs (to scroll its text); its height and width are
        # set, and it is drawn again for the new text anyway.
        self.set_reactive(Widget.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)

    def action_delete_left_all(self) -> None:
        """ctrl+u empties the field, as the forms' key line says ("töm fältet"), wherever
        the cursor is (Textual's deletes only what lies left of it: after a correction
        with the arrows, or with the cursor put back on a refused field, half the old
        value stayed and the new one was typed beside it)."""
        self.delete(0, len(self.value))
