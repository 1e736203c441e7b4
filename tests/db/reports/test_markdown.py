"""Markdown documents show user text as typed when rendered: a ``<script>`` in a plan is
text, not a live element; formatting characters are literal; control characters are
visible stand-ins. Rendered with markdown-it (CommonMark with tables, as GitHub, wikis and
editors render it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from markdown_it import MarkdownIt

from db.plans.followup import save_followup
from db.reports import snabbrapport as tables
from db.reports.followup import write_followup_report, write_promise_report
from db.snabbrapport.statistics import StatsFilter, statistics
from db.store import Store

TODAY = date(2026, 11, 22)
HOSTILE = "<script>alert(1)</script> *fet* [länk](javascript:x) | \x1b]52;c;aGk=\x07"


def _render(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


def _hostile_plan(store: Store) -> str:
    plan = store.create(
        "plan",
        {"title": HOSTILE, "kommuner": ["Lycksele"], "start_date": "2026-01-01",
         "end_date": "2026-12-31", "followup_interval": "halvar"},
    )  # fmt: skip
    area = store.create("focus_area", {"plan_id": plan, "name": "# Rubrik?", "position": 1})
    measure = store.create(
        "measure",
        {"plan_id": plan, "focus_area_id": area, "activity": f"Åtgärd {HOSTILE}",
         "goal": "- inte en lista", "citizen_promise": True},
    )  # fmt: skip
    save_followup(store, measure, "2026-H2", {"rating": "gul", "effect": "<img src=x onerror=y>"})
    return plan


def _check(html: str) -> None:
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as typed
    assert "<em>fet</em>" not in html and "<a " not in html and "<h2>Rubrik" not in html
    assert "\x1b" not in html and "\x07" not in html
    assert "␛]52;c;aGk=␇" in html


def test_the_follow_up_in_markdown_shows_user_text_as_typed(store: Store, tmp_path: Path) -> None:
    plan = _hostile_plan(store)
    written = write_followup_report(store, plan, "2026-H2", tmp_path, TODAY, fmt="md")
    html = _render(written.path.read_text(encoding="utf-8"))
    _check(html)
    assert "*fet*" in html and "[länk](javascript:x)" in html
    assert "<ul>\n<li>inte en lista" not in html
    assert html.count("<table>") == 1  # the pipe in the text did not split a cell


def test_the_promise_report_in_markdown_shows_user_text_as_typed(
    store: Store, tmp_path: Path
) -> None:
    plan = _hostile_plan(store)
    written = write_promise_report(store, plan, "2026-H2", tmp_path, TODAY, fmt="md")
    html = _render(written.path.read_text(encoding="utf-8"))
    _check(html)
    text = write_promise_report(store, plan, "2026-H2", tmp_path, TODAY, fmt="txt")
    assert "\x1b" not in text.path.read_text(encoding="utf-8")


def test_the_statistics_in_markdown_show_a_place_as_typed(store: Store) -> None:
    wanted = StatsFilter(date(2026, 11, 1), date(2026, 11, 30), place=HOSTILE)
    html = _render(tables.as_markdown([statistics(store.conn, wanted)], "sv"))
    _check(html)
