"""Compile a GTFS feed into the Timetable arrays of one service date, and cache them on disk.

Only numpy and the standard library are imported at module level: a cache hit
(``load_timetable``) must not pay for pandas or gtfs-kit. The compiler imports them lazily.

Modelling choices (see ``hbeu_transit.timetable_model`` for the semantics engines follow):

* Service days: trips whose service runs on the date, plus trips of as many earlier service
  days as the feed's latest stop time needs (``days_back``: times up to 71:59 reach two days
  on), shifted by -86400 s per day. Of an earlier day's trip only the hops that *depart* at or
  after 00:00 are kept (a query never starts before midnight, so earlier hops cannot be
  boarded); their ``c_seq`` is renumbered from 0 and ``trip_day`` says how many days back.
* frequencies.txt: a trip listed there runs only as its expanded runs, starting at start_time,
  start_time + headway, ... while < end_time; each run is a trip of its own, with
  ``trip_run_start`` its start on its own service day's clock. exact_times=0 (frequency-based service) is
  modelled with the same expansion: the vehicles are assumed to leave exactly on the headway,
  which is what a timetable for such a service would print; a real rider may wait longer.
* Blank times at non-timepoint stops are interpolated linearly between the surrounding timed
  stops, by shape_dist_traveled when the blank stop and both timed neighbours have it (and it
  increases), else by stop position. Blank rows before the first or after the last timed stop
  of a trip are dropped (nothing to interpolate from). A stop with only one of arrival/departure
  uses it for both. Times that go backwards within a trip are raised to the previous time, so
  that every hop has arr >= dep.
* pickup_type / drop_off_type 1 forbid boarding / alighting; 2 and 3 (phone, ask the driver)
  are treated as allowed.
* Change times: see ``DEFAULT_CHANGE_SECONDS`` and ``_transfers``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .timetable_model import IN_SEAT, Timetable

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .feed import Feed

#: Bump when the compiled arrays or their meaning change: old cache files are then ignored.
FORMAT_VERSION = 2

#: Default time to change vehicle at a stop, by mode family, when transfers.txt says nothing and
#: no --transfer-minutes is given. A stop served by several families takes the largest.
DEFAULT_CHANGE_SECONDS: dict[str, int] = {"rail": 600, "ferry": 300, "bus": 180, "trolleybus": 180}
#: Every other family (tram, subway, cable car...), and stops with no service on the date.
OTHER_CHANGE_SECONDS = 120
#: Walking speed for footpaths without a published time (straight-line distance).
WALK_SPEED_MPS = 1.2
EARTH_RADIUS_M = 6_371_008.8

_OPTION_NAMES = ("transfer_minutes", "walk_meters", "modes", "area_csv")


# --------------------------------------------------------------------------------------------
# compile
# --------------------------------------------------------------------------------------------


def compile_timetable(feed: Feed, date: dt.date | str, *, transfer_minutes: float | None = None,
                      walk_meters: float | None = None, modes: set[str] | None = None,
                      areas: pd.DataFrame | None = None) -> Timetable:
    """Compile ``feed`` into the Timetable of service date ``date`` (see the module docstring).

    transfer_minutes replaces the per-mode default change times (transfers.txt times still
    win); walk_meters adds footpaths between stops within that straight-line distance; modes
    keeps only trips whose route's mode family is listed; areas (columns stop_id and area_name
    or area, optionally area_id) replaces the feed's own city grouping.
    """
    import pandas as pd

    from .errors import InputError
    from .feed import active_services, stop_areas
    from .feed.modes import mode_family

    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    if transfer_minutes is not None and transfer_minutes < 0:
        raise InputError(f"transfer minutes must be >= 0, not {transfer_minutes}")
    if walk_meters is not None and walk_meters < 0:
        raise InputError(f"walk meters must be >= 0, not {walk_meters}")
    known_families = {mode_family(t) for t in range(0, 1700)}
    if modes is not None:
        unknown = set(modes) - known_families
        if unknown:
            raise InputError(f"unknown mode(s) {', '.join(sorted(unknown))}; known: "
                             f"{', '.join(sorted(known_families))}")

    stops = _stops(feed)
    routes = feed.get("routes")
    route_ids = _strs(routes["route_id"])
    route_type = pd.to_numeric(routes["route_type"], errors="coerce").fillna(3).astype(int).to_numpy()
    families = [mode_family(int(t)) for t in route_type]
    route_names = _first_nonblank(routes, ["route_short_name", "route_long_name"], route_ids)

    # trips running on the date (column 0) or on one of the days before (column k: k days back)
    trips = feed.get("trips")
    t_route = pd.Index(route_ids).get_indexer(trips["route_id"].astype(object))
    svc = trips["service_id"].astype(object)
    cal, cd = feed.get("calendar"), feed.get("calendar_dates")
    n_back = days_back(feed)
    on = np.column_stack([np.array(svc.isin(active_services(cal, cd, date - dt.timedelta(days=k))), dtype=bool)
                          for k in range(n_back + 1)])
    if modes is not None:
        fam_ok = np.array([f in modes for f in families], dtype=bool)
        on &= fam_ok[t_route][:, None]
    sel = np.flatnonzero(on.any(axis=1))
    all_ids = _strs(trips["trip_id"])
    sel_ids = [all_ids[i] for i in sel]
    rows = _pattern_rows(feed, sel_ids)

    runs = _instances(feed, sel_ids, on[sel], rows)
    conn, inst_keep = _connections(rows, runs)

    # trips = instances that kept at least one hop
    kb = runs["base"][inst_keep]
    trip_ids = [sel_ids[b] for b in kb.tolist()]
    trip_day = runs["day"][inst_keep].astype(np.int32)
    trip_run_start = runs["start"][inst_keep].astype(np.int32)
    sel_trips = trips.iloc[sel]
    trip_route = t_route[sel][kb].astype(np.int32)
    short = _strs(sel_trips["trip_short_name"]) if "trip_short_name" in sel_trips else [""] * len(sel)
    trip_name = [short[b] or route_names[r] for b, r in zip(kb, trip_route)]
    heads = _strs(sel_trips["trip_headsign"]) if "trip_headsign" in sel_trips else [""] * len(sel)
    last_stop = rows["stop"][np.maximum(rows["start"] + rows["count"] - 1, 0)]
    trip_headsign = [heads[b] or (stops["names"][last_stop[b]] if rows["count"][b] else "") for b in kb]

    # areas
    if areas is None:
        areas = stop_areas(feed)
    stop_area, area_names = _areas(stops, areas)

    # change times and footpaths
    conn_default = _route_defaults(families, transfer_minutes)[trip_route[conn["trip"]]]
    stop_change, fp, rules = _transfers(feed, stops, conn, conn_default, sel_ids, kb, trip_day,
                                        trip_run_start, transfer_minutes, walk_meters)
    fp_start, fp_to, fp_dur = _csr(len(stops["ids"]), *fp)

    opts: dict[str, Any] = {"transfer_minutes": transfer_minutes, "walk_meters": walk_meters,
                            "modes": sorted(modes) if modes is not None else None}
    return Timetable(
        date=date.isoformat(), timezone=feed.timezone, feed_hash=feed.content_hash,
        stop_ids=stops["ids"], stop_names=stops["names"], stop_lat=stops["lat"], stop_lon=stops["lon"],
        stop_station=stops["station"].astype(np.int32), stop_area=stop_area, area_names=area_names,
        stop_change=stop_change,
        trip_ids=trip_ids, trip_route=trip_route, trip_name=trip_name, trip_headsign=trip_headsign,
        route_ids=route_ids, route_names=route_names, route_type=route_type.astype(np.int32),
        c_from=conn["from"], c_to=conn["to"], c_dep=conn["dep"], c_arr=conn["arr"],
        c_trip=conn["trip"], c_seq=conn["seq"], c_board=conn["board"], c_alight=conn["alight"],
        fp_start=fp_start, fp_to=fp_to, fp_dur=fp_dur, options=opts,
        trip_day=trip_day, trip_run_start=trip_run_start,
        xfer_key=rules[0], xfer_from=rules[1], xfer_to=rules[2], xfer_secs=rules[3])


def days_back(feed: Feed) -> int:
    """How many service days before a date can still have trips running on it, from the data:
    the latest hop departure any trip (or frequency run) can have, in whole days."""
    import pandas as pd

    from .feed.stoptimes import parse_times

    st = feed.get("stop_times")
    if st is None or st.empty or "departure_time" not in st:
        return 0
    dep = parse_times(st["departure_time"])
    latest = float(np.nanmax(dep)) if np.isfinite(dep).any() else 0.0
    fr = feed.get("frequencies")
    if fr is not None and not fr.empty:
        span = pd.Series(dep).groupby(st["trip_id"].astype(object).to_numpy()).agg(lambda x: x.max() - x.min())
        end = parse_times(fr["end_time"], "frequencies.txt", "end_time")
        reach = end + span.reindex(fr["trip_id"].astype(object).to_numpy()).to_numpy(float)
        if np.isfinite(reach).any():
            latest = max(latest, float(np.nanmax(reach)))
    return max(int(latest // 86400), 0)


def _strs(col: pd.Series) -> list[str]:
    """A string column as a list of Python str, blanks as ""."""
    return [str(v) for v in col.astype(object).where(col.notna(), "").tolist()]


def _first_nonblank(df: pd.DataFrame, cols: list[str], fallback: list[str]) -> list[str]:
    out = [""] * len(df)
    for c in reversed(cols):
        if c in df:
            vals = _strs(df[c])
            out = [v.strip() or o for v, o in zip(vals, out)]
    return [o or f for o, f in zip(out, fallback)]


def _stops(feed: Feed) -> dict[str, Any]:
    """Stop ids, names, coordinates, location types and station of every stops.txt row."""
    import pandas as pd

    from .feed.stoptimes import parse_numbers

    st = feed.get("stops")
    n = len(st)
    ids = _strs(st["stop_id"])
    names = _strs(st["stop_name"]) if "stop_name" in st else [""] * n
    index = pd.Index(ids)
    lat = parse_numbers(st["stop_lat"]) if "stop_lat" in st else np.full(n, np.nan)
    lon = parse_numbers(st["stop_lon"]) if "stop_lon" in st else np.full(n, np.nan)
    if "location_type" in st:
        ltype = pd.to_numeric(st["location_type"], errors="coerce").fillna(0).astype(int).to_numpy()
    else:
        ltype = np.zeros(n, dtype=int)
    if "parent_station" in st:
        parent = index.get_indexer(st["parent_station"].astype(object).where(st["parent_station"].notna(), None))
    else:
        parent = np.full(n, -1)
    # station = top of the parent chain (boarding area -> platform -> station)
    station = np.where(parent >= 0, parent, np.arange(n))
    for _ in range(3):
        up = parent[station]
        station = np.where(up >= 0, up, station)
    # coordinates: children inherit their station's, stations the mean of their children's
    miss = np.isnan(lat) | np.isnan(lon)
    has = ~miss & (station != np.arange(n))
    if has.any():
        cnt = np.bincount(station[has], minlength=n)
        mlat = np.bincount(station[has], weights=lat[has], minlength=n) / np.maximum(cnt, 1)
        mlon = np.bincount(station[has], weights=lon[has], minlength=n) / np.maximum(cnt, 1)
        fill = miss & (cnt > 0)
        lat, lon = np.where(fill, mlat, lat), np.where(fill, mlon, lon)
    miss = np.isnan(lat) | np.isnan(lon)
    lat = np.where(miss, lat[station], lat)
    lon = np.where(miss, lon[station], lon)
    return {"ids": ids, "names": names, "index": index, "lat": lat.astype(np.float64),
            "lon": lon.astype(np.float64), "ltype": ltype, "parent": parent, "station": station}


def _pattern_rows(feed: Feed, trip_ids: list[str]) -> dict[str, np.ndarray]:
    """stop_times of the selected trips, sorted by (trip, stop_sequence), blanks interpolated.

    Returns arrays per row (trip = position in ``trip_ids``, stop index, arr, dep, pickup ok,
    drop-off ok) and per trip (start row, row count).
    """
    import pandas as pd

    from .feed.stoptimes import interpolate_times, parse_numbers, parse_times

    stt = feed.get("stop_times")
    s = stt.loc[stt["trip_id"].isin(trip_ids)]
    trip = pd.Index(trip_ids).get_indexer(s["trip_id"].astype(object))
    stop = pd.Index(_strs(feed.get("stops")["stop_id"])).get_indexer(s["stop_id"].astype(object))
    blank = np.full(len(s), np.nan)
    seq = parse_numbers(s["stop_sequence"])
    arr = parse_times(s["arrival_time"]) if "arrival_time" in s else blank
    dep = parse_times(s["departure_time"]) if "departure_time" in s else blank
    dist = parse_numbers(s["shape_dist_traveled"]) if "shape_dist_traveled" in s else blank

    def flag(col: str) -> np.ndarray:
        if col not in s:
            return np.ones(len(s), dtype=bool)
        return parse_numbers(s[col]) != 1

    board, alight = flag("pickup_type"), flag("drop_off_type")
    order = np.lexsort((seq, trip))
    trip, stop, arr, dep, dist, board, alight = (x[order] for x in (trip, stop, arr, dep, dist, board, alight))

    a, d, keep = interpolate_times(trip, arr, dep, dist)
    trip, stop, a, d, board, alight = (x[keep] for x in (trip, stop, a, d, board, alight))

    # times never go backwards within a trip (group-wise running maximum over arr0,dep0,arr1...)
    n = len(trip)
    big = np.int64(1 << 24)
    inter = np.empty(2 * n, dtype=np.int64)
    inter[0::2], inter[1::2] = np.rint(a), np.rint(d)
    base = np.repeat(trip.astype(np.int64), 2) * big
    inter = np.maximum.accumulate(inter + base) - base
    a, d = inter[0::2], inter[1::2]

    count = np.bincount(trip, minlength=len(trip_ids)).astype(np.int64)
    start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
    return {"trip": trip, "stop": stop.astype(np.int32), "arr": a, "dep": d, "board": board,
            "alight": alight, "start": start, "count": count}


def _instances(feed: Feed, trip_ids: list[str], on: np.ndarray,
               rows: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Every vehicle run of the date: (base trip, time offset, run start or -1, day 0/-1/-2...).

    ``on[i, k]``: trip i's service runs k days before the date."""
    import pandas as pd

    from .feed import parse_time_column
    from .feed.stoptimes import expand_frequencies

    n = len(trip_ids)
    first_dep = np.zeros(n, dtype=np.int64)
    last_arr = np.zeros(n, dtype=np.int64)
    has = rows["count"] > 0
    first_dep[has] = rows["dep"][rows["start"][has]]
    last_arr[has] = rows["arr"][rows["start"][has] + rows["count"][has] - 1]
    is_freq = np.zeros(n, dtype=bool)
    fb = np.zeros(0, dtype=np.int64)
    fstart = np.zeros(0, dtype=np.int64)
    fr = feed.get("frequencies")
    if fr is not None and not fr.empty:
        f = fr.loc[fr["trip_id"].isin(trip_ids)]
        b = pd.Index(trip_ids).get_indexer(f["trip_id"].astype(object))
        is_freq[b] = True
        st = parse_time_column(f["start_time"], "frequencies.txt", "start_time")
        en = parse_time_column(f["end_time"], "frequencies.txt", "end_time")
        hw = pd.to_numeric(f["headway_secs"], errors="coerce").to_numpy(float)
        row, run_start = expand_frequencies(st, en, hw)
        fb = b[row].astype(np.int64)
        fstart = run_start.astype(np.int64)
    plain = np.flatnonzero(~is_freq).astype(np.int64)
    base = np.concatenate([plain, fb])
    start = np.concatenate([np.full(len(plain), -1, dtype=np.int64), fstart])
    offset = np.where(start >= 0, start - first_dep[base], 0)
    out = []
    for k in range(on.shape[1]):
        m = on[base, k]
        if k:
            m &= (last_arr[base] + offset) >= k * 86400
        out.append((base[m], start[m], offset[m] - k * 86400, np.full(int(m.sum()), -k)))
    base, start, offset, dayv = (np.concatenate(x) for x in zip(*out))
    order = np.lexsort((start, base, -dayv))
    base, start, offset, dayv = base[order], start[order], offset[order], dayv[order]
    # overlapping frequency windows may produce the same run twice: keep one
    dup = np.zeros(len(base), dtype=bool)
    dup[1:] = (base[1:] == base[:-1]) & (start[1:] == start[:-1]) & (dayv[1:] == dayv[:-1]) & (start[1:] >= 0)
    keep = ~dup
    return {"base": base[keep], "start": start[keep], "offset": offset[keep], "day": dayv[keep]}


