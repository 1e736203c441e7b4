"""What SQLite finds plain in a file (db/sync/set_checks.py) is never something Python's
own check would refuse: an entry it passes is one ``entry_problem`` and the chain check
pass, whatever odd value, type or shape it has. And a bad entry that looks nearly plain
is refused through a real import with the same message as ever."""

from __future__ import annotations

import sqlite3
from itertools import product
from pathlib import Path
from typing import Any

import pytest

from db.errors import TryggError
from db.sync import bundle, set_checks
from tests.db.sync.forge import forge
from tests.db.sync.harness import Device

UUID = "0190c6a8-7f3e-7a1b-9c2d-3e4f5a6b7c8d"
LINK = bytes(range(32))
SALT = "0123456789abcdef0123456789abcdef"

#: (type, field) pairs of every kind SQLite checks, and some it leaves to Python.
FIELDS = [
    ("place", "name"),  # text, 200
    ("place", "note"),  # longtext
    ("place", "lat"),  # real, -90..90
    ("progress", "hours"),  # real, no limits
    ("snabbrapport", "age"),  # int
    ("owner", "default_due_days"),  # int
    ("finding", "positive"),  # bool
    ("finding", "walk_id"),  # ref
    ("walk", "light"),  # choice
    ("snabbrapport", "name"),  # personal text
    ("owner", "kind"),  # choice
    ("walk", "date"),  # date: Python's
    ("place", "nosuchfield"),
    ("nosuchtype", "name"),
]

VALUES: list[Any] = [
    None,
    '"Plats 1"',
    '"Åsa"',
    '"ö"',
    '" Plats"',
    '"Plats "',
    '"Plats\u00a0"',
    '"\u00a0Plats"',
    '"Plats\u2003"',
    '""',
    '" "',
    '"a\\"b"',
    '"a\\nb"',
    '"a\nb"',
    '"a\tb"',
    '"a\x00b"',
    '"abc\x00def"',
    '"a\x7fb"',
    '"a"b"',
    '"' + "x" * 200 + '"',
    '"' + "x" * 201 + '"',
    '"' + "x" * 4000 + '"',
    '"' + "x" * 4001 + '"',
    "0",
    "-0",
    "7",
    "-7",
    "007",
    "1e2",
    "123456789012345678",
    "1.5",
    "-1.5",
    "90.0",
    "89.99999999999",
    "90.0000000001",
    "-90.0",
    "0.5",
    "00.5",
    ".5",
    "5.",
    "1.2.3",
    "--1.5",
    "1.5e3",
    "NaN",
    "Infinity",
    "true",
    "false",
    "1",
    '"true"',
    f'"{UUID}"',
    f'"{UUID.upper()}"',
    f'" {UUID}"',
    '"dagsljus"',
    '"Dagsljus"',
    '"dagsljus "',
    '"kommun"',
    '"fastighetsagare"',
    '"2026-11-22"',
    "null",
    "[]",
    "{}",
    b'"blob"',
    12,
    1.5,
]


