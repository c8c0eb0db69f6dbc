"""A one-to-one profile (``api.profile``) with O(1) work per connection in the common case.

``csa.scan`` in mode 1 answers a profile with one run per departure (latest first) keeping the
labels, and pays per connection a loop over the transfer layers: finding the lowest layer that
rides the trip at this hop (``t_seq`` per layer) and then, layer by layer, whether a lower one
may board here. On a bus network most connections of a run's window reach that loop, so one
run costs ~10x an earliest-arrival scan of the same span. This kernel computes the very same
Pareto journeys (the very same, pointers included) with two McCSA-style shortcuts and goal
direction:

* per trip, the lowest layer riding it (``t_cur``) and the hop from which that holds (``t_q``),
  reset for every run: the layer of a connection is one read. A run re-derives the boardings
  of earlier runs from the stop labels (they only ever improve, so every boarding of an earlier
  run is found again where it was not pruned then, and pruning bounds only tighten); a
  boarding at the same hop as before changes no label, so nothing differs but the work;
* per stop, the prefix minima over layers of the ready times (``rdy_pm[s * R + j]`` = the
  earliest ready time with at most j rides): whether any layer below the trip's may board here
  is one comparison, and only a connection that does board loops over the layers;
* goal direction (``goal.to_targets``): a ride or ready label from which even the least hop
  time to a target (``h``) cannot beat the layer's target bound is dropped, where ``csa.scan``
  drops only those leaving after the bound. Every run after the first starts with the bounds
  of the later departures, so little but the labels of its own better journeys survives.

Everything else follows ``csa.scan`` (mode 1, K = 1: in-seat trip rules only; no horizon):
origin labels, per-layer target bounds ``tb`` from the direct journeys (``ev_bound``/``ev_lo``),
``src_last``, zero-duration hops (a departure group scanned again), the journeys recorded after
each run (``chain``). ``profile_scan`` is written in the subset of Python numba compiles and is
self-contained; ``run`` calls it compiled (``backend.jit``) or interpreted on lists.
"""

from __future__ import annotations

import threading

import numpy as np

from . import backend, goal

INF = 2147483647    # csa.INF (literal: this module is compiled on its own)
IN_SEAT = -2        # csa.IN_SEAT

_compiled = None


