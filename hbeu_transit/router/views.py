"""Timetable arrays in the form the kernel scans, built once per Timetable and direction.

The forward view re-sorts connections by (dep, arr, trip, seq), so a trip's zero-duration hops
are scanned in ride order. The reverse view (for arrive-by) is the same network with time
flowing backwards: a connection u -> v leaving at d and arriving at a becomes v -> u leaving at
-a and arriving at -d, pickup and drop-off swap, footpaths and trip transfer rules point the other
way (a rule from trip a at x to trip b at y becomes one from b at y to a at x; an in-seat rule
then fires at b's first hop, the last one scanned).
An earliest-arrival scan of the reverse view from the targets at -T yields, at every stop, minus
the latest time one may leave it and still arrive by T.

Timetables are treated as immutable: a view is cached per Timetable object (dropped with it).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..timetable.model import Timetable
from . import backend
from .csa import IN_SEAT, INF


#: calls of ``View.at_stops`` answered by a pass over all connections before it builds an index
_INDEX_AFTER = 12

#: connection columns the interpreter converts to lists on demand (``c_dep`` is converted whole),
#: and the numpy array each comes from
_LAZY = {"c_from": "k_from", "c_to": "k_to", "ea_from": "k_ea_from", "ea_to": "k_ea_to", "c_arr": "np_arr",
         "c_trip": "k_trip"}


@dataclass
class View:
    """One direction of a timetable, as kernel arguments (numpy, or lists for the interpreter).

    ``np_*`` are the connection columns as int32/bool arrays in scan order, for the Python side
    (journeys, events). The kernel's ``c_*`` columns pack pickup and drop-off flags and rule
    firings into the stops (``csa``'s module docstring): for numba they are ``c_dep``, ``np_arr``
    and the ``k_*`` arrays, ``c_trip`` unsigned (numba then skips its negative-index check when it
    indexes by trip). For the
    interpreter, ``c_*`` are lists of which only ``[lo, hi)`` holds values (``cover`` converts
    more): a query near one time of day then needs a few thousand connections, not the whole
    day (converting 100k connections to lists costs more than a pruned scan)."""

    n: int
    nt: int
    c_from: Any                 # stop left, ~stop without pickup
    c_to: Any                   # stop reached, ~stop without drop-off, ~(n + k) firing k...
    c_dep: Any
    c_arr: Any
    c_trip: Any
    stop_change: Any
    fp_start: Any
    fp_to: Any
    fp_dur: Any
    ru_key: Any                 # trip transfer rules, sorted by key = from_trip * nt + to_trip
    ru_from: Any
    ru_to: Any
    ru_secs: Any
    fi_conn: Any                # rule firings: riding fi_conn boards fi_board (of trip fi_trip)
    fi_board: Any               # by rule fi_rule
    fi_trip: Any
    fi_rule: Any
    fi_to: Any                  # the c_to code fi_conn would have without firings
    trip_end: Any               # per trip, the departure of its last hop (in scan direction)
    ea_from: Any                # c_from and c_to for ``csa.scan_ea`` (unsigned, stop n: no pickup,
    ea_to: Any                  # no drop-off or rules fire) where a trip's hop ``ride_conn`` is plain
    ride_trip: Any              # per trip, the trip it runs on into in seat that ``scan_ea`` boards
    ride_board: Any             # with it (or -1), at hop ride_board, fired by its last hop ride_conn
    ride_conn: Any
    K: int                      # ready labels per stop: see csa's module docstring
    backend: str                # "python" (lists) or "numba" (numpy arrays)
    np_dep: np.ndarray = field(repr=False, default=None)
    np_arr: np.ndarray = field(repr=False, default=None)
    np_from: np.ndarray = field(repr=False, default=None)
    np_to: np.ndarray = field(repr=False, default=None)
    np_trip: np.ndarray = field(repr=False, default=None)
    np_board: np.ndarray = field(repr=False, default=None)
    np_alight: np.ndarray = field(repr=False, default=None)
    np_seq: np.ndarray = field(repr=False, default=None)
    np_fire: np.ndarray = field(repr=False, default=None)   # per connection, its first firing (fi_*) or -1
    k_from: np.ndarray = field(repr=False, default=None)    # the kernel's c_from, c_to, c_trip
    k_to: np.ndarray = field(repr=False, default=None)
    k_trip: np.ndarray = field(repr=False, default=None)
    k_ea_from: np.ndarray = field(repr=False, default=None)     # the kernel's ea_from, ea_to
    k_ea_to: np.ndarray = field(repr=False, default=None)
    trip_rules: bool = False    # trip-to-trip rules (blocks, timed, in-seat): no shortcuts
    #: every firing fires on boarding (``ride_trip``): a one-layer earliest arrival may run
    #: ``csa.scan_ea`` (``runs_scan_ea``; else ``csa.scan``, which gives the same labels)
    ea_scan: bool = True
    np_rules: tuple = field(repr=False, default=None)   # (key, from, to, secs) int64, as ru_*
    lo: int = 0                 # the interpreter's lists hold connections [lo, hi)
    hi: int = 0
    _stop_index: dict = field(repr=False, default_factory=dict)
    #: numba label buffers of finished queries, per ``scan.State`` layout, for the next query to
    #: reuse (``scan.State``): allocating them took most of a one-to-all query's set-up
    pool: dict = field(repr=False, default_factory=dict)
    #: all-False per stop, lent to a scan as its target marks (``scan.run_scan``)
    no_targets: Any = field(repr=False, default=None)
    lean: Any = field(repr=False, default=None)     # the interpreter's tuples (``lean.prepared``)
    _settle: tuple = field(repr=False, default=None)
    #: per connection, its trip's ride chain, and per chain its (ride_conn, ride_board,
    #: ride_trip): ``ea_args`` for a scan of times only (numba's forward view only)
    k_chain: np.ndarray = field(repr=False, default=None)
    chain_ride: tuple = field(repr=False, default=None)

    @property
    def n_connections(self) -> int:
        return int(self.np_dep.shape[0])

    def at_stops(self, stops: np.ndarray, side: str = "from") -> np.ndarray:
        """Indices (ascending) of the connections leaving (side "from") or reaching ("to")
        any of ``stops``. The first few calls test every connection (one vectorised pass);
        later ones use a per-stop index built then (a sort: worth it for many queries, such
        as one profile per origin, not for the few of one journey plan)."""
        idx = self._stop_index.get(side)
        col = self.np_from if side == "from" else self.np_to
        if idx is None and self._stop_index.setdefault(side + " uses", 0) < _INDEX_AFTER:
            self._stop_index[side + " uses"] += 1
            mark = np.zeros(self.n, dtype=bool)
            mark[np.asarray(stops, dtype=np.int64)] = True
            return np.flatnonzero(mark[col]).astype(np.int32)
        if idx is None:
            order = np.argsort(col, kind="stable").astype(np.int32)
            start = np.zeros(self.n + 1, dtype=np.int64)
            np.cumsum(np.bincount(col, minlength=self.n), out=start[1:])
            idx = self._stop_index[side] = (order, start)
        order, start = idx
        stops = np.asarray(stops, dtype=np.int64)
        if stops.size == 1:
            s = int(stops[0])
            return order[start[s]:start[s + 1]]
        out = np.concatenate([order[start[s]:start[s + 1]] for s in stops.tolist()]) if stops.size else order[:0]
        out.sort()
        return out

    def runs_scan_ea(self, R: int) -> bool:
        """Whether a one-run earliest-arrival query with R transfer layers runs ``csa.scan_ea``:
        one layer, one ready label per stop, every firing fired on boarding."""
        return R == 1 and self.K == 1 and self.ea_scan

    def streamed_bytes(self) -> int:
        """Bytes the earliest-arrival kernel reads for every connection it scans: trip always,
        then from stop and departure (trip not boarded yet: pickup flag and stop in one, the
        departure where pickup is allowed) or to stop and arrival (on the trip; drop-off flag
        and rule firings folded into the stop): the larger of the two. Nothing else is read
        for a connection that changes no label (where the scan stops in time is an index)."""
        return self.k_trip.itemsize + max(self.k_ea_from.itemsize + self.np_dep.itemsize,
                                          self.k_ea_to.itemsize + self.np_arr.itemsize)

    def settle_args(self, sources: np.ndarray | None) -> tuple:
        """``csa.scan_ea``'s (watch, last_in), with which a scan from ``sources`` stops once
        nothing can improve: the stops a journey from them may reach (a search of the stop
        graph, whatever the time) and a ride may alight at, and per stop the last connection
        that may alight there (-1: none). Empty for None (a scan with targets), for the
        interpreter, or if some connection arrives before it leaves (then a later connection
        could arrive before the next departure). The stop graph's strongly connected parts
        are found on first use (~10 ms on hart) and the stops reached from each set of them
        kept, so a query looks its list up."""
        if sources is None or self.backend == "python":
            return _NO_SETTLE
        if self._settle is None:
            self._settle = _settle_graph(self)
        if self._settle is _NO_SETTLE:
            return _NO_SETTLE
        comp, dag, members, last_in, lists = self._settle
        key = tuple(sorted(set(comp[sources].tolist())))
        watch = lists.get(key)
        if watch is None:
            watch = _reached_stops(key, dag, members, last_in)
            if sum(w.size for w in lists.values()) + watch.size > _SETTLE_KEPT * max(self.n, 1):
                lists.clear()
            lists[key] = watch
        return watch, last_in

    def cover(self, lo: int, hi: int) -> None:
        """Make connections [lo, hi) readable by the interpreted kernel (no-op for numba)."""
        if self.backend != "python":
            return
        lo, hi = max(0, min(lo, self.lo if self.hi > self.lo else lo)), min(self.n_connections, hi)
        if self.hi > self.lo:
            hi = max(hi, self.hi)
            spans = [(lo, self.lo), (self.hi, hi)]
        else:
            spans = [(lo, hi)]
        for a, b in spans:
            if a >= b:
                continue
            for name, src in _LAZY.items():
                getattr(self, name)[a:b] = getattr(self, src)[a:b].tolist()
        self.lo, self.hi = lo, max(hi, lo)

    def ea_args(self, times_only: bool = False) -> tuple:
        """The timetable part of ``csa.scan_ea``'s arguments. ``times_only`` (a scan without
        pointers): trips that run on into each other in seat as one trip, their ride chain
        (``_ride_chains``), so that the scan boards a block once, not trip by trip (numba's
        views only: the interpreter's have none)."""
        trip, ride = self.c_trip, (self.ride_conn, self.ride_board, self.ride_trip)
        if times_only and self.k_chain is not None:
            trip, ride = self.k_chain, self.chain_ride
        return (self.ea_from, self.ea_to, self.c_dep, self.c_arr, trip,
                self.stop_change, self.fp_start, self.fp_to, self.fp_dur, *ride, self.n,
                self.hi if self.backend == "python" else self.n_connections)

    def tt_args(self) -> tuple:
        """The timetable part of ``csa.scan``'s arguments."""
        c_end = self.hi if self.backend == "python" else self.n_connections
        return (self.c_from, self.c_to, self.c_dep, self.c_arr, self.c_trip,
                self.stop_change, self.fp_start, self.fp_to,
                self.fp_dur, self.ru_key, self.ru_from, self.ru_to, self.ru_secs,
                self.fi_conn, self.fi_board, self.fi_trip, self.fi_rule, self.fi_to, self.trip_end, self.n, self.nt,
                c_end)


_NO_SETTLE = (np.zeros(0, dtype=np.int32),) * 2

#: ``View.settle_args`` keeps watch lists (one per set of source components) of at most this
#: many times the stops in all, per view (then it starts again): a few whole-network lists
_SETTLE_KEPT = 8


def stop_hops(v: View) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every hop of the stop graph as (from stop, to stop, least duration) arrays (int64, with
    repeats): a connection, a footpath, or a trip rule's firing (riding one trip into another,
    in seat or by a timed change, may move between stops: from where the ridden hop arrives to
    where the boarded one leaves, after the gap between them, which ``_firings`` never makes
    negative: it boards no earlier than the arrival). The graph of ``goal``'s lower bounds
    and of ``settle_args``."""
    fp_start = np.asarray(v.fp_start, dtype=np.int64)
    fp_from = np.repeat(np.arange(v.n, dtype=np.int64), np.diff(fp_start))
    ride = np.asarray(v.fi_conn, dtype=np.int64)
    board = np.asarray(v.fi_board, dtype=np.int64)
    frm = np.concatenate([v.np_from.astype(np.int64), fp_from, v.np_to[ride].astype(np.int64)])
    to = np.concatenate([v.np_to.astype(np.int64), np.asarray(v.fp_to, dtype=np.int64),
                         v.np_from[board].astype(np.int64)])
    dur = np.concatenate([(v.np_arr.astype(np.int64) - v.np_dep), np.asarray(v.fp_dur, dtype=np.int64),
                          v.np_dep[board].astype(np.int64) - v.np_arr[ride]])
    return frm, to, dur


def _csr(n: int, frm: np.ndarray, to: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct edges frm -> to of n nodes in CSR (start, to)."""
    key = distinct(frm.astype(np.int64) * n + to)
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(key // n, minlength=n), out=start[1:])
    return start, key % n


def _components(n: int, start: np.ndarray, to: np.ndarray) -> np.ndarray:
    """The strongly connected component of each node, as an id (Kosaraju, iteratively)."""
    st, tl = start.tolist(), to.tolist()
    seen, order = [False] * n, []
    for r in range(n):
        if seen[r]:
            continue
        seen[r] = True
        stack = [(r, st[r])]
        while stack:
            u, e = stack[-1]
            if e < st[u + 1]:
                stack[-1] = (u, e + 1)
                w = tl[e]
                if not seen[w]:
                    seen[w] = True
                    stack.append((w, st[w]))
            else:
                stack.pop()
                order.append(u)
    back_start, back_to = _csr(n, to, np.repeat(np.arange(n, dtype=np.int64), np.diff(start)))
    bs, bt = back_start.tolist(), back_to.tolist()
    comp, c = [-1] * n, 0
    for r in reversed(order):
        if comp[r] >= 0:
            continue
        comp[r] = c
        stack = [r]
        while stack:
            u = stack.pop()
            for e in range(bs[u], bs[u + 1]):
                w = bt[e]
                if comp[w] < 0:
                    comp[w] = c
                    stack.append(w)
        c += 1
    return np.array(comp, dtype=np.int64)


def _settle_graph(v: View) -> tuple:
    """(component per stop, the components' graph in CSR, their stops in CSR, last_in, {})
    for ``View.settle_args``; ``_NO_SETTLE`` when a connection arrives before it leaves."""
    if bool((v.np_arr < v.np_dep).any()):
        return _NO_SETTLE
    n = v.n
    frm, to, _ = stop_hops(v)
    start, nxt = _csr(n, frm, to)
    comp = _components(n, start, nxt)
    nc = int(comp.max()) + 1 if n else 0
    dag = _csr(nc, comp[np.repeat(np.arange(n), np.diff(start))], comp[nxt])
    last = np.full(n, -1, dtype=np.int64)
    alight = np.flatnonzero(v.np_alight)
    np.maximum.at(last, v.np_to[alight], alight)
    by_comp = np.argsort(comp, kind="stable")
    members = (np.concatenate([[0], np.cumsum(np.bincount(comp, minlength=nc))]), by_comp)
    return comp, dag, members, last.astype(np.int32), {}


def _reached_stops(comps: tuple, dag: tuple, members: tuple, last_in: np.ndarray) -> np.ndarray:
    """The stops of every component reachable from ``comps`` that a ride may alight at."""
    start, to = dag
    seen, todo = set(comps), list(comps)
    while todo:
        c = todo.pop()
        for d in to[start[c]:start[c + 1]].tolist():
            if d not in seen:
                seen.add(d)
                todo.append(d)
    m_start, m_stops = members
    stops = np.concatenate([m_stops[m_start[c]:m_start[c + 1]] for c in sorted(seen)] + [m_stops[:0]])
    return stops[last_in[stops] >= 0].astype(np.int32)


def distinct(a: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique without its lazy import of numpy.ma, ~50 ms)."""
    s = np.sort(np.asarray(a).ravel())
    if s.size < 2:
        return s
    keep = np.empty(s.size, dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def _label_width(key: np.ndarray, frm: np.ndarray, secs: np.ndarray, hops: np.ndarray, nt: int) -> int:
    """K: 1 + the most (from trip, stop left) pairs that a governing rule into one trip covers
    (a rule from any stop counts every hop of its from trip)."""
    gov = secs != IN_SEAT
    if not gov.any():
        return 1
    k, x = key[gov], frm[gov]
    order = np.lexsort((x, k))
    k, x = k[order], x[order]
    first = np.ones(k.size, dtype=bool)
    first[1:] = (k[1:] != k[:-1]) | (x[1:] != x[:-1])
    k, x = k[first], x[first]
    weight = np.where(x < 0, hops[k // nt], 1)
    return 1 + int(np.bincount(k % nt, weights=weight, minlength=1).max())


def csr_reverse(n: int, start: np.ndarray, to: np.ndarray, dur: np.ndarray):
    """Footpaths u -> v as v -> u, in CSR (start, from, duration): the reverse view's, and
    ``backward``'s reverse footpaths."""
    frm = np.repeat(np.arange(n, dtype=np.int64), np.diff(start.astype(np.int64)))
    order = np.lexsort((frm, to))
    rstart = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(to, minlength=n), out=rstart[1:])
    return rstart, frm[order], dur.astype(np.int64)[order]