def _bundle(rows: list[tuple[Any, ...]]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    for sql in bundle.SCHEMA_SQL:
        conn.execute(sql)
    conn.executemany(
        f"INSERT INTO entries ({bundle._COLUMNS_3}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return conn


def _python_passes(row: tuple[Any, ...], scopes: tuple[str, ...]) -> bool:
    return bundle.entry_problem(row[:9], scopes) is None and bundle._chain_problem(row) is None


def _agree(rows: list[tuple[Any, ...]], scopes: tuple[str, ...], chained: bool = True) -> int:
    """Check every row SQLite finds plain against Python; return how many it found."""
    conn = _bundle(rows)
    # What SQLite reads back (its column affinities) is what Python is shown.
    stored = conn.execute(f"SELECT seq, {bundle._COLUMNS_3} FROM entries ORDER BY seq").fetchall()
    unplain = set(set_checks.unplain_seqs(conn, 1, len(rows), scopes, chained))
    plain = 0
    for seq, *row in stored:
        if seq not in unplain:
            plain += 1
            assert _python_passes(tuple(row), scopes), row
    return plain


def test_every_value_sqlite_finds_plain_python_passes() -> None:
    rows = [
        (5, "dev", tbl, UUID, name, value, None, None, "core", None, None, None)
        for (tbl, name), value in product(FIELDS, VALUES)
    ]
    plain = _agree(rows, ("core", "personal"))
    # The fast path is taken: the plain values of the kinds SQLite checks.
    assert plain >= 40


def test_every_shape_sqlite_finds_plain_python_passes() -> None:
    good = (5, "dev", "place", UUID, "name", '"Plats"', None, None, "core", None, None, None)
    variants: list[tuple[Any, ...]] = [good]
    odd_parts: dict[int, list[Any]] = {
        0: [0, -1, 1.5, "5", b"5", 2**62],
        1: ["", "d" * 64, "d" * 65, "d\x00" * 40, "å" * 40, 7, b"dev"],
        2: ["Place", "place ", b"place", "place\x00"],
        3: [UUID.upper(), UUID + "\n", UUID[:-1], UUID + "0", b"x" * 36, "-" * 36, 5],
        4: ["Name", "name\x00", b"name", "_deleted", "_erased", "_ack:name", 3],
        6: [7, "7", 1.5],
        7: ["dev", 7],
        8: ["personal", "Core", ""],
    }
    for index, parts in odd_parts.items():
        for part in parts:
            variants.append((*good[:index], part, *good[index + 1 :]))
    variants.append((*good[:6], 7, "dev", *good[8:]))
    variants.append((*good[:6], None, "dev", *good[8:]))
    for scopes in (("core", "personal"), ("core",), ()):
        assert _agree(variants, scopes) >= (1 if scopes else 0)


def test_every_chain_part_sqlite_finds_plain_python_passes() -> None:
    rows = []
    for (tbl, scope), salt, link, sealed in product(
        [("owner", "core"), ("snabbrapport", "personal"), ("owner", "personal")],
        [None, SALT, SALT.upper(), SALT[:-1], "z" * 32, 5, b"x" * 32],
        [None, LINK, LINK[:31], LINK.hex(), bytes(33)],
        [None, "ab" * 32],
    ):
        rows.append((5, "dev", tbl, UUID, "name", '"Åsa"', None, None, scope, salt, link, sealed))
    rows += [(5, "dev", "snabbrapport", UUID, "name", None, None, None, "personal", None, LINK,
              "ab" * 32)]  # fmt: skip
    assert _agree(rows, ("core", "personal")) >= 2
    unchained = [(*row[:9], None, None, None) for row in rows]
    assert _agree(unchained, ("core", "personal"), chained=False) >= 1


def test_body_lines_are_pythons_lines() -> None:
    rows = [
        (5 + i, "dev", "place", UUID, "name", value, 4, "dév", "core", None, LINK, None)
        for i, value in enumerate(v for v in VALUES if isinstance(v, str | None))
    ]
    rows.append(
        (99, "dev", "place", UUID, "name", None, None, None, "personal", SALT, None, "ab" * 32)
    )
    conn = _bundle(rows)
    stored = conn.execute(f"SELECT {bundle._COLUMNS_3} FROM entries ORDER BY seq").fetchall()
    assert set_checks.body_lines(conn, 1, len(rows), True) == bundle.chunk_lines(stored)
    nine = [row[:9] for row in stored]
    assert set_checks.body_lines(conn, 1, len(rows), False) == bundle.chunk_lines(nine)
    # A part SQLite's JSON would write otherwise: left to Python.
    odd = _bundle([(1.5, *rows[0][1:]), *rows[1:]])
    assert set_checks.body_lines(odd, 1, len(rows), True) is None


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        ('"Plats\u00a0"', "name"),  # a space Python strips, SQLite's check does not know
        ('"' + "x" * 201 + '"', "name"),  # one character too long
        ("90.00000000000001", "lat"),  # just beyond the limit
        ("64", "lat"),  # a number, but not one with a fraction
    ],
)
def test_a_nearly_plain_bad_value_is_refused_as_ever(
    tmp_path: Path, value: str, detail: str
) -> None:
    a, b = Device(tmp_path, "A"), Device(tmp_path, "B")
    with a.store.transaction():
        a.store.create("place", {"name": "Torget", "lat": 64.5})
    real = a.send(full=True)

    def altered(rows: list[bundle.Row]) -> list[bundle.Row]:
        place = next(i for i, row in enumerate(rows) if row[4] == detail)
        rows[place] = (*rows[place][:5], value, *rows[place][6:])
        return rows

    # (Its links no longer hold either; a bad entry is said first, as ever.)
    forged = forge(real, a.store, tmp_path / "nearly.trygg", entries=altered)
    before = b.state()
    with pytest.raises(TryggError) as refused:
        b.receive(forged)
    assert refused.value.key == "bundle.bad_entry"
    assert refused.value.params["problem"].params["detail"] == detail
    assert b.state() == before
    a.close()
    b.close()
