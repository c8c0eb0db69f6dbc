"""Reading, merging and checking GTFS feeds (through gtfs-kit), areas and service days."""

from .areas import stop_areas
from .load import Feed, FeedSource, default_feed_paths, load_feeds
from .service import active_services, day_type, default_date, service_date_range
from .times import format_clock, parse_clock, parse_time_column

__all__ = ["Feed", "FeedSource", "default_feed_paths", "load_feeds", "stop_areas", "active_services",
           "service_date_range", "day_type", "default_date", "parse_time_column", "parse_clock", "format_clock"]
