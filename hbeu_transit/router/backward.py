"""One-to-one profiles by one forward pass and one backward pass (for ``api.profile``).

A loop of Pareto scans, one per departure in the window, repeats most of its work; so does the
forward profile's run per departure. Here every connection that matters is read twice at most:

1. ``forward``, from the window's start: which trips a journey leaving a source in the window
   can be on (``t_min``: the first hop reachable), listing the connections it can ride
   (``reach``); and, in the same pass, from E (the first departure after the window, or the
   window's last one when journeys leaving later do not compete), the earliest target arrival
   with at most j rides for every j (``best``: a Pareto scan in which a trip holds one number,
   its fewest rides so far, as time flows with the scan). A journey of the window with j rides
   arriving later than ``best[j]`` is dominated, so the pass stops once past ``best[lb]`` (lb:
   the fewest rides any journey needs, ``bounds.fewest_rides``), and nothing later matters.
2. ``backward``, over the listed connections latest first (CSA's profile variant with ride
   counts): per trip and per stop, for k = 0..J-1, the earliest target arrival with at most
   k + 1 rides from there; arrivals above the caps of step 1 (or equal to them, when E is
   after the window: a journey leaving later that arrives as early with no more rides
   dominates), or above those of journeys already found leaving a source no earlier, are
   dropped. Boarding at an origin stop within the window makes a candidate; ``pareto``
   keeps the Pareto ones and ``replay`` replays their rides on the final stop profiles
   (each lookup reads what the pass read there).

Needs no trip rule that governs changes (K = 1; in-seat continuations are fine), no change in
no time after a zero-duration connection and at most ``W`` rides (``applies``).
``api.profile`` uses it on compiled views of all but tiny timetables (``usable``); the forward
profile serves the rest. The kernels are in the subset of Python numba compiles: compiled on
the numba backend, interpreted (on lists) should numba fail, with the same answers.
"""

from __future__ import annotations

import sys
import threading

import numpy as np

from ..timetable.model import Timetable
from . import backend, bounds
from .csa import IN_SEAT, INF
from .journey import Journey, make_journey, make_legs
from .views import View, csr_reverse, distinct, trip_hops

#: wraps an array index known not to be negative in ``forward`` and ``backward``: the compiled
#: copies make it np.uint32, so that numba drops its negative-index wraparound (a sign test and
#: a load of the array's length at every access; 2-4% of a profile on hart)
U = int
#: ride counts a label holds (one vector slot per count; 8 int32 = 32 bytes)
W = 8
#: the ride counts of the compiled copy for queries of at most that many rides (the default
#: of 5 transfers): the backward pass's vectors do a quarter less work
NARROW = 6

_compiled: dict = {}


#: below this many connections a profile stays with the forward kernel's run per departure,
#: which then costs next to nothing (and the interpreter runs it faster than these passes)
MIN_CONNECTIONS = 1000


def usable(v: View, R: int) -> bool:
    """Whether ``api.profile`` should use this module on view ``v`` with ``R - 1`` rides at most:
    where it ``applies``, on a compiled view of at least ``MIN_CONNECTIONS`` connections
    (interpreted, the passes' vector work costs more than the forward runs they save)."""
    return v.backend == "numba" and v.n_connections >= MIN_CONNECTIONS and applies(v, R)


def applies(v: View, R: int) -> bool:
    """Whether this module answers such a profile exactly: no trip rule governs changes (K = 1),
    every in-seat continuation boards a connection scanned after the one it continues, no
    change happens in no time after a zero-duration connection (a change then always leaves
    later than the ride it follows, so the stop profile it reads is complete), at most ``W``
    rides."""
    if not 1 <= R - 1 <= W:
        return False
    ok = v._stop_index.get("backward applies")
    if ok is None:
        changes = np.asarray(v.stop_change)
        instant = (changes == 0).any() or (np.asarray(v.fp_dur) == 0).any()
        ok = v._stop_index["backward applies"] = bool(
            v.K == 1 and (np.asarray(v.fi_board) > np.asarray(v.fi_conn)).all()
            and not (instant and (v.np_dep == v.np_arr).any()))
    return ok


