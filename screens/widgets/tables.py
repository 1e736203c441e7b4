"""Tables shared by the list screens: columns fitted to the terminal's width (the ones that
matter for the list's job first, the rest to a detail line under the table for the row
under the cursor), long text ellipsised rather than cut mid-word, a table paged from the
database, and the row under the cursor."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import DataTable, Static

from db.store import Store
from screens.widgets.base import TryggAppLike

#: A cell: Text (user text already made plain) or a string of our own.
Cell = Text | str


@dataclass(frozen=True)
class Col:
    """One column of a fitted table.

    ``width`` fixes the width of values that have one (dates, counts); without it the
    column is flexible and shares the room left, between ``min`` and its longest value
    (at most ``max``). A column with ``drop`` > 0 gives way, highest first, when the
    terminal is too narrow for every column: its value moves to the detail line. The
    header is never cut: a column is at least as wide as its label."""

    key: str
    label: str
    width: int | None = None
    min: int = 6
    max: int = 60
    drop: int = 0
    justify: str = "left"

    @property
    def label_width(self) -> int:
        return cell_len(self.label)


#: A row for a PagedTable: its key and its cells by column key.
Row = tuple[str, Mapping[str, Cell]]


def fit_columns(
    columns: Sequence[Col], natural: Mapping[str, int], room: int, padding: int = 1
) -> dict[str, int]:
    """The columns shown in ``room`` cells and their widths (by key, in order): a column
    that gives way leaves (highest ``drop`` first) until the rest fit at their narrowest;
    flexible columns then share what is left, each up to its ``natural`` (longest) width."""
    shown = list(columns)

    def narrowest(col: Col) -> int:
        if col.width is not None:
            return max(col.width, col.label_width)
        return max(col.min, col.label_width)

    def needed(cols: list[Col]) -> int:
        return sum(narrowest(c) + 2 * padding for c in cols)

    while needed(shown) > room:
        droppable = [c for c in shown if c.drop > 0]
        if not droppable:
            break
        shown.remove(max(droppable, key=lambda c: (c.drop, shown.index(c))))
    widths = {c.key: narrowest(c) for c in shown}
    spare = room - needed(shown)
    flexible = [c for c in shown if c.width is None]
    # Hand the spare room to the columns that want least first: a value a little too
    # long for its column is shown whole, and the long ones share what remains.
    wants = {
        c.key: max(widths[c.key], min(c.max, natural.get(c.key, 0))) - widths[c.key]
        for c in flexible
    }
    for key in sorted(wants, key=lambda k: wants[k]):
        give = max(0, min(wants[key], spare))
        widths[key] += give
        spare -= give
    return {c.key: widths[c.key] for c in shown}


class RowDetail(Static):
    """The line under a fitted table: what the row under the cursor holds beyond the
    columns shown (hidden while there is nothing more to say)."""

    DEFAULT_CSS = """
    RowDetail { height: auto; max-height: 5; margin: 0 1; color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.display = False


class FittedTable(DataTable[Any]):
    """A DataTable whose columns fit its width, refitted when the terminal changes size.
    Rows are given whole (every column's cell); the table shows the columns that fit and
    keeps the rest for ``detail``, and a Static set as ``detail_widget`` shows them for
    the row under the cursor (with the full text of any cell shown shortened)."""

    DEFAULT_CSS = """
    FittedTable { width: 100%; height: 1fr; scrollbar-size-vertical: 1; }
    """

    def __init__(
        self,
        *,
        id: str | None = None,
        zebra_stripes: bool = True,
        show_header: bool = True,
        cursor_type: Literal["cell", "row", "column", "none"] = "row",
        show_cursor: bool = True,
    ) -> None:
        super().__init__(
            id=id,
            cursor_type=cursor_type,
            zebra_stripes=zebra_stripes,
            show_header=show_header,
            show_cursor=show_cursor,
        )
        self.specs: list[Col] = []
        self.records: dict[str, dict[str, Text]] = {}
        self.shown: dict[str, int] = {}
        self.detail_widget: RowDetail | None = None
        self._fitted_room = 0
        #: True while the rows are put back after a refit (the cursor moves meanwhile).
        self.rebuilding = False
        #: The detail line's widget and the text last shown in it.
        self._detail_shown: tuple[Static, Text] | None = None
        #: True while rows are added in a batch: each added row moves the cursor, and
        #: the detail line is shown once, after the batch, not once per row.
        self.adding = False

    # -- columns and rows ----------------------------------------------------------------

    def set_columns(self, columns: Sequence[Col]) -> None:
        """The table's columns, most important first among those that may give way."""
        self.specs = list(columns)
        self.refit(force=True)

    def add_record(self, key: str, cells: Mapping[str, Cell]) -> None:
        """Add a row: its cells by column key (those not shown go to the detail line)."""
        record = {c.key: _cell(cells.get(c.key, ""), c.justify) for c in self.specs}
        self.records[key] = record
        self.add_row(*(record[k] for k in self.shown), key=key)

    def update_record(self, key: str, column: str, cell: Cell) -> None:
        """Change one cell of a row."""
        spec = next(c for c in self.specs if c.key == column)
        self.records[key][column] = _cell(cell, spec.justify)
        if column in self.shown:
            self.update_cell(key, column, self.records[key][column])
        self.show_detail()

    def clear_records(self) -> None:
        """Remove every row, keeping the columns."""
        self.records.clear()
        self.clear()

    def record(self, key: str) -> dict[str, str]:
        """A row's text by column key, shown or not."""
        return {k: v.plain for k, v in self.records[key].items()}

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor, or None for an empty table."""
        return row_under_cursor(self)

    # -- fitting -------------------------------------------------------------------------

    def room(self) -> int:
        """The cells the columns may take: the table's width without its scroll bar."""
        width = self.size.width or self.app.size.width
        return max(width - self.styles.scrollbar_size_vertical, 10)

    def natural_widths(self) -> dict[str, int]:
        """The longest value of each column among the rows held."""
        widths = {c.key: c.label_width for c in self.specs}
        for record in self.records.values():
            for key, cell in record.items():
                widths[key] = max(widths[key], cell.cell_len)
        return widths

    def refit(self, *, force: bool = False) -> None:
        """Choose the columns and widths for the current width; rebuild the table only
        when something changed."""
        if not self.specs:
            return
        shown = fit_columns(self.specs, self.natural_widths(), self.room(), self.cell_padding)
        if not force and shown == self.shown:
            return
        self._fitted_room = self.room()
        keep = self.current_key
        row = self.cursor_row
        self.shown = shown
        self.rebuilding = True
        try:
            self.clear(columns=True)
            for key, width in shown.items():
                label = next(c.label for c in self.specs if c.key == key)
                self.add_column(Text(label), width=width, key=key)
            for key, record in self.records.items():
                self.add_row(*(record[k] for k in shown), key=key)
            if keep is not None and keep in self.rows:
                self.move_cursor(row=self.get_row_index(keep))
            elif self.row_count:
                self.move_cursor(row=min(row, self.row_count - 1))
        finally:
            self.rebuilding = False
        self.show_detail()

    def rows_changed(self) -> None:
        """After adding rows: widen flexible columns that now have longer values."""
        self.refit()

    def on_resize(self, event: events.Resize) -> None:
        # DataTable's own handler runs too (Textual calls each class's handler).
        if self.room() != self._fitted_room:
            self.refit()

    # -- the detail line -----------------------------------------------------------------

    def detail(self, key: str | None = None) -> Text:
        """For row ``key`` (the one under the cursor by default): every column not shown,
        and the full text of every cell shown shortened, as "Label value · …"."""
        key = key if key is not None else self.current_key
        text = Text()
        if key is None or key not in self.records:
            return text
        record = self.records[key]
        hidden: list[tuple[str, Text]] = []
        shortened: list[tuple[str, Text]] = []
        for col in self.specs:
            cell = record[col.key]
            if not cell.plain.strip():
                continue
            if col.key not in self.shown:
                hidden.append((col.label, cell))
            elif cell.cell_len > self.shown[col.key]:
                shortened.append((col.label, cell))
        # What is not shown at all first: it has nowhere else to be read.
        parts = hidden + shortened
        for i, (label, cell) in enumerate(parts):
            if i:
                text.append("  ·  ", style="dim")
            text.append(f"{label} ", style="bold")
            value = cell.copy()
            value.justify = None
            value.overflow = "fold"
            text.append_text(value)
        return text

    def show_detail(self) -> None:
        """Show the detail of the row under the cursor in ``detail_widget``."""
        if self.detail_widget is None:
            return
        text = self.detail(self.current_key)
        shown = self._detail_shown
        # The same detail again (a search that kept the row under the cursor) is left
        # as it is: updated, it laid the screen out once more.
        if shown is not None and shown[0] is self.detail_widget and _same_text(shown[1], text):
            return
        self._detail_shown = (self.detail_widget, text)
        self.detail_widget.update(text)
        self.detail_widget.display = bool(text.plain)

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)
        if not self.adding and not self.rebuilding:  # both show it once when done
            self.show_detail()


