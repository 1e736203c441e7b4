"""The reports about action plans: the steering group's follow-up in the handbook's
layout (Orsak · Åtgärd · Operativa mål · När · Vem · Uppföljning, with green, yellow and
red), and the citizen-promise report, in plain language for the public, holding only the
measures promised to the citizens.

Neither holds personal data: measures name posts, not people, and the log's "by" and
notes stay out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from db.errors import TryggError
from db.i18n import msg
from db.plans.followup import FollowupRow, followup_rows, period_label, period_range
from db.plans.progress import format_hours
from db.records import choice_label
from db.reports import esc, free_path, html_page, md, safe_name, write_text
from db.reports.xlsx import Coloured, Column, write_xlsx
from db.store import Store
from db.textutil import printable

FOLLOWUP_FORMATS = ("html", "md", "xlsx")
PROMISE_FORMATS = ("html", "md", "txt")
#: The lights as they print in black and white too: a coloured dot and the word.
_LIGHT_HTML = {"gron": "#1a7f37", "gul": "#b58900", "rod": "#c62828"}
_LIGHT_MARK = {"gron": "🟢", "gul": "🟡", "rod": "🔴"}


@dataclass(frozen=True)
class PlanReport:
    """A report on disk: where, and how many measures it holds."""

    path: Path
    measures: int


def _plan(store: Store, plan_id: str) -> dict[str, Any]:
    plan = store.get("plan", plan_id)
    if plan is None:
        raise TryggError("record.missing", id=plan_id)
    return plan


def light_word(rating: str | None, lang: str | None = None) -> str:
    """The light's name ("Grön"), or "ej bedömd"."""
    if not rating:
        return msg("followup.unrated", lang)
    return choice_label("followup", "rating", rating, lang)


def write_followup_report(
    store: Store,
    plan_id: str,
    period: str,
    folder: Path,
    today: date,
    *,
    fmt: str = "html",
    lang: str | None = None,
) -> PlanReport:
    """Write the steering group's follow-up of ``plan_id`` for ``period``."""
    if fmt not in FOLLOWUP_FORMATS:
        raise TryggError("report.bad_format", format=fmt, formats=", ".join(FOLLOWUP_FORMATS))
    plan = _plan(store, plan_id)
    rows = followup_rows(store, plan_id, period, today, lang=lang)
    stem = f"{msg('followup.file', lang)}-{safe_name(plan['title'], 30)}-{period}"
    path = free_path(folder, stem, f".{fmt}")
    if fmt == "xlsx":
        write_xlsx(path, _followup_sheets(plan, rows, period, lang))
    elif fmt == "md":
        write_text(path, followup_markdown(plan, rows, period, today, lang))
    else:
        write_text(path, followup_html(plan, rows, period, today, lang))
    return PlanReport(path, len(rows))


def _by_area(rows: list[FollowupRow]) -> list[tuple[str, list[FollowupRow]]]:
    groups: dict[str, list[FollowupRow]] = defaultdict(list)
    for row in rows:
        groups[row.area].append(row)
    return list(groups.items())


def _summary(rows: list[FollowupRow], lang: str | None) -> str:
    counts = {r: sum(1 for row in rows if row.rating == r) for r in ("gron", "gul", "rod")}
    return msg(
        "followup.summary",
        lang,
        measures=len(rows),
        gron=counts["gron"],
        gul=counts["gul"],
        rod=counts["rod"],
        unrated=len(rows) - sum(counts.values()),
        behind=sum(1 for row in rows if row.progress.behind),
        hours=format_hours(sum(row.hours for row in rows)),
    )


def _production(row: FollowupRow, lang: str | None) -> str:
    text = msg("followup.production_line", lang, count=row.production_count)
    if (row.followup or {}).get("production_count") not in (None, row.production):
        text += " " + msg("followup.logged", lang, count=row.production)
    if row.progress.expected:
        text += " · " + msg(
            "followup.to_date", lang, done=row.progress.done, expected=row.progress.expected
        )
        if row.progress.behind:
            text += " – " + msg("followup.behind", lang)
    if row.hours:
        text += " · " + msg("followup.hours", lang, hours=format_hours(row.hours))
    return text


def _cause(row: FollowupRow) -> str:
    nr = row.measure.get("cause_nr")
    cause = row.measure.get("cause") or ""
    if nr and cause:
        return f"{nr}. {cause}"
    return str(nr) if nr else cause


def _who(row: FollowupRow) -> str:
    parts = [row.measure.get("responsible"), row.measure.get("partners")]
    return "; ".join(p for p in parts if p)


def _meta(plan: dict[str, Any], period: str, today: date, lang: str | None) -> list[tuple]:
    first, last = period_range(period)
    return [
        (msg("field.plan.kommuner", lang), ", ".join(plan.get("kommuner") or [])),
        (msg("followup.period_row", lang), f"{period_label(period, lang)} ({first} – {last})"),
        (msg("field.plan.agreement_ref", lang), plan.get("agreement_ref")),
        (msg("followup.made", lang), today.isoformat()),
    ]


