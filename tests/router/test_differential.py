"""Router vs the networkx oracle on random timetables and random GTFS feeds (hypothesis).

Two generators: random GTFS *feeds* (tests/random_feeds.py) written as folders and compiled by
``hbeu_transit.timetable``, and a cheaper one building Timetables directly. On each, random queries from and to single stops or whole
stations compare earliest arrival (one-to-all and one-to-one), arrive-by and the Pareto set.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os

import pytest
from conftest import missing
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from random_feeds import compile_and_read, feeds
from tiny_timetables import make_timetable

from hbeu_transit.oracle import Oracle, journey_problems, station_stops
from hbeu_transit.timetable.model import Timetable

import hbeu_transit.router as router

needs_router = pytest.mark.skipif(not hasattr(router, "earliest_arrival"), reason="the router is not written yet")

#: HBEU_DIFF_SCALE=10 runs ten times as many examples (a thorough run before a release).
SCALE = float(os.environ.get("HBEU_DIFF_SCALE", "1"))
SETTINGS = dict(deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
DAY = 86400


# --------------------------------------------------------------------------- comparisons

@contextlib.contextmanager
def kernel(name: str):
    """Run the router on one backend (interpreted or numba-compiled), whatever the size."""
    if name == "numba" and importlib.util.find_spec("numba") is None:
        missing("numba not installed")
    router.set_backend(name)
    try:
        yield
    finally:
        router.set_backend(None)


def r_arrival_all(tt: Timetable, sources: list[int], depart: int, max_transfers: int | None = None
                  ) -> dict[int, int]:
    """The router's one-to-all earliest arrivals as {stop: time} (reached stops only)."""
    arr = router.earliest_arrival(tt, sources, depart, max_transfers=max_transfers).arrival
    return {s: int(t) for s, t in enumerate(arr.tolist()) if t < router.UNREACHABLE}


def place(data, tt: Timetable, label: str) -> list[int]:
    """A random query end: one stop, or every stop of a station (what naming a station means)."""
    served = sorted(set(tt.c_from.tolist()) | set(tt.c_to.tolist())) or list(range(tt.n_stops))
    s = data.draw(st.sampled_from(served), label=label)
    if data.draw(st.booleans(), label=f"{label} as station"):
        return station_stops(tt, int(tt.stop_station[s]))
    return [s]


def a_time(data, tt: Timetable, label: str) -> int:
    """A time near the action: just before some departure or arrival, or anywhere in the day."""
    times = sorted(set(tt.c_dep.tolist()) | set(tt.c_arr.tolist()))
    if times and data.draw(st.booleans(), label=f"{label} near"):
        return max(0, data.draw(st.sampled_from(times), label=label) - data.draw(st.sampled_from([0, 0, 1, 60, 300])))
    return data.draw(st.integers(0, 27 * 3600), label=label)


