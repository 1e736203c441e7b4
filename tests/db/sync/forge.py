"""Files a dishonest or compromised laptop could write: real bundles, re-signed with that
device's real key after their manifest or entries were changed. The signature is valid;
only the receiver's own checks can stop them."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from db.journal import chains
from db.protect import keys
from db.protect.keys import own_secrets
from db.store import Store
from db.sync.bundle import SCHEMA_SQL_2, BundleReader, Row, entry_line, write_bundle
from db.sync.manifest import ChainHead, Manifest, canonical


def read_bundle(path: Path) -> tuple[Manifest, list[Row]]:
    """The checked manifest and rows (entries with salt, link and seal) of a bundle."""
    with BundleReader(path) as reader:
        manifest = reader.check()
        return manifest, list(reader.rows())


def forge(
    source: Path,
    signer: Store,
    out: Path,
    *,
    entries: Callable[[list[Row]], list[Row]] | None = None,
    **changes: Any,
) -> Path:
    """A copy of the bundle ``source`` with ``changes`` to its manifest and its entries
    passed through ``entries``, signed by ``signer``'s device key (so the file is as its
    sender made it, as far as the signature can tell). An entry of nine parts (without
    salt, link or seal) is written unlinked."""
    manifest, held = read_bundle(source)
    secrets = own_secrets(signer.conn)
    assert secrets is not None
    manifest = replace(manifest, **changes)
    kept = [(*e, None, None, None)[:12] for e in (entries(held) if entries else held)]
    written = write_bundle(out, manifest, kept, signing_key=secrets.signing_key)
    # write_bundle narrows the cards to the devices present; a forger keeps them all.
    if "devices" in changes and written.devices != manifest.devices:
        full = replace(manifest, entry_count=written.entry_count, body_sha256=written.body_sha256)
        _write_exact(out, full, secrets.signing_key)
    return out


def _write_exact(out: Path, manifest: Manifest, key: str) -> None:
    conn = sqlite3.connect(out)
    conn.execute("DELETE FROM manifest")
    conn.executemany(
        "INSERT INTO manifest (key, value) VALUES (?, ?)",
        [(k, json.dumps(v, ensure_ascii=False)) for k, v in manifest.signed(key).items()],
    )
    conn.commit()
    conn.close()


def relinked(rows: list[Row], device: str, scope: str, link: bytes = chains.GENESIS) -> list[Row]:
    """``rows`` with the links of ``device``'s chain of ``scope`` computed afresh from
    ``link`` (what a forger does after changing an entry: the links agree again, only the
    origin's signature on the head cannot be made)."""
    out = []
    for row in rows:
        if row[1] == device and row[8] == scope and row[10] is not None:
            ts, dev, tbl, record_id, name, value, prev_ts, prev_device, scope_ = row[:9]
            entry_leaf = chains.leaf(
                dev, scope_, ts, tbl, record_id, name, value, prev_ts, prev_device, *row[9::2]
            )
            link = chains.next_link(link, entry_leaf)
            row = (*row[:10], link, row[11])
        out.append(row)
    return out


def head_over(
    rows: list[Row], device: str, scope: str, start: int, signing_key: str, key: str
) -> ChainHead:
    """A head at the last of ``device``'s rows of ``scope``, claiming public key ``key``,
    signed with ``signing_key`` (a forger's: not the origin's)."""
    last = [r for r in rows if r[1] == device and r[8] == scope and r[10] is not None][-1]
    head = chains.Head(device, scope, last[0], last[3], last[4], last[10], start, key)
    signature = keys.sign(signing_key, head.message())
    return ChainHead(replace(head, signature=signature))


def write_format_2(out: Path, manifest: Manifest, rows: list[Row], signing_key: str) -> Path:
    """A file as a Trygg from before chains wrote it (format 2): nine parts per entry, no
    chains, signed by ``signing_key``."""
    entries = [tuple(r[:9]) for r in rows]
    digest = hashlib.sha256()
    for entry in entries:
        digest.update(entry_line(entry))
    old = replace(
        manifest,
        format_version=2,
        chains=(),
        entry_count=len(entries),
        body_sha256=digest.hexdigest(),
    )
    raw = {k: v for k, v in old.to_json().items() if k != "chains"}
    raw["signature"] = keys.sign(signing_key, canonical(raw))
    conn = sqlite3.connect(out)
    for sql in SCHEMA_SQL_2:
        conn.execute(sql)
    conn.executemany(
        "INSERT INTO entries (ts, device, tbl, record_id, field, value, prev_ts, prev_device,"
        " scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        entries,
    )
    conn.executemany(
        "INSERT INTO manifest (key, value) VALUES (?, ?)",
        [(k, json.dumps(v, ensure_ascii=False)) for k, v in raw.items()],
    )
    conn.commit()
    conn.close()
    return out
