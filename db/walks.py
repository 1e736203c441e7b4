"""Safety walks (trygghetsvandringar): entering findings, following them up, and the lists
that the walk and follow-up screens show.

Writes go through the store; this module adds the walk's own rules on top of it:
categories and problem owners chosen by a few letters, places and owners created as the
user names them (reference data grows as they go), the due date that follows from the
owner, and what counts as open and overdue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from db import search
from db.errors import FieldProblem, TryggError, ValidationFailed
from db.places import place_id_for
from db.records import CATEGORIES, choice_label
from db.store import Store
from db.textutil import fold, swedish_sort_key

#: Findings still waiting for their owner: not yet sent, or sent and not answered.
OPEN_STATUSES = ("ny", "skickad")
#: Months an owner has to fix a finding unless the owner's own ``default_due_days`` says
#: otherwise. The municipality and Trafikverket plan by half-year; others answer faster.
DUE_MONTHS_BY_KIND = {
    "kommun": 6,
    "trafikverket": 6,
    "fastighetsagare": 3,
    "foretag": 3,
    "forening": 3,
    "annan": 3,
}
DEFAULT_DUE_MONTHS = 3

#: Filters on the state of findings, used by the walk list and the finding lists.
STATUS_FILTERS = ("alla", "oppna", "forsenade", "atgardade", "avvisade", "positiva")

_OPEN_SQL = "coalesce(f.positive, 0) = 0 AND coalesce(f.status, 'ny') IN ('ny', 'skickad')"
_STATUS_SQL = {
    "alla": "1",
    "oppna": _OPEN_SQL,
    "forsenade": f"{_OPEN_SQL} AND f.due_date < :today",
    "atgardade": "f.status = 'atgardad'",
    "avvisade": "f.status IN ('avvisad', 'fel_agare')",
    "positiva": "f.positive = 1",
}


# -- entering findings -------------------------------------------------------------------


def category_keys(lang: str | None = None) -> list[tuple[str, str, str]]:
    """(key, code, label) for each category: keys 1–9 then 0, in the handbook's order."""
    keys = [str(n) for n in range(1, 10)] + ["0"]
    return [
        (key, code, choice_label("finding", "category", code, lang))
        for key, code in zip(keys, CATEGORIES, strict=False)
    ]


def resolve_category(text: str, lang: str | None = None) -> str | None:
    """The category meant by ``text``: its key (``1``…``0``), its code, or the first
    letters of its name in either language ("bel" → belysning). None for empty text;
    raises TryggError when nothing or more than one category matches."""
    wanted = fold(text.strip())
    if not wanted:
        return None
    candidates: list[str] = []
    for key, code, label in category_keys(lang):
        if wanted in (key, code):
            return code
        names = {fold(label), fold(choice_label("finding", "category", code, "en")), code}
        words = names | {part for name in names for part in re.split(r"[/\s]+", name)}
        if any(word.startswith(wanted) for word in words):
            candidates.append(code)
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise TryggError("finding.category_unknown", text=text.strip()[:40])
    labels = ", ".join(choice_label("finding", "category", c, lang) for c in candidates)
    raise TryggError("finding.category_ambiguous", text=text.strip()[:40], choices=labels)


def owner_matches(store: Store, text: str) -> list[dict]:
    """Problem owners whose name starts with ``text`` (then those with a word starting
    with it), ignoring case and accents, in Swedish alphabetical order."""
    wanted = fold(text.strip())
    owners = sorted(store.records("owner"), key=lambda o: swedish_sort_key(o["name"] or ""))
    if not wanted:
        return owners
    first = [o for o in owners if fold(o["name"] or "").startswith(wanted)]
    later = [
        o
        for o in owners
        if o not in first
        and any(w.startswith(wanted) for w in re.split(r"[\s\-/]+", fold(o["name"] or "")))
    ]
    return first + later


def resolve_owner(store: Store, text: str) -> tuple[str | None, str | None]:
    """(owner id, None) for the owner ``text`` names, or (None, new name) when no owner
    matches and one should be created. Exact names win; a prefix must be unambiguous."""
    name = " ".join(text.split())
    if not name:
        return None, None
    matches = owner_matches(store, name)
    exact = [o for o in matches if fold(o["name"] or "") == fold(name)]
    if exact:
        return exact[0]["id"], None
    starting = [o for o in matches if fold(o["name"] or "").startswith(fold(name))]
    if len(starting) == 1:
        return starting[0]["id"], None
    if len(starting) > 1:
        names = ", ".join(o["name"] for o in starting[:5])
        raise TryggError("finding.owner_ambiguous", text=name[:40], choices=names)
    return None, name