def followup_html(
    plan: dict[str, Any], rows: list[FollowupRow], period: str, today: date, lang: str | None
) -> str:
    """The steering group's report as a printable page."""
    title = msg("followup.title", lang, plan=plan["title"], period=period_label(period, lang))
    meta = "".join(
        f"<tr><td><b>{esc(k)}</b></td><td>{esc(v)}</td></tr>"
        for k, v in _meta(plan, period, today, lang)
        if v
    )
    legend = "".join(
        f"<li>{_light_html(r, lang)} – {esc(msg(f'followup.meaning.{r}', lang))}</li>"
        for r in ("gron", "gul", "rod")
    )
    body = [
        f'<table class="meta">{meta}</table>',
        f"<p>{esc(_summary(rows, lang))}</p>",
        f"<ul>{legend}</ul>",
    ]
    header = [
        msg(f"followup.col.{c}", lang)
        for c in ("cause", "activity", "goal", "when", "who", "followup")
    ]
    for area, members in _by_area(rows):
        hours = sum(r.hours for r in members)
        body.append(f"<h2>{esc(area)}</h2>")
        if hours:
            body.append(
                f"<p>{esc(msg('followup.area_hours', lang, hours=format_hours(hours)))}</p>"
            )
        cells = []
        for row in members:
            f = row.followup or {}
            followup = [_light_html(row.rating, lang), esc(_production(row, lang))]
            for part in ("production", "process", "effect"):
                if f.get(part):
                    label = msg(f"field.followup.{part}", lang)
                    followup.append(f"<b>{esc(label)}:</b> {esc(f[part])}")
            activity = esc(row.measure["activity"])
            if row.measure.get("citizen_promise"):
                activity += f"<br><i>{esc(msg('followup.promise_mark', lang))}</i>"
            cells.append(
                "<tr>"
                f"<td>{esc(_cause(row))}</td><td>{activity}</td>"
                f"<td>{esc(row.measure.get('goal'))}</td><td>{esc(row.when)}</td>"
                f"<td>{esc(_who(row))}</td><td>{'<br>'.join(followup)}</td>"
                "</tr>"
            )
        head = "".join(f"<th>{esc(h)}</th>" for h in header)
        body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(cells)}</tbody></table>")
    return html_page(title, "\n".join(body), lang=lang or "sv")


def _light_html(rating: str | None, lang: str | None) -> str:
    word = esc(light_word(rating, lang))
    if not rating:
        return f"<span>○ {word}</span>"
    colour = _LIGHT_HTML[rating]
    return f'<span style="color:{colour};font-weight:bold">● {word}</span>'


def followup_markdown(
    plan: dict[str, Any], rows: list[FollowupRow], period: str, today: date, lang: str | None
) -> str:
    """The steering group's report in Markdown (for e-mail, wikis and Word's import)."""
    title = msg("followup.title", lang, plan=plan["title"], period=period_label(period, lang))
    out = [f"# {md(title)}", ""]
    out += [f"- **{md(k)}:** {md(v)}" for k, v in _meta(plan, period, today, lang) if v]
    out += ["", md(_summary(rows, lang)), ""]
    out += [
        f"- {_LIGHT_MARK[r]} {md(light_word(r, lang))} – {md(msg(f'followup.meaning.{r}', lang))}"
        for r in ("gron", "gul", "rod")
    ]
    header = [
        msg(f"followup.col.{c}", lang)
        for c in ("cause", "activity", "goal", "when", "who", "followup")
    ]
    for area, members in _by_area(rows):
        out += ["", f"## {md(area)}", ""]
        hours = sum(r.hours for r in members)
        if hours:
            out += [md(msg("followup.area_hours", lang, hours=format_hours(hours))), ""]
        out += ["| " + " | ".join(md(h) for h in header) + " |", "|" + "---|" * len(header)]
        for row in members:
            f = row.followup or {}
            mark = _LIGHT_MARK.get(row.rating or "", "○")
            parts = [f"{mark} {md(light_word(row.rating, lang))}", md(_production(row, lang))]
            parts += [
                f"**{md(msg(f'field.followup.{p}', lang))}:** {md(f[p])}"
                for p in ("production", "process", "effect")
                if f.get(p)
            ]
            activity = md(row.measure["activity"])
            if row.measure.get("citizen_promise"):
                activity += f" _({msg('followup.promise_mark', lang)})_"
            cells = [
                md(_cause(row)),
                activity,
                md(row.measure.get("goal")),
                md(row.when),
                md(_who(row)),
                "<br>".join(parts),
            ]
            out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def _followup_sheets(
    plan: dict[str, Any], rows: list[FollowupRow], period: str, lang: str | None
) -> list:
    names = ("area", "cause_nr", "cause", "activity", "goal", "goal_kind", "when", "who",
             "promise", "production_count", "logged", "done", "expected", "hours", "production",
             "process", "effect", "rating")  # fmt: skip
    kinds = {"cause_nr": "int", "production_count": "int", "logged": "int", "done": "int",
             "expected": "int", "hours": "number"}  # fmt: skip
    header = [Column(msg(f"followup.xlsx.{n}", lang), kinds.get(n, "text")) for n in names]
    lines = []
    for row in rows:
        m, f = row.measure, row.followup or {}
        kind = m.get("goal_kind")
        rating = row.rating
        lines.append(
            [
                row.area, m.get("cause_nr"), m.get("cause"), m["activity"], m.get("goal"),
                choice_label("measure", "goal_kind", kind, lang) if kind else None, row.when,
                _who(row), msg("followup.xlsx.yes", lang) if m.get("citizen_promise") else None,
                row.production_count, row.production, row.progress.done, row.progress.expected,
                round(row.hours, 2), f.get("production"), f.get("process"), f.get("effect"),
                Coloured(light_word(rating, lang), rating) if rating else light_word(None, lang),
            ]
        )  # fmt: skip
    area_hours: dict[str, float] = defaultdict(float)
    for row in rows:
        area_hours[row.area] += row.hours
    return [
        (period, header, lines),
        (
            msg("followup.xlsx.hours_sheet", lang),
            [msg("followup.xlsx.area", lang), Column(msg("followup.xlsx.hours", lang), "number")],
            [[area, round(hours, 2)] for area, hours in area_hours.items()],
        ),
    ]


