"""Start-up does only what the first screen needs: the modules made lazy for it must not
come back into the path from ``trygg`` to the overview (each cost start-up time), and the
garbage collection paused for it comes back once the first screen is drawn."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

from db.store import Store
from screens.overview import OverviewScreen
from tui.app import TryggApp

#: Imported by start-up before the first paint: the entry point, the app, the overview.
ENTRY = "import tui.cli, tui.app, screens.overview"
#: Not needed before the first paint: the migrations (only a file that is not up to date
#: runs them), the overview's counting (in a worker, after the first paint).
LAZY = (
    "db.migrations.m0001_initial",
    "db.migrations.m0013_report_tally",
    "db.overview",
)


def _imported(code: str, cwd: Path) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=cwd, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_entry_point_imports_nothing_the_first_screen_does_without(tmp_path: Path) -> None:
    modules = _imported(ENTRY, Path(__file__).resolve().parents[2])
    assert "tui.app" in modules and "screens.overview" in modules  # the check sees them
    assert not modules & set(LAZY)


def test_opening_an_up_to_date_file_imports_no_migration(tmp_path: Path) -> None:
    path = tmp_path / "trygg.db"
    Store(path).close()
    modules = _imported(
        f"from db.store import Store\nStore({str(path)!r}).close()",
        Path(__file__).resolve().parents[2],
    )
    assert "db.store" in modules
    assert not [m for m in modules if m.startswith("db.migrations.m0")]


async def test_garbage_collection_paused_for_start_up_comes_back(tmp_path: Path) -> None:
    path = tmp_path / "trygg.db"
    with Store(path) as store:
        store.set_up_device("Bänk", "polis", "Lycksele")
    gc.disable()  # as run_app does
    try:
        app = TryggApp(path, "sv")
        async with app.run_test() as pilot:
            await pilot.pause()
            assert isinstance(app.screen, OverviewScreen)
            assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