_KIND_HINTS = (
    ("kommun", r"kommun|forvaltning|tekniska|gatukontor|socialtjanst|skola"),
    ("trafikverket", r"trafikverket|vagverket"),
    ("fastighetsagare", r"bostad|fastighet|hyres|brf|bostadsratt|hem\b|hemmet"),
    ("forening", r"forening|\bif\b|\bik\b|klubb"),
    ("foretag", r"\bab\b|aktiebolag|handel|butik|ica|coop"),
)


def guess_owner_kind(name: str) -> str | None:
    """The kind of a new problem owner guessed from its name ("Lycksele kommun" → kommun),
    so that the due date follows the owner from the first list; None if unclear."""
    folded = fold(name)
    for kind, pattern in _KIND_HINTS:
        if re.search(pattern, folded):
            return kind
    return None


@dataclass
class FindingInput:
    """What a person types for a finding; names rather than ids for category and owner."""

    remark: str = ""
    place: str = ""
    category: str = ""
    owner: str = ""
    positive: bool = False
    lat: Any = None
    lon: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


def save_finding(
    store: Store,
    walk_id: str,
    entry: FindingInput,
    *,
    finding_id: str | None = None,
    lang: str | None = None,
    seen: dict[str, Any] | None = None,
) -> tuple[str, int]:
    """Create (or, with ``finding_id``, change) a finding from what was typed; returns
    (id, Nr). A new place or owner name becomes a new place or owner record, all in one
    transaction. A change writes what differs from ``seen``, the finding as the form
    showed it (``Store.update``). Raises ValidationFailed naming the fields that are
    wrong."""
    problems: list[FieldProblem] = []
    category: str | None = None
    try:
        category = resolve_category(entry.category, lang)
    except TryggError as error:
        problems.append(FieldProblem("category", error.key, error.params))
    owner_id: str | None = None
    new_owner: str | None = None
    try:
        owner_id, new_owner = resolve_owner(store, entry.owner)
    except TryggError as error:
        problems.append(FieldProblem("owner_id", error.key, error.params))
    if problems:
        raise ValidationFailed("finding", problems)
    with store.transaction():
        walk = store.get("walk", walk_id)
        if walk is None:
            raise TryggError("record.missing", id=walk_id)
        fields: dict[str, Any] = {
            "walk_id": walk_id,
            "remark": entry.remark,
            "category": category,
            "positive": bool(entry.positive),
            "lat": entry.lat,
            "lon": entry.lon,
            **entry.extra,
        }
        place = " ".join(entry.place.split())
        fields["place"] = place or None
        fields["place_id"] = place_id_for(store, place, walk["kommun"]) if place else None
        if new_owner:
            owner_id = store.create(
                "owner", {"name": new_owner, "kind": guess_owner_kind(new_owner)}
            )
        fields["owner_id"] = owner_id
        if finding_id is None:
            if not entry.positive:
                fields.setdefault("status", "ny")
            finding_id = store.create("finding", fields)
        else:
            if store.get("finding", finding_id) is None:
                raise TryggError("record.missing", id=finding_id)
            store.update("finding", finding_id, fields, seen=seen)
        saved = store.get("finding", finding_id)
    assert saved is not None
    return finding_id, saved["nr"]


# -- following findings up ---------------------------------------------------------------


def due_date_for(store: Store, owner_id: str | None, sent: date) -> date:
    """When an owner should have fixed a finding sent on ``sent``: the owner's own number
    of days if set, else by the kind of owner (six months for the municipality)."""
    owner = store.get("owner", owner_id) if owner_id else None
    if owner and owner.get("default_due_days") is not None:
        return sent + relativedelta(days=owner["default_due_days"])
    months = DUE_MONTHS_BY_KIND.get((owner or {}).get("kind") or "", DEFAULT_DUE_MONTHS)
    return sent + relativedelta(months=months)


