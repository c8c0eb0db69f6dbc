"""hbeu-transit: journey planning and one-hour-circle analysis on GTFS feeds.

Start with :class:`Network` (the front door)::

    import hbeu_transit as hb
    net = hb.Network()                      # the bundled regional feeds, or Network(["feed.zip"])
    net.plan("Baotou", "Hohhot", date="2026-12-09", depart="07:30").to_frame()

Data flows one way: feed files -> validated feed (``feed``) -> compiled timetable
(``timetable``) -> engines (``router``) -> analyses (``analysis``) -> presentation (``cli``).
Names are imported on first use, so ``import hbeu_transit`` stays cheap.
"""

from __future__ import annotations

from ._lazy import exports

__version__ = "0.1.0"

_WHERE = {
    "Network": "network",
    "Plan": "analysis.results", "Journey": "analysis.results", "Leg": "analysis.results",
    "Fare": "analysis.results", "Board": "analysis.results", "Commute": "analysis.results",
    "CommuteDay": "analysis.results",
    "Place": "places", "Station": "places",
    "Feed": "feed.load", "load_feeds": "feed.load",
    "Timetable": "timetable.model",
    "earliest_arrival": "router", "arrive_by": "router", "latest_departure": "router", "pareto": "router",
    "profile": "router", "profile_all": "router",
    "RouterOptions": "values",
    "HbeuError": "errors", "FeedError": "errors", "InputError": "errors",
}

__all__ = sorted(_WHERE)


__getattr__ = exports(__name__, _WHERE)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
