"""Synk (F9): send and receive files, the conflicts to resolve, and the colleagues'
devices — who they are, whether their key has been compared by phone, when we last heard
from them and how much of ours they still lack."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static

from db.dates import local_moment
from db.errors import TryggError
from db.peers import PeerKey
from db.protect.pinning import forget, trust
from db.records import KOMMUN, POLIS, choice_label
from db.store import Store
from db.sync.mailbox import configure_mailbox
from db.sync.status import Colleague, SyncStatus, sync_status
from db.textutil import printable
from screens.widgets.base import DataChanged, MailboxChanged, TryggScreen
from screens.widgets.dialogs import ConfirmModal, KeyChoiceModal
from screens.widgets.footer import Footer
from screens.widgets.tables import Col, FittedTable
from screens.widgets.text import ago, plain


class SyncScreen(TryggScreen):
    """The hub of sync: status lines, the colleagues table, the recent files."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back", tooltip="key.back.tooltip", id="sync_back"),
        Binding("s", "send", "key.sync_send", tooltip="key.sync_send.tooltip", id="sync_send"),
        Binding(
            "t",
            "receive",
            "key.sync_receive",
            tooltip="key.sync_receive.tooltip",
            id="sync_receive",
        ),
        Binding(
            "k",
            "conflicts",
            "key.sync_conflicts",
            tooltip="key.sync_conflicts.tooltip",
            id="sync_conflicts",
        ),
        Binding(
            "y",
            "mailbox_sync",
            "key.sync_mailbox_now",
            tooltip="key.sync_mailbox_now.tooltip",
            id="sync_mailbox_now",
        ),
        Binding(
            "b",
            "mailbox_setup",
            "key.sync_mailbox",
            tooltip="key.sync_mailbox.tooltip",
            id="sync_mailbox",
        ),
        Binding("g", "trust", "key.sync_trust", tooltip="key.sync_trust.tooltip", id="sync_trust"),
        Binding(
            "p", "police", "key.sync_police", tooltip="key.sync_police.tooltip", id="sync_police"
        ),
        Binding(
            "delete",
            "forget",
            "key.sync_forget",
            tooltip="key.sync_forget.tooltip",
            id="sync_forget",
        ),
        Binding(
            "r",
            "refresh",
            "key.refresh",
            tooltip="key.refresh.tooltip",
            id="sync_refresh",
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status: SyncStatus | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="sync", can_focus=False):
            yield Static(id="sync-self", markup=False)
            yield Static(id="sync-state", markup=False)
            yield Static(id="sync-mailbox", markup=False)
            yield Static(self.t("sync.colleagues"), classes="section-title", markup=False)
            yield FittedTable(id="sync-peers")
            yield Static(id="sync-peer", markup=False, classes="hint")
            yield Static(self.t("sync.recent"), classes="section-title", markup=False)
            yield FittedTable(id="sync-files", zebra_stripes=False, show_cursor=False)
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.t("app.title")
        self.sub_title = self.t("sync.title")
        peers = self.query_one("#sync-peers", FittedTable)

        def peer(key: str) -> str:
            return self.t(f"sync.col.{key}")

        # Who, when last heard from and how much they lack first; the key's fingerprint
        # is also in full under the table.
        peers.set_columns(
            [
                Col("name", peer("name"), min=24, max=40),
                Col("org", peer("org"), min=6, max=14, drop=1),
                Col("key", peer("key"), min=8, max=22, drop=3),
                Col("heard", peer("heard"), min=14, max=20),
                Col("sent", peer("sent"), min=14, max=20, drop=2),
                Col("lacks", peer("lacks"), min=6, max=20),
            ]
        )
        files = self.query_one("#sync-files", FittedTable)

        def file(key: str) -> str:
            return self.t(f"sync.file.{key}")

        files.set_columns(
            [
                Col("when", file("when"), width=16),
                Col("to", file("to"), min=8, max=30),
                Col("profile", file("profile"), min=6, max=18),
                Col("encryption", file("encryption"), min=8, max=20, drop=1),
                Col("entries", file("entries"), width=5, justify="right"),
                Col("path", file("path"), min=10, max=60, drop=2),
            ]
        )
        peers.focus()
        self.reload()

    @on(DataChanged)
    @on(MailboxChanged)
    def show_changed_data(self) -> None:
        """Records changed behind this screen: show them again."""
        self.reload()

    def on_screen_resume(self) -> None:
        if self.returned_to():
            self.reload()

    def action_refresh(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Gather the figures in a worker (counts over the journal), then show them."""

        def gather(store: Store) -> SyncStatus:
            return sync_status(store)

        self.trygg.in_thread(gather, self._show, exclusive="sync")

    # -- showing -------------------------------------------------------------------------

    def _show(self, status: SyncStatus) -> None:
        if not self.is_mounted:
            return
        self.status = status
        lang = self.lang
        device = self.trygg.store.require_device()
        org = choice_label("device", "org", device.org, lang) if device.org else "–"
        self.query_one("#sync-self", Static).update(
            self.t(
                "sync.self",
                name=device.name,
                org=org,
                fingerprint=status.own.fingerprint,
                age=status.own.age_recipient,
            )
        )
        state = Text()
        if status.unsent:
            state.append(self.t("sync.unsent", count=status.unsent), style="bold")
            if status.oldest_unsent:
                state.append(" " + self.t("sync.unsent_since", date=status.oldest_unsent))
        else:
            state.append(self.t("sync.all_sent"))
        state.append(
            " · "
            + self.t("sync.last_file", ago=ago(self.t, status.last_export, self.trygg.store.now()))
        )
        if status.open_conflicts:
            state.append("\n")
            state.append(self.t("sync.conflicts", count=status.open_conflicts), style="bold red")
        self.query_one("#sync-state", Static).update(state)
        self.query_one("#sync-mailbox", Static).update(self._mailbox_line(status))
        self._fill_peers(status.colleagues)
        self._fill_files(status)
        self._show_peer()

    def _mailbox_line(self, status: SyncStatus) -> Text:
        if status.mailbox is None:
            return Text(self.t("sync.no_mailbox"))
        box = status.mailbox
        line = Text(
            printable(
                self.t("sync.mailbox", folder=str(box.folder), profile=box.profile),
                single_line=True,
            )
        )
        if not box.folder.is_dir():
            line.append(" · " + self.t("sync.mailbox_missing"), style="bold")
        elif status.waiting:
            line.append(" · ")
            line.append(self.t("sync.waiting", count=status.waiting), style="bold")
        return line

    def _fill_peers(self, colleagues: list[Colleague]) -> None:
        table = self.query_one("#sync-peers", FittedTable)
        keep = table.current_key
        table.clear_records()
        for c in colleagues:
            peer = c.key.peer
            org = choice_label("device", "org", peer.org, self.lang) if peer.org else "–"
            # Police by decision: ✓ confirmed here, ? only said by the device itself.
            mark = " ✓" if peer.police else (" ?" if peer.org == POLIS else "")
            table.add_record(
                peer.id,
                {
                    "name": plain(peer.name, style="bold"),
                    "org": Text(org + mark, style="yellow" if mark == " ?" else ""),
                    "key": self._key_cell(c),
                    "heard": Text(ago(self.t, peer.last_heard, self.trygg.store.now())),
                    "sent": Text(ago(self.t, peer.last_sent, self.trygg.store.now())),
                    "lacks": Text(self.t("sync.lacks", count=c.lacks) if c.lacks else "–"),
                },
            )
        table.rows_changed()
        if keep and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))
        if not colleagues:
            self.query_one("#sync-peer", Static).update(self.t("sync.no_colleagues"))

    def _key_cell(self, c: Colleague) -> Text:
        key = c.key
        if key.offered_fingerprint:
            return Text("⚠ " + self.t("sync.key_offered"), style="bold red")
        if key.fingerprint is None:
            return Text(self.t("sync.key_none"), style="dim")
        if key.verified_at:
            return Text(f"✓ {key.fingerprint}")
        return Text(f"? {key.fingerprint}", style="yellow")

    def _fill_files(self, status: SyncStatus) -> None:
        table = self.query_one("#sync-files", FittedTable)
        table.clear_records()
        for i, entry in enumerate(status.recent_files):
            when = local_moment(entry.at)
            kind = entry.encryption.split(":")[0]
            table.add_record(
                str(i),
                {
                    "when": Text(when),
                    "to": plain(entry.recipient or self.t("sync.anyone")),
                    "profile": Text(
                        entry.profile + (" SEKRETESS" if entry.personal else ""),
                        style="bold" if entry.personal else "",
                    ),
                    "encryption": Text(self.t(f"sync.encryption.{kind}")),
                    "entries": Text(str(entry.entries)),
                    # The file's name: its folder is the mailbox or stick it went to.
                    "path": plain(Path(entry.path).name),
                },
            )
        table.rows_changed()

    def _colleague(self) -> Colleague | None:
        if self.status is None:
            return None
        key = self.query_one("#sync-peers", FittedTable).current_key
        return next((c for c in self.status.colleagues if c.key.peer.id == key), None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "sync-peers":
            self._show_peer()

    def _show_peer(self) -> None:
        c = self._colleague()
        if c is None:
            return
        key = c.key
        lines = [self.t("sync.peer.id", name=key.peer.name, id=key.peer.id)]
        if key.fingerprint:
            state = "sync.peer.verified" if key.verified_at else "sync.peer.not_verified"
            lines.append(self.t(state, fingerprint=key.fingerprint, name=key.peer.name))
        else:
            lines.append(self.t("sync.peer.no_key"))
        if key.offered_fingerprint:
            lines.append(
                self.t("sync.peer.offered", fingerprint=key.offered_fingerprint, name=key.peer.name)
            )
        if key.peer.police:
            lines.append(self.t("sync.peer.police"))
        elif key.peer.org == POLIS:
            lines.append(self.t("sync.peer.police_unconfirmed"))
        if key.offered_card:
            lines.append(self.t("sync.peer.card_offered", **self._offer(key)))
        self.query_one("#sync-peer", Static).update(printable("\n".join(lines)), layout=True)

    # -- actions -------------------------------------------------------------------------

    def action_send(self) -> None:
        from screens.sync_send import SendScreen

        self.app.push_screen(SendScreen(), lambda _path: self.reload())

    def action_receive(self) -> None:
        from screens.sync_receive import ReceiveScreen
        from screens.widgets.path_picker import PathPickerModal

        mailbox = self.status.mailbox if self.status else None
        start = mailbox.folder if mailbox else None

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.app.push_screen(ReceiveScreen(path))

        self.app.push_screen(
            PathPickerModal(self.t("sync.pick_receive"), files=True, start=start), chosen
        )

    def action_mailbox_sync(self) -> None:
        from screens.sync_receive import ReceiveScreen

        mailbox = self.status.mailbox if self.status else None
        if mailbox is None:
            self.action_mailbox_setup()
            return
        if not mailbox.folder.is_dir():
            self.notify_in_folder(self.t("sync.mailbox_missing_long"), mailbox.folder, warning=True)
            return
        self.app.push_screen(ReceiveScreen(mailbox.folder))

    def action_mailbox_setup(self) -> None:
        from screens.widgets.path_picker import PathPickerModal

        mailbox = self.status.mailbox if self.status else None
        store = self.trygg.store

        def profile_chosen(folder: Path, profile: str | None) -> None:
            if profile is None:
                return
            configure_mailbox(store, folder, profile)
            self.notify_in_folder(self.t("sync.mailbox_set", profile=profile), folder)
            self.trygg.check_mailbox()
            self.reload()

        def folder_chosen(folder: Path | None) -> None:
            if folder is None:
                return
            options = [
                ("1", KOMMUN, self.t("sync.profile.kommun.short")),
                ("2", POLIS, self.t("sync.profile.polis.short")),
            ]
            self.app.push_screen(
                KeyChoiceModal(self.t("sync.mailbox_profile"), options),
                lambda profile: profile_chosen(folder, profile),
            )

        self.app.push_screen(
            PathPickerModal(self.t("sync.pick_mailbox"), start=mailbox.folder if mailbox else None),
            folder_chosen,
        )

    def action_conflicts(self) -> None:
        from screens.sync_conflicts import ConflictListScreen

        self.app.push_screen(ConflictListScreen())

    def action_trust(self) -> None:
        c = self._colleague()
        if c is None:
            return
        key = c.key
        fingerprint = key.offered_fingerprint or key.fingerprint
        if fingerprint is None:
            self.notify(self.t("sync.peer.no_key"), severity="warning", markup=False)
            return
        question_key = "sync.trust_new" if key.offered_fingerprint else "sync.trust_question"
        question = self.t(question_key, name=key.peer.name, fingerprint=fingerprint)
        if key.offered_card:
            question += "\n" + self.t("sync.trust_card", name=key.peer.name, **self._offer(key))

        def answered(yes: bool | None) -> None:
            if yes:
                trust(self.trygg.store, key.peer.id)
                self.notify(
                    printable(self.t("sync.trusted", name=key.peer.name), single_line=True),
                    markup=False,
                )
                self.reload()

        self.app.push_screen(ConfirmModal(question), answered)

    def action_police(self) -> None:
        """Confirm the colleague under the cursor as police, once the fingerprint has been
        compared by phone: only then do files to it carry personal data by default."""
        c = self._colleague()
        if c is None:
            return
        key = c.key
        fingerprint = key.offered_fingerprint or key.fingerprint
        if fingerprint is None:
            self.notify(self.t("sync.peer.no_key"), severity="warning", markup=False)
            return
        says = key.offered_card.org if key.offered_card else key.peer.org
        if says != POLIS:
            refusal = TryggError("peer.not_police", name=key.peer.name)
            self.notify(refusal.message(self.lang), severity="warning", markup=False)
            return
        question = self.t("sync.police_question", name=key.peer.name, fingerprint=fingerprint)

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                trust(self.trygg.store, key.peer.id, fingerprint, police=True)
            except TryggError as error:
                self.notify(error.message(self.lang), severity="error", markup=False)
                return
            self.notify(
                printable(self.t("sync.police_done", name=key.peer.name), single_line=True),
                markup=False,
            )
            self.reload()

        self.app.push_screen(ConfirmModal(question), answered)

    def _offer(self, key: PeerKey) -> dict[str, str]:
        offered = key.offered_card
        assert offered is not None
        org = choice_label("device", "org", offered.org, self.lang) if offered.org else "–"
        return {"offered": offered.name, "org": org}

    def action_forget(self) -> None:
        c = self._colleague()
        if c is None:
            return
        name = c.key.peer.name

        def answered(yes: bool | None) -> None:
            if yes:
                forget(self.trygg.store, c.key.peer.id)
                self.notify(
                    printable(self.t("sync.forgotten", name=name), single_line=True),
                    markup=False,
                )
                self.reload()

        self.app.push_screen(ConfirmModal(self.t("sync.forget_question", name=name)), answered)
