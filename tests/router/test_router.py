"""The router on hand-made timetables, one routing rule per test, answers worked out by hand;
and the interpreted and numba-compiled kernels giving identical answers on random timetables.

(The differential tests against the networkx oracle live in test_differential.py.)
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from conftest import missing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hbeu_transit.router as router
from hbeu_transit.router import UNREACHABLE, Journey, Leg
from hbeu_transit.timetable import timetable_from_connections


def make(conns, **kw):
    """A Timetable from (from, to, dep, arr, trip[, board, alight]) with string stop ids."""
    return timetable_from_connections(conns, **kw)


def S(tt, *names: str) -> list[int]:
    return [tt.stop_ids.index(n) for n in names]


def arrival(tt, src: str, depart: int, **kw) -> dict[str, int]:
    """One-to-all earliest arrival by stop id (reached stops only)."""
    res = router.earliest_arrival(tt, S(tt, src), depart, **kw)
    return {tt.stop_ids[i]: int(t) for i, t in enumerate(res.arrival) if t != UNREACHABLE}


def legs(j: Journey, tt) -> list[tuple]:
    """A journey's legs with stop ids: (kind, from, to, dep, arr[, trip])."""
    out = []
    for g in j.legs:
        row = (g.kind, tt.stop_ids[g.from_stop], tt.stop_ids[g.to_stop], g.departure, g.arrival)
        out.append(row + ((int(tt.trip_ids[g.trip]),) if g.kind == "ride" else ()))
    return out


@pytest.fixture(params=["python", "numba"])
def backend(request):
    """Run a test on both kernels (numba only where it is installed)."""
    if request.param == "numba" and importlib.util.find_spec("numba") is None:
        missing("numba not installed")
    router.set_backend(request.param)
    yield request.param
    router.set_backend(None)


# --------------------------------------------------------------------------- one rule each

def test_staying_on_the_trip_is_not_a_transfer(backend):
    # changing at B is forbidden, but staying seated through B needs no change
    tt = make([("A", "B", 100, 200, 0), ("B", "C", 210, 300, 0)], stop_change={"B": -1})
    assert arrival(tt, "A", 0) == {"A": 0, "B": 200, "C": 300}
    j = router.earliest_arrival(tt, S(tt, "A"), 0, targets=S(tt, "C")).journey(S(tt, "C"))
    assert legs(j, tt) == [("ride", "A", "C", 100, 300, 0)]
    assert j.transfers == 0


def test_change_time_at_a_stop(backend):
    # arrive B at 100; trip 1 leaves B at 150 (arrives C 250), trip 2 at 200 (arrives C 300)
    conns = [("A", "B", 0, 100, 0), ("B", "C", 150, 250, 1), ("B", "C", 200, 300, 2)]
    tt = make(conns, stop_change={"B": 60})        # ready at 160: trip 1 is missed
    assert arrival(tt, "A", 0)["C"] == 300
    j = router.earliest_arrival(tt, S(tt, "A"), 0).journey(S(tt, "C"))
    assert legs(j, tt) == [("ride", "A", "B", 0, 100, 0), ("transfer", "B", "B", 100, 160),
                           ("ride", "B", "C", 200, 300, 2)]
    assert j.transfers == 1
    tt = make(conns, stop_change={"B": 50})        # ready at 150: trip 1 leaves exactly then
    assert arrival(tt, "A", 0)["C"] == 250


def test_forbidden_change(backend):
    tt = make([("A", "B", 0, 100, 0), ("B", "C", 500, 600, 1)], stop_change={"B": -1})
    assert arrival(tt, "A", 0) == {"A": 0, "B": 100}
    res = router.earliest_arrival(tt, S(tt, "A"), 0, targets=S(tt, "C"))
    assert res.journey(S(tt, "C")) is None
    assert router.pareto(tt, S(tt, "A"), S(tt, "C"), 0, 3) == []


def test_footpath_between_platforms_and_to_another_station(backend):
    # B1, B2 platforms of station B; D a separate stop 120 s walk from B2
    conns = [("A", "B1", 0, 100, 0), ("B2", "C", 150, 250, 1), ("B2", "C", 200, 300, 2)]
    kw = dict(stops=["A", "B", "B1", "B2", "C", "D"], stop_station={"B1": "B", "B2": "B"},
              footpaths=[("B1", "B2", 90), ("B2", "D", 120)])
    tt = make(conns, **kw)
    # walking B1 -> B2 ready at 190: trip 1 (150) missed, trip 2 (200) caught
    assert arrival(tt, "A", 0) == {"A": 0, "B1": 100, "B2": 190, "C": 300}
    j = router.earliest_arrival(tt, S(tt, "A"), 0).journey(S(tt, "C"))
    assert legs(j, tt) == [("ride", "A", "B1", 0, 100, 0), ("transfer", "B1", "B2", 100, 190),
                           ("ride", "B2", "C", 200, 300, 2)]
    # footpaths are not chained: B1 -> B2 -> D is two walks, so D is not reached
    assert "D" not in arrival(tt, "A", 0)
    # a final walk to another station is a walk leg
    tt2 = make([("A", "B2", 0, 100, 0)], **kw)
    j = router.earliest_arrival(tt2, S(tt2, "A"), 0).journey(S(tt2, "D"))
    assert legs(j, tt2) == [("ride", "A", "B2", 0, 100, 0), ("walk", "B2", "D", 100, 220)]


def test_origin_needs_no_change_time_and_walks_cost_only_the_footpath(backend):
    conns = [("A", "B", 100, 200, 0), ("X", "B", 50, 150, 1), ("X", "B", 60, 160, 2)]
    tt = make(conns, stop_change={"A": 300, "X": 300}, footpaths=[("A", "X", 60)])
    # standing at A at 100: board at once, whatever A's change time
    assert arrival(tt, "A", 100)["B"] == 200
    # from A at 0, X is reached at 60: the 50 departure is gone, the 60 one is caught
    assert arrival(tt, "A", 0) == {"A": 0, "X": 60, "B": 160}
    j = router.earliest_arrival(tt, S(tt, "A"), 0).journey(S(tt, "B"))
    assert legs(j, tt) == [("walk", "A", "X", 0, 60), ("ride", "X", "B", 60, 160, 2)]


def test_pickup_and_drop_off_restrictions(backend):
    # trip 0: A -> B -> C, no drop-off at B; trip 1: B -> D, no pickup at B, then D -> E
    conns = [("A", "B", 0, 100, 0, True, False), ("B", "C", 110, 200, 0),
             ("B", "D", 300, 400, 1, False, True), ("D", "E", 410, 500, 1)]
    tt = make(conns)
    assert arrival(tt, "A", 0) == {"A": 0, "C": 200}
    assert arrival(tt, "B", 0) == {"B": 0, "C": 200}          # boards trip 0 at B; not trip 1
    assert arrival(tt, "D", 0) == {"D": 0, "E": 500}


