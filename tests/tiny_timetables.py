"""Timetables written out by hand for the oracle and differential tests, built without the
compiler (and without ``timetable.handmade``) so that those tests check it independently."""

from __future__ import annotations

import numpy as np

from hbeu_transit.timetable.model import Timetable


def make_timetable(stops, trips, change=None, footpaths=(), blocks=(), routes=None, rules=()) -> Timetable:
    """A Timetable from plain lists, built here independently of the compiler.

    stops: list of stop ids, or (id, parent id) pairs; trips: list of stop-time lists
    [(stop id, arrival, departure[, pickup_ok, dropoff_ok]), ...]; change: stop id -> seconds
    (default 0); footpaths: (from id, to id, seconds); blocks: (from trip no, to trip no);
    routes: per trip (route_type) or None for buses; rules: trip transfer rules (from trip no,
    to trip no, from stop id, to stop id, seconds; -1 forbidden, -2 in seat).
    """
    ids = [s if isinstance(s, str) else s[0] for s in stops]
    idx = {s: i for i, s in enumerate(ids)}
    parent = [idx[s[1]] if not isinstance(s, str) and s[1] else i for i, s in enumerate(stops)]
    conns = []
    for t, st in enumerate(trips):
        for k, (a, b) in enumerate(zip(st, st[1:])):
            pick = a[3] if len(a) > 3 else True
            drop = b[4] if len(b) > 4 else True
            conns.append((a[2], b[1], t, idx[a[0]], idx[b[0]], k, pick, drop))
    conns.sort(key=lambda c: (c[0], c[1], c[2]))
    col = lambda j, dt: np.array([c[j] for c in conns], dtype=dt)  # noqa: E731
    fps = sorted((idx[a], idx[b], d) for a, b, d in footpaths)
    start = np.zeros(len(ids) + 1, dtype=np.int32)
    for a, _, _ in fps:
        start[a + 1] += 1
    start = np.cumsum(start).astype(np.int32)
    ch = np.zeros(len(ids), dtype=np.int32)
    for s, v in (change or {}).items():
        ch[idx[s]] = v
    rtypes = routes or [3] * len(trips)
    return Timetable(
        date="2024-01-01", timezone="UTC", feed_hash="test",
        stop_ids=ids, stop_names=[f"name {s}" for s in ids],
        stop_lat=np.array([10.0 + i for i in range(len(ids))]), stop_lon=np.array([20.0 + i for i in range(len(ids))]),
        stop_station=np.array(parent, dtype=np.int32), stop_area=np.zeros(len(ids), dtype=np.int32),
        area_names=["all"], stop_change=ch,
        trip_ids=[f"T{t}" for t in range(len(trips))], trip_route=np.arange(len(trips), dtype=np.int32),
        trip_name=[f"T{t}" for t in range(len(trips))], trip_headsign=[""] * len(trips),
        route_ids=[f"R{t}" for t in range(len(trips))], route_names=[f"r{t}" for t in range(len(trips))],
        route_type=np.array(rtypes, dtype=np.int32),
        c_from=col(3, np.int32), c_to=col(4, np.int32), c_dep=col(0, np.int32), c_arr=col(1, np.int32),
        c_trip=col(2, np.int32), c_seq=col(5, np.int32), c_board=col(6, bool), c_alight=col(7, bool),
        fp_start=start, fp_to=np.array([b for _, b, _ in fps], dtype=np.int32),
        fp_dur=np.array([d for _, _, d in fps], dtype=np.int32),
        trip_transfer_block=np.array([a * len(trips) + b for a, b in blocks], dtype=np.int64),
        xfer_key=np.array([a * len(trips) + b for a, b, _, _, _ in rules], dtype=np.int64),
        xfer_from=np.array([idx[x] for _, _, x, _, _ in rules], dtype=np.int32),
        xfer_to=np.array([idx[y] for _, _, _, y, _ in rules], dtype=np.int32),
        xfer_secs=np.array([sec for *_, sec in rules], dtype=np.int32),
    )
