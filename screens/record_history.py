"""A record's change history (h on any list): each write newest first — when, which
device wrote it, and whether the change is proved its author's (issue 17: linked into its
origin's signed chain) or came in an older file that cannot prove it — then the fields
that write changed. Personal values are never shown here: the screen may be read over a
shoulder, and `trygg log --show-personal` is the deliberate way to see them."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from db.dates import moment_of_ms
from db.journal.clock import Stamp
from db.journal.markers import marker_text
from db.labels import short, value_text
from db.records import field_label
from db.store import JournalEntry, proved_writes
from db.textutil import printable
from screens.widgets.base import TryggModal


def history_text(entries: list[JournalEntry], translate: Callable[..., str], lang: str) -> Text:
    """The history as lines of plain text (user values never become markup);
    ``translate`` is the screen's catalogue lookup."""
    text = Text()
    proved = proved_writes(entries)
    heading: tuple[Stamp, str] | None = None
    for entry in entries:
        key = (entry.stamp, entry.record_id)
        if key != heading:
            heading = key
            if text:
                text.append("\n")
            when = moment_of_ms(entry.stamp.ms)
            who = printable(entry.device_name or entry.stamp.device[:8], single_line=True)
            text.append(f"{when} · {who} · ", style="bold")
            if proved[key]:
                text.append(translate("history.proved"), style="green")
            else:
                text.append(translate("history.unproved"), style="yellow")
            text.append("\n")
        marker = marker_text(entry.rtype, entry.field, entry.value, lang)
        if marker is not None:
            text.append("    " + marker + "\n")
            continue
        if entry.field.endswith("_id"):
            continue  # a link to another record (its id says nothing to a reader)
        label = field_label(entry.rtype, entry.field, lang)
        if entry.scope == "personal" and entry.value is not None:
            shown = translate("history.personal_hidden")
        else:
            shown = short(printable(value_text(entry.rtype, entry.field, entry.value, lang)), 60)
        text.append("    ")
        text.append(f"{label}:", style="dim")
        text.append(f" {shown}\n")
    return text


class RecordHistoryModal(TryggModal[None]):
    """The change history of one record, read through the store's journal API."""

    DEFAULT_CSS = """
    RecordHistoryModal { align: center middle; }
    RecordHistoryModal #history {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    RecordHistoryModal #history-lines { height: auto; max-height: 18; }
    RecordHistoryModal .hint { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "close", "key.back", tooltip="key.back.tooltip", id="history_close"),
        Binding("h", "close", show=False, id="history_close_h"),
    ]

    def __init__(self, title: str, entries: list[JournalEntry]) -> None:
        super().__init__()
        self._title = title
        self._entries = entries

    def compose(self) -> ComposeResult:
        with Vertical(id="history"):
            yield Static(
                printable(self.t("history.title", record=self._title), single_line=True),
                classes="section-title",
                markup=False,
            )
            with VerticalScroll(id="history-lines"):
                yield Static(history_text(self._entries, self.t, self.lang or "sv"),
                             id="history-text", markup=False)  # fmt: skip
            yield Static(self.t("history.keys"), classes="hint", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
