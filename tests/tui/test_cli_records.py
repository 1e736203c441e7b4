"""``trygg records import`` of hostile or unusual files, run as the real ``trygg``
command: every refusal is one clear sentence naming the line, never "an unexpected error",
and nothing is written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import open_store

TRYGG = Path(sys.executable).with_name("trygg")


def trygg(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRYGG_LANG": "sv"}
    return subprocess.run([str(TRYGG), *args], capture_output=True, text=True, timeout=60, env=env)


@pytest.fixture
def database(db_path: Path) -> Path:
    with open_store(db_path) as store:
        store.create("place", {"name": "Torget"})
    return db_path


def _places(path: Path) -> int:
    with open_store(path) as store:
        return store.count("place")


def _refused(result: subprocess.CompletedProcess[str], line: str, words: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "oväntat fel" not in result.stderr and "Traceback" not in result.stderr
    assert f"{line}: " in result.stderr and words in result.stderr, result.stderr
    assert "inget har importerats" in result.stderr


def test_deeply_nested_json_is_refused_naming_its_line(database: Path, tmp_path: Path) -> None:
    path = tmp_path / "nested.jsonl"
    deep = "[" * 100_000 + "]" * 100_000
    path.write_text(f'{{"type": "place", "name": "Parken"}}\n{{"type": "place", "note": {deep}}}\n')
    _refused(trygg("records", "import", "--db", str(database), str(path)), "rad 2", "nivåer")
    assert _places(database) == 1


def test_deeply_nested_json_array_is_refused(database: Path, tmp_path: Path) -> None:
    path = tmp_path / "nested.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    _refused(trygg("records", "import", "--db", str(database), str(path)), "rad 1", "nivåer")


def test_a_five_thousand_digit_number_is_refused_naming_its_line(
    database: Path, tmp_path: Path
) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(f'{{"type": "place", "name": "Parken", "lat": {"9" * 5000}}}\n')
    _refused(trygg("records", "import", "--db", str(database), str(path)), "rad 1", "siffror")
    assert _places(database) == 1


def test_a_five_thousand_digit_number_in_csv_is_refused(database: Path, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text(f"type;name;default_due_days\nowner;Kommunen;{'9' * 5000}\n")
    result = trygg("records", "import", "--db", str(database), str(path))
    _refused(result, "rad 2", "för många siffror")


def test_a_number_beyond_sqlite_integers_is_refused(database: Path, tmp_path: Path) -> None:
    path = tmp_path / "wide.jsonl"
    lines = [
        {"type": "owner", "name": "Kommunen", "default_due_days": 10**30},
        {"type": "place", "name": "Parken", "lat": 10**400},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = trygg("records", "import", "--db", str(database), str(path))
    _refused(result, "rad 1", "för många siffror")
    assert "rad 2: " in result.stderr


def test_a_cell_longer_than_the_csv_module_reads_is_refused_by_its_field(
    database: Path, tmp_path: Path
) -> None:
    path = tmp_path / "long.csv"
    path.write_text("type;name;note\nplace;Parken;" + "x" * 200_000 + "\n")
    result = trygg("records", "import", "--db", str(database), str(path))
    _refused(result, "rad 2", "för lång")


def test_tab_separated_excel_text_and_a_json_array_are_read(database: Path, tmp_path: Path) -> None:
    tsv = tmp_path / "platser.txt"
    tsv.write_bytes("type\tname\tnote\r\nplace\tÅvägen\tmörk, trång\r\n".encode("cp1252"))
    result = trygg("records", "import", "--db", str(database), str(tsv))
    assert result.returncode == 0, result.stderr
    array = tmp_path / "platser.json"
    array.write_text(json.dumps([{"type": "place", "name": "Parken"}, {"type": "place"}]))
    refused = trygg("records", "import", "--db", str(database), str(array))
    assert refused.returncode == 1 and "post 2: " in refused.stderr, refused.stderr
    array.write_text(json.dumps([{"type": "place", "name": "Parken"}]))
    assert trygg("records", "import", "--db", str(database), str(array)).returncode == 0
    with open_store(database) as store:
        names = sorted(p["name"] for p in store.records("place"))
        assert names == ["Parken", "Torget", "Åvägen"]
        assert store.records("place", where={"name": "Åvägen"})[0]["note"] == "mörk, trång"