def forward(c_from, c_to, c_dep, c_arr, c_trip, fi_conn, fi_board, fi_trip, fi_to, stop_change, fp_start, fp_to,
            fp_dur, n, c_lo, start, E, src_last, lb, J, o_off, t_off, rt, rdy_s, t_min, rdy_e, rides, best, reach):
    """Step 1 of the module docstring, from connection ``c_lo`` (the first leaving at ``start``
    or later). Labels, set here: ``rdy_s[u]``, the earliest ready at u after a ride; ``t_min[T]``;
    ``rdy_e[u * W + j]``, the earliest ready at u after at most j rides leaving at E or later;
    ``rides[T]``, the fewest rides of being on T (from E) at the current hop; ``best[j]`` (j =
    0..J + 1). Origins (``o_off``: the walk from a source) need no labels: a first ride may leave
    an origin stop u at d when the walk fits (start or E + o_off[u] <= d) and d - o_off[u] <=
    ``src_last``. ``rt[T]``: a lower bound on the rides of any journey riding T (J + 1: none),
    so a connection leaving after ``best[rt[T]]`` is dominated wherever it leads.
    Returns (connections listed in ``reach``, the connection the pass stopped at)."""
    for u in range(n):
        rdy_s[U(u)] = INF
    for u in range(n * W):
        rdy_e[U(u)] = INF
    for T in range(len(t_min)):
        t_min[U(T)] = INF
        rides[U(T)] = J + 1
    for j in range(J + 1):
        best[U(j)] = INF
    best[J + 1] = -INF              # (rt[T] = J + 1: riding T leads nowhere)
    n_fi = len(fi_conn)
    nc = len(c_dep)
    nr = 0
    stop = INF
    c = max(c_lo, 0) - 1
    while True:
        c += 1
        # the hops no journey of the window can be on (most of them) change nothing: a loop of
        # its own over them, whose few values stay in registers
        while c < nc:
            d = c_dep[U(c)]
            T = c_trip[U(c)]
            if d > stop or t_min[U(T)] <= c:
                break
            s = c_from[U(c)]
            if s >= 0 and (rdy_s[U(s)] <= d or o_off[U(s)] < INF):
                break
            c += 1
        if c >= nc:
            return nr, nc
        d = c_dep[U(c)]
        if d > stop:
            return nr, c
        T = c_trip[U(c)]
        if d > best[U(rt[U(T)])]:
            continue
        s = c_from[U(c)]
        if t_min[U(T)] > c:
            if s < 0:
                continue
            if rdy_s[U(s)] > d and not (o_off[U(s)] < INF and start + o_off[U(s)] <= d and d - o_off[U(s)] <= src_last):
                continue
            t_min[U(T)] = c
        reach[U(nr)] = c
        nr += 1
        r = rides[U(T)]
        if d >= E and s >= 0 and r > 1:
            if o_off[U(s)] < INF and E + o_off[U(s)] <= d and d - o_off[U(s)] <= src_last:
                r = 1
            elif r > 2 and rdy_e[U(s * W + J - 1)] <= d:
                j = 1
                while rdy_e[U(s * W + j)] > d:
                    j += 1
                if j + 1 < r:
                    r = j + 1
            rides[U(T)] = r
        v = c_to[U(c)]
        if v < -n:                      # in-seat continuations: the same ride goes on
            f = ~v - n
            v = fi_to[U(f)]
            while f < n_fi and fi_conn[U(f)] == c:
                b = fi_trip[U(f)]
                if fi_board[U(f)] < t_min[U(b)]:
                    t_min[U(b)] = fi_board[U(f)]
                if r < rides[U(b)]:
                    rides[U(b)] = r
                f += 1
        if v < 0:
            continue                    # no drop-off
        a = c_arr[U(c)]
        ch = stop_change[U(v)]
        if ch >= 0 and a + ch < rdy_s[U(v)]:
            rdy_s[U(v)] = a + ch
        for f in range(fp_start[U(v)], fp_start[U(v + 1)]):
            u = fp_to[U(f)]
            if a + fp_dur[U(f)] < rdy_s[U(u)]:
                rdy_s[U(u)] = a + fp_dur[U(f)]
        if r > J:
            continue                    # not on T from E with at most J rides
        if t_off[U(v)] < INF:
            x = a + t_off[U(v)]
            for j in range(r, J + 1):
                if x >= best[U(j)]:
                    break
                best[U(j)] = x
            if best[U(lb)] < stop:
                stop = best[U(lb)]
        if r < J:
            if ch >= 0:
                w = a + ch
                for j in range(r, J):
                    if w >= rdy_e[U(v * W + j)] or w >= best[U(j)]:
                        break
                    rdy_e[U(v * W + j)] = w
            for f in range(fp_start[U(v)], fp_start[U(v + 1)]):
                u = fp_to[U(f)]
                w = a + fp_dur[U(f)]
                for j in range(r, J):
                    if w >= rdy_e[U(u * W + j)] or w >= best[U(j)]:
                        break
                    rdy_e[U(u * W + j)] = w


def _entry(head, e_dep, e_prev, u, w):
    """The entry of stop u's profile for being ready there at w (the latest appended that
    leaves at w or later), or -1."""
    i = head[u]
    while i >= 0 and e_dep[i] < w:
        i = e_prev[i]
    return i


def _change(v, a, f, fp_start, fp_to, fp_dur, stop_change):
    """Option f (from fp_start[v] - 1) after arriving at v at a: (stop, ready time) of
    changing at v (the first option; stop -1 where changing is forbidden) or of footpath f."""
    if f < fp_start[v]:
        return (v if stop_change[v] >= 0 else -1), a + stop_change[v]
    return fp_to[f], a + fp_dur[f]


