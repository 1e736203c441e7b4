"""The Textual application: opens the store, runs first-time setup, shows the overview."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from db.errors import TryggError
from db.i18n import normalise_language, render
from db.store import Store
from screens.base import localise_bindings

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
    ]

    def __init__(self, db_path: Path, lang: str | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        self.lang = normalise_language(lang)
        self.store: Store
        localise_bindings(self, self.t)
        self.theme = DARK_THEME

    def t(self, key: str, **params: object) -> str:
        """A UI string in the app's language."""
        return render("tui", self.lang, key, **params)

    def on_mount(self) -> None:
        from screens.home import HomeScreen
        from screens.setup import SetupScreen

        try:
            self.store = Store(self.db_path)
        except TryggError as error:
            self.exit(message=error.message(self.lang))
            return
        if self.store.device is None:

            def after_setup(done: bool | None) -> None:
                if done:
                    self.push_screen(HomeScreen())

            self.push_screen(SetupScreen(), after_setup)
        else:
            self.push_screen(HomeScreen())

    def on_unmount(self) -> None:
        store = getattr(self, "store", None)
        if store is not None:
            store.close()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's commands, named in the interface language (Textual's own are
        English and partly irrelevant, so they are replaced)."""
        yield SystemCommand(self.t("cmd.help"), self.t("key.help.tooltip"), self.action_help)
        dark = self.theme == DARK_THEME
        yield SystemCommand(
            self.t("cmd.theme_light" if dark else "cmd.theme_dark"),
            self.t("cmd.theme.help"),
            self.action_toggle_theme,
        )
        yield SystemCommand(self.t("key.quit"), self.t("key.quit.tooltip"), self.exit)

    def action_toggle_theme(self) -> None:
        """Switch between the dark (night) and the light theme."""
        self.theme = LIGHT_THEME if self.theme == DARK_THEME else DARK_THEME

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))


def run_app(db_path: Path, lang: str | None = None) -> None:
    """Open the database (refusing clearly if it cannot be used), then run the app."""
    Store(db_path).close()
    app = TryggApp(db_path, lang)
    app.run()
    if app.return_code:
        raise SystemExit(app.return_code)