def mark_sent(store: Store, finding_ids: Sequence[str], day: date) -> int:
    """Record that findings were sent to their owner on ``day`` and give each a due date
    unless it has one. Findings already answered are left alone. Returns how many."""
    changed = 0
    with store.transaction():
        for finding_id in finding_ids:
            finding = _require(store, finding_id)
            if finding.get("positive") or finding.get("status") not in (None, *OPEN_STATUSES):
                continue
            changes: dict[str, Any] = {"status": "skickad", "sent_date": day.isoformat()}
            if not finding.get("due_date"):
                changes["due_date"] = due_date_for(store, finding["owner_id"], day).isoformat()
            if store.update("finding", finding_id, changes):
                changed += 1
    return changed


def mark_fixed(store: Store, finding_id: str, day: date) -> bool:
    """Record that the owner fixed the finding (Åtgärdat) on ``day``; whether anything
    changed (not if it was already fixed that day)."""
    _require(store, finding_id)
    changes = {"status": "atgardad", "fixed_date": day.isoformat()}
    return bool(store.update("finding", finding_id, changes))


def mark_rejected(store: Store, finding_id: str, reason: str, *, not_owner: bool = False) -> bool:
    """Record that the owner rejected the finding, or that it is not theirs, and why;
    whether anything changed."""
    if not reason.strip():
        raise ValidationFailed("finding", [FieldProblem("reject_reason", "value.required")])
    _require(store, finding_id)
    status = "fel_agare" if not_owner else "avvisad"
    return bool(store.update("finding", finding_id, {"status": status, "reject_reason": reason}))


def reopen(store: Store, finding_id: str) -> bool:
    """Take back an answer: the finding is open again (sent, if it had been sent); whether
    anything changed (not for a finding already open)."""
    finding = _require(store, finding_id)
    status = "skickad" if finding.get("sent_date") else "ny"
    return bool(store.update("finding", finding_id, {"status": status, "fixed_date": None}))


def _require(store: Store, finding_id: str) -> dict:
    finding = store.get("finding", finding_id)
    if finding is None:
        raise TryggError("record.missing", id=finding_id)
    return finding


# -- participants ------------------------------------------------------------------------


def parse_participants(text: str) -> list[dict[str, Any]] | None:
    """Participant groups as typed: ``boende 12, polis 2; kommunen: 3, fastighetsägare``
    (a count before or after the group, or none). Raises TryggError for nonsense."""
    items = [part.strip() for part in re.split(r"[,;|\n]", text or "") if part.strip()]
    result = []
    for item in items:
        if not re.search(r"[^\W\d_]", item):  # a group needs a name, not only digits
            raise TryggError("walk.participants_bad", text=item[:40])
        match = re.fullmatch(r"(.*?)[\s:]*(\d+)|(\d+)\s+(.*)", item)
        if match and match.group(1):
            result.append({"group": match.group(1).strip(), "count": int(match.group(2))})
        elif match and match.group(3):
            result.append({"group": match.group(4).strip(), "count": int(match.group(3))})
        else:
            result.append({"group": item, "count": None})
    return result or None


def format_participants(participants: list[dict[str, Any]] | None) -> str:
    """Participants as a person would type them: ``boende 12, polis 2``."""
    parts = []
    for item in participants or []:
        count = item.get("count")
        parts.append(f"{item['group']} {count}" if count is not None else str(item["group"]))
    return ", ".join(parts)


def participant_total(participants: list[dict[str, Any]] | None) -> int:
    """How many took part, counting the groups with a number."""
    return sum(item.get("count") or 0 for item in participants or [])


# -- lists -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WalkFilter:
    """What the walk list shows: a municipality, a period, walks with findings in a state
    (one of STATUS_FILTERS), and words to search for in walks and their findings."""

    kommun: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    status: str = "alla"
    text: str = ""


@dataclass(frozen=True)
class WalkRow:
    id: str
    date: str | None
    start_time: str | None
    kommun: str | None
    area: str | None
    findings: int
    open: int
    overdue: int


