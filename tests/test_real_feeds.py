"""Router vs the networkx oracle on real feeds (caltrain, cairns, hart from ../shared/feeds).

Each feed is compiled for a busy date with footpaths between stops within a short walk (the
feeds publish no transfers.txt, so this is what exercises walking). hart is too big for a
comfortable oracle graph, so both engines get the same morning slice of it: the connections
leaving 07:00-09:30. Queries are drawn with a fixed seed. Skipped where ../shared/feeds is
absent (users' machines).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import numpy as np
import pytest
from conftest import shared_feed

from hbeu_transit import router
from hbeu_transit.oracle import Oracle, journey_problems, station_stops
from hbeu_transit.timetable.model import Timetable

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
def feed(request):
    """(name, timetable, oracle) of one real feed on its busy date."""
    from hbeu_transit.feed import load_feeds
    from hbeu_transit.timetable import check_timetable, compile_timetable

    name = request.param
    date, walk, _, window = FEEDS[name]
    tt = compile_timetable(load_feeds([shared_feed(name)]), dt.date.fromisoformat(date), walk_meters=walk)
    if window is not None:
        tt = time_slice(tt, *window)
    assert check_timetable(tt) == []
    return name, tt, Oracle(tt)


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


def test_profile_matches_oracle_on_caltrain(feed):
    name, tt, o = feed
    if name != "caltrain":
        pytest.skip("profiles are compared on caltrain only (the oracle scans every departure)")
    rng = random.Random("hbeu-profile")
    served = sorted(set(tt.c_from.tolist()))
    for _ in range(3):
        s, t = rng.sample(served, 2)
        start = rng.randrange(6 * 3600, 16 * 3600)
        got = [(j.legs[0].departure, j.arrival, j.transfers)
               for j in router.profile(tt, [s], [t], start, start + 3 * 3600, max_transfers=2)]
        assert got == o.profile([s], [t], start, start + 3 * 3600, 2), f"{s} -> {t} from {start}"
