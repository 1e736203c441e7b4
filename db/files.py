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


#: Where removable media and network shares are usually mounted (Linux desktops, older
#: Linux, hand-made mounts, macOS).
MOUNT_ROOTS = ("/media/{user}", "/run/media/{user}", "/media", "/mnt", "/Volumes")


def usual_places(
    extra: list[Path] | None = None, roots: tuple[str, ...] = MOUNT_ROOTS
) -> list[Path]:
    """Folders a USB stick or shared folder is usually found in: each mounted medium
    first, then ``extra`` (the mailbox folder, the documents folder), then home."""
    import getpass

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user name in a container
        user = ""
    found: list[Path] = []
    for root in roots:
        folder = Path(root.format(user=user))
        try:
            children = sorted(p for p in folder.iterdir() if p.is_dir())
        except OSError:
            continue
        found += [p for p in children if not p.name.startswith(".") and p.name != user]
    found += extra or []
    found.append(Path.home())
    unique: list[Path] = []
    for path in found:
        if path not in unique and path.is_dir():
            unique.append(path)
    return unique
