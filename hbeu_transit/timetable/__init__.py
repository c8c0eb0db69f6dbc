"""Compiled timetables: the arrays the router reads (``model``), built from a feed for one
service date (``compile``, with ``transfers``), by hand for tests (``handmade``), and kept on
disk (``cache``). Names are imported on first use: reading a cached timetable needs numpy only.
"""

from __future__ import annotations

from .._lazy import exports

_WHERE = {
    "Timetable": "model",
    "compile_timetable": "compile", "days_back": "compile", "NEXT_DAY_HORIZON": "compile",
    "timetable_from_connections": "handmade", "check_timetable": "handmade",
    "load_timetable": "cache", "save_timetable": "cache", "read_timetable": "cache", "cache_key": "cache",
    "FORMAT_VERSION": "cache",
    "haversine_m": "transfers", "DEFAULT_CHANGE_SECONDS": "transfers", "OTHER_CHANGE_SECONDS": "transfers",
    "WALK_SPEED_MPS": "transfers",
}

__all__ = sorted(_WHERE)


__getattr__ = exports(__name__, _WHERE)
