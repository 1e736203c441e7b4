"""The hybrid logical clock."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from db.journal.clock import COUNTER_MAX, HybridClock, Stamp


class FakeWall:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_stamps_follow_the_wall_clock() -> None:
    wall = FakeWall(1_000)
    clock = HybridClock("a", wall=wall)
    assert clock.tick() == Stamp(1_000, 0, "a")
    wall.ms = 2_000
    assert clock.tick() == Stamp(2_000, 0, "a")


def test_stamps_never_go_backwards_when_the_wall_clock_does() -> None:
    wall = FakeWall(5_000)
    clock = HybridClock("a", wall=wall)
    first = clock.tick()
    wall.ms = 1_000  # someone set the laptop's clock back
    second = clock.tick()
    assert second > first
    assert second == Stamp(5_000, 1, "a")


def test_counter_overflow_borrows_the_next_millisecond() -> None:
    clock = HybridClock("a", ms=7, counter=COUNTER_MAX, wall=FakeWall(7))
    assert clock.tick() == Stamp(8, 0, "a")


def test_ts_round_trip_and_order() -> None:
    stamp = Stamp(1_763_775_000_123, 17, "dev")
    assert Stamp.from_ts(stamp.ts, "dev") == stamp
    assert Stamp(1, 2, "a") < Stamp(1, 2, "b") < Stamp(1, 3, "a") < Stamp(2, 0, "a")


@given(st.lists(st.integers(min_value=0, max_value=10**13), min_size=1, max_size=60))
def test_ticks_are_strictly_increasing_whatever_the_wall_does(walls: list[int]) -> None:
    wall = FakeWall(walls[0])
    clock = HybridClock("a", wall=wall)
    stamps = []
    for ms in walls:
        wall.ms = ms
        stamps.append(clock.tick())
    assert all(a < b for a, b in itertools.pairwise(stamps))
    assert all(a.ts < b.ts for a, b in itertools.pairwise(stamps))
