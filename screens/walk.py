"""One safety walk: what it was, and its findings with their follow-up."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from db.records import choice_label
from db.textutil import printable
from db.walks import format_participants, participant_total
from screens.finding_list import FOLLOW_UP_BINDINGS, FindingsScreen
from screens.widgets.base import form_key
from screens.widgets.footer import Footer


class WalkScreen(FindingsScreen):
    """The walk's details above, its findings below; N adds findings in a row."""

    DEFAULT_CSS = """
    WalkScreen #walk-summary { height: auto; max-height: 5; margin: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "key.back", tooltip="key.back.tooltip", id="walk_back"),
        form_key(
            "n",
            "new_finding",
            "key.new_finding",
            tooltip="key.new_finding.tooltip",
            id="walk_new_finding",
        ),
        *FOLLOW_UP_BINDINGS,
        Binding(
            "l",
            "owner_lists",
            "key.owner_lists",
            tooltip="key.owner_lists.tooltip",
            id="walk_owner_lists",
        ),
        Binding(
            "p", "protocol", "key.protocol", tooltip="key.protocol.tooltip", id="walk_protocol"
        ),
        form_key("e", "edit_walk", "key.edit", tooltip="key.edit_walk.tooltip", id="walk_edit"),
    ]
    show_walk = False

    def __init__(self, walk_id: str) -> None:
        super().__init__()
        self.walk_id = walk_id
        self.status = "alla"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="walk-summary", markup=False)
        yield from self.findings_widgets()
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.t("app.title")
        self.start_findings()

    def reload(self, keep: str | None = None, *, filter_changed: bool = False) -> None:
        walk = self.trygg.store.get("walk", self.walk_id or "")
        if walk is None:  # deleted meanwhile (by a merge, say)
            self.app.pop_screen()
            return
        self._show_summary(walk)
        super().reload(keep, filter_changed=filter_changed)

    def _show_summary(self, walk: dict) -> None:
        lang = self.lang
        title = self.t("walk.title", area=walk["area"] or "", date=walk["date"] or "")
        self.sub_title = printable(title, single_line=True)
        times = "–".join(t for t in (walk.get("start_time"), walk.get("end_time")) if t)
        light = choice_label("walk", "light", walk["light"], lang) if walk.get("light") else ""
        parts = [walk.get("kommun"), walk.get("date"), times, light, walk.get("weather")]
        lines = [" · ".join(p for p in parts if p)]
        if walk.get("participants"):
            lines.append(
                self.t(
                    "walk.participants",
                    groups=format_participants(walk["participants"]),
                    total=participant_total(walk["participants"]),
                )
            )
        if walk.get("organiser"):
            lines.append(self.t("walk.organiser", organiser=walk["organiser"]))
        if walk.get("notes"):
            lines.append(" ".join(walk["notes"].split()))
        self.query_one("#walk-summary", Static).update(printable("\n".join(lines)))

    def action_new_finding(self) -> None:
        from screens.finding_form import FindingFormScreen

        self.app.push_screen(
            FindingFormScreen(self.walk_id or ""), lambda last: self.reload(keep=last)
        )

    def action_edit_walk(self) -> None:
        from screens.walk_form import WalkFormScreen

        self.app.push_screen(WalkFormScreen(self.walk_id), lambda _: self.reload())

    def action_owner_lists(self) -> None:
        from screens.walk_documents import OwnerListsModal

        self.app.push_screen(OwnerListsModal(walk_id=self.walk_id), lambda _: self.reload())

    def action_protocol(self) -> None:
        from screens.walk_documents import ProtocolModal

        self.app.push_screen(ProtocolModal(self.walk_id or ""))
