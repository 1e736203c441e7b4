"""The Textual application: opens the store, runs first-time setup, shows the overview,
and moves between the sections (one function key each, from anywhere)."""

from __future__ import annotations

import gc
import sqlite3
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events
from textual._time import get_time as message_clock
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.css.query import NoMatches
from textual.notifications import Notify
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from db import database
from db.errors import TryggError
from db.i18n import normalise_language, render
from db.protect import copies
from db.store import Store
from db.textutil import printable
from screens.widgets.base import DataChanged, MailboxChanged, localise_bindings

#: Night use outdoors: dark by default; a light theme for daylight and projectors.
DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"


class TryggApp(App[None]):
    """Trygg in the terminal."""

    CSS_PATH = "trygg.tcss"
    TITLE = "Trygg"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding(
            "ctrl+p",
            "command_palette",
            "key.palette",
            tooltip="key.palette.tooltip",
            id="palette",
            show=False,
            priority=True,
        ),
        Binding("ctrl+q", "quit", "key.quit", tooltip="key.quit.tooltip", id="quit", priority=True),
        Binding("f1", "help", "key.help", tooltip="key.help.tooltip", id="help"),
        Binding("question_mark", "help", "key.help", show=False, id="help_alt"),
        Binding("f2", "section('home')", "key.home", tooltip="key.home.tooltip", id="home"),
        Binding("f3", "section('walks')", "key.walks", tooltip="key.walks.tooltip", id="walks"),
        Binding("f4", "section('owners')", "key.owners", tooltip="key.owners.tooltip", id="owners"),
        # The two keys that open a form are priority bindings: the form is pushed when the
        # key is read, before the keys typed after it, which it holds for its first field.
        Binding(
            "f5",
            "new_report",
            "key.new_report",
            tooltip="key.new_report.tooltip",
            id="new_report",
            priority=True,
        ),
        Binding(
            "f6", "section('reports')", "key.reports", tooltip="key.reports.tooltip", id="reports"
        ),
        Binding(
            "f7",
            "log_progress",
            "key.log_progress",
            tooltip="key.log_progress.tooltip",
            id="log_progress",
            priority=True,
        ),
        Binding("f8", "section('plans')", "key.plans", tooltip="key.plans.tooltip", id="plans"),
        Binding("f9", "section('sync')", "key.sync", tooltip="key.sync.tooltip", id="sync"),
        Binding("ctrl+z", "undo", "key.undo", tooltip="key.undo.tooltip", id="undo"),
        Binding(
            "h", "history", "key.history", tooltip="key.history.tooltip", id="history", show=False
        ),
    ]
    #: Section name → (module, screen class) of the screens one function key away.
    SECTIONS = {
        "home": ("screens.overview", "OverviewScreen"),
        "walks": ("screens.walk_list", "WalkListScreen"),
        "owners": ("screens.owner_list", "OwnerListScreen"),
        "reports": ("screens.report_list", "ReportListScreen"),
        "plans": ("screens.plan_list", "PlanListScreen"),
        "sync": ("screens.sync", "SyncScreen"),
    }
    #: The forms one function key away (F5, F7): imported after the first paint.
    FORMS = ("screens.report_form", "screens.progress_form")
    #: The screens kept built ahead, one fresh screen each, composed and loaded but not
    #: shown (composing, styling and laying out a list screen took longer than reading
    #: its rows): key → module, screen class, its arguments. See ``built_ahead``.
    BUILT_AHEAD: dict[str, tuple[str, str, dict[str, Any]]] = {
        "reports": ("screens.report_list", "ReportListScreen", {}),
        "findings:oppna": ("screens.finding_list", "FindingListScreen", {"status": "oppna"}),
        "statistics": ("screens.report_stats", "ReportStatsScreen", {}),
    }
    #: Built ahead only once the others are (one key further away: u on the quick
    #: reports), so as not to hold up the lists the function keys show.
    BUILT_AHEAD_LAST = frozenset({"statistics"})
    #: A screen is built ahead only this long after the last key read (seconds): its
    #: building (a tenth of a second or two) holds the keys typed meanwhile, so it waits
    #: for a pause longer than those between the keys of someone at work in a list.
    BUILD_AHEAD_IDLE = 1.5
    #: The pause between the steps of building ahead (building, then drawing), which
    #: lets what waits (a key, a worker's result) in between (seconds).
    BUILD_AHEAD_STEP = 0.1
    #: How many steps a screen built ahead waits for its workers' results before it is
    #: drawn without them (a count that failed never comes).
    BUILD_AHEAD_WAITS = 30
    #: How often the mailbox folder is looked at for colleagues' new files (seconds).
    MAILBOX_EVERY = 20.0
    #: How long the note that a write waits for another program stays (seconds).
    WAITING_TOLD_FOR = 10.0

    def __init__(
        self,
        db_path: Path,
        lang: str | None = None,
        *,
        debug: bool = False,
        now: Callable[[], datetime] | None = None,
        store: Store | None = None,
    ) -> None:
        super().__init__()
        self.db_path = db_path
        #: A store on ``db_path`` already opened (by ``run_app``, in this thread), used
        #: rather than opening another.
        self._opened = store
        #: The clock every store of the app reads "today" from (fixed in tests).
        self.now = now
        self.show_tracebacks = debug
        self.lang = normalise_language(lang)
        self.store: Store
        #: Mailbox files already announced in this session (name → size and time).
        self._announced: dict[str, tuple[int, float]] = {}
        #: The newest run of each exclusive worker group (see ``in_thread``).
        self._newest: dict[str, object] = {}
        #: The screen each notification on display was given on (see ``on_notify``).
        self._notified_on: dict[str, Screen[Any]] = {}
        self._told_waiting_at = -self.WAITING_TOLD_FOR
        #: Keys read while a form saves, given out in order once it has (hold_keys).
        self._held_keys: list[events.Key] | None = None
        #: Keys read before this moment are dropped (ignore_keys_typed_before_now).
        self._deaf_before = 0.0
        #: The screens built ahead and not yet shown, by their BUILT_AHEAD key.
        self._ahead: dict[str, Screen[Any]] = {}
        #: Those of them laid out and drawn ahead too.
        self._drawn_ahead: set[str] = set()
        #: How many steps each screen built ahead has waited for its results.
        self._ahead_waited: dict[str, int] = {}
        #: The screens still to build or draw ahead, and the timer that will.
        self._ahead_wanted: set[str] = set()
        self._ahead_timer: Timer | None = None
        #: Set when the app closes (its store with it): nothing more is built ahead.
        self._ahead_stopped = False
        #: When the last key was read (for building ahead when none is being typed).
        self._last_key_at = 0.0
        localise_bindings(self, self.t)
        self.theme = DARK_THEME

    def t(self, key: str, **params: object) -> str:
        """A UI string in the app's language."""
        return render("tui", self.lang, key, **params)

    def on_mount(self) -> None:
        from screens.overview import OverviewScreen

        # A write that finds another program (a long import) holding the database waits
        # for it; the user is told, from whichever thread waits.
        database.set_wait_notice(self._say_waiting)
        try:
            self.store = self._opened or Store(self.db_path, now=self.now)
        except TryggError as error:
            # Printed on the terminal after the app: a file name in it must not steer it.
            self.exit(message=Text(printable(error.message(self.lang))))
            return
        self._opened = None
        if self.store.device is None:
            from screens.device_setup import SetupScreen

            def after_setup(name: str | None) -> None:
                if name is not None:
                    self.push_screen(OverviewScreen())

            self.push_screen(SetupScreen(), after_setup)
        else:
            change = copies.check(self.store)
            if change is None:
                self._start()
            else:
                self._ask_moved_or_copied(change.before.path)
        self.set_interval(self.MAILBOX_EVERY, self.check_mailbox, name="mailbox")
        self.screen_change_signal.subscribe(self, self._forget_left_notifications)
        # The work in the background waits for the first screen to be drawn: started
        # now, its threads would compete with the drawing for the interpreter.
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        from db import search

        if not gc.isenabled():  # paused for start-up by run_app
            # What start-up made lives as long as the app: kept out of the collections
            # from now on, which would go over it again and again for nothing.
            gc.freeze()
            gc.enable()
        # Built from now on, while the overview is read (the screens' modules are
        # imported then if the import below has not yet).
        self._build_ahead_later(*self.BUILT_AHEAD)
        if search.pending(self.store.conn):
            self.in_thread(_catch_up_search, self._build_again_after_catch_up)
        self.check_mailbox()
        # The screens one key away are imported lazily (start-up draws sooner); importing
        # them now, while the person reads the overview, saves the first F-key that wait.
        modules = [module for module, _cls in self.SECTIONS.values()] + list(self.FORMS)

        self.run_worker(
            lambda: _import_quietly(modules), thread=True, group="warm-up", exit_on_error=False
        )

    # -- screens built ahead -----------------------------------------------------------

    def built_ahead(self, key: str, make: Callable[[], Screen[Any]]) -> Screen[Any]:
        """The screen ``key`` names in BUILT_AHEAD, fresh: the one built ahead in idle
        time if there is one and the database has not changed since it was built, else
        ``make()``. Another is built ahead for next time."""
        screen = self._ahead.pop(key, None)
        self._drawn_ahead.discard(key)
        self._ahead_waited.pop(key, None)
        if key in self.BUILT_AHEAD:
            self._build_ahead_later(key)
        if screen is None or not screen.is_attached:
            return make()
        if not screen.is_mounted:
            # Still being built: kept for next time, and a screen made now.
            self._ahead[key] = screen
            return make()
        if self._changed_since_built(screen):
            # The database changed since it was built: its rows are old, and reading them
            # again once it is shown would come after the keys typed with the key that
            # showed it (Enter opened, Space marked, a row of the old list). A screen
            # made now reads the rows there are before any key reaches it.
            screen.remove()
            return make()
        return screen

    def _changed_since_built(self, screen: Screen[Any]) -> bool:
        """Whether the database changed since ``screen`` was built ahead, or the day did
        (built before midnight, "this month" and what is overdue were yesterday's)."""
        return getattr(screen, "built_ahead_at", None) != self._ahead_mark()

    def _ahead_mark(self) -> tuple[tuple[int, int], date]:
        """What a screen built ahead was built on: the database's change mark and the day."""
        return (self.store.change_mark(), self.store.now().date())

    def _build_again_after_catch_up(self, indexed: int) -> None:
        """The search index caught up after start (``indexed`` rows): that write changed
        the database under the screens built ahead meanwhile, which would not be shown
        (``built_ahead``: the first key would build its screen again). They are built
        again."""
        if not indexed or self._ahead_stopped:
            return
        for key, screen in list(self._ahead.items()):
            if screen.is_mounted and self._changed_since_built(screen):
                del self._ahead[key]
                self._drawn_ahead.discard(key)
                self._ahead_waited.pop(key, None)
                screen.remove()
        self._build_ahead_later(*self.BUILT_AHEAD)

    def _build_ahead_later(self, *keys: str) -> None:
        """Build (and then draw) the screens ``keys`` name, once no key has been read for
        BUILD_AHEAD_IDLE seconds."""
        if self._ahead_stopped:
            return
        self._ahead_wanted.update(keys)
        if self._ahead_timer is not None:
            self._ahead_timer.stop()
        self._ahead_timer = self.set_timer(self.BUILD_AHEAD_STEP, self._build_ahead)

    def _build_ahead(self) -> None:
        """One step for each screen wanted ahead: build it, or, once it has mounted (its
        rows and key line with it), lay it out and draw it. A key read lately puts the
        steps off (the keys typed meanwhile would wait for them)."""
        from importlib import import_module

        self._ahead_timer = None
        if self._ahead_stopped or self.store.device is None:
            return
        idle = time.monotonic() - self._last_key_at
        if idle < self.BUILD_AHEAD_IDLE:
            self._ahead_timer = self.set_timer(self.BUILD_AHEAD_IDLE - idle, self._build_ahead)
            return
        for key in sorted(self._ahead_wanted):
            if key in self.BUILT_AHEAD_LAST and self._ahead_wanted - self.BUILT_AHEAD_LAST:
                continue
            screen = self._ahead.get(key)
            if screen is None:
                module, cls, arguments = self.BUILT_AHEAD[key]
                screen = getattr(import_module(module), cls)(**arguments)
                # Taken before the screen reads anything: a change while it reads shows.
                screen.built_ahead_at = self._ahead_mark()
                # Registered with the app, a screen composes, mounts (its on_mount loads
                # its rows) and is styled in its own task, as when pushed (Textual does
                # the same for installed screens); it is drawn only when pushed.
                self._get_screen(screen)
                self._ahead[key] = screen
            elif screen.is_mounted:
                self._draw_when_ready(key, screen)
        if self._ahead_wanted:
            self._build_ahead_later()

    def _draw_when_ready(self, key: str, screen: Screen[Any]) -> None:
        """Draw a screen built ahead once what it shows is there (its count, its figures:
        drawn before they came, it was laid out again when shown), and again while
        something in it has asked for a layout since (a scroll bar that came with the
        figures); then it is ready."""
        waited = self._ahead_waited.get(key, 0)
        if getattr(screen, "awaiting_results", False) and waited < self.BUILD_AHEAD_WAITS:
            self._ahead_waited[key] = waited + 1
            return
        if key not in self._drawn_ahead or _layout_asked(screen):
            _draw_ahead(screen, self.size)
            self._drawn_ahead.add(key)
            return
        self._ahead_wanted.discard(key)
        self._ahead_waited.pop(key, None)

    # -- notifications -----------------------------------------------------------------

    def on_notify(self, event: Notify) -> None:
        """Note the screen a notification is given on: the full screen under any dialogs
        (a dialog that says what it wrote and closes hands its news to that screen)."""
        base = next(
            (s for s in reversed(self.screen_stack) if not isinstance(s, ModalScreen)), None
        )
        if base is not None:
            self._notified_on[event.notification.identity] = base

    def _forget_left_notifications(self, _screen: Screen[Any]) -> None:
        """Notifications do not outlive their screen: when the screen one was given on
        is left (Esc, another section), it goes too."""
        stack = self.screen_stack
        for notification in list(self._notifications):
            home = self._notified_on.get(notification.identity)
            if home is not None and home not in stack:
                self._unnotify(notification, refresh=False)
        self._notified_on = {
            n.identity: self._notified_on[n.identity]
            for n in self._notifications
            if n.identity in self._notified_on
        }
        self._refresh_notifications()

    def _start(self) -> None:
        from screens.overview import OverviewScreen

        self.push_screen(OverviewScreen())
        self.call_after_refresh(self.in_thread, _gallring_due, self._offer_gallring)

    def _ask_moved_or_copied(self, before: str) -> None:
        """The database is not where it recorded living: ask, before anything is written
        under its identity, whether it was moved (the same device) or is a copy (a new
        device, as after a restore)."""
        from screens.widgets.dialogs import KeyChoiceModal

        def answered(choice: str | None) -> None:
            if choice is None:
                self.exit(message=self.t("copy.unanswered"))
                return
            if choice == "moved":
                copies.settle_moved(self.store)
            else:
                copies.settle_copy(self.store)
                self.notify(self.t("copy.copied"), markup=False)
            self._start()

        options = [("f", "moved", self.t("copy.moved")), ("k", "copy", self.t("copy.copy"))]
        question = self.t("copy.question", path=printable(before, single_line=True))
        self.push_screen(KeyChoiceModal(question, options), answered)

    def _say_waiting(self, _path: Path | None) -> None:
        """Say that a write waits for another program (thread-safe: ``notify`` posts a
        message). Once per wait; waits close together are told once."""
        now = time.monotonic()
        if now - self._told_waiting_at < self.WAITING_TOLD_FOR:
            return
        self._told_waiting_at = now
        self.notify(self.t("app.waiting"), markup=False, timeout=self.WAITING_TOLD_FOR)

    def check_mailbox(self) -> None:
        """Look in the mailbox folder (if one is set up) for colleagues' files not read
        yet, and say so once per new file; F9 and y read them in."""
        if getattr(self, "store", None) is None or self.store.device is None:
            return
        self.in_thread(
            _mailbox_waiting, self._mailbox_seen, lambda _error: None, exclusive="mailbox"
        )

    def _mailbox_seen(self, waiting: list[tuple[str, int, float]]) -> None:
        fresh = [w for w in waiting if self._announced.get(w[0]) != w[1:]]
        self._announced = {name: (size, mtime) for name, size, mtime in waiting}
        if fresh:
            self.notify(self.t("mailbox.new_files", count=len(fresh)), markup=False, timeout=30)
            self.screen.post_message(MailboxChanged())

    def _offer_gallring(self, due: tuple[int, int] | None) -> None:
        """When personal data is past its retention period, ask once at start whether to
        erase it now (the erasure runs in a worker; the answer is the user's)."""
        from screens.widgets.dialogs import ConfirmModal

        if not due or not due[0]:
            return
        count, days = due

        def answered(yes: bool | None) -> None:
            if yes:
                self.in_thread(_run_gallring, self._gallring_done)

        question = self.t("gallring.offer", count=count, days=days)
        self.push_screen(ConfirmModal(question), answered)

    def _gallring_done(self, erased: int) -> None:
        self.notify(self.t("gallring.done", count=erased), markup=False)
        self.screen.post_message(DataChanged())

    def in_thread(
        self,
        job: Callable[[Store], Any],
        done: Callable[[Any], None],
        failed: Callable[[TryggError], None] | None = None,
        *,
        exclusive: str | None = None,
    ) -> None:
        """Run ``job(store)`` in a worker thread with its own connection (a connection
        belongs to its thread), then ``done(result)`` on the UI thread. A failure, of the
        job or of showing its result, goes to ``failed`` on the UI thread, or becomes a
        notification; never a traceback.

        ``exclusive`` names a group where only the newest result may show (a recount
        while the last one still runs): a newer run of the same name cancels the older
        one, whose ``done`` or ``failed`` is then never called."""
        token = object()
        if exclusive is not None:
            self._newest[exclusive] = token

        def newest() -> bool:
            return exclusive is None or self._newest.get(exclusive) is token

        def refuse(error: TryggError) -> None:
            if not newest():
                return
            if failed is not None:
                failed(error)
            else:
                self.notify(error.message(self.lang), severity="error", markup=False)

        def finish(result: Any) -> None:
            if not newest():
                return
            # A result that cannot be shown is said, not left as "Räknar …" for ever (the
            # worker would swallow the exception: it does not exit the app).
            try:
                done(result)
            except TryggError as error:
                refuse(error)
            except Exception as error:  # any failure becomes one sentence
                refuse(self._sentence_for(error))

        def work() -> None:
            try:
                with Store(self.db_path, create=False, now=self.now) as store:
                    result = job(store)
            except TryggError as error:
                self.call_from_thread(refuse, error)
                return
            except Exception as error:  # any failure becomes one sentence
                self.call_from_thread(refuse, self._sentence_for(error))
                return
            self.call_from_thread(finish, result)

        self.run_worker(
            work,
            thread=True,
            group="db" if exclusive is None else f"db:{exclusive}",
            exclusive=exclusive is not None,
            exit_on_error=False,
        )

    def hold_keys(self) -> None:
        """Keep the keys read from now on until ``release_keys``: a form is saving, and
        what is typed next belongs wherever the save puts the cursor (the next finding's
        first field, the wrong field of a refusal, the list below)."""
        if self._held_keys is None:
            self._held_keys = []

    def release_keys(self) -> None:
        """Give out the held keys, in order, before any read after them."""
        self.call_next(self._flush_held_keys)

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        # Keys typed right after the key that opens a form reach the app before the form
        # has a field to take them: a form holds them from here (HOLDS_EARLY_KEYS).
        if getattr(screen, "HOLDS_EARLY_KEYS", False):
            self.hold_keys()
        return super().push_screen(screen, *args, **kwargs)

    def ignore_keys_typed_before_now(self) -> None:
        """A question has just appeared that no key typed so far was meant for: such keys,
        held or still on their way (the app may have been busy building the screen),
        are dropped; the keys typed from now on answer it."""
        # Textual stamps a key with its monotonic clock when the terminal input is read.
        self._deaf_before = message_clock()
        self.release_keys()

    async def _flush_held_keys(self) -> None:
        held, self._held_keys = self._held_keys or [], None
        for key in held:
            await self.on_event(key)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self._last_key_at = time.monotonic()
            if event.time < self._deaf_before:
                return
        # Only keys read from now on wait: a key read before the hold that comes back to
        # the app from the widget it was handed to goes on (a list's arrow keys are
        # bindings the app runs then: held, they ran after the form they came before).
        if self._held_keys is not None and isinstance(event, events.Key) and not event.is_forwarded:
            self._held_keys.append(event)
            return
        await super().on_event(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Sections are not reachable from a dialog or before the device is set up; nor is
        # undo (under a form ctrl+z is the text's own undo, and a change behind an open
        # form would be taken back unseen).
        if action in ("section", "new_report", "log_progress", "undo"):
            return not isinstance(self._working_screen(), ModalScreen) and (
                self.store.device is not None
            )
        return True

    def _working_screen(self) -> Screen[Any]:
        """The screen the person works on: the top one, unless that is the palette or the
        key list, which list (and run) the keys of the screen under them — asked while
        they are open, every app-wide key counted as under a dialog and went missing."""
        for screen in reversed(self.screen_stack):
            if not isinstance(screen, CommandPalette) and not getattr(
                screen, "LISTS_KEYS_BELOW", False
            ):
                return screen
        return self.screen

    def action_undo(self) -> None:
        """Take back the last change made on this device, and say what it was."""
        try:
            undone = self.store.undo_last(self.lang)
        except TryggError as error:
            self.notify(error.message(self.lang), severity="error", markup=False)
            return
        self.notify(undone.message, markup=False, timeout=8)
        if undone.changed:
            self.screen.post_message(DataChanged())

    def action_new_report(self) -> None:
        """A new quick report, one key away from any screen; the screen below is
        refreshed when it is saved."""
        from screens.report_form import ReportFormScreen

        def saved(report_id: str | None) -> None:
            if report_id:
                self.screen.post_message(DataChanged())

        self.push_screen(ReportFormScreen(), saved)

    def action_log_progress(self) -> None:
        """Log progress on a measure, one key away from any screen."""
        from screens.progress_form import ProgressFormScreen

        self.push_screen(ProgressFormScreen())

    def action_section(self, name: str) -> None:
        """Show section ``name``: back to the overview, then that section on top of it
        (so Esc always leads home)."""
        from importlib import import_module

        from screens.overview import OverviewScreen

        module, cls = self.SECTIONS[name]
        section = getattr(import_module(module), cls)
        if type(self.screen) is section:
            return
        while len(self.screen_stack) > 1 and not isinstance(self.screen, OverviewScreen):
            self.pop_screen()
        if section is not OverviewScreen:
            self.push_screen(self.built_ahead(name, section))

    def on_unmount(self) -> None:
        self._ahead_stopped = True
        if self._ahead_timer is not None:
            self._ahead_timer.stop()
        database.set_wait_notice(None)
        store = getattr(self, "store", None)
        if store is not None:
            store.close()

    def action_command_palette(self) -> None:
        """Show the command palette, in the interface language."""
        from textual.command import CommandPalette

        from screens.widgets.palette import TryggPalette

        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(
                TryggPalette(self.t("palette.placeholder"), self.t("palette.no_matches"))
            )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's commands, named in the interface language (Textual's own are
        English and partly irrelevant, so they are replaced)."""
        yield SystemCommand(self.t("cmd.help"), self.t("key.help.tooltip"), self.action_help)
        # Every key of the screen below is a command too, by the same name as in the footer:
        # once per action (a second key for the same thing, such as ? beside F1, is not a
        # second command) and once per name (a screen's key and the app's for the same
        # place; the app's own commands below give way to a screen's of the same name).
        seen = {"help", "palette", "quit"}
        seen_actions = {"help", "app.help", "command_palette", "app.command_palette"}
        titles: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.id is None or binding.id in seen or not binding.description:
                continue
            if not active.enabled or binding.action in seen_actions:
                continue
            if binding.description.casefold() in titles:
                continue  # (the screen's v and the app's F-key both open the walks)
            seen.add(binding.id)
            seen_actions.add(binding.action)
            titles.add(binding.description.casefold())
            yield SystemCommand(
                binding.description,
                binding.tooltip or binding.description,
                _runner(self, binding.action, active.node),
            )
        if not isinstance(screen, ModalScreen) and self.store.device is not None:
            own = (
                (self.t("cmd.lagesbild"), self.t("cmd.lagesbild.help"), self.action_lagesbild),
                (
                    self.t("cmd.search_place"),
                    self.t("cmd.search_place.help"),
                    self.action_find_place,
                ),
            )
            for title, help_text, callback in own:
                if title.casefold() not in titles:
                    yield SystemCommand(title, help_text, callback)
        dark = self.theme == DARK_THEME
        yield SystemCommand(
            self.t("cmd.theme_light" if dark else "cmd.theme_dark"),
            self.t("cmd.theme.help"),
            self.action_toggle_theme,
        )
        yield SystemCommand(self.t("key.quit"), self.t("key.quit.tooltip"), self.exit)

    def _handle_exception(self, error: Exception) -> None:
        # A screen built ahead and thrown away (the database changed), or closed by a
        # quit, may still be finishing its mounting: its widgets are taken away under it
        # and a query of theirs finds none (Textual's Header, for one, looks for its
        # title in a callback). That is no error of the app's, which goes on.
        if isinstance(error, NoMatches) and (
            self._exit or not self._running or _raised_off_the_stack(error, self.screen_stack)
        ):
            return
        super()._handle_exception(error)

    def _sentence_for(self, error: BaseException) -> TryggError:
        """What to tell of an ``error`` no code expected: a damaged database file as such
        (with what to do), anything else as unexpected, by its kind."""
        if isinstance(error, TryggError):
            return error
        if _is_damage(error):
            return TryggError("db.damaged", path=str(self.db_path))
        return TryggError("db.unexpected", kind=type(error).__name__)

    def _fatal_error(self) -> None:
        # Textual's own crash report is a traceback with local variables, which may hold
        # a personnummer. Say what happened in one sentence; the details with --debug.
        if self.show_tracebacks:
            super()._fatal_error()
            return
        error = self._exception
        if error is not None and (isinstance(error, TryggError) or _is_damage(error)):
            text = self._sentence_for(error).message(self.lang)
        else:
            text = self.t("app.unexpected", kind=type(error).__name__)
        self.bell()
        self._exit_renderables.append(Text(printable(text)))
        self._close_messages_no_wait()

    def action_lagesbild(self) -> None:
        """The municipality's lägesbild (the joint picture), from anywhere."""
        from screens.lagesbild import LagesbildScreen

        if not isinstance(self.screen, LagesbildScreen):
            self.push_screen(LagesbildScreen())

    def action_find_place(self) -> None:
        """Find a place by name and open it, from anywhere."""
        from screens.place import search_place

        search_place(self.screen)

    def action_toggle_theme(self) -> None:
        """Switch between the dark (night) and the light theme."""
        self.theme = LIGHT_THEME if self.theme == DARK_THEME else DARK_THEME

    def action_history(self) -> None:
        """The change history of the record in the list's row under the cursor: who wrote
        each change and whether it is proved theirs."""
        from textual.widgets import DataTable

        from db.labels import label_of
        from screens.record_history import RecordHistoryModal
        from screens.widgets.tables import row_under_cursor

        table = self.focused
        if not isinstance(table, DataTable) or isinstance(self.screen, ModalScreen):
            return
        record_id = row_under_cursor(table)
        entries = self.store.journal(record_id) if record_id else []
        if not entries:
            self.notify(self.t("history.none"), markup=False)
            return
        title = label_of(self.store, entries[0].rtype, entries[0].record_id, self.lang)
        self.push_screen(RecordHistoryModal(title, entries))

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))


