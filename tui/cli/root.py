"""The ``trygg`` command group: its options and every command.

Each command is a module-level click command in a module of this package; ``COMMANDS``
says where, and a module is imported only when one of its commands is looked up.
``trygg`` alone does not come here (tui/cli/__init__.py opens the app without click).
"""

from __future__ import annotations

import click

from db.database import set_wait_notice
from db.i18n import LANGUAGES
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
