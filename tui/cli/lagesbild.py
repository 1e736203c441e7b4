"""``trygg report lagesbild``: the joint picture of a municipality and period on paper —
printable HTML with a map, XLSX for the steering group (counts only), or Markdown."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from db.lagesbild.periods import COMPARE, Period, last_quarter
from db.lagesbild.picture import kommun_named, lagesbild
from db.reports import output_folder
from db.reports.lagesbild import FORMATS, write_lagesbild
from db.snabbrapport.statistics import read_day
from tui.cli.common import command, db_option, open_store
from tui.text import echo, language, t


@command("lagesbild", "cli.report.lagesbild.help")
@db_option
@click.option("--kommun", help="cli.report.lagesbild.opt.kommun")
@click.option("--from", "start", help="cli.report.lagesbild.opt.from")
@click.option("--to", "end", help="cli.report.lagesbild.opt.to")
@click.option(
    "--compare",
    type=click.Choice(COMPARE),
    default=COMPARE[0],
    show_default=True,
    help="cli.report.lagesbild.opt.compare",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=FORMATS[0],
    show_default=True,
    help="cli.report.plan.opt.format",
)
@click.option("--out", type=click.Path(file_okay=False), help="cli.report.plan.opt.out")
@click.pass_context
def lagesbild_command(
    ctx: click.Context,
    db: str | None,
    kommun: str | None,
    start: str | None,
    end: str | None,
    compare: str,
    fmt: str,
    out: str | None,
) -> None:
    lang = language()
    with open_store(ctx, db) as store:
        today = store.now().date()
        kommun = kommun or store.require_device().kommun
        if not kommun:  # a device set up without a default municipality
            raise click.UsageError(t("cli.report.lagesbild.need_kommun"))
        named = kommun_named(store, kommun)
        period = _period(today, start, end)
        picture = lagesbild(store, named, period, today, compare=compare)
        folder = Path(out) if out else output_folder(store)
        written = write_lagesbild(picture, folder, fmt=fmt, lang=lang)
    echo(t("cli.report.lagesbild.written", path=written.path, count=written.places))


def _period(today: date, start: str | None, end: str | None) -> Period:
    """The days the options name: by default the last whole quarter; ``--from`` alone
    runs to today."""
    lang = language()
    if not start and not end:
        return last_quarter(today)
    first = read_day(start, today, "--from", lang) if start else last_quarter(today).start
    last = read_day(end, today, "--to", lang) if end else today
    return Period(first, last)
