"""Receiving: a file, or every new file in a mailbox folder, is first read as a dry run
— what is new, which fields change, which conflicts arise, and anything to look at twice
(a first contact's fingerprint to compare by phone, stamps from the future, a gap) — and
taken in only when the user says so. Afterwards the same list leads into the records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static

from db.dates import local_moment
from db.errors import TryggError
from db.protect.encryption import Encryption, Unlock, is_encrypted, stanzas
from db.records import choice_label, field_label, type_label
from db.store import Store
from db.sync.exporter import ExportSummary
from db.sync.import_notes import import_notes
from db.sync.mailbox import configured_mailbox, receive_file, waiting_files, write_own_file
from db.sync.merge import ImportSummary, import_bundle
from db.textutil import printable
from screens.widgets.base import TryggScreen
from screens.widgets.dialogs import TextPrompt
from screens.widgets.footer import Footer
from screens.widgets.navigate import open_record
from screens.widgets.tables import Col, FittedTable, RowDetail
from screens.widgets.text import plain


@dataclass
class Outcome:
    """What reading one file gave: its summary, or why it could not be read."""

    path: Path
    summary: ImportSummary | None = None
    error: TryggError | None = None


@dataclass
class Received:
    """All files read in one go, and this device's own mailbox file if one was written."""

    outcomes: list[Outcome]
    sent: ExportSummary | None = None
    send_error: TryggError | None = None


