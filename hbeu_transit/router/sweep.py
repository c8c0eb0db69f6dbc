"""A one-to-all profile in one pass over the connections (no transfer limit, no governing rules).

The repeated runs of ``csa.scan`` (one per departure, latest first, keeping the labels) redo
most of the day for every departure on a bus network: leaving a few minutes earlier makes
almost every stop reachable a few minutes earlier. Without a transfer limit and without trip
rules that govern changes (in-seat continuations are fine), one pass suffices:

* per stop, ``ready[s]``: the latest departure from the origin with which one can be ready to
  board at s by now (the departure of the connection being scanned);
* per trip, ``ride[T]``: the latest departure from the origin with which one can sit on T at
  the hop being scanned (boarding at an earlier hop, or going on in seat from another trip);
* each alighting makes timed items, "standing at v at a" and "ready at v (or at a
  footpath's end) at r", with its departure; they wait in per-second buckets and are applied
  as the scan passes their time.

An arrival item at stop s with departure D is a Pareto pair (D, a) exactly when no item
applied before it at s had a departure >= D (those arrive no later), so pairs come out per
stop in ascending arrival and departure; of equal arrivals the latest departure is kept.
Items that cannot be better than what a stop already has are never made. A group of equal
departures is scanned again when a zero-duration hop made one of its connections boardable
after it was scanned (as in ``csa.scan``).

Same pairs as ``csa.scan`` in mode 2 with R = K = 1 (tests compare both, and the oracle).
Written in the subset of Python numba compiles; ``run`` uses it interpreted or compiled.
"""

from __future__ import annotations

import numpy as np

from . import backend

INF = 2147483647    # csa.INF (kept literal: this module is compiled on its own)
NONE = -INF - 1     # "no departure yet"

_compiled = None


