"""Drafts of forms: kept as typed, replaced, discarded, and erased by gallring."""

from __future__ import annotations

from datetime import datetime

from db import drafts
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
