"""Message catalogues for the data core, Swedish by default, English on request.

Every message the data core can show a person lives in ``db/locale/<lang>.py`` as a
``MESSAGES`` dict; code refers to messages by key and fills in named parameters.
"""

from __future__ import annotations

import os
import string
from importlib import import_module

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"


def normalise_language(lang: str | None) -> str:
    """Return a supported language code for ``lang`` (or ``TRYGG_LANG``), defaulting to sv."""
    candidate = (lang or os.environ.get("TRYGG_LANG") or DEFAULT_LANGUAGE).strip().lower()
    candidate = candidate.split("_")[0].split("-")[0]
    return candidate if candidate in LANGUAGES else DEFAULT_LANGUAGE


def catalogue(package: str, lang: str) -> dict[str, str]:
    """Load the ``MESSAGES`` dict of ``<package>.locale.<lang>``."""
    return import_module(f"{package}.locale.{normalise_language(lang)}").MESSAGES


#: The parameters that count what a message names, first found first: when it is 1, the
#: message's singular form ``<key>.one`` is used where the catalogue has one ("1
#: rapport", not "1 rapporter").
COUNTED = ("count", "shown")


def render(package: str, lang: str, key: str, **params: object) -> str:
    """Look up ``key`` in the catalogue and format it; an unknown key shows as itself.
    A count of exactly one takes the singular form ``<key>.one`` if there is one."""
    messages = catalogue(package, lang)
    if _counts_one(params) and f"{key}.one" in messages:
        key = f"{key}.one"
    template = messages.get(key)
    if template is None:
        template = catalogue(package, DEFAULT_LANGUAGE).get(key, key)
    try:
        return _FORMATTER.format(template, **params)
    except (KeyError, IndexError, ValueError):
        return template


class _CountingFormatter(string.Formatter):
    """``str.format`` with one addition for messages that count several things: a field
    ``{new:ny post|nya poster}`` is the word for its count — the first form when the
    value is exactly 1, the second otherwise (the number itself is its own field:
    ``{new} {new:ny post|nya poster}``). A message counting one thing has a whole
    ``<key>.one`` form instead, where the rest of the sentence agrees too."""

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" in format_spec:
            one, many = format_spec.split("|", 1)
            return one if _is_one(value) else many
        return str(super().format_field(value, format_spec))


_FORMATTER = _CountingFormatter()


def _counts_one(params: dict[str, object]) -> bool:
    for name in COUNTED:
        if name in params:
            return _is_one(params[name])
    return False


def _is_one(value: object) -> bool:
    """Whether ``value`` is a count of exactly one (a bool is an int in Python, but never
    a count; "…", a figure not yet counted, is none)."""
    return isinstance(value, int) and not isinstance(value, bool) and value == 1


def msg(key: str, lang: str | None = None, **params: object) -> str:
    """A data-core message in ``lang``."""
    return render("db", normalise_language(lang), key, **params)
