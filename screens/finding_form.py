"""A finding on a walk. New findings are entered in a row without leaving the form:
place, remark, category by a key or a few letters, owner by a few letters, coordinates,
positive or not; Enter on the last field (or ctrl+s on any) saves and the form is ready
for the next Nr. Editing adds the follow-up: status and dates."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from db.coordinates import CoordinateError, coordinate_fields
from db.dates import parse_date
from db.errors import FieldProblem, TryggError, ValidationFailed
from db.places import place_names
from db.records import FINDING_STATUS, choice_label
from db.walks import (
    FindingInput,
    category_keys,
    owner_matches,
    resolve_category,
    resolve_owner,
    save_finding,
)
from screens.widgets.choices import ChoiceLine, YesNoLine, numbered_options
from screens.widgets.forms import FormInput, FormModal, FormTextArea


class FindingFormScreen(FormModal):
    """Dismisses with the id of the last finding saved (None if none was)."""

    BINDINGS = [
        Binding(
            "ctrl+t",
            "toggle_positive",
            "key.positive",
            tooltip="key.positive.tooltip",
            id="finding_positive",
        ),
    ]
    FIELD_WIDGETS = {
        "place": "finding-place",
        "remark": "finding-remark",
        "category": "finding-category",
        "owner_id": "finding-owner",
        "lat": "finding-coords",
        "lon": "finding-coords",
        "status": "finding-status",
        "sent_date": "finding-sent",
        "due_date": "finding-due",
        "fixed_date": "finding-fixed",
        "reject_reason": "finding-reason",
        "notes": "finding-notes",
    }
    AUTO_FOCUS = "#finding-place"

    def __init__(self, walk_id: str, finding_id: str | None = None) -> None:
        super().__init__()
        self.walk_id = walk_id
        self.finding_id = finding_id

    def compose(self) -> ComposeResult:
        store = self.trygg.store
        walk = store.get("walk", self.walk_id) or {}
        finding = store.get("finding", self.finding_id) if self.finding_id else None
        self.seen = finding
        value = (finding or {}).get
        owner_id = value("owner_id")
        owner = store.get("owner", owner_id) if owner_id else None
        category = value("category")
        category_text = choice_label("finding", "category", category, self.lang) if category else ""
        coords = ""
        if value("lat") is not None and value("lon") is not None:
            coords = f"{value('lat')}, {value('lon')}"
        owners = [o["name"] for o in owner_matches(store, "") if o["name"]]
        with VerticalScroll(classes="form", can_focus=False):
            yield Static(id="finding-title", classes="section-title", markup=False)
            yield self.row(
                self.t("finding_form.place"),
                FormInput(
                    value("place") or "",
                    id="finding-place",
                    suggester=SuggestFromList(
                        place_names(store, walk.get("kommun")), case_sensitive=False
                    ),
                ),
            )
            yield self.row(
                self.t("finding_form.remark"), FormInput(value("remark") or "", id="finding-remark")
            )
            yield self.row(
                self.t("finding_form.category"),
                FormInput(
                    category_text,
                    id="finding-category",
                    placeholder=self.t("finding_form.category.placeholder"),
                ),
            )
            yield Static(self._category_keys(), classes="hint", id="finding-category-hint")
            yield self.row(
                self.t("finding_form.owner"),
                FormInput(
                    (owner or {}).get("name") or "",
                    id="finding-owner",
                    placeholder=self.t("finding_form.owner.placeholder"),
                    suggester=SuggestFromList(owners, case_sensitive=False),
                ),
            )
            yield Static(id="finding-owner-hint", classes="hint", markup=False)
            yield self.row(
                self.t("finding_form.coords"),
                FormInput(
                    coords,
                    id="finding-coords",
                    placeholder=self.t("finding_form.coords.placeholder"),
                ),
            )
            yield self.row(
                self.t("finding_form.positive"),
                self.yes_no(bool(value("positive")), id="finding-positive"),
            )
            if finding is not None:
                yield Static(self.t("finding_form.follow_up"), classes="section-title")
                status = value("status") or ("" if value("positive") else "ny")
                yield self.row(
                    self.t("finding_form.status"),
                    ChoiceLine(
                        numbered_options("finding", "status", FINDING_STATUS, self.lang),
                        status or None,
                        id="finding-status",
                    ),
                )
                yield self.row(
                    self.t("finding_form.sent"),
                    FormInput(value("sent_date") or "", id="finding-sent"),
                )
                yield self.row(
                    self.t("finding_form.due"), FormInput(value("due_date") or "", id="finding-due")
                )
                yield self.row(
                    self.t("finding_form.fixed"),
                    FormInput(value("fixed_date") or "", id="finding-fixed"),
                )
                yield self.row(
                    self.t("finding_form.reason"),
                    FormInput(value("reject_reason") or "", id="finding-reason"),
                )
                yield self.row(
                    self.t("finding_form.notes"),
                    FormTextArea(value("notes") or "", id="finding-notes"),
                )
            yield from self.form_footer(
                self.t("finding_form.keys_new" if finding is None else "form.keys")
            )

    def on_mount(self) -> None:
        super().on_mount()
        self._show_title()
        self._show_owner_hint()
        self.remember_initial()

    def draft_base(self) -> str:
        if self.finding_id:
            return f"finding:{self.finding_id}"
        return f"finding:new:{self.walk_id}"

    def draft_restored(self) -> None:
        self._show_category_hint()
        self._show_owner_hint()

    def _show_title(self) -> None:
        store = self.trygg.store
        walk = store.get("walk", self.walk_id) or {}
        if self.finding_id:
            finding = store.get("finding", self.finding_id) or {}
            nr = finding.get("nr")
        else:
            nr = self._next_nr()
        key = "finding_form.edit" if self.finding_id else "finding_form.new"
        title = self.t(key, nr=nr, area=walk.get("area") or "")
        self.query_one("#finding-title", Static).update(title)

    def _next_nr(self) -> int:
        # The store assigns the number on save; shown in advance so the officer can write
        # it on the paper map. Deleted findings keep their numbers, so count them too.
        rows = self.trygg.store.records(
            "finding", where={"walk_id": self.walk_id}, include_deleted=True
        )
        return max((r["nr"] or 0 for r in rows), default=0) + 1

    def _category_keys(self) -> Text:
        text = Text()
        for key, _code, label in category_keys(self.lang):
            text.append(f"{key} ", style="bold")
            text.append(f"{label}  ")
        return text

    # -- live hints ----------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "finding-owner":
            self._show_owner_hint()
        elif event.input.id == "finding-category":
            self._show_category_hint()

    def _show_category_hint(self) -> None:
        hint = self.query_one("#finding-category-hint", Static)
        typed = self.query_one("#finding-category", Input).value
        try:
            code = resolve_category(typed, self.lang)
        except TryggError as error:
            hint.update(Text(error.message(self.lang), style="bold"))
            return
        if code is None:
            hint.update(self._category_keys())
        else:
            label = choice_label("finding", "category", code, self.lang)
            hint.update(Text(f"→ {label}", style="bold"))

    def _show_owner_hint(self) -> None:
        hint = self.query_one("#finding-owner-hint", Static)
        typed = self.query_one("#finding-owner", Input).value
        try:
            owner_id, new = resolve_owner(self.trygg.store, typed)
        except TryggError as error:
            hint.update(error.message(self.lang))
            return
        if new:
            hint.update(self.t("finding_form.owner_new", name=new))
        elif owner_id:
            owner = self.trygg.store.get("owner", owner_id) or {}
            hint.update(f"→ {owner.get('name')}")
        else:
            hint.update(self.t("finding_form.owner_hint"))

    def field_done(self, field: Any) -> None:
        if field.id == "finding-category":
            self._complete_category()
        super().field_done(field)

    def _complete_category(self) -> None:
        """Show the full name of the category chosen by a key or a few letters."""
        field = self.query_one("#finding-category", Input)
        try:
            code = resolve_category(field.value, self.lang)
        except TryggError:
            return
        if code:
            field.value = choice_label("finding", "category", code, self.lang)

    def action_toggle_positive(self) -> None:
        line = self.query_one("#finding-positive", YesNoLine)
        line.checked = not line.checked
        self.draft_soon()

    # -- saving --------------------------------------------------------------------

    def _entry(self) -> FindingInput:
        def text(widget_id: str) -> str:
            return self.query_one(f"#{widget_id}", Input).value

        problems: list[FieldProblem] = []
        lat = lon = None
        # Degrees as typed or pasted, a map link from a phone, or SWEREF 99 TM.
        try:
            position = coordinate_fields(text("finding-coords"))
        except CoordinateError as error:
            problems.append(FieldProblem("lat", error.key, error.params))
        else:
            lat, lon = position["lat"], position["lon"]
        extra: dict[str, Any] = {}
        if self.finding_id:
            extra["status"] = self.query_one("#finding-status", ChoiceLine).value
            today = self.trygg.store.now().date()
            for name, widget_id in (
                ("sent_date", "finding-sent"),
                ("due_date", "finding-due"),
                ("fixed_date", "finding-fixed"),
            ):
                typed = text(widget_id).strip()
                if not typed:
                    extra[name] = None
                    continue
                try:
                    extra[name] = parse_date(typed, today).isoformat()
                except TryggError as error:
                    problems.append(FieldProblem(name, error.key, error.params))
            extra["reject_reason"] = text("finding-reason")
            extra["notes"] = self.query_one("#finding-notes", FormTextArea).text
        if problems:
            raise ValidationFailed("finding", problems)
        return FindingInput(
            remark=text("finding-remark"),
            place=text("finding-place"),
            category=text("finding-category"),
            owner=text("finding-owner"),
            positive=self.query_one("#finding-positive", YesNoLine).checked,
            lat=lat,
            lon=lon,
            extra=extra,
        )

    def action_save(self) -> None:
        try:
            finding_id, nr = save_finding(
                self.trygg.store,
                self.walk_id,
                self._entry(),
                finding_id=self.finding_id,
                lang=self.lang,
                seen=self.seen,
            )
        except TryggError as error:
            self.show_error(error)
            return
        self.cancel_result = finding_id
        if self.finding_id:
            self.app.notify(self.t("finding_form.saved", nr=nr), markup=False)
            self.saved(finding_id)
            return
        self.forget_draft()
        # Ready for the next finding of the walk.
        self.app.notify(self.t("finding_form.saved_next", nr=nr), markup=False, timeout=3)
        for widget_id in (
            "finding-place",
            "finding-remark",
            "finding-category",
            "finding-owner",
            "finding-coords",
        ):
            self.query_one(f"#{widget_id}", Input).value = ""
        self.query_one("#finding-positive", YesNoLine).checked = False
        self.clear_error()
        self._show_title()
        self._show_category_hint()
        self._show_owner_hint()
        self.remember_initial()
        self.move_to(self.query_one("#finding-place", Input))
