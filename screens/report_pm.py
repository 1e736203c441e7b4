"""The note to social services (PM till socialförvaltningen) for one or several reports:
which young people it is about, the legal reference printed on it (the users' own text;
R changes it for every note), and where the file goes. Enter writes it; Esc leaves."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from db.errors import TryggError
from db.reports import output_folder
from db.reports.pm import legal_reference, reports_for_pm, set_legal_reference, write_pm
from db.textutil import printable
from screens.widgets.dialogs import DialogModal, TextPrompt


class PmModal(DialogModal[bool]):
    """Dismisses with True when the note was written."""

    DEFAULT_CSS = """
    PmModal .dialog { width: 90; }
    PmModal #pm-error { color: $error; text-style: bold; }
    """
    BINDINGS = [
        Binding("enter", "write", "key.write_pm", tooltip="key.write_pm.tooltip", id="pm_write"),
        # Asks a question: priority, so what is typed with it is the answer.
        Binding(
            "r",
            "reference",
            "key.pm_reference",
            tooltip="key.pm_reference.tooltip",
            id="pm_ref",
            priority=True,
        ),
        Binding("escape", "cancel", "key.cancel", tooltip="key.cancel.tooltip", id="pm_cancel"),
    ]

    def __init__(self, report_ids: list[str]) -> None:
        super().__init__()
        self.report_ids = report_ids
        self.failed = False

    def compose(self) -> ComposeResult:
        store = self.trygg.store
        with Vertical(classes="dialog"):
            yield Static(self.t("pm_dialog.title"), classes="section-title")
            yield Static(id="pm-who", markup=False)
            yield Static(self.t("pm_dialog.reference"), markup=False)
            yield Static(legal_reference(store, self.lang), id="pm-reference", markup=False)
            yield Static(
                self.t("pm_dialog.folder", folder=str(output_folder(store))),
                classes="hint",
                markup=False,
            )
            yield Static(id="pm-error", markup=False)
            yield Static(self.t("pm_dialog.keys"), classes="hint", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        who = self.query_one("#pm-who", Static)
        try:
            reports = reports_for_pm(self.trygg.store, self.report_ids)
        except TryggError as error:
            who.update(error.message(self.lang))
            self.failed = True
            return
        lines = []
        for report in reports:
            sent = report.get("pm_sent_date")
            line = self.t(
                "pm_dialog.line",
                nr=report["nr"],
                date=report["date"],
                name=report.get("name") or self.t("reports.no_name"),
            )
            if sent:
                line += " " + self.t("pm_dialog.already_sent", date=sent)
            lines.append(printable(line))
        who.update("\n".join(lines))

    def action_reference(self) -> None:
        """Change the legal reference printed on every note from now on."""
        store = self.trygg.store

        def changed(text: str | None) -> None:
            if text is None:
                return
            try:
                set_legal_reference(store, text)
            except TryggError as error:
                self.query_one("#pm-error", Static).update(error.message(self.lang))
                return
            self.query_one("#pm-reference", Static).update(legal_reference(store, self.lang))

        question = self.t("pm_dialog.reference_question")
        self.app.push_screen(TextPrompt(question, legal_reference(store, self.lang)), changed)

    def action_write(self) -> None:
        if self.failed:
            return
        store = self.trygg.store
        try:
            written = write_pm(store, self.report_ids, store.now().date(), self.lang)
        except TryggError as error:
            self.query_one("#pm-error", Static).update(error.message(self.lang))
            return
        self.notify_in_folder(
            self.t("pm_dialog.written", name=written.path.name), written.path.parent
        )
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