def _in_scan_order(dep: np.ndarray, arr: np.ndarray, trip: np.ndarray, seq: np.ndarray) -> bool:
    """Whether connections are already sorted by (dep, arr, trip, seq): compiled timetables
    are, which saves a lexsort (the largest part of building a view)."""
    if dep.size < 2:
        return True
    d0, d1, a0, a1 = dep[:-1], dep[1:], arr[:-1], arr[1:]
    t0, t1 = trip[:-1], trip[1:]
    same_t = (d0 == d1) & (a0 == a1) & (t0 == t1)
    ok = (d0 < d1) | ((d0 == d1) & ((a0 < a1) | ((a0 == a1) & (t0 < t1)))) | (same_t & (seq[:-1] < seq[1:]))
    return bool(ok.all())


def trip_hops(trip: np.ndarray, hops: np.ndarray, nt: int) -> tuple[np.ndarray, np.ndarray]:
    """Each trip's hops in scan order: the connections grouped by trip (a stable sort; numpy
    radix-sorts 16-bit keys, ~8x faster than its timsort of int32 on hart) and where each
    trip's group starts."""
    conn_of = np.argsort(trip.astype(np.uint16) if nt <= 1 << 16 else trip, kind="stable")
    start = np.zeros(nt + 1, dtype=np.int64)
    np.cumsum(hops[:nt], out=start[1:])
    return conn_of, start


