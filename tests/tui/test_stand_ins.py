"""Text from a colleague's file or a user's typing never steers the terminal or a reader's
eyes: everything Trygg prints or writes as plain text shows control characters (an ESC
sequence, an OSC 52 clipboard command) and bidirectional ones (U+202E turns the rest of a
line around) as visible stand-ins. Each way out is tried: the commands that print user
or file text, and the files read outside Trygg."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from db.reports import snabbrapport as stats_tables
from db.reports.walks import write_walk_protocol
from db.snabbrapport.statistics import StatsFilter, statistics
from db.sync.exporter import export_bundle
from db.sync.merge import import_bundle
from db.textutil import printable
from tests.conftest import NOW, open_store, report_fields, walk_fields
from tui import cli

#: An OSC 52 clipboard write, a screen clear, a right-to-left override, an isolate, a
#: C1 control sequence introducer, and a zero-width space.
OSC52 = "\x1b]52;c;cm0gLXJmIH4K\x07"
NASTY = f"Anna{OSC52}\x1b[2J\u202egnillessäK\u2066x\u2069\x9b31m z\u200bw"
#: What must never reach a terminal or a plain file raw.
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\u2069", "\u200b")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli.build_cli("sv"), list(args), catch_exceptions=False)


def assert_shown_safely(text: str, where: str) -> None:
    for char in RAW:
        assert char not in text, f"{where}: {char!r} printed raw"
    assert "␛]52" in text, f"{where}: the OSC 52 sequence is not shown as text"
    assert "\\u202e" in text, f"{where}: the right-to-left override is not shown"


@pytest.fixture
def pair(tmp_path: Path) -> dict[str, Path]:
    """Two devices: ``a`` (named NASTY, with NASTY values) has sent everything to ``b``;
    both then changed the same walk's area, so ``b`` holds a conflict."""
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    with open_store(a, name=NASTY) as store:
        walk = store.create("walk", walk_fields(area=NASTY, notes=NASTY))
        store.create("finding", {"walk_id": walk, "place": NASTY, "remark": NASTY})
        store.create("snabbrapport", report_fields(name=NASTY, place=NASTY, ovrigt=NASTY))
        export_bundle(store, tmp_path / "first.trygg", full=True, profile="polis")
    with open_store(b, name="B") as store:
        import_bundle(store, tmp_path / "first.trygg")
        store.update("walk", walk, {"area": "Här " + NASTY})
    with open_store(a) as store:
        store.update("walk", walk, {"area": "Där " + NASTY})
        export_bundle(store, tmp_path / "second.trygg", full=True, profile="polis")
    return {"a": a, "b": b, "second": tmp_path / "second.trygg", "walk": Path(walk)}


@pytest.mark.parametrize(
    ("command", "db"),
    [
        (("log", "--limit", "40", "--show-personal"), "a"),
        (("conflicts",), "b"),
        (("peers",), "b"),
        (("records", "export"), "a"),
    ],
)
def test_commands_print_stand_ins(pair: dict[str, Path], command: tuple[str, ...], db: str) -> None:
    if command == ("conflicts",):
        assert run("import", str(pair["second"]), "--db", str(pair["b"])).exit_code == 0
    result = run(*command, "--db", str(pair[db]))
    assert result.exit_code == 0, result.output
    if command[0] == "records":
        for char in RAW:
            assert char not in result.output, f"records export: {char!r} printed raw"
        # ... and the file still reads back exactly.
        areas = [json.loads(line).get("area") for line in result.output.splitlines()]
        assert "Där " + NASTY in areas
        return
    assert_shown_safely(result.output, " ".join(command))


def test_the_senders_name_at_import(pair: dict[str, Path], tmp_path: Path) -> None:
    fresh = tmp_path / "c.db"
    open_store(fresh, name="C").close()
    result = run("import", str(pair["second"]), "--db", str(fresh))
    assert result.exit_code == 0, result.output
    assert_shown_safely(result.output, "import")


