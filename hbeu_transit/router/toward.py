"""An all-to-one profile: from every stop, the journeys to one target set, in one backward pass.

``profile_all`` answers "from this origin, when do I reach each stop?" with one scan per
departure (self-pruning, ``csa.scan``). A coverage matrix from a few origins to a few
destinations on a small feed asks the mirror question just as well: "from each stop, when do
I reach this destination?", which the classic profile connection scan answers in a single pass
over the connections, latest first (Dibbelt et al., "Connection Scan Algorithm", 2018):

* per trip, ``tau[T]``: the earliest target arrival for someone sitting on T at the hop being
  scanned (getting off there, or riding on: the later hops were scanned already);
* per stop, its *boarding profile*: Pareto (departure, arrival) pairs, "ready to board here at
  the departure reaches the targets at the arrival", appended as the scan goes back in time,
  so departures and arrivals both decrease along the list;
* getting off at v at a: the targets at a (+ a footpath's duration when one leads to a target),
  or the boarding profile of v at a + its change time (none where changing is forbidden), or of
  a footpath's end at a + its duration (one footpath, never two in a row).

The rules are ``csa.scan``'s without a transfer limit or trip transfer rules (``usable``):
staying on is free, a change costs the stop's change time, a footpath its duration, the origin
no change time. A group of equal departures that holds a zero-duration hop is scanned again
until nothing changes (a ride arriving when it left may feed a connection of its own group).
Departure profiles then come from the boarding profiles: leaving s at t means being ready at s
at t, or at the end of a footpath from s at t + its duration (``bounds.origin_offsets``).

Pure Python on lists plus numpy to assemble, for the interpreter's small feeds: one pass per
target set costs about as much as a few of ``profile_all``'s per-departure runs.
"""

from __future__ import annotations

import weakref
from bisect import bisect_right
from collections.abc import Sequence

import numpy as np

from ..timetable.model import Timetable
from .api import ProfileAll, stop_indices
from .csa import INF
from .views import View, view

__all__ = ["profile_to", "usable"]

#: "no journey" inside the pass: above any time, and one CPython digit (fast comparisons)
NEVER = (1 << 30) - 1

_PREPARED: dict[int, tuple[weakref.ref, tuple]] = {}


def usable(v: View, max_transfers: int | None = None) -> bool:
    """Whether ``profile_to`` answers for this view: no transfer limit, no trip transfer rules
    (blocks, timed or forbidden changes), which need ``csa.scan``'s labels."""
    return max_transfers is None and not v.trip_rules


def _prepared(v: View) -> tuple[list, list, list, list]:
    """(connections latest first as (dep, arr, trip, stop boarded or -1, stop left or -1)
    tuples, their departures ascending, per stop its (stop, delay) boarding offers after a ride
    arrives there, the positions in the first list of zero-duration hops); once per view."""
    hit = _PREPARED.get(id(v))
    if hit is not None and hit[0]() is v:
        return hit[1]
    frm = np.where(v.np_board, v.np_from, -1).tolist()
    to = np.where(v.np_alight, v.np_to, -1).tolist()
    dep = v.np_dep.tolist()
    conns = list(zip(dep, v.np_arr.tolist(), v.np_trip.tolist(), frm, to))[::-1]
    fs, ft, fd = (np.asarray(x).tolist() for x in (v.fp_start, v.fp_to, v.fp_dur))
    ch = np.asarray(v.stop_change).tolist()
    offers = [(((s, ch[s]),) if ch[s] >= 0 else ()) + tuple(zip(ft[fs[s]:fs[s + 1]], fd[fs[s]:fs[s + 1]]))
              for s in range(v.n)]
    zero = np.flatnonzero(v.np_arr[::-1] == v.np_dep[::-1]).tolist()
    out = (conns, dep, offers, zero)
    _PREPARED[id(v)] = (weakref.ref(v, lambda _r, k=id(v): _PREPARED.pop(k, None)), out)
    return out


def boarding_profiles(v: View, target_walk: list[int], start: int) -> tuple[list[list[int]], list[list[int]]]:
    """Per stop, its boarding profile (module docstring) as two lists, minus departures
    (ascending) and arrivals (descending), from the connections leaving at or after ``start``.
    ``target_walk[s]``: 0 at a target, the shortest footpath from s to one, NEVER elsewhere."""
    conns, dep, offers, zero = _prepared(v)
    n, nt = v.n, v.nt
    neg: list[list[int]] = [[] for _ in range(n)]
    val: list[list[int]] = [[] for _ in range(n)]
    tau = [NEVER] * nt
    stop = len(dep) - bisect_right(dep, start - 1)     # connections leaving at or after start
    # passes: spans of the reversed list, each once, but a group of equal departures holding
    # a zero-duration hop until nothing changes
    spans = []
    done = 0
    for c in zero:
        if c < done:
            continue
        if c >= stop:
            break
        d = conns[c][0]
        lo = len(dep) - bisect_right(dep, d)
        hi = len(dep) - bisect_right(dep, d - 1)
        spans += [(done, lo, False), (lo, hi, True)]
        done = hi
    spans.append((done, stop, False))
    for lo, hi, again in spans:
        if again:
            trips = {conns[k][2] for k in range(lo, hi)}
            before = {T: tau[T] for T in trips}
        while True:
            changed = False
            for d, a, T, s, u in conns[lo:hi]:
                best = tau[T]
                if u >= 0 and a < best:
                    x = a + target_walk[u]
                    if x < best:
                        best = x
                    for w, dl in offers[u]:
                        ns = neg[w]
                        t = -a - dl
                        if ns and ns[0] <= t:               # a pair leaving w at a + dl or later:
                            if ns[-1] <= t:                 # the last (the common case), else
                                x = val[w][-1]              # the last one leaving by then
                            else:
                                x = val[w][bisect_right(ns, t) - 1]
                            if x < best:
                                best = x
                    tau[T] = best
                if s >= 0 and best < NEVER:
                    vs = val[s]
                    if not vs or best < vs[-1]:
                        ns = neg[s]
                        if ns and ns[-1] == -d:
                            vs[-1] = best
                        else:
                            ns.append(-d)
                            vs.append(best)
                        changed = True
            if not again or not changed:
                break
            for T, x in before.items():     # the group again, from the labels before it
                tau[T] = x
    return neg, val


