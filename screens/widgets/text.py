"""Showing user text safely: plain cells and labels, and times in words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from rich.text import Text

from db.textutil import printable


def plain(value: object, *, style: str = "") -> Text:
    """User text for a table cell or label: never markup, control characters visible,
    one line."""
    return Text(printable("" if value is None else value, single_line=True), style=style)


def ago(translate: Callable[..., str], when: str | None, now: datetime) -> str:
    """How long ago the ISO time ``when`` was at ``now`` (the store's clock, local time),
    in words ("för 3 dagar sedan"); "aldrig" for None."""

    if not when:
        return translate("home.never")
    try:
        then = datetime.fromisoformat(when)
    except ValueError:
        return when
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    hours = max(0, int((now.astimezone(UTC) - then).total_seconds() // 3600))
    if hours < 1:
        return translate("home.ago_now")
    if hours < 48:
        return translate("home.ago_hours", count=hours)
    return translate("home.ago_days", count=hours // 24)
