"""feed.stoptimes: column parsers, frequencies.txt expansion and blank-time interpolation, on
values worked out by hand (and the parsers against a plain-Python reading)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hbeu_transit.errors import FeedError
from hbeu_transit.feed.stoptimes import (expand_frequencies, frequency_run_counts, interpolate_times, parse_numbers,
                                         parse_times)


def test_parse_numbers_blank_and_junk_are_nan():
    got = parse_numbers(pd.Series([" 1.5", "", "7", "x"], dtype=object))
    assert got[0] == 1.5 and got[2] == 7.0 and np.isnan(got[1]) and np.isnan(got[3])


def test_parse_times_past_midnight_unpadded_and_blank():
    got = parse_times(pd.Series(["08:30:00", "5:03:09", "25:10:00", "", "100:00:00"], dtype=object))
    assert got[:3].tolist() == [30600.0, 5 * 3600 + 189.0, 25 * 3600 + 600.0]
    assert np.isnan(got[3]) and got[4] == 360000.0


def test_parse_times_rejects_a_bad_time_naming_the_field():
    with pytest.raises(FeedError, match="arrival_time"):
        parse_times(pd.Series(["08:00:00", "8:3x:00"], dtype=object, name="arrival_time"))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 99), st.integers(0, 59), st.integers(0, 59)), min_size=1, max_size=20))
def test_parse_times_equals_a_plain_reading(hms):
    text = [f"{h}:{m:02d}:{s:02d}" for h, m, s in hms]
    assert parse_times(pd.Series(text, dtype=object)).tolist() == [h * 3600 + m * 60 + s for h, m, s in hms]


def test_frequency_runs_strictly_before_end_whole_second_headways():
    # 06:00-07:00 every 20 min: 06:00, 06:20, 06:40 (07:00 is the end, not a run);
    # a 599.9 s headway counts as 599 s; blank/zero headway and end <= start have no runs
    start = np.array([21600.0, 0.0, 0.0, 100.0, np.nan])
    end = np.array([25200.0, 1200.0, 600.0, 100.0, 500.0])
    hw = np.array([1200.0, 599.9, 0.0, 10.0, 60.0])
    assert frequency_run_counts(start, end, hw).tolist() == [3, 3, 0, 0, 0]
    row, t = expand_frequencies(start, end, hw)
    assert row.tolist() == [0, 0, 0, 1, 1, 1]
    assert t.tolist() == [21600.0, 22800.0, 24000.0, 0.0, 599.0, 1198.0]


def test_interpolation_by_position_by_distance_and_untimed_ends():
    nan = np.nan
    trip = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    arr = np.array([nan, 0.0, nan, 300.0, 100.0, nan, nan, 400.0])
    dep = np.array([nan, 0.0, nan, 300.0, 100.0, nan, nan, nan])
    # trip 0 has no distances: the blank stop sits halfway by position; the leading blank row
    # has nothing before it and is dropped. Trip 1: by shape_dist_traveled 0, 10, 40, 100.
    dist = np.array([nan, nan, nan, nan, 0.0, 10.0, 40.0, 100.0])
    a, d, keep = interpolate_times(trip, arr, dep, dist)
    assert keep.tolist() == [False, True, True, True, True, True, True, True]
    assert a[2] == d[2] == 150.0
    assert a[5] == 130.0 and a[6] == 220.0 and d[7] == 400.0  # a lone arrival serves as departure


def test_interpolation_leaves_fully_timed_trips_alone():
    trip = np.array([0, 0])
    a, d, keep = interpolate_times(trip, np.array([0.0, 60.0]), np.array([10.0, 60.0]))
    assert a.tolist() == [0.0, 60.0] and d.tolist() == [10.0, 60.0] and keep.all()
