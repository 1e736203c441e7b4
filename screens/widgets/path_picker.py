"""Choosing a folder (a USB stick, a shared folder) or a received file: the places where
such things usually are on the left — each mounted stick first — the folders of the
chosen place on the right, and the path itself, which can also be typed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DirectoryTree, Input, OptionList, Static
from textual.widgets.option_list import Option

from db.files import usual_places
from db.sync.bundle import SUFFIX
from screens.widgets.dialogs import DialogModal
from screens.widgets.key_order import LineInput


class FolderTree(DirectoryTree):
    """Folders only, or folders and Trygg files; hidden entries left out."""

    def __init__(self, path: Path, *, files: bool, id: str | None = None) -> None:
        self.show_files = files
        super().__init__(path, id=id)

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        """Textual's DirectoryTree calls this hook for the entries of each folder it opens."""
        shown = []
        for path in paths:
            if path.name.startswith("."):
                continue
            try:
                if path.is_dir() or (self.show_files and path.suffix == SUFFIX):
                    shown.append(path)
            except OSError:
                continue
        return shown


class PathPickerModal(DialogModal[Path | None]):
    """Dismisses with the folder (or, when ``files``, the file or folder) chosen."""

    DEFAULT_CSS = """
    PathPickerModal .dialog { width: 110; height: 90%; }
    PathPickerModal #picker-body { height: 1fr; }
    PathPickerModal #picker-places { width: 38; height: 1fr; }
    PathPickerModal FolderTree { width: 1fr; height: 1fr; }
    PathPickerModal .form-error { color: $error; text-style: bold; height: auto; }
    """
    BINDINGS = [
        Binding("ctrl+s", "choose", "key.choose", tooltip="key.choose.tooltip", id="picker_choose"),
        Binding("escape", "cancel", "key.cancel", tooltip="key.cancel.tooltip", id="picker_cancel"),
    ]

    def __init__(
        self,
        question: str,
        *,
        files: bool = False,
        start: Path | None = None,
        places: list[Path] | None = None,
    ) -> None:
        super().__init__()
        self.question = question
        self.files = files
        self._places = places
        self._start = start

    def _usual(self) -> list[Path]:
        """Mounted media, then the mailbox and documents folders, then home."""
        from db.reports import output_folder
        from db.sync.mailbox import configured_mailbox

        store = self.trygg.store
        mailbox = configured_mailbox(store)
        extra = [mailbox.folder] if mailbox else []
        return usual_places([*extra, output_folder(store)])

    def compose(self) -> ComposeResult:
        self.places = self._places if self._places is not None else self._usual()
        start = self._start
        self.start = start if start and start.is_dir() else (self.places or [Path.home()])[0]
        with Vertical(classes="dialog"):
            yield Static(self.question, markup=False)
            yield LineInput(str(self.start), id="picker-path")
            with Horizontal(id="picker-body"):
                yield OptionList(
                    *(Option(Text(str(p)), id=str(p)) for p in self.places), id="picker-places"
                )
                yield FolderTree(self.start, files=self.files, id="picker-tree")
            yield Static(id="picker-error", classes="form-error", markup=False)
            keys = "picker.keys_files" if self.files else "picker.keys"
            yield Static(self.t(keys), classes="hint", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#picker-path", Input).focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id:
            place = Path(event.option.id)
            self.query_one(FolderTree).path = place
            self.query_one("#picker-path", Input).value = str(place)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one(FolderTree).focus()

    def on_tree_node_highlighted(self, event: DirectoryTree.NodeHighlighted) -> None:
        event.stop()
        entry = event.node.data
        if entry is not None:
            self.query_one("#picker-path", Input).value = str(entry.path)

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self._choose(str(event.path))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose(event.value)

    def action_choose(self) -> None:
        self._choose(self.query_one("#picker-path", Input).value)

    def _choose(self, text: str) -> None:
        path = Path(text.strip()).expanduser()
        fits = path.is_dir() or (self.files and path.is_file())
        if not text.strip() or not fits:
            key = "picker.no_such_file" if self.files else "picker.no_such_folder"
            self.query_one("#picker-error", Static).update(self.t(key, path=str(path)))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
