"""Uppföljning: the follow-up statistics of quick reports for a period, municipality and
place, side by side with the period before (or any period, for before/after a measure),
reports per month as a chart, and export without any personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer
from textual.content import Content
from textual.css.styles import RulesMap
from textual.timer import Timer
from textual.widgets import Header, Input, Label, Static

from db.errors import TryggError
from db.reports import free_path, output_folder
from db.reports import snabbrapport as tables
from db.snabbrapport.statistics import (
    Statistics,
    StatsFilter,
    checked_period,
    compared,
    month_of,
    previous_period,
    read_day,
)
from db.store import Store
from screens.widgets.base import TryggScreen
from screens.widgets.dialogs import KeyChoiceModal
from screens.widgets.footer import Footer
from screens.widgets.key_order import LineInput

#: The chart shows this many months, ending with the period's last month.
CHART_MONTHS = 12
#: "Räknar …" is shown only for a count that has not shown its figures this soon
#: (seconds): a quicker one goes from the old figures straight to the new, drawn once.
COUNTING_SAID_AFTER = 0.2


@dataclass(frozen=True)
class Figures:
    periods: list[Statistics]
    months: list[tuple[str, int]]


class ReportStatsScreen(TryggScreen):
    """Statistics of the quick reports; Enter in a field counts again."""

    DEFAULT_CSS = """
    ReportStatsScreen .filters { height: 1; margin: 0 1; }
    ReportStatsScreen .filters Label { margin: 0 1 0 0; }
    ReportStatsScreen .filters Input {
        border: none; height: 1; padding: 0 1; margin: 0 2 0 0; background: $boost;
    }
    /* A date's ten characters and the cursor after them: no right padding, or the
       field scrolls and hides the year's first digit. */
    ReportStatsScreen #stats-from, ReportStatsScreen #stats-to,
    ReportStatsScreen #stats-cmp-to { width: 12; padding: 0 0 0 1; }
    ReportStatsScreen #stats-cmp-from { width: 16; }
    ReportStatsScreen #stats-kommun, ReportStatsScreen #stats-place { width: 16; }
    ReportStatsScreen #stats-line { height: auto; margin: 0 1; }
    ReportStatsScreen #stats-body { height: 1fr; margin: 0 1; }
    ReportStatsScreen #stats-table, ReportStatsScreen #stats-chart { width: auto; }
    ReportStatsScreen #stats-chart { margin: 1 0 0 0; }
    """

    BINDINGS = [
        Binding("escape", "back", "key.back", tooltip="key.back.tooltip", id="stats_back"),
        Binding(
            "j", "toggle_compare", "key.compare", tooltip="key.compare.tooltip", id="stats_compare"
        ),
        Binding("m", "toggle_chart", "key.chart", tooltip="key.chart.tooltip", id="stats_chart"),
        Binding(
            "x", "export", "key.export_stats", tooltip="key.export_stats.tooltip", id="stats_export"
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.compare = True
        self.chart = True
        self.figures: Figures | None = None
        #: The text each block (the table, the chart) shows now.
        self._blocks: dict[str, str] = {}
        #: Says "Räknar …" if the count under way takes long (see COUNTING_SAID_AFTER).
        self._counting_note: Timer | None = None
        #: Whether a count is under way whose figures (or refusal) have not shown yet.
        self._counting = False
        #: Enter in a field: the cursor goes to the figures when they show (see
        #: on_input_submitted), the keys typed meanwhile held until then.
        self._to_figures = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="filters"):
            yield Label(self.t("filter.from"))
            yield LineInput(id="stats-from")
            yield Label(self.t("filter.to"))
            yield LineInput(id="stats-to")
            yield Label(self.t("filter.kommun"))
            yield LineInput(id="stats-kommun")
            yield Label(self.t("reports.filter.place"))
            yield LineInput(id="stats-place")
        with Horizontal(classes="filters"):
            yield Label(self.t("stats_screen.compare_from"))
            yield LineInput(id="stats-cmp-from", placeholder=self.t("stats_screen.compare_auto"))
            yield Label(self.t("filter.to"))
            yield LineInput(id="stats-cmp-to")
        yield Static(id="stats-line", markup=False)
        with ScrollableContainer(id="stats-body"):
            yield Static(id="stats-table", markup=False)
            yield Static(id="stats-chart", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.t("app.title")
        self.sub_title = self.t("stats_screen.title")
        month = month_of(self.today)
        self.query_one("#stats-from", Input).value = month.start.isoformat()
        self.query_one("#stats-to", Input).value = self.today.isoformat()
        self.recount()
        self.query_one("#stats-body").focus()

    @property
    def today(self) -> date:
        return self.trygg.store.now().date()

    # -- counting ------------------------------------------------------------------

    def _date(self, widget_id: str, label: str) -> date | None:
        text = self.query_one(f"#{widget_id}", Input).value.strip()
        return read_day(text, self.today, label, self.lang) if text else None

    def _periods(self) -> tuple[StatsFilter, StatsFilter | None]:
        start = self._date("stats-from", self.t("filter.from")) or month_of(self.today).start
        end = self._date("stats-to", self.t("filter.to")) or self.today
        kommun = self.query_one("#stats-kommun", Input).value.strip() or None
        place = self.query_one("#stats-place", Input).value.strip() or None
        wanted = checked_period(start, end, kommun, place)
        if not self.compare:
            return wanted, None
        cmp_start = self._date("stats-cmp-from", self.t("stats_screen.compare_from"))
        cmp_end = self._date("stats-cmp-to", self.t("filter.to"))
        if cmp_start is None and cmp_end is None:
            return wanted, previous_period(wanted)
        cmp_start = cmp_start or month_of(cmp_end or start).start
        cmp_end = cmp_end or month_of(cmp_start).end
        return wanted, checked_period(cmp_start, cmp_end, kommun, place)

    def recount(self) -> bool:
        """Count again for what the fields say (in a worker: 100,000 reports take a
        third of a second); False, with the reason on the line, when a field cannot be
        read."""
        try:
            wanted, other = self._periods()
        except TryggError as error:
            self._say(error.message(self.lang), error=True)
            return False
        if self._counting_note is not None:
            self._counting_note.stop()
        self._counting_note = self.set_timer(COUNTING_SAID_AFTER, self._say_counting)

        self._counting = True
        periods = [wanted] if other is None else [wanted, other]
        year_start = _months_back(wanted.end, CHART_MONTHS)
        chart = StatsFilter(year_start, wanted.end, wanted.kommun, wanted.place)

        def count(store: Store) -> Figures:
            return Figures(*compared(store, periods, chart))

        # Each screen's own newest count (one is built ahead while another is shown).
        self.trygg.in_thread(count, self._show, self._failed, exclusive=f"statistics:{id(self)}")
        return True

    @property
    def awaiting_results(self) -> bool:
        return self._counting

    def _say_counting(self) -> None:
        # A timer stopped after it fired still calls back: the figures shown meanwhile
        # (which clear the note) must not give way to "Räknar …".
        if self._counting_note is not None:
            self._go_to_figures()
            self._say(self.t("stats_screen.counting"))

    def _go_to_figures(self) -> None:
        """After Enter in a field: the cursor to the figures, and the keys held since
        given out there."""
        if self._to_figures:
            self._to_figures = False
            self.query_one("#stats-body").focus()
            self.trygg.release_keys()

    def _say(self, text: str, *, error: bool = False) -> None:
        """Show ``text`` on the line above the figures (``error``: as a refusal). Said
        after a count, the note of counting goes."""
        if self._counting_note is not None:
            self._counting_note.stop()
            self._counting_note = None
        line = self.query_one("#stats-line", Static)
        line.set_class(error, "form-error")
        _update_in_place(line, text)

    def _show(self, figures: Figures) -> None:
        if not self.is_mounted:
            return
        self.figures = figures
        self._counting = False
        self._go_to_figures()
        lang = self.lang or "sv"
        self._show_block(
            "stats-table",
            tables.as_screen(
                figures.periods,
                lang,
                # Narrow terminals shorten long answers rather than hide a period (or
                # scroll sideways: the scroll bar that came and went with a period's
                # name laid the screen out twice more).
                fit=self.size.width - 6,
            ),
        )
        self.query_one("#stats-chart", Static).display = self.chart
        self._show_block(
            "stats-chart",
            self.t("stats_screen.chart_title") + "\n" + tables.monthly_chart(figures.months),
        )
        first = figures.periods[0]
        self._say(
            self.t(
                "stats_screen.line",
                reports=first.reports,
                individuals=first.individuals,
                period=tables.period_label(first),
            )
        )

    def _show_block(self, widget_id: str, text: str) -> None:
        """Show ``text`` (lines that are never wrapped) in Static ``widget_id``, sized to
        it: a recount that changes nothing there leaves it as it is, and one that does is
        drawn once (sized to its text, it is not measured at each layout, which drew a
        block of a hundred lines over again at each change of focus). Text of the same
        size as before is drawn in place, without a layout: a layout moved the screen's
        widgets, whose scroll bars then asked for another, each drawing the screen."""
        if self._blocks.get(widget_id) == text:
            return
        before = self._blocks.get(widget_id)
        self._blocks[widget_id] = text
        block = self.query_one(f"#{widget_id}", Static)
        width, height = _size_of(text)
        if before is not None and _size_of(before) == (width, height):
            block.update(text, layout=False)
            return
        block.styles.width = width
        block.styles.height = height
        block.update(text)

    def on_unmount(self) -> None:
        # Keys held for the figures are never kept for a screen that is gone.
        if self._to_figures:
            self._to_figures = False
            self.trygg.release_keys()

    def _failed(self, error: TryggError) -> None:
        self._counting = False
        self._go_to_figures()
        self._say(error.message(self.lang), error=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        # A field that cannot be read keeps the cursor, to be put right (it went to the
        # figures, and what was typed next went nowhere). Otherwise the cursor goes to
        # the figures with them, drawn once (moved first, the key line changed and the
        # screen was laid out and drawn for it alone, then again for the figures); the
        # keys typed meanwhile wait and follow it there. A count that takes long moves
        # it when "Räknar …" is said.
        if self.recount():
            if not self._to_figures:
                self._to_figures = True
                self.trygg.hold_keys()

    # -- actions -------------------------------------------------------------------

    def action_toggle_compare(self) -> None:
        self.compare = not self.compare
        self.recount()

    def action_toggle_chart(self) -> None:
        self.chart = not self.chart
        self.query_one("#stats-chart").display = self.chart

    def action_export(self) -> None:
        figures = self.figures
        if figures is None:
            return
        options = [
            (key, fmt, self.t(f"stats_screen.format.{fmt}"))
            for key, fmt in (("x", "xlsx"), ("c", "csv"), ("m", "md"), ("t", "text"))
        ]

        def chosen(fmt: str | None) -> None:
            if not fmt or figures is None:
                return
            store = self.trygg.store
            first = figures.periods[0].filter
            stem = f"snabbrapporter-{first.start.isoformat()}-{first.end.isoformat()}"
            path = free_path(output_folder(store), stem, tables.SUFFIXES[fmt])
            try:
                written = tables.save(path, figures.periods, self.lang or "sv", fmt, figures.months)
            except TryggError as error:
                self.app.notify(error.message(self.lang), severity="error", markup=False)
                return
            self.notify_in_folder(self.t("stats_screen.written", name=written.name), written.parent)

        self.app.push_screen(
            KeyChoiceModal(self.t("stats_screen.export_question"), options), chosen
        )

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#stats-body").focus()
        else:
            self.app.pop_screen()


def _size_of(text: str) -> tuple[int, int]:
    """The width and height of ``text``'s lines (never wrapped)."""
    lines = text.split("\n")
    return max(cell_len(line) for line in lines), len(lines)


def _update_in_place(static: Static, text: str) -> None:
    """Show ``text`` in ``static``; without a layout when it takes as many lines as what
    it replaces (a layout moved the widgets below and drew the whole screen again)."""
    width, height = static.content_size
    # The widget's styles are the rules its text is measured with (as Textual does).
    rules = cast(RulesMap, static.styles)
    same = width > 0 and Content(text).get_height(rules, width) == height
    static.update(text, layout=not same)


def _months_back(end: date, months: int) -> date:
    """The first day of the month ``months - 1`` months before ``end``'s month."""
    index = end.year * 12 + end.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)
