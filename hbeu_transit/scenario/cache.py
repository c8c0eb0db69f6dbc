"""The modified feed as a file in the cache, for everything that reads feeds by path.

The analysis commands and ``Network`` key their caches on feed *files*, so
``scenario_feed_path`` writes the modified feed once into ``<cache>/scenarios/``, named by the
hash of the input files and of the scenarios, and hands back that path: a second run finds it
without reading any feed, and the timetable and place caches then work exactly as on any other
feed. Beside the zip, ``<name>.feeds.json`` records the feeds the scenarios were applied to
(``scenario_base_feeds``), for the exports to name them as a run without scenarios would. Standard
library only (and numpy through the file hash), so a warm ``hbeu plan --scenario`` stays as light as
a plain one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..feed.source import FeedSource
from .model import Scenario, load_scenarios, scenario_hash

if TYPE_CHECKING:
    from ..feed.load import Feed

__all__ = ["scenario_base_feeds", "scenario_chain", "scenario_feed_path"]

def scenario_feed_path(feed_paths: Sequence[str | Path], scenarios: Sequence[str | Path | dict | Scenario],
                       cache_dir: str | Path, loader: Callable[[], Feed] | None = None) -> Path:
    """A GTFS zip of ``feed_paths`` merged and modified by ``scenarios``, written once into
    ``cache_dir/scenarios/`` and reused while the inputs and scenarios stay the same.
    ``loader`` gives the merged input feed when it must be built (default: read the paths); the
    input feeds' records are written beside it then (a zip cached without them gets them once)."""
    from ..cache import file_sha256

    parsed = load_scenarios(scenarios)
    paths = [Path(p) for p in feed_paths]
    h = hashlib.sha256(scenario_hash(parsed).encode())
    for p in paths:
        h.update(f"{p.name}:{file_sha256(p)};".encode())
    slug = "+".join(s.name for s in parsed)
    slug = "".join(c if c.isalnum() or c in "-_+" else "_" for c in slug)[:80] or "scenario"
    target = Path(cache_dir) / "scenarios" / h.hexdigest()[:20] / f"{slug}.zip"
    if not (target.is_file() and _feeds_file(target).is_file()):   # a zip of an older version has no record
        from ..atomic import write_bytes_atomic
        from ..feed.load import load_feeds
        from .apply import apply_scenarios, feed_zip_bytes

        feed = loader() if loader is not None else load_feeds(paths)
        if not target.is_file():
            try:
                write_bytes_atomic(target, feed_zip_bytes(apply_scenarios(feed, parsed)), make_dirs=True, mode=0o644)
            except OSError as e:   # a read-only or full cache: the commands read the scenario's feed by path
                from ..errors import InputError

                raise InputError(f"cannot write the scenarios' feed into the cache folder {str(target.parent)!r} "
                                 f"({e.strerror or e}): give a writable {{cache_dir}}", "cache_dir") from None
        inputs = [s for s in feed.sources if s.path]     # one per path (no in-memory scenario marker)
        records = [r for p, s in zip(paths, inputs)
                   for r in (_base_records(p, cache_dir) or [dataclasses.asdict(s)])]
        # every scenario between those feeds and this zip: the inputs' own (a cached scenario zip
        # given as a feed) first, then these
        chain = [*scenario_chain(paths, cache_dir), *(s.record() for s in parsed)]
        try:
            write_bytes_atomic(_feeds_file(target), json.dumps({"feeds": records, "scenarios": chain},
                                                               ensure_ascii=False, indent=1).encode(), mode=0o644)
        except OSError:   # a read-only cache holding an older version's zip: the exports name that zip
            pass
    return target


def _feeds_file(target: Path) -> Path:
    """The record, beside a cached scenario zip, of the feeds its scenarios were applied to."""
    return target.with_suffix(".feeds.json")


def _read_feeds(target: Path, key: str = "feeds") -> list[dict] | None:
    try:
        return json.loads(_feeds_file(target).read_text(encoding="utf-8"))[key]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _cached(path: str | Path, cache_dir: str | Path) -> bool:
    """Whether ``path`` is a cached scenario zip (in ``cache_dir``'s scenarios folder)."""
    return Path(cache_dir, "scenarios").resolve() in Path(path).resolve().parents


def _base_records(path: Path, cache_dir: str | Path) -> list[dict] | None:
    """The feeds recorded for ``path`` when it is itself a cached scenario zip (scenarios applied
    on top of others: ``Network.with_scenario`` of a scenario's network), else None."""
    return _read_feeds(Path(path)) if _cached(path, cache_dir) else None


def scenario_chain(feed_paths: Sequence[str | Path], cache_dir: str | Path) -> list[dict]:
    """The scenarios (``Scenario.record``) already applied to ``feed_paths``: those recorded
    beside any of them that is a cached scenario zip (``--feed`` pointing into the cache), in
    order; [] for plain feeds. The exports name them before the run's own scenarios, as they name
    the feeds under them."""
    return [r for p in feed_paths if _cached(p, cache_dir) for r in (_read_feeds(Path(p), "scenarios") or [])]


def scenario_base_feeds(target: str | Path) -> list[FeedSource] | None:
    """The feeds (``FeedSource``) a cached scenario zip (``scenario_feed_path``) was built from,
    as a run without the scenarios names them: exports name these, with the scenarios, so that
    the run can be reproduced. Read from a small file beside the zip (no feed is read); None
    when it is missing or unreadable."""
    records = _read_feeds(Path(target))
    try:
        return None if records is None else [FeedSource(**r) for r in records]
    except TypeError:
        return None
