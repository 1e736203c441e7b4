"""Översikt: what needs attention, at a glance, each figure a key away from its list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static

from db.records import choice_label
from db.store import Store
from screens.widgets.base import DataChanged, TryggScreen
from screens.widgets.footer import Footer
from screens.widgets.tables import Col, FittedTable
from screens.widgets.text import ago, plain

if TYPE_CHECKING:
    from db.overview import Overview

#: The overview names at most this many colleagues (the Synk screen lists them all).
MAX_PEER_ROWS = 5


class OverviewScreen(TryggScreen):
    """The overview."""

    BINDINGS = [
        Binding(
            "v", "app.section('walks')", "key.walks", tooltip="key.walks.tooltip", id="home_walks"
        ),
        Binding(
            "n", "new_walk", "key.new_walk", tooltip="key.new_walk.tooltip", id="home_new_walk"
        ),
        Binding(
            "o",
            "findings('oppna')",
            "key.open_findings",
            tooltip="key.open_findings.tooltip",
            id="home_open",
        ),
        Binding(
            "f",
            "findings('forsenade')",
            "key.overdue",
            tooltip="key.overdue.tooltip",
            id="home_overdue",
        ),
        Binding(
            "l",
            "lagesbild",
            "key.lagesbild",
            tooltip="key.lagesbild.tooltip",
            id="home_lagesbild",
        ),
        Binding(
            "p",
            "app.section('owners')",
            "key.owners",
            tooltip="key.owners.tooltip",
            id="home_owners",
            show=False,
        ),
        Binding(
            "r",
            "refresh",
            "key.refresh",
            tooltip="key.refresh.tooltip",
            id="home_refresh",
            show=False,
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="home", can_focus=False):
            yield Static(id="home-device", markup=False)
            yield Static(id="home-reminder", markup=False)
            yield FittedTable(id="home-figures", show_header=False, zebra_stripes=False)
            yield Static(id="home-database", markup=False, classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.t("app.title")
        demo = self.trygg.store.setting("demo") == "1"
        self.sub_title = self.t("home.title_demo" if demo else "home.title")
        table = self.query_one("#home-figures", FittedTable)
        # Long names (a colleague's device) are shortened, never the figures or keys.
        table.set_columns(
            [
                Col("what", "", min=20, max=60),
                Col("count", "", min=1, max=20),
                Col("key", "", width=4),
            ]
        )
        self._show_device()
        table.focus()
        # Counted once the screen is on the terminal: started now, the worker's thread
        # and its result's drawing would compete with the first paint.
        self.call_after_refresh(self.refresh_overview)

    @on(DataChanged)
    def show_changed_data(self) -> None:
        """Records changed behind this screen: show them again."""
        self.refresh_overview()

    def on_screen_resume(self) -> None:
        if self.returned_to():
            self.refresh_overview()

    def action_refresh(self) -> None:
        self.refresh_overview()

    def refresh_overview(self) -> None:
        """Count in a worker thread (the counts read the whole journal), then show."""
        if not self.is_mounted:
            return
        self._show_device()
        today = self.trygg.store.now().date()

        def count(worker_store: Store) -> tuple[Overview, int]:
            # Imported here, in the worker: the counting's modules are not needed for
            # the first paint.
            from db import overview as counting

            return counting.overview(worker_store, today), worker_store.count("walk")

        # Overlapping recounts (a save, then a merge) show only the newest figures.
        self.trygg.in_thread(count, lambda counted: self._show(*counted), exclusive="overview")

    def _show_device(self) -> None:
        """The device's line and the database's."""
        store = self.trygg.store
        device = store.require_device()
        org = choice_label("device", "org", device.org, self.lang) if device.org else "–"
        self.query_one("#home-device", Static).update(
            self.t("home.device", name=device.name, org=org, kommun=device.kommun or "–")
        )
        self.query_one("#home-database", Static).update(
            self.t("home.database", path=str(store.path))
        )

    def _show(self, figures: Overview, walks: int) -> None:
        if not self.is_mounted:
            return
        today = self.trygg.store.now().date()
        table = self.query_one("#home-figures", FittedTable)
        keep = table.cursor_row
        table.clear_records()
        rows = [
            ("walks", self.t("home.walks"), str(walks), "v"),
            ("oppna", self.t("home.open_findings"), str(figures.open_findings), "o"),
            ("forsenade", self.t("home.overdue_findings"), str(figures.overdue_findings), "f"),
            (
                "reports",
                self.t("home.reports"),
                self.t(
                    "home.reports_value", week=figures.reports_week, month=figures.reports_month
                ),
                "F6",
            ),
            *(
                [("pm_due", self.t("home.pm_due"), str(figures.pm_due), "")]
                if figures.pm_due is not None
                else []
            ),
            ("measures", self.t("home.measures_behind"), str(figures.measures_behind), "F8"),
            ("deadlines", self.t("home.deadlines_soon"), str(figures.deadlines_soon), "F8"),
            ("unsent", self.t("home.unsent"), str(figures.unsent_changes), "F9"),
            (
                "exchange",
                self.t("home.last_exchange"),
                ago(self.t, figures.last_exchange, self.trygg.store.now()),
                "F9",
            ),
        ]
        for i, (name, when) in enumerate(figures.exchanges[:MAX_PEER_ROWS]):
            rows.append(
                (
                    f"peer-{i}",
                    self.t("home.exchange_with", name=name),
                    ago(self.t, when, self.trygg.store.now()),
                    "F9",
                )
            )
        if figures.open_conflicts:
            rows.append(("conflicts", self.t("home.conflicts"), str(figures.open_conflicts), "F9"))
        for i, (name, day) in enumerate(figures.clocks_ahead[:MAX_PEER_ROWS]):
            rows.append((f"clock-{i}", self.t("home.clock_ahead", name=name), str(day), "F9"))
        for key, label, value, shortcut in rows:
            late = (
                (key == "forsenade" and figures.overdue_findings)
                or (key == "measures" and figures.measures_behind)
                or key == "conflicts"
                or key.startswith("clock-")
            )
            style = "bold red" if late else ""
            table.add_record(
                key,
                {
                    "what": plain(label, style=style),
                    "count": Text(value, style=style or "bold"),
                    "key": Text(f"[{shortcut}]" if shortcut else "", style="dim"),
                },
            )
        table.rows_changed()
        table.move_cursor(row=min(keep, table.row_count - 1))
        reminder = ""
        if figures.remind_to_send(today):
            reminder = self.t("home.remind", count=figures.unsent_changes)
        self.query_one("#home-reminder", Static).update(reminder)

    def action_open_row(self) -> None:
        key = self.query_one("#home-figures", FittedTable).current_key
        if key == "walks":
            self.trygg.action_section("walks")
        elif key in ("oppna", "forsenade"):
            self.action_findings(key)
        elif key == "reports":
            self.trygg.action_section("reports")
        elif key in ("measures", "deadlines"):
            self.trygg.action_section("plans")
        elif key == "conflicts":
            from screens.sync_conflicts import ConflictListScreen

            self.app.push_screen(ConflictListScreen())
        elif key in ("unsent", "exchange") or (key or "").startswith(("peer-", "clock-")):
            self.trygg.action_section("sync")
        elif key == "pm_due":
            from screens.report_list import ReportListScreen

            self.app.push_screen(ReportListScreen(pm="att_skicka"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_row()

    def action_findings(self, status: str) -> None:
        from screens.finding_list import FindingListScreen

        self.app.push_screen(
            self.trygg.built_ahead(f"findings:{status}", lambda: FindingListScreen(status=status))
        )

    def action_lagesbild(self) -> None:
        from screens.lagesbild import LagesbildScreen

        self.app.push_screen(LagesbildScreen())

    def action_new_walk(self) -> None:
        from screens.walk import WalkScreen
        from screens.walk_form import WalkFormScreen

        def opened(walk_id: str | None) -> None:
            if walk_id:
                self.app.push_screen(WalkScreen(walk_id))

        self.app.push_screen(WalkFormScreen(), opened)
