"""Journey construction (``router.reconstruct``, ``router.journey``) against a plain reference.

The router builds legs without the frozen dataclasses' __init__ (``make_leg``) and gathers the
connection fields of all of a query's rides at once (``build_journeys``). Here every journey a
query builds, on random timetables (footpaths, platforms, timed / forbidden / in-seat trip
rules, zero-duration hops) and by every path that builds journeys (earliest arrival, Pareto,
the profile by backward passes, by mcprofile and by the kernel's runs), is rebuilt from its
ride records by ``reference`` below, one numpy scalar and one ``Leg(...)`` at a time from the
timetable's own arrays, and compared field by field, types included.
"""

from __future__ import annotations

import pickle
import random
from contextlib import ExitStack
from dataclasses import FrozenInstanceError
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_backward import networks
from test_differential import SETTINGS, a_time, kernel, place, timetables
from tiny_timetables import make_timetable

import hbeu_transit.router as router
from hbeu_transit.oracle import journey_problems
from hbeu_transit.router import api, backward, mcprofile, reconstruct
from hbeu_transit.router.csa import IN_SEAT
from hbeu_transit.router.journey import Journey, Leg, make_journey, make_leg
from hbeu_transit.router.views import view
from hbeu_transit.timetable import load_timetable

ints = st.integers(-(1 << 40), 1 << 40)
_backward_journeys = backward._journeys


@settings(max_examples=50, deadline=None)
@given(kind=st.sampled_from(["ride", "transfer", "walk", "seat"]), a=ints, b=ints, dep=ints, arr=ints,
       trip=st.one_of(st.none(), ints))
def test_fast_leg_is_the_dataclass_leg(kind, a, b, dep, arr, trip):
    args = (kind, a, b, dep, arr) if trip is None else (kind, a, b, dep, arr, trip)
    fast, slow = make_leg(*args), Leg(*args)
    assert type(fast) is Leg
    assert (fast.kind, fast.from_stop, fast.to_stop, fast.departure, fast.arrival, fast.trip) == \
        (kind, a, b, dep, arr, -1 if trip is None else trip)
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert pickle.loads(pickle.dumps(fast)) == slow
    with pytest.raises(FrozenInstanceError):
        fast.arrival = 0
    j = make_journey((fast, fast))
    assert type(j) is Journey and j == Journey((slow, slow)) and hash(j) == hash(Journey((slow, slow)))
    assert repr(j) == repr(Journey((slow, slow)))
    assert make_journey(()) == Journey(())
    swapped = make_leg(kind, b, a, dep, arr) if trip is None else make_leg(kind, a, b, dep, arr, trip + 1)
    assert (swapped == slow) == (a == b and trip is None)


def footpath(tt, a: int, b: int) -> int:
    """The shortest footpath a -> b, from the timetable's footpath list."""
    return min(int(tt.fp_dur[f]) for f in range(int(tt.fp_start[a]), int(tt.fp_start[a + 1]))
               if int(tt.fp_to[f]) == b)


def reference(tt, v, records: list[tuple[int, int, int]], final_fp: int, target: int, leave: int) -> Journey:
    """The journey of ``records`` (first ride first; see ``reconstruct.Record``), plainly."""
    legs = []

    def move(a, b, dep, arr):
        same = tt.stop_station[a] == tt.stop_station[b]
        legs.append(Leg("transfer" if same else "walk", int(a), int(b), int(dep), int(arr)))
    for i, (b, e, how) in enumerate(records):
        board, dep = int(v.np_from[b]), int(v.np_dep[b])
        if i == 0 and how >= 0:
            move(how, board, dep - footpath(tt, how, board), dep)
        elif i > 0:
            x, t = int(v.np_to[records[i - 1][1]]), int(v.np_arr[records[i - 1][1]])
            if how == IN_SEAT:
                legs.append(Leg("seat", x, board, t, dep))
            elif how == -1:
                legs.append(Leg("transfer", x, x, t, t + int(tt.stop_change[x])))
            elif how <= -3:
                move(x, board, t, t + int(tt.transfer_rules()[3][-3 - how]))
            else:
                move(x, board, t, t + footpath(tt, x, board))
        legs.append(Leg("ride", board, int(v.np_to[e]), dep, int(v.np_arr[e]), int(v.np_trip[e])))
    if final_fp >= 0:
        start = (final_fp, leave) if not records else (int(v.np_to[records[-1][1]]), int(v.np_arr[records[-1][1]]))
        move(start[0], target, start[1], start[1] + footpath(tt, start[0], target))
    return Journey(tuple(legs))


class Recorder:
    """Wraps the construction entry points as the router's modules call them and keeps, per
    journey built, (ride records first ride first, final walk start, target, leave, journey)."""

    def __init__(self):
        self.built: list[tuple] = []

    def single(self, tt, v, records, final_fp, target, leave):
        j = reconstruct.build_journey(tt, v, records, final_fp, target, leave)
        self.built.append((tt, v, [tuple(map(int, r)) for r in records][::-1], final_fp, target, leave, j))
        return j

    def bulk(self, tt, v, rb, re_, rp, ends, finals, targets, leaves):
        rows = [(int(b), int(e), int(p)) for b, e, p in zip(rb, re_, rp)]   # before the call: rp may change
        js = reconstruct.build_journeys(tt, v, rb, re_, rp, ends, finals, targets, leaves)
        lo = 0
        for k, hi in enumerate(int(x) for x in ends):
            recs = rows[lo:hi][::-1]
            self.built.append((tt, v, recs, int(finals[k]), int(targets[k]), int(leaves[k]), js[k]))
            lo = hi
        assert len(js) == len(ends)
        return js

    def backward(self, rec, n):
        """``backward._journeys``: journeys from the legs its compiled replay wrote, recorded
        with that replay's ride records (the first ride's "how": the source walked from, or -1)."""
        js = _backward_journeys(rec, n)
        rb, re_, rp, end, last = ([int(x) for x in r] for r in rec[:5])
        lo = 0
        for q, j in enumerate(js):
            walk = j.legs[-1].kind != "ride"       # a final walk from the last stop to a target
            self.built.append((None, None, list(zip(rb[lo:end[q]], re_[lo:end[q]], rp[lo:end[q]])),
                               last[q] if walk else -1, j.legs[-1].to_stop if walk else last[q], 0, j))
            lo = end[q]
        return js

    def patches(self, stack: ExitStack) -> None:
        stack.enter_context(mock.patch.object(api, "build_journey", self.single))
        stack.enter_context(mock.patch.object(api, "build_journeys", self.bulk))
        stack.enter_context(mock.patch.object(backward, "_journeys", self.backward))


