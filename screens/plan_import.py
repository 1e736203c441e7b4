"""Reading in a plan that lives in Excel or CSV today: pick the file (the usual folders
are searched for tables), then confirm on screen which column is which — the guess is
shown with an example from each column and changed with the arrow keys — and see what
will be created before anything is saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import platformdirs
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from db.dates import parse_date
from db.errors import FieldProblem, TryggError, ValidationFailed
from db.i18n import msg
from db.labels import short
from db.plans.importer import (
    TARGETS,
    ImportPreview,
    Table,
    guess_mapping,
    import_plan,
    kommuner_in,
    plan_titled,
    preview,
    read_table,
    title_from_file,
)
from db.plans.rhythm import describe
from db.records import FOLLOWUP_INTERVALS
from db.reports import output_folder
from screens.widgets.choices import ChoiceLine, numbered_options
from screens.widgets.dialogs import DialogModal, KeyChoiceModal
from screens.widgets.forms import FormInput, FormModal
from screens.widgets.key_order import LineInput
from screens.widgets.tables import Col, FittedTable
from screens.widgets.text import plain

#: The cycle of what a column can be: each target, then "not imported".
CHOICES: tuple[str | None, ...] = (*TARGETS, None)
SUFFIXES = (".xlsx", ".xlsm", ".csv")


def candidate_files(folders: list[Path], limit: int = 12) -> list[Path]:
    """Tables (Excel, CSV) in ``folders``, newest first."""
    found: dict[Path, float] = {}
    for folder in folders:
        try:
            for path in folder.iterdir():
                if path.suffix.lower() in SUFFIXES and path.is_file():
                    found[path.resolve()] = path.stat().st_mtime
        except OSError:
            continue
    return sorted(found, key=lambda p: -found[p])[:limit]


class PlanImportFileModal(DialogModal[str | None]):
    """Asks for the file; dismisses with its path, or None."""

    DEFAULT_CSS = """
    PlanImportFileModal .dialog { width: 90; }
    PlanImportFileModal OptionList { height: auto; max-height: 12; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", tooltip="key.cancel.tooltip", id="import_cancel"),
    ]

    def compose(self) -> ComposeResult:
        store = self.trygg.store
        folders = [
            store.path.parent,
            output_folder(store),
            Path(platformdirs.user_downloads_dir()),
            Path(platformdirs.user_documents_dir()),
            Path.cwd(),
        ]
        self.files = candidate_files(folders)
        with Vertical(classes="dialog"):
            yield Static(self.t("plan_import.file"), markup=False)
            yield LineInput(
                str(self.files[0]) if self.files else "",
                id="import-path",
                placeholder=self.t("plan_import.file.placeholder"),
            )
            if self.files:
                yield Static(self.t("plan_import.found_files"), classes="hint", markup=False)
                yield OptionList(
                    *(Option(Text(str(p)), id=str(p)) for p in self.files), id="import-files"
                )
            yield Static(id="import-error", classes="form-error", markup=False)
            yield Static(self.t("plan_import.file_keys"), classes="hint", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#import-path", Input).focus()

    def _choose(self, text: str) -> None:
        path = Path(text.strip()).expanduser()
        if not text.strip() or not path.is_file():
            self.query_one("#import-error", Static).update(
                msg("plan_import.missing", self.lang, path=str(path))
            )
            return
        self.dismiss(str(path))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose(event.value)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option.id or "")

    def action_cancel(self) -> None:
        self.dismiss(None)


class MappingTable(FittedTable):
    """The columns of the file; → or Space gives the highlighted one the next meaning,
    ← the previous, 0 leaves it out."""

    BINDINGS = [
        Binding("right,space", "cycle(1)", "key.next_meaning", tooltip="key.next_meaning.tooltip",
                id="mapping_next"),
        Binding("left", "cycle(-1)", "key.previous_meaning",
                tooltip="key.previous_meaning.tooltip", id="mapping_previous"),
        Binding("0", "cycle(0)", "key.leave_out", tooltip="key.leave_out.tooltip",
                id="mapping_none", show=False),
    ]  # fmt: skip

    def action_cycle(self, step: int) -> None:
        screen = self.screen
        if isinstance(screen, PlanImportScreen):
            screen.cycle(self.cursor_row, step)