def _walk_query(store: Store, flt: WalkFilter, today: date) -> tuple[str, dict[str, Any]]:
    if flt.status not in STATUS_FILTERS:
        raise TryggError("filter.bad_status", status=flt.status)
    params: dict[str, Any] = {"today": today.isoformat()}
    where = ["w.deleted = 0"]
    if flt.kommun:
        where.append("w.kommun = :kommun")
        params["kommun"] = flt.kommun
    if flt.date_from:
        where.append("w.date >= :date_from")
        params["date_from"] = flt.date_from
    if flt.date_to:
        where.append("w.date <= :date_to")
        params["date_to"] = flt.date_to
    if flt.status != "alla":
        where.append(
            "EXISTS (SELECT 1 FROM finding f WHERE f.walk_id = w.id AND f.deleted = 0"
            f" AND {_STATUS_SQL[flt.status]})"
        )
    query = _search_query(store, flt.text)
    if query:
        params["match"] = query
        where.append(
            "(w.rowid IN (SELECT rowid FROM walk_fts WHERE walk_fts MATCH :match)"
            " OR w.id IN (SELECT f.walk_id FROM finding f WHERE f.deleted = 0 AND f.rowid IN"
            " (SELECT rowid FROM finding_fts WHERE finding_fts MATCH :match)))"
        )
    return " AND ".join(where), params


def count_walks(store: Store, flt: WalkFilter, today: date) -> int:
    """How many walks the filter shows."""
    where, params = _walk_query(store, flt, today)
    return store.conn.execute(f"SELECT count(*) FROM walk w WHERE {where}", params).fetchone()[0]


def list_walks(
    store: Store, flt: WalkFilter, today: date, *, offset: int = 0, limit: int = 100
) -> list[WalkRow]:
    """One page of walks, newest first, with the count of findings, open and overdue."""
    where, params = _walk_query(store, flt, today)
    params.update(limit=limit, offset=offset)
    sql = f"""
        SELECT w.id, w.date, w.start_time, w.kommun, w.area,
            (SELECT count(*) FROM finding f WHERE f.walk_id = w.id AND f.deleted = 0),
            (SELECT count(*) FROM finding f WHERE f.walk_id = w.id AND f.deleted = 0
                AND {_STATUS_SQL["oppna"]}),
            (SELECT count(*) FROM finding f WHERE f.walk_id = w.id AND f.deleted = 0
                AND {_STATUS_SQL["forsenade"]})
        FROM walk w WHERE {where}
        ORDER BY w.date DESC, w.start_time DESC, w.id DESC
        LIMIT :limit OFFSET :offset"""
    return [WalkRow(*row) for row in store.conn.execute(sql, params)]


@dataclass(frozen=True)
class FindingFilter:
    """Which findings a list shows: of one walk or one owner, in a state, matching words."""

    walk_id: str | None = None
    owner_id: str | None = None
    status: str = "alla"
    text: str = ""


@dataclass(frozen=True)
class FindingRow:
    id: str
    walk_id: str
    walk_area: str | None
    walk_date: str | None
    nr: int | None
    place: str | None
    remark: str | None
    category: str | None
    positive: bool
    owner_id: str | None
    owner_name: str | None
    status: str | None
    sent_date: str | None
    due_date: str | None
    fixed_date: str | None
    overdue: bool


def _finding_query(store: Store, flt: FindingFilter, today: date) -> tuple[str, dict[str, Any]]:
    if flt.status not in STATUS_FILTERS:
        raise TryggError("filter.bad_status", status=flt.status)
    params: dict[str, Any] = {"today": today.isoformat()}
    where = ["f.deleted = 0", "w.deleted = 0", _STATUS_SQL[flt.status]]
    if flt.walk_id:
        where.append("f.walk_id = :walk_id")
        params["walk_id"] = flt.walk_id
    if flt.owner_id:
        where.append("f.owner_id = :owner_id")
        params["owner_id"] = flt.owner_id
    return " AND ".join(where), params


def _finding_match(store: Store, flt: FindingFilter, params: dict[str, Any], *, page: bool) -> str:
    """The condition that a finding matches the words searched ("1" when none), its
    query put in ``params``.

    For a page (``page``) the findings are read in the list's order and each is looked
    up among the matches, which stops at the page: reading the matches first (the plan
    SQLite prefers) looked up and ordered every match, 100,000 findings for a word in
    all of them. A count reads every match anyway, fastest from the index's side."""
    query = _search_query(store, flt.text)
    if not query:
        return "1"
    params["match"] = query
    # The unary + keeps SQLite from driving the query by the matches' rowids.
    rowid = "+f.rowid" if page else "f.rowid"
    return f"{rowid} IN (SELECT rowid FROM finding_fts WHERE finding_fts MATCH :match)"


