"""Compile a GTFS feed into the Timetable arrays of one service date, and cache them on disk.

Only numpy and the standard library are imported at module level: a cache hit
(``load_timetable``) must not pay for pandas or gtfs-kit. The compiler imports them lazily.

Modelling choices (see ``hbeu_transit.timetable.model`` for the semantics engines follow):

* Service days: trips whose service runs on the date, plus trips of as many earlier service
  days as the feed's latest stop time needs (``days_back``: times up to 71:59 reach two days
  on), shifted by the time between the two days' noon-minus-12h origins (-86400 s per day, an
  hour more or less across a clock change, so an instant keeps its wall-clock time). Of an
  earlier day's trip only the hops that *depart* at or after 00:00 (or the local midnight, an
  hour before it the night the clocks go back) are kept (a query never starts before midnight,
  so earlier hops cannot be boarded); their ``c_seq`` is renumbered from 0 and ``trip_day`` says how many days back.
* The next service day: its trips (frequency runs) whose first departure is before
  ``NEXT_DAY_HORIZON`` on their own clock, whole, shifted by the time between the two days'
  origins (+86400 s, an hour more or less across a clock change), ``trip_day`` +1. So a
  journey leaving late on the date changes onto the next date's early trips (one timeline
  across midnight, as OpenTripPlanner and R5 route); what counts the date's own trips leaves
  them out (``trip_day`` > 0), as it leaves out the days before's.
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
from typing import TYPE_CHECKING, Any

import numpy as np

from ..feed.columns import strings
from .model import Timetable
from .transfers import footpath_csr, route_change_defaults, stop_changes_and_footpaths

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..feed import Feed


#: How long after the next service day's start (on its own clock) a trip of that day may leave
#: and still be held, whole, by the date's timetable (``trip_day`` +1): a night. A journey
#: leaving before midnight rides the night's trips of the next date (the last bus onto the
#: first night train, the first trains before 06:00); one that would wait at a change past
#: 06:00 waits the night there, and the next date's own search (a plan pages on into it from
#: its 00:00) shows that morning's journeys. Whole days would double every timetable for
#: journeys no rider takes; six hours adds the few trips of the night (none on the bundled
#: feed, where the first leaves at 06:00).
NEXT_DAY_HORIZON = 6 * 3600

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

    from ..feed import active_services, stop_areas
    from ..feed.modes import check_modes, mode_family, mode_selected

    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    from ..values import as_meters, as_minutes

    if transfer_minutes is not None:
        as_minutes(transfer_minutes, "transfer_minutes", zero=True)
    if walk_meters is not None:
        as_meters(walk_meters)
    if modes is not None:
        modes = check_modes(modes)

    stops = _stops(feed)
    routes = feed.get("routes")
    route_ids = strings(routes["route_id"])
    route_type = pd.to_numeric(routes["route_type"], errors="coerce").fillna(3).astype(int).to_numpy()
    families = [mode_family(int(t)) for t in route_type]
    route_names = _first_nonblank(routes, ["route_short_name", "route_long_name"], route_ids)

    # trips running on the date (column 0) or on one of the days before (column k: k days back)
    trips = feed.get("trips")
    t_route = pd.Index(route_ids).get_indexer(trips["route_id"].astype(object))
    svc = trips["service_id"].astype(object)
    cal, cd = feed.get("calendar"), feed.get("calendar_dates")
    latest = _latest_time(feed)
    n_back = max(int(latest // 86400), 0)
    # the night the clocks go forward the day before is 23 h long: its trips from 23:00 on
    # are already after the date's origin (00:00 on its clock), one day more to look back
    shifts, first, ahead = _day_clock(date, feed.timezone, n_back + 1)
    if shifts[-1] + first <= latest:
        n_back += 1
    else:
        shifts = shifts[:-1]
    # column n_back + 1: the next service day (its trips leaving before NEXT_DAY_HORIZON)
    on = np.column_stack([np.array(svc.isin(active_services(cal, cd, date - dt.timedelta(days=k))), dtype=bool)
                          for k in [*range(n_back + 1), -1]])
    if modes is not None:
        fam_ok = np.array([mode_selected(int(t), modes) for t in route_type], dtype=bool)
        on &= fam_ok[t_route][:, None]
    sel = np.flatnonzero(on.any(axis=1))
    all_ids = strings(trips["trip_id"])
    sel_ids = [all_ids[i] for i in sel]
    rows = _pattern_rows(feed, sel_ids)

    runs = _instances(feed, sel_ids, on[sel], rows, shifts, first, ahead)
    conn, inst_keep = _connections(rows, runs, first)

    # trips = instances that kept at least one hop
    kb = runs["base"][inst_keep]
    trip_ids = [sel_ids[b] for b in kb.tolist()]
    trip_day = runs["day"][inst_keep].astype(np.int32)
    trip_run_start = runs["start"][inst_keep].astype(np.int32)
    sel_trips = trips.iloc[sel]
    trip_route = t_route[sel][kb].astype(np.int32)
    short = strings(sel_trips["trip_short_name"]) if "trip_short_name" in sel_trips else [""] * len(sel)
    trip_name = [short[b] or route_names[r] for b, r in zip(kb, trip_route)]
    heads = strings(sel_trips["trip_headsign"]) if "trip_headsign" in sel_trips else [""] * len(sel)
    last_row = np.maximum(rows["start"] + rows["count"] - 1, 0)
    # (a feed whose selected trips have no timed row at all has no rows to index)
    last_stop = rows["stop"][last_row] if len(rows["stop"]) else np.zeros(len(last_row), dtype=np.int32)
    trip_headsign = [heads[b] or (stops["names"][last_stop[b]] if rows["count"][b] else "") for b in kb]

    # areas
    if areas is None:
        areas = stop_areas(feed)
    stop_area, area_names = _areas(stops, areas)

    # change times and footpaths
    conn_default = route_change_defaults(families, transfer_minutes)[trip_route[conn["trip"]]]
    stop_change, fp, rules = stop_changes_and_footpaths(feed, stops, conn, conn_default, sel_ids, kb, trip_day,
                                                        trip_run_start, transfer_minutes, walk_meters,
                                                        {**dict(enumerate(shifts)), -1: ahead})
    fp_start, fp_to, fp_dur = footpath_csr(len(stops["ids"]), *fp)

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
    the latest hop departure any trip (or frequency run) can have, in whole days (one more the
    date the clocks go forward, see ``compile_timetable``)."""
    return max(int(_latest_time(feed) // 86400), 0)


def _latest_time(feed: Feed) -> float:
    """The latest hop departure any trip (or frequency run) can have, seconds of its own day."""
    import pandas as pd

    from ..feed.stoptimes import parse_times

    st = feed.get("stop_times")
    if st is None or st.empty or not {"arrival_time", "departure_time"} & set(st.columns):
        return 0.0
    # a row with only arrival_time departs then too, and an interpolated blank time lies between
    # two given times: the largest time in either column bounds every hop's departure
    dep = np.fmax(*(parse_times(st[c]) if c in st else np.full(len(st), np.nan)
                    for c in ("arrival_time", "departure_time")))
    latest = float(np.nanmax(dep)) if np.isfinite(dep).any() else 0.0
    fr = feed.get("frequencies")
    if fr is not None and not fr.empty:
        span = pd.Series(dep).groupby(st["trip_id"].astype(object).to_numpy()).agg(lambda x: x.max() - x.min())
        end = parse_times(fr["end_time"], "frequencies.txt", "end_time")
        reach = end + span.reindex(fr["trip_id"].astype(object).to_numpy()).to_numpy(float)
        if np.isfinite(reach).any():
            latest = max(latest, float(np.nanmax(reach)))
    return latest


def _first_nonblank(df: pd.DataFrame, cols: list[str], fallback: list[str]) -> list[str]:
    out = [""] * len(df)
    for c in reversed(cols):
        if c in df:
            vals = strings(df[c])
            out = [v.strip() or o for v, o in zip(vals, out)]
    return [o or f for o, f in zip(out, fallback)]


def _stops(feed: Feed) -> dict[str, Any]:
    """Stop ids, names, coordinates, location types and station of every stops.txt row."""
    import pandas as pd

    from ..feed.areas import station_parents
    from ..feed.stoptimes import parse_numbers

    st = feed.get("stops")
    n = len(st)
    ids = strings(st["stop_id"])
    names = strings(st["stop_name"]) if "stop_name" in st else [""] * n
    index = pd.Index(ids)
    lat = parse_numbers(st["stop_lat"]) if "stop_lat" in st else np.full(n, np.nan)
    lon = parse_numbers(st["stop_lon"]) if "stop_lon" in st else np.full(n, np.nan)
    if "location_type" in st:
        ltype = pd.to_numeric(st["location_type"], errors="coerce").fillna(0).astype(int).to_numpy()
    else:
        ltype = np.zeros(n, dtype=int)
    if "parent_station" in st:
        par = station_parents(st)       # (an entrance, a node or a boarding area is no one's station)
        parent = index.get_indexer(par.astype(object).where(par.notna(), None))
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

    from ..feed.stoptimes import interpolate_times, parse_numbers, parse_times

    stt = feed.get("stop_times")
    s = stt.loc[stt["trip_id"].isin(trip_ids)]
    trip = pd.Index(trip_ids).get_indexer(s["trip_id"].astype(object))
    stop = pd.Index(strings(feed.get("stops")["stop_id"])).get_indexer(s["stop_id"].astype(object))
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


def _day_clock(date: dt.date, tz: str, n_back: int) -> tuple[list[int], int, int]:
    """``date``'s clock against the ``n_back`` service days before it: the seconds from each
    day's origin (noon minus 12 h) to ``date``'s, k * 86400 but across a clock change (an earlier
    day's trip keeps its instant on ``date``'s clock); the first second kept of an earlier
    day's trip (``analysis.times.day_start``: 00:00, or -01:00 the night the clocks go back); and
    the seconds from the next service day's origin to ``date``'s, negative (-86400, an hour more
    or less across a clock change)."""
    from ..analysis.times import day_shift, day_start
    from ..errors import InputError

    try:
        return [day_shift(date, tz, k) for k in range(n_back + 1)], day_start(date, tz), day_shift(date, tz, -1)
    except InputError:  # an unknown zone (reported where times are shown)
        return [k * 86400 for k in range(n_back + 1)], 0, -86400


def _instances(feed: Feed, trip_ids: list[str], on: np.ndarray,
               rows: dict[str, np.ndarray], shifts: list[int], first: int, ahead: int) -> dict[str, np.ndarray]:
    """Every vehicle run of the date: (base trip, time offset, run start or -1, day 0/-1/-2...,
    +1 for the next day's).

    ``on[i, k]``: trip i's service runs k days before the date (k < len(shifts)), the last
    column the day after; ``shifts[k]``: the seconds its times move back by, ``first``: the
    earliest time kept and ``ahead`` the next day's shift (``_day_clock``), the next day's runs
    kept when they start before ``NEXT_DAY_HORIZON``."""
    import pandas as pd

    from ..feed import parse_time_column
    from ..feed.stoptimes import expand_frequencies

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
    for k in range(len(shifts)):
        m = on[base, k]
        if k:
            m &= (last_arr[base] + offset) >= shifts[k] + first
        out.append((base[m], start[m], offset[m] - shifts[k], np.full(int(m.sum()), -k)))
    m = on[base, len(shifts)] & (first_dep[base] + offset < NEXT_DAY_HORIZON)   # the next day's night
    out.append((base[m], start[m], offset[m] - ahead, np.full(int(m.sum()), 1)))
    base, start, offset, dayv = (np.concatenate(x) for x in zip(*out))
    order = np.lexsort((start, base, -dayv, dayv > 0))   # the date's, the days before's, the next's
    base, start, offset, dayv = base[order], start[order], offset[order], dayv[order]
    # overlapping frequency windows may produce the same run twice: keep one
    dup = np.zeros(len(base), dtype=bool)
    dup[1:] = (base[1:] == base[:-1]) & (start[1:] == start[:-1]) & (dayv[1:] == dayv[:-1]) & (start[1:] >= 0)
    keep = ~dup
    return {"base": base[keep], "start": start[keep], "offset": offset[keep], "day": dayv[keep]}


def _connections(rows: dict[str, np.ndarray], runs: dict[str, np.ndarray],
                 first: int = 0) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """One connection per consecutive stop pair of every run, sorted by (dep, arr, trip, seq).

    Returns the connection arrays (``trip`` = index among the kept runs) and the mask of runs
    kept (those with at least one hop departing at or after ``first``, 00:00 or the date's
    local midnight when it comes first, see ``_day_clock``).
    """
    base = runs["base"]
    hc = np.maximum(rows["count"] - 1, 0)[base]
    total = int(hc.sum())
    inst = np.repeat(np.arange(len(base)), hc)
    within = np.arange(total) - np.repeat(np.cumsum(hc) - hc, hc)
    r = np.repeat(rows["start"][base], hc) + within
    off = runs["offset"][inst]
    dep = rows["dep"][r] + off
    keep = dep >= first
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
    given = dict(zip(strings(areas["stop_id"]), zip(strings(aid), strings(name))))
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
