"""Record ids: UUIDv7 that only grow within a process, so a batch keeps its order."""

from __future__ import annotations

import uuid

from db.ids import is_id, new_id


def test_ids_written_in_one_go_sort_in_the_order_they_were_made() -> None:
    ids = [new_id() for _ in range(5_000)]  # many share a millisecond
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(is_id(i) and uuid.UUID(i).version == 7 for i in ids[:50])


def test_an_id_for_a_given_time_starts_with_that_time() -> None:
    assert new_id(0x0123456789AB).replace("-", "").startswith("0123456789ab")
