"""The check's lean pass over a chunk (``bundle.chunk_problem``) refuses exactly what the
reference definitions refuse (``entry_problem``, then ``_chain_problem``, row by row), for
the same reason; and what it remembers within a chunk (a device, a record id, a value
judged) never lets a later bad row through."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.errors import TryggError
from db.journal import chains
from db.protect.keys import own_secrets
from db.sync import authenticity, bundle
from tests.conftest import report_fields
from tests.db.sync.forge import forge, head_over, read_bundle, relinked
from tests.db.sync.harness import Device

_ID = "0b5f4a9e-8c1e-4f7a-9d2b-3c4e5f6a7b8c"
_OTHER_ID = "0b5f4a9e-8c1e-4f7a-9d2b-3c4e5f6a7b8d"
_SCOPES = ("core", "personal")

#: For each part of a row, fitting and unfitting choices: every shortcut of the pass is
#: crossed with every kind of bad part.
_PARTS: tuple[tuple[Any, ...], ...] = (
    (5, 2**62, 0, -1, True, "5", 1.5, None),  # ts
    ("dev", "d" * 64, "", "d" * 65, 5, b"dev", None),  # device
    ("place", "snabbrapport", "nosuch", None, 5),  # tbl
    (_ID, _OTHER_ID, "not-an-id", _ID.upper(), _ID + "\n", 5, None),  # record id
    (
        "name", "lat", "kommun", "note", "personnummer", "_deleted", "_erased", "_ack:name",
        "no", 5,
    ),  # field
    (
        '"Lycksele"', '"Plats 1"', "64.5", '"64.5"', "64", None, "null", "{", '"  "', 5, 1.5,
        b"x", '{"date":"2026-11-22"}', '{"seen":{}}', '{"ts":5,"device":"d"}', '"a\\u0007"',
        # at the edges of what a text or a decimal is found fitting at a glance
        '" Plats"', '"Plats "', '"\u00a0Plats"', '"Pl\\"ats"', '""', '"x"', '"' + "x" * 201 + '"',
        '"a\u2028b"', '"a\x00b"', "-0.0", "6.45e1", "1e2", "-1e999", "064.5", "1_0.5",
        "64.5 ", "90.0", "90.1", "-180.0", "1E-3",
    ),  # value
    (None, 3, "3", True, 1.5),  # prev_ts
    (None, "dev", 5, b"dev"),  # prev_device
    ("core", "personal", "other", None),  # scope
    (None, "ab" * 16, "zz" * 16, "ab", 5),  # salt
    (None, bytes(32), bytes(31), "x" * 32, bytearray(32)),  # link
    (None, "cd" * 32, "zz" * 32, "cd", 5),  # sealed
)  # fmt: skip

_rows = st.tuples(*(st.sampled_from(choices) for choices in _PARTS))
#: Mostly rows that fit, as files carry them, with a few odd parts among them.
_GOOD = (5, "dev", "place", _ID, "name", '"Plats 1"', None, None, "core", None, bytes(32), None)
#: A personal entry as it fits: with its salt.
_PERSONAL = (
    5, "dev", "snabbrapport", _ID, "name", '"Anna"', None, None, "personal", "ab" * 16,
    bytes(32), None,
)  # fmt: skip
_mostly_good = st.builds(
    lambda good, row, keep: tuple(g if k else r for g, r, k in zip(good, row, keep, strict=True)),
    st.sampled_from((_GOOD, _PERSONAL)),
    _rows,
    st.lists(st.booleans() | st.just(True), min_size=12, max_size=12),
)


def _reference(chunk: list[tuple[Any, ...]], skip: set[int]) -> tuple[int, str | None]:
    fresh = 0
    for position, row in enumerate(chunk):
        if position in skip:
            continue
        fresh += row[11] is None
        problem = bundle.entry_problem(row[:9], _SCOPES) or bundle._chain_problem(row)
        if problem:
            return fresh, problem
    return fresh, None


@settings(max_examples=600, deadline=None)
@given(st.lists(_rows | _mostly_good, max_size=12), st.sets(st.integers(0, 11)))
def test_the_lean_pass_refuses_what_the_reference_refuses(
    chunk: list[tuple[Any, ...]], skip: set[int]
) -> None:
    assert bundle.chunk_problem(chunk, skip, _SCOPES) == _reference(chunk, skip)


@pytest.mark.parametrize("field", ["name", "note", "lat", "lon", "kommun"])
@pytest.mark.parametrize("value", _PARTS[5])
def test_every_value_is_judged_in_every_field_as_the_reference_judges_it(
    field: str, value: Any
) -> None:
    """A text, a long text, decimals with their ranges: what the pass finds fitting at a
    glance, the reference finds fitting too."""
    row = (*_GOOD[:4], field, value, *_GOOD[6:])
    assert bundle.chunk_problem([row], set(), _SCOPES) == _reference([row], set())


@pytest.mark.parametrize(
    ("good", "position", "choice"),
    [
        (good, p, c)
        for good in (_GOOD, _PERSONAL)
        for p, choices in enumerate(_PARTS)
        for c in choices
        if c != good[p]
    ],
)
def test_a_bad_part_after_good_rows_is_refused_as_the_reference_refuses_it(
    good: tuple[Any, ...], position: int, choice: Any
) -> None:
    """Whatever the rows before it made the pass remember (their device, record id and
    value are the bad row's own but one part), a bad part is still found."""
    bad = (*good[:position], choice, *good[position + 1 :])
    chunk = [good, good, bad, good]
    assert bundle.chunk_problem(chunk, set(), _SCOPES) == _reference(chunk, set())


def test_a_file_whose_entry_holds_bytes_where_text_belongs_is_refused_in_a_sentence(
    tmp_path: Path,
) -> None:
    """A blob in a text part of an entry (only a damaged or forged file has one) is
    refused with a message, not a traceback, and nothing is taken in."""
    a, b = Device(tmp_path, "A"), Device(tmp_path, "B")
    with a.store.transaction():
        a.store.create("place", {"name": "Torget", "kommun": "Lycksele"})
    sent = a.send(full=True)
    for column in ("value", "device", "record_id"):
        bad = tmp_path / f"bad-{column}.trygg"
        shutil.copy(sent, bad)
        conn = sqlite3.connect(bad)
        conn.execute(f"UPDATE entries SET {column} = X'00ff' WHERE seq = 1")
        conn.commit()
        conn.close()
        before = b.state()
        with pytest.raises(TryggError) as refused:
            b.receive(bad)
        assert refused.value.key == "bundle.bad_entry", column
        assert b.state() == before
    a.close()
    b.close()


def _outcome(device: Device, path: Path, rows: list[Any], chunk: int) -> tuple[Any, ...]:
    """What the proof finds of ``rows``: the refusal and how many rows it had been shown
    when it came, or the chains proved. ``chunk`` 0: row by row (``add``); else
    ``add_all`` with chunks of that many rows."""
    manifest, _rows = read_bundle(path)
    proof = authenticity.FileProof(device.store.conn, manifest, path)
    shown = 0

    def counted(part: list[Any]) -> Iterator[Any]:
        nonlocal shown
        for row in part:
            shown += 1
            yield row

    try:
        if chunk:
            for start in range(0, len(rows), chunk):
                proof.add_all(counted(rows[start : start + chunk]))
        else:
            for row in counted(rows):
                proof.add(row)
        proof.finish()
    except TryggError as refusal:
        return ("refused", refusal.key, refusal.params, shown)
    return ("proved", proof.unverified, [c.head for c in proof._proved])


def _tampered(rows: list[Any]) -> list[tuple[str, list[Any]]]:
    """The file's rows, and the same rows changed as a forger might change them."""
    middle = len(rows) // 2
    swapped = [*rows]
    swapped[middle], swapped[middle + 1] = swapped[middle + 1], swapped[middle]
    row = rows[middle]
    changed = [
        ("as sent", rows),
        ("a value changed", [*rows[:middle], (*row[:5], '"Falsk"', *row[6:]), *rows[middle + 1 :]]),
        ("two swapped", swapped),
        ("one left out", [*rows[:middle], *rows[middle + 1 :]]),
        ("one twice", [*rows[: middle + 1], row, *rows[middle + 1 :]]),
        ("a stamp before the start", [*rows[:middle], (1, *row[1:]), *rows[middle + 1 :]]),
        ("a link dropped", [*rows[:middle], (*row[:10], None, None), *rows[middle + 1 :]]),
        ("a run split", [*rows[:3], *rows[-2:], *rows[3:-2]]),
    ]
    # And each relinked, as a forger would: the links agree, the order and the start
    # still tell.
    return [
        *changed,
        *((f"{what}, relinked", relinked(each, row[1], row[8])) for what, each in changed),
    ]


def test_a_chunk_is_proved_as_entry_by_entry(tmp_path: Path) -> None:
    """``FileProof.add_all`` (the check's way, a chunk at a time) refuses what ``add``
    refuses, with the same message, and proves what it proves."""
    a, b = Device(tmp_path, "A"), Device(tmp_path, "B")
    with a.store.transaction():
        for i in range(12):
            a.store.create("place", {"name": f"Plats {i}", "kommun": "Lycksele"})
        a.store.create("snabbrapport", report_fields(name="Alva Testsson"))
    sent = a.send(full=True)
    _manifest, rows = read_bundle(sent)
    for what, changed in _tampered(rows):
        by_entry = _outcome(b, sent, changed, 0)
        assert _outcome(b, sent, changed, 7) == by_entry, what  # (chunks that split runs)
        assert _outcome(b, sent, changed, len(changed)) == by_entry, what
    assert _outcome(b, sent, rows, 5)[0] == "proved"
    a.close()
    b.close()


@pytest.mark.parametrize("scope", ["core", "personal"])
def test_one_origins_entry_twice_in_two_of_its_runs_is_refused_as_a_duplicate(
    tmp_path: Path, scope: str
) -> None:
    """The proof leaves no entry twice within a run; where an origin has two runs (core
    and personal), the same key in both is still found by the duplicate query and refused
    as before, even when every link and head holds (the origin's own key signs); and an
    entry twice in one run is refused as a duplicate, as before, not as out of order."""
    a, c = Device(tmp_path, "A"), Device(tmp_path, "C")
    with a.store.transaction():
        a.store.create("place", {"name": "Torget", "kommun": "Lycksele"})
        a.store.create("snabbrapport", report_fields(name="Alva Testsson"))
    sent = a.send(full=True, profile="polis")
    _manifest, rows = read_bundle(sent)
    personal = next(r for r in rows if r[8] == "personal" and r[4] == "name")
    # The same key (record, field, stamp, origin) as that personal entry, as a core
    # entry of another type, in its place in the core run.
    twin = (*personal[:2], "place", *personal[3:5], '"Torget"', None, None, "core", None,
            bytes(32), None)  # fmt: skip
    if scope == "personal":  # or the personal entry again, after the core run's own
        twin = personal
    core = [r for r in rows if r[8] == "core"]
    others = [r for r in rows if r[8] != "core"]
    if scope == "core":
        core = sorted([*core, twin], key=lambda r: (r[0], r[3], r[4]))
    else:
        others = [*others, twin]
    changed = relinked([*core, *others], a.id, "core")
    if scope == "personal":
        changed = relinked(changed, a.id, "personal")
    secrets = own_secrets(a.store.conn)
    assert secrets is not None
    start = chains.start_of(a.store.conn, a.id)
    assert start is not None
    heads = tuple(
        head_over(changed, a.id, s, start, secrets.signing_key, secrets.public_key)
        for s in ("core", "personal")
    )
    forged = forge(
        sent, a.store, tmp_path / "twice.trygg", entries=lambda _rows: changed, chains=heads
    )
    with pytest.raises(TryggError) as refused:
        c.receive(forged)
    assert refused.value.key == "bundle.duplicate_entries"
    a.close()
    c.close()