def test_previous_day_trips_with_negative_times(backend):
    # a trip of the day before: leaves A at 23:50 (-600), B at 23:59 (-60), reaches C at 00:10
    conns = [("A", "B", -600, -100, 0), ("B", "C", -60, 600, 0), ("C", "D", 86_000, 87_000, 1)]
    tt = make(conns)
    assert arrival(tt, "A", 0) == {"A": 0}                     # it already left
    assert arrival(tt, "B", -100) == {"B": -100, "C": 600, "D": 87_000}
    assert arrival(tt, "A", -700)["C"] == 600


def test_multiple_sources_and_targets(backend):
    conns = [("A", "C", 100, 900, 0), ("D", "E", 100, 500, 1), ("A", "E", 100, 700, 2)]
    tt = make(conns)
    res = router.earliest_arrival(tt, S(tt, "A", "D"), 0)
    assert {tt.stop_ids[i]: int(t) for i, t in enumerate(res.arrival) if t != UNREACHABLE} == {
        "A": 0, "D": 0, "C": 900, "E": 500}
    j = res.journey(S(tt, "C", "E"))
    assert legs(j, tt) == [("ride", "D", "E", 100, 500, 1)]
    res = router.earliest_arrival(tt, S(tt, "A", "D"), 0, targets=S(tt, "C", "E"))
    assert legs(res.journey(S(tt, "C", "E")), tt) == [("ride", "D", "E", 100, 500, 1)]


def test_target_that_is_a_source_or_a_walk_away(backend):
    tt = make([("A", "B", 100, 200, 0)], footpaths=[("A", "W", 30)])
    res = router.earliest_arrival(tt, S(tt, "A"), 10)
    assert res.journey(S(tt, "A")) == Journey(())
    assert legs(res.journey(S(tt, "W")), tt) == [("walk", "A", "W", 10, 40)]
    assert router.pareto(tt, S(tt, "A"), S(tt, "W"), 10, 2) == []   # rides only


def test_a_ride_sooner_than_a_walk_counts_though_ready_later(backend):
    # a walk from B reaches X at 500 (ready to board then); a ride reaches X sooner, at 450,
    # but with X's change time is ready only at 570: X's arrival is the ride's, and the trip
    # leaving X at 520 is still caught thanks to the walk
    tt = make([("A", "B", 100, 200, 0), ("A", "X", 150, 450, 1), ("X", "Y", 520, 600, 2)],
              footpaths=[("B", "X", 300)], stop_change={"X": 120})
    got = arrival(tt, "A", 0)
    assert (got["X"], got["Y"]) == (450, 600)
    res = router.earliest_arrival(tt, S(tt, "A"), 0, targets=S(tt, "X"))
    assert res.arrival[S(tt, "X")].tolist() == [450]
    assert legs(res.journey(S(tt, "X")), tt) == [("ride", "A", "X", 150, 450, 1)]


LADDER = [  # A -> Z: direct and slow, or faster with more changes (change time 0)
    ("A", "Z", 100, 1000, 0),
    ("A", "M", 100, 200, 1), ("M", "Z", 250, 700, 2),
    ("A", "P", 100, 150, 3), ("P", "Q", 160, 250, 4), ("Q", "Z", 260, 500, 5),
]


def test_pareto_respects_max_transfers(backend):
    tt = make(LADDER)
    A, Z = S(tt, "A"), S(tt, "Z")

    def front(k: int) -> list[tuple[int, int]]:
        return [(j.arrival, j.transfers) for j in router.pareto(tt, A, Z, 0, k)]

    assert front(0) == [(1000, 0)]
    assert front(1) == [(1000, 0), (700, 1)]
    assert front(2) == [(1000, 0), (700, 1), (500, 2)]
    assert front(5) == front(2)
    best = router.pareto(tt, A, Z, 0, 2)[-1]
    assert legs(best, tt) == [("ride", "A", "P", 100, 150, 3), ("transfer", "P", "P", 150, 150),
                              ("ride", "P", "Q", 160, 250, 4), ("transfer", "Q", "Q", 250, 250),
                              ("ride", "Q", "Z", 260, 500, 5)]
    assert router.earliest_arrival(tt, A, 0, max_transfers=1).arrival[Z[0]] == 700
    assert router.earliest_arrival(tt, A, 0, max_transfers=0).arrival[Z[0]] == 1000
    assert router.earliest_arrival(tt, A, 0).arrival[Z[0]] == 500
    j = router.earliest_arrival(tt, A, 0, targets=Z, max_transfers=1).journey(Z)
    assert (j.arrival, j.transfers) == (700, 1)


def test_arrive_by_picks_the_latest_departure(backend):
    conns = [("A", "C", 100, 400, 0), ("A", "C", 200, 500, 1), ("A", "C", 300, 650, 2),
             ("A", "B", 200, 250, 3), ("B", "C", 260, 450, 4)]
    tt = make(conns)
    A, C = S(tt, "A"), S(tt, "C")
    # by 600: leaving at 300 arrives 650, too late; leaving at 200, the change at B (450)
    # beats the direct trip (500)
    j = router.arrive_by(tt, A, C, 600)
    assert legs(j, tt) == [("ride", "A", "B", 200, 250, 3), ("transfer", "B", "B", 250, 250),
                           ("ride", "B", "C", 260, 450, 4)]
    assert router.latest_departure(tt, A, C, 600) == 200
    assert router.arrive_by(tt, A, C, 650).departure == 300
    assert router.arrive_by(tt, A, C, 399) is None
    # with no transfer allowed, leaving at 200 arrives 500 on the direct trip
    assert legs(router.arrive_by(tt, A, C, 600, max_transfers=0), tt) == [("ride", "A", "C", 200, 500, 1)]


def test_arrive_by_prefers_fewer_transfers_at_equal_arrival(backend):
    conns = [("A", "C", 200, 500, 1), ("A", "B", 200, 250, 3), ("B", "C", 260, 500, 4)]
    tt = make(conns)
    assert legs(router.arrive_by(tt, S(tt, "A"), S(tt, "C"), 600), tt) == [("ride", "A", "C", 200, 500, 1)]


def test_arrive_by_departure_includes_the_origin_walk(backend):
    tt = make([("X", "C", 100, 400, 0), ("X", "C", 300, 600, 1)], footpaths=[("A", "X", 40)])
    j = router.arrive_by(tt, S(tt, "A"), S(tt, "C"), 500)
    assert legs(j, tt) == [("walk", "A", "X", 60, 100), ("ride", "X", "C", 100, 400, 0)]
    assert router.latest_departure(tt, S(tt, "A"), S(tt, "C"), 500) == 60


