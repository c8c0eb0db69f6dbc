"""The time-expanded networkx graph of a compiled Timetable: the routing *oracle*.

It is a deliberately plain model of the routing rules in
``timetable.model`` that the fast router is checked against in the differential tests. Every
node carries the moment it stands for (``time``), so an arc's weight is simply the time between
its two ends and a query is reachability plus a minimum over reached nodes. Nothing here is
tuned for speed; keep it small and obviously right.

Nodes of the time-expanded graph:

* ``("dep", c)``: on board the vehicle of connection c as it leaves ``c_from[c]`` at ``c_dep[c]``.
* ``("arr", c)``: on board as it reaches ``c_to[c]`` at ``c_arr[c]``.
* ``("wait", s, t)``: standing at stop s at time t, where t is a time some boardable
  connection leaves s.

Arcs (attribute ``kind``; ``board`` = 1 on the arcs that start a ride, so rides = sum of board):

* ride ``dep c -> arr c``; stay ``arr c -> dep c'`` for the next hop c' of the same trip;
* wait ``(s, t) -> (s, t')`` for consecutive departure times at s; board ``(s, t) -> dep c``
  when c leaves s at t and pickup is allowed;
* transfer ``arr c -> first (s, t)`` with t >= c_arr + stop_change[s] at the same stop (none when
  forbidden) and walk ``arr c -> first (u, t)`` with t >= c_arr + fp_dur for each footpath s -> u,
  only when drop-off is allowed. When trip_transfer_block forbids some changes from c's trip, those
  arcs instead go straight to each allowed boardable ``dep`` (board = 1), never through the wait
  chain, so no blocked trip can be reached by waiting.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx
import numpy as np

from .timetable.model import Timetable

INF = float("inf")

__all__ = ["Oracle", "journey_problems", "station_stops", "time_expanded_graph"]


# --------------------------------------------------------------------------- time-expanded graph

def _footpaths(tt: Timetable, s: int) -> list[tuple[int, int]]:
    """(to_stop, seconds) of the footpaths leaving stop s."""
    a, b = int(tt.fp_start[s]), int(tt.fp_start[s + 1])
    return [(int(tt.fp_to[i]), int(tt.fp_dur[i])) for i in range(a, b)]


def _blocked(tt: Timetable) -> dict[int, set[int]]:
    """from_trip -> set of to_trips a traveller may not change to."""
    out: dict[int, set[int]] = defaultdict(set)
    n = tt.n_trips
    for code in np.asarray(tt.trip_transfer_block, dtype=np.int64).tolist():
        out[code // n].add(code % n)
    return out


def time_expanded_graph(tt: Timetable) -> nx.DiGraph:
    """The timetable as a time-expanded DiGraph (see the module docstring for nodes and arcs)."""
    g = nx.DiGraph()
    n = tt.n_connections
    dep = tt.c_dep.tolist()
    arr = tt.c_arr.tolist()
    frm = tt.c_from.tolist()
    to = tt.c_to.tolist()
    trip = tt.c_trip.tolist()
    seq = tt.c_seq.tolist()
    board = tt.c_board.tolist()
    alight = tt.c_alight.tolist()

    def arc(u, v, kind: str, rides: int = 0) -> None:
        # Two arcs u -> v (staying on a trip, or alighting and boarding the same trip again)
        # span the same time: keep the one with fewer rides, never let a re-board hide a stay.
        if g.has_edge(u, v) and g[u][v]["board"] <= rides:
            return
        g.add_edge(u, v, kind=kind, board=rides, weight=g.nodes[v]["time"] - g.nodes[u]["time"])

    for c in range(n):
        g.add_node(("dep", c), stop=frm[c], time=dep[c], trip=trip[c])
        g.add_node(("arr", c), stop=to[c], time=arr[c], trip=trip[c])
        arc(("dep", c), ("arr", c), "ride")

    hop = {(trip[c], seq[c]): c for c in range(n)}
    for c in range(n):
        nxt = hop.get((trip[c], seq[c] + 1))
        if nxt is not None:
            arc(("arr", c), ("dep", nxt), "stay")

    # waiting chains: the distinct times at which something boardable leaves each stop
    wait_times: dict[int, list[int]] = defaultdict(list)
    boardable_at: dict[int, list[int]] = defaultdict(list)   # stop -> connections one may board
    for c in range(n):
        if board[c]:
            boardable_at[frm[c]].append(c)
    for s, cs in boardable_at.items():
        times = sorted({dep[c] for c in cs})
        wait_times[s] = times
        for t in times:
            g.add_node(("wait", s, t), stop=s, time=t)
        for t0, t1 in zip(times, times[1:]):
            arc(("wait", s, t0), ("wait", s, t1), "wait")
        for c in cs:
            arc(("wait", s, dep[c]), ("dep", c), "board", 1)

    blocked = _blocked(tt)
    change = tt.stop_change.tolist()
    for c in range(n):
        if not alight[c]:
            continue
        s = to[c]
        moves: list[tuple[int, int, str]] = []           # (stop, earliest departure, kind)
        if change[s] >= 0:
            moves.append((s, arr[c] + change[s], "transfer"))
        moves += [(u, arr[c] + d, "walk") for u, d in _footpaths(tt, s)]
        banned = blocked.get(trip[c])
        for u, earliest, kind in moves:
            if banned:
                for c2 in boardable_at.get(u, []):
                    if dep[c2] >= earliest and trip[c2] not in banned:
                        arc(("arr", c), ("dep", c2), kind, 1)
                continue
            times = wait_times.get(u, [])
            i = bisect.bisect_left(times, earliest)
            if i < len(times):
                arc(("arr", c), ("wait", u, times[i]), kind)
    return g


# --------------------------------------------------------------------------- oracle queries

class Oracle:
    """Queries answered on one timetable's time-expanded graph (built once, reused)."""

    def __init__(self, tt: Timetable, graph: nx.DiGraph | None = None):
        self.tt = tt
        self.g = graph if graph is not None else time_expanded_graph(tt)
        self._wait: dict[int, list[int]] = defaultdict(list)
        for node in self.g.nodes:
            if node[0] == "wait":
                self._wait[node[1]].append(node[2])
        for times in self._wait.values():
            times.sort()

    def _first_wait(self, s: int, t: int):
        times = self._wait.get(s, [])
        i = bisect.bisect_left(times, t)
        return ("wait", s, times[i]) if i < len(times) else None

    def _origin(self, sources: Iterable[int], depart: int) -> dict[int, int]:
        """Stops where the traveller may stand before the first ride, and when (one footpath)."""
        at: dict[int, int] = {}
        for s in set(sources):
            at[s] = min(at.get(s, INF), depart)
            for u, d in _footpaths(self.tt, s):
                at[u] = min(at.get(u, INF), depart + d)
        return at

    def reach(self, sources: Iterable[int], depart: int) -> tuple[dict[int, int], dict]:
        """(origin stops -> time, reached node -> fewest rides to reach it)."""
        at = self._origin(sources, depart)
        starts = {w for s, t in at.items() if (w := self._first_wait(s, t)) is not None}
        if not starts:
            return at, {}
        rides = nx.multi_source_dijkstra_path_length(self.g, starts, weight="board")
        return at, rides

    def labels(self, sources: Iterable[int], depart: int) -> dict[int, list[tuple[int, int]]]:
        """stop -> every (arrival, rides) at which a reached ride ends there (incl. a final walk).

        Rides 0 stands for being at an origin stop (or walking there from a source)."""
        at, rides = self.reach(sources, depart)
        out: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for s, t in at.items():
            out[s].append((t, 0))
        tt = self.tt
        for node, r in rides.items():
            if node[0] != "arr" or not tt.c_alight[node[1]]:
                continue
            c = node[1]
            s, t = int(tt.c_to[c]), int(tt.c_arr[c])
            out[s].append((t, r))
            for u, d in _footpaths(tt, s):
                out[u].append((t + d, r))
        return out

    def earliest_arrival(self, sources: Iterable[int], depart: int, targets: Iterable[int] | None = None,
                         max_transfers: int | None = None, min_rides: int = 0) -> dict[int, int]:
        """stop -> earliest arrival (only reached stops; only ``targets`` when given). With
        min_rides=1 only journeys with a ride count (not the origin and its footpaths)."""
        cap = INF if max_transfers is None else max_transfers + 1
        want = None if targets is None else set(targets)
        best: dict[int, int] = {}
        for s, labs in self.labels(sources, depart).items():
            if want is not None and s not in want:
                continue
            times = [t for t, r in labs if min_rides <= r <= cap]
            if times:
                best[s] = min(times)
        return best

    def earliest(self, sources: Iterable[int], depart: int, targets: Iterable[int],
                 max_transfers: int | None = None, min_rides: int = 0) -> int | None:
        """Earliest arrival at any of ``targets``, or None."""
        got = self.earliest_arrival(sources, depart, targets, max_transfers, min_rides)
        return min(got.values()) if got else None

    def departure_candidates(self, sources: Iterable[int]) -> list[int]:
        """Every time worth leaving a source: just in time for a first ride (directly or after the
        origin footpath). Leaving at any other time is no better than at the next candidate."""
        tt = self.tt
        out: set[int] = set()
        for s in set(sources):
            for u, d in [(s, 0), *_footpaths(tt, s)]:
                out.update(t - d for t in self._wait.get(u, []))
        return sorted(out)

    def arrive_by(self, sources: Iterable[int], targets: Iterable[int], arrive: int,
                  max_transfers: int | None = None) -> int | None:
        """The latest time one may leave a source (stand there) and still reach a target by
        ``arrive`` with at least one ride; None when impossible.

        Arrival is monotone in the departure time (leaving later never arrives earlier), so a
        binary search over the candidate departure times finds the latest one that works."""
        sources, targets = list(sources), set(targets)
        cand = self.departure_candidates(sources)

        def ok(t: int) -> bool:
            labs = self.labels(sources, t)
            cap = INF if max_transfers is None else max_transfers + 1
            return any(a <= arrive and 1 <= r <= cap for s in targets for a, r in labs.get(s, []))

        lo, hi = 0, len(cand)          # find the last index with ok() true
        if not cand or not ok(cand[0]):
            return None
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if ok(cand[mid]):
                lo = mid
            else:
                hi = mid
        return cand[lo]

    def pareto(self, sources: Iterable[int], targets: Iterable[int], depart: int,
               max_transfers: int) -> list[tuple[int, int]]:
        """Pareto-optimal (arrival, transfers) at any target, fewest transfers first, transfers
        = rides - 1; journeys with no ride are not counted."""
        best: dict[int, int] = {}
        labs = self.labels(sources, depart)
        for s in set(targets):
            for a, r in labs.get(s, []):
                if 1 <= r <= max_transfers + 1:
                    best[r] = min(best.get(r, INF), a)
        out: list[tuple[int, int]] = []
        for r in sorted(best):
            if not out or best[r] < out[-1][0]:
                out.append((best[r], r - 1))
        return out

    def profile(self, sources: Iterable[int], targets: Iterable[int], start: int, end: int,
                max_transfers: int) -> list[tuple[int, int, int]]:
        """Every Pareto-optimal (departure, arrival, transfers) leaving in [start, end], sorted:
        no other journey leaves later (or equal), arrives earlier (or equal) with no more
        transfers, counting journeys that leave after ``end`` as competitors. Departure is the
        time of leaving the source, as in ``arrive_by``; only journeys with a ride count."""
        sources, targets = list(sources), list(targets)
        found: set[tuple[int, int, int]] = set()
        for t in self.departure_candidates(sources):
            if t >= start:
                for a, k in self.pareto(sources, targets, t, max_transfers):
                    found.add((t, a, k))
        return sorted(x for x in found if x[0] <= end and
                      not any(y != x and y[0] >= x[0] and y[1] <= x[1] and y[2] <= x[2] for y in found))


    def profile_all(self, sources: Iterable[int], start: int, end: int, max_transfers: int | None = None,
                    horizon: int | None = None) -> dict[int, list[tuple[int, int]]]:
        """stop -> Pareto (departure, arrival) pairs for departures in [start, end] (journeys
        with a ride; later departures compete), keeping arrivals within ``horizon`` s."""
        sources = list(sources)
        found: dict[int, set[tuple[int, int]]] = defaultdict(set)
        for t in self.departure_candidates(sources):
            if t >= start:
                for s, a in self.earliest_arrival(sources, t, None, max_transfers, min_rides=1).items():
                    found[s].add((t, a))
        out: dict[int, list[tuple[int, int]]] = {}
        for s, pairs in found.items():
            keep = sorted(p for p in pairs if p[0] <= end and (horizon is None or p[1] - p[0] <= horizon)
                          and not any(q != p and q[0] >= p[0] and q[1] <= p[1] for q in pairs))
            if keep:
                out[s] = keep
        return out


