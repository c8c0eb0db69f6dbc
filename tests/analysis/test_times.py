"""Durations as typed (``--window``, ``--horizon``...) and as shown."""

from __future__ import annotations

import pytest

from hbeu_transit.analysis.times import format_duration, parse_duration
from hbeu_transit.errors import InputError


@pytest.mark.parametrize("text, seconds", [("2h", 7200), ("90m", 5400), ("90", 5400), ("1h30", 5400),
                                           ("1:30", 5400), ("1:59", 7140), ("0:00", 0), ("1.5h", 5400),
                                           ("45 min", 2700)])
def test_durations_as_typed(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["1:60", "1:5", "h", "", "2hh", "-1h", "1:30:00", "soon"])
def test_impossible_durations_are_input_errors(text):
    with pytest.raises(InputError, match="impossible duration"):
        parse_duration(text)


@pytest.mark.parametrize("seconds, shown", [(2700, "45m"), (3600, "1h00"), (3900, "1h05"), (89, "1m"), (0, "0m")])
def test_durations_as_shown(seconds, shown):
    assert format_duration(seconds) == shown


# GTFS times count from noon minus 12 h. Los Angeles, Sun 2024-03-10: noon PDT is 19:00Z, the
# origin 07:00Z = 23:00 PST on the 9th. Sun 2024-11-03: noon PST is 20:00Z, the origin 08:00Z =
# 01:00 PDT; 09:00Z is 02:00 PDT = 01:00 PST. Berlin, Sun 2024-10-27: noon CET is 11:00Z, the
# origin 23:00Z on the 26th = 01:00 CEST; 01:00Z is 03:00 CEST = 02:00 CET.
@pytest.mark.parametrize("zone, date, gtfs, wall", [
    ("America/Los_Angeles", "2024-03-10", 5400, 1800),             # 08:30Z: 00:30 PST
    ("America/Los_Angeles", "2024-03-10", 1800, -1800),            # 07:30Z: 23:30 PST the day before
    ("America/Los_Angeles", "2024-03-10", 3 * 3600 + 1800, 3 * 3600 + 1800),   # 10:30Z: 03:30 PDT
    ("America/Los_Angeles", "2024-11-03", 1800, 5400),             # 08:30Z: 01:30 PDT
    ("America/Los_Angeles", "2024-11-03", 5400, 5400),             # 09:30Z: 01:30 PST
    ("America/Los_Angeles", "2024-11-03", -3600, 0),               # 07:00Z: 00:00 PDT
    ("America/Los_Angeles", "2024-11-03", 86400 + 1800, 86400 + 1800),   # 00:30 PST on the 4th
    ("Europe/Berlin", "2024-10-27", 5400, 9000),                   # 00:30Z: 02:30 CEST
    ("Europe/Berlin", "2024-10-27", 9000, 9000),                   # 01:30Z: 02:30 CET
    ("Europe/Berlin", "2024-05-15", 5400, 5400),                   # an ordinary day
])
def test_wall_seconds_reads_the_clock_at_a_gtfs_time(zone, date, gtfs, wall):
    from hbeu_transit.analysis.times import service_seconds, wall_seconds

    assert wall_seconds(date, zone, gtfs) == wall
    second_pass = (zone, date, gtfs) in {("America/Los_Angeles", "2024-11-03", 5400), ("Europe/Berlin", "2024-10-27", 9000)}
    if not second_pass:   # its inverse (a time typed in the repeated hour is its first pass)
        assert service_seconds(date, zone, wall) == gtfs