PROFILE = [
    ("A", "C", 50, 600, 4),                              # leave 50, arrive 600: beaten by leaving at 100
    ("A", "C", 100, 500, 0),                             # leave 100, arrive 500, direct
    ("A", "B", 150, 160, 5), ("B", "C", 300, 400, 2),    # leave 150, arrive 400 with a change...
    ("A", "B", 200, 250, 1),                             # ...as does leaving at 200: 150 is beaten
    ("A", "C", 300, 550, 3),                             # leave 300 (after the window), direct
]


def test_profile_returns_the_pareto_set(backend):
    tt = make(PROFILE)
    A, C = S(tt, "A"), S(tt, "C")
    got = [(j.legs[0].departure, j.arrival, j.transfers) for j in router.profile(tt, A, C, 0, 250, max_transfers=3)]
    # (50, 600, 0) loses to (100, 500, 0); (150, 400, 1) to (200, 400, 1); (300, 550, 0) leaves after 250
    assert got == [(100, 500, 0), (200, 400, 1)]
    js = router.profile(tt, A, C, 0, 250, max_transfers=3)
    assert legs(js[1], tt) == [("ride", "A", "B", 200, 250, 1), ("transfer", "B", "B", 250, 250),
                               ("ride", "B", "C", 300, 400, 2)]
    # with no transfer allowed only the direct trips count
    got0 = [(j.departure, j.arrival) for j in router.profile(tt, A, C, 0, 250, max_transfers=0)]
    assert got0 == [(100, 500)]
    # window [0, 1000]: leaving at 300 arrives 550 and does not beat (100, 500)
    got = [(j.departure, j.arrival, j.transfers) for j in router.profile(tt, A, C, 0, 1000, max_transfers=3)]
    assert got == [(100, 500, 0), (200, 400, 1), (300, 550, 0)]


def test_profile_counts_later_departures_as_competitors(backend):
    tt = make(PROFILE + [("A", "C", 260, 380, 6)])       # leaves after the window, arrives first
    got = [(j.departure, j.arrival, j.transfers) for j in
           router.profile(tt, S(tt, "A"), S(tt, "C"), 0, 250, max_transfers=3)]
    assert got == []


def test_profile_all_pairs(backend):
    tt = make(PROFILE)
    prof = router.profile_all(tt, S(tt, "A"), 0, 250)

    def pairs(stop: str) -> list[tuple[int, int]]:
        d, a = prof.pairs(S(tt, stop)[0])
        return list(zip(d.tolist(), a.tolist()))

    # C: leaving at 50, 100, 150 or 200 all arrive 400 at best, so only 200 is listed
    assert pairs("C") == [(200, 400)]
    assert pairs("B") == [(150, 160), (200, 250)]
    assert pairs("A") == []
    b, c, a = S(tt, "B", "C", "A")
    assert prof.fastest()[[b, c, a]].tolist() == [10, 200, UNREACHABLE]
    # leaving at 160 the next journey to B leaves at 200; after the window (250) none is left
    assert prof.arrivals_at([0, 150, 160, 250], [b]).ravel().tolist() == [160, 160, 250, UNREACHABLE]
    # within a horizon of 150 s only B's pairs remain (C takes 200 s at best)
    prof = router.profile_all(tt, S(tt, "A"), 0, 250, horizon=150)
    assert list(zip(*prof.pairs(S(tt, "C")[0]))) == []
    assert list(zip(*[x.tolist() for x in prof.pairs(S(tt, "B")[0])])) == [(150, 160), (200, 250)]


def test_trip_transfer_block_uses_the_next_best_arrival(backend):
    # trips 0 and 3 both bring A to B; changing 0 -> 1 is forbidden
    conns = [("A", "B", 0, 100, 0), ("A", "B", 50, 150, 3), ("B", "C", 200, 300, 1), ("B", "C", 250, 350, 2)]
    tt = make(conns, trip_transfer_block=[(0, 1)])
    assert arrival(tt, "A", 0)["C"] == 300                    # via trip 3, then trip 1
    j = router.earliest_arrival(tt, S(tt, "A"), 0).journey(S(tt, "C"))
    assert [g.trip for g in j.rides] == [3, 1]
    tt = make(conns[:1] + conns[2:], trip_transfer_block=[(0, 1)])
    assert arrival(tt, "A", 0)["C"] == 350                    # only trip 0 arrives: take trip 2


def test_in_seat_transfer_is_no_change(backend):
    """Trip 0 ends at B at 200 and its vehicle goes on as trip 1 (leaving B at 200, no pickup
    there): changing at B would take 600 s, staying seated takes none and is not a transfer."""
    conns = [("A", "B", 100, 200, 0), ("B", "C", 200, 300, 1, False, True)]
    assert "C" not in arrival(make(conns, stop_change=600), "A", 0)
    tt = make(conns, stop_change=600, transfer_rules=[(0, 1, "B", "B", -2)])
    assert arrival(tt, "A", 0)["C"] == 300
    j = router.pareto(tt, S(tt, "A"), S(tt, "C"), 0, 0)
    assert [legs(x, tt) for x in j] == [[("ride", "A", "B", 100, 200, 0), ("seat", "B", "B", 200, 200),
                                         ("ride", "B", "C", 200, 300, 1)]]
    assert j[0].transfers == 0
    assert router.latest_departure(tt, S(tt, "A"), S(tt, "C"), 300, max_transfers=0) == 100
    # only from the last hop: boarding trip 0 at B is not possible, riding it to B then staying is
    assert arrival(tt, "B", 150).get("C") is None


def test_a_vehicle_going_on_as_two_trips_is_ridden_on_into_both(backend):
    """Trip 0's vehicle goes on as trip 1 to C and as trip 2 to D (no pickup at B; changing
    there would take 600 s). Two in-seat firings at one hop are not fired on boarding trip 0
    (``View.ea_scan`` false: the one-layer query runs ``csa.scan``), one is: both reach what
    staying seated reaches, with the seat leg in the journey."""
    from hbeu_transit.router.views import view

    conns = [("A", "B", 100, 200, 0), ("B", "C", 200, 300, 1, False, True), ("B", "D", 210, 310, 2, False, True)]
    both = make(conns, stop_change=600, transfer_rules=[(0, 1, "B", "B", -2), (0, 2, "B", "B", -2)])
    one = make(conns, stop_change=600, transfer_rules=[(0, 2, "B", "B", -2)])
    assert not view(both).ea_scan and view(one).ea_scan
    assert arrival(both, "A", 0) == {"A": 0, "B": 200, "C": 300, "D": 310}
    assert arrival(one, "A", 0) == {"A": 0, "B": 200, "D": 310}
    for tt in (both, one):
        j = router.earliest_arrival(tt, S(tt, "A"), 0).journey(S(tt, "D"))
        assert legs(j, tt) == [("ride", "A", "B", 100, 200, 0), ("seat", "B", "B", 200, 210),
                               ("ride", "B", "D", 210, 310, 2)]