def station_stops(tt: Timetable, station: int) -> list[int]:
    """Every stop of ``station`` (itself included): what a query "from station X" means."""
    return [int(i) for i in np.flatnonzero(tt.stop_station == tt.stop_station[station])]


# --------------------------------------------------------------------------- journey checking

def journey_problems(tt: Timetable, journey, sources: Iterable[int], targets: Iterable[int],
                     depart: int | None = None) -> list[str]:
    """Why a router's Journey breaks the rules (empty list when it is valid).

    Checks that the legs chain in space and time from a source (not before ``depart``) to a
    target; each ride against its trip's connections (times, pickup, drop-off); every move
    between different stops against a footpath, at most one between two rides (none chained);
    the gap between rides (same-stop change time or footpath) and trip blocks. A journey with
    no ride must be empty (a source is a target) or one footpath from a source to a target."""
    probs: list[str] = []
    legs, src, tg = list(journey.legs), set(sources), set(targets)
    fps = {s: dict(_footpaths(tt, s)) for s in range(tt.n_stops)}
    if not legs:
        return [] if src & tg else ["empty journey, but no source is a target"]
    if legs[0].from_stop not in src:
        probs.append(f"starts at stop {legs[0].from_stop}, not a source")
    if legs[-1].to_stop not in tg:
        probs.append(f"ends at stop {legs[-1].to_stop}, not a target")
    if depart is not None and legs[0].departure < depart:
        probs.append(f"leaves at {legs[0].departure}, before {depart}")
    moves = 0
    for i, leg in enumerate(legs):
        if leg.arrival < leg.departure:
            probs.append(f"leg {i} arrives before it leaves")
        if i and (leg.from_stop != legs[i - 1].to_stop or leg.departure < legs[i - 1].arrival):
            probs.append(f"leg {i} does not continue leg {i - 1}")
        if leg.kind == "ride":
            moves = 0
            continue
        if leg.from_stop != leg.to_stop:
            moves += 1
            d = fps[leg.from_stop].get(leg.to_stop)
            if d is None or leg.arrival - leg.departure < d:
                probs.append(f"leg {i} walks {leg.from_stop} -> {leg.to_stop} without such a footpath")
            if moves > 1:
                probs.append(f"leg {i} chains a second footpath")

    rides = journey.rides
    if not rides:
        return probs
    blocked = _blocked(tt)
    for i, leg in enumerate(rides):
        cs = np.flatnonzero(tt.c_trip == leg.trip).tolist()
        first = [c for c in cs if tt.c_from[c] == leg.from_stop and tt.c_dep[c] == leg.departure]
        last = [c for c in cs if tt.c_to[c] == leg.to_stop and tt.c_arr[c] == leg.arrival]
        spans = [(a, b) for a in first for b in last if tt.c_seq[a] <= tt.c_seq[b]]
        if not spans:   # (a trip may pass a stop twice at one time: any matching span will do)
            probs.append(f"ride {i} does not match trip {leg.trip}'s timetable")
        elif not any(tt.c_board[a] for a, _ in spans):
            probs.append(f"ride {i} boards where pickup is not allowed")
        elif not any(tt.c_board[a] and tt.c_alight[b] for a, b in spans):
            probs.append(f"ride {i} alights where drop-off is not allowed")
    for i, (a, b) in enumerate(zip(rides, rides[1:])):
        s, u = a.to_stop, b.from_stop
        if s == u:
            ch = int(tt.stop_change[s])
            ok = ch >= 0 and b.departure >= a.arrival + ch
        else:
            ok = u in fps[s] and b.departure >= a.arrival + fps[s][u]
        if not ok:
            probs.append(f"change {i} from stop {s} at {a.arrival} to stop {u} at {b.departure} is not allowed")
        if b.trip in blocked.get(a.trip, ()):
            probs.append(f"change {i} from trip {a.trip} to trip {b.trip} is forbidden")
    return probs
