"""New lines and new stops: ``add_line`` and ``add_stop``."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .model import AddLine, AddStop, Band, ScenarioError
from .stations import Station, coordinates, find_station, no_coordinates, station_or_new
from .tables import Tables, append_rows, clock, distance_km, selected_trips, stop_times_sorted, strs, write_times

__all__ = ["add_line", "add_stop", "band_departures"]


def band_departures(bands: tuple[Band, ...]) -> list[int]:
    """Departure seconds of headway bands: start, start + every, ... before end."""
    out: list[int] = []
    for b in bands:
        step = b.every_min * 60.0
        k = 0
        while b.start + k * step < b.end:
            out.append(int(round(b.start + k * step)))
            k += 1
    return out


def _run_seconds(m: AddLine, stations: list[Station], where: str) -> list[int]:
    segs = len(stations) - 1
    if m.run_min is not None:
        mins = list(m.run_min) * segs if len(m.run_min) == 1 else list(m.run_min)
        return [int(round(x * 60)) for x in mins]
    if m.km is None:
        no_coordinates(f"{where} field 'speed_kmh'", stations, "give km (the distance per segment) or run_min")
    km = list(m.km) if m.km is not None else [
        distance_km(a.lat, a.lon, b.lat, b.lon) for a, b in zip(stations, stations[1:])]
    # whole minutes, at least one: a design speed gives a timetable, not a stopwatch reading
    return [max(1, round(d / m.speed_kmh * 60 + m.accel_brake_min)) * 60 for d in km]


def _check_ids(tables: Tables, m: AddLine, where: str, trip_ids: list[str], service: str | None) -> None:
    if m.id in set(strs(tables["routes"], "route_id")):
        raise ScenarioError(f"{where} field 'id'", f"route {m.id!r} already exists")
    known = set(strs(tables["trips"], "trip_id"))
    clash = [t for t in trip_ids if t in known]
    if clash:
        raise ScenarioError(f"{where} field 'train_number'", f"trip {clash[0]!r} already exists (choose another "
                            "train_number pattern or first_number)")
    if len(set(trip_ids)) != len(trip_ids):
        raise ScenarioError(f"{where} field 'train_number'", f"pattern {m.train_number!r} gives the same trip id twice "
                            "(use {n})")
    if service is not None and service in set(strs(tables.get("calendar"), "service_id")) | set(
            strs(tables.get("calendar_dates"), "service_id")):
        raise ScenarioError(f"{where} field 'days'", f"service {service!r} already exists")


def _service(tables: Tables, m: AddLine, where: str) -> tuple[str, dict | None]:
    """(service_id, calendar row to add or None) spanning the feed's own dates."""
    cal, cd = tables.get("calendar"), tables.get("calendar_dates")
    if m.service is not None:
        if m.service not in set(strs(cal, "service_id")) | set(strs(cd, "service_id")):
            raise ScenarioError(f"{where} field 'service'", f"unknown service_id {m.service!r}")
        return m.service, None
    dates = strs(cal, "start_date") + strs(cal, "end_date") + strs(cd, "date")
    dates = [d for d in dates if d]
    if not dates:
        raise ScenarioError(f"{where} field 'days'", "the feed has no service dates to span")
    row = {"service_id": f"{m.id}_SERVICE", **{d: int(d in m.days) for d in
                                               ("monday", "tuesday", "wednesday", "thursday", "friday",
                                                "saturday", "sunday")},
           "start_date": min(dates), "end_date": max(dates)}
    return row["service_id"], row


