"""Atomic file writes: a temporary file beside the target, then a rename.

A reader never sees half a file, and a failure (full disk, bad value, Ctrl-C) leaves the old
file or nothing, and no debris. The new file gets the permissions a plain ``open()`` would give
it (0666 less the umask, e.g. 0644), or keeps those of the file it replaces. Standard library
only, so any layer may use it. (`hbeu_transit.outputs` builds the user-facing rules on top:
devices and FIFOs written through, symlinks followed, ``-`` for standard output.)
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError


def default_mode() -> int:
    """0666 less the process umask: the mode ``open(path, "w")`` gives a new file."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(path: str | Path, *, make_dirs: bool = False, mode: int | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``, else delete it.

    ``make_dirs`` creates the folder (caches); otherwise a missing folder is the user's mistake
    and raises InputError. ``mode``: the file's permissions; by default those of the file being
    replaced, or the umask's for a new file (mkstemp alone would make it 0600).
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if make_dirs:
        folder.mkdir(parents=True, exist_ok=True)
    elif not folder.is_dir():
        raise InputError(f"cannot write {str(target)!r}: folder {str(folder)!r} does not exist")
    if mode is None:
        try:
            st = os.stat(target)
            mode = stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else default_mode()
        except OSError:
            mode = default_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
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
