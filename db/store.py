"""The store: the one API through which every write to a Trygg database goes.

Each write validates its values, stamps one hybrid logical clock tick, changes the record
row and appends one journal entry per changed field, all in one transaction. Deletes are
tombstones (``deleted = 1`` plus a ``_deleted`` journal entry); nothing is ever removed.

A Store wraps one sqlite3 connection and must be used from the thread that opened it;
open one Store per worker thread.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from db import database, peers, undo, whereabouts
from db.errors import FieldProblem, TryggError, ValidationFailed
from db.files import register_database, release_database
from db.ids import is_id, new_id
from db.journal import chains, conflicts, vectors, versions
from db.journal.clock import HybridClock, Stamp, wall_ms
from db.journal.markers import (
    DELETED,
    ERASED,
    ack_field,
    apply_erasure,
    field_scope,
)
from db.kommuner import canonical_kommun, suggest_kommun
from db.peers import Device
from db.records import CORE, ORGANISATIONS, PERSONAL, Kind, RecordType, record_type
from db.textutil import swedish_sort_key
from db.validation import validate

#: Deleting a record tombstones these dependants too (type, field referring to the parent).
CASCADE: dict[str, tuple[tuple[str, str], ...]] = {
    "walk": (("finding", "walk_id"),),
    "plan": (("focus_area", "plan_id"), ("measure", "plan_id")),
    "measure": (("progress", "measure_id"), ("followup", "measure_id")),
}
_JSON_KINDS = {Kind.TEXTLIST, Kind.PARTICIPANTS}


@dataclass(frozen=True)
class Conflict:
    """A version of a field that lost to a write that had not seen it."""

    id: str
    rtype: str
    record_id: str
    field: str
    winner: Stamp
    winner_value: Any
    winner_deletes: bool
    winner_name: str | None
    loser: Stamp
    loser_value: Any
    loser_name: str | None


@dataclass(frozen=True)
class JournalEntry:
    """One changed field of one write, as the audit trail shows it."""

    stamp: Stamp
    rtype: str
    record_id: str
    field: str
    value: Any
    previous: Stamp | None
    scope: str
    device_name: str | None
    #: Proved its author's: linked into its origin's chain (written here, or received
    #: with a head its origin signed). False for an entry from an older file.
    verified: bool = False


def proved_writes(entries: list[JournalEntry]) -> dict[tuple[Stamp, str], bool]:
    """For each write (stamp and record) among ``entries``: True when every field it
    changed is proved its author's — the audit trail shows proof per write."""
    proved: dict[tuple[Stamp, str], bool] = {}
    for entry in entries:
        key = (entry.stamp, entry.record_id)
        proved[key] = proved.get(key, True) and entry.verified
    return proved