def add_line(tables: Tables, m: AddLine, where: str) -> Tables:
    """A new route: its stations (new ones added), a calendar, trips both ways and stop times."""
    out = dict(tables)
    stations: list[Station] = []
    for s in m.stations:
        out, st = station_or_new(out, s, f"{where} field 'stations'")
        stations.append(st)
    run = _run_seconds(m, stations, where)
    dwell = [int(round(x * 60)) for x in (list(m.dwell_min) * (len(stations) - 2) if len(m.dwell_min) == 1
                                          else list(m.dwell_min))]
    down = m.departures if m.departures is not None else tuple(band_departures(m.headways))
    directions = [("0", stations, run, dwell, down)]
    if m.both_directions:
        back = m.return_departures if m.return_departures is not None else (
            tuple(band_departures(m.return_headways)) if m.return_headways is not None else down)
        directions.append(("1", stations[::-1], run[::-1], dwell[::-1], back))

    numbers: list[list[int]] = []
    step = 2 if m.both_directions else 1
    for k, (_, _, _, _, deps) in enumerate(directions):
        numbers.append([m.first_number + k + step * i for i in range(len(deps))])
    trip_ids = [m.train_number.format(id=m.id, n=n) for ns in numbers for n in ns]
    service, cal_row = _service(out, m, where)
    _check_ids(out, m, where, trip_ids, service if cal_row else None)

    agencies = strs(out["agency"], "agency_id")
    if m.agency is not None and m.agency not in agencies:
        raise ScenarioError(f"{where} field 'agency'", f"unknown agency_id {m.agency!r}")
    agency = m.agency or (agencies[0] if agencies else None)
    if m.network is not None:
        nets = set(strs(out.get("networks"), "network_id")) | set(strs(out.get("route_networks"), "network_id")) \
            | set(strs(out.get("fare_leg_rules"), "network_id"))
        if m.network not in nets:
            raise ScenarioError(f"{where} field 'network'", f"unknown network_id {m.network!r}")
        out["route_networks"] = append_rows(out.get("route_networks"), [{"network_id": m.network, "route_id": m.id}])

    route = {"route_id": m.id, "agency_id": agency, "route_short_name": None, "route_long_name": m.name,
             "route_type": m.route_type}
    out["routes"] = append_rows(out["routes"], [route])
    if m.name_en:
        out["translations"] = append_rows(out.get("translations"), [{
            "table_name": "routes", "field_name": "route_long_name", "language": "en", "translation": m.name_en,
            "record_id": m.id}])
    if cal_row is not None:
        out["calendar"] = append_rows(out.get("calendar"), [cal_row])

    trips, times = [], []
    ids = iter(trip_ids)
    # exact times say so in the feed's own way: a timepoint column only where it has one (a new
    # column would be blank, i.e. flagged, on every existing call)
    timed = {"timepoint": 1} if "timepoint" in out["stop_times"].columns else {}
    for direction, stns, runs, dwells, deps in directions:
        calls = [s.platform(out, direction, m.route_type) for s in stns]
        for t0 in deps:
            trip = next(ids)
            trips.append({"route_id": m.id, "service_id": service, "trip_id": trip, "trip_headsign": stns[-1].name,
                          "trip_short_name": trip, "direction_id": direction})
            t = float(t0)
            for k, stop in enumerate(calls):
                arr = t if k == 0 else t + runs[k - 1]
                dep = arr + (dwells[k - 1] if 0 < k < len(calls) - 1 else 0)
                times.append({"trip_id": trip, "arrival_time": clock(arr), "departure_time": clock(dep),
                              "stop_id": stop, "stop_sequence": k + 1, **timed})
                t = dep
    out["trips"] = append_rows(out["trips"], trips)
    out["stop_times"] = append_rows(out["stop_times"], times)
    return out


