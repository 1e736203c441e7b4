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

from db.migrations import (
    m0001_initial,
    m0002_sync,
    m0003_lists,
    m0004_protect,
    m0005_drafts,
    m0006_peers,
    m0007_undo,
    m0008_chains,
    m0009_views,
    m0010_lagesbild,
    m0011_speed,
    m0012_sync_speed,
    m0013_report_tally,
    m0015_finding_list,
)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial", m0001_initial.apply),
    Migration(2, "sync", m0002_sync.apply),
    Migration(3, "lists", m0003_lists.apply),
    Migration(4, "protect", m0004_protect.apply),
    Migration(5, "drafts", m0005_drafts.apply),
    Migration(6, "peers", m0006_peers.apply),
    Migration(7, "undo", m0007_undo.apply),
    Migration(8, "chains", m0008_chains.apply),
    Migration(9, "views", m0009_views.apply),
    Migration(10, "lagesbild", m0010_lagesbild.apply),
    Migration(11, "speed", m0011_speed.apply),
    Migration(12, "sync_speed", m0012_sync_speed.apply),
    Migration(13, "report_tally", m0013_report_tally.apply),
    # 15, not 14: h21f adds 14 (first import) at the same time; renumbered on merge.
    Migration(14, "finding_list", m0015_finding_list.apply),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
# Numbered 1 to SCHEMA_VERSION without a gap: each runs once, in order.
assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
