"""The current interface language, lookup of UI/CLI strings, and everything the command
line prints: plain lines, and on a terminal rich tables and progress bars."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.text import Text

from db.i18n import normalise_language, render
from db.textutil import printable

if TYPE_CHECKING:
    # Imported where used: the app imports this module at start, and needs neither.
    from rich.progress import Progress

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


def terminal() -> Console | None:
    """A rich console on standard output when that is a terminal; None when the output is
    piped or redirected, which then stays plain text, line by line, for scripts."""
    if not sys.stdout.isatty():
        return None
    return Console(file=sys.stdout, markup=False, highlight=False, emoji=False)


def table(
    console: Console,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    right: Sequence[int] = (),
    whole: Sequence[int] = (),
) -> None:
    """Print ``rows`` under ``header`` as a rich table on ``console`` (from ``terminal``);
    ``right`` numbers the columns aligned right (counts), ``whole`` those whose lines are
    never broken (a fingerprint, a moment) while the others wrap to fit. Every cell is
    plain text made printable: a name like ``[bold]`` or an escape sequence is shown as
    typed, never obeyed."""
    from rich.table import Table

    cells = [[Text(printable(_cell(value))) for value in row] for row in rows]
    shown = Table(show_edge=False, header_style="bold", pad_edge=False)
    for i, title in enumerate(header):
        widest = max((line.cell_len for row in cells for line in row[i].split()), default=0)
        shown.add_column(
            Text(printable(title)),
            justify="right" if i in right else "left",
            # Folded, never cut with an ellipsis: a fingerprint is read out whole by phone.
            overflow="fold",
            min_width=widest if i in whole else None,
        )
    for row in cells:
        shown.add_row(*row)
    console.print(shown)


def _cell(value: object) -> str:
    return "" if value is None else str(value)


#: The progress bar on the screen now, so that a question (a passphrase) can lift it.
_showing: Progress | None = None


@contextmanager
def progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar while long work runs, on a terminal only (it disappears when the
    work is done, leaving the lines that say what was done). Yields ``advance(done,
    total)`` for work that counts its steps (the bar pulses until the first call), or
    None when the output is not a terminal, so that nothing is counted for nobody."""
    global _showing
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = terminal()
    if console is None:
        yield None
        return
    columns = (
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(printable(label, single_line=True), total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=max(total, done, 1))

        _showing = bar
        try:
            yield advance
        finally:
            _showing = None


@contextmanager
def progress_paused() -> Iterator[None]:
    """Lift the progress bar (if one shows) while the person is asked something."""
    bar = _showing
    if bar is None:
        yield
        return
    bar.stop()
    try:
        yield
    finally:
        bar.start()
