"""Fares v2 as a rider sees them in ``plan``: each feed is a few hand-made rows
(tests/gtfs_factory.py: agency in UTC, service ALL every day of 2024, one bus route R) and each
expected fare is worked out by hand from the GTFS reference (fare_leg_rules.txt,
timeframes.txt, fare_transfer_rules.txt) in the test's docstring. 2024-03-05 is a Tuesday."""

from __future__ import annotations

import pytest
from gtfs_factory import ALL_2024, make_feed

import hbeu_transit as hb


def _first(feed, date: str, depart: str = "00:00", to: str = "B") -> dict:
    """The first journey A -> ``to`` leaving after ``depart`` on ``date``, as JSON."""
    return hb.Network([feed], cache_dir=feed.parent / "cache").plan(
        "A", to, date=date, depart=depart).to_dict()["journeys"][0]


# ---------------------------------------------------------------------------- timeframes' service_id

#: Service WKDAY: Monday to Friday of 2024 but not Wednesday 2024-03-06 (calendar_dates); no trip
#: runs on it, only the timeframes name it.
WKDAY = {**ALL_2024, "service_id": "WKDAY", "saturday": 0, "sunday": 0}


def _peak_feed(folder, departure: str):
    """One bus A -> B at ``departure`` (GTFS, every day), and Fares v2: PEAK ($5, priority 1) in
    the timeframes "peak" 07:00-09:00 and 00:00-01:00, both on service WKDAY, else BASE ($2)."""
    h, m, _ = (int(x) for x in departure.split(":"))
    later = f"{h:02d}:{m + 20:02d}:00"
    return make_feed(
        folder, stops=[("A", 0.0, 0.0), ("B", 0.0, 0.01)],
        stop_times={"T": [("A", departure, departure), ("B", later, later)]},
        calendar=[ALL_2024, WKDAY],
        calendar_dates=[{"service_id": "WKDAY", "date": "20240306", "exception_type": 2}],
        fare_products=[{"fare_product_id": "PEAK", "amount": "5.00", "currency": "USD"},
                       {"fare_product_id": "BASE", "amount": "2.00", "currency": "USD"}],
        fare_leg_rules=[{"fare_product_id": "PEAK", "rule_priority": 1, "from_timeframe_group_id": "peak"},
                        {"fare_product_id": "BASE", "rule_priority": 0}],
        timeframes=[{"timeframe_group_id": "peak", "start_time": "07:00:00", "end_time": "09:00:00",
                     "service_id": "WKDAY"},
                    {"timeframe_group_id": "peak", "start_time": "00:00:00", "end_time": "01:00:00",
                     "service_id": "WKDAY"}])


@pytest.mark.parametrize("date, departure, leaves, fare", [
    ("2024-03-05", "08:00:00", "2024-03-05T08:00", 5.0),   # Tuesday: a WKDAY date, in 07:00-09:00
    ("2024-03-09", "08:00:00", "2024-03-09T08:00", 2.0),   # Saturday: WKDAY does not run
    ("2024-03-10", "08:00:00", "2024-03-10T08:00", 2.0),   # Sunday: the same
    ("2024-03-06", "08:00:00", "2024-03-06T08:00", 2.0),   # Wednesday, removed from WKDAY (calendar_dates)
    ("2024-03-07", "08:00:00", "2024-03-07T08:00", 5.0),   # Thursday: WKDAY again
    ("2024-03-05", "00:30:00", "2024-03-05T00:30", 5.0),   # Tuesday 00:30, in 00:00-01:00
    # after midnight the timeframe's date is the day the bus leaves on the clock (the reference's
    # "current day"), not the trip's service day: Friday's 24:30 is Saturday 00:30, Sunday's
    # Monday 00:30
    ("2024-03-08", "24:30:00", "2024-03-09T00:30", 2.0),
    ("2024-03-10", "24:30:00", "2024-03-11T00:30", 5.0),
])
def test_a_fare_timeframe_applies_only_on_the_dates_of_its_service(tmp_path, date, departure, leaves, fare):
    """timeframes.txt: a timeframe is in effect on the dates its service_id runs (calendar.txt
    and calendar_dates.txt), matched on the date and time of day of the leg's departure. (The
    journeys asked for leave after 00:00 on ``date``, or after 01:00 for the buses at 24:30, so
    that the one shown is ``date``'s own bus.)"""
    feed = _peak_feed(tmp_path / "peak", departure)
    j = _first(feed, date, "01:00" if departure.startswith("24") else "00:00")
    assert j["departure"][:16] == leaves
    assert j["fare"] == {"amount": fare, "currency": "USD"} and j["legs"][0]["fare"] == j["fare"]


