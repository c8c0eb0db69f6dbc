"""Size limits on feed files, so that a hostile feed is refused before it costs memory or time.

A 3 MiB zip whose stop_times.txt inflates to 3 GiB (a "zip bomb"), a folder whose
stop_times.txt is a link to /dev/zero, or a zip entry named ``../../x`` must end with one line
and exit code 2, not with a machine out of memory. Checked, in this order:

* before reading anything: each GTFS member's *declared* uncompressed size (zip directory) or
  file size (folder) against the per-file limit, their sum against the total limit, and the
  zip's declared compression ratio (members over 1 MiB) against ``MAX_RATIO``; entries that
  are symbolic links, absolute paths or contain ``..`` are refused (the loader reads zip members
  in place and never extracts them);
* while reading: the bytes actually produced, in chunks, against the same limits (declared
  sizes can lie; a /proc or device file says 0), so reading stops at the limit plus one chunk.

``--max-feed-mb N`` (or ``HBEU_MAX_FEED_MB``) raises the per-file and total limits to N MB for a
feed known to be that big. Standard library only: imported by the loader, tested on its own.
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ..errors import FeedError

MB = 1_000_000
#: Defaults: one GTFS file may inflate to 512 MB, a whole feed to 1,024 MB (hart, 20 MB of
#: stop_times, is far below; the largest national feeds need --max-feed-mb).
FILE_MB = 512
TOTAL_MB = 1024
#: Text GTFS deflates 5-20x; a ratio above this on a member over RATIO_FLOOR bytes is a bomb.
MAX_RATIO = 100
RATIO_FLOOR = 1 << 20
ENV = "HBEU_MAX_FEED_MB"
CHUNK = 1 << 20
HINT = "raise it with --max-feed-mb if the feed is really that big"


@dataclass(frozen=True)
class Limits:
    """Per-file and total uncompressed bytes, and the largest compression ratio."""

    file_bytes: int
    total_bytes: int
    ratio: float = MAX_RATIO

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, or both size limits set to $HBEU_MAX_FEED_MB megabytes."""
        raw = os.environ.get(ENV, "").strip()
        if not raw:
            return cls(FILE_MB * MB, TOTAL_MB * MB)
        try:
            mb = float(raw)
            if not mb > 0:
                raise ValueError
        except ValueError:
            raise FeedError(ENV, f"must be a positive number of megabytes, not {raw!r}") from None
        return cls(int(mb * MB), int(mb * MB))


def _mb(n: int) -> str:
    if n < MB:
        return f"{n:,} bytes"
    return f"{n / MB:,.0f} MB" if n >= 10 * MB else f"{n / MB:.1f} MB"


class Budget:
    """Bytes read so far from one feed, against its limits (one per feed path)."""

    def __init__(self, feed: str, limits: Limits):
        self.feed, self.limits, self.used = feed, limits, 0

    def declare(self, name: str, size: int, packed: int | None = None) -> None:
        """A file's declared size (and compressed size, for zips) before reading it."""
        lim = self.limits
        where = f"{self.feed}/{name}"
        if size > lim.file_bytes:
            raise FeedError(where, f"inflates to {_mb(size)}, over the {_mb(lim.file_bytes)} limit per file; {HINT}")
        if packed is not None and size > RATIO_FLOOR and size > lim.ratio * max(packed, 1):
            raise FeedError(where, f"compresses {size / max(packed, 1):,.0f}:1, over the {lim.ratio:.0f}:1 "
                                   "limit (a zip bomb?); refusing to inflate it")

    def declare_total(self, total: int) -> None:
        if total > self.limits.total_bytes:
            raise FeedError(self.feed, f"inflates to {_mb(total)} in all, over the {_mb(self.limits.total_bytes)} "
                                       f"limit per feed; {HINT}")

    def read(self, name: str, fh: BinaryIO, packed: int | None = None) -> bytes:
        """Read ``fh`` in chunks, stopping as soon as a limit is passed (declared sizes can lie)."""
        lim = self.limits
        where = f"{self.feed}/{name}"
        parts: list[bytes] = []
        got = 0
        while chunk := fh.read(CHUNK):
            got += len(chunk)
            parts.append(chunk)
            if got > lim.file_bytes:
                raise FeedError(where, f"inflates past {_mb(lim.file_bytes)}, the limit per file "
                                       f"(more than its declared size); {HINT}")
            if self.used + got > lim.total_bytes:
                raise FeedError(where, f"the feed inflates past {_mb(lim.total_bytes)}, the limit per feed; {HINT}")
            if packed is not None and got > RATIO_FLOOR and got > lim.ratio * max(packed, 1):
                raise FeedError(where, f"compresses more than {lim.ratio:.0f}:1 (more than its declared size; "
                                       "a zip bomb?); refusing to inflate it")
        self.used += got
        return b"".join(parts)


def _unsafe(name: str) -> bool:
    p = PurePosixPath(name.replace("\\", "/"))
    return p.is_absolute() or ".." in p.parts or (len(name) > 1 and name[1] == ":")


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def zip_members(path: Path, zf: zipfile.ZipFile, wanted: set[str], budget: Budget) -> dict[str, zipfile.ZipInfo]:
    """{table file name: member} of the wanted GTFS files, checked against the limits."""
    out: dict[str, zipfile.ZipInfo] = {}
    for info in zf.infolist():
        if info.is_dir():
            continue
        base = PurePosixPath(info.filename.replace("\\", "/")).name
        if base not in wanted:
            continue
        if _unsafe(info.filename):
            raise FeedError(f"{path.name}/{info.filename}", "entry has an absolute path or '..' in it; refusing it")
        if _is_link(info):
            raise FeedError(f"{path.name}/{info.filename}", "entry is a symbolic link; refusing it")
        out.setdefault(base, info)
    for base, info in out.items():
        budget.declare(base, info.file_size, info.compress_size)
    budget.declare_total(sum(i.file_size for i in out.values()))
    return out


def folder_files(path: Path, wanted: set[str], budget: Budget) -> dict[str, Path]:
    """{table file name: path} of the wanted GTFS files of a folder, checked against the limits."""
    out: dict[str, Path] = {}
    total = 0
    for base in sorted(wanted):
        p = path / base
        try:
            st = p.stat()
        except FileNotFoundError:
            continue
        except OSError as e:
            raise FeedError(f"{path.name}/{base}", f"cannot be read ({e.strerror or e})") from None
        if not stat.S_ISREG(st.st_mode):
            raise FeedError(f"{path.name}/{base}", "is not a regular file (a device, pipe or folder); refusing it")
        budget.declare(base, st.st_size)
        total += st.st_size
        out[base] = p
    budget.declare_total(total)
    return out