def check_queries(data, tt: Timetable, n_queries: int = 3) -> int:
    """Router == oracle on random queries of ``tt``; returns the number of comparisons made."""
    o = Oracle(tt)
    done = 0
    for _ in range(n_queries):
        src, dst = place(data, tt, "sources"), place(data, tt, "targets")
        depart = a_time(data, tt, "depart")
        k = data.draw(st.sampled_from([None, 0, 1, 2]), label="max_transfers")
        note = f"sources={src} targets={dst} depart={depart} max_transfers={k}"

        # one-to-all earliest arrival, with and without a transfer limit
        assert r_arrival_all(tt, src, depart) == o.earliest_arrival(src, depart), note
        if k is not None:
            assert r_arrival_all(tt, src, depart, k) == o.earliest_arrival(src, depart, max_transfers=k), note

        # one-to-one, with the journey checked leg by leg
        best = o.earliest(src, depart, dst, max_transfers=k)
        j = router.earliest_arrival(tt, src, depart, targets=dst, max_transfers=k).journey(dst)
        if best is None:
            assert j is None, note
        elif set(src) & set(dst) and j is not None and j.legs == ():
            pass                                           # already there: an empty journey
        else:
            assert j is not None and j.arrival == best, note
            assert journey_problems(tt, j, src, dst, depart) == [], note
            assert k is None or j.transfers <= k, note
        done += 2

        # Pareto set (arrival, transfers)
        kp = 3 if k is None else k
        got = [(j.arrival, j.transfers) for j in router.pareto(tt, src, dst, depart, kp)]
        assert got == o.pareto(src, dst, depart, kp), note
        for j in router.pareto(tt, src, dst, depart, kp):
            assert journey_problems(tt, j, src, dst, depart) == [], note

        # arrive-by: the latest departure, then the earliest arrival, then the fewest transfers
        ride_best = o.earliest(src, depart, dst, max_transfers=k, min_rides=1)
        arrive = ride_best if ride_best is not None and data.draw(st.booleans()) else a_time(data, tt, "arrive")
        note += f" arrive={arrive}"
        latest = o.arrive_by(src, dst, arrive, max_transfers=k)
        assert router.latest_departure(tt, src, dst, arrive, max_transfers=k) == latest, note
        jb = router.arrive_by(tt, src, dst, arrive, max_transfers=k)
        if latest is None:
            assert jb is None, note
        else:
            assert jb is not None and jb.legs[0].departure == latest, note
            assert journey_problems(tt, jb, src, dst, latest) == [], note
            assert jb.arrival == o.earliest(src, latest, dst, max_transfers=k, min_rides=1), note
            fewest = min(r for r in range(kp + 1 if k is not None else 8)
                         if o.earliest(src, latest, dst, max_transfers=r, min_rides=1) == jb.arrival)
            assert jb.transfers == fewest, note
        done += 2

        # profiles over a window
        lo = a_time(data, tt, "start")
        hi = lo + data.draw(st.sampled_from([0, 600, 3600, 4 * 3600]), label="window")
        prof = router.profile(tt, src, dst, lo, hi, max_transfers=kp)
        got = [(j.legs[0].departure, j.arrival, j.transfers) for j in prof]
        assert sorted(got) == o.profile(src, dst, lo, hi, kp), f"{note} window=[{lo}, {hi}]"
        assert got == sorted(got, key=lambda x: (x[0], x[2])), "profile: by departure, then transfers"
        alone = [(j.legs[0].departure, j.arrival, j.transfers)
                 for j in router.profile(tt, src, dst, lo, hi, max_transfers=kp, later_compete=False)]
        assert sorted(alone) == o.profile(src, dst, lo, hi, kp, later_compete=False), \
            f"{note} window=[{lo}, {hi}] (only the window competes)"
        for j in prof:
            assert journey_problems(tt, j, src, dst, lo) == [], note
        horizon = data.draw(st.sampled_from([None, 1800]), label="horizon")
        pa = router.profile_all(tt, src, lo, hi, max_transfers=k, horizon=horizon)
        got_all = {s: list(zip(*(x.tolist() for x in pa.pairs(s)))) for s in range(tt.n_stops)}
        assert {s: p for s, p in got_all.items() if p} == o.profile_all(src, lo, hi, k, horizon), \
            f"{note} window=[{lo}, {hi}] horizon={horizon}"
        done += 2
    return done


# --------------------------------------------------------------------------- random timetables