def _firings(rk, rf, rt, rs, nt, hops, conn_of, start, frm, to, dep, arr, board, alight):
    """Every firing of a trip transfer rule that boards (``csa._fire_rules``), as arrays
    (connection ridden, connection boarded, rule) sorted by connection then rule: an in-seat rule
    from trip a at x to b at y fires at a's last hop (in scan order) when it reaches x and b's
    first hop leaves y no earlier; a timed rule fires at each hop of a that one may alight from
    at x, boarding b's first hop from y (pickup allowed) that leaves no earlier than the arrival
    plus the rule's seconds. None of this depends on the query, so it is worked out once here."""
    empty = np.zeros(0, dtype=np.int64)
    if rk.size == 0 or nt == 0:
        return empty, empty, empty
    a_trip, b_trip = rk // nt, rk % nt
    cs, bs, rs_out = [empty], [empty], [empty]
    seat = np.flatnonzero((rs == IN_SEAT) & (hops[a_trip] > 0) & (hops[b_trip] > 0))
    if seat.size:
        c = conn_of[start[a_trip[seat] + 1] - 1]
        k0 = conn_of[start[b_trip[seat]]]
        ok = (to[c] == rf[seat]) & (frm[k0] == rt[seat]) & (dep[k0] >= arr[c])
        cs.append(c[ok]), bs.append(k0[ok]), rs_out.append(seat[ok])
    for r in np.flatnonzero(rs >= 0).tolist():
        a_hops = conn_of[start[a_trip[r]]:start[a_trip[r] + 1]]
        b_hops = conn_of[start[b_trip[r]]:start[b_trip[r] + 1]]
        b_hops = b_hops[(frm[b_hops] == rt[r]) & board[b_hops]]
        for c in a_hops[(to[a_hops] == rf[r]) & alight[a_hops]].tolist():
            later = b_hops[dep[b_hops] >= int(arr[c]) + int(rs[r])]
            if later.size:
                cs.append(np.array([c])), bs.append(later[:1]), rs_out.append(np.array([r]))
    c, b, r = (np.concatenate(x).astype(np.int64) for x in (cs, bs, rs_out))
    order = np.lexsort((r, c))
    return c[order], b[order], r[order]


