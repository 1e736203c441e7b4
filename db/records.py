"""The record types Trygg keeps, and every field of each.

This registry is the one description of the data that validation, the store, the records
interchange format and the tests read. The SQL schema lives in ``db/migrations``; a test
checks that the two agree. Field names are English snake_case (they are the interchange
format's names); choice codes are lower-case ASCII; labels come from the catalogues.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from db.errors import TryggError
from db.i18n import msg

#: Scope of a field for sync: ``personal`` fields (name, personnummer, phone, free text
#: about a person) travel only in exports that deliberately include them.
CORE = "core"
PERSONAL = "personal"

#: The two organisations a device belongs to. They also name the two export profiles: a
#: file for the police carries both scopes, a file for the municipality the core only.
POLIS = "polis"
KOMMUN = "kommun"
ORGANISATIONS = (POLIS, KOMMUN)
PROFILES = ORGANISATIONS
PROFILE_SCOPES: dict[str, tuple[str, ...]] = {POLIS: (CORE, PERSONAL), KOMMUN: (CORE,)}


class Kind(StrEnum):
    TEXT = "text"  # one line
    LONGTEXT = "longtext"  # free text, several lines
    INT = "int"
    REAL = "real"
    BOOL = "bool"
    DATE = "date"  # YYYY-MM-DD
    TIME = "time"  # HH:MM
    CHOICE = "choice"
    REF = "ref"  # id of another record
    TEXTLIST = "textlist"  # list of short strings
    PARTICIPANTS = "participants"  # list of {"group": str, "count": int}
    RRULE = "rrule"  # RFC 5545 recurrence rule
    PERIOD = "period"  # follow-up period: 2026, 2026-H1, 2026-Q3 or 2026-05


@dataclass(frozen=True)
class Field:
    """One field of a record type."""

    name: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str | None = None
    scope: str = CORE
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 200
    #: Set by the store from other fields; accepted from input only where noted.
    derived: bool = False
    #: Refused when it lies in the future (dates; for a date with a time, the pair).
    not_future: bool = False

    @property
    def personal(self) -> bool:
        return self.scope == PERSONAL


@dataclass(frozen=True)
class RecordType:
    """A kind of record: its interchange name (also its table name) and its fields."""

    name: str
    fields: tuple[Field, ...]
    #: Human number assigned by the store (max + 1 within ``number_within``, or overall).
    number_field: str | None = None
    number_within: str | None = None
    _by_name: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name.update({f.name: f for f in self.fields})

    def field(self, name: str) -> Field:
        return self._by_name[name]

    def has(self, name: str) -> bool:
        return name in self._by_name

    def find(self, name: str) -> Field | None:
        """The field called ``name``, or None if this type has none."""
        return self._by_name.get(name)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def personal_fields(self) -> list[str]:
        return [f.name for f in self.fields if f.personal]


def _text(name: str, **kw: object) -> Field:
    return Field(name, Kind.TEXT, **kw)  # type: ignore[arg-type]


def _long(name: str, **kw: object) -> Field:
    return Field(name, Kind.LONGTEXT, max_length=4000, **kw)  # type: ignore[arg-type]


def _choice(name: str, choices: tuple[str, ...], **kw: object) -> Field:
    return Field(name, Kind.CHOICE, choices=choices, **kw)  # type: ignore[arg-type]


LIGHT = ("dagsljus", "skymning", "morker")
CATEGORIES = (
    "belysning",
    "vegetation",
    "klotter",
    "skadegorelse",
    "nedskrapning",
    "overgivna_fordon",
    "trafik",
    "skalskydd",
    "brandrisk",
    "ovrigt",
)
FINDING_STATUS = ("ny", "skickad", "atgardad", "avvisad", "fel_agare")
OWNER_KINDS = ("kommun", "fastighetsagare", "trafikverket", "foretag", "forening", "annan")
CUSTODY = ("nej", "lob", "pl12", "pl13", "annat")
GUARDIAN_CONTACTED = ("nej", "ja", "i_efterhand")
GUARDIAN_ACTION = ("hamtade", "ordnade_skjuts", "vagrade", "annat")
YES_NO = ("ja", "nej")
OBOT = ("ja", "nej", "rapporteftergift")
ALCOHOL_SOURCE = (
    "foralder",
    "syskon",
    "kompis",
    "okand_vuxen",
    "hemifran",
    "butik_krog",
    "ej_angivet",
)
SEX = ("kvinna", "man", "okand")
GOAL_KINDS = ("effekt", "produktion", "process")
MEASURE_STATUS = ("planerad", "pagaende", "genomford", "installd")
FOLLOWUP_INTERVALS = ("kvartal", "halvar", "ar")
RATINGS = ("gron", "gul", "rod")

_COORDS = (
    Field("lat", Kind.REAL, minimum=-90, maximum=90),
    Field("lon", Kind.REAL, minimum=-180, maximum=180),
)

TYPES: dict[str, RecordType] = {
    t.name: t
    for t in (
        RecordType(
            "place",
            (
                _text("name", required=True),
                _text("kommun"),
                *_COORDS,
                _long("note"),
            ),
        ),
        RecordType(
            "owner",
            (
                _text("name", required=True),
                _choice("kind", OWNER_KINDS),
                _text("contact"),
                _text("email"),
                _text("phone"),
                Field("default_due_days", Kind.INT, minimum=0, maximum=3650),
            ),
        ),
        RecordType(
            "walk",
            (
                _text("kommun", required=True),
                _text("area", required=True),
                Field("date", Kind.DATE, required=True),
                Field("start_time", Kind.TIME),
                Field("end_time", Kind.TIME),
                _choice("light", LIGHT),
                _text("weather"),
                Field("participants", Kind.PARTICIPANTS),
                _text("organiser"),
                _long("notes"),
            ),
        ),
        RecordType(
            "finding",
            (
                Field("walk_id", Kind.REF, required=True, ref="walk"),
                Field("nr", Kind.INT, minimum=1, maximum=100_000, derived=True),
                _text("place"),
                Field("place_id", Kind.REF, ref="place"),
                *_COORDS,
                _long("remark", required=True),
                _choice("category", CATEGORIES),
                Field("positive", Kind.BOOL),
                Field("owner_id", Kind.REF, ref="owner"),
                _choice("status", FINDING_STATUS),
                Field("sent_date", Kind.DATE),
                Field("due_date", Kind.DATE),
                Field("fixed_date", Kind.DATE),
                _long("reject_reason"),
                _long("notes"),
                Field("measure_id", Kind.REF, ref="measure"),
            ),
            number_field="nr",
            number_within="walk_id",
        ),
        RecordType(
            "snabbrapport",
            (
                Field("nr", Kind.INT, minimum=1, maximum=10_000_000, derived=True),
                Field("date", Kind.DATE, required=True, not_future=True),
                Field("time", Kind.TIME, required=True),
                _text("place", required=True),
                Field("place_id", Kind.REF, ref="place"),
                _text("kommun", required=True),
                _text("name", scope=PERSONAL),
                _text("personnummer", scope=PERSONAL, max_length=20),
                _text("phone", scope=PERSONAL, max_length=40),
                # Statistics that must survive erasure of the personal fields: set by the
                # store from the personnummer, or typed when there is none.
                Field("age", Kind.INT, minimum=0, maximum=130),
                # No personnummer and the age not known either: said, not left blank.
                Field("age_unknown", Kind.BOOL),
                _choice("sex", SEX),
                Field("seized", Kind.TEXTLIST),
                _long("seized_note", scope=PERSONAL),
                _long("ovrigt", scope=PERSONAL),
                Field("drunk", Kind.BOOL),
                Field("carried_alcohol", Kind.BOOL),
                Field("with_carrier", Kind.BOOL),
                _choice("custody", CUSTODY),
                _text("custody_other", scope=PERSONAL),
                _choice("guardian_contacted", GUARDIAN_CONTACTED),
                _choice("guardian_action", GUARDIAN_ACTION),
                _text("guardian_action_other", scope=PERSONAL),
                _choice("pm_social", YES_NO),
                Field("pm_sent_date", Kind.DATE),
                _choice("obot", OBOT),
                _choice("alcohol_source", ALCOHOL_SOURCE),
                _text("officer"),
                _text("group_id", max_length=40),
                Field("erased_date", Kind.DATE, derived=True),
            ),
            number_field="nr",
        ),
        RecordType(
            "plan",
            (
                _text("title", required=True, max_length=400),
                Field("kommuner", Kind.TEXTLIST),
                Field("start_date", Kind.DATE),
                Field("end_date", Kind.DATE),
                _text("agreement_ref"),
                _choice("followup_interval", FOLLOWUP_INTERVALS),
                _long("notes"),
            ),
        ),
        RecordType(
            "focus_area",
            (
                Field("plan_id", Kind.REF, required=True, ref="plan"),
                _text("name", required=True),
                Field("position", Kind.INT, minimum=0, maximum=10_000),
            ),
        ),
        RecordType(
            "measure",
            (
                Field("plan_id", Kind.REF, required=True, ref="plan"),
                Field("focus_area_id", Kind.REF, ref="focus_area"),
                Field("cause_nr", Kind.INT, minimum=1, maximum=1000),
                _long("cause"),
                _long("activity", required=True),
                _long("goal"),
                _choice("goal_kind", GOAL_KINDS),
                Field("due_date", Kind.DATE),
                Field("start_date", Kind.DATE),
                Field("end_date", Kind.DATE),
                Field("one_off", Kind.BOOL),
                _text("responsible"),
                _long("partners"),
                Field("citizen_promise", Kind.BOOL),
                Field("rrule", Kind.RRULE, max_length=400),
                Field("target_count", Kind.INT, minimum=0, maximum=100_000),
                _choice("status", MEASURE_STATUS),
                Field("finding_id", Kind.REF, ref="finding"),
                Field("place_id", Kind.REF, ref="place"),
            ),
        ),
        RecordType(
            "progress",
            (
                Field("measure_id", Kind.REF, required=True, ref="measure"),
                Field("date", Kind.DATE, required=True, not_future=True),
                Field("count", Kind.INT, minimum=0, maximum=100_000),
                Field("people_reached", Kind.INT, minimum=0, maximum=10_000_000),
                Field("hours", Kind.REAL, minimum=0, maximum=100_000),
                _long("note"),
                _text("by"),
            ),
        ),
        RecordType(
            "followup",
            (
                Field("measure_id", Kind.REF, required=True, ref="measure"),
                Field("period", Kind.PERIOD, required=True, max_length=10),
                _choice("rating", RATINGS),
                Field("production_count", Kind.INT, minimum=0, maximum=10_000_000),
                _long("production"),
                _long("process"),
                _long("effect"),
            ),
        ),
    )
}

#: Interchange output order and the order of ``--type`` choices.
TYPE_NAMES: tuple[str, ...] = tuple(sorted(TYPES))
#: The order in which people meet the types: walks, reports, plans, then reference data.
DISPLAY_ORDER: tuple[str, ...] = (
    "walk",
    "finding",
    "snabbrapport",
    "plan",
    "focus_area",
    "measure",
    "progress",
    "followup",
    "place",
    "owner",
)


def record_type(name: str) -> RecordType:
    """The record type called ``name``; raises TryggError for an unknown name."""
    try:
        return TYPES[name]
    except KeyError:
        raise TryggError("type.unknown", type=name, types=", ".join(TYPE_NAMES)) from None


def type_label(rtype: str, lang: str | None = None) -> str:
    """The users' word for a record type."""
    return msg(f"type.{rtype}", lang)


def field_label(rtype: str, name: str, lang: str | None = None) -> str:
    """The users' word for a field (the paper form's word where there is one)."""
    key = f"field.{rtype}.{name}"
    text = msg(key, lang)
    if text == key:
        text = msg(f"field.{name}", lang)
    return name if text == f"field.{name}" else text


def choice_label(rtype: str, name: str, code: str, lang: str | None = None) -> str:
    """The users' word for choice ``code`` of field ``name``."""
    text = msg(f"choice.{name}.{code}", lang)
    return code if text == f"choice.{name}.{code}" else text