def test_two_vehicles_going_on_as_one_trip_each_ride_on_into_it(backend):
    """Trips 0 (from A) and 1 (from X) both end at B, and the vehicle of each goes on as trip 2
    to C (no pickup at B; changing there would take 600 s). A scan of times only joins trips
    running on into each other into one ride chain, but trip 2 cannot join both: from either
    start C is reached in seat, and neither start's ride boards the other's trip."""
    from hbeu_transit.router.views import view

    conns = [("A", "B", 100, 200, 0), ("X", "B", 110, 210, 1), ("B", "C", 300, 400, 2, False, True)]
    tt = make(conns, stop_change=600, transfer_rules=[(0, 2, "B", "B", -2), (1, 2, "B", "B", -2)])
    assert view(tt).ea_scan
    assert arrival(tt, "A", 0) == {"A": 0, "B": 200, "C": 400}
    assert arrival(tt, "X", 0) == {"X": 0, "B": 210, "C": 400}
    # trips 0, 2 and 3 alone make one ride chain; a query with a target keeps each trip's own
    # boarding (the journey's legs), with or without trip 1
    one = make(conns[:1] + conns[2:] + [("C", "D", 500, 600, 3, False, True)], stop_change=600,
               transfer_rules=[(0, 2, "B", "B", -2), (2, 3, "C", "C", -2)])
    assert arrival(one, "A", 0) == {"A": 0, "B": 200, "C": 400, "D": 600}
    j = router.earliest_arrival(one, S(one, "A"), 0, targets=S(one, "C")).journey(S(one, "C"))
    assert legs(j, one) == [("ride", "A", "B", 100, 200, 0), ("seat", "B", "B", 200, 300),
                            ("ride", "B", "C", 300, 400, 2)]
    for start, trip, dep, arr in (("A", 0, 100, 200), ("X", 1, 110, 210)):
        j = router.earliest_arrival(tt, S(tt, start), 0, targets=S(tt, "C")).journey(S(tt, "C"))
        assert legs(j, tt) == [("ride", start, "B", dep, arr, trip), ("seat", "B", "B", arr, 300),
                               ("ride", "B", "C", 300, 400, 2)]


def test_in_seat_chain_is_one_ride_for_the_pruning_bound(backend):
    """A vehicle runs A -> B as trip 0, on as trip 1 to C and as trip 2 to D (no pickup or
    drop-off on the way; changing would take 600 s): one ride. The rides lower bound that lets
    a transfer-limited scan skip layers must count the chain once, or the only journey is lost."""
    from hbeu_transit.router import bounds
    from hbeu_transit.router.views import view

    def routed(tt):     # one route per trip (hand-made timetables put every trip on one)
        tt.trip_route = np.arange(tt.n_trips, dtype=np.int32)
        tt.route_ids = tt.route_names = [f"R{k}" for k in range(tt.n_trips)]
        return tt

    def fewest(tt):
        v = view(tt)
        return bounds.fewest_rides(tt, v, bounds.origin_offsets(tt, v.n, np.array(S(tt, "A"))),
                                   bounds.target_offsets(tt, v.n, np.array(S(tt, "D"))), 5)

    conns = [("A", "B", 100, 200, 0), ("B", "C", 200, 300, 1, False, False), ("C", "D", 300, 400, 2, False, True)]
    rules = [(0, 1, "B", "B", -2), (1, 2, "C", "C", -2)]
    tt = routed(make(conns, stop_change=600, transfer_rules=rules))
    assert fewest(tt) == 1
    assert fewest(routed(make(conns[:1] + [c[:5] for c in conns[1:]]))) == 3    # three separate rides
    for k in (0, 2):
        j = router.pareto(tt, S(tt, "A"), S(tt, "D"), 0, k)
        assert [(x.arrival, x.transfers) for x in j] == [(400, 0)]
    assert [(x.departure, x.arrival, x.transfers) for x in router.profile(tt, S(tt, "A"), S(tt, "D"), 0, 150,
                                                                         max_transfers=1)] == [(100, 400, 0)]


def test_a_change_by_footpath_counts_for_the_pruning_bound(backend):
    """No direct ride from A to D: trip 0 runs A -> B, a 120-s walk leads from B to C, trip 1
    runs C -> D. The rides lower bound that lets a transfer-limited scan skip layers must
    follow the walk (two rides, with the trips on two routes), or it finds the targets out of
    reach and the only journey is lost. (With both trips on one route, as hand-made timetables
    put them, the bound, blind to the order of stops, is one ride.)"""
    from hbeu_transit.router import bounds
    from hbeu_transit.router.views import view

    conns = [("A", "B", 100, 200, 0), ("C", "D", 400, 500, 1)]
    for routes in (1, 2):
        tt = make(conns, footpaths=[("B", "C", 120)])
        if routes == 2:
            tt.trip_route = np.arange(tt.n_trips, dtype=np.int32)
            tt.route_ids = tt.route_names = ["R0", "R1"]
        v = view(tt)
        bound = bounds.fewest_rides(tt, v, bounds.origin_offsets(tt, v.n, np.array(S(tt, "A"))),
                                    bounds.target_offsets(tt, v.n, np.array(S(tt, "D"))), 5)
        assert bound == routes      # (one route: boarded at A, it reaches D, whatever the order)
        for k in (1, 2):
            assert [(x.arrival, x.transfers) for x in router.pareto(tt, S(tt, "A"), S(tt, "D"), 0, k)] == [(500, 1)]
        assert [(x.departure, x.arrival, x.transfers)
                for x in router.profile(tt, S(tt, "A"), S(tt, "D"), 0, 150, max_transfers=1)] == [(100, 500, 1)]


def test_timed_trip_rule_replaces_the_stop_change_time(backend):
    """Changing at B takes 600 s, but trip 0 -> trip 1 is guaranteed in 60 s; trip 0 -> trip 3
    needs 400 s (longer than the 0 s the stop would allow elsewhere: trip 2 from A, 0 s)."""
    conns = [("A", "B", 100, 200, 0), ("B", "C", 260, 400, 1), ("B", "C", 900, 1000, 2)]
    plain = make(conns, stop_change={"B": 600})
    assert arrival(plain, "A", 0)["C"] == 1000
    tt = make(conns, stop_change={"B": 600}, transfer_rules=[(0, 1, "B", "B", 60)])
    assert arrival(tt, "A", 0)["C"] == 400
    j = router.earliest_arrival(tt, S(tt, "A"), 0, targets=S(tt, "C")).journey(S(tt, "C"))
    assert legs(j, tt) == [("ride", "A", "B", 100, 200, 0), ("transfer", "B", "B", 200, 260),
                           ("ride", "B", "C", 260, 400, 1)]
    assert router.latest_departure(tt, S(tt, "A"), S(tt, "C"), 400) == 100
    longer = make(conns + [("B", "C", 210, 500, 3)], stop_change={"B": 0},
                  transfer_rules=[(0, 1, "B", "B", 120), (0, 3, "B", "B", 400)])
    assert arrival(longer, "A", 0)["C"] == 1000   # 200 + 120 > 260, 200 + 400 > 210: trip 2


