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
    # (Made first in a fresh process, so that no later id pushes it forward.)
    import subprocess
    import sys

    code = "from db.ids import new_id; print(new_id(0x0123456789AB))"
    made = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert made.stdout.replace("-", "").startswith("0123456789ab")


def test_ids_for_a_given_time_still_grow() -> None:
    # The store passes its clock's time; the landed bug: then the monotonic step was
    # skipped, and the measures of an imported plan lost the file's order.
    ids = [new_id(1_800_000_000_000) for _ in range(2_000)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
