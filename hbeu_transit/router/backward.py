"""One-to-one profiles by one backward scan (``csa.profile_back``), for ``api.profile``.

A loop of forward scans, one per departure in the window, repeats most of its work; the
backward scan (CSA's profile variant with ride counts) reads each connection once, from the
latest that can still matter down to the window's start, and yields every Pareto journey of
the window at once. What it needs of the timetable: no trip rule that governs changes (K = 1;
in-seat continuations are fine) and no zero-duration connection; ``usable`` says so, and the
forward profile serves the rest.

How far up to scan: one pruned forward scan from the window's last departure gives, per ride
count, the arrival of a journey leaving no earlier than any in the window (every journey
arriving later with as many rides is dominated), and the direct journeys bound the one-ride
ones; connections leaving after the largest such bound cannot matter.
"""

from __future__ import annotations

import numpy as np

from ..timetable.model import Timetable
from . import backend, bounds
from .csa import IN_SEAT, INF
from .journey import Journey
from .reconstruct import build_journey
from .scan import State, call_kernel, run_scan
from .views import View


def usable(v: View) -> bool:
    """Whether the backward scan handles this view (see the module docstring) and pays: it
    reads a whole span of the day with a few ride counts per connection, which compiled takes
    about one forward run but interpreted more than the forward runs of a short window, so
    only a compiled view (chosen for the work of a forward profile) runs it."""
    got = v._stop_index.get("backward")
    if got is None:
        got = v._stop_index["backward"] = bool(v.K == 1 and not (v.np_dep == v.np_arr).any())
    return got and v.backend == "numba"


def _caps(tt: Timetable, v: View, src: np.ndarray, tg: np.ndarray, events: np.ndarray, R: int,
          src_last: int, direct) -> np.ndarray:
    """Per k = 0..R-2, an arrival that no Pareto journey of the window with k + 1 rides or more
    exceeds (``INF`` when unknown; see the module docstring): the bound a part of a journey
    with k + 1 rides left must keep to."""
    cap = _rides_arrivals(tt, v, src, tg, int(events[-1]), R, src_last, direct)
    o_off, t_off = bounds.origin_offsets(tt, v.n, src), bounds.target_offsets(tt, v.n, tg)
    d = bounds.direct_arrivals(tt, v, o_off, t_off, events, src_last)
    d = d[d < INF]
    if v.np_fi[0].size == 0:      # (one ride may go on in seat as another trip: not in ``d``)
        cap[0] = int(d.max()) if d.size else -1      # no direct journey: none with one ride
    if (cap >= INF).any() and len(events) > 1:
        # none with that few rides leaving at or after the window's first departure: none at all
        first = _rides_arrivals(tt, v, src, tg, int(events[0]), R, src_last, direct)
        cap[(cap >= INF) & ((first >= INF) | (first < 0))] = -1
    # a part of a journey with k + 1 rides left belongs to one with as many rides or more
    return np.maximum.accumulate(cap[::-1])[::-1]


def _rides_arrivals(tt: Timetable, v: View, src: np.ndarray, tg: np.ndarray, leave: int, R: int,
                    src_last: int, direct) -> np.ndarray:
    """Per k = 0..R-2, the earliest target arrival with at most k + 1 rides leaving at ``leave``
    or later found by one pruned forward scan (``INF``: none found; -1: none at any time, as
    the targets need more rides)."""
    eb, el = direct(np.array([leave], dtype=np.int64))
    if eb[0] <= -INF:
        return np.full(R - 1, -1, dtype=np.int64)
    st = State(v, R, True)
    run_scan(v, st, sources=src, targets=tg, events=[leave], origin_arr=False, prune=(1, 1),
             src_last=src_last, ev_bound=eb, ev_lo=el)
    arr = np.minimum.accumulate(np.asarray(st.arr_t, dtype=np.int64).reshape(v.n, R)[tg][:, 1:].min(axis=0))
    arr[:int(el[0]) - 1] = -1       # fewer rides than the network allows (``api._direct_pruning``)
    return arr


