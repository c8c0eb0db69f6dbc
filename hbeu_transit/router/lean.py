"""The one-departure earliest-arrival scan (``csa.scan_ea``) spelt for the CPython interpreter.

``csa.py`` is written for numba: one connection is six list reads, "unreachable" is
2**31 - 1 (an int CPython stores in two digits, so every comparison with it takes the slow
path) and the change at a stop and each footpath from it are separate branches. On small feeds,
where a pruned query runs interpreted (``backend.py``), that made the router slower than a
textbook connection scan. Here, on the same labels and with the same answers:

* each connection is one tuple ``(c, dep, trip, from, to, arr)``, read by unpacking a slice of
  the list (a for loop over a list slice is CPython's fastest iteration); a connection one may
  not board from has ``from = n`` (a stop never ready), one not alighting ``arr = NEVER``, so
  the flags cost no test;
* the scan's private labels (ride arrival, ready time, first boarding) use ``NEVER = 2**30 - 1``
  (one digit, above any time of a timetable) for "not yet"; the labels the caller reads
  (``arr_t`` and the pointers) keep ``csa.INF``;
* the change at the stop reached and each footpath from it are one loop of precomputed
  offers per stop ``(stop, to arrival, to ready, footpath start)``.

Feeds with trip-to-trip firings (block_id continuations) keep ``csa.scan_ea``.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from .csa import INF, MORE, _group_start, _limit, _scan_end

#: "not yet" of the private labels: above any time of a timetable, and one CPython digit
NEVER = (1 << 30) - 1

#: the ``scan.State`` lists ``scan_ea`` uses, without and with pointers
EA_LISTS = {False: ("arr_t",), True: ("arr_t", "arr_exit", "arr_fp", "t_board", "t_pexit", "t_pfp")}

#: connections per list slice the loop unpacks (a pruned scan stops within one)
_CHUNK = 256


@dataclass
class Lean:
    """A view's connections as tuples (filled where the view's lists are, ``[lo, hi)``) and
    per stop its offers after a ride arrives there: the stop itself (arrival + 0, ready after
    its change time, NEVER where changing is forbidden), then each footpath."""

    conns: list = field(default_factory=list)
    offers: list = field(default_factory=list)
    change: list = field(default_factory=list)      # per stop: its change time, NEVER if forbidden
    walks: list = field(default_factory=list)       # per stop: its footpaths as (to, seconds)
    lo: int = 0
    hi: int = 0


def prepared(v) -> Lean:
    """The view's ``Lean`` form, extended to the connections the view holds as lists."""
    p = v.lean
    if p is None:
        fs, ft, fd, ch = v.fp_start, v.fp_to, v.fp_dur, v.stop_change
        change = [c if c >= 0 else NEVER for c in ch]
        walks = [tuple(zip(ft[fs[s]:fs[s + 1]], fd[fs[s]:fs[s + 1]])) for s in range(v.n)]
        offers = [((s, 0, change[s], -1),) + tuple((u, du, du, s) for u, du in walks[s]) for s in range(v.n)]
        p = v.lean = Lean([None] * len(v.c_dep), offers, change, walks)
    if v.lo < p.lo or v.hi > p.hi or p.lo == p.hi:
        spans = [(v.lo, v.hi)] if p.lo == p.hi else [(v.lo, p.lo), (p.hi, v.hi)]
        n = v.n
        for a, b in spans:
            if a < b:
                to = v.c_to[a:b]            # stop, or ~stop without drop-off (no firings here)
                p.conns[a:b] = zip(
                    range(a, b), v.c_dep[a:b], v.c_trip[a:b],
                    [s if s >= 0 else n for s in v.c_from[a:b]], [u if u >= 0 else ~u for u in to],
                    [t if u >= 0 else NEVER for t, u in zip(v.c_arr[a:b], to)])
        p.lo, p.hi = v.lo, v.hi
    return p


