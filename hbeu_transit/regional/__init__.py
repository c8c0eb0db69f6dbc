"""The modelled 呼包鄂乌 regional feed: data/spec/*.csv -> two deterministic GTFS zips (rail, bus)."""

from .build import build_all, build_feed
from .publish import build_feeds, check_feeds
from .spec import Spec, SpecError, load_spec
from .writer import write_feed, zip_bytes

__all__ = ["Spec", "SpecError", "load_spec", "build_all", "build_feed",
           "build_feeds", "check_feeds", "write_feed", "zip_bytes"]
