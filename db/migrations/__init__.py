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
    m0010_lagesbild,
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
    # Migration 10 by its brief; numbered 6 here until the migrations 6-9 of the other
    # branches are merged (the registry allows no gaps).
    Migration(6, "lagesbild", m0010_lagesbild.apply),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
assert [m.version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))
