"""Writing a walk's documents: the lists for problem owners, and the walk protocol."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from db.errors import TryggError
from db.reports import OUTPUT_FOLDER, output_folder
from db.reports.walks import (
    OWNER_LIST_FORMATS,
    PROTOCOL_FORMATS,
    owners_to_send,
    write_owner_list,
    write_walk_protocol,
)
from screens.widgets.choices import AnswerLine, ChoiceLine, YesNoLine
from screens.widgets.forms import FormInput, FormModal


class _DocumentModal(FormModal):
    """Folder and format, then ctrl+s (or Enter in the folder) writes."""

    FORMATS: tuple[str, ...] = ()

    def folder_and_format(self) -> ComposeResult:
        store = self.trygg.store
        yield self.row(
            self.t("documents.folder"),
            FormInput(str(output_folder(store)), id="documents-folder"),
        )
        options = [
            (str(i), fmt, self.t(f"documents.format.{fmt}"))
            for i, fmt in enumerate(self.FORMATS, start=1)
        ]
        line = ChoiceLine(options, self.FORMATS[0], id="documents-format")
        line.required = True
        yield self.row(self.t("documents.format"), line)

    def chosen(self) -> tuple[Path, str]:
        """The folder (remembered for next time) and the format chosen."""
        typed = self.query_one("#documents-folder", FormInput).value.strip()
        folder = Path(typed or ".").expanduser()
        if str(folder) != str(output_folder(self.trygg.store)):
            self.trygg.store.set_setting(OUTPUT_FOLDER, str(folder))
        chosen = self.query_one("#documents-format", ChoiceLine).value
        return folder, chosen or self.FORMATS[0]

    def on_mount(self) -> None:
        super().on_mount()
        self.remember_initial()


class OwnerListsModal(_DocumentModal):
    """One list per problem owner of a walk (or for one owner across walks); the
    findings on them are marked as sent today unless the user says otherwise."""

    FORMATS = OWNER_LIST_FORMATS
    AUTO_FOCUS = "#documents-folder"

    def __init__(self, *, walk_id: str | None = None, owner_id: str | None = None) -> None:
        super().__init__()
        self.walk_id, self.owner_id = walk_id, owner_id

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form", can_focus=False):
            yield Static(self.t("documents.owner_lists"), classes="section-title")
            yield Static(id="documents-owners")
            yield from self.folder_and_format()
            yield self.row(
                self.t("documents.reminder"), self.yes_no(False, id="documents-reminder")
            )
            yield self.row(self.t("documents.mark_sent"), self.yes_no(True, id="documents-mark"))
            yield from self.form_footer(self.t("documents.keys"))

    def on_mount(self) -> None:
        super().on_mount()
        self._show_owners()

    def answered(self, line: AnswerLine, advance: bool) -> None:
        if line.id == "documents-reminder":
            self._show_owners()
        super().answered(line, advance)

    @property
    def scope(self) -> str:
        return "open" if self.query_one("#documents-reminder", YesNoLine).checked else "new"

    def _owners(self) -> tuple[list, int]:
        store = self.trygg.store
        owners, unowned = owners_to_send(
            store, store.now().date(), scope=self.scope, walk_id=self.walk_id
        )
        if self.owner_id:
            owners = [o for o in owners if o.owner_id == self.owner_id]
        return owners, unowned

    def _show_owners(self) -> None:
        owners, unowned = self._owners()
        text = Text()
        if not owners:
            text.append(self.t("documents.nothing_to_send"), style="bold")
        for owner in owners:
            text.append("• ")
            text.append(owner.name)
            text.append(f"  {self.t('documents.findings', count=owner.count)}\n")
        if unowned and not self.owner_id:
            text.append(self.t("documents.unowned", count=unowned), style="bold")
        self.query_one("#documents-owners", Static).update(text)

    def action_save(self) -> None:
        store = self.trygg.store
        lang = self.lang
        owners, _ = self._owners()
        if not owners:
            self.query_one("#form-error", Static).update(self.t("documents.nothing_to_send"))
            return
        folder, fmt = self.chosen()
        mark = self.query_one("#documents-mark", YesNoLine).checked
        written = []
        try:
            for owner in owners:
                written.append(
                    write_owner_list(
                        store,
                        owner.owner_id,
                        folder,
                        store.now().date(),
                        fmt=fmt,
                        scope=self.scope,
                        walk_id=self.walk_id,
                        mark=mark,
                        lang=lang,
                    )
                )
        except TryggError as error:
            self.show_error(error)
            if not written:
                return
        self.notify_in_folder(self.t("documents.lists_written", count=len(written)), folder)
        self.dismiss(str(folder))


class ProtocolModal(_DocumentModal):
    """The walk protocol for the steering group or the residents, or a map file."""

    FORMATS = PROTOCOL_FORMATS
    AUTO_FOCUS = "#documents-folder"

    def __init__(self, walk_id: str) -> None:
        super().__init__()
        self.walk_id = walk_id

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form", can_focus=False):
            yield Static(self.t("documents.protocol"), classes="section-title")
            yield from self.folder_and_format()
            yield from self.form_footer(self.t("documents.keys"))

    def action_save(self) -> None:
        store = self.trygg.store
        folder, fmt = self.chosen()
        try:
            written = write_walk_protocol(
                store,
                self.walk_id,
                folder,
                store.now().date(),
                fmt=fmt,
                lang=self.lang,
            )
        except TryggError as error:
            self.show_error(error)
            return
        self.notify_in_folder(
            self.t("documents.written", name=written.path.name), written.path.parent
        )
        self.dismiss(str(written.path))
