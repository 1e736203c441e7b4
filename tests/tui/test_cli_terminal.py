"""The command line on a real terminal (a pseudo-terminal): rich tables for ``peers``,
``conflicts`` and the statistics, a progress bar while files are written and read; and,
piped, the same commands print the plain lines scripts read, with no table or bar."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import open_store, report_fields, walk_fields
from tui import cli

#: The start of the command line, run as a person runs it.
TRYGG = [sys.executable, "-c", "import sys; from tui.cli import main; main(sys.argv[1:])"]
ENV = {**os.environ, "COLUMNS": "100", "LINES": "40", "TRYGG_LANG": "sv", "TERM": "xterm"}
#: Colours, cursor moves and line clearing: what rich sends besides the text.
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
HOSTILE = "[bold red]Malin[/bold red]"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli.build_cli("sv"), list(args), catch_exceptions=False)


def on_terminal(*args: str) -> tuple[str, str]:
    """Run ``trygg ARGS`` with its output on a pseudo-terminal; the raw bytes as text and
    the text without the terminal's escape sequences."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [*TRYGG, *args], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=ENV
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed: the command is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.wait(timeout=60) == 0, b"".join(chunks).decode(errors="replace")
    raw = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return raw, ANSI.sub("", raw)


def piped(*args: str) -> str:
    done = subprocess.run(
        [*TRYGG, *args], capture_output=True, text=True, env=ENV, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """Two police devices that have exchanged files, the second named like rich markup,
    with one conflict on the first: the same walk's area changed on both."""
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    for path, name in ((a, "polisA"), (b, HOSTILE)):
        made = run(
            "init", "--db", str(path), "--name", name, "--kommun", "Lycksele", "--org", "polis"
        )
        assert made.exit_code == 0, made.output
    with open_store(a) as store:
        walk = store.create("walk", walk_fields())
        store.create("snabbrapport", report_fields())
    first = tmp_path / "1.trygg"
    run("export", "--db", str(a), "--out", str(first), "--full", "--profile", "polis")
    run("import", str(first), "--db", str(b))
    with open_store(a) as store:
        store.update("walk", walk, {"area": "[red]Torget[/red]"})
    with open_store(b) as store:
        store.update("walk", walk, {"area": "Stationen \x1b[2J"})
    second = tmp_path / "2.trygg"
    run("export", "--db", str(b), "--out", str(second), "--to", "polisA")
    assert "1 ny konflikt" in run("import", str(second), "--db", str(a)).output
    return a, b


def test_peers_on_a_terminal_are_a_table_with_names_as_typed(pair: tuple[Path, Path]) -> None:
    a, _b = pair
    _raw, text = on_terminal("peers", "--db", str(a))
    assert "┃" in text and "Fingeravtryck" in text and "Kollega" in text
    # The colleague's name is shown as typed, not obeyed as markup.
    assert HOSTILE in text
    assert "ej kontrollerat" in text
    # Piped, the same command prints the lines it always printed.
    plain = piped("peers", "--db", str(a))
    assert "┃" not in plain and "\x1b" not in plain
    assert f"{HOSTILE} (Polis) · senast hörd" in plain


def test_conflicts_on_a_terminal_are_a_table_of_plain_text(pair: tuple[Path, Path]) -> None:
    a, _b = pair
    raw, text = on_terminal("conflicts", "--db", str(a))
    assert "┃" in text and "Visas nu" in text and "Andra" in text
    assert "[red]Torget[/red]" in text
    # The escape sequence someone typed is a visible stand-in, never sent to the terminal.
    assert "\x1b[2J" not in raw and "Stationen" in text
    plain = piped("conflicts", "--db", str(a))
    assert "┃" not in plain and "[red]Torget[/red]" in plain and "\x1b[2J" not in plain
    assert " · Trygghetsvandring " in plain


def test_statistics_on_a_terminal_are_a_table(pair: tuple[Path, Path]) -> None:
    a, _b = pair
    args = ("report", "snabbrapport", "--db", str(a), "--from", "2020-01-01", "--to", "2030-12-31")
    _raw, text = on_terminal(*args)
    assert "┃" in text and "Rapporter" in text and "100 %" in text
    plain = piped(*args)
    assert "┃" not in plain and "Rapporter" in plain and "100 %" in plain


def test_long_work_shows_a_progress_bar_on_a_terminal_only(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = pair
    out = tmp_path / "3.trygg"
    _raw, text = on_terminal("export", "--db", str(a), "--out", str(out), "--full")
    assert "Skriver filen" in text and "━" in text
    assert "Skrev " in text  # the bar goes; what was done stays
    _raw, text = on_terminal("import", str(out), "--db", str(b))
    assert "Läser in filen" in text and "Från polisA" in text
    # The bar counts the entries checked and merged: every entry once, each new one twice.
    entries = re.search(r"Läser in filen.*?(\d+)/(\d+)", text)
    assert entries is not None and 0 < int(entries[1]) <= int(entries[2]), text
    box = tmp_path / "usb"
    box.mkdir()
    _raw, text = on_terminal("sync", str(box), "--db", str(a))
    assert "Synkar" in text
    _raw, text = on_terminal("gallra", "--dry-run", "--db", str(a))
    assert "Gallrar" in text
    export = piped("export", "--db", str(a), "--out", str(tmp_path / "4.trygg"), "--full")
    assert "Skriver filen" not in export and "━" not in export and "Skrev " in export


def test_records_and_gallring_count_their_work_on_a_terminal(tmp_path: Path) -> None:
    """``records import``, ``records export --out`` and ``gallra`` show how many of how
    many are done on a terminal; piped, only the lines that say what was done."""
    db = tmp_path / "c.db"
    made = run(
        "init", "--db", str(db), "--name", "polisC", "--kommun", "Lycksele", "--org", "polis"
    )
    assert made.exit_code == 0, made.output
    places = tmp_path / "places.jsonl"
    lines = [f'{{"type": "place", "name": "Plats {i}"}}' for i in range(60)]
    places.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _raw, text = on_terminal("records", "import", str(places), "--db", str(db))
    assert "Läser in posterna" in text and "60/60" in text
    assert "Importerat: 60 nya" in text  # the bar goes; what was done stays
    plain = piped("records", "import", str(places), "--db", str(db))
    assert "Läser in posterna" not in plain and "━" not in plain and "/60" not in plain
    assert "Importerat: 60 nya" in plain  # new ones again: the lines have no ids
    _raw, text = on_terminal("records", "export", "--db", str(db), "--out", str(tmp_path / "x"))
    assert "Skriver ut posterna" in text and "120/120" in text
    assert "120 poster exporterade" in text
    with open_store(db) as store:
        for day in ("2026-01-10", "2026-01-11", "2026-01-12"):
            store.create("snabbrapport", report_fields(date=day))
    copies = len(list(tmp_path.glob("c.db.backups/*.db")))
    _raw, text = on_terminal("gallra", "--db", str(db))
    steps = 3 + copies
    assert "Gallrar" in text and f"{steps}/{steps}" in text
    assert "personuppgifterna i 3 rapporter är raderade" in text
    plain = piped("gallra", "--db", str(db))
    assert "Gallrar" not in plain and "━" not in plain
