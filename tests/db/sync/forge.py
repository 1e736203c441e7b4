"""Files a dishonest or compromised laptop could write: real bundles, re-signed with that
device's real key after their manifest or entries were changed. The signature is valid;
only the receiver's own checks can stop them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from db.protect.keys import own_secrets
from db.store import Store
from db.sync.bundle import BundleReader, Row, write_bundle
from db.sync.manifest import Manifest


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
