"""What a query's answer is bounded by before any scan: origin/target offsets, direct journeys.

A transfer-bounded scan to targets (``pareto``, ``profile``) may stop once no connection can
improve its loosest layer, the one-ride journeys; without a direct journey that bound never
comes and the scan runs to the end of the day. The direct journeys follow from the connection
arrays alone, vectorised and without a scan: per departure L, D(L) = the earliest arrival at a
target of a one-ride journey leaving a source at or after L (an origin footpath, one ride, a
final footpath). The scan then starts with D(L) as its target bound or, when there is no direct
journey, prunes by the two-ride journeys instead (one-ride labels then only feed later rides).
"""

from __future__ import annotations

import numpy as np

from ..timetable.model import Timetable
from .csa import IN_SEAT, INF
from .views import distinct


def origin_offsets(tt: Timetable, n: int, src: np.ndarray) -> np.ndarray:
    """Per stop, the walk (s) from the nearest source: 0 at a source, a footpath's duration one
    footpath away, ``INF`` elsewhere (int64)."""
    off = np.full(n, INF, dtype=np.int64)
    for s in src.tolist():
        a, b = int(tt.fp_start[s]), int(tt.fp_start[s + 1])
        if b > a:
            np.minimum.at(off, tt.fp_to[a:b], tt.fp_dur[a:b].astype(np.int64))
    off[src] = 0
    return off


def target_offsets(tt: Timetable, n: int, tg: np.ndarray) -> np.ndarray:
    """Per stop, the walk (s) to the nearest target: 0 at a target, a footpath's duration one
    footpath before one, ``INF`` elsewhere (int64)."""
    off = np.full(n, INF, dtype=np.int64)
    if len(tt.fp_to):
        is_t = np.zeros(n, dtype=bool)
        is_t[tg] = True
        hit = np.flatnonzero(is_t[tt.fp_to])
        if hit.size:
            frm = np.searchsorted(tt.fp_start, hit, side="right") - 1
            np.minimum.at(off, frm, tt.fp_dur[hit].astype(np.int64))
    off[tg] = 0
    return off