@st.composite
def timetables(draw) -> Timetable:
    """A small random Timetable: stations with platforms, minute-grained times so that ties and
    tight changes are common, forbidden changes, footpaths, no-pickup/no-drop-off, trip blocks,
    trip transfer rules (timed, forbidden, in seat)."""
    n = draw(st.integers(3, 9))
    ids = [f"s{i}" for i in range(n)]
    stops: list = list(ids)
    usable = list(ids)                       # stops a vehicle may call at
    if n >= 5 and draw(st.booleans()):       # s0 a station (no vehicle calls), s1..sk its platforms
        k = draw(st.integers(2, 3))
        stops = [ids[0]] + [(ids[i], ids[0]) for i in range(1, k + 1)] + ids[k + 1:]
        usable = ids[1:]
    trips = []
    for _ in range(draw(st.integers(1, 10))):
        path = draw(st.lists(st.sampled_from(usable), min_size=2, max_size=5))
        path = [s for i, s in enumerate(path) if i == 0 or s != path[i - 1]]
        if len(path) < 2:
            continue
        t = draw(st.integers(-30, 60)) * 60
        rows = []
        for i, s in enumerate(path):
            arr = t
            t += draw(st.sampled_from([0, 0, 60, 120]))
            rows.append((s, arr, t, draw(st.integers(0, 7)) > 0, draw(st.integers(0, 7)) > 0))
            t += draw(st.integers(0, 15)) * 60
        trips.append(rows)
    if not trips:
        trips = [[(usable[0], 0, 0), (usable[1], 600, 600)]]
    change = {s: draw(st.sampled_from([-1, 0, 0, 60, 120, 300])) for s in ids}
    fps = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids), st.sampled_from([0, 60, 120, 300])),
                        max_size=6))
    fps = list({(a, b): (a, b, d) for a, b, d in fps if a != b}.values())
    blocks = draw(st.lists(st.tuples(st.integers(0, len(trips) - 1), st.integers(0, len(trips) - 1)), max_size=3))
    # trip transfer rules: timed or forbidden changes between two trips' stops, and in-seat
    # continuations from one trip's last stop to another's first
    rules = {}
    for _ in range(draw(st.integers(0, 4))):
        a, b = draw(st.integers(0, len(trips) - 1)), draw(st.integers(0, len(trips) - 1))
        if draw(st.integers(0, 2)) == 0:
            later = [k for k, t in enumerate(trips) if t[0][2] >= trips[a][-1][1]]
            b = draw(st.sampled_from(later)) if later else b   # a vehicle that can go on as b
            x, y, sec = trips[a][-1][0], trips[b][0][0], -2
        else:
            # mostly where b leaves a stop of a after a arrives there (the rule can matter)
            meet = [(a2, r[0], b2) for a2, t in enumerate(trips) for r in t[1:] for b2, u in enumerate(trips)
                    if b2 != a2 and any(v[0] == r[0] and v[2] >= r[1] for v in u[:-1])]
            if meet and draw(st.booleans()):
                a, x, b = draw(st.sampled_from(meet))
                y = x
            else:
                x = draw(st.sampled_from([r[0] for r in trips[a]]))
                y = draw(st.sampled_from([r[0] for r in trips[b]]))
            sec = draw(st.sampled_from([-1, 0, 60, 180, 600]))
        rules[(a, b, x, y)] = sec
    return make_timetable(stops, trips, change=change, footpaths=fps, blocks=sorted(set(blocks)),
                          rules=[(*k, v) for k, v in rules.items()])


@needs_router
def test_zero_time_loop_journey():
    """Regression (found by the random timetables). The trip runs s1 -> s0 -> s1 -> s2 -> s0,
    every hop at 00:00:00; one may board only at its 2nd and 3rd stops and alight only at the
    last. From s1 the answer is one ride s1 -> s0. The router once re-boarded the same trip at
    s0 in the repeated scan of the zero-duration group, overwrote the trip's boarding pointer
    and returned ride s0 -> s0, transfer, ride s0 -> s0 (arrival time right, journey wrong)."""
    tt = make_timetable(["s0", "s1", "s2"], [[
        ("s1", 0, 0, False, True), ("s0", 0, 0, True, False), ("s1", 0, 0, True, False),
        ("s2", 0, 0, False, False), ("s0", 0, 0, True, True)]])
    j = router.earliest_arrival(tt, [1], 0, targets=[0]).journey([0])
    assert j is not None and j.arrival == 0
    assert journey_problems(tt, j, [1], [0], 0) == []
    assert [(leg.kind, leg.from_stop, leg.to_stop) for leg in j.legs] == [("ride", 1, 0)]


@needs_router
@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("targets", [None, [2]])
def test_ride_of_no_time_enables_a_connection_scanned_before(backend, targets):
    """Trip 1 runs w -> x and trip 0 x -> y, both at 08:00:00 in no time; the scan meets trip
    0's hop first (same departure and arrival, lower trip), before anyone stands at x. With no
    change time at x, leaving w at 08:00 reaches y at 08:00 by trip 1 then trip 0: the scan
    must look at that instant's hops again once trip 1 has made x ready."""
    t = 8 * 3600
    tt = make_timetable(["x", "y", "w"], [[("x", t, t), ("y", t, t)], [("w", t, t), ("x", t, t)]])
    with kernel(backend):
        r = router.earliest_arrival(tt, [2], t, targets=targets)
        assert r.arrival.tolist() == [t, t, t]
        j = r.journey([1])
        assert [(leg.kind, leg.trip, leg.from_stop, leg.to_stop) for leg in j.legs] == [
            ("ride", 1, 2, 0), ("transfer", -1, 0, 0), ("ride", 0, 0, 1)]


@needs_router
@pytest.mark.parametrize("backend", ["python", "numba"])
@settings(max_examples=max(1, int(200 * SCALE)), **SETTINGS)
@given(tt=timetables(), data=st.data())
def test_router_matches_oracle_on_random_timetables(backend, tt, data):
    with kernel(backend):
        check_queries(data, tt)


