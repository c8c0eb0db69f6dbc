"""feed.times.parse_clock_window: the one rule of every --window (hbeu freq's, through
analysis.frequency.parse_window, and the circle's and coverage's, through
analysis.circle.parse_window), and its edges."""

from __future__ import annotations

import pytest

from hbeu_transit.analysis import circle
from hbeu_transit.analysis import frequency as fr
from hbeu_transit.errors import InputError
from hbeu_transit.feed.times import format_clock, parse_clock_window

H = 3600


@pytest.mark.parametrize("window, want", [
    ("07:00-19:00", (7 * H, 19 * H)),
    ("07:00\u201319:00", (7 * H, 19 * H)),          # an en dash, as typeset text has it
    (" 07:00 - 19:00 ", (7 * H, 19 * H)),
    ("00:00-24:00", (0, 24 * H)),                   # the whole day
    ("24:00-26:00", (24 * H, 26 * H)),
    ("22:00-02:00", (22 * H, 26 * H)),              # past midnight: 02:00 is 26:00
    ("23:59-00:00", (23 * H + 59 * 60, 24 * H)),
    ("06:00:30-06:01", (6 * H + 30, 6 * H + 60)),
    (("06:00", "22:00"), (6 * H, 22 * H)),         # a (start, end) pair
    ((6 * H, "07:00"), (6 * H, 7 * H)),             # ... of seconds or times
    (("23:00", 1 * H), (23 * H, 25 * H)),
])
def test_windows(window, want):
    assert parse_clock_window(window) == want


@pytest.mark.parametrize("window, why", [
    ("10:00-10:00", "it starts and ends at the same time, so it holds no departure; for the whole day use 00:00-24:00"),
    ("00:00-00:00", "it starts and ends at the same time"),
    ("47:00-02:00", "the end must be after the start"),    # 02:00 is 26:00, still before 47:00
    ("26:00-02:00", "the end must be after the start"),
    ("", "expected HH:MM-HH:MM, e.g. 07:00-19:00"),
    ("07:00", "expected HH:MM-HH:MM"),
    ("07:00-", "expected HH:MM-HH:MM"),
    ("-07:00", "expected HH:MM-HH:MM"),
    ("07:00-08:00-09:00", "expected HH:MM-HH:MM"),
    ("07:00\u201408:00", "expected HH:MM-HH:MM"),         # an em dash is not a range
    ("x-y", "'x' is not HH:MM (e.g. 07:00-19:00)"),
    ("7-19", "'7' is not HH:MM"),
    ("07:00-lunch", "'lunch' is not HH:MM"),
    ("07:60-08:00", "'07:60' is not a time of day"),
    ("48:00-49:00", "'48:00' is not a time of day"),
    (("06:00",), "expected a start and an end"),
])
def test_bad_windows_say_why(window, why):
    with pytest.raises(InputError) as e:
        parse_clock_window(window)
    assert str(e.value).startswith("bad window ") and why in str(e.value), str(e.value)
    assert "\n" not in str(e.value)


def test_latest_end_and_parameter_name():
    assert parse_clock_window("47:00-46:00") == (47 * H, 70 * H)
    with pytest.raises(InputError, match=r"^bad window '47:00-46:00': it must end by 48:00"):
        parse_clock_window("47:00-46:00", latest=48 * H)
    assert parse_clock_window("22:00-24:00", latest=48 * H) == (22 * H, 24 * H)
    with pytest.raises(InputError) as e:
        parse_clock_window("6-22", param="window")
    assert e.value.render({"window": "--window"}) == "bad --window '6-22': '6' is not HH:MM (e.g. 07:00-19:00)"


def test_a_freq_window_may_end_at_the_two_day_clocks_end():
    """freq's windows end by 48:00 (its two-day clock): the last hour, 47:00-24:00 (24:00 is 48:00
    after a later start), is a window; a minute more is not."""
    assert fr.parse_window("47:00-24:00") == (47 * H, 48 * H)
    assert fr.parse_window("30:00-24:00") == (30 * H, 48 * H)
    with pytest.raises(InputError, match=r"it must end by 48:00"):
        fr.parse_window("47:00-24:01")


@pytest.mark.parametrize("text", ["07:00-19:00", "07:00\u201319:00", "22:00-02:00", "00:00-24:00",
                                  "10:00-10:00", "47:00-02:00", "x-y", "07:60-08:00", "07:00", "6-"])
def test_freq_and_circle_windows_follow_the_one_rule(text):
    """The two --window parsers once differed: circle took an en dash that freq refused, and
    each worded its errors its own way ("impossible --window", "empty --window", "bad window")."""
    got = []
    for parse in (lambda t: fr.parse_window(t, "calendar"), lambda t: circle.parse_window(t)):
        try:
            w = parse(text)
            got.append(tuple(w) if isinstance(w, tuple) else (w.start, w.end))
        except InputError as e:
            got.append(str(e))
    assert got[0] == got[1]


@pytest.mark.parametrize("seconds, hm, hms", [(-1800, "-00:30", "-00:30:00"), (-3599, "-00:59", "-00:59:59"),
                                              (-5400, "-01:30", "-01:30:00"), (0, "00:00", "00:00:00"),
                                              (90000, "25:00", "25:00:00")])
def test_a_time_before_midnight_is_written_with_a_minus_sign(seconds, hm, hms):
    """An earlier day's trip the night the clocks go back is before 00:00 on the date's clock
    (-00:30): floor division wrote it "-1:30"."""
    assert format_clock(seconds) == hm
    assert format_clock(seconds, with_seconds=True) == hms
