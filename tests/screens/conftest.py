"""Fixtures for the screens' tests: the realistic database of the layout tests, built
once per run (with fixed keys and device ids) and copied for each test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.screens.realistic import build_realistic, fix_export_clock, fix_identities
from tests.screens.realistic import fixed_devices as fixed_devices


@pytest.fixture(scope="session")
def realistic_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The realistic database, built once; tests work on copies of it."""
    folder = tmp_path_factory.mktemp("realistic")
    with pytest.MonkeyPatch.context() as monkeypatch:
        fix_identities(monkeypatch)
        fix_export_clock(monkeypatch)
        return build_realistic(folder)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tour's tests share its folders (FOLDER, the stick, the documents folder), whose
    fixed paths show in the snapshots: when the suite runs in several processes
    (pytest-xdist, ``--dist loadgroup``), they all run in one of them."""
    for item in items:
        if "realistic_template" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("tour"))
