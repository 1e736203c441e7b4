"""Installing Trygg the way people install command-line tools (``pipx install``, ``uv tool
install``: a wheel in a virtual environment of its own) gives a working ``trygg``.

The wheel is built from a copy of the source tree and installed into a fresh virtual
environment, where ``trygg --help`` and ``trygg demo --no-tui`` run. The dependencies come
from this test environment through a path file rather than from the package index, so the
test runs offline in seconds; that the wheel declares every package it imports is checked
against its metadata instead.
"""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import shutil
import site
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("db", "tui", "screens")
_SKIP = shutil.ignore_patterns(
    ".venv*", ".git", "__pycache__", "build", "dist", "*.egg-info", ".pytest_cache",
    ".ruff_cache", ".hypothesis", "tests", "*.db", "*.db-wal", "*.db-shm",
)  # fmt: skip


def _run(args: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, **kw)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source") / "trygg"
    shutil.copytree(ROOT, source, ignore=_SKIP)
    out = source.parent / "dist"
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-q", "-w", str(out), str(source)],
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (path,) = out.glob("trygg-*.whl")
    return path


def test_the_wheel_holds_every_file_the_packages_need(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                assert path.relative_to(ROOT).as_posix() in names, path
    assert any(n.endswith("entry_points.txt") for n in names)


def _third_party_imports() -> set[str]:
    found: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module.split(".")[0])
    return {
        name
        for name in found
        if name not in sys.stdlib_module_names and name not in (*PACKAGES, "__future__")
    }


def test_the_wheel_declares_every_package_it_imports(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        (meta,) = [n for n in z.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = z.read(meta).decode()
    declared = {
        re.split(r"[\s<>=!~;\[(]", line.split(":", 1)[1].strip())[0].lower().replace("_", "-")
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    }
    providers = importlib.metadata.packages_distributions()
    for module in sorted(_third_party_imports()):
        dists = {d.lower().replace("_", "-") for d in providers.get(module, [])}
        assert dists & declared, f"{module} is imported but none of {dists} is a dependency"


def test_an_installed_wheel_runs_in_a_fresh_environment(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, symlinks=os.name != "nt")
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    # The dependencies, from this environment (offline); Trygg itself only from the wheel.
    (Path(purelib.stdout.strip()) / "trygg-test-deps.pth").write_text(
        "\n".join([sysconfig.get_paths()["purelib"], *site.getsitepackages()]) + "\n"
    )
    installed = _run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index",
         "--disable-pip-version-check", "-q", str(wheel)],
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    trygg = bindir / ("trygg.exe" if os.name == "nt" else "trygg")
    env = {**os.environ, "TRYGG_LANG": "en", "PYTHONPATH": ""}
    where = _run(
        [str(python), "-c", "import tui, db; print(tui.__file__); print(db.__file__)"],
        cwd=tmp_path, env=env,
    )  # fmt: skip
    assert all(line.startswith(str(env_dir)) for line in where.stdout.split()), where.stdout
    helped = _run([str(trygg), "--help"], cwd=tmp_path, env=env)
    assert helped.returncode == 0, helped.stderr
    assert "demo" in helped.stdout and "records" in helped.stdout
    demo = tmp_path / "demo.db"
    made = _run([str(trygg), "--db", str(demo), "demo", "--no-tui"], cwd=tmp_path, env=env)
    assert made.returncode == 0, made.stderr
    assert demo.exists() and "solleftea-handlingsplan.xlsx" in made.stdout
    doctor = _run([str(trygg), "--db", str(demo), "doctor"], cwd=tmp_path, env=env)
    assert "integrity_check ok" in doctor.stdout, doctor.stdout + doctor.stderr
