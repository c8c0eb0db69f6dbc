"""feed.modes: route_type -> mode names, and the family list --modes accepts."""

from __future__ import annotations

from hbeu_transit.feed.modes import MODE_FAMILIES, mode_family, mode_name


def test_names_basic_and_extended():
    assert [mode_name(t) for t in (0, 1, 2, 3, 4, 101, 102, 204, 715, 900, 1000, 1300, 1700)] == [
        "tram", "subway", "rail", "bus", "ferry", "high_speed_rail", "rail", "bus", "bus", "tram", "ferry",
        "aerial_lift", "other"]


def test_the_family_list_is_exactly_what_mode_family_gives():
    assert set(MODE_FAMILIES) == {mode_family(t) for t in range(0, 1800)}
    assert mode_family(101) == "rail" and len(set(MODE_FAMILIES)) == len(MODE_FAMILIES)
