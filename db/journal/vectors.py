"""Version vectors: per scope, the highest stamp (``ts``) held from each origin device.

They are kept in the ``vectors`` table as their own state, not recomputed from the journal
(erasure thins the journal; a gap must not be claimed).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from db.records import CORE, PERSONAL

SCOPES = (CORE, PERSONAL)
Vector = dict[str, int]
Vectors = dict[str, Vector]


def held(conn: sqlite3.Connection, scopes: tuple[str, ...] = SCOPES) -> Vectors:
    """This database's vectors for ``scopes``."""
    result: Vectors = {scope: {} for scope in scopes}
    for scope, device, ts in conn.execute("SELECT scope, device, ts FROM vectors"):
        if scope in result:
            result[scope][device] = ts
    return result


def advance(conn: sqlite3.Connection, scope: str, device: str, ts: int) -> None:
    """Claim everything from ``device`` in ``scope`` up to ``ts``."""
    conn.execute(
        "INSERT INTO vectors (scope, device, ts) VALUES (?, ?, ?)"
        " ON CONFLICT(scope, device) DO UPDATE SET ts = max(ts, excluded.ts)",
        (scope, device, ts),
    )


def merged(a: Vectors, b: Vectors) -> Vectors:
    """Element-wise maximum of two sets of vectors."""
    out: Vectors = {scope: dict(vector) for scope, vector in a.items()}
    for scope, vector in b.items():
        target = out.setdefault(scope, {})
        for device, ts in vector.items():
            target[device] = max(target.get(device, 0), ts)
    return out


def minimum(many: list[Vectors]) -> Vectors:
    """Element-wise minimum (a device missing from one vector counts as 0)."""
    if not many:
        return {}
    out: Vectors = {}
    for scope in {s for v in many for s in v}:
        devices = {d for v in many for d in v.get(scope, {})}
        out[scope] = {d: min(v.get(scope, {}).get(d, 0) for v in many) for d in devices}
        out[scope] = {d: ts for d, ts in out[scope].items() if ts}
    return out


def unaccounted(highest: Iterable[tuple[str, str, int]], claimed: Vectors) -> str | None:
    """The first origin device whose entries lie above what ``claimed`` accounts for, or
    None. ``highest`` gives (origin, scope, highest ts) of a set of entries. A device holds
    and relays exactly what its vectors claim, so a file whose entries lie above its own
    sender's vectors could never be passed on complete: it is refused."""
    for origin, scope, ts in highest:
        if ts > claimed.get(scope, {}).get(origin, 0):
            return origin
    return None


def dumps(vectors: Vectors) -> str:
    """Canonical JSON text of vectors."""
    return json.dumps(vectors, sort_keys=True, separators=(",", ":"))


def loads(text: str | None) -> Vectors:
    """Vectors from JSON text (empty for None); raises ValueError on anything else."""
    if not text:
        return {}
    data = json.loads(text)
    if not is_vectors(data):
        raise ValueError("not vectors")
    return data


def is_vectors(data: object) -> bool:
    """True for ``{scope: {device: positive int}}`` with known scopes."""
    if not isinstance(data, dict):
        return False
    for scope, vector in data.items():
        if scope not in SCOPES or not isinstance(vector, dict):
            return False
        for device, ts in vector.items():
            if not isinstance(device, str) or not device or len(device) > 64:
                return False
            if isinstance(ts, bool) or not isinstance(ts, int) or ts <= 0:
                return False
    return True