@settings(max_examples=max(1, int(100 * SCALE)), **SETTINGS)
@given(tt=timetables(), data=st.data())
def test_oracle_queries_agree_with_each_other(tt, data):
    """The oracle's answers are consistent: the Pareto set ends at the earliest arrival, arriving
    by that time one may leave no earlier than now, leaving at the latest departure arrives in time."""
    o = Oracle(tt)
    src, dst = place(data, tt, "sources"), place(data, tt, "targets")
    walk = {u for s in src for u in tt.fp_to[tt.fp_start[s]:tt.fp_start[s + 1]].tolist()}
    if (set(src) | walk) & set(dst):
        return  # reachable on foot: no ride needed, and the Pareto set counts rides
    depart = a_time(data, tt, "depart")
    k = data.draw(st.integers(0, 3))
    best = o.earliest(src, depart, dst, max_transfers=k)
    front = o.pareto(src, dst, depart, k)
    assert (front[-1][0] if front else None) == best
    assert all(a > b for (a, _), (b, _) in zip(front, front[1:]))
    if best is not None:
        latest = o.arrive_by(src, dst, best, max_transfers=k)
        assert latest is not None and latest >= depart
        assert o.earliest(src, latest, dst, max_transfers=k) <= best
        assert o.earliest(src, latest + 1, dst, max_transfers=k) in (None, *range(best + 1, 10 * DAY))


# --------------------------------------------------------------------------- random feeds

def compile_feed(spec: dict) -> Timetable:
    """The random feed (tests/random_feeds.py) compiled for its date."""
    return compile_and_read(spec)[0]


@needs_router
@pytest.mark.parametrize("backend", ["python", "numba"])
@settings(max_examples=max(1, int(100 * SCALE)), **SETTINGS)
@given(spec=feeds(), data=st.data())
def test_router_matches_oracle_on_random_feeds(backend, spec, data):
    """The router and graph.py's oracle on the same compiled timetable: journeys leg by leg and
    profiles. (Whether the compiled timetable is right is tests/test_reference.py's job.)"""
    with kernel(backend):
        check_queries(data, compile_feed(spec), n_queries=4)


@settings(max_examples=max(1, int(100 * SCALE)), **SETTINGS)
@given(tt=timetables(), data=st.data())
def test_interpreter_loop_gives_the_kernels_labels(tt, data):
    """The interpreter's earliest-arrival loop (router/lean.py, for timetables without trip rule
    firings: the drawn ones with their trip rules taken off) leaves the very labels and pointers
    ``csa.scan_ea`` leaves: one-to-all and pruned, with a horizon, with and without pointers."""
    from dataclasses import replace

    import numpy as np

    from hbeu_transit.router import csa, lean
    from hbeu_transit.router.scan import State
    from hbeu_transit.router.views import view

    tt = replace(tt, trip_transfer_block=np.zeros(0, dtype=np.int64), xfer_key=None, xfer_from=None, xfer_to=None,
                 xfer_secs=None)
    with kernel("python"):
        v = view(tt)
        assert not v.fi_conn and v.K == 1
        v.cover(0, v.n_connections)
        src = place(data, tt, "sources")
        tg = data.draw(st.sampled_from([[], place(data, tt, "targets")]), label="targets")
        depart = a_time(data, tt, "depart")
        horizon = data.draw(st.sampled_from([csa.INF, 0, 600, 3600]), label="horizon")
        origin_arr, ptrs = data.draw(st.booleans(), label="origin_arr"), data.draw(st.booleans(), label="ptrs")
        is_t = [s in tg for s in range(v.n)]
        mine, ref = State(v, 1, False), State(v, 1, False)
        mine.lists(*lean.EA_LISTS[ptrs])
        ref.lists()
        assert lean.scan_ea(v, mine, src, tg, is_t, depart, origin_arr, horizon, ptrs) == 0
        assert csa.scan_ea(*v.ea_args(), origin_arr, horizon, src, tg, is_t, depart, ptrs, ref.arr_t, ref.arr_exit,
                           ref.arr_fp, ref.rarr, ref.rdy_t, ref.rdy_exit, ref.rdy_fp, ref.t_board, ref.t_pexit,
                           ref.t_pfp, ref.t_min, *v.settle_args(None)) == 0
        for f in lean.EA_LISTS[ptrs]:
            assert getattr(mine, f) == getattr(ref, f), f


