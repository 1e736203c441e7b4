"""New or changed measure (åtgärd): every field of the handbook's template — focus area,
cause with its number, the activity, the operational goal with gentle SMART hints, kind of
goal, when (a rhythm in plain words, a due date, a period), who and with whom, citizen
promise, status. A measure made from a safety-walk finding says so at the top."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from db.dates import parse_date
from db.errors import FieldProblem, TryggError, ValidationFailed
from db.i18n import msg
from db.plans.plans import link_finding, origin
from db.plans.rhythm import describe, parse_rhythm
from db.plans.smart import smart_hints
from db.records import GOAL_KINDS, MEASURE_STATUS
from screens.widgets.choices import ChoiceLine, YesNoLine, numbered_options
from screens.widgets.forms import FormInput, FormModal, FormTextArea

WIDGETS = {
    "focus_area_id": "measure-area",
    "cause_nr": "measure-cause-nr",
    "cause": "measure-cause",
    "activity": "measure-activity",
    "goal": "measure-goal",
    "goal_kind": "measure-kind",
    "rrule": "measure-rhythm",
    "due_date": "measure-due",
    "start_date": "measure-start",
    "end_date": "measure-end",
    "one_off": "measure-one-off",
    "responsible": "measure-responsible",
    "partners": "measure-partners",
    "citizen_promise": "measure-promise",
    "status": "measure-status",
}
_DATES = ("due_date", "start_date", "end_date")


class MeasureFormScreen(FormModal):
    """Dismisses with the measure's id once saved. ``defaults`` prefill a new measure
    (from a finding: its ``finding_id`` is linked both ways on save)."""

    FIELD_WIDGETS = WIDGETS
    AUTO_FOCUS = "#measure-activity"

    def __init__(
        self,
        plan_id: str,
        measure_id: str | None = None,
        *,
        area_id: str | None = None,
        defaults: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.measure_id = measure_id
        self._area_id = area_id
        self._defaults = defaults or {}

    def compose(self) -> ComposeResult:
        store = self.trygg.store
        lang = self.lang
        self.seen = store.get("measure", self.measure_id) if self.measure_id else None
        measure = self.seen or {
            "focus_area_id": self._area_id,
            "status": "planerad",
            **self._defaults,
        }
        self._measure = measure
        self._areas = {
            a["id"]: a["name"]
            for a in store.records(
                "focus_area", where={"plan_id": self.plan_id}, order_by=("position",)
            )
        }
        value = measure.get
        rhythm = describe(value("rrule"), value("target_count"), lang) if value("rrule") else ""
        with VerticalScroll(classes="form", can_focus=False):
            yield Static(
                self.t("measure_form.edit" if self.measure_id else "measure_form.new"),
                classes="section-title",
            )
            came = origin(store, measure)
            if came:
                yield Static(self._origin_text(came), classes="hint", markup=False)
            yield self.row(
                self.t("measure_form.area"),
                FormInput(
                    self._areas.get(value("focus_area_id") or "", ""),
                    id="measure-area",
                    placeholder=self.t("measure_form.area.placeholder"),
                    suggester=SuggestFromList(list(self._areas.values()), case_sensitive=False),
                ),
            )
            yield self.row(
                self.t("measure_form.cause_nr"),
                FormInput(str(value("cause_nr") or ""), id="measure-cause-nr"),
            )
            yield self.row(
                self.t("measure_form.cause"), FormTextArea(value("cause") or "", id="measure-cause")
            )
            yield self.row(
                self.t("measure_form.activity"),
                FormTextArea(value("activity") or "", id="measure-activity"),
            )
            yield self.row(
                self.t("measure_form.goal"), FormTextArea(value("goal") or "", id="measure-goal")
            )
            yield Static(id="measure-smart", classes="hint", markup=False)
            yield self.row(
                self.t("measure_form.kind"),
                ChoiceLine(
                    numbered_options("measure", "goal_kind", GOAL_KINDS, lang),
                    value("goal_kind"),
                    id="measure-kind",
                ),
            )
            yield self.row(
                self.t("measure_form.rhythm"),
                FormInput(
                    rhythm,
                    id="measure-rhythm",
                    placeholder=self.t("measure_form.rhythm.placeholder"),
                ),
            )
            yield Static(id="measure-rhythm-said", classes="hint", markup=False)
            for name, key in (("due_date", "due"), ("start_date", "start"), ("end_date", "end")):
                yield self.row(
                    self.t(f"measure_form.{key}"),
                    FormInput(
                        value(name) or "",
                        id=WIDGETS[name],
                        placeholder=self.t("plan_form.date.placeholder"),
                    ),
                )
            yield self.row(
                self.t("measure_form.one_off"),
                self.yes_no(bool(value("one_off")), id="measure-one-off"),
            )
            yield Static(self.t("measure_form.one_off.hint"), classes="hint", markup=False)
            yield self.row(
                self.t("measure_form.responsible"),
                FormInput(
                    value("responsible") or "",
                    id="measure-responsible",
                    placeholder=self.t("measure_form.responsible.placeholder"),
                ),
            )
            yield self.row(
                self.t("measure_form.partners"),
                FormInput(value("partners") or "", id="measure-partners"),
            )
            yield self.row(
                self.t("measure_form.promise"),
                self.yes_no(bool(value("citizen_promise")), id="measure-promise"),
            )
            yield Static(self.t("measure_form.promise.hint"), classes="hint", markup=False)
            yield self.row(
                self.t("measure_form.status"),
                ChoiceLine(
                    numbered_options("measure", "status", MEASURE_STATUS, lang),
                    value("status"),
                    id="measure-status",
                ),
            )
            yield from self.form_footer(self.t("form.keys"))

    def on_mount(self) -> None:
        super().on_mount()
        self._show_smart()
        self._show_rhythm()
        self.remember_initial()

    def _origin_text(self, came: Any) -> str:
        return self.t(
            "measure_form.origin",
            area=came.walk_area or "–",
            date=came.walk_date or "–",
            nr=came.nr or "–",
            remark=came.remark,
        )

    # -- live hints ------------------------------------------------------------------

    def _show_smart(self) -> None:
        goal = self.query_one("#measure-goal", FormTextArea).text
        hints = [msg(key, self.lang) for key in smart_hints(goal)]
        self.query_one("#measure-smart", Static).update("\n".join(f"⚑ {hint}" for hint in hints))

    def _show_rhythm(self) -> None:
        text = self.query_one("#measure-rhythm", Input).value
        said = self.query_one("#measure-rhythm-said", Static)
        if not text.strip():
            said.update(self.t("measure_form.rhythm.none"))
            return
        try:
            rhythm = parse_rhythm(text)
        except TryggError as error:
            said.update(f"✗ {error.message(self.lang)}")
            return
        said.update(f"✓ {describe(rhythm.rule, rhythm.times, self.lang)}")

    def on_text_area_changed(self, event: FormTextArea.Changed) -> None:
        if event.text_area.id == "measure-goal":
            self._show_smart()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "measure-rhythm":
            self._show_rhythm()

    def draft_base(self) -> str:
        if self.measure_id:
            return f"measure:{self.measure_id}"
        return f"measure:new:{self.plan_id}"

    def draft_restored(self) -> None:
        self._show_smart()
        self._show_rhythm()

    # -- saving ----------------------------------------------------------------------

    def _values(self) -> dict[str, Any]:
        store = self.trygg.store
        today = store.now().date()
        problems: list[FieldProblem] = []

        def text(name: str) -> str:
            return self.query_one(f"#{WIDGETS[name]}", Input).value.strip()

        values: dict[str, Any] = {
            name: self.query_one(f"#{WIDGETS[name]}", FormTextArea).text
            for name in ("cause", "activity", "goal")
        }
        values["responsible"] = text("responsible")
        values["partners"] = text("partners")
        values["cause_nr"] = text("cause_nr") or None
        values["one_off"] = self.query_one("#measure-one-off", YesNoLine).checked
        values["citizen_promise"] = self.query_one("#measure-promise", YesNoLine).checked
        values["goal_kind"] = self.query_one("#measure-kind", ChoiceLine).value
        values["status"] = self.query_one("#measure-status", ChoiceLine).value
        for name in _DATES:
            try:
                values[name] = parse_date(text(name), today).isoformat() if text(name) else None
            except TryggError as error:
                problems.append(FieldProblem(name, error.key, error.params))
        rhythm_text = text("rrule")
        if rhythm_text:
            try:
                rhythm = parse_rhythm(rhythm_text)
                values["rrule"], values["target_count"] = rhythm.rule, rhythm.times
            except TryggError as error:
                problems.append(FieldProblem("rrule", error.key, error.params))
        else:
            values["rrule"] = None
        if problems:
            raise ValidationFailed("measure", problems)
        return values

    def _area_named(self, name: str) -> str | None:
        """The area named ``name`` in the plan, created when new (typing a new area's
        name is how one starts it from the form)."""
        wanted = " ".join(name.split())
        if not wanted:
            return None
        for area_id, area_name in self._areas.items():
            if area_name.casefold() == wanted.casefold():
                return area_id
        return self.trygg.store.create(
            "focus_area",
            {"plan_id": self.plan_id, "name": wanted, "position": len(self._areas) + 1},
        )

    def action_save(self) -> None:
        store = self.trygg.store
        try:
            values = self._values()
            with store.transaction():
                values["focus_area_id"] = self._area_named(
                    self.query_one("#measure-area", Input).value
                )
                if self.measure_id:
                    store.update("measure", self.measure_id, values, seen=self.seen)
                    measure_id = self.measure_id
                else:
                    values["plan_id"] = self.plan_id
                    finding = self._defaults.get("finding_id")
                    if finding:
                        values["finding_id"] = finding
                    measure_id = store.create("measure", values)
                    if finding:
                        link_finding(store, finding, measure_id)
        except TryggError as error:
            self.show_error(error)
            return
        self.app.notify(self.t("measure_form.saved"), markup=False)
        self.saved(measure_id)