def _runner(app: App[Any], action: str, node: Any) -> Callable[[], Any]:
    async def run() -> None:
        await app.run_action(action, node)

    return run


def _mailbox_waiting(store: Store) -> list[tuple[str, int, float]]:
    """The colleagues' unread files in the mailbox folder: name, size, modification time."""
    from db.sync.mailbox import configured_mailbox, waiting_files

    mailbox = configured_mailbox(store)
    if mailbox is None:
        return []
    found = []
    for path in waiting_files(store, mailbox.folder):
        try:
            info = path.stat()
        except OSError:
            continue
        found.append((path.name, info.st_size, info.st_mtime))
    return found


def _draw_ahead(screen: Screen[Any], size: Any) -> None:
    """Lay out and draw a screen that is not shown, so that showing it reuses what was
    measured and drawn: the first drawing of a list screen (every widget measured, every
    row's cells rendered) was most of what showing a screen built ahead cost. Laid out,
    the screen's widgets are told their sizes (a table fits its columns); what is drawn
    goes nowhere (the screen is not the one on the terminal)."""
    from contextlib import suppress

    # Textual's own layout and drawing steps (no public call does them for a screen
    # not shown): if they change, the screen is drawn when it is shown, as before.
    with suppress(AttributeError, TypeError):
        screen._refresh_layout(size)
        screen._compositor.render_update(full=True)
        # What asked for a layout so far has had it. Left set (Textual clears it only on
        # the screen shown), it laid the screen out again when it was shown, and the
        # layout done ahead was for nothing.
        screen._layout_required = False