@pytest.mark.parametrize("backend", ["python", "numba"])
@settings(max_examples=25, **SETTINGS)
@given(tt=st.one_of(timetables(), networks()), data=st.data())
def test_journeys_match_the_reference_on_every_path(backend, tt, data):
    """Queries from one random place to a few stops, one target at a time (journeys with several
    rides, changes, in-seat continuations and rules are then common), by every path."""
    src = place(data, tt, "sources")
    depart, lo = a_time(data, tt, "depart"), a_time(data, tt, "start")
    hi = lo + data.draw(st.sampled_from([3600, 4 * 3600, 30 * 3600]), label="window")
    targets = range(tt.n_stops)
    paths: list[list[tuple]] = [[]]                              # as router.profile picks
    if backward.applies(view(tt), 5):
        paths.append([(backward, "usable", backward.applies)])     # the backward passes
    if backend == "numba":                                         # (interpreted: the kernel's runs)
        off = (backward, "usable", lambda v, R: False)
        paths += [[off], [off, (mcprofile, "usable", lambda v: False)]]   # mcprofile; the kernel's runs
    rec = Recorder()
    answers = []
    with kernel(backend), ExitStack() as stack:
        rec.patches(stack)
        for t in targets:
            dst = [t]
            answers += [router.earliest_arrival(tt, src, depart, targets=dst, max_transfers=2).journey(dst),
                        *router.pareto(tt, src, dst, depart, 3)]
            for path in paths:
                with ExitStack() as inner:
                    for module, name, value in path:
                        inner.enter_context(mock.patch.object(module, name, value))
                    answers += router.profile(tt, src, dst, lo, hi)
    check_built(tt, rec)
    for _, _, _, _, _, _, got in rec.built:       # Python ints, as Leg(...) from the reference holds
        assert all(type(getattr(lg, f)) is int for lg in got.legs for f in Leg.__slots__[1:])
    # every journey answered was built here (none made elsewhere), and each is a real journey
    built = {id(b[-1]) for b in rec.built}
    for j in answers:
        if j is not None and j.legs:
            assert id(j) in built
            assert journey_problems(tt, j, src, [j.legs[-1].to_stop], min(depart, lo)) == []


def check_built(tt, rec: Recorder) -> list[int]:
    """Every journey ``rec`` saw equals its reference; returns every ride's "how" (as in ``Record``)."""
    hows = []
    for _, v, records, final_fp, target, leave, got in rec.built:
        v = view(tt) if v is None else v      # (the backward passes' journeys: the forward view)
        assert got == reference(tt, v, records, final_fp, target, leave), (records, final_fp, target, leave)
        hows += [h for _, _, h in records]
    return hows


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_timed_trip_rule_change_matches_the_reference(backend):
    """A change governed by a timed trip rule (120 s at B from trip 0 to trip 2, where B's own
    change time is 300 s): the random timetables seldom use one."""
    trips = [[("A", 0, 0), ("B", 100, 100)], [("C", 400, 400), ("D", 500, 500)],
             [("B", 250, 250), ("D", 450, 450)], [("D", 600, 600), ("E", 700, 700)]]
    tt = make_timetable("ABCDE", trips, change={"B": 300, "D": 30},
                        rules=[(0, 1, "B", "C", 200), (0, 2, "B", "B", 120)])
    rec = Recorder()
    with kernel(backend), ExitStack() as stack:
        rec.patches(stack)
        got = [*router.pareto(tt, [0], [4], 0, 3), *router.profile(tt, [0], [4], 0, 3600)]
    assert [(lg.kind, lg.departure, lg.arrival) for lg in got[0].legs[:3]] == \
        [("ride", 0, 100), ("transfer", 100, 220), ("ride", 250, 450)]
    assert -4 in check_built(tt, rec)        # rule 1 governed the change


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_regional_journeys_match_the_reference(backend, tmp_path):
    """The bundled regional feed: walks to, between and from stations (342 footpaths), on a
    day's Pareto sets and profiles between random stations."""
    gtfs = Path(__file__).resolve().parents[2] / "data" / "gtfs"
    tt = load_timetable([gtfs / "hbeu-rail.zip", gtfs / "hbeu-bus.zip"], "2026-12-02", cache_dir=tmp_path)
    rng = random.Random(3)
    served = sorted(set(tt.c_from.tolist()))
    rec = Recorder()
    with kernel(backend), ExitStack() as stack:
        rec.patches(stack)
        for _ in range(40):
            a, b = rng.choice(served), rng.choice(served)
            router.pareto(tt, [a], [b], rng.randrange(5, 20) * 3600, 5)
            router.profile(tt, [a], [b], 6 * 3600, 20 * 3600)
    hows = check_built(tt, rec)
    assert len(rec.built) > 100 and sum(h >= 0 for h in hows) > 20 and hows.count(-1) > 10
