"""One action plan, grouped by focus area: each measure with its rhythm, a progress bar of
done versus expected to date (red when behind), the next deadline, the light of the
period's follow-up and the hours spent; the highlighted measure's goal, SMART hints,
origin and follow-up below. Everything the coordinator does with a plan is a key here."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from db.errors import TryggError
from db.i18n import msg
from db.labels import short
from db.plans.followup import (
    followup_rows,
    period_label,
    period_of,
    period_range,
    previous_period,
)
from db.plans.plans import delete_area, delete_measure, origin
from db.plans.progress import MeasureProgress, format_hours, plan_hours, plan_progress
from db.plans.smart import smart_hints
from db.records import choice_label
from db.reports import output_folder
from db.textutil import printable
from screens.widgets.base import DataChanged, TryggScreen, form_key
from screens.widgets.dialogs import ConfirmModal, KeyChoiceModal, TextPrompt
from screens.widgets.footer import Footer
from screens.widgets.tables import Col, FittedTable
from screens.widgets.text import plain

AREA = "area:"
LIGHT_STYLE = {"gron": "bold green", "gul": "bold yellow", "rod": "bold red"}
BAR_WIDTH = 6


def progress_bar(progress: MeasureProgress) -> Text:
    """ "█████░░░ 5/8" — red when behind, green when on track; "–" with nothing expected."""
    if not progress.expected:
        return Text(f"{'·' * BAR_WIDTH} {progress.done}", style="dim")
    share = min(progress.done / progress.expected, 1.0)
    filled = round(share * BAR_WIDTH)
    style = "red" if progress.behind else "green"
    bar = Text("█" * filled + "░" * (BAR_WIDTH - filled), style=style)
    bar.append(f" {progress.done}/{progress.expected}", style="bold red" if progress.behind else "")
    return bar


class PlanScreen(TryggScreen):
    """One plan's measures by focus area, with progress and the period's follow-up."""

    DEFAULT_CSS = """
    PlanScreen #plan-summary { height: auto; max-height: 3; margin: 0 1; }
    PlanScreen #plan-table { height: 1fr; }
    PlanScreen #plan-detail {
        height: auto; max-height: 9; margin: 0 1; border-top: solid $primary;
    }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back", tooltip="key.back.tooltip", id="plan_back"),
        form_key("n", "new_measure", "key.new_measure", tooltip="key.new_measure.tooltip",
                 id="plan_new_measure"),
        form_key("e", "edit", "key.edit", tooltip="key.edit_measure.tooltip", id="plan_edit"),
        form_key("l", "log", "key.log", tooltip="key.log.tooltip", id="plan_log"),
        form_key("u", "followup", "key.followup", tooltip="key.followup.tooltip",
                 id="plan_followup"),
        Binding("r", "report", "key.plan_report", tooltip="key.plan_report.tooltip",
                id="plan_report"),
        Binding("m", "move", "key.move", tooltip="key.move.tooltip", id="plan_move"),
        # Asks a question: priority, so what is typed with it is the answer.
        Binding("a", "new_area", "key.new_area", tooltip="key.new_area.tooltip",
                id="plan_new_area", show=False, priority=True),
        Binding("b", "behind", "key.behind", tooltip="key.behind.tooltip", id="plan_behind",
                show=False),
        Binding("minus", "period(-1)", "key.period_back", tooltip="key.period_back.tooltip",
                id="plan_period_back", show=False),
        Binding("plus", "period(1)", "key.period_next", tooltip="key.period_next.tooltip",
                id="plan_period_next", show=False),
        Binding("p", "edit_plan", "key.edit_plan", tooltip="key.edit_plan.tooltip",
                id="plan_edit_plan", show=False),
        Binding("delete", "delete", "key.delete", tooltip="key.delete_measure.tooltip",
                id="plan_delete", show=False),
        Binding("k", "place", "key.place", tooltip="key.place.tooltip", id="plan_place",
                show=False),
    ]  # fmt: skip

    def __init__(
        self, plan_id: str, *, period: str | None = None, focus: str | None = None
    ) -> None:
        super().__init__()
        self.plan_id = plan_id
        #: The measure to put the cursor on when the plan opens.
        self.focus_measure = focus
        self.period = period
        self.behind_only = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="plan-summary", markup=False)
        yield FittedTable(id="plan-table", zebra_stripes=False)
        yield Static(id="plan-detail")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.t("app.title")
        plan = self.trygg.store.get("plan", self.plan_id) or {}
        today = self.trygg.store.now().date()
        self.period = self.period or period_of(plan.get("followup_interval"), today)
        table = self.query_one(FittedTable)

        def label(key: str) -> str:
            return self.t(f"plan.col.{key}")

        # The measure, how it goes, when it is due, the period's light and the hours stay
        # in view; the rhythm gives way to the detail below first.
        lights = [_light(r, self.lang).cell_len for r in (None, *LIGHT_STYLE)]
        table.set_columns(
            [
                Col("nr", label("nr"), width=2, justify="right"),
                Col("activity", label("activity"), min=20, max=70),
                Col("when", label("when"), min=12, max=34, drop=1),
                Col("progress", label("progress"), width=BAR_WIDTH + 6),
                Col("next", label("next"), width=10),
                Col("light", label("light"), width=max(lights)),
                Col("hours", label("hours"), width=5, justify="right"),
            ]
        )
        self.reload(keep=self.focus_measure)
        table.focus()

    @on(DataChanged)
    def show_changed_data(self) -> None:
        """Records changed behind this screen: show them again."""
        self.reload()

    def on_screen_resume(self) -> None:
        if self.returned_to():
            self.reload()

    # -- showing -----------------------------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        store = self.trygg.store
        plan = store.get("plan", self.plan_id)
        if plan is None:  # removed meanwhile (by a merge, say)
            self.app.pop_screen()
            return
        self.plan = plan
        today = store.now().date()
        lang = self.lang
        assert self.period is not None
        rows = followup_rows(store, self.plan_id, self.period, today, lang=lang)
        progress = plan_progress(store, today, plan_id=self.plan_id)
        hours = plan_hours(store, self.plan_id)
        self.rows = {r.measure["id"]: r for r in rows}
        self.progress = progress
        plan_areas = sorted(
            store.records("focus_area", where={"plan_id": self.plan_id}),
            key=lambda a: (a.get("position") or 0, a["name"].casefold()),
        )
        areas = {a["name"]: a["id"] for a in plan_areas}
        table = self.query_one(FittedTable)
        keep = keep or self._current()
        table.clear_records()
        grouped: dict[str, list[Any]] = {}
        for r in rows:
            grouped.setdefault(r.area, []).append(r)
        # Areas without measures still show, so that N can add the first one.
        order = list(areas)
        order += [name for name in grouped if name not in order]
        for area in order:
            members = grouped.get(area, [])
            if self.behind_only:
                members = [r for r in members if progress[r.measure["id"]].behind]
                if not members:
                    continue
            area_id = areas.get(area)
            behind = sum(1 for r in members if progress[r.measure["id"]].behind)
            area_hours = hours.per_area.get(area_id, 0.0)
            table.add_record(
                f"{AREA}{area_id or ''}",
                {
                    "activity": plain(f"▸ {area}", style="bold reverse"),
                    "progress": Text(
                        self.t("plan.behind_count", count=behind) if behind else "",
                        style="bold red",
                    ),
                    "hours": Text(_hours(area_hours), style="bold"),
                },
            )
            for r in members:
                m = r.measure
                p = progress[m["id"]]
                name = " ".join(str(m["activity"]).split())
                star = "★ " if m.get("citizen_promise") else ""
                closed = m.get("status") in ("genomford", "installd")
                table.add_record(
                    m["id"],
                    {
                        "nr": Text(str(m.get("cause_nr") or "")),
                        "activity": plain(star + name, style="dim" if closed else ""),
                        "when": Text(r.when),
                        "progress": progress_bar(p),
                        "next": Text(p.next_due.isoformat() if p.next_due else ""),
                        "light": _light(r.rating, lang),
                        "hours": Text(_hours(hours.per_measure.get(m["id"], 0.0))),
                    },
                )
        table.rows_changed()
        if keep and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))
        self._show_summary(rows, hours.total)
        self._show_detail()

    def _show_summary(self, rows: list[Any], total_hours: float) -> None:
        plan = self.plan
        behind = sum(1 for r in rows if self.progress[r.measure["id"]].behind)
        self.sub_title = printable(plan["title"], single_line=True)
        period = " – ".join(p for p in (plan.get("start_date"), plan.get("end_date")) if p)
        lines = [
            " · ".join(
                p
                for p in (
                    ", ".join(plan.get("kommuner") or []),
                    period,
                    self.t(
                        "plan.followup_period", period=period_label(self.period or "", self.lang)
                    ),
                )
                if p
            ),
            self.t(
                "plan.summary",
                measures=len(rows),
                behind=behind,
                hours=_hours(total_hours) or "0",
            )
            + (" · " + self.t("plan.behind_only") if self.behind_only else ""),
        ]
        self.query_one("#plan-summary", Static).update(printable("\n".join(lines)))

    def _show_detail(self) -> None:
        detail = self.query_one("#plan-detail", Static)
        current = self._current()
        row = self.rows.get(current or "")
        # What the table shows shortened, or not at all at this width (the rhythm).
        shown = self.query_one(FittedTable).detail(current)
        if row is None:
            if shown.plain:
                detail.update(shown)
                return
            detail.update(Text(self.t("plan.keys_hint"), style="dim"))
            return
        lang = self.lang
        m, f = row.measure, row.followup or {}
        p = self.progress[m["id"]]
        text = Text()
        if shown.plain:
            text.append_text(shown)
            text.append("\n")
        if m.get("goal"):
            text.append(self.t("plan.goal") + " ", style="bold")
            text.append(" ".join(str(m["goal"]).split()) + "\n")
        for key in smart_hints(m.get("goal")):
            text.append(f"⚑ {msg(key, lang)}\n", style="yellow")
        who = "; ".join(x for x in (m.get("responsible"), m.get("partners")) if x)
        facts = [
            choice_label("measure", "goal_kind", m["goal_kind"], lang)
            if m.get("goal_kind")
            else "",
            who,
            choice_label("measure", "status", m["status"], lang) if m.get("status") else "",
            self.t("plan.last_done", date=p.last_done.isoformat()) if p.last_done else "",
        ]
        text.append(" · ".join(x for x in facts if x) + "\n")
        came = origin(self.trygg.store, m)
        if came:
            text.append(
                self.t("plan.origin", area=came.walk_area or "–", date=came.walk_date or "–",
                       nr=came.nr or "–", remark=short(came.remark, 60)) + "\n",
                style="italic",
            )  # fmt: skip
        if f:
            text.append(self.t("plan.followup_of", period=period_label(self.period or "", lang)))
            text.append(" ")
            text.append_text(_light(row.rating, lang))
            for part in ("process", "effect"):
                if f.get(part):
                    text.append(f"\n{msg(f'field.followup.{part}', lang)}: ", style="bold")
                    text.append(short(f[part], 160))
        detail.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def _current(self) -> str | None:
        return self.query_one(FittedTable).current_key

    def _current_measure(self) -> str | None:
        current = self._current()
        return current if current and not current.startswith(AREA) else None

    def _current_area(self) -> str | None:
        """The focus area of the highlighted row (an area row or a measure in it)."""
        current = self._current()
        if current is None:
            return None
        if current.startswith(AREA):
            return current[len(AREA) :] or None
        return (self.rows[current].measure.get("focus_area_id")) if current in self.rows else None

    # -- actions -------------------------------------------------------------------------

    def action_new_measure(self) -> None:
        from screens.measure_form import MeasureFormScreen

        self.app.push_screen(
            MeasureFormScreen(self.plan_id, area_id=self._current_area()),
            lambda saved: self.reload(keep=saved),
        )

    def action_edit(self) -> None:
        current = self._current()
        if current is None:
            return
        if current.startswith(AREA):
            self._rename_area(current[len(AREA) :])
            return
        from screens.measure_form import MeasureFormScreen

        self.app.push_screen(
            MeasureFormScreen(self.plan_id, current), lambda _: self.reload(keep=current)
        )

    def _rename_area(self, area_id: str) -> None:
        area = self.trygg.store.get("focus_area", area_id) if area_id else None
        if area is None:
            return

        def named(name: str | None) -> None:
            if name and name.strip():
                try:
                    self.trygg.store.update("focus_area", area_id, {"name": name.strip()})
                except TryggError as error:
                    self.app.notify(error.message(self.lang), severity="error", markup=False)
                self.reload()

        self.app.push_screen(TextPrompt(self.t("plan.area_name"), area["name"]), named)

    def action_new_area(self) -> None:
        def named(name: str | None) -> None:
            if not name or not name.strip():
                return
            position = self.trygg.store.count("focus_area", where={"plan_id": self.plan_id})
            try:
                area = self.trygg.store.create(
                    "focus_area",
                    {"plan_id": self.plan_id, "name": name.strip(), "position": position + 1},
                )
            except TryggError as error:
                self.app.notify(error.message(self.lang), severity="error", markup=False)
                return
            self.reload(keep=f"{AREA}{area}")

        self.app.push_screen(TextPrompt(self.t("plan.area_name")), named)

    def action_log(self) -> None:
        from screens.progress_form import ProgressFormScreen

        measure = self._current_measure()
        self.app.push_screen(
            ProgressFormScreen(measure_id=measure), lambda _: self.reload(keep=measure)
        )

    def action_followup(self) -> None:
        from screens.followup_form import FollowupFormScreen

        measure = self._current_measure()
        if measure is None:
            self.app.notify(self.t("plan.choose_measure"), markup=False)
            return
        self.app.push_screen(
            FollowupFormScreen(measure, self.period or ""), lambda _: self.reload(keep=measure)
        )

    def action_move(self) -> None:
        from screens.measure_move import MoveMeasureModal

        measure = self._current_measure()
        if measure is None:
            self.app.notify(self.t("plan.choose_measure"), markup=False)
            return
        self.app.push_screen(MoveMeasureModal(measure), lambda _: self.reload(keep=measure))

    def action_behind(self) -> None:
        self.behind_only = not self.behind_only
        self.reload()

    def action_period(self, step: int) -> None:
        period = self.period or ""
        if step < 0:
            self.period = previous_period(period)
        else:
            after = period_range(period)[1].toordinal() + 1
            kind = "ar" if "-" not in period else ("halvar" if "-H" in period else "kvartal")
            self.period = period_of(kind, date.fromordinal(after))
        self.reload()

    def action_edit_plan(self) -> None:
        from screens.plan_form import PlanFormScreen

        self.app.push_screen(PlanFormScreen(self.plan_id), lambda _: self.reload())

    def action_place(self) -> None:
        """The place of the measure under the cursor (its own, or its finding's)."""
        from screens.place import open_place_of

        open_place_of(self, "measure", self._current_measure())

    def action_delete(self) -> None:
        current = self._current()
        if current is None:
            return
        store = self.trygg.store
        if current.startswith(AREA):
            area_id = current[len(AREA) :]
            if not area_id:
                return
            question = self.t("plan.delete_area", name=(store.get("focus_area", area_id) or {})
                              .get("name", ""))  # fmt: skip

            def remove() -> None:
                delete_area(store, area_id)
        else:
            name = short(self.rows[current].measure["activity"], 60)
            question = self.t("plan.delete_measure", name=name)

            def remove() -> None:
                delete_measure(store, current)

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                remove()
            except TryggError as error:
                self.app.notify(error.message(self.lang), severity="error", markup=False)
                return
            self.reload()

        self.app.push_screen(ConfirmModal(question), answered)

    def action_report(self) -> None:
        kinds = [
            (self.t("plan.report.key.followup"), "followup", self.t("plan.report.followup")),
            (self.t("plan.report.key.promises"), "promises", self.t("plan.report.promises")),
            (self.t("plan.report.key.calendar"), "calendar", self.t("plan.report.calendar")),
        ]

        def kind_chosen(kind: str | None) -> None:
            if kind == "calendar":
                self._write_report(kind, "ics")
            elif kind:
                formats = ["html", "md", "xlsx"] if kind == "followup" else ["html", "md", "txt"]
                options = [
                    (self.t(f"plan.report.format_key.{f}"), f, self.t(f"plan.report.format.{f}"))
                    for f in formats
                ]
                self.app.push_screen(
                    KeyChoiceModal(self.t("plan.report.which_format"), options),
                    lambda fmt: self._write_report(kind, fmt) if fmt else None,
                )

        question = self.t("plan.report.which", period=period_label(self.period or "", self.lang))
        self.app.push_screen(KeyChoiceModal(question, kinds), kind_chosen)

    def _write_report(self, kind: str, fmt: str) -> None:
        from db.reports.calendar import write_calendar
        from db.reports.followup import write_followup_report, write_promise_report

        store = self.trygg.store
        today = store.now().date()
        folder = output_folder(store)
        try:
            if kind == "calendar":
                path, count = write_calendar(
                    store, folder, today, plan_id=self.plan_id, lang=self.lang
                )
            else:
                writer = write_followup_report if kind == "followup" else write_promise_report
                written = writer(
                    store, self.plan_id, self.period or "", folder, today, fmt=fmt, lang=self.lang
                )
                path, count = written.path, written.measures
        except TryggError as error:
            self.app.notify(error.message(self.lang), severity="error", markup=False, timeout=10)
            return
        self.notify_in_folder(
            self.t("plan.report.written", name=path.name, count=count), path.parent
        )


def _hours(value: float) -> str:
    """Hours in a table cell: empty rather than 0, so the logged ones stand out."""
    return format_hours(value) if value else ""


def _light(rating: str | None, lang: str | None) -> Text:
    if not rating:
        return Text("○", style="dim")
    return Text("● " + choice_label("followup", "rating", rating, lang), style=LIGHT_STYLE[rating])
