"""The cache folder and the content hashes that key every cache (timetables, place index)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = ["default_cache_dir", "file_sha256"]


def default_cache_dir() -> Path:
    """$HBEU_CACHE_DIR, else $XDG_CACHE_HOME/hbeu-transit, else ~/.cache/hbeu-transit."""
    env = os.environ.get("HBEU_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "hbeu-transit"


def file_sha256(path: str | Path) -> str:
    """sha256 of a feed zip's bytes, or of a folder's .txt files (names and bytes, sorted)."""
    p = Path(path)
    h = hashlib.sha256()
    if p.is_dir():
        for f in sorted(p.iterdir()):
            if f.is_file() and f.suffix == ".txt":
                h.update(f.name.encode())
                with open(f, "rb") as fh:
                    h.update(hashlib.file_digest(fh, "sha256").digest())
    else:
        with open(p, "rb") as fh:
            h.update(hashlib.file_digest(fh, "sha256").digest())
    return h.hexdigest()
