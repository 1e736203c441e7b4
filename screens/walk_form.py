"""New or changed safety walk: municipality, area or route, date, times, light and
weather, participants, organiser, notes."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Static

from db.dates import parse_date, parse_time
from db.errors import FieldProblem, TryggError, ValidationFailed
from db.places import place_names
from db.records import LIGHT
from db.walks import format_participants, parse_participants
from screens.widgets.choices import ChoiceLine, numbered_options
from screens.widgets.forms import FormInput, FormModal, FormTextArea


class WalkFormScreen(FormModal):
    """Dismisses with the walk's id once saved."""

    FIELD_WIDGETS = {
        "kommun": "walk-kommun",
        "area": "walk-area",
        "date": "walk-date",
        "start_time": "walk-start",
        "end_time": "walk-end",
        "light": "walk-light",
        "weather": "walk-weather",
        "participants": "walk-participants",
        "organiser": "walk-organiser",
        "notes": "walk-notes",
    }
    AUTO_FOCUS = "#walk-area"

    def __init__(self, walk_id: str | None = None) -> None:
        super().__init__()
        self.walk_id = walk_id

    def compose(self) -> ComposeResult:
        lang = self.lang
        store = self.trygg.store
        walk = store.get("walk", self.walk_id) if self.walk_id else None
        self._walk = walk or {}
        self.seen = walk
        device = store.require_device()
        today = store.now().date().isoformat()
        value = self._walk.get
        kommuner = [name for name, _ in store.kommuner()]
        with VerticalScroll(classes="form", can_focus=False):
            yield Static(
                self.t("walk_form.edit" if walk else "walk_form.new"), classes="section-title"
            )
            yield self.row(
                self.t("walk_form.kommun"),
                FormInput(
                    value("kommun") or device.kommun or "",
                    id="walk-kommun",
                    suggester=SuggestFromList(kommuner, case_sensitive=False),
                ),
            )
            yield self.row(
                self.t("walk_form.area"),
                FormInput(
                    value("area") or "",
                    id="walk-area",
                    placeholder=self.t("walk_form.area.placeholder"),
                    suggester=SuggestFromList(
                        place_names(store, device.kommun), case_sensitive=False
                    ),
                ),
            )
            yield self.row(
                self.t("walk_form.date"), FormInput(value("date") or today, id="walk-date")
            )
            yield self.row(
                self.t("walk_form.start"),
                FormInput(
                    value("start_time") or "",
                    id="walk-start",
                    placeholder=self.t("walk_form.time.placeholder"),
                ),
            )
            yield self.row(
                self.t("walk_form.end"),
                FormInput(
                    value("end_time") or "",
                    id="walk-end",
                    placeholder=self.t("walk_form.time.placeholder"),
                ),
            )
            yield self.row(
                self.t("walk_form.light"),
                ChoiceLine(
                    numbered_options("walk", "light", LIGHT, lang), value("light"), id="walk-light"
                ),
            )
            yield self.row(
                self.t("walk_form.weather"),
                FormInput(
                    value("weather") or "",
                    id="walk-weather",
                    placeholder=self.t("walk_form.weather.placeholder"),
                ),
            )
            yield self.row(
                self.t("walk_form.participants"),
                FormInput(
                    format_participants(value("participants")),
                    id="walk-participants",
                    placeholder=self.t("walk_form.participants.placeholder"),
                ),
            )
            yield self.row(
                self.t("walk_form.organiser"),
                FormInput(value("organiser") or "", id="walk-organiser"),
            )
            yield self.row(
                self.t("walk_form.notes"), FormTextArea(value("notes") or "", id="walk-notes")
            )
            yield from self.form_footer(self.t("form.keys"))

    def on_mount(self) -> None:
        super().on_mount()
        self.remember_initial()

    def draft_base(self) -> str:
        return f"walk:{self.walk_id}" if self.walk_id else "walk:new"

    def _values(self) -> dict[str, Any]:
        store = self.trygg.store
        today = store.now().date()
        problems: list[FieldProblem] = []
        text = {
            key: self.query_one(f"#{wid}", FormInput).value
            for key, wid in self.FIELD_WIDGETS.items()
            if key not in ("light", "notes")
        }
        fields: dict[str, Any] = {
            "kommun": text["kommun"],
            "area": text["area"],
            "weather": text["weather"],
            "organiser": text["organiser"],
            "notes": self.query_one("#walk-notes", FormTextArea).text,
        }
        try:
            fields["date"] = parse_date(text["date"], today).isoformat()
        except TryggError as error:
            problems.append(FieldProblem("date", error.key, error.params))
        for key in ("start_time", "end_time"):
            try:
                fields[key] = parse_time(text[key]).strftime("%H:%M") if text[key].strip() else None
            except TryggError as error:
                problems.append(FieldProblem(key, error.key, error.params))
        try:
            fields["participants"] = parse_participants(text["participants"])
        except TryggError as error:
            problems.append(FieldProblem("participants", error.key, error.params))
        fields["light"] = self.query_one("#walk-light", ChoiceLine).value
        if problems:
            raise ValidationFailed("walk", problems)
        return fields

    def action_save(self) -> None:
        store = self.trygg.store
        try:
            fields = self._values()
            if self.walk_id:
                store.update("walk", self.walk_id, fields, seen=self.seen)
                walk_id = self.walk_id
            else:
                walk_id = store.create("walk", fields)
        except TryggError as error:
            self.show_error(error)
            return
        self.app.notify(self.t("walk_form.saved"), markup=False)
        self.saved(walk_id)
