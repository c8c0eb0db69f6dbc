"""The all-to-one profile (router/toward.py, one backward pass) against the kernel's one-to-all
profile (``profile_all``, one run per departure) from every stop: the same Pareto pairs and
the same earliest arrival after the window, on random timetables (hypothesis, ~4 s) and by hand."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_differential import SCALE, SETTINGS, a_time, kernel, place, timetables

from hbeu_transit import router
from hbeu_transit.router import UNREACHABLE, toward
from hbeu_transit.timetable import timetable_from_connections


def without_rules(tt):
    """The timetable with its trip transfer rules and blocks taken off (``toward.usable``)."""
    return replace(tt, trip_transfer_block=np.zeros(0, dtype=np.int64), xfer_key=None, xfer_from=None,
                   xfer_to=None, xfer_secs=None)


def from_each_stop(tt, targets, start, end):
    """Per stop s: (Pareto (departure, arrival) pairs to any target, earliest arrival after
    the window), from one ``profile_all`` out of s: the union of the targets' pairs, without
    those another pair or the arrival after the window beats."""
    out = {}
    for s in range(tt.n_stops):
        p = router.profile_all(tt, [s], start, end)
        after = min(int(p.after[t]) for t in targets)
        pairs = sorted({(int(d), int(a)) for t in targets for d, a in zip(*p.pairs(t))}, key=lambda x: (-x[0], x[1]))
        keep, best = [], after
        for d, a in pairs:                      # latest first, earlier arrival first on a tie
            if a < best:
                keep.append((d, a))
                best = a
        out[s] = (sorted(keep), after)
    return out


def pairs_of(p, s):
    return sorted(zip(*(x.tolist() for x in p.pairs(s)))), int(p.after[s])


@settings(max_examples=max(1, int(80 * SCALE)), **SETTINGS)
@given(tt=timetables(), data=st.data())
def test_random_timetables_equal_the_kernel_from_every_stop(tt, data):
    tt = without_rules(tt)
    tg = place(data, tt, "targets")
    start = a_time(data, tt, "start")
    end = start + data.draw(st.sampled_from([0, 60, 600, 3600, 6 * 3600]), label="window")
    with kernel("python"):
        got = toward.profile_to(tt, tg, start, end)
        want = from_each_stop(tt, tg, start, end)
    assert {s: pairs_of(got, s) for s in range(tt.n_stops)} == want


def test_a_ride_of_no_time_feeds_a_connection_of_its_own_departure_group():
    # x (A -> B) and y (B -> C) both leave at 100 and take no time; y sorts first (trip order),
    # so a single backward pass would see x before it could know y: the group is scanned again
    tt = timetable_from_connections([("B", "C", 100, 100, "y"), ("A", "B", 100, 100, "x"),
                                     ("A", "C", 150, 400, "z")], stop_change=0)
    a, c = tt.stop_ids.index("A"), tt.stop_ids.index("C")
    p = toward.profile_to(tt, [c], 0, 1000)
    assert pairs_of(p, a) == ([(100, 100), (150, 400)], UNREACHABLE)


def test_a_group_scanned_again_starts_from_the_trips_it_had_before():
    # trip t: A -> B in no time at 100, then B -> C at 100-200; targets B and C. From B one
    # must ride (to C at 200): the second look at the group must not let t's later hop count
    # getting off at B, which only its first hop reaches
    tt = timetable_from_connections([("A", "B", 100, 100, "t"), ("B", "C", 100, 200, "t")], stop_change=0)
    a, b, c = (tt.stop_ids.index(x) for x in "ABC")
    p = toward.profile_to(tt, [b, c], 0, 1000)
    assert pairs_of(p, b) == ([(100, 200)], UNREACHABLE)
    assert pairs_of(p, a) == ([(100, 100)], UNREACHABLE)


def test_footpaths_change_times_and_the_arrival_after_the_window():
    # A -> B 10:00-10:30; changing at B takes 10 min; B1 is a 5-min walk from B; C a 2-min
    # walk from C1. To C1: from B at 10:35 (arr 10:50) and 11:00 (11:15), from B1 at 10:35
    # (10:48:20); from A at 12:00 (12:10), after the window 09:00-11:00.
    H = 3600
    tt = timetable_from_connections(
        [("A", "B", 10 * H, 10 * H + 1800, "ab"), ("B", "C1", 10 * H + 2100, 10 * H + 3000, "early"),
         ("B1", "C1", 10 * H + 2100, 10 * H + 2900, "walked"), ("B", "C1", 11 * H, 11 * H + 900, "late"),
         ("A", "C1", 12 * H, 12 * H + 600, "next")],
        stop_change={"B": 600}, footpaths=[("B", "B1", 300), ("C1", "C", 120)])
    idx = tt.stop_ids.index
    p = toward.profile_to(tt, [idx("C")], 9 * H, 11 * H)
    # from A at 10:00: ready at B 10:40 misses 10:35 from B; walked to B1 by 10:35, C 10:50:20;
    # after the window: 12:00, C 12:12
    assert pairs_of(p, idx("A")) == ([(10 * H, 10 * H + 3020)], 12 * H + 720)
    # from B (no change time at the origin): 10:30 walking to B1 (C 10:50:20), 10:35 (C 10:52),
    # 11:00 (C 11:17); nothing after
    assert pairs_of(p, idx("B")) == ([(10 * H + 1800, 10 * H + 3020), (10 * H + 2100, 10 * H + 3120),
                                      (11 * H, 11 * H + 1020)], UNREACHABLE)
    # the walk from C1 to C counts; from C itself no ride is needed (not a pair)
    assert pairs_of(p, idx("C"))[0] == []


def test_rules_and_transfer_limits_are_refused():
    tt = timetable_from_connections([("A", "B", 0, 60, "t"), ("B", "C", 60, 120, "u")])
    with pytest.raises(ValueError, match="transfer limit"):
        toward.profile_to(tt, [1], 0, 100, max_transfers=1)
    ruled = timetable_from_connections([("A", "B", 0, 60, "t"), ("B", "C", 60, 120, "u")],
                                       transfer_rules=[("t", "u", "B", "B", -1)])
    assert not toward.usable(router.views.view(ruled))
    with pytest.raises(ValueError, match="trip transfer rules"):
        toward.profile_to(ruled, [2], 0, 100)
