"""The ``trygg`` command line.

``trygg`` alone opens the application. Every command takes ``--db`` (else ``$TRYGG_DB``,
else the platform's data folder) and ``--lang sv|en`` (else ``$TRYGG_LANG``, else sv).
An expected failure prints one sentence and exits 1; an unexpected one prints one sentence
too (the traceback only with ``--debug``) and exits 3.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click

from db.database import resolve_path, set_wait_notice
from db.demo import build_demo, demo_plan_files, is_demo_database
from db.errors import TryggError
from db.files import atomic_file
from db.i18n import LANGUAGES, normalise_language
from db.interchange import RecordsImportFailed, export_records, import_records
from db.records import (
    ORGANISATIONS,
    TYPE_NAMES,
    TYPES,
    Kind,
    choice_label,
    field_label,
    type_label,
)
from db.store import DELETED, JournalEntry, Store, proved_writes
from db.textutil import printable
from tui.cli.lagesbild import add_lagesbild_command
from tui.cli.plans import add_import_plan_command, add_plan_report_commands
from tui.cli.protect import add_protect_commands, print_export_log, settle_whereabouts
from tui.cli.reports import add_report_commands
from tui.cli.sync import add_sync_commands
from tui.text import echo, language, progress, set_language, t

EXIT_FAILED = 1
EXIT_UNEXPECTED = 3
DEMO_FILE_NAME = "trygg-demo.db"


class _State:
    debug = False
    told_waiting = False


def _say_waiting(_path: Path | None) -> None:
    """Tell once per command, on stderr, that a write waits for another program."""
    if not _State.told_waiting:
        _State.told_waiting = True
        echo(t("cli.waiting"), err=True)


def _fail(message: str, code: int = EXIT_FAILED) -> NoReturn:
    echo(printable(message), err=True)
    sys.exit(code)


class _LocalisedHelp:
    """Click's own help words (Usage, Options, Commands, --help) in the interface language."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = t("cli.opt.help")
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=t("cli.usage") + " ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            record
            for param in self.get_params(ctx)  # type: ignore[attr-defined]
            if isinstance(param, click.Option)
            and (record := param.get_help_record(ctx)) is not None
        ]
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


class TryggCommand(_LocalisedHelp, click.Command):
    """A command whose help speaks the interface language."""


class TryggGroup(_LocalisedHelp, click.Group):
    """A click group that turns every failure into one clear sentence."""

    command_class = TryggCommand
    group_class = type

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TryggError as error:
            _fail(error.message(language()))
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            _fail(t("cli.interrupted"))
        except BrokenPipeError:
            # The reader went away (``trygg records export | head``): nothing to say.
            with contextlib.suppress(OSError):
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            sys.exit(0)
        except sqlite3.OperationalError as error:
            if _State.debug:
                raise
            reason = "disk_full" if "full" in str(error).lower() else "database"
            _fail(t(f"cli.sqlite_{reason}"))
        except OSError as error:
            if _State.debug:
                raise
            _fail(t("cli.os_error", reason=error.strerror or str(error)))
        except Exception as error:
            if _State.debug:
                raise
            _fail(t("cli.unexpected", kind=type(error).__name__), EXIT_UNEXPECTED)


def _open_store(db: str | None, *, create: bool = False) -> Store:
    """The store at ``db``; a database that was moved or copied is settled first (asked,
    or taken for a copy when nobody can be asked)."""
    store = Store(resolve_path(db), create=create)
    try:
        settle_whereabouts(store, interactive=_interactive())
    except BaseException:
        store.close()
        raise
    return store


def _interactive() -> bool:
    """Whether a person at a terminal can answer a question."""
    return sys.stdin.isatty()