def add_stop(tables: Tables, m: AddStop, where: str) -> Tables:
    """Insert a call at ``m.station`` into every selected trip calling at the two ``between``
    stations one after the other (either order): the train reaches the new stop at the share of
    the run time its distance says, waits the dwell, and everything after shifts by dwell plus
    any extra run time."""
    out, new = station_or_new(tables, m.station, f"{where} field 'station'")
    no_coordinates(f"{where} field 'station'", [new], "the new stop is placed by its distance from the two "
                   "stations between")
    a = set(find_station(out, m.between[0], f"{where} field 'between'").stops)
    b = set(find_station(out, m.between[1], f"{where} field 'between'").stops)
    chosen = set(selected_trips(out, m.select, where))
    st = stop_times_sorted(out)
    st = st[st["trip_id"].isin(chosen)]
    direction = dict(zip(strs(out["trips"], "trip_id"), strs(out["trips"], "direction_id") or [""] * len(out["trips"])))
    rtype = dict(zip(strs(out["routes"], "route_id"), (int(x) for x in strs(out["routes"], "route_type"))))
    route_type = {t: rtype.get(r) for t, r in zip(strs(out["trips"], "trip_id"), strs(out["trips"], "route_id"))}
    stops = out["stops"]
    lat = dict(zip(strs(stops, "stop_id"), coordinates(stops, "stop_lat")))
    lon = dict(zip(strs(stops, "stop_id"), coordinates(stops, "stop_lon")))
    here = set(new.stops)
    full = out["stop_times"]
    drop_idx, add = [], []
    dwell, extra = m.dwell_min * 60.0, m.extra_run_min * 60.0
    for trip, g in st.groupby("trip_id", sort=True):
        sids = strs(g, "stop_id")
        if here & set(sids):
            continue
        hit = next((k for k in range(len(sids) - 1) if (sids[k] in a and sids[k + 1] in b)
                    or (sids[k] in b and sids[k + 1] in a)), None)
        if hit is None:
            continue
        arr, dep = g["arr"].to_numpy(float).copy(), g["dep"].to_numpy(float).copy()
        prev, nxt = dep[hit], arr[hit + 1]
        if math.isnan(prev) or math.isnan(nxt):
            raise ScenarioError(where, f"trip {trip!r} has no times around the new stop")
        stop = new.platform(out, direction.get(str(trip), ""), route_type.get(str(trip)))
        d1 = distance_km(lat[sids[hit]], lon[sids[hit]], new.lat, new.lon)
        d2 = distance_km(new.lat, new.lon, lat[sids[hit + 1]], lon[sids[hit + 1]])
        if not math.isfinite(d1 + d2):
            gap = sids[hit] if not math.isfinite(d1) else sids[hit + 1]
            raise ScenarioError(f"{where} field 'between'", f"stop {gap!r} has no coordinates in stops.txt: the new "
                                "stop is placed by its distance from the two stations between")
        share = 0.5 if d1 + d2 == 0 else d1 / (d1 + d2)
        reach = prev + min(max(round((share * (nxt - prev) + extra / 2) / 60.0) * 60.0, 0.0), nxt - prev + extra)
        shift = dwell + extra
        arr[hit + 1:] += shift
        dep[hit + 1:] += shift
        rows = g.index
        block = full.loc[rows].copy()
        write_times(block, block.index, arr, dep)
        seq = np.arange(1, len(g) + 2)
        new_row = block.iloc[[hit]].copy()
        new_row["stop_id"] = stop
        new_row["arrival_time"], new_row["departure_time"] = clock(reach), clock(reach + dwell)
        for col in ("shape_dist_traveled", "stop_headsign", "pickup_type", "drop_off_type"):
            if col in new_row:
                new_row[col] = None
        if "timepoint" in new_row:
            new_row["timepoint"] = "1"
        parts = [block.iloc[:hit + 1], new_row, block.iloc[hit + 1:]]
        merged = pd.concat(parts)
        merged["stop_sequence"] = [str(s) for s in seq]
        drop_idx.extend(rows)
        add.append(merged)
    if not add:
        raise ScenarioError(f"{where} field 'between'", f"no selected trip calls at {m.between[0]} and "
                            f"{m.between[1]} one after the other")
    kept = full.drop(index=drop_idx)
    out["stop_times"] = pd.concat([kept] + add, ignore_index=True)
    return out
