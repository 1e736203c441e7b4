"""Filing a quick report the way it is done on a cold night: defaults from the device and
the last report, one key per answer, seized alcohol as short codes, the personnummer read
as it is typed, and the next young person of the same group one keystroke away.

The screens show and collect; this module decides. Every write goes through the store.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from db.dates import parse_date, parse_time
from db.errors import FieldProblem, TryggError, ValidationFailed
from db.i18n import msg
from db.kommuner import canonical_kommun
from db.personnummer import PersonnummerError, contains_personnummer, parse_personnummer
from db.places import place_id_for
from db.records import record_type
from db.store import Store

RTYPE = "snabbrapport"
LAST_PLACE = "snabbrapport.last_place"
LAST_OFFICER = "snabbrapport.last_officer"

#: The paper form's choice groups, in its order, answered by one key per option.
CHOICE_FIELDS: tuple[str, ...] = (
    "custody",
    "guardian_contacted",
    "guardian_action",
    "pm_social",
    "obot",
    "alcohol_source",
)
#: "Uppgifter för uppföljning": tick any.
TICK_FIELDS: tuple[str, ...] = ("drunk", "carried_alcohol", "with_carrier")
#: Kept for the next young person of the same group: the place, and what the group
#: shared (where the alcohol came from, the prohibited zone, the agreement on notes to
#: social services). What is each person's own — the ticks too, which a key toggles and a
#: kept tick would be toggled off by mistake — is cleared. Each report keeps its own
#: moment: the time it was started, unless a time was typed (``next_in_group``).
SHARED_IN_GROUP: tuple[str, ...] = (
    "place",
    "kommun",
    "officer",
    "pm_social",
    "obot",
    "alcohol_source",
)
#: Kinds of seized alcohol with a code: a number and a letter ("6s") stand for an item.
SEIZED_KINDS: tuple[str, ...] = (
    "starkol",
    "folkol",
    "cider",
    "alkolask",
    "vin",
    "boxvin",
    "sprit",
    "hembrant",
)
_SEIZED_TOKEN = re.compile(r"^(\d{1,4})?\s*([^\W\d_])$")
#: What may be typed as the age when it is not known.
UNKNOWN_AGE = ("?", "okänd", "okand", "o", "unknown", "u")
#: Fields where a personnummer does not belong (the name has its own P-nr beside it).
NOT_FOR_PERSONNUMMER: tuple[str, ...] = ("name", "place", "officer", "custody_other",
                                         "guardian_action_other", "seized")  # fmt: skip


# -- keys --------------------------------------------------------------------------------


def choice_keys(name: str, lang: str | None = None) -> dict[str, str]:
    """Key → choice code for the choice field (or ``sex``) ``name``, in the interface
    language (the first letter of the paper's word where it is free)."""
    codes = record_type(RTYPE).field(name).choices
    keys = msg(f"keys.{name}", lang)
    return dict(zip(keys, codes, strict=True))


def tick_keys(lang: str | None = None) -> dict[str, str]:
    """Key → tick field for the "Uppgifter för uppföljning" row."""
    return dict(zip(msg("keys.ticks", lang), TICK_FIELDS, strict=True))


# -- seized alcohol ----------------------------------------------------------------------


def seized_codes(lang: str | None = None, *, short: bool = False) -> list[tuple[str, str]]:
    """(letter, the item it stands for) — with ``short``, the kind's name alone, for the
    hint under the field."""
    letters = msg("keys.seized", lang)
    prefix = "seized_short" if short else "seized"
    return [
        (letter, msg(f"{prefix}.{kind}", lang))
        for letter, kind in zip(letters, SEIZED_KINDS, strict=True)
    ]


def expand_seized(text: str, lang: str | None = None) -> list[str]:
    """The items typed: "6s, 2c" → ["6 burk starköl 50 cl", "2 burk cider 33 cl"].

    Items are separated by commas or semicolons; within one, several codes may follow
    each other with spaces ("6s 2c"). Anything that is not a code is kept as typed, so
    "en halv flaska vodka" is an item too.
    """
    items: list[str] = []
    for part in re.split(r"[,;\n]", text):
        part = " ".join(part.split())
        if not part:
            continue
        tokens = re.findall(r"\d+\s*[^\W\d_]|[^\W\d_]+|\d+", part)
        expanded = [_expand_token(token, lang) for token in tokens]
        if tokens and all(expanded) and "".join(tokens).replace(" ", "") == part.replace(" ", ""):
            items.extend(e for e in expanded if e)
        else:
            items.append(part)
    return items


def _expand_token(token: str, lang: str | None) -> str | None:
    match = _SEIZED_TOKEN.match(token.strip())
    if not match:
        return None
    kinds = dict(seized_codes(lang))
    item = kinds.get(match.group(2).lower())
    if item is None:
        return None
    return f"{int(match.group(1) or 1)} {item}"


# -- personnummer ------------------------------------------------------------------------


@dataclass(frozen=True)
class PnrReading:
    """What a personnummer typed so far says at the report's date."""

    empty: bool = False
    complete: bool = False
    age: int | None = None
    sex: str | None = None
    samordning: bool = False
    problem: TryggError | None = None


def read_personnummer(text: str, report_date: date) -> PnrReading:
    """Read ``text`` as it is being typed: empty, not yet complete, or checked — age and
    sex at ``report_date``, or why it is refused (check digit, impossible date, future)."""
    compact = re.sub(r"\s+", "", text or "")
    if not compact:
        return PnrReading(empty=True)
    digits = re.sub(r"\D", "", compact)
    if len(digits) < 10 or (len(digits) == 11 and compact[:2].isdigit()):
        if re.fullmatch(r"[\d+-]*", compact):
            return PnrReading()  # still typing
    try:
        number = parse_personnummer(compact, report_date)
    except PersonnummerError as error:
        return PnrReading(complete=True, problem=error)
    return PnrReading(
        complete=True,
        age=number.age_at(report_date),
        sex=number.sex,
        samordning=number.samordning,
    )


# -- defaults and saving -----------------------------------------------------------------


def new_report_defaults(store: Store) -> dict[str, Any]:
    """What a new report starts with: now, the device's municipality, the last place and
    officer used on this laptop."""
    now = store.now()
    device = store.device
    return {
        "date": now.date().isoformat(),
        "time": now.strftime("%H:%M"),
        # (A device set up before its municipality had to be one may name none: then
        # the report starts without, rather than with one every save refuses.)
        "kommun": canonical_kommun((device.kommun if device else None) or "") or "",
        "place": store.setting(LAST_PLACE) or "",
        "officer": store.setting(LAST_OFFICER) or "",
    }


def next_number(store: Store) -> int:
    """The Nr the next report will get (shown in advance, to write on the paper copy or
    say on the radio; the store assigns it on save). Deleted reports keep their numbers."""
    row = store.conn.execute("SELECT max(nr) FROM snabbrapport").fetchone()
    return int(row[0] or 0) + 1


def next_in_group(
    store: Store, report: Mapping[str, Any], *, typed_moment: bool = False
) -> dict[str, Any]:
    """The start of the report for the next young person of ``report``'s group: the
    group's shared answers, and now as its moment — or ``report``'s date and time when
    they were typed rather than taken from the clock (a report written afterwards)."""
    values = {name: report.get(name) for name in SHARED_IN_GROUP}
    values["group_id"] = report.get("group_id") or report.get("id")
    if typed_moment:
        values["date"], values["time"] = report.get("date"), report.get("time")
    else:
        now = store.now()
        values["date"], values["time"] = now.date().isoformat(), now.strftime("%H:%M")
    return values


@dataclass(frozen=True)
class GroupSummary:
    """What a group of reports came to, said after its last report."""

    ids: list[str]
    custody: dict[str, int]
    pm_due: list[str]


def group_summary(store: Store, group_id: str) -> GroupSummary:
    """The reports of a group: how many, taken into custody how, notes still to send."""
    reports = store.records(RTYPE, where={"group_id": group_id}, order_by=("nr",))
    custody: dict[str, int] = {}
    for report in reports:
        if report.get("custody") and report["custody"] != "nej":
            custody[report["custody"]] = custody.get(report["custody"], 0) + 1
    due = [r["id"] for r in reports if r.get("pm_social") == "ja" and not r.get("pm_sent_date")]
    return GroupSummary([r["id"] for r in reports], custody, due)


def parse_typed(typed: Mapping[str, Any], today: date, lang: str | None = None) -> dict[str, Any]:
    """Fields from what a form holds as text: dates in words ("igår"), times with a dot,
    seized codes expanded. Raises ValidationFailed naming each field it cannot read."""
    values = dict(typed)
    problems: list[FieldProblem] = []
    for name in ("date", "pm_sent_date"):
        text = str(values.get(name) or "").strip()
        if not text:
            values[name] = None
            continue
        try:
            values[name] = parse_date(text, today).isoformat()
        except TryggError as error:
            problems.append(FieldProblem(name, error.key, error.params))
    text = str(values.get("time") or "").strip()
    if text:
        try:
            values["time"] = parse_time(text).strftime("%H:%M")
        except TryggError as error:
            problems.append(FieldProblem("time", error.key, error.params))
    if isinstance(values.get("seized"), str):
        values["seized"] = expand_seized(values["seized"], lang) or None
    if isinstance(values.get("age"), str):
        age = values["age"].strip()
        if age.casefold() in UNKNOWN_AGE:
            values["age"], values["age_unknown"] = None, True
        else:
            values["age"], values["age_unknown"] = age or None, False
        problem = _age_beside_personnummer(age, values, today)
        if problem is not None:
            problems.append(problem)
    if problems:
        raise ValidationFailed(RTYPE, problems)
    return values


def _age_beside_personnummer(
    age: str, values: Mapping[str, Any], today: date
) -> FieldProblem | None:
    """An age typed that is not the one the personnummer gives. The form fills the age
    in from the number, and the save takes the number's: anything else typed there was
    meant for another field (the seized alcohol, typed one Enter early) and would be
    lost without a word."""
    when = _report_day(values.get("date"), today)
    derived = read_personnummer(str(values.get("personnummer") or ""), when).age
    if derived is None or not age or age == str(derived) or age.casefold() in UNKNOWN_AGE:
        return None
    return FieldProblem("age", "report.age_not_pnr", {"age": age, "pnr_age": derived})


def save_report(
    store: Store,
    values: Mapping[str, Any],
    *,
    report_id: str | None = None,
    seen: Mapping[str, Any] | None = None,
) -> tuple[str, int]:
    """Create (or, with ``report_id``, change) a quick report; returns (id, Nr). A change
    writes what differs from ``seen``, the report as the form showed it (``Store.update``).

    A place name not known yet becomes a place record; the place and officer are
    remembered as this laptop's defaults. A typed age and sex count only when there is no
    personnummer (the store derives them from one). Raises ValidationFailed.
    """
    fields = {k: v for k, v in values.items() if k not in ("id", "nr", "erased_date")}
    check_entry(fields, store.now().date())
    place = " ".join(str(fields.get("place") or "").split())
    if "place" in fields or report_id is None:
        fields["place"] = place or None
    if fields.get("personnummer"):
        fields.pop("age", None)
        fields.pop("sex", None)
        fields["age_unknown"] = None
    for name in ("custody_other", "guardian_action_other"):
        # The "annat" text belongs to the "annat" answer only.
        choice = name.removesuffix("_other")
        if fields.get(choice) != "annat" and choice in fields:
            fields[name] = None
    with store.transaction():
        current = store.get(RTYPE, report_id) if report_id else None
        if report_id and current is None:
            raise TryggError("record.missing", id=report_id)
        if "place" in fields:
            kommun = fields.get("kommun") or (current or {}).get("kommun")
            fields["place_id"] = place_id_for(store, place, kommun) if place else None
        if report_id is None:
            report_id = store.create(RTYPE, fields)
        else:
            store.update(RTYPE, report_id, fields, seen=seen)
        saved = store.get(RTYPE, report_id)
        assert saved is not None
        if place:
            store.set_setting(LAST_PLACE, place)
        if fields.get("officer"):
            store.set_setting(LAST_OFFICER, str(fields["officer"]))
    return report_id, int(saved["nr"])


def check_entry(fields: Mapping[str, Any], today: date) -> None:
    """What a report filed by hand must hold beyond valid values: a municipality that is
    one (chosen, never free text), no personnummer outside its own field, and — without a
    personnummer — the age and sex, each possibly said to be unknown. Raises
    ValidationFailed naming each field."""
    problems: list[FieldProblem] = []
    kommun = fields.get("kommun")
    if kommun and not canonical_kommun(str(kommun)):
        problems.append(FieldProblem("kommun", "report.kommun_unknown", {"kommun": kommun}))
    when = _report_day(fields.get("date"), today)
    for name in NOT_FOR_PERSONNUMMER:
        value = fields.get(name)
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and contains_personnummer(t, when) for t in texts):
            problems.append(FieldProblem(name, "pnr.in_field"))
    # (The phone apart: a ten-digit mobile number can pass for a personnummer.)
    if contains_personnummer(fields.get("phone"), when, phone=True):
        problems.append(FieldProblem("phone", "pnr.in_field"))
    # Erased (the personal fields are not sent), or nobody named at all (refused anyway).
    anonymous = not fields.get("name") and not fields.get("personnummer")
    if not fields.get("personnummer") and not anonymous:
        if fields.get("age") in (None, "") and not fields.get("age_unknown"):
            problems.append(FieldProblem("age", "report.age_needed"))
        if not fields.get("sex"):
            problems.append(FieldProblem("sex", "report.sex_needed"))
    if problems:
        raise ValidationFailed(RTYPE, problems)


def _report_day(value: Any, today: date) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return today


def delete_report(store: Store, report_id: str) -> None:
    """Remove a report filed by mistake: its personal data is erased at once (with the
    traces gallring clears), then the report is deleted. The numbers stay taken."""
    from db.protect import gallring

    gallring.erase_now(store, report_id)
    store.delete(RTYPE, report_id)
