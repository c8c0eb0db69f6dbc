"""Where an input feed came from: a plain record, importable without pandas (the warm caches
carry it into export metadata)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["FeedSource", "feed_name", "feed_path"]


def feed_path(raw: str | Path) -> Path:
    """A feed's path as given, or the folder it means when it has no name of its own ('.', './',
    'sub/..'): feeds and the files in errors are named after their path's last part."""
    p = Path(raw)
    return p.resolve() if p.name in ("", "..") else p


def feed_name(path: Path) -> str:
    """A feed's name, as the loader gives it (and prefixes its clashing ids with) and the
    notices call it: a zip's stem, a folder's name."""
    return path.stem if path.is_file() else path.name


@dataclass(frozen=True)
class FeedSource:
    """Where one input feed came from, for provenance and cache keys."""

    name: str
    path: str
    sha256: str
    prefix: str
    feed_version: str | None = None
    publisher: str | None = None
    start_date: str | None = None
    end_date: str | None = None