def _layout_asked(screen: Screen[Any]) -> bool:
    """Whether something in ``screen`` (not shown) has asked for a layout since it was
    last drawn ahead."""
    return bool(getattr(screen, "_layout_required", False))


def _import_quietly(modules: list[str]) -> None:
    """Import ``modules`` ahead of need; one that fails is imported (and fails) again
    when it is needed, where its error is shown."""
    from contextlib import suppress
    from importlib import import_module

    for module in modules:
        with suppress(Exception):
            import_module(module)


def _raised_off_the_stack(error: Exception, stack: list[Screen[Any]]) -> bool:
    """Whether ``error`` was raised in a method of a widget no longer in the app, or of
    one on a screen not in ``stack`` (built ahead, being built or thrown away)."""
    from textual.dom import NoScreen
    from textual.widget import Widget

    trace = error.__traceback__
    while trace is not None:
        node = trace.tb_frame.f_locals.get("self")
        if isinstance(node, Widget):
            try:
                screen = node if isinstance(node, Screen) else node.screen
            except NoScreen:  # no screen above it: taken away
                return True
            if not node.is_attached or screen not in stack:
                return True
        trace = trace.tb_next
    return False


def _catch_up_search(store: Store) -> int:
    """Index what other writers queued (a big import from the command line, say), so the
    first search in the app is as quick as every other."""
    from db import search

    with store.transaction():
        return search.refresh(store.conn)


