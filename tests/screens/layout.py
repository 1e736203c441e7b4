"""Reading what a screen shows, for the layout tests: the text on the terminal, and every
column header, field label and placeholder that is cut."""

from __future__ import annotations

import io
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from textual.app import App
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, DataTable, Input, Label, RadioButton


def screen_lines(app: App[Any]) -> list[str]:
    """The terminal's lines as the user sees them (dialogs over the screens below)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    return console.export_text(styles=False).splitlines()


def cut_texts(screen: Screen[Any]) -> list[str]:
    """What is cut on ``screen`` as it is drawn now, one sentence each: a table column
    whose header is narrower than its label or lies (partly) off the table's visible
    width, a label (field label, check box, radio button, button) narrower than its
    text or running past the edge of what holds it, and an empty field whose
    placeholder does not fit. Widgets scrolled out of view vertically are not counted
    (forms scroll with the focused field); cut sideways, they are."""
    problems: list[str] = []
    visible = screen._compositor.visible_widgets
    for widget, (region, clip) in visible.items():
        if not widget.display or region.width == 0 or region.height == 0:
            continue
        name = _name(widget)
        if isinstance(widget, DataTable):
            problems += _cut_headers(widget, name)
            continue
        text = _label_text(widget)
        if text is None:
            continue
        if region.x < clip.x or region.right > clip.right:
            problems.append(f"{name}: {text!r} runs past the edge ({region} in {clip})")
            continue
        room = widget.content_region.width
        if cell_len(text) > room:
            problems.append(f"{name}: {text!r} needs {cell_len(text)} cells, has {room}")
    return problems


def _cut_headers(table: DataTable[Any], name: str) -> list[str]:
    if not table.show_header:
        return []
    problems = []
    room = table.scrollable_content_region.width
    x = 0
    for column in table.ordered_columns:
        width = column.get_render_width(table)
        label = column.label.plain
        inner = width - 2 * table.cell_padding
        if cell_len(label) > inner:
            problems.append(f"{name}: header {label!r} needs {cell_len(label)}, has {inner}")
        elif x + width > room + table.scroll_x and x < room + table.scroll_x:
            problems.append(f"{name}: header {label!r} is cut at the table's edge")
        elif x >= room + table.scroll_x:
            problems.append(f"{name}: header {label!r} lies off screen")
        x += width
    return problems


def _label_text(widget: Widget) -> str | None:
    """The one-line text a widget is labelled with, or None for widgets that hold prose
    (which may wrap) or nothing to read."""
    if isinstance(widget, Input):
        return widget.placeholder or None if not widget.value else None
    if isinstance(widget, (Checkbox, RadioButton)):
        return str(widget.label.plain) or None
    if isinstance(widget, (Label, Button)):
        text = str(widget.render())
        return text.strip() or None
    return None


def _name(widget: Widget) -> str:
    return f"{type(widget).__name__}#{widget.id}" if widget.id else type(widget).__name__