def profile(tt: Timetable, v: View, src: np.ndarray, tg: np.ndarray, events: np.ndarray, start: int,
            end: int, R: int, src_last: int, direct) -> list[Journey]:
    """The Pareto journeys leaving in [start, end] (``api.profile``'s answer, by departure
    then transfers).
    ``events``: the departures in the window, ascending; ``direct(events)``: the forward
    scan's pruning bounds (``api._direct_pruning``)."""
    J = R - 1
    cap = _caps(tt, v, src, tg, events, R, src_last, direct)
    top = int(cap.max())
    c_lo = int(np.searchsorted(v.np_dep, start, side="left"))
    c_hi = v.n_connections if top >= INF else int(np.searchsorted(v.np_dep, top, side="right"))
    if top < 0 or c_hi <= c_lo:
        return []
    o_off, t_off = bounds.origin_offsets(tt, v.n, src), bounds.target_offsets(tt, v.n, tg)
    span = slice(c_lo, c_hi)
    board = v.np_board[span]
    at = np.bincount(v.np_from[span][board], minlength=v.n)
    p_start = np.zeros(v.n + 1, dtype=np.int64)
    np.cumsum(at, out=p_start[1:])
    n_p, n_o = int(p_start[-1]), int(at[o_off < INF].sum())
    i32 = np.int32
    py = v.backend == "python"
    if py:
        v.cover(c_lo, c_hi)
    conv = (lambda a: a.tolist()) if py else (lambda a: a)
    arrays = dict(
        tr_arr=np.full(v.nt * J, INF, dtype=i32), tr_exit=np.full(v.nt * J, -1, dtype=i32),
        p_start=p_start.astype(i32), p_fill=np.zeros(v.n, dtype=i32), p_dep=np.empty(max(n_p, 1), dtype=i32),
        p_arr=np.empty(max(n_p, 1) * J, dtype=i32), p_exit=np.empty(max(n_p, 1) * J, dtype=i32),
        p_board=np.empty(max(n_p, 1) * J, dtype=i32),      # (each entry is written before it is read)
        o_dep=np.empty(max(n_o, 1), dtype=np.int64), o_arr=np.empty(max(n_o, 1) * J, dtype=i32),
        o_exit=np.empty(max(n_o, 1) * J, dtype=i32), o_board=np.empty(max(n_o, 1), dtype=i32),
        tau=np.zeros(J, dtype=np.int64), tex=np.zeros(J, dtype=i32))
    a = {k: conv(x) for k, x in arrays.items()}
    n_cand = call_kernel(backend.kernels(v.backend), "profile_back",
                         v.c_from, v.c_to, v.c_dep, v.c_arr, v.c_trip, v.c_board, v.c_alight, v.stop_change,
                         v.fp_start, v.fp_to, v.fp_dur, v.c_fire, v.fi_conn, v.fi_trip, c_lo, c_hi, J,
                         conv(t_off), conv(o_off), int(src_last), conv(cap),
                         a["tr_arr"], a["tr_exit"], a["p_start"], a["p_fill"], a["p_dep"], a["p_arr"],
                         a["p_exit"], a["p_board"], a["o_dep"], a["o_arr"], a["o_exit"], a["o_board"],
                         a["tau"], a["tex"])
    got = {k: np.asarray(x) for k, x in a.items()}
    found = sorted(_pareto(got, int(n_cand), J, start, end))
    return [_journey(tt, v, got, J, src, tg, o_off, t_off, d, k, arr, b, e) for d, k, arr, b, e in found]


def _pareto(got: dict, n: int, J: int, start: int, end: int) -> list[tuple[int, int, int, int, int]]:
    """(leave, rides - 1, arrival, boarding, exit) of the Pareto origin candidates leaving in
    [start, end]: latest leave first, a candidate counts for k when it beats every candidate
    leaving no earlier with as many rides or fewer, and itself with fewer."""
    dep, arr = got["o_dep"][:n], got["o_arr"][:n * J].reshape(n, J)
    ex, bd = got["o_exit"][:n * J].reshape(n, J), got["o_board"][:n]
    order = np.lexsort((np.arange(n), -dep))
    best = np.full(J, INF, dtype=np.int64)
    out = []
    i = 0
    while i < n:
        d = int(dep[order[i]])
        group = []
        while i < n and int(dep[order[i]]) == d:
            group.append(int(order[i]))
            i += 1
        rows = arr[group]
        pick = rows.argmin(axis=0)                    # the first candidate of the best arrival
        vec = rows[pick, np.arange(J)]
        if start <= d <= end:
            for k in range(J):
                x = int(vec[k])
                if x < INF and x < best[k] and (k == 0 or x < int(vec[k - 1])):
                    g = group[int(pick[k])]
                    out.append((d, k, x, int(bd[g]), int(ex[g, k])))
        np.minimum(best, vec, out=best)
    return out


