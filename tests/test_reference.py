"""The compiler and the router against the GTFS-text reference (tests/reference), on random feeds.

The reference reads the feed's text with ``csv`` and shares no code with ``hbeu_transit.feed`` or
``hbeu_transit.timetable``: a bug in reading or compiling a feed is a disagreement here.
Two checks per random feed: the compiled connections equal the reference's as multisets of
(from, to, dep, arr, board, alight), with the same stations, change times, footpaths and
forbidden trip pairs; and the router on the compiled timetable answers like a networkx
time-expanded graph built from the reference (one-to-all earliest arrival with and without a
transfer limit, the (arrival, transfers) Pareto set, the latest departure of arrive-by).
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from random_feeds import compile_and_read, feeds
from reference.graph import ReferenceGraph

import hbeu_transit.router as router

#: HBEU_DIFF_SCALE=10 runs ten times as many examples (a thorough run before a release).
SCALE = int(os.environ.get("HBEU_DIFF_SCALE", "1"))
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
    n = tt.n_trips
    blocks = {(run_key(tt, c // n), run_key(tt, c % n)) for c in tt.trip_transfer_block.tolist()}
    assert blocks == ref.blocked, "forbidden trip pairs"


@settings(max_examples=500 * SCALE, **SETTINGS)
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
@settings(max_examples=150 * SCALE, **SETTINGS)
@given(spec=feeds(), data=st.data())
def test_router_on_compiled_feed_matches_reference_graph(backend, spec, data):
    note(f"feed: {spec}")
    tt, ref = compile_and_read(spec)
    with kernel(backend):
        check_router(data, tt, ReferenceGraph(ref), n_queries=3)