def backward(c_from, c_to, c_dep, c_arr, c_trip, fi_conn, fi_trip, fi_to, stop_change, fp_start, fp_to, fp_dur,
             rfp_start, rfp_from, rfp_dur, n, reach, nr, lb, start, end, sharp, o_off, t_off, rdy_s, best, J, tr, alive,
             head, ready, e_dep, e_arr, e_prev, e_conn, o_leave, o_conn, o_arr):
    """Step 2 of the module docstring over ``reach[:nr]``, latest first.

    Per trip, ``tr[T * W + k]``: the earliest target arrival riding T on from
    the hop after the current one with at most k + 1 rides; ``alive[T]``: whether any.
    Per stop, its profile: entries ``e_*`` appended latest departure first, each the
    componentwise best of boarding there at or after its departure, linked through ``e_prev``
    from ``head[s]`` (-1: none), so leaving s at t or later gets the latest appended entry with
    ``e_dep`` >= t. ``ready[s]``: the latest one may arrive at s by a ride and still use its
    profile or one a footpath away (``rfp_*``: footpaths reversed). (All set here.)
    ``cap[k]``: the caps of ``forward``'s ``best`` (``_cap``), less ``sharp`` (1 when ``best``
    belongs to journeys leaving after the window, E > ``end``: an arrival equal to it is then
    dominated too; dropped here rather than by ``pareto``, such a tie, say a journey of the
    window catching the same last bus as the one leaving at E, is not carried through the
    pass: a sixth of a profile's time on hart, by ``scripts/bench_router.py``); a candidate
    leaving a source itself caps as well (dominating every journey still to come, which leaves
    no later). ``rdy_s``: ``forward``'s ready times (no entry is needed before a journey of the
    window can be at the stop). Candidates (leave time in [``start``, ``end``], boarding,
    arrivals) go to ``o_*``: the journeys leaving after the window need none, ``best``
    standing for them.

    Vectors are tuples of 8 (kept in registers when compiled), of which the first W count: the
    compiled copy for at most ``NARROW`` rides has W = ``NARROW`` (``_kernels``), its last
    slots then INF constants that the compiler drops. Returns (entries, candidates)."""
    for T in range(len(alive)):
        alive[U(T)] = False
    for i in range(len(alive) * W):
        tr[U(i)] = INF
    for u in range(n):
        head[U(u)] = -1
        ready[U(u)] = INF if t_off[U(u)] < INF else -INF
    n_fi = len(fi_conn)
    n_e = 0
    n_o = 0
    I = INF
    cap = (_cap(best, lb, J, 0) - sharp, _cap(best, lb, J, 1) - sharp, _cap(best, lb, J, 2) - sharp,
           _cap(best, lb, J, 3) - sharp, _cap(best, lb, J, 4) - sharp, _cap(best, lb, J, 5) - sharp,
           _cap(best, lb, J, 6) - sharp, _cap(best, lb, J, 7) - sharp)
    cp = cap
    dv = (I, I, I, I, I, I, I, I)   # per k the best arrival of a source candidate, <= k + 1 rides
    q = lb - 1
    ri = nr
    while True:
        ri -= 1
        # the hops after which nothing is known (most of them): a loop of their own
        while ri >= 0:
            c = reach[U(ri)]
            T = c_trip[U(c)]
            if alive[U(T)]:
                break
            v = c_to[U(c)]
            if v < -n or (v >= 0 and c_arr[U(c)] <= ready[U(v)]):
                break
            ri -= 1
        if ri < 0:
            return n_e, n_o
        c = reach[U(ri)]
        T = c_trip[U(c)]
        v = c_to[U(c)]
        a = c_arr[U(c)]
        fire = -1
        if v < -n:
            fire = ~v - n
            v = fi_to[U(fire)]
        at_v = v >= 0 and a <= ready[U(v)]
        if not alive[U(T)] and not at_v:
            if fire < 0:
                continue                # O(1): nothing known after this connection
            use = False
            f = fire
            while f < n_fi and fi_conn[U(f)] == c:
                if alive[fi_trip[U(f)]]:
                    use = True
                f += 1
            if not use:
                continue
        b = T * W
        t = (tr[U(b)], tr[U(b + 1)], tr[U(b + 2)], tr[U(b + 3)], tr[U(b + 4)], tr[U(b + 5)], tr[U(b + 6)] if W > 6 else I,
             tr[U(b + 7)] if W > 6 else I)
        if fire >= 0:                   # going on in seat as another trip: the same ride
            f = fire
            while f < n_fi and fi_conn[U(f)] == c:
                o = fi_trip[U(f)] * W
                t = (min(t[0], tr[U(o)]), min(t[1], tr[U(o + 1)]), min(t[2], tr[U(o + 2)]), min(t[3], tr[U(o + 3)]),
                     min(t[4], tr[U(o + 4)]), min(t[5], tr[U(o + 5)]), min(t[6], tr[U(o + 6)]) if W > 6 else I,
                     min(t[7], tr[U(o + 7)]) if W > 6 else I)
                f += 1
        if at_v:
            if t_off[U(v)] < INF:          # alight (and walk) to a target
                x = a + t_off[U(v)]
                t = (min(t[0], x), min(t[1], x), min(t[2], x), min(t[3], x), min(t[4], x), min(t[5], x),
                     min(t[6], x) if W > 6 else I, min(t[7], x) if W > 6 else I)
            for f in range(fp_start[v] - 1, fp_start[v + 1]):      # change at v, or walk first
                u, w = _change(v, a, f, fp_start, fp_to, fp_dur, stop_change)
                i = _entry(head, e_dep, e_prev, u, w) if u >= 0 else -1
                if i >= 0:              # one ride more than the profile's
                    o = i * W
                    t = (t[0], min(t[1], e_arr[U(o)]), min(t[2], e_arr[U(o + 1)]), min(t[3], e_arr[U(o + 2)]),
                         min(t[4], e_arr[U(o + 3)]), min(t[5], e_arr[U(o + 4)]), min(t[6], e_arr[U(o + 5)]) if W > 6 else I,
                         min(t[7], e_arr[U(o + 6)]) if W > 6 else I)
        t = (t[0] if t[0] <= cp[0] else I, t[1] if t[1] <= cp[1] else I, t[2] if t[2] <= cp[2] else I,
             t[3] if t[3] <= cp[3] else I, t[4] if t[4] <= cp[4] else I, t[5] if t[5] <= cp[5] else I,
             t[6] if t[6] <= cp[6] else I, t[7] if t[7] <= cp[7] else I)
        tr[U(b)] = t[0]
        tr[U(b + 1)] = t[1]
        tr[U(b + 2)] = t[2]
        tr[U(b + 3)] = t[3]
        tr[U(b + 4)] = t[4]
        tr[U(b + 5)] = t[5]
        if W > 6:
            tr[U(b + 6)] = t[6]
            tr[U(b + 7)] = t[7]
        if min(min(min(t[0], t[1]), min(t[2], t[3])), min(min(t[4], t[5]), min(t[6], t[7]))) >= I:
            continue
        alive[U(T)] = True
        s = c_from[U(c)]
        if s < 0:
            continue                    # no pickup
        d = c_dep[U(c)]
        if o_off[U(s)] < INF and start <= d - o_off[U(s)] <= end:
            o_leave[U(n_o)] = d - o_off[U(s)]
            o_conn[U(n_o)] = c
            o = n_o * W
            for k in range(W):
                o_arr[U(o + k)] = t[k]
            n_o += 1
            if o_off[U(s)] == 0:
                # it leaves no earlier than any journey still to come: one with at least
                # max(k + 1, lb) rides arriving later than it with as many is dominated
                m1 = min(dv[0], t[0])
                m2 = min(dv[1], min(m1, t[1]))
                m3 = min(dv[2], min(m2, t[2]))
                m4 = min(dv[3], min(m3, t[3]))
                m5 = min(dv[4], min(m4, t[4]))
                m6 = min(dv[5], min(m5, t[5]))
                m7 = min(dv[6], min(m6, t[6]))
                dv = (m1, m2, m3, m4, m5, m6, m7, min(dv[7], min(m7, t[7])))
                cp = (min(cap[0], dv[max(0, q)]), min(cap[1], dv[max(1, q)]), min(cap[2], dv[max(2, q)]),
                      min(cap[3], dv[max(3, q)]), min(cap[4], dv[max(4, q)]), min(cap[5], dv[max(5, q)]),
                      min(cap[6], dv[max(6, q)]), min(cap[7], dv[7]))
        if rdy_s[U(s)] > d:
            continue                    # no journey of the window is at s by then
        h = head[U(s)]
        o = n_e * W
        if h >= 0:
            g = h * W
            if not ((t[0] < e_arr[U(g)]) | (t[1] < e_arr[U(g + 1)]) | (t[2] < e_arr[U(g + 2)]) | (t[3] < e_arr[U(g + 3)])
                    | (t[4] < e_arr[U(g + 4)]) | (t[5] < e_arr[U(g + 5)])
                    | (W > 6 and ((t[6] < e_arr[U(g + 6)]) | (t[7] < e_arr[U(g + 7)])))):
                continue                # a later boarding here is as good
            for k in range(W):
                e_arr[U(o + k)] = min(t[k], e_arr[U(g + k)])
        else:
            for k in range(W):
                e_arr[U(o + k)] = t[k]
            if stop_change[U(s)] >= 0 and d - stop_change[U(s)] > ready[U(s)]:
                ready[U(s)] = d - stop_change[U(s)]
            for f in range(rfp_start[U(s)], rfp_start[U(s + 1)]):     # footpaths u -> s
                u = rfp_from[U(f)]
                if d - rfp_dur[U(f)] > ready[U(u)]:
                    ready[U(u)] = d - rfp_dur[U(f)]
        e_dep[U(n_e)] = d
        e_prev[U(n_e)] = h
        e_conn[U(n_e)] = c
        head[U(s)] = n_e
        n_e += 1


