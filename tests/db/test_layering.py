"""db/ knows nothing of Textual, the TUI or the screens."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_db_imports_without_textual() -> None:
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in {'textual', 'tui', 'screens'}:\n"
        "            raise ImportError('db must not import ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import pkgutil, importlib, db\n"
        "for m in pkgutil.walk_packages(db.__path__, 'db.'):\n"
        "    importlib.import_module(m.name)\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_imports_point_one_way() -> None:
    forbidden = {"db": {"textual", "tui", "screens"}, "screens": {"tui"}}
    for package, banned in forbidden.items():
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                for name in names:
                    assert name.split(".")[0] not in banned, f"{path}: imports {name}"


def test_screens_write_no_sql() -> None:
    for path in (ROOT / "screens").rglob("*.py"):
        text = path.read_text(encoding="utf-8").upper()
        for keyword in ("INSERT INTO", "UPDATE ", "DELETE FROM", "SELECT "):
            assert keyword not in text, f"{path} holds SQL ({keyword.strip()})"


def test_screens_never_touch_the_connection() -> None:
    """Screens read and write through db's API: no ``store.conn`` (nor any other
    ``.conn``), so every query lives in db/ where it can be tested and tuned."""
    for path in (ROOT / "screens").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "conn":
                raise AssertionError(f"{path}:{node.lineno} reaches into .conn")


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def test_the_journal_rules_sit_below_the_store_and_sync() -> None:
    below = [*(ROOT / "db" / "journal").glob("*.py"), ROOT / "db" / "peers.py"]
    for path in [*below, ROOT / "db" / "store.py"]:
        for name in _imports(path):
            assert not name.startswith("db.sync"), f"{path}: imports {name}"
    for path in below:
        for name in _imports(path):
            assert not name.startswith(("db.store", "db.sync")), f"{path}: imports {name}"
    for path in (ROOT / "db" / "journal").glob("*.py"):
        for name in _imports(path):
            assert not name.startswith(("db.peers", "db.protect")), f"{path}: imports {name}"


def test_only_the_peers_module_writes_the_devices_table() -> None:
    for package in ("db", "tui", "screens"):
        for path in (ROOT / package).rglob("*.py"):
            if path == ROOT / "db" / "peers.py" or "migrations" in path.parts:
                continue
            text = " ".join(path.read_text(encoding="utf-8").upper().split())
            for write in ("INSERT INTO DEVICES", "UPDATE DEVICES", "DELETE FROM DEVICES"):
                assert write not in text, f"{path} writes the devices table ({write})"
