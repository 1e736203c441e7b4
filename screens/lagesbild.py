"""Lägesbild: the joint picture of a municipality and period — its places ranked by what
happened there beside a map of them, quick reports by weekday and hour, the measures
with their lights and progress, each figure against the period before. Moving between
marks on the map (or rows of the list) shows the place; Enter opens it."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import ContentSwitcher, DataTable, Header, Static

from db.errors import TryggError
from db.labels import short
from db.lagesbild.layout import Mark
from db.lagesbild.periods import Period, last_quarter, read_period
from db.lagesbild.picture import HOURS, Lagesbild, PlaceRow, kommun_named, lagesbild
from db.lagesbild.place import PlaceRef
from db.lagesbild.sources import key_of
from db.places import located
from db.reports import output_folder
from db.reports.lagesbild import change, percent, write_lagesbild
from db.store import Store
from db.textutil import printable
from screens.place import PlaceScreen, light_cell, search_place
from screens.widgets.base import DataChanged, TryggScreen
from screens.widgets.dialogs import KeyChoiceModal, TextPrompt
from screens.widgets.footer import Footer
from screens.widgets.tables import row_under_cursor
from screens.widgets.terminal_map import TerminalMap
from screens.widgets.text import plain

#: The place list's name column is cut to this many characters (80×24).
NAME_WIDTH = 14
VIEWS = ("lb-places", "lb-hours", "lb-measures")


class LagesbildScreen(TryggScreen):
    """A municipality's places, hours and measures for a period, against the one before."""

    DEFAULT_CSS = """
    LagesbildScreen #lb-summary { height: auto; max-height: 3; margin: 0 1; }
    LagesbildScreen #lb-views { height: 1fr; }
    LagesbildScreen #lb-places { height: 1fr; }
    LagesbildScreen #lb-map { width: 1fr; min-width: 24; }
    LagesbildScreen #lb-table { width: 45; height: 1fr; }
    LagesbildScreen #lb-hours { height: 1fr; padding: 0 0 0 1; scrollbar-size-vertical: 1; }
    LagesbildScreen #lb-hours-table { width: auto; text-wrap: nowrap; text-overflow: clip; }
    LagesbildScreen #lb-measures { height: 1fr; }
    LagesbildScreen #lb-detail { height: 2; margin: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back", tooltip="key.back.tooltip", id="lb_back"),
        Binding("t", "view('lb-hours')", "key.lb_hours", tooltip="key.lb_hours.tooltip",
                id="lb_hours"),
        Binding("a", "view('lb-measures')", "key.lb_measures",
                tooltip="key.lb_measures.tooltip", id="lb_measures"),
        Binding("x", "print", "key.print", tooltip="key.lb_print.tooltip", id="lb_print"),
        # The keys that ask a question are priority bindings: run before the next key is
        # read, so what is typed with them is the answer (TextPrompt holds it).
        Binding("slash", "search", "key.search_place", tooltip="key.search_place.tooltip",
                id="lb_search", priority=True),
        Binding("minus", "shift(-1)", "key.lb_period_back", tooltip="key.lb_period_back.tooltip",
                id="lb_period_back", show=False),
        Binding("plus", "shift(1)", "key.lb_period_next", tooltip="key.lb_period_next.tooltip",
                id="lb_period_next", show=False),
        Binding("d", "period", "key.lb_period", tooltip="key.lb_period.tooltip", id="lb_period",
                show=False, priority=True),
        Binding("j", "compare", "key.compare", tooltip="key.lb_compare.tooltip",
                id="lb_compare", show=False),
        Binding("m", "kommun", "key.lb_kommun", tooltip="key.lb_kommun.tooltip",
                id="lb_kommun", show=False, priority=True),
    ]  # fmt: skip

    def __init__(self, kommun: str | None = None, period: Period | None = None) -> None:
        super().__init__()
        self.kommun = kommun
        self.period = period
        self.compare = "previous"
        self.picture: Lagesbild | None = None
        self.view = VIEWS[0]
        self._current: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="lb-summary", markup=False)
        with ContentSwitcher(id="lb-views", initial=VIEWS[0]):
            with Horizontal(id="lb-places"):
                yield TerminalMap(id="lb-map")
                yield DataTable(id="lb-table", cursor_type="row")
            with VerticalScroll(id="lb-hours"):
                yield Static(id="lb-hours-table", markup=False)
            yield DataTable(id="lb-measures", cursor_type="row")
        yield Static(id="lb-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.t("app.title")
        store = self.trygg.store
        self.kommun = self.kommun or (store.device.kommun if store.device else None) or ""
        self.period = self.period or last_quarter(self.today)
        table = self.query_one("#lb-table", DataTable)
        for key in ("nr", "place", "reports", "change", "open", "overdue"):
            table.add_column(self.t(f"lb.col.{key}"), key=key)
        measures = self.query_one("#lb-measures", DataTable)
        for key in ("light", "activity", "progress", "places"):
            measures.add_column(self.t(f"lb.mcol.{key}"), key=key)
        table.focus()
        self.recount()
        if not self.kommun.strip():
            # A device set up without a default municipality: which one is the question.
            self.call_after_refresh(self.action_kommun)

    @property
    def today(self) -> date:
        return self.trygg.store.now().date()

    @on(DataChanged)
    def show_changed_data(self) -> None:
        self.recount()

    def on_screen_resume(self) -> None:
        if self.returned_to():
            self.recount()

    # -- counting ----------------------------------------------------------------------

    def recount(self) -> None:
        """Draw the picture again in a worker (100,000 records take a fraction of a
        second, which is still too long to freeze the keys)."""
        kommun, period, compare, today = self.kommun or "", self.period, self.compare, self.today
        assert period is not None
        if not kommun.strip():
            self.query_one("#lb-detail", Static).update(self.t("lb.no_kommun"))
            return
        self.query_one("#lb-detail", Static).update(self.t("lb.counting"))

        def draw(store: Store) -> Lagesbild:
            return lagesbild(store, kommun_named(store, kommun), period, today, compare=compare)

        self.trygg.in_thread(draw, self._show, self._refused)

    def _refused(self, error: TryggError) -> None:
        self.query_one("#lb-detail", Static).update(
            Text(error.message(self.lang), style="bold red")
        )

    def _show(self, picture: Lagesbild) -> None:
        if not self.is_mounted:
            return
        self.picture = picture
        self.kommun = picture.kommun
        self.sub_title = printable(
            self.t("lb.title", kommun=picture.kommun, period=picture.period.label(self.lang)),
            single_line=True,
        )
        self._show_summary(picture)
        keep = self._current
        table = self.query_one("#lb-table", DataTable)
        table.clear()
        for row in picture.places:
            table.add_row(*self._row_cells(row), key=row.key)
        marks = [Mark(r.number, r.key, r.point) for r in picture.places if r.point is not None]
        # The municipality's other known places, where nothing happened: faint dots.
        ranked = {r.key for r in picture.places}
        quiet = [
            where
            for p in self.trygg.store.records("place", where={"kommun": picture.kommun})
            if key_of(p.get("name")) not in ranked and (where := located(p)) is not None
        ]
        self.query_one(TerminalMap).show(marks, quiet, keep=keep)
        if keep and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))
        elif table.row_count:
            table.move_cursor(row=0)
        self._show_hours(picture)
        self._show_measures(picture)
        self._show_detail(row_under_cursor(table))

    def _show_summary(self, picture: Lagesbild) -> None:
        lang = self.lang
        now, then = picture.now, picture.then
        lines = [
            self.t(
                "lb.summary.period",
                kommun=picture.kommun,
                period=picture.period.label(lang),
                span=f"{picture.period.start} – {picture.period.end}",
                before=picture.before.label(lang),
            ),
            self.t(
                "lb.summary.reports",
                reports=now.reports,
                reports_before=then.reports,
                drunk=percent(now.drunk, now.reports),
                drunk_before=percent(then.drunk, then.reports),
                custody=now.custody,
                custody_before=then.custody,
            ),
            self.t(
                "lb.summary.findings",
                open=now.open_findings,
                open_before=then.open_findings,
                overdue=now.overdue_findings,
                overdue_before=then.overdue_findings,
                new=now.new_findings,
                fixed=now.fixed_findings,
                measures=len(picture.measures),
                red=sum(1 for m in picture.measures if m.light == "rod"),
            ),
        ]
        self.query_one("#lb-summary", Static).update(Text(printable("\n".join(lines))))

    def _row_cells(self, row: PlaceRow) -> list[Text]:
        name = row.name if len(row.name) <= NAME_WIDTH else row.name[: NAME_WIDTH - 1] + "…"
        delta = row.now.reports - row.before.reports
        return [
            Text(str(row.number), justify="right", style="bold" if row.point else "dim"),
            plain(name),
            Text(str(row.now.reports), justify="right"),
            Text(change(row.now.reports, row.before.reports), justify="right",
                 style="red" if delta > 0 else "green" if delta < 0 else "dim"),
            Text(str(row.now.open_findings), justify="right"),
            Text(str(row.now.overdue_findings), justify="right",
                 style="bold red" if row.now.overdue_findings else ""),
        ]  # fmt: skip

    def _show_hours(self, picture: Lagesbild) -> None:
        lang = self.lang
        text = Text()
        for label, hours in (
            (picture.period.label(lang), picture.hours),
            (picture.before.label(lang), picture.hours_before),
        ):
            text.append(self.t("lb.hours.title", period=label) + "\n", style="bold")
            text.append_text(hours_table(hours, [self.t(f"lb.day.{d}") for d in range(1, 8)]))
            busiest = sorted(
                ((hours[d][h], d, h) for d in range(7) for h in range(HOURS) if hours[d][h]),
                reverse=True,
            )[:3]
            if busiest:
                words = ", ".join(
                    f"{self.t(f'lb.day.{d + 1}')} {h:02d}–{(h + 1) % 24:02d} ({n})"
                    for n, d, h in busiest
                )
                text.append(self.t("lb.hours.busiest", hours=words) + "\n")
            text.append("\n")
        self.query_one("#lb-hours-table", Static).update(text)

    def _show_measures(self, picture: Lagesbild) -> None:
        table = self.query_one("#lb-measures", DataTable)
        table.clear()
        numbers = {r.key: str(r.number) for r in picture.places}
        for m in picture.measures:
            progress = m.progress
            done = (
                f"{progress.done}/{progress.expected}" if progress.expected else str(progress.done)
            )
            table.add_row(
                light_cell(m.light, self.lang),
                # (Shortened with "…", not cut mid-word unmarked; Enter opens it whole.)
                plain(short(m.activity, 40)),
                Text(done, style="bold red" if progress.behind else "", justify="right"),
                plain(",".join(numbers.get(k, "?") for k in m.places)),
                key=m.id,
            )

    def _show_detail(self, key: str | None) -> None:
        detail = self.query_one("#lb-detail", Static)
        picture = self.picture
        row = picture.place(key) if picture and key else None
        if row is None:
            detail.update(self.t("lb.empty") if picture and not picture.places else "")
            return
        self._current = row.key
        now, before = row.now, row.before
        text = Text()
        text.append(f"{row.number} ", style="bold")
        text.append_text(plain(row.name, style="bold"))
        text.append(
            " · "
            + self.t(
                "lb.detail",
                reports=now.reports,
                before=before.reports,
                drunk=now.drunk,
                custody=now.custody,
                open=now.open_findings,
                overdue=now.overdue_findings,
                measures=len(row.measures),
            )
        )
        if row.point is None:
            text.append(" · " + self.t("lb.no_coords"), style="italic")
        detail.update(text)

    # -- the list and the map follow each other ------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id != "lb-table":
            return
        key = event.row_key.value if event.row_key else None
        self.query_one(TerminalMap).select_key(key)
        self._show_detail(key)

    def on_terminal_map_highlighted(self, event: TerminalMap.Highlighted) -> None:
        table = self.query_one("#lb-table", DataTable)
        if event.key in table.rows:
            table.move_cursor(row=table.get_row_index(event.key))
        self._show_detail(event.key)

    def on_terminal_map_opened(self, event: TerminalMap.Opened) -> None:
        self.open_place(event.key)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value if event.row_key else None
        if event.data_table.id == "lb-table" and key:
            self.open_place(key)
        elif event.data_table.id == "lb-measures" and key:
            from screens.widgets.navigate import open_record

            open_record(self.app, self.trygg.store, "measure", key)

    def open_place(self, key: str) -> None:
        """Open the place screen of the ranked place ``key``."""
        row = self.picture.place(key) if self.picture else None
        if row is None:
            return
        ref = PlaceRef(row.place_ids[0] if row.place_ids else None, row.name, self.kommun)
        self.app.push_screen(PlaceScreen(ref))

    # -- actions -------------------------------------------------------------------

    def action_view(self, view: str) -> None:
        """Show ``view``; pressing its key again goes back to the places and the map."""
        self.view = VIEWS[0] if self.view == view else view
        self.query_one(ContentSwitcher).current = self.view
        focus = {"lb-places": "#lb-table", "lb-hours": "#lb-hours", "lb-measures": "#lb-measures"}
        self.query_one(focus[self.view]).focus()
        if self.view == VIEWS[0]:
            self._show_detail(row_under_cursor(self.query_one("#lb-table", DataTable)))
        else:
            self.query_one("#lb-detail", Static).update(Text(self.t("lb.back_to_map"), style="dim"))

    def action_shift(self, steps: int) -> None:
        assert self.period is not None
        self.period = self.period.shifted(steps)
        self.recount()

    def action_compare(self) -> None:
        self.compare = "year" if self.compare == "previous" else "previous"
        self.recount()

    def action_period(self) -> None:
        assert self.period is not None

        def typed(text: str | None) -> None:
            if not text:
                return
            try:
                self.period = read_period(text, self.today)
            except TryggError as error:
                self.app.notify(error.message(self.lang), severity="error", markup=False)
                return
            self.recount()

        self.app.push_screen(
            TextPrompt(self.t("lb.period_question"), placeholder=self.t("lb.period_hint")), typed
        )

    def action_kommun(self) -> None:
        def typed(text: str | None) -> None:
            if not text or not text.strip():
                return
            self.kommun = text.strip()
            self.recount()

        self.app.push_screen(TextPrompt(self.t("lb.kommun_question"), self.kommun or ""), typed)

    def action_search(self) -> None:
        search_place(self, self.kommun)

    def action_print(self) -> None:
        picture = self.picture
        if picture is None:
            return
        options = [(k, fmt, self.t(f"lb.format.{fmt}")) for k, fmt in
                   (("h", "html"), ("x", "xlsx"), ("m", "md"))]  # fmt: skip

        def chosen(fmt: str | None) -> None:
            if not fmt:
                return
            store = self.trygg.store
            try:
                written = write_lagesbild(
                    picture, output_folder(store), fmt=fmt, lang=self.lang, today=self.today
                )
            except TryggError as error:
                self.app.notify(error.message(self.lang), severity="error", markup=False)
                return
            self.notify_in_folder(
                self.t("lb.written", name=written.path.name), written.path.parent, timeout=15
            )

        self.app.push_screen(KeyChoiceModal(self.t("lb.print_question"), options), chosen)


def hours_table(hours: list[list[int]], days: list[str]) -> Text:
    """Weekday × hour as text: 24 columns of three characters, brighter where more
    happened, a dot for none; the hours' totals below, then each day's (75 columns)."""
    top = max((c for row in hours for c in row), default=0)
    text = Text("   " + "".join(f"{h:>3}" for h in range(HOURS)) + "\n", style="dim")
    for day, row in zip(days, hours, strict=True):
        text.append(f"{day[:3]:<3}")
        for count in row:
            text.append(f"{count:>3}" if count else "  ·", style=_heat(count, top))
        text.append("\n")
    totals = [sum(row[h] for row in hours) for h in range(HOURS)]
    text.append("Σ  ", style="bold")
    for total in totals:
        text.append(f"{total:>3}" if total else "  ·", style="bold" if total else "dim")
    text.append("\n")
    text.append(" · ".join(f"{day} {sum(row)}" for day, row in zip(days, hours, strict=True)))
    text.append("\n")
    text.no_wrap = True
    return text


def _heat(count: int, top: int) -> str:
    if not count or not top:
        return "dim"
    share = count / top
    return "bold reverse" if share > 0.66 else "bold" if share > 0.33 else ""
