"""Making user text safe to show on a terminal.

Text from users and files is stored verbatim (SQL, markup and escape sequences included);
it must never act when shown. Rich/Textual markup is handled by showing text as ``Text``
objects; this module handles control characters, which a terminal would obey.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture", e.g. ␛ for ESC
    if code == 0x7F:
        return "\u2421"
    return f"\\x{code:02x}"


def printable(text: object, *, single_line: bool = False) -> str:
    """``text`` with every control character replaced by a visible stand-in.

    Newlines and tabs survive unless ``single_line``, where they become spaces.
    """
    value = "" if text is None else str(text)
    if single_line:
        value = value.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _CONTROL.sub(_picture, value)


_SWEDISH_TAIL = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "ü": "y"})


def swedish_sort_key(text: str) -> str:
    """Sort key for Swedish alphabetical order: … X Y Z Å Ä Ö, case-insensitive."""
    return text.casefold().translate(_SWEDISH_TAIL)


def fold(text: str) -> str:
    """Case- and accent-insensitive form, so "asele" finds "Åsele"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


#: A terminal's escape sequences (colours, cursor moves, titles) inside pasted text.
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_paste(text: str, *, single_line: bool) -> str:
    """Pasted text as a person meant it: escape sequences (the colours of the terminal it
    was copied from) removed, other control characters dropped, tabs as spaces; for a
    one-line field, every line kept, joined by spaces."""
    text = _ESCAPES.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROLS.sub("", text.replace("\t", " "))
    if single_line:
        text = " ".join(line.strip() for line in text.split("\n") if line.strip())
    return text
