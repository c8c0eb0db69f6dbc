"""Compiled timetables on disk: one file per (feeds, date, options) (``cache.write_arrays``),
read back with numpy only (a warm cache never imports pandas), written atomically, ignored
when stale or damaged."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache import (ARRAYS_SUFFIX, default_cache_dir, feeds_digest, fields_from, file_sha256, read_arrays,
                     split_fields, write_arrays)
from .model import Timetable

if TYPE_CHECKING:  # pragma: no cover
    from ..feed import Feed

__all__ = ["FORMAT_VERSION", "cache_key", "load_timetable", "read_timetable", "save_timetable"]

#: Bump when the compiled arrays or their meaning change: old cache files are then ignored.
FORMAT_VERSION = 10    # 3: in-seat continuations into the next service day; 4: cache.write_arrays, not .npz;
#: 5: a stop whose parent_station is no station or stop (an entrance) is its own area and station
#: 6: an earlier service day's trips are shifted by the time between the days' origins (an hour
#: off 86400 s across a clock change); 7: the date the clocks go forward looks one day further back;
#: 8: a block or linked trip into the next service day judged on the runs' own clocks (23 or 25 h)
#: 9: a feed repeating a primary key (two stop_times rows of one trip_id and stop_sequence...) is
#: refused, where timetables compiled before took it; 10: the next service day's trips leaving before
#: compile.NEXT_DAY_HORIZON (trip_day +1), so journeys change across midnight

_OPTION_NAMES = ("transfer_minutes", "walk_meters", "modes", "area_csv")


def _normalise_options(options: Mapping[str, Any], cache_dir: Path | None = None) -> dict[str, Any]:
    unknown = set(options) - set(_OPTION_NAMES)
    if unknown:
        raise TypeError(f"unknown timetable option(s): {', '.join(sorted(unknown))}")
    tm, wm = options.get("transfer_minutes"), options.get("walk_meters")
    modes, area_csv = options.get("modes"), options.get("area_csv")
    return {"transfer_minutes": None if tm is None else float(tm),
            "walk_meters": None if wm is None else float(wm),
            "modes": None if modes is None else sorted(set(modes)),
            "area_csv": None if area_csv is None else file_sha256(area_csv, cache_dir)}


def cache_key(feed_paths: Sequence[str | Path], date: dt.date | str, *, cache_dir: Path | None = None,
              **options: Any) -> str:
    """The cache key: input file contents (and names, which prefix clashing ids), date, options.
    ``cache_dir``: where the file digests are remembered (``cache.file_sha256``)."""
    d = date if isinstance(date, str) else date.isoformat()
    payload = {"format": FORMAT_VERSION, "date": dt.date.fromisoformat(d).isoformat(),
               "feeds": feeds_digest(feed_paths, cache_dir=cache_dir),
               "options": _normalise_options(options, cache_dir)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]


def save_timetable(tt: Timetable, path: str | Path, key: str = "") -> None:
    """Write ``tt`` to ``path`` atomically (``cache.write_arrays``): the arrays, and the strings
    and lists in the JSON record."""
    arrays, meta = split_fields(tt)
    meta["key"] = key
    write_arrays(path, arrays, meta, FORMAT_VERSION)


def read_timetable(path: str | Path, key: str | None = None) -> Timetable:
    """Read a file written by ``save_timetable``; ValueError when it is stale or damaged."""
    arrays, meta = read_arrays(path, FORMAT_VERSION)
    if key is not None and meta.get("key") != key:
        raise ValueError("stale cache file")
    return Timetable(**fields_from(Timetable, arrays, meta))


def load_timetable(feed_paths: Sequence[str | Path], date: dt.date | str, *,
                   cache_dir: Path | None = None, feed_loader: Callable[[], Feed] | None = None,
                   **options: Any) -> Timetable:
    """The Timetable of ``date`` for these feeds, from the cache when possible.

    options: transfer_minutes, walk_meters, modes, area_csv (a stop_id,area CSV). A hit reads
    one file with numpy only; a miss (or a damaged file) loads the feeds, compiles and writes
    the cache atomically. An unwritable cache directory only costs the caching.
    ``feed_loader()``, when given, returns the merged Feed of ``feed_paths`` on a miss (so that
    a caller compiling several dates, or also building the place index, reads the feeds once);
    by default the feeds are loaded here.
    """
    paths = [Path(p) for p in feed_paths]
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    key = cache_key(paths, date, cache_dir=folder, **options)
    target = folder / f"timetable-{key}{ARRAYS_SUFFIX}"
    if target.is_file():
        try:
            return read_timetable(target, key)
        except ValueError:
            pass  # stale or corrupt: recompile below
    if feed_loader is None:
        from ..feed import load_feeds

        feed = load_feeds(paths)
    else:
        feed = feed_loader()
    areas = None
    if options.get("area_csv") is not None:
        from ..feed import stop_areas

        areas = stop_areas(feed, options["area_csv"])
    from .compile import compile_timetable

    tt = compile_timetable(feed, date, transfer_minutes=options.get("transfer_minutes"),
                           walk_meters=options.get("walk_meters"),
                           modes=set(options["modes"]) if options.get("modes") is not None else None,
                           areas=areas)
    try:
        save_timetable(tt, target, key)
    except OSError:
        pass
    return tt
