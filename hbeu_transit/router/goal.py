"""Goal direction for target-bounded scans: a lower bound on the time from each stop to the
targets (``to_targets``), so that a label that cannot beat the best target arrival known even
travelling at that bound is dropped (as A* does), not only one leaving after it.

The bound is the least total hop time over the stop graph (a connection's duration, a
footpath's), ignoring waits and change times: a Dijkstra over the reverse graph from the
targets. A journey leaving stop s at w reaches a target no earlier than w + h[s].
"""

from __future__ import annotations

import threading

import numpy as np

from . import backend
from .views import stop_hops

INF = 2147483647    # csa.INF

_compiled = None


def lower_bounds(start, nbr, dur, targets, h, heap_t, heap_s):
    """Per stop, the least time from it to a target (``h``, INF-initialised): Dijkstra over
    the reverse graph (``start``/``nbr``/``dur``: per stop, the stops with a connection or a
    footpath to it and the shortest such hop) from the targets. A journey leaving a stop at w
    arrives at a target no earlier than w + h[stop] (waits and changes only add to it), so
    a label that cannot beat the bound even so is useless (goal-directed pruning). ``heap_*``
    hold one entry per edge and target."""
    m = 0
    for i in range(len(targets)):
        t = targets[i]
        h[t] = 0
        heap_t[m] = 0
        heap_s[m] = t
        m += 1
        k = m - 1                       # (all keys 0: no sift needed)
    while m > 0:
        t = heap_t[0]
        s = heap_s[0]
        m -= 1
        # pop: the last entry to the root, sifted down
        lt = heap_t[m]
        ls = heap_s[m]
        k = 0
        while True:
            c = 2 * k + 1
            if c >= m:
                break
            if c + 1 < m and heap_t[c + 1] < heap_t[c]:
                c += 1
            if heap_t[c] >= lt:
                break
            heap_t[k] = heap_t[c]
            heap_s[k] = heap_s[c]
            k = c
        heap_t[k] = lt
        heap_s[k] = ls
        if t > h[s]:
            continue
        for i in range(start[s], start[s + 1]):
            u = nbr[i]
            w = t + dur[i]
            if w < h[u]:
                h[u] = w
                k = m                   # push, sifted up
                m += 1
                while k > 0:
                    p = (k - 1) // 2
                    if heap_t[p] <= w:
                        break
                    heap_t[k] = heap_t[p]
                    heap_s[k] = heap_s[p]
                    k = p
                heap_t[k] = w
                heap_s[k] = u


def reverse_graph(v) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR of the reverse stop graph: per stop, the stops one hop before it and the least
    duration of such a hop (``views.stop_hops``: connections, footpaths, trip rule firings)."""
    n = v.n
    frm, to, dur = stop_hops(v)
    order = np.lexsort((dur, frm, to))
    to, frm, dur = to[order], frm[order], dur[order]
    first = np.ones(to.size, dtype=bool)
    first[1:] = (to[1:] != to[:-1]) | (frm[1:] != frm[:-1])
    to, frm, dur = to[first], frm[first], dur[first]
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(to, minlength=n), out=start[1:])
    return start, frm, dur


def to_targets(v, tg: np.ndarray) -> np.ndarray:
    """Per stop of view ``v``, the lower bound (s) on reaching any of ``tg`` (int64, INF where
    no path); the reverse graph is built once per view."""
    global _compiled
    g = v._stop_index.get("goal graph")
    if g is None:
        g = v._stop_index["goal graph"] = reverse_graph(v)
    start, nbr, dur = g
    key = ("goal heap", threading.get_ident())      # a thread's own heap: the kernel drops the GIL
    heap = v._stop_index.get(key)
    if heap is None:
        heap = v._stop_index[key] = [np.zeros(len(nbr) + v.n + 1, dtype=np.int64) for _ in range(2)]
    fn = lower_bounds
    if v.backend == "numba":
        if _compiled is None:
            _compiled = backend.jit(lower_bounds) or lower_bounds
        fn = _compiled
    h = np.full(v.n, INF, dtype=np.int64)
    if fn is lower_bounds:      # interpreted: plain lists
        hl = h.tolist()
        fn(start.tolist(), nbr.tolist(), dur.tolist(), np.asarray(tg).tolist(), hl, heap[0].tolist(), heap[1].tolist())
        return np.array(hl, dtype=np.int64)
    fn(start, nbr, dur, np.asarray(tg, dtype=np.int64), h, *heap)
    return h
