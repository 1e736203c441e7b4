"""The tally of quick reports per day and municipality (schema 13) that the statistics
count from: whatever is written — created, edited, deleted, erased, undone, imported from
another device, or changed behind the store's back — the statistics are exactly a plain
recount of the reports there are."""

from __future__ import annotations

import contextlib
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.errors import TryggError, ValidationFailed
from db.migrations.m0013_report_tally import ANSWERS, COUNTED
from db.snabbrapport.statistics import (
    AGE_GROUPS,
    CHOICES,
    HOURS,
    NOT_ANSWERED,
    TICKS,
    WEEKDAYS,
    Statistics,
    StatsFilter,
    monthly,
    statistics,
)
from db.store import Store
from tests.db.sync.harness import Device

NOW = datetime(2026, 11, 22, 12, 0)
PEOPLE = ("20100315-9801", "20110722-1234", "20090512-1232", None)
FILTERS = (
    StatsFilter(date(2000, 1, 1), date(2030, 12, 31)),
    StatsFilter(date(2026, 10, 1), date(2026, 10, 31)),
    StatsFilter(date(2026, 10, 15), date(2026, 11, 5), kommun="lycksele"),
    StatsFilter(date(2026, 9, 1), date(2026, 11, 30), kommun="Åsele"),
    StatsFilter(date(2026, 9, 1), date(2026, 11, 30), place="Parken"),
)


