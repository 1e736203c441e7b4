"""New or changed action plan: the heading (the overall goal), municipalities, period,
the agreement it rests on, and how often it is followed up."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from db.dates import parse_date
from db.errors import FieldProblem, TryggError, ValidationFailed
from db.records import FOLLOWUP_INTERVALS
from screens.widgets.choices import ChoiceLine, numbered_options
from screens.widgets.forms import FormInput, FormModal, FormTextArea

WIDGETS = {
    "title": "plan-title",
    "kommuner": "plan-kommuner",
    "start_date": "plan-start",
    "end_date": "plan-end",
    "agreement_ref": "plan-agreement",
    "followup_interval": "plan-followup",
    "notes": "plan-notes",
}


class PlanFormScreen(FormModal):
    """Dismisses with the plan's id once saved."""

    FIELD_WIDGETS = WIDGETS
    AUTO_FOCUS = "#plan-title"

    def __init__(self, plan_id: str | None = None) -> None:
        super().__init__()
        self.plan_id = plan_id

    def compose(self) -> ComposeResult:
        store = self.trygg.store
        device = store.require_device()
        self.seen = store.get("plan", self.plan_id) if self.plan_id else None
        plan = self.seen or {
            "kommuner": [device.kommun] if device.kommun else [],
            "followup_interval": "halvar",
        }
        value = plan.get
        date_hint = self.t("plan_form.date.placeholder")
        with VerticalScroll(classes="form", can_focus=False):
            yield Static(
                self.t("plan_form.edit" if self.plan_id else "plan_form.new"),
                classes="section-title",
            )
            yield self.row(
                self.t("plan_form.title"),
                FormInput(
                    value("title") or "",
                    id="plan-title",
                    placeholder=self.t("plan_form.title.placeholder"),
                ),
            )
            yield self.row(
                self.t("plan_form.kommuner"),
                FormInput(", ".join(value("kommuner") or []), id="plan-kommuner"),
            )
            yield self.row(
                self.t("plan_form.start"),
                FormInput(value("start_date") or "", id="plan-start", placeholder=date_hint),
            )
            yield self.row(
                self.t("plan_form.end"),
                FormInput(value("end_date") or "", id="plan-end", placeholder=date_hint),
            )
            yield self.row(
                self.t("plan_form.agreement"),
                FormInput(value("agreement_ref") or "", id="plan-agreement"),
            )
            yield self.row(
                self.t("plan_form.followup"),
                ChoiceLine(
                    numbered_options("plan", "followup_interval", FOLLOWUP_INTERVALS, self.lang),
                    value("followup_interval"),
                    id="plan-followup",
                ),
            )
            yield self.row(
                self.t("plan_form.notes"), FormTextArea(value("notes") or "", id="plan-notes")
            )
            yield from self.form_footer(self.t("form.keys"))

    def on_mount(self) -> None:
        super().on_mount()
        self.remember_initial()

    def draft_base(self) -> str:
        return f"plan:{self.plan_id}" if self.plan_id else "plan:new"

    def _values(self) -> dict[str, Any]:
        today = self.trygg.store.now().date()
        problems: list[FieldProblem] = []

        def text(name: str) -> str:
            return self.query_one(f"#{WIDGETS[name]}", Input).value.strip()

        values: dict[str, Any] = {
            "title": text("title"),
            "kommuner": [k.strip() for k in text("kommuner").split(",") if k.strip()] or None,
            "agreement_ref": text("agreement_ref"),
            "followup_interval": self.query_one("#plan-followup", ChoiceLine).value,
            "notes": self.query_one("#plan-notes", FormTextArea).text,
        }
        for name in ("start_date", "end_date"):
            try:
                values[name] = parse_date(text(name), today).isoformat() if text(name) else None
            except TryggError as error:
                problems.append(FieldProblem(name, error.key, error.params))
        if problems:
            raise ValidationFailed("plan", problems)
        return values

    def action_save(self) -> None:
        store = self.trygg.store
        try:
            values = self._values()
            if self.plan_id:
                store.update("plan", self.plan_id, values, seen=self.seen)
                plan_id = self.plan_id
            else:
                plan_id = store.create("plan", values)
        except TryggError as error:
            self.show_error(error)
            return
        self.app.notify(self.t("plan_form.saved"), markup=False)
        self.saved(plan_id)
