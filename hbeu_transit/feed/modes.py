"""Mode names from GTFS route_type, basic and extended (Google's Hierarchical Vehicle Types)."""

from __future__ import annotations

_BASIC = {0: "tram", 1: "subway", 2: "rail", 3: "bus", 4: "ferry", 5: "cable_tram",
          6: "aerial_lift", 7: "funicular", 11: "trolleybus", 12: "monorail"}


#: Every family ``mode_family`` gives (the names ``--modes`` accepts), in the order they are listed.
MODE_FAMILIES = ("rail", "bus", "tram", "subway", "ferry", "cable_tram", "aerial_lift", "funicular",
                 "trolleybus", "monorail", "other")


def mode_name(route_type: int) -> str:
    """A short mode name. High-speed rail (101) is told apart from other rail for the region."""
    rt = int(route_type)
    if rt in _BASIC:
        return _BASIC[rt]
    if rt == 101:
        return "high_speed_rail"
    if 100 <= rt < 200 or 400 <= rt < 500:
        return "rail"
    if 200 <= rt < 300 or 700 <= rt < 800:
        return "bus"
    if 900 <= rt < 1000:
        return "tram"
    if 1000 <= rt < 1300:
        return "ferry"
    if 1300 <= rt < 1500:
        return "aerial_lift"
    return "other"


def mode_family(route_type: int) -> str:
    """The coarse family used by --modes filters: rail, bus, tram, subway, ferry, other."""
    name = mode_name(route_type)
    return "rail" if name == "high_speed_rail" else name
