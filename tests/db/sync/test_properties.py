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

A device may also turn dishonest and write files signed with its real key: entries its
vectors do not account for (refused whole, nothing changed), cards that speak for other
devices (no card of a device met first-hand ever changes, and a name heard from others
carries no organisation), and old files replayed (nothing changes). And relaying stays
complete: one round of ordinary delta files between all devices — no full files — brings
every device to the same state and conflicts.

Some devices are municipal (kommun): files between them and anyone carry the kommun
profile (no personal scope), so police changes reach them, and travel on through them,
without the personal data; police devices write quick reports with personal data and
erase it (gallring). A forger is in the loop: a device that alters, relinks or invents
entries in another device's name in a file it signs itself. Every such file is refused
wherever it arrives, and changes nothing (docs/authenticity.md); every entry each device
holds is proved (``doctor``'s re-verification finds nothing). At the end, the police
devices hold the same state, and every device the same state outside personal data.

``TRYGG_SYNC_EXAMPLES`` raises the number of runs (default 40) for a longer search.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

from db.errors import TryggError
from db.journal import chains
from db.peers import DeviceCard
from db.protect import keys
from db.records import TYPES
from db.store import Store
from tests.conftest import report_fields
from tests.db.sync.forge import forge, read_bundle, relinked
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
        #: Per device, the files it has taken in.
        self.delivered: list[set[Path]] = []
        #: Files with entries forged in another device's name: refused wherever they go.
        self.forged: list[Path] = []
        self.reports: list[str] = []

    @initialize(count=st.integers(min_value=2, max_value=5), kommun=st.integers(0, 2))
    def make_devices(self, count: int, kommun: int) -> None:
        for n in range(count):
            # The first device is police; the last ``kommun`` of the rest are municipal.
            org = "kommun" if n > 0 and n >= count - kommun else "polis"
            self.devices.append(Device(self.folder, f"d{n}", org))
            self.seen_deleted.append(set())
            self.delivered.append(set())
        # A laptop outside the group: it hands over a file now and then and is gone
        # before the end, so what it wrote reaches the others only by relaying.
        self.outsider = Device(self.folder, "utanför")

    def _device(self, index: int) -> Device:
        return self.devices[index % len(self.devices)]

    @staticmethod
    def _profile(source: Device, target: Device) -> str:
        """Personal data only between police devices."""
        return "polis" if source.org == target.org == "polis" else "kommun"

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

    @rule(who=st.integers(0, 4), name=st.sampled_from(("Alva Testsson", "Bo Berg")))
    def create_report(self, who: int, name: str) -> None:
        """A police device writes a quick report with personal data."""
        device = self._device(who)
        if device.org == "polis":
            record_id = device.store.create("snabbrapport", report_fields(name=name))
            self._note_writes(device, record_id)
            self.reports.append(record_id)

    @rule(who=st.integers(0, 4), pick=st.integers(0, 1000))
    def erase_report(self, who: int, pick: int) -> None:
        """Gallring: a device erases the personal data of a report it holds."""
        device = self._device(who)
        held = [r for r in self.reports if device.store.get("snabbrapport", r) is not None]
        if held:
            device.store.erase_personal("snabbrapport", held[pick % len(held)])

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
        self.files.append(source.send(target, full=full, profile=self._profile(source, target)))

    @rule(sender=st.integers(0, 4), receiver=st.integers(0, 4))
    def exchange(self, sender: int, receiver: int) -> None:
        """Write a file and hand it over at once (the usual case); keep it for later too."""
        source, target = self._device(sender), self._device(receiver)
        if source is target:
            return
        path = source.send(target, profile=self._profile(source, target))
        self.files.append(path)
        self._receive(target, path)

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
        self._receive(device, path)
        if twice:
            before = device.state()
            again = device.receive(path)
            assert again.new_entries == 0
            assert device.state() == before

    def _receive(self, device: Device, path: Path) -> None:
        device.receive(path)
        self.delivered[self.devices.index(device)].add(path)

    @rule(receiver=st.integers(0, 4), pick=st.integers(0, 1000))
    def replay_old_file(self, receiver: int, pick: int) -> None:
        """A file this device took in before comes again, however much happened since."""
        device = self._device(receiver)
        taken = sorted(self.delivered[self.devices.index(device)])
        if not taken:
            return
        before = device.state(), device.conflict_ids()
        again = device.receive(taken[pick % len(taken)])
        assert again.new_entries == 0
        assert (device.state(), device.conflict_ids()) == before

    @rule(
        sender=st.integers(0, 4),
        receiver=st.integers(0, 4),
        pick=st.integers(0, 1000),
        drop=st.booleans(),
    )
    def forge_undeclared_entries(self, sender: int, receiver: int, pick: int, drop: bool) -> None:
        """A sender whose file carries entries its vectors do not claim (an origin left
        out, or claimed only below its entries)."""
        source, target = self._device(sender), self._device(receiver)
        if source is target:
            return
        real = source.send(target, profile=self._profile(source, target))
        manifest, entries = read_bundle(real)
        if not entries:
            return
        entry = entries[pick % len(entries)]
        origin, scope, ts = entry[1], entry[8], entry[0]
        claimed = {sc: dict(v) for sc, v in manifest.sender_vectors.items()}
        if drop:
            claimed[scope].pop(origin, None)
        else:
            claimed[scope][origin] = ts - 1
        if not claimed[scope].get(origin):
            claimed[scope].pop(origin, None)
        forged = forge(real, source.store, self._name("undeclared"), sender_vectors=claimed)
        before = target.state(), target.conflict_ids(), target.store.journal_size()
        with pytest.raises(TryggError) as refused:
            target.receive(forged)
        assert refused.value.key == "bundle.undeclared"
        assert (target.state(), target.conflict_ids(), target.store.journal_size()) == before

    @rule(sender=st.integers(0, 4), receiver=st.integers(0, 4))
    def forge_foreign_device_cards(self, sender: int, receiver: int) -> None:
        """A sender whose file renames every other device, makes it police, and names
        devices that do not exist; the file is kept to be relayed and replayed too."""
        source, target = self._device(sender), self._device(receiver)
        if source is target:
            return
        real = source.send(target, profile=self._profile(source, target))
        cards = [
            DeviceCard(d.id, f"Polisen {d.name}", "polis") for d in self.devices if d is not source
        ]
        cards += [
            DeviceCard(f"00000000-0000-4000-8000-00000000000{n}", "Spöke", "polis")
            for n in range(3)
        ]
        forged = forge(real, source.store, self._name("cards"), devices=tuple(cards))
        self.files.append(forged)
        self._receive(target, forged)

    @rule(name=st.sampled_from(NAMES))
    def outsider_writes(self, name: str) -> None:
        self.outsider.store.create("place", {"name": name})

    @rule(receiver=st.integers(0, 4), honest=st.booleans())
    def outsider_hands_over_a_file(self, receiver: int, honest: bool) -> None:
        """The outsider's full file, honest or carrying its changes without claiming them
        (so that the receiver could never pass them on)."""
        target = self._device(receiver)
        real = self.outsider.send(full=True, profile=self._profile(self.outsider, target))
        if honest:
            self._receive(target, real)
            return
        manifest, entries = read_bundle(real)
        if not entries:
            return
        claimed = {
            scope: {d: ts for d, ts in vector.items() if d != self.outsider.id}
            for scope, vector in manifest.sender_vectors.items()
        }
        forged = forge(real, self.outsider.store, self._name("outsider"), sender_vectors=claimed)
        before = target.state(), target.store.journal_size()
        with pytest.raises(TryggError) as refused:
            target.receive(forged)
        assert refused.value.key == "bundle.undeclared"
        assert (target.state(), target.store.journal_size()) == before

    @rule(
        sender=st.integers(0, 4),
        receiver=st.integers(0, 4),
        pick=st.integers(0, 1000),
        kind=st.sampled_from(("alter", "relink", "invent")),
    )
    def forge_in_anothers_name(self, sender: int, receiver: int, pick: int, kind: str) -> None:
        """The sender passes on another device's entry altered (its value changed; or
        changed with the links recomputed), or adds one it invents in that device's name
        (unlinked, claimed in its vectors), and signs the file with its own real key."""
        source, target = self._device(sender), self._device(receiver)
        if source is target:
            return
        real = source.send(target, profile=self._profile(source, target))
        manifest, rows = read_bundle(real)
        foreign = [r for r in rows if r[1] != source.id and r[4] in _TEXT_FIELDS and r[11] is None]
        if not foreign:
            return
        row = foreign[pick % len(foreign)]
        origin, scope = row[1], row[8]
        value = json.dumps(f"Förfalskat {pick}", ensure_ascii=False)
        claimed = {sc: dict(v) for sc, v in manifest.sender_vectors.items()}
        if kind == "invent":
            ts = max(r[0] for r in rows if r[1] == origin and r[8] == scope) + 1
            added = (ts, origin, row[2], row[3], row[4], value, row[0], origin, scope)
            forged_rows = [*rows, (*added, None, None, None)]
            claimed[scope][origin] = ts
        else:
            forged_rows = [(*r[:5], value, *r[6:]) if r is row else r for r in rows]
            if kind == "relink":
                anchor = next(
                    (c.anchor for c in manifest.chains if (c.head.device, c.head.scope)
                     == (origin, scope)), None)  # fmt: skip
                start = anchor[1] if anchor else chains.GENESIS
                forged_rows = relinked(forged_rows, origin, scope, start)
        path = forge(
            real,
            source.store,
            self._name("in-anothers-name"),
            entries=lambda _rows: forged_rows,
            sender_vectors=claimed,
        )
        self.forged.append(path)
        self._refused(target, path)

    @rule(pick=st.integers(0, 1000), receiver=st.integers(0, 4))
    def deliver_forged(self, pick: int, receiver: int) -> None:
        """A forged file reaches a device later, or another one: refused there too."""
        if self.forged:
            self._refused(self._device(receiver), self.forged[pick % len(self.forged)])

    def _refused(self, target: Device, path: Path) -> None:
        before = target.state(), target.conflict_ids(), target.store.journal_size()
        with pytest.raises(TryggError) as refused:
            target.receive(path)
        assert refused.value.key in ("bundle.forged", "bundle.fork"), refused.value.key
        assert (target.state(), target.conflict_ids(), target.store.journal_size()) == before

    def _name(self, kind: str) -> Path:
        return self.folder / f"{kind}-{len(list(self.folder.glob(kind + '-*')))}.trygg"

    @invariant()
    def devices_speak_only_for_themselves(self) -> None:
        own = {d.id: (d.name, d.org) for d in [*self.devices, self.outsider]}
        for device in self.devices:
            for device_id, name, org, key in device.store.conn.execute(
                "SELECT id, name, org, public_key FROM devices WHERE is_self = 0"
            ):
                if key is not None:  # met first-hand: its card is its own word
                    assert (name, org) == own[device_id]
                else:  # only heard of: a name at most, never an organisation
                    assert org is None
            for peer in device.store.conn.execute(
                "SELECT 1 FROM devices WHERE police_confirmed_at IS NOT NULL"
            ):
                raise AssertionError(f"{device.name} holds a police confirmation: {peer}")

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
            if hasattr(self, "outsider"):
                self.outsider.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def _final_exchange_and_checks(self) -> None:
        # Relaying is complete: one round of ordinary delta files, everyone to everyone,
        # brings every device to the same state and the same conflicts.
        for source in self.devices:
            for target in self.devices:
                if target is not source:
                    target.receive(source.send(target, profile=self._profile(source, target)))
        self._converged()
        for _ in range(2):
            for source in self.devices:
                for target in self.devices:
                    if target is not source:
                        profile = self._profile(source, target)
                        target.receive(source.send(target, full=True, profile=profile))
        self._converged()
        store = self.devices[0].store
        for write in self.writes:
            assert _accounted_for(store, write), write
        # Every entry every device holds is proved its origin's own.
        for device in self.devices:
            reports = chains.verify_journal(device.store.conn, device.id, keys.verify)
            assert not any(r.broken for r in reports.values()), (device.name, reports)

    def _converged(self) -> None:
        police = [d for d in self.devices if d.org == "polis"]
        assert len({device.state() for device in police}) == 1
        assert len({tuple(device.conflict_ids()) for device in police}) == 1
        assert len({_core_state(device) for device in self.devices}) == 1
        assert len({_core_conflicts(device) for device in self.devices}) == 1


_TEXT_FIELDS = ("name", "area", "note", "notes")


def _core_state(device: Device) -> str:
    """A device's state without personal data (what every profile carries)."""
    personal = set(TYPES["snabbrapport"].personal_fields)
    lines = []
    for line in device.state().splitlines():
        record = json.loads(line)
        if record.get("type") == "snabbrapport":
            record = {k: v for k, v in record.items() if k not in personal}
        lines.append(json.dumps(record, sort_keys=True, ensure_ascii=False))
    return "\n".join(lines)


def _core_conflicts(device: Device) -> tuple[str, ...]:
    personal = set(TYPES["snabbrapport"].personal_fields)
    return tuple(sorted(c.id for c in device.store.conflicts() if c.field not in personal))


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
    if winner is None:  # the field's whole history was erased (gallring)
        erased = conn.execute(
            "SELECT 1 FROM journal WHERE record_id = ? AND field = '_erased'", (record_id,)
        ).fetchone()
        return erased is not None
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