class PlanImportScreen(FormModal):
    """The mapping and the plan's own fields; ctrl+s reads the plan in. Dismisses with
    the new plan's id, or None."""

    DEFAULT_CSS = """
    PlanImportScreen .form { width: 110; }
    PlanImportScreen MappingTable { width: 100%; height: auto; max-height: 14; margin: 1 0; }
    PlanImportScreen #import-preview { height: auto; margin: 1 0 0 0; }
    """
    FIELD_WIDGETS = {"title": "import-title", "start_date": "import-start",
                     "end_date": "import-end"}  # fmt: skip
    AUTO_FOCUS = "#import-mapping"

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = Path(path)
        self.table: Table | None = None
        self.mapping: list[str | None] = []
        self.found: ImportPreview | None = None

    def compose(self) -> ComposeResult:
        store = self.trygg.store
        device = store.require_device()
        try:
            self.table = read_table(self.path)
        except TryggError as error:
            self._read_error: TryggError | None = error
        else:
            self._read_error = None
        title = (self.table.title if self.table else None) or title_from_file(self.path)
        kommuner = kommuner_in(title) or ([device.kommun] if device.kommun else [])
        with VerticalScroll(classes="form", can_focus=False):
            yield Static(self.t("plan_import.title", file=self.path.name), classes="section-title")
            yield Static(self.t("plan_import.mapping_help"), classes="hint", markup=False)
            yield MappingTable(id="import-mapping", zebra_stripes=False, cursor_type="row")
            yield self.row(self.t("plan_form.title"), FormInput(title, id="import-title"))
            yield self.row(
                self.t("plan_form.kommuner"), FormInput(", ".join(kommuner), id="import-kommuner")
            )
            date_hint = self.t("plan_form.date.placeholder")
            yield self.row(
                self.t("plan_form.start"), FormInput(id="import-start", placeholder=date_hint)
            )
            yield self.row(
                self.t("plan_form.end"), FormInput(id="import-end", placeholder=date_hint)
            )
            yield self.row(
                self.t("plan_form.followup"),
                ChoiceLine(
                    numbered_options("plan", "followup_interval", FOLLOWUP_INTERVALS, self.lang),
                    "halvar",
                    id="import-followup",
                ),
            )
            yield Static(id="import-preview", markup=False)
            yield from self.form_footer(self.t("plan_import.keys"))

    def on_mount(self) -> None:
        super().on_mount()
        grid = self.query_one(MappingTable)

        def label(key: str) -> str:
            return self.t(f"plan_import.col.{key}")

        # What each column becomes is the point: wide enough for every meaning, so it
        # never changes width (or is cut) as the arrows cycle; the example gives way.
        targets = [self._target_text(target).cell_len for target in CHOICES]
        grid.set_columns(
            [
                Col("column", label("column"), min=10, max=30),
                Col("example", label("example"), min=12, max=50, drop=1),
                Col("target", label("target"), width=max(targets)),
            ]
        )
        if self.table is None:
            if self._read_error:
                self.show_error(self._read_error)
            return
        self.mapping = guess_mapping(self.table.header)
        for i, heading in enumerate(self.table.header):
            example = next((r[i] for r in self.table.rows if i < len(r) and r[i]), "")
            grid.add_record(
                str(i),
                {"column": plain(heading), "example": plain(example, style="dim"), "target": ""},
            )
        grid.rows_changed()
        self._show_mapping()
        self.remember_initial()
        grid.focus()

    def cycle(self, column: int, step: int) -> None:
        """Give ``column`` the next (``step`` 1), previous (-1) or no (0) meaning; a meaning
        moves away from the column that had it."""
        if not self.mapping or column >= len(self.mapping):
            return
        if step == 0:
            new = None
        else:
            at = CHOICES.index(self.mapping[column])
            new = CHOICES[(at + step) % len(CHOICES)]
        self.mapping = [None if m == new and new is not None else m for m in self.mapping]
        self.mapping[column] = new
        self._show_mapping()

    def _target_text(self, target: str | None) -> Text:
        label = msg(f"plan_import.target.{target or 'none'}", self.lang)
        return Text(label, style="bold" if target else "dim")

    def _show_mapping(self) -> None:
        grid = self.query_one(MappingTable)
        for i, target in enumerate(self.mapping):
            grid.update_record(str(i), "target", self._target_text(target))
        self._show_preview()

    def _show_preview(self) -> None:
        shown = self.query_one("#import-preview", Static)
        if self.table is None:
            return
        try:
            self.found = preview(self.table, self.mapping, self.trygg.store.now().date())
        except TryggError as error:
            self.found = None
            shown.update(f"✗ {error.message(self.lang)}")
            return
        found = self.found
        lines = [
            self.t(
                "plan_import.preview",
                measures=len(found.rows),
                areas=len(found.areas),
                rhythms=found.rhythms_found,
            )
        ]
        for row in found.rows[:4]:
            rhythm = describe(row.values.get("rrule"), row.values.get("target_count"), self.lang)
            rhythm = f" · {rhythm}" if row.values.get("rrule") else ""
            area = f"{row.area} › " if row.area else ""
            lines.append(f"  {area}{short(row.values['activity'], 60)}{rhythm}")
        if len(found.rows) > 4:
            lines.append("  …")
        shown.update("\n".join(lines))

    def _plan_fields(self) -> dict[str, Any]:
        today = self.trygg.store.now().date()
        problems: list[FieldProblem] = []
        fields: dict[str, Any] = {
            "title": self.query_one("#import-title", Input).value,
            "kommuner": [
                k.strip()
                for k in self.query_one("#import-kommuner", Input).value.split(",")
                if k.strip()
            ]
            or None,
            "followup_interval": self.query_one("#import-followup", ChoiceLine).value,
        }
        for name, widget in (("start_date", "#import-start"), ("end_date", "#import-end")):
            text = self.query_one(widget, Input).value.strip()
            try:
                fields[name] = parse_date(text, today).isoformat() if text else None
            except TryggError as error:
                problems.append(FieldProblem(name, error.key, error.params))
        if problems:
            raise ValidationFailed("plan", problems)
        return fields

    def action_save(self) -> None:
        title = self.query_one("#import-title", Input).value
        same = plan_titled(self.trygg.store, title)
        if same is None:
            self._import(None)
            return

        def answered(choice: str | None) -> None:
            if choice == "update":
                self._import(same)
            elif choice == "new":
                self._import(None)

        options = [
            (self.t("plan_import.same.update_key"), "update", self.t("plan_import.same.update")),
            (self.t("plan_import.same.new_key"), "new", self.t("plan_import.same.new")),
        ]
        question = self.t("plan_import.same_title", title=" ".join(title.split()))
        self.app.push_screen(KeyChoiceModal(question, options), answered)

    def _import(self, into: str | None) -> None:
        """Read the plan in: a new plan, or into the plan ``into`` (updating it)."""
        store = self.trygg.store
        try:
            if self.table is None:
                raise TryggError("plan_import.empty", path=str(self.path))
            found = preview(self.table, self.mapping, store.now().date())
            done = import_plan(store, found, self._plan_fields(), into=into)
        except TryggError as error:
            self.show_error(error)
            return
        self.app.notify(
            self.t("plan_import.done", measures=done.measures, areas=done.areas), markup=False
        )
        self.dismiss(done.plan_id)
