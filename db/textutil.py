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


# Å, Ä and Ö are letters of their own after Z (Æ and Ø go with Ä and Ö, Ü with Y); every
# other accented letter sorts with its base letter (É with E, as in "Édouard", "Åre").
_SWEDISH_TAIL = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "ü": "y"})


def swedish_sort_key(text: str) -> str:
    """Sort key for Swedish alphabetical order: … X Y Z Å Ä Ö, case-insensitive, with
    other accented letters among their base letters (É with E). Names that differ only in
    accents or case keep one fixed order."""
    folded = text.casefold()
    primary = unicodedata.normalize("NFKD", folded.translate(_SWEDISH_TAIL))
    primary = "".join(c for c in primary if not unicodedata.combining(c))
    return f"{primary}\x00{folded}"


def fold(text: str) -> str:
    """Case- and accent-insensitive form, so "asele" finds "Åsele"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
