"""A realistic demo database, built through the store from the source documents.

- the six municipalities of police area södra Lappland (seed 000) and Sollefteå (seed 001);
- Lycksele's citizen promises and local plan under the södra Lappland agreement (seed 000),
  with rhythms, some progress and follow-ups; the Sollefteå action plan (seed 001) is not
  in it but lies beside the demo database as a file to import (``demo_plan_files``);
- a safety walk with the handbook's four findings (seed 003), one at Torget and a
  positive one;
- some 140 quick alcohol reports spread over Friday and Saturday nights of the
  last eight months, most in Lycksele, where the places carry coordinates (the beach in
  summer, the square and the station all year), so the lägesbild has two whole quarters
  to compare (those older than the retention period already erased, as gallring leaves
  them); the measures at Torget and Ungdomsgården name their place.

Every personnummer is a fictitious test number: a real date of birth with a serial number
in 980-999, the range Skatteverket uses for its published test numbers, and a correct check
digit, so the numbers validate like real ones without belonging to anyone. Names are
invented. The data is made relative to today, so "this week" always has something in it.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from db.database import check_existing
from db.personnummer import luhn_digit
from db.store import Store

DEMO_SETTING = "demo"
SODRA_LAPPLAND = ("Dorotea", "Lycksele", "Sorsele", "Storuman", "Vilhelmina", "Åsele")

#: (focus area, activity, operational goal, responsible post, rrule, target per occurrence,
#:  goal kind, citizen promise). The focus areas are those of the södra Lappland agreement
#: (seed 000); the measures are invented in the manner of its local plans.
LYCKSELE_MEASURES: tuple[tuple[str, str, str, str, str | None, int | None, str, bool], ...] = (
    (
        "Brottsförebyggande arbete kring ungdomar",
        "Synliga poliser och fältassistenter i centrum fredag och lördag kväll",
        "Poliser och fältassistenter finns vid Torget och Järnvägsstationen varje fredag och "
        "lördag kl 21–01 under hela året.",
        "Lokalpolisområde södra Lappland; Fältassistenterna, socialtjänsten",
        "FREQ=WEEKLY;BYDAY=FR,SA",
        1,
        "produktion",
        True,
    ),
    (
        "Brottsförebyggande arbete kring ungdomar",
        "Besök på Ungdomsgården",
        "Minst två besök per månad av kommunpolisen på Ungdomsgården under 2026.",
        "Kommunpolis",
        "FREQ=MONTHLY",
        2,
        "produktion",
        False,
    ),
    (
        "ANDT- och tillsynsarbete",
        "Gemensam krogtillsyn polis och kommun",
        "Minst 4 gemensamma tillsynsbesök per kvartal på Lyckseles krogar med serveringstillstånd.",
        "Alkoholhandläggare; Polisen",
        "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1",
        4,
        "produktion",
        True,
    ),
    (
        "ANDT- och tillsynsarbete",
        "Utbildning i ansvarsfull alkoholservering",
        "En utbildning per år för krögare och personal i Lycksele.",
        "Alkoholhandläggare",
        "FREQ=YEARLY",
        1,
        "produktion",
        False,
    ),
    (
        "ANDT- och tillsynsarbete",
        "Minska langning till ungdomar",
        "Andelen ungdomar i snabbrapporterna som fått alkohol av en vuxen ska minska från "
        "40 % 2025 till högst 30 % 2026 i Lycksele centrum.",
        "Kommunens trygghetssamordnare",
        None,
        None,
        "effekt",
        True,
    ),
    (
        "Integration av nyanlända i kommunerna",
        "Information om svenska lagar och polisens uppdrag på SFI",
        "Två informationstillfällen per halvår på SFI i Lycksele.",
        "Kommunpolis; Vuxenutbildningen",
        "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1",
        2,
        "produktion",
        False,
    ),
    (
        "Integration av nyanlända i kommunerna",
        "Verka för bättre kontakt med föreningslivet",
        "Öka kontakten.",
        "Integrationssamordnare",
        None,
        None,
        "process",
        False,
    ),
)

FIRST_NAMES = (
    "Alva",
    "Elsa",
    "Maja",
    "Ella",
    "Wilma",
    "Saga",
    "Ebba",
    "Nora",
    "Liam",
    "Noah",
    "Hugo",
    "Elias",
    "Oscar",
    "Lucas",
    "Alvin",
    "Arvid",
    "Melker",
    "Selma",
    "Nils",
    "Tyra",
)
SURNAMES = ("Testsson", "Exempelberg", "Provdotter", "Demosson", "Fiktivsson", "Övningsberg")
SEIZED = (
    "6 burk starköl 50 cl",
    "4 burk cider 33 cl",
    "1 flaska vodka 70 cl",
    "2 flaska vin 75 cl",
    "3 burk folköl 50 cl",
    "1 flaska hembränt 50 cl",
)


def is_demo_database(path: Path) -> bool:
    """True if ``path`` is a Trygg database made by ``build_demo`` (read-only look)."""
    check_existing(path)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (DEMO_SETTING,)).fetchone()
    except sqlite3.Error:
        row = None
    finally:
        conn.close()
    return bool(row) and row[0] == "1"


def test_personnummer(birth: date, serial: int) -> str:
    """A fictitious personnummer (serial 980-999) with a correct check digit."""
    assert 980 <= serial <= 999
    body = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}-{serial:03d}{luhn_digit(body)}"


def build_demo(store: Store, today: date | None = None, seed: int = 2026) -> None:
    """Fill a freshly set-up database with the demo data."""
    today = today or store.now().date()
    rng = random.Random(seed)
    with store.transaction():
        store.set_setting(DEMO_SETTING, "1")
        places = _places(store)
        _walk(store, today, places)
        _plan(store, today, rng, places)
        _reports(store, today, rng, places)
        # Reports past the retention period had their personal data erased in time, as
        # gallring does: the statistics stay, the names and numbers are gone.
        from db.protect.gallring import due

        for report in due(store, today):
            store.erase_personal("snabbrapport", report.id)


def _places(store: Store) -> dict[str, str]:
    rows = (
        ("Torget", "Lycksele", 64.5957, 18.6756),
        ("Järnvägsstationen", "Lycksele", 64.5947, 18.6633),
        ("Ungdomsgården", "Lycksele", 64.5979, 18.6812),
        ("Badplatsen Ansia", "Lycksele", 64.5886, 18.7011),
        ("Busstationen", "Lycksele", 64.5951, 18.6689),
        ("Idrottsplatsen", "Lycksele", 64.6012, 18.6905),
        ("Gång- och cykeltunneln under järnvägen", "Lycksele", 64.5940, 18.6648),
        ("Skolgården", "Vilhelmina", 64.6249, 16.6556),
        ("Torget", "Storuman", 65.0961, 17.1086),
        ("Idrottsplatsen", "Sorsele", 65.5337, 17.5364),
        ("Folkets park", "Dorotea", 64.2611, 16.4083),
        ("Centrum", "Åsele", 64.1617, 17.3504),
    )
    return {
        f"{name}, {kommun}": store.create(
            "place", {"name": name, "kommun": kommun, "lat": lat, "lon": lon}
        )
        for name, kommun, lat, lon in rows
    }


def _walk(store: Store, today: date, places: dict[str, str]) -> None:
    kommunen = store.create(
        "owner",
        {
            "name": "Kommunen",
            "kind": "kommun",
            "contact": "Gatukontoret",
            "email": "gatukontoret@example.se",
            "default_due_days": 180,
        },
    )
    fastighet = store.create(
        "owner",
        {
            "name": "Fastighetsbolaget",
            "kind": "fastighetsagare",
            "contact": "Felanmälan",
            "phone": "0950-000 00",
            "default_due_days": 90,
        },
    )
    store.create("owner", {"name": "Trafikverket", "kind": "trafikverket", "default_due_days": 180})

    walk_date = today - timedelta(days=75)
    walk = store.create(
        "walk",
        {
            "kommun": "Lycksele",
            "area": "Centrum – Åvägen – Storgatan",
            "date": walk_date.isoformat(),
            "start_time": "18:30",
            "end_time": "20:15",
            "light": "morker",
            "weather": "Klart, minus 4 grader",
            "participants": [
                {"group": "Boende", "count": 9},
                {"group": "Ungdomar", "count": 4},
                {"group": "Polis", "count": 2},
                {"group": "Kommunen", "count": 3},
                {"group": "Fastighetsbolaget", "count": 1},
            ],
            "organiser": "Brottsförebyggande rådet",
            "notes": "Samling vid Torget. Kartan med numrerade markeringar finns hos samordnaren.",
        },
    )
    sent = walk_date + timedelta(days=3)
    findings = (
        (
            "Åvägen mittemot nr 37",
            64.5969,
            18.6702,
            "Trasig belysning",
            "belysning",
            kommunen,
            "atgardad",
            180,
            walk_date + timedelta(days=20),
        ),
        (
            "Storgatan 85–89",
            64.5961,
            18.6779,
            "Uppbrutna källardörrar",
            "skalskydd",
            fastighet,
            "skickad",
            90,
            None,
        ),
        (
            "Vändplanen vid Bygatan 3",
            64.5990,
            18.6731,
            "Fem skrotbilar",
            "overgivna_fordon",
            kommunen,
            "skickad",
            60,
            None,
        ),
        (
            "Bivägen 4–6",
            64.5943,
            18.6820,
            "Brandfarliga källargångar",
            "brandrisk",
            fastighet,
            "ny",
            30,
            None,
        ),
    )
    for place, lat, lon, remark, category, owner, status, due_days, fixed in findings:
        # Places named on a walk become reference data, as when typed in the app.
        place_id = store.create(
            "place", {"name": place, "kommun": "Lycksele", "lat": lat, "lon": lon}
        )
        store.create(
            "finding",
            {
                "walk_id": walk,
                "place": place,
                "place_id": place_id,
                "lat": lat,
                "lon": lon,
                "remark": remark,
                "category": category,
                "owner_id": owner,
                "status": status,
                "sent_date": sent.isoformat() if status != "ny" else None,
                "due_date": (sent + timedelta(days=due_days)).isoformat(),
                "fixed_date": fixed.isoformat() if fixed else None,
            },
        )
    store.create(
        "finding",
        {
            "walk_id": walk,
            "place": "Torget",
            "place_id": places["Torget, Lycksele"],
            "remark": "Klotter på elskåpet vid busshållplatsen",
            "category": "klotter",
            "owner_id": kommunen,
            "status": "skickad",
            "sent_date": sent.isoformat(),
            "due_date": (sent + timedelta(days=30)).isoformat(),
        },
    )
    store.create(
        "finding",
        {
            "walk_id": walk,
            "place": "Gång- och cykeltunneln under järnvägen",
            "place_id": places["Gång- och cykeltunneln under järnvägen, Lycksele"],
            "remark": "Bra upplyst och fri sikt – upplevs tryggt av ungdomarna",
            "category": "belysning",
            "positive": True,
        },
    )


#: Where the Lycksele measures take place (by their position in LYCKSELE_MEASURES).
MEASURE_PLACES = {0: "Torget, Lycksele", 1: "Ungdomsgården, Lycksele"}


def _plan(store: Store, today: date, rng: random.Random, places: dict[str, str]) -> None:
    from db.plans.followup import period_of, previous_period

    start = date(today.year, 1, 1)
    plan = store.create(
        "plan",
        {
            "title": "Medborgarlöften och lokal handlingsplan Lycksele",
            "kommuner": ["Lycksele"],
            "start_date": start.isoformat(),
            "end_date": date(today.year, 12, 31).isoformat(),
            "agreement_ref": "Samverkansöverenskommelse lokalpolisområde södra Lappland, del 2",
            "followup_interval": "kvartal",
            "notes": "Medborgarlöftena redovisas till invånarna varje kvartal.",
        },
    )
    areas: dict[str, str] = {}
    for area, *_ in LYCKSELE_MEASURES:
        if area not in areas:
            areas[area] = store.create(
                "focus_area", {"plan_id": plan, "name": area, "position": len(areas) + 1}
            )
    cause_numbers: dict[str, int] = {}
    measures: list[str] = []
    for index, (area, activity, goal, responsible, rule, target, kind, promise) in enumerate(
        LYCKSELE_MEASURES
    ):
        cause_numbers[area] = cause_numbers.get(area, 0) + 1
        measure = store.create(
            "measure",
            {
                "plan_id": plan,
                "focus_area_id": areas[area],
                "cause_nr": cause_numbers[area],
                "activity": activity,
                "goal": goal,
                "goal_kind": kind,
                "responsible": responsible,
                "citizen_promise": promise,
                "rrule": rule,
                "target_count": target,
                "one_off": False,
                "start_date": start.isoformat(),
                "status": "pagaende",
                "place_id": places.get(MEASURE_PLACES.get(index, "")),
            },
        )
        measures.append(measure)
        if rule and rule.startswith("FREQ=WEEKLY"):
            _progress_weekends(store, measure, start, today, rng)
        elif rule == "FREQ=MONTHLY":
            _progress_monthly(store, measure, today, rng)
        elif rule and "BYMONTH=3,6,9,12" in rule:
            # Three a quarter where four were promised: behind, as plans often are.
            for month in range(1, today.month):
                if month % 3 != 2:
                    _log(store, measure, date(today.year, month, rng.randint(4, 24)), 3.0)
                if month % 3 == 0:
                    _log(store, measure, date(today.year, month, 25), 3.0)
    this_quarter = period_of("kvartal", today)
    last_quarter = previous_period(this_quarter)
    for measure, rating, count, process, effect in (
        (
            measures[0],
            "gron",
            None,
            "Fältassistenterna och polisen möttes vid Torget varje kväll före passet.",
            "Färre ordningsstörningar vid Järnvägsstationen än samma kvartal i fjol.",
        ),
        (
            measures[2],
            "gul",
            None,
            "Två besök ställdes in när tillsynshandläggaren var sjuk.",
            "Inga anmärkningar om överservering vid de besökta krogarna.",
        ),
        (
            measures[4],
            "rod",
            None,
            "Snabbrapporterna visar ingen minskning av langning från vuxna.",
            "Ingen effekt ännu – åtgärden ses över med föräldraföreningarna.",
        ),
    ):
        store.create(
            "followup",
            {
                "measure_id": measure,
                "period": last_quarter,
                "rating": rating,
                "production_count": count,
                "process": process,
                "effect": effect,
            },
        )


def _log(store: Store, measure: str, day: date, hours: float) -> None:
    store.create(
        "progress",
        {"measure_id": measure, "date": day.isoformat(), "count": 1, "hours": hours,
         "by": "Kommunpolis Lycksele"},
    )  # fmt: skip


def _progress_monthly(store: Store, measure: str, today: date, rng: random.Random) -> None:
    for month in range(1, today.month):
        for _ in range(2):
            _log(store, measure, date(today.year, month, rng.randint(3, 26)), 2.0)
    if today.day > 10:
        _log(store, measure, today.replace(day=rng.randint(1, 10)), 2.0)


def demo_plan_files(folder: Path) -> list[Path]:
    """Put the Sollefteå action plan (seed 001) in ``folder`` as Excel and CSV files, the
    way a coordinator would have it from the Word table, for trying the plan import."""
    import shutil

    from db.plans.importer import csv_rows
    from db.reports.xlsx import write_xlsx

    source = SOLLEFTEA_PLAN_CSV
    folder.mkdir(parents=True, exist_ok=True)
    csv_copy = folder / source.name
    shutil.copyfile(source, csv_copy)
    grid = csv_rows(source)
    width = max(len(row) for row in grid)
    xlsx = write_xlsx(
        folder / source.with_suffix(".xlsx").name,
        [("Handlingsplan", grid[0] + [""] * (width - len(grid[0])), grid[1:])],
    )
    return [xlsx, csv_copy]


#: The Sollefteå plan's measure table (seed 001) as a Word table saved to CSV would be.
SOLLEFTEA_PLAN_CSV = Path(__file__).parent / "plans" / "examples" / "solleftea-handlingsplan.csv"


def _progress_weekends(
    store: Store, measure: str, start: date, today: date, rng: random.Random
) -> None:
    day = start
    while day < today:
        if day.weekday() in (4, 5) and rng.random() < 0.8:
            store.create(
                "progress",
                {
                    "measure_id": measure,
                    "date": day.isoformat(),
                    "count": 1,
                    "hours": 1.5,
                    "by": "Nattpatrull",
                    "people_reached": rng.randint(0, 4),
                },
            )
        day += timedelta(days=1)


#: How often each municipality's places turn up in the demo's quick reports.
KOMMUN_WEIGHTS = {
    "Lycksele": 9,
    "Vilhelmina": 2,
    "Storuman": 2,
    "Sorsele": 1,
    "Dorotea": 1,
    "Åsele": 1,
}
#: Within Lycksele: the square and the station all year, the beach in summer.
LYCKSELE_WEIGHTS = {
    "Torget": 6,
    "Järnvägsstationen": 4,
    "Ungdomsgården": 3,
    "Busstationen": 2,
    "Idrottsplatsen": 1,
    "Gång- och cykeltunneln under järnvägen": 1,
}
SUMMER_MONTHS = (6, 7, 8)
#: Quick reports in the demo, over Friday and Saturday nights of the last eight months.
DEMO_REPORTS = 140
DEMO_REPORT_DAYS = 240


def _report_place(rng: random.Random, night: date, places: dict[str, str]) -> str:
    """A place for a report on ``night`` (a key of ``places``)."""
    kommun = rng.choices(list(KOMMUN_WEIGHTS), list(KOMMUN_WEIGHTS.values()))[0]
    if kommun != "Lycksele":
        local = [k for k in places if k.endswith(f", {kommun}")]
        return rng.choice(local)
    weights = dict(LYCKSELE_WEIGHTS)
    weights["Badplatsen Ansia"] = 8 if night.month in SUMMER_MONTHS else 0
    return rng.choices([f"{name}, Lycksele" for name in weights], list(weights.values()))[0]


def _reports(store: Store, today: date, rng: random.Random, places: dict[str, str]) -> None:
    nights = [
        today - timedelta(days=back)
        for back in range(1, DEMO_REPORT_DAYS)
        if (today - timedelta(days=back)).weekday() in (4, 5)
    ]
    serial = 980
    for index in range(DEMO_REPORTS):
        night = rng.choice(nights)
        key = _report_place(rng, night, places)
        place_name, kommun = key.split(", ")
        age = rng.choice((13, 14, 14, 15, 15, 15, 16, 16, 17))
        birth = night - timedelta(days=age * 365 + rng.randint(10, 350))
        serial = 980 + (index % 20)
        pnr = test_personnummer(birth, serial) if rng.random() < 0.9 else None
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        hour = rng.choice((20, 21, 22, 22, 23, 23, 0, 1))
        drunk = rng.random() < 0.55
        custody = "lob" if drunk and rng.random() < 0.2 else "nej"
        contacted = rng.choices(("ja", "i_efterhand", "nej"), (6, 3, 1))[0]
        store.create(
            "snabbrapport",
            {
                "date": night.isoformat(),
                "time": f"{hour:02d}:{rng.choice((5, 15, 20, 35, 40, 50)):02d}",
                "place": place_name,
                "place_id": places[key],
                "kommun": kommun,
                "name": name,
                "personnummer": pnr,
                "phone": f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
                if rng.random() < 0.6
                else None,
                "age": None if pnr else age,
                "seized": [rng.choice(SEIZED)] if rng.random() < 0.8 else None,
                "ovrigt": "Målsman kontaktad per telefon, lugn och samarbetsvillig."
                if contacted != "nej"
                else "Ville inte uppge målsmans nummer.",
                "drunk": drunk,
                "carried_alcohol": rng.random() < 0.6,
                "with_carrier": rng.random() < 0.5,
                "custody": custody,
                "guardian_contacted": contacted,
                "guardian_action": rng.choice(("hamtade", "hamtade", "ordnade_skjuts", "vagrade"))
                if contacted != "nej"
                else None,
                "pm_social": "ja" if rng.random() < 0.7 else "nej",
                "obot": rng.choices(("nej", "ja", "rapporteftergift"), (8, 1, 1))[0],
                "alcohol_source": rng.choice(
                    ("kompis", "syskon", "okand_vuxen", "hemifran", "ej_angivet", "foralder")
                ),
                "officer": "Kommunpolis Lycksele",
            },
        )
