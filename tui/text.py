"""The current interface language and lookup of UI/CLI strings."""

from __future__ import annotations

import click

from db.i18n import normalise_language, render
from db.textutil import printable

_language = normalise_language(None)


def set_language(lang: str | None) -> str:
    """Choose the interface language (sv or en; ``TRYGG_LANG`` when None)."""
    global _language
    _language = normalise_language(lang)
    return _language


def language() -> str:
    return _language


def t(key: str, **params: object) -> str:
    """The UI string ``key`` in the current language."""
    return render("tui", _language, key, **params)


def echo(text: object = "", *, err: bool = False, nl: bool = True) -> None:
    """Print one line (or block) of the command line's output. Everything the command line
    prints goes through here, so that a name, a value or a file name from a colleague's
    file can never steer the terminal: control and bidirectional characters are shown as
    visible stand-ins (``printable``)."""
    click.echo(printable(text), err=err, nl=nl)
