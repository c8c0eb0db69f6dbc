"""Where the bundled regional feeds live (no pandas: used on the warm `hbeu plan` path)."""

from __future__ import annotations

from pathlib import Path

from ..errors import FeedError


def default_feed_paths() -> list[Path]:
    """The bundled regional feeds (the "embedded default" when no --feed is given)."""
    from importlib import resources

    candidates: list[Path] = []
    try:
        root = resources.files("hbeu_transit._data")
        candidates = [Path(str(p)) for p in root.iterdir() if str(p).endswith(".zip")]
    except (ModuleNotFoundError, FileNotFoundError, TypeError):
        candidates = []
    if not candidates:
        repo = Path(__file__).resolve().parents[2] / "data" / "gtfs"
        candidates = list(repo.glob("*.zip"))
    if not candidates:
        raise FeedError("data/gtfs", "no bundled feed found; pass --feed PATH")
    return sorted(candidates)
