"""The station graph of one service date, for GIS and network analysis: stations (name, area,
coordinates) and the direct links between consecutive stations of trips (run times, trips per
day, routes, modes), as a networkx DiGraph or GeoJSON."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
import numpy as np

from .feed.modes import mode_name
from .timetable.model import Timetable

__all__ = ["station_geojson", "station_graph"]


# --------------------------------------------------------------------------- station graph

def _station_coords(tt: Timetable) -> dict[int, tuple[float, float]]:
    """station -> (lat, lon): its own, else the mean of its stops' (stations often lack them)."""
    pts: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for i in range(tt.n_stops):
        lat, lon = float(tt.stop_lat[i]), float(tt.stop_lon[i])
        if np.isfinite(lat) and np.isfinite(lon):
            pts[int(tt.stop_station[i])].append((lat, lon))
    out: dict[int, tuple[float, float]] = {}
    for st, ps in pts.items():
        own = (float(tt.stop_lat[st]), float(tt.stop_lon[st]))
        out[st] = own if all(np.isfinite(own)) else (
            sum(p[0] for p in ps) / len(ps), sum(p[1] for p in ps) / len(ps))
    return out


def station_graph(tt: Timetable) -> nx.DiGraph:
    """Stations served on the timetable's date and the direct links between them.

    Nodes are station ids (name, area, lat, lon, stops). An edge a -> b exists when some trip
    goes from a stop of a to a stop of b without stopping in between; its attributes are the
    min and median run time in minutes (to 0.01), trips per day (distinct trips of this service day;
    earlier days' trips running past midnight are not counted), routes and
    modes (";"-joined, so that GraphML can store them). The next date's night trips, which the
    timetable holds for journeys across midnight (``trip_day`` +1), are that date's: left out."""
    g = nx.DiGraph()
    station = np.asarray(tt.stop_station, dtype=np.int64)
    coords = _station_coords(tt)
    c_trip = np.asarray(tt.c_trip, dtype=np.int64)
    c_dep = np.asarray(tt.c_dep, dtype=np.int64)
    trip_day = np.asarray(tt.trip_day, dtype=np.int64)
    n_trips = int(c_trip.max()) + 1 if len(c_trip) else 0
    first_dep = np.full(n_trips, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_dep, c_trip, c_dep)
    today = (first_dep >= 0) & (trip_day[:n_trips] == 0)

    # hops between two stations, grouped by (a, b) in order, run times ascending within each
    # (the next date's night trips left out)
    a, b = station[np.asarray(tt.c_from, dtype=np.int64)], station[np.asarray(tt.c_to, dtype=np.int64)]
    hop = (a != b) & (trip_day[c_trip] <= 0)
    a, b, trip = a[hop], b[hop], c_trip[hop]
    secs = (np.asarray(tt.c_arr, dtype=np.int64) - c_dep)[hop]
    S = max(len(station), 1)
    key = a * S + b
    order = np.lexsort((secs, key))
    key, secs, trip = key[order], secs[order], trip[order]
    start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=np.int64)
    pairs = key[start]
    count = np.diff(np.r_[start, len(key)])
    pair_of = np.repeat(np.arange(len(pairs)), count)
    # distinct trips per pair (today's counted) and their routes, each once, as one int64 key each
    pt = np.unique(pair_of * n_trips + trip)
    p_of, t_of = pt // max(n_trips, 1), pt % max(n_trips, 1)
    today_n = np.bincount(p_of, weights=today[t_of], minlength=len(pairs))
    R = max(len(tt.route_ids), 1)
    pr = np.unique(p_of * R + np.asarray(tt.trip_route, dtype=np.int64)[t_of])
    routes_of = np.split(pr % R, np.searchsorted(pr // R, np.arange(1, len(pairs))))

    served = np.unique(np.concatenate((pairs // S, pairs % S))).tolist()
    n_stops = np.bincount(station, minlength=S).tolist()
    for st in served:
        lat, lon = coords.get(st, (float("nan"), float("nan")))
        g.add_node(tt.stop_ids[st], name=tt.stop_names[st], area=tt.area_names[int(tt.stop_area[st])],
                   lat=lat, lon=lon, stops=n_stops[st])
    secs_l = secs.tolist()
    for k, (ab, i, n) in enumerate(zip(pairs.tolist(), start.tolist(), count.tolist())):
        m = i + n // 2
        median = secs_l[m] if n % 2 else (secs_l[m - 1] + secs_l[m]) / 2   # statistics.median
        routes = routes_of[k].tolist()
        g.add_edge(tt.stop_ids[ab // S], tt.stop_ids[ab % S],
                   min_minutes=round(secs_l[i] / 60, 2),
                   median_minutes=round(float(median) / 60, 2),
                   trips_per_day=int(today_n[k]),
                   routes=";".join(sorted({tt.route_names[r] or tt.route_ids[r] for r in routes})),
                   route_ids=";".join(tt.route_ids[r] for r in routes),
                   modes=";".join(sorted({mode_name(int(tt.route_type[r])) for r in routes})))
    return g


def station_geojson(g: nx.DiGraph) -> dict:
    """A station graph as a GeoJSON FeatureCollection: station Points, then link LineStrings."""
    feats: list[dict] = []
    for sid, d in g.nodes(data=True):
        if not (np.isfinite(d["lat"]) and np.isfinite(d["lon"])):
            continue
        feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [d["lon"], d["lat"]]},
                      "properties": {"kind": "station", "id": sid, **{k: v for k, v in d.items()
                                                                       if k not in ("lat", "lon")}}})
    for a, b, d in g.edges(data=True):
        pa, pb = g.nodes[a], g.nodes[b]
        if not all(np.isfinite(x) for x in (pa["lat"], pa["lon"], pb["lat"], pb["lon"])):
            continue
        feats.append({"type": "Feature",
                      "geometry": {"type": "LineString",
                                   "coordinates": [[pa["lon"], pa["lat"]], [pb["lon"], pb["lat"]]]},
                      "properties": {"kind": "link", "from": a, "to": b, "from_name": pa["name"],
                                     "to_name": pb["name"], **d}})
    return {"type": "FeatureCollection", "features": feats}
