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