def _packed_stops(n: int, frm: np.ndarray, to: np.ndarray, board: np.ndarray, alight: np.ndarray,
                  fi_conn: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The kernel's c_from and c_to (``csa``'s module docstring: a flag folded into the sign,
    firings below -n) and fi_to, so that the scan reads one int32 where it read a stop, a
    flag and a firing index; and per connection its first firing or -1 (``np_fire``)."""
    k_from = np.where(board, frm, ~frm).astype(np.int32)
    k_to = np.where(alight, to, ~to).astype(np.int64)
    fi_to = k_to[fi_conn].astype(np.int32)
    first = np.ones(fi_conn.size, dtype=bool)
    first[1:] = fi_conn[1:] != fi_conn[:-1]
    k_to[fi_conn[first]] = ~(n + np.flatnonzero(first))
    c_fire = np.full(frm.shape[0], -1, dtype=np.int32)
    c_fire[fi_conn[first]] = np.flatnonzero(first)
    if k_to.size and int(k_to.min()) < np.iinfo(np.int32).min:
        raise ValueError(f"timetable too large for the router: {n} stops and {fi_conn.size} rule firings")
    return k_from, k_to.astype(np.int32), fi_to, c_fire


def _scan_ea_stops(n: int, k_from: np.ndarray, k_to: np.ndarray, fi_conn: np.ndarray, fi_board: np.ndarray,
                   fi_trip: np.ndarray, fi_to: np.ndarray, rs_of: np.ndarray, trip: np.ndarray, dep: np.ndarray,
                   last_hop: np.ndarray, nt: int) -> tuple[np.ndarray, np.ndarray, tuple, bool]:
    """``csa.scan_ea``'s c_from and c_to: uint32, the stop, or n where the kernel's code is
    negative (no pickup; no drop-off or rules fire), so that its skip loop tests no sign; and
    per trip the firing it fires when the trip is boarded (``csa._ride_on``) rather than when
    the trip's last hop is ridden: that hop's only firing, in seat, boarding a hop that leaves
    after it (a boarded trip rides its last hop, so the boarding is known then; the hop it
    boards is scanned after the last one). Such a last hop then reads as a plain stop, at
    which the skip loop does not stop (a one-to-all scan of hart rides ~1800 of them: ~40% of
    the connections it stopped at), as (ride_conn, ride_board, ride_trip): per trip that hop,
    the hop it boards and its trip (-1: none). Last, whether every firing is such a one
    (``View.ea_scan``)."""
    ride = np.zeros((3, max(nt, 1)), dtype=np.int32)
    ride[2] = -1
    ea_to = k_to.copy()
    first = np.ones(fi_conn.size, dtype=bool)
    first[1:] = fi_conn[1:] != fi_conn[:-1]
    only = first.copy()
    only[:-1] &= first[1:]
    c = fi_conn
    ok = only & (rs_of == IN_SEAT) & (last_hop[trip[c]] == c) & (dep[fi_board] > dep[c])
    k = np.flatnonzero(ok)
    ea_to[c[k]] = fi_to[k]
    ride[:, trip[c[k]]] = c[k], fi_board[k], fi_trip[k]
    return np.where(k_from >= 0, k_from, n).astype(np.uint32), np.where(ea_to >= 0, ea_to, n).astype(np.uint32), \
        tuple(ride[:, :nt]), bool(ok.all())


def _ride_chains(trip: np.ndarray, ride: tuple, nt: int) -> tuple[np.ndarray, tuple]:
    """Trips that run on into each other in seat (``ride``: per trip its last hop, the hop it
    boards and that hop's trip, or -1) joined into ride chains, for a scan of times only: a
    trip b joins the chain of the trip a that runs on into it where a is the only trip that
    does. The hop an in-seat ride boards is b's first (``_firings``), after a's last
    (``_scan_ea_stops``), so a chain's hops come trip after trip in scan order, boarding any
    hop of it is riding every later hop, and the scan's first-boarded connection per chain
    says which hops are ridden as it does per trip. Returns per connection its chain (the id
    of the chain's first trip), and per chain the ``ride`` of its last trip, which runs on
    into a chain it did not join (for ``csa._ride_on``). On hart the ~3100 trips of blocks
    make 174 chains: a one-to-all scan boards ~140 of them rather than ~1960 trips (5-10%
    faster)."""
    r_conn, r_board, r_trip = (np.asarray(x, dtype=np.int64) for x in ride)
    ids = np.arange(nt, dtype=np.int64)
    on = np.flatnonzero(r_trip >= 0)
    into = np.bincount(r_trip[on], minlength=nt)[:nt] if nt else np.zeros(0, np.int64)
    join = on[into[r_trip[on]] == 1]
    prev = ids.copy()
    prev[r_trip[join]] = join
    head = prev
    while True:                             # pointer jumping: each trip's chain's first trip
        up = head[head]
        if np.array_equal(up, head):
            break
        head = up
    joined = np.zeros(nt, dtype=bool)
    joined[join] = True
    out = np.full((3, max(nt, 1)), -1, dtype=np.int32)
    last = on[~joined[on]]                  # a chain's last trip running on into another chain
    out[0, head[last]] = r_conn[last]
    out[1, head[last]] = r_board[last]
    out[2, head[last]] = head[r_trip[last]]
    return head[trip].astype(np.uint32), tuple(out[:, :nt])


def _build(tt: Timetable, reverse: bool, which: str) -> View:
    n, nt = tt.n_stops, tt.n_trips
    i32 = np.int32
    dep, arr = tt.c_dep.astype(i32, copy=False), tt.c_arr.astype(i32, copy=False)
    frm, to = tt.c_from.astype(i32, copy=False), tt.c_to.astype(i32, copy=False)
    trip, seq = tt.c_trip.astype(i32, copy=False), tt.c_seq.astype(i32, copy=False)
    board, alight = tt.c_board.astype(bool, copy=False), tt.c_alight.astype(bool, copy=False)
    fp_start, fp_to, fp_dur = tt.fp_start, tt.fp_to, tt.fp_dur
    rk, rf, rt, rs = tt.transfer_rules()
    if reverse:
        dep, arr = -arr, -dep
        frm, to = to, frm
        seq = -seq
        board, alight = alight, board
        fp_start, fp_to, fp_dur = csr_reverse(n, fp_start, fp_to, fp_dur)
        rk = (rk % max(nt, 1)) * nt + rk // max(nt, 1)
        rf, rt = rt, rf
        o = np.lexsort((rt, rf, rt < 0, rf < 0, rk))
        rk, rf, rt, rs = rk[o], rf[o], rt[o], rs[o]
    if not _in_scan_order(dep, arr, trip, seq):
        order = np.lexsort((seq, trip, arr, dep))
        dep, arr, frm, to = dep[order], arr[order], frm[order], to[order]
        trip, seq, board, alight = trip[order], seq[order], board[order], alight[order]
    hops = np.bincount(trip, minlength=nt).astype(np.int64)
    conn_of, start = trip_hops(trip, hops, nt)
    ran = hops[:nt] > 0
    last_hop = np.full(max(nt, 1), -1, dtype=np.int64)     # each trip's last hop (in scan order)
    last_hop[:nt][ran] = conn_of[start[1:][ran] - 1]
    trip_end = np.full(max(nt, 1), -INF, dtype=i32)        # and its departure
    trip_end[:nt][ran] = dep[last_hop[:nt][ran]]
    fi_conn, fi_board, fi_rule = _firings(rk, rf, rt, rs, nt, hops, conn_of, start, frm, to, dep, arr, board, alight)
    fi_trip = rk[fi_rule] % max(nt, 1)
    k_from, k_to, fi_to, c_fire = _packed_stops(n, frm, to, board, alight, fi_conn)
    k_trip = trip.view(np.uint32)
    k_ea_from, k_ea_to, ride, ea_scan = _scan_ea_stops(n, k_from, k_to, fi_conn, fi_board, fi_trip, fi_to,
                                                       rs[fi_rule], trip, dep, last_hop, nt)
    # (the forward view's only: scan_ea runs forward)
    k_chain, chain_ride = _ride_chains(trip, ride, nt) if which != "python" and not reverse else (None, None)
    conn = dict(c_from=k_from, c_to=k_to, ea_from=k_ea_from, ea_to=k_ea_to, c_dep=dep, c_arr=arr, c_trip=k_trip)
    rest = dict(trip_end=trip_end[:nt], ride_conn=ride[0], ride_board=ride[1], ride_trip=ride[2],
                stop_change=tt.stop_change.astype(i32, copy=False),
                fp_start=fp_start.astype(i32, copy=False), fp_to=fp_to.astype(np.uint32, copy=False),
                fp_dur=fp_dur.astype(i32, copy=False), ru_key=rk.astype(np.int64),
                ru_from=rf.astype(i32), ru_to=rt.astype(i32), ru_secs=rs.astype(i32),
                fi_conn=fi_conn.astype(i32), fi_board=fi_board.astype(i32), fi_rule=fi_rule.astype(i32),
                fi_trip=fi_trip.astype(i32), fi_to=fi_to)
    if which == "python":
        rest = {k: v.tolist() for k, v in rest.items()}
        nc = dep.shape[0]
        conn = {k: (v.tolist() if k == "c_dep" else [0] * nc) for k, v in conn.items()}
    return View(n=n, nt=nt, K=_label_width(rk, rf, rs, hops, nt), backend=which, trip_rules=rk.size > 0,
                ea_scan=ea_scan,
                **conn, **rest, np_dep=dep, np_arr=arr, np_from=frm, np_to=to, np_trip=trip,
                np_board=board, np_alight=alight, np_seq=seq, np_rules=(rk, rf, rt, rs),
                np_fire=c_fire, k_from=k_from, k_to=k_to, k_trip=k_trip, k_ea_from=k_ea_from,
                k_ea_to=k_ea_to, k_chain=k_chain, chain_ride=chain_ride)


_CACHE: dict[int, tuple[weakref.ref, dict]] = {}


def view(tt: Timetable, reverse: bool = False, scans: float = 1.0) -> View:
    """The (cached) forward or reverse view of ``tt`` for the backend that suits a query of
    about ``scans`` whole-timetable scans (see ``backend.choose``)."""
    which = backend.choose(tt.n_connections, scans)
    key = id(tt)
    hit = _CACHE.get(key)
    if hit is None or hit[0]() is not tt:
        views: dict = {}
        _CACHE[key] = (weakref.ref(tt, lambda _r, k=key: _CACHE.pop(k, None)), views)
    else:
        views = hit[1]
    v = views.get((reverse, which))
    if v is None:
        v = views[(reverse, which)] = _build(tt, reverse, which)
    return v
