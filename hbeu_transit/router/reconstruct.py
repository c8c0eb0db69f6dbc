"""Turning the kernel's pointers into ``Journey`` objects (legs with times, stops, trips).

A journey is stored by the kernel as its rides, each (boarding connection, exit connection,
stop a footpath started at before boarding or -1), plus the footpath start of the final walk.
What happened between two rides follows from the rules: a footpath (its duration from the
timetable) or a change at the same stop (``stop_change``). Gaps are reported at their minimum
duration: a transfer or walk leg starts when the previous ride arrives and lasts exactly the
change time or footpath; an origin walk is timed to end just as the first ride leaves.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..timetable.model import Timetable
from .csa import IN_SEAT
from .journey import Journey, Leg, make_journey, make_leg
from .views import View

Record = tuple[int, int, int]   # (board connection, exit connection, how: footpath start, -1
#                                 same stop, IN_SEAT stayed on board, -3 - r by trip rule r)


def records_from_state(st, v: View, layer: int, stop: int, bounded: bool) -> list[Record] | None:
    """The rides behind arrival label (layer, stop), last ride first (see ``csa.chain``).

    None when the pointers do not spell a journey. That happens only without a transfer limit
    (one layer) after a zero-duration loop: a trip boarded again at an earlier hop of the same
    instant overwrites its boarding pointer; the caller then asks a transfer-bounded scan."""
    out: list[Record] = []
    R = st.R
    seen: set[int] = set()
    e = int(st.arr_exit[stop * R + layer])
    while e >= 0:
        trip = int(v.np_trip[e])
        idx = trip * R + layer
        b = int(st.t_board[idx])
        if b < 0 or int(v.np_seq[b]) > int(v.np_seq[e]) or (not bounded and trip in seen):
            return None
        seen.add(trip)
        out.append((b, e, int(st.t_pfp[idx])))
        e = int(st.t_pexit[idx])
        if bounded and int(st.t_pfp[idx]) != IN_SEAT:
            layer -= 1
    return out


def footpath_seconds(tt: Timetable, a: int, b: int) -> int:
    """The shortest footpath a -> b (the kernel always uses the best one)."""
    lo, hi = int(tt.fp_start[a]), int(tt.fp_start[a + 1])
    best = None
    for f in range(lo, hi):
        if int(tt.fp_to[f]) == b and (best is None or int(tt.fp_dur[f]) < best):
            best = int(tt.fp_dur[f])
    if best is None:
        raise AssertionError(f"router used a missing footpath {a} -> {b}")
    return best


def _move(tt: Timetable, a: int, b: int, dep: int, arr: int) -> Leg:
    kind = "transfer" if int(tt.stop_station[a]) == int(tt.stop_station[b]) else "walk"
    return make_leg(kind, int(a), int(b), int(dep), int(arr))


def build_journey(tt: Timetable, v: View, records: Sequence[Record], final_fp: int, target: int,
                  leave: int) -> Journey:
    """A Journey from ride records (last ride first), the final walk's start and the target.

    ``leave`` is the time the traveller leaves the source; it only matters for a journey that
    is a single walk (no rides). Many journeys of one query: ``build_journeys``."""
    rb, re_, rp = (list(c) for c in zip(*records)) if records else ([], [], [])
    return build_journeys(tt, v, rb, re_, [int(p) for p in rp], [len(records)], [final_fp], [target], [leave])[0]


def build_journeys(tt: Timetable, v: View, rb, re_, rp, ends, finals, targets, leaves) -> list[Journey]:
    """The Journeys of many record runs at once (all of one query's): journey k has the rides
    ``[ends[k - 1], ends[k])`` (from 0 for k = 0) of the flat columns ``rb``, ``re_``, ``rp``
    (board connection, exit connection, how, as ``Record``; last ride first), the final walk's start ``finals[k]``, target
    ``targets[k]`` and leave time ``leaves[k]`` (see ``build_journey``).

    One numpy gather per column serves every ride of the query; each leg is then made from
    Python ints (reading numpy scalars one at a time cost about as much as making the legs),
    read from the columns by index: no tuple per ride nor list per journey (fewer objects for
    the garbage collector to visit, which in a profile query costs as much as building them)."""
    rb, re_ = np.asarray(rb, dtype=np.int64), np.asarray(re_, dtype=np.int64)
    to_a = v.np_to[re_]
    cols = (v.np_from[rb].tolist(), v.np_dep[rb].tolist(), to_a.tolist(), v.np_arr[re_].tolist(),
            v.np_trip[re_].tolist(), tt.stop_change[to_a].tolist(), rp.tolist() if isinstance(rp, np.ndarray) else rp)
    finals, targets, leaves = (x.tolist() if isinstance(x, np.ndarray) else x for x in (finals, targets, leaves))
    out = []
    lo = 0
    for k, hi in enumerate(ends.tolist() if isinstance(ends, np.ndarray) else ends):
        order = range(hi - 1, lo - 1, -1)
        out.append(_journey(tt, v, cols, order, int(finals[k]), int(targets[k]), int(leaves[k])))
        lo = hi
    return out


def _journey(tt: Timetable, v: View, cols: tuple[list, ...], order: range, final_fp: int, target: int,
             leave: int) -> Journey:
    """The Journey of the rides ``order`` (in riding order) of ``cols``: per ride its board stop,
    departure, exit stop, arrival, trip, change time at the exit stop and how it was boarded
    (as in ``Record``), as lists of Python ints."""
    c_frm, c_dep, c_to, c_arr, c_trip, c_chg, c_how = cols
    legs: list[Leg] = []
    add = legs.append
    x = t0 = chg = -1       # exit stop, arrival and change time of the previous ride (none yet)
    for i in order:
        bs, bdep, pf = c_frm[i], c_dep[i], c_how[i]
        if x < 0:
            if pf >= 0:
                add(_move(tt, pf, bs, bdep - footpath_seconds(tt, pf, bs), bdep))
        elif pf == -1:
            add(make_leg("transfer", x, x, t0, t0 + chg))
        elif pf == IN_SEAT:
            add(make_leg("seat", x, bs, t0, bdep))
        elif pf <= -3:
            add(_move(tt, x, bs, t0, t0 + int(v.np_rules[3][-3 - pf])))
        else:
            add(_move(tt, x, bs, t0, t0 + footpath_seconds(tt, x, bs)))
        x, t0, chg = c_to[i], c_arr[i], c_chg[i]
        add(make_leg("ride", bs, x, bdep, t0, c_trip[i]))
    if final_fp >= 0:
        if x < 0:
            add(_move(tt, final_fp, target, leave, leave + footpath_seconds(tt, final_fp, target)))
        else:
            add(_move(tt, x, target, t0, t0 + footpath_seconds(tt, x, target)))
    return make_journey(tuple(legs))
