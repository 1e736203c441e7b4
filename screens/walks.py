"""Trygghetsvandringar: the list of walks, with filters and search."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from db.dates import parse_date
from db.errors import TryggError
from db.walks import STATUS_FILTERS, WalkFilter, count_walks, list_walks, walk_kommuner
from screens.base import TryggScreen
from screens.widgets import ConfirmModal, PagedTable, Row, plain


class WalkListScreen(TryggScreen):
    """Every walk, newest first; Enter opens one."""

    DEFAULT_CSS = """
    WalkListScreen .filters { height: 1; margin: 0 1; }
    WalkListScreen .filters Label { margin: 0 1 0 0; }
    WalkListScreen .filters Input {
        border: none; height: 1; padding: 0 1; margin: 0 2 0 0; background: $boost;
    }
    WalkListScreen #walk-search { width: 1fr; }
    WalkListScreen #walk-kommun { width: 14; }
    WalkListScreen #walk-from, WalkListScreen #walk-to { width: 12; }
    WalkListScreen #walk-line { height: 1; margin: 0 1; }
    """

    BINDINGS = [
        Binding("escape", "back", "key.back", tooltip="key.back.tooltip", id="walks_back"),
        Binding("n", "new", "key.new_walk", tooltip="key.new_walk.tooltip", id="walks_new"),
        Binding("e", "edit", "key.edit", tooltip="key.edit_walk.tooltip", id="walks_edit"),
        Binding(
            "s",
            "cycle_status",
            "key.status_filter",
            tooltip="key.status_filter.tooltip",
            id="walks_status",
        ),
        Binding("slash", "search", "key.search", tooltip="key.search.tooltip", id="walks_search"),
        Binding(
            "delete",
            "delete",
            "key.delete",
            tooltip="key.delete_walk.tooltip",
            id="walks_delete",
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status = "alla"

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="filters"):
            yield Label(self.t("filter.search"))
            yield Input(placeholder=self.t("filter.search.hint"), id="walk-search")
            yield Label(self.t("filter.kommun"))
            yield Input(id="walk-kommun")
            yield Label(self.t("filter.from"))
            yield Input(id="walk-from")
            yield Label(self.t("filter.to"))
            yield Input(id="walk-to")
        yield Static(id="walk-line", markup=False)
        yield PagedTable(id="walk-table")
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
        for key in ("date", "kommun", "area", "findings", "open", "overdue"):
            table.add_column(self.t(f"walks.col.{key}"), key=key)
        table.set_source(self._fetch, self._total)
        self._filter = WalkFilter()
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        self.reload()

    # -- data ----------------------------------------------------------------------

    @property
    def today(self) -> date:
        return self.trygg.store.now().date()

    def _fetch(self, offset: int, limit: int) -> list[Row]:
        rows = list_walks(self.trygg.store, self._filter, self.today, offset=offset, limit=limit)
        result: list[Row] = []
        for r in rows:
            overdue = Text(str(r.overdue or ""), style="bold red" if r.overdue else "")
            result.append(
                (
                    r.id,
                    [
                        plain(r.date),
                        plain(r.kommun),
                        plain(r.area),
                        Text(str(r.findings), justify="right"),
                        Text(str(r.open or ""), justify="right"),
                        overdue,
                    ],
                )
            )
        return result

    def _total(self) -> int:
        return count_walks(self.trygg.store, self._filter, self.today)

    def reload(self, keep: str | None = None) -> None:
        table = self.query_one(PagedTable)
        table.reload(keep=keep or table.current_key)
        self._show_line()

    def _show_line(self, problem: str | None = None) -> None:
        table = self.query_one(PagedTable)
        status = self.t(f"filter.status.{self.status}")
        text = self.t("walks.line", shown=table.total_rows, status=status)
        line = self.query_one("#walk-line", Static)
        line.update(Text(problem, style="bold red") if problem else text)

    # -- filters -------------------------------------------------------------------

    def _read_filters(self) -> WalkFilter | None:
        values = {}
        for name in ("from", "to"):
            text = self.query_one(f"#walk-{name}", Input).value.strip()
            if not text:
                values[name] = None
                continue
            try:
                values[name] = parse_date(text, self.today).isoformat()
            except TryggError as error:
                self._show_line(f"{self.t(f'filter.{name}')} {error.message(self.lang)}")
                return None
        kommun = self.query_one("#walk-kommun", Input).value.strip()
        return WalkFilter(
            kommun=_matching(kommun, walk_kommuner(self.trygg.store)),
            date_from=values["from"],
            date_to=values["to"],
            status=self.status,
            text=self.query_one("#walk-search", Input).value,
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "walk-search":
            self._apply()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._apply():
            self.query_one(PagedTable).focus()

    def _apply(self) -> bool:
        flt = self._read_filters()
        if flt is None:
            return False
        self._filter = flt
        self.reload()
        return True

    def action_cycle_status(self) -> None:
        self.status = STATUS_FILTERS[(STATUS_FILTERS.index(self.status) + 1) % len(STATUS_FILTERS)]
        self._apply()

    def action_search(self) -> None:
        self.query_one("#walk-search", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one(PagedTable).focus()
        else:
            self.app.pop_screen()

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


def _matching(typed: str, known: list[str]) -> str | None:
    """The known municipality typed (any case); the text itself if none matches."""
    if not typed:
        return None
    for name in known:
        if name.casefold() == typed.casefold():
            return name
    return typed
