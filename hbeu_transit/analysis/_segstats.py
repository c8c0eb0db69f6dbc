"""The percentiles of ``circle._bisect`` as a loop numba compiles (large feeds).

Same answer: per group and rank r, the smallest travel time x (seconds) such that at least r
minutes of the window have travel time <= x; ``UNREACHABLE`` when fewer than r minutes have a
journey. Faster route: a segment's travel times ``rel - k * step`` (k in [klo, khi)) all
share the phase q = rel mod step and run over consecutive "steps" m = (value - q) / step in
[mlo, mhi]; sorted, the values are ordered by (m, q). One sweep over the sorted interval ends
finds the step holding each rank (ranks ascending), and the phases of the segments covering
that step, sorted, give the value exactly. Written in the subset of Python numba compiles;
``run`` compiles it on first use (cached on disk). The sorts are a heapsort of its own
(``sort_prefix``): numba's np.sort made that first compile 1.1 s instead of 0.5 s (hart's
first circle in a new cache folder), for the same order of ints.
"""

from __future__ import annotations

import numpy as np
from numba.extending import register_jitable

INF = 2147483647   # router.UNREACHABLE (kept literal: this module is compiled on its own)


@register_jitable
def sort_prefix(a, n):
    """Sort a[:n] ascending in place (heapsort: O(n log n), no extra memory)."""
    for start in range(n // 2 - 1, -1, -1):
        _sift(a, start, n)
    for end in range(n - 1, 0, -1):
        a[0], a[end] = a[end], a[0]
        _sift(a, 0, end)


@register_jitable
def _sift(a, root, n):
    """Move a[root] down the max-heap a[:n] to its place."""
    while True:
        child = 2 * root + 1
        if child >= n:
            return
        if child + 1 < n and a[child] < a[child + 1]:
            child += 1
        if a[root] >= a[child]:
            return
        a[root], a[child] = a[child], a[root]
        root = child


def select_groups(first, mlo, mhi, phase, step, ranks, out, qbuf, ebuf):
    """out[j, g] for every rank j (ascending) and group g (groups are segments
    first[g]..first[g+1]-1; a segment without values has mlo > mhi).

    Per group one sweep over the sorted interval ends: between two ends the count of values
    grows by the number of open intervals per step, which places every rank in its step."""
    G = len(first) - 1
    R = len(ranks)
    for g in range(G):
        a = first[g]
        b = first[g + 1]
        n = 0
        for i in range(a, b):
            if mhi[i] >= mlo[i]:
                ebuf[n] = mlo[i] * 2 + 1          # an interval opens at mlo (odd: +1)
                ebuf[n + 1] = (mhi[i] + 1) * 2    # and closes after mhi (even: -1)
                n += 2
        sort_prefix(ebuf, n)
        ev = ebuf
        j = 0
        before = 0          # values in steps < prev
        open_ = 0
        prev = 0
        for e in range(n):
            pos = ev[e] // 2
            while j < R and open_ > 0 and ranks[j] <= before + open_ * (pos - prev):
                m = prev + (ranks[j] - before - 1) // open_
                rest = ranks[j] - before - open_ * (m - prev)
                k = 0
                for i in range(a, b):
                    if mlo[i] <= m and m <= mhi[i]:
                        qbuf[k] = phase[i]
                        k += 1
                sort_prefix(qbuf, k)
                out[j, g] = m * step + qbuf[rest - 1]
                j += 1
            before += open_ * (pos - prev)
            prev = pos
            if ev[e] % 2 == 1:
                open_ += 1
            else:
                open_ -= 1
        while j < R:
            out[j, g] = INF
            j += 1


_compiled = None


def run(first, rel, klo, khi, step, ranks, compiled: bool = True) -> np.ndarray:
    """(len(ranks) x groups) percentiles of the segments (see ``circle.Segments``)."""
    global _compiled
    rel = np.asarray(rel, dtype=np.int64)
    klo = np.asarray(klo, dtype=np.int64)
    khi = np.asarray(khi, dtype=np.int64)
    ok = (rel < INF) & (khi > klo)
    phase = np.where(ok, rel % step, 0)
    base = np.where(ok, (rel - phase) // step, 0)
    mlo = np.where(ok, base - khi + 1, 1)
    mhi = np.where(ok, base - klo, 0)
    starts = np.concatenate((np.asarray(first, dtype=np.int64), [len(rel)]))
    out = np.empty((len(ranks), len(first)), dtype=np.int64)
    fn = select_groups
    if compiled:
        if _compiled is None:
            import numba

            _compiled = numba.njit(cache=True, nogil=True)(select_groups)
        fn = _compiled
    fn(starts, mlo, mhi, phase, int(step), np.asarray(ranks, dtype=np.int64), out,
       np.empty(max(1, len(rel)), dtype=np.int64), np.empty(max(2, 2 * len(rel)), dtype=np.int64))
    return out
