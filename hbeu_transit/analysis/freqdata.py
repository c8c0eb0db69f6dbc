"""The compact form of the feeds that the frequency tables count from, and its disk cache.

``prepare`` reads a loaded Feed once into plain numpy arrays (stop_times sorted by trip and
sequence with times parsed and blanks interpolated, codes instead of ids, frequencies.txt rows,
stations and cities) plus the little calendar knowledge the reports need (the services running
on each date, the auto holiday dates, the dates with trips). ``load_freq_data`` keeps that in
the cache folder as one file (``cache.write_arrays``) keyed by the feeds' content
(``cache.feeds_digest``, as the compiled timetables), so a warm ``hbeu freq`` neither parses
CSV nor imports gtfs-kit: it reads arrays and counts.

Mode filters are not baked in (``FreqData.for_modes`` applies them), so one cache file serves
every ``--modes``; a user areas CSV is part of the key (it changes the cities).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..cache import fields_from, split_fields

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..feed import Feed

__all__ = ["FORMAT_VERSION", "FreqData", "freq_cache_path", "holiday_dates", "load_freq_data", "prepare"]

#: Bump when the arrays or their meaning change: older cache files are then rebuilt.
FORMAT_VERSION = 5     # 2: a stop whose parent_station is no station or stop (an entrance) is its own area;
                       # 3: route_type per route (--modes high_speed_rail)
                       # 4: a feed repeating a primary key is refused, where data built before took it
                       # 5: a city's area_id loses the merge's prefix of its own feed only
DAY = 86400
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass
class FreqData:
    """The feeds as arrays: stop_times sorted by trip and sequence, times parsed, codes for ids."""

    trip_ids: np.ndarray
    trip_route: np.ndarray          # route code per trip
    trip_service: np.ndarray        # service code per trip
    trip_dir: np.ndarray            # direction_id, -1 when missing
    trip_freq: np.ndarray           # bool: run by frequencies.txt
    trip_start: np.ndarray          # first row of the trip in the sorted stop_times
    trip_len: np.ndarray
    trip_first: np.ndarray          # first departure (s)
    trip_last: np.ndarray           # last arrival (s)
    trip_pattern: np.ndarray        # the first trip with the same stops, pickups/drop-offs and times
                                    # relative to its start (whole seconds only), else the trip itself
    service_ids: list[str]
    route_ids: np.ndarray
    route_short: np.ndarray
    route_long: np.ndarray
    route_mode: np.ndarray          # mode family per route
    route_type: np.ndarray          # GTFS route_type per route (-1 unreadable), for --modes names
    st_stop: np.ndarray             # stop code per row
    st_dep: np.ndarray
    st_arr: np.ndarray
    st_board: np.ndarray            # pickup allowed and not the last stop
    st_alight: np.ndarray           # drop-off allowed and not the first stop
    stop_ids: np.ndarray
    stop_station: np.ndarray        # station code per stop (into stop_ids)
    stop_names: np.ndarray
    stop_area: np.ndarray           # area code per stop
    area_ids: np.ndarray
    area_names: np.ndarray
    freq_trip: np.ndarray
    freq_start: np.ndarray
    freq_end: np.ndarray
    freq_headway: np.ndarray
    max_shift: int                  # how many days after its service day a trip can still run
    cal_day0: int                   # ordinal of the first date of the service table
    cal_ptr: np.ndarray             # (dates + 1,) CSR pointers into cal_services
    cal_services: np.ndarray        # service codes running on each date
    holidays: list[str]             # ISO dates of the auto holiday rule (see frequency.holiday_dates)
    served_dates: list[str]         # sorted ISO dates with at least one trip (report_dates, default date)
    timezone: str
    sources: list = field(default_factory=list)       # feed.FeedSource per input feed (export metadata)
    trip_keep: np.ndarray | None = None               # bool: mode selected and timed (for_modes)
    _runs: dict = field(default_factory=dict, repr=False)

    def for_modes(self, modes: Sequence[str] | None) -> "FreqData":
        """This data with the trips of other mode families (and untimed trips) left out."""
        keep = self.trip_len >= 2
        if modes is not None:
            from ..feed.modes import mode_selected

            types = np.unique(self.route_type)
            chosen = types[[mode_selected(int(t), modes) for t in types]]
            keep &= np.isin(self.route_type[self.trip_route], chosen)
        return dataclasses.replace(self, trip_keep=keep, _runs={})

    def services_on(self, day: dt.date) -> frozenset[int]:
        """Codes of the services (with trips) running on ``day``: calendar, then exceptions."""
        i = day.toordinal() - self.cal_day0
        if i < 0 or i >= len(self.cal_ptr) - 1:
            return frozenset()
        return frozenset(self.cal_services[self.cal_ptr[i]:self.cal_ptr[i + 1]].tolist())

    def holiday_set(self, dates: Iterable[dt.date]) -> set[dt.date]:
        """Those of ``dates`` that the auto holiday rule marks."""
        marked = set(self.holidays)
        return {d for d in dates if d.isoformat() in marked}


# ---------------------------------------------------------------------------- from a loaded feed


def _arrow(values):
    """The column as a pyarrow string array (zero-copy for the loader's pyarrow-backed strings)."""
    import pyarrow as pa

    arr = getattr(values, "array", values)
    pa_arr = getattr(arr, "_pa_array", None)
    if pa_arr is not None and pa.types.is_string(pa_arr.type) or (
            pa_arr is not None and pa.types.is_large_string(pa_arr.type)):
        return pa_arr
    return pa.array(np.asarray(values, dtype=object), type=pa.string(), from_pandas=True)


def _codes(values, keys) -> np.ndarray:
    """Position of each value in ``keys`` (-1 when absent), by a pyarrow hash lookup."""
    import pyarrow.compute as pc

    vals = _arrow(values)
    out = pc.fill_null(pc.index_in(vals, value_set=pc.cast(_arrow(keys), vals.type)), -1)
    return out.to_numpy(zero_copy_only=False).astype(np.int64)


def holiday_dates(feed: Feed, dates: Iterable[dt.date]) -> set[dt.date]:
    """The dates on which calendar_dates.txt adds service beyond the weekly pattern (see
    ``analysis.frequency``'s module doc)."""
    import pandas as pd

    from ..feed import service_date_range

    cd = feed.get("calendar_dates")
    if cd is None or cd.empty:
        return set()
    wanted = {d.strftime("%Y%m%d"): d for d in dates}
    et = pd.to_numeric(cd["exception_type"], errors="coerce")
    adds = cd[et == 1]
    if adds.empty:
        return set()
    cal = feed.get("calendar")
    weekly: dict[str, tuple[str, str, list[int]]] = {}
    if cal is not None and not cal.empty:
        flags = np.column_stack([pd.to_numeric(cal[d], errors="coerce").fillna(0).to_numpy() for d in _WEEKDAYS])
        for sid, a, b, f in zip(cal["service_id"], cal["start_date"], cal["end_date"], flags):
            weekly[str(sid)] = (str(a), str(b), [int(x) for x in f])
    # services known only from calendar_dates: a weekday is part of their pattern when they run
    # on at least half of that weekday's dates in the feed's whole service period
    inferred: dict[str, set[int]] = {}
    only_cd = adds[~adds["service_id"].isin(list(weekly))]
    if not only_cd.empty:
        rng = service_date_range(cal, cd)
        span = [rng[0] + dt.timedelta(days=i) for i in range((rng[1] - rng[0]).days + 1)]
        possible = np.bincount([d.weekday() for d in span], minlength=7)
        for sid, grp in only_cd.groupby("service_id"):
            ds = {dt.datetime.strptime(str(x), "%Y%m%d").date() for x in grp["date"]}
            have = np.bincount([d.weekday() for d in ds], minlength=7)
            inferred[str(sid)] = {w for w in range(7) if possible[w] and have[w] * 2 >= possible[w]}
    out: set[dt.date] = set()
    for sid, ymd in zip(adds["service_id"].astype(str), adds["date"].astype(str)):
        d = wanted.get(ymd)
        if d is None or d in out:
            continue
        if sid in weekly:
            a, b, f = weekly[sid]
            regular = a <= ymd <= b and f[d.weekday()] == 1
        else:
            regular = d.weekday() in inferred.get(sid, set())
        if not regular:
            out.add(d)
    return out


def _ordinal(ymd: str) -> int:
    return dt.datetime.strptime(ymd, "%Y%m%d").date().toordinal()


def _service_table(feed: Feed, code: dict[str, int]) -> tuple[int, np.ndarray, np.ndarray]:
    """(first date's ordinal, CSR pointers, service codes): the services of ``code`` running on
    each date, by the rule of ``feed.active_services`` (weekly pattern within start..end, then
    calendar_dates' additions and removals); every date outside the table runs nothing."""
    import pandas as pd

    cal, cd = feed.get("calendar"), feed.get("calendar_dates")
    rows: list[tuple[int, int, int, np.ndarray]] = []   # service code, first, last ordinal, weekday flags
    if cal is not None and not cal.empty:
        flags = np.column_stack([pd.to_numeric(cal[d]).fillna(0).astype(int).to_numpy() == 1 for d in _WEEKDAYS])
        for sid, a, b, f in zip(cal["service_id"].astype(str), cal["start_date"].astype(str),
                                cal["end_date"].astype(str), flags):
            if sid in code and f.any():
                rows.append((code[sid], _ordinal(a), _ordinal(b), f))
    changes: list[tuple[int, int, bool]] = []            # service code, ordinal, added
    if cd is not None and not cd.empty:
        et = pd.to_numeric(cd["exception_type"]).astype(int).to_numpy()
        for sid, ymd, e in zip(cd["service_id"].astype(str), cd["date"].astype(str), et):
            if sid in code and e in (1, 2):
                changes.append((code[sid], _ordinal(ymd), e == 1))
    spans = [(a, b) for _, a, b, _ in rows if a <= b] + [(o, o) for _, o, added in changes if added]
    if not spans:
        return 0, np.zeros(1, np.int64), np.zeros(0, np.int32)
    day0 = min(a for a, _ in spans)
    n_days = max(b for _, b in spans) - day0 + 1
    on = np.zeros((n_days, max(len(code), 1)), dtype=bool)
    for c, a, b, f in rows:
        if a > b:
            continue
        days = np.arange(a, b + 1)
        days = days[f[(days + 6) % 7]]      # ordinal 1 (0001-01-01) is a Monday
        on[days - day0, c] = True
    for c, o, added in changes:             # (a date of a service at most once: the loader
        if 0 <= o - day0 < n_days:          # refuses a repeated (service_id, date))
            on[o - day0, c] = added
    day_idx, svc = np.nonzero(on)
    ptr = np.searchsorted(day_idx, np.arange(n_days + 1)).astype(np.int64)
    return day0, ptr, svc.astype(np.int32)


def _timing_patterns(start: np.ndarray, length: np.ndarray, stop: np.ndarray, board: np.ndarray,
                     alight: np.ndarray, dep: np.ndarray, arr: np.ndarray) -> np.ndarray:
    """For each trip, the first trip that is the same run shifted in time: same stops, same
    pickups and drop-offs, same times after its first departure. Bus timetables repeat a few
    such patterns all day (hart: 3,135 trips of a weekday, 122 patterns), so the city pairs
    and run times of a pattern are worked out once. Only trips timed in whole seconds share a
    pattern, so that shifting a pattern's times gives each trip's times exactly."""
    out = np.arange(len(start), dtype=np.int64)
    whole = (dep == np.floor(dep)) & (arr == np.floor(arr))
    seen: dict[bytes, int] = {}
    for trip in np.flatnonzero(length >= 2):
        a, b = start[trip], start[trip] + length[trip]
        if not whole[a:b].all():
            continue
        t0 = dep[a]
        key = b"".join((stop[a:b].astype(np.int64).tobytes(), board[a:b].tobytes(), alight[a:b].tobytes(),
                        (dep[a:b] - t0).tobytes(), (arr[a:b] - t0).tobytes()))
        out[trip] = seen.setdefault(key, int(trip))
    return out


def _area_keys(feed: Feed, area_csv=None) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Each stop's city: (key indexed by stop_id, display id, name), one place per city name.

    Merged feeds that both define "Baotou" get it under two area_ids (the later one prefixed);
    like the station index, a city is its name, so they are one place here. Stops outside
    every area stay their own station (keyed by id, since station names repeat).
    """
    import pandas as pd

    from ..feed import stop_areas

    sa = stop_areas(feed, area_csv)
    ids = sa["area_id"].astype(str).to_numpy()
    names = sa["area_name"].astype(str).to_numpy()
    # an area's id as its feed's file has it: without the prefix the merge gave that feed's ids
    # (an --areas city, or a feed's own id that starts so, keeps its id)
    prefix_of = {src.name: src.prefix for src in feed.sources}
    own_prefix = {}
    for t in ("stop_areas", "areas"):
        df = feed.get(t)
        if df is not None and "area_id" in df and "feed_name" in df:
            own_prefix.update((str(a), prefix_of.get(f, "")) for a, f in zip(df["area_id"], df["feed_name"]))
    shown = ids.copy()
    key = ids.astype(object).copy()
    for i, (a, n, real) in enumerate(zip(ids, names, sa["in_area"].to_numpy())):
        if real:
            key[i] = "city:" + n.strip().casefold()
            p = own_prefix.get(a, "")
            if p and a.startswith(p):
                shown[i] = a[len(p):]
        else:
            key[i] = "stop:" + a
    return pd.Series(key, index=sa["stop_id"].astype(str).to_numpy()), shown.astype(object), names.astype(object)


def prepare(feed: Feed, area_csv=None) -> FreqData:
    """Parse the feed tables once into arrays (the only pass over the string tables)."""
    import pandas as pd
    import pyarrow.compute as pc

    from ..feed import dates_with_trips
    from ..feed.modes import mode_family
    from ..feed.stoptimes import interpolate_times, parse_numbers, parse_times

    routes, trips, st, stops = feed.get("routes"), feed.get("trips"), feed.get("stop_times"), feed.get("stops")
    route_keys = routes["route_id"]
    rtype = np.nan_to_num(parse_numbers(routes["route_type"]), nan=-1).astype(int)
    fam_of = {rt: mode_family(rt) for rt in np.unique(rtype)}
    route_mode = np.array([fam_of[x] for x in rtype], dtype=object)

    def col(df: pd.DataFrame, name: str) -> np.ndarray:
        if name in df:
            return df[name].astype(object).where(df[name].notna(), None).to_numpy()
        return np.full(len(df), None, dtype=object)

    trip_route = _codes(trips["route_id"], route_keys)
    service_codes, service_uniques = pd.factorize(trips["service_id"].astype("string"))
    trip_dir = (np.nan_to_num(parse_numbers(trips["direction_id"]), nan=-1).astype(int)
                if "direction_id" in trips else np.full(len(trips), -1))

    tcode = _codes(st["trip_id"], trips["trip_id"])
    seq = parse_numbers(st["stop_sequence"])
    order = np.lexsort((seq, tcode))
    tcode = tcode[order]
    dep = parse_times(st["departure_time"], "stop_times.txt", "departure_time")[order]
    arr = parse_times(st["arrival_time"], "stop_times.txt", "arrival_time")[order]
    dist = None
    if "shape_dist_traveled" in st and (np.isnan(dep) & np.isnan(arr)).any():
        dist = parse_numbers(st["shape_dist_traveled"])[order]
    arr, dep, has_time = interpolate_times(tcode, arr, dep, dist)
    st_stop = _codes(st["stop_id"], stops["stop_id"])[order]

    def allowed(name: str) -> np.ndarray:
        if name not in st:
            return np.ones(len(st), dtype=bool)
        return ~pc.fill_null(pc.equal(pc.utf8_trim_whitespace(_arrow(st[name])), "1"), False).to_numpy(
            zero_copy_only=False)[order]

    pickup, dropoff = allowed("pickup_type"), allowed("drop_off_type")
    # drop rows with nothing to interpolate from (before the first or after the last timed stop)
    if not has_time.all():
        tcode, dep, arr, st_stop, pickup, dropoff = (x[has_time] for x in (tcode, dep, arr, st_stop, pickup, dropoff))
    n_trips = len(trips)
    trip_len = np.bincount(tcode, minlength=n_trips)
    trip_start = np.concatenate([[0], np.cumsum(trip_len)[:-1]]).astype(np.int64)
    first_row = np.r_[True, tcode[1:] != tcode[:-1]] if len(tcode) else np.zeros(0, bool)
    last_row = np.r_[tcode[1:] != tcode[:-1], True] if len(tcode) else np.zeros(0, bool)
    trip_first = np.full(n_trips, np.nan)
    trip_last = np.full(n_trips, np.nan)
    trip_first[tcode[first_row]] = dep[first_row]
    trip_last[tcode[last_row]] = arr[last_row]

    st_board, st_alight = pickup & ~last_row, dropoff & ~first_row
    trip_pattern = _timing_patterns(trip_start, trip_len, st_stop, st_board, st_alight, dep, arr)

    fq = feed.get("frequencies")
    if fq is not None and not fq.empty:
        f_trip = _codes(fq["trip_id"], trips["trip_id"])
        f_start = parse_times(fq["start_time"], "frequencies.txt", "start_time")
        f_end = parse_times(fq["end_time"], "frequencies.txt", "end_time")
        f_head = np.nan_to_num(parse_numbers(fq["headway_secs"]), nan=0.0)
        good = (f_trip >= 0) & (f_head > 0) & ~np.isnan(f_start) & ~np.isnan(f_end)
        f_trip, f_start, f_end, f_head = f_trip[good], f_start[good], f_end[good], f_head[good]
    else:
        f_trip = np.zeros(0, np.int64)
        f_start = f_end = f_head = np.zeros(0)
    trip_freq = np.zeros(n_trips, dtype=bool)
    trip_freq[f_trip] = True

    # stations and areas
    stop_ids = stops["stop_id"]
    if "parent_station" in stops:
        stop_station = _codes(stops["parent_station"].fillna(stop_ids), stop_ids)
        stop_station = np.where(stop_station < 0, np.arange(len(stops)), stop_station)
    else:
        stop_station = np.arange(len(stops))
    area_key, area_id, area_name = _area_keys(feed, area_csv)
    area_codes, _ = pd.factorize(area_key)
    first = pd.Series(np.arange(len(area_codes))).groupby(area_codes).first().to_numpy()
    # a city merged from several feeds' areas shows all their ids: "BAOTOU|BUS_BAOTOU"
    ids_of = pd.Series(area_id).groupby(area_codes).agg(lambda x: "|".join(sorted(set(x)))).to_numpy()
    stop_area = np.full(len(stops), -1, dtype=np.int64)
    stop_area[_codes(area_key.index.to_series(), stop_ids)] = area_codes

    # how far past its service day a run can reach
    latest = float(np.nanmax(arr)) if len(arr) else 0.0
    if len(f_trip):
        dur = (trip_last - trip_first)[f_trip]
        latest = max(latest, float(np.nanmax(f_end + np.nan_to_num(dur))))

    service_ids = [str(x) for x in service_uniques]
    day0, cal_ptr, cal_services = _service_table(feed, {s: i for i, s in enumerate(service_ids)})
    cd = feed.get("calendar_dates")
    added: set[dt.date] = set()
    if cd is not None and not cd.empty:
        et = pd.to_numeric(cd["exception_type"], errors="coerce")
        for ymd in cd.loc[et == 1, "date"].astype(str):
            try:
                added.add(dt.datetime.strptime(ymd, "%Y%m%d").date())
            except ValueError:
                pass
    return FreqData(
        trip_ids=trips["trip_id"].to_numpy(dtype=object), trip_route=trip_route, trip_service=service_codes,
        trip_dir=trip_dir, trip_freq=trip_freq, trip_start=trip_start, trip_len=trip_len,
        trip_first=trip_first, trip_last=trip_last, service_ids=service_ids,
        route_ids=route_keys.to_numpy(dtype=object), route_short=col(routes, "route_short_name"),
        route_long=col(routes, "route_long_name"), route_mode=route_mode, route_type=rtype,
        st_stop=st_stop, st_dep=dep, st_arr=arr, st_board=st_board, st_alight=st_alight, trip_pattern=trip_pattern,
        stop_ids=stop_ids.to_numpy(dtype=object), stop_station=stop_station,
        stop_names=col(stops, "stop_name"), stop_area=stop_area,
        area_ids=ids_of.astype(object), area_names=area_name[first],
        freq_trip=f_trip, freq_start=f_start, freq_end=f_end, freq_headway=f_head,
        max_shift=int(max(latest, 0) // DAY),
        cal_day0=day0, cal_ptr=cal_ptr, cal_services=cal_services,
        holidays=sorted(d.isoformat() for d in holiday_dates(feed, added)),
        served_dates=dates_with_trips(feed.get("calendar"), cd, trips),
        timezone=feed.timezone, sources=list(feed.sources),
    )


# ---------------------------------------------------------------------------- the disk cache

#: Fields kept as JSON (strings, None, small lists) rather than numpy arrays.
_TEXT_FIELDS = ("trip_ids", "route_ids", "route_short", "route_long", "route_mode", "stop_ids", "stop_names",
                "area_ids", "area_names")


def _to_disk(data: FreqData) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    arrays, meta = split_fields(data, skip=("trip_keep", "_runs", "sources", *_TEXT_FIELDS))
    meta.update({f: [None if x is None else str(x) for x in getattr(data, f)] for f in _TEXT_FIELDS})
    meta["sources"] = [dataclasses.asdict(s) for s in data.sources]
    return arrays, meta


def _from_disk(arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> FreqData:
    from ..feed.source import FeedSource

    kw = fields_from(FreqData, arrays, meta, skip=("trip_keep", "_runs"))
    kw.update({f: np.array(kw[f], dtype=object) for f in _TEXT_FIELDS})
    kw["sources"] = [FeedSource(**s) for s in kw["sources"]]
    return FreqData(**kw)


def freq_cache_path(paths: Sequence[str | Path], cache_dir: str | Path, area_csv: str | Path | None = None) -> Path:
    """Where the frequency data of these feeds (and areas CSV) is kept in ``cache_dir``."""
    from ..cache import ARRAYS_SUFFIX, feeds_digest

    key = hashlib.sha256(f"freq-v{FORMAT_VERSION};{feeds_digest(paths, area_csv)}".encode()).hexdigest()[:32]
    return Path(cache_dir) / f"freq-{key}{ARRAYS_SUFFIX}"


def load_freq_data(paths: Sequence[str | Path], *, cache_dir: str | Path | None = None,
                   feed_loader: Callable[[], Feed] | None = None, area_csv: str | Path | None = None) -> FreqData:
    """The FreqData of these feeds: from the cache when there (numpy and JSON only), else
    prepared from the loaded feeds (``feed_loader()``, default: load them here) and saved
    atomically. A damaged or stale file is rebuilt; an unwritable cache only costs speed."""
    from ..cache import default_cache_dir, read_arrays, write_arrays

    target = freq_cache_path(paths, cache_dir if cache_dir is not None else default_cache_dir(), area_csv)
    if target.is_file():
        try:
            arrays, meta = read_arrays(target, FORMAT_VERSION)
            return _from_disk(arrays, meta)
        except (ValueError, KeyError, TypeError):
            pass  # stale or damaged: rebuild below
    if feed_loader is None:
        from ..feed import load_feeds

        feed = load_feeds([Path(p) for p in paths])
    else:
        feed = feed_loader()
    data = prepare(feed, area_csv)
    try:
        write_arrays(target, *_to_disk(data), FORMAT_VERSION)
    except OSError:
        pass
    return data