def _cap(best, lb, J, k):
    """The cap of a part with k + 1 rides (``backward``): it belongs to a journey with
    max(k + 1, lb) rides or more, dominated when it arrives later than ``best`` of that many
    rides from E (or as early, E being after the window: ``backward``'s ``sharp``); -1 (nothing) past J
    rides."""
    return best[max(k + 1, lb)] if k < J else -1


def _mark(lab, k, x, out, n):
    """Label x with k when that improves it, listing it in ``out`` (n listed so far)."""
    if lab[x] > k:
        lab[x] = k
        out[n] = x
        return n + 1
    return n


def ride_bounds(o_stops, t_stops, J, sb_start, sb_route, sa_start, sa_route, g_start, g_to, gr_start, gr_from,
                sf_start, sf_to, sr_start, sr_from, trip_route, pmin, qmin, q, rt):
    """Per route the fewest rides of being on it from an origin stop (``pmin``) and from being
    on it to a target stop (``qmin``), by rounds over the route graph ignoring time and the
    order of stops (as ``bounds.fewest_rides``): boarding at the origin stops ``o_stops``
    (``sb_*``: the routes boarding at each stop), then from a route to those boarding where it
    alights or a footpath on (``g_*``), a ride going on in seat into another route (``sf_*``)
    being the same ride; ``qmin`` the same backward from the routes alighting at the target
    stops (``sa_*``, ``gr_*``, ``sr_*``: the reversed graphs). INF past J rides. ``q``: one slot
    per route. Sets ``rt[T]``, per trip a lower bound on the rides of any journey riding it
    (J + 1: more than J), from its route's (``trip_route``). Returns the fewest rides of any
    journey (J + 1 when more than J)."""
    for side in range(2):
        lab, ends = (pmin, o_stops) if side == 0 else (qmin, t_stops)
        on_start, on = (sb_start, sb_route) if side == 0 else (sa_start, sa_route)
        nxt_start, nxt = (g_start, g_to) if side == 0 else (gr_start, gr_from)
        seat_start, seat = (sf_start, sf_to) if side == 0 else (sr_start, sr_from)
        for r in range(len(lab)):
            lab[r] = INF
        n_q = 0
        for i in range(len(ends)):
            u = ends[i]
            for p in range(on_start[u], on_start[u + 1]):
                n_q = _mark(lab, 1, on[p], q, n_q)
        lo = 0
        for k in range(1, J + 1):
            i = lo              # q[lo:]: the routes of k rides, closed under going on in seat
            while i < n_q:
                for p in range(seat_start[q[i]], seat_start[q[i] + 1]):
                    n_q = _mark(lab, k, seat[p], q, n_q)
                i += 1
            hi = n_q
            if k == J:
                break
            for i in range(lo, hi):
                for p in range(nxt_start[q[i]], nxt_start[q[i] + 1]):
                    n_q = _mark(lab, k + 1, nxt[p], q, n_q)
            if n_q == hi:
                break
            lo = hi
    best = J + 1
    for i in range(len(t_stops)):
        u = t_stops[i]
        for p in range(sa_start[u], sa_start[u + 1]):
            if pmin[sa_route[p]] < best:
                best = pmin[sa_route[p]]
    for T in range(len(rt)):
        r = trip_route[T]
        rt[T] = min(pmin[r] + qmin[r] - 1, J + 1)
    return best


def passes(J, c_lo, start, E, end, src_last, src, tg, o_off, t_off, ends, route_tabs, rides, tabs, fwd, bwd, scratch,
           out, replay_tabs, rec):
    """The walks from the sources ``src`` and to the targets ``tg`` (``o_off``, ``t_off``, as
    ``bounds.origin_offsets`` and ``target_offsets``), then ``ride_bounds``, ``forward``,
    ``backward``, ``pareto`` and ``replay``, in one call (one dispatch, no Python between them).
    ``route_tabs``, ``tabs``, ``replay_tabs``: their timetable tables (``_route_tables``,
    ``_columns``, ``_replay_tables``); ``rides``, ``fwd``, ``bwd``, ``scratch``, ``rec``: their
    work arrays (``_Space``); ``ends``: 2 n slots.
    Returns (rows of ``out`` written, by departure then rides: 0 when no journey, -m when
    ``out`` is too short for m rows, the candidates then in ``bwd``; ``replay``'s answer on
    them, -2 when ``rec`` is too short)."""
    (c_from, c_to, c_dep, c_arr, c_trip, fi_conn, fi_board, fi_trip, fi_to, stop_change, fp_start, fp_to, fp_dur,
     rfp_start, rfp_from, rfp_dur) = tabs
    rdy_s, t_min, rdy_e, rides_e, best, reach = fwd
    tr, alive, head, ready, e_dep, e_arr, e_prev, e_conn, o_leave, o_conn, o_arr = bwd
    n = len(o_off)
    for u in range(n):
        o_off[u] = INF
        t_off[u] = INF
    for i in range(len(src)):
        s = src[i]
        for f in range(fp_start[s], fp_start[s + 1]):
            if fp_dur[f] < o_off[fp_to[f]]:
                o_off[fp_to[f]] = fp_dur[f]
    for i in range(len(tg)):
        t = tg[i]
        for f in range(rfp_start[t], rfp_start[t + 1]):     # footpaths u -> t
            if rfp_dur[f] < t_off[rfp_from[f]]:
                t_off[rfp_from[f]] = rfp_dur[f]
    for i in range(len(src)):
        o_off[src[i]] = 0
    for i in range(len(tg)):
        t_off[tg[i]] = 0
    m = 0
    for u in range(n):
        if o_off[u] < INF:
            ends[m] = u
            m += 1
    k = m
    for u in range(n):
        if t_off[u] < INF:
            ends[k] = u
            k += 1
    (sb_start, sb_route, sa_start, sa_route, g_start, g_to, gr_start, gr_from, sf_start, sf_to, sr_start, sr_from,
     trip_route) = route_tabs
    pmin, qmin, q, rt = rides
    lb = ride_bounds(ends[:m], ends[m:k], J, sb_start, sb_route, sa_start, sa_route, g_start, g_to, gr_start,
                     gr_from, sf_start, sf_to, sr_start, sr_from, trip_route, pmin, qmin, q, rt)
    if lb > J:
        return 0, 0
    nr, _ = forward(c_from, c_to, c_dep, c_arr, c_trip, fi_conn, fi_board, fi_trip, fi_to, stop_change, fp_start,
                    fp_to, fp_dur, n, c_lo, start, E, src_last, lb, J, o_off, t_off, rt, rdy_s, t_min, rdy_e, rides_e,
                    best, reach)
    sharp = 1 if E > end else 0         # (``backward``'s caps: of journeys leaving after the window)
    n_e, n_o = backward(c_from, c_to, c_dep, c_arr, c_trip, fi_conn, fi_trip, fi_to, stop_change, fp_start, fp_to,
                        fp_dur, rfp_start, rfp_from, rfp_dur, n, reach, nr, lb, start, end, sharp, o_off, t_off, rdy_s,
                        best, J, tr, alive, head, ready, e_dep, e_arr, e_prev, e_conn, o_leave, o_conn, o_arr)
    if n_o == 0:
        return 0, 0
    if n_o * J > len(out):
        return -n_o * J, 0
    vec, pick, p_best = scratch
    n_out = pareto(o_leave, o_arr, o_conn, n_o, J, vec, pick, p_best, out)
    if n_out == 0:
        return 0, 0
    rec_b, rec_e, rec_p, rec_end, last, legs, leg_end = rec
    if len(rec_end) < n_out:
        return n_out, -2
    (r_trip, r_to, r_arr, r_alight, r_fire, hops, t_start, place, r_fi_conn, r_fi_board, r_fi_trip, r_change,
     r_fp_start, r_fp_to, r_fp_dur, r_from, r_dep, station) = replay_tabs
    return n_out, replay(out, n_out, src, tg, o_off, t_off, r_trip, r_to, r_arr, r_alight, r_fire, hops, t_start, place,
                         r_fi_conn, r_fi_board, r_fi_trip, r_change, r_fp_start, r_fp_to, r_fp_dur, r_from, r_dep,
                         station, head, e_dep, e_arr, e_prev, e_conn, tr, rec_b, rec_e, rec_p, rec_end, last, legs,
                         leg_end)


