"""The current interface language and lookup of UI/CLI strings."""

from __future__ import annotations

from db.i18n import normalise_language, render

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
