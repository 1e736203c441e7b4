"""Moving a measure to another focus area, of its own plan or another: a list of every
plan's areas, the measure's own place marked; arrows and Enter, or Esc to leave it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from db.errors import TryggError
from db.labels import short
from db.plans.plans import move_measure, plans_in_order
from screens.widgets.dialogs import DialogModal


class MoveMeasureModal(DialogModal[bool]):
    """Dismisses with True when the measure was moved."""

    DEFAULT_CSS = """
    MoveMeasureModal .dialog { width: 80; }
    MoveMeasureModal OptionList { height: auto; max-height: 20; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", tooltip="key.cancel.tooltip", id="move_cancel"),
    ]

    def __init__(self, measure_id: str) -> None:
        super().__init__()
        self.measure_id = measure_id

    def compose(self) -> ComposeResult:
        store = self.trygg.store
        measure = store.get("measure", self.measure_id) or {}
        here = (measure.get("plan_id"), measure.get("focus_area_id"))
        options: list[Option] = []
        self._targets: dict[str, tuple[str, str | None]] = {}
        for plan in plans_in_order(store, store.now().date()):
            areas = store.records(
                "focus_area", where={"plan_id": plan["id"]}, order_by=("position",)
            )
            places = [(a["id"], a["name"]) for a in areas] + [(None, self.t("move.no_area"))]
            for area_id, name in places:
                key = f"{plan['id']}/{area_id or ''}"
                mark = "● " if (plan["id"], area_id) == here else "  "
                options.append(Option(Text(f"{mark}{short(plan['title'], 36)} › {name}"), id=key))
                self._targets[key] = (plan["id"], area_id)
        with Vertical(classes="dialog"):
            yield Static(
                self.t("move.title", name=short(measure.get("activity", ""), 60)),
                markup=False,
            )
            yield OptionList(*options, id="move-options")
            yield Static(self.t("move.keys"), classes="hint", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        plan_id, area_id = self._targets[event.option.id or ""]
        try:
            move_measure(self.trygg.store, self.measure_id, plan_id=plan_id, focus_area_id=area_id)
        except TryggError as error:
            self.app.notify(error.message(self.lang), severity="error", markup=False)
            return
        self.app.notify(self.t("move.done"), markup=False)
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
