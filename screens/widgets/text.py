"""Showing user text safely: plain cells and labels, times in words, and where a file
went."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

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


def fold_path(path: str, width: int) -> str:
    """``path`` on lines of at most ``width`` characters, each broken just after a path
    separator (a name longer than a line is broken where it must)."""
    width = max(width, 8)
    lines: list[str] = []
    line = ""
    for part in _path_parts(path):
        if len(line) + len(part) > width and line:
            lines.append(line)
            line = ""
        while len(part) > width:
            lines.append(part[:width])
            part = part[width:]
        line += part
    if line or not lines:
        lines.append(line)
    return "\n".join(lines)


def _path_parts(path: str) -> list[str]:
    """``/media/anna/TRYGG`` → ``/``, ``media/``, ``anna/``, ``TRYGG``."""
    parts: list[str] = []
    current = ""
    for char in path:
        current += char
        if char in "/\\":
            parts.append(current)
            current = ""
    if current:
        parts.append(current)
    return parts


def toast_text_width(terminal_width: int) -> int:
    """How many characters a notification's line holds in a terminal this wide (the
    toasts' ``max-width: 90%``, border and padding in tui/trygg.tcss)."""
    return terminal_width * 9 // 10 - 3


def in_folder(message: str, folder: Path | str, width: int) -> str:
    """A message about a file or folder (naming a file by its name, never its whole path),
    then the folder on a line of its own, folded at separators to ``width``."""
    shown = printable(str(folder), single_line=True)
    return f"{printable(message)}\n{fold_path(shown, width)}"