def profile_scan(c_from, c_to, c_dep, c_arr, c_trip, stop_change, fp_start, fp_to, fp_dur,
                 fi_conn, fi_board, fi_trip, fi_to, n, R, src_last,
                 sources, targets, is_target, h, events, n_seed, ev_bound, ev_lo,
                 arr_t, arr_exit, arr_fp, rarr, rdy_t, rdy_exit, rdy_fp, rdy_pm, tb, tbest,
                 t_seq, t_board, t_pexit, t_pfp, t_min, t_cur, t_q, touched,
                 out_dep, out_layer, out_stop, out_fp, out_rec, rec_board, rec_exit, rec_pfp):
    """Scan for each departure of ``events`` (latest first; the first ``n_seed`` record
    nothing) and record the Pareto journeys to ``targets`` (module docstring; labels as in
    ``csa.scan`` with K = 1 and a transfer limit, layers 0..R-1). Per-run trip labels
    (``t_seq``, ``t_min``, ``t_cur``, ``t_q``) start at INF (``t_cur`` at R), ``touched`` holds
    nt entries. Returns the number of journeys written, or -1 when ``rec_*`` are too small."""
    nc = len(c_dep)
    n_fi = len(fi_conn)
    n_eb = len(ev_bound)
    n_el = len(ev_lo)
    rec_cap = len(rec_board)
    n_out = 0
    n_rec = 0
    n_touched = 0
    for ev in range(len(events)):
        L = events[ev]
        plo = 1
        phi = 1
        if n_el > 0:
            plo = ev_lo[ev]
            if plo > phi:
                phi = plo
        # origin labels in layer 0: every source, and one footpath from it
        for si in range(len(sources)):
            s = sources[si]
            for f in range(fp_start[s] - 1, fp_start[s + 1]):
                if f < fp_start[s]:
                    u = s
                    val = L
                    fpf = -1
                else:
                    u = fp_to[f]
                    val = L + fp_dur[f]
                    fpf = s
                iu = u * R
                if val < rdy_t[iu]:
                    rdy_t[iu] = val
                    rdy_exit[iu] = -1
                    rdy_fp[iu] = fpf
                    for j in range(R):
                        if val < rdy_pm[iu + j]:
                            rdy_pm[iu + j] = val
                        else:
                            break
        # target bounds (as csa.scan): the scan stops at ``limit``; a connection ridden in
        # layer j leaving after tb[j] cannot improve a target in layer j or above
        bound = INF
        if n_eb > 0:
            bound = ev_bound[ev]
        for ti in range(len(targets)):
            t = targets[ti]
            for j in range(plo, phi + 1):
                if arr_t[t * R + j] < bound:
                    bound = arr_t[t * R + j]
        m = INF
        if n_eb > 0:
            m = ev_bound[ev]
        for j in range(plo, R):
            for ti in range(len(targets)):
                t = targets[ti]
                if arr_t[t * R + j] < m:
                    m = arr_t[t * R + j]
            tb[j] = m
        for j in range(0, plo):
            tb[j] = tb[plo]
        limit = bound
        # first connection leaving at or after L
        lo = 0
        hi = nc
        while lo < hi:
            mid = (lo + hi) // 2
            if c_dep[mid] < L:
                lo = mid + 1
            else:
                hi = mid
        first = lo
        pend = -1
        pend_dep = 0
        while True:
            restart = -1
            for c in range(first, nc):
                d = c_dep[c]
                if pend >= 0 and d > pend_dep:
                    restart = pend
                    break
                if d > limit:
                    break
                T = c_trip[c]
                # jon: the lowest layer riding T at this hop (-1: none)
                if t_min[T] > c:
                    jon = -1
                    jhi = R
                elif t_q[T] <= c:
                    jon = t_cur[T]
                    jhi = jon
                else:                       # a group scanned again: back at an earlier hop
                    jon = -1
                    for j in range(1, R):
                        if t_seq[T * R + j] <= c:
                            jon = j
                            break
                    jhi = jon if jon >= 0 else R
                # boarding here in a layer below jon: possible only if a ready label of a
                # layer below jhi - 1 is due by d (one read of the prefix minima)
                if jhi > 1:
                    s = c_from[c]
                    if s >= 0 and rdy_pm[s * R + jhi - 2] <= d:
                        dh = d + h[s]       # the earliest a target can be reached from here
                        for j in range(1, jhi):
                            if dh > tb[j]:
                                break       # useless in this layer and every higher one
                            got = (s * R + j - 1)
                            if rdy_t[got] > d:
                                continue
                            if rdy_exit[got] < 0 and d - rdy_t[got] + L > src_last:
                                continue    # leaving the origin after src_last
                            idx = T * R + j
                            if t_min[T] == INF:
                                touched[n_touched] = T
                                n_touched += 1
                            t_seq[idx] = c
                            t_board[idx] = c
                            t_pexit[idx] = rdy_exit[got]
                            t_pfp[idx] = rdy_fp[got]
                            if c < t_min[T]:
                                t_min[T] = c
                            if j < t_cur[T] or (j == t_cur[T] and c < t_q[T]):
                                t_cur[T] = j
                                t_q[T] = c
                            jon = j
                            break
                if jon < 0 or d > tb[jon]:
                    continue
                v = c_to[c]
                if v < -n:                  # in-seat continuations fire here
                    k = ~v - n
                    v = fi_to[k]
                    while k < n_fi and fi_conn[k] == c:
                        cb = fi_board[k]
                        B = fi_trip[k]
                        k += 1
                        if c_dep[cb] > tb[jon]:
                            continue
                        ok = True
                        for jj in range(1, jon + 1):
                            if t_seq[B * R + jj] <= cb:
                                ok = False
                                break
                        if not ok:
                            continue
                        idx = B * R + jon
                        if t_min[B] == INF:
                            touched[n_touched] = B
                            n_touched += 1
                        t_seq[idx] = cb
                        t_board[idx] = cb
                        t_pexit[idx] = c
                        t_pfp[idx] = IN_SEAT
                        if cb < t_min[B]:
                            t_min[B] = cb
                        if jon < t_cur[B] or (jon == t_cur[B] and cb < t_q[B]):
                            t_cur[B] = jon
                            t_q[B] = cb
                        if c_dep[cb] <= d and pend < 0:
                            pend = c
                            while pend > 0 and c_dep[pend - 1] == d:
                                pend -= 1
                            pend_dep = d
                if v < 0:
                    continue                # no drop-off here
                a = c_arr[c]
                if a + h[v] > tb[jon]:
                    continue                # cannot reach a target before the bound even so
                li = v * R + jon
                if a < rarr[li]:
                    rarr[li] = a
                else:
                    continue                # an earlier ride already got here in this layer
                ch = stop_change[v]
                w = a + ch
                for f in range(fp_start[v] - 1, fp_start[v + 1]):
                    if f < fp_start[v]:
                        u = v
                        t = a
                        w = a + ch
                        lu = li
                        fpf = -1
                    else:
                        u = fp_to[f]
                        t = a + fp_dur[f]
                        w = t
                        lu = u * R + jon
                        fpf = v
                    if t < arr_t[lu]:
                        arr_t[lu] = t
                        arr_exit[lu] = c
                        arr_fp[lu] = fpf
                        if is_target[u]:
                            if jon >= plo:
                                for j in range(jon, R):
                                    if t < tb[j]:
                                        tb[j] = t
                                if jon <= phi and t < limit:
                                    limit = t
                    if fpf < 0 and ch < 0:
                        continue            # no change allowed here
                    if jon + 1 >= R or w + h[u] > tb[jon + 1]:
                        continue            # boarding from it cannot beat the next layer's bound
                    if w < rdy_t[lu]:
                        rdy_t[lu] = w
                        rdy_exit[lu] = c
                        rdy_fp[lu] = fpf
                        ub = u * R
                        for j in range(jon, R):
                            if w < rdy_pm[ub + j]:
                                rdy_pm[ub + j] = w
                            else:
                                break
                        if w <= d and pend < 0:
                            pend = c
                            while pend > 0 and c_dep[pend - 1] == d:
                                pend -= 1
                            pend_dep = d
            else:
                if pend >= 0:
                    restart = pend          # ran off the end: a group may need its second look
            if restart < 0:
                break
            first = restart
            pend = -1
        # record what this departure achieved (as csa.scan in mode 1)
        pm = INF
        for j in range(1, R):
            best = INF
            bt = -1
            for ti in range(len(targets)):
                t = targets[ti]
                if arr_t[t * R + j] < best:
                    best = arr_t[t * R + j]
                    bt = t
            if best < tbest[j]:
                tbest[j] = best
                if best < pm and ev >= n_seed:
                    out_dep[n_out] = L
                    out_layer[n_out] = j
                    out_stop[n_out] = bt
                    out_fp[n_out] = arr_fp[bt * R + j]
                    jj = j
                    e = arr_exit[bt * R + j]
                    while e >= 0:
                        if n_rec >= rec_cap:
                            return -1
                        idx = c_trip[e] * R + jj
                        rec_board[n_rec] = t_board[idx]
                        rec_exit[n_rec] = e
                        rec_pfp[n_rec] = t_pfp[idx]
                        n_rec += 1
                        e = t_pexit[idx]
                        if t_pfp[idx] != IN_SEAT:
                            jj -= 1
                    out_rec[n_out] = n_rec
                    n_out += 1
            if best < pm:
                pm = best
        # this run's trip labels back to "not ridden" (for the next run, and query)
        for i in range(n_touched):
            T = touched[i]
            t_min[T] = INF
            t_cur[T] = R
            t_q[T] = INF
            for j in range(R):
                t_seq[T * R + j] = INF
        n_touched = 0
    return n_out