def _seat_chain(v: View, trip: int, goal: int) -> list[tuple[int, int]] | None:
    """The in-seat continuations leading from ``trip`` to trip ``goal``, as (last hop of one
    trip, first hop of the next) pairs; None when none does."""
    if trip == goal:
        return []
    conn, board, nxt = v.np_fi
    for f in np.flatnonzero(v.np_trip[conn] == trip).tolist():
        rest = _seat_chain(v, int(nxt[f]), goal)
        if rest is not None:
            return [(int(conn[f]), int(board[f]))] + rest
    return None


def _ride(v: View, b: int, e: int, how: int) -> list[tuple[int, int, int]]:
    """Records (first ride first) of boarding connection b and riding, in seat across trips
    if need be, to exit e."""
    chain = _seat_chain(v, int(v.np_trip[b]), int(v.np_trip[e]))
    if chain is None:
        raise AssertionError("router: lost the in-seat chain of a profile journey")
    recs, board, pf = [], b, how
    for last, first in chain:
        recs.append((board, last, pf))
        board, pf = first, IN_SEAT
    recs.append((board, e, pf))
    return recs


def _journey(tt: Timetable, v: View, got: dict, J: int, src: np.ndarray, tg: np.ndarray, o_off: np.ndarray,
             t_off: np.ndarray, leave: int, k: int, arrival: int, b: int, e: int) -> Journey:
    """The journey of an origin candidate: its rides follow the exits and the stop profiles
    (each change re-reads the profile the scan read there: entries appended later leave
    earlier than the change, so it reads the same)."""
    s = int(v.np_from[b])
    how = -1 if int(o_off[s]) == 0 else _walk_from(tt, src, s, int(o_off[s]))
    recs: list[tuple[int, int, int]] = []
    while True:
        recs += _ride(v, b, e, how)
        x, t = int(v.np_to[e]), int(v.np_arr[e])
        if int(t_off[x]) < INF and t + int(t_off[x]) == arrival:
            fp, stop = (-1, x) if int(t_off[x]) == 0 else (x, _walk_to(tt, tg, x, int(t_off[x])))
            return build_journey(tt, v, recs[::-1], fp, stop, leave)
        if k == 0:
            raise AssertionError("router: lost the end of a profile journey")
        nxt = None
        ch = int(tt.stop_change[x])
        options = ([(x, t + ch, -1)] if ch >= 0 else []) + [
            (int(tt.fp_to[f]), t + int(tt.fp_dur[f]), x) for f in range(int(tt.fp_start[x]), int(tt.fp_start[x + 1]))]
        for u, when, via in options:
            i = _entry(got, u, when)
            if i >= 0 and int(got["p_arr"][i * J + k - 1]) == arrival:
                nxt = (i, via)
                break
        if nxt is None:
            raise AssertionError("router: lost a change of a profile journey")
        i, how = nxt
        k -= 1
        b, e = int(got["p_board"][i * J + k]), int(got["p_exit"][i * J + k])


def _entry(got: dict, s: int, t: int) -> int:
    """``csa._profile_at`` on the scan's arrays."""
    lo, fill = int(got["p_start"][s]), int(got["p_fill"][s])
    dep = got["p_dep"][lo:lo + fill]
    n_ok = int(np.searchsorted(-dep, -t, side="right"))   # entries leaving at or after t
    return lo + n_ok - 1 if n_ok else -1


def _walk_from(tt: Timetable, src: np.ndarray, s: int, dur: int) -> int:
    """A source with a footpath of ``dur`` to s."""
    for x in src.tolist():
        for f in range(int(tt.fp_start[x]), int(tt.fp_start[x + 1])):
            if int(tt.fp_to[f]) == s and int(tt.fp_dur[f]) == dur:
                return x
    raise AssertionError("router: lost the origin walk of a profile journey")


def _walk_to(tt: Timetable, tg: np.ndarray, x: int, dur: int) -> int:
    """A target that a footpath of ``dur`` from x reaches."""
    want = set(tg.tolist())
    for f in range(int(tt.fp_start[x]), int(tt.fp_start[x + 1])):
        if int(tt.fp_to[f]) in want and int(tt.fp_dur[f]) == dur:
            return int(tt.fp_to[f])
    raise AssertionError("router: lost the final walk of a profile journey")
