"""Timetables made by hand (tests, random feeds, benchmarks) and the invariant checks every
Timetable must pass, whoever built it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from .model import Timetable
from .transfers import footpath_csr

__all__ = ["check_timetable", "timetable_from_connections"]



def timetable_from_connections(
    connections: Iterable[Sequence[Any]], *, stops: Sequence[str] | int | None = None,
    stop_change: int | Sequence[int] | Mapping[Any, int] = 0,
    footpaths: Iterable[tuple[Any, Any, int]] = (),
    stop_station: Sequence[int] | Mapping[Any, Any] | None = None,
    stop_area: Mapping[Any, str] | None = None,
    coords: Mapping[Any, tuple[float, float]] | None = None,
    trip_transfer_block: Iterable[tuple[Any, Any]] = (),
    date: str = "2000-01-01", validate: bool = True,
) -> Timetable:
    """A valid Timetable from plain Python data, for hand-made tests and random networks.

    connections: tuples (from_stop, to_stop, dep, arr, trip[, board, alight]); stops and trips
    may be given as ids (str) or indices (int). A trip's hops must chain (each starts where the
    previous ended, no earlier than it arrived) when ``validate``. stops: the stop ids in index
    order, or their number (ids "0".."n-1"); by default the ids in first-seen order (all-int
    references mean indices 0..max). stop_change: one value for every stop, a list, or
    {stop: seconds}. footpaths: (from, to, seconds), directional. stop_station: {stop: station}
    or a list of indices. trip_transfer_block: (from_trip, to_trip) pairs.
    """
    conns = [tuple(c) for c in connections]
    fps = [tuple(f) for f in footpaths]
    blocks_in = [tuple(p) for p in trip_transfer_block]

    # stops
    refs = [r for c in conns for r in c[:2]] + [r for f in fps for r in f[:2]]
    if isinstance(stops, int):
        stop_ids = [str(i) for i in range(stops)]
    elif stops is not None:
        stop_ids = [str(s) for s in stops]
    elif refs and all(isinstance(r, (int, np.integer)) for r in refs):
        stop_ids = [str(i) for i in range(int(max(refs)) + 1)]
    else:
        stop_ids = list(dict.fromkeys(str(r) for r in refs))
    sidx = {s: i for i, s in enumerate(stop_ids)}
    n = len(stop_ids)

    def S(ref: Any) -> int:
        if isinstance(ref, (int, np.integer)) and not isinstance(ref, bool):
            if not 0 <= int(ref) < n:
                raise ValueError(f"stop index {ref} out of range 0..{n - 1}")
            return int(ref)
        if str(ref) not in sidx:
            raise ValueError(f"unknown stop {ref!r}")
        return sidx[str(ref)]

    # trips
    trefs = [c[4] for c in conns] + [x for p in blocks_in for x in p]
    if trefs and all(isinstance(t, (int, np.integer)) for t in trefs):
        trip_ids = [str(i) for i in range(int(max(trefs)) + 1)]
        T = int
    else:
        trip_ids = list(dict.fromkeys(str(t) for t in trefs))
        tix = {t: i for i, t in enumerate(trip_ids)}
        T = lambda t: tix[str(t)]  # noqa: E731
    nt = len(trip_ids)

    m = len(conns)
    c_from = np.array([S(c[0]) for c in conns], dtype=np.int32)
    c_to = np.array([S(c[1]) for c in conns], dtype=np.int32)
    c_dep = np.array([int(c[2]) for c in conns], dtype=np.int32)
    c_arr = np.array([int(c[3]) for c in conns], dtype=np.int32)
    c_trip = np.array([T(c[4]) for c in conns], dtype=np.int32)
    c_board = np.array([bool(c[5]) if len(c) > 5 else True for c in conns], dtype=bool)
    c_alight = np.array([bool(c[6]) if len(c) > 6 else True for c in conns], dtype=bool)
    # hop numbers: order each trip's hops by (dep, arr, given order)
    c_seq = np.zeros(m, dtype=np.int32)
    by_trip = np.lexsort((np.arange(m), c_arr, c_dep, c_trip))
    if m:
        tt = c_trip[by_trip]
        first = np.ones(m, dtype=bool)
        first[1:] = tt[1:] != tt[:-1]
        gstart = np.maximum.accumulate(np.where(first, np.arange(m), 0))
        c_seq[by_trip] = np.arange(m) - gstart
        if validate:
            bad = np.flatnonzero(c_arr < c_dep)
            if len(bad):
                raise ValueError(f"connection {conns[bad[0]]} arrives before it departs")
            cur, nxt = by_trip[:-1], by_trip[1:]
            same = ~first[1:]
            chain = same & ((c_to[cur] != c_from[nxt]) | (c_dep[nxt] < c_arr[cur]))
            if chain.any():
                k = int(np.flatnonzero(chain)[0])
                raise ValueError(f"trip {trip_ids[c_trip[cur[k]]]!r}: hop {conns[nxt[k]]} does not "
                                 f"continue hop {conns[cur[k]]}")
    order = np.lexsort((c_seq, c_trip, c_arr, c_dep))

    if isinstance(stop_change, Mapping):
        change = np.zeros(n, dtype=np.int32)
        for s, v in stop_change.items():
            change[S(s)] = int(v)
    elif isinstance(stop_change, (int, np.integer)):
        change = np.full(n, int(stop_change), dtype=np.int32)
    else:
        change = np.asarray(stop_change, dtype=np.int32)
        if change.shape != (n,):
            raise ValueError(f"stop_change needs {n} values")

    if stop_station is None:
        station = np.arange(n, dtype=np.int32)
    elif isinstance(stop_station, Mapping):
        station = np.arange(n, dtype=np.int32)
        for s, p in stop_station.items():
            station[S(s)] = S(p)
    else:
        station = np.asarray(stop_station, dtype=np.int32)

    area_names: list[str] = []
    area = np.zeros(n, dtype=np.int32)
    aidx: dict[str, int] = {}
    for i in range(n):
        name = (stop_area or {}).get(stop_ids[i]) or (stop_area or {}).get(i) or stop_ids[int(station[i])]
        if name not in aidx:
            aidx[name] = len(area_names)
            area_names.append(name)
        area[i] = aidx[name]

    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    for s, (la, lo) in (coords or {}).items():
        lat[S(s)], lon[S(s)] = la, lo

    if fps:
        fa = np.array([S(f[0]) for f in fps], dtype=np.int64)
        fb = np.array([S(f[1]) for f in fps], dtype=np.int64)
        fd = np.array([int(f[2]) for f in fps], dtype=np.int64)
    else:
        fa = fb = fd = np.zeros(0, dtype=np.int64)
    fp_start, fp_to, fp_dur = footpath_csr(n, fa, fb, fd)
    blocks = np.unique(np.array([T(a) * nt + T(b) for a, b in blocks_in], dtype=np.int64))

    return Timetable(
        date=date, timezone="UTC", feed_hash="hand-made",
        stop_ids=stop_ids, stop_names=list(stop_ids), stop_lat=lat, stop_lon=lon,
        stop_station=station, stop_area=area, area_names=area_names, stop_change=change,
        trip_ids=trip_ids, trip_route=np.zeros(nt, dtype=np.int32), trip_name=list(trip_ids),
        trip_headsign=[""] * nt, route_ids=["R"], route_names=["R"],
        route_type=np.array([3], dtype=np.int32),
        c_from=c_from[order], c_to=c_to[order], c_dep=c_dep[order], c_arr=c_arr[order],
        c_trip=c_trip[order], c_seq=c_seq[order], c_board=c_board[order], c_alight=c_alight[order],
        fp_start=fp_start, fp_to=fp_to, fp_dur=fp_dur, trip_transfer_block=blocks,
        options={"hand_made": True})


def check_timetable(tt: Timetable) -> list[str]:
    """The documented invariants a Timetable breaks (empty list = valid); cheap, numpy only."""
    problems: list[str] = []
    n, nt, m = tt.n_stops, tt.n_trips, tt.n_connections

    def need(cond: bool, what: str) -> None:
        if not cond:
            problems.append(what)

    for name in ("stop_lat", "stop_lon", "stop_station", "stop_area", "stop_change"):
        need(getattr(tt, name).shape == (n,), f"{name} has not n_stops entries")
    need(len(tt.stop_names) == n, "stop_names has not n_stops entries")
    need(tt.trip_route.shape == (nt,) and len(tt.trip_name) == nt and len(tt.trip_headsign) == nt,
         "trip arrays have not n_trips entries")
    need(tt.trip_day.shape == (nt,) and tt.trip_run_start.shape == (nt,), "trip_day/trip_run_start have not n_trips entries")
    if not problems:
        need(len(set(zip(tt.trip_ids, tt.trip_day.tolist(), tt.trip_run_start.tolist()))) == nt,
             "trips (trip_id, day, run start) are not unique")
    need(len(set(tt.stop_ids)) == n, "stop_ids are not unique")
    for name in ("c_from", "c_to", "c_dep", "c_arr", "c_trip", "c_seq", "c_board", "c_alight"):
        need(getattr(tt, name).shape == (m,), f"{name} has not n_connections entries")
    if problems:
        return problems
    need(bool(np.all((tt.stop_station >= 0) & (tt.stop_station < n))), "stop_station out of range")
    need(bool(np.all((tt.stop_area >= 0) & (tt.stop_area < max(len(tt.area_names), 1)))), "stop_area out of range")
    if m:
        need(bool(np.all((tt.c_from >= 0) & (tt.c_from < n) & (tt.c_to >= 0) & (tt.c_to < n))),
             "connection stop out of range")
        need(bool(np.all((tt.c_trip >= 0) & (tt.c_trip < nt))), "connection trip out of range")
        need(bool(np.all(tt.c_arr >= tt.c_dep)), "a connection arrives before it departs")
        key_ok = (np.diff(tt.c_dep.astype(np.int64)) > 0) | (
            (np.diff(tt.c_dep.astype(np.int64)) == 0) & (np.diff(tt.c_arr.astype(np.int64)) >= 0))
        need(bool(np.all(key_ok)), "connections are not sorted by (dep, arr)")
        o = np.lexsort((tt.c_seq, tt.c_trip))
        tr, sq = tt.c_trip[o], tt.c_seq[o]
        first = np.ones(m, dtype=bool)
        first[1:] = tr[1:] != tr[:-1]
        need(bool(np.all(sq[first] == 0)), "a trip's hops do not start at c_seq 0")
        cont = ~first[1:]
        need(bool(np.all(sq[1:][cont] == sq[:-1][cont] + 1)), "c_seq is not consecutive within a trip")
        need(bool(np.all(tt.c_to[o][:-1][cont] == tt.c_from[o][1:][cont])), "a trip's hops do not chain")
        need(bool(np.all(tt.c_dep[o][1:][cont] >= tt.c_arr[o][:-1][cont])), "a trip leaves before it arrived")
        pos = np.empty(m, dtype=np.int64)
        pos[o] = np.arange(m)
        po = pos[o]
        need(bool(np.all(po[1:][cont] > po[:-1][cont])), "a trip's hops are not in scan order")
    need(tt.fp_start.shape == (n + 1,) and int(tt.fp_start[0]) == 0
         and int(tt.fp_start[-1]) == tt.fp_to.shape[0] == tt.fp_dur.shape[0]
         and bool(np.all(np.diff(tt.fp_start) >= 0)), "footpath CSR is malformed")
    if tt.fp_to.shape[0]:
        need(bool(np.all((tt.fp_to >= 0) & (tt.fp_to < n))), "footpath target out of range")
        need(bool(np.all(tt.fp_dur >= 0)), "negative footpath duration")
    if tt.trip_transfer_block.shape[0]:
        need(bool(np.all((tt.trip_transfer_block >= 0) & (tt.trip_transfer_block < nt * nt))),
             "trip_transfer_block out of range")
    return problems
