"""Which version of a field is current: the newest one no write replaced."""

from __future__ import annotations

from db.journal.versions import current, current_versions


def test_newest_stamp_wins_when_clocks_agree() -> None:
    assert current([((10, "a"), None), ((20, "b"), (10, "a"))]) == (20, "b")


def test_a_write_outranks_the_version_it_replaced_whatever_its_stamp() -> None:
    future = (9_000, "ahead")
    assert current([(future, None), ((100, "here"), future)]) == (100, "here")


def test_among_writes_that_had_not_seen_each_other_the_newest_wins() -> None:
    future = (9_000, "ahead")
    versions = [(future, None), ((100, "here"), future), ((200, "there"), future)]
    assert current(versions) == (200, "there")


def test_a_circle_from_a_forged_file_still_decides_alike() -> None:
    versions = [((1, "a"), (2, "b")), ((2, "b"), (1, "a"))]
    assert current(versions) == current(list(reversed(versions))) == (2, "b")
    assert current([((5, "x"), (5, "x"))]) == (5, "x")  # naming itself replaces nothing


def test_current_versions_per_field() -> None:
    rows = [
        ("note", 9_000, "ahead", None, None, '"old"'),
        ("note", 100, "here", 9_000, "ahead", '"new"'),
        ("name", 50, "here", None, None, '"Torget"'),
    ]
    assert current_versions(rows) == {
        "note": (100, "here", '"new"'),
        "name": (50, "here", '"Torget"'),
    }
