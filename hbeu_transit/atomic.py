"""Atomic file writes: a temporary file beside the target, then a rename.

A reader never sees half a file, and a failure (full disk, bad value, Ctrl-C) leaves the old
file or nothing, and no debris. Standard library only, so any layer may use it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError


@contextlib.contextmanager
def atomic_path(path: str | Path, *, make_dirs: bool = False, mode: int | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``, else delete it.

    ``make_dirs`` creates the folder (caches); otherwise a missing folder is the user's mistake
    and raises InputError. ``mode`` sets the file's permissions (mkstemp makes it 0600).
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if make_dirs:
        folder.mkdir(parents=True, exist_ok=True)
    elif not folder.is_dir():
        raise InputError(f"cannot write {str(target)!r}: folder {str(folder)!r} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp_path, mode)
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def write_bytes_atomic(path: str | Path, data: bytes, *, make_dirs: bool = False, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path, make_dirs=make_dirs, mode=mode) as tmp:
        tmp.write_bytes(data)
