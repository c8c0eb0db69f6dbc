"""Places: station names in Chinese, English and pinyin, cities (areas), modes, service dates and
fares, distilled from the feed into a small cached index (``index``) that the planner resolves
names with (``names``) and prices rides with (``fares``) without pandas."""

from __future__ import annotations

from .index import build_index, feed_key, index_path, load_index
from .names import (City, HitKind, NameHit, Place, PlaceIndex, Station, normalize, pick_translation, regional_cities,
                    strip_suffix)
from .tables import name_places, place_names

__all__ = ["City", "HitKind", "NameHit", "Place", "PlaceIndex", "Station", "build_index", "feed_key", "index_path",
           "load_index", "name_places", "normalize", "place_names", "pick_translation", "regional_cities", "strip_suffix"]
