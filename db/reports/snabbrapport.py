"""The follow-up statistics of quick reports as tables: for the terminal, CSV for Swedish
Excel and Markdown. One period, or two side by side (before and after a measure). No
personal data is in any of them — only counts."""

from __future__ import annotations

from collections.abc import Sequence

from db.i18n import msg
from db.records import choice_label, field_label
from db.reports import excel_csv
from db.snabbrapport.statistics import NOT_ANSWERED, TICKS, Statistics

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
        f"# {msg('stats.title', lang)}",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for row in table_rows(periods, lang):
        cells = [c.replace("|", "\\|") for c in _cells(periods, row)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def as_text(periods: Sequence[Statistics], lang: str) -> str:
    """Aligned columns for the terminal; each section's title printed once."""
    header = _header(periods, lang)
    body = []
    last = None
    for row in table_rows(periods, lang):
        cells = _cells(periods, row)
        if cells[0] == last:
            cells[0] = ""
        else:
            last = cells[0]
        body.append(cells)
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    lines = []
    for cells in [header, *body]:
        parts = [
            cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i])
            for i, cell in enumerate(cells)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


def monthly_chart(months: list[tuple[str, int]], width: int = 40) -> str:
    """Reports per month as a bar chart of block characters."""
    top = max((count for _, count in months), default=0)
    lines = []
    for month, count in months:
        bar = "█" * (round(width * count / top) if top else 0)
        lines.append(f"{month}  {bar} {count}")
    return "\n".join(lines) + "\n"
