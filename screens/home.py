"""Översikt: the first screen. In this version, the device and what the database holds."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from db.records import DISPLAY_ORDER, choice_label, type_label
from screens.base import TryggScreen


class HomeScreen(TryggScreen):
    """The overview."""

    BINDINGS = [
        Binding("f1", "app.help", "key.help", tooltip="key.help.tooltip", id="help"),
        Binding("question_mark", "app.help", "key.help", show=False, id="help_alt"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="home"):
            yield Static(id="home-device", markup=False)
            yield Static(id="home-database", markup=False)
            yield Static(self.t("home.counts"), id="home-counts-title", classes="section-title")
            yield DataTable(id="home-counts", cursor_type="row", zebra_stripes=True)
            yield Static(id="home-journal", markup=False)
            yield Static(self.t("home.placeholder"), id="home-placeholder", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.t("app.title")
        demo = self.trygg.store.setting("demo") == "1"
        self.sub_title = self.t("home.title_demo" if demo else "home.title")
        self.refresh_overview()

    def refresh_overview(self) -> None:
        """Read the device and the counts from the store and show them."""
        store = self.trygg.store
        lang = getattr(self.app, "lang", None)
        device = store.require_device()
        org = choice_label("device", "org", device.org, lang) if device.org else "–"
        self.query_one("#home-device", Static).update(
            self.t("home.device", name=device.name, org=org, kommun=device.kommun or "–")
        )
        self.query_one("#home-database", Static).update(
            self.t("home.database", path=str(store.path))
        )
        table = self.query_one("#home-counts", DataTable)
        table.clear(columns=True)
        table.add_columns(self.t("home.col.type"), self.t("home.col.count"))
        for rtype in DISPLAY_ORDER:
            table.add_row(type_label(rtype, lang), str(store.count(rtype)), key=rtype)
        self.query_one("#home-journal", Static).update(
            self.t("home.journal", count=store.journal_size())
        )