@pytest.mark.parametrize("date, fare", [("2024-03-08", 2.0), ("2024-03-10", 5.0)])
def test_a_leg_after_24_00_is_matched_on_the_day_it_leaves(tmp_path, date, fare):
    """The fare lookup itself, given a departure past 24:00 of ``date`` (a trip of the day
    running after midnight, as a plan's timetable of ``date`` holds it): Friday's 24:30 is
    Saturday 00:30, when WKDAY does not run ($2); Sunday's is Monday 00:30 ($5). The plans above
    find the 24:30 buses in the next date's timetable (at 00:30), where the service date and the
    wall clock's day are one: this is the case where they are not."""
    from hbeu_transit.feed import load_feeds
    from hbeu_transit.places import build_index

    idx = build_index(load_feeds([_peak_feed(tmp_path / "peak", "24:30:00")]), "k")
    assert idx.leg_fare("R", "A", "B", 24 * 3600 + 1800, 24 * 3600 + 3000, date) == (fare, "USD")


# ---------------------------------------------------------------------------- rule_priority: empty is any


def _flat_feed(folder, priority_column: bool):
    """One bus A -> B at 08:00 on route R (network "bus"); A in area ZA, B in area ZB. Fares v2:
    ZONE ($4) for bus ZA -> ZB, and FLAT ($3) leaving network and areas empty (with the
    rule_priority column: priority 1 over ZONE's 0)."""
    rules = [{"network_id": "bus", "from_area_id": "ZA", "to_area_id": "ZB", "fare_product_id": "ZONE"},
             {"network_id": "", "from_area_id": "", "to_area_id": "", "fare_product_id": "FLAT"}]
    if priority_column:
        rules[0]["rule_priority"], rules[1]["rule_priority"] = 0, 1
    return make_feed(
        folder, stops=[("A", 0.0, 0.0), ("B", 0.0, 0.01)],
        stop_times={"T": [("A", "08:00:00", "08:00:00"), ("B", "08:20:00", "08:20:00")]},
        routes=[{"route_id": "R", "agency_id": "A", "route_short_name": "R", "route_type": 3, "network_id": "bus"}],
        areas=[{"area_id": "ZA"}, {"area_id": "ZB"}],
        stop_areas=[{"area_id": "ZA", "stop_id": "A"}, {"area_id": "ZB", "stop_id": "B"}],
        fare_products=[{"fare_product_id": "ZONE", "amount": "4.00", "currency": "USD"},
                       {"fare_product_id": "FLAT", "amount": "3.00", "currency": "USD"}],
        fare_leg_rules=rules)


@pytest.mark.parametrize("priority_column, fare", [(True, 3.0), (False, 4.0)])
def test_with_rule_priority_an_empty_field_matches_every_leg(tmp_path, priority_column, fare):
    """fare_leg_rules.txt: with a rule_priority column an empty network_id, from_area_id or
    to_area_id "does not affect the matching of this rule": both rules match the ride and the
    highest rule_priority wins, FLAT ($3). Without the column an empty field only matches the
    values no rule names (the rule naming the ride's network and areas comes first): ZONE ($4)."""
    j = _first(_flat_feed(tmp_path / "flat", priority_column), "2024-03-05")
    assert j["fare"] == {"amount": fare, "currency": "USD"}


# ---------------------------------------------------------------------------- fare_transfer_rules


