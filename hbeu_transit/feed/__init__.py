"""Reading, merging and checking GTFS feeds (through gtfs-kit), areas and service days.

Names are imported lazily, so the fast paths (`parse_clock`, `default_feed_paths`, `mode_name`)
do not pull in pandas or gtfs-kit.
"""

from __future__ import annotations

from .._lazy import exports

_WHERE = {
    "stop_areas": "areas", "station_parents": "areas",
    "Feed": "load", "FeedSource": "source", "load_feeds": "load",
    "default_feed_paths": "bundled",
    "active_services": "service", "day_type": "service", "default_date": "service",
    "service_date_range": "service", "dates_with_trips": "service",
    "choose_default_date": "dates",
    "format_clock": "times", "parse_clock": "times", "parse_time_column": "times",
    "mode_name": "modes", "mode_family": "modes",
}

__all__ = sorted(_WHERE)


__getattr__ = exports(__name__, _WHERE)
