"""Follow-up of one measure for one period, as the handbook asks: production (counted
from the log, which one may correct), process, effect, and the light — green, yellow or
red, with what each means shown under it so that everyone rates alike."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from db.errors import FieldProblem, TryggError, ValidationFailed
from db.i18n import msg
from db.plans.followup import (
    find_followup,
    period_label,
    production_in,
    read_period,
    save_followup,
)
from db.records import RATINGS, choice_label
from screens.widgets.choices import ChoiceLine, numbered_options
from screens.widgets.forms import FormInput, FormModal, FormTextArea

WIDGETS = {
    "period": "fu-period",
    "production_count": "fu-count",
    "production": "fu-production",
    "process": "fu-process",
    "effect": "fu-effect",
    "rating": "fu-rating",
}
_TEXTS = ("production", "process", "effect")


class FollowupFormScreen(FormModal):
    """Dismisses with the follow-up's id once saved."""

    FIELD_WIDGETS = WIDGETS
    AUTO_FOCUS = "#fu-count"

    def __init__(self, measure_id: str, period: str) -> None:
        super().__init__()
        self.measure_id = measure_id
        self.period = period

    def compose(self) -> ComposeResult:
        store = self.trygg.store
        measure = store.get("measure", self.measure_id) or {}
        lang = self.lang
        meanings = "\n".join(
            f"{choice_label('followup', 'rating', r, lang)}: {msg(f'followup.meaning.{r}', lang)}"
            for r in RATINGS
        )
        with VerticalScroll(classes="form", can_focus=False):
            yield Static(self.t("followup_form.title"), classes="section-title")
            yield Static(" ".join(str(measure.get("activity", "")).split()), markup=False)
            yield self.row(self.t("followup_form.period"), FormInput(self.period, id="fu-period"))
            yield Static(id="fu-period-said", classes="hint", markup=False)
            # The handbook's order: was it done and how often, how, what it did; the
            # light sums them up last.
            yield self.row(self.t("followup_form.count"), FormInput(id="fu-count"))
            yield Static(id="fu-logged", classes="hint", markup=False)
            for name in _TEXTS:
                yield self.row(self.t(f"followup_form.{name}"), FormTextArea(id=WIDGETS[name]))
            yield self.row(
                self.t("followup_form.rating"),
                ChoiceLine(numbered_options("followup", "rating", RATINGS, lang), id="fu-rating"),
            )
            yield Static(meanings, id="fu-meanings", classes="hint", markup=False)
            yield from self.form_footer(self.t("form.keys"))

    def on_mount(self) -> None:
        super().on_mount()
        self._load(self.period)
        self.remember_initial()

    def _load(self, period: str) -> None:
        """Show the follow-up of ``period`` (or empty fields and the logged count)."""
        store = self.trygg.store
        self.period = period
        self.seen = find_followup(store, self.measure_id, period)
        saved = self.seen or {}
        logged = production_in(store, self.measure_id, period)
        self.query_one("#fu-period-said", Static).update(period_label(period, self.lang))
        self.query_one("#fu-logged", Static).update(self.t("followup_form.logged", count=logged))
        count = saved.get("production_count")
        self.query_one("#fu-count", Input).value = str(logged if count is None else count)
        self.query_one("#fu-rating", ChoiceLine).value = saved.get("rating")
        self.loading = True
        for name in _TEXTS:
            self.query_one(f"#{WIDGETS[name]}", FormTextArea).load_text(saved.get(name) or "")
        self.loading = False

    def draft_base(self) -> str:
        return f"followup:{self.measure_id}"

    def field_done(self, field: Any) -> None:
        if field.id != "fu-period":
            super().field_done(field)
            return
        # Another period: show what is saved for it (text typed for the old one stays
        # in the draft of this form until it is saved or thrown away).
        store = self.trygg.store
        plan = store.get("plan", (store.get("measure", self.measure_id) or {}).get("plan_id", ""))
        try:
            period = read_period(
                field.value, (plan or {}).get("followup_interval"), store.now().date()
            )
        except TryggError as error:
            self.show_error(error)
            self.move_to(field)
            return
        self.clear_error()
        if period != self.period:
            self.write_draft()
            field.value = period
            self._load(period)
            self.remember_initial()
        else:
            field.value = period

    def _values(self) -> dict[str, Any]:
        text = self.query_one("#fu-count", Input).value.strip()
        values: dict[str, Any] = {
            name: self.query_one(f"#{WIDGETS[name]}", FormTextArea).text for name in _TEXTS
        }
        values["rating"] = self.query_one("#fu-rating", ChoiceLine).value
        if text and not text.isdigit():
            raise ValidationFailed("followup", [FieldProblem("production_count", "value.not_int")])
        values["production_count"] = int(text) if text else None
        return values

    def action_save(self) -> None:
        store = self.trygg.store
        try:
            # The period as it stands in its field, even if Enter was not pressed there.
            period = read_period(
                self.query_one("#fu-period", Input).value, None, store.now().date()
            )
            saved = save_followup(store, self.measure_id, period, self._values(), seen=self.seen)
        except TryggError as error:
            self.show_error(error)
            return
        self.app.notify(self.t("followup_form.saved"), markup=False)
        self.saved(saved)