def test_trip_rule_between_two_stops_needs_no_footpath(backend):
    tt = make([("A", "B", 100, 200, 0), ("D", "C", 240, 300, 1)], transfer_rules=[(0, 1, "B", "D", 30)])
    j = router.earliest_arrival(tt, S(tt, "A"), 0, targets=S(tt, "C")).journey(S(tt, "C"))
    assert legs(j, tt) == [("ride", "A", "B", 100, 200, 0), ("walk", "B", "D", 200, 230),
                           ("ride", "D", "C", 240, 300, 1)]
    # a rule at one stop governs only there: forbidding 0 -> 1 at E leaves the change at B
    conns = [("A", "B", 100, 200, 0), ("B", "E", 200, 250, 0), ("E", "B", 260, 280, 1), ("B", "C", 300, 400, 1)]
    tt = make(conns, transfer_rules=[(0, 1, "E", "E", -1)])
    j = router.earliest_arrival(tt, S(tt, "A"), 0, targets=S(tt, "C")).journey(S(tt, "C"))
    assert legs(j, tt)[-1] == ("ride", "B", "C", 300, 400, 1)
    assert "C" not in arrival(make(conns, trip_transfer_block=[(0, 1)]), "A", 0)


def test_zero_duration_hops_scanned_out_of_order(backend):
    # trip 1 (A -> B at 100, no time) feeds trip 0 (B -> C at 100); sorted by trip, trip 0's
    # hop is scanned first and needs a second look
    tt = make([("A", "B", 100, 100, 1), ("B", "C", 100, 100, 0)], stop_change=0)
    assert arrival(tt, "A", 0) == {"A": 0, "B": 100, "C": 100}
    tt = make([("A", "B", 100, 100, 1), ("B", "D", 100, 100, 0), ("D", "E", 100, 100, 0)], stop_change=0)
    assert arrival(tt, "A", 0) == {"A": 0, "B": 100, "D": 100, "E": 100}


def test_profile_all_looks_again_at_a_group_a_zero_duration_hop_feeds(backend):
    """Trips 0 (P -> S -> R) and 1 (Q -> P) run at 100 with no time on the way; sorted, trip 0's
    hops come first. Leaving S at 50 (trip 2 to Q), trip 1 makes P ready at 100 only after trip 0
    was scanned: trip 0 must be looked at again from P (reaching S at 100, leaving at 50),
    although leaving at 100 already rides it from S."""
    tt = make([("P", "S", 100, 100, 0), ("S", "R", 100, 100, 0), ("Q", "P", 100, 100, 1), ("S", "Q", 50, 60, 2)],
              stop_change=0)
    prof = router.profile_all(tt, S(tt, "S"), 0, 100)
    pairs = {x: list(zip(*[a.tolist() for a in prof.pairs(S(tt, x)[0])])) for x in "PSRQ"}
    assert pairs == {"P": [(50, 100)], "S": [(50, 100)], "R": [(100, 100)], "Q": [(50, 60)]}
    # the zero-duration hop feeding a group it was sorted after, alone
    tt = make([("A", "B", 100, 100, 1), ("B", "C", 100, 100, 0)], stop_change=0)
    prof = router.profile_all(tt, S(tt, "A"), 0, 200)
    assert [list(zip(*[a.tolist() for a in prof.pairs(S(tt, x)[0])])) for x in "BC"] == [[(100, 100)], [(100, 100)]]


def test_zero_time_loop_gives_a_valid_journey(backend):
    # one trip s1 -> s0 -> s1 -> s2 -> s0, every hop at 0; board only at s0 (hop 1) and s1
    # (hop 2), alight only at the end. Alighting at s0 and boarding the same trip again at its
    # earlier hop from s0 is allowed by the times; the journey must still be the single ride.
    tt = make([("s1", "s0", 0, 0, 0, False, False), ("s0", "s1", 0, 0, 0, True, False),
               ("s1", "s2", 0, 0, 0, True, False), ("s2", "s0", 0, 0, 0, False, True)])
    j = router.earliest_arrival(tt, S(tt, "s1"), 0, targets=S(tt, "s0")).journey(S(tt, "s0"))
    assert legs(j, tt) == [("ride", "s1", "s0", 0, 0, 0)]
    j = router.earliest_arrival(tt, S(tt, "s1"), 0).journey(S(tt, "s0"))
    assert legs(j, tt) == [("ride", "s1", "s0", 0, 0, 0)]


def test_input_checks():
    tt = make(LADDER)
    with pytest.raises(ValueError, match="^no source stop$"):
        router.earliest_arrival(tt, [], 0)
    with pytest.raises(ValueError, match=rf"^sources: stop index out of range 0\.\.{tt.n_stops - 1}$"):
        router.earliest_arrival(tt, [99], 0)
    with pytest.raises(ValueError, match="^max_transfers must be >= 0, not -1$"):
        router.pareto(tt, S(tt, "A"), S(tt, "Z"), 0, -1)
    # None (no limit) is for earliest arrival; a Pareto set over transfers found nothing with it
    assert router.pareto(tt, S(tt, "A"), S(tt, "Z"), 0)      # (there are journeys to find)
    for query in (lambda: router.pareto(tt, S(tt, "A"), S(tt, "Z"), 0, max_transfers=None),
                  lambda: router.profile(tt, S(tt, "A"), S(tt, "Z"), 0, 3600, max_transfers=None),
                  lambda: router.profile(tt, S(tt, "A"), S(tt, "Z"), 0, 3600, max_transfers=None,
                                         later_compete=False)):
        with pytest.raises(ValueError, match="max_transfers must be a number >= 0 .* not None$"):
            query()


# --------------------------------------------------------------------------- python == numba

