"""What every command of the ``trygg`` CLI shares: the command and group classes (help in
the interface language, every failure one clear sentence, commands imported when looked
up), the ``--db`` option, and opening the database a command works on.

Help texts are catalogue keys (``help="cli.init.help"``), translated when help is shown:
the commands are made once, at import, and shown in whichever language was chosen.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, NoReturn

import click

from db.database import is_damage, resolve_path
from db.errors import TryggError
from db.i18n import LANGUAGES
from db.protect import copies
from db.store import Store
from db.textutil import printable
from tui.text import echo, language, set_language, t

EXIT_FAILED = 1
EXIT_UNEXPECTED = 3


class State:
    """What the group's options chose for this run."""

    debug = False
    told_waiting = False


def say_waiting(_path: Path | None) -> None:
    """Tell once per command, on stderr, that a write waits for another program."""
    if not State.told_waiting:
        State.told_waiting = True
        echo(t("cli.waiting"), err=True)


def fail(message: str, code: int = EXIT_FAILED) -> NoReturn:
    """Print ``message`` on stderr and end the command with ``code``."""
    echo(printable(message), err=True)
    sys.exit(code)


@contextlib.contextmanager
def _help_shown(thing: click.Command | click.Parameter) -> Iterator[None]:
    """While help is written, ``thing.help`` is the text its catalogue key names."""
    key = getattr(thing, "help", None)
    if key:
        thing.help = t(key, **getattr(thing, "help_params", {}))
    try:
        yield
    finally:
        thing.help = key


#: Click's words in a usage line, and the catalogue keys that say them.
_USAGE_WORDS = {
    "[OPTIONS]": "cli.metavar.options",
    "COMMAND [ARGS]...": "cli.metavar.command",
    "[COMMAND] [ARGS]...": "cli.metavar.command_optional",
}


#: The commands' arguments, by name, and the catalogue keys that name them to a person.
_ARGUMENT_WORDS = {
    "file": "cli.metavar.file",
    "folder": "cli.metavar.folder",
    "record_id": "cli.metavar.record_id",
    "device": "cli.metavar.device",
    "numbers": "cli.metavar.numbers",
    "conflict_id": "cli.metavar.conflict_id",
}


def _metavar_key(kind: click.ParamType) -> str | None:
    """The catalogue key naming what an option of type ``kind`` takes, if click's own
    word (its type's name in capitals) is not to be shown."""
    if isinstance(kind, click.Path):
        if kind.dir_okay and not kind.file_okay:
            return "cli.metavar.folder"
        return "cli.metavar.file" if not kind.dir_okay else "cli.metavar.path"
    if isinstance(kind, click.types.IntParamType):  # (IntRange too)
        return "cli.metavar.integer"
    if isinstance(kind, click.types.FloatParamType):
        return "cli.metavar.number"
    if isinstance(kind, click.types.StringParamType):
        return "cli.metavar.text"
    return None


@contextlib.contextmanager
def _metavar_shown(param: click.Parameter) -> Iterator[None]:
    """While help is written, an option's value is named in the interface language
    (click names it by its type: "INTEGER RANGE", or a Path's "FILEN" once its error
    word is Swedish)."""
    key = _metavar_key(param.type) if param.metavar is None else None
    if key is not None:
        param.metavar = t(key)
    try:
        yield
    finally:
        if key is not None:
            param.metavar = None


class _LocalisedHelp:
    """Help in the interface language: the texts of the commands and options (catalogue
    keys) and click's own words (Usage, Options, Commands, --help)."""

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params: list[click.Parameter] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            key = _ARGUMENT_WORDS.get(param.name or "")
            if isinstance(param, click.Argument) and key is not None:
                # Named in the interface language in usage lines and errors alike
                # ("Ogiltigt värde för 'FIL'"): set each time, in the language now chosen.
                param.metavar = t(key)
        # ``--lang`` is the group's, but a person types it where --db goes too, after the
        # command: every command takes it (the group's own stays the one on ``trygg``).
        return params if ctx.parent is None else [*params, _LANG_OPTION]

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "cli.opt.help"
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        words = {english: t(key) for english, key in _USAGE_WORDS.items()}
        for param in self.get_params(ctx):
            if isinstance(param, click.Argument) and param.name in _ARGUMENT_WORDS:
                # (A metavar of our own is shown as it is: click's brackets for an optional
                # argument and dots for many are put back here.)
                word = param.metavar or ""
                shown_word = word + ("..." if param.nargs != 1 else "")
                words[word] = shown_word if param.required else f"[{shown_word}]"
        shown = " ".join(words.get(piece, piece) for piece in pieces)
        formatter.write_usage(ctx.command_path, shown, prefix=t("cli.usage") + " ")

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _help_shown(self):  # type: ignore[arg-type]
            super().format_help_text(ctx, formatter)  # type: ignore[misc]

    def get_short_help_str(self, limit: int = 45) -> str:
        with _help_shown(self):  # type: ignore[arg-type]
            return super().get_short_help_str(limit)  # type: ignore[misc]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for param in self.get_params(ctx):
            if not isinstance(param, click.Option):
                continue
            with _help_shown(param), _metavar_shown(param):
                record = param.get_help_record(ctx)
            if record is not None:
                rows.append(record)
        if rows:
            with formatter.section(t("cli.options")):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            commands = []
            for name in self.list_commands(ctx):
                command = self.get_command(ctx, name)
                if command is not None and not command.hidden:
                    commands.append((name, command.get_short_help_str(formatter.width - 20)))
            if commands:
                with formatter.section(t("cli.commands")):
                    formatter.write_dl(commands)


