"""The key line at the foot of every screen: Textual's footer, made cheap to show.

Textual's footer builds its keys again each time the screen says its bindings may have
changed (on mount, on every change of focus, on ``refresh_bindings``), and styles each key
three times over: when it is made, when its ``compact`` flag starts as on, and when the
flag is bound to the footer's off. On a list screen that was a third of the time from a
key to the screen drawn. This footer builds its keys again only when the keys it shows
have changed, and gives each key its ``compact`` flag before it is mounted. When the
keys change to some of those built (the letters' keys leave while a text field has the
focus, and come back after), it hides and shows them rather than building them again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

#: What the footer shows of a binding: its key, action, texts and whether it is enabled.
Shown = tuple[tuple[str, str, str, str, bool, str], ...]


class Footer(TextualFooter):
    """Textual's footer, rebuilt only when the keys it shows change."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        #: The keys the footer was last built with (None: build it on the next chance).
        self._built_for: Shown | None = None
        #: The keys it shows now: those it was built with, or some of them (the others
        #: hidden while a text field has the focus).
        self._showing: Shown | None = None

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Told its size by a layout, the footer took a change of its keys' width (some
        # shown, some hidden) as a reason to lay the whole screen out once more, which
        # moved nothing: the footer is one row at the foot of the screen, its keys laid
        # out in the layout that measured them.
        return super()._size_updated(size, virtual_size, container_size, layout=False)

    def shown_keys(self, screen: Screen[object]) -> Shown:
        """What the footer would show on ``screen`` now."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding.action, binding.description, binding.tooltip, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == palette
        )

    def compose(self) -> ComposeResult:
        built = False
        for widget in super().compose():
            # Textual binds each key's flag to the footer's, all but the palette's.
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                # The flag the key would be bound to, set before it is mounted: binding
                # it would style the key twice more for nothing.
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            built = True
            yield widget
        # Before the screen's bindings are ready (and its on_mount has run, which its
        # check_action may need) Textual's footer builds nothing and asks for none.
        self._built_for = self._showing = self.shown_keys(self.screen) if built else None

    async def recompose(self) -> None:
        # Each change of focus asks for a rebuild; most leave the keys as they were, and
        # most others show some of the keys built (a text field takes the letters).
        if self.is_attached and self._built_for is not None:
            wanted = self.shown_keys(self.screen)
            if wanted == self._showing or self._show_only(wanted):
                return
        await super().recompose()

    def _show_only(self, wanted: Shown) -> bool:
        """Show the keys ``wanted`` by hiding the others among those built, when they are
        all built, in the same order; False (nothing changed) when they are not."""
        built = self._built_for or ()
        chosen = set(wanted)
        if [k for k in built if k in chosen] != list(wanted):
            return False
        keys = [key for key in self.children if isinstance(key, FooterKey)]
        if len(keys) != len(self.children):
            return False  # groups of keys: built again
        pairs = {(key, action) for key, action, *_ in wanted}
        show = [(key.key, key.action) in pairs for key in keys]
        # Each action is shown by the key of its first binding built: wanted without that
        # one (but with another of the same action), it is built again.
        shown_actions = {key.action for key, on in zip(keys, show, strict=True) if on}
        if shown_actions != {action for _key, action, *_ in wanted}:
            return False
        for key, on in zip(keys, show, strict=True):
            key.display = on
        self._showing = wanted
        return True
