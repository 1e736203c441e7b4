"""What an import or a delta export does grows with what is new or sent, not with the
database: counted in work done (entries checked one by one, SQLite virtual-machine steps
on the store's connection), never in seconds. And what is skipped as already held is
held exactly: a forged or altered variant of a held entry is refused as before."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from db.errors import TryggError
from db.sync import authenticity, bundle
from db.sync.exporter import export_bundle, find_peer
from tests.db.sync.forge import forge
from tests.db.sync.harness import Device


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple]]:
    """The entries the readers check one by one."""
    seen: list[tuple] = []
    original = bundle.chunk_problem

    def counting(chunk: list[bundle.Row], skip: set[int], *rest: Any) -> Any:
        seen.extend(row for position, row in enumerate(chunk) if position not in skip)
        return original(chunk, skip, *rest)

    monkeypatch.setattr(bundle, "chunk_problem", counting)
    yield seen


def _places(device: Device, count: int, start: int = 0) -> list[str]:
    with device.store.transaction():
        return [
            device.store.create("place", {"name": f"Plats {i}", "kommun": "Lycksele"})
            for i in range(start, start + count)
        ]


@contextmanager
def _sqlite_steps(conn: sqlite3.Connection) -> Iterator[list[int]]:
    """Counts SQLite's virtual-machine steps on ``conn`` (in hundreds) while the block
    runs: ``[count]``, read after it."""
    counted = [0]

    def step() -> int:
        counted[0] += 1
        return 0

    conn.set_progress_handler(step, 100)
    try:
        yield counted
    finally:
        conn.set_progress_handler(None, 0)


def test_another_file_with_nothing_new_is_neither_checked_entry_by_entry_nor_merged(
    tmp_path: Path, checked: list[tuple]
) -> None:
    a, b = Device(tmp_path, "A"), Device(tmp_path, "B")
    _places(a, 40)
    first = a.send(full=True)
    again = a.send(full=True)  # the same changes in another file
    summary = b.receive(first)
    assert summary.new_entries == len(checked) > 0
    checked.clear()
    before = b.state()
    summary = b.receive(again)
    assert checked == []
    assert summary.new_entries == 0 and not summary.already_imported
    assert summary.unchanged == bundle.BundleReader(again).peek().entry_count
    assert summary.backup is None  # nothing to undo, no copy of the database
    assert b.state() == before
    a.close()
    b.close()


def test_the_same_file_again_is_answered_from_its_manifest(
    tmp_path: Path, checked: list[tuple]
) -> None:
    a, b = Device(tmp_path, "A"), Device(tmp_path, "B")
    _places(a, 40)
    first = a.send(full=True)
    b.receive(first)
    checked.clear()
    proofs: list[object] = []
    hashed: list[object] = []
    original = authenticity.FileProof.add
    lines = bundle.chunk_lines
    with pytest.MonkeyPatch.context() as patch:

        def counted(*a: Any) -> Any:
            proofs.append(a)
            return original(*a)

        def hashing(chunk: Any) -> bytes:
            hashed.append(chunk)
            return lines(chunk)

        patch.setattr(authenticity.FileProof, "add", counted)
        patch.setattr(bundle, "chunk_lines", hashing)

        again = b.receive(first)
    assert again.already_imported and again.new_entries == 0 and again.backup is None
    # Its signed manifest names a file merged whole: its body is not even hashed again.
    assert checked == [] and proofs == [] and hashed == []
    a.close()
    b.close()


def test_a_file_with_a_few_new_entries_checks_and_merges_only_those(
    tmp_path: Path, checked: list[tuple]
) -> None:
    a, b = Device(tmp_path, "A"), Device(tmp_path, "B")
    ids = _places(a, 40)
    b.receive(a.send(full=True))
    a.store.update("place", ids[0], {"note": "Ny lampa"})
    _places(a, 1, start=40)
    checked.clear()
    summary = b.receive(a.send(full=True))
    # the note, and the new place's name and kommun
    assert summary.new_entries == 3 and len(checked) == 3
    assert summary.total_new_records == 1 and summary.updated_fields == 1
    assert b.store.get("place", ids[0])["note"] == "Ny lampa"  # type: ignore[index]
    assert b.state() == a.state()
    a.close()
    b.close()


def _refusal(device: Device, path: Path) -> TryggError:
    before = device.state()
    with pytest.raises(TryggError) as refused:
        device.receive(path)
    assert device.state() == before
    return refused.value


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("123", "bundle.bad_entry"),  # not a value Trygg accepts for a name
        ('"Förfalskad plats"', "bundle.forged"),  # a valid value its origin never wrote
    ],
)
def test_an_altered_variant_of_a_held_entry_is_refused_as_by_a_device_without_it(
    tmp_path: Path, checked: list[tuple], value: str, key: str
) -> None:
    a, b, c = Device(tmp_path, "A"), Device(tmp_path, "B"), Device(tmp_path, "C")
    _places(a, 3)
    real = a.send(full=True)
    b.receive(real)  # B holds every entry of the file; C none

    def altered(rows: list[bundle.Row]) -> list[bundle.Row]:
        first = next(i for i, row in enumerate(rows) if row[4] == "name")
        rows[first] = (*rows[first][:5], value, *rows[first][6:])
        return rows

    # Signed with the sender's real key: only the receivers' own checks can stop it.
    forged = forge(real, a.store, tmp_path / "altered.trygg", entries=altered)
    without = _refusal(c, forged)
    checked.clear()
    holding = _refusal(b, forged)
    assert (holding.key, holding.params) == (without.key, without.params)
    assert holding.key == key
    if key == "bundle.bad_entry":
        assert [row[5] for row in checked] == [value]  # the variant alone is checked
    a.close()
    b.close()
    c.close()


def test_another_file_with_nothing_new_is_not_read_entry_by_entry(tmp_path: Path) -> None:
    """Every entry held exactly and proved by the chains held: found in SQL, without an
    entry hashed, proved or checked in Python."""
    a, b = Device(tmp_path, "A"), Device(tmp_path, "B")
    _places(a, 40)
    a.store.update("place", _places(a, 1, start=40)[0], {"note": "Ny lampa"})
    b.receive(a.send(full=True))
    again = a.send(full=True)
    seen: list[object] = []

    def hashing(chunk: Any) -> bytes:
        seen.append(chunk)
        return b""

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(authenticity.FileProof, "add", lambda *args: seen.append(args))
        patch.setattr(bundle, "chunk_lines", hashing)
        before = b.state()
        summary = b.receive(again)
    assert seen == []
    assert summary.new_entries == 0 and not summary.already_imported
    assert summary.unchanged == bundle.BundleReader(again).peek().entry_count
    assert b.state() == before
    a.close()
    b.close()


def test_an_encrypted_file_with_nothing_new_is_found_held_in_memory(tmp_path: Path) -> None:
    """Decrypted in memory, the file is compared with the journal from memory too."""
    from db.protect.encryption import Encryption, Unlock
    from db.sync.merge import import_bundle

    a, b = Device(tmp_path, "A"), Device(tmp_path, "B")
    _places(a, 40)
    b.receive(a.send(full=True))
    out = tmp_path / "sealed.trygg"
    export_bundle(a.store, out, full=True, encryption=Encryption("en lång lösenfras"))
    seen: list[object] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(authenticity.FileProof, "add", lambda *args: seen.append(args))
        before = b.state()
        unlock = Unlock(ask_passphrase=lambda: "en lång lösenfras")
        summary = import_bundle(b.store, out, unlock=unlock)
    assert seen == [] and summary.encrypted
    assert summary.new_entries == 0 and not summary.already_imported
    assert b.state() == before
    assert [row[1] for row in b.store.conn.execute("PRAGMA database_list")] == ["main"]
    a.close()
    b.close()


def _swapped(rows: list[bundle.Row]) -> list[bundle.Row]:
    return [rows[1], rows[0], *rows[2:]]


def _one_left_out(rows: list[bundle.Row]) -> list[bundle.Row]:
    return [*rows[:2], *rows[3:]]


def _one_twice(rows: list[bundle.Row]) -> list[bundle.Row]:
    return [*rows[:2], rows[1], *rows[3:]]


def _another_origin_cut(rows: list[bundle.Row]) -> list[bundle.Row]:
    return rows[:-1]  # the last entry of the chain: the file no longer reaches its head


@pytest.mark.parametrize("change", [_swapped, _one_left_out, _one_twice, _another_origin_cut])
def test_a_file_of_held_entries_out_of_chain_is_refused_as_by_a_device_without_them(
    tmp_path: Path, change: Any
) -> None:
    """Every entry of these files is held by B exactly; only their place in the chain
    is wrong (out of order, one left out, one twice, the head not reached). B refuses
    each as C, which holds none of them, does."""
    a, b, c = Device(tmp_path, "A"), Device(tmp_path, "B"), Device(tmp_path, "C")
    _places(a, 3)
    real = a.send(full=True)
    b.receive(real)
    forged = forge(real, a.store, tmp_path / "out-of-chain.trygg", entries=change)
    without = _refusal(c, forged)
    holding = _refusal(b, forged)
    assert (holding.key, holding.params) == (without.key, without.params)
    assert holding.key in {"bundle.forged", "bundle.duplicate_entries"}
    a.close()
    b.close()
    c.close()


@pytest.mark.parametrize("stamp", ["i morgon", 2.5])
def test_an_entry_whose_stamp_is_no_stamp_is_refused_beside_held_ones(
    tmp_path: Path, stamp: object
) -> None:
    a, b = Device(tmp_path, "A"), Device(tmp_path, "B")
    _places(a, 3)
    real = a.send(full=True)
    b.receive(real)

    def restamped(rows: list[bundle.Row]) -> list[bundle.Row]:
        return [(stamp, *rows[0][1:]), *rows[1:]]

    forged = forge(real, a.store, tmp_path / "restamped.trygg", entries=restamped)
    refused = _refusal(b, forged)
    assert refused.key == "bundle.bad_entry", refused.key  # one sentence, no traceback
    a.close()
    b.close()


def _delta_steps(folder: Path, records: int) -> int:
    folder.mkdir()
    """SQLite steps on the sender's connection to write a delta of 20 changes to a peer
    that holds everything else, in a database of ``records`` places."""
    a, b = Device(folder, "A"), Device(folder, "B")
    ids = _places(a, records)
    b.receive(a.send(full=True))
    a.receive(b.send(full=True))  # B declares holding all of A's
    for record_id in ids[:20]:
        a.store.update("place", record_id, {"note": "Ändrad"})
    peer = find_peer(a.store, b.id)
    with _sqlite_steps(a.store.conn) as steps:
        summary = export_bundle(a.store, folder / "delta.trygg", peer=peer)
    assert summary.entries == 20
    a.close()
    b.close()
    return steps[0]


def test_a_delta_export_costs_what_it_sends_not_what_the_journal_holds(tmp_path: Path) -> None:
    small = _delta_steps(tmp_path / "small", 100)
    large = _delta_steps(tmp_path / "large", 2000)
    # Twenty times the journal; the same twenty changes to send.
    assert large <= small * 1.2 + 5, (small, large)


def test_a_chunk_is_hashed_as_the_same_bytes_as_entry_by_entry() -> None:
    link = bytes(range(32))
    chunk: list[bundle.Row] = [
        (
            1,
            "dev",
            "place",
            "id-1",
            "name",
            '"Åsa \\"Ö\\" \\u0007 / \\\\ 😀\\n"',
            None,
            None,
            "core",
        ),
        (2**60, "d€v", "place", "id-2", "lat", "64.50000000001", 1, "dev", "core"),
        (3, "dev", "place", "id-3", "note", None, None, None, "personal", "ab" * 16, link, None),
        (3, "dev", "place", "id-3", "note", None, None, None, "personal", None, link, "cd" * 32),
        (4, "dev", "snabbrapport", "id-4", "_erased", '{"date":"2026-11-22"}', 3, "x", "core"),
        (5, "dev", "place", "id-5", "name", '"x"', None, None, "core", None, None, None),
        # What only a damaged or forged file holds: raw control characters, a number
        # with a fraction where a stamp should be, a link read as a memoryview.
        (6.5, "d\x00v\x1f\x7f", "pl\nace", "id\t6", "name", '"\x01"', 2.5, "\u2028", "core"),
        (7, "dev", "place", "id-7", "name", None, None, None, "core", None, memoryview(link), None),
    ]
    assert bundle.chunk_lines(chunk) == b"".join(bundle.entry_line(e) for e in chunk)
    assert bundle.chunk_lines([]) == b""
    with pytest.MonkeyPatch.context() as patch:  # (a Python without the C encoder)
        patch.setattr(bundle, "_C_LINE_ENCODER", None)
        assert bundle.chunk_lines(chunk) == b"".join(bundle.entry_line(e) for e in chunk)


def test_an_import_counts_its_progress_in_entries(tmp_path: Path) -> None:
    from db.sync.merge import import_bundle

    a, b = Device(tmp_path, "A"), Device(tmp_path, "B")
    ids = _places(a, 2600)  # two chunks of entries (two a place)
    first = a.send(full=True)
    heard: list[tuple[int, int]] = []
    import_bundle(b.store, first, progress=lambda done, total: heard.append((done, total)))
    entries = bundle.BundleReader(first).peek().entry_count
    # Every entry checked, then every one merged (all new): counted up, never back.
    assert heard[-1] == (2 * entries, 2 * entries)
    assert [done for done, _ in heard] == sorted({done for done, _ in heard})
    assert len(heard) > 2
    a.store.update("place", ids[0], {"note": "Ny"})
    heard.clear()
    import_bundle(b.store, a.send(full=True), progress=lambda d, t: heard.append((d, t)))
    assert heard[-1] == (entries + 2, entries + 2)  # all checked; the one new merged
    a.close()
    b.close()


def test_an_entry_is_judged_the_same_with_what_a_chunk_found_remembered() -> None:
    """The shortcuts of the check (a plain JSON string's text taken as it is, a value
    judged once per chunk) find exactly what the full check finds."""
    values = [
        '"Lycksele"', '"Åsa \\"Ö\\""', '"a\\u0007b"', '"rad\\nrad"', '"x\ty"', '"x\u2028y"',
        '"  "', '""', '"\\u00e5"', '"' + "x" * 5000 + '"', "64.5", "64", '"64.5"', "true",
        "null", None, '"x" ', ' "x"', '"a"b"', '["a"]', "{", "", '"😀"',
    ]  # fmt: skip
    for value in values:
        if value is None:
            continue
        try:
            expected = ("value", json.loads(value))
        except json.JSONDecodeError:
            expected = ("refused", None)
        try:
            found = ("value", bundle.json_value(value))
        except json.JSONDecodeError:
            found = ("refused", None)
        assert found == expected, value
    known: dict = {}
    for field in ("name", "kommun", "lat", "note", "nosuch"):
        for value in values:
            entry = (5, "dev", "place", "0b5f4a9e-8c1e-4f7a-9d2b-3c4e5f6a7b8c", field, value,
                     None, None, "core")  # fmt: skip
            plain = bundle.entry_problem(entry, ("core",))
            assert bundle.entry_problem(entry, ("core",), known) == plain, (field, value)
            assert bundle.entry_problem(entry, ("core",), known) == plain, (field, value)


def _import_steps(folder: Path, reports: int) -> tuple[int, int]:
    """SQLite steps on the receiver's connection while a file of ``reports`` quick
    reports with names (personal entries in every range of the merge) is imported into
    an empty database, and the file's entries."""
    from tests.conftest import report_fields

    a, b = Device(folder, "A"), Device(folder, "B")
    with a.store.transaction():
        for i in range(reports):
            a.store.create("snabbrapport", report_fields(name=f"Person {i}"))
    sent = a.send(full=True, profile="polis")
    conn = sqlite3.connect(sent)
    assert conn.execute("SELECT count(*) FROM entries WHERE scope = 'personal'").fetchone()[0]
    conn.close()
    with _sqlite_steps(b.store.conn) as steps:
        summary = b.receive(sent)
    assert summary.new_records == {"snabbrapport": reports}
    entries = bundle.BundleReader(sent).peek().entry_count
    a.close()
    b.close()
    return steps[0], entries


