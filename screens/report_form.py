"""SNABBRAPPORT ALKOHOL on screen, in the paper form's order: date, time, place; name,
personnummer, phone; seized alcohol; other; the follow-up ticks and the choice groups,
each answered with one key.

The municipality is chosen (ctrl+k), shown above the fields and off the path of typing,
so a name typed by paper habit never lands in it. Without a personnummer the form asks for
age and sex (either may be "okänd"); a personnummer typed where it does not belong is
refused before saving.

Ctrl+S saves from any field; Ctrl+N saves and starts the next young person of the same
group (what the group shared stays, the personal fields are cleared, and the new report
takes the moment it was started). Saving the last report of a group sums the group up,
with the notes to social services one key away. What is typed is kept as a draft on this
laptop as it is typed (screens/widgets/forms.py), so a crash loses nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.suggester import SuggestFromList
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
    group_summary,
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
from screens.widgets.dialogs import DialogModal
from screens.widgets.forms import FormInput, FormModal, FormTextArea

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
    "name",
    "personnummer",
    "phone",
    "age",
    "seized_note",
    "custody_other",
    "guardian_action_other",
    "pm_sent_date",
    "officer",
)
_CHOICE_FIELDS = ("sex", *CHOICE_FIELDS)
_PERSONAL_WIDGETS = tuple(WIDGETS[f] for f in record_type(RTYPE).personal_fields if f in WIDGETS)
NEW_DRAFT = "snabbrapport:new"
AGE_UNKNOWN_TEXT = "?"


class ReportFormScreen(FormModal):
    """A quick report, new or existing; dismisses with the id of the last report saved."""

    DEFAULT_CSS = """
    ReportFormScreen .form { width: 100; }
    ReportFormScreen #rep-kommun { height: 1; color: $text-muted; }
    ReportFormScreen .row > Label { width: 18; }
    ReportFormScreen .row > Label.second { width: auto; padding: 0 1 0 2; }
    ReportFormScreen #rep-date, ReportFormScreen #rep-time { width: 14; }
    ReportFormScreen #rep-pnr { width: 17; }
    ReportFormScreen #rep-age { width: 18; }
    ReportFormScreen #rep-pnr-hint { width: 1fr; padding: 0 1; }
    ReportFormScreen .pnr-bad { color: $error; text-style: bold; }
    ReportFormScreen .pnr-ok { color: $success; text-style: bold; }
    ReportFormScreen #rep-seized-hint { padding: 0 0 0 18; }
    ReportFormScreen .other { display: none; }
    ReportFormScreen #rep-erased { color: $warning; text-style: bold; }
    """

    BINDINGS = [
        Binding(
            "ctrl+k",
            "pick_kommun",
            "key.pick_kommun",
            tooltip="key.pick_kommun.tooltip",
            id="report_kommun",
            priority=True,
        ),
        Binding(
            "ctrl+n",
            "save_next_key",
            "key.save_next",
            tooltip="key.save_next.tooltip",
            id="report_save_next",
            priority=True,
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
        self._loaded: dict[str, Any] = {}
        #: The municipality, chosen with ctrl+k (never typed into a field).
        self.kommun: str | None = None
        #: True while age and sex come from the personnummer.
        self._derived = False
        #: The date and time the form started with (a report keeps its own moment).
        self._started: tuple[str, str] = ("", "")

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
            Label(self._label(name)),
            FormInput(id=widget_id),
            classes="row",
            id=f"{widget_id}-row",
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
            yield Static(id="rep-kommun", markup=False)
            yield self._pair(
                self._label("date"),
                FormInput(id="rep-date"),
                self._label("time"),
                FormInput(id="rep-time"),
            )
            yield self.row(
                self._label("place"),
                FormInput(
                    id="rep-place",
                    suggester=SuggestFromList(place_names(store, kommun), case_sensitive=False),
                ),
            )
            yield self.row(self._label("name"), FormInput(id="rep-name"))
            yield Horizontal(
                Label(self._label("personnummer")),
                FormInput(id="rep-pnr", placeholder=self.t("report_form.pnr.placeholder")),
                Static(id="rep-pnr-hint"),
                classes="row",
            )
            yield self.row(self._label("phone"), FormInput(id="rep-phone"))
            yield self._pair(
                self._label("age"),
                FormInput(id="rep-age", placeholder=self.t("report_form.age.placeholder")),
                self._label("sex"),
                ChoiceLine(self._options("sex"), id="rep-sex"),
            )
            yield self.row(
                self._label("seized"),
                FormInput(id="rep-seized", placeholder=self.t("report_form.seized.placeholder")),
            )
            yield Static(self._seized_hint(), id="rep-seized-hint", classes="hint")
            yield self.row(self._label("seized_note"), FormInput(id="rep-seized-note"))
            yield self.row(self._label("ovrigt"), FormTextArea(id="rep-ovrigt"))
            yield Static(self.t("report_form.ovrigt.placeholder"), classes="hint", markup=False)
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
                yield self.row(self._label("pm_sent_date"), FormInput(id="rep-pm-sent"))
            yield self.row(self._label("obot"), ChoiceLine(self._options("obot"), id="rep-obot"))
            yield self.row(
                self._label("alcohol_source"),
                ChoiceLine(self._options("alcohol_source"), id="rep-source"),
            )
            yield self.row(
                self._label("officer"),
                FormInput(
                    id="rep-officer",
                    suggester=SuggestFromList(report_officers(store), case_sensitive=False),
                ),
            )
            yield from self.form_footer(self.t("report_form.keys"))

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
            self.seen = store.get(RTYPE, self.report_id)
            self._load(self.seen or {})
        else:
            self._load(self._start or new_report_defaults(store))
        self._show_title()
        self.remember_initial()
        self._focus_first()

    def _focus_first(self) -> None:
        """Start where typing starts: the place, as on the paper form — the last one used
        stands there chosen, so that Enter keeps it and typing replaces it (starting on
        the name when a place was remembered, a place typed in paper order went into
        Namn and every answer one field down: cold test); the next young person of a
        group starts on the name, the place being the group's."""
        if self.report_id:
            first = "#rep-date"
        elif self._start and self.query_one("#rep-place", Input).value:
            first = "#rep-name"
        else:
            first = "#rep-place"
        field = self.query_one(first, Input)
        self.move_to(field)
        if first == "#rep-place" and field.value:
            field.select_all()

    def draft_base(self) -> str:
        return drafts.record_key(RTYPE, self.report_id) if self.report_id else NEW_DRAFT

    def draft_extra(self) -> dict[str, Any]:
        return {"start": self._start, "kommun": self.kommun, "started": list(self._started)}

    def not_in_draft(self) -> frozenset[str]:
        # Erased (gallring from the command line, or a colleague's file) while the form is
        # open: the form shows it now, and no draft keeps the person's data again.
        if self.report_id and not self._loaded.get("erased_date"):
            erased = (self.trygg.store.get(RTYPE, self.report_id) or {}).get("erased_date")
            if erased:
                self.apply_values({widget_id: "" for widget_id in _PERSONAL_WIDGETS})
                self._loaded["erased_date"] = erased
                self._show_erased(str(erased))
        return frozenset(_PERSONAL_WIDGETS) if self._loaded.get("erased_date") else frozenset()

    def restore_extra(self, data: dict[str, Any]) -> None:
        if not self.report_id and isinstance(data.get("start"), dict):
            self._start = data["start"]
        if isinstance(data.get("kommun"), str):
            self.kommun = data["kommun"]
        started = data.get("started")
        if isinstance(started, list) and len(started) == 2:
            self._started = (str(started[0]), str(started[1]))

    def draft_restored(self) -> None:
        self._show_others()
        self._show_pnr()
        self._show_title()
        self._show_kommun()

    def _show_kommun(self) -> None:
        self.query_one("#rep-kommun", Static).update(
            self.t("report_form.kommun_line", kommun=self.kommun or "–")
        )

    def action_pick_kommun(self) -> None:
        """Choose the municipality (type to filter, Enter takes it)."""
        from screens.widgets.kommun_picker import KommunPickerModal

        def chosen(kommun: str | None) -> None:
            if kommun:
                self.kommun = kommun
                self._show_kommun()
                self.draft_soon()

        self.app.push_screen(KommunPickerModal(self.kommun), chosen)

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
        self.loading = True
        self._loaded = dict(values)
        self.kommun = values.get("kommun") or None
        for name in _TEXT_FIELDS:
            widgets = self.query(f"#{WIDGETS[name]}")
            if widgets:
                value = values.get(name)
                widgets.first(Input).value = "" if value is None else str(value)
        if values.get("age_unknown") and values.get("age") is None:
            self.query_one("#rep-age", Input).value = AGE_UNKNOWN_TEXT
        self.query_one("#rep-ovrigt", FormTextArea).load_text(values.get("ovrigt") or "")
        self._started = (str(values.get("date") or ""), str(values.get("time") or ""))
        self.query_one("#rep-seized", Input).value = ", ".join(values.get("seized") or [])
        for name in _CHOICE_FIELDS:
            self.query_one(f"#{WIDGETS[name]}", ChoiceLine).value = values.get(name)
        self.query_one("#rep-ticks", TickLine).value = frozenset(
            name for name in TICK_FIELDS if values.get(name)
        )
        self._show_erased(values.get("erased_date"))
        self.loading = False
        self._show_others()
        self._show_pnr()
        self._show_kommun()

    def _show_erased(self, erased: str | None) -> None:
        """Say the report is erased, and take its personal fields out of reach."""
        notice = self.query_one("#rep-erased", Static)
        notice.update(self.t("report_form.erased", date=erased) if erased else "")
        notice.display = bool(erased)
        for widget_id in _PERSONAL_WIDGETS:
            for widget in self.query(f"#{widget_id}"):
                widget.disabled = bool(erased)

    def _collect(self) -> dict[str, Any]:
        """The record values the widgets hold (text as typed; parse_typed reads it)."""
        values: dict[str, Any] = {}
        for name in _TEXT_FIELDS:
            widgets = self.query(f"#{WIDGETS[name]}")
            if widgets:
                values[name] = widgets.first(Input).value
        values["seized"] = self.query_one("#rep-seized", Input).value
        values["ovrigt"] = self.query_one("#rep-ovrigt", FormTextArea).text
        values["kommun"] = self.kommun
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
        elif pnr.has_focus:
            digits = sum(c.isdigit() for c in pnr.value)
            hint.update(Text(self.t("report_form.pnr.typing", n=digits)))
            hint.set_classes("hint")
        else:
            # Left unfinished: said now, beside the field, not first when saving.
            hint.update(Text("✗ " + self.t("report_form.pnr.unfinished")))
            hint.set_classes("pnr-bad")
        number_removed = self._derived and not derived
        if number_removed and not self.loading and not self._loaded.get("erased_date"):
            # The number that gave them is gone: age and sex are typed again.
            age.value, sex.value = "", None
        # Age and sex stay on the path either way (Enter passes them, filled in from the
        # number): how many Enters a report takes never depends on what was typed, so
        # keys typed ahead always land in the field they were meant for.
        self._derived = derived

    def _show_others(self) -> None:
        for choice, row in (
            ("rep-custody", "rep-custody-other-row"),
            ("rep-action", "rep-action-other-row"),
        ):
            shown = self.query_one(f"#{choice}", ChoiceLine).value == "annat"
            # Set at once (not by a class, applied at the next refresh): "Annat" moves
            # the cursor to its line in the same keystroke.
            self.query_one(f"#{row}").display = shown

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget.id == "rep-pnr" and not self.loading:
            self._show_pnr()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.loading:
            return
        if event.input.id in ("rep-pnr", "rep-date"):
            self._show_pnr()

    def answered(self, line: AnswerLine, advance: bool) -> None:
        self._show_others()
        # The "Annat, vad" line comes next in the form when Annat was chosen.
        super().answered(line, advance)

    def field_done(self, field: Any) -> None:
        if field.id == "rep-seized":
            items = parse_typed({"seized": field.value}, self.trygg.store.now().date(), self.lang)
            field.value = ", ".join(items["seized"] or [])
        super().field_done(field)

    # -- saving --------------------------------------------------------------------

    def _save(self, *, grouped: bool = False) -> tuple[str, int, dict[str, Any]] | None:
        store = self.trygg.store
        try:
            values = parse_typed(self._collect(), store.now().date(), self.lang)
            if grouped and not values.get("group_id"):
                current = store.get(RTYPE, self.report_id) if self.report_id else None
                values["group_id"] = (current or {}).get("group_id") or new_id()
            report_id, nr = save_report(store, values, report_id=self.report_id, seen=self.seen)
        except TryggError as error:
            self.show_error(error)
            return None
        self.forget_draft()
        self.cancel_result = report_id
        saved = store.get(RTYPE, report_id) or {}
        return report_id, nr, saved

    def action_save(self) -> None:
        result = self._save()
        if result is None:
            return
        report_id, nr, saved = result
        self.app.notify(self.t("report_form.saved", nr=nr), markup=False)
        group = saved.get("group_id")
        if group and self.report_id is None:
            # The last report of a group: sum the group up, notes one key away.
            self.saved(report_id)
            self.app.push_screen(GroupSummaryModal(group))
            return
        self.saved(report_id)

    def action_save_next_key(self) -> None:
        self.after_keys(self.action_save_next)

    def action_save_next(self) -> None:
        """Save, then start the next young person of the same group."""
        result = self._save(grouped=True)
        if result is None:
            return
        _, nr, saved = result
        self.app.notify(self.t("report_form.saved_next", nr=nr), markup=False, timeout=3)
        typed = (saved.get("date"), saved.get("time")) != self._started
        self.report_id = None
        self._start = next_in_group(self.trygg.store, saved, typed_moment=typed)
        self._load(self._start)
        self.clear_error()
        self._show_title()
        self.remember_initial()
        self._focus_first()
        self.query_one(VerticalScroll).scroll_home(animate=False)


