"""A departure board past midnight (``Network.departures`` with an ``end`` after 24:00, as its own
error message suggests: "for a board past midnight write 30:00 (06:00 the next day)") lists the
next service date's early trips too, as ``plan`` with the same window rides them.

The feed: one stop pair A -> B in America/Los_Angeles, every day of 2024, trips leaving A at GTFS
00:30 (T1), 05:00 (T2), 23:30 (T3) and 24:45 (T4, a trip of the day leaving after midnight).
2024-05-14 and 15 are ordinary days (PDT, -07:00, all day), so GTFS times are wall times of their
own date. A board of Tue 14th from 22:00 to 30:00 (Wed 06:00) is: T3 of the 14th at 23:30, then
on Wed 15th T1 of the 15th at 00:30, T4 of the 14th at 00:45, T2 of the 15th at 05:00.
"""

from __future__ import annotations

import pytest

import hbeu_transit as hb
from gtfs_factory import make_feed

LA = [{"agency_id": "A", "agency_name": "Pacific", "agency_url": "https://example.org",
       "agency_timezone": "America/Los_Angeles"}]


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    root = tmp_path_factory.mktemp("night")

    def ride(dep: str, arr: str):
        return [("A", dep, dep), ("B", arr, arr)]

    feed = make_feed(root / "feed", agency=LA, stops=[("A", 37.0, -122.0), ("B", 37.1, -122.0)],
                     stop_times={"T1": ride("00:30:00", "00:50:00"), "T2": ride("05:00:00", "05:20:00"),
                                 "T3": ride("23:30:00", "23:50:00"), "T4": ride("24:45:00", "25:05:00")})
    return hb.Network([feed], cache_dir=root / "cache")


def _board(net, **kw) -> list[tuple[str, str]]:
    return [(r["departure"], r["trip"]) for r in net.departures("A", date="2024-05-14", **kw).rows]


def test_a_board_past_midnight_lists_the_next_dates_early_trips(net):
    """It listed only the 14th's own trips (23:30 and 00:45): the 15th's 00:30 and 05:00 are in
    the 15th's timetable only."""
    assert _board(net, start="22:00", end="30:00") == [
        ("2024-05-14T23:30:00-07:00", "T3"), ("2024-05-15T00:30:00-07:00", "T1"),
        ("2024-05-15T00:45:00-07:00", "T4"), ("2024-05-15T05:00:00-07:00", "T2")]
    # the end is included; a minute before it, not
    assert _board(net, start="22:00", end="29:00")[-1] == ("2024-05-15T05:00:00-07:00", "T2")
    assert _board(net, start="22:00", end="28:59")[-1] == ("2024-05-15T00:45:00-07:00", "T4")
    # from after midnight: the 15th's and the 14th's late trip, not the 14th's evening
    assert _board(net, start="24:40", end="30:00") == [
        ("2024-05-15T00:45:00-07:00", "T4"), ("2024-05-15T05:00:00-07:00", "T2")]


def test_a_board_within_the_day_is_the_days_own(net):
    """Without an end past 24:00 nothing changes: the day's own trips (T4 of the 13th leaves
    the 14th at 00:45 and is on the 14th's board, as always)."""
    assert _board(net, start="00:00", end="23:59") == [
        ("2024-05-14T00:30:00-07:00", "T1"), ("2024-05-14T00:45:00-07:00", "T4"),
        ("2024-05-14T05:00:00-07:00", "T2"), ("2024-05-14T23:30:00-07:00", "T3")]
    # no end: the whole service day of the 14th, its 24:45 included, not the 15th's trips
    assert _board(net, start="22:00") == [("2024-05-14T23:30:00-07:00", "T3"), ("2024-05-15T00:45:00-07:00", "T4")]


def test_the_board_past_midnight_agrees_with_the_plan(net):
    plan = net.plan("A", "B", date="2024-05-14", depart="22:00", window="8h")
    board = net.departures("A", date="2024-05-14", start="22:00", end="30:00")
    assert [j.departure.isoformat() for j in plan.journeys] == [r["departure"] for r in board.rows]


def test_a_night_board_across_the_clock_changes(net):
    """By GTFS's rule. Eve of the spring change, Sat 2024-03-09: the 10th's day starts 23:00 PST
    on the 9th, so its T1 (GTFS 00:30) leaves 23:30 PST on the 9th, beside the 9th's own T3; the
    9th's T4 (24:45 from midnight PST) leaves 00:45 PST; the 10th's T2 (05:00 from 07:00Z) 05:00
    PDT. Sat 2024-11-02: the 3rd's day starts 01:00 PDT, so its T1 leaves 01:30 PDT, after the
    2nd's T4 at 00:45 PDT; its T2 05:00 PST."""
    def board(date):
        return [(r["departure"], r["trip"]) for r in net.departures("A", date=date, start="22:00", end="30:00").rows]

    assert sorted(board("2024-03-09")) == [
        ("2024-03-09T23:30:00-08:00", "T1"), ("2024-03-09T23:30:00-08:00", "T3"),
        ("2024-03-10T00:45:00-08:00", "T4"), ("2024-03-10T05:00:00-07:00", "T2")]
    assert board("2024-11-02") == [
        ("2024-11-02T23:30:00-07:00", "T3"), ("2024-11-03T00:45:00-07:00", "T4"),
        ("2024-11-03T01:30:00-07:00", "T1"), ("2024-11-03T05:00:00-08:00", "T2")]
