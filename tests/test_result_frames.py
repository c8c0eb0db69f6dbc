"""The DataFrames of Plan, Board and Commute (``to_frame``) as a notebook reads them: the same
columns whether or not anything was found, and times in the agency's timezone, also on the night
the clocks change.

The autumn times are worked out by GTFS's rule (a service day counts from noon minus 12 h): in
America/Los_Angeles on Sun 2024-11-03 noon is PST (20:00Z), so the day's origin is 08:00Z
(01:00 PDT); a trip at GTFS 00:30 leaves 08:30Z (01:30 PDT, -07:00) and one at GTFS 05:00
leaves 13:00Z (05:00 PST, -08:00).
"""

from __future__ import annotations

import pandas as pd
import pytest

import hbeu_transit as hb
from gtfs_factory import make_feed

LA = [{"agency_id": "A", "agency_name": "Pacific", "agency_url": "https://example.org",
       "agency_timezone": "America/Los_Angeles"}]
AUTUMN = "2024-11-03"
DAY = "2026-12-09"


@pytest.fixture(scope="module")
def autumn(tmp_path_factory):
    """Two rides A -> B (20 minutes), at GTFS 00:30 and 05:00 of every day of 2024."""
    root = tmp_path_factory.mktemp("autumn")
    feed = make_feed(root / "feed", agency=LA, stops=[("A", 37.0, -122.0), ("B", 37.1, -122.0)],
                     stop_times={"T1": [("A", "00:30:00", "00:30:00"), ("B", "00:50:00", "00:50:00")],
                                 "T2": [("A", "05:00:00", "05:00:00"), ("B", "05:20:00", "05:20:00")]})
    return hb.Network([feed], cache_dir=root / "cache")


@pytest.fixture(scope="module")
def net(tmp_path_factory) -> hb.Network:
    return hb.Network(cache_dir=tmp_path_factory.mktemp("frames-cache"))


def _utc(*texts: str) -> list[pd.Timestamp]:
    return [pd.Timestamp(t) for t in texts]


def test_a_board_across_the_autumn_change_is_one_column_in_the_agency_timezone(autumn):
    """The board's departures carry two offsets (-07:00, -08:00): to_frame raised pandas'
    "Tz-aware datetime.datetime cannot be converted to datetime64 unless utc=True"."""
    board = autumn.departures("A", date=AUTUMN, all_day=True)
    assert [r["departure"] for r in board.rows] == ["2024-11-03T01:30:00-07:00", "2024-11-03T05:00:00-08:00"]
    df = board.to_frame()
    assert str(df["departure"].dt.tz) == "America/Los_Angeles"
    assert list(df["departure"]) == _utc("2024-11-03T08:30:00Z", "2024-11-03T13:00:00Z")
    assert [t.strftime("%H:%M %z") for t in df["departure"]] == ["01:30 -0700", "05:00 -0800"]


def test_plan_and_commute_frames_across_the_autumn_change_have_datetime_columns(autumn):
    """Plan.to_frame and Commute.to_frame gave object columns of datetimes (no ``.dt``) when
    the journeys straddle the change, datetime64 columns on any other day."""
    plan = autumn.plan("A", "B", date=AUTUMN, depart="00:00", window="6h")
    df = plan.to_frame()
    for col in ("departure", "arrival"):
        assert str(df[col].dt.tz) == "America/Los_Angeles", col
    assert list(df["departure"]) == _utc("2024-11-03T08:30:00Z", "2024-11-03T13:00:00Z")
    assert list(df["arrival"]) == _utc("2024-11-03T08:50:00Z", "2024-11-03T13:20:00Z")
    # to work by 05:30 (the 05:00, alternative the 01:30 PDT); home after 00:00 (the 01:30 PDT,
    # then the 05:00 PST): every time column one dtype
    week = autumn.commute("A", "B", arrive_by="05:30", leave_after="05:30", days=1, date=AUTUMN, weekdays=False)
    cf = week.to_frame()
    for col in ("departure", "arrival", "alternative_departure"):
        assert str(cf[col].dt.tz) == "America/Los_Angeles", col
    assert cf.loc[0, "departure"] == pd.Timestamp("2024-11-03T13:00:00Z")
    assert cf.loc[0, "alternative_departure"] == pd.Timestamp("2024-11-03T08:30:00Z")


def test_frames_on_the_bundled_feed_are_in_asia_shanghai(net):
    plan = net.plan("Baotou", "Hohhot", date=DAY, depart="07:30")
    df = plan.to_frame()
    assert str(df["departure"].dt.tz) == "Asia/Shanghai"
    assert df["departure"].iloc[0] == pd.Timestamp(plan.journeys[0].departure)
    board = net.departures("Hohhot East", date=DAY, start="07:00", end="07:40").to_frame()
    assert str(board["departure"].dt.tz) == "Asia/Shanghai"
    # 07:00 +08:00 is 23:00Z the day before
    assert board["departure"].iloc[0] == pd.Timestamp("2026-12-08T23:00:00Z")


def test_an_empty_board_has_the_columns_of_a_full_one(net):
    """A board with no departure gave a DataFrame with no columns at all, so the README's
    ``board.to_frame()[["departure", "name", "headsign"]]`` raised KeyError at a quiet hour."""
    full = net.departures("Hohhot East", date=DAY, start="07:00", end="07:40")
    empty = net.departures("Hohhot East", date=DAY, start="03:00", end="03:05")
    assert full.rows and not empty.rows
    documented = ["departure", "name", "number", "mode", "route", "route_name", "trip", "headsign", "headsign_en",
                  "destination_stop", "destination_name", "destination_name_en", "from_stop", "from_name",
                  "from_name_en"]   # analysis/render.py's departures schema
    df = empty.to_frame()
    assert len(df) == 0 and sorted(df.columns) == sorted(documented)
    assert list(df.columns) == list(full.to_frame().columns) == list(full.rows[0])
    assert df[["departure", "name", "headsign"]].empty
    assert str(df["departure"].dt.tz) == "Asia/Shanghai"


def test_a_plan_frame_says_each_journeys_service_date(autumn):
    """A plan paging on into the next service date (fewer than num left on the date) showed the
    next date's journeys in to_frame with nothing saying they are that date's: the JSON's
    ``service_date`` had no column. From A after 06:00 on Nov 3 both rides left are Nov 4's (GTFS
    00:30 and 05:00 of that date); from 00:00 the first is Nov 3's own."""
    late = autumn.plan("A", "B", date=AUTUMN, depart="06:00", num=2).to_frame()
    assert list(late["service_date"]) == ["2024-11-04", "2024-11-04"]
    assert [t.strftime("%Y-%m-%d %H:%M") for t in late["departure"]] == ["2024-11-04 00:30", "2024-11-04 05:00"]
    early = autumn.plan("A", "B", date=AUTUMN, depart="00:00", num=1).to_frame()
    assert list(early["service_date"]) == [AUTUMN]
    empty = autumn.plan("A", "B", date="2024-12-31", depart="23:59", num=1).to_frame()   # the feed ends
    assert len(empty) == 0 and "service_date" in empty.columns