def _gallring_due(store: Store) -> tuple[int, int] | None:
    from db.protect import gallring

    if store.device is None:
        return None
    return gallring.count_due(store, store.now().date()), gallring.rule(store).days


def _run_gallring(store: Store) -> int:
    from db.protect import gallring

    return gallring.run(store, store.now().date()).erased


def run_app(db_path: Path, lang: str | None = None, *, debug: bool = False) -> None:
    """Open the database (refusing clearly if it cannot be used), then run the app."""
    from tui import terminal

    store = Store(db_path)
    terminal.install()
    # The store opened to refuse a bad file before the terminal is taken over is the
    # app's (opening it again cost start-up time).
    app = TryggApp(db_path, lang, debug=debug, store=store)
    # Collecting garbage while the app starts took some 20 ms and freed next to nothing:
    # it waits for the first paint (TryggApp._after_first_paint turns it on again).
    gc.disable()
    try:
        app.run()
    finally:
        gc.enable()
        if app._opened is not None:  # the app never mounted: the store is still here
            app._opened.close()
    if app.return_code:
        raise SystemExit(app.return_code)


def _is_damage(error: BaseException | None) -> bool:
    """Whether ``error`` is SQLite saying the database file is damaged."""
    return isinstance(error, sqlite3.DatabaseError) and database.is_damage(error)
