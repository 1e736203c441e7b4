#!/usr/bin/env python3
"""Set up Trygg in a local virtual environment, then run it or its tests.

Needs only Python 3.11+. Usage:
    python3 dev.py app [TRYGG ARGS...]    open Trygg on the default database
    python3 dev.py test [PYTEST ARGS...]  run ruff, mypy and the test suite (a process per core)
    python3 dev.py demo                   open Trygg on a fresh demo database
    python3 dev.py lint                   ruff and mypy only

The environment lives in .venv (override with TRYGG_VENV) and is reinstalled
whenever pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("TRYGG_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".trygg-installed"


def _python() -> str:
    return str(BIN / ("python.exe" if os.name == "nt" else "python"))


def ensure_environment() -> None:
    """Create the virtual environment and install Trygg with its dev extras if needed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not (BIN / "python").exists() and not (BIN / "python.exe").exists():
        print(f"Creating virtual environment in {VENV} …", flush=True)
        venv.create(VENV, with_pip=True)
    print("Installing Trygg and its dependencies …", flush=True)
    subprocess.run(
        [
            _python(),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-e",
            f"{ROOT}[dev]",
        ],
        check=True,
    )
    STAMP.write_text(wanted + "\n")


def _parallel(args: list[str]) -> list[str]:
    """One test process per core (pytest-xdist), unless the arguments choose otherwise.
    ``loadgroup`` keeps the tests that share fixed folders in one process."""
    if any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args):
        return []
    if "no:xdist" in args:
        return []
    return ["-n", "auto", "--dist", "loadgroup"]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"app", "test", "demo", "lint"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_environment()
    trygg = str(BIN / "trygg")
    if command == "app":
        return subprocess.call([trygg, *rest])
    if command == "demo":
        return subprocess.call([trygg, "demo", *rest])
    lint = subprocess.call([_python(), "-m", "ruff", "check", str(ROOT)], cwd=ROOT)
    # mypy reads its files and settings from pyproject.toml.
    lint = subprocess.call([_python(), "-m", "mypy"], cwd=ROOT) or lint
    if command == "lint":
        return lint
    tests = subprocess.call([_python(), "-m", "pytest", *_parallel(rest), *rest], cwd=ROOT)
    return tests or lint


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
