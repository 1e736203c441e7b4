"""Making user text safe to show on a terminal or in a plain file.

Text from users and files is stored verbatim (SQL, markup and escape sequences included);
it must never act when shown. Rich/Textual markup is handled by showing text as ``Text``
objects; this module handles the characters a terminal would obey or that change how the
text around them reads: control characters (an ESC starts a sequence that can recolour
the screen, retitle the window or, with OSC 52, fill the clipboard) and bidirectional and
invisible formatting characters (U+202E shows the rest of a line backwards; a zero-width
space makes two different names look the same).

:func:`printable` is the one function for every text that leaves Trygg for a terminal or
a plain file (the command line's output, the memo, CSV and text tables, HTML after
escaping); :func:`json_text` does the same for JSON, with escapes that read back exactly.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

#: Control characters a terminal obeys: C0 but newline and tab, DEL, and C1.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
#: Characters that reorder or hide text: the bidirectional marks, embeddings, overrides
#: and isolates (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069), zero-width and invisible
#: characters (U+200B, U+2060–U+2064, U+FEFF, U+180E, the deprecated U+206A–U+206F),
#: interlinear annotation (U+FFF9–U+FFFB), and the line and paragraph separators
#: (U+2028/9) some programs break lines at. The zero-width (non-)joiner stays: emoji and
#: some scripts need it.
_INVISIBLE = (
    "\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
_SHOWN = re.compile(f"[{_CONTROLS}{_INVISIBLE}]")
#: What JSON leaves raw inside strings but a terminal would obey or hide.
_JSON_RAW = re.compile(f"[\x7f-\x9f{_INVISIBLE}]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture", e.g. ␛ for ESC
    if code == 0x7F:
        return "\u2421"
    if code <= 0x9F:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"  # e.g. \u202e: visible, and what a programmer would look up


def printable(text: object, *, single_line: bool = False) -> str:
    """``text`` with every control, bidirectional and invisible formatting character
    replaced by a visible stand-in (``␛`` for ESC, ``\\x9b``, ``\\u202e``).

    Newlines and tabs survive unless ``single_line``, where they become spaces."""
    value = "" if text is None else str(text)
    if single_line:
        value = value.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _SHOWN.sub(_picture, value)


def json_text(value: Any, **options: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, **options)``, with the characters JSON would
    leave raw that a terminal obeys or hides (DEL, C1, bidirectional and invisible ones)
    written as ``\\uXXXX`` escapes: the file reads back exactly, and shows safely."""
    text = json.dumps(value, ensure_ascii=False, **options)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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


#: A terminal's escape sequences (colours, cursor moves, titles) inside pasted text.
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
_PASTED_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_paste(text: str, *, single_line: bool) -> str:
    """Pasted text as a person meant it: escape sequences (the colours of the terminal it
    was copied from) removed, other control characters dropped, tabs as spaces; for a
    one-line field, every line kept, joined by spaces."""
    text = _ESCAPES.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _PASTED_CONTROLS.sub("", text.replace("\t", " "))
    if single_line:
        text = " ".join(line.strip() for line in text.split("\n") if line.strip())
    return text
