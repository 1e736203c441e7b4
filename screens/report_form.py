"""SNABBRAPPORT ALKOHOL on screen, in the paper form's order: date, time, place; name,
personnummer, phone; seized alcohol; other; the follow-up ticks and the choice groups,
each answered with one key.

Ctrl+S saves from any field; Ctrl+N saves and starts the next young person of the same
group (the event and what the group shared stay, the personal fields are cleared). What
is typed is kept as a draft on this laptop as it is typed, so a crash loses nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.suggester import SuggestFromList
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from db import drafts
from db.dates import parse_date
from db.errors import TryggError
from db.ids import new_id
from db.places import place_names
from db.records import choice_label, field_label, record_type
from db.snabbrapport.entry import (
    CHOICE_FIELDS,
    RTYPE,
    TICK_FIELDS,
    choice_keys,
    new_report_defaults,
    next_in_group,
    next_number,
    parse_typed,
    read_personnummer,
    save_report,
    seized_codes,
    tick_keys,
)
from db.snabbrapport.listing import report_officers
from screens.widgets.choices import AnswerLine, ChoiceLine, TickLine
from screens.widgets.dialogs import ConfirmModal
from screens.widgets.forms import FormModal

#: Record field → widget id (the form's order is the paper's).
WIDGETS: dict[str, str] = {
    "date": "rep-date",
    "time": "rep-time",
    "place": "rep-place",
    "kommun": "rep-kommun",
    "name": "rep-name",
    "personnummer": "rep-pnr",
    "phone": "rep-phone",
    "age": "rep-age",
    "sex": "rep-sex",
    "seized": "rep-seized",
    "seized_note": "rep-seized-note",
    "ovrigt": "rep-ovrigt",
    "custody": "rep-custody",
    "custody_other": "rep-custody-other",
    "guardian_contacted": "rep-guardian",
    "guardian_action": "rep-action",
    "guardian_action_other": "rep-action-other",
    "pm_social": "rep-pm",
    "pm_sent_date": "rep-pm-sent",
    "obot": "rep-obot",
    "alcohol_source": "rep-source",
    "officer": "rep-officer",
}
_TEXT_FIELDS = (
    "date",
    "time",
    "place",
    "kommun",
    "name",
    "personnummer",
    "phone",
    "age",
    "seized_note",
    "ovrigt",
    "custody_other",
    "guardian_action_other",
    "pm_sent_date",
    "officer",
)
_CHOICE_FIELDS = ("sex", *CHOICE_FIELDS)
_PERSONAL_WIDGETS = tuple(WIDGETS[f] for f in record_type(RTYPE).personal_fields if f in WIDGETS)
NEW_DRAFT = "snabbrapport:new"


class ReportFormScreen(FormModal):
    """A quick report, new or existing; dismisses with the id of the last report saved."""

    DEFAULT_CSS = """
    ReportFormScreen .form { width: 100; }
    ReportFormScreen .row > Label { width: 18; }
    ReportFormScreen .row > Label.second { width: auto; padding: 0 1 0 2; }
    ReportFormScreen #rep-date, ReportFormScreen #rep-time { width: 14; }
    ReportFormScreen #rep-pnr { width: 17; }
    ReportFormScreen #rep-age { width: 6; }
    ReportFormScreen #rep-pnr-hint { width: 1fr; padding: 0 1; }
    ReportFormScreen .pnr-bad { color: $error; text-style: bold; }
    ReportFormScreen .pnr-ok { color: $success; text-style: bold; }
    ReportFormScreen #rep-seized-hint { padding: 0 0 0 18; }
    ReportFormScreen .other { display: none; }
    ReportFormScreen .other.shown { display: block; }
    ReportFormScreen #rep-erased { color: $warning; text-style: bold; }
    """

    BINDINGS = [
        Binding(
            "ctrl+n",
            "save_next",
            "key.save_next",
            tooltip="key.save_next.tooltip",
            id="report_save_next",
        ),
    ]
    FIELD_WIDGETS = WIDGETS
    AUTO_FOCUS = "#rep-name"

    def __init__(
        self, report_id: str | None = None, *, start: dict[str, Any] | None = None
    ) -> None:
        super().__init__()
        self.report_id = report_id
        #: Values a new report starts from (the group's, for the next young person).
        self._start = start
        self._draft_timer: Timer | None = None
        self._loading = False
        self._loaded: dict[str, Any] = {}

    # -- building ------------------------------------------------------------------

    def _label(self, name: str) -> str:
        return self.t(f"report_form.{name}")

    def _options(self, name: str) -> list[tuple[str, str, str]]:
        return [
            (key, code, choice_label(RTYPE, name, code, self.lang))
            for key, code in choice_keys(name, self.lang).items()
        ]

    def _pair(
        self, first: str, first_widget: Widget, second: str, second_widget: Widget
    ) -> Horizontal:
        return Horizontal(
            Label(first),
            first_widget,
            Label(second, classes="second"),
            second_widget,
            classes="row",
        )

    def _other_row(self, name: str, widget_id: str) -> Horizontal:
        """The "Annat, vad" line under a choice: shown only when Annat is chosen."""
        row = Horizontal(
            Label(self._label(name)), Input(id=widget_id), classes="row", id=f"{widget_id}-row"
        )
        row.add_class("other")
        return row

    def compose(self) -> ComposeResult:
        store = self.trygg.store
        device = store.device
        kommun = device.kommun if device else None
        ticks = [
            (key, name, field_label(RTYPE, name, self.lang))
            for key, name in tick_keys(self.lang).items()
        ]
        with VerticalScroll(classes="form", can_focus=False):
            yield Static(id="rep-title", classes="section-title", markup=False)
            yield Static(id="rep-erased", markup=False)
            yield self._pair(
                self._label("date"), Input(id="rep-date"), self._label("time"), Input(id="rep-time")
            )
            yield self._pair(
                self._label("place"),
                Input(
                    id="rep-place",
                    suggester=SuggestFromList(place_names(store, kommun), case_sensitive=False),
                ),
                self._label("kommun"),
                Input(id="rep-kommun"),
            )
            yield self.row(self._label("name"), Input(id="rep-name"))
            yield Horizontal(
                Label(self._label("personnummer")),
                Input(id="rep-pnr", placeholder=self.t("report_form.pnr.placeholder")),
                Static(id="rep-pnr-hint"),
                classes="row",
            )
            yield self.row(self._label("phone"), Input(id="rep-phone"))
            yield self._pair(
                self._label("age"),
                Input(id="rep-age"),
                self._label("sex"),
                ChoiceLine(self._options("sex"), id="rep-sex"),
            )
            yield self.row(
                self._label("seized"),
                Input(id="rep-seized", placeholder=self.t("report_form.seized.placeholder")),
            )
            yield Static(self._seized_hint(), id="rep-seized-hint", classes="hint")
            yield self.row(self._label("seized_note"), Input(id="rep-seized-note"))
            yield self.row(
                self._label("ovrigt"),
                Input(id="rep-ovrigt", placeholder=self.t("report_form.ovrigt.placeholder")),
            )
            yield self.row(self._label("ticks"), TickLine(ticks, id="rep-ticks"))
            yield self.row(
                self._label("custody"), ChoiceLine(self._options("custody"), id="rep-custody")
            )
            yield self._other_row("custody_other", "rep-custody-other")
            yield self.row(
                self._label("guardian_contacted"),
                ChoiceLine(self._options("guardian_contacted"), id="rep-guardian"),
            )
            yield self.row(
                self._label("guardian_action"),
                ChoiceLine(self._options("guardian_action"), id="rep-action"),
            )
            yield self._other_row("guardian_action_other", "rep-action-other")
            yield self.row(
                self._label("pm_social"), ChoiceLine(self._options("pm_social"), id="rep-pm")
            )
            if self.report_id:
                yield self.row(self._label("pm_sent_date"), Input(id="rep-pm-sent"))
            yield self.row(self._label("obot"), ChoiceLine(self._options("obot"), id="rep-obot"))
            yield self.row(
                self._label("alcohol_source"),
                ChoiceLine(self._options("alcohol_source"), id="rep-source"),
            )
            yield self.row(
                self._label("officer"),
                Input(
                    id="rep-officer",
                    suggester=SuggestFromList(report_officers(store), case_sensitive=False),
                ),
            )
            yield from self.error_line()
            yield Static(self.t("report_form.keys"), classes="hint", markup=False)

    def _seized_hint(self) -> Text:
        text = Text()
        for i, (letter, item) in enumerate(seized_codes(self.lang, short=True)):
            if i:
                text.append(" · ")
            text.append(letter, style="bold")
            text.append(f" {item}")
        return text

    def on_mount(self) -> None:
        super().on_mount()
        store = self.trygg.store
        if self.report_id:
            record = store.get(RTYPE, self.report_id) or {}
            self._load(record)
        else:
            self._load(self._start or new_report_defaults(store))
        self._show_title()
        self.remember_initial()
        self._focus_first()
        self._offer_draft()

    def _focus_first(self) -> None:
        """Start where typing starts: the place when there is none yet, else the name."""
        if self.report_id:
            first = "#rep-date"
        elif not self.query_one("#rep-place", Input).value:
            first = "#rep-place"
        else:
            first = "#rep-name"
        self.query_one(first, Input).focus()

    @property
    def draft_key(self) -> str:
        return drafts.record_key(RTYPE, self.report_id) if self.report_id else NEW_DRAFT

    def _show_title(self) -> None:
        store = self.trygg.store
        if self.report_id:
            report = store.get(RTYPE, self.report_id) or {}
            title = self.t("report_form.edit", nr=report.get("nr"))
        else:
            nr = next_number(store)
            group = (self._start or {}).get("group_id")
            if group:
                count = store.count(RTYPE, where={"group_id": group})
                title = self.t("report_form.next_in_group", nr=nr, position=count + 1)
            else:
                title = self.t("report_form.new", nr=nr)
        self.query_one("#rep-title", Static).update(title)

    # -- values --------------------------------------------------------------------

    def _load(self, values: dict[str, Any]) -> None:
        """Put record values (field names) into the widgets."""
        self._loading = True
        self._loaded = dict(values)
        for name in _TEXT_FIELDS:
            widgets = self.query(f"#{WIDGETS[name]}")
            if widgets:
                value = values.get(name)
                widgets.first(Input).value = "" if value is None else str(value)
        self.query_one("#rep-seized", Input).value = ", ".join(values.get("seized") or [])
        for name in _CHOICE_FIELDS:
            self.query_one(f"#{WIDGETS[name]}", ChoiceLine).value = values.get(name)
        self.query_one("#rep-ticks", TickLine).value = frozenset(
            name for name in TICK_FIELDS if values.get(name)
        )
        erased = values.get("erased_date")
        notice = self.query_one("#rep-erased", Static)
        notice.update(self.t("report_form.erased", date=erased) if erased else "")
        notice.display = bool(erased)
        for widget_id in _PERSONAL_WIDGETS:
            for widget in self.query(f"#{widget_id}"):
                widget.disabled = bool(erased)
        self._loading = False
        self._show_others()
        self._show_pnr()

    def _collect(self) -> dict[str, Any]:
        """The record values the widgets hold (text as typed; parse_typed reads it)."""
        values: dict[str, Any] = {}
        for name in _TEXT_FIELDS:
            widgets = self.query(f"#{WIDGETS[name]}")
            if widgets:
                values[name] = widgets.first(Input).value
        values["seized"] = self.query_one("#rep-seized", Input).value
        for name in _CHOICE_FIELDS:
            values[name] = self.query_one(f"#{WIDGETS[name]}", ChoiceLine).value
        ticked = self.query_one("#rep-ticks", TickLine).value
        for name in TICK_FIELDS:
            values[name] = name in ticked
        if self.report_id is None:
            values["group_id"] = (self._start or {}).get("group_id")
        if self._loaded.get("erased_date"):
            for name in record_type(RTYPE).personal_fields:
                values.pop(name, None)
        return values

    # -- live hints ----------------------------------------------------------------

    def _report_date(self) -> date:
        today = self.trygg.store.now().date()
        try:
            return parse_date(self.query_one("#rep-date", Input).value, today)
        except TryggError:
            return today

    def _show_pnr(self) -> None:
        hint = self.query_one("#rep-pnr-hint", Static)
        pnr = self.query_one("#rep-pnr", Input)
        reading = read_personnummer(pnr.value, self._report_date())
        age = self.query_one("#rep-age", Input)
        sex = self.query_one("#rep-sex", ChoiceLine)
        derived = reading.age is not None
        if derived:
            sex_word = choice_label(RTYPE, "sex", reading.sex or "", self.lang).lower()
            key = "report_form.pnr.samordning" if reading.samordning else "report_form.pnr.ok"
            hint.update(Text(self.t(key, age=reading.age, sex=sex_word)))
            hint.set_classes("pnr-ok")
            age.value, sex.value = str(reading.age), reading.sex
        elif reading.problem is not None:
            hint.update(Text("✗ " + reading.problem.message(self.lang)))
            hint.set_classes("pnr-bad")
        elif reading.empty:
            hint.update(Text(self.t("report_form.pnr.none")))
            hint.set_classes("hint")
        else:
            hint.update(Text(self.t("report_form.pnr.typing")))
            hint.set_classes("hint")
        number_removed = age.disabled and not derived
        if number_removed and not self._loading and not self._loaded.get("erased_date"):
            # The number that gave them is gone: age and sex are typed again.
            age.value, sex.value = "", None
        age.disabled = sex.disabled = derived

    def _show_others(self) -> None:
        for choice, row in (
            ("rep-custody", "rep-custody-other-row"),
            ("rep-action", "rep-action-other-row"),
        ):
            shown = self.query_one(f"#{choice}", ChoiceLine).value == "annat"
            self.query_one(f"#{row}").set_class(shown, "shown")

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._loading:
            return
        if event.input.id in ("rep-pnr", "rep-date"):
            self._show_pnr()
        self._draft_soon()

    def answered(self, line: AnswerLine, advance: bool) -> None:
        self._show_others()
        self._draft_soon()
        if not advance:
            return
        other = {"rep-custody": "rep-custody-other", "rep-action": "rep-action-other"}
        target = other.get(line.id or "")
        if target and line.value == "annat":  # type: ignore[attr-defined]
            self.query_one(f"#{target}", Input).focus()
        else:
            self.focus_next()

    def answer_done(self, line: AnswerLine) -> None:
        self._write_draft()
        self.focus_next()

    def submitted(self, field: Input) -> None:
        self._write_draft()
        if field.id == "rep-seized":
            items = parse_typed({"seized": field.value}, self.trygg.store.now().date(), self.lang)
            field.value = ", ".join(items["seized"] or [])
        if field.id == "rep-officer":
            self.action_save()
        else:
            self.focus_next()

    # -- drafts --------------------------------------------------------------------

    def _draft_soon(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(1.0, self._write_draft)

    def _write_draft(self) -> None:
        """Keep what the form holds (only once something differs from how it opened)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if not self.is_mounted or not self.dirty:
            return
        data = {
            key: sorted(value) if isinstance(value, frozenset) else value
            for key, value in self.current_values().items()
        }
        data["_start"] = self._start
        if not drafts.save(self.trygg.store.conn, self.draft_key, data, self.trygg.store.now()):
            self._draft_soon()  # another program writes just now: keep it a moment later

    def _offer_draft(self) -> None:
        draft = drafts.load(self.trygg.store.conn, self.draft_key)
        if draft is None:
            return

        def answered(restore: bool | None) -> None:
            if restore:
                self._apply_draft(draft.data)
            else:
                drafts.discard(self.trygg.store.conn, self.draft_key)

        when = draft.saved_at.replace("T", " ")[:16]
        self.app.push_screen(ConfirmModal(self.t("report_form.draft_found", when=when)), answered)

    def _apply_draft(self, data: dict[str, Any]) -> None:
        self._loading = True
        if not self.report_id and isinstance(data.get("_start"), dict):
            self._start = data["_start"]
        for widget in self.query(Input):
            if widget.id in data and isinstance(data[widget.id], str):
                widget.value = data[widget.id]  # type: ignore[attr-defined]
        for line in self.query(ChoiceLine):
            if line.id in data:
                line.value = data[line.id]
        for ticks in self.query(TickLine):
            if ticks.id in data and isinstance(data[ticks.id], list):
                ticks.value = frozenset(data[ticks.id])
        self._loading = False
        self._show_others()
        self._show_pnr()
        self._show_title()

    def _forget_draft(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        drafts.discard(self.trygg.store.conn, self.draft_key)

    # -- saving --------------------------------------------------------------------

    def _save(self, *, grouped: bool = False) -> tuple[str, int, dict[str, Any]] | None:
        store = self.trygg.store
        try:
            values = parse_typed(self._collect(), store.now().date(), self.lang)
            if grouped and not values.get("group_id"):
                current = store.get(RTYPE, self.report_id) if self.report_id else None
                values["group_id"] = (current or {}).get("group_id") or new_id()
            report_id, nr = save_report(store, values, report_id=self.report_id)
        except TryggError as error:
            self.show_error(error)
            return None
        self._forget_draft()
        self.cancel_result = report_id
        saved = store.get(RTYPE, report_id) or {}
        return report_id, nr, saved

    def action_save(self) -> None:
        result = self._save()
        if result is None:
            return
        report_id, nr, _ = result
        self.app.notify(self.t("report_form.saved", nr=nr), markup=False)
        self.dismiss(report_id)

    def action_save_next(self) -> None:
        """Save, then start the next young person of the same group."""
        result = self._save(grouped=True)
        if result is None:
            return
        _, nr, saved = result
        self.app.notify(self.t("report_form.saved_next", nr=nr), markup=False, timeout=3)
        self.report_id = None
        self._start = next_in_group(saved)
        self._load(self._start)
        self.clear_error()
        self._show_title()
        self.remember_initial()
        self._focus_first()
        self.query_one(VerticalScroll).scroll_home(animate=False)

    def action_cancel(self) -> None:
        if not self.dirty:
            self._forget_draft()
            self.dismiss(self.cancel_result)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self._forget_draft()
                self.dismiss(self.cancel_result)

        self.app.push_screen(ConfirmModal(self.t("form.leave_unsaved")), answered)