@st.composite
def timetables(draw, seat: bool = False):
    """A small random network: trips over a few stops with minute times (ties, zero durations),
    change times (some forbidden), footpaths, pickup/drop-off flags and trip blocks (``seat``:
    in-seat continuations from a trip's last stop to another's first instead)."""
    n = draw(st.integers(3, 8))
    conns = []
    n_trips = draw(st.integers(1, 9))
    for t in range(n_trips):
        path = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=5))
        path = [s for i, s in enumerate(path) if i == 0 or s != path[i - 1]]
        time = draw(st.integers(-20, 60)) * 60
        for a, b in zip(path, path[1:]):
            dep = time + draw(st.sampled_from([0, 0, 60]))
            time = dep + draw(st.sampled_from([0, 60, 120, 300]))
            conns.append((a, b, dep, time, t, draw(st.integers(0, 6)) > 0, draw(st.integers(0, 6)) > 0))
    if not conns:
        conns = [(0, 1, 0, 60, 0)]
    used = sorted({c[4] for c in conns})
    remap = {t: i for i, t in enumerate(used)}
    conns = [c[:4] + (remap[c[4]],) + c[5:] for c in conns]
    change = [draw(st.sampled_from([-1, 0, 0, 60, 120])) for _ in range(n)]
    fps = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.sampled_from([0, 60, 180])),
                        max_size=5))
    fps = list({(a, b): (a, b, d) for a, b, d in fps if a != b}.values())
    k = len(used)
    blocks = draw(st.lists(st.tuples(st.integers(0, k - 1), st.integers(0, k - 1)), max_size=4))
    if seat:
        ends = {}
        for c in conns:     # (first stop, last stop) of each trip, in ride order
            ends[c[4]] = (ends.get(c[4], (c[0],))[0], c[1])
        rules = [(a, b, ends[a][1], ends[b][0], -2) for a, b in dict.fromkeys(blocks) if a != b]
        return timetable_from_connections(conns, stops=n, stop_change=change, footpaths=fps, transfer_rules=rules)
    return timetable_from_connections(conns, stops=n, stop_change=change, footpaths=fps,
                                      trip_transfer_block=blocks)


def _answers(tt, src, dst, t0):
    """Every query's answer in comparable form."""
    out = {}
    res = router.earliest_arrival(tt, src, t0)
    out["ea"] = res.arrival.tolist()
    out["ea_j"] = res.journey(dst)
    res = router.earliest_arrival(tt, src, t0, targets=dst, max_transfers=1)
    out["ea1"] = (res.arrival[dst].tolist(), res.journey(dst))
    out["pareto"] = router.pareto(tt, src, dst, t0, 2)
    out["arrive_by"] = router.arrive_by(tt, src, dst, t0 + 3600)
    out["arrive_by1"] = router.arrive_by(tt, src, dst, t0 + 3600, max_transfers=1)
    out["profile"] = router.profile(tt, src, dst, t0 - 1800, t0 + 1800, max_transfers=2)
    p = router.profile_all(tt, src, t0 - 1800, t0 + 1800, horizon=1800)
    out["profile_all"] = (p.start.tolist(), p.dep.tolist(), p.arr.tolist())
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tt=timetables(), data=st.data())
def test_numba_and_python_kernels_agree(tt, data):
    if importlib.util.find_spec("numba") is None:
        missing("numba not installed")
    stops = st.lists(st.integers(0, tt.n_stops - 1), min_size=1, max_size=2, unique=True)
    src, dst = data.draw(stops), data.draw(stops)
    t0 = data.draw(st.integers(-10, 70)) * 60
    try:
        router.set_backend("python")
        want = _answers(tt, src, dst, t0)
        router.set_backend("numba")
        got = _answers(tt, src, dst, t0)
    finally:
        router.set_backend(None)
    assert got == want


@st.composite
def vehicles(draw):
    """Vehicles each running 1-3 trips in a row (in-seat continuations, the next trip's first
    stop sometimes without pickup), with many zero-duration hops and equal times: what the
    one-pass profile must get right besides plain rides."""
    n = draw(st.integers(3, 7))
    conns, rules, trip = [], [], 0
    for _ in range(draw(st.integers(1, 6))):
        time, stop, prev = draw(st.integers(0, 20)) * 60, draw(st.integers(0, n - 1)), None
        for _ in range(draw(st.integers(1, 3))):
            first = stop
            for h in range(draw(st.integers(1, 3))):
                nxt = draw(st.integers(0, n - 1).filter(lambda x, s=stop: x != s))
                dep = time + draw(st.sampled_from([0, 0, 60]))
                time = dep + draw(st.sampled_from([0, 0, 60, 120]))
                board = draw(st.booleans()) if h == 0 and prev is not None else draw(st.integers(0, 6)) > 0
                conns.append((stop, nxt, dep, time, trip, board, draw(st.integers(0, 6)) > 0))
                stop = nxt
            if prev is not None:
                rules.append((prev, trip, first, first, -2))
            prev, trip = trip, trip + 1
    change = [draw(st.sampled_from([-1, 0, 0, 60])) for _ in range(n)]
    fps = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.sampled_from([0, 60])),
                        max_size=4))
    fps = list({(a, b): (a, b, d) for a, b, d in fps if a != b}.values())
    return timetable_from_connections(conns, stops=n, stop_change=change, footpaths=fps, transfer_rules=rules)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tt=st.one_of(timetables(seat=True), vehicles()), data=st.data())
def test_one_pass_profile_all_equals_one_run_per_departure(tt, data):
    """Without a transfer limit, ``profile_all`` on the compiled backend makes one pass
    (``router.sweep``); the same query through the kernel's repeated runs (one per departure)
    must give the same pairs (in-seat continuations and zero-duration hops included), and the
    interpreted sweep the same as the compiled one."""
    from unittest import mock

    from hbeu_transit.router import sweep
    from hbeu_transit.router.api import _windowed_events
    from hbeu_transit.router.views import view

    if importlib.util.find_spec("numba") is None:
        missing("numba not installed")
    src = data.draw(st.lists(st.integers(0, tt.n_stops - 1), min_size=1, max_size=2, unique=True))
    start = data.draw(st.integers(-20, 40)) * 60
    end = start + data.draw(st.integers(0, 40)) * 60
    horizon = data.draw(st.sampled_from([None, None, 0, 120, 600]))
    try:
        router.set_backend("numba")
        assert sweep.usable(view(tt), 1)
        got = router.profile_all(tt, src, start, end, horizon=horizon)
        with mock.patch.object(sweep, "usable", lambda v, R: False):
            want = router.profile_all(tt, src, start, end, horizon=horizon)
        for f in ("start", "dep", "arr", "after"):
            assert getattr(got, f).tolist() == getattr(want, f).tolist(), f
        # the interpreted sweep (what runs should numba fail): the same pairs as compiled
        v = view(tt)
        events = np.asarray(_windowed_events(tt, v, np.array(src), start, end)[0], dtype=np.int64)
        hz = router.UNREACHABLE if horizon is None else horizon
        until = router.UNREACHABLE if horizon is None or not events.size else int(events.max()) + hz
        fp = (tt.fp_start, tt.fp_to, tt.fp_dur)
        compiled = [x.tolist() for x in sweep.run(v, np.array(src), events, until, hz, fp)]
        router.set_backend("python")
        assert [x.tolist() for x in sweep.run(view(tt), np.array(src), events, until, hz, fp)] == compiled
    finally:
        router.set_backend(None)


