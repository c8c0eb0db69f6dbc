"""The planner's own checks at their limits (``feed.validate``): what is allowed exactly at a
limit is not reported, and one second past it is."""

from __future__ import annotations

from gtfs_factory import make_feed

from hbeu_transit.feed import load_feeds
from hbeu_transit.feed.validate import planner_errors, validate_feed

STOPS = [("A", 40.0, 116.0), ("B", 40.001, 116.0)]      # 111 m apart


def codes(tmp_path, name: str, rows) -> list[str]:
    feed = make_feed(tmp_path / name, stops=STOPS, stop_times={"T": rows})
    notices, _ = validate_feed(feed, canonical=False)
    return [n.code for n in notices if n.severity == "ERROR"]


def test_a_hop_of_no_time_is_not_travelling_backwards(tmp_path):
    assert "time_travels_backwards" not in codes(tmp_path, "same", [("A", "08:00:00", "08:00:00"),
                                                                    ("B", "08:00:00", "08:00:00")])
    assert "time_travels_backwards" in codes(tmp_path, "back", [("A", "08:00:00", "08:00:00"),
                                                                ("B", "07:59:59", "07:59:59")])


def test_a_trip_of_exactly_four_days_is_not_longer_than_four(tmp_path):
    assert "trip_longer_than_4_days" not in codes(tmp_path, "four", [("A", "00:00:00", "00:00:00"),
                                                                     ("B", "96:00:00", "96:00:00")])
    assert "trip_longer_than_4_days" in codes(tmp_path, "more", [("A", "00:00:00", "00:00:00"),
                                                                 ("B", "96:00:01", "96:00:01")])


def test_an_hour_too_long_for_an_integer_is_a_long_trip_not_a_traceback(tmp_path):
    """The loader reads "99999999999999999999:00:00" (a time is any number of hours); the
    planner's check once parsed hours as 64-bit integers and stopped `hbeu validate` and `hbeu
    info` with an OverflowError traceback."""
    rows = [("A", "08:00:00", "08:00:00"), ("B", "99999999999999999999:00:00", "99999999999999999999:00:00")]
    assert "trip_longer_than_4_days" in codes(tmp_path, "huge", rows)
    errors = planner_errors(load_feeds([tmp_path / "huge"]))
    assert [n.code for n in errors] == ["trip_longer_than_4_days"] and "'T'" in errors[0].message