def _finding_join(walks_first: bool) -> str:
    """Findings with their walk; with ``walks_first``, read walk by walk (newest first
    for a list, which then stops at its page), whatever SQLite guesses: in a database
    never analysed (every user's) it read and sorted every finding for a page."""
    if walks_first:
        return "walk w CROSS JOIN finding f ON w.id = f.walk_id"
    return "finding f JOIN walk w ON w.id = f.walk_id"


def count_findings(store: Store, flt: FindingFilter, today: date) -> int:
    """How many findings the filter shows."""
    where, params = _finding_query(store, flt, today)
    match = _finding_match(store, flt, params, page=False)
    # Without the owner (a left join on its key changes no count). Across walks, each
    # walk's findings are counted from the index that holds every column the filters
    # read; one owner's, or the matches of a search, from their own index.
    walks_first = flt.owner_id is None and match == "1"
    sql = f"SELECT count(*) FROM {_finding_join(walks_first)} WHERE {where} AND {match}"
    return store.conn.execute(sql, params).fetchone()[0]


def list_findings(
    store: Store, flt: FindingFilter, today: date, *, offset: int = 0, limit: int = 100
) -> list[FindingRow]:
    """One page of findings: a walk's by Nr; across walks, newest walk first."""
    where, params = _finding_query(store, flt, today)
    match = _finding_match(store, flt, params, page=True)
    params.update(limit=limit, offset=offset)
    # The finding's id last: rows that tie come in the same order on every page.
    order = "f.nr, f.id" if flt.walk_id else "w.date DESC, w.id, f.nr, f.id"
    sql = f"""
        SELECT f.id, f.walk_id, w.area, w.date, f.nr, f.place, f.remark, f.category,
            coalesce(f.positive, 0), f.owner_id, o.name, f.status, f.sent_date, f.due_date,
            f.fixed_date, ({_STATUS_SQL["forsenade"]})
        FROM {_finding_join(flt.owner_id is None)} LEFT JOIN owner o ON o.id = f.owner_id
        WHERE {where} AND {match}
        ORDER BY {order} LIMIT :limit OFFSET :offset"""
    rows = store.conn.execute(sql, params).fetchall()
    return [
        FindingRow(*row[:8], bool(row[8]), *row[9:15], bool(row[15]))  # type: ignore[call-arg]
        for row in rows
    ]


@dataclass(frozen=True)
class OwnerRow:
    id: str
    name: str | None
    kind: str | None
    total: int
    open: int
    unsent: int
    overdue: int


def list_owners(store: Store, today: date) -> list[OwnerRow]:
    """Every problem owner with counts of findings: all, open, not yet sent, overdue."""
    params = {"today": today.isoformat()}
    sql = f"""
        SELECT o.id, o.name, o.kind,
            count(f.id),
            coalesce(sum(CASE WHEN f.id IS NOT NULL AND {_STATUS_SQL["oppna"]} THEN 1 END), 0),
            coalesce(sum(CASE WHEN f.id IS NOT NULL AND {_OPEN_SQL}
                AND coalesce(f.status, 'ny') = 'ny' THEN 1 END), 0),
            coalesce(sum(CASE WHEN f.id IS NOT NULL AND {_STATUS_SQL["forsenade"]}
                THEN 1 END), 0)
        FROM owner o
        LEFT JOIN finding f ON f.owner_id = o.id AND f.deleted = 0
            AND f.walk_id IN (SELECT id FROM walk WHERE deleted = 0)
        WHERE o.deleted = 0
        GROUP BY o.id"""
    rows = [OwnerRow(*row) for row in store.conn.execute(sql, params)]
    return sorted(rows, key=lambda r: swedish_sort_key(r.name or ""))


def walk_kommuner(store: Store) -> list[str]:
    """The municipalities that have walks, for the list's filter."""
    return store.distinct("walk", "kommun")


def _search_query(store: Store, text: str) -> str | None:
    query = search.match(text)
    if query and search.pending(store.conn):
        # Only then a write: each keystroke of a search would otherwise take the write
        # lock (and wait for another program's) to find nothing to index.
        with store.transaction():
            search.refresh(store.conn)
    return query