# -- citizen promises -----------------------------------------------------------------


def write_promise_report(
    store: Store,
    plan_id: str,
    period: str,
    folder: Path,
    today: date,
    *,
    fmt: str = "html",
    lang: str | None = None,
) -> PlanReport:
    """Write the report to the public on the plan's citizen promises for ``period``."""
    if fmt not in PROMISE_FORMATS:
        raise TryggError("report.bad_format", format=fmt, formats=", ".join(PROMISE_FORMATS))
    plan = _plan(store, plan_id)
    rows = followup_rows(store, plan_id, period, today, promises_only=True, lang=lang)
    if not rows:
        raise TryggError("promises.none", plan=plan["title"])
    stem = f"{msg('promises.file', lang)}-{safe_name(plan['title'], 30)}-{period}"
    path = free_path(folder, stem, f".{fmt}")
    paragraphs = promise_paragraphs(plan, rows, period, lang)
    title = paragraphs[0][1]
    if fmt == "html":
        body = "".join(
            f"<h2>{esc(text)}</h2>" if kind == "h2" else f"<p>{esc(text)}</p>"
            for kind, text in paragraphs[1:]
        )
        write_text(path, html_page(title, body, lang=lang or "sv"))
    elif fmt == "md":
        lines = [f"# {md(title)}"]
        for kind, text in paragraphs[1:]:
            lines += ["", f"## {md(text)}" if kind == "h2" else md(text)]
        write_text(path, "\n".join(lines) + "\n")
    else:
        title = printable(title)
        lines = [title, "=" * len(title)]
        for kind, text in paragraphs[1:]:
            text = printable(text)
            lines += ["", text, "-" * len(text)] if kind == "h2" else ["", text]
        write_text(path, "\n".join(lines) + "\n")
    return PlanReport(path, len(rows))


def promise_paragraphs(
    plan: dict[str, Any], rows: list[FollowupRow], period: str, lang: str | None
) -> list[tuple[str, str]]:
    """The promise report as (kind, text) pieces: "h1", "h2" and "p". Plain words: what
    we promised, what we did, what came of it."""
    kommuner = ", ".join(plan.get("kommuner") or []) or plan["title"]
    out = [
        ("h1", msg("promises.title", lang, kommuner=kommuner, period=period_label(period, lang))),
        ("p", msg("promises.intro", lang, kommuner=kommuner)),
    ]
    for row in rows:
        m, f = row.measure, row.followup or {}
        out.append(("h2", m["activity"]))
        if m.get("goal"):
            out.append(("p", msg("promises.promised", lang, goal=m["goal"])))
        did = msg("promises.did", lang, count=row.production_count)
        if row.progress.expected:
            did += " " + msg(
                "promises.to_date", lang, done=row.progress.done, expected=row.progress.expected
            )
        out.append(("p", did))
        if f.get("effect"):
            out.append(("p", msg("promises.effect", lang, effect=f["effect"])))
        if row.rating:
            out.append(
                ("p", msg("promises.rating", lang, light=light_word(row.rating, lang),
                          meaning=msg(f"followup.meaning.{row.rating}", lang)))
            )  # fmt: skip
    return out
