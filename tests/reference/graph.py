"""A networkx time-expanded graph built from the GTFS-text ``Reference`` (not from a Timetable).

Stops are GTFS stop_ids and vehicle journeys the reference's runs, so nothing compiled by
``hbeu_transit`` enters the graph. Nodes:

* ``("in", h)``: aboard hop h as it leaves; ``("out", h)``: aboard as it arrives;
* ``("stand", stop, t)``: standing at a stop at t, for each t at which a boardable hop leaves it.

Arcs carry ``rides`` (1 on the arcs that board a vehicle): ride ``in -> out``; stay seated
``out h -> in h'`` (h' the next hop of the run); wait ``stand t -> stand t'``; board
``stand -> in``; and, where drop-off is allowed, a change ``out h -> stand`` at the same stop no
earlier than arrival + change time, or at the far end of one footpath no earlier than arrival +
its duration. A run that a trip transfer rule names (``Reference.trip_rules``) instead links
``out h`` straight to every ``in`` it may catch (rides 1): by the governing rule where one
covers that change, else by the stop rules. A run going
on as the next of its block (``Reference.seats``) links its last ``out`` to that run's first
``in`` (rides 0).

Queries: fewest rides to every node by Dijkstra on ``rides``; a stop is reached at time t with
r rides when an ``out`` node there (drop-off allowed) is reached with r rides, or one footpath
beyond it; an origin is reached at the departure time with 0 rides (its footpaths too).
"""

from __future__ import annotations

import bisect
from collections import defaultdict

import networkx as nx

from .gtfs_text import Reference

INF = float("inf")


