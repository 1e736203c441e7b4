"""The ``trygg`` command line.

``trygg`` alone opens the application. Every command takes ``--db`` (else ``$TRYGG_DB``,
else the platform's data folder) and ``--lang sv|en`` (else ``$TRYGG_LANG``, else sv).
An expected failure prints one sentence and exits 1; an unexpected one prints one sentence
too (the traceback only with ``--debug``) and exits 3.

The command group and its commands are in tui/cli/root.py. Opening the app with no more
than ``--db``, ``--lang`` and ``--debug`` does not load them, nor click: a quarter of the
start-up time Trygg spent beyond a bare Textual app's went to loading the command line.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from db.i18n import LANGUAGES, normalise_language


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    opening = app_options(args, os.environ)
    if opening is not None:
        open_app(*opening)
        return
    from tui.cli.root import build_cli

    lang = _language_from_argv(args)
    build_cli(lang).main(args=args, prog_name="trygg", obj={"lang": lang})


def app_options(
    args: Sequence[str], environ: Mapping[str, str]
) -> tuple[str | None, str | None, bool] | None:
    """``--db``, ``--lang`` and ``--debug`` as the group would take them, when ``args``
    only open the app and the group would accept every value given (here or in the
    environment); else None, and the group parses them (a command, ``--help``, a
    language it does not know, a folder for a database: it says what is wrong)."""
    db: str | None = None
    lang: str | None = None
    debug = False
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--debug":
            debug = True
            continue
        name, equals, value = arg.partition("=")
        if name not in ("--db", "--lang"):
            return None
        if not equals:
            if not rest:
                return None
            value = rest.pop(0)
        if not value:
            return None  # (the group refuses an empty value, and says so)
        if name == "--db":
            db = value
        else:
            lang = value
    lang = lang or environ.get("TRYGG_LANG") or None
    db = db or environ.get("TRYGG_DB") or None
    if (lang is not None and lang not in LANGUAGES) or (db is not None and Path(db).is_dir()):
        return None
    return db, lang, debug


def open_app(db: str | None, lang: str | None, debug: bool) -> None:
    """Open the app on ``db`` (else the default database), as ``trygg`` alone does, its
    failures told as every command tells them."""
    from db.database import resolve_path, set_wait_notice
    from tui.app import run_app

    def say_waiting(path: Path | None) -> None:
        _command_line(lang, debug).say_waiting(path)

    set_wait_notice(say_waiting)
    try:
        run_app(resolve_path(db), normalise_language(lang), debug=debug)
    except (Exception, KeyboardInterrupt) as error:
        _command_line(lang, debug).run_reported(functools.partial(_raise, error))


def _command_line(lang: str | None, debug: bool) -> Any:
    """The command line's shared module (tui/cli/common.py), loaded only when the app's
    start has something to tell, set to ``lang`` and ``debug`` as the group sets it."""
    from tui.cli import common
    from tui.text import set_language

    set_language(lang)
    common.State.debug = debug
    return common


def _raise(error: BaseException) -> Any:
    """Raise ``error`` again (to ``run_reported``, which tells it as a command would)."""
    raise error


def _language_from_argv(argv: Sequence[str]) -> str | None:
    """The language a ``--lang`` anywhere in ``argv`` names, or None."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return normalise_language(argv[index + 1])
        if arg.startswith("--lang="):
            return normalise_language(arg.split("=", 1)[1])
    return None


def __getattr__(name: str) -> Any:
    """The command group's names (``cli``, ``build_cli``, ``COMMANDS``), loaded when asked."""
    if name in ("cli", "build_cli", "COMMANDS"):
        from tui.cli import root

        return getattr(root, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
