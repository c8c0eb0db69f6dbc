"""The cache folder and the content hashes that key every cache (timetables, place index)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

__all__ = ["default_cache_dir", "feeds_digest", "file_sha256"]


def default_cache_dir() -> Path:
    """$HBEU_CACHE_DIR, else $XDG_CACHE_HOME/hbeu-transit, else ~/.cache/hbeu-transit."""
    env = os.environ.get("HBEU_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "hbeu-transit"


def file_sha256(path: str | Path) -> str:
    """sha256 of a feed: a zip's bytes (what ``sha256sum`` prints), or a folder's .txt files
    (name, then bytes, in name order). The one content hash of every cache key and of the
    feed record in exports (``FeedSource.sha256``)."""
    p = Path(path)
    h = hashlib.sha256()
    files = sorted(f for f in p.iterdir() if f.is_file() and f.suffix == ".txt") if p.is_dir() else [p]
    for f in files:
        if p.is_dir():
            h.update(f.name.encode())
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def feeds_digest(paths: Sequence[str | Path], area_csv: str | Path | None = None) -> str:
    """The key of merged feeds: each feed's name (which prefixes clashing ids), order and
    content, and the user's areas CSV when given. Every cache derived from the feeds (timetables,
    place index) is keyed on it, so they all follow the same inputs."""
    h = hashlib.sha256()
    for p in map(Path, paths):
        h.update(f"{p.stem if p.is_file() else p.name}:{file_sha256(p)};".encode())
    if area_csv is not None:
        h.update(f"areas:{file_sha256(area_csv)};".encode())
    return h.hexdigest()