def scan_ea(v, st, sources, targets, is_target, L, origin_arr, horizon, ptrs) -> int:
    """``csa.scan_ea`` for a view without trip rule firings, on the interpreter's lists of
    ``st`` (a ``scan.State``): the same arrival labels and, with ``ptrs``, pointers (without,
    it makes no pointer list).

    Returns 1 when it needs connections the view has not converted yet, else 0."""
    p = prepared(v)
    offers, c_dep, c_end = p.offers, v.c_dep, v.hi
    n = v.n
    arr_t = st.arr_t
    rarr = [NEVER] * n              # best ride arrival (arr_t also counts footpaths)
    rdy_t = [NEVER] * (n + 1)       # ready to board; stop n: "no pickup here", never ready
    t_min = [NEVER] * v.nt          # first connection each trip was boarded at
    if ptrs:
        arr_exit, arr_fp, t_board, t_pexit, t_pfp = st.arr_exit, st.arr_fp, st.t_board, st.t_pexit, st.t_pfp
        rdy_exit = [-1] * n
        rdy_fp = [-1] * n
    else:
        arr_exit = arr_fp = rdy_exit = rdy_fp = t_board = t_pexit = t_pfp = None
    for s in sources:
        for u, _, du, fpf in ((s, 0, 0, -1),) + offers[s][1:]:
            if origin_arr and L + du < arr_t[u]:
                arr_t[u] = L + du
                if ptrs:
                    arr_exit[u] = -1
                    arr_fp[u] = fpf
            if L + du < rdy_t[u]:
                rdy_t[u] = L + du
                if ptrs:
                    rdy_exit[u] = -1
                    rdy_fp[u] = fpf
    bound = INF
    for t in targets:
        if arr_t[t] < bound:
            bound = arr_t[t]
    limit = min(_limit(bound, L, horizon), NEVER)   # every time compared with it is below NEVER
    first = bisect_left(c_dep, L)
    if ptrs or targets or not origin_arr:
        lab = (arr_t, rarr, rdy_t, t_min, arr_exit, arr_fp, rdy_exit, rdy_fp, t_board, t_pexit, t_pfp) \
            if ptrs else (arr_t, rarr, rdy_t, t_min)
        run = _run
    else:
        lab = (arr_t, rarr, rdy_t, t_min)
        run = _run_times
    while True:
        d, pend, pend_dep, limit, bound = run(p, c_dep, c_end, lab, is_target, first, limit, bound, origin_arr)
        if d is not None:       # stopped at a connection leaving after the limit or the group
            restart = pend if pend >= 0 and d > pend_dep else -1
        else:
            restart = _scan_end(c_dep, c_end, pend, pend_dep, limit)
            if restart == MORE:
                return 1
        if restart < 0:
            return 0
        first = restart


