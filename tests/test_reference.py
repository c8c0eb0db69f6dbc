"""The compiler and the router against the GTFS-text reference (tests/reference), on random feeds.

The reference reads the feed's text with ``csv`` and shares no code with ``hbeu_transit.feed`` or
``hbeu_transit.timetable``: a bug in reading or compiling a feed is a disagreement here.
Two checks per random feed: the compiled connections equal the reference's as multisets of
(from, to, dep, arr, board, alight), with the same stations, change times, footpaths, trip
transfer rules (every change between two runs) and in-seat continuations; and the router on
the compiled timetable answers like a networkx time-expanded graph built from the reference (one-to-all earliest arrival with and without a
transfer limit, the (arrival, transfers) Pareto set, the latest departure of arrive-by).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, note, settings
from gtfs_factory import make_feed
from hypothesis import strategies as st
from random_feeds import compile_and_read, feeds

from hbeu_transit.timetable.model import FORBIDDEN, IN_SEAT
from reference.graph import ReferenceGraph

import hbeu_transit.router as router

#: HBEU_DIFF_SCALE=10 runs ten times as many examples (a thorough run before a release).
SCALE = float(os.environ.get("HBEU_DIFF_SCALE", "1"))
SETTINGS = dict(deadline=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def compiled_connections(tt) -> Counter:
    ids = tt.stop_ids
    return Counter((ids[f], ids[t], d, a, bool(b), bool(al)) for f, t, d, a, b, al in zip(
        tt.c_from.tolist(), tt.c_to.tolist(), tt.c_dep.tolist(), tt.c_arr.tolist(), tt.c_board.tolist(),
        tt.c_alight.tolist()))


def run_key(tt, k: int) -> tuple:
    """The reference's run key (trip_id, days back, run start or None) of compiled trip k."""
    start = int(tt.trip_run_start[k])
    return (tt.trip_ids[k], -int(tt.trip_day[k]), None if start < 0 else start)


def compare_compiled(tt, ref) -> None:
    """Compiled timetable == reference on everything routing reads (message says which part)."""
    got, want = compiled_connections(tt), Counter(ref.connections())
    assert got == want, f"connections: compiler only {sorted((got - want).elements())}, " \
                        f"reference only {sorted((want - got).elements())}"
    ids = tt.stop_ids
    assert {s: ids[int(tt.stop_station[i])] for i, s in enumerate(ids)} == ref.station, "stations"
    assert {s: int(tt.stop_change[i]) for i, s in enumerate(ids)} == ref.change, "change times"
    fps = {(ids[a], ids[int(tt.fp_to[k])]): int(tt.fp_dur[k])
           for a in range(tt.n_stops) for k in range(int(tt.fp_start[a]), int(tt.fp_start[a + 1]))}
    assert fps == ref.footpaths, "footpaths"
    compare_trip_rules(tt, ref)