def _ranges(start: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For CSR ``start`` and each of ``keys``: (the key's position, repeated per entry; the
    entries' indices), all entries of all keys in one vectorised step."""
    cnt = start[keys + 1] - start[keys]
    pos = np.repeat(np.arange(keys.size), cnt)
    first = np.repeat(start[keys] - (np.cumsum(cnt) - cnt), cnt)
    return pos, first + np.arange(pos.size)


def _route_tables(tt: Timetable, v: View) -> dict:
    """The route graph of ``ride_bounds`` as CSR arrays, per view."""
    got = v._stop_index.get("backward routes")
    if got is None:
        b_route, b_stop, a_route, a_stop, _, (seat_a, seat_b) = bounds._route_stops(tt, v)
        nr, n = max(len(tt.route_ids), 1), v.n

        def csr(key, val, size):
            order = np.argsort(key, kind="stable")
            start = np.zeros(size + 1, dtype=np.int64)
            np.cumsum(np.bincount(key, minlength=size), out=start[1:])
            return start, np.asarray(val, dtype=np.int64)[order]

        c = _columns(tt, v, False)
        sb_start, sb_route = csr(b_stop, b_route, n)
        # route r -> route r2: r alights at x, r2 boards at x or one footpath on
        fp_start, fp_to = np.asarray(c["fp_start"], dtype=np.int64), np.asarray(c["fp_to"], dtype=np.int64)
        pos, f = _ranges(fp_start, a_stop)
        r_from, at = np.r_[a_route, a_route[pos]], np.r_[a_stop, fp_to[f]]
        pos, p = _ranges(sb_start, at)
        key = distinct(r_from[pos] * nr + sb_route[p])
        g_from, g_to = key // nr, key % nr
        got = dict(sb_start=sb_start, sb_route=sb_route)
        got.update(zip(("sa_start", "sa_route"), csr(a_stop, a_route, n)))
        got.update(zip(("g_start", "g_to"), csr(g_from, g_to, nr)))
        got.update(zip(("gr_start", "gr_from"), csr(g_to, g_from, nr)))
        got.update(zip(("sf_start", "sf_to"), csr(seat_a, seat_b, nr)))
        got.update(zip(("sr_start", "sr_from"), csr(seat_b, seat_a, nr)))
        got["trip_route"] = tt.trip_route
        got = {k: np.asarray(x, dtype=np.int64) for k, x in got.items()}
        names = ("sb_start", "sb_route", "sa_start", "sa_route", "g_start", "g_to", "gr_start", "gr_from",
                 "sf_start", "sf_to", "sr_start", "sr_from", "trip_route")
        got["args"] = tuple(got[k] for k in names)          # ``ride_bounds``'s tables, in order
        got["lists args"] = tuple(got[k].tolist() for k in names)     # (for the interpreter)
        v._stop_index["backward routes"] = got
    return got


def _ride_bounds(tt: Timetable, v: View, o_off: np.ndarray, t_off: np.ndarray, J: int) -> tuple[np.ndarray, int]:
    """``ride_bounds`` on its own, compiled where the view is (``passes`` runs it in the
    query): (per trip a lower bound on the rides of any journey riding it, J + 1 when more
    than J; the fewest rides of any journey)."""
    g = _route_tables(tt, v)
    nr = len(g["g_start"]) - 1
    work = [np.empty(nr, np.int64), np.empty(nr, np.int64), np.empty(nr, np.int64), np.empty(v.nt, np.int32)]
    lb = _kernels(v.backend)[4](np.flatnonzero(o_off < INF), np.flatnonzero(t_off < INF), J, *g["args"], *work)
    return work[-1], int(lb)


_KERNELS = ("forward", "backward", "pareto", "replay", "ride_bounds", "passes")
_HELPERS = ("_entry", "_change", "_mark", "_cap", "_reverse", "_legs", "_member", "_leg", "_move")


def _kernels(which: str, J: int = W):
    """The functions of ``_KERNELS`` for queries of at most J rides, compiled for the numba
    backend: a compiled copy of this module (``backend.jit_module``, so that their helpers are
    compiled too) with W = ``NARROW`` when J <= ``NARROW``, else W = ``W``."""
    if which == "numba":
        width = NARROW if J <= NARROW else W
        got = _compiled.get(width)
        if got is None:
            mod = backend.jit_module(sys.modules[__name__], _KERNELS + _HELPERS,
                                     {"W": width, "U": np.uint32}, "" if width == W else f"_w{width}")
            got = _compiled[width] = tuple(getattr(mod, f) for f in _KERNELS) if mod is not None else None
        if got is not None:
            return got
    return forward, backward, pareto, replay, ride_bounds, passes


def _columns(tt: Timetable, v: View, py: bool) -> dict:
    """The timetable arrays both kernels read, per view (lists for the interpreter), and the
    footpaths reversed."""
    key = "backward lists" if py else "backward arrays"
    got = v._stop_index.get(key)
    if got is None:
        i32 = np.int32
        fp_start = np.asarray(tt.fp_start, dtype=np.int64)
        fp_to, fp_dur = np.asarray(tt.fp_to, dtype=np.int64), np.asarray(tt.fp_dur, dtype=np.int64)
        r_start, r_from, r_dur = csr_reverse(v.n, fp_start, fp_to, fp_dur)
        got = dict(c_from=v.k_from, c_to=v.k_to, c_dep=v.np_dep, c_arr=v.np_arr, c_trip=v.k_trip,
                   fi_conn=np.asarray(v.fi_conn, dtype=i32), fi_board=np.asarray(v.fi_board, dtype=i32),
                   fi_trip=np.asarray(v.fi_trip, dtype=i32), fi_to=np.asarray(v.fi_to, dtype=i32),
                   stop_change=np.asarray(v.stop_change, dtype=i32), fp_start=fp_start.astype(i32),
                   fp_to=fp_to.astype(i32), fp_dur=fp_dur.astype(i32), rfp_start=r_start.astype(i32),
                   rfp_from=r_from.astype(i32), rfp_dur=r_dur.astype(i32))
        if py:
            got = {k: x.tolist() for k, x in got.items()}
        got["passes"] = tuple(got[k] for k in ("c_from", "c_to", "c_dep", "c_arr", "c_trip", "fi_conn", "fi_board",
                                               "fi_trip", "fi_to", "stop_change", "fp_start", "fp_to", "fp_dur",
                                               "rfp_start", "rfp_from", "rfp_dur"))
        v._stop_index[key] = got
    return got


def _replay_tables(tt: Timetable, v: View, py: bool) -> tuple:
    """``replay``'s timetable arguments after ``t_off``, per view."""
    key = "backward replay lists" if py else "backward replay"
    got = v._stop_index.get(key)
    if got is None:
        c = _columns(tt, v, py)
        tabs = [v.np_trip, v.np_to, v.np_arr, v.np_alight, v.np_fire, *_trip_hops(v)]
        ends = [v.np_from, v.np_dep, np.asarray(tt.stop_station)]     # (for the legs)
        got = v._stop_index[key] = (*(x.tolist() if py else x for x in tabs),
                                    *(c[k] for k in ("fi_conn", "fi_board", "fi_trip", "stop_change", "fp_start",
                                                     "fp_to", "fp_dur")),
                                    *(x.tolist() if py else x for x in ends))
    return got


def _trip_hops(v: View) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each trip's connections in ride order (``hops[start[T]:start[T + 1]]``) and each
    connection's place there; built once per view."""
    got = v._stop_index.get("trip hops")
    if got is None:
        hops, start = trip_hops(v.np_trip, np.bincount(v.np_trip, minlength=v.nt).astype(np.int64), v.nt)
        place = np.empty(hops.size, dtype=np.int64)
        place[hops] = np.arange(hops.size)
        got = v._stop_index["trip hops"] = (hops, start, place)
    return got


class _Space:
    """The kernels' arrays for one view, allocated once (sized for the whole timetable) and
    reset per query: allocating this much afresh costs more than the passes (page faults)."""

    def __init__(self, v: View, n_routes: int):
        i32, i64, n, nt, nc = np.int32, np.int64, v.n, v.nt, max(v.n_connections, 1)
        self.fwd = (np.empty(n, i32), np.empty(nt, i32), np.empty(n * W, i32), np.empty(nt, i32),
                    np.empty(W + 2, i64), np.empty(nc, i32))         # rdy_s, t_min, rdy_e, rides, best, reach
        self.bwd = (np.empty(nt * W, i32), np.empty(nt, np.bool_), np.empty(n, i32), np.empty(n, i32),  # tr, alive,
                    np.empty(nc, i32), np.empty(nc * W, i32), np.empty(nc, i32), np.empty(nc, i32),  # head, ready,
                    np.empty(nc, i64), np.empty(nc, i32), np.empty(nc * W, i32))     # entries e_*, candidates o_*
        self.rides = (np.empty(n_routes, i64), np.empty(n_routes, i64), np.empty(n_routes, i64), np.empty(nt, i32))
        self.ends = np.empty(2 * n, i64)        # origin and target stops
        self.offsets = (np.empty(n, i64), np.empty(n, i64))                # o_off, t_off
        self.out = np.empty((64, 4), i64)                                  # ``pareto``'s rows
        self.scratch = (np.empty(W, i64), np.empty(W, i64), np.empty(W, i64))
        self.rec = _rec_space(512, 64)                                     # ``replay``'s

    @staticmethod
    def of(tt: Timetable, v: View) -> _Space:
        """This thread's space for view ``v`` of ``tt``."""
        key = ("backward space", threading.get_ident())
        got = v._stop_index.get(key)
        if got is None:
            got = v._stop_index[key] = _Space(v, max(len(tt.route_ids), 1))
        return got


def profile(tt: Timetable, v: View, src: np.ndarray, tg: np.ndarray, window: list[int], seed: int | None,
            start: int, end: int, R: int, later_compete: bool) -> list[Journey] | None:
    """``api.profile``'s answer: the Pareto journeys leaving in [start, end], by departure then
    transfers. ``window``: the departures in the window (any order, at least one); ``seed``:
    the first one after it, or None. None when numba failed (``api.profile`` then runs the
    forward profile, interpreted)."""
    try:
        return _profile(tt, v, src, tg, window, seed, start, end, R, later_compete)
    except Exception as e:
        backend.numba_broken(e, v.backend == "numba")
        return None


def _profile(tt: Timetable, v: View, src: np.ndarray, tg: np.ndarray, window: list[int], seed: int | None,
             start: int, end: int, R: int, later_compete: bool) -> list[Journey]:
    """``profile`` itself."""
    J = R - 1
    E = seed if later_compete and seed is not None else max(window)
    src_last = INF if later_compete else int(end)
    py = v.backend == "python"
    g, c = _route_tables(tt, v), _columns(tt, v, py)
    ks = _kernels(v.backend, J)
    pk, rk, run = ks[2], ks[3], ks[5]
    # (a 0-d array of the column's dtype: no int64 copy of the column, no np.searchsorted wrapper)
    c_lo = int(v.np_dep.searchsorted(np.array(max(min(start, INF), -INF), dtype=v.np_dep.dtype)))
    sp = _Space.of(tt, v)
    rtabs = _replay_tables(tt, v, py)
    if py:
        fwd, bwd = [x.tolist() for x in sp.fwd], [x.tolist() for x in sp.bwd]
        bwd[8] = sp.bwd[8]      # (``pareto`` sorts the leave times: an array)
        rec = _lists(sp.rec)
        o_off, t_off = [0] * v.n, [0] * v.n
        args = (src.tolist(), tg.tolist(), o_off, t_off, [0] * (2 * v.n), g["lists args"],
                [x.tolist() for x in sp.rides], c["passes"], fwd, bwd)
    else:
        fwd, bwd, rec, (o_off, t_off) = sp.fwd, sp.bwd, sp.rec, sp.offsets
        args = (src, tg, o_off, t_off, sp.ends, g["args"], sp.rides, c["passes"], fwd, bwd)
    n_out, n_rec = run(J, c_lo, int(start), int(E), int(end), src_last, *args, sp.scratch, sp.out, rtabs, rec)
    if n_out < 0:               # more candidates than ``out`` has room for: again, with room
        sp.out = np.empty((-2 * n_out, 4), dtype=np.int64)
        n_out = pk(bwd[8], bwd[10], bwd[9], -n_out // J, J, *sp.scratch, sp.out)
        n_rec = -2
    if n_out == 0:
        return []
    kept = (bwd[2], *bwd[4:8], bwd[0])      # head, e_dep, e_arr, e_prev, e_conn, tr
    while n_rec == -2:          # more records than ``rec`` has room for: the replay again, with room
        sp.rec = _rec_space(max(16 * n_out, 4 * len(sp.rec[0])), max(n_out, len(sp.rec[3])))
        rec = _lists(sp.rec) if py else sp.rec
        n_rec = rk(sp.out, n_out, *args[:4], *rtabs, *kept, *rec)
    if n_rec < 0:
        raise AssertionError("router: lost a journey of the backward profile")
    return _journeys(rec, n_out)


def _rec_space(rides: int, journeys: int) -> tuple[np.ndarray, ...]:
    """``replay``'s output arrays for that many rides and journeys: records (``rec_b``, ``rec_e``,
    ``rec_p``), per journey ``rec_end`` and ``last``, the leg columns (``legs``, room for every
    journey's legs: two per ride and a final walk) and ``leg_end``."""
    i64 = np.int64
    return (np.empty(rides, i64), np.empty(rides, i64), np.empty(rides, i64), np.empty(journeys, i64),
            np.empty(journeys, i64), np.empty((6, 2 * rides + journeys), i64), np.empty(journeys, i64))


def _lists(rec: tuple[np.ndarray, ...]) -> list:
    """``rec`` for the interpreted ``replay``: lists, but ``legs`` stays an array (2-D)."""
    return [r if r.ndim == 2 else r.tolist() for r in rec]


def _journeys(rec: tuple, n: int) -> list[Journey]:
    """The Journeys of the first n found candidates (by departure, then rides), from the leg
    columns ``replay`` wrote to ``rec`` (``legs``, journey i's ending at ``leg_end[i]``)."""
    legs, leg_end = rec[5], rec[6]
    ends = leg_end[:n] if isinstance(leg_end, list) else leg_end[:n].tolist()
    kind, frm, to, dep, arr, trip = legs[:, :ends[-1]].tolist()
    made = make_legs(list(map(LEG_KINDS.__getitem__, kind)), frm, to, dep, arr, trip)
    return [make_journey(tuple(made[a:b])) for a, b in zip([0, *ends], ends)]


def pareto(leave, arr, conn, n_o, J, vec, pick, best, out):
    """The Pareto candidates among ``leave[:n_o]`` / ``arr`` (W arrivals each; ``backward``
    makes candidates leaving within the window only), as rows (leave, rides - 1, arrival, the candidate's boarding ``conn``) of
    ``out`` by leave time, then rides: a candidate's arrival with at most k + 1 rides counts
    when it beats every candidate leaving later with as many rides or fewer, and the best of its
    own leave time with fewer rides (of equal ones, the first candidate). ``vec``, ``pick``,
    ``best``: W scratch slots. Returns the rows written."""
    for k in range(J):
        best[k] = INF
    order = np.argsort(-leave[:n_o], kind="mergesort")
    n_out = 0
    i = 0
    while i < n_o:
        L = leave[order[i]]
        for k in range(J):
            vec[k] = INF
            pick[k] = -1
        while i < n_o and leave[order[i]] == L:
            g = order[i]
            for k in range(J):
                if arr[g * W + k] < vec[k]:
                    vec[k] = arr[g * W + k]
                    pick[k] = g
            i += 1
        m = INF                     # the best of this leave time with fewer rides
        for k in range(J):
            x = vec[k]
            if x < m:
                if x < best[k]:
                    out[n_out, 0] = L
                    out[n_out, 1] = k
                    out[n_out, 2] = x
                    out[n_out, 3] = conn[pick[k]]
                    n_out += 1
                m = x
            if m < best[k]:
                best[k] = m
    # (written latest leave time first, rides ascending within one: reversed, then each leave
    # time's rows reversed back)
    _reverse(out, 0, n_out)
    i = 0
    while i < n_out:
        j = i + 1
        while j < n_out and out[j, 0] == out[i, 0]:
            j += 1
        _reverse(out, i, j)
        i = j
    return n_out


def _reverse(out, lo, hi):
    """Rows [lo, hi) of ``out`` in reverse order."""
    hi -= 1
    while lo < hi:
        for k in range(4):
            x = out[lo, k]
            out[lo, k] = out[hi, k]
            out[hi, k] = x
        lo += 1
        hi -= 1


def replay(want, n_q, src, tg, o_off, t_off, c_trip, c_to, c_arr, c_alight, c_fire, hops, t_start, place, fi_conn,
           fi_board, fi_trip, stop_change, fp_start, fp_to, fp_dur, c_from, c_dep, station, head, e_dep, e_arr, e_prev,
           e_conn, tr, rec_b, rec_e, rec_p, rec_end, last, legs, leg_end):
    """The rides of each found journey i < ``n_q`` (``want[i]``, a row of ``pareto``: board ``want[i][3]``,
    arrival ``want[i][2]`` with at most ``want[i][1]`` + 1 rides) from the final profiles of ``backward``: along the trip from the
    boarding, the first hop that gives the arrival (alighting at a target; changing, at the
    stop or a footpath away, to the profile entry where that arrival with one ride fewer came
    in, whose connection is boarded next; going on in seat into a trip whose final ``tr``
    holds it). Each hop's lookups read what the pass read there (entries appended later leave
    before the hop arrives). Records (board, exit, how: -1 change at the stop, a footpath's
    start, IN_SEAT; for the first ride, the source walked from or -1) go to ``rec_*`` first ride
    first, journey i's ending at ``rec_end[i]``, its last stop to ``last[i]``; then its legs
    (``_legs``) to the columns of ``legs``, ending at ``leg_end[i]``. Returns the records
    written, -1 when a journey is lost, -2 when ``rec_*`` or ``legs`` are too short."""
    n_fi = len(fi_conn)
    n = 0
    n_legs = 0
    for q in range(n_q):
        b = want[q, 3]
        k = want[q, 1]
        x_want = want[q, 2]
        how = -1
        done = False
        lo = n
        while not done:
            T = c_trip[b]
            nxt = -1
            n_how = -1
            for p in range(place[b], t_start[T + 1]):
                e = hops[p]
                x = c_to[e]
                t = c_arr[e]
                if c_alight[e]:
                    if t_off[x] < INF and t + t_off[x] == x_want:
                        done = True
                        break
                    if k >= 1:
                        for f in range(fp_start[x] - 1, fp_start[x + 1]):
                            u, w = _change(x, t, f, fp_start, fp_to, fp_dur, stop_change)
                            i = _entry(head, e_dep, e_prev, u, w) if u >= 0 else -1
                            if i >= 0 and e_arr[i * W + k - 1] == x_want:
                                while e_prev[i] >= 0 and e_arr[e_prev[i] * W + k - 1] == x_want:
                                    i = e_prev[i]
                                nxt = e_conn[i]
                                n_how = -1 if f < fp_start[x] else x
                                break
                        if nxt >= 0:
                            k -= 1
                            break
                f = c_fire[e]
                while f >= 0 and f < n_fi and fi_conn[f] == e:
                    if tr[fi_trip[f] * W + k] == x_want:
                        nxt = fi_board[f]
                        n_how = IN_SEAT
                        break
                    f += 1
                if nxt >= 0:
                    break
            if not done and nxt < 0:
                return -1
            if n >= len(rec_b):
                return -2
            rec_b[n] = b
            rec_e[n] = e
            rec_p[n] = how
            n += 1
            if done:
                last[q] = x
            b = nxt
            how = n_how
        rec_end[q] = n
        n_legs = _legs(lo, n, last[q], src, tg, o_off, t_off, c_from, c_dep, c_to, c_arr, c_trip, stop_change,
                       station, fp_start, fp_to, fp_dur, rec_b, rec_e, rec_p, legs, n_legs)
        if n_legs < 0:
            return n_legs
        leg_end[q] = n_legs
    return n


#: ``legs`` rows: kind (an index of ``LEG_KINDS``), from stop, to stop, departure, arrival, trip
LEG_KINDS = ("ride", "transfer", "walk", "seat")


def _legs(lo, hi, x_last, src, tg, o_off, t_off, c_from, c_dep, c_to, c_arr, c_trip, stop_change, station, fp_start,
          fp_to, fp_dur, rec_b, rec_e, rec_p, legs, n):
    """The legs of the journey of records ``[lo, hi)`` (``replay``'s, first ride first, ending
    at stop ``x_last``) as ``reconstruct`` makes them, written to ``legs`` from column n: a walk
    from a source when the first ride boards elsewhere (the source then goes to ``rec_p[lo]``),
    between two rides a change at the stop, a seat leg or a walk (each as long as the change
    time or the shortest footpath), the rides, and a walk to a target when ``x_last`` is none.
    Returns the next free column, -1 when a walk is lost, -2 when ``legs`` is too short."""
    if n + 2 * (hi - lo) + 1 > legs.shape[1]:
        return -2
    s = c_from[rec_b[lo]]
    if not _member(src, s):         # (a footpath from a source may take no time)
        rec_p[lo] = -1
        for i in range(len(src)):
            x = src[i]
            for f in range(fp_start[x], fp_start[x + 1]):
                if rec_p[lo] < 0 and fp_to[f] == s and fp_dur[f] == o_off[s]:
                    rec_p[lo] = x
        if rec_p[lo] < 0:
            return -1
    x = -1
    t0 = 0
    for r in range(lo, hi):
        b = rec_b[r]
        bs = c_from[b]
        d = c_dep[b]
        how = rec_p[r]
        if r == lo:
            if how >= 0:
                n = _move(legs, n, station, fp_start, fp_to, fp_dur, how, bs, d, True)
        elif how == -1:
            n = _leg(legs, n, 1, x, x, t0, t0 + stop_change[x], -1)
        elif how == IN_SEAT:
            n = _leg(legs, n, 3, x, bs, t0, d, -1)
        else:
            n = _move(legs, n, station, fp_start, fp_to, fp_dur, x, bs, t0, False)
        if n < 0:
            return n
        e = rec_e[r]
        x = c_to[e]
        t0 = c_arr[e]
        n = _leg(legs, n, 0, bs, x, d, t0, c_trip[e])
    if not _member(tg, x_last):
        y = -1
        for f in range(fp_start[x_last], fp_start[x_last + 1]):
            if y < 0 and _member(tg, fp_to[f]) and fp_dur[f] == t_off[x_last]:
                y = fp_to[f]
        if y < 0:
            return -1
        n = _move(legs, n, station, fp_start, fp_to, fp_dur, x_last, y, t0, False)
    return n


def _member(stops, x):
    """Whether stop x is one of ``stops``."""
    for i in range(len(stops)):
        if stops[i] == x:
            return True
    return False


def _leg(legs, n, kind, a, b, dep, arr, trip):
    """Column n of ``legs`` set to this leg; returns n + 1."""
    legs[0, n] = kind
    legs[1, n] = a
    legs[2, n] = b
    legs[3, n] = dep
    legs[4, n] = arr
    legs[5, n] = trip
    return n + 1


def _move(legs, n, station, fp_start, fp_to, fp_dur, a, b, t, ending):
    """A walk a -> b along the shortest footpath (a transfer within a station) leaving at t, or
    arriving at t when ``ending``, as ``_leg``; -1 when there is no footpath a -> b."""
    dur = -1
    for f in range(fp_start[a], fp_start[a + 1]):
        if fp_to[f] == b and (dur < 0 or fp_dur[f] < dur):
            dur = fp_dur[f]
    if dur < 0:
        return -1
    if ending:
        t -= dur
    return _leg(legs, n, 1 if station[a] == station[b] else 2, a, b, t, t + dur, -1)
