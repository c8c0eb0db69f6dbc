"""``router.mcprofile`` (the one-to-one profile's kernel when no trip rule governs changes)
against the kernel it replaces there (``csa.scan`` in mode 1): the very same journeys, leg by
leg, on random timetables with in-seat continuations, zero-duration hops, footpaths, forbidden
changes and pickup/drop-off flags, compiled and interpreted; and against the networkx oracle."""

from __future__ import annotations

import importlib.util
from unittest import mock

import numpy as np
from conftest import missing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_router import timetables, vehicles

import hbeu_transit.router as router
from hbeu_transit.oracle import Oracle, journey_problems
from hbeu_transit.router import mcprofile
from hbeu_transit.router.views import view
from hbeu_transit.timetable import timetable_from_connections


def _key(journeys) -> list[tuple]:
    return [(j.legs[0].departure, j.arrival, j.transfers, j.legs) for j in journeys]


def _profile(tt, src, dst, start, end, k, later, fast: bool):
    with mock.patch.object(mcprofile, "usable", lambda v: fast and v.K == 1):
        return router.profile(tt, src, dst, start, end, max_transfers=k, later_compete=later)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tt=st.one_of(timetables(seat=True), vehicles()), data=st.data())
def test_same_journeys_as_the_per_departure_kernel(tt, data):
    """Same journeys as ``csa.scan`` (mode 1) on both backends, and each one valid; the Pareto
    set equal to the oracle's."""
    if importlib.util.find_spec("numba") is None:
        missing("numba not installed")
    src = data.draw(st.lists(st.integers(0, tt.n_stops - 1), min_size=1, max_size=2, unique=True), label="src")
    dst = data.draw(st.lists(st.integers(0, tt.n_stops - 1), min_size=1, max_size=2, unique=True), label="dst")
    start = data.draw(st.integers(-20, 60), label="start") * 60
    end = start + data.draw(st.sampled_from([0, 60, 600, 3600]), label="window")
    k = data.draw(st.integers(0, 4), label="max_transfers")
    later = data.draw(st.booleans(), label="later_compete")
    for which in ("python", "numba"):
        router.set_backend(which)
        try:
            assert view(tt).K == 1
            want = _key(_profile(tt, src, dst, start, end, k, later, fast=False))
            got = _profile(tt, src, dst, start, end, k, later, fast=True)
        finally:
            router.set_backend(None)
        assert _key(got) == want, which
        for j in got:
            assert journey_problems(tt, j, src, dst, start) == []
    assert sorted(x[:3] for x in want) == Oracle(tt).profile(src, dst, start, end, k, later_compete=later)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tt=st.one_of(timetables(seat=True), vehicles()), data=st.data())
def test_goal_bound_never_exceeds_a_journey(tt, data):
    """``goal.to_targets`` is a lower bound: no journey from a stop (any departure) reaches a
    target sooner than h[stop] after leaving it (what makes dropping labels safe); 0 at a
    target; both backends give the same bound."""
    from hbeu_transit.router import goal

    dst = data.draw(st.lists(st.integers(0, tt.n_stops - 1), min_size=1, max_size=2, unique=True), label="dst")
    depart = data.draw(st.integers(-20, 60), label="depart") * 60
    got = {}
    for which in ("python", "numba"):
        router.set_backend(which)
        try:
            got[which] = goal.to_targets(view(tt), np.array(dst)).tolist()
        finally:
            router.set_backend(None)
    assert got["python"] == got["numba"]
    h = got["python"]
    assert all(h[t] == 0 for t in dst)
    o = Oracle(tt)
    for s in range(tt.n_stops):
        best = o.earliest([s], depart, dst)
        if best is not None:
            assert h[s] <= best - depart, (s, h[s], best)


def test_goal_bound_follows_an_in_seat_move_between_stops():
    """An in-seat continuation may leave from another stop than the one the first trip ends at
    (trip 2 ends at stop 3, trip 0 goes on from stop 0): the goal graph must follow it, or
    stop 1 looks cut off from stop 2 (found by hypothesis: the bound was INF), and pruning by
    that bound may drop journeys. The profile through mcprofile must still be the oracle's."""
    from hbeu_transit.router import goal

    conns = [(0, 2, 0, 0, 0, False, True), (0, 1, 0, 0, 1, False, False), (1, 3, 0, 0, 1, False, False),
             (1, 3, 0, 0, 2, True, False)]
    tt = timetable_from_connections(conns, stops=4, stop_change=[-1] * 4, transfer_rules=[(2, 0, 3, 0, -2)])
    want = Oracle(tt).earliest([1], 0, [2])
    assert want == 0
    for which in ("python", "numba"):
        router.set_backend(which)
        try:
            assert goal.to_targets(view(tt), np.array([2])).tolist()[1] <= want
            got = [(j.legs[0].departure, j.arrival, j.transfers) for j in router.profile(tt, [1], [2], 0, 0)]
        finally:
            router.set_backend(None)
        assert sorted(got) == Oracle(tt).profile([1], [2], 0, 0, 5, later_compete=True)


def test_a_zero_duration_hop_feeding_its_own_departure_group():
    """Trip 1 (A -> B at 01:40, no time) feeds trip 0 (B -> C at 01:40), whose hop is sorted
    first: the group must be looked at again once B is ready (change time 0) for the journey
    leaving A at 01:40 to be found (its forward kernel had a test; the profile's had none)."""
    tt = timetable_from_connections([("A", "B", 100, 100, 1), ("B", "C", 100, 100, 0)], stop_change=0)
    a, c = tt.stop_ids.index("A"), tt.stop_ids.index("C")
    assert Oracle(tt).profile([a], [c], 0, 200, 2) == [(100, 100, 1)]
    for which in ("python", "numba"):
        router.set_backend(which)
        try:
            got = _profile(tt, [a], [c], 0, 200, 2, True, fast=True)
        finally:
            router.set_backend(None)
        assert [(j.legs[0].departure, j.arrival, j.transfers) for j in got] == [(100, 100, 1)], which
