"""From a safety-walk finding to a measure: make a new measure from it (the remark
becomes the cause and the activity to start from), link it to a measure that exists, or
go to the measure it is linked to. The measure shows where it came from."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from db.errors import TryggError
from db.labels import short
from db.plans.plans import link_finding, measure_from_finding, plans_in_order
from screens.widgets.base import TryggScreen
from screens.widgets.dialogs import DialogModal, KeyChoiceModal


class MeasurePickModal(DialogModal[str | None]):
    """Every measure, plan by plan; dismisses with the chosen one's id."""

    DEFAULT_CSS = """
    MeasurePickModal .dialog { width: 90; }
    MeasurePickModal OptionList { height: auto; max-height: 20; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", tooltip="key.cancel.tooltip", id="pick_cancel"),
    ]

    def compose(self) -> ComposeResult:
        store = self.trygg.store
        plans = {p["id"]: p["title"] for p in plans_in_order(store, store.now().date())}
        measures = sorted(
            store.records("measure"),
            key=lambda m: (list(plans).index(m["plan_id"]) if m["plan_id"] in plans else 0,
                           m["id"]),
        )  # fmt: skip
        options = [
            Option(
                Text(f"{short(plans.get(m['plan_id'], ''), 30)} › {short(m['activity'], 50)}"),
                id=m["id"],
            )
            for m in measures
        ]
        with Vertical(classes="dialog"):
            yield Static(self.t("finding_measure.pick"), markup=False)
            yield OptionList(*options, id="pick-options")
            yield Static(self.t("move.keys"), classes="hint", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def finding_to_measure(screen: TryggScreen, finding_id: str, done: Callable[[], None]) -> None:
    """Ask what to do with the finding and the measures, then do it; ``done`` refreshes
    the screen afterwards."""
    from screens.measure_form import MeasureFormScreen

    store = screen.trygg.store
    finding = store.get("finding", finding_id) or {}
    plans = plans_in_order(store, store.now().date())
    if not plans:
        screen.app.notify(TryggError("plan.none").message(screen.lang), markup=False)
        return
    options = [(screen.t("finding_measure.key.new"), "new", screen.t("finding_measure.new"))]
    if store.count("measure"):
        options.append(
            (screen.t("finding_measure.key.link"), "link", screen.t("finding_measure.link"))
        )
    if finding.get("measure_id"):
        options.append(
            (screen.t("finding_measure.key.open"), "open", screen.t("finding_measure.open"))
        )

    def create_in(plan_id: str | None) -> None:
        if not plan_id:
            return
        try:
            defaults = measure_from_finding(store, finding_id)
        except TryggError as error:
            screen.app.notify(error.message(screen.lang), severity="error", markup=False)
            return
        screen.app.push_screen(MeasureFormScreen(plan_id, defaults=defaults), lambda _: done())

    def linked(measure_id: str | None) -> None:
        if not measure_id:
            return
        try:
            link_finding(store, finding_id, measure_id)
        except TryggError as error:
            screen.app.notify(error.message(screen.lang), severity="error", markup=False)
            return
        screen.app.notify(screen.t("finding_measure.linked"), markup=False)
        done()

    def chosen(what: str | None) -> None:
        if what == "new":
            if len(plans) == 1:
                create_in(plans[0]["id"])
                return
            numbered = [(str(i), p["id"], p["title"]) for i, p in enumerate(plans[:9], start=1)]
            screen.app.push_screen(
                KeyChoiceModal(screen.t("finding_measure.which_plan"), numbered), create_in
            )
        elif what == "link":
            screen.app.push_screen(MeasurePickModal(), linked)
        elif what == "open":
            from screens.plan import PlanScreen

            measure = store.get("measure", finding["measure_id"])
            if measure:
                screen.app.push_screen(PlanScreen(measure["plan_id"], focus=measure["id"]))

    screen.app.push_screen(KeyChoiceModal(screen.t("finding_measure.what"), options), chosen)
