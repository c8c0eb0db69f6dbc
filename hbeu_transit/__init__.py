"""hbeu-transit: journey planning and one-hour-circle analysis on GTFS feeds.

Data flows one way: feed files -> validated feed (``feed``) -> compiled timetable
(``timetable``) -> engines (``router``) -> analyses (``analysis``) -> presentation (``cli``).
"""

__version__ = "0.1.0"