def compare_trip_rules(tt, ref) -> None:
    """The compiled trip transfer rules, read as the router reads them (timetable.model), give
    every change between two runs the reference's answer; in-seat continuations are equal.

    Router reading: rules of the key (from run, to run) whose stops match (-1: any) and that are
    not in seat *govern* the change; a governed change is made only by a timed rule naming both
    stops (its seconds), else it is forbidden."""
    n, ids = tt.n_trips, tt.stop_ids
    key, xs, ys, secs = (a.tolist() for a in tt.transfer_rules())
    rules: dict[tuple, list[tuple]] = {}
    seats = set()
    for k, x, y, sec in zip(key, xs, ys, secs):
        pair = (run_key(tt, k // n), run_key(tt, k % n))
        if sec == IN_SEAT:
            seats.add((*pair, ids[x], ids[y]))
        else:
            rules.setdefault(pair, []).append((-1 if x < 0 else ids[x], -1 if y < 0 else ids[y], sec))
    first = {h.run: h for h in sorted(ref.hops, key=lambda h: -h.index)}
    last = {h.run: h for h in sorted(ref.hops, key=lambda h: h.index)}
    assert seats == {(a, b, last[a].to, first[b].frm) for a, b, _ in ref.seats}, "in-seat continuations"
    left: dict[tuple, set] = {}
    boarded: dict[tuple, set] = {}
    for h in ref.hops:
        if h.alight:
            left.setdefault(h.run, set()).add(h.to)
        if h.board:
            boarded.setdefault(h.run, set()).add(h.frm)
    pairs = set(rules) | {(a, b) for r in ref.trip_rules for a in r.from_runs for b in r.to_runs if a != b}
    for a, b in sorted(pairs, key=repr):
        for x in sorted(left.get(a, ())):
            for y in sorted(boarded.get(b, ())):
                mine = [(rx, ry, sec) for rx, ry, sec in rules.get((a, b), ())
                        if rx in (-1, x) and ry in (-1, y)]
                timed = [sec for rx, ry, sec in mine if sec >= 0 and (rx, ry) == (x, y)]
                got = None if not mine else min(timed) if timed else FORBIDDEN
                assert got == ref.rule_for(a, b, x, y), f"trip rule {a} at {x} -> {b} at {y}: " \
                    f"compiled {got} (rules {mine}), reference {ref.rule_for(a, b, x, y)}"


# ------------------------------------------------------------------ hand-made feeds, answers by hand

def _compile_folder(folder, date):
    from reference.gtfs_text import reference_for

    from hbeu_transit.feed import load_feeds
    from hbeu_transit.timetable import compile_timetable

    return compile_timetable(load_feeds([folder]), date), reference_for(folder, date)


DAY0 = dt.date(2024, 3, 6)


def test_trip_on_its_third_day_keeps_its_hops(tmp_path):
    """K runs A 47:50 -> B 48:30 -> C 49:00 every day. On DAY0 the run of two days before still
    has B -> C at 00:30-01:00 (A -> B left at 23:50 the day before: dropped); a one-day look-back
    misses it. L leaves X at 47:00 and reaches Z at 49:00; Y has no time (interpolated 48:00), so
    the run two days back leaves Y at 00:00: a look-back judged by departure_time misses it."""
    f = make_feed(tmp_path / "f", stops=[(s, 0.0, i / 100) for i, s in enumerate("ABCXYZ")], stop_times={
        "K": [("A", "47:50:00", "47:50:00"), ("B", "48:30:00", "48:30:00"), ("C", "49:00:00", "49:00:00")],
        "L": [("X", "47:00:00", "47:00:00"), ("Y", "", ""), ("Z", "49:00:00", "")]})
    tt, ref = _compile_folder(f, DAY0)
    h = 3600
    want = Counter({("B", "C", 1800, h, True, True): 1, ("Y", "Z", 0, h, True, True): 1,          # 2 days back
                    ("A", "B", -600 + 24 * h, 30 * 60 + 24 * h, True, True): 1,                   # 1 day back
                    ("B", "C", 1800 + 24 * h, 25 * h, True, True): 1,
                    ("X", "Y", 23 * h, 24 * h, True, True): 1, ("Y", "Z", 24 * h, 25 * h, True, True): 1,
                    ("A", "B", 47 * h + 3000, 48 * h + 1800, True, True): 1,                      # DAY0
                    ("B", "C", 48 * h + 1800, 49 * h, True, True): 1,
                    ("X", "Y", 47 * h, 48 * h, True, True): 1, ("Y", "Z", 48 * h, 49 * h, True, True): 1})
    assert Counter(ref.connections()) == want
    compare_compiled(tt, ref)


@pytest.mark.parametrize("date, earlier", [
    # Berlin, clocks forward 2024-03-31 02:00: the day before's origin (noon minus 12 h, 23:00
    # CET on the 29th) is 23 h before the date's (23:00 CET on the 30th)
    (dt.date(2024, 3, 31), {("A", "B", 1800, 2400), ("B", "C", 5400, 6000)}),
    # clocks back 2024-10-27 03:00: 25 h between the origins; the date's clock starts 01:00
    # CEST, so its local midnight is -01:00: the day before's 23:30 (-01:30) is dropped
    (dt.date(2024, 10, 27), {("B", "C", -1800, -1200)}),
    (dt.date(2024, 10, 28), {("B", "C", 1800, 2400)}),                       # an ordinary night
])
def test_an_earlier_days_trip_keeps_its_instant_across_a_clock_change(tmp_path, date, earlier):
    """Europe/Berlin; K runs A 23:30 -> B 23:40 and B 24:30 -> C 24:40 every day. Its hops
    stay at the instants GTFS gives them (times from noon minus 12 h local), not k * 86400
    earlier: on the spring date the day before's 23:30 is at 00:30 and its 24:30 at 01:30;
    on the autumn date its 23:30 is before local midnight (dropped) and its 24:30 at -00:30.
    Times by hand from the zone's rules, not from either reader."""
    f = make_feed(tmp_path / "f", stops=[(s, 0.0, i / 100) for i, s in enumerate("ABC")], stop_times={
        "K": [("A", "23:30:00", "23:30:00"), ("B", "23:40:00", "24:30:00"), ("C", "24:40:00", "24:40:00")]},
        agency=[{"agency_id": "A", "agency_name": "A", "agency_url": "https://example.org",
                 "agency_timezone": "Europe/Berlin"}])
    tt, ref = _compile_folder(f, date)
    own = {("A", "B", 23 * 3600 + 1800, 23 * 3600 + 2400), ("B", "C", 24 * 3600 + 1800, 24 * 3600 + 2400)}
    assert sorted(c[:4] for c in ref.connections()) == sorted(earlier | own)
    compare_compiled(tt, ref)


def test_the_night_the_clocks_go_forward_a_trip_before_midnight_is_on_the_dates_clock(tmp_path):
    """Europe/Berlin, K runs A 23:30 -> B 23:40 (no time past 24:00). On 2024-03-31 the date's
    clock starts at 23:00 CET on the 30th (noon CEST minus 12 h), so the 30th's run is at
    00:30-00:40 on it: the compiler looked back only as far as whole days of 24:00 (none)."""
    f = make_feed(tmp_path / "f", stops=[(s, 0.0, i / 100) for i, s in enumerate("AB")], stop_times={
        "K": [("A", "23:30:00", "23:30:00"), ("B", "23:40:00", "23:40:00")]},
        agency=[{"agency_id": "A", "agency_name": "A", "agency_url": "https://example.org",
                 "agency_timezone": "Europe/Berlin"}])
    tt, ref = _compile_folder(f, dt.date(2024, 3, 31))
    assert sorted(c[2:4] for c in ref.connections()) == [(1800, 2400), (23 * 3600 + 1800, 23 * 3600 + 2400)]
    compare_compiled(tt, ref)


def test_the_night_the_clocks_go_forward_a_linked_trip_is_not_the_next_days(tmp_path):
    """Europe/Berlin, 2024-03-31 (a 23 h day before it). t0 S0 23:22 -> S1 23:23 goes on as t1
    S1 23:23 -> S0 23:25 (type 4), both daily. t1 leaves no earlier than t0 arrives on their own
    clocks, so only each day's t0 -> t1 is in seat; yesterday's t0 (00:23 on the date's clock)
    is not today's t1 (23:23), which a flat 86400 s took for "within a day" (23 h later)."""
    f = make_feed(tmp_path / "f", stops=[(s, 0.0, i / 100) for i, s in enumerate(["S0", "S1"])], stop_times={
        "t0": [("S0", "23:22:00", "23:22:00"), ("S1", "23:23:00", "23:23:00")],
        "t1": [("S1", "23:23:00", "23:23:00"), ("S0", "23:25:00", "23:25:00")]},
        agency=[{"agency_id": "A", "agency_name": "A", "agency_url": "https://example.org",
                 "agency_timezone": "Europe/Berlin"}],
        transfers=[{"from_trip_id": "t0", "to_trip_id": "t1", "transfer_type": 4}])
    tt, ref = _compile_folder(f, dt.date(2024, 3, 31))
    assert {(a, b) for a, b, _ in ref.seats} == {(("t0", 1, None), ("t1", 1, None)),
                                                 (("t0", 0, None), ("t1", 0, None))}
    compare_compiled(tt, ref)


def test_pickup_and_drop_off_2_and_3_allow_it(tmp_path):
    """GTFS: 2 = phone the agency, 3 = coordinate with the driver: boarding and alighting happen."""
    rows = [{"stop_id": s, "arrival_time": t, "departure_time": t, "pickup_type": p, "drop_off_type": d}
            for s, t, p, d in [("A", "08:00:00", 2, None), ("B", "08:10:00", 3, 2), ("C", "08:20:00", 1, 3),
                               ("D", "08:30:00", 0, 1)]]
    f = make_feed(tmp_path / "f", stops=[(s, 0.0, i / 100) for i, s in enumerate("ABCD")], stop_times={"T": rows})
    tt, ref = _compile_folder(f, DAY0)
    h = 3600
    assert Counter(ref.connections()) == Counter({("A", "B", 8 * h, 8 * h + 600, True, True): 1,
                                                  ("B", "C", 8 * h + 600, 8 * h + 1200, True, True): 1,
                                                  ("C", "D", 8 * h + 1200, 8 * h + 1800, False, False): 1})
    compare_compiled(tt, ref)


def test_deep_parent_chain_and_mixed_mode_platforms(tmp_path):
    """Boarding area BA -> platform P1 -> station ST: BA's station is ST. P1 (rail) and P2 (bus)
    are linked both ways by the *larger* default change time (rail 600 s), and BA, served by
    nothing, takes its station's largest default."""
    stops = [{"stop_id": "ST", "stop_lat": 0.0, "stop_lon": 0.0, "location_type": 1},
             {"stop_id": "P1", "stop_lat": 0.0, "stop_lon": 0.0, "parent_station": "ST", "location_type": 0},
             {"stop_id": "P2", "stop_lat": 0.0, "stop_lon": 0.0, "parent_station": "ST"},
             {"stop_id": "BA", "stop_lat": 0.0, "stop_lon": 0.0, "parent_station": "P1", "location_type": 4},
             ("Q", 0.0, 0.05), ("R", 0.0, 0.06)]
    f = make_feed(tmp_path / "f", stops=stops, routes=[
        {"route_id": "RAIL", "agency_id": "A", "route_type": 2, "route_short_name": "r"},
        {"route_id": "BUS", "agency_id": "A", "route_type": 3, "route_short_name": "b"}],
        trips=[{"trip_id": "t", "route_id": "RAIL"}, {"trip_id": "b", "route_id": "BUS"}],
        stop_times={"t": [("P1", "08:00:00", "08:00:00"), ("Q", "08:30:00", "08:30:00")],
                    "b": [("P2", "08:05:00", "08:05:00"), ("R", "08:15:00", "08:15:00")]})
    tt, ref = _compile_folder(f, DAY0)
    assert ref.station["BA"] == "ST" and ref.footpaths[("P1", "P2")] == ref.footpaths[("P2", "P1")] == 600
    assert ref.change["BA"] == 600 and ref.change["P2"] == 180
    compare_compiled(tt, ref)


def test_frequency_runs_reaching_past_two_days(tmp_path):
    """F's template runs 00:00 -> 00:30, but frequencies.txt runs it from 47:30 to 48:30 every
    30 min: the runs of two days before start at -00:30 and 00:00 on DAY0's clock. Nothing in
    stop_times.txt passes 24:00, so only the frequencies show how many days back to look."""
    f = make_feed(tmp_path / "f", stops=[("A", 0.0, 0.0), ("B", 0.0, 0.01)],
                  stop_times={"F": [("A", "00:00:00", "00:00:00"), ("B", "00:30:00", "00:30:00")]},
                  frequencies=[{"trip_id": "F", "start_time": "47:30:00", "end_time": "48:30:00",
                                "headway_secs": 1800, "exact_times": 1}])
    tt, ref = _compile_folder(f, DAY0)
    h = 3600
    assert Counter(ref.connections()) == Counter({("A", "B", 0, 1800, True, True): 1,          # 2 days back
                                                  ("A", "B", 23 * h + 1800, 24 * h, True, True): 1,
                                                  ("A", "B", 24 * h, 24 * h + 1800, True, True): 1,
                                                  ("A", "B", 47 * h + 1800, 48 * h, True, True): 1,
                                                  ("A", "B", 48 * h, 48 * h + 1800, True, True): 1})
    compare_compiled(tt, ref)


def test_a_run_listed_by_two_overlapping_frequency_windows_runs_once(tmp_path):
    """F runs every 10 min from 08:00 to 08:30 and, in a second row, from 08:20 to 08:50: the
    08:20 run is in both windows but is one vehicle, so five runs, not six."""
    f = make_feed(tmp_path / "f", stops=[("A", 0.0, 0.0), ("B", 0.0, 0.01)],
                  stop_times={"F": [("A", "00:00:00", "00:00:00"), ("B", "00:10:00", "00:10:00")]},
                  frequencies=[{"trip_id": "F", "start_time": "08:00:00", "end_time": "08:30:00", "headway_secs": 600},
                               {"trip_id": "F", "start_time": "08:20:00", "end_time": "08:50:00", "headway_secs": 600}])
    tt, ref = _compile_folder(f, DAY0)
    h = 3600
    assert Counter(ref.connections()) == Counter({("A", "B", 8 * h + m * 60, 8 * h + m * 60 + 600, True, True): 1
                                                  for m in (0, 10, 20, 30, 40)})
    compare_compiled(tt, ref)


def test_a_rule_between_two_stops_beats_one_naming_their_station(tmp_path):
    """transfers.txt: ST -> ST 300 s (every platform and platform pair), P1 -> P1 60 s and
    P1 -> P2 forbidden: P1 keeps 60 s, P2 gets 300 s, P2 -> P1 300 s, no P1 -> P2 footpath."""
    stops = [{"stop_id": "ST", "stop_lat": 0.0, "stop_lon": 0.0, "location_type": 1},
             {"stop_id": "P1", "stop_lat": 0.0, "stop_lon": 0.0, "parent_station": "ST"},
             {"stop_id": "P2", "stop_lat": 0.0, "stop_lon": 0.0, "parent_station": "ST"}, ("Q", 0.0, 0.05)]
    f = make_feed(tmp_path / "f", stops=stops,
                  stop_times={"t": [("P1", "08:00:00", "08:00:00"), ("Q", "08:30:00", "08:30:00")],
                              "u": [("Q", "09:00:00", "09:00:00"), ("P2", "09:30:00", "09:30:00")]},
                  transfers=[{"from_stop_id": "ST", "to_stop_id": "ST", "transfer_type": 2, "min_transfer_time": 300},
                             {"from_stop_id": "P1", "to_stop_id": "P1", "transfer_type": 2, "min_transfer_time": 60},
                             {"from_stop_id": "P1", "to_stop_id": "P2", "transfer_type": 3}])
    tt, ref = _compile_folder(f, DAY0)
    assert (ref.change["P1"], ref.change["P2"], ref.change["ST"]) == (60, 300, 300)
    assert ref.footpaths == {("P2", "P1"): 300}
    compare_compiled(tt, ref)


def test_times_going_backwards_are_raised(tmp_path):
    """B's arrival (08:05) is before A's departure (08:10): raised to 08:10, so the hop A -> B
    never arrives before it leaves; C's blank departure takes its arrival."""
    f = make_feed(tmp_path / "f", stops=[("A", 0.0, 0.0), ("B", 0.0, 0.01), ("C", 0.0, 0.02)], stop_times={
        "T": [("A", "08:00:00", "08:10:00"), ("B", "08:05:00", "08:06:00"), ("C", "08:20:00", "")]})
    tt, ref = _compile_folder(f, DAY0)
    h = 3600
    assert Counter(ref.connections()) == Counter({("A", "B", 8 * h + 600, 8 * h + 600, True, True): 1,
                                                  ("B", "C", 8 * h + 600, 8 * h + 1200, True, True): 1})
    compare_compiled(tt, ref)


def test_a_more_specific_row_forbidding_everywhere_beats_a_timed_route_row(tmp_path):
    """Trip a (route R1) -> trip b (route R2): a trip-to-trip row forbids the change everywhere
    (specificity 4 + 4), a route-to-route row at stop B gives 60 s (3 + 3). The trip row wins at
    B too: no change from a to b, though the route row still times a -> c at B."""
    f = make_feed(tmp_path / "f", stops=[(s, 0.0, i / 100) for i, s in enumerate("ABCD")],
                  routes=[{"route_id": r, "agency_id": "A", "route_type": 3, "route_short_name": r} for r in ("R1", "R2")],
                  trips=[{"trip_id": "a", "route_id": "R1"}, {"trip_id": "b", "route_id": "R2"},
                         {"trip_id": "c", "route_id": "R2"}],
                  stop_times={"a": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:10:00")],
                              "b": [("B", "08:20:00", "08:20:00"), ("C", "08:30:00", "08:30:00")],
                              "c": [("B", "08:25:00", "08:25:00"), ("D", "08:35:00", "08:35:00")]},
                  transfers=[{"from_trip_id": "a", "to_trip_id": "b", "transfer_type": 3},
                             {"from_route_id": "R1", "to_route_id": "R2", "from_stop_id": "B", "to_stop_id": "B",
                              "transfer_type": 2, "min_transfer_time": 60}])
    tt, ref = _compile_folder(f, DAY0)
    a, b, c = ("a", 0, None), ("b", 0, None), ("c", 0, None)
    assert (ref.rule_for(a, b, "B", "B"), ref.rule_for(a, c, "B", "B")) == (-1, 60)
    compare_compiled(tt, ref)
    i = tt.stop_ids.index
    got = router.earliest_arrival(tt, [i("A")], 8 * 3600).arrival.tolist()
    assert (got[i("C")], got[i("D")]) == (router.UNREACHABLE, 8 * 3600 + 35 * 60)


@pytest.mark.parametrize("kind", ["block", "block, type 5", "type 4", "block, elsewhere", "block, parked",
                                  "type 4, parked"])
def test_a_block_past_midnight_goes_on_as_the_next_service_days_first_trip(tmp_path, kind):
    """Every day, bus A runs X 23:50 -> Y 24:10 -> S 24:40 and bus B S 00:41 -> Z 01:11: the
    vehicle of A goes on as B of the next service day (block B1: A is the block's last trip of
    a day and crosses midnight, B its first of the next; or a type 4 row A -> B, B leaving
    before A arrives on their own clocks: GTFS "the to_trip_id trip is occurring the subsequent
    service day"). On DAY0 yesterday's A (Y 00:10 -> S 00:40) goes on as today's B, so a rider
    from Y at 00:00 reaches Z at 01:11 with one ride; changing at S (180 s) misses B, and
    tomorrow's B (in the date's timetable: it leaves in the night after it) is the seat of
    today's A. A type 5 row says no, and so does B leaving another stop (T,
    beside S). "Parked": B leaves at 01:41, 61 min after A arrives: too long a pause for a block
    (a rider changes at S, Z at 02:11 with a transfer), while a type 4 row still seats the
    rider. OpenTripPlanner links block trips of one service date only, so it would not seat the
    rider: see timetable/transfers.py for why we do."""
    block = {"block_id": "B1"} if kind.startswith("block") else {}
    transfers = [{"from_trip_id": "A", "to_trip_id": "B", "transfer_type": 5 if "5" in kind else 4}] \
        if "type" in kind else []
    start = "T" if kind == "block, elsewhere" else "S"
    leave, reach = ("01:41:00", "02:11:00") if "parked" in kind else ("00:41:00", "01:11:00")
    f = make_feed(tmp_path / "f", stops=[(s, 0.0, i / 100) for i, s in enumerate("XYSZ")] + [("T", 0.0, 0.0201)],
                  trips=[{"trip_id": "A", "route_id": "R", **block}, {"trip_id": "B", "route_id": "R", **block}],
                  stop_times={"A": [("X", "23:50:00", "23:50:00"), ("Y", "24:10:00", "24:10:00"),
                                    ("S", "24:40:00", "24:40:00")],
                              "B": [(start, leave, leave), ("Z", reach, reach)]},
                  **({"transfers": transfers} if transfers else {}))
    tt, ref = _compile_folder(f, DAY0)
    seated = kind in ("block", "type 4", "type 4, parked")
    assert ref.seats == ({(("A", 1, None), ("B", 0, None), 0), (("A", 0, None), ("B", -1, None), 1)}
                         if seated else set())
    compare_compiled(tt, ref)
    i = tt.stop_ids.index
    arrive = 2 * 3600 + 11 * 60 if "parked" in kind else 3600 + 11 * 60
    # type 5: a change at S misses today's B, and tomorrow's (in the night after the date) is a day on
    want = ([(arrive, 0)] if seated else [(arrive, 1)] if kind == "block, parked"
            else [(arrive + 86400, 1)] if kind == "block, type 5" else [])
    assert [(j.arrival, j.transfers) for j in router.pareto(tt, [i("Y")], [i("Z")], 0, 3)] == want
    got = router.earliest_arrival(tt, [i("Y")], 0).arrival.tolist()[i("Z")]
    assert got == (want[0][0] if want else router.UNREACHABLE)


def test_the_days_last_trip_of_a_block_goes_on_into_the_next_day_not_its_first(tmp_path):
    """Block B1 every day: a1 X 23:55 -> Y 24:05 -> S 24:15, a2 S 24:20 -> Y 24:30 -> S 24:40,
    b S 00:45 -> Z 01:15. On DAY0 yesterday's a1 goes on as yesterday's a2 (S 00:15 -> 00:20),
    and a2, the day's last, as today's b (S 00:40 -> 00:45); today's a1 goes on as today's a2,
    and today's a2 as tomorrow's b (in the date's timetable: it leaves in the night after it).
    Yesterday's a1 also ends at S before b leaves, but it is not the day's last trip: no seat
    from it into b."""
    f = make_feed(tmp_path / "f", stops=[(s, 0.0, i / 100) for i, s in enumerate("XYSZ")],
                  trips=[{"trip_id": t, "route_id": "R", "block_id": "B1"} for t in ("a1", "a2", "b")],
                  stop_times={"a1": [("X", "23:55:00", "23:55:00"), ("Y", "24:05:00", "24:05:00"),
                                     ("S", "24:15:00", "24:15:00")],
                              "a2": [("S", "24:20:00", "24:20:00"), ("Y", "24:30:00", "24:30:00"),
                                     ("S", "24:40:00", "24:40:00")],
                              "b": [("S", "00:45:00", "00:45:00"), ("Z", "01:15:00", "01:15:00")]})
    tt, ref = _compile_folder(f, DAY0)
    a1, a2, b = ("a1", 1, None), ("a2", 1, None), ("b", 0, None)
    assert ref.seats == {(a1, a2, 0), (a2, b, 1), (("a1", 0, None), ("a2", 0, None), 1),
                         (("a2", 0, None), ("b", -1, None), 1)}
    compare_compiled(tt, ref)


def test_reference_is_independent_of_the_code_it_checks():
    """tests/reference imports only the standard library and networkx: nothing from hbeu_transit,
    gtfs-kit, pandas or numpy, so it cannot inherit a bug from the feed reader or the compiler."""
    import ast
    import sys
    from pathlib import Path

    allowed = set(sys.stdlib_module_names) | {"networkx", "__future__"}
    for path in sorted((Path(__file__).parent / "reference").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [] if node.level else [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"


# ------------------------------------------------------------------ random feeds

@settings(max_examples=max(1, int(500 * SCALE)), **SETTINGS)
@given(spec=feeds())
def test_compiler_matches_gtfs_text_reference(spec):
    note(f"feed: {spec}")
    tt, ref = compile_and_read(spec)
    compare_compiled(tt, ref)


@contextlib.contextmanager
def kernel(name: str):
    router.set_backend(name)
    try:
        yield
    finally:
        router.set_backend(None)


def check_router(data, tt, graph: ReferenceGraph, n_queries: int) -> None:
    """Router on the compiled timetable == queries on the reference's graph (stop ids)."""
    ids = tt.stop_ids
    index = {s: i for i, s in enumerate(ids)}
    ref = graph.ref
    served = sorted({h.frm for h in ref.hops} | {h.to for h in ref.hops}) or sorted(ref.stop_ids)
    times = sorted({h.dep for h in ref.hops})
    for q in range(n_queries):
        def place(label):
            s = data.draw(st.sampled_from(served), label=label)
            return graph.station_members(s) if data.draw(st.booleans(), label=f"{label} station") else [s]

        def moment(label):
            if times and data.draw(st.booleans(), label=f"{label} near"):
                return max(0, data.draw(st.sampled_from(times), label=label)
                           - data.draw(st.sampled_from([0, 1, 60, 300]), label=f"{label} early"))
            return data.draw(st.integers(0, 30 * 3600), label=label)

        src, dst = place("sources"), place("targets")
        depart = moment("depart")
        k = data.draw(st.sampled_from([None, 0, 1, 2]), label="max_transfers")
        s_ix, t_ix = [index[s] for s in src], [index[s] for s in dst]
        what = f"query {q}: sources={src} targets={dst} depart={depart} max_transfers={k}"

        for cap in {None, k}:
            arr = router.earliest_arrival(tt, s_ix, depart, max_transfers=cap).arrival.tolist()
            got = {ids[i]: int(t) for i, t in enumerate(arr) if t < router.UNREACHABLE}
            assert got == graph.earliest_all(src, depart, cap), f"earliest arrival, {what} cap={cap}"
        kp = 3 if k is None else k
        got_front = [(j.arrival, j.transfers) for j in router.pareto(tt, s_ix, t_ix, depart, kp)]
        assert got_front == graph.pareto(src, dst, depart, kp), f"pareto, {what}"
        arrive = moment("arrive") + data.draw(st.sampled_from([0, 3600]), label="later")
        assert router.latest_departure(tt, s_ix, t_ix, arrive, max_transfers=k) == \
            graph.latest_departure(src, dst, arrive, k), f"latest departure, {what} arrive={arrive}"


@pytest.mark.parametrize("backend", ["python", "numba"])
@settings(max_examples=max(1, int(150 * SCALE)), **SETTINGS)
@given(spec=feeds(), data=st.data())
def test_router_on_compiled_feed_matches_reference_graph(backend, spec, data):
    note(f"feed: {spec}")
    tt, ref = compile_and_read(spec)
    with kernel(backend):
        check_router(data, tt, ReferenceGraph(ref), n_queries=3)
