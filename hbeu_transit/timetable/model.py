"""The compiled timetable: plain numpy arrays for one service date, shared by every engine.

This module defines only the data model (no pandas, no files), so the router, the networkx
oracle and the tests can all build and read timetables without importing the feed layer.
``hbeu_transit.timetable`` compiles a GTFS feed into this model and caches it on disk.

Semantics every engine must follow (the router and the oracle alike):

* Times are int32 seconds after midnight of the service date being compiled; trips of earlier
  service days still running after midnight appear with their times minus 86400 per day
  (``trip_day`` -1, -2...: a trip of GTFS times up to 96:00 can still run three days later);
  the next service date's trips leaving in the night after the date (``compile.NEXT_DAY_HORIZON``)
  appear with their times plus 86400 (``trip_day`` +1), so journeys change across midnight.
  Whatever counts the date's own trips skips ``trip_day`` != 0 (a departure board: > 0).
* Trips are vehicle runs: ``trip_ids[k]`` is the GTFS trip_id as published, so it repeats for
  the runs of a frequencies.txt trip (``trip_run_start[k]``: the run's start on its own
  service day's clock, -1 for a trip without frequencies) and for the copies of one trip from
  several service days (``trip_day[k]``: 0 for the date, -1 for the day before..., +1 the day after). The triple
  (trip_ids, trip_day, trip_run_start) is unique.
* Stops are indexed 0..n_stops-1. ``stop_station[i]`` is the index of stop i's parent station
  (or i itself). Stations (location_type 1) are stops too, so that a query may name them; a
  query "from station X" means any stop whose ``stop_station`` is X.
* A connection c is one vehicle hop: trip ``c_trip[c]`` leaves stop ``c_from[c]`` at
  ``c_dep[c]`` and reaches ``c_to[c]`` at ``c_arr[c]`` without stopping in between. Arrays are
  sorted by (c_dep, c_arr, c_trip). ``c_board[c]`` is False when pickup_type=1 at the from stop;
  ``c_alight[c]`` is False when drop_off_type=1 at the to stop. A trip's consecutive hops are
  consecutive in ``c_seq`` (0, 1, 2...).
* Staying seated on the same trip is never a transfer and needs no time.
* Changing vehicle at the *same stop* s: the next departure must be >= arrival +
  ``stop_change[s]`` (from transfers.txt type 2 where s->s is given, else the default for the
  mode). ``stop_change[s] < 0`` means changing at s is forbidden (transfers.txt type 3 s->s).
* Moving to a *different stop* (another platform of the same station, a walk listed in
  transfers.txt, or a --walk-meters footpath): footpaths in CSR form; the footpaths from stop s
  are ``fp_to[fp_start[s]:fp_start[s+1]]`` with durations ``fp_dur[...]`` in seconds, already
  including any minimum transfer time, so the next departure at the target stop must be >=
  arrival + fp_dur. Footpaths are not chained (one footpath between two rides).
* At the origin the traveller is already standing at the stop: no change time applies, and
  origin footpaths (walking to another platform before the first ride) cost only fp_dur.
* ``trip_transfer_block`` lists (from_trip, to_trip) changes forbidden at every stop, as pairs
  encoded ``from_trip * n_trips + to_trip``; empty when none (hand-made timetables).
* Trip transfer rules (transfers.txt rows naming trips or routes, in-seat transfers and
  block_id continuations): ``xfer_key`` (``from_trip * n_trips + to_trip``), ``xfer_from``
  (the stop where from_trip is left, -1 any), ``xfer_to`` (the stop where to_trip is boarded,
  -1 any) and ``xfer_secs``. A rule *governs* a change from trip a, left at stop x, to trip b,
  boarded at stop y, when its key is (a, b) and its stops match; of several, the first in
  ``transfer_rules()`` order (concrete stops before "any": the compiler keeps no rule at given
  stops that a more specific row forbidding the pair everywhere outranks). A governed change follows only its
  rule: ``xfer_secs`` >= 0: b's hop from y must leave >= the arrival at x + xfer_secs (x and y
  are then concrete; no footpath is needed between them, alighting at x and boarding at y must
  be allowed); -1: forbidden; ``IN_SEAT`` (-2): the rider stays on board from a's last hop
  (arriving at x) into b's first hop (leaving y no earlier), which needs no pickup or drop-off
  and is not a transfer (the journey's ride count does not grow). Changes no rule governs follow
  the stop and footpath rules above.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Timetable"]

#: ``xfer_secs`` of an in-seat transfer (the vehicle goes on as the next trip)
IN_SEAT = -2
#: ``xfer_secs`` of a forbidden change
FORBIDDEN = -1


@dataclass(repr=False)
class Timetable:
    """One service date of a (merged) feed, compiled to arrays. See the module docstring."""

    date: str                      # "YYYY-MM-DD"
    timezone: str                  # agency timezone, e.g. "Asia/Shanghai"
    feed_hash: str                 # content hash of the input feeds (cache key part)

    # stops
    stop_ids: list[str]
    stop_names: list[str]
    stop_lat: np.ndarray           # float64
    stop_lon: np.ndarray           # float64
    stop_station: np.ndarray       # int32: parent station index, or self
    stop_area: np.ndarray          # int32: index into area_names
    area_names: list[str]
    stop_change: np.ndarray        # int32 seconds to change vehicle at this stop; <0 = forbidden

    # trips and routes
    trip_ids: list[str]
    trip_route: np.ndarray         # int32 index into route_ids
    trip_name: list[str]           # train/bus number: trip_short_name, else route short name
    trip_headsign: list[str]
    route_ids: list[str]
    route_names: list[str]         # route_short_name or route_long_name
    route_type: np.ndarray         # int32 GTFS route_type (extended types kept as published)

    # connections, sorted by departure
    c_from: np.ndarray             # int32
    c_to: np.ndarray               # int32
    c_dep: np.ndarray              # int32
    c_arr: np.ndarray              # int32
    c_trip: np.ndarray             # int32
    c_seq: np.ndarray              # int32 hop number within its trip
    c_board: np.ndarray            # bool
    c_alight: np.ndarray           # bool

    # footpaths / transfers between different stops (CSR)
    fp_start: np.ndarray           # int32, length n_stops + 1
    fp_to: np.ndarray              # int32
    fp_dur: np.ndarray             # int32 seconds

    trip_transfer_block: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    options: dict = field(default_factory=dict)  # compile options (transfer minutes, walk meters, modes)
    trip_day: np.ndarray = None    # int32 service-day offset in days (0, -1, -2..., +1); zeros if None
    trip_run_start: np.ndarray = None  # int32 frequency run start (s), -1 when none; -1s if None
    xfer_key: np.ndarray = None    # int64 trip transfer rules (see the module docstring)
    xfer_from: np.ndarray = None   # int32
    xfer_to: np.ndarray = None     # int32
    xfer_secs: np.ndarray = None   # int32

    def __post_init__(self) -> None:
        nt = len(self.trip_ids)
        if self.trip_day is None:
            self.trip_day = np.zeros(nt, dtype=np.int32)
        if self.trip_run_start is None:
            self.trip_run_start = np.full(nt, -1, dtype=np.int32)
        if self.xfer_key is None:
            self.xfer_key = np.zeros(0, dtype=np.int64)
        for name in ("xfer_from", "xfer_to", "xfer_secs"):
            if getattr(self, name) is None:
                setattr(self, name, np.zeros(0, dtype=np.int32))

    def transfer_rules(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every trip transfer rule as (key, from stop, to stop, secs) int64 arrays, the blocks of
        ``trip_transfer_block`` included (any stop to any stop, forbidden), sorted by key, then
        concrete stops before "any" (-1): within one key the first match governs."""
        blocks = np.asarray(self.trip_transfer_block, dtype=np.int64)
        key = np.concatenate([np.asarray(self.xfer_key, dtype=np.int64), blocks])
        frm = np.concatenate([np.asarray(self.xfer_from, dtype=np.int64), np.full(len(blocks), -1)])
        to = np.concatenate([np.asarray(self.xfer_to, dtype=np.int64), np.full(len(blocks), -1)])
        secs = np.concatenate([np.asarray(self.xfer_secs, dtype=np.int64), np.full(len(blocks), FORBIDDEN)])
        order = np.lexsort((to, frm, to < 0, frm < 0, key))
        return key[order], frm[order], to[order], secs[order]

    def trip_label(self, trip: int) -> str:
        """A readable unique name of trip index ``trip``: "K7@-2d" (two service days back),
        "F@08:20:00" (the 08:20 run of a frequencies.txt trip), or just the trip_id."""
        out = self.trip_ids[trip]
        start = int(self.trip_run_start[trip])
        if start >= 0:
            h, rem = divmod(start, 3600)
            out += f"@{h:02d}:{rem // 60:02d}:{rem % 60:02d}"
        day = int(self.trip_day[trip])
        return out + (f"@{day}d" if day else "")

    def __repr__(self) -> str:  # the arrays are too long to print (notebooks show this)
        return (f"Timetable(date={self.date!r}, timezone={self.timezone!r}, stops={self.n_stops}, "
                f"trips={self.n_trips}, connections={self.n_connections}, feed_hash={self.feed_hash!r})")

    @property
    def n_stops(self) -> int:
        return len(self.stop_ids)

    @property
    def n_trips(self) -> int:
        return len(self.trip_ids)

    @property
    def n_connections(self) -> int:
        return int(self.c_dep.shape[0])
