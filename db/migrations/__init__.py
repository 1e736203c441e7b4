"""Numbered schema migrations.

Each migration is a module ``mNNNN_name.py`` with ``apply(conn)``; ``MIGRATIONS`` lists them
in order, and a file's schema version is the number of the last one applied (kept both in
``PRAGMA user_version`` and in the ``schema_migrations`` table). Migrations are additive:
a newer Trygg upgrades an older file; an older Trygg refuses a newer file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


def _module(name: str) -> Callable[[sqlite3.Connection], None]:
    """The ``apply`` of migration module ``name``, imported when it runs: opening a file
    that is up to date (every start of the app) imports no migration."""

    def apply(conn: sqlite3.Connection) -> None:
        import_module(f"db.migrations.{name}").apply(conn)

    return apply


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial", _module("m0001_initial")),
    Migration(2, "sync", _module("m0002_sync")),
    Migration(3, "lists", _module("m0003_lists")),
    Migration(4, "protect", _module("m0004_protect")),
    Migration(5, "drafts", _module("m0005_drafts")),
    Migration(6, "peers", _module("m0006_peers")),
    Migration(7, "undo", _module("m0007_undo")),
    Migration(8, "chains", _module("m0008_chains")),
    Migration(9, "views", _module("m0009_views")),
    Migration(10, "lagesbild", _module("m0010_lagesbild")),
    Migration(11, "speed", _module("m0011_speed")),
    Migration(12, "sync_speed", _module("m0012_sync_speed")),
    Migration(13, "report_tally", _module("m0013_report_tally")),
    Migration(14, "finding_list", _module("m0014_finding_list")),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
# Numbered 1 to SCHEMA_VERSION without a gap: each runs once, in order.
assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
