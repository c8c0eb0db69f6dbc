"""The modified feed as a file in the cache, for everything that reads feeds by path.

The analysis commands and ``Network`` key their caches on feed *files*, so
``scenario_feed_path`` writes the modified feed once into ``<cache>/scenarios/``, named by the
hash of the input files and of the scenarios, and hands back that path: a second run finds it
without reading any feed, and the timetable and place caches then work exactly as on any other
feed. Standard library only (and numpy through the file hash), so a warm ``hbeu plan
--scenario`` stays as light as a plain one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Scenario, load_scenarios, scenario_hash

if TYPE_CHECKING:
    from ..feed.load import Feed

__all__ = ["scenario_feed_path"]

def scenario_feed_path(feed_paths: Sequence[str | Path], scenarios: Sequence[str | Path | dict | Scenario],
                       cache_dir: str | Path, loader: Callable[[], Feed] | None = None) -> Path:
    """A GTFS zip of ``feed_paths`` merged and modified by ``scenarios``, written once into
    ``cache_dir/scenarios/`` and reused while the inputs and scenarios stay the same.
    ``loader`` gives the merged input feed when it must be built (default: read the paths)."""
    from ..cache import file_sha256

    parsed = load_scenarios(scenarios)
    paths = [Path(p) for p in feed_paths]
    h = hashlib.sha256(scenario_hash(parsed).encode())
    for p in paths:
        h.update(f"{p.name}:{file_sha256(p)};".encode())
    slug = "+".join(s.name for s in parsed)
    slug = "".join(c if c.isalnum() or c in "-_+" else "_" for c in slug)[:80] or "scenario"
    target = Path(cache_dir) / "scenarios" / h.hexdigest()[:20] / f"{slug}.zip"
    if not target.is_file():
        from ..atomic import write_bytes_atomic
        from ..feed.load import load_feeds
        from .apply import apply_scenarios, feed_zip_bytes

        feed = loader() if loader is not None else load_feeds(paths)
        write_bytes_atomic(target, feed_zip_bytes(apply_scenarios(feed, parsed)), make_dirs=True, mode=0o644)
    return target
