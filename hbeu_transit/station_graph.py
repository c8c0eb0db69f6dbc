"""The station graph of one service date, for GIS and network analysis: stations (name, area,
coordinates) and the direct links between consecutive stations of trips (run times, trips per
day, routes, modes), as a networkx DiGraph or GeoJSON."""

from __future__ import annotations

import statistics
from collections import defaultdict

import networkx as nx
import numpy as np

from .feed.modes import mode_name
from .timetable.model import Timetable

__all__ = ["station_geojson", "station_graph"]

INF = float("inf")


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
    modes (";"-joined, so that GraphML can store them)."""
    g = nx.DiGraph()
    station = tt.stop_station.tolist()
    coords = _station_coords(tt)
    first_dep: dict[int, int] = {}
    for c in range(tt.n_connections):
        t = int(tt.c_trip[c])
        first_dep[t] = min(first_dep.get(t, INF), int(tt.c_dep[c]))

    runs: dict[tuple[int, int], list[int]] = defaultdict(list)
    trips: dict[tuple[int, int], set[int]] = defaultdict(set)
    for c in range(tt.n_connections):
        a, b = station[int(tt.c_from[c])], station[int(tt.c_to[c])]
        if a == b:
            continue
        runs[a, b].append(int(tt.c_arr[c]) - int(tt.c_dep[c]))
        trips[a, b].add(int(tt.c_trip[c]))

    served = sorted({s for ab in runs for s in ab})
    n_stops: dict[int, int] = defaultdict(int)
    for i in range(tt.n_stops):
        n_stops[station[i]] += 1
    for st in served:
        lat, lon = coords.get(st, (float("nan"), float("nan")))
        g.add_node(tt.stop_ids[st], name=tt.stop_names[st], area=tt.area_names[int(tt.stop_area[st])],
                   lat=lat, lon=lon, stops=n_stops[st])
    for (a, b), secs in sorted(runs.items()):
        ts = trips[a, b]
        routes = sorted({int(tt.trip_route[t]) for t in ts})
        g.add_edge(tt.stop_ids[a], tt.stop_ids[b],
                   min_minutes=round(min(secs) / 60, 2),
                   median_minutes=round(float(statistics.median(secs)) / 60, 2),
                   trips_per_day=sum(1 for t in ts if first_dep[t] >= 0
                                     and int(tt.trip_day[t]) == 0),
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
