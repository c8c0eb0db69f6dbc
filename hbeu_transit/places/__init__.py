"""Places: station names in Chinese, English and pinyin, cities (areas), modes, service dates and
fares, distilled from the feed into a small cached index (``index``) that the planner resolves
names with (``names``) and prices rides with (``fares``) without pandas.

Names are imported lazily (``_lazy``): a warm ``hbeu plan`` loads the index and the names, not
the report tables (numpy) or anything else it does not use.
"""

from __future__ import annotations

from .._lazy import exports

_WHERE = {
    "build_index": "index", "feed_key": "index", "index_path": "index", "load_index": "index",
    "City": "names", "HitKind": "names", "NameHit": "names", "Place": "names", "PlaceIndex": "names",
    "Station": "names", "normalize": "names", "pick_translation": "names", "regional_cities": "names",
    "name_stem": "names",
    "name_places": "tables", "place_names": "tables",
}

__all__ = sorted(_WHERE)

__getattr__ = exports(__name__, _WHERE)