def settled_and_whole(tt: Timetable, src: list[int], depart: int, ptrs: bool, horizon: int):
    """The labels ``csa.scan_ea`` leaves without targets (one State each), stopping once
    settled and going on to the last connection: the kernel interpreted on the numba view's
    arrays, looking whether it is settled after every connection (``SETTLE_EVERY`` = 1), so
    that a small timetable can stop early too. None when the view does not run ``scan_ea``."""
    import numpy as np

    from hbeu_transit.router import csa
    from hbeu_transit.router.scan import State
    from hbeu_transit.router.views import view

    every, csa.SETTLE_EVERY = csa.SETTLE_EVERY, 1
    try:
        with kernel("numba"):
            v = view(tt)
            if not v.ea_scan:           # (a one-layer scan then runs csa.scan, not scan_ea)
                return None
            src_a, empty, is_t = np.asarray(src, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(v.n, dtype=np.bool_)
            states = []
            for settle in (True, False):
                s = State(v, 1, False, pointers=ptrs)
                csa.scan_ea(*v.ea_args(), True, horizon, src_a, empty, is_t, depart, ptrs, s.arr_t, s.arr_exit,
                            s.arr_fp, s.rarr, s.rdy_t, s.rdy_exit, s.rdy_fp, s.t_board, s.t_pexit, s.t_pfp, s.t_min,
                            *v.settle_args(src_a if settle else None))
                states.append(s)
    finally:
        csa.SETTLE_EVERY = every
    fields = ("arr_t", "rdy_t") + (("arr_exit", "arr_fp", "rdy_exit", "rdy_fp") if ptrs else ())
    return tuple({f: getattr(x, f).tolist() for f in fields} for x in states)


@settings(max_examples=max(1, int(100 * SCALE)), **SETTINGS)
@given(tt=timetables(), data=st.data())
def test_a_settled_scan_leaves_the_labels_of_a_whole_one(tt, data):
    """``csa.scan_ea`` without targets stops once no label can change (``_settled``): the
    arrival and ready labels (and their pointers) are those of the scan that goes on to the
    last connection, rules firing or not."""
    from hbeu_transit.router import csa

    src = place(data, tt, "sources")
    depart = a_time(data, tt, "depart")
    ptrs = data.draw(st.booleans(), label="ptrs")
    horizon = data.draw(st.sampled_from([csa.INF, 600, 3600]), label="horizon")
    got = settled_and_whole(tt, src, depart, ptrs, horizon)
    assume(got is not None)
    settled, whole = got
    assert settled == whole


def test_a_scan_is_not_settled_while_a_later_ride_may_arrive_earlier():
    """Every stop reached, but B by a ride arriving 08:33 while the next connection leaves at
    08:30: not settled (that ride arrives at B at 08:31)."""
    tt = make_timetable(["A", "B", "C"], [[("A", 0, 28800), ("C", 29100, 29100)],
                                          [("A", 0, 28800), ("B", 30780, 30780)],
                                          [("A", 0, 30600), ("B", 30660, 30660)]])
    got = settled_and_whole(tt, [0], 28800, False, 2147483647)
    assert got is not None, "scan_ea does not run this timetable"
    settled, whole = got
    assert whole["arr_t"] == [28800, 30660, 29100]
    assert settled == whole


@needs_router
@settings(max_examples=max(1, int(60 * SCALE)), **SETTINGS)
@given(tt=timetables(), data=st.data())
def test_a_wider_profile_window_only_adds_earlier_journeys(tt, data):
    """Only journeys leaving no earlier compete in a profile, so its answer in [mid, end] is
    the part of its answer in [start, end] leaving at or after mid (what lets ``hbeu plan``
    widen its window fourfold rather than twofold and show the same journeys)."""
    src, dst = place(data, tt, "sources"), place(data, tt, "targets")
    start = a_time(data, tt, "start")
    mid = start + data.draw(st.sampled_from([0, 60, 600, 3600]), label="mid")
    end = mid + data.draw(st.sampled_from([0, 600, 4 * 3600]), label="end")
    key = lambda js: [(j.legs[0].departure, j.arrival, j.transfers, j.legs) for j in js]  # noqa: E731
    wide = key(router.profile(tt, src, dst, start, end, max_transfers=3))
    assert [x for x in wide if x[0] >= mid] == key(router.profile(tt, src, dst, mid, end, max_transfers=3))
