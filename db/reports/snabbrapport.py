"""The follow-up statistics of quick reports as tables: for the terminal, CSV for Swedish
Excel and Markdown. One period, or two side by side (before and after a measure). No
personal data is in any of them — only counts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from db.i18n import msg
from db.records import choice_label, field_label
from db.reports import excel_csv, md, write_text
from db.reports.xlsx import Column, Sheet, write_xlsx
from db.snabbrapport.statistics import NOT_ANSWERED, TICKS, Statistics
from db.textutil import printable

Row = tuple[str, str, list[int]]


def period_label(stats: Statistics) -> str:
    wanted = stats.filter
    text = f"{wanted.start.isoformat()} – {wanted.end.isoformat()}"
    if wanted.kommun:
        text += f", {wanted.kommun}"
    if wanted.place:
        text += f", {wanted.place}"
    return text


def table_rows(periods: Sequence[Statistics], lang: str) -> list[Row]:
    """(section, answer, one count per period) for every figure, in the form's order."""
    first = periods[0]
    rows: list[Row] = [
        (msg("stats.totals", lang), msg("stats.reports", lang), [p.reports for p in periods]),
        (
            msg("stats.totals", lang),
            msg("stats.individuals", lang),
            [p.individuals for p in periods],
        ),
        (msg("stats.totals", lang), msg("stats.pm_sent", lang), [p.pm_sent for p in periods]),
    ]
    for tick in TICKS:
        rows.append(
            (
                msg("stats.ticks", lang),
                field_label("snabbrapport", tick, lang),
                [p.ticks[tick] for p in periods],
            )
        )
    for question, answers in first.distributions.items():
        section = _question_label(question, lang)
        for answer in answers:
            counts = [p.distributions[question].get(answer, 0) for p in periods]
            if answer == NOT_ANSWERED and not any(counts):
                continue
            rows.append((section, _answer_label(question, answer, lang), counts))
    return rows


def _question_label(question: str, lang: str) -> str:
    if question in ("age_group", "weekday", "hour"):
        return msg(f"stats.{question}", lang)
    return field_label("snabbrapport", question, lang)


def _answer_label(question: str, answer: str, lang: str) -> str:
    if answer == NOT_ANSWERED:
        return msg("stats.not_answered", lang)
    if question == "weekday":
        return msg(f"stats.weekday.{answer}", lang)
    if question == "hour":
        return f"{answer}–{int(answer) + 1:02d}"
    if question == "age_group":
        return msg("stats.age", lang, age=answer)
    return choice_label("snabbrapport", question, answer, lang)


def _percent(count: int, total: int) -> str:
    return f"{round(100 * count / total)} %" if total else "–"


def _header(periods: Sequence[Statistics], lang: str) -> list[str]:
    header = [msg("stats.col.question", lang), msg("stats.col.answer", lang)]
    for stats in periods:
        header += [period_label(stats), msg("stats.col.share", lang)]
    return header


def _cells(periods: Sequence[Statistics], row: Row) -> list[str]:
    section, answer, counts = row
    cells = [section, answer]
    for stats, count in zip(periods, counts, strict=True):
        cells += [str(count), _percent(count, stats.reports)]
    return cells


def as_csv(periods: Sequence[Statistics], lang: str) -> str:
    return excel_csv(
        _header(periods, lang), (_cells(periods, r) for r in table_rows(periods, lang))
    )


def as_markdown(periods: Sequence[Statistics], lang: str) -> str:
    header = _header(periods, lang)
    lines = [
        f"# {md(msg('stats.title', lang))}",
        "",
        "| " + " | ".join(md(h) for h in header) + " |",
        "|" + "---|" * len(header),
    ]
    for row in table_rows(periods, lang):
        cells = [md(c) for c in _cells(periods, row)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def text_table(periods: Sequence[Statistics], lang: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of the table as text, each section's title given once
    (blank below it): the counts, then the shares as "58 %"."""
    body = []
    last = None
    for row in table_rows(periods, lang):
        cells = _cells(periods, row)
        if cells[0] == last:
            cells[0] = ""
        else:
            last = cells[0]
        body.append(cells)
    return _header(periods, lang), body


def as_text(periods: Sequence[Statistics], lang: str) -> str:
    """Aligned columns for the terminal; each section's title printed once."""
    header, body = text_table(periods, lang)
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    lines = []
    for cells in [header, *body]:
        parts = [
            cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i])
            for i, cell in enumerate(cells)
        ]
        lines.append("  ".join(parts).rstrip())
    return printable("\n".join(lines) + "\n")


