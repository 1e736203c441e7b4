"""Trygghetsvandringar: the list of walks, with filters and search."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Header, Input, Label, Static

from db.store import Store
from db.walks import STATUS_FILTERS, WalkFilter, count_walks, list_walks, walk_kommuner
from screens.widgets.base import DataChanged, form_key
from screens.widgets.dialogs import ConfirmModal
from screens.widgets.filtered_list import FilteredListScreen, matching
from screens.widgets.footer import Footer
from screens.widgets.key_order import LineInput
from screens.widgets.tables import Col, PagedTable, Row, RowDetail
from screens.widgets.text import plain


class WalkListScreen(FilteredListScreen):
    """Every walk, newest first; Enter opens one."""

    DEFAULT_CSS = """
    WalkListScreen .filters { height: 1; margin: 0 1; }
    WalkListScreen .filters Label { margin: 0 1 0 0; }
    WalkListScreen .filters Input {
        border: none; height: 1; padding: 0 1; margin: 0 2 0 0; background: $boost;
    }
    WalkListScreen #walk-search { width: 1fr; }
    WalkListScreen #walk-kommun { width: 14; }
    WalkListScreen #walk-from, WalkListScreen #walk-to { width: 12; padding: 0 0 0 1; }
    WalkListScreen #walk-line { height: 1; margin: 0 1; }
    """

    SEARCH_ID = "walk-search"
    LINE_ID = "walk-line"
    BINDINGS = [
        Binding("escape", "back", "key.back", tooltip="key.back.tooltip", id="walks_back"),
        form_key("n", "new", "key.new_walk", tooltip="key.new_walk.tooltip", id="walks_new"),
        form_key("e", "edit", "key.edit", tooltip="key.edit_walk.tooltip", id="walks_edit"),
        Binding(
            "s",
            "cycle_status",
            "key.status_filter",
            tooltip="key.status_filter.tooltip",
            id="walks_status",
        ),
        Binding(
            "slash",
            "search",
            "key.search",
            tooltip="key.search.tooltip",
            id="walks_search",
            priority=True,  # see typing_in_field
        ),
        Binding(
            "delete",
            "delete",
            "key.delete",
            tooltip="key.delete_walk.tooltip",
            id="walks_delete",
            show=False,
        ),
        Binding(
            "k", "place", "key.place", tooltip="key.place.tooltip", id="walks_place", show=False
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status = "alla"

    def compose(self) -> ComposeResult:
        yield Header()
        # The search on a row of its own, so that its hint is read whole at 80 columns.
        with Horizontal(classes="filters", id="walk-search-row"):
            yield Label(self.t("filter.search"))
            yield LineInput(placeholder=self.t("filter.search.hint"), id="walk-search")
        with Horizontal(classes="filters"):
            yield Label(self.t("filter.kommun"))
            yield LineInput(id="walk-kommun")
            yield Label(self.t("filter.from"))
            yield LineInput(id="walk-from")
            yield Label(self.t("filter.to"))
            yield LineInput(id="walk-to")
        yield Static(id="walk-line", markup=False)
        yield PagedTable(id="walk-table")
        yield RowDetail(id="walk-detail")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.t("app.title")
        self.sub_title = self.t("walks.title")
        kommuner = walk_kommuner(self.trygg.store)
        self.query_one("#walk-kommun", Input).suggester = SuggestFromList(
            kommuner, case_sensitive=False
        )
        table = self.query_one(PagedTable)

        def label(key: str) -> str:
            return self.t(f"walks.col.{key}")

        table.set_columns(
            [
                Col("date", label("date"), width=10),
                Col("kommun", label("kommun"), min=8, max=20, drop=1),
                Col("area", label("area"), min=16),
                Col("findings", label("findings"), width=3, justify="right"),
                Col("open", label("open"), width=3, justify="right"),
                Col("overdue", label("overdue"), width=3, justify="right"),
            ]
        )
        table.detail_widget = self.query_one("#walk-detail", RowDetail)
        table.set_source(self._fetch, self._counter)
        self._filter = WalkFilter()
        self.reload()
        table.focus()

    @on(DataChanged)
    def show_changed_data(self) -> None:
        """Records changed behind this screen: show them again."""
        self.reload()

    def on_screen_resume(self) -> None:
        if self.returned_to():
            self.reload()

    # -- data ----------------------------------------------------------------------

    def _fetch(self, offset: int, limit: int) -> list[Row]:
        rows = list_walks(self.trygg.store, self._filter, self.today, offset=offset, limit=limit)
        result: list[Row] = []
        for r in rows:
            overdue = Text(str(r.overdue or ""), style="bold red" if r.overdue else "")
            result.append(
                (
                    r.id,
                    {
                        "date": plain(r.date),
                        "kommun": plain(r.kommun),
                        "area": plain(r.area),
                        "findings": Text(str(r.findings)),
                        "open": Text(str(r.open or "")),
                        "overdue": overdue,
                    },
                )
            )
        return result

    def _counter(self) -> Callable[[Store], int]:
        wanted, today = self._filter, self.today
        return lambda store: count_walks(store, wanted, today)

    def line_text(self, shown: int | str) -> str:
        status = self.t(f"filter.status.{self.status}")
        return self.t("walks.line", shown=shown, status=status)

    # -- filters -------------------------------------------------------------------

    def read_filters(self) -> WalkFilter | None:
        dates = self.read_dates("walk")
        if dates is None:
            return None
        kommun = self.query_one("#walk-kommun", Input).value.strip()
        return WalkFilter(
            kommun=matching(kommun, walk_kommuner(self.trygg.store)),
            date_from=dates["from"],
            date_to=dates["to"],
            status=self.status,
            text=self.query_one("#walk-search", Input).value,
        )

    def action_cycle_status(self) -> None:
        self.status = STATUS_FILTERS[(STATUS_FILTERS.index(self.status) + 1) % len(STATUS_FILTERS)]
        self.apply_filters()

    # -- actions -------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        from screens.walk import WalkScreen

        if event.row_key.value:
            self.app.push_screen(WalkScreen(event.row_key.value))

    def action_new(self) -> None:
        from screens.walk import WalkScreen
        from screens.walk_form import WalkFormScreen

        def opened(walk_id: str | None) -> None:
            if walk_id:
                self.app.push_screen(WalkScreen(walk_id))

        self.app.push_screen(WalkFormScreen(), opened)

    def action_edit(self) -> None:
        from screens.walk_form import WalkFormScreen

        walk_id = self.query_one(PagedTable).current_key
        if walk_id:
            self.app.push_screen(WalkFormScreen(walk_id), lambda _: self.reload(walk_id))

    def action_place(self) -> None:
        """The place of the walk under the cursor (its area, or its first finding's)."""
        from screens.place import open_place_of

        open_place_of(self, "walk", self.query_one(PagedTable).current_key)

    def action_delete(self) -> None:
        walk_id = self.query_one(PagedTable).current_key
        walk = self.trygg.store.get("walk", walk_id) if walk_id else None
        if walk is None:
            return
        findings = self.trygg.store.count("finding", where={"walk_id": walk_id})
        question = self.t("walks.delete", area=walk["area"], date=walk["date"], count=findings)

        def answered(yes: bool | None) -> None:
            if yes and walk_id:
                self.trygg.store.delete("walk", walk_id)
                self.app.notify(self.t("walks.deleted"), markup=False)
                self.reload()

        self.app.push_screen(ConfirmModal(question), answered)
