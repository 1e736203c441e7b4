"""Which version of a field is the current one.

The versions of one field form a tree through ``prev``, the version each write replaced.
A version that a write replaced is never current, whatever the stamps say: a write
outranks the version it replaced, even one stamped by a device whose clock runs years
ahead, without this device's clock being moved for it. Among the versions no write
replaced (the leaves: writes that had not seen each other), the newest stamp is current;
the other leaves are the conflicts (db/journal/conflicts.py).

With clocks that agree this is plain "newest stamp wins": a write made after seeing a
version is stamped after it. The two differ only where a replaced version carries a
later stamp than its replacement — a clock running ahead, which is exactly the case the
rule is for. Should a forged file make the versions a circle, with no leaf, the newest
stamp of all is current, so every device still decides alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

#: A version's stamp as the journal stores it: (ts, device).
VersionStamp = tuple[int, str]


def current(versions: Iterable[tuple[VersionStamp, VersionStamp | None]]) -> VersionStamp:
    """The current version among ``versions`` of one field, given as (stamp, replaced
    stamp or None). There must be at least one."""
    stamps: list[VersionStamp] = []
    replaced: set[VersionStamp] = set()
    for stamp, prev in versions:
        stamps.append(stamp)
        if prev is not None and prev != stamp:
            replaced.add(prev)
    leaves = [stamp for stamp in stamps if stamp not in replaced]
    return max(leaves or stamps)


def current_versions(rows: Iterable[Sequence]) -> dict[str, tuple[int, str, str | None]]:
    """Per journal field, the (ts, device, value) of its current version. ``rows`` are
    journal rows in ``conflicts.JOURNAL_COLUMNS`` order: field, ts, device, prev_ts,
    prev_device, value."""
    by_field: dict[str, dict[VersionStamp, tuple[VersionStamp | None, str | None]]] = {}
    for name, ts, device, prev_ts, prev_device, value in rows:
        prev = (prev_ts, prev_device) if prev_ts is not None else None
        by_field.setdefault(name, {})[(ts, device)] = (prev, value)
    result: dict[str, tuple[int, str, str | None]] = {}
    for name, versions in by_field.items():
        ts, device = current((stamp, prev) for stamp, (prev, _value) in versions.items())
        result[name] = (ts, device, versions[(ts, device)][1])
    return result
