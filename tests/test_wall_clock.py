"""Times shown as wall-clock times of the date asked for, the two nights a year the clocks change.

GTFS counts a service day's times from "noon minus 12 h" local time. In America/Los_Angeles:

* spring, Sun 2024-03-10 (02:00 PST -> 03:00 PDT): noon is PDT (UTC-7), 19:00Z; minus 12 h is
  07:00Z, which is 23:00 PST on Sat 9th. So a GTFS time of 01:30 on the 10th is 00:30 wall
  time, and 03:30 is 03:30 PDT (07:00Z + 3.5 h = 10:30Z).
* autumn, Sun 2024-11-03 (02:00 PDT -> 01:00 PST): noon is PST (UTC-8), 20:00Z; minus 12 h is
  08:00Z, which is 01:00 PDT. So a GTFS time of 00:30 on the 3rd is 01:30 PDT (08:30Z, the
  first pass of the hour that comes twice) and 01:30 is 01:30 PST (09:30Z, the second pass).
* the day before either date is an ordinary day, its origin local midnight: a trip of Sat 9th
  at 24:30 leaves 00:30 PST on the 10th (08:30Z); one of Sat 2nd at 24:30 leaves 00:30 PDT on
  the 3rd (07:30Z).

In Europe/Berlin the same rule gives, on Sun 2024-03-31, origin 23:00 CET on the 30th (GTFS
01:30 = 00:30 wall) and on Sun 2024-10-27 origin 01:00 CEST (GTFS 00:30 = 01:30 CEST, GTFS
01:30 = 02:30 CEST, GTFS 02:30 = 02:30 CET).

Every expected time below is worked out by this rule, not by the code.
"""

from __future__ import annotations

import pytest

import hbeu_transit as hb
from gtfs_factory import make_feed

LA = [{"agency_id": "A", "agency_name": "Pacific", "agency_url": "https://example.org",
       "agency_timezone": "America/Los_Angeles"}]
SPRING, AUTUMN = "2024-03-10", "2024-11-03"


def _clock(sec: int) -> str:
    return f"{sec // 3600:02d}:{sec % 3600 // 60:02d}:{sec % 60:02d}"


# ---------------------------------------------------------------------------- the limit note


def _chain_feed(folder, first_departure: int):
    """Seven rides S0 -> S1 -> ... -> S7, each its own trip (six changes: one more than the
    default limit of five), the first leaving S0 at ``first_departure`` (GTFS seconds), each
    ride 10 minutes, 10 minutes to change. Stops 11 km apart: no walking between them."""
    stops = [(f"S{k}", 37.0 + 0.1 * k, -122.0) for k in range(8)]
    rides = {}
    for k in range(7):
        dep = first_departure + k * 20 * 60
        rides[f"T{k}"] = [(f"S{k}", _clock(dep), _clock(dep)), (f"S{k + 1}", _clock(dep + 600), _clock(dep + 600))]
    return make_feed(folder, agency=LA, stops=stops, stop_times=rides)


@pytest.mark.parametrize("date, gtfs, wall", [
    (SPRING, "01:30:00", "00:30"),   # 23:00 PST + 1:30
    (AUTUMN, "00:30:00", "01:30"),   # 01:00 PDT + 0:30
    ("2024-05-15", "01:30:00", "01:30"),   # an ordinary day: the same number
])
def test_the_change_limit_note_gives_the_wall_clock_time(tmp_path, date, gtfs, wall):
    h, m, s = (int(x) for x in gtfs.split(":"))
    feed = _chain_feed(tmp_path / "chain", h * 3600 + m * 60 + s)
    p = hb.Network([feed], cache_dir=tmp_path / "cache").plan("S0", "S7", date=date, depart="00:00")
    assert not p.journeys
    note = [n for n in p.notes if "the default limit" in n]
    assert note and f"with 6 changes one leaves {wall} " in note[0], p.notes


# ---------------------------------------------------------------------------- fare timeframes


def _fare_feed(folder, departure: str):
    """One ride A -> B leaving at ``departure`` (GTFS), and Fares v2: a night fare ($5, priority 1)
    in the timeframe 00:00-01:00 (start included, end not), else the day fare ($2)."""
    h, m, _ = (int(x) for x in departure.split(":"))
    later = _clock(h * 3600 + m * 60 + 1200)
    return make_feed(
        folder, agency=LA, stops=[("A", 37.0, -122.0), ("B", 37.1, -122.0)],
        stop_times={"T": [("A", departure, departure), ("B", later, later)]},
        fare_products=[{"fare_product_id": "NIGHT", "amount": "5.00", "currency": "USD"},
                       {"fare_product_id": "DAY", "amount": "2.00", "currency": "USD"}],
        fare_leg_rules=[{"leg_group_id": "night", "fare_product_id": "NIGHT", "rule_priority": 1,
                         "from_timeframe_group_id": "night"},
                        {"leg_group_id": "day", "fare_product_id": "DAY", "rule_priority": 0}],
        timeframes=[{"timeframe_group_id": "night", "start_time": "00:00:00", "end_time": "01:00:00",
                     "service_id": "ALL"}])


@pytest.mark.parametrize("date, departure, iso, fare", [
    (SPRING, "01:30:00", "2024-03-10T00:30:00-08:00", 5.0),   # 23:00 PST + 1:30: in 00:00-01:00
    (AUTUMN, "00:30:00", "2024-11-03T01:30:00-07:00", 2.0),   # 01:00 PDT + 0:30: after 01:00
    (AUTUMN, "24:30:00", "2024-11-03T00:30:00-07:00", 5.0),   # the 2nd's trip: 00:00 PDT + 0:30
    ("2024-05-15", "00:30:00", "2024-05-15T00:30:00-07:00", 5.0),   # an ordinary day: as written
])
def test_a_fare_timeframe_is_matched_on_the_wall_clock(tmp_path, date, departure, iso, fare):
    feed = _fare_feed(tmp_path / "fares", departure)
    p = hb.Network([feed], cache_dir=tmp_path / "cache").plan("A", "B", date=date, depart="00:00")
    j = p.journeys[0]
    assert j.departure.isoformat() == iso
    assert j.fare.amount == fare and j.fare.currency == "USD"
