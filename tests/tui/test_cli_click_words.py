"""A usage mistake on the command line is told in the interface language: click's own
errors (a missing option, a value that is no number, a command that does not exist) in
Swedish by default, in English with --lang en; a real ``trygg`` process."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from tui.cli import click_words

TRYGG = Path(sys.executable).with_name("trygg")

CASES = [
    (["init"], "Fel: Flagga saknas: '--name'.", "Error: Missing option '--name'."),
    (
        ["log", "--limit", "x"],
        "Fel: Ogiltigt värde för '--limit': 'x' är inget giltigt tal.",
        "Error: Invalid value for '--limit': 'x' is not a valid integer range.",
    ),
    (
        ["frobnicate"],
        "Fel: Kommandot 'frobnicate' finns inte.",
        "Error: No such command 'frobnicate'.",
    ),
    (
        ["init", "--org", "nope", "--name", "a", "--kommun", "b"],
        "Fel: Ogiltigt värde för '--org': 'nope' är inte något av 'polis', 'kommun'.",
        "Error: Invalid value for '--org': 'nope' is not one of 'polis', 'kommun'.",
    ),
    (
        ["import", "/nonexistent/x.trygg"],
        "Fel: Ogiltigt värde för 'FIL': Filen '/nonexistent/x.trygg' finns inte.",
        "Error: Invalid value for 'FILE': File '/nonexistent/x.trygg' does not exist.",
    ),
    (
        ["report", "pm"],
        "Fel: Argument saknas: 'NUMMER'.",
        "Error: Missing argument 'NUMBERS'.",
    ),
    (
        ["log", "--limit", "0"],
        "Fel: Ogiltigt värde för '--limit': 0 är inte tillåtet (minst 1).",
        "Error: Invalid value for '--limit': 0 is not allowed (at least 1).",
    ),
    (
        ["log", "--limt", "3"],
        "Fel: Flaggan '--limt' finns inte. Menade du '--limit'?",
        "Error: No such option '--limt'. Did you mean '--limit'?",
    ),
]


@pytest.mark.parametrize(("args", "swedish", "english"), CASES)
def test_a_usage_mistake_is_told_in_the_interface_language(
    tmp_path: Path, args: list[str], swedish: str, english: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TRYGG_LANG"}
    for lang, expected, hint in (
        ([], swedish, "Skriv 'trygg"),
        (["--lang", "en"], english, "Try 'trygg"),
    ):
        done = subprocess.run(
            [str(TRYGG), "--db", str(tmp_path / "x.db"), *lang, *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert done.returncode == 2, done
        assert expected in done.stderr, done.stderr
        assert hint in done.stderr and "Traceback" not in done.stderr


def _click_texts() -> set[str | tuple[str, str]]:
    """Every text click's modules mark for translation, as in its source."""
    found: set[str | tuple[str, str]] = set()
    for name in click_words._MODULES:
        source = Path(click.__file__).with_name(f"{name}.py").read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                texts = [
                    a.value
                    for a in node.args
                    if isinstance(a, ast.Constant) and isinstance(a.value, str)
                ]
                if node.func.id == "_" and texts:
                    found.add(texts[0])
                elif node.func.id == "ngettext" and len(texts) >= 2:
                    found.add((texts[0], texts[1]))
    return found


def test_every_swedish_text_is_one_click_still_says() -> None:
    """A newer click that rewords a message would leave it in English: this says which."""
    texts = _click_texts()
    words = {"required"}  # looked up through a variable, not a literal
    assert [m for m in click_words.SWEDISH if m not in texts and m not in words] == []
    assert [m for m in click_words.SWEDISH_PLURAL if m not in texts] == []


@pytest.mark.parametrize(
    ("where", "env_lang", "expected"),
    [
        (["export", "--lang", "en"], None, "Error: Give --to COLLEAGUE or --full."),
        (["export", "--lang=en"], None, "Error: Give --to COLLEAGUE or --full."),
        (["export", "--lang", "sv"], "en", "Fel: Ange --to KOLLEGA eller --full."),
        (["import", "--lang", "en"], None, "Error: Missing argument 'FILE'."),
        (["import", "--help", "--lang", "en"], None, "Usage: trygg import"),
    ],
)
def test_lang_after_the_command_is_taken_as_before_it(
    tmp_path: Path, where: list[str], env_lang: str | None, expected: str
) -> None:
    # A person types --lang where --db goes, after the command: it used to be refused
    # ("No such option '--lang'") with no word that it belonged before the command.
    env = {k: v for k, v in os.environ.items() if k != "TRYGG_LANG"}
    if env_lang:
        env["TRYGG_LANG"] = env_lang
    db = tmp_path / "x.db"
    subprocess.run(
        [
            str(TRYGG),
            "--db",
            str(db),
            "init",
            "--name",
            "A",
            "--org",
            "polis",
            "--kommun",
            "Lycksele",
        ],
        capture_output=True,
        env=env,
        check=True,
        timeout=60,
    )
    done = subprocess.run(
        [str(TRYGG), "--db", str(db), *where], capture_output=True, text=True, env=env, timeout=60
    )
    assert expected in done.stdout + done.stderr, done
    assert "Traceback" not in done.stderr and "--lang' " not in done.stderr


@pytest.mark.parametrize(
    ("lang", "usage", "option", "extra"),
    [
        ("sv", "Användning: trygg log [FLAGGOR] [POST_ID]", "--limit HELTAL", "minst 1]"),
        ("en", "Usage: trygg log [OPTIONS] [RECORD_ID]", "--limit INTEGER", "at least 1]"),
    ],
)
def test_help_names_what_options_take_in_the_interface_language(
    tmp_path: Path, lang: str, usage: str, option: str, extra: str
) -> None:
    # Swedish help said "[OPTIONS]", "INTEGER RANGE", "x>=1", and "--db FILE" beside
    # "--out FILEN" (a Path's metavar is its error word in capitals, by then Swedish).
    env = {k: v for k, v in os.environ.items() if k != "TRYGG_LANG"}
    shown = {}
    for command in (["log"], ["records"], ["export"], []):
        done = subprocess.run(
            [str(TRYGG), "--lang", lang, *command, "--help"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert done.returncode == 0, done
        shown[" ".join(command)] = done.stdout
    assert usage in shown["log"] and option in shown["log"] and extra in shown["log"]
    for text in shown.values():
        assert "FILEN" not in text and "MAPPEN" not in text and "RANGE" not in text
    if lang == "sv":
        assert "[OPTIONS]" not in "".join(shown.values())
        assert "trygg records [FLAGGOR] KOMMANDO [ARGUMENT]..." in shown["records"]
        assert "RECORD_ID" not in shown["log"]
        assert "--db FIL " in shown["export"] and "--out SÖKVÄG " in shown["export"]