def _suffix_min_by_group(val: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Per position, the minimum of ``val`` from there to the end of its group (``group``
    ascending, groups contiguous): one accumulate, each group offset far below the previous."""
    if val.size == 0:
        return val
    rank = np.cumsum(np.r_[0, group[1:] != group[:-1]]).astype(np.int64)
    big = np.int64(1) << 34                     # above the span of any value (times, INF)
    rev = val[::-1] + (rank[::-1] - rank[-1]) * big   # later groups come first, shifted up
    return (np.minimum.accumulate(rev) - (rank[::-1] - rank[-1]) * big)[::-1]


def direct_arrivals(tt: Timetable, v, o_off: np.ndarray, t_off: np.ndarray, events: np.ndarray,
                    latest: int = INF) -> np.ndarray:
    """Per departure in ``events``: D(L), the earliest arrival at a target of a journey with
    one ride leaving a source at or after L (``INF`` when there is none), from the origin and
    target offsets. ``v`` is the forward view; only the connections at the origin and target
    stops are looked at. Rides leaving a source after ``latest`` do not count."""
    out = np.full(len(events), INF, dtype=np.int64)
    b_idx = v.at_stops(np.flatnonzero(o_off < INF), "from")
    b_idx = b_idx[v.np_board[b_idx]]
    a_idx = v.at_stops(np.flatnonzero(t_off < INF), "to")
    a_idx = a_idx[v.np_alight[a_idx]]
    has_b = np.zeros(v.nt, dtype=bool)
    has_a = np.zeros(v.nt, dtype=bool)
    has_b[v.np_trip[b_idx]] = True
    has_a[v.np_trip[a_idx]] = True
    both = has_a & has_b
    b_idx = b_idx[both[v.np_trip[b_idx]]]
    a_idx = a_idx[both[v.np_trip[a_idx]]]
    if b_idx.size == 0:
        return out
    # boardings and alightings of each trip in ride order (an alighting sorts after a boarding
    # of the same hop: riding one hop is boarding and alighting the same connection)
    idx = np.concatenate([b_idx, a_idx])
    is_b = np.r_[np.ones(b_idx.size, dtype=bool), np.zeros(a_idx.size, dtype=bool)]
    order = np.lexsort((~is_b, v.np_seq[idx], v.np_trip[idx]))
    idx, is_b = idx[order], is_b[order]
    val = np.where(is_b, INF, v.np_arr[idx].astype(np.int64) + t_off[v.np_to[idx]])
    best = _suffix_min_by_group(val, v.np_trip[idx])[is_b]
    bi = idx[is_b]
    leave = v.np_dep[bi].astype(np.int64) - o_off[v.np_from[bi]]
    if latest < INF:
        keep = leave <= latest
        leave, best = leave[keep], best[keep]
        if leave.size == 0:
            return out
    order = np.argsort(leave, kind="stable")
    leave, best = leave[order], best[order]
    later = np.minimum.accumulate(best[::-1])[::-1]     # best over leaving at or after
    at = np.searchsorted(leave, np.asarray(events, dtype=np.int64), side="left")
    ok = at < leave.size
    out[ok] = later[at[ok]]
    return out


def _route_stops(tt: Timetable, v) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(route, stop) pairs where some trip of the route may be boarded / alighted, distinct,
    and every footpath's start stop; built once per view."""
    got = v._stop_index.get("routes")
    if got is None:
        route = np.asarray(tt.trip_route, dtype=np.int64)[v.np_trip]
        n = np.int64(v.n)
        b = distinct(route[v.np_board] * n + v.np_from[v.np_board])
        a = distinct(route[v.np_alight] * n + v.np_to[v.np_alight])
        fp_from = np.repeat(np.arange(v.n), np.diff(np.asarray(tt.fp_start, dtype=np.int64)))
        got = v._stop_index["routes"] = (b // n, b % n, a // n, a % n, fp_from, _seat_routes(tt, v, route))
    return got


def _seat_routes(tt: Timetable, v, route: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(from route, to route) pairs, distinct, where a ride may go on in seat as a trip of
    another route (an in-seat rule's firing, e.g. a block_id continuation): the same ride."""
    fi_conn, fi_trip, fi_rule = (np.asarray(x, dtype=np.int64) for x in (v.fi_conn, v.fi_trip, v.fi_rule))
    seat = np.asarray(v.ru_secs, dtype=np.int64)[fi_rule] == IN_SEAT if fi_rule.size else np.zeros(0, dtype=bool)
    trip_route = np.asarray(tt.trip_route, dtype=np.int64)
    m = np.int64(max(len(tt.route_ids), 1))
    pairs = distinct(route[fi_conn[seat]] * m + trip_route[fi_trip[seat]])
    return pairs // m, pairs % m


def fewest_rides(tt: Timetable, v, o_off: np.ndarray, t_off: np.ndarray, most: int) -> int:
    """A lower bound on the rides of any journey from the origin stops (``o_off`` < INF) to
    the target stops (``t_off`` < INF): rounds over routes, ignoring time and the order of
    stops (so they find every journey the scan can, and more); a ride going on in seat into
    another route (``_seat_routes``) counts once, as in the scan. Not valid with governing trip
    rules (a timed change needs no footpath). ``most + 1`` when more than
    ``most`` rides are needed or the targets cannot be reached at all."""
    b_route, b_stop, a_route, a_stop, fp_from, (seat_a, seat_b) = _route_stops(tt, v)
    n_routes = len(tt.route_ids)
    goal = t_off < INF
    reach = o_off < INF
    for k in range(1, most + 1):
        routes = np.zeros(n_routes, dtype=bool)
        routes[b_route[reach[b_stop]]] = True
        while seat_a.size:          # going on in seat into another route is the same ride
            more = routes.copy()
            more[seat_b[routes[seat_a]]] = True
            if (more == routes).all():
                break
            routes = more
        got = np.zeros(v.n, dtype=bool)
        got[a_stop[routes[a_route]]] = True
        if (got & goal).any():
            return k
        got[tt.fp_to[got[fp_from]]] = True
        new = reach | got
        if (new == reach).all():
            return most + 1
        reach = new
    return most + 1
