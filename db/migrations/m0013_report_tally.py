"""Schema 13: the quick reports counted per day and municipality, kept by triggers.

The statistics of every report read every report's entry in the statistics index (at
100,000 reports, most of the time the statistics screen took). ``snabbrapport_tally``
holds, per date and municipality, how many reports there are and every count the
statistics add up (each answer of each question, age group, tick box, note sent and
hour), so a period is counted from one row per day and municipality, whatever the number
of reports. Triggers keep it: every writer (the store, a merge, deletion, erasure, undo)
changes it without knowing it exists, and a report counts while it is not deleted and
has a date — exactly the reports the statistics select.

A place is not in the key (places are many: the tally would hold nearly a row per
report): statistics of one place read the reports through the statistics index.
Individuals (distinct personnummer) are not counted here either: a count per day cannot
say whether two days' reports are the same person; they stay a pass over the
personnummer index. The tally holds no personal data.

The counters are frozen here, as the schema of this version: a new answer to a question
needs a migration that adds its column (a test compares them with the statistics'
questions).
"""

from __future__ import annotations

import sqlite3

from db.migrations.schema import run_sql

#: The choice questions and their answers when the tally was made (see
#: ``db/snabbrapport/statistics.py``'s CHOICES, which must match).
ANSWERS: dict[str, tuple[str, ...]] = {
    "sex": ("kvinna", "man", "okand"),
    "custody": ("nej", "lob", "pl12", "pl13", "annat"),
    "guardian_contacted": ("nej", "ja", "i_efterhand"),
    "guardian_action": ("hamtade", "ordnade_skjuts", "vagrade", "annat"),
    "pm_social": ("ja", "nej"),
    "obot": ("ja", "nej", "rapporteftergift"),
    "alcohol_source": (
        "foralder",
        "syskon",
        "kompis",
        "okand_vuxen",
        "hemifran",
        "butik_krog",
        "ej_angivet",
    ),
}
#: Each age group and how it is recognised (the age at the event).
AGES: dict[str, str] = {
    "0-12": "{r}.age <= 12",
    **{str(age): f"{{r}}.age = {age}" for age in range(13, 18)},
    "18+": "{r}.age >= 18",
}
TICKS = ("drunk", "carried_alcohol", "with_carrier")
HOURS = tuple(f"{h:02d}" for h in range(24))


def answer_column(question: str, answer: str) -> str:
    """The tally's column counting ``answer`` to ``question`` (``age_group`` included)."""
    if question == "age_group":
        return "age_" + answer.replace("-", "_").replace("+", "_up")
    return f"{question}_{answer}"


def hour_column(hour: str) -> str:
    """The tally's column counting reports whose time falls in ``hour`` ("00"–"23")."""
    return f"hour_{hour}"


#: Every counter: its column and the condition (over a report ``{r}``) it counts.
COUNTERS: dict[str, str] = {
    **{
        answer_column(question, answer): f"{{r}}.{question} = '{answer}'"
        for question, answers in ANSWERS.items()
        for answer in answers
    },
    **{answer_column("age_group", group): condition for group, condition in AGES.items()},
    **{tick: f"{{r}}.{tick} = 1" for tick in TICKS},
    "pm_sent": "{r}.pm_sent_date IS NOT NULL AND {r}.pm_sent_date != ''",
    **{hour_column(hour): f"substr({{r}}.time, 1, 2) = '{hour}'" for hour in HOURS},
}
#: The report's columns the counters read (an update of any other changes no count).
COUNTED = (
    "date",
    "kommun",
    "deleted",
    "time",
    "age",
    *ANSWERS,
    *TICKS,
    "pm_sent_date",
)


def _values(r: str) -> str:
    """The tally row one report ``r`` makes: its key, one report, and each counter."""
    counters = ", ".join(
        f"CASE WHEN {condition.format(r=r)} THEN 1 ELSE 0 END" for condition in COUNTERS.values()
    )
    return f"{r}.date, coalesce({r}.kommun, ''), 1, {counters}"


_COLUMNS = ", ".join(["date", "kommun", "reports", *COUNTERS])


def _add(r: str) -> str:
    """Add report ``r`` to its row (made when it is the first)."""
    sets = ", ".join(f"{c} = {c} + excluded.{c}" for c in ["reports", *COUNTERS])
    return (
        f"INSERT INTO snabbrapport_tally ({_COLUMNS}) VALUES ({_values(r)})"
        f" ON CONFLICT (date, kommun) DO UPDATE SET {sets};"
    )


def _subtract(r: str) -> str:
    """Take report ``r`` out of its row."""
    sets = ", ".join(
        [
            "reports = reports - 1",
            *(
                f"{c} = {c} - CASE WHEN {condition.format(r=r)} THEN 1 ELSE 0 END"
                for c, condition in COUNTERS.items()
            ),
        ]
    )
    return (
        f"UPDATE snabbrapport_tally SET {sets}"
        f" WHERE date = {r}.date AND kommun = coalesce({r}.kommun, '');"
    )


def _counted(r: str) -> str:
    return f"{r}.deleted = 0 AND {r}.date IS NOT NULL"


_TABLE = (
    "CREATE TABLE snabbrapport_tally (date TEXT NOT NULL, kommun TEXT NOT NULL,"
    " reports INTEGER NOT NULL, "
    + ", ".join(f"{c} INTEGER NOT NULL" for c in COUNTERS)
    + ", PRIMARY KEY (date, kommun)) WITHOUT ROWID"
)
_OF = ", ".join(COUNTED)
_SUMS = ", ".join(f"sum(CASE WHEN {c.format(r='r')} THEN 1 ELSE 0 END)" for c in COUNTERS.values())
# Two triggers for an update: the old version leaves its row, the new one joins its own
# (the date or the municipality may have changed, or the report been deleted).
SQL = f"""
{_TABLE};
CREATE TRIGGER snabbrapport_tally_insert AFTER INSERT ON snabbrapport
WHEN {_counted("new")} BEGIN
    {_add("new")}
END;
CREATE TRIGGER snabbrapport_tally_delete AFTER DELETE ON snabbrapport
WHEN {_counted("old")} BEGIN
    {_subtract("old")}
END;
CREATE TRIGGER snabbrapport_tally_update_old AFTER UPDATE OF {_OF} ON snabbrapport
WHEN {_counted("old")} BEGIN
    {_subtract("old")}
END;
CREATE TRIGGER snabbrapport_tally_update_new AFTER UPDATE OF {_OF} ON snabbrapport
WHEN {_counted("new")} BEGIN
    {_add("new")}
END;
INSERT INTO snabbrapport_tally ({_COLUMNS})
    SELECT date, coalesce(kommun, ''), count(*),
        {_SUMS}
    FROM snabbrapport r WHERE {_counted("r")} GROUP BY 1, 2
"""


def apply(conn: sqlite3.Connection) -> None:
    """Add the tally, fill it from the reports there are, and the triggers that keep it."""
    run_sql(conn, SQL)
