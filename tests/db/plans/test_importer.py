"""Importing an action plan from the table it lives in: the Sollefteå plan (seed 001) as
CSV and as Excel, column guessing, continued areas, rhythms found in goals, one
transaction."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from db.demo import SOLLEFTEA_PLAN_CSV, demo_plan_files
from db.errors import TryggError
from db.plans.importer import (
    Table,
    guess_mapping,
    import_plan,
    preview,
    read_table,
    rhythm_in_text,
)
from db.plans.rhythm import PERIOD_RULES
from db.reports.xlsx import write_xlsx
from db.store import Store

TODAY = date(2026, 11, 22)
SOLLEFTEA_AREAS = [
    "Våld i offentlig miljö",
    "Tryggt centrum",
    "Barn och ungdomar",
    "Tillgreppsbrott",
    "Grov organiserad brottslighet",
    "Våld i nära relationer",
]


def _import(store: Store, path: Path) -> str:
    table = read_table(path)
    found = preview(table, guess_mapping(table.header), TODAY)
    return import_plan(store, found, {"title": "Handlingsplan Sollefteå"}).plan_id


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_solleftea_plan_imports_with_its_areas_measures_and_posts(
    store: Store, tmp_path: Path, kind: str
) -> None:
    path = SOLLEFTEA_PLAN_CSV if kind == "csv" else demo_plan_files(tmp_path)[0]
    plan_id = _import(store, path)
    areas = store.records("focus_area", where={"plan_id": plan_id}, order_by=("position",))
    assert [a["name"] for a in areas] == SOLLEFTEA_AREAS
    measures = store.records("measure", where={"plan_id": plan_id})
    assert len(measures) == 26
    by_activity = {m["activity"]: m for m in measures}
    area_name = {a["id"]: a["name"] for a in areas}
    # The area is written once per group and carried down; "Forts. …" is the same area.
    lighting = by_activity["Bra belysning på gator och parker. Förlängd belysning på helgkvällar"]
    assert area_name[lighting["focus_area_id"]] == "Tryggt centrum"
    mansjour = by_activity["Stöd till förövare i form av mansjour"]
    assert area_name[mansjour["focus_area_id"]] == "Våld i nära relationer"
    # Several posts in one cell become a list, one line each in the Word table.
    first = by_activity["Gemensamma kontroller av krogar med serveringstillstånd"]
    assert first["responsible"] == (
        "Polis, Alkoholhandläggare, Skattemyndighet, Räddningstjänst, Miljö- och hälsoskydd"
    )
    # Rhythms read from the goals, as production goals.
    visits = by_activity["Oplanerade besök på krogarna av polispatruller"]
    assert (visits["rrule"], visits["target_count"], visits["goal_kind"]) == (
        PERIOD_RULES["manad"],
        1,
        "produktion",
    )
    guards = by_activity[
        "Kontakt med ordningsvakter under kvällarna samt synliga poliser vid krogstängning"
    ]
    assert guards["rrule"] == "FREQ=WEEKLY;BYDAY=FR,SA"
    assert first["rrule"] == PERIOD_RULES["ar"]
    # "inom två år" is a deadline, not a rhythm.
    certified = by_activity["Certifieringsintyg för butiker som genomgått kurs i butikssäkerhet"]
    assert certified["rrule"] is None
    assert all(m["status"] == "planerad" for m in measures)


def test_a_title_row_above_the_headings_is_passed_over() -> None:
    table = read_table(SOLLEFTEA_PLAN_CSV)
    assert table.header == ["Område", "Aktivitet", "Mål", "Ansvarig"]
    assert table.rows[0][0] == "Våld i offentlig miljö"


def test_headings_in_the_handbooks_template_are_recognised() -> None:
    header = ["Orsak", "Åtgärd", "Operativa mål", "När", "Vem", "Uppföljning", "Medborgarlöfte"]
    assert guess_mapping(header) == [
        "cause", "activity", "goal", "when", "responsible", None, "citizen_promise",
    ]  # fmt: skip


def test_when_column_gives_a_due_date_or_a_rhythm_and_keeps_what_it_cannot_read() -> None:
    table = Table(
        ["Åtgärd", "Mål", "När", "Medborgarlöfte"],
        [
            ["Trygghetsvandring", "Genomförd", "2027-03-31", "ja"],
            ["Krogkontroll", "Kontroller", "minst 4 per kvartal", "x"],
            ["Klottersanering", "Mindre klotter", "efter sommaren", ""],
        ],
    )
    rows = preview(table, guess_mapping(table.header), TODAY).rows
    assert rows[0].values["due_date"] == "2027-03-31"
    assert rows[0].values["citizen_promise"] is True
    assert (rows[1].values["rrule"], rows[1].values["target_count"]) == (
        PERIOD_RULES["kvartal"],
        4,
    )
    assert rows[2].values["goal"] == "Mindre klotter (efter sommaren)"
    assert rows[2].notes == ["when"]


@pytest.mark.parametrize(
    ("text", "rule", "times"),
    [
        ("Minst ett grundligt besök per månad av radiobil", PERIOD_RULES["manad"], 1),
        ("Kontinuerligt varje fredag och lördag", "FREQ=WEEKLY;BYDAY=FR,SA", 1),
        ("genom minst en årlig kontroll av samtliga krogar", PERIOD_RULES["ar"], 1),
        ("Varje vår genomförs omfattande kontroller", PERIOD_RULES["ar"], 1),
        ("3 gånger per kvartal", PERIOD_RULES["kvartal"], 3),
    ],
)
def test_rhythms_in_goal_text(text: str, rule: str, times: int) -> None:
    rhythm = rhythm_in_text(text)
    assert rhythm is not None
    assert (rhythm.rule, rhythm.times) == (rule, times)


@pytest.mark.parametrize(
    "text",
    [
        "Alla butiker blir certifierade inom två år.",
        "Nolltolerans mot alla former av alkohol och droger",
        "Minska antalet brott",
    ],
)
def test_no_rhythm_where_there_is_none(text: str) -> None:
    assert rhythm_in_text(text) is None


def test_a_refused_row_leaves_nothing_behind(store: Store) -> None:
    table = Table(
        ["Område", "Åtgärd", "Orsak nr"],
        [["Centrum", "Belysning", "1"], ["", "x" * 20_000, "2"]],
    )
    found = preview(table, guess_mapping(table.header), TODAY)
    with pytest.raises(TryggError):
        import_plan(store, found, {"title": "Plan"})
    assert store.count("plan") == store.count("focus_area") == store.count("measure") == 0


def test_importing_into_an_existing_plan_reuses_its_areas(store: Store) -> None:
    plan = store.create("plan", {"title": "Befintlig"})
    store.create("focus_area", {"plan_id": plan, "name": "Tryggt centrum", "position": 1})
    table = Table(["Område", "Åtgärd"], [["tryggt centrum", "Belysning"], ["Skolan", "Vakter"]])
    done = import_plan(store, preview(table, guess_mapping(table.header), TODAY), {}, into=plan)
    assert (done.plan_id, done.areas, done.measures) == (plan, 1, 2)
    assert store.count("focus_area", where={"plan_id": plan}) == 2


def test_without_an_activity_column_nothing_can_be_imported() -> None:
    table = Table(["Område", "Kommentar"], [["Centrum", "x"]])
    with pytest.raises(TryggError) as caught:
        preview(table, guess_mapping(table.header), TODAY)
    assert caught.value.key == "plan_import.no_activity"


@pytest.mark.parametrize(
    ("name", "content", "key"),
    [
        ("plan.docx", b"PK\x03\x04", "plan_import.kind"),
        ("plan.xlsx", b"not a zip file at all", "plan_import.bad_xlsx"),
        ("plan.csv", b"Aktivitet\n", "plan_import.empty"),
    ],
)
def test_files_that_cannot_be_read_say_why(
    tmp_path: Path, name: str, content: bytes, key: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TryggError) as caught:
        read_table(path)
    assert caught.value.key == key
    with pytest.raises(TryggError) as missing:
        read_table(tmp_path / "saknas.csv")
    assert missing.value.key == "plan_import.missing"


def test_an_excel_file_with_a_cp1252_csv_twin_reads_the_same(tmp_path: Path) -> None:
    rows = [["Område", "Aktivitet"], ["Tryggt centrum", "Klottersanering på Torget"]]
    xlsx = write_xlsx(tmp_path / "p.xlsx", [("Blad1", rows[0], rows[1:])])
    csv = tmp_path / "p.csv"
    csv.write_bytes("\r\n".join(";".join(r) for r in rows).encode("cp1252"))
    assert read_table(xlsx).rows == read_table(csv).rows == [rows[1]]


def test_tab_separated_and_undecodable_text_still_read(tmp_path: Path) -> None:
    """A tab-separated table whose commas are text, and a byte no Windows code page
    defines (read as Latin-1 rather than failing)."""
    tsv = tmp_path / "plan.txt"
    tsv.write_bytes(b"Omr\xe5de\tAktivitet\r\nTryggt centrum\tKlotter, skadeg\xf6relse \x81\r\n")
    table = read_table(tsv)
    assert table.header == ["Område", "Aktivitet"]
    assert table.rows == [["Tryggt centrum", "Klotter, skadegörelse \x81"]]