def test_a_first_import_with_personal_entries_costs_in_proportion_to_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The records erased are found once per file, not once per range of the merge
    (which read the whole file again for every range holding a personal entry)."""
    from db.sync import merge

    monkeypatch.setattr(merge, "_RANGE", 5)  # many ranges, as a large file has
    small, small_entries = _import_steps(tmp_path / "small", 20)
    large, large_entries = _import_steps(tmp_path / "large", 80)
    grown = large_entries / small_entries
    assert large <= small * grown * 1.15, (small, large, grown)


def test_a_file_its_chains_prove_whole_is_not_hashed_line_by_line(tmp_path: Path) -> None:
    """Every entry linked with its value in the clear: the chains, followed to their
    signed heads, prove every part of every entry, so the body hash (the same bytes
    again) is not taken."""
    a, b = Device(tmp_path, "A"), Device(tmp_path, "B")
    _places(a, 40)
    hashed: list[object] = []
    lines = bundle.chunk_lines

    def hashing(chunk: Any) -> bytes:
        hashed.append(chunk)
        return lines(chunk)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bundle, "chunk_lines", hashing)
        summary = b.receive(a.send(full=True))
    assert hashed == []
    assert summary.total_new_records == 40 and b.state() == a.state()
    a.close()
    b.close()


def test_a_personal_entry_swapped_for_its_stub_after_signing_is_refused_as_damaged(
    tmp_path: Path,
) -> None:
    """A stub's leaf is its entry's leaf (both give the commitment): the chain cannot
    tell them apart, so a file with personal entries is still hashed whole, and a stub
    put in place of a value after the sender signed is found by the body hash."""
    from db.journal.chains import commitment
    from tests.conftest import report_fields

    a, b = Device(tmp_path, "A"), Device(tmp_path, "B")
    _places(a, 3)
    a.store.create("snabbrapport", report_fields(personnummer="20110204-1231"))
    real = a.send(full=True, profile="polis")
    conn = sqlite3.connect(real)
    seq, salt, value = conn.execute(
        "SELECT seq, salt, value FROM entries WHERE field = 'personnummer'"
    ).fetchone()
    conn.execute(
        "UPDATE entries SET value = NULL, salt = NULL, sealed = ? WHERE seq = ?",
        (commitment(salt, value), seq),
    )
    conn.commit()
    conn.close()
    refused = _refusal(b, real)
    assert refused.key == "bundle.checksum"
    a.close()
    b.close()


def _delta_import_steps(folder: Path, records: int) -> int:
    """SQLite steps on the receiver's connection while it imports a file of one change
    (and, after it, another file with nothing new), holding ``records`` places."""
    a, b = Device(folder, "A"), Device(folder, "B")
    ids = _places(a, records)
    b.receive(a.send(full=True))
    a.receive(b.send(full=True))  # A knows what B holds
    a.store.update("place", ids[0], {"note": "Ändrad"})
    delta, again = a.send(b), a.send(b)
    with _sqlite_steps(b.store.conn) as steps:
        assert b.receive(delta).updated_fields == 1
        assert b.receive(again).new_entries == 0
    a.close()
    b.close()
    return steps[0]


def test_a_small_file_costs_what_it_carries_not_what_the_journal_holds(tmp_path: Path) -> None:
    """The records erased here are found through the journal's index of erasure markers
    (SQLite's planner preferred reading the whole journal index for them)."""
    small = _delta_import_steps(tmp_path / "small", 100)
    large = _delta_import_steps(tmp_path / "large", 2000)
    assert large <= small * 1.2 + 5, (small, large)