class ReceiveScreen(TryggScreen):
    """Preview, then (``j``) take in; afterwards Enter opens a record."""

    BINDINGS = [
        Binding("j,ctrl+s", "apply", "key.apply", tooltip="key.apply.tooltip", id="receive_apply"),
        Binding(
            "p",
            "passphrase",
            "key.passphrase",
            tooltip="key.passphrase.tooltip",
            id="receive_passphrase",
        ),
        Binding(
            "k",
            "conflicts",
            "key.sync_conflicts",
            tooltip="key.sync_conflicts.tooltip",
            id="receive_conflicts",
        ),
        Binding("escape", "leave", "key.back", tooltip="key.back.tooltip", id="receive_back"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.passphrase: str | None = None
        self.state = "reading"  # reading → preview → applying → done
        self.result: Received | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="receive", can_focus=False):
            yield Static(id="receive-head", markup=False)
            yield Static(id="receive-flags", markup=False)
            yield FittedTable(id="receive-changes")
            yield RowDetail(id="receive-detail")
            yield Static(id="receive-hint", markup=False, classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.t("app.title")
        self.sub_title = self.t("receive.title")
        table = self.query_one("#receive-changes", FittedTable)

        def label(key: str) -> str:
            return self.t(f"receive.col.{key}")

        table.set_columns(
            [
                Col("what", label("what"), min=12, max=40),
                Col("record", label("record"), min=16, max=60),
                Col("conflict", label("conflict"), min=8, max=30, drop=1),
                Col("from", label("from"), min=8, max=24, drop=2),
            ]
        )
        table.detail_widget = self.query_one("#receive-detail", RowDetail)
        table.focus()
        self.files = self._files()
        if not self.files:
            if self.mailbox_mode:
                # Nothing to read, but syncing still puts our own file in the folder.
                self.state, self.result = "preview", Received([])
                self.action_apply()
                return
            self.state = "done"
            self.query_one("#receive-head", Static).update(
                self.t("receive.nothing_waiting", folder=str(self.path))
            )
            self.refresh_bindings()
            return
        if any(_needs_passphrase(p) for p in self.files):
            self.action_passphrase()
        else:
            self.read()

    @property
    def mailbox_mode(self) -> bool:
        mailbox = configured_mailbox(self.trygg.store)
        return (
            mailbox is not None
            and self.path.is_dir()
            and self.path.resolve() == mailbox.folder.resolve()
        )

    def _files(self) -> list[Path]:
        if self.path.is_dir():
            return waiting_files(self.trygg.store, self.path)
        return [self.path]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apply":
            return self.state == "preview" and self._applicable()
        if action == "passphrase":
            return self.state in ("preview", "reading") and any(
                _needs_passphrase(p) for p in self.files
            )
        if action == "conflicts":
            return self.state == "done"
        return True

    def _applicable(self) -> bool:
        return self.result is not None and any(o.summary for o in self.result.outcomes)

    def _unlock(self) -> Unlock:
        secret = self.passphrase
        return Unlock([], (lambda: secret) if secret else None)

    # -- the dry run ---------------------------------------------------------------------

    def action_passphrase(self) -> None:
        def given(secret: str | None) -> None:
            # Without one, the dry run says plainly that the file needs it.
            self.passphrase = secret or None
            self.read()

        self.app.push_screen(TextPrompt(self.t("receive.ask_passphrase"), password=True), given)

    def read(self) -> None:
        """Read every file as a dry run, in a worker."""
        self.state = "reading"
        self.query_one("#receive-head", Static).update(
            self.t("receive.reading", count=len(self.files))
        )
        files, unlock, lang = list(self.files), self._unlock(), self.lang

        def dry_run(store: Store) -> Received:
            outcomes = []
            for path in files:
                try:
                    summary = import_bundle(store, path, dry_run=True, unlock=unlock, lang=lang)
                    outcomes.append(Outcome(path, summary))
                except TryggError as error:
                    outcomes.append(Outcome(path, error=error))
            return Received(outcomes)

        self.trygg.in_thread(dry_run, self._previewed, exclusive="receive-preview")

    def _previewed(self, result: Received) -> None:
        if not self.is_mounted:
            return
        self.result = result
        self.state = "preview"
        self._show(result)
        self.refresh_bindings()

    # -- taking it in --------------------------------------------------------------------

    def action_apply(self) -> None:
        if self.state != "preview" or self.result is None:
            return
        self.state = "applying"
        self.refresh_bindings()
        self.query_one("#receive-hint", Static).update(self.t("receive.applying"))
        files = [o.path for o in self.result.outcomes if o.summary is not None]
        unlock, lang, secret, folder = self._unlock(), self.lang, self.passphrase, self.path
        # Only the configured mailbox is written back to (with its own profile).
        mailbox = configured_mailbox(self.trygg.store) if self.mailbox_mode else None

        def take_in(store: Store) -> Received:
            outcomes = []
            for path in files:
                try:
                    if mailbox is not None:
                        summary = receive_file(store, path, unlock=unlock, lang=lang)
                    else:
                        summary = import_bundle(store, path, unlock=unlock, lang=lang)
                    outcomes.append(Outcome(path, summary))
                except TryggError as error:
                    outcomes.append(Outcome(path, error=error))
            received = Received(outcomes)
            if mailbox is not None:
                # Our own file goes in after the imports, so it confirms what we just read
                # (encrypted with the team passphrase when the others' files were).
                encryption = Encryption(passphrase=secret) if secret else None
                try:
                    received.sent = write_own_file(
                        store, folder, profile=mailbox.profile, encryption=encryption
                    )
                except TryggError as error:
                    received.send_error = error
            return received

        self.trygg.in_thread(take_in, self._applied)

    def _applied(self, result: Received) -> None:
        if not self.is_mounted:
            return
        self.result = result
        self.state = "done"
        self._show(result)
        self.refresh_bindings()
        self.trygg.check_mailbox()

    # -- showing -------------------------------------------------------------------------

    def _show(self, result: Received) -> None:
        done = self.state == "done"
        good = [o for o in result.outcomes if o.summary is not None]
        head = Text()
        new = sum(o.summary.total_new_records for o in good if o.summary)
        fields = sum(o.summary.updated_fields for o in good if o.summary)
        conflicts = sum(o.summary.new_conflicts for o in good if o.summary)
        if not result.outcomes:
            head.append(self.t("receive.nothing_waiting", folder=str(self.path)), style="bold")
        else:
            key = "receive.done" if done else "receive.would"
            head.append(
                self.t(key, files=len(good), new=new, fields=fields, conflicts=conflicts),
                style="bold",
            )
        self.query_one("#receive-head", Static).update(head)
        self.query_one("#receive-flags", Static).update(self._flags(result))
        table = self.query_one("#receive-changes", FittedTable)
        table.clear_records()
        for i, outcome in enumerate(good):
            assert outcome.summary is not None
            sender = printable(outcome.summary.sender.name, single_line=True)
            for n, change in enumerate(outcome.summary.changes):
                conflict = ", ".join(
                    field_label(change.rtype, f, self.lang) for f in change.conflicts
                )
                table.add_record(
                    f"{i}:{change.rtype}:{change.record_id}",
                    {
                        "what": Text(
                            self._what(change.rtype, change.new, change.deleted, change.fields)
                        ),
                        "record": plain(change.label),
                        "conflict": Text("⚠ " + conflict if conflict else "", style="bold red"),
                        # The sender once per file, so the eye finds where each file begins.
                        "from": plain(sender if n == 0 else "", style="dim"),
                    },
                )
        table.rows_changed()
        hint = "receive.hint_done" if done else "receive.hint_preview"
        if not done and not self._applicable():
            hint = "receive.hint_nothing"
        self.query_one("#receive-hint", Static).update(self.t(hint))

    def _what(self, rtype: str, new: bool, deleted: bool, fields: tuple[str, ...]) -> str:
        if deleted:
            return self.t("receive.deleted")
        if new:
            return self.t("receive.new", type=type_label(rtype, self.lang).lower())
        names = ", ".join(field_label(rtype, f, self.lang) for f in fields)
        return self.t("receive.changed", fields=names) if fields else "–"

    def _flags(self, result: Received) -> Text:
        text = Text()
        lang = self.lang

        def line(message: str, style: str = "") -> None:
            text.append(printable(message) + "\n", style=style)

        for outcome in result.outcomes:
            if outcome.error is not None:
                line(outcome.error.message(lang), "bold red")
                continue
            s = outcome.summary
            assert s is not None
            sender = printable(s.sender.name, single_line=True)
            org = choice_label("device", "org", s.sender_org, lang) if s.sender_org else "–"
            line(
                self.t(
                    "receive.from",
                    sender=sender,
                    org=org,
                    file=outcome.path.name,
                    created=local_moment(s.created_at),
                ),
                "bold",
            )
            # The same notes, in the same order, as `trygg import` gives.
            for note in import_notes(s, lang):
                line(
                    "  " + self.t(f"receive.{note.kind}", **note.params),
                    _STYLES.get(note.kind, "yellow" if note.warning else ""),
                )
            if s.new_conflicts:
                line("  " + self.t("receive.conflicts", count=s.new_conflicts), "bold red")
        if self.state != "done" and self.mailbox_mode:
            mailbox = configured_mailbox(self.trygg.store)
            if mailbox is not None:
                line(self.t("receive.will_send", profile=mailbox.profile))
        if result.sent is not None:
            line(self.t("receive.sent", path=str(result.sent.path)), "bold")
        elif self.state == "done" and self.mailbox_mode and result.send_error is None:
            line(self.t("receive.sent_unchanged"))
        if result.send_error is not None:
            line(result.send_error.message(lang), "bold red")
        return text

    # -- after -------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = self.query_one("#receive-changes", FittedTable).current_key
        if key is None or self.state != "done":
            return
        _i, rtype, record_id = key.split(":", 2)
        if not open_record(self.app, self.trygg.store, rtype, record_id):
            self.notify(self.t("receive.no_screen"), markup=False)

    def action_conflicts(self) -> None:
        from screens.sync_conflicts import ConflictListScreen

        self.app.push_screen(ConflictListScreen())

    def action_leave(self) -> None:
        if self.state == "applying":
            return
        self.app.pop_screen()


#: Notes styled apart from the rest: the key to compare by phone stands out; the copy
#: taken before the import is a footnote.
_STYLES = {"first_contact": "bold yellow", "backup": "dim"}


def _needs_passphrase(path: Path) -> bool:
    try:
        return is_encrypted(path) and "scrypt" in stanzas(path)
    except OSError:
        return False