def _transfer_feed(folder, transfer_rules: list[dict], legs: str = "bus-tram"):
    """Buses and trams every 30 minutes in a line A -> B -> C -> D, 20 minutes a hop: bus T1
    A 08:00 -> B 08:20, then T2 B 08:30 -> C 08:50 (a tram for "bus-tram", a bus for
    "bus-bus-bus"), then bus T3 C 09:00 -> D 09:20. Fares v2: leg group "bus" (network bus)
    BUS $2, leg group "tram" (network tram) TRAM $3; transfer products XFER $0.50 and COMBO $4."""
    second = "TR" if legs == "bus-tram" else "BU"
    return make_feed(
        folder, stops=[(s, 0.0, 0.01 * k) for k, s in enumerate("ABCD")],
        stop_times={"T1": [("A", "08:00:00", "08:00:00"), ("B", "08:20:00", "08:20:00")],
                    "T2": [("B", "08:30:00", "08:30:00"), ("C", "08:50:00", "08:50:00")],
                    "T3": [("C", "09:00:00", "09:00:00"), ("D", "09:20:00", "09:20:00")]},
        trips=[{"trip_id": "T1", "route_id": "BU"}, {"trip_id": "T2", "route_id": second},
               {"trip_id": "T3", "route_id": "BU"}],
        routes=[{"route_id": "BU", "agency_id": "A", "route_short_name": "BU", "route_type": 3, "network_id": "bus"},
                {"route_id": "TR", "agency_id": "A", "route_short_name": "TR", "route_type": 0, "network_id": "tram"}],
        fare_products=[{"fare_product_id": "BUS", "amount": "2.00", "currency": "USD"},
                       {"fare_product_id": "TRAM", "amount": "3.00", "currency": "USD"},
                       {"fare_product_id": "XFER", "amount": "0.50", "currency": "USD"},
                       {"fare_product_id": "COMBO", "amount": "4.00", "currency": "USD"}],
        fare_leg_rules=[{"leg_group_id": "bus", "network_id": "bus", "fare_product_id": "BUS"},
                        {"leg_group_id": "tram", "network_id": "tram", "fare_product_id": "TRAM"}],
        fare_transfer_rules=transfer_rules)


def _rule(frm="bus", to="tram", product="XFER", kind=0, limit="", limit_type="", count=""):
    return {"from_leg_group_id": frm, "to_leg_group_id": to, "fare_product_id": product,
            "fare_transfer_type": kind, "duration_limit": limit, "duration_limit_type": limit_type,
            "transfer_count": count}


@pytest.mark.parametrize("rules, fare", [
    ([], 5.0),                                      # no transfer rule: 2 + 3
    ([_rule(kind=0)], 2.5),                         # type 0, A + AB: 2 + 0.50
    ([_rule(kind=1)], 5.5),                         # type 1, A + AB + B: 2 + 0.50 + 3
    ([_rule(kind=2, product="COMBO")], 4.0),        # type 2, AB: 4
    ([_rule(kind=0, product="")], 2.0),             # no transfer product: it costs 0
    ([_rule(frm="tram", to="bus")], 5.0),           # a rule for the other way round does not apply
    ([_rule(frm="", to="tram")], 2.5),              # an empty from_leg_group_id: any leg group
    ([_rule(frm="", to="tram", product=""), _rule(kind=0)], 2.5),   # the rule naming "bus" first, not the free one
    # duration_limit: type 1 is first departure (08:00) to next departure (08:30), 1800 s;
    # type 0 first departure to next arrival (08:50), 3000 s; type 2 first arrival (08:20) to
    # next departure, 600 s; type 3 first arrival to next arrival, 1800 s
    ([_rule(limit=1800, limit_type=1)], 2.5),
    ([_rule(limit=1799, limit_type=1)], 5.0),
    ([_rule(limit=2999, limit_type=0)], 5.0),
    ([_rule(limit=3000, limit_type=0)], 2.5),
    ([_rule(limit=600, limit_type=2)], 2.5),
    ([_rule(limit=599, limit_type=2)], 5.0),
    ([_rule(limit=1799, limit_type=3)], 5.0),
])
def test_a_transfer_rule_prices_a_change_from_one_leg_group_to_another(tmp_path, rules, fare):
    """fare_transfer_rules.txt: bus A -> B ($2, group bus) then tram B -> C ($3, group tram)."""
    j = _first(_transfer_feed(tmp_path / "xfer", rules), "2024-03-05", "07:50", to="C")
    assert [lg["route"] for lg in j["legs"]] == ["BU", "TR"]
    assert [lg["fare"]["amount"] for lg in j["legs"]] == [2.0, 3.0]      # each ride alone
    assert j["fare"] == {"amount": fare, "currency": "USD"}


