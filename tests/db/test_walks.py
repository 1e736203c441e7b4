"""Safety walks: entering findings by a few letters, following them up, the lists."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from db import walks
from db.errors import TryggError, ValidationFailed
from db.overview import Overview, overview
from db.store import Store
from db.sync.exporter import export_bundle
from db.walks import FindingFilter, FindingInput, WalkFilter
from tests.conftest import NOW, open_store, report_fields, walk_fields

TODAY = NOW.date()


def _walk(store: Store, **overrides: object) -> str:
    return store.create("walk", walk_fields(**overrides))


def _finding(store: Store, walk_id: str, remark: str = "Trasig lampa", **kw: object) -> str:
    entry = FindingInput(remark=remark, **kw)  # type: ignore[arg-type]
    return walks.save_finding(store, walk_id, entry)[0]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("1", "belysning"),
        ("bel", "belysning"),
        ("BELYSNING", "belysning"),
        ("light", "belysning"),
        ("buskage", "vegetation"),
        ("kl", "klotter"),
        ("0", "ovrigt"),
        ("otrygg", "ovrigt"),
        ("ovr", "ovrigt"),
        ("skrot", None),
        ("", None),
    ],
)
def test_categories_by_key_or_first_letters(typed: str, code: str | None) -> None:
    if typed == "skrot":
        with pytest.raises(TryggError) as caught:
            walks.resolve_category(typed)
        assert caught.value.key == "finding.category_unknown"
    else:
        assert walks.resolve_category(typed) == code


def test_an_ambiguous_category_names_the_candidates() -> None:
    with pytest.raises(TryggError) as caught:
        walks.resolve_category("sk")  # skadegörelse, skalskydd
    message = caught.value.message("sv")
    assert "Skadegörelse" in message and "Skalskydd" in message


def test_a_finding_creates_its_place_and_owner_once(store: Store) -> None:
    walk = _walk(store)
    first = walks.save_finding(
        store, walk, FindingInput("Trasig belysning", "Åvägen 37", "bel", "Kommunen")
    )
    second = walks.save_finding(
        store, walk, FindingInput("Mörk passage", "åvägen 37", "1", "kommun")
    )
    assert (first[1], second[1]) == (1, 2)
    assert store.count("owner") == 1 and store.count("place") == 1
    place = store.records("place")[0]
    assert (place["name"], place["kommun"]) == ("Åvägen 37", "Lycksele")
    a, b = store.get("finding", first[0]), store.get("finding", second[0])
    assert a and b and a["owner_id"] == b["owner_id"] and a["place_id"] == b["place_id"]
    assert a["status"] == "ny" and a["category"] == "belysning"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Kommunen", "kommun"),
        ("Lycksele kommun, tekniska förvaltningen", "kommun"),
        ("Trafikverket", "trafikverket"),
        ("Lyckselebostäder", "fastighetsagare"),
        ("Brf Solgården", "fastighetsagare"),
        ("Lycksele IF", "forening"),
        ("ICA Kvantum", "foretag"),
        ("Grannen", None),
    ],
)
def test_the_kind_of_a_new_owner_is_guessed_from_its_name(name: str, kind: str | None) -> None:
    assert walks.guess_owner_kind(name) == kind


def test_a_positive_finding_is_never_open(store: Store) -> None:
    walk = _walk(store)
    finding_id = _finding(store, walk, "Bra upplyst", positive=True)
    finding = store.get("finding", finding_id)
    assert finding and finding["status"] is None and finding["positive"] is True
    assert walks.count_findings(store, FindingFilter(status="oppna"), TODAY) == 0
    assert walks.count_findings(store, FindingFilter(status="positiva"), TODAY) == 1


def test_bad_category_and_ambiguous_owner_are_reported_together(store: Store) -> None:
    walk = _walk(store)
    store.create("owner", {"name": "Lyckselebostäder"})
    store.create("owner", {"name": "Lycksele kommun"})
    with pytest.raises(ValidationFailed) as caught:
        walks.save_finding(store, walk, FindingInput("x", category="zz", owner="lyck"))
    fields = {p.field for p in caught.value.problems}
    assert fields == {"category", "owner_id"}
    assert store.count("finding") == 0


def test_an_invalid_finding_leaves_no_new_owner_or_place(store: Store) -> None:
    walk = _walk(store)
    with pytest.raises(ValidationFailed):
        walks.save_finding(store, walk, FindingInput("", "Nytt ställe", "", "Ny ägare"))
    assert store.count("owner") == 0 and store.count("place") == 0


def test_due_dates_follow_the_owner(store: Store) -> None:
    walk = _walk(store)
    kommun = store.create("owner", {"name": "Kommunen", "kind": "kommun"})
    quick = store.create("owner", {"name": "Bostadsbolaget", "default_due_days": 30})
    a = _finding(store, walk, owner="Kommunen")
    b = _finding(store, walk, owner="Bostadsbolaget")
    c = _finding(store, walk)
    assert walks.mark_sent(store, [a, b, c], date(2026, 8, 31)) == 3
    due = {f["id"]: f["due_date"] for f in store.records("finding")}
    assert due[a] == "2027-02-28"  # six months, clamped to the month's end
    assert due[b] == "2026-09-30"
    assert due[c] == "2026-11-30"  # no owner: three months
    assert kommun and quick


def test_sending_again_keeps_answers_and_due_dates(store: Store) -> None:
    walk = _walk(store)
    a = _finding(store, walk)
    walks.mark_sent(store, [a], date(2026, 1, 10))
    walks.mark_fixed(store, a, date(2026, 2, 1))
    assert walks.mark_sent(store, [a], date(2026, 3, 1)) == 0
    finding = store.get("finding", a)
    assert finding and finding["status"] == "atgardad" and finding["sent_date"] == "2026-01-10"


def test_overdue_findings_and_reopening(store: Store) -> None:
    walk = _walk(store)
    a = _finding(store, walk)
    b = _finding(store, walk)
    walks.mark_sent(store, [a, b], date(2026, 1, 10))  # due 2026-04-10
    walks.mark_rejected(store, b, "Inte vår mark", not_owner=True)
    rows = walks.list_findings(store, FindingFilter(walk_id=walk), TODAY)
    assert [(r.nr, r.overdue, r.status) for r in rows] == [
        (1, True, "skickad"),
        (2, False, "fel_agare"),
    ]
    assert walks.count_findings(store, FindingFilter(status="forsenade"), TODAY) == 1
    assert walks.count_findings(store, FindingFilter(status="avvisade"), TODAY) == 1
    walks.reopen(store, b)
    assert store.get("finding", b)["status"] == "skickad"  # type: ignore[index]
    with pytest.raises(ValidationFailed):
        walks.mark_rejected(store, a, "  ")


def test_walk_list_filters_and_counts(store: Store) -> None:
    old = _walk(store, date="2025-05-01", area="Norra")
    new = _walk(store, date="2026-10-01", area="Södra", kommun="Sorsele")
    _finding(store, old)
    walks.mark_sent(store, [_finding(store, old)], date(2025, 5, 2))
    _finding(store, new, positive=True)
    rows = walks.list_walks(store, WalkFilter(), TODAY)
    assert [(r.area, r.findings, r.open, r.overdue) for r in rows] == [
        ("Södra", 1, 0, 0),
        ("Norra", 2, 2, 1),
    ]
    assert walks.count_walks(store, WalkFilter(kommun="Sorsele"), TODAY) == 1
    assert walks.count_walks(store, WalkFilter(date_from="2026-01-01"), TODAY) == 1
    assert walks.count_walks(store, WalkFilter(date_to="2025-12-31"), TODAY) == 1
    assert walks.count_walks(store, WalkFilter(status="forsenade"), TODAY) == 1
    assert walks.count_walks(store, WalkFilter(status="positiva"), TODAY) == 1
    assert walks.walk_kommuner(store) == ["Lycksele", "Sorsele"]
    store.delete("walk", old)
    assert walks.count_walks(store, WalkFilter(), TODAY) == 1
    assert walks.count_findings(store, FindingFilter(), TODAY) == 1


def test_search_finds_walks_by_their_findings_and_follows_edits(store: Store) -> None:
    walk = _walk(store, area="Stationsområdet")
    other = _walk(store, area="Centrum")
    finding = _finding(store, walk, "Buskage skymmer gångvägen")
    _finding(store, other, "Klotter på muren")
    assert walks.count_walks(store, WalkFilter(text="station"), TODAY) == 1
    assert walks.count_walks(store, WalkFilter(text="gangvag"), TODAY) == 1  # å folded
    assert walks.count_findings(store, FindingFilter(text="klott"), TODAY) == 1
    store.update("finding", finding, {"remark": "Trasig lampa"})
    assert walks.count_findings(store, FindingFilter(text="buskage"), TODAY) == 0
    assert walks.count_findings(store, FindingFilter(text="lampa"), TODAY) == 1
    store.delete("finding", finding)
    assert walks.count_findings(store, FindingFilter(text="lampa"), TODAY) == 0
    # FTS5 syntax in what a person types is searched as text, never an error.
    for typed in ['"', "NEAR(", "a*b", "-", "OR", "col:x", "^"]:
        walks.count_findings(store, FindingFilter(text=typed), TODAY)


def _three_walks(store: Store) -> dict[str, str]:
    """Three walks, not in date order, each with findings that mention a lamp or not;
    finding ids by "<walk date> <nr>"."""
    ids = {}
    for day in ("2026-01-10", "2026-03-05", "2026-02-01"):
        walk = _walk(store, date=day)
        for remark in ("Trasig lampa", "Klotter på muren", "Lampa släckt", "Mörk lampa"):
            finding = _finding(store, walk, remark)
            ids[f"{day} {(store.get('finding', finding) or {})['nr']}"] = finding
    return ids


def test_a_search_across_walks_lists_newest_walk_first_by_nr_page_by_page(
    store: Store,
) -> None:
    """The order a search lists its findings in (each page read walk by walk since the
    lists kept up with typing at 100,000 findings): newest walk first, by Nr; pages
    read one after the other make the whole list; the count agrees."""
    ids = _three_walks(store)
    walks.mark_fixed(store, ids["2026-02-01 3"], TODAY)
    expected = [
        ids[key]
        for key in (
            "2026-03-05 1",
            "2026-03-05 3",
            "2026-03-05 4",
            "2026-02-01 1",
            "2026-02-01 4",
            "2026-01-10 1",
            "2026-01-10 3",
            "2026-01-10 4",
        )
    ]
    flt = FindingFilter(status="oppna", text="lamp")
    whole = [r.id for r in walks.list_findings(store, flt, TODAY)]
    assert whole == expected
    pages = [
        r.id
        for offset in range(0, 9, 3)
        for r in walks.list_findings(store, flt, TODAY, offset=offset, limit=3)
    ]
    assert pages == expected
    assert walks.count_findings(store, flt, TODAY) == len(expected)
    everything = [r.id for r in walks.list_findings(store, FindingFilter(), TODAY)]
    assert len(everything) == walks.count_findings(store, FindingFilter(), TODAY) == 12
    assert everything[0] == ids["2026-03-05 1"] and everything[-1] == ids["2026-01-10 4"]


def test_a_page_of_findings_across_walks_is_read_walk_by_walk(store: Store) -> None:
    """In a database SQLite has never analysed (every user's), a page of the findings
    across walks, searched or not, is read walk by walk, newest first, and stops at the
    page: SQLite's own choice read every finding (every match of a search) and sorted
    them all, 0.1 s at 100,000 findings for each key typed."""
    _three_walks(store)
    analysed = "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
    assert store.conn.execute(analysed).fetchone()[0] == 0
    for flt in (FindingFilter(status="oppna"), FindingFilter(status="alla", text="lamp")):
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        try:
            walks.list_findings(store, flt, TODAY, limit=48)
        finally:
            store.conn.set_trace_callback(None)
        (page,) = [s for s in statements if "ORDER BY w.date DESC" in s]
        plan = [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {page}")]
        assert plan[0] == "SCAN w USING INDEX walk_date", plan
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_search_sees_what_a_merge_wrote(tmp_path: Path) -> None:
    from db.sync.merge import import_bundle

    a, b = open_store(tmp_path / "a.db", name="A"), open_store(tmp_path / "b.db", name="B")
    walk = _walk(a)
    _finding(a, walk, "Övergiven skrotbil vid macken")
    export_bundle(a, tmp_path / "a.trygg")
    import_bundle(b, tmp_path / "a.trygg")
    assert walks.count_findings(b, FindingFilter(text="skrotbil"), TODAY) == 1
    a.close()
    b.close()


def test_owner_summary(store: Store) -> None:
    walk = _walk(store)
    _finding(store, walk, owner="Kommunen")
    sent = _finding(store, walk, owner="Kommunen")
    walks.mark_sent(store, [sent], date(2026, 1, 1))
    store.create("owner", {"name": "Åkeriet"})
    rows = walks.list_owners(store, TODAY)
    assert [(r.name, r.total, r.open, r.unsent, r.overdue) for r in rows] == [
        ("Kommunen", 2, 2, 1, 1),
        ("Åkeriet", 0, 0, 0, 0),
    ]


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("boende 12, polis 2", [("boende", 12), ("polis", 2)]),
        ("Boende: 12; Kommunen: 3", [("Boende", 12), ("Kommunen", 3)]),
        ("12 ungdomar | fastighetsägare", [("ungdomar", 12), ("fastighetsägare", None)]),
        ("", None),
    ],
)
def test_participants_as_typed(typed: str, parsed: list | None) -> None:
    result = walks.parse_participants(typed)
    if parsed is None:
        assert result is None
    else:
        assert [(p["group"], p["count"]) for p in result or []] == parsed
        assert walks.parse_participants(walks.format_participants(result)) == result


def test_participants_nonsense_is_refused() -> None:
    with pytest.raises(TryggError):
        walks.parse_participants("12 3")


def test_overview_counts_and_unsent_changes(store: Store, tmp_path: Path) -> None:
    walk = _walk(store)
    walks.mark_sent(store, [_finding(store, walk)], date(2026, 1, 1))
    _finding(store, walk)
    store.create("snabbrapport", {**_report(), "date": "2026-11-20"})  # Friday this week
    store.create("snabbrapport", {**_report(), "date": "2026-11-02"})
    store.create("plan", {"title": "Plan"})
    plan = store.records("plan")[0]["id"]
    store.create("measure", {"plan_id": plan, "activity": "Krogkontroll", "due_date": "2026-10-01"})
    # Monthly since September, nothing logged: behind, and due again on 30 November.
    store.create(
        "measure",
        {"plan_id": plan, "activity": "Besök", "rrule": "FREQ=MONTHLY", "start_date": "2026-09-01"},
    )
    store.create("measure", {"plan_id": plan, "activity": "Klar", "due_date": "2026-10-01",
                             "status": "genomford"})  # fmt: skip
    figures = overview(store, TODAY)
    assert (figures.open_findings, figures.overdue_findings) == (2, 1)
    assert (figures.reports_week, figures.reports_month) == (1, 2)
    assert figures.measures_behind == 2
    assert figures.deadlines_soon == 1
    assert figures.unsent_changes > 0 and figures.last_exchange is None
    export_bundle(store, tmp_path / "out.trygg", profile="polis")
    after = overview(store, TODAY)
    assert after.unsent_changes == 0 and after.last_exchange is not None
    assert not after.remind_to_send(TODAY)
    store.update("walk", walk, {"area": "Torget"})
    assert overview(store, TODAY).unsent_changes == 1


def test_unsent_changes_a_week_old_remind() -> None:
    waiting = Overview(0, 0, 0, 0, 0, 0, 0, 3, None, "2026-11-10")
    assert waiting.remind_to_send(TODAY)
    assert not Overview(0, 0, 0, 0, 0, 0, 0, 3, None, "2026-11-20").remind_to_send(TODAY)
    assert not Overview(0, 0, 0, 0, 0, 0, 0, 0, None, None).remind_to_send(TODAY)


def _report() -> dict[str, object]:
    return report_fields()