def test_one_pass_profile_boards_again_after_a_walk_made_in_no_time():
    """From B at 0: ride X to C (no change allowed at C), walk to A in 0 s, ride Y (scanned
    before X, same departure) back to B. Alighting at C makes two items due at once: "standing
    at C" first, which lowered the sweep's next bucket, so the walk's "ready at A" no longer
    looked due and the group of equal departures was not scanned again; B had no pair. The
    sweep (compiled and interpreted) must give the oracle's pairs. From a hypothesis example
    of ``test_one_pass_profile_all_equals_one_run_per_departure`` that failed on main."""
    from unittest import mock

    from hbeu_transit.oracle import Oracle
    from hbeu_transit.router import sweep
    from hbeu_transit.router.views import view

    if importlib.util.find_spec("numba") is None:
        missing("numba not installed")
    tt = timetable_from_connections([("A", "B", 0, 0, "Y"), ("B", "C", 0, 0, "X")], stop_change=-1,
                                    footpaths=[("C", "A", 0)])
    want = Oracle(tt).profile_all(S(tt, "B"), 0, 0)
    assert sorted(want) == sorted(S(tt, "A", "B", "C"))     # the case: B itself reached, with a ride
    for interpreted in (False, True):
        try:
            router.set_backend("numba")
            with mock.patch.object(sweep, "_compiled", sweep.sweep if interpreted else sweep._compiled):
                assert sweep.usable(view(tt), 1)
                prof = router.profile_all(tt, S(tt, "B"), 0, 0)
        finally:
            router.set_backend(None)
        got = {s: list(zip(*(x.tolist() for x in prof.pairs(s)))) for s in range(tt.n_stops)}
        assert {s: p for s, p in got.items() if p} == want, interpreted


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tt=st.one_of(timetables(), vehicles()), which=st.sampled_from(["python", "numba"]))
def test_departure_events_from_the_stop_index(tt, which):
    """A profile's departure events from one stop read the view's per-stop index once the view
    served a few profiles: for every stop, the same times as found without it (every boardable
    connection there, distinct, ascending)."""
    from unittest import mock

    from hbeu_transit.router import api
    from hbeu_transit.router.views import view

    if which == "numba" and importlib.util.find_spec("numba") is None:
        missing("numba not installed")
    try:
        router.set_backend(which)
        v = view(tt)
        with mock.patch.object(api, "_DEPARTURES_AFTER", 10 ** 9):
            want = [api._departure_events(tt, v, np.array([s])).tolist() for s in range(tt.n_stops)]
        assert api._stop_departures(v) is None
        with mock.patch.object(api, "_DEPARTURES_AFTER", 0):
            assert api._stop_departures(v) is not None
            got = [api._departure_events(tt, v, np.array([s])).tolist() for s in range(tt.n_stops)]
    finally:
        router.set_backend(None)
    for s in range(tt.n_stops):
        dep = [int(tt.c_dep[i]) for i in range(tt.n_connections) if tt.c_from[i] == s and tt.c_board[i]]
        if tt.fp_start[s] == tt.fp_start[s + 1]:
            assert got[s] == sorted(set(dep)), s
    assert got == want


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tt=timetables(), data=st.data())
def test_profile_all_answers_every_minute_like_one_query_per_minute(tt, data):
    """``arrivals_at`` (waiting included, journeys after the window too) equals a brute force
    of one Pareto query per minute and stop (the fastest of its front)."""
    src = data.draw(st.lists(st.integers(0, tt.n_stops - 1), min_size=1, max_size=2, unique=True))
    start = data.draw(st.integers(-20, 50)) * 60
    end = start + data.draw(st.integers(0, 30)) * 60
    minutes = list(range(start, end + 1, 60))
    prof = router.profile_all(tt, src, start, end)
    got = prof.arrivals_at(minutes)
    for s in range(tt.n_stops):
        want = []
        for t in minutes:
            front = router.pareto(tt, src, [s], t, max_transfers=tt.n_trips)
            want.append(front[-1].arrival if front else UNREACHABLE)
        assert got[:, s].tolist() == want, (s, want)


def test_journey_legs_are_plain_values():
    tt = make(LADDER)
    j = router.pareto(tt, S(tt, "A"), S(tt, "Z"), 0, 0)[0]
    assert j.legs == (Leg("ride", S(tt, "A")[0], S(tt, "Z")[0], 100, 1000, 0),)
    assert all(type(x) is int for g in j.legs for x in (g.from_stop, g.to_stop, g.departure, g.arrival, g.trip))
    assert isinstance(router.earliest_arrival(tt, S(tt, "A"), 0).arrival, np.ndarray)


def test_reused_label_buffers_never_leak_into_answers():
    """numba's label buffers go back to the view's pool once a query's result is dropped, and
    the next query refills them (``scan.State``): a result kept meanwhile keeps its own labels,
    no array handed out shares memory with a buffer, and refilled buffers answer as fresh ones
    (the interpreter's answers)."""
    if importlib.util.find_spec("numba") is None:
        missing("numba not installed")
    from hbeu_transit.router.views import view

    tt = make(LADDER + [("Z", "A", 1100, 1200, 6), ("M", "P", 300, 320, 7), ("Q", "M", 600, 650, 8)])
    stops, Z = range(tt.n_stops), S(tt, "Z")

    def answers():
        return ([router.earliest_arrival(tt, [s], 0).arrival.tolist() for s in stops],
                [router.earliest_arrival(tt, [s], 0, targets=Z).journey(Z) for s in stops])

    try:
        router.set_backend("python")
        want = answers()
        router.set_backend("numba")
        kept = router.earliest_arrival(tt, S(tt, "A"), 0, targets=Z)   # holds its buffers throughout
        arrivals = [router.earliest_arrival(tt, [s], 0).arrival for s in stops]
        pool = view(tt).pool
        assert pool, "no buffers were given back for reuse"
        got = answers()
        assert got == want
        assert [a.tolist() for a in arrivals] == want[0]
        assert kept.journey(Z) == want[1][S(tt, "A")[0]]
        assert kept.arrival[Z].tolist() == [want[0][S(tt, "A")[0]][Z[0]]]
        buffers = [b for free in pool.values() for bufs, _ in free for b in bufs]
        assert not any(np.shares_memory(a, b) for a in arrivals + [kept.arrival] for b in buffers)
    finally:
        router.set_backend(None)


def test_numba_failure_falls_back_to_the_interpreter(monkeypatch):
    """An unusable numba (old version, unwritable cache...) costs speed, not answers."""
    from types import SimpleNamespace

    from hbeu_transit.router import backend

    NumbaError = type("TypingError", (Exception,), {"__module__": "numba.core.errors"})

    def broken(*args):
        raise NumbaError("cannot compile")

    monkeypatch.setattr(backend, "_numba_module", SimpleNamespace(scan=broken, scan_ea=broken))
    monkeypatch.setattr(backend, "_numba_times", SimpleNamespace(scan=broken, scan_ea=broken))
    monkeypatch.setattr(backend, "_numba_failed", False)
    router.set_backend("numba")
    try:
        tt = make(LADDER)
        with pytest.warns(RuntimeWarning, match="numba kernel unavailable"):
            assert router.earliest_arrival(tt, S(tt, "A"), 0).arrival[S(tt, "Z")[0]] == 500
        assert backend.choose(tt.n_connections) == "python"
        assert router.pareto(tt, S(tt, "A"), S(tt, "Z"), 0, 2)[-1].arrival == 500
    finally:
        router.set_backend(None)