@pytest.mark.parametrize("rules, fare", [
    ([_rule(to="bus", product="", count=-1)], 2.0),   # free changes bus to bus, any number: 2
    ([_rule(to="bus", product="", count=2)], 2.0),    # up to two changes: both free
    ([_rule(to="bus", product="", count=1)], 4.0),    # one: the second change pays, 2 + 0 + 2
    # two rules, the one of the least transfer_count still covering the changes so far: the first
    # change at 0.50, the second free
    ([_rule(to="bus", count=1), _rule(to="bus", product="", count=2)], 2.5),
    # free within 40 minutes of the first departure (type 1): the change at 08:30 is free, the
    # one at 09:00 is 60 minutes after the first, 08:00: it pays
    ([_rule(to="bus", product="", count=-1, limit=2400, limit_type=1)], 4.0),
    ([_rule(to="bus", product="", count=-1, limit=3600, limit_type=1)], 2.0),
])
def test_a_transfer_rule_within_one_leg_group_counts_the_changes(tmp_path, rules, fare):
    """fare_transfer_rules.txt, from_leg_group_id = to_leg_group_id: three buses A -> B -> C -> D
    ($2 each, group bus), two changes. transfer_count is how many consecutive changes the rule
    spans; its duration_limit runs from the first leg it was matched on."""
    j = _first(_transfer_feed(tmp_path / "xfer", rules, "bus-bus-bus"), "2024-03-05", "07:50", to="D")
    assert [lg["trip"] for lg in j["legs"]] == ["T1", "T2", "T3"]
    assert j["fare"] == {"amount": fare, "currency": "USD"}


@pytest.mark.parametrize("rules, fare", [
    ([_rule(kind=0), _rule(frm="tram", to="bus", product="COMBO", kind=2)], 6.5),   # A + AB, then S + BC: 2 + 0.5 + 4
    ([_rule(kind=1), _rule(frm="tram", to="bus", product="COMBO", kind=2)], 9.5),   # A + AB + B, then S + BC
    ([_rule(frm="tram", to="bus", product="COMBO", kind=2)], 6.0),   # no rule bus -> tram: 2, then 4 instead of the tram's 3
    ([_rule(kind=2, product="COMBO"), _rule(frm="tram", to="bus", product="COMBO", kind=2)], 8.0),  # AB, then S + BC
    ([_rule(kind=0), _rule(frm="tram", to="bus", kind=1)], 5.0),     # A + AB, then S + BC + C: 2 + 0.5 + 0.5 + 2
])
def test_transfer_rules_of_a_journey_of_three_legs_add_up_as_the_reference_table_says(tmp_path, rules, fare):
    """fare_transfer_rules.txt's table of fare_transfer_type over two changes: bus A -> B ($2),
    tram B -> C ($3), bus C -> D ($2); S is the cost processed before the change."""
    j = _first(_transfer_feed(tmp_path / "xfer", rules), "2024-03-05", "07:50", to="D")
    assert [lg["route"] for lg in j["legs"]] == ["BU", "TR", "BU"]
    assert j["fare"] == {"amount": fare, "currency": "USD"}


# ---------------------------------------------------------------------------- areas of a platform


def test_a_platform_of_its_own_area_is_not_also_in_its_stations(tmp_path):
    """stop_areas.txt: a station's area holds its platforms too, "overridden by assigning
    platforms to other areas". Station S (area Y) has platform P1, which stop_areas puts in area
    X, and platform P2 (no row: area Y). Rules from X cost $4, from Y $3, to anywhere (to_area_id
    empty). A bus from P1 to B pays $4 (P1 is in X only), one from P2 to B $3."""
    feed = make_feed(
        tmp_path / "plat", stops=[("S", 0.0, 0.0, "", 1), ("P1", 0.0, 0.0, "S"), ("P2", 0.0, 0.0001, "S"),
                                  ("B", 0.0, 0.01)],
        stop_times={"T1": [("P1", "08:00:00", "08:00:00"), ("B", "08:20:00", "08:20:00")],
                    "T2": [("P2", "09:00:00", "09:00:00"), ("B", "09:20:00", "09:20:00")]},
        areas=[{"area_id": "X"}, {"area_id": "Y"}],
        stop_areas=[{"area_id": "Y", "stop_id": "S"}, {"area_id": "X", "stop_id": "P1"}],
        fare_products=[{"fare_product_id": "FX", "amount": "4.00", "currency": "USD"},
                       {"fare_product_id": "FY", "amount": "3.00", "currency": "USD"}],
        fare_leg_rules=[{"from_area_id": "X", "to_area_id": "", "fare_product_id": "FX"},
                        {"from_area_id": "Y", "to_area_id": "", "fare_product_id": "FY"}])
    net = hb.Network([feed], cache_dir=tmp_path / "cache")
    for start, depart, fare in (("P1", "07:50", 4.0), ("P2", "08:50", 3.0)):
        j = net.plan(start, "B", date="2024-03-05", depart=depart).to_dict()["journeys"][0]
        assert j["legs"][0]["from_stop"] == start and j["fare"] == {"amount": fare, "currency": "USD"}


