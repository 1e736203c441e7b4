"""The store: every write validated, stamped and journalled in one transaction."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from db.errors import TryggError, ValidationFailed
from db.ids import is_id
from db.store import DELETED, Store
from tests.conftest import NOW, open_store, report_fields, walk_fields


def journal_rows(store: Store, record_id: str) -> list[tuple]:
    return store.conn.execute(
        "SELECT field, value, ts, device, prev_ts, scope FROM journal WHERE record_id = ?"
        " ORDER BY seq",
        (record_id,),
    ).fetchall()


def test_create_journals_every_field_with_one_stamp(store: Store) -> None:
    walk = store.create("walk", walk_fields(light="morker"))
    assert is_id(walk) and walk[14] == "7"  # UUIDv7
    rows = journal_rows(store, walk)
    assert {r[0] for r in rows} == {"kommun", "area", "date", "light"}
    assert len({(r[2], r[3]) for r in rows}) == 1
    assert all(r[3] == store.require_device().id for r in rows)
    assert all(r[4] is None for r in rows)  # nothing replaced


def test_update_journals_only_changed_fields_and_names_the_replaced_version(
    store: Store,
) -> None:
    walk = store.create("walk", walk_fields())
    created_ts = journal_rows(store, walk)[0][2]
    changed = store.update("walk", walk, {"area": "Stationen", "kommun": "Lycksele"})
    assert changed == ["area"]
    last = journal_rows(store, walk)[-1]
    assert last[0] == "area" and last[1] == '"Stationen"'
    assert last[4] == created_ts and last[2] > created_ts
    assert store.update("walk", walk, {"area": "Stationen"}) == []
    assert len(journal_rows(store, walk)) == 4


def test_an_update_given_what_was_seen_writes_only_what_differs_from_it(store: Store) -> None:
    """A form gives back the record it showed with some fields typed over: what it gives
    back as it was seen is not its change and stays as another writer left it."""
    walk = store.create("walk", walk_fields(weather="Klart", organiser="BRÅ-rådet"))
    seen = store.get("walk", walk)
    assert seen is not None
    store.update("walk", walk, {"weather": "Regn"})  # another writer, meanwhile
    given = {**seen, "organiser": "Polisen"}
    del given["id"]
    assert store.update("walk", walk, given, seen=seen) == ["organiser"]
    now = store.get("walk", walk)
    assert now is not None and (now["weather"], now["organiser"]) == ("Regn", "Polisen")
    # A yes/no never answered shows as "no": "no" given back is not a change (the
    # finding form wrote "Positiv: Nej" on every save, over a colleague's "Ja").
    finding = store.create("finding", {"walk_id": walk, "remark": "Klotter"})
    seen_finding = store.get("finding", finding)
    assert seen_finding is not None and seen_finding["positive"] is None
    store.update("finding", finding, {"positive": True})  # a colleague's file, meanwhile
    given_back = {"remark": "Klotter!", "positive": False}
    assert store.update("finding", finding, given_back, seen=seen_finding) == ["remark"]
    assert (store.get("finding", finding) or {})["positive"] is True
    # Without what was seen, everything given is written (the command line's update).
    assert store.update("walk", walk, {"weather": "Klart"}) == ["weather"]


def test_an_erased_report_takes_no_personal_data_again(store: Store) -> None:
    """Every device drops personal data for an erased report on import; its own store
    refuses it too, and other changes to the report still go in."""
    report = store.create("snabbrapport", report_fields())
    assert store.erase_personal("snabbrapport", report)
    with pytest.raises(ValidationFailed) as refused:
        store.update("snabbrapport", report, {"name": "Alva", "place": "Stationen"})
    assert [p.field for p in refused.value.problems] == ["name"]
    assert "gallrad" in refused.value.message("sv")
    assert store.update("snabbrapport", report, {"place": "Stationen", "name": None}) == ["place"]


def test_values_round_trip_with_their_types(store: Store) -> None:
    walk = store.create(
        "walk",
        walk_fields(participants=[{"group": "Boende", "count": 8}, {"group": "Polis", "count": 2}]),
    )
    finding = store.create(
        "finding",
        {
            "walk_id": walk,
            "remark": "Mörk gång",
            "positive": False,
            "lat": 64.595712345678,
            "lon": 18.6756,
        },
    )
    got = store.get("finding", finding)
    assert got is not None
    assert got["positive"] is False and got["lat"] == 64.595712345678
    walk_row = store.get("walk", walk)
    assert walk_row is not None and walk_row["participants"][0] == {"group": "Boende", "count": 8}


def test_a_failed_write_leaves_nothing_behind(store: Store) -> None:
    before = store.conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    with pytest.raises(ValidationFailed) as info:
        store.create("walk", {"kommun": "Lycksele", "date": "2026-13-01"})
    fields = {p.field for p in info.value.problems}
    assert fields == {"date", "area"}
    assert store.conn.execute("SELECT count(*) FROM journal").fetchone()[0] == before
    assert store.count("walk") == 0


def test_a_transaction_is_all_or_nothing(store: Store) -> None:
    with pytest.raises(ValidationFailed), store.transaction():
        store.create("walk", walk_fields())
        store.create("walk", {"area": "utan datum"})
    assert store.count("walk") == 0
    assert store.conn.execute("SELECT count(*) FROM journal").fetchone()[0] == 0


def test_delete_is_a_tombstone_that_cascades(store: Store) -> None:
    walk = store.create("walk", walk_fields())
    findings = [store.create("finding", {"walk_id": walk, "remark": f"r{i}"}) for i in range(3)]
    assert store.delete("walk", walk) == 4
    assert store.get("walk", walk) is None
    assert store.get("walk", walk, include_deleted=True) is not None
    assert all(store.get("finding", f) is None for f in findings)
    tombstone = journal_rows(store, findings[0])[-1]
    assert tombstone[0] == DELETED
    # The tombstone names what the deleter had seen: its own writes up to the delete.
    seen = json.loads(tombstone[1])["seen"]
    assert seen[store.require_device().id] >= journal_rows(store, findings[2])[0][2]
    assert store.delete("walk", walk) == 0  # deleting twice changes nothing
    with pytest.raises(TryggError) as info:
        store.update("walk", walk, {"area": "x"})
    assert info.value.key == "record.deleted"


def test_references_must_exist_and_be_live(store: Store) -> None:
    with pytest.raises(ValidationFailed) as info:
        store.create("finding", {"walk_id": "01a200bc-f6b7-7b69-9828-f2eb5456263b", "remark": "x"})
    assert info.value.problems[0].key == "ref.missing"
    walk = store.create("walk", walk_fields())
    store.delete("walk", walk)
    with pytest.raises(ValidationFailed) as info:
        store.create("finding", {"walk_id": walk, "remark": "x"})
    assert info.value.problems[0].key == "ref.deleted"


def test_finding_numbers_count_within_the_walk_and_are_never_reused(store: Store) -> None:
    first = store.create("walk", walk_fields())
    second = store.create("walk", walk_fields(area="Skolan"))
    a = store.create("finding", {"walk_id": first, "remark": "a"})
    b = store.create("finding", {"walk_id": first, "remark": "b"})
    c = store.create("finding", {"walk_id": second, "remark": "c"})
    assert [store.get("finding", x)["nr"] for x in (a, b, c)] == [1, 2, 1]  # type: ignore[index]
    store.delete("finding", b)
    d = store.create("finding", {"walk_id": first, "remark": "d"})
    assert store.get("finding", d)["nr"] == 3  # type: ignore[index]


def test_quick_report_derives_age_and_sex_at_the_report_date(store: Store) -> None:
    report = store.create("snabbrapport", report_fields(personnummer="1003159801"))
    got = store.get("snabbrapport", report)
    assert got is not None
    assert got["personnummer"] == "20100315-9801"
    assert (got["age"], got["sex"]) == (16, "kvinna")
    assert got["nr"] == 1


def test_quick_report_rules(store: Store) -> None:
    def problems(**fields: object) -> set[str]:
        with pytest.raises(ValidationFailed) as info:
            store.create("snabbrapport", report_fields(**fields))
        return {p.key for p in info.value.problems}

    assert problems(personnummer="20100315-9802") == {"pnr.checksum"}
    assert problems(date="2026-11-23") == {"value.future_datetime"}
    assert problems(date="2026-11-22", time="02:00") == {"value.future_datetime"}
    assert problems(name=None, personnummer=None) == {"value.name_or_pnr"}
    assert problems(custody="arrest") == {"value.not_choice"}
    # Without a personnummer, a name is enough, and age may be typed.
    report = store.create("snabbrapport", report_fields(personnummer=None, age=15))
    assert store.get("snabbrapport", report)["age"] == 15  # type: ignore[index]
    # Now plus a few minutes is fine (clocks drift).
    store.create("snabbrapport", report_fields(date="2026-11-22", time="01:33"))


def test_user_text_is_stored_verbatim(store: Store) -> None:
    nasty = "[bold]x[/] [@click=app.quit]hej[/] [/ \x1b[31mröd\x1b[0m'); DROP TABLE walk;--"
    walk = store.create("walk", walk_fields(notes=nasty))
    assert store.get("walk", walk)["notes"] == nasty  # type: ignore[index]
    assert store.count("walk") == 1


def test_device_setup_once(db_path: Path) -> None:
    store = Store(db_path, now=lambda: NOW)
    assert store.device is None
    with pytest.raises(TryggError) as info:
        store.create("walk", walk_fields())
    assert info.value.key == "device.not_set_up"
    with pytest.raises(ValidationFailed):
        store.set_up_device("  ", "polis", "Åsele")
    with pytest.raises(ValidationFailed):
        store.set_up_device("Bil", "brandkår", "Åsele")
    device = store.set_up_device("Bil 12", "polis", "Åsele")
    assert device.name == "Bil 12" and device.org == "polis" and device.kommun == "Åsele"
    with pytest.raises(TryggError):
        store.set_up_device("Igen", "kommun", None)
    assert store.update_device(kommun="Lycksele").kommun == "Lycksele"
    store.close()


def test_a_device_s_municipality_must_be_one(db_path: Path) -> None:
    # It is what every new quick report starts with, and a report's municipality must be
    # one: a device set up with "Storum" had every F5 refused (cold test).
    store = Store(db_path, now=lambda: NOW)
    with pytest.raises(ValidationFailed) as info:
        store.set_up_device("Bil 12", "polis", "Storum")
    assert (
        info.value.message("sv")
        == "Standardkommun: ingen kommun heter 'Storum' – menar du Storuman?"
    )
    with pytest.raises(ValidationFailed) as info:
        store.set_up_device("Bil 12", "polis", "Qwxz")
    assert info.value.message("en") == "Default municipality: no municipality is called 'Qwxz'"
    assert store.device is None  # nothing half set up
    assert store.set_up_device("Bil 12", "polis", "  storuman ").kommun == "Storuman"
    with pytest.raises(ValidationFailed):
        store.update_device(kommun="Storum")
    assert store.update_device(kommun="åsele").kommun == "Åsele"
    assert store.update_device(kommun="").kommun is None
    store.close()


def test_stamps_stay_ordered_across_reopening(db_path: Path) -> None:
    wall = [10_000]
    with open_store(db_path) as first:
        first._wall = lambda: wall[0]
        a = first.create("walk", walk_fields())
    wall[0] = 5_000  # the clock went back between sessions
    with Store(db_path, now=lambda: NOW, wall=lambda: wall[0]) as second:
        b = second.create("walk", walk_fields())
        ts = dict(second.conn.execute("SELECT record_id, max(ts) FROM journal GROUP BY record_id"))
    assert ts[b] > ts[a]


def test_two_connections_writing_at_once_never_fail_with_locked(db_path: Path) -> None:
    open_store(db_path).close()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            with Store(db_path, now=lambda: NOW) as s:
                for i in range(25):
                    s.create("place", {"name": f"Plats {n}-{i}"})
        except BaseException as exc:  # pragma: no cover - the assertion reports it
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Store(db_path) as s:
        assert s.count("place") == 75
        stamps = s.conn.execute("SELECT DISTINCT ts FROM journal").fetchall()
        assert len(stamps) == 75  # every write got its own stamp


def test_store_is_bound_to_its_thread(store: Store) -> None:
    failures: list[BaseException] = []

    def use() -> None:
        try:
            store.count("walk")
        except sqlite3.ProgrammingError as exc:
            failures.append(exc)

    thread = threading.Thread(target=use)
    thread.start()
    thread.join()
    assert failures, "a Store must not be shared between threads"


def test_journal_reads_as_an_audit_trail(store: Store) -> None:
    walk = store.create("walk", walk_fields())
    store.update("walk", walk, {"area": "Torget"})
    entries = store.journal(walk)
    assert entries[0].field == "area" and entries[0].value == "Torget"
    assert entries[0].device_name == "Testenhet"
    assert entries[0].previous is not None