class ReferenceGraph:
    """The time-expanded graph of one Reference, and the queries the router answers."""

    def __init__(self, ref: Reference):
        self.ref = ref
        g = self.g = nx.DiGraph()
        hops = ref.hops
        self.walks: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for (a, b), d in ref.footpaths.items():
            self.walks[a].append((b, d))
        next_hop = {(h.run, h.index): i for i, h in enumerate(hops)}
        self.stand: dict[str, list[int]] = defaultdict(list)
        leaving: dict[str, list[int]] = defaultdict(list)
        for i, h in enumerate(hops):
            self._arc(("in", i), ("out", i), 0)
            j = next_hop.get((h.run, h.index + 1))
            if j is not None:
                self._arc(("out", i), ("in", j), 0)
            if h.board:
                leaving[h.frm].append(i)
        for s, hs in leaving.items():
            times = sorted({hops[i].dep for i in hs})
            self.stand[s] = times
            for t0, t1 in zip(times, times[1:]):
                self._arc(("stand", s, t0), ("stand", s, t1), 0)
            for i in hs:
                self._arc(("stand", s, hops[i].dep), ("in", i), 1)
        # in seat: a run's last hop goes on as the next run of its block (no ride counted)
        for a, b, k in ref.seats:
            i, j = next_hop.get((a, k)), next_hop.get((b, 0))
            if i is not None and j is not None:
                self._arc(("out", i), ("in", j), 0)
        for i, h in enumerate(hops):
            if not h.alight:
                continue
            ways = [(h.to, h.arr + ref.change[h.to])] if ref.change[h.to] >= 0 else []
            ways += [(u, h.arr + d) for u, d in self.walks[h.to]]
            if h.run in ref.ruled_from:
                self._ruled_changes(i, dict(ways), leaving)
                continue
            for u, earliest in ways:
                t = self.first_stand(u, earliest)
                if t is not None:
                    self._arc(("out", i), ("stand", u, t), 0)

    def _ruled_changes(self, i: int, ways: dict[str, int], leaving: dict[str, list[int]]) -> None:
        """Changes from hop i of a run some trip rule names: straight to every hop it may board
        (rides 1), by the governing rule where one speaks, else by the stop rules (``ways``:
        stop -> earliest departure), so waiting cannot sneak the rider onto a ruled run."""
        hops, ref = self.ref.hops, self.ref
        h = hops[i]
        for u, js in leaving.items():
            for j in js:
                g = hops[j]
                rule = ref.rule_for(h.run, g.run, h.to, u)
                if rule is None:
                    ok = u in ways and g.dep >= ways[u]
                else:
                    ok = rule >= 0 and g.dep >= h.arr + rule
                if ok:
                    self._arc(("out", i), ("in", j), 1)

    def _arc(self, u, v, rides: int) -> None:
        if not self.g.has_edge(u, v) or self.g[u][v]["rides"] > rides:
            self.g.add_edge(u, v, rides=rides)

    def first_stand(self, stop: str, t: int) -> int | None:
        times = self.stand.get(stop, [])
        k = bisect.bisect_left(times, t)
        return times[k] if k < len(times) else None

    # -- queries
    def arrivals(self, sources: list[str], depart: int) -> dict[str, list[tuple[int, int]]]:
        """stop -> every (time, rides) at which the traveller can be there (see module docstring)."""
        at: dict[str, int] = {}
        for s in sources:
            at[s] = depart
        for s in sources:
            for u, d in self.walks[s]:
                at[u] = min(at.get(u, INF), depart + d)
        out: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for s, t in at.items():
            out[s].append((t, 0))
        starts = [("stand", s, t0) for s, t in at.items() if (t0 := self.first_stand(s, t)) is not None]
        if not starts:
            return out
        rides = nx.multi_source_dijkstra_path_length(self.g, starts, weight="rides")
        hops = self.ref.hops
        for node, r in rides.items():
            if node[0] == "out" and hops[node[1]].alight:
                h = hops[node[1]]
                out[h.to].append((h.arr, r))
                for u, d in self.walks[h.to]:
                    out[u].append((h.arr + d, r))
        return out

    def earliest_all(self, sources: list[str], depart: int, max_transfers: int | None = None,
                     min_rides: int = 0) -> dict[str, int]:
        cap = INF if max_transfers is None else max_transfers + 1
        best: dict[str, int] = {}
        for s, labels in self.arrivals(sources, depart).items():
            ts = [t for t, r in labels if min_rides <= r <= cap]
            if ts:
                best[s] = min(ts)
        return best

    def pareto(self, sources: list[str], targets: list[str], depart: int, max_transfers: int) -> list[tuple[int, int]]:
        """(arrival, transfers) front, fewest transfers first; journeys with a ride only."""
        best: dict[int, int] = {}
        labels = self.arrivals(sources, depart)
        for s in targets:
            for t, r in labels.get(s, []):
                if 1 <= r <= max_transfers + 1:
                    best[r] = min(best.get(r, INF), t)
        front: list[tuple[int, int]] = []
        for r in sorted(best):
            if not front or best[r] < front[-1][0]:
                front.append((best[r], r - 1))
        return front

    def profile(self, sources: list[str], targets: list[str], start: int, end: int,
                max_transfers: int) -> list[tuple[int, int, int]]:
        """(departure, arrival, transfers) of every journey with a ride leaving a source in
        [start, end] that no other journey beats: leaving later or as late, arriving no later,
        with no more transfers. Departures are the times one can leave a source (a boardable
        hop there, or one footpath before one); a journey leaving after ``end`` still beats."""
        cands = set()
        for s in sources:
            for u, d in [(s, 0), *self.walks[s]]:
                cands.update(t - d for t in self.stand.get(u, []) if t - d >= start)
        found = {(t, arr, k) for t in cands for arr, k in self.pareto(sources, targets, t, max_transfers)}
        return sorted(x for x in found if x[0] <= end and not any(
            y != x and y[0] >= x[0] and y[1] <= x[1] and y[2] <= x[2] for y in found))

    def latest_departure(self, sources: list[str], targets: list[str], arrive: int,
                         max_transfers: int | None = None) -> int | None:
        """The latest time to leave a source and reach a target by ``arrive`` with a ride."""
        cands = set()
        for s in sources:
            for u, d in [(s, 0), *self.walks[s]]:
                cands.update(t - d for t in self.stand.get(u, []))

        def ok(t: int) -> bool:
            got = self.earliest_all(sources, t, max_transfers, min_rides=1)
            return any(got.get(s, INF) <= arrive for s in targets)

        good = [t for t in sorted(cands) if t <= arrive]
        lo, hi = 0, len(good)
        if not good or not ok(good[0]):
            return None
        while hi - lo > 1:       # arrival is monotone in the departure time
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if ok(good[mid]) else (lo, mid)
        return good[lo]

    def station_members(self, stop: str) -> list[str]:
        st = self.ref.station[stop]
        return sorted(s for s in self.ref.stop_ids if self.ref.station[s] == st)