def _connections(rows: dict[str, np.ndarray], runs: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """One connection per consecutive stop pair of every run, sorted by (dep, arr, trip, seq).

    Returns the connection arrays (``trip`` = index among the kept runs) and the mask of runs
    kept (those with at least one hop departing at or after 00:00).
    """
    base = runs["base"]
    hc = np.maximum(rows["count"] - 1, 0)[base]
    total = int(hc.sum())
    inst = np.repeat(np.arange(len(base)), hc)
    within = np.arange(total) - np.repeat(np.cumsum(hc) - hc, hc)
    r = np.repeat(rows["start"][base], hc) + within
    off = runs["offset"][inst]
    dep = rows["dep"][r] + off
    keep = dep >= 0
    r, inst, within, dep = r[keep], inst[keep], within[keep], dep[keep]
    arr = rows["arr"][r + 1] + runs["offset"][inst]
    kept_per = np.bincount(inst, minlength=len(base))
    inst_keep = kept_per > 0
    new_index = np.cumsum(inst_keep) - 1
    seq = within - (hc - kept_per)[inst]
    trip = new_index[inst]
    order = np.lexsort((seq, trip, arr, dep))
    conn = {
        "from": rows["stop"][r][order].astype(np.int32),
        "to": rows["stop"][r + 1][order].astype(np.int32),
        "dep": dep[order].astype(np.int32),
        "arr": arr[order].astype(np.int32),
        "trip": trip[order].astype(np.int32),
        "seq": seq[order].astype(np.int32),
        "board": rows["board"][r][order].astype(bool),
        "alight": rows["alight"][r + 1][order].astype(bool),
    }
    return conn, inst_keep


def _areas(stops: dict[str, Any], areas: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Area index of every stop; stops the table misses take their station's area, else the station."""
    if "area_name" in areas:
        name = areas["area_name"]
    elif "area" in areas:
        name = areas["area"]
    else:
        raise ValueError("areas needs a column area_name (or area)")
    aid = areas["area_id"] if "area_id" in areas else name
    given = dict(zip(_strs(areas["stop_id"]), zip(_strs(aid), _strs(name))))
    ids, names, station = stops["ids"], stops["names"], stops["station"]
    index: dict[str, int] = {}
    area_names: list[str] = []
    out = np.empty(len(ids), dtype=np.int32)
    for i, sid in enumerate(ids):
        hit = given.get(sid) or given.get(ids[station[i]])
        if hit is None:
            hit = (ids[station[i]], names[station[i]] or ids[station[i]])
        k = index.get(hit[0])
        if k is None:
            k = index[hit[0]] = len(area_names)
            area_names.append(hit[1] or hit[0])
        out[i] = k
    return out, area_names


def _route_defaults(families: list[str], transfer_minutes: float | None) -> np.ndarray:
    """Default change seconds of each route (by mode family, or the user's override)."""
    if transfer_minutes is not None:
        return np.full(len(families), int(round(transfer_minutes * 60)), dtype=np.int64)
    return np.array([DEFAULT_CHANGE_SECONDS.get(f, OTHER_CHANGE_SECONDS) for f in families], dtype=np.int64)


def haversine_m(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance in metres (NaN when a coordinate is missing)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def _walk_seconds(stops: dict[str, Any], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    dist = haversine_m(stops["lat"][a], stops["lon"][a], stops["lat"][b], stops["lon"][b])
    return np.ceil(dist / WALK_SPEED_MPS)


def _transfers(feed: Feed, stops: dict[str, Any], conn: dict[str, np.ndarray], conn_default: np.ndarray,
               base_ids: list[str], trip_base: np.ndarray, trip_day: np.ndarray, trip_run_start: np.ndarray,
               transfer_minutes: float | None, walk_meters: float | None
               ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, ...]]:
    """stop_change, footpaths (from, to, seconds) and the trip transfer rules (``_trip_rules``).

    Rules, most specific first: a transfers.txt row between two stops, then a row naming a
    parent station (applied to all its platforms), then the defaults. For the same stop s->s:
    type 2 (or 0) with min_transfer_time gives that time, type 1 (timed transfer) 0 s, type 3
    forbids changing (-1), otherwise the default. Between different stops: type 3 removes the
    footpath; types 0/1/2 add one lasting min_transfer_time, or the straight-line walk at
    1.2 m/s when none is given. Platforms of one station are linked both ways with the station's
    s->s time, else the default change time (the larger of the two platforms' defaults).
    walk_meters footpaths last the walk plus that default change time. Rows with trip or route
    ids, in-seat transfers and block_id continuations become trip transfer rules.

    ``transfer_minutes`` is the rider's buffer: it replaces the default change times and is
    added to every time transfers.txt gives (same-stop times, footpaths, trip rules; a timed
    transfer, type 1, then takes just the buffer).
    """
    import pandas as pd

    n = len(stops["ids"])
    station, ltype = stops["station"], stops["ltype"]
    # default change time per stop: the largest over the modes serving it on the date
    dflt = np.full(n, -1, dtype=np.int64)
    np.maximum.at(dflt, conn["from"], conn_default)
    np.maximum.at(dflt, conn["to"], conn_default)
    fallback = OTHER_CHANGE_SECONDS if transfer_minutes is None else int(round(transfer_minutes * 60))
    st_max = np.full(n, -1, dtype=np.int64)
    np.maximum.at(st_max, station, dflt)
    dflt = np.where(dflt >= 0, dflt, np.where(st_max >= 0, st_max[station], fallback))
    change = dflt.copy()

    # platforms (location_type 0) of each station; a plain stop is its own only platform
    is_platform = ltype == 0
    children: dict[int, list[int]] = {}
    child = np.flatnonzero(is_platform & (station != np.arange(n)))
    for c, s in zip(child.tolist(), station[child].tolist()):
        children.setdefault(s, []).append(c)

    # explicit footpath candidates: (from, to, seconds or -1 forbidden, priority)
    fa: list[np.ndarray] = []
    fb: list[np.ndarray] = []
    fd: list[np.ndarray] = []
    fprio: list[np.ndarray] = []

    buffer = 0 if transfer_minutes is None else int(round(transfer_minutes * 60))
    trip_rules = _trip_rules(None, np.zeros(0, dtype=int), np.zeros(0), np.zeros(0, dtype=bool), stops, conn,
                        base_ids, trip_base, trip_day, trip_run_start, feed, buffer)
    tr = feed.get("transfers")
    if tr is not None and not tr.empty:
        def col(name: str) -> pd.Series:
            return tr[name] if name in tr else pd.Series(pd.NA, index=tr.index, dtype="string")
        ttype = pd.to_numeric(col("transfer_type"), errors="coerce").fillna(0).astype(int).to_numpy()
        mtt = pd.to_numeric(col("min_transfer_time"), errors="coerce").to_numpy(float)
        specific = (col("from_trip_id").notna() | col("to_trip_id").notna()
                    | col("from_route_id").notna() | col("to_route_id").notna()).to_numpy()
        fs = stops["index"].get_indexer(col("from_stop_id").astype(object).where(col("from_stop_id").notna(), None))
        ts = stops["index"].get_indexer(col("to_stop_id").astype(object).where(col("to_stop_id").notna(), None))
        trip_rules = _trip_rules(tr, ttype, mtt, specific, stops, conn, base_ids, trip_base, trip_day,
                                 trip_run_start, feed, buffer)

        rules: list[tuple[int, int, int, int, float]] = []  # (level, a, b, type, mtt)
        # types 4/5 (in-seat transfers) need trip ids and say nothing about walking
        for i in np.flatnonzero(~specific & (fs >= 0) & (ts >= 0) & (ttype <= 3)).tolist():
            a, b = int(fs[i]), int(ts[i])
            ca = children.get(a, [a])
            cb = children.get(b, [b])
            level = 1 if (a in children or b in children) else 0
            t, m = int(ttype[i]), float(mtt[i])
            if a == b and a in children:
                rules.append((level, a, a, t, m))
                # within a station without a time, platform pairs keep the default below
                timeless = t != 3 and math.isnan(m)
            else:
                timeless = False
            for x in ca:
                for y in cb:
                    if x == y or not timeless:
                        rules.append((level, x, y, t, m))
        if rules:
            r = pd.DataFrame(rules, columns=["level", "a", "b", "type", "mtt"])
            r = r.sort_values("level", kind="stable").drop_duplicates(["a", "b"], keep="first")
            same = r[r["a"] == r["b"]]
            for a, t, m in zip(same["a"].tolist(), same["type"].tolist(), same["mtt"].tolist()):
                if t == 3:
                    change[a] = -1
                else:
                    v = _rule_time(t, m)
                    if v is not None:
                        change[a] = int(v) + buffer
            diff = r[r["a"] != r["b"]]
            a = diff["a"].to_numpy(np.int64)
            b = diff["b"].to_numpy(np.int64)
            t = diff["type"].to_numpy()
            m = diff["mtt"].to_numpy(float)
            walk = _walk_seconds(stops, a, b)
            walk = np.where(np.isnan(walk), np.maximum(dflt[a], dflt[b]), walk)
            dur = np.where(t == 3, -1, np.where(np.isnan(m), walk, m) + buffer)
            fa.append(a)
            fb.append(b)
            fd.append(dur.astype(np.int64))
            fprio.append(diff["level"].to_numpy(np.int64))

    # platforms of one station, both ways
    pa, pb = [], []
    for s, kids in children.items():
        if len(kids) > 1:
            k = np.array(kids, dtype=np.int64)
            x, y = np.meshgrid(k, k, indexing="ij")
            m = x != y
            pa.append(x[m])
            pb.append(y[m])
    if pa:
        a, b = np.concatenate(pa), np.concatenate(pb)
        fa.append(a)
        fb.append(b)
        fd.append(np.maximum(dflt[a], dflt[b]))
        fprio.append(np.full(len(a), 2, dtype=np.int64))

    if walk_meters:
        a, b, dist = _near_pairs(stops, is_platform, float(walk_meters))
        fa.append(a)
        fb.append(b)
        fd.append((np.ceil(dist / WALK_SPEED_MPS) + np.maximum(dflt[a], dflt[b])).astype(np.int64))
        fprio.append(np.full(len(a), 3, dtype=np.int64))

    if fa:
        a, b, d, p = (np.concatenate(x) for x in (fa, fb, fd, fprio))
        order = np.lexsort((p, b, a))
        a, b, d, p = a[order], b[order], d[order], p[order]
        first = np.ones(len(a), dtype=bool)
        first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        keep = first & (d >= 0) & (a != b)
        fp = (a[keep], b[keep], d[keep])
    else:
        z = np.zeros(0, dtype=np.int64)
        fp = (z, z, z)
    return change.astype(np.int32), fp, trip_rules


def _rule_time(ttype: int, mtt: float) -> float | None:
    """The s->s change time a transfers.txt row sets (None = keep the default)."""
    if not math.isnan(mtt) and ttype in (0, 2):
        return mtt
    if ttype == 1:
        return 0.0
    return None


def _trip_rules(tr: pd.DataFrame | None, ttype: np.ndarray, mtt: np.ndarray, specific: np.ndarray,
                stops: dict[str, Any], conn: dict[str, np.ndarray], base_ids: list[str],
                trip_base: np.ndarray, trip_day: np.ndarray, trip_run_start: np.ndarray,
                feed: Feed, buffer: int) -> tuple[np.ndarray, ...]:
    """Trip transfer rules (``timetable_model``): (key, from stop, to stop, seconds) arrays.

    * transfers.txt rows naming a trip or route (either side), types 0-3: every run of the
      named trips (a route: of its trips; a blank side: every trip) on each side; from_stop_id
      (a station: its stops) where the from trip can be left, to_stop_id where the to trip can
      be boarded (blank: the same stop). Type 3 forbids (blank stops on both sides: at every
      stop), type 1 takes 0 s, types 0 and 2 min_transfer_time (type 0 without one: no rule),
      plus ``buffer``. Where several rows cover one change, the most specific wins (as
      OpenTripPlanner ranks them: trip 4, route and stop 3, route and station 2, route 2, stop
      1, station 0 per side; then the earlier row).
    * In seat: type 4 rows (trip ids) and, where no trip-to-trip row of that pair says
      otherwise (type 5 forbids it), consecutive trips of one block_id that start where the
      previous one ends (same stop or station), on the same service day, no earlier than it
      arrives: from the last stop of the one to the first of the next. Frequency runs do not
      continue in seat.
    """
    n_trips = len(trip_base)
    empty = (np.zeros(0, dtype=np.int64),) + tuple(np.zeros(0, dtype=np.int32) for _ in range(3))
    if not n_trips:
        return empty
    station = stops["station"]
    # per timetable trip: stops it may be left at / boarded at, first and last hop
    order = np.lexsort((conn["seq"], conn["trip"]))
    t_of = conn["trip"][order]
    first_c = np.full(n_trips, -1, dtype=np.int64)
    last_c = np.full(n_trips, -1, dtype=np.int64)
    first_c[t_of[::-1]] = order[::-1]
    last_c[t_of] = order
    leave: dict[int, set[int]] = {}
    board: dict[int, set[int]] = {}
    for t, s, ok in zip(conn["trip"].tolist(), conn["to"].tolist(), conn["alight"].tolist()):
        if ok:
            leave.setdefault(t, set()).add(s)
    for t, s, ok in zip(conn["trip"].tolist(), conn["from"].tolist(), conn["board"].tolist()):
        if ok:
            board.setdefault(t, set()).add(s)
    by_trip: dict[str, list[int]] = {}
    for k, b in enumerate(trip_base.tolist()):
        by_trip.setdefault(base_ids[b], []).append(k)
    trips = feed.get("trips")
    tids = _strs(trips["trip_id"])
    route_of = dict(zip(tids, _strs(trips["route_id"])))
    by_route: dict[str, list[int]] = {}
    for tid, ks in by_trip.items():
        by_route.setdefault(route_of.get(tid, ""), []).extend(ks)
    everyone = list(range(n_trips))
    n_rows = 0 if tr is None else len(tr)
    cols = {c: (_strs(tr[c]) if tr is not None and c in tr else [""] * n_rows)
            for c in ("from_trip_id", "from_route_id", "to_trip_id", "to_route_id", "from_stop_id", "to_stop_id")}
    index = stops["index"]

    def side(trip: str, route: str, sid: str) -> tuple[list[int], set[int] | None, int]:
        """The trips and stops (None: any) one side of a row names, and its specificity: trip 4,
        route and stop 3, route and station 2, route 2, stop 1, station or nothing 0."""
        stops_of: set[int] | None = None
        kind = 0                                  # 0 none, 1 station, 2 stop
        if sid:
            i = int(index.get_indexer([sid])[0])
            if i < 0:
                stops_of = set()
            elif station[i] == i and (station == i).sum() > 1:
                stops_of, kind = set(np.flatnonzero(station == i).tolist()), 1
            else:
                stops_of, kind = {i}, 2
        if trip:
            return by_trip.get(trip, []), stops_of, 4
        if route:
            return by_route.get(route, []), stops_of, 2 + (kind == 2)
        return everyone, stops_of, int(kind == 2)

    rules: dict[tuple[int, int, int, int], tuple[int, int, int]] = {}  # -> (secs, -rank, row)
    said: set[tuple[str, str]] = set()          # trip pairs some row speaks about
    for i in np.flatnonzero(specific).tolist():
        t = int(ttype[i])
        ft, tt_ = cols["from_trip_id"][i], cols["to_trip_id"][i]
        if ft and tt_:
            said.add((ft, tt_))
        if t > 3:
            continue
        if t == 3:
            sec = -1
        elif t == 1:
            sec = 0
        elif not math.isnan(mtt[i]):
            sec = int(mtt[i]) + buffer
        else:
            continue                             # no time: the ordinary rules apply
        from_trips, xs, xr = side(ft, cols["from_route_id"][i], cols["from_stop_id"][i])
        to_trips, ys, yr = side(tt_, cols["to_route_id"][i], cols["to_stop_id"][i])
        rank = xr + yr
        for a in from_trips:
            for b in to_trips:
                if a == b:
                    continue
                if xs is None and ys is None and sec < 0:
                    pairs = [(-1, -1)]
                else:
                    here = leave.get(a, set()) if xs is None else xs & leave.get(a, set())
                    there = board.get(b, set())
                    pairs = [(x, y) for x in here for y in ((x,) if ys is None else ys) if y in there]
                for x, y in pairs:
                    k = (a, b, x, y)
                    old = rules.get(k)
                    if old is None or -rank < old[1]:
                        rules[k] = (sec, -rank, i)

    # in seat: type 4 rows, then block continuations
    seat: set[tuple[int, int]] = set()
    plain = trip_run_start < 0

    def continues(a: int, b: int) -> bool:
        if not (plain[a] and plain[b]) or trip_day[a] != trip_day[b] or a == b:
            return False
        la, fb = int(last_c[a]), int(first_c[b])
        return la >= 0 and fb >= 0 and station[conn["to"][la]] == station[conn["from"][fb]] \
            and conn["dep"][fb] >= conn["arr"][la]

    for i in np.flatnonzero(ttype == 4).tolist():
        for a in by_trip.get(cols["from_trip_id"][i], []):
            for b in by_trip.get(cols["to_trip_id"][i], []):
                if continues(a, b):
                    seat.add((a, b))
    if "block_id" in trips:
        blk = _strs(trips["block_id"])
        block_of = dict(zip(tids, blk))
        groups: dict[tuple[str, int], list[int]] = {}
        for k, b in enumerate(trip_base.tolist()):
            bid = block_of.get(base_ids[b], "")
            if bid and plain[k]:
                groups.setdefault((bid, int(trip_day[k])), []).append(k)
        for ks in groups.values():
            ks.sort(key=lambda k: (int(conn["dep"][first_c[k]]), k))
            for a, b in zip(ks, ks[1:]):
                if (base_ids[trip_base[a]], base_ids[trip_base[b]]) not in said and continues(a, b):
                    seat.add((a, b))
    out = [(a * n_trips + b, x, y, sec) for (a, b, x, y), (sec, _, _) in rules.items()]
    out += [(a * n_trips + b, int(conn["to"][last_c[a]]), int(conn["from"][first_c[b]]), IN_SEAT) for a, b in seat]
    if not out:
        return empty
    out.sort()
    key, x, y, sec = (np.array(c) for c in zip(*out))
    return key.astype(np.int64), x.astype(np.int32), y.astype(np.int32), sec.astype(np.int32)


def _near_pairs(stops: dict[str, Any], candidate: np.ndarray, meters: float
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ordered pairs of distinct candidate stops within ``meters`` (grid buckets, no O(n^2))."""
    import pandas as pd

    lat, lon = stops["lat"], stops["lon"]
    idx = np.flatnonzero(candidate & np.isfinite(lat) & np.isfinite(lon))
    z = np.zeros(0, dtype=np.int64)
    if len(idx) < 2 or meters <= 0:
        return z, z, np.zeros(0)
    # a projection that never overstates distances, so true neighbours share adjacent cells
    coslat = math.cos(math.radians(min(89.0, float(np.abs(lat[idx]).max()))))
    x = lon[idx] * coslat * 110_500.0
    y = lat[idx] * 110_500.0
    cell = pd.DataFrame({"s": idx, "cx": np.floor(x / meters).astype(np.int64),
                         "cy": np.floor(y / meters).astype(np.int64)})
    parts = []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            other = cell.assign(cx=cell["cx"] + dx, cy=cell["cy"] + dy)
            parts.append(cell.merge(other, on=["cx", "cy"], suffixes=("_a", "_b"))[["s_a", "s_b"]])
    pairs = pd.concat(parts, ignore_index=True)
    a = pairs["s_a"].to_numpy(np.int64)
    b = pairs["s_b"].to_numpy(np.int64)
    m = a != b
    a, b = a[m], b[m]
    dist = haversine_m(lat[a], lon[a], lat[b], lon[b])
    m = dist <= meters
    return a[m], b[m], dist[m]


def _csr(n: int, a: np.ndarray, b: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Footpath lists (from, to, seconds) -> CSR arrays sorted by (from, seconds, to)."""
    order = np.lexsort((b, d, a))
    a, b, d = a[order], b[order], d[order]
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(a, minlength=n), out=start[1:])
    return start.astype(np.int32), b.astype(np.int32), d.astype(np.int32)


# --------------------------------------------------------------------------------------------
# hand-made timetables (tests, random feeds) and invariant checks
# --------------------------------------------------------------------------------------------


def timetable_from_connections(
    connections: Iterable[Sequence[Any]], *, stops: Sequence[str] | int | None = None,
    stop_change: int | Sequence[int] | Mapping[Any, int] = 0,
    footpaths: Iterable[tuple[Any, Any, int]] = (),
    stop_station: Sequence[int] | Mapping[Any, Any] | None = None,
    stop_area: Mapping[Any, str] | None = None,
    coords: Mapping[Any, tuple[float, float]] | None = None,
    trip_transfer_block: Iterable[tuple[Any, Any]] = (),
    transfer_rules: Iterable[tuple[Any, Any, Any, Any, int]] = (),
    date: str = "2000-01-01", validate: bool = True,
) -> Timetable:
    """A valid Timetable from plain Python data, for hand-made tests and random networks.

    connections: tuples (from_stop, to_stop, dep, arr, trip[, board, alight]); stops and trips
    may be given as ids (str) or indices (int). A trip's hops must chain (each starts where the
    previous ended, no earlier than it arrived) when ``validate``. stops: the stop ids in index
    order, or their number (ids "0".."n-1"); by default the ids in first-seen order (all-int
    references mean indices 0..max). stop_change: one value for every stop, a list, or
    {stop: seconds}. footpaths: (from, to, seconds), directional. stop_station: {stop: station}
    or a list of indices. trip_transfer_block: (from_trip, to_trip) pairs. transfer_rules:
    (from_trip, to_trip, from_stop, to_stop, seconds) with seconds -1 forbidden, -2 in seat
    (``timetable_model``'s trip transfer rules).
    """
    conns = [tuple(c) for c in connections]
    fps = [tuple(f) for f in footpaths]
    blocks_in = [tuple(p) for p in trip_transfer_block]
    rules_in = [tuple(r) for r in transfer_rules]

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
    trefs = [c[4] for c in conns] + [x for p in blocks_in for x in p] + [x for r in rules_in for x in r[:2]]
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
    fp_start, fp_to, fp_dur = _csr(n, fa, fb, fd)
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
        options={"hand_made": True},
        xfer_key=np.array([T(r[0]) * nt + T(r[1]) for r in rules_in], dtype=np.int64),
        xfer_from=np.array([S(r[2]) for r in rules_in], dtype=np.int32),
        xfer_to=np.array([S(r[3]) for r in rules_in], dtype=np.int32),
        xfer_secs=np.array([int(r[4]) for r in rules_in], dtype=np.int32))


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


# --------------------------------------------------------------------------------------------
# cache
# --------------------------------------------------------------------------------------------


def default_cache_dir() -> Path:
    """$HBEU_CACHE_DIR, else $XDG_CACHE_HOME/hbeu-transit, else ~/.cache/hbeu-transit."""
    env = os.environ.get("HBEU_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "hbeu-transit"


def file_sha256(path: str | Path) -> str:
    """sha256 of a feed zip's bytes, or of a folder's .txt files (names and bytes, sorted)."""
    p = Path(path)
    h = hashlib.sha256()
    if p.is_dir():
        for f in sorted(p.iterdir()):
            if f.is_file() and f.suffix == ".txt":
                h.update(f.name.encode())
                with open(f, "rb") as fh:
                    h.update(hashlib.file_digest(fh, "sha256").digest())
    else:
        with open(p, "rb") as fh:
            h.update(hashlib.file_digest(fh, "sha256").digest())
    return h.hexdigest()


def _normalise_options(options: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(options) - set(_OPTION_NAMES)
    if unknown:
        raise TypeError(f"unknown timetable option(s): {', '.join(sorted(unknown))}")
    tm, wm = options.get("transfer_minutes"), options.get("walk_meters")
    modes, area_csv = options.get("modes"), options.get("area_csv")
    return {"transfer_minutes": None if tm is None else float(tm),
            "walk_meters": None if wm is None else float(wm),
            "modes": None if modes is None else sorted(set(modes)),
            "area_csv": None if area_csv is None else file_sha256(area_csv)}


def cache_key(feed_paths: Sequence[str | Path], date: dt.date | str, **options: Any) -> str:
    """The cache key: input file contents (and names, which prefix clashing ids), date, options."""
    d = date if isinstance(date, str) else date.isoformat()
    payload = {"format": FORMAT_VERSION, "date": dt.date.fromisoformat(d).isoformat(),
               "feeds": [[Path(p).stem if Path(p).is_file() else Path(p).name, file_sha256(p)]
                         for p in feed_paths],
               "options": _normalise_options(options)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]


def save_timetable(tt: Timetable, path: str | Path, key: str = "") -> None:
    """Write ``tt`` to ``path`` atomically: one uncompressed .npz holding the arrays and, as
    a UTF-8 JSON byte array, the strings and lists."""
    path = Path(path)
    arrays: dict[str, np.ndarray] = {}
    meta: dict[str, Any] = {"format": FORMAT_VERSION, "key": key}
    for f in fields(tt):
        v = getattr(tt, f.name)
        if isinstance(v, np.ndarray):
            arrays[f.name] = v
        else:
            meta[f.name] = v
    arrays["_meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8)
    from .atomic import atomic_path

    with atomic_path(path, make_dirs=True) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, **arrays)


def read_timetable(path: str | Path, key: str | None = None) -> Timetable:
    """Read a file written by ``save_timetable``; ValueError when it is stale or damaged."""
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(z["_meta"].tobytes().decode())
            if meta.get("format") != FORMAT_VERSION or (key is not None and meta.get("key") != key):
                raise ValueError("stale cache file")
            kw: dict[str, Any] = {}
            for f in fields(Timetable):
                if f.name in z.files:
                    kw[f.name] = z[f.name]
                elif f.name in meta:
                    kw[f.name] = meta[f.name]
                else:
                    raise ValueError(f"cache file lacks {f.name}")
    except ValueError:
        raise
    except Exception as e:  # zipfile.BadZipFile, OSError, EOFError, KeyError...
        raise ValueError(f"unreadable cache file ({type(e).__name__}: {e})") from None
    return Timetable(**kw)


def load_timetable(feed_paths: Sequence[str | Path], date: dt.date | str, *,
                   cache_dir: Path | None = None, feed_loader: Callable[[], Feed] | None = None,
                   **options: Any) -> Timetable:
    """The Timetable of ``date`` for these feeds, from the cache when possible.

    options: transfer_minutes, walk_meters, modes, area_csv (a stop_id,area CSV). A hit reads
    one .npz with numpy only; a miss (or a damaged file) loads the feeds, compiles and writes
    the cache atomically. An unwritable cache directory only costs the caching.
    ``feed_loader()``, when given, returns the merged Feed of ``feed_paths`` on a miss (so that
    a caller compiling several dates, or also building the place index, reads the feeds once);
    by default the feeds are loaded here.
    """
    paths = [Path(p) for p in feed_paths]
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    key = cache_key(paths, date, **options)
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    target = folder / f"timetable-{key}.npz"
    if target.is_file():
        try:
            return read_timetable(target, key)
        except ValueError:
            pass  # stale or corrupt: recompile below
    if feed_loader is None:
        from .feed import load_feeds

        feed = load_feeds(paths)
    else:
        feed = feed_loader()
    areas = None
    if options.get("area_csv") is not None:
        from .feed import stop_areas

        areas = stop_areas(feed, options["area_csv"])
    tt = compile_timetable(feed, date, transfer_minutes=options.get("transfer_minutes"),
                           walk_meters=options.get("walk_meters"),
                           modes=set(options["modes"]) if options.get("modes") is not None else None,
                           areas=areas)
    try:
        save_timetable(tt, target, key)
    except OSError:
        pass
    return tt
