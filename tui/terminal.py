"""Reading the terminal: pasted text arrives whole and in order.

Textual's input parser reads an escape character inside a bracketed paste as the start of
a key sequence: the rest of the paste after it comes out as separate key presses *before*
the paste event, which holds only the text up to it — so pasting ``Ring \\e[31mRÖD``
typed ``^[31mRÖD`` and then pasted ``Ring``. This parser takes the escape sequences out of
a bracketed paste (colours copied from another terminal mean nothing in a form) before
Textual's parser sees it, so the paste event carries all the text, in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from textual._xterm_parser import XTermParser

START = "\x1b[200~"
END = "\x1b[201~"
#: A complete escape sequence: CSI (colours, cursor), OSC (titles), or ESC and one char.
_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[^\[\]])")
#: The start of an escape sequence whose end has not arrived yet.
_PARTIAL = re.compile(r"\x1b(\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?)?\Z")


class PasteSafeParser(XTermParser):
    """Textual's parser, fed pasted text without the escape sequences inside it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_paste = False
        self._held = ""  # an unfinished sequence inside a paste
        self._tail = ""  # the end of the last data outside a paste (a split START)

    def feed(self, data: str) -> Iterable[Any]:
        cleaned = self.clean(data)
        if data and not cleaned:
            return []  # all held back for now (an empty feed would mean end of input)
        return super().feed(cleaned)

    def clean(self, data: str) -> str:
        """``data`` with escape sequences inside bracketed pastes removed."""
        out: list[str] = []
        text = self._held + data
        self._held = ""
        i = 0
        while i < len(text):
            if not self._in_paste:
                seen = self._tail + text[i:]
                at = seen.find(START)
                if at < 0:
                    out.append(text[i:])
                    self._tail = seen[-(len(START) - 1) :]
                    break
                begin = i + at - len(self._tail) + len(START)
                out.append(text[i:begin])
                self._tail = ""
                self._in_paste = True
                i = begin
                continue
            at = text.find("\x1b", i)
            if at < 0:
                out.append(text[i:])
                break
            out.append(text[i:at])
            rest = text[at:]
            if rest.startswith(END):
                out.append(END)
                self._in_paste = False
                i = at + len(END)
                continue
            if END.startswith(rest) or _PARTIAL.match(rest):
                self._held = rest  # wait for the rest of it
                break
            match = _SEQUENCE.match(rest)
            i = at + (match.end() if match else 1)
        return "".join(out)


def install() -> None:
    """Make Textual's terminal drivers read input with ``PasteSafeParser``."""
    import textual.drivers.linux_driver as linux_driver

    linux_driver.XTermParser = PasteSafeParser  # type: ignore[misc]
