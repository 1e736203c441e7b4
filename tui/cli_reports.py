"""``trygg report``: documents made from the records — for now the follow-up statistics
of quick reports (``trygg report snabbrapport``), which carry no personal data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import click

from db.dates import DateInputError, parse_date
from db.errors import TryggError
from db.reports import snabbrapport as tables
from db.reports import write_text
from db.snabbrapport.statistics import (
    StatsFilter,
    month_of,
    monthly,
    previous_period,
    statistics,
)
from db.store import Store
from db.textutil import printable
from tui.text import language, t

Opener = Callable[[click.Context, str | None], Store]
FORMATS = ("text", "csv", "md")


def add_report_commands(cli: click.Group, db_option: Callable, open_store: Opener) -> None:
    """Attach ``trygg report snabbrapport``."""

    @cli.group(name="report", help=t("cli.report.help"))
    def report() -> None:
        pass

    @report.command(name="snabbrapport", help=t("cli.report.snabbrapport.help"))
    @db_option
    @click.option("--from", "start", help=t("cli.report.opt.from"))
    @click.option("--to", "end", help=t("cli.report.opt.to"))
    @click.option("--kommun", help=t("cli.report.opt.kommun"))
    @click.option("--place", help=t("cli.report.opt.place"))
    @click.option("--compare-previous", is_flag=True, help=t("cli.report.opt.compare_previous"))
    @click.option("--compare-from", help=t("cli.report.opt.compare_from"))
    @click.option("--compare-to", help=t("cli.report.opt.compare_to"))
    @click.option("--monthly", "per_month", is_flag=True, help=t("cli.report.opt.monthly"))
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="text",
        show_default=True,
        help=t("cli.report.opt.format"),
    )
    @click.option("--out", type=click.Path(dir_okay=False), help=t("cli.report.opt.out"))
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
        with open_store(ctx, db) as store:
            today = store.now().date()
            wanted = _period(today, start, end, kommun, place)
            if per_month:
                text = tables.monthly_chart(monthly(store.conn, wanted))
            else:
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
                render = {"text": tables.as_text, "csv": tables.as_csv, "md": tables.as_markdown}
                text = render[fmt](counted, lang)
        if out:
            path = write_text(Path(out), text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
            click.echo(printable(t("cli.report.written", path=path)))
        else:
            click.echo(text, nl=False)


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
    month = month_of(today)
    first = _date(start, today, options[0]) if start else month.start
    last = _date(end, today, options[1]) if end else (today if not start else month_of(first).end)
    if last < first:
        raise TryggError("stats.bad_period", start=first.isoformat(), end=last.isoformat())
    return StatsFilter(first, last, kommun, place)


def _date(text: str, today: date, option: str) -> date:
    try:
        return parse_date(text, today)
    except DateInputError as error:
        raise TryggError(
            "stats.bad_date", option=option, reason=error.message(language())
        ) from None
