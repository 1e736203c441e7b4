"""Typing that a list follows: the first key after a pause is searched at once, and keys
typed in quick succession after it are searched once, when typing pauses.

A plain debounce (wait until typing pauses, then search) made every search wait for the
pause, even a single key: the list lagged by the pause on every keystroke. Searching on
the leading edge shows a key's result at once; the trailing edge keeps a word typed fast
from being one query per letter.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer


class Debounce:
    """Calls ``action`` on ``owner``'s thread: at once when called after a quiet spell of
    ``delay`` seconds, and, for calls that arrive within ``delay`` of the last run or
    call, once more when ``delay`` has passed without a call."""

    def __init__(self, owner: MessagePump, delay: float, action: Callable[[], object]) -> None:
        self.owner = owner
        self.delay = delay
        self.action = action
        self._timer: Timer | None = None
        self._pending = False

    def __call__(self) -> None:
        """Something changed: run now if things were quiet, else once they are."""
        if self._timer is None:
            self._pending = False
            self.action()
            self._timer = self.owner.set_timer(self.delay, self._quiet)
            return
        self._pending = True
        self._timer.stop()
        self._timer = self.owner.set_timer(self.delay, self._quiet)

    def cancel(self) -> None:
        """Forget what waits (the caller acts now, e.g. on Enter)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._pending = False

    def _quiet(self) -> None:
        self._timer = None
        if self._pending:
            self._pending = False
            self.action()
