"""The ``trygg`` command line.

``trygg`` alone opens the application. Every command takes ``--db`` (else ``$TRYGG_DB``,
else the platform's data folder) and ``--lang sv|en`` (else ``$TRYGG_LANG``, else sv).
An expected failure prints one sentence and exits 1; an unexpected one prints one sentence
too (the traceback only with ``--debug``) and exits 3.

Each command is a module-level click command in a module of this package; ``COMMANDS``
says where, and a module is imported only when one of its commands is looked up, so that
opening the app imports none of them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from db.database import set_wait_notice
from db.i18n import LANGUAGES, normalise_language
from tui.cli import click_words, common
from tui.cli.common import TryggGroup, db_option, say_waiting
from tui.text import set_language

click_words.install()

#: Every command of ``trygg``: its name and the ``module:attribute`` that makes it.
COMMANDS = {
    "init": "tui.cli.device:init_command",
    "demo": "tui.cli.device:demo_command",
    "moved": "tui.cli.device:moved_command",
    "log": "tui.cli.log:log_command",
    "records": "tui.cli.records:records_group",
    "export": "tui.cli.sync:export_command",
    "import": "tui.cli.sync:import_command",
    "sync": "tui.cli.sync:sync_command",
    "conflicts": "tui.cli.sync:conflicts_group",
    "peers": "tui.cli.peers:peers_group",
    "report": "tui.cli.reports:report_group",
    "import-plan": "tui.cli.plans:import_plan_command",
    "gallra": "tui.cli.protect:gallra_group",
    "backup": "tui.cli.protect:backup_command",
    "restore": "tui.cli.protect:restore_command",
    "doctor": "tui.cli.protect:doctor_command",
}


@click.group(
    cls=TryggGroup,
    lazy=COMMANDS,
    invoke_without_command=True,
    help="cli.help",
    context_settings={"help_option_names": ["-h", "--help"]},
)
@db_option
@click.option("--lang", type=click.Choice(LANGUAGES), envvar="TRYGG_LANG", help="cli.opt.lang")
@click.option("--debug", is_flag=True, help="cli.opt.debug")
@click.version_option(package_name="trygg", message="trygg %(version)s", help="cli.opt.version")
@click.pass_context
def cli(ctx: click.Context, db: str | None, lang: str | None, debug: bool) -> None:
    # (A --lang typed after the command is that command's, parsed after this: until then
    # the one ``main`` found in the arguments holds, so that its errors and help agree.)
    set_language(lang or (ctx.obj or {}).get("lang"))
    common.State.debug = debug
    common.State.told_waiting = False
    set_wait_notice(say_waiting)
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    if ctx.invoked_subcommand is None:
        common.run_app(common.database_path(ctx, db))


def build_cli(lang: str | None = None) -> click.Group:
    """The ``trygg`` command group, its help in ``lang`` (the commands' own messages follow
    ``--lang``)."""
    set_language(lang)
    return cli


def _language_from_argv(argv: Sequence[str]) -> str | None:
    """The language a ``--lang`` anywhere in ``argv`` names, or None."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return normalise_language(argv[index + 1])
        if arg.startswith("--lang="):
            return normalise_language(arg.split("=", 1)[1])
    return None


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    lang = _language_from_argv(args)
    build_cli(lang).main(args=args, prog_name="trygg", obj={"lang": lang})
