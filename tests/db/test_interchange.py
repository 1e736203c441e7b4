"""The records interchange format: JSON Lines out, JSON Lines or CSV in, all or nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.demo import build_demo
from db.errors import TryggError
from db.interchange import RecordsImportFailed, export_records, import_records
from db.records import TYPE_NAMES
from db.store import Store
from tests.conftest import NOW, open_store, report_fields, walk_fields


def export_text(store: Store) -> str:
    out = io.StringIO()
    export_records(store, out)
    return out.getvalue()


def journal_count(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM journal").fetchone()[0]


@pytest.fixture
def demo_store(tmp_path: Path) -> Store:
    store = open_store(tmp_path / "demo.db")
    build_demo(store, today=NOW.date())
    return store


def test_export_lists_every_type_sorted_with_every_field(demo_store: Store) -> None:
    lines = export_text(demo_store).splitlines()
    objects = [json.loads(line) for line in lines]
    assert {o["type"] for o in objects} == set(TYPE_NAMES)
    keys = [(o["type"], o["id"]) for o in objects]
    assert keys == sorted(keys)
    walk = next(o for o in objects if o["type"] == "walk")
    assert list(walk)[:3] == ["type", "id", "kommun"]
    report = next(o for o in objects if o["type"] == "snabbrapport")
    assert report["custody"] in {"nej", "lob", "pl12", "pl13", "annat"}
    assert report["guardian_contacted"] in {"nej", "ja", "i_efterhand", None}


def test_round_trip_gives_identical_bytes(demo_store: Store, tmp_path: Path) -> None:
    first = export_text(demo_store)
    path = tmp_path / "records.jsonl"
    path.write_text(first, encoding="utf-8")
    with open_store(tmp_path / "empty.db", name="Annan") as other:
        summary = import_records(other, path)
        assert summary.total_created == len(first.splitlines())
        assert export_text(other) == first
        # Importing the same file again changes nothing and writes no journal entries.
        before = journal_count(other)
        again = import_records(other, path)
        assert again.total_created == 0 and again.total_updated == 0
        assert again.unchanged == len(first.splitlines())
        assert journal_count(other) == before


def test_import_updates_existing_records_through_the_store(store: Store, tmp_path: Path) -> None:
    walk = store.create("walk", walk_fields())
    line = {"type": "walk", "id": walk, "area": "Stationsområdet"}
    path = tmp_path / "update.jsonl"
    path.write_text(json.dumps(line) + "\n")
    summary = import_records(store, path)
    assert summary.updated == {"walk": 1}
    assert store.get("walk", walk)["area"] == "Stationsområdet"  # type: ignore[index]
    assert store.journal(walk)[0].field == "area"


def test_one_bad_line_means_nothing_is_written(store: Store, tmp_path: Path) -> None:
    store.create("walk", walk_fields())
    before_export, before_journal = export_text(store), journal_count(store)
    good = {"type": "place", "name": "Torget"}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({"type": "snabbrapport", **report_fields(date="2026-02-30")}),
        json.dumps({"type": "katt", "name": "Misse"}),
        json.dumps({"type": "walk", **walk_fields(colour="blå")}),
        json.dumps(["a", "list"]),
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RecordsImportFailed) as info:
        import_records(store, path)
    # The JSON syntax errors are found first, before any record is looked at.
    assert [p.line for p in info.value.problems] == [2, 6]
    lines.pop(5)
    lines.pop(1)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RecordsImportFailed) as info:
        import_records(store, path)
    messages = [p.message("sv") for p in info.value.problems]
    assert messages[0].startswith("rad 2: Datum (date):")
    assert "rad 3: Okänd posttyp 'katt'" in messages[1]
    assert messages[2].startswith("rad 4: colour: okänt fält")
    assert export_text(store) == before_export
    assert journal_count(store) == before_journal


def test_references_may_point_forward_within_the_file(store: Store, tmp_path: Path) -> None:
    walk_id = "01a200bc-f6b7-7b69-9828-f2eb5456263b"
    lines = [
        {"type": "finding", "walk_id": walk_id, "remark": "Trasig belysning"},
        {"type": "walk", "id": walk_id, **walk_fields()},
        {"type": "finding", "walk_id": "01a200bc-0000-7000-8000-000000000000", "remark": "x"},
    ]
    path = tmp_path / "refs.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines))
    with pytest.raises(RecordsImportFailed) as info:
        import_records(store, path)
    assert [(p.line, p.key) for p in info.value.problems] == [(3, "ref.missing")]
    path.write_text("\n".join(json.dumps(x) for x in lines[:2]))
    summary = import_records(store, path)
    assert summary.created == {"finding": 1, "walk": 1}


def test_duplicate_ids_in_one_file_are_refused(store: Store, tmp_path: Path) -> None:
    record_id = "01a200bc-f6b7-7b69-9828-f2eb5456263b"
    path = tmp_path / "dup.jsonl"
    line = json.dumps({"type": "place", "id": record_id, "name": "Torget"})
    path.write_text(f"{line}\n{line}\n")
    with pytest.raises(RecordsImportFailed) as info:
        import_records(store, path)
    assert info.value.problems[0].key == "records.duplicate_id"
    assert store.count("place") == 0


def test_csv_from_swedish_excel(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "platser.csv"
    path.write_bytes(
        "\ufeffname;kommun;lat;lon\nTorget;Lycksele;64,5957;18,6756\nStationen;Lycksele;;\n".encode()
    )
    summary = import_records(store, path, default_type="place")
    assert summary.created == {"place": 2}
    torget = store.records("place", where={"name": "Torget"})[0]
    assert torget["lat"] == 64.5957


def test_csv_with_a_type_column_and_mixed_types(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        "type,name,kind,default_due_days\nowner,Kommunen,kommun,180\nplace,Torget,,\n",
        encoding="utf-8",
    )
    summary = import_records(store, path)
    assert summary.created == {"owner": 1, "place": 1}


def test_csv_without_type_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("name\nTorget\n")
    with pytest.raises(TryggError) as info:
        import_records(store, path)
    assert info.value.key == "records.csv_no_type"


def test_deleted_records_are_not_brought_back(store: Store, tmp_path: Path) -> None:
    walk = store.create("walk", walk_fields())
    path = tmp_path / "old.jsonl"
    path.write_text(export_text(store))
    store.delete("walk", walk)
    summary = import_records(store, path)
    assert summary.skipped_deleted == 1
    assert store.get("walk", walk) is None


def test_unreadable_files(store: Store, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    with pytest.raises(TryggError) as info:
        import_records(store, empty)
    assert info.value.key == "records.empty_file"
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"type": "place", "name": "Åsele"}'.encode("latin-1"))
    with pytest.raises(TryggError) as info:
        import_records(store, latin)
    assert info.value.key == "records.not_utf8"


text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    max_size=40,
).filter(lambda s: s.strip() == s and s != "")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(text, min_size=1, max_size=5),
    coords=st.lists(
        st.tuples(
            st.floats(min_value=-90, max_value=90, allow_nan=False),
            st.floats(min_value=-180, max_value=180, allow_nan=False),
        ),
        min_size=5,
        max_size=5,
    ),
    notes=st.lists(st.text(max_size=60).filter(lambda s: "\x00" not in s), min_size=5, max_size=5),
)
def test_any_text_and_coordinates_round_trip_exactly(
    tmp_path_factory: pytest.TempPathFactory,
    names: list[str],
    coords: list[tuple[float, float]],
    notes: list[str],
) -> None:
    folder = tmp_path_factory.mktemp("rt")
    with open_store(folder / "a.db") as source:
        for name, (lat, lon), note in zip(names, coords, notes, strict=False):
            source.create("place", {"name": name, "lat": lat, "lon": lon, "note": note})
        first = export_text(source)
    path = folder / "records.jsonl"
    path.write_text(first, encoding="utf-8")
    with open_store(folder / "b.db") as target:
        import_records(target, path)
        assert export_text(target) == first


def test_regression_next_line_character_in_text(store: Store, tmp_path: Path) -> None:
    """Shrunk by Hypothesis: a place named '0\\x850' split its line in two on import,
    because str.splitlines() treats U+0085 (and U+2028) as line breaks."""
    store.create("place", {"name": "0\x850", "note": "a\u2028b"})
    path = tmp_path / "nel.jsonl"
    path.write_text(export_text(store), encoding="utf-8")
    with open_store(tmp_path / "other.db") as other:
        import_records(other, path)
        assert export_text(other) == export_text(store)


def test_long_imports_and_exports_tell_how_far_they_have_come(store: Store, tmp_path: Path) -> None:
    """``progress`` hears (records done, records in all) now and then, counting up to
    the whole file: a line is half done when checked, done when written."""
    path = tmp_path / "places.jsonl"
    lines = [json.dumps({"type": "place", "name": f"Plats {i}"}) for i in range(120)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    heard: list[tuple[int, int]] = []
    summary = import_records(store, path, progress=lambda done, total: heard.append((done, total)))
    assert summary.total_created == 120
    assert heard[0] == (0, 120) and heard[-1] == (120, 120)
    assert {total for _done, total in heard} == {120}
    done = [d for d, _total in heard]
    assert done == sorted(done) and len(done) > 3  # now and then, not only at the ends
    out = io.StringIO()
    told: list[tuple[int, int]] = []
    counts = export_records(store, out, progress=lambda done, total: told.append((done, total)))
    assert counts == {"place": 120}
    assert told[-1] == (120, 120) and all(total == 120 for _done, total in told)