def sweep(c_from, c_to, c_dep, c_arr, c_trip, c_board, c_alight, c_fire, fi_conn, fi_board, fi_trip,
          stop_change, fp_start, fp_to, fp_dur, c0, c1, o_time, o_stop, o_dep, horizon, t0,
          ready, best, last, ride, ride_at, seat, seat_at, u_trip, u_ride, u_at, head, it_d, it_s, it_k, it_next,
          out_dep, out_stop, out_arr):
    """Scan connections [c0, c1) once; origin items (``o_*``: ready at ``o_stop`` at ``o_time``
    leaving at ``o_dep``). Per stop ``ready``/``best`` start at NONE, ``last`` (its latest
    pair) at -1; per trip ``ride`` and ``seat`` (the best departure it got in seat from another
    trip) at NONE, ``ride_at`` / ``seat_at`` (the connection they hold from) at c1. ``u_*``
    (undo log of the trip changes of a pass over a group) hold (c1 - c0) + len(fi_conn)
    entries. Items wait in time buckets: ``head[t - t0]`` (-1: empty) starts a list through
    ``it_next`` of (departure, stop, kind: 0 arrival, 1 ready, 2 both) items, which must hold
    every push. Returns the number of pairs written to ``out_*`` (-1: buffers too small);
    pairs arriving later than their departure + ``horizon`` are not written."""
    nb = len(head)
    n_it = len(it_d)
    ni = 0
    for i in range(len(o_time)):
        b = o_time[i] - t0
        it_d[ni] = o_dep[i]
        it_s[ni] = o_stop[i]
        it_k[ni] = 1
        it_next[ni] = head[b]
        head[b] = ni
        ni += 1
    tc = 0                  # the next bucket to apply
    n_out = 0
    n_fi = len(fi_conn)
    c = c0
    group = c0              # first connection of the current departure group
    again = False           # the group needs another look
    nu = 0                  # undo log entries of this pass
    while True:
        d = c_dep[c] if c < c1 else INF
        if c > group and (c >= c1 or d != c_dep[group]):
            if again:
                # a zero-duration hop made a connection of the group usable after it was
                # scanned: undo the group's trip changes and scan it again with what is ready
                again = False
                for i in range(nu - 1, -1, -1):    # latest change first: back to before the group
                    T = u_trip[i]
                    ride[T] = u_ride[i]
                    ride_at[T] = u_at[i]
                    if seat[T] > ride[T]:   # in seat from another trip: still true
                        ride[T] = seat[T]
                        ride_at[T] = seat_at[T]
                c = group
                d = c_dep[c]
            else:
                group = c
            nu = 0
        # apply the items due by d, in time order
        lim = nb - 1 if c >= c1 else d - t0
        while tc <= lim:
            i = head[tc]
            head[tc] = -1
            t = t0 + tc
            while i >= 0:
                dd = it_d[i]
                s = it_s[i]
                k = it_k[i]
                if k != 1 and dd > best[s]:
                    best[s] = dd
                    if horizon >= INF or t - dd <= horizon:
                        j = last[s]
                        if j >= 0 and out_arr[j] == t:
                            out_dep[j] = dd     # same arrival, later departure: replaces it
                        else:
                            if n_out == len(out_dep):
                                return -1
                            out_dep[n_out] = dd
                            out_stop[n_out] = s
                            out_arr[n_out] = t
                            last[s] = n_out
                            n_out += 1
                if k != 0 and dd > ready[s]:
                    ready[s] = dd
                i = it_next[i]
            tc += 1
        if c >= c1:
            return n_out
        T = c_trip[c]
        if c_board[c] and ready[c_from[c]] > ride[T]:
            u_trip[nu], u_ride[nu], u_at[nu] = T, ride[T], ride_at[T]
            nu += 1
            ride[T] = ready[c_from[c]]
            ride_at[T] = c
        D = ride[T]
        if D == NONE or ride_at[T] > c:
            c += 1
            continue
        if n_fi > 0 and c_fire[c] >= 0:     # going on in seat as another trip
            k = c_fire[c]
            while k < n_fi and fi_conn[k] == c:
                b = fi_trip[k]
                if D > ride[b]:
                    u_trip[nu], u_ride[nu], u_at[nu] = b, ride[b], ride_at[b]
                    nu += 1
                    ride[b] = D
                    ride_at[b] = fi_board[k]
                    if D > seat[b]:
                        seat[b] = D
                        seat_at[b] = fi_board[k]
                        if fi_board[k] < c:
                            again = True    # its first hop was scanned already
                k += 1
        if c_alight[c]:
            v = c_to[c]
            a = c_arr[c]
            chg = stop_change[v]
            # items: standing at v at a (and ready, without change time); ready at v after
            # the change time; standing and ready at each footpath's end
            for f in range(fp_start[v] - 2, fp_start[v + 1]):
                if f == fp_start[v] - 2:
                    u = v
                    t = a
                    kind = 2 if chg == 0 else 0
                    if D <= best[v] and (kind == 0 or D <= ready[v]):
                        continue
                elif f == fp_start[v] - 1:
                    if chg <= 0:
                        continue    # no change allowed here (< 0), or done above (0)
                    u = v
                    t = a + chg
                    kind = 1
                    if D <= ready[v]:
                        continue
                else:
                    u = fp_to[f]
                    t = a + fp_dur[f]
                    kind = 2
                    if D <= best[u] and D <= ready[u]:
                        continue
                if ni == n_it:
                    return -1       # the item buffers are full: the caller makes them larger
                b = t - t0
                it_d[ni] = D
                it_s[ni] = u
                it_k[ni] = kind
                it_next[ni] = head[b]
                head[b] = ni
                ni += 1
                if b < tc:          # due now (a zero-duration hop): applied before what follows
                    tc = b
                if kind != 0 and t <= d:
                    again = True    # ready now: the group looked at again, it may board from it
                    # (tested on t, not on b < tc: an earlier item of this hop may have lowered
                    # tc to this very bucket already)
        c += 1


def usable(v, R: int) -> bool:
    """Whether ``sweep`` answers this query: no transfer limit (one layer), no rule that
    governs changes (K = 1; in-seat continuations only), and the compiled backend. (Applying
    items second by second costs the interpreter more than the repeated runs it saves on the
    small timetables it is chosen for; it runs ``sweep`` only should numba fail.)"""
    return R == 1 and v.K == 1 and v.backend == "numba"