def test_file_names_and_refusals(pair: dict[str, Path], tmp_path: Path) -> None:
    mailbox = tmp_path / "brevlåda"
    mailbox.mkdir()
    (mailbox / f"{NASTY}.trygg").write_bytes(b"not a bundle at all")
    result = run("sync", str(mailbox), "--db", str(pair["b"]))
    assert result.exit_code == 1
    assert_shown_safely(result.output, "sync (a bad file named NASTY)")
    out = tmp_path / f"ut-{NASTY}.trygg"
    result = run("export", "--full", "--out", str(out), "--db", str(pair["a"]))
    assert result.exit_code == 0, result.output
    assert_shown_safely(result.output, "export to a file named NASTY")
    result = run("log", "--exports", "--db", str(pair["a"]))
    assert_shown_safely(result.output, "log --exports")
    records = tmp_path / "poster.jsonl"
    records.write_text(json.dumps({"type": "walk", "date": NASTY}) + "\n", encoding="utf-8")
    result = run("records", "import", str(records), "--db", str(pair["a"]))
    assert result.exit_code == 1
    assert_shown_safely(result.output, "records import refusing a value")


def test_the_memo_to_social_services(pair: dict[str, Path], tmp_path: Path) -> None:
    memo = tmp_path / "pm.txt"
    result = run("report", "pm", "1", "--out", str(memo), "--db", str(pair["a"]))
    assert result.exit_code == 0, result.output
    # Printed with cat, the memo must not write the clipboard or turn its lines around.
    assert_shown_safely(memo.read_text(encoding="utf-8"), "the PM memo")


def test_documents_and_data_files(pair: dict[str, Path], tmp_path: Path) -> None:
    walk = str(pair["walk"])
    with open_store(pair["a"]) as store:
        finding = store.records("finding")[0]["id"]
        store.update("finding", finding, {"lat": 64.6, "lon": 18.7})
        for fmt in ("html", "csv"):
            written = write_walk_protocol(store, walk, tmp_path, date(2026, 11, 22), fmt=fmt)
            assert_shown_safely(written.path.read_text(encoding="utf-8"), f"protocol {fmt}")
        geojson = write_walk_protocol(store, walk, tmp_path, NOW.date(), fmt="geojson")
        text = geojson.path.read_text(encoding="utf-8")
        for char in RAW:
            assert char not in text, f"GeoJSON: {char!r} written raw"
        properties = json.loads(text)["features"][0]["properties"].values()
        assert NASTY in properties  # and it reads back exactly
        counted = [statistics(store.conn, StatsFilter(date(2026, 11, 1), date(2026, 11, 30)))]
        table = stats_tables.as_text(counted, "sv")
        for char in RAW:
            assert char not in table


def test_printable_and_json_text_directly() -> None:
    from db.textutil import json_text

    shown = printable(NASTY)
    assert_shown_safely(shown, "printable")
    assert printable(shown) == shown  # stand-ins are left as they are
    assert printable("rad 1\nrad 2\tflik") == "rad 1\nrad 2\tflik"
    assert printable("rad 1\nrad 2", single_line=True) == "rad 1 rad 2"
    assert printable("👩\u200d👩\u200d👧 Åsa") == "👩\u200d👩\u200d👧 Åsa"  # the joiner stays
    line = json_text({"area": NASTY})
    assert json.loads(line) == {"area": NASTY}
    for char in RAW:
        assert char not in line


def test_every_command_prints_through_one_function() -> None:
    """A command added later cannot print raw text by accident: the command line prints
    only through ``tui.text`` (``echo``, and on a terminal its rich ``table`` and
    ``progress``, which make text printable and never read it as markup)."""
    tui = Path(__file__).resolve().parents[2] / "tui"
    sources = [*tui.glob("cli*.py"), *tui.glob("cli/**/*.py")]
    assert sources
    for source in sources:
        text = source.read_text(encoding="utf-8")
        assert "click.echo(" not in text, f"{source.name} prints around tui.text.echo"
        assert not re.search(r"(?<![\w.])print\(", text), f"{source.name} uses print()"
        assert ".print(" not in text, f"{source.name} prints through rich around tui.text"
        assert "Console(" not in text, f"{source.name} makes its own rich console"
