"""Click's own words (its errors, prompts and help headings) in the interface language.

Click marks what it says for translation with ``gettext`` but ships no Swedish, and a
usage mistake — a missing option, a value that is not a number — must still be told in
Swedish. ``install()`` points the ``gettext`` names click's modules imported at
``translate`` / ``translate_plural``, which look the English text up here when the
interface speaks Swedish and leave it as it is in English.
"""

from __future__ import annotations

import importlib
from typing import Any

import click.types

from tui.text import language

#: Click's texts (its msgids, as in its source) and their Swedish.
SWEDISH: dict[str, str] = {
    "Aborted!": "Avbrutet.",
    "Missing command.": "Kommando saknas.",
    "Options": "Flaggor",
    "Commands": "Kommandon",
    "Positional arguments": "Argument",
    "Error: {message}": "Fel: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "Missing argument": "Argument saknas:",
    "Missing option": "Flagga saknas:",
    "Missing parameter": "Värde saknas:",
    "Missing {param_type}": "Saknas ({param_type}):",
    "Missing parameter: {param_name}": "Värde saknas: {param_name}",
    "No such option {name!r}.": "Flaggan {name!r} finns inte.",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Could not open file {filename!r}: {message}": "Kan inte öppna filen {filename!r}: {message}",
    "unknown error": "okänt fel",
    "{value} is not in the range {range}.": "{value} är inte tillåtet ({range}).",
    "{value!r} is not a valid {number_type}.": "{value!r} är inget giltigt tal.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} är varken ja eller nej. Giltiga värden: {states}"
    ),
    "{value!r} is not a valid UUID.": "{value!r} är inget giltigt id.",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "file": "Filen",
    "directory": "Mappen",
    "path": "Sökvägen",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} går inte att läsa.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} går inte att skriva till.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} går inte att köra.",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "Do you want to continue?": "Vill du fortsätta?",
    "Press any key to continue...": "Tryck på en tangent för att fortsätta …",
    "Repeat for confirmation": "Upprepa för att bekräfta",
    "Error: The two entered values do not match.": "Fel: de två värdena är inte lika.",
    "Error: invalid input": "Fel: ogiltigt svar",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljövariabel: {var}",
    "required": "måste anges",
}

#: Click's texts with a singular and a plural form, and their Swedish.
SWEDISH_PLURAL: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Ett argument för mycket ({args})",
        "Argument för mycket ({args})",
    ),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Menade du {possibility}?",
        "(Menade du något av: {possibilities}?)",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} är inte {choice}.",
        "{value!r} är inte något av {choices}.",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "Flaggan {name!r} behöver ett värde.",
        "Flaggan {name!r} behöver {nargs} värden.",
    ),
    (
        "Takes {nargs} values but 1 was given.",
        "Takes {nargs} values but {len} were given.",
    ): ("Tar {nargs} värden men fick 1.", "Tar {nargs} värden men fick {len}."),
}

#: Click's modules that say something to a person, each with its own gettext names.
_MODULES = ("core", "exceptions", "types", "parser", "decorators", "termui", "formatting")


#: Click's English where it speaks as programmers do, in the words the help uses.
ENGLISH = {"{value} is not in the range {range}.": "{value} is not allowed ({range})."}


def translate(message: str) -> str:
    """Click's ``message`` in the interface language."""
    if language() == "sv":
        return SWEDISH.get(message, message)
    return ENGLISH.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    """Click's message with a count ``n`` in the interface language."""
    if language() == "sv" and (singular, plural) in SWEDISH_PLURAL:
        one, many = SWEDISH_PLURAL[singular, plural]
        return one if n == 1 else many
    return singular if n == 1 else plural


#: Click's private description of a range (a newer click without it keeps its own words).
_RANGES = getattr(click.types, "_NumberRangeBase", None)
_CLICK_RANGE = getattr(_RANGES, "_describe_range", None)


#: How a range is said: (above, at least, below, at most, and), per language.
_RANGE_WORDS = {
    "sv": ("över", "minst", "under", "högst", "och"),
    "en": ("above", "at least", "below", "at most", "and"),
}


def describe_range(kind: Any) -> str:
    """A number range in words ("minst 1" / "at least 1", "1–3650"), not click's own
    "x>=1". Used by the help ("[standard: 50; minst 1]") and the error for a number
    outside it ("0 är inte tillåtet (minst 1)", "0 is not allowed (at least 1)")."""
    above, at_least, below, at_most, joined = _RANGE_WORDS.get(language(), _RANGE_WORDS["en"])
    low, high = kind.min, kind.max
    if low is not None and high is not None and not (kind.min_open or kind.max_open):
        return f"{low}–{high}"
    words = []
    if low is not None:
        words.append(f"{above if kind.min_open else at_least} {low}")
    if high is not None:
        words.append(f"{below if kind.max_open else at_most} {high}")
    return f" {joined} ".join(words)


def install() -> None:
    """Make click speak through ``translate`` (idempotent)."""
    if _CLICK_RANGE is not None:
        _RANGES._describe_range = describe_range  # type: ignore[union-attr]
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = translate  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = translate_plural  # type: ignore[attr-defined]