def _maybe(values: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from((*values, None))


report = st.fixed_dictionaries(
    {
        "date": st.dates(date(2026, 9, 25), date(2026, 11, 5)).map(date.isoformat),
        "time": st.sampled_from(("23:10", "00:05", "21:59", "13:00")),
        "place": st.sampled_from(("Torget", "Parken")),
        "kommun": st.sampled_from(("Lycksele", "Åsele", "Storuman")),
        "personnummer": st.sampled_from(PEOPLE),
        "name": st.just("Alva Testsson"),
        "age": _maybe(tuple(range(10, 21))),
        "drunk": _maybe((True, False)),
        "carried_alcohol": _maybe((True, False)),
        "with_carrier": _maybe((True, False)),
        **{question: _maybe(answers) for question, answers in CHOICES.items()},
    }
)
#: What is done to the reports: ("create", fields) or (what, which report, fields).
step = st.one_of(
    st.tuples(st.just("create"), report),
    st.tuples(
        st.sampled_from(("edit", "delete", "erase", "undo", "raw")),
        st.integers(0, 50),
        report,
    ),
)


def chosen_reports(conn: Any, wanted: StatsFilter) -> list[dict[str, Any]]:
    """The reports ``wanted`` selects, chosen in Python."""
    rows = [
        dict(r)
        for r in conn.execute("SELECT * FROM snabbrapport WHERE deleted = 0 AND date IS NOT NULL")
    ]
    return [
        r
        for r in rows
        if wanted.start.isoformat() <= r["date"] <= wanted.end.isoformat()
        and (not wanted.kommun or (r["kommun"] or "").lower() == wanted.kommun.lower())
        and (not wanted.place or (r["place"] or "").lower() == wanted.place.lower())
    ]


def recount(conn: Any, wanted: StatsFilter) -> Statistics:
    """The statistics of ``wanted`` counted report by report in Python."""
    chosen = chosen_reports(conn, wanted)
    result = Statistics(wanted, reports=len(chosen))
    numbers = {r["personnummer"] for r in chosen if r["personnummer"]}
    result.individuals = len(numbers) + sum(1 for r in chosen if not r["personnummer"])
    result.ticks = {tick: sum(1 for r in chosen if r[tick] == 1) for tick in TICKS}
    result.pm_sent = sum(1 for r in chosen if r["pm_sent_date"])
    for name, answers in CHOICES.items():
        counts = {a: sum(1 for r in chosen if r[name] == a) for a in answers}
        counts[NOT_ANSWERED] = len(chosen) - sum(counts.values())
        result.distributions[name] = counts

    def group(age: Any) -> str | None:
        if not isinstance(age, int):
            return None
        return "0-12" if age <= 12 else "18+" if age >= 18 else str(age)

    ages = {g: sum(1 for r in chosen if group(r["age"]) == g) for g in AGE_GROUPS}
    ages[NOT_ANSWERED] = len(chosen) - sum(ages.values())
    result.distributions["age_group"] = ages
    result.distributions["weekday"] = {
        d: sum(1 for r in chosen if str(date.fromisoformat(r["date"]).isoweekday()) == d)
        for d in WEEKDAYS
    }
    result.distributions["hour"] = {
        h: sum(1 for r in chosen if isinstance(r["time"], str) and r["time"][:2] == h)
        for h in HOURS
    }
    return result


def months(conn: Any, wanted: StatsFilter) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in chosen_reports(conn, wanted):
        counts[r["date"][:7]] = counts.get(r["date"][:7], 0) + 1
    return counts


def _apply(store: Store, ids: list[str], what: str, which: int, fields: dict[str, Any]) -> None:
    if what == "create":
        ids.append(store.create("snabbrapport", fields))
        return
    if not ids:
        return
    record_id = ids[which % len(ids)]
    if what == "undo":
        with contextlib.suppress(TryggError):  # undo may refuse (nothing to undo, …)
            store.undo_last()
        return
    if store.get("snabbrapport", record_id) is None:  # deleted already
        return
    if what == "edit":
        changed = {k: v for i, (k, v) in enumerate(fields.items()) if (i + which) % 3 == 0}
        if which % 2:  # and a note sent
            changed["pm_sent_date"] = fields["date"]
        # An erased report, or one with raw values, is refused: nothing is written.
        with contextlib.suppress(ValidationFailed):
            store.update("snabbrapport", record_id, changed)
    elif what == "delete":
        store.delete("snabbrapport", record_id)
    elif what == "erase":
        store.erase_personal("snabbrapport", record_id)
    elif what == "raw":
        # Behind the store's back, with values the forms never write: the triggers
        # count what is there all the same.
        with store.transaction():
            store.conn.execute(
                "UPDATE snabbrapport SET age = ?, time = ?, kommun = ?, pm_sent_date = ?"
                " WHERE id = ?",
                (
                    ("14", 12.5, None, 40)[which % 4],
                    ("7:30", "", None, "23:59")[which % 4],
                    (None, "LYCKSELE", "", "Åsele")[which % 4],
                    ("", None, "2026-11-01", "x")[which % 4],
                    record_id,
                ),
            )


def _assert_exact(store: Store) -> None:
    for wanted in FILTERS:
        counted, expected = statistics(store.conn, wanted), recount(store.conn, wanted)
        assert counted == expected, wanted
        shown = {month: n for month, n in monthly(store.conn, wanted) if n}
        assert shown == months(store.conn, wanted), wanted


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(here=st.lists(step, max_size=25), there=st.lists(step, max_size=12))
def test_the_statistics_are_a_plain_recount(
    here: list[tuple[Any, ...]], there: list[tuple[Any, ...]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        a, b = Device(Path(folder), "a"), Device(Path(folder), "b")
        try:
            ids_a: list[str] = []
            ids_b: list[str] = []
            for item in there:
                _apply(b.store, ids_b, item[0], *(item[1:] if len(item) == 3 else (0, item[1])))
            a.receive(b.send(a, profile="polis"))  # an import of b's reports
            ids_a += ids_b
            for item in here:
                _apply(a.store, ids_a, item[0], *(item[1:] if len(item) == 3 else (0, item[1])))
            _assert_exact(a.store)
            # b changes what a holds too (an edit, a delete, an erasure): a merge writes it.
            for i, record_id in enumerate(ids_b[:3]):
                what = ("edit", "delete", "erase")[i]
                if b.store.get("snabbrapport", record_id) is not None:
                    _apply(b.store, [record_id], what, 0, {"kommun": "Storuman", "time": "21:59"})
            a.receive(b.send(a, profile="polis"))
            _assert_exact(a.store)
        finally:
            a.close()
            b.close()


def test_the_tally_counts_every_answer_the_statistics_know() -> None:
    """A new answer to a question needs a migration that adds its counter."""
    assert dict(CHOICES) == ANSWERS
    assert set(COUNTED) >= {*CHOICES, *TICKS, "date", "kommun", "deleted", "time", "age"}