def build_cli(lang: str | None = None) -> click.Group:
    """The ``trygg`` command group with help texts in ``lang``."""
    set_language(lang)
    db_option = click.option(
        "--db", "db", type=click.Path(dir_okay=False), envvar="TRYGG_DB", help=t("cli.opt.db")
    )

    @click.group(
        cls=TryggGroup,
        invoke_without_command=True,
        help=t("cli.help"),
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    @db_option
    @click.option(
        "--lang", type=click.Choice(LANGUAGES), envvar="TRYGG_LANG", help=t("cli.opt.lang")
    )
    @click.option("--debug", is_flag=True, help=t("cli.opt.debug"))
    @click.version_option(
        package_name="trygg", message="trygg %(version)s", help=t("cli.opt.version")
    )
    @click.pass_context
    def cli(ctx: click.Context, db: str | None, lang: str | None, debug: bool) -> None:
        set_language(lang)
        _State.debug = debug
        _State.told_waiting = False
        set_wait_notice(_say_waiting)
        ctx.ensure_object(dict)
        ctx.obj["db"] = db
        if ctx.invoked_subcommand is None:
            _run_app(resolve_path(db))

    def _db(ctx: click.Context, db: str | None) -> str | None:
        return db or ctx.obj.get("db")

    @cli.command(help=t("cli.init.help"))
    @db_option
    @click.option("--name", required=True, help=t("cli.init.opt.name"))
    @click.option("--kommun", required=True, help=t("cli.init.opt.kommun"))
    @click.option(
        "--org", type=click.Choice(ORGANISATIONS), required=True, help=t("cli.init.opt.org")
    )
    @click.pass_context
    def init(ctx: click.Context, db: str | None, name: str, kommun: str, org: str) -> None:
        path = resolve_path(_db(ctx, db))
        existed = path.exists()
        with Store(path, create=True) as store:
            if store.device is not None:
                raise TryggError("device.already_set_up", path=str(path))
            try:
                device = store.set_up_device(name, org, kommun)
            except TryggError:
                if not existed:
                    store.close()
                    _remove_database(path)
                raise
        echo(
            t(
                "cli.init.done",
                path=printable(path),
                name=printable(device.name),
                org=choice_label("device", "org", org, language()),
                kommun=printable(kommun),
            )
        )

    @cli.command(help=t("cli.demo.help"))
    @db_option
    @click.option("--no-tui", is_flag=True, help=t("cli.demo.opt.no_tui"))
    @click.pass_context
    def demo(ctx: click.Context, db: str | None, no_tui: bool) -> None:
        chosen = _db(ctx, db)
        path = Path(chosen) if chosen else resolve_path(None).parent / DEMO_FILE_NAME
        _clear_demo_file(path)
        with Store(path, create=True) as store:
            store.set_up_device(t("cli.demo.device_name"), "polis", "Lycksele")
            build_demo(store)
        echo(t("cli.demo.done", path=printable(path)))
        try:
            plan_file = demo_plan_files(path.parent)[0]
            echo(t("cli.demo.plan_file", path=printable(plan_file)))
        except (OSError, TryggError):
            pass  # the demo works without the file to import
        if not no_tui:
            _run_app(path)

    @cli.command(name="log", help=t("cli.log.help"))
    @db_option
    @click.argument("record_id", required=False)
    @click.option(
        "--limit",
        type=click.IntRange(min=1),
        default=50,
        show_default=True,
        help=t("cli.log.opt.limit"),
    )
    @click.option("--show-personal", is_flag=True, help=t("cli.log.opt.show_personal"))
    @click.option("--exports", is_flag=True, help=t("cli.log.opt.exports"))
    @click.pass_context
    def log_command(
        ctx: click.Context,
        db: str | None,
        record_id: str | None,
        limit: int,
        show_personal: bool,
        exports: bool,
    ) -> None:
        with _open_store(_db(ctx, db)) as store:
            if exports:
                print_export_log(store, limit)
                return
            entries = store.journal(record_id, limit=None if record_id else limit)
            if record_id and not entries:
                raise TryggError("record.missing", id=record_id)
            _print_log(entries, show_personal)

    @cli.group(help=t("cli.records.help"))
    def records() -> None:
        pass

    @records.command(name="export", help=t("cli.records.export.help"))
    @db_option
    @click.option(
        "--type",
        "types",
        type=click.Choice(TYPE_NAMES),
        multiple=True,
        help=t("cli.records.opt.type"),
    )
    @click.option(
        "--out",
        type=click.Path(dir_okay=False, writable=True),
        help=t("cli.records.export.opt.out"),
    )
    @click.pass_context
    def records_export(
        ctx: click.Context, db: str | None, types: tuple[str, ...], out: str | None
    ) -> None:
        with _open_store(_db(ctx, db)) as store:
            if out:
                counts = _export_atomically(store, Path(out), types)
                echo(t("cli.records.export.done", count=sum(counts.values()), path=out), err=True)
            else:
                export_records(store, sys.stdout, types or None)

    @records.command(name="import", help=t("cli.records.import.help"))
    @db_option
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--type", "rtype", type=click.Choice(TYPE_NAMES), help=t("cli.records.opt.type"))
    @click.pass_context
    def records_import(ctx: click.Context, db: str | None, file: str, rtype: str | None) -> None:
        with _open_store(_db(ctx, db)) as store:
            store.require_device()
            try:
                with progress(t("cli.progress.records_import")):
                    summary = import_records(store, Path(file), rtype)
            except RecordsImportFailed as failure:
                for problem in failure.problems:
                    echo(printable(problem.message(language())), err=True)
                _fail(failure.message(language()))
        echo(
            t(
                "cli.records.import.done",
                created=summary.total_created,
                updated=summary.total_updated,
                unchanged=summary.unchanged,
            )
        )
        if summary.skipped_deleted:
            echo(t("cli.records.import.skipped_deleted", count=summary.skipped_deleted))

    def open_for_sync(ctx: click.Context, db: str | None) -> Store:
        store = _open_store(_db(ctx, db))
        store.require_device()
        return store

    add_sync_commands(cli, db_option, open_for_sync)
    report = add_report_commands(cli, db_option, open_for_sync)
    add_plan_report_commands(report, db_option, open_for_sync)
    add_lagesbild_command(report, db_option, open_for_sync)
    add_import_plan_command(cli, db_option, open_for_sync)
    add_protect_commands(cli, db_option, open_for_sync, lambda ctx, db: resolve_path(_db(ctx, db)))
    return cli


def _export_atomically(store: Store, out: Path, types: Sequence[str]) -> dict[str, int]:
    """Write the export beside ``out`` and rename it into place, so a full disk or an
    interruption never leaves a half file under the real name."""
    with atomic_file(out) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as handle:
        return export_records(store, handle, types or None)


def _print_log(entries: list[JournalEntry], show_personal: bool) -> None:
    """Print the journal grouped by write: one heading per stamp (when, who, which record),
    then the fields that write changed. Personal values stay hidden unless asked for."""
    if not entries:
        echo(t("cli.log.empty"))
        return
    lang = language()
    proved = proved_writes(entries)
    heading = None
    for entry in entries:
        key = (entry.stamp, entry.record_id)
        if key != heading:
            heading = key
            when = datetime.fromtimestamp(entry.stamp.ms / 1000).strftime("%Y-%m-%d %H:%M:%S")
            who = entry.device_name or entry.stamp.device[:8]
            status = t("cli.log.verified" if proved[key] else "cli.log.unverified")
            echo(
                printable(
                    f"{when} · {who} · {type_label(entry.rtype, lang)} {entry.record_id}"
                    f" · {status}",
                    single_line=True,
                )
            )
        if entry.field == DELETED:
            echo("    " + t("cli.log.deleted"))
            continue
        if entry.scope == "personal" and not show_personal and entry.value is not None:
            value = t("cli.log.personal_hidden")
        else:
            value = _show_value(entry.rtype, entry.field, entry.value, lang)
        label = field_label(entry.rtype, entry.field, lang)
        echo(printable(f"    {label}: {value}", single_line=True))


def _show_value(rtype: str, name: str, value: Any, lang: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return t("cli.yes") if value else t("cli.no")
    if isinstance(value, list):
        return ", ".join(
            f"{v['group']} {v['count'] if v['count'] is not None else ''}".strip()
            if isinstance(v, dict)
            else str(v)
            for v in value
        )
    rt = TYPES.get(rtype)
    if rt and rt.has(name) and rt.field(name).kind is Kind.CHOICE:
        return choice_label(rtype, name, value, lang)
    return str(value)


def _clear_demo_file(path: Path) -> None:
    """Remove an earlier demo database at ``path``; refuse to touch anything else."""
    if not path.exists():
        return
    if not is_demo_database(path):
        raise TryggError("db.demo_refused", path=str(path))
    _remove_database(path)


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def _run_app(path: Path) -> None:
    from tui.app import run_app

    run_app(path, language(), debug=_State.debug)


def _language_from_argv(argv: Sequence[str]) -> str:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return normalise_language(argv[index + 1])
        if arg.startswith("--lang="):
            return normalise_language(arg.split("=", 1)[1])
    return normalise_language(None)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    build_cli(_language_from_argv(args)).main(args=args, prog_name="trygg")
