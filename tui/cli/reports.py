"""``trygg report``: documents made from the records — the follow-up statistics of quick
reports (``trygg report snabbrapport``, no personal data) and the note to social services
(``trygg report pm``, personal data, marked SEKRETESS)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from db.reports import snabbrapport as tables
from db.reports.pm import set_legal_reference, write_pm
from db.snabbrapport.statistics import (
    StatsFilter,
    checked_period,
    month_of,
    monthly,
    previous_period,
    read_day,
    statistics,
)
from db.textutil import printable
from tui.cli.common import db_option, group, open_store
from tui.text import echo, language, t, table, terminal

FORMATS = tables.FORMATS


@group(
    "report",
    "cli.report.help",
    lazy={
        "followup": "tui.cli.plans:followup_command",
        "promises": "tui.cli.plans:promises_command",
        "calendar": "tui.cli.plans:calendar_command",
        "lagesbild": "tui.cli.lagesbild:lagesbild_command",
    },
)
def report_group() -> None:
    pass


@report_group.command("snabbrapport", help="cli.report.snabbrapport.help")
@db_option
@click.option("--from", "start", help="cli.report.opt.from")
@click.option("--to", "end", help="cli.report.opt.to")
@click.option("--kommun", help="cli.report.opt.kommun")
@click.option("--place", help="cli.report.opt.place")
@click.option("--compare-previous", is_flag=True, help="cli.report.opt.compare_previous")
@click.option("--compare-from", help="cli.report.opt.compare_from")
@click.option("--compare-to", help="cli.report.opt.compare_to")
@click.option("--monthly", "per_month", is_flag=True, help="cli.report.opt.monthly")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="cli.report.opt.format",
)
@click.option("--out", type=click.Path(dir_okay=False), help="cli.report.opt.out")
@click.pass_context
def snabbrapport_command(
    ctx: click.Context,
    db: str | None,
    start: str | None,
    end: str | None,
    kommun: str | None,
    place: str | None,
    compare_previous: bool,
    compare_from: str | None,
    compare_to: str | None,
    per_month: bool,
    fmt: str,
    out: str | None,
) -> None:
    lang = language()
    if fmt == "xlsx" and not out:
        raise click.UsageError(t("cli.report.xlsx_needs_out"))
    with open_store(ctx, db) as store:
        today = store.now().date()
        wanted = _period(today, start, end, kommun, place)
        if per_month:
            months = monthly(store.conn, wanted)
            if out:
                path = tables.save_chart(Path(out), months, lang, fmt)
                echo(printable(t("cli.report.written", path=path)))
            else:
                echo(tables.monthly_chart(months), nl=False)
            return
        periods = [wanted]
        if compare_from or compare_to:
            periods.append(
                _period(
                    today,
                    compare_from,
                    compare_to,
                    kommun,
                    place,
                    options=("--compare-from", "--compare-to"),
                )
            )
        elif compare_previous:
            periods.append(previous_period(wanted))
        counted = [statistics(store.conn, p) for p in periods]
    if out:
        path = tables.save(Path(out), counted, lang, fmt)
        echo(printable(t("cli.report.written", path=path)))
    elif fmt == "text" and (console := terminal()) is not None:
        header, rows = tables.text_table(counted, lang)
        table(console, header, rows, right=range(2, len(header)))
    else:
        render = {"text": tables.as_text, "csv": tables.as_csv, "md": tables.as_markdown}
        echo(render[fmt](counted, lang), nl=False)


@report_group.command("pm", help="cli.report.pm.help")
@db_option
@click.argument("numbers", nargs=-1, required=True, type=int)
@click.option("--out", type=click.Path(), help="cli.report.pm.opt.out")
@click.option("--reference", help="cli.report.pm.opt.reference")
@click.pass_context
def pm_command(
    ctx: click.Context,
    db: str | None,
    numbers: tuple[int, ...],
    out: str | None,
    reference: str | None,
) -> None:
    lang = language()
    with open_store(ctx, db) as store:
        ids = []
        for nr in numbers:
            found = store.records("snabbrapport", where={"nr": nr})
            if not found:
                raise click.UsageError(t("cli.report.pm.no_report", nr=nr))
            ids.append(found[0]["id"])
        if reference is not None:
            set_legal_reference(store, reference)
        written = write_pm(store, ids, store.now().date(), lang, out=Path(out) if out else None)
    echo(printable(t("cli.report.pm.written", path=written.path)))


def _period(
    today: date,
    start: str | None,
    end: str | None,
    kommun: str | None,
    place: str | None,
    *,
    options: tuple[str, str] = ("--from", "--to"),
) -> StatsFilter:
    """The period the options name; by default the current month up to today."""
    lang = language()
    first = read_day(start, today, options[0], lang) if start else month_of(today).start
    if end:
        last = read_day(end, today, options[1], lang)
    else:
        last = today if not start else month_of(first).end
    return checked_period(first, last, kommun, place)
