"""Snabbrapporter: the list after the night — filters, search, marking several for one
note to social services, erasing one report's personal data at once."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Header, Input, Label, Static

from db.errors import TryggError
from db.protect import gallring
from db.records import choice_label
from db.snabbrapport.entry import delete_report
from db.snabbrapport.listing import (
    CUSTODY_FILTERS,
    PM_FILTERS,
    ReportFilter,
    count_reports,
    list_reports,
    report_kommuner,
    report_officers,
)
from db.store import Store
from screens.widgets.base import DataChanged
from screens.widgets.dialogs import ConfirmModal
from screens.widgets.filtered_list import FilteredListScreen, matching
from screens.widgets.footer import Footer
from screens.widgets.key_order import LineInput
from screens.widgets.tables import Col, PagedTable, Row, RowDetail
from screens.widgets.text import plain

RTYPE = "snabbrapport"


class ReportListScreen(FilteredListScreen):
    """Every quick report, newest first; Enter opens one."""

    DEFAULT_CSS = """
    ReportListScreen .filters { height: 1; margin: 0 1; }
    ReportListScreen .filters Label { margin: 0 1 0 0; }
    ReportListScreen .filters Input {
        border: none; height: 1; padding: 0 1; margin: 0 2 0 0; background: $boost;
    }
    ReportListScreen #rep-search { width: 1fr; }
    ReportListScreen #rep-kommun, ReportListScreen #rep-place, ReportListScreen #rep-officer {
        width: 16;
    }
    /* A date and the cursor after it (see ReportStatsScreen). */
    ReportListScreen #rep-from, ReportListScreen #rep-to { width: 12; padding: 0 0 0 1; }
    ReportListScreen #rep-line { height: 1; margin: 0 1; }
    """

    SEARCH_ID = "rep-search"
    LINE_ID = "rep-line"
    BINDINGS = [
        Binding("escape", "back", "key.back", tooltip="key.back.tooltip", id="reports_back"),
        Binding(
            "n",
            "app.new_report",
            "key.new_report",
            tooltip="key.new_report.tooltip",
            id="reports_new",
        ),
        Binding(
            "e",
            "edit",
            "key.edit",
            tooltip="key.edit_report.tooltip",
            id="reports_edit",
            show=False,
        ),
        Binding("space", "mark", "key.mark", tooltip="key.mark.tooltip", id="reports_mark"),
        Binding("p", "pm", "key.pm", tooltip="key.pm.tooltip", id="reports_pm"),
        Binding(
            "o",
            "cycle_custody",
            "key.custody_filter",
            tooltip="key.custody_filter.tooltip",
            id="reports_custody",
        ),
        Binding(
            "s",
            "cycle_pm",
            "key.pm_filter",
            tooltip="key.pm_filter.tooltip",
            id="reports_pm_filter",
        ),
        Binding(
            "u",
            "statistics",
            "key.statistics",
            tooltip="key.statistics.tooltip",
            id="reports_stats",
        ),
        Binding(
            "slash",
            "search",
            "key.search",
            tooltip="key.search.tooltip",
            id="reports_search",
            priority=True,  # see typing_in_field
        ),
        Binding(
            "g",
            "erase",
            "key.erase_report",
            tooltip="key.erase_report.tooltip",
            id="reports_erase",
            show=False,
        ),
        Binding(
            "delete",
            "delete",
            "key.delete",
            tooltip="key.delete_report.tooltip",
            id="reports_delete",
            show=False,
        ),
        Binding(
            "k", "place", "key.place", tooltip="key.place.tooltip", id="reports_place", show=False
        ),
    ]

    def __init__(self, *, pm: str = "alla") -> None:
        super().__init__()
        self.custody = "alla"
        self.pm = pm
        self.marked: set[str] = set()
        self._filter = ReportFilter()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="filters"):
            yield Label(self.t("filter.search"))
            yield LineInput(placeholder=self.t("reports.search.hint"), id="rep-search")
            yield Label(self.t("filter.from"))
            yield LineInput(id="rep-from")
            yield Label(self.t("filter.to"))
            yield LineInput(id="rep-to")
        with Horizontal(classes="filters"):
            yield Label(self.t("filter.kommun"))
            yield LineInput(id="rep-kommun")
            yield Label(self.t("reports.filter.place"))
            yield LineInput(id="rep-place")
            yield Label(self.t("reports.filter.officer"))
            yield LineInput(id="rep-officer")
        yield Static(id="rep-line", markup=False)
        yield PagedTable(id="rep-table")
        yield RowDetail(id="rep-detail")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.t("app.title")
        self.sub_title = self.t("reports.title")
        store = self.trygg.store
        self.query_one("#rep-kommun", Input).suggester = SuggestFromList(
            report_kommuner(store), case_sensitive=False
        )
        self.query_one("#rep-officer", Input).suggester = SuggestFromList(
            report_officers(store), case_sensitive=False
        )
        table = self.query_one(PagedTable)
        table.set_columns(self._columns())
        table.detail_widget = self.query_one("#rep-detail", RowDetail)
        table.set_source(self._fetch, self._counter)
        self.apply_filters()
        table.focus()

    @on(DataChanged)
    def show_changed_data(self) -> None:
        """Records changed behind this screen: show them again."""
        self.reload()

    def on_screen_resume(self) -> None:
        if self.returned_to():
            self.reload()

    # -- data ----------------------------------------------------------------------

    def _columns(self) -> list[Col]:
        """Custody and the note to social services are why the list is opened: they stay
        in view at 80 columns; age and sex give way to the detail line first."""

        def label(key: str) -> str:
            return self.t(f"reports.col.{key}")

        return [
            Col("nr", label("nr"), width=5, justify="right"),
            Col("date", label("date"), width=10),
            Col("time", label("time"), width=5),
            Col("place", label("place"), min=12, max=40),
            Col("name", label("name"), min=12, max=40),
            Col("age", label("age"), width=3, justify="right", drop=1),
            Col("sex", label("sex"), width=1, drop=2),
            Col("custody", label("custody"), width=7),
            Col("pm", label("pm"), width=12),
        ]

    def _fetch(self, offset: int, limit: int) -> list[Row]:
        rows = list_reports(self.trygg.store, self._filter, offset=offset, limit=limit)
        result: list[Row] = []
        lang = self.lang
        for r in rows:
            name = (
                Text(self.t("reports.erased"), style="dim")
                if r.erased
                else plain(r.name or self.t("reports.no_name"))
            )
            custody = choice_label(RTYPE, "custody", r.custody, lang) if r.custody else ""
            if r.pm_sent_date:
                pm = Text(f"✓ {r.pm_sent_date}")
            elif r.pm_social == "ja":
                pm = Text(self.t("reports.pm_due"), style="bold yellow")
            else:
                pm = Text(
                    choice_label(RTYPE, "pm_social", r.pm_social, lang) if r.pm_social else ""
                )
            sex = choice_label(RTYPE, "sex", r.sex, lang)[:1] if r.sex else ""
            result.append(
                (
                    r.id,
                    {
                        "nr": self._nr_cell(r.id, r.nr),
                        "date": plain(r.date),
                        "time": plain(r.time),
                        "place": plain(r.place),
                        "name": name,
                        "age": Text("" if r.age is None else str(r.age)),
                        "sex": Text(sex),
                        "custody": plain(custody),
                        "pm": pm,
                    },
                )
            )
        return result

    def _nr_cell(self, report_id: str, nr: int) -> Text:
        """The Nr, with a tick when the report is marked for a shared note."""
        if report_id in self.marked:
            return Text(f"▶{nr:>4}", style="bold reverse", justify="right")
        return Text(f"{nr:>5}", justify="right")

    def _counter(self) -> Callable[[Store], int]:
        wanted = self._filter
        return lambda store: count_reports(store, wanted)

    def line_text(self, shown: int | str) -> str:
        return self.t(
            "reports.line",
            shown=shown,
            custody=self.t(f"reports.custody.{self.custody}"),
            pm=self.t(f"reports.pm.{self.pm}"),
            marked=len(self.marked),
        )

    # -- filters -------------------------------------------------------------------

    def read_filters(self) -> ReportFilter | None:
        dates = self.read_dates("rep")
        if dates is None:
            return None

        def typed(widget_id: str) -> str | None:
            return self.query_one(f"#{widget_id}", Input).value.strip() or None

        return ReportFilter(
            date_from=dates["from"],
            date_to=dates["to"],
            kommun=matching(typed("rep-kommun"), report_kommuner(self.trygg.store)),
            place=typed("rep-place"),
            officer=typed("rep-officer"),
            custody=self.custody,
            pm=self.pm,
            text=self.query_one("#rep-search", Input).value,
        )

    def action_cycle_custody(self) -> None:
        self.custody = CUSTODY_FILTERS[
            (CUSTODY_FILTERS.index(self.custody) + 1) % len(CUSTODY_FILTERS)
        ]
        self.apply_filters()

    def action_cycle_pm(self) -> None:
        self.pm = PM_FILTERS[(PM_FILTERS.index(self.pm) + 1) % len(PM_FILTERS)]
        self.apply_filters()

    # -- actions -------------------------------------------------------------------

    @property
    def current(self) -> str | None:
        return self.query_one(PagedTable).current_key

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        from screens.report_form import ReportFormScreen

        report_id = self.current
        if report_id:
            self.app.push_screen(ReportFormScreen(report_id), lambda _: self.reload(report_id))

    def action_mark(self) -> None:
        report_id = self.current
        if not report_id:
            return
        self.marked ^= {report_id}
        table = self.query_one(PagedTable)
        table.update_record(report_id, "nr", self._nr_cell(report_id, self._nr(report_id)))
        table.move_cursor(row=min(table.cursor_row + 1, table.row_count - 1))
        self.show_line()

    def _nr(self, report_id: str) -> int:
        report = self.trygg.store.get(RTYPE, report_id) or {}
        return int(report.get("nr") or 0)

    def action_pm(self) -> None:
        from screens.report_pm import PmModal

        chosen = sorted(self.marked) or ([self.current] if self.current else [])
        if not chosen:
            return

        def written(done: bool | None) -> None:
            if done:
                self.marked.clear()
            self.reload()

        self.app.push_screen(PmModal(chosen), written)

    def action_statistics(self) -> None:
        from screens.report_stats import ReportStatsScreen

        self.app.push_screen(self.trygg.built_ahead("statistics", ReportStatsScreen))

    def action_erase(self) -> None:
        report_id = self.current
        report = self.trygg.store.get(RTYPE, report_id) if report_id else None
        if report is None or report_id is None:
            return
        if report.get("erased_date"):
            self.app.notify(self.t("reports.already_erased", nr=report["nr"]), markup=False)
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                gallring.erase_now(self.trygg.store, report_id)
            except TryggError as error:
                self.app.notify(error.message(self.lang), severity="error", markup=False)
                return
            self.app.notify(self.t("reports.erased_now", nr=report["nr"]), markup=False)
            self.reload(report_id)

        question = self.t("reports.erase_question", nr=report["nr"])
        self.app.push_screen(ConfirmModal(question), answered)

    def action_place(self) -> None:
        """The place of the quick report under the cursor."""
        from screens.place import open_place_of

        open_place_of(self, "snabbrapport", self.current)

    def action_delete(self) -> None:
        report_id = self.current
        report = self.trygg.store.get(RTYPE, report_id) if report_id else None
        if report is None or report_id is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                try:
                    delete_report(self.trygg.store, report_id)
                except TryggError as error:
                    self.app.notify(error.message(self.lang), severity="error", markup=False)
                    return
                self.marked.discard(report_id)
                self.app.notify(self.t("reports.deleted", nr=report["nr"]), markup=False)
                self.reload()

        question = self.t("reports.delete_question", nr=report["nr"], date=report["date"])
        self.app.push_screen(ConfirmModal(question), answered)
