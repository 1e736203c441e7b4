"""Writing files so that nobody ever sees half of one."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_file(target: Path, *, private: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``target`` to write; when the block succeeds it is
    flushed to disk and renamed over ``target``, otherwise removed. A ``private`` file is
    created readable by its owner only. The temporary name starts with a dot and ends in
    ``.tmp``, so mailbox readers skip it."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    if private:
        os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        yield tmp
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