def run(v, sources: np.ndarray, events: np.ndarray, until: int, horizon: int,
        fp: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(departure, stop, arrival) pairs, in ascending arrival order, of journeys leaving one of
    ``sources`` at one of ``events`` (see the module docstring); connections leaving after
    ``until`` are not scanned. ``fp``: the timetable's footpaths (start, to, duration)."""
    global _compiled
    fp_start, fp_to, fp_dur = fp
    ev = np.asarray(events, dtype=np.int64)
    # origin items: each source at each event, and each footpath's end from it, by time
    src = np.asarray(sources, dtype=np.int64)
    o_s, o_w = [src], [np.zeros(src.size, dtype=np.int64)]
    for s in src.tolist():
        a, b = int(fp_start[s]), int(fp_start[s + 1])
        o_s.append(np.asarray(fp_to[a:b], dtype=np.int64))
        o_w.append(np.asarray(fp_dur[a:b], dtype=np.int64))
    o_s, o_w = np.concatenate(o_s), np.concatenate(o_w)
    o_dep = np.repeat(ev, o_s.size)
    o_stop = np.tile(o_s, ev.size)
    o_time = o_dep + np.tile(o_w, ev.size)
    order = np.argsort(o_time, kind="stable")
    o_time, o_stop, o_dep = o_time[order], o_stop[order], o_dep[order]
    dep = v.np_dep
    c0 = int(np.searchsorted(dep, o_time[0] if o_time.size else INF, side="left"))
    c1 = max(c0, int(np.searchsorted(dep, until, side="right")) if until < INF else len(dep))
    fi_conn, fi_board, fi_trip = (np.asarray(x, dtype=np.int64) for x in (v.fi_conn, v.fi_board, v.fi_trip))
    fp_start = np.asarray(fp_start, dtype=np.int64)
    # items: at most 2 + its footpaths per alighting (more only when groups are scanned again)
    pushes = 2 * (c1 - c0) + int(np.diff(fp_start)[v.np_to[c0:c1]].sum()) + 1
    fn = sweep
    if v.backend == "numba":
        if _compiled is None:
            _compiled = backend.jit(sweep) or sweep
        fn = _compiled
    while True:
        try:
            k, out = _call(fn, v, pushes, c0, c1, fi_conn, fi_board, fi_trip, fp_start, fp_to, fp_dur,
                           o_time, o_stop, o_dep, horizon)
        except Exception as e:      # numba could not compile it: the same code interpreted
            backend.numba_broken(e, fn is not sweep)
            fn = _compiled = sweep
            continue
        if k >= 0:
            return tuple(np.asarray(o[:k], dtype=np.int64) for o in out)
        pushes *= 2


def _call(fn, v, pushes, c0, c1, fi_conn, fi_board, fi_trip, fp_start, fp_to, fp_dur, o_time, o_stop,
          o_dep, horizon):
    """One ``sweep`` with fresh labels and buffers of ``pushes`` items: (pairs or -1, outputs)."""
    n, nt, nc = v.n, v.nt, c1 - c0
    i64 = np.int64
    # time buckets from the first origin item to the latest item a scanned connection can make
    t0 = int(o_time[0]) if o_time.size else 0
    t1 = max([t0, int(o_time[-1]) if o_time.size else 0] + ([int(v.np_arr[c0:c1].max())] if nc else []))
    t1 += max(int(np.max(fp_dur)) if len(fp_dur) else 0, int(np.max(v.stop_change)) if v.n else 0, 0)
    out = [np.empty(pushes, dtype=i64) for _ in range(3)]
    undo = [np.empty(nc + fi_conn.size + 1, dtype=i64) for _ in range(3)]
    items = [np.empty(pushes + o_time.size, dtype=i64) for _ in range(4)]
    args = [v.np_from, v.np_to, v.np_dep, v.np_arr, v.np_trip, v.np_board, v.np_alight, v.np_fire,
            fi_conn, fi_board, fi_trip, np.asarray(v.stop_change, dtype=i64), fp_start, np.asarray(fp_to, dtype=i64),
            np.asarray(fp_dur, dtype=i64), c0, c1, o_time, o_stop, o_dep, int(horizon), t0,
            np.full(n, NONE, dtype=i64), np.full(n, NONE, dtype=i64), np.full(n, -1, dtype=i64),
            np.full(nt, NONE, dtype=i64), np.full(nt, c1, dtype=i64), np.full(nt, NONE, dtype=i64),
            np.full(nt, c1, dtype=i64), *undo,
            np.full(t1 - t0 + 1, -1, dtype=i64), *items, *out]
    if fn is sweep:     # the interpreter: plain lists (element access on numpy arrays is slow)
        args = [a.tolist() if isinstance(a, np.ndarray) else a for a in args]
        out = args[-3:]
    return fn(*args), out
