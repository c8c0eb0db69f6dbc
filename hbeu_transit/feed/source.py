"""Where an input feed came from: a plain record, importable without pandas (the warm caches
carry it into export metadata)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FeedSource"]


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