def _run(p, c_dep, c_end, lab, is_target, first, limit, bound, nested=False):
    """One run of ``scan_ea`` from connection ``first``, until the next connection that could
    change a label leaves after ``limit`` or after a group of equal departures that a
    zero-duration change made worth scanning again (``pend``), or the converted connections
    end. Returns (the departure it stopped at, or None at the end; pend and its departure, or
    -1; limit and bound, lowered by targets reached). ``nested``: the origin counts as
    arrivals, so a footpath's end is tested for an earlier arrival only when its ready time
    improves (see ``_run_times``)."""
    conns, offers = p.conns, p.offers
    ptrs = len(lab) > 4
    if ptrs:
        arr_t, rarr, rdy_t, t_min, arr_exit, arr_fp, rdy_exit, rdy_fp, t_board, t_pexit, t_pfp = lab
    else:
        arr_t, rarr, rdy_t, t_min = lab
    pend = -1
    pend_dep = 0
    brk = limit                 # min(limit, pend_dep): past it, stop or look at the group again
    while first < c_end:
        d = c_dep[first]
        if d > brk:
            return d, pend, pend_dep, limit, bound
        hi = first + _CHUNK if first + _CHUNK < c_end else c_end
        # a connection that changes no label (one cannot board it, or it rides on without
        # bettering a ride's arrival) needs no limit test: the limit is checked only at
        # boardings and improvements (and above, per chunk)
        for c, d, T, s, to, a in conns[first:hi]:
            if t_min[T] > c:
                if rdy_t[s] > d:
                    continue
                if d > brk:
                    return d, pend, pend_dep, limit, bound
                t_min[T] = c
                if ptrs:
                    t_board[T] = c
                    t_pexit[T] = rdy_exit[s]
                    t_pfp[T] = rdy_fp[s]
                if a >= rarr[to]:
                    continue        # no drop-off here, or an earlier ride already got here
            elif a >= rarr[to]:
                continue
            elif d > brk:
                return d, pend, pend_dep, limit, bound
            rarr[to] = a
            for u, da, dr, fpf in offers[to]:
                w = a + dr
                if w < rdy_t[u]:
                    rdy_t[u] = w
                    if ptrs:
                        rdy_exit[u] = c
                        rdy_fp[u] = fpf
                    if w <= d and pend < 0:
                        pend = _group_start(c_dep, c)
                        pend_dep = d
                        brk = limit if limit < pend_dep else pend_dep
                elif nested and da == dr:
                    continue        # a footpath not bettering the ready time (``_run_times``)
                w = a + da
                if w < arr_t[u]:
                    arr_t[u] = w
                    if ptrs:
                        arr_exit[u] = c
                        arr_fp[u] = fpf
                    if is_target[u] and w < bound:
                        bound = w
                        if w < limit:
                            limit = w
                            brk = limit if pend < 0 or limit < pend_dep else pend_dep
        first = hi
    return None, pend, pend_dep, limit, bound


def _run_times(p, c_dep, c_end, lab, is_target, first, limit, bound, nested=True):
    """``_run`` for a scan of arrival times only (no pointers, no targets, the origin counted
    as arrivals: always ``nested``), with two shortcuts that leave the same arrivals:

    * no limit test at a boarding either. A boarding past the limit sets a private label only,
      and one past the group to scan again is met again when the scan repeats the group (a
      trip boarded at a later hop than it could be gives the same arrivals from there on);
    * a footpath's end is tested for an earlier arrival only when its ready time improves: a
      footpath gives both the same time, and no stop's arrival is ever later than its ready
      time (every ready time is an arrival plus a change, or a walk or the origin, which set
      both)."""
    conns, change, walks = p.conns, p.change, p.walks
    arr_t, rarr, rdy_t, t_min = lab
    pend = -1
    pend_dep = 0
    brk = limit
    while first < c_end:
        d = c_dep[first]
        if d > brk:
            return d, pend, pend_dep, limit, bound
        hi = first + _CHUNK if first + _CHUNK < c_end else c_end
        for c, d, T, s, to, a in conns[first:hi]:
            if t_min[T] > c:
                if rdy_t[s] > d:
                    continue
                t_min[T] = c
            if a >= rarr[to]:
                continue
            if d > brk:
                return d, pend, pend_dep, limit, bound
            rarr[to] = a
            if a < arr_t[to]:
                arr_t[to] = a
            w = a + change[to]
            if w < rdy_t[to]:
                rdy_t[to] = w
                if w <= d and pend < 0:
                    pend = _group_start(c_dep, c)
                    pend_dep = d
                    brk = limit if limit < pend_dep else pend_dep
            for u, du in walks[to]:
                w = a + du
                if w < rdy_t[u]:
                    rdy_t[u] = w
                    if w < arr_t[u]:
                        arr_t[u] = w
                    if w <= d and pend < 0:
                        pend = _group_start(c_dep, c)
                        pend_dep = d
                        brk = limit if limit < pend_dep else pend_dep
        first = hi
    return None, pend, pend_dep, limit, bound
