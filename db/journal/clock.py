"""Hybrid logical clock (Kulkarni et al., 2014).

A stamp is (physical milliseconds, counter, device id), compared in that order: a total
order across devices that stays close to wall time, and never goes backwards on one device
even if its wall clock does. In the database a stamp is two columns: ``ts`` (milliseconds
shifted left 16 bits plus the counter) and ``device``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

COUNTER_BITS = 16
COUNTER_MAX = (1 << COUNTER_BITS) - 1
#: Remote stamps further ahead than this are flagged and do not move our clock.
MAX_FUTURE_MS = 24 * 60 * 60 * 1000


def wall_ms() -> int:
    """Milliseconds since the Unix epoch from the system clock."""
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, order=True)
class Stamp:
    """One point of the hybrid logical clock."""

    ms: int
    counter: int
    device: str

    @property
    def ts(self) -> int:
        """The integer stored in the ``ts`` column."""
        return (self.ms << COUNTER_BITS) | self.counter

    @classmethod
    def from_ts(cls, ts: int, device: str) -> Stamp:
        return cls(ts >> COUNTER_BITS, ts & COUNTER_MAX, device)

    def as_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.ms / 1000, tz=UTC)

    def __str__(self) -> str:
        when = self.as_datetime().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        return f"{when}+{self.counter}@{self.device[:8]}"


class HybridClock:
    """The clock of one device. ``tick`` stamps a local write; ``observe`` takes in a remote
    stamp so later local writes order after it."""

    def __init__(
        self, device: str, ms: int = 0, counter: int = 0, wall: Callable[[], int] = wall_ms
    ) -> None:
        self.device = device
        self.ms = ms
        self.counter = counter
        self._wall = wall

    def tick(self) -> Stamp:
        """A new stamp, strictly greater than every stamp this clock has issued or seen."""
        now = self._wall()
        if now > self.ms:
            self.ms, self.counter = now, 0
        elif self.counter < COUNTER_MAX:
            self.counter += 1
        else:  # 65 536 writes in one millisecond: borrow the next millisecond
            self.ms, self.counter = self.ms + 1, 0
        return Stamp(self.ms, self.counter, self.device)


@dataclass(frozen=True)
class ClockAhead:
    """A device whose journal entries lie more than ``MAX_FUTURE_MS`` ahead of now."""

    device: str
    #: The furthest of its stamps, and how many of its entries lie that far ahead.
    newest: Stamp
    count: int


def clocks_ahead(conn: sqlite3.Connection, now_ms: int) -> list[ClockAhead]:
    """Every device with journal entries stamped more than a day after ``now_ms``: its
    clock runs ahead. A few index look-ups per device, however long the journal."""
    limit = (now_ms + MAX_FUTURE_MS) << COUNTER_BITS
    found = []
    device = conn.execute("SELECT min(device) FROM journal").fetchone()[0]
    while device is not None:
        newest = conn.execute("SELECT max(ts) FROM journal WHERE device = ?", (device,)).fetchone()
        if newest[0] > limit:
            count = conn.execute(
                "SELECT count(*) FROM journal WHERE device = ? AND ts > ?", (device, limit)
            ).fetchone()[0]
            found.append(ClockAhead(device, Stamp.from_ts(newest[0], device), count))
        device = conn.execute(
            "SELECT min(device) FROM journal WHERE device > ?", (device,)
        ).fetchone()[0]
    return found
