"""Action plans on the command line: ``trygg import-plan FILE`` (the mapping is printed
and can be changed with ``--column``), and the plan reports ``trygg report followup``,
``trygg report promises`` and ``trygg report calendar``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import click

from db.errors import TryggError
from db.i18n import msg
from db.plans.followup import read_period
from db.plans.importer import (
    TARGETS,
    guess_mapping,
    import_plan,
    kommuner_in,
    preview,
    read_table,
    title_from_file,
)
from db.plans.plans import find_plan
from db.records import FOLLOWUP_INTERVALS
from db.reports import output_folder
from db.reports.calendar import HORIZON_DAYS, write_calendar
from db.reports.followup import (
    FOLLOWUP_FORMATS,
    PROMISE_FORMATS,
    write_followup_report,
    write_promise_report,
)
from db.snabbrapport.statistics import read_day
from db.textutil import printable
from tui.cli.common import TryggOption, command, db_option, open_store
from tui.text import echo, language, t


def target_name(target: str | None) -> str:
    """A mapping target in the user's words."""
    return msg(f"plan_import.target.{target or 'none'}", language())


@command("import-plan", "cli.import_plan.help")
@db_option
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--title", help="cli.import_plan.opt.title")
@click.option("--kommun", "kommuner", multiple=True, help="cli.import_plan.opt.kommun")
@click.option("--from", "start", help="cli.import_plan.opt.from")
@click.option("--to", "end", help="cli.import_plan.opt.to")
@click.option(
    "--followup",
    type=click.Choice(FOLLOWUP_INTERVALS),
    default="halvar",
    show_default=True,
    help="cli.import_plan.opt.followup",
)
@click.option("--into", help="cli.import_plan.opt.into")
@click.option(
    "--column",
    "columns",
    cls=TryggOption,
    multiple=True,
    metavar="RUBRIK=FÄLT",
    help="cli.import_plan.opt.column",
    help_params={"targets": ", ".join(TARGETS)},
)
@click.option("--dry-run", is_flag=True, help="cli.import_plan.opt.dry_run")
@click.pass_context
def import_plan_command(
    ctx: click.Context,
    db: str | None,
    file: str,
    title: str | None,
    kommuner: tuple[str, ...],
    start: str | None,
    end: str | None,
    followup: str,
    into: str | None,
    columns: tuple[str, ...],
    dry_run: bool,
) -> None:
    path = Path(file)
    table = read_table(path)
    mapping = guess_mapping(table.header)
    for spec in columns:
        heading, _, wanted = spec.partition("=")
        mapping = _remap(table.header, mapping, heading.strip(), wanted.strip() or None)
    with open_store(ctx, db) as store:
        today = store.now().date()
        found = preview(table, mapping, today)
        echo(printable(t("cli.import_plan.mapping")))
        for heading, target in zip(table.header, mapping, strict=True):
            echo(printable(f"  {heading:<28} → {target_name(target)}"))
        echo(
            printable(
                t(
                    "cli.import_plan.found",
                    areas=len(found.areas),
                    measures=len(found.rows),
                    rhythms=found.rhythms_found,
                )
            )
        )
        for line in found.skipped:
            echo(printable(t("cli.import_plan.skipped", line=line)))
        if dry_run:
            echo(t("cli.import_plan.dry_run"))
            return
        chosen_title = title or table.title or title_from_file(path)
        named = list(kommuner) or kommuner_in(chosen_title)
        if not named and store.device and store.device.kommun:
            named = [store.device.kommun]
        plan = {
            "title": chosen_title,
            "kommuner": named or None,
            "start_date": _day(start, today, "--from"),
            "end_date": _day(end, today, "--to"),
            "followup_interval": followup,
        }
        target_plan = find_plan(store, into, today)["id"] if into else None
        done = import_plan(store, found, plan, into=target_plan)
    echo(
        printable(
            t("cli.import_plan.done", measures=done.measures, areas=done.areas, id=done.plan_id)
        )
    )


def _remap(
    header: list[str], mapping: list[str | None], heading: str, target: str | None
) -> list[str | None]:
    if target in ("none", "-", ""):
        target = None
    if target is not None and target not in TARGETS:
        raise TryggError("plan_import.bad_target", target=target, targets=", ".join(TARGETS))
    matches = [i for i, h in enumerate(header) if h.casefold() == heading.casefold()]
    if not matches:
        raise TryggError("plan_import.bad_column", column=heading, columns=", ".join(header))
    result = [None if m == target else m for m in mapping]
    result[matches[0]] = target
    return result


def _day(text: str | None, today: date, option: str) -> str | None:
    return read_day(text, today, option, language()).isoformat() if text else None


def _plan_options(formats: tuple[str, ...]) -> Callable:
    """The options every plan report takes, its formats among them."""

    def wrap(function: Callable) -> Callable:
        for option in reversed(
            (
                db_option,
                click.option("--plan", help="cli.report.plan.opt.plan"),
                click.option("--period", help="cli.report.plan.opt.period"),
                click.option(
                    "--format",
                    "fmt",
                    type=click.Choice(formats),
                    default=formats[0],
                    show_default=True,
                    help="cli.report.plan.opt.format",
                ),
                click.option(
                    "--out", type=click.Path(file_okay=False), help="cli.report.plan.opt.out"
                ),
                click.pass_context,
            )
        ):
            function = option(function)
        return function

    return wrap


def _write(
    ctx: click.Context,
    db: str | None,
    plan: str | None,
    period: str | None,
    fmt: str,
    out: str | None,
    writer: Callable,
) -> None:
    lang = language()
    with open_store(ctx, db) as store:
        today = store.now().date()
        chosen = find_plan(store, plan, today)
        wanted = read_period(period or "", chosen.get("followup_interval"), today)
        folder = Path(out) if out else output_folder(store)
        written = writer(store, chosen["id"], wanted, folder, today, fmt=fmt, lang=lang)
    echo(printable(t("cli.report.plan.written", path=written.path, count=written.measures)))


@command("followup", "cli.report.followup.help")
@_plan_options(FOLLOWUP_FORMATS)
def followup_command(
    ctx: click.Context,
    db: str | None,
    plan: str | None,
    period: str | None,
    fmt: str,
    out: str | None,
) -> None:
    _write(ctx, db, plan, period, fmt, out, write_followup_report)


@command("promises", "cli.report.promises.help")
@_plan_options(PROMISE_FORMATS)
def promises_command(
    ctx: click.Context,
    db: str | None,
    plan: str | None,
    period: str | None,
    fmt: str,
    out: str | None,
) -> None:
    _write(ctx, db, plan, period, fmt, out, write_promise_report)


@command("calendar", "cli.report.calendar.help")
@db_option
@click.option("--plan", help="cli.report.plan.opt.plan")
@click.option("--days", type=click.IntRange(1, 3650), default=HORIZON_DAYS, show_default=True,
              help="cli.report.calendar.opt.days")  # fmt: skip
@click.option("--out", type=click.Path(file_okay=False), help="cli.report.plan.opt.out")
@click.pass_context
def calendar_command(
    ctx: click.Context, db: str | None, plan: str | None, days: int, out: str | None
) -> None:
    with open_store(ctx, db) as store:
        today = store.now().date()
        plan_id = find_plan(store, plan, today)["id"] if plan else None
        folder = Path(out) if out else output_folder(store)
        path, count = write_calendar(
            store, folder, today, plan_id=plan_id, days=days, lang=language()
        )
    echo(printable(t("cli.report.calendar.written", path=path, count=count)))
