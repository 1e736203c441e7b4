"""Model-based tests of sync: 2-5 devices make random creates, edits and deletes, write
files (full or delta) and deliver them at random: duplicated, dropped, reordered, relayed
to the wrong device. Whatever happens:

- importing a file a second time changes nothing;
- a record a device has seen deleted stays deleted there;
- after everyone finally exchanges full files, every device holds byte-identical state
  and the same conflicts;
- no write is lost silently: each one is the current value, or was replaced by a write
  that had seen it, or is listed as a conflict (or acknowledged), or was deleted by a
  delete that had seen it.

``TRYGG_SYNC_EXAMPLES`` raises the number of runs (default 40) for a longer search.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

from db.store import Store
from tests.db.sync.harness import Device

NAMES = ("Torget", "Stationen", "Skolgården", "Badplatsen", "Ungdomsgården")
AREAS = ("Centrum", "Norr", "Söder")
EXAMPLES = int(os.environ.get("TRYGG_SYNC_EXAMPLES", "40"))

Write = tuple[str, str, int, str]  # record id, field, ts, device id


class SyncMachine(RuleBasedStateMachine):
    records = Bundle("records")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="trygg-sync-"))
        self.devices: list[Device] = []
        self.files: list[Path] = []
        self.writes: list[Write] = []
        self.seen_deleted: list[set[str]] = []

    @initialize(count=st.integers(min_value=2, max_value=5))
    def make_devices(self, count: int) -> None:
        for n in range(count):
            self.devices.append(Device(self.folder, f"d{n}"))
            self.seen_deleted.append(set())

    def _device(self, index: int) -> Device:
        return self.devices[index % len(self.devices)]

    def _note_writes(self, device: Device, record_id: str) -> None:
        rows = device.store.conn.execute(
            "SELECT record_id, field, ts, device FROM journal WHERE record_id = ? AND device = ?"
            " AND ts = (SELECT max(ts) FROM journal WHERE record_id = ? AND device = ?)"
            " AND field NOT LIKE '\\_%' ESCAPE '\\'",
            (record_id, device.id, record_id, device.id),
        ).fetchall()
        self.writes.extend(rows)

    @rule(target=records, who=st.integers(0, 4), name=st.sampled_from(NAMES))
    def create_place(self, who: int, name: str) -> tuple[str, str]:
        device = self._device(who)
        record_id = device.store.create("place", {"name": name})
        self._note_writes(device, record_id)
        return ("place", record_id)

    @rule(target=records, who=st.integers(0, 4), area=st.sampled_from(AREAS))
    def create_walk(self, who: int, area: str) -> tuple[str, str]:
        device = self._device(who)
        record_id = device.store.create(
            "walk", {"kommun": "Lycksele", "area": area, "date": "2026-11-01"}
        )
        self._note_writes(device, record_id)
        return ("walk", record_id)

    @rule(who=st.integers(0, 4), record=records, value=st.sampled_from(NAMES + AREAS))
    def edit(self, who: int, record: tuple[str, str], value: str) -> None:
        rtype, record_id = record
        holders = [
            self._device(who + n)
            for n in range(len(self.devices))
            if self._device(who + n).store.get(rtype, record_id) is not None
        ]
        if not holders:
            return  # deleted everywhere it has arrived
        device = holders[0]  # the chosen device, or the next one that has the record
        field = "name" if rtype == "place" else "area"
        if device.store.update(rtype, record_id, {field: value, "note" if rtype == "place"
                               else "notes": f"av {device.name}"}):  # fmt: skip
            self._note_writes(device, record_id)

    @rule(who=st.integers(0, 4), record=records, dice=st.integers(0, 2))
    def delete(self, who: int, record: tuple[str, str], dice: int) -> None:
        if dice:  # deletes are rarer than edits, as in life (and they end a record's story)
            return
        rtype, record_id = record
        device = self._device(who)
        if device.store.get(rtype, record_id) is not None:
            device.store.delete(rtype, record_id)

    @rule(sender=st.integers(0, 4), receiver=st.integers(0, 4), full=st.booleans())
    def write_file(self, sender: int, receiver: int, full: bool) -> None:
        source, target = self._device(sender), self._device(receiver)
        if source is target:
            return
        self.files.append(source.send(target, full=full, profile="polis"))

    @rule(sender=st.integers(0, 4), receiver=st.integers(0, 4))
    def exchange(self, sender: int, receiver: int) -> None:
        """Write a file and hand it over at once (the usual case); keep it for later too."""
        source, target = self._device(sender), self._device(receiver)
        if source is target:
            return
        path = source.send(target, profile="polis")
        self.files.append(path)
        target.receive(path)

    @rule(first=st.integers(0, 4), second=st.integers(0, 4))
    def exchange_both_ways(self, first: int, second: int) -> None:
        self.exchange(first, second)
        self.exchange(second, first)

    @rule(pick=st.integers(0, 1000), receiver=st.integers(0, 4), twice=st.booleans())
    def deliver(self, pick: int, receiver: int, twice: bool) -> None:
        if not self.files:
            return
        path = self.files[pick % len(self.files)]
        device = self._device(receiver)
        device.receive(path)
        if twice:
            before = device.state()
            again = device.receive(path)
            assert again.new_entries == 0
            assert device.state() == before

    @invariant()
    def deleted_records_stay_deleted(self) -> None:
        for index, device in enumerate(self.devices):
            now = _deleted_ids(device.store)
            assert self.seen_deleted[index] <= now
            self.seen_deleted[index] = now

    def teardown(self) -> None:
        try:
            if self.devices:
                self._final_exchange_and_checks()
        finally:
            for device in self.devices:
                device.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def _final_exchange_and_checks(self) -> None:
        for _ in range(2):
            for source in self.devices:
                bundle = source.send(full=True, profile="polis")
                for target in self.devices:
                    if target is not source:
                        target.receive(bundle)
        states = {device.state() for device in self.devices}
        assert len(states) == 1
        assert len({tuple(device.conflict_ids()) for device in self.devices}) == 1
        store = self.devices[0].store
        for write in self.writes:
            assert _accounted_for(store, write), write


def _deleted_ids(store: Store) -> set[str]:
    return {
        row[0]
        for table in ("place", "walk")
        for row in store.conn.execute(f"SELECT id FROM {table} WHERE deleted = 1")
    }


def _accounted_for(store: Store, write: Write) -> bool:
    record_id, field, ts, device = write
    conn = store.conn
    winner = conn.execute(
        "SELECT ts, device FROM journal WHERE record_id = ? AND field = ?"
        " ORDER BY ts DESC, device DESC LIMIT 1",
        (record_id, field),
    ).fetchone()
    if tuple(winner) == (ts, device):
        return True
    replaced = conn.execute(
        "SELECT 1 FROM journal WHERE record_id = ? AND field = ? AND prev_ts = ?"
        " AND prev_device = ?",
        (record_id, field, ts, device),
    ).fetchone()
    if replaced:
        return True
    listed = conn.execute(
        "SELECT 1 FROM conflicts WHERE record_id = ? AND field = ? AND loser_ts = ?"
        " AND loser_device = ?",
        (record_id, field, ts, device),
    ).fetchone()
    if listed:
        return True
    for (value,) in conn.execute(
        "SELECT value FROM journal WHERE record_id = ? AND field = '_deleted'", (record_id,)
    ):
        if json.loads(value)["seen"].get(device, 0) >= ts:
            return True  # deleted by someone who had seen it
    return False


SyncMachine.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestSync = SyncMachine.TestCase