def encode_value(value: Any) -> str:
    """A field value as stored in the journal (JSON, exact round trip)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def decode_value(text: str | None) -> Any:
    return None if text is None else json.loads(text)


class Store:
    """A Trygg database file, opened for reading and writing."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        create: bool = True,
        now: Callable[[], datetime] | None = None,
        wall: Callable[[], int] = wall_ms,
    ) -> None:
        self.path = database.resolve_path(path)
        self.conn = database.connect(self.path, create=create)
        self._file = register_database(self.path)
        self.conn.row_factory = sqlite3.Row
        self._now = now or (lambda: datetime.now().replace(microsecond=0))
        self._wall = wall
        self._depth = 0
        self._cached_device_id: str | None = None
        #: Set by db/undo.py inside an undo: the step the transaction takes back.
        self.undo_marker: int | None = None
        #: This transaction journaled own entries, to be linked into their chains.
        self._unsealed = False

    # -- lifecycle -------------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()
        release_database(self._file)
        self._file = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        """Local wall-clock time as this store sees it (injectable for tests)."""
        return self._now()

    def change_mark(self) -> tuple[int, int]:
        """A value that differs once the database has changed since it was taken: written
        through this store (its connection's count of changes) or by any other connection
        or program (SQLite's data version). For a screen built ahead of being shown, which
        shows what it read then only if nothing changed meanwhile."""
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        return int(version), self.conn.total_changes

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; nested uses join the outermost one. Starting it waits
        for as long as another program holds the write lock."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        # Waits as long as another program writes (saying so once), never fails for it.
        database.begin_write(self.conn, self.path)
        self._depth = 1
        try:
            # Each transaction that writes records here is one step ctrl+z can take back.
            mark = undo.begin(self.conn)
            yield
            undo.end(self.conn, mark, self.undo_marker)
            if self._unsealed:
                chains.seal_own(self.conn, self._device_id())
            self.conn.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                raise database.operational_error(self.path, exc) from None
            raise
        finally:
            self._depth = 0
            self.undo_marker = None
            self._unsealed = False

    # -- device identity and settings ----------------------------------------------

    @property
    def device(self) -> Device | None:
        """This database's device, or None before it has been set up."""
        return peers.this_device(self.conn)

    def require_device(self) -> Device:
        device = self.device
        if device is None:
            raise TryggError("device.not_set_up", path=str(self.path))
        return device

    def set_up_device(self, name: str, org: str | None, kommun: str | None) -> Device:
        """Give a new database its identity: a random device id, a name, an organisation."""
        name = (name or "").strip()
        if not name:
            raise ValidationFailed("device", [FieldProblem("name", "value.required")])
        if org is not None and org not in ORGANISATIONS:
            raise ValidationFailed(
                "device",
                [FieldProblem("org", "value.not_choice", {"choices": ", ".join(ORGANISATIONS)})],
            )
        with self.transaction():
            if self.device is not None:
                raise TryggError("device.already_set_up", path=str(self.path))
            kommun = _device_kommun(kommun)
            peers.create_this_device(self.conn, name, org, kommun)
            whereabouts.record(self.conn, whereabouts.here(self.path))
        return self.require_device()

    def update_device(self, **changes: str | None) -> Device:
        """Change this device's name, organisation or default municipality."""
        self.require_device()
        allowed = {"name", "org", "kommun"}
        unknown = set(changes) - allowed
        if unknown:
            raise TryggError("field.unknown_named", field=", ".join(sorted(unknown)))
        if "org" in changes and changes["org"] not in (None, *ORGANISATIONS):
            raise ValidationFailed(
                "device",
                [FieldProblem("org", "value.not_choice", {"choices": ", ".join(ORGANISATIONS)})],
            )
        if "name" in changes and not (changes["name"] or "").strip():
            raise ValidationFailed("device", [FieldProblem("name", "value.required")])
        if "kommun" in changes:
            changes["kommun"] = _device_kommun(changes["kommun"])
        with self.transaction():
            peers.update_this_device(self.conn, dict(changes))
        return self.require_device()

    def kommuner(self) -> list[tuple[str, str]]:
        """Every municipality as (name, county), in Swedish alphabetical order."""
        rows = self.conn.execute("SELECT name, lan FROM kommun").fetchall()
        return sorted(((r[0], r[1]) for r in rows), key=lambda r: swedish_sort_key(r[0]))

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str | None) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- reading -----------------------------------------------------------------------

    def get(self, rtype: str, record_id: str, *, include_deleted: bool = False) -> dict | None:
        """The record ``record_id`` of type ``rtype`` as a dict of field values, or None."""
        rt = record_type(rtype)
        row = self.conn.execute(f"SELECT * FROM {rt.name} WHERE id = ?", (record_id,)).fetchone()
        if row is None or (row["deleted"] and not include_deleted):
            return None
        return self._decode_row(rt, row)

    def records(
        self,
        rtype: str,
        *,
        where: Mapping[str, Any] | None = None,
        order_by: tuple[str, ...] = ("id",),
        limit: int | None = None,
        offset: int = 0,
        include_deleted: bool = False,
    ) -> list[dict]:
        """Records of ``rtype`` whose fields equal ``where``, ordered by field names."""
        rt = record_type(rtype)
        clauses, params = self._where(rt, where, include_deleted)
        for name in order_by:
            if name != "id" and not rt.has(name):
                raise TryggError("field.unknown_named", field=name)
        sql = f"SELECT * FROM {rt.name}{clauses} ORDER BY {', '.join(order_by)}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [self._decode_row(rt, row) for row in self.conn.execute(sql, params)]

    def count(
        self, rtype: str, *, where: Mapping[str, Any] | None = None, include_deleted: bool = False
    ) -> int:
        rt = record_type(rtype)
        clauses, params = self._where(rt, where, include_deleted)
        return self.conn.execute(f"SELECT count(*) FROM {rt.name}{clauses}", params).fetchone()[0]

    def distinct(self, rtype: str, name: str) -> list[str]:
        """The different non-empty values of field ``name`` among records of ``rtype``
        that are not deleted, in Swedish order (for filters and autocomplete)."""
        rt = record_type(rtype)
        if not rt.has(name):
            raise TryggError("field.unknown_named", field=name)
        rows = self.conn.execute(f"SELECT DISTINCT {name} FROM {rt.name} WHERE deleted = 0")
        return sorted((r[0] for r in rows if r[0]), key=swedish_sort_key)

    def exists(self, rtype: str, record_id: str) -> bool:
        """True if the record exists, deleted or not."""
        rt = record_type(rtype)
        return (
            self.conn.execute(f"SELECT 1 FROM {rt.name} WHERE id = ?", (record_id,)).fetchone()
            is not None
        )

    def _where(
        self, rt: RecordType, where: Mapping[str, Any] | None, include_deleted: bool
    ) -> tuple[str, list[Any]]:
        parts: list[str] = [] if include_deleted else ["deleted = 0"]
        params: list[Any] = []
        for name, value in (where or {}).items():
            if name != "id" and not rt.has(name):
                raise TryggError("field.unknown_named", field=name)
            if value is None:
                parts.append(f"{name} IS NULL")
            else:
                parts.append(f"{name} = ?")
                params.append(self._encode_column(rt, name, value))
        return (" WHERE " + " AND ".join(parts)) if parts else "", params

    def _decode_row(self, rt: RecordType, row: sqlite3.Row) -> dict:
        record: dict[str, Any] = {"id": row["id"]}
        for f in rt.fields:
            value = row[f.name]
            if value is not None and f.kind is Kind.BOOL:
                value = bool(value)
            elif value is not None and f.kind in _JSON_KINDS:
                value = json.loads(value)
            record[f.name] = value
        return record

    @staticmethod
    def _encode_column(rt: RecordType, name: str, value: Any) -> Any:
        if name == "id" or value is None:
            return value
        kind = rt.field(name).kind
        if kind is Kind.BOOL:
            return int(bool(value))
        if kind in _JSON_KINDS:
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return value

    # -- writing -----------------------------------------------------------------------

    def create(
        self,
        rtype: str,
        fields: Mapping[str, Any],
        *,
        record_id: str | None = None,
        check_refs: bool = True,
    ) -> str:
        """Create a record; returns its id. Raises ValidationFailed on bad values."""
        rt = record_type(rtype)
        if record_id is None:
            record_id = new_id(self._wall())
        elif not is_id(record_id):
            raise TryggError("record.bad_id", id=str(record_id)[:60])
        with self.transaction():
            if self.exists(rt.name, record_id):
                raise TryggError("record.exists", id=record_id)
            cleaned = validate(rt.name, fields, None, self.now())
            if check_refs:
                self._check_refs(rt, cleaned)
            if rt.number_field and cleaned.get(rt.number_field) is None:
                cleaned[rt.number_field] = self._next_number(rt, cleaned)
            values = {name: value for name, value in cleaned.items() if value is not None}
            stamp = self._tick()
            columns = ["id", *values]
            self.conn.execute(
                f"INSERT INTO {rt.name} ({', '.join(columns)})"
                f" VALUES ({', '.join('?' for _ in columns)})",
                [record_id, *(self._encode_column(rt, n, v) for n, v in values.items())],
            )
            self._journal(rt, record_id, values, stamp, new_record=True)
        return record_id

    def update(
        self,
        rtype: str,
        record_id: str,
        fields: Mapping[str, Any],
        *,
        check_refs: bool = True,
        seen: Mapping[str, Any] | None = None,
    ) -> list[str]:
        """Change fields of a record; returns the names of the fields that changed.

        ``seen`` is the record as the writer showed it (a form's record when it opened):
        a field given back as it was seen is not the writer's change and stays as it
        stands now. Another program (an import, the command line) may have changed it
        meanwhile, and a form that wrote back all it had shown undid that unseen."""
        rt = record_type(rtype)
        with self.transaction():
            current = self.get(rt.name, record_id, include_deleted=True)
            if current is None:
                raise TryggError("record.missing", id=record_id)
            if self._is_deleted(rt, record_id):
                raise TryggError("record.deleted", id=record_id)
            cleaned = validate(rt.name, fields, current, self.now())
            if seen is not None:
                given = [n for n in fields if not _as_seen(rt, n, seen, cleaned.get(n))]
                if len(given) < len(fields):  # checked again as the record will stand
                    cleaned = validate(rt.name, {n: fields[n] for n in given}, current, self.now())
            changed = {name: value for name, value in cleaned.items() if current.get(name) != value}
            if not changed:
                return []
            back = [n for n in rt.personal_fields if changed.get(n) is not None]
            if back and self._is_erased(record_id):
                # Every device drops them on import (the erasure outranks them): here too.
                raise ValidationFailed(rt.name, [FieldProblem(n, "value.erased") for n in back])
            if check_refs:
                self._check_refs(rt, changed)
            stamp = self._tick()
            assignments = ", ".join(f"{name} = ?" for name in changed)
            self.conn.execute(
                f"UPDATE {rt.name} SET {assignments} WHERE id = ?",
                [*(self._encode_column(rt, n, v) for n, v in changed.items()), record_id],
            )
            self._journal(rt, record_id, changed, stamp)
        return list(changed)

    def delete(self, rtype: str, record_id: str) -> int:
        """Tombstone a record and its dependants; returns how many records were deleted."""
        rt = record_type(rtype)
        with self.transaction():
            if not self.exists(rt.name, record_id):
                raise TryggError("record.missing", id=record_id)
            if self._is_deleted(rt, record_id):
                return 0
            stamp = self._tick()
            return self._tombstone(rt.name, record_id, stamp)

    def _tombstone(self, rtype: str, record_id: str, stamp: Stamp) -> int:
        rt = record_type(rtype)
        self.conn.execute(f"UPDATE {rt.name} SET deleted = 1 WHERE id = ?", (record_id,))
        # The tombstone names everything the deleter had seen, so an edit made elsewhere
        # that it had not seen can be told apart and kept as a conflict.
        held = vectors.held(self.conn)
        seen = vectors.merged({"all": held[CORE]}, {"all": held[PERSONAL]})["all"]
        self._journal(rt, record_id, {DELETED: {"seen": seen}}, stamp)
        count = 1
        for child, ref_field in CASCADE.get(rtype, ()):
            children = self.conn.execute(
                f"SELECT id FROM {child} WHERE {ref_field} = ? AND deleted = 0", (record_id,)
            ).fetchall()
            for (child_id,) in children:
                count += self._tombstone(child, child_id, stamp)
        return count

    def _is_deleted(self, rt: RecordType, record_id: str) -> bool:
        row = self.conn.execute(
            f"SELECT deleted FROM {rt.name} WHERE id = ?", (record_id,)
        ).fetchone()
        return bool(row and row[0])

    def _check_refs(self, rt: RecordType, values: Mapping[str, Any]) -> None:
        problems = []
        for name, value in values.items():
            f = rt.field(name)
            if f.kind is not Kind.REF or value is None:
                continue
            assert f.ref is not None
            row = self.conn.execute(
                f"SELECT deleted FROM {f.ref} WHERE id = ?", (value,)
            ).fetchone()
            if row is None:
                problems.append(FieldProblem(name, "ref.missing", {"id": value}))
            elif row[0]:
                problems.append(FieldProblem(name, "ref.deleted", {"id": value}))
        if problems:
            raise ValidationFailed(rt.name, problems)

    def _next_number(self, rt: RecordType, values: Mapping[str, Any]) -> int:
        # Deleted records keep their numbers: a number, once on a sent list, is never reused.
        sql = f"SELECT COALESCE(MAX({rt.number_field}), 0) + 1 FROM {rt.name}"
        params: list[Any] = []
        if rt.number_within:
            sql += f" WHERE {rt.number_within} = ?"
            params.append(values.get(rt.number_within))
        return self.conn.execute(sql, params).fetchone()[0]

    def forget_device_cache(self) -> None:
        """Read the device id afresh (after this database took a new identity)."""
        self._cached_device_id = None

    def _device_id(self) -> str:
        # The device id never changes while a Store is open, so read it once.
        if self._cached_device_id is None:
            self._cached_device_id = self.require_device().id
        return self._cached_device_id

    def _tick(self) -> Stamp:
        """Issue the next stamp of this device's clock; call inside a transaction."""
        device_id = self._device_id()
        row = self.conn.execute("SELECT ms, counter FROM clock WHERE id = 1").fetchone()
        ms, counter = row if row else (0, 0)
        clock = HybridClock(device_id, ms, counter, wall=self._wall)
        stamp = clock.tick()
        self.conn.execute(
            "INSERT INTO clock (id, ms, counter) VALUES (1, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET ms = excluded.ms, counter = excluded.counter",
            (clock.ms, clock.counter),
        )
        return stamp

    def _journal(
        self,
        rt: RecordType,
        record_id: str,
        values: Mapping[str, Any],
        stamp: Stamp,
        *,
        new_record: bool = False,
    ) -> None:
        scopes = set()
        rows = []
        for name, value in values.items():
            scope = field_scope(rt, name)
            scopes.add(scope)
            # A record created here has no earlier versions to name.
            prev = None if new_record else self._current_version(record_id, name)
            rows.append(
                (
                    stamp.ts,
                    stamp.device,
                    rt.name,
                    record_id,
                    name,
                    encode_value(value),
                    prev[0] if prev else None,
                    prev[1] if prev else None,
                    scope,
                    chains.personal_salt(scope),
                )
            )
        self.conn.executemany(
            "INSERT INTO journal (ts, device, tbl, record_id, field, value,"
            " prev_ts, prev_device, scope, salt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        self._unsealed = True
        for scope in scopes:
            vectors.advance(self.conn, scope, stamp.device, stamp.ts)
        if not new_record and conflicts.has_conflicts(self.conn, record_id):
            conflicts.recompute(self.conn, rt.name, record_id)

    def _current_version(self, record_id: str, name: str) -> tuple[int, str] | None:
        """The stamp of the version of a field a write now replaces (None for none): the
        current one by the journal's rule, so the write outranks it whatever its stamp."""
        rows = self.conn.execute(
            "SELECT ts, device, prev_ts, prev_device FROM journal"
            " WHERE record_id = ? AND field = ?",
            (record_id, name),
        ).fetchall()
        if not rows:
            return None
        return versions.current(
            ((ts, device), (prev_ts, prev_device) if prev_ts is not None else None)
            for ts, device, prev_ts, prev_device in rows
        )

    def erase_personal(self, rtype: str, record_id: str) -> bool:
        """Erase the personal fields of one record now (gallring): null them, remove their
        history and conflict copies, and journal an erasure marker that outranks every
        version of them, here and on every device the marker reaches. Returns False if
        the record was already erased."""
        rt = record_type(rtype)
        personal = rt.personal_fields
        if not personal:
            return False
        with self.transaction():
            if not self.exists(rt.name, record_id):
                raise TryggError("record.missing", id=record_id)
            if self._is_erased(record_id):
                return False
            stamp = self._tick()
            today = self.now().date().isoformat()
            self._journal(rt, record_id, {ERASED: {"date": today}}, stamp)
            apply_erasure(self.conn, rt, record_id, today)
        return True

    def _is_erased(self, record_id: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM journal WHERE record_id = ? AND field = ? LIMIT 1",
            (record_id, ERASED),
        ).fetchone()
        return row is not None

    # -- conflicts -----------------------------------------------------------------

    def conflicts(self) -> list[Conflict]:
        """Unresolved conflicts, oldest record first."""
        rows = self.conn.execute(
            "SELECT c.id, c.tbl, c.record_id, c.field, c.winner_ts, c.winner_device,"
            " c.loser_ts, c.loser_device, w.value, l.value, wd.name, ld.name"
            " FROM conflicts c"
            " LEFT JOIN journal w ON w.record_id = c.record_id AND w.ts = c.winner_ts"
            "  AND w.device = c.winner_device AND (w.field = c.field OR w.field = ?)"
            " JOIN journal l ON l.record_id = c.record_id AND l.field = c.field"
            "  AND l.ts = c.loser_ts AND l.device = c.loser_device"
            " LEFT JOIN devices wd ON wd.id = c.winner_device"
            " LEFT JOIN devices ld ON ld.id = c.loser_device"
            " ORDER BY c.record_id, c.field, c.loser_ts",
            (DELETED,),
        ).fetchall()
        result = []
        for row in rows:
            winner_value = decode_value(row[8])
            deleted = isinstance(winner_value, dict) and "seen" in winner_value
            result.append(
                Conflict(
                    id=row[0],
                    rtype=row[1],
                    record_id=row[2],
                    field=row[3],
                    winner=Stamp.from_ts(row[4], row[5]),
                    winner_value=None if deleted else winner_value,
                    winner_deletes=deleted,
                    winner_name=row[10],
                    loser=Stamp.from_ts(row[6], row[7]),
                    loser_value=decode_value(row[9]),
                    loser_name=row[11],
                )
            )
        return result

    def resolve_conflict(self, conflict_id: str, keep: str) -> str | None:
        """Resolve a conflict (``conflict_id`` or an unambiguous prefix of it).

        ``keep="winner"`` keeps what is shown now; ``keep="other"`` writes the losing value
        back (for an edit that lost to a delete: restores the record as a new copy, since
        a deletion is never undone). Either way the losing version is acknowledged, so the
        conflict is gone on every device this write reaches. Returns the id of a restored
        copy, if one was made.
        """
        if keep not in ("winner", "other"):
            raise TryggError("conflict.bad_keep")
        with self.transaction():
            matches = [c for c in self.conflicts() if c.id.startswith(conflict_id.lower())]
            if len(matches) != 1:
                key = "conflict.missing" if not matches else "conflict.ambiguous"
                raise TryggError(key, id=conflict_id)
            chosen = matches[0]
            rt = record_type(chosen.rtype)
            ack = {ack_field(chosen.field): {"ts": chosen.loser.ts, "device": chosen.loser.device}}
            restored = None
            if keep == "other" and chosen.winner_deletes:
                current = self.get(rt.name, chosen.record_id, include_deleted=True) or {}
                copy = {k: v for k, v in current.items() if k != "id" and not rt.field(k).derived}
                copy[chosen.field] = chosen.loser_value
                restored = self.create(rt.name, copy, check_refs=False)
            elif keep == "other":
                self.update(
                    rt.name, chosen.record_id, {chosen.field: chosen.loser_value}, check_refs=False
                )
            stamp = self._tick()
            self._journal(rt, chosen.record_id, ack, stamp)
            conflicts.recompute(self.conn, rt.name, chosen.record_id)
        return restored

    # -- undo ------------------------------------------------------------------------

    def undo_last(self, lang: str | None = None) -> undo.Undone:
        """Take back this device's last change not taken back yet (see db/undo.py)."""
        return undo.undo_last(self, lang)

    # -- the audit trail ---------------------------------------------------------------

    def journal(
        self, record_id: str | None = None, *, limit: int | None = None
    ) -> list[JournalEntry]:
        """Journal entries, newest first; only those of ``record_id`` when given."""
        sql = (
            "SELECT j.ts, j.device, j.tbl, j.record_id, j.field, j.value, j.prev_ts,"
            " j.prev_device, j.scope, d.name, j.link IS NOT NULL FROM journal j"
            " LEFT JOIN devices d ON d.id = j.device"
        )
        params: list[Any] = []
        if record_id is not None:
            sql += " WHERE j.record_id = ?"
            params.append(record_id)
        sql += " ORDER BY j.ts DESC, j.device DESC, j.record_id, j.seq"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [
            JournalEntry(
                stamp=Stamp.from_ts(row[0], row[1]),
                rtype=row[2],
                record_id=row[3],
                field=row[4],
                value=decode_value(row[5]),
                previous=Stamp.from_ts(row[6], row[7]) if row[6] is not None else None,
                scope=row[8],
                device_name=row[9],
                verified=bool(row[10]),
            )
            for row in self.conn.execute(sql, params)
        ]

    def journal_size(self) -> int:
        """How many field changes the journal holds."""
        return self.conn.execute("SELECT count(*) FROM journal").fetchone()[0]


def _as_seen(rt: RecordType, name: str, seen: Mapping[str, Any], value: Any) -> bool:
    """Whether ``value`` given for field ``name`` is what the writer was shown (``seen``):
    a yes/no line shows no answer as "no", so False gives back an unanswered one."""
    if name not in seen or not rt.has(name):
        return False
    shown = seen[name]
    if rt.field(name).kind is Kind.BOOL and shown is None:
        shown = False
    return bool(shown == value)


def _device_kommun(kommun: str | None) -> str | None:
    """A device's municipality in its official spelling ("storuman" → "Storuman"), or
    None. Anything else is refused, with the municipalities it may have meant: it is
    what every new quick report starts with, and a report's municipality must be one
    (a device set up with "Storum" had every F5 refused)."""
    typed = (kommun or "").strip()
    if not typed:
        return None
    official = canonical_kommun(typed)
    if official is not None:
        return official
    like = suggest_kommun(typed, limit=3)
    if like:
        problem = FieldProblem(
            "kommun", "device.kommun_unknown_like", {"kommun": typed, "like": ", ".join(like)}
        )
    else:
        problem = FieldProblem("kommun", "device.kommun_unknown", {"kommun": typed})
    raise ValidationFailed("device", [problem])
