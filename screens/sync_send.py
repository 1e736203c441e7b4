"""Sending: where the file goes (a folder or USB stick), to whom (everyone reading a
mailbox folder, one colleague, or a new colleague who gets everything), with or without
personal data (the profile, explained in plain words), encrypted or not — and, before
anything is written, what the file will carry. The file is written in a worker with a
progress bar, and the screen says where it went."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, ProgressBar, Static

from db.errors import TryggError
from db.files import usual_places
from db.protect.encryption import Encryption, passphrase_encryption
from db.records import DISPLAY_ORDER, KOMMUN, POLIS, type_label
from db.reports import output_folder
from db.store import Store
from db.sync.exporter import (
    ExportPreview,
    ExportSummary,
    Peer,
    default_profile,
    export_bundle,
    peers,
    preview_export,
)
from db.sync.mailbox import configured_mailbox, preview_own_file, write_own_file
from db.textutil import printable
from screens.widgets.choices import AnswerLine, ChoiceLine
from screens.widgets.forms import FormInput, FormModal

#: The "to" choices that are not a colleague's device.
MAILBOX = "*mailbox"
NEW = "*new"
#: Colleagues offered by key (1 and 2 are the mailbox and a new colleague).
MAX_PEERS = 7


class SendScreen(FormModal):
    """Dismisses with the path of the file written, or None."""

    DEFAULT_CSS = """
    SendScreen .form { width: 100; }
    SendScreen #send-preview { height: auto; margin: 1 0 0 0; }
    SendScreen #send-progress { margin: 1 0 0 0; }
    SendScreen #send-done { height: auto; color: $success; text-style: bold; }
    """
    BINDINGS = [
        Binding("ctrl+o", "browse", "key.browse", tooltip="key.browse.tooltip", id="send_browse"),
        Binding("ctrl+s", "save", "key.send", tooltip="key.send.tooltip", id="send_go"),
    ]
    AUTO_FOCUS = "#send-to"

    def __init__(self) -> None:
        super().__init__()
        self.sending = False

    def compose(self) -> ComposeResult:
        store = self.trygg.store
        self.known = peers(store)[:MAX_PEERS]
        mailbox = configured_mailbox(store)
        options = [
            ("1", MAILBOX, self.t("send.to.mailbox")),
            ("2", NEW, self.t("send.to.new")),
        ]
        for i, peer in enumerate(self.known, start=3):
            options.append((str(i), peer.id, printable(peer.name, single_line=True)))
        if mailbox is not None:
            folder, to = mailbox.folder, MAILBOX
        else:
            mounted = [p for p in usual_places() if p != Path.home()]
            folder = mounted[0] if mounted else output_folder(store)
            to = self.known[0].id if self.known else NEW
        with VerticalScroll(classes="form", can_focus=False):
            yield Static(self.t("send.title"), classes="section-title", markup=False)
            yield self.row(self.t("send.folder"), FormInput(str(folder), id="send-folder"))
            yield self.row(self.t("send.to"), ChoiceLine(options, to, id="send-to"))
            yield self.row(
                self.t("send.profile"),
                ChoiceLine(
                    [
                        ("1", KOMMUN, self.t("send.profile.kommun")),
                        ("2", POLIS, self.t("send.profile.polis")),
                    ],
                    self._default_profile(to),
                    id="send-profile",
                ),
            )
            yield Static(id="send-profile-said", classes="hint", markup=False)
            yield self.row(
                self.t("send.encryption"),
                ChoiceLine(
                    [
                        ("1", "none", self.t("send.encryption.none")),
                        ("2", "passphrase", self.t("send.encryption.passphrase")),
                        ("3", "recipients", self.t("send.encryption.recipients")),
                    ],
                    "none",
                    id="send-crypt",
                ),
            )
            yield self._hidden_row("send.passphrase", FormInput(password=True, id="send-pass"))
            yield self._hidden_row(
                "send.passphrase_again", FormInput(password=True, id="send-pass2")
            )
            yield self._hidden_row(
                "send.recipients",
                FormInput(id="send-recipients", placeholder=self.t("send.recipients.placeholder")),
            )
            yield Static(id="send-preview", markup=False)
            yield ProgressBar(id="send-progress", show_eta=False)
            yield Static(id="send-done", markup=False)
            yield from self.form_footer(self.t("send.keys"))

    def _hidden_row(self, label: str, widget: Input) -> Horizontal:
        row = self.row(self.t(label), widget)
        row.id = f"{widget.id}-row"
        row.display = False
        return row

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#send-progress", ProgressBar).display = False
        self._explain_profile()
        self.remember_initial()
        self.query_one("#send-to", ChoiceLine).focus()
        self.update_preview()

    # -- the choices ---------------------------------------------------------------------

    def _peer(self, to: str | None) -> Peer | None:
        return next((p for p in self.known if p.id == to), None)

    def _default_profile(self, to: str | None) -> str:
        if to == MAILBOX:
            mailbox = configured_mailbox(self.trygg.store)
            return mailbox.profile if mailbox else KOMMUN
        return default_profile(self._peer(to))

    def _value(self, name: str) -> str | None:
        return self.query_one(f"#send-{name}", ChoiceLine).value

    def _folder(self) -> Path:
        return Path(self.query_one("#send-folder", Input).value.strip() or ".").expanduser()

    def answered(self, line: AnswerLine, advance: bool) -> None:
        if line.id == "send-to":
            self.query_one("#send-profile", ChoiceLine).value = self._default_profile(
                self._value("to")
            )
        if line.id in ("send-to", "send-profile"):
            self._explain_profile()
        if line.id == "send-crypt":
            how = self._value("crypt")
            for name, shown in (
                ("send-pass", how == "passphrase"),
                ("send-pass2", how == "passphrase"),
                ("send-recipients", how == "recipients"),
            ):
                self.query_one(f"#{name}-row").display = shown
        self.update_preview()
        super().answered(line, advance)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "send-folder":
            self.update_preview()

    def _explain_profile(self) -> None:
        profile = self._value("profile") or KOMMUN
        text = self.t(f"send.profile.{profile}.explain")
        peer = self._peer(self._value("to"))
        if profile == POLIS and (self._value("to") == MAILBOX or (peer and not peer.police)):
            text += "\n" + self.t("send.profile.polis_warning")
        self.query_one("#send-profile-said", Static).update(text)

    def action_browse(self) -> None:
        from screens.widgets.path_picker import PathPickerModal

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self.query_one("#send-folder", Input).value = str(folder)
                self.update_preview()

        self.app.push_screen(
            PathPickerModal(self.t("send.pick_folder"), start=self._folder()), chosen
        )

    # -- what will be sent ---------------------------------------------------------------

    def update_preview(self) -> None:
        """Count what the file would carry (in a worker; only the latest answer shows)."""
        to, profile, folder = self._value("to"), self._value("profile") or KOMMUN, self._folder()
        peer = self._peer(to)

        def count(store: Store) -> ExportPreview | None:
            if to == MAILBOX:
                if not folder.is_dir():
                    return None
                return preview_own_file(store, folder, profile=profile)
            return preview_export(store, peer=peer, full=peer is None, profile=profile)

        def show(preview: ExportPreview | None) -> None:
            if self.is_mounted and not self.sending:
                self._show_preview(preview)

        self.trygg.in_thread(count, show, exclusive="send-preview")

    def _show_preview(self, preview: ExportPreview | None) -> None:
        widget = self.query_one("#send-preview", Static)
        if preview is None:
            widget.update(self.t("send.preview.no_folder"))
            return
        text = Text()
        if not preview.entries:
            text.append(self.t("send.preview.nothing"))
            widget.update(text)
            return
        parts = ", ".join(
            f"{type_label(rtype, self.lang).lower()} {preview.records[rtype]}"
            for rtype in DISPLAY_ORDER
            if rtype in preview.records
        )
        key = "send.preview.full" if preview.full else "send.preview.delta"
        text.append(
            self.t(key, entries=preview.entries, records=preview.record_count, types=parts),
            style="bold",
        )
        text.append("\n")
        if preview.personal:
            text.append(self.t("send.preview.personal"), style="bold red")
            if self._value("crypt") == "none":
                text.append("\n" + self.t("send.preview.unencrypted"), style="bold red")
        else:
            text.append(self.t("send.preview.no_personal"))
        widget.update(text)

    # -- sending -------------------------------------------------------------------------

    def _encryption(self) -> Encryption | None:
        how = self._value("crypt")
        if how == "passphrase":
            return passphrase_encryption(
                self.query_one("#send-pass", Input).value,
                self.query_one("#send-pass2", Input).value,
            )
        if how == "recipients":
            text = self.query_one("#send-recipients", Input).value
            keys = [k for k in text.replace(",", " ").split() if k]
            if not keys:
                raise TryggError("encrypt.no_recipients")
            return Encryption(recipients=keys)
        return None

    def action_save(self) -> None:
        if self.sending:
            return
        self.clear_error()
        folder = self._folder()
        to, profile = self._value("to"), self._value("profile") or KOMMUN
        peer = self._peer(to)
        try:
            if not folder.is_dir():
                raise TryggError("sync.folder_missing", path=str(folder))
            encryption = self._encryption()
        except TryggError as error:
            self.show_error(error)
            if error.key.startswith("encrypt."):
                focus = "#send-recipients" if self._value("crypt") == "recipients" else "#send-pass"
                self.query_one(focus, Input).focus()
            return
        self.sending = True
        bar = self.query_one("#send-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.query_one("#send-done", Static).update(self.t("send.sending"))

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, total=max(total, 1), progress=done)

        def write(store: Store) -> ExportSummary | None:
            if to == MAILBOX:
                return write_own_file(
                    store, folder, profile=profile, encryption=encryption, progress=progress
                )
            return export_bundle(
                store,
                folder,
                peer=peer,
                full=peer is None,
                profile=profile,
                encryption=encryption,
                progress=progress,
            )

        self.trygg.in_thread(write, self._sent, self._failed)

    def _sent(self, summary: ExportSummary | None) -> None:
        self.sending = False
        bar = self.query_one("#send-progress", ProgressBar)
        bar.update(total=1, progress=1)
        if summary is None:
            self.query_one("#send-done", Static).update(self.t("send.unchanged"))
            return
        crypt = summary.encryption.split(":")[0]
        done = self.t(
            "send.done",
            name=summary.path.name,
            entries=summary.entries,
            records=sum(summary.records.values()),
            profile=summary.profile,
            encryption=self.t(f"sync.encryption.{crypt}"),
        )
        folder = summary.path.parent
        self.query_one("#send-done", Static).update(
            f"{printable(done)}\n{printable(str(folder))}\n{self.t('send.done_close')}"
        )
        self.cancel_result = str(summary.path)
        self.remember_initial()
        self.notify_in_folder(done, folder)

    def _failed(self, error: TryggError) -> None:
        self.sending = False
        self.query_one("#send-progress", ProgressBar).display = False
        self.query_one("#send-done", Static).update("")
        self.show_error(error)
