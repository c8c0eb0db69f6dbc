"""Router vs the networkx oracle on real feeds (caltrain, cairns, hart from ../shared/feeds).

Each feed is compiled for a busy date with footpaths between stops within a short walk (the
feeds publish no transfers.txt, so this is what exercises walking). hart is too big for a
comfortable oracle graph, so both engines get the same morning slice of it: the connections
leaving 07:00-09:30. Queries are drawn with a fixed seed. Each whole day is also compared with
the GTFS-text reference (tests/reference), and the router with that reference's own graph.
Skipped where ../shared/feeds is absent (users' machines); failed when CI is set.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import importlib.util
import random

import numpy as np
import pytest
from conftest import missing, shared_feed
from reference.gtfs_text import reference_for
from reference.graph import ReferenceGraph
from test_reference import compare_compiled

from hbeu_transit import router
from hbeu_transit.oracle import Oracle, journey_problems, station_stops
from hbeu_transit.timetable.model import Timetable

#: Hops of the busy date, counted by the GTFS-text reference (a change in the reference shows here).
#: With the next date's night trips (first departure before 06:00): cairns +23, hart +717 (the
#: csv brute force of tests/timetable/test_timetable.py counts the same); caltrain's Saturday after
#: its Friday starts later.
EXPECTED_HOPS = {"caltrain": 1412, "cairns": 17136, "hart": 102279}

FEEDS = {  # name: (busy date, walk metres, queries, slice of the day or None)
    "caltrain": ("2019-07-19", 250.0, 12, None),
    "cairns": ("2014-12-19", 200.0, 8, None),
    "hart": ("2018-10-19", 150.0, 8, (7 * 3600, 9 * 3600 + 1800)),
}


def time_slice(tt: Timetable, start: int, end: int) -> Timetable:
    """The timetable restricted to connections departing in [start, end] (hop numbers
    renumbered; a trip's hops in a window are consecutive, so they still chain)."""
    keep = (tt.c_dep >= start) & (tt.c_dep <= end)
    trip, seq = tt.c_trip[keep], tt.c_seq[keep]
    first = np.full(tt.n_trips, np.iinfo(np.int32).max, dtype=np.int64)
    np.minimum.at(first, trip, seq)
    arrays = {f: getattr(tt, f)[keep] for f in ("c_from", "c_to", "c_dep", "c_arr", "c_trip", "c_board", "c_alight")}
    return dataclasses.replace(tt, **arrays, c_seq=(seq - first[trip]).astype(np.int32))


@pytest.fixture(scope="module", params=list(FEEDS))
def compiled(request):
    """(name, whole-day timetable, GTFS-text reference) of one real feed on its busy date."""
    from hbeu_transit.feed import load_feeds
    from hbeu_transit.timetable import compile_timetable

    name = request.param
    date, walk, _, _ = FEEDS[name]
    path = shared_feed(name)
    day = dt.date.fromisoformat(date)
    return name, compile_timetable(load_feeds([path]), day, walk_meters=walk), reference_for(path, day, walk_meters=walk)


@pytest.fixture(scope="module")
def feed(compiled):
    """(name, timetable, oracle) of one real feed on its busy date (hart: the morning slice)."""
    from hbeu_transit.timetable import check_timetable

    name, tt, _ = compiled
    window = FEEDS[name][3]
    if window is not None:
        tt = time_slice(tt, *window)
    assert check_timetable(tt) == []
    return name, tt, Oracle(tt)


def test_compiled_real_feed_matches_gtfs_text_reference(compiled):
    """The whole day's connections (as multisets), stations, change times and footpaths."""
    name, tt, ref = compiled
    assert len(ref.hops) == EXPECTED_HOPS[name]
    compare_compiled(tt, ref)


def test_router_matches_reference_graph_on_real_feed(compiled):
    """The router on the compiled timetable against the graph of the GTFS-text reference
    (hart: both restricted to the hops leaving in the morning window), fixed-seed queries."""
    name, tt, ref = compiled
    _, _, n_queries, window = FEEDS[name]
    if window is not None:
        tt = time_slice(tt, *window)
        ref = copy.copy(ref)
        ref.hops = [h for h in ref.hops if window[0] <= h.dep <= window[1]]
    graph = ReferenceGraph(ref)
    lo, hi = window or (5 * 3600, 20 * 3600)
    index = {s: i for i, s in enumerate(tt.stop_ids)}
    rng = random.Random(f"hbeu-reference-{name}")
    served = sorted({h.frm for h in ref.hops})
    for q in range((n_queries + 1) // 2):
        s, t = rng.sample(served, 2)
        src = graph.station_members(s) if q % 3 == 0 else [s]
        dst = graph.station_members(t) if q % 4 == 1 else [t]
        depart = rng.randrange(lo, lo + (hi - lo) // 2)
        si, ti = [index[x] for x in src], [index[x] for x in dst]
        note = f"{name}: sources={src} targets={dst} depart={depart}"
        arr = router.earliest_arrival(tt, si, depart).arrival.tolist()
        assert {tt.stop_ids[i]: int(x) for i, x in enumerate(arr) if x < router.UNREACHABLE} == \
            graph.earliest_all(src, depart), note
        assert [(j.arrival, j.transfers) for j in router.pareto(tt, si, ti, depart, 2)] == \
            graph.pareto(src, dst, depart, 2), note
        if q % 2 == 0:
            arrive = rng.randrange(lo + (hi - lo) // 2, hi)
            assert router.latest_departure(tt, si, ti, arrive) == graph.latest_departure(src, dst, arrive), note


def test_router_matches_oracle_on_real_feed(feed):
    name, tt, o = feed
    _, _, n_queries, window = FEEDS[name]
    lo, hi = window or (5 * 3600, 20 * 3600)
    rng = random.Random(f"hbeu-{name}")
    served = sorted(set(tt.c_from.tolist()))
    for q in range(n_queries):
        s, t = rng.sample(served, 2)
        src = station_stops(tt, s) if q % 3 == 0 else [s]
        dst = station_stops(tt, t) if q % 4 == 1 else [t]
        if set(src) & set(dst):
            continue
        depart = rng.randrange(lo, lo + (hi - lo) // 2)
        note = f"{name}: sources={src} targets={dst} depart={depart}"

        arr = router.earliest_arrival(tt, src, depart).arrival
        got = {i: int(x) for i, x in enumerate(arr.tolist()) if x < router.UNREACHABLE}
        assert got == o.earliest_arrival(src, depart), note

        best = o.earliest(src, depart, dst)
        j = router.earliest_arrival(tt, src, depart, targets=dst).journey(dst)
        assert (j.arrival if j else None) == best, note
        if j is not None:
            assert journey_problems(tt, j, src, dst, depart) == [], note

        front = router.pareto(tt, src, dst, depart, 3)
        assert [(j.arrival, j.transfers) for j in front] == o.pareto(src, dst, depart, 3), note
        for j in front:
            assert journey_problems(tt, j, src, dst, depart) == [], note

        if q % 2 == 0:  # arrive-by costs the oracle a binary search of scans
            arrive = best if best is not None and q % 4 == 0 else rng.randrange(lo + (hi - lo) // 2, hi)
            latest = o.arrive_by(src, dst, arrive)
            jb = router.arrive_by(tt, src, dst, arrive)
            assert (jb.legs[0].departure if jb else None) == latest, f"{note} arrive={arrive}"
            if jb is not None:
                assert jb.arrival <= arrive and journey_problems(tt, jb, src, dst, latest) == [], note


@pytest.mark.parametrize("compiled", ["caltrain"], indirect=True)
def test_profile_matches_oracle_on_caltrain(feed):
    """Profiles on caltrain only (the oracle scans every departure)."""
    name, tt, o = feed
    rng = random.Random("hbeu-profile")
    served = sorted(set(tt.c_from.tolist()))
    for _ in range(3):
        s, t = rng.sample(served, 2)
        start = rng.randrange(6 * 3600, 16 * 3600)
        got = [(j.legs[0].departure, j.arrival, j.transfers)
               for j in router.profile(tt, [s], [t], start, start + 3 * 3600, max_transfers=2)]
        assert got == o.profile([s], [t], start, start + 3 * 3600, 2), f"{s} -> {t} from {start}"


@pytest.mark.parametrize("compiled", ["hart"], indirect=True)
def test_profile_kernel_matches_the_per_departure_kernel_on_hart(compiled):
    """On hart (a bus network with block_id continuations) the one-to-one profile's kernel
    (``router.mcprofile``) gives the very journeys of ``csa.scan``'s per-departure runs, leg
    by leg, on fixed-seed 2-hour windows, compiled (what the profile benchmark times)."""
    from concurrent.futures import ThreadPoolExecutor
    from unittest import mock

    from hbeu_transit.router import backward, mcprofile

    if importlib.util.find_spec("numba") is None:
        missing("numba not installed")
    _, tt, _ = compiled
    rng = random.Random("hbeu-mcprofile")
    served = sorted(set(tt.c_from.tolist()) & set(tt.c_to.tolist()))
    queries = []
    for _ in range(12):
        s, t = rng.sample(served, 2)
        start = rng.randrange(6 * 3600, 18 * 3600)
        queries.append((s, t, start))

    def legs(q):
        s, t, start = q
        return [j.legs for j in router.profile(tt, [s], [t], start, start + 7200)]

    router.set_backend("numba")
    try:
        # the backward passes answer hart first: set them aside so mcprofile is what runs
        with mock.patch.object(backward, "usable", lambda v, R: False):
            got = [legs(q) for q in queries]
            # the kernel runs without the GIL: queries side by side must not share its labels
            with ThreadPoolExecutor(2) as pool:
                side_by_side = list(pool.map(legs, queries * 3))
            with mock.patch.object(mcprofile, "usable", lambda v: False):
                want = [legs(q) for q in queries]
    finally:
        router.set_backend(None)
    for q, g, w in zip(queries, got, want):
        assert g == w, f"{q[0]} -> {q[1]} from {q[2]}"
    assert side_by_side == want * 3


@pytest.mark.parametrize("compiled", ["hart"], indirect=True)
def test_one_to_all_stops_once_settled_with_the_same_answer_on_hart(compiled):
    """A compiled one-to-all scan stops once no label can change (``csa._settled``): on hart
    from fixed-seed stops and times its arrivals and journeys are those of the scan that goes
    on to the day's last connection, and it does stop early (the kernel says it stopped once
    settled: before the day's last connection)."""
    from unittest import mock

    from hbeu_transit.router import csa, scan
    from hbeu_transit.router.views import View

    if importlib.util.find_spec("numba") is None:
        missing("numba not installed")
    _, tt, _ = compiled
    rng = random.Random("hbeu-settle")
    served = sorted(set(tt.c_from.tolist()) & set(tt.c_to.tolist()))
    queries = [(rng.choice(served), rng.randrange(5 * 3600, 20 * 3600), rng.sample(served, 4)) for _ in range(8)]

    call = scan.call_kernel

    def answers(q):
        s, t, targets = q
        said = []

        def spy(k, name, *args):
            said.append(call(k, name, *args))
            return said[-1]

        with mock.patch.object(scan, "call_kernel", spy):
            r = router.earliest_arrival(tt, [s], t)
        return r.arrival.tolist(), [r.journey(g) for g in targets], said == [csa.SETTLED]

    router.set_backend("numba")
    try:
        got = [answers(q) for q in queries]
        never = View.settle_args
        with mock.patch.object(View, "settle_args", lambda self, sources: never(self, None)):
            want = [answers(q) for q in queries]
    finally:
        router.set_backend(None)
    for q, g, w in zip(queries, got, want):
        assert g[0] == w[0] and g[1] == w[1], f"from {q[0]} at {q[1]}"
    assert not any(w[2] for w in want)
    assert sum(g[2] for g in got) >= len(queries) // 2, [g[2] for g in got]
