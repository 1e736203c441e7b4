"""Both languages are complete, and screens hold no literal UI strings."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from db.i18n import catalogue, render
from db.records import TYPES, Kind

ROOT = Path(__file__).resolve().parents[1]


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("package", ["db", "tui"])
def test_catalogues_have_the_same_keys_and_placeholders(package: str) -> None:
    sv, en = catalogue(package, "sv"), catalogue(package, "en")
    assert set(sv) == set(en), set(sv) ^ set(en)
    for key in sv:
        assert placeholders(sv[key]) == placeholders(en[key]), key
        assert sv[key].strip() and en[key].strip(), key


def test_every_type_field_and_choice_has_words_in_both_languages() -> None:
    for lang in ("sv", "en"):
        messages = catalogue("db", lang)
        for rtype in TYPES.values():
            assert f"type.{rtype.name}" in messages
            for f in rtype.fields:
                assert (
                    f"field.{rtype.name}.{f.name}" in messages or f"field.{f.name}" in messages
                ), (
                    lang,
                    rtype.name,
                    f.name,
                )
                if f.kind is Kind.CHOICE:
                    for code in f.choices:
                        assert f"choice.{f.name}.{code}" in messages, (lang, f.name, code)


def test_every_message_key_used_in_code_exists() -> None:
    sv_db, sv_tui = catalogue("db", "sv"), catalogue("tui", "sv")
    missing = []
    for folder in ("db", "tui", "screens"):
        for path in (ROOT / folder).rglob("*.py"):
            if "locale" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                    continue
                value = node.value
                prefix = value.split(".")[0]
                if "." not in value or " " in value or prefix not in _KEY_PREFIXES:
                    continue
                if value.endswith(("_", ".")):  # a prefix completed at run time
                    continue
                if value not in sv_db and value not in sv_tui:
                    missing.append(f"{path.relative_to(ROOT)}: {value}")
    assert missing == []


_KEY_PREFIXES = {
    "db",
    "device",
    "record",
    "records",
    "value",
    "date",
    "time",
    "pnr",
    "ref",
    "cli",
    "key",
    "home",
    "help",
    "setup",
    "error",
    "validation",
}


#: Strings in screens that are not words for a person: Rich styles and widget selectors.
_STYLE_WORDS = {"bold", "dim", "italic", "reverse", "underline", "red", "green", "yellow", "on"}


def _not_for_people(value: str) -> bool:
    words = value.replace(",", " ").split()
    if not any(c.isalpha() for c in value):
        return True  # punctuation, numbers, an example like "64.5969, 18.6702"
    if all(w in _STYLE_WORDS for w in words):
        return True
    return "," in value and all(w[:1].isupper() and w.isalpha() and w.isascii() for w in words)


def test_screens_hold_no_literal_ui_strings() -> None:
    """Text a person reads comes from the catalogues; screens may hold ids, CSS (in
    DEFAULT_CSS and other ``*_CSS`` constants), Rich styles, widget selectors, catalogue
    keys and binding keys."""
    offenders = []
    for path in (ROOT / "screens").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        skipped |= {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id.endswith("_CSS") for t in node.targets)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in skipped:
                    continue
                value = node.value.strip()
                is_word = len(value) > 1 and value[0].isupper() and any(c.islower() for c in value)
                if (" " in value or is_word) and not _not_for_people(value):
                    offenders.append(f"{path.name}: {node.value!r}")
    assert offenders == []


def test_the_literal_string_check_catches_words() -> None:
    assert not _not_for_people("Spara och börja")
    assert not _not_for_people("Ja")
    assert _not_for_people("bold red") and _not_for_people(" · ")
    assert _not_for_people("Input, TextArea")


@pytest.mark.parametrize("key", ["cli.import.erased", "receive.erased"])
def test_an_erasure_received_counts_one_copy_in_the_singular(key: str) -> None:
    """ "i 1 kopior" (cold test): the copies are counted with their own plural."""
    assert "i 1 kopia, utkast" in render("tui", "sv", key, count=2, backups=1)
    assert "i 2 kopior, utkast" in render("tui", "sv", key, count=2, backups=2)
    assert "in 1 copy, drafts" in render("tui", "en", key, count=2, backups=1)
