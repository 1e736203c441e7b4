"""Lists of findings with their follow-up: the findings of one walk (inside the walk
screen), of one problem owner across all walks, or every open or overdue one.

The follow-up keys are the same everywhere: sent, fixed, rejected, reopen, edit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import DataTable, Header, Input, Static

from db.errors import TryggError
from db.records import choice_label
from db.store import Store
from db.textutil import printable
from db.walks import (
    STATUS_FILTERS,
    FindingFilter,
    FindingRow,
    count_findings,
    list_findings,
    mark_fixed,
    mark_rejected,
    mark_sent,
    reopen,
)
from screens.widgets.base import FIELD_ENTER, DataChanged, TryggScreen, typing_in_field
from screens.widgets.debounce import Debounce
from screens.widgets.dialogs import ConfirmModal, TextPrompt
from screens.widgets.footer import Footer
from screens.widgets.key_order import LineInput
from screens.widgets.tables import Col, PagedTable, Row, RowDetail
from screens.widgets.text import plain

#: Bindings every finding list has (the walk screen adds its own on top).
FOLLOW_UP_BINDINGS = [
    FIELD_ENTER,
    Binding("s", "sent", "key.sent", tooltip="key.sent.tooltip", id="finding_sent"),
    Binding("a", "fixed", "key.fixed", tooltip="key.fixed.tooltip", id="finding_fixed"),
    Binding(
        "x",
        "rejected(False)",
        "key.rejected",
        tooltip="key.rejected.tooltip",
        id="finding_rejected",
    ),
    Binding(
        "i",
        "rejected(True)",
        "key.not_owner",
        tooltip="key.not_owner.tooltip",
        id="finding_not_owner",
        show=False,
    ),
    Binding(
        "u", "reopen", "key.reopen", tooltip="key.reopen.tooltip", id="finding_reopen", show=False
    ),
    Binding(
        "m",
        "to_measure",
        "key.to_measure",
        tooltip="key.to_measure.tooltip",
        id="finding_to_measure",
    ),
    Binding(
        "f",
        "cycle_status",
        "key.status_filter",
        tooltip="key.status_filter.tooltip",
        id="finding_filter",
    ),
    Binding(
        "slash",
        "search",
        "key.search",
        tooltip="key.search.tooltip",
        id="finding_search",
        show=False,
        priority=True,  # see typing_in_field
    ),
    Binding(
        "delete",
        "delete",
        "key.delete",
        tooltip="key.delete_finding.tooltip",
        id="finding_delete",
        show=False,
    ),
    Binding("k", "place", "key.place", tooltip="key.place.tooltip", id="finding_place", show=False),
]


class FindingsScreen(TryggScreen):
    """A screen with a search line and a ``#finding-table`` of findings, and the follow-up
    actions on the finding under the cursor."""

    DEFAULT_CSS = """
    FindingsScreen #finding-search { border: none; height: 1; margin: 0 1; background: $boost; }
    FindingsScreen #finding-line { height: 1; margin: 0 1; }
    """

    #: The list has the keys from the start, not the search line above it.
    AUTO_FOCUS = PagedTable.__name__
    status: str = "alla"
    walk_id: str | None = None
    owner_id: str | None = None
    show_walk: bool = True
    #: Keys typed within this many seconds of each other are searched together once
    #: typing pauses; the first key after a pause is searched at once.
    DEBOUNCE = 0.1
    _typing: Debounce | None = None
    #: The search text the list shows (None before the first search).
    _searched: str | None = None

    # -- table ---------------------------------------------------------------------

    def finding_columns(self, table: PagedTable) -> None:
        """Number, place, remark, status, due date and owner at 80 columns; the category
        (and the walk, across walks) give way to the detail line."""

        def label(key: str) -> str:
            return self.t(f"findings.col.{key}")

        statuses = [
            self.t(f"findings.status.{s}")
            for s in ("ny", "skickad", "atgardad", "avvisad", "fel_agare")
        ]
        statuses += [self.t("findings.positive"), self.t("findings.overdue")]
        columns = [
            Col("nr", label("nr"), width=3, justify="right"),
            Col("place", label("place"), min=14, max=40),
            Col("remark", label("remark"), min=16, max=60),
            Col("status", label("status"), width=max(len(s) for s in statuses)),
            Col("due", label("due"), width=10),
            Col("owner", label("owner"), min=14, max=50),
            Col("category", label("category"), min=8, max=30, drop=1),
        ]
        if self.show_walk:
            columns.append(Col("walk", label("walk"), min=12, max=40, drop=2))
        table.set_columns(columns)
        table.detail_widget = self.query_one("#finding-detail", RowDetail)

    @property
    def today(self) -> date:
        return self.trygg.store.now().date()

    def finding_filter(self) -> FindingFilter:
        search = self.query_one("#finding-search", Input).value
        return FindingFilter(
            walk_id=self.walk_id, owner_id=self.owner_id, status=self.status, text=search
        )

    def fetch_findings(self, offset: int, limit: int) -> list[Row]:
        store = self.trygg.store
        rows = list_findings(store, self.finding_filter(), self.today, offset=offset, limit=limit)
        return [(r.id, self._cells(r)) for r in rows]

    def findings_counter(self) -> Callable[[Store], int]:
        wanted, today = self.finding_filter(), self.today
        return lambda store: count_findings(store, wanted, today)

    def _cells(self, r: FindingRow) -> dict[str, Text]:
        lang = self.lang
        style = "bold red" if r.overdue else ("green" if r.positive else "")
        if r.positive:
            status = self.t("findings.positive")
        elif r.overdue:
            status = self.t("findings.overdue")
        else:
            status = self.t(f"findings.status.{r.status or 'ny'}")
        category = choice_label("finding", "category", r.category, lang) if r.category else ""
        cells = {
            "nr": Text(str(r.nr or ""), style=style),
            "place": plain(_short(r.place, 200)),
            "remark": plain(_short(r.remark, 200)),
            "status": Text(status, style=style),
            "due": Text(r.due_date or "", style=style),
            "owner": plain(r.owner_name),
            "category": plain(category),
        }
        if self.show_walk:
            cells["walk"] = plain(f"{r.walk_date or ''} {r.walk_area or ''}".strip())
        return cells

    def findings_widgets(self) -> ComposeResult:
        """The search line, the count line and the table, for ``compose``."""
        yield LineInput(placeholder=self.t("filter.search.placeholder"), id="finding-search")
        yield Static(id="finding-line", markup=False)
        yield PagedTable(id="finding-table")
        yield RowDetail(id="finding-detail")

    def start_findings(self) -> None:
        """Columns, the data source and the first page, for ``on_mount``."""
        table = self.query_one(PagedTable)
        self.finding_columns(table)
        table.set_source(self.fetch_findings, self.findings_counter)
        self.reload()
        table.focus()

    def reload(self, keep: str | None = None, *, filter_changed: bool = False) -> None:
        """Load the table again (keeping the cursor's row) and the line above it."""
        self._searched = self.query_one("#finding-search", Input).value
        table = self.query_one(PagedTable)
        table.reload(keep=keep or table.current_key, filter_changed=filter_changed)
        self.show_line()

    def show_line(self) -> None:
        total = self.query_one(PagedTable).total_rows
        status = self.t(f"filter.status.{self.status}")
        # One row high whatever it says: drawn in place, without a layout (see
        # FilteredListScreen.show_line).
        self.query_one("#finding-line", Static).update(
            self.t("findings.line", shown="…" if total is None else total, status=status),
            layout=False,
        )

    @property
    def awaiting_results(self) -> bool:
        return self.query_one(PagedTable).total_rows is None

    @on(PagedTable.Counted)
    def show_count(self) -> None:
        """The count of matching findings came from its worker."""
        self.show_line()

    @on(DataChanged)
    def show_changed_data(self) -> None:
        """Records changed behind this screen: show them again."""
        self.reload()

    def on_screen_resume(self) -> None:
        if self.returned_to():
            self.reload()

    # The search line above the table: typing filters (a key after a pause at once, keys
    # typed fast once they pause), Enter or Esc go to the table.
    def on_input_changed(self, event: Input.Changed) -> None:
        if self._typing is None:
            self._typing = Debounce(self, self.DEBOUNCE, self._search_typed)
        self._typing()

    def _search_typed(self) -> None:
        # The keys that followed the search may have left the text as it was searched
        # (the first key's search already read the whole burst).
        if self.query_one("#finding-search", Input).value != self._searched:
            self.reload(filter_changed=True)

    def _search(self) -> None:
        if self._typing is not None:
            self._typing.cancel()
        self.reload(filter_changed=True)

    def field_entered(self, field: Widget) -> None:
        self._search()
        self.set_focus(self.query_one(PagedTable))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.open_finding(event.row_key.value)

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.set_focus(self.query_one(PagedTable))
        else:
            self.app.pop_screen()

    def current_finding(self) -> str | None:
        return self.query_one("#finding-table", PagedTable).current_key

    def action_place(self) -> None:
        """The place of the finding under the cursor (the lägesbild's place screen)."""
        from screens.place import open_place_of

        open_place_of(self, "finding", self.current_finding())

    # -- follow-up -----------------------------------------------------------------

    def _write(self, action: str, job: Callable[[], object]) -> None:
        """Run a one-key change on the finding under the cursor and say what it did (and
        that ctrl+z takes it back)."""
        lang = self.lang
        finding_id = self.current_finding()
        finding = (
            self.trygg.store.get("finding", finding_id, include_deleted=True)
            if finding_id
            else None
        )
        try:
            changed = job()
        except TryggError as error:
            self.app.notify(error.message(lang), severity="error", markup=False)
            return
        nr = (finding or {}).get("nr") or "?"
        if changed is not None and not changed:
            # Already so: nothing written, and nothing for ctrl+z to take back (it would
            # take back the change before, whatever that was).
            self.app.notify(self.t(f"findings.unchanged.{action}", nr=nr), markup=False)
            return
        self.app.notify(self.t(f"findings.done.{action}", nr=nr), markup=False, timeout=6)
        self.reload()

    def action_sent(self) -> None:
        finding_id = self.current_finding()
        if finding_id:
            store = self.trygg.store
            self._write("sent", lambda: mark_sent(store, [finding_id], self.today))

    def action_fixed(self) -> None:
        finding_id = self.current_finding()
        if finding_id:
            store = self.trygg.store
            self._write("fixed", lambda: mark_fixed(store, finding_id, self.today))

    def action_reopen(self) -> None:
        finding_id = self.current_finding()
        if finding_id:
            store = self.trygg.store
            self._write("reopen", lambda: reopen(store, finding_id))

    def action_to_measure(self) -> None:
        from screens.finding_measure import finding_to_measure

        finding_id = self.current_finding()
        if finding_id:
            finding_to_measure(self, finding_id, self.reload)

    def action_rejected(self, not_owner: bool) -> None:
        finding_id = self.current_finding()
        if not finding_id:
            return
        store = self.trygg.store

        def answered(reason: str | None) -> None:
            if reason is not None:
                self._write(
                    "rejected",
                    lambda: mark_rejected(store, finding_id, reason, not_owner=not_owner),
                )

        question = "findings.not_owner_prompt" if not_owner else "findings.reject_prompt"
        prompt = TextPrompt(self.t(question))
        self.app.push_screen(prompt, answered)

    def action_delete(self) -> None:
        finding_id = self.current_finding()
        store = self.trygg.store
        finding = store.get("finding", finding_id) if finding_id else None
        if finding is None:
            return
        record_id = finding["id"]

        def answered(yes: bool | None) -> None:
            if yes:
                self._write("deleted", lambda: store.delete("finding", record_id))

        question = self.t("findings.delete", nr=finding["nr"], remark=_short(finding["remark"]))
        self.app.push_screen(ConfirmModal(question), answered)

    def open_finding(self, finding_id: str) -> None:
        from screens.finding_form import FindingFormScreen

        finding = self.trygg.store.get("finding", finding_id)
        if finding:
            self.app.push_screen(
                FindingFormScreen(finding["walk_id"], finding_id),
                lambda _: self.reload(keep=finding_id),
            )

    def action_cycle_status(self) -> None:
        self.status = STATUS_FILTERS[(STATUS_FILTERS.index(self.status) + 1) % len(STATUS_FILTERS)]
        self.reload(filter_changed=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "search" and typing_in_field(self):
            return False
        return super().check_action(action, parameters)

    def action_search(self) -> None:
        # At once (see FilteredListScreen.action_search): a letter typed with the slash.
        self.set_focus(self.query_one("#finding-search", Input))


class FindingListScreen(FindingsScreen):
    """Findings across walks: open or overdue ones, or one problem owner's."""

    BINDINGS = [
        Binding("escape", "back", "key.back", tooltip="key.back.tooltip", id="findings_back"),
        *FOLLOW_UP_BINDINGS,
        Binding(
            "l",
            "owner_list",
            "key.owner_list",
            tooltip="key.owner_list.tooltip",
            id="findings_owner_list",
        ),
    ]

    def __init__(self, *, status: str = "oppna", owner_id: str | None = None) -> None:
        super().__init__()
        self.status = status
        self.owner_id = owner_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.findings_widgets()
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.t("app.title")
        owner = self.trygg.store.get("owner", self.owner_id) if self.owner_id else None
        title = self.t("findings.title_owner", owner=owner["name"]) if owner else None
        self.sub_title = printable(title or self.t("findings.title"), single_line=True)
        self.start_findings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "owner_list":
            return self.owner_id is not None
        return super().check_action(action, parameters)

    def action_owner_list(self) -> None:
        from screens.walk_documents import OwnerListsModal

        if self.owner_id:
            self.app.push_screen(OwnerListsModal(owner_id=self.owner_id), lambda _: self.reload())


def _short(text: str | None, limit: int = 60) -> str:
    value = " ".join((text or "").split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
