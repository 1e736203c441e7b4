"""Logga insats: progress on a measure in five seconds, from any screen (F7). The measure
logged last on this laptop is chosen already, the date is today and the count one, so
"krogkontroll done tonight" is F7 and ctrl+s. The line under the measure says how it
stands: done versus expected to date and the next deadline."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from db.dates import parse_date
from db.errors import FieldProblem, TryggError, ValidationFailed
from db.plans.progress import find_measure, log_progress, measure_choices, measure_progress
from db.plans.rhythm import describe
from db.records import record_type
from db.validation import Refused, clean_value
from screens.widgets.forms import FormInput, FormModal

FIELDS = {
    "measure_id": "prog-measure",
    "date": "prog-date",
    "count": "prog-count",
    "people_reached": "prog-people",
    "hours": "prog-hours",
    "note": "prog-note",
}


class ProgressFormScreen(FormModal):
    """Dismisses with the new entry's id, or None."""

    FIELD_WIDGETS = FIELDS

    def __init__(self, measure_id: str | None = None) -> None:
        super().__init__()
        #: The measure to log for (from a plan's row); else the one logged last.
        self.measure_id = measure_id

    def compose(self) -> ComposeResult:
        store = self.trygg.store
        self.choices = measure_choices(store, store.now().date())
        named = dict(self.choices)
        if self.measure_id and self.measure_id not in named:
            measure = store.get("measure", self.measure_id)
            if measure:  # a finished measure can still be logged for from its plan
                named[self.measure_id] = " ".join(str(measure["activity"]).split())[:80]
                self.choices.insert(0, (self.measure_id, named[self.measure_id]))
        if self.measure_id in named:
            first = named[self.measure_id]
        else:
            first = self.choices[0][1] if self.choices else ""
        with VerticalScroll(classes="form", can_focus=False):
            yield Static(self.t("progress_form.title"), classes="section-title")
            yield self.row(
                self.t("progress_form.measure"),
                FormInput(
                    first,
                    id="prog-measure",
                    suggester=SuggestFromList([c[1] for c in self.choices], case_sensitive=False),
                ),
            )
            yield Static(id="prog-status", classes="hint", markup=False)
            yield self.row(
                self.t("progress_form.date"),
                FormInput(store.now().date().isoformat(), id="prog-date"),
            )
            yield self.row(self.t("progress_form.count"), FormInput("1", id="prog-count"))
            yield self.row(self.t("progress_form.people"), FormInput(id="prog-people"))
            yield self.row(self.t("progress_form.hours"), FormInput(id="prog-hours"))
            yield self.row(self.t("progress_form.note"), FormInput(id="prog-note"))
            yield from self.form_footer(self.t("progress_form.keys"))

    def on_mount(self) -> None:
        super().on_mount()
        self._show_status()
        self.remember_initial()
        self.query_one("#prog-count" if self.choices else "#prog-measure", Input).focus()

    def _measure_id(self) -> str | None:
        return find_measure(self.choices, self.query_one("#prog-measure", Input).value)

    def _show_status(self) -> None:
        status = self.query_one("#prog-status", Static)
        if not self.choices:
            status.update(self.t("progress_form.no_measures"))
            return
        measure_id = self._measure_id()
        if measure_id is None:
            status.update(self.t("progress_form.which"))
            return
        store = self.trygg.store
        measure = store.get("measure", measure_id) or {}
        progress = measure_progress(store, measure_id, store.now().date())
        rhythm = describe(measure.get("rrule"), measure.get("target_count"), self.lang)
        key = "progress_form.behind" if progress.behind else "progress_form.status"
        status.update(
            self.t(
                key,
                rhythm=rhythm,
                done=progress.done,
                expected=progress.expected,
                next=progress.next_due.isoformat() if progress.next_due else "–",
            )
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "prog-measure":
            self._show_status()

    def draft_base(self) -> str:
        return "progress:new"

    def draft_restored(self) -> None:
        self._show_status()

    def _values(self) -> dict[str, Any]:
        store = self.trygg.store
        problems: list[FieldProblem] = []
        measure_id = self._measure_id()
        if measure_id is None:
            problems.append(FieldProblem("measure_id", "progress.which_measure"))
        values: dict[str, Any] = {"measure_id": measure_id}
        rtype = record_type("progress")
        for name in ("date", "count", "people_reached", "hours", "note"):
            text = self.query_one(f"#{FIELDS[name]}", Input).value.strip()
            try:
                if name == "date":
                    values[name] = parse_date(text, store.now().date()) if text else None
                else:
                    values[name] = clean_value(rtype.field(name), text)
            except TryggError as error:
                problems.append(FieldProblem(name, error.key, error.params))
            except Refused as refusal:
                problems.append(FieldProblem(name, refusal.key, refusal.params))
        if problems:
            raise ValidationFailed("progress", problems)
        return values

    def action_save(self) -> None:
        store = self.trygg.store
        try:
            values = self._values()
            entry = log_progress(
                store,
                values["measure_id"],
                day=values["date"],
                count=values["count"],
                people=values["people_reached"],
                hours=values["hours"],
                note=values["note"],
            )
        except TryggError as error:
            self.show_error(error)
            return
        measure = store.get("measure", values["measure_id"]) or {}
        self.app.notify(
            self.t("progress_form.saved", measure=str(measure.get("activity") or "")[:60]),
            markup=False,
        )
        self.saved(entry)
