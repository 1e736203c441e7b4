"""A realistic demo database, built through the store from the source documents.

- the six municipalities of police area södra Lappland (seed 000) and Sollefteå (seed 001);
- the Sollefteå action plan's focus areas, measures and responsible posts (seed 001), with
  rhythms, some progress and follow-ups;
- a safety walk with the handbook's four findings (seed 003) and a positive one;
- a few dozen quick alcohol reports spread over Friday and Saturday nights.

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

#: (focus area, activity, operational goal, responsible, rrule, target per occurrence,
#:  goal kind, citizen promise)
SOLLEFTEA_MEASURES: tuple[tuple[str, str, str, str, str | None, int | None, str, bool], ...] = (
    (
        "Våld i offentlig miljö",
        "Gemensamma kontroller av krogar med serveringstillstånd",
        "Upprätthålla ansvarsfull servering genom minst en årlig kontroll av samtliga krogar. "
        "Vid misstanke om felaktigheter sker kontroller mer frekvent",
        "Polis, alkoholhandläggare, Skattemyndighet, Räddningstjänst, Miljö- och hälsoskydd",
        "FREQ=YEARLY",
        6,
        "produktion",
        False,
    ),
    (
        "Våld i offentlig miljö",
        "Oplanerade besök på krogarna av polispatruller",
        "Minst ett grundligt besök per månad av radiobil. Däremellan kontinuerlig kontakt med "
        "krögare",
        "Polis",
        "FREQ=MONTHLY",
        1,
        "produktion",
        True,
    ),
    (
        "Våld i offentlig miljö",
        "Utbildning för krogägare och personal i ansvarsfull servering "
        "och kring entrévärdsrollen samt bemötande",
        "En gång per år. Utbildning sker i samarbete mellan Sollefteå, Kramfors och Härnösand",
        "Kommun (ION)",
        "FREQ=YEARLY",
        1,
        "produktion",
        False,
    ),
    (
        "Våld i offentlig miljö",
        "Kontakt med ordningsvakter under kvällarna samt synliga poliser vid krogstängning",
        "Kontinuerligt varje fredag och lördag",
        "Polis",
        "FREQ=WEEKLY;BYDAY=FR,SA",
        1,
        "produktion",
        True,
    ),
    (
        "Våld i offentlig miljö",
        "Kvalitetshöjning/fortbildning på ordningsvakter",
        "En gång per år enligt lagstiftning. Befintlig utbildning utvecklas",
        "Polis",
        "FREQ=YEARLY",
        1,
        "produktion",
        False,
    ),
    (
        "Tryggt centrum",
        "Avvisa och/eller omhänderta människor som stör den allmänna ordningen",
        "Bättre ordning i centrum och ökad trygghet genom fler synliga poliser",
        "Polis",
        None,
        None,
        "effekt",
        False,
    ),
    (
        "Tryggt centrum",
        "Mötesplats för utstötta människor",
        "Starta diskussion kring inrättandet samt ta beslut i frågan",
        "Kommun (ION), Näringsliv",
        None,
        None,
        "process",
        False,
    ),
    (
        "Tryggt centrum",
        "Bra belysning på gator och parker. Förlängd belysning på helgkvällar",
        "Se över befintlig belysning och genomföra förbättringar. Förlänga belysningstiden vid "
        "framförallt helgnätter (följ krogens öppettider)",
        "Kommun (SBN)",
        None,
        None,
        "produktion",
        True,
    ),
    (
        "Tryggt centrum",
        "Klottersanering och upptäcka klottrare i tid",
        "Samverkan mellan kommun och fastighetsägare för att hitta former för bättre "
        "klottersanering",
        "Kommun (SBN och Solatum), fastighetsägare, polis",
        None,
        None,
        "process",
        False,
    ),
    (
        "Tryggt centrum",
        "Stoppa cykling på trottoarer och gågator",
        "Informera om trafikregler och trafikvett på skolorna vid en årlig trafikvecka",
        "Polis, Kommun (BSN)",
        "FREQ=YEARLY",
        1,
        "produktion",
        False,
    ),
    (
        "Tryggt centrum",
        "Trafik/motoretik. Kontroll av mopeder, epatraktorer, felutrustade bilar",
        "Varje vår genomförs omfattande kontroller",
        "Polis",
        "FREQ=YEARLY;BYMONTH=4",
        1,
        "produktion",
        False,
    ),
    (
        "Barn och ungdomar",
        "Alla poliser ute i fält tillämpar Kronobergsmodellen",
        "Nolltolerans mot alla former av alkohol och droger",
        "Polis",
        None,
        None,
        "effekt",
        True,
    ),
    (
        "Barn och ungdomar",
        "Behandlingsassistenter ute på evenemangskvällar och ungdomskvällar",
        "Öka antalet kvällar där behandlingsassistenterna är ute",
        "Kommun (ION)",
        "FREQ=MONTHLY",
        2,
        "produktion",
        False,
    ),
    (
        "Barn och ungdomar",
        "Öka medvetenheten och engagemanget hos föräldrar",
        "Genom ÖPP påverka föräldrars förhållningssätt till ungdomars drickande; stötta "
        "Föräldrar på stan",
        "Kommun (BSN), polis, Landstinget Västernorrland",
        None,
        None,
        "process",
        False,
    ),
    (
        "Barn och ungdomar",
        "Aktiva ungdomsgårdar",
        "Kontinuerliga besök av polisen som ges tid att möta ungdomarna i deras miljö",
        "Kommun (KUN), polis",
        "FREQ=MONTHLY",
        2,
        "produktion",
        True,
    ),
    (
        "Barn och ungdomar",
        "Medling vid brott",
        "Se över förutsättningarna för att införa medling mer regelbundet",
        "Kommun (ION), polis",
        None,
        None,
        "process",
        False,
    ),
    (
        "Tillgreppsbrott",
        "Statistik på brottsanmälningar över problemområden i kommunen",
        "Bättre information till kommunen som kan leda till att brott byggs bort",
        "Polis, Kommun (SBN)",
        "FREQ=MONTHLY;INTERVAL=6",
        1,
        "produktion",
        False,
    ),
    (
        "Tillgreppsbrott",
        "Informera butiker och företagsägare om hur man förvarar stöldbegärliga varor",
        "Minska stöld och snatterier genom årlig information",
        "Polis",
        "FREQ=YEARLY",
        1,
        "produktion",
        False,
    ),
    (
        "Grov organiserad brottslighet",
        "Informera krogägare om problemet; vilka gäster vill man ha?",
        "Sker i samband med utbildningar kring ansvarsfull servering och vid krogkontroller",
        "Polis, Kommun (ION)",
        None,
        None,
        "process",
        False,
    ),
    (
        "Våld i nära relationer",
        "Samarbete mellan kommun, polis, landstinget, kvinnojour",
        "Intensifiera och utveckla samarbetet",
        "Kommun (ION), polis, Landstinget Västernorrland, kvinnojour",
        None,
        None,
        "process",
        False,
    ),
    (
        "Våld i nära relationer",
        "Stöd till förövare i form av mansjour",
        "Gemensam mansjour i Kramfors och Sollefteå",
        "Kommun (ION)",
        None,
        None,
        "process",
        False,
    ),
    (
        "Våld i nära relationer",
        "Fortbildning av poliser",
        "Fortsätta utveckla hanteringen av ärenden kring våld i nära relationer",
        "Polis",
        "FREQ=YEARLY",
        1,
        "produktion",
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
        _walk(store, today)
        _plan(store, today, rng)
        _reports(store, today, rng, places)


def _places(store: Store) -> dict[str, str]:
    rows = (
        ("Torget", "Lycksele", 64.5957, 18.6756),
        ("Järnvägsstationen", "Lycksele", 64.5947, 18.6633),
        ("Ungdomsgården", "Lycksele", 64.5979, 18.6812),
        ("Badplatsen Ansia", "Lycksele", 64.5886, 18.7011),
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


def _walk(store: Store, today: date) -> None:
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
            "place": "Gång- och cykeltunneln under järnvägen",
            "remark": "Bra upplyst och fri sikt – upplevs tryggt av ungdomarna",
            "category": "belysning",
            "positive": True,
        },
    )


def _plan(store: Store, today: date, rng: random.Random) -> None:
    start = date(today.year, 1, 1)
    plan = store.create(
        "plan",
        {
            "title": "Handlingsplan för samverkan mellan Sollefteå kommun och polisen",
            "kommuner": ["Sollefteå"],
            "start_date": start.isoformat(),
            "end_date": date(today.year + 2, 12, 31).isoformat(),
            "agreement_ref": "Samverkansöverenskommelse november 2010; KS 2011-10-11 § 201",
            "followup_interval": "halvar",
            "notes": "Arbetsgruppen träffas två gånger per år, april och oktober, för "
            "uppföljning och revidering. Ansvaret ligger på en tjänst, inte en person.",
        },
    )
    areas: dict[str, str] = {}
    for area, *_ in SOLLEFTEA_MEASURES:
        if area not in areas:
            areas[area] = store.create(
                "focus_area", {"plan_id": plan, "name": area, "position": len(areas) + 1}
            )
    cause_numbers: dict[str, int] = {}
    for area, activity, goal, responsible, rule, target, kind, promise in SOLLEFTEA_MEASURES:
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
            },
        )
        if rule and rule.startswith("FREQ=WEEKLY"):
            _progress_weekends(store, measure, today, rng)
        elif rule == "FREQ=MONTHLY":
            for months_back in range(1, today.month):
                done = date(today.year, months_back, rng.randint(3, 26))
                store.create(
                    "progress",
                    {
                        "measure_id": measure,
                        "date": done.isoformat(),
                        "count": 1,
                        "hours": 2.0,
                        "by": "Radiobil 2130",
                    },
                )
    first_measure = store.list("measure", order_by=("cause_nr", "id"), limit=1)[0]
    store.create(
        "followup",
        {
            "measure_id": first_measure["id"],
            "period": f"{today.year}-H1",
            "rating": "gul",
            "production_count": 4,
            "production": "Fyra av sex krogar kontrollerade.",
            "process": "Kontrollerna samordnades med räddningstjänsten.",
            "effect": "Inga anmärkningar vid de kontrollerade krogarna.",
        },
    )


def _progress_weekends(store: Store, measure: str, today: date, rng: random.Random) -> None:
    day = today - timedelta(days=70)
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


def _reports(store: Store, today: date, rng: random.Random, places: dict[str, str]) -> None:
    nights = [
        today - timedelta(days=back)
        for back in range(1, 71)
        if (today - timedelta(days=back)).weekday() in (4, 5)
    ]
    weights = {
        "Lycksele": 5,
        "Vilhelmina": 2,
        "Storuman": 2,
        "Sorsele": 1,
        "Dorotea": 1,
        "Åsele": 1,
    }
    place_keys = list(places)
    serial = 980
    for index in range(36):
        night = rng.choice(nights)
        key = rng.choices(place_keys, [weights[k.split(", ")[1]] for k in place_keys])[0]
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
