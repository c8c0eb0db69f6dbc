"""The modelled 呼包鄂乌 regional feed: data/spec/*.csv -> two deterministic GTFS zips (rail, bus).

Names are imported on first use, so ``driving_times`` (pure Python) does not pull in pandas.
"""

from __future__ import annotations

from .._lazy import exports

_WHERE = {
    "build_all": "build", "build_feed": "build",
    "build_feeds": "publish", "check_feeds": "publish",
    "Spec": "spec", "SpecError": "spec", "load_spec": "spec",
    "write_feed": "writer", "zip_bytes": "writer",
    "DrivingTime": "driving", "driving_times": "driving",
}

__all__ = sorted(_WHERE)


__getattr__ = exports(__name__, _WHERE)
