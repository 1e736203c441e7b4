"""Tables shared by the list screens: a table paged from the database, and the row under
the cursor."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

#: A row for a PagedTable: its key and its cells (already Text or plain strings).
Row = tuple[str, Sequence[Text | str]]


class PagedTable(DataTable[Any]):
    """A table that loads its rows from the database a page at a time, as the cursor
    nears the end of what is loaded, so a list of 100,000 records opens at once."""

    DEFAULT_CSS = """
    PagedTable { height: 1fr; }
    """
    PAGE = 100

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._fetch: Callable[[int, int], list[Row]] | None = None
        self._total: Callable[[], int] | None = None
        self.total_rows = 0
        self._loaded = 0
        self._loading = False

    def set_source(self, fetch: Callable[[int, int], list[Row]], total: Callable[[], int]) -> None:
        """Where rows come from: ``fetch(offset, limit)`` and ``total()``."""
        self._fetch, self._total = fetch, total

    def reload(self, *, keep: str | None = None) -> None:
        """Load the first page again, keeping the cursor on row ``keep`` if it is loaded
        (or on the same position)."""
        if self._fetch is None or self._total is None:
            return
        old = self.cursor_row
        self.clear()
        self._loaded = 0
        self.total_rows = self._total()
        self._load_page()
        while keep and keep not in self.rows and self._loaded < min(self.total_rows, 2000):
            if not self._load_page():
                break
        if keep and keep in self.rows:
            self.move_cursor(row=self.get_row_index(keep))
        elif self.row_count:
            self.move_cursor(row=min(old, self.row_count - 1))

    def _load_page(self) -> int:
        assert self._fetch is not None
        # Adding rows moves the cursor, which would ask for the next page meanwhile.
        self._loading = True
        try:
            rows = self._fetch(self._loaded, self.PAGE)
            for key, cells in rows:
                if key not in self.rows:  # a record written meanwhile may shift a page
                    self.add_row(*cells, key=key)
            self._loaded += len(rows)
        finally:
            self._loading = False
        return len(rows)

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)
        if self._loading:
            return
        if new.row >= self.row_count - 10 and self._loaded < self.total_rows:
            self._load_page()

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor, or None for an empty table."""
        return row_under_cursor(self)


def row_under_cursor(table: DataTable[Any]) -> str | None:
    """The key of ``table``'s row under the cursor, or None for an empty table."""
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
