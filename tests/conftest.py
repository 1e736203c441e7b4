"""Shared fixtures: real SQLite files in a temporary folder, with a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from db.store import Store

#: "Now" for every test that needs one: a Sunday night in late November.
NOW = datetime(2026, 11, 22, 1, 30)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never touch the developer's real database or language settings."""
    monkeypatch.delenv("TRYGG_DB", raising=False)
    monkeypatch.delenv("TRYGG_LANG", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "documents"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "trygg.db"


def open_store(path: Path, *, name: str = "Testenhet", org: str = "polis") -> Store:
    """A store at ``path`` whose device is set up, with ``NOW`` as its wall clock."""
    store = Store(path, now=lambda: NOW)
    if store.device is None:
        store.set_up_device(name, org, "Lycksele")
    return store


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = open_store(db_path)
    yield s
    s.close()


def walk_fields(**overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {"kommun": "Lycksele", "area": "Centrum", "date": "2026-11-01"}
    fields.update(overrides)
    return fields


def report_fields(**overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "date": "2026-11-21",
        "time": "23:10",
        "place": "Torget",
        "kommun": "Lycksele",
        "name": "Alva Testsson",
        "personnummer": "20100315-9801",
    }
    fields.update(overrides)
    return fields