class PagedTable(FittedTable):
    """A fitted table that loads its rows from the database a page at a time, as the
    cursor nears the end of what is loaded, so a list of 100,000 records opens at once.
    The count of all matching rows is made in a worker (``Counted`` says when it is
    known); only the newest count shows."""

    #: The fewest rows one load reads; a page is two terminal heights (what a screen
    #: shows, and a screen more to move into): each row is Python work for the table,
    #: so a page of a hundred made every change of filter cost twice a screen's worth.
    PAGE = 40
    #: The most rows one reload loads to keep the cursor on the row it was on.
    KEEP_WITHIN = 2000

    class Counted(Message):
        """The number of matching rows is known (``table.total_rows``)."""

        def __init__(self, table: PagedTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> PagedTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._fetch: Callable[[int, int], list[Row]] | None = None
        self._counter: Callable[[], Callable[[Store], int]] | None = None
        #: The number of matching rows, or None while it is being counted.
        self.total_rows: int | None = None
        self._loaded = 0
        self._exhausted = False
        self._loading = False

    @property
    def page(self) -> int:
        """How many rows one load reads."""
        return max(self.PAGE, 2 * self.app.size.height)

    def set_source(
        self,
        fetch: Callable[[int, int], list[Row]],
        counter: Callable[[], Callable[[Store], int]],
    ) -> None:
        """Where rows come from: ``fetch(offset, limit)`` on the screen's store; and
        ``counter()``, which gives the count for what is shown now as a job to run in a
        worker with a store of its own (so it captures the filter, not the screen)."""
        self._fetch, self._counter = fetch, counter

    def reload(self, *, keep: str | None = None, filter_changed: bool = False) -> None:
        """Load the rows again in one query and count them in a worker. The cursor stays
        on row ``keep`` if it still matches: after an edit, the rows loaded so far are
        read again in that one query; after a change of filter only the first page is,
        and the cursor goes to the top when the row is not on it."""
        if self._fetch is None or self._counter is None:
            return
        old = self.cursor_row
        wanted = (
            self.page if filter_changed else min(max(self._loaded, self.page), self.KEEP_WITHIN)
        )
        rows = self._fetch(0, wanted)
        # Clearing and moving the cursor must not ask for the next page meanwhile, nor
        # show the detail line of each row it passes.
        self._loading = self.adding = True
        try:
            if self._holds(rows):
                # The rows shown are the rows read (a word typed further that every row
                # on the page still matches): replacing them would only lay out and draw
                # the same table again, most of a keystroke's time at 100,000 records.
                self._exhausted = len(rows) < wanted
            else:
                self.clear_records()
                self._loaded = 0
                self._add(rows, wanted)
            if keep and keep in self.rows:
                self.move_cursor(row=self.get_row_index(keep))
            elif self.row_count:
                self.move_cursor(row=0 if filter_changed else min(old, self.row_count - 1))
        finally:
            self._loading = self.adding = False
        self.show_detail()
        self.total_rows = None

        def counted(total: int) -> None:
            if self.is_mounted:
                self.total_rows = total
                self.post_message(self.Counted(self))

        trygg = cast(TryggAppLike, self.app)
        trygg.in_thread(self._counter(), counted, exclusive=f"count:{id(self)}")

    def _load(self, limit: int) -> int:
        """Read and add the next ``limit`` rows."""
        assert self._fetch is not None
        rows = self._fetch(self._loaded, limit)
        self._add(rows, limit)
        return len(rows)

    def _add(self, rows: list[Row], limit: int) -> None:
        """Add ``rows``, read as the next ``limit`` rows."""
        # Adding rows moves the cursor, which would ask for the next page meanwhile.
        loading, self._loading = self._loading, True
        adding, self.adding = self.adding, True
        try:
            for key, cells in rows:
                if key not in self.rows:  # a record written meanwhile may shift a page
                    self.add_record(key, cells)
            self._loaded += len(rows)
            self._exhausted = len(rows) < limit
            self.rows_changed()
        finally:
            self._loading = loading
            self.adding = adding

    def _holds(self, rows: list[Row]) -> bool:
        """Whether the table holds exactly ``rows``, in order, every cell the same."""
        if len(rows) != len(self.records) or self._loaded != len(rows):
            return False
        for (key, cells), (held_key, held) in zip(rows, self.records.items(), strict=True):
            if key != held_key:
                return False
            for spec in self.specs:
                cell = _cell(cells.get(spec.key, ""), spec.justify)
                if not _same_text(cell, held[spec.key]):
                    return False
        return True

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)
        if self._loading or self.rebuilding or self._fetch is None:
            return
        if new.row >= self.row_count - 10 and not self._exhausted:
            self._load(self.page)


def _cell(value: Cell, justify: str) -> Text:
    """A cell as one line of Text, ellipsised when its column is narrower."""
    text = value.copy() if isinstance(value, Text) else Text(value)
    text.no_wrap = True
    text.overflow = "ellipsis"
    if justify != "left":
        text.justify = justify  # type: ignore[assignment]
    return text


def _same_text(a: Text, b: Text) -> bool:
    """Whether two cells look the same (Text's own == ignores the style)."""
    return (
        a.plain == b.plain
        and a.style == b.style
        and a.spans == b.spans
        and a.justify == b.justify
        and a.overflow == b.overflow
    )


def row_under_cursor(table: DataTable[Any]) -> str | None:
    """The key of ``table``'s row under the cursor, or None for an empty table."""
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