class _Labels:
    """A view's label arrays for ``profile_scan`` with R layers, kept between queries (making
    twenty arrays costs a short scan's time): ``reset`` refills those a query starts from; the
    pointers are only read where this query wrote them, and the per-run trip labels are left
    unset by the scan itself."""

    def __init__(self, n: int, nt: int, R: int):
        def full(size, val):
            return np.full(size, val, dtype=np.int32)
        self.stop = [full(R * n, INF), full(R * n, -1), full(R * n, -1), full(R * n, INF), full(R * n, INF),
                     full(R * n, -1), full(R * n, -1), full(R * n, INF)]
        self.small = [full(R, INF), full(R, INF)]
        self.trip = [full(R * nt, INF), full(R * nt, -1), full(R * nt, -1), full(R * nt, -1),
                     full(nt, INF), full(nt, R), full(nt, INF), full(nt, 0)]

    def reset(self) -> None:
        arr_t, _, _, rarr, rdy_t, _, _, rdy_pm = self.stop
        for a in (arr_t, rarr, rdy_t, rdy_pm, *self.small):
            a.fill(INF)

    def args(self) -> list:
        return [*self.stop, *self.small, *self.trip]


def run(v, src: np.ndarray, tg: np.ndarray, events: np.ndarray, n_seed: int, R: int, src_last: int,
        ev_bound: np.ndarray, ev_lo: np.ndarray):
    """``profile_scan`` on view ``v`` (K == 1): (dep, layer, stop, fp, rec_end) per journey and
    the (board, exit, how) ride records they end at (``api.profile`` builds the journeys)."""
    global _compiled
    n, nt = v.n, v.nt
    fn = profile_scan
    if v.backend == "numba":
        if _compiled is None:
            _compiled = backend.jit(profile_scan) or profile_scan
        fn = _compiled
    cache = v._stop_index.setdefault("mcprofile", {})
    if "tt" not in cache:
        i32 = np.int32
        cache["tt"] = [v.k_from, v.k_to, v.np_dep, v.np_arr, v.k_trip, np.asarray(v.stop_change, dtype=i32),
                       np.asarray(v.fp_start, dtype=i32), np.asarray(v.fp_to, dtype=np.uint32),
                       np.asarray(v.fp_dur, dtype=i32), np.asarray(v.fi_conn, dtype=i32),
                       np.asarray(v.fi_board, dtype=i32), np.asarray(v.fi_trip, dtype=i32),
                       np.asarray(v.fi_to, dtype=i32)]
    key = (R, threading.get_ident())    # a thread's own labels: queries may run side by side
    labels = cache.get(key)
    if labels is None:
        labels = cache[key] = _Labels(n, nt, R)
    cap = len(events) * R
    rec_cap = cap * R
    is_t = np.zeros(n, dtype=np.bool_)
    is_t[tg] = True
    h = goal.to_targets(v, tg)
    q_args = [src.astype(np.int64), tg.astype(np.int64), is_t, h, np.asarray(events, dtype=np.int64), int(n_seed),
              np.asarray(ev_bound, dtype=np.int64), np.asarray(ev_lo, dtype=np.int64)]
    while True:
        labels.reset()
        outs = [np.zeros(cap, dtype=np.int64) for _ in range(5)] + [np.zeros(rec_cap, dtype=np.int64)
                                                                    for _ in range(3)]
        args = [*cache["tt"], n, R, int(src_last), *q_args, *labels.args(), *outs]
        if fn is profile_scan:      # the interpreter: plain lists
            args = [a.tolist() if isinstance(a, np.ndarray) else a for a in args]
            outs = args[-8:]
        try:
            k = fn(*args)
        except Exception as e:      # numba could not compile it: the same code interpreted
            backend.numba_broken(e, fn is not profile_scan)
            fn = _compiled = profile_scan
            continue
        if k >= 0:
            dep, layer, stop, fp, rec = (np.asarray(o[:k], dtype=np.int64) for o in outs[:5])
            m = int(rec[-1]) if k else 0
            rb, re_, rp = (np.asarray(o[:m], dtype=np.int64) for o in outs[5:])
            return dep, layer, stop, fp, rec, rb, re_, rp
        rec_cap *= 4
        labels = cache[key] = _Labels(n, nt, R)   # (a run cut short leaves trip labels set)


def usable(v) -> bool:
    """Whether ``run`` answers this profile: no rule that governs changes (K = 1; in-seat
    continuations only) and the compiled backend (interpreted, converting every connection to
    lists costs more than the lazily converted ``csa.scan`` on the small feeds it runs on)."""
    return v.K == 1 and v.backend == "numba"
