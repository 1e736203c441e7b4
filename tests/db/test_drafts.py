"""Drafts of forms: kept as typed, replaced, discarded, and erased by gallring."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime

import pytest

from db import database, drafts
from db.protect import gallring
from db.store import Store
from tests.conftest import NOW


def test_a_draft_is_kept_replaced_and_discarded(store: Store) -> None:
    assert drafts.load(store, "snabbrapport:new") is None
    drafts.save(store, "snabbrapport:new", {"rep-name": "Alva"}, NOW)
    drafts.save(store, "snabbrapport:new", {"rep-name": "Alva T"}, NOW)
    draft = drafts.load(store, "snabbrapport:new")
    assert draft is not None and draft.data == {"rep-name": "Alva T"}
    assert draft.saved_at == "2026-11-22T01:30:00"
    drafts.discard(store, "snabbrapport:new")
    assert drafts.load(store, "snabbrapport:new") is None


def test_a_draft_written_inside_a_store_transaction_does_not_end_it(store: Store) -> None:
    with store.transaction():
        drafts.save(store, "x", {"a": 1}, NOW)
        assert store.conn.in_transaction


def test_gallring_erases_drafts_older_than_the_rule(store: Store) -> None:
    drafts.save(store, "old", {"rep-pnr": "20100315-9801"}, datetime(2026, 8, 1, 22, 0))
    drafts.save(store, "new", {"rep-pnr": "20110204-1231"}, NOW)
    summary = gallring.run(store, NOW.date())
    assert summary.drafts == 1
    assert drafts.load(store, "old") is None
    assert drafts.load(store, "new") is not None
    dry = gallring.run(store, NOW.date(), dry_run=True)
    assert dry.drafts == 0


def test_a_draft_is_left_for_later_while_another_program_writes(store: Store) -> None:
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # a long import elsewhere
    try:
        # The form must not freeze: keeping the draft gives way at once, writing nothing.
        assert drafts.save(store, "snabbrapport:new", {"rep-name": "Alva"}, NOW) is False
        assert not store.conn.in_transaction
    finally:
        other.execute("COMMIT")
        other.close()
    assert drafts.save(store, "snabbrapport:new", {"rep-name": "Alva"}, NOW) is True
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == database.BUSY_TIMEOUT_MS
    draft = drafts.load(store, "snabbrapport:new")
    assert draft is not None and draft.data == {"rep-name": "Alva"}


def test_discarding_a_draft_waits_for_another_program(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 50)
    store.conn.execute("PRAGMA busy_timeout = 50")
    drafts.save(store, "x", {"a": 1}, NOW)
    told: list[object] = []
    database.set_wait_notice(told.append)
    other = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.5, lambda: other.execute("COMMIT"))
    release.start()
    try:
        drafts.discard(store, "x")
    finally:
        release.join()
        other.close()
        database.set_wait_notice(None)
    assert drafts.load(store, "x") is None
    assert len(told) == 1
