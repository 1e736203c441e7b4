"""A database file damaged on disk (a page that is not what SQLite wrote: a failing disk,
a bad copy) is told in one sentence, with what to do, by the app and by every command —
not as an unexpected error."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import open_store
from tests.tui.test_crash import running

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal")

TRYGG = [sys.executable, "-c", "import sys; from tui.cli import main; main(sys.argv[1:])"]


def damaged(path: Path, table: str = "devices") -> Path:
    """A Trygg database at ``path`` whose ``table`` (and each of its indexes) has its
    first page overwritten with garbage (the schema intact: the file opens; reading that
    table fails)."""
    store = open_store(path)
    with store.transaction():
        for i in range(50):
            store.create("place", {"name": f"Plats {i}", "kommun": "Lycksele"})
    store.close()
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    roots = [
        row[0]
        for row in conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE tbl_name = ? AND rootpage > 0", (table,)
        )
    ]
    conn.close()
    assert roots
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    with path.open("r+b") as raw:
        for root in roots:
            raw.seek((root - 1) * page_size)
            raw.write(b"\xa5" * page_size)
    return path


@pytest.mark.parametrize(("lang", "words"), [("sv", "är skadad"), ("en", "is damaged")])
def test_a_command_on_a_damaged_database_says_so_in_a_sentence(
    tmp_path: Path, lang: str, words: str
) -> None:
    path = damaged(tmp_path / "trygg.db")
    done = subprocess.run(
        [*TRYGG, "--lang", lang, "--db", str(path), "log", "--limit", "3"],
        capture_output=True,
        text=True,
        env={**os.environ, "TRYGG_LANG": ""},
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 1, done
    assert words in done.stderr and "trygg restore" in done.stderr
    assert "Traceback" not in done.stderr and "oväntat" not in done.stderr


def test_the_app_on_a_damaged_database_says_so_and_what_to_do(tmp_path: Path) -> None:
    path = damaged(tmp_path / "trygg.db")
    with running(path) as terminal:
        terminal.process.wait(timeout=60)
        terminal.wait_for_output("skadad")
    text = terminal.output.decode(errors="replace")
    assert "Återställ" in text and "oväntat" not in text and "Traceback" not in text


def test_a_count_that_finds_the_database_damaged_says_so_and_what_to_do(tmp_path: Path) -> None:
    """The app opens (who this device is reads fine); the overview's counts, read in a
    worker, find the journal damaged: told as damage, not as an unexpected error."""
    path = damaged(tmp_path / "trygg.db", "journal")
    with running(path) as terminal:
        terminal.wait_for_output("skadad")
        assert b"ov\xc3\xa4ntat" not in terminal.output