def profile_to(tt: Timetable, targets: Sequence[int], start: int, end: int, *,
               max_transfers: int | None = None) -> ProfileAll:
    """For every stop s, the (departure, arrival) pairs of journeys leaving s within
    [start, end] to any of ``targets`` (with at least one ride) that no journey leaving s later
    (or equal) beats, and ``after[s]``, the earliest arrival leaving s after ``end``: the
    all-to-one mirror of ``profile_all`` (same ``ProfileAll``; pairs of stop s are journeys
    from s). Leaving s means standing at s, or walking one footpath from it to a first
    platform, as the origin of every query. Raises ValueError where ``usable`` says no."""
    v = view(tt)
    if not usable(v, max_transfers):
        raise ValueError("profile_to: no transfer limit or trip transfer rules (use profile_all per origin)")
    tg = stop_indices(tt, targets, "targets")
    if not tg.size:
        raise ValueError("no target stop")
    n = v.n
    walk = np.full(n, NEVER, dtype=np.int64)
    walk[tg] = 0
    fs = np.asarray(tt.fp_start, dtype=np.int64)
    to = np.asarray(tt.fp_to, dtype=np.int64)
    dur = np.asarray(tt.fp_dur, dtype=np.int64)
    hit = np.flatnonzero(walk[to] == 0)
    if hit.size:
        np.minimum.at(walk, np.searchsorted(fs, hit, side="right") - 1, dur[hit])
    neg, val = boarding_profiles(v, walk.tolist(), int(start))
    return departures(neg, val, fs, to, dur, int(start), int(end))


def departures(neg: list[list[int]], val: list[list[int]], fs: np.ndarray, to: np.ndarray, dur: np.ndarray,
               start: int, end: int) -> ProfileAll:
    """The departure profiles (``profile_to``) from the boarding profiles: stop s's own pairs
    and those of each footpath's end, leaving the duration earlier; the Pareto ones per stop."""
    n = len(neg)
    cnt = np.fromiter(map(len, neg), dtype=np.int64, count=n)
    own_d = -np.fromiter((x for ns in neg for x in ns), dtype=np.int64, count=int(cnt.sum()))
    own_a = np.fromiter((x for vs in val for x in vs), dtype=np.int64, count=own_d.size)
    first = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(cnt, out=first[1:])
    own_s = np.repeat(np.arange(n, dtype=np.int64), cnt)
    # each footpath s -> u repeats u's pairs for s, departing its duration earlier
    fp_from = np.repeat(np.arange(n, dtype=np.int64), np.diff(fs))
    k = cnt[to]
    idx = np.repeat(first[to] - np.cumsum(k) + k, k) + np.arange(int(k.sum()), dtype=np.int64)
    s = np.concatenate((own_s, np.repeat(fp_from, k)))
    d = np.concatenate((own_d, own_d[idx] - np.repeat(dur, k)))
    a = np.concatenate((own_a, own_a[idx]))
    keep = d >= start
    s, d, a = s[keep], d[keep], a[keep]
    # Pareto per stop: latest departure first (stops descending, so that a running minimum of
    # stop * BIG + arrival restarts at every stop), earlier arrival first among equal departures
    order = np.lexsort((a, -d, -s))
    s, d, a = s[order], d[order], a[order]
    big = np.int64(1) << 40
    key = s * big + a
    run = np.minimum.accumulate(key) if key.size else key
    prev = np.concatenate(([np.iinfo(np.int64).max], run[:-1]))
    new = np.concatenate(([True], s[1:] != s[:-1])) if s.size else np.zeros(0, dtype=bool)
    pareto = new | (key < prev)
    s, d, a = s[pareto][::-1], d[pareto][::-1], a[pareto][::-1]   # stops, then departures ascending
    after = np.full(n, INF, dtype=np.int64)
    late = d > end
    np.minimum.at(after, s[late], a[late])
    s, d, a = s[~late], d[~late], a[~late]
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(s, minlength=n), out=starts[1:])
    return ProfileAll(starts, d, a, after, (start, end))
