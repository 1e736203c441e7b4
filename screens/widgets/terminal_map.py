"""A map in the terminal: numbered marks like the paper map, drawn from coordinates with
braille dots (no tiles, no network), a scale bar and north. Arrow keys move between marks
in the direction pressed, a digit jumps to that mark, Enter opens it.

Readable at 80×24: each mark is its number in bold on the cell where it lies (moved to
the nearest free cell when two would overlap, with a dot left at its true position);
the chosen mark is shown in reverse. Nothing here is user text: the map shows numbers,
and the names are in the list beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from db.coordinates import LatLon
from db.lagesbild.layout import Mark, format_metres, frame_for

#: Braille dot bits by (column 0–1, row 0–3) within a cell.
_DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
_BRAILLE = 0x2800
#: Where a label goes when its cell is taken, nearest first.
_NUDGES = ((0, 0), (1, 0), (-1, 0), (0, -1), (0, 1), (2, 0), (-2, 0), (1, -1), (1, 1),
           (-1, -1), (-1, 1), (3, 0), (-3, 0), (0, -2), (0, 2))  # fmt: skip


class TerminalMap(Widget, can_focus=True):
    """Numbered marks on a braille map; posts Highlighted and Opened with a mark's key."""

    DEFAULT_CSS = """
    TerminalMap { height: 1fr; width: 1fr; min-height: 6; border: round $primary 50%; }
    TerminalMap:focus { border: round $accent; }
    """
    BINDINGS = [
        Binding("left", "move(-1,0)", show=False),
        Binding("right", "move(1,0)", show=False),
        Binding("up", "move(0,-1)", show=False),
        Binding("down", "move(0,1)", show=False),
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
        Binding("enter", "open", show=False),
    ]

    selected: reactive[int | None] = reactive(None)

    class Highlighted(Message):
        """The mark ``key`` was chosen (by a key, or by the list beside the map)."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class Opened(Message):
        """Enter on the mark ``key``."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.marks: list[Mark] = []
        self.dots: list[LatLon] = []
        #: Cell of each mark's label as last drawn (for moving by direction).
        self._cells: dict[int, tuple[int, int]] = {}

    # -- what to show -------------------------------------------------------------------

    def show(
        self, marks: Sequence[Mark], dots: Sequence[LatLon] = (), keep: str | None = None
    ) -> None:
        """Draw ``marks`` (and faint ``dots``: known places where nothing happened);
        keep the mark ``keep`` chosen if it is among them."""
        self.marks = list(marks)
        self.dots = list(dots)
        keys = [m.key for m in self.marks]
        index = keys.index(keep) if keep in keys else (0 if keys else None)
        self.set_reactive(TerminalMap.selected, index)
        self.refresh()

    def select_key(self, key: str | None) -> None:
        """Choose the mark ``key`` without announcing it (the list beside chose it)."""
        keys = [m.key for m in self.marks]
        if key in keys:
            self.set_reactive(TerminalMap.selected, keys.index(key))
            self.refresh()

    @property
    def selected_key(self) -> str | None:
        if self.selected is None or not self.marks:
            return None
        return self.marks[self.selected].key

    def watch_selected(self, index: int | None) -> None:
        if index is not None and self.marks:
            self.post_message(self.Highlighted(self.marks[index].key))

    # -- keys -----------------------------------------------------------------------------

    def action_move(self, dx: int, dy: int) -> None:
        """To the nearest mark in the direction pressed (ahead counts, sideways costs)."""
        if not self.marks:
            return
        if self.selected is None:
            self.selected = 0
            return
        here = self._cells.get(self.selected)
        if here is None:
            return
        best: tuple[float, int] | None = None
        for index, (x, y) in self._cells.items():
            ahead = (x - here[0]) * dx + (y - here[1]) * dy * 2  # rows are twice as tall
            side = abs((x - here[0]) * dy) + abs((y - here[1]) * dx) * 2
            if index == self.selected or ahead <= 0:
                continue
            cost = ahead + 2 * side
            if best is None or cost < best[0]:
                best = (cost, index)
        if best is not None:
            self.selected = best[1]

    def action_first(self) -> None:
        if self.marks:
            self.selected = 0

    def action_last(self) -> None:
        if self.marks:
            self.selected = len(self.marks) - 1

    def action_open(self) -> None:
        key = self.selected_key
        if key is not None:
            self.post_message(self.Opened(key))

    def on_key(self, event: events.Key) -> None:
        character = event.character
        if character and character.isdigit() and character != "0":
            numbers = [m.number for m in self.marks]
            if int(character) in numbers:
                event.stop()
                self.selected = numbers.index(int(character))

    # -- drawing --------------------------------------------------------------------------

    def render(self) -> Text:
        width, height = self.content_size.width, self.content_size.height
        if width < 4 or height < 3 or not self.marks:
            return Text("")
        rows = height - 1  # the last line holds the scale and north
        frame = frame_for([m.point for m in self.marks], width * 2, rows * 4, margin=0.1)
        dots = [[0] * width for _ in range(rows)]

        def dot(point: LatLon) -> tuple[int, int] | None:
            x, y = frame.at(point)
            col, row = int(x), int(y)
            if not (0 <= col < width * 2 and 0 <= row < rows * 4):
                return None
            dots[row // 4][col // 2] |= _DOTS[row % 4][col % 2]
            return col // 2, row // 4

        for point in self.dots:
            dot(point)
        labels: dict[tuple[int, int], tuple[str, str]] = {}
        self._cells = {}
        order = sorted(range(len(self.marks)), key=lambda i: self.marks[i].number)
        for index in order:
            mark = self.marks[index]
            x, y = frame.at(mark.point)
            cell = (int(x) // 2, int(y) // 4)
            text = str(mark.number)
            placed = self._free(cell, len(text), labels, width, rows)
            if placed is None:
                continue
            if placed != cell:
                dot(mark.point)
            style = "bold reverse" if index == self.selected else "bold"
            for i, char in enumerate(text):
                labels[(placed[0] + i, placed[1])] = (char, style)
            self._cells[index] = placed
        lines = Text()
        for r in range(rows):
            for c in range(width):
                if (c, r) in labels:
                    char, style = labels[(c, r)]
                    lines.append(char, style=style)
                elif dots[r][c]:
                    lines.append(chr(_BRAILLE + dots[r][c]), style="dim")
                else:
                    lines.append(" ")
            lines.append("\n")
        metres, length = frame.scale(width * 2 / 3)
        cells = max(1, round(length / 2))
        bar = "└" + "─" * max(0, cells - 2) + "┘" if cells > 1 else "╵"
        scale = f"{bar} {format_metres(metres)}"
        lines.append(scale, style="dim")
        lines.append(" " * max(1, width - len(scale) - 3) + "N↑", style="dim")
        return lines

    @staticmethod
    def _free(
        cell: tuple[int, int],
        length: int,
        taken: dict[tuple[int, int], tuple[str, str]],
        width: int,
        rows: int,
    ) -> tuple[int, int] | None:
        for dx, dy in _NUDGES:
            x = min(max(cell[0] + dx, 0), width - length)
            y = min(max(cell[1] + dy, 0), rows - 1)
            span = [(x + i, y) for i in range(length)]
            # A gap of one cell either side keeps "1" and "2" from reading as "12".
            around = [(x - 1, y), (x + length, y)]
            if not any(p in taken for p in span + around):
                return x, y
        return None