class TryggOption(click.Option):
    """An option whose help (a catalogue key) takes parameters: ``help_params``."""

    def __init__(
        self, *args: Any, help_params: Mapping[str, object] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.help_params = dict(help_params or {})


def _take_language(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        set_language(value)


#: ``--lang`` on a command (``trygg import --lang en FILE``): as on ``trygg`` itself.
_LANG_OPTION = click.Option(
    ["--lang"],
    type=click.Choice(LANGUAGES),
    expose_value=False,
    is_eager=True,
    callback=_take_language,
    help="cli.opt.lang",
)


class TryggCommand(_LocalisedHelp, click.Command):
    """A command whose help speaks the interface language."""


class TryggGroup(_LocalisedHelp, click.Group):
    """A click group that turns every failure into one clear sentence, and imports the
    module of a command only when that command is looked up or listed (``lazy`` maps a
    name to ``module:attribute``): opening the app imports none of them."""

    command_class = TryggCommand
    group_class = type

    def __init__(self, *args: Any, lazy: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        return run_reported(functools.partial(super().invoke, ctx))


def run_reported(call: Callable[[], Any]) -> Any:
    """``call()``, its failures told in one sentence: an expected one exits 1, an
    unexpected one 3 (raised as it is with ``--debug``)."""
    try:
        return call()
    except TryggError as error:
        fail(error.message(language()))
    except (click.ClickException, click.exceptions.Exit, click.Abort):
        raise
    except KeyboardInterrupt:
        fail(t("cli.interrupted"))
    except BrokenPipeError:
        # The reader went away (``trygg records export | head``): nothing to say.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        sys.exit(0)
    except sqlite3.OperationalError as error:
        if State.debug:
            raise
        reason = "disk_full" if "full" in str(error).lower() else "database"
        fail(t(f"cli.sqlite_{reason}"))
    except sqlite3.DatabaseError as error:
        if State.debug:
            raise
        if is_damage(error):
            fail(t("cli.sqlite_damaged"))
        fail(t("cli.unexpected", kind=type(error).__name__), EXIT_UNEXPECTED)
    except OSError as error:
        if State.debug:
            raise
        fail(t("cli.os_error", reason=error.strerror or str(error)))
    except Exception as error:
        if State.debug:
            raise
        fail(t("cli.unexpected", kind=type(error).__name__), EXIT_UNEXPECTED)


Decorator = Callable[[Callable[..., Any]], Any]


def command(name: str, help_key: str, **settings: Any) -> Callable[..., TryggCommand]:
    """``@command("name", "cli.name.help")``: a top-level command of ``trygg``."""
    return click.command(name, cls=TryggCommand, help=help_key, **settings)


def group(name: str, help_key: str, **settings: Any) -> Callable[..., TryggGroup]:
    """``@group("name", "cli.name.help")``: a group of commands under ``trygg``."""
    return click.group(name, cls=TryggGroup, help=help_key, **settings)


#: ``--db FILE`` (else ``$TRYGG_DB``, else what ``trygg --db`` chose): on every command.
def _named_file(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """``--db`` given empty (``--db ""``, ``--db=``) is refused: taken as not given, it
    quietly opened the default database instead of the one meant."""
    if value == "":
        raise click.BadParameter(t("cli.db_empty"))
    return value


db_option: Decorator = click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False),
    envvar="TRYGG_DB",
    callback=_named_file,
    help="cli.opt.db",
)


def database_path(ctx: click.Context, db: str | None) -> Path:
    """The database file a command works on: its own ``--db``, else the group's."""
    return resolve_path(db or (ctx.obj or {}).get("db"))


def open_store(ctx: click.Context, db: str | None, *, need_device: bool = True) -> Store:
    """The store a command works on; a database that was moved or copied is settled first
    (asked, or taken for a copy when nobody can be asked). Unless ``need_device`` is
    False, a database not yet set up (``trygg init``) is refused with that advice."""
    store = Store(database_path(ctx, db), create=False)
    try:
        settle_whereabouts(store, interactive=interactive())
        if need_device:
            store.require_device()
    except BaseException:
        store.close()
        raise
    return store


def interactive() -> bool:
    """Whether a person at a terminal can answer a question."""
    return sys.stdin.isatty()


def settle_whereabouts(store: Store, *, interactive: bool) -> None:
    """A database not where it recorded living (another machine, path or file) is asked
    once whether it was moved or is a copy. Without a person to ask (a script), it is
    taken for a copy and gets a new device identity: that never lets two databases speak
    with one voice, and loses nothing. ``trygg moved`` answers ahead of time."""
    change = copies.check(store)
    if change is None:
        return
    where = printable(change.before.path, single_line=True)
    answer = "k"
    if interactive:
        answer = click.prompt(
            printable(t("cli.copy.question", path=where), single_line=True),
            type=click.Choice(["f", "k"]),
            show_choices=True,
            err=True,
        )
    if answer == "f":
        copies.settle_moved(store)
        echo(t("cli.copy.moved"), err=True)
        return
    old, new = copies.settle_copy(store)
    key = "cli.copy.copied" if interactive else "cli.copy.copied_unasked"
    echo(printable(t(key, path=where, old=old[:8], new=new[:8])), err=True)


def run_app(path: Path) -> None:
    """Open the application on the database at ``path``."""
    from tui.app import run_app as run

    run(path, language(), debug=State.debug)
