"""Åtgärdsplaner: every plan with how it stands (measures, behind schedule, hours), the
deadlines of the coming weeks under it, and the way in: Enter opens a plan, N starts one,
I reads one in from Excel or CSV."""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from db.errors import TryggError
from db.plans.deadlines import deadlines
from db.plans.plans import delete_plan, plans_in_order
from db.plans.progress import format_hours, plan_hours, plan_progress
from db.reports.calendar import summary
from db.textutil import printable
from screens.widgets.base import DataChanged, TryggScreen, form_key
from screens.widgets.dialogs import ConfirmModal
from screens.widgets.footer import Footer
from screens.widgets.tables import Col, FittedTable, RowDetail
from screens.widgets.text import plain

#: How far ahead the list of deadlines under the plans looks.
DEADLINE_DAYS = 30


class PlanListScreen(TryggScreen):
    """The plans; the deadlines of the next weeks below them."""

    DEFAULT_CSS = """
    PlanListScreen #plan-list { height: 1fr; }
    PlanListScreen #plan-deadlines { height: auto; max-height: 12; margin: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back", tooltip="key.back.tooltip",
                id="plans_back"),
        form_key("n", "new", "key.new_plan", tooltip="key.new_plan.tooltip", id="plans_new"),
        form_key("e", "edit", "key.edit", tooltip="key.edit_plan.tooltip", id="plans_edit"),
        Binding("i", "import_plan", "key.import_plan", tooltip="key.import_plan.tooltip",
                id="plans_import"),
        Binding("delete", "delete", "key.delete", tooltip="key.delete_plan.tooltip",
                id="plans_delete", show=False),
    ]  # fmt: skip

    def compose(self) -> ComposeResult:
        yield Header()
        yield FittedTable(id="plan-list")
        yield RowDetail(id="plan-list-detail")
        yield Static(id="plan-deadlines", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.t("app.title")
        self.sub_title = self.t("plans.title")
        table = self.query_one(FittedTable)

        def label(key: str) -> str:
            return self.t(f"plans.col.{key}")

        table.set_columns(
            [
                Col("title", label("title"), min=24, max=80),
                Col("period", label("period"), width=23, drop=1),
                Col("measures", label("measures"), width=3, justify="right"),
                Col("behind", label("behind"), width=3, justify="right"),
                Col("hours", label("hours"), width=6, justify="right"),
            ]
        )
        table.detail_widget = self.query_one("#plan-list-detail", RowDetail)
        self.reload()
        table.focus()

    @on(DataChanged)
    def show_changed_data(self) -> None:
        """Records changed behind this screen: show them again."""
        self.reload()

    def on_screen_resume(self) -> None:
        if self.returned_to():
            self.reload()

    def reload(self, keep: str | None = None) -> None:
        store = self.trygg.store
        today = store.now().date()
        table = self.query_one(FittedTable)
        keep = keep or self._current()
        table.clear_records()
        progress = plan_progress(store, today)
        measures = store.records("measure")
        for plan in plans_in_order(store, today):
            mine = [m["id"] for m in measures if m["plan_id"] == plan["id"]]
            behind = sum(1 for m in mine if progress[m].behind)
            period = " – ".join(p for p in (plan.get("start_date"), plan.get("end_date")) if p)
            hours = plan_hours(store, plan["id"]).total
            table.add_record(
                plan["id"],
                {
                    "title": plain(plan["title"]),
                    "period": plain(period),
                    "measures": Text(str(len(mine))),
                    "behind": Text(str(behind or ""), style="bold red" if behind else ""),
                    "hours": Text(format_hours(hours)),
                },
            )
        table.rows_changed()
        if keep and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))
        self._show_deadlines()

    def _show_deadlines(self) -> None:
        store = self.trygg.store
        today = store.now().date()
        ahead = deadlines(store, today, today + timedelta(days=DEADLINE_DAYS))
        panel = self.query_one("#plan-deadlines", Static)
        if not self.query_one(FittedTable).row_count:
            panel.update(self.t("plans.empty"))
            return
        if not ahead:
            panel.update(self.t("plans.no_deadlines", days=DEADLINE_DAYS))
            return
        lines = [self.t("plans.deadlines", days=DEADLINE_DAYS)]
        lines += [f"{d.day.isoformat()}  {summary(d, self.lang)}" for d in ahead[:10]]
        if len(ahead) > 10:
            lines.append(self.t("plans.more", count=len(ahead) - 10))
        # One line per deadline, shortened with an ellipsis to the terminal's width.
        text = Text(printable("\n".join(lines)), no_wrap=True, overflow="ellipsis")
        panel.update(text)

    def _current(self) -> str | None:
        return self.query_one(FittedTable).current_key

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.open_plan(event.row_key.value)

    def open_plan(self, plan_id: str) -> None:
        from screens.plan import PlanScreen

        self.app.push_screen(PlanScreen(plan_id))

    def action_new(self) -> None:
        from screens.plan_form import PlanFormScreen

        def saved(plan_id: str | None) -> None:
            if plan_id:
                self.reload(keep=plan_id)
                self.open_plan(plan_id)

        self.app.push_screen(PlanFormScreen(), saved)

    def action_edit(self) -> None:
        from screens.plan_form import PlanFormScreen

        current = self._current()
        if current:
            self.app.push_screen(PlanFormScreen(current), lambda _: self.reload())

    def action_import_plan(self) -> None:
        from screens.plan_import import PlanImportFileModal, PlanImportScreen

        def chosen(path: str | None) -> None:
            if path:
                self.app.push_screen(PlanImportScreen(path), imported)

        def imported(plan_id: str | None) -> None:
            if plan_id:
                self.reload(keep=plan_id)
                self.open_plan(plan_id)

        self.app.push_screen(PlanImportFileModal(), chosen)

    def action_delete(self) -> None:
        current = self._current()
        plan = self.trygg.store.get("plan", current) if current else None
        if plan is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                delete_plan(self.trygg.store, plan["id"])
            except TryggError as error:
                self.app.notify(error.message(self.lang), severity="error", markup=False)
                return
            self.reload()

        self.app.push_screen(
            ConfirmModal(self.t("plans.delete_confirm", title=plan["title"])), answered
        )