# ---------------------------------------------------------------------------- to_timeframe_group_id


@pytest.mark.parametrize("departure, arrival, fare", [
    ("21:30:00", "21:50:00", 2.0),   # arrives before 22:00: the day fare
    ("21:50:00", "22:10:00", 5.0),   # leaves before 22:00 but arrives after: the late fare
    ("22:10:00", "22:30:00", 5.0),
])
def test_a_to_timeframe_is_matched_on_the_legs_arrival(tmp_path, departure, arrival, fare):
    """fare_leg_rules.txt's to_timeframe_group_id: the rule matches when the leg's end time (its
    arrival) is in the timeframe. LATE ($5, priority 1) for legs arriving 22:00-24:00 (service
    ALL), else DAY ($2)."""
    feed = make_feed(
        tmp_path / "late", stops=[("A", 0.0, 0.0), ("B", 0.0, 0.01)],
        stop_times={"T": [("A", departure, departure), ("B", arrival, arrival)]},
        fare_products=[{"fare_product_id": "LATE", "amount": "5.00", "currency": "USD"},
                       {"fare_product_id": "DAY", "amount": "2.00", "currency": "USD"}],
        fare_leg_rules=[{"fare_product_id": "LATE", "rule_priority": 1, "to_timeframe_group_id": "late"},
                        {"fare_product_id": "DAY", "rule_priority": 0}],
        timeframes=[{"timeframe_group_id": "late", "start_time": "22:00:00", "end_time": "24:00:00",
                     "service_id": "ALL"}])
    j = _first(feed, "2024-03-05")
    assert j["fare"] == {"amount": fare, "currency": "USD"} and j["legs"][0]["fare"] == j["fare"]


@pytest.mark.parametrize("departure, arrival, fare", [
    ("08:00:00", "08:20:00", 5.0),   # leaves and arrives in 07:00-09:00: the peak fare
    ("08:50:00", "09:10:00", 2.0),   # leaves in it, arrives after: the base fare
    ("06:50:00", "07:10:00", 2.0),   # arrives in it, left before: the same
])
def test_one_timeframe_group_for_both_ends_is_matched_at_each(tmp_path, departure, arrival, fare):
    """A rule whose from_ and to_timeframe_group_id are one group ("peak", 07:00-09:00, service
    ALL) matches a leg that leaves and arrives in it: PEAK ($5, priority 1), else BASE ($2). The
    lookup tests a group once per time (places.fares._v2_rule's ``held``): a cache of the group's
    answer alone would give the arrival the departure's (found by helper review16: that mutant
    survived the fare tests)."""
    feed = make_feed(
        tmp_path / "peak", stops=[("A", 0.0, 0.0), ("B", 0.0, 0.01)],
        stop_times={"T": [("A", departure, departure), ("B", arrival, arrival)]},
        fare_products=[{"fare_product_id": "PEAK", "amount": "5.00", "currency": "USD"},
                       {"fare_product_id": "BASE", "amount": "2.00", "currency": "USD"}],
        fare_leg_rules=[{"fare_product_id": "PEAK", "rule_priority": 1, "from_timeframe_group_id": "peak",
                         "to_timeframe_group_id": "peak"},
                        {"fare_product_id": "BASE", "rule_priority": 0}],
        timeframes=[{"timeframe_group_id": "peak", "start_time": "07:00:00", "end_time": "09:00:00",
                     "service_id": "ALL"}])
    j = _first(feed, "2024-03-05")
    assert j["fare"] == {"amount": fare, "currency": "USD"} and j["legs"][0]["fare"] == j["fare"]
