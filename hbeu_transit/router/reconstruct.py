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

from ..timetable.model import Timetable
from .journey import Journey, Leg
from .views import View

Record = tuple[int, int, int]   # (board connection, exit connection, footpath start or -1)


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
        if bounded:
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
    return Leg(kind, a, b, dep, arr)


def build_journey(tt: Timetable, v: View, records: Sequence[Record], final_fp: int, target: int,
                  leave: int) -> Journey:
    """A Journey from ride records (last ride first), the final walk's start and the target.

    ``leave`` is the time the traveller leaves the source; it only matters for a journey that
    is a single walk (no rides)."""
    legs: list[Leg] = []
    prev = -1
    for b, e, pf in reversed(records):
        bs, bdep = int(v.np_from[b]), int(v.np_dep[b])
        if prev < 0:
            if pf >= 0:
                d = footpath_seconds(tt, pf, bs)
                legs.append(_move(tt, pf, bs, bdep - d, bdep))
        else:
            x, t0 = int(v.np_to[prev]), int(v.np_arr[prev])
            if pf >= 0:
                legs.append(_move(tt, x, bs, t0, t0 + footpath_seconds(tt, x, bs)))
            else:
                legs.append(Leg("transfer", x, x, t0, t0 + int(tt.stop_change[x])))
        legs.append(Leg("ride", bs, int(v.np_to[e]), bdep, int(v.np_arr[e]), int(v.np_trip[e])))
        prev = e
    if final_fp >= 0:
        if prev < 0:
            legs.append(_move(tt, final_fp, target, leave, leave + footpath_seconds(tt, final_fp, target)))
        else:
            x, t0 = int(v.np_to[prev]), int(v.np_arr[prev])
            legs.append(_move(tt, x, target, t0, t0 + footpath_seconds(tt, x, target)))
    return Journey(tuple(legs))
