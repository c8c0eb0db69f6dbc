"""Changes to existing service: ``remove_routes``, ``thin``, ``set_headway``, ``speed_up``.

Trips are grouped by (route, direction, service) wherever "every n-th" or "a headway" is
meant, so a weekday and a weekend timetable of one route are thinned each on its own.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd

from .model import Band, RemoveRoutes, ScenarioError, SetHeadway, SpeedUp, Thin
from .stations import find_station
from .tables import (Tables, append_rows, clock, drop_routes, drop_trips, first_departures, group_key, selected_trips,
                     stop_times_sorted, strs, write_times)

__all__ = ["remove_routes", "thin", "set_headway", "speed_up"]


def remove_routes(tables: Tables, m: RemoveRoutes, where: str) -> Tables:
    """Drop whole routes (with their trips) and single trips, and every reference to them."""
    selected_trips(tables, m.select, where)  # checks every id
    out = drop_routes(tables, set(m.select.routes))
    return drop_trips(out, set(m.select.trips))


def _groups(tables: Tables, trips: list[str], first: dict[str, float] | None = None
            ) -> dict[tuple[str, str, str], list[str]]:
    """(route, direction, service) -> its trips in order of first departure (then id)."""
    key = group_key(tables["trips"], trips)
    first = first_departures(tables) if first is None else first
    out: dict[tuple[str, str, str], list[str]] = {}
    for t in sorted(trips, key=lambda t: (first.get(t, math.inf), t)):
        out.setdefault(key[t], []).append(t)
    return out


def _scheduled_only(tables: Tables, trips: list[str], where: str, what: str) -> None:
    """Refuse frequency-based trips: one trips.txt row stands for many runs, so counting it as
    one trip (thin) or copying its stop times (set_headway) would leave its runs as they were."""
    freq = tables.get("frequencies")
    if freq is not None and freq["trip_id"].isin(set(trips)).any():
        raise ScenarioError(f"{where} field 'routes'", "the selection has frequency-based trips "
                            f"(frequencies.txt); {what} works on scheduled trips")


def thin(tables: Tables, m: Thin, where: str) -> Tables:
    """Keep every n-th trip (the 1st, (n+1)-th...) or an evenly spread share of each group."""
    trips = selected_trips(tables, m.select, where)
    _scheduled_only(tables, trips, where, "thin")
    gone: set[str] = set()
    for group in _groups(tables, trips).values():
        n = len(group)
        if m.keep_every is not None:
            keep = set(range(0, n, m.keep_every))
        else:
            k = max(1, round(m.share * n))
            keep = {(i * n) // k for i in range(k)}
        gone.update(t for i, t in enumerate(group) if i not in keep)
    return drop_trips(tables, gone)


def _template(st: pd.DataFrame, trips: list[str]) -> str:
    """The trip whose stop pattern is the most common among ``trips`` (earliest on a tie)."""
    pattern = {t: tuple(strs(g, "stop_id")) for t, g in st[st["trip_id"].isin(set(trips))].groupby("trip_id")}
    counts = Counter(pattern[t] for t in trips)
    best = max(counts.values())
    return next(t for t in trips if counts[pattern[t]] == best)


def _new_departures(band: Band, whole_day: bool, deps: list[float], factor: float | None) -> list[int]:
    """Departure seconds replacing ``deps`` (the group's departures inside the band)."""
    if whole_day:
        start, end = deps[0], deps[-1]
        if factor is not None:
            n = max(1, round(len(deps) / factor))
            return [int(round(start + (end - start) * i / (n - 1))) if n > 1 else int(start) for i in range(n)]
        step = band.every_min * 60.0
        return [int(round(start + k * step)) for k in range(int((end - start) // step) + 1)]
    if factor is not None:
        n = max(1, round(len(deps) / factor))
        length = band.end - band.start
        return [int(round((band.start + (i + 0.5) * length / n) / 60.0) * 60) for i in range(n)]
    step = band.every_min * 60.0
    return [int(round(band.start + k * step)) for k in range(math.ceil((band.end - band.start) / step))]


def set_headway(tables: Tables, m: SetHeadway, where: str) -> Tables:
    """In each group and band: drop the trips departing in the band and run copies of the
    band's most common trip pattern at the new headway instead.

    ``headway_min``: departures at start, start + h, ... before end (whole day: from the first
    to the last departure). ``headway_factor``: round(trips / factor) departures spread evenly
    (in the middle of equal slices of the band; whole day: first to last), so 0.5 doubles them.
    """
    trips = selected_trips(tables, m.select, where)
    _scheduled_only(tables, trips, where, "set_headway")
    st = stop_times_sorted(tables)
    first = first_departures(tables, st)
    whole_day = not m.bands
    bands = m.bands or (Band(0, 48 * 3600, m.headway_min or 0.0),)
    gone: set[str] = set()
    new_trips, new_times = [], []
    trip_rows = {t: r for t, r in zip(strs(tables["trips"], "trip_id"), tables["trips"].to_dict("records"))}
    taken = set(trip_rows)
    for group in _groups(tables, trips, first).values():
        for band in bands:
            inside = [t for t in group if band.start <= first.get(t, math.nan) < band.end]
            if not inside:
                continue
            template = _template(st, inside)
            t0 = first[template]
            rows = st[st["trip_id"] == template]
            for dep in _new_departures(band, whole_day, [first[t] for t in inside], m.headway_factor):
                tid = f"{template}_h{dep // 3600:02d}{dep % 3600 // 60:02d}"
                k = 2
                while tid in taken:
                    tid, k = f"{template}_h{dep // 3600:02d}{dep % 3600 // 60:02d}_{k}", k + 1
                taken.add(tid)
                trip = {**trip_rows[template], "trip_id": tid}
                if "block_id" in trip:
                    trip["block_id"] = None
                new_trips.append(trip)
                shift = dep - t0
                for r, a, d in zip(rows.drop(columns=["arr", "dep", "seq"]).to_dict("records"),
                                   rows["arr"].tolist(), rows["dep"].tolist()):
                    new_times.append({**r, "trip_id": tid,
                                      "arrival_time": None if math.isnan(a) else clock(a + shift),
                                      "departure_time": None if math.isnan(d) else clock(d + shift)})
            gone.update(inside)
    if not new_trips:
        raise ScenarioError(f"{where} field 'bands'", "no selected trip departs inside the bands")
    out = drop_trips(tables, gone)
    out["trips"] = append_rows(out["trips"], new_trips)
    out["stop_times"] = append_rows(out["stop_times"], new_times)
    return out


def _segment(sids: list[str], a: set[str], b: set[str]) -> tuple[int, int] | None:
    """(i, j): the first call at ``a`` and the next call at ``b`` after it."""
    for i, s in enumerate(sids):
        if s in a:
            for j in range(i + 1, len(sids)):
                if sids[j] in b:
                    return i, j
            return None
    return None


def _retime(arr: np.ndarray, dep: np.ndarray, i: int, j: int, factor: float | None, run: float | None
            ) -> tuple[np.ndarray, np.ndarray] | None:
    """New times with the running times between calls i..j scaled (dwells kept); later calls shift."""
    timed = [k for k in range(i, j + 1) if not (math.isnan(arr[k]) and math.isnan(dep[k]))]
    a = np.where(np.isnan(arr), dep, arr)
    d = np.where(np.isnan(dep), arr, dep)
    runs = [a[q] - d[p] for p, q in zip(timed, timed[1:])]
    dwells = sum(d[k] - a[k] for k in timed[1:-1])
    moving = sum(runs)
    if run is not None:
        if run * 60 <= dwells or moving <= 0:
            return None
        scale = (run * 60 - dwells) / moving
    else:
        scale = factor
    na, nd = a.copy(), d.copy()
    t = d[timed[0]]
    for (p, q), r in zip(zip(timed, timed[1:]), runs):
        na[q] = round(t + r * scale)
        nd[q] = na[q] + (d[q] - a[q])
        t = nd[q]
    shift = na[timed[-1]] - a[timed[-1]]
    na[j + 1:] += shift
    nd[j + 1:] += shift
    untimed = [k for k in range(i, j + 1) if k not in set(timed)]
    na[untimed] = np.nan
    nd[untimed] = np.nan
    na[np.isnan(arr) & ~np.isnan(dep)] = np.nan
    nd[np.isnan(dep) & ~np.isnan(arr)] = np.nan
    return na, nd


def speed_up(tables: Tables, m: SpeedUp, where: str) -> Tables:
    """Scale run times by ``factor``, or set the time from ``from`` to ``to`` to ``run_min``
    (the moving parts shrink or grow in proportion; dwells stay); later calls move by the
    difference. Without a segment the whole trip is scaled."""
    chosen = set(selected_trips(tables, m.select, where, default_all=True))
    segs: list[tuple[set[str], set[str]]] = []
    if m.from_station is not None:
        a = set(find_station(tables, m.from_station, f"{where} field 'from'").stops)
        b = set(find_station(tables, m.to_station, f"{where} field 'to'").stops)
        segs = [(a, b)] + ([(b, a)] if m.both_directions else [])
    st = stop_times_sorted(tables)
    st = st[st["trip_id"].isin(chosen)]
    out = dict(tables)
    full = tables["stop_times"].copy()
    changed = 0
    for trip, g in st.groupby("trip_id", sort=True):
        sids = strs(g, "stop_id")
        span = next((s for s in (_segment(sids, a, b) for a, b in segs) if s), None) if segs \
            else (0, len(sids) - 1)
        if span is None or span[1] <= span[0]:
            continue
        new = _retime(g["arr"].to_numpy(float), g["dep"].to_numpy(float), span[0], span[1], m.factor, m.run_min)
        if new is None:
            raise ScenarioError(f"{where} field 'run_min'", f"trip {trip!r}: {m.run_min} min is not more than its "
                                "dwell times on the segment")
        write_times(full, g.index, *new)
        changed += 1
    if not changed:
        what = f"from {m.from_station} to {m.to_station}" if segs else "with times"
        raise ScenarioError(f"{where} field {'from' if segs else 'routes'!r}", f"no selected trip runs {what}")
    out["stop_times"] = full
    return out
