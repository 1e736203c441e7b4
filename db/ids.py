"""Record and device identifiers: UUIDv7 (RFC 9562), unique across devices and sortable by
creation time, so ids never collide when files from many laptops meet."""

from __future__ import annotations

import re
import secrets
import threading
import time
import uuid

_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


_last: tuple[int, int] = (0, 0)
_lock = threading.Lock()


def new_id(now_ms: int | None = None) -> str:
    """A new UUIDv7 as lower-case text. Within one process ids only grow (RFC 9562's
    "monotonic random" method), so records written in one go keep their order — the
    measures of an imported plan, say — even within one millisecond."""
    global _last
    ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    tail = int.from_bytes(secrets.token_bytes(10), "big") >> 8  # room to count upwards
    # Also for a given time (the store passes its clock's): an id made after another in
    # this process sorts after it, even when the times given are equal or go backwards.
    with _lock:
        if ms <= _last[0]:
            ms, tail = _last[0], _last[1] + 1
        _last = (ms, tail)
    raw = bytearray(ms.to_bytes(6, "big") + tail.to_bytes(10, "big"))
    raw[6] = (raw[6] & 0x0F) | 0x70  # version 7
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    return str(uuid.UUID(bytes=bytes(raw)))


def new_device_id() -> str:
    """A random device id (UUIDv4): it must reveal nothing about when or where it was made."""
    return str(uuid.uuid4())


def is_id(text: object) -> bool:
    """True if ``text`` is a canonical lower-case UUID string."""
    return isinstance(text, str) and bool(_UUID_RE.match(text))