class GroupSummaryModal(DialogModal[None]):
    """After the last report of a group: how many, custody, notes to send — and P writes
    every note still due in one go."""

    BINDINGS = [
        Binding("p", "pm", "key.pm_all", tooltip="key.pm_all.tooltip", id="group_pm"),
        Binding(
            "escape,enter", "close", "key.close", tooltip="key.close.tooltip", id="group_close"
        ),
    ]

    def __init__(self, group_id: str) -> None:
        super().__init__()
        self.group_id = group_id

    def compose(self) -> ComposeResult:
        from textual.containers import Vertical

        with Vertical(classes="dialog"):
            yield Static(id="group-summary", markup=False)
            yield Static(id="group-keys", classes="hint", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self._show()

    def _show(self) -> None:
        summary = group_summary(self.trygg.store, self.group_id)
        custody = ", ".join(
            f"{count} {choice_label(RTYPE, 'custody', code, self.lang)}"
            for code, count in summary.custody.items()
        )
        text = self.t(
            "report_group.summary",
            count=len(summary.ids),
            custody=custody or self.t("report_group.no_custody"),
            pm=len(summary.pm_due),
        )
        self.query_one("#group-summary", Static).update(text)
        keys = "report_group.keys_pm" if summary.pm_due else "report_group.keys"
        self.query_one("#group-keys", Static).update(self.t(keys))

    def action_pm(self) -> None:
        from screens.report_pm import PmModal

        due = group_summary(self.trygg.store, self.group_id).pm_due
        if not due:
            return

        def written(done: bool | None) -> None:
            if done:
                self.dismiss(None)
            else:
                self._show()

        self.app.push_screen(PmModal(due), written)

    def action_close(self) -> None:
        self.dismiss(None)