_TIMES_FIRST = """
from hbeu_transit import router
from hbeu_transit.timetable import timetable_from_connections
tt = timetable_from_connections(%r)
S = lambda *n: [tt.stop_ids.index(x) for x in n]
router.set_backend("numba")
print(router.earliest_arrival(tt, S("A"), 0).arrival[S("Z")[0]])   # times only: its kernel compiled first
j = router.earliest_arrival(tt, S("A"), 0, targets=S("Z")).journey(S("Z"))
print([(lg.kind, lg.trip, lg.departure, lg.arrival) for lg in j.legs if lg.kind == "ride"])
"""


@pytest.mark.skipif(importlib.util.find_spec("numba") is None, reason="needs numba")
def test_the_times_only_kernel_keeps_its_own_numba_cache_entries(tmp_path):
    """numba caches compiled functions on disk by file, name and code, not by the globals
    compiled in: the times-only copy of csa (TIMES_ONLY True, no journey pointers) must be
    cached under names of its own. Under the general kernel's names, a fresh cache whose first
    scan is one-to-all for times holds the times-only code where the general kernel looks, and
    every later journey comes back empty (kills the mutant times-only-shares-cache). A fresh
    process and cache: the fastest way A -> Z of LADDER is trips 3, 4, 5, at Z by 500.
    Found by helper mut3."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}   # (set once this process loaded numba)
    r = subprocess.run([sys.executable, "-c", _TIMES_FIRST % (LADDER,)], capture_output=True, text=True,
                       timeout=300, env={**env, "PYTHONPATH": str(ROOT), "HBEU_CACHE_DIR": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["500", str([("ride", 3, 100, 150), ("ride", 4, 160, 250), ("ride", 5, 260, 500)])]


def test_empty_journey_times_say_why():
    empty = Journey(())
    assert empty.transfers == 0 and empty.rides == []
    with pytest.raises(ValueError, match="origin is the destination"):
        empty.arrival
    with pytest.raises(ValueError, match="origin is the destination"):
        empty.departure


# --------------------------------------------------------------------------- argument values
# (found by helper pyapi: each of these was silently read as something else)

def test_a_boolean_mask_is_not_read_as_stops_0_and_1():
    """np.ones(n, bool) became the stops {0, 1} (np.asarray(mask, int64)): a mask is refused,
    naming what gives the indices."""
    tt = make(LADDER)
    mask = np.zeros(tt.n_stops, dtype=bool)
    mask[S(tt, "A")] = True
    with pytest.raises(ValueError, match=r"sources: .*boolean mask.*flatnonzero"):
        router.earliest_arrival(tt, mask, 0)
    with pytest.raises(ValueError, match=r"targets: .*boolean mask"):
        router.profile(tt, S(tt, "A"), [True, False], 0, 500)
    with pytest.raises(ValueError, match=r"sources: stop indices are whole numbers"):
        router.earliest_arrival(tt, [True], 0)


def test_a_stop_index_that_is_not_a_whole_number_is_refused():
    tt = make(LADDER)
    for bad in ([1.9], [0, 1.5], ["A"], [None]):
        with pytest.raises(ValueError, match=r"sources: stop indices are whole numbers"):
            router.earliest_arrival(tt, bad, 0)
    # one stop as a number (journey() already took one) is that stop; a float with no fraction too
    A, Z = S(tt, "A")[0], S(tt, "Z")[0]
    assert router.earliest_arrival(tt, A, 0).arrival[Z] == 500
    assert router.earliest_arrival(tt, np.int32(A), 0).arrival[Z] == 500
    assert router.earliest_arrival(tt, np.array([A], dtype=np.int32), 0).arrival[Z] == 500


@pytest.mark.parametrize("call", [
    lambda tt, A, Z, t: router.earliest_arrival(tt, A, t),
    lambda tt, A, Z, t: router.pareto(tt, A, Z, t),
    lambda tt, A, Z, t: router.latest_departure(tt, A, Z, t),
    lambda tt, A, Z, t: router.arrive_by(tt, A, Z, t),
    lambda tt, A, Z, t: router.profile(tt, A, Z, t, 500),
    lambda tt, A, Z, t: router.profile_all(tt, A, 0, t),
])
@pytest.mark.parametrize("bad", ["07:00", float("nan"), float("inf"), 7.5, True, None])
def test_a_time_that_is_not_whole_seconds_is_refused_naming_it(call, bad):
    """A time is whole seconds after the service day's start: "07:00", NaN, 7.5 s or True was a
    bare int() error, a truncation or 1 s."""
    tt = make(LADDER)
    with pytest.raises(ValueError, match=r"(depart|arrive|start|end): .*whole number of seconds"):
        call(tt, S(tt, "A"), S(tt, "Z"), bad)


def test_a_time_as_a_whole_float_or_numpy_number_is_those_seconds():
    tt = make(LADDER)
    A, Z = S(tt, "A"), S(tt, "Z")
    for t in (0.0, np.int64(0), np.float64(0.0)):
        assert router.earliest_arrival(tt, A, t).arrival[Z[0]] == 500
    assert router.latest_departure(tt, A, Z, np.float64(500.0)) == 100


@pytest.mark.parametrize("bad", [1.5, "2", True, float("nan")])
def test_max_transfers_that_is_not_a_whole_number_is_refused(bad):
    """max_transfers=1.5 was floored to 1 by every query."""
    tt = make(LADDER)
    A, Z = S(tt, "A"), S(tt, "Z")
    for call in (lambda: router.earliest_arrival(tt, A, 0, max_transfers=bad),
                 lambda: router.pareto(tt, A, Z, 0, bad),
                 lambda: router.profile(tt, A, Z, 0, 500, max_transfers=bad)):
        with pytest.raises(ValueError, match=r"max_transfers: .*whole number"):
            call()
    assert [(j.arrival, j.transfers) for j in router.pareto(tt, A, Z, 0, 1.0)] == [(1000, 0), (700, 1)]


def test_a_profile_window_ending_before_it_starts_is_refused():
    """profile(…, 9h, 7h) returned [] and profile_all an empty result whose arrivals_at raised."""
    tt = make(LADDER)
    with pytest.raises(ValueError, match=r"start \(300\) is after end \(200\)"):
        router.profile(tt, S(tt, "A"), S(tt, "Z"), 300, 200)
    with pytest.raises(ValueError, match=r"start \(300\) is after end \(200\)"):
        router.profile_all(tt, S(tt, "A"), 300, 200)