def as_screen(
    periods: Sequence[Statistics], lang: str, *, label_width: int = 52, fit: int | None = None
) -> str:
    """A narrow table for the app's screen: each question on its own line with its
    answers indented below, one column per period ("count  share"), hours without any
    report left out. Fits two periods in 100 columns; with ``fit``, the answers take
    what the periods' columns leave of ``fit`` cells (24 to 52), so that periods named
    by whole dates (over a new year) fit as well as a month's."""
    labels = [_short_period(p) for p in periods]
    widths = [max(len(label), 11) for label in labels]
    if fit is not None:
        label_width = max(24, min(52, fit - 2 - sum(w + 2 for w in widths) + 2))
    lines = [
        " " * (label_width + 2)
        + "  ".join(lab.rjust(w) for lab, w in zip(labels, widths, strict=True))
    ]
    last = None
    for section, answer, counts in table_rows(periods, lang):
        if section != last:
            lines.append(section)
            last = section
        if section == msg("stats.hour", lang) and not any(counts):
            continue
        name = answer if len(answer) <= label_width else answer[: label_width - 1] + "…"
        cells = [
            f"{count:>5} {_percent(count, stats.reports):>5}".rjust(width)
            for stats, count, width in zip(periods, counts, widths, strict=True)
        ]
        lines.append(f"  {name.ljust(label_width)}" + "  ".join(cells))
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _short_period(stats: Statistics) -> str:
    start, end = stats.filter.start, stats.filter.end
    if start.year == end.year:
        return f"{start.isoformat()}–{end.strftime('%m-%d')}"
    return f"{start.isoformat()}–{end.isoformat()}"


def monthly_chart(months: list[tuple[str, int]], width: int = 40) -> str:
    """Reports per month as a bar chart of block characters."""
    top = max((count for _, count in months), default=0)
    lines = []
    for month, count in months:
        bar = "█" * (round(width * count / top) if top else 0)
        lines.append(f"{month}  {bar} {count}")
    return "\n".join(lines) + "\n"


#: Formats a statistics table can be saved in.
FORMATS: tuple[str, ...] = ("text", "csv", "md", "xlsx")
SUFFIXES = {"text": ".txt", "csv": ".csv", "md": ".md", "xlsx": ".xlsx"}


def as_xlsx(
    path: Path,
    periods: Sequence[Statistics],
    lang: str,
    months: list[tuple[str, int]] | None = None,
) -> Path:
    """The table as an Excel workbook: counts as numbers, shares as percentages; with
    ``months``, a second sheet of reports per month."""
    header: list[str | Column] = [msg("stats.col.question", lang), msg("stats.col.answer", lang)]
    for stats in periods:
        header += [
            Column(period_label(stats), "int"),
            Column(msg("stats.col.share", lang), "percent"),
        ]
    rows: list[list[str | int | float | None]] = []
    for section, answer, counts in table_rows(periods, lang):
        cells: list[str | int | float | None] = [section, answer]
        for stats, count in zip(periods, counts, strict=True):
            share = round(count / stats.reports, 4) if stats.reports else None
            cells += [count, share]
        rows.append(cells)
    sheets: list[Sheet] = [(msg("stats.sheet", lang), header, rows)]
    if months is not None:
        month_header: list[str | Column] = [
            msg("stats.col.month", lang),
            Column(msg("stats.reports", lang), "int"),
        ]
        sheets.append((msg("stats.sheet_months", lang), month_header, months))
    return write_xlsx(path, sheets)


def save(
    path: Path,
    periods: Sequence[Statistics],
    lang: str,
    fmt: str,
    months: list[tuple[str, int]] | None = None,
) -> Path:
    """Write the statistics to ``path`` in ``fmt`` (one of FORMATS); ``months`` (reports
    per month) becomes a second sheet in XLSX and a bar chart after the table in text and
    Markdown, and is left out of a CSV."""
    if fmt == "xlsx":
        return as_xlsx(path, periods, lang, months)
    render = {"text": as_text, "csv": as_csv, "md": as_markdown}[fmt]
    text = render(periods, lang)
    # A CSV is one table: a chart after it would land in column A of the spreadsheet.
    if months is not None and fmt != "csv":
        chart = monthly_chart(months)
        text += "\n" + (f"```\n{chart}```\n" if fmt == "md" else chart)
    return write_text(path, text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")


def save_chart(path: Path, months: list[tuple[str, int]], lang: str, fmt: str) -> Path:
    """Reports per month alone: a table in CSV, Markdown or XLSX, the bar chart as text."""
    header = [msg("stats.col.month", lang), msg("stats.reports", lang)]
    if fmt == "xlsx":
        columns: list[str | Column] = [header[0], Column(header[1], "int")]
        return write_xlsx(path, [(msg("stats.sheet_months", lang), columns, months)])
    if fmt == "csv":
        return write_text(path, excel_csv(header, months), encoding="utf-8-sig")
    if fmt == "md":
        lines = ["| " + " | ".join(header) + " |", "|---|---|"]
        lines += [f"| {month} | {count} |" for month, count in months]
        return write_text(path, "\n".join(lines) + "\n")
    return write_text(path, monthly_chart(months))
