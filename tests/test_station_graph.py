"""``station_graph`` (numpy grouping of the hops) equals a plain per-connection reference: the
same nodes and links, in the same order, with the same attributes, on random feeds (platforms,
trips past midnight and over several days, yesterday's trips still running, the next date's
night trips left out) and real ones."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from random_feeds import compile_and_read, feeds

from conftest import TEST_DATA
from hbeu_transit.feed import load_feeds
from hbeu_transit.feed.modes import mode_name
from hbeu_transit.station_graph import _station_coords, station_graph
from hbeu_transit.timetable import compile_timetable


def reference(tt):
    """(nodes, links) with their attributes, one connection at a time in plain Python."""
    station = [int(s) for s in tt.stop_station]
    first: dict[int, int] = {}
    for t, d in zip(tt.c_trip, tt.c_dep):
        first[int(t)] = min(first.get(int(t), 2**62), int(d))
    runs, trips = defaultdict(list), defaultdict(set)
    for f, to, d, a, t in zip(tt.c_from, tt.c_to, tt.c_dep, tt.c_arr, tt.c_trip):
        s, e = station[int(f)], station[int(to)]
        if s != e and int(tt.trip_day[int(t)]) <= 0:     # not the next date's night trips
            runs[s, e].append(int(a) - int(d))
            trips[s, e].add(int(t))
    coords = _station_coords(tt)
    nodes = []
    for s in sorted({x for ab in runs for x in ab}):
        lat, lon = coords.get(s, (float("nan"), float("nan")))
        nodes.append((tt.stop_ids[s], {"name": tt.stop_names[s], "area": tt.area_names[int(tt.stop_area[s])],
                                       "lat": lat, "lon": lon, "stops": station.count(s)}))
    links = []
    for (s, e), secs in sorted(runs.items()):
        ts = trips[s, e]
        routes = sorted({int(tt.trip_route[t]) for t in ts})
        links.append((tt.stop_ids[s], tt.stop_ids[e], {
            "min_minutes": round(min(secs) / 60, 2),
            "median_minutes": round(float(statistics.median(secs)) / 60, 2),
            "trips_per_day": sum(1 for t in ts if first[t] >= 0 and int(tt.trip_day[t]) == 0),
            "routes": ";".join(sorted({tt.route_names[r] or tt.route_ids[r] for r in routes})),
            "route_ids": ";".join(tt.route_ids[r] for r in routes),
            "modes": ";".join(sorted({mode_name(int(tt.route_type[r])) for r in routes}))}))
    return nodes, links


def same(tt) -> None:
    g = station_graph(tt)
    nodes, links = reference(tt)
    got_nodes = list(g.nodes(data=True))
    assert [n for n, _ in got_nodes] == [n for n, _ in nodes]
    for (_, d), (_, r) in zip(got_nodes, nodes):   # NaN coordinates: compare as text
        assert repr(d) == repr(r) and list(d) == list(r)
    got = list(g.edges(data=True))
    assert got == links and [list(d) for *_, d in got] == [list(d) for *_, d in links]
    for *_, d in got:
        assert type(d["trips_per_day"]) is int and type(d["min_minutes"]) is float


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(feeds())
def test_random_feeds(spec):
    tt, _ = compile_and_read(spec)
    same(tt)


@pytest.mark.parametrize("name, day", [("sample.zip", dt.date(2007, 6, 5)), ("caltrain.zip", dt.date(2018, 7, 11)),
                                       ("caltrain.zip", dt.date(2018, 7, 14))])
def test_real_feeds(name, day):
    same(compile_timetable(load_feeds([TEST_DATA / name]), day))


def test_no_connections_is_an_empty_graph():
    tt = compile_timetable(load_feeds([TEST_DATA / "sample.zip"]), dt.date(2007, 6, 5), modes=["ferry"])
    g = station_graph(tt)
    assert tt.n_connections == 0 and g.number_of_nodes() == g.number_of_edges() == 0


def test_the_geojson_summary_counts_what_the_file_holds(tmp_path, monkeypatch, capsys):
    """Found by helper breaker3. GeoJSON has no place for a station without coordinates, so it
    and its links are left out; the line under `hbeu graph -o x.geojson` counted the graph
    ('wrote 3 stations and 2 links') where the file held 2 stations and 1 link. Stops A (no
    coordinates), B, C; T1 A -> B -> C."""
    import json

    from conftest import run_main
    from gtfs_factory import make_feed

    feed = make_feed(tmp_path / "f", stops=[("A", "", ""), ("B", 40.0, 111.0), ("C", 40.1, 111.1)],
                     stop_times={"T1": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:10:00"),
                                        ("C", "08:20:00", "08:20:00")]})
    out = tmp_path / "g.geojson"
    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path / "cache"))
    code, _, err = run_main(["graph", "--feed", str(feed), "--date", "2024-03-05", "-o", str(out)], monkeypatch, capsys)
    assert code == 0, err
    kinds = [f["properties"]["kind"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]]
    assert (kinds.count("station"), kinds.count("link")) == (2, 1)
    assert f"wrote 2 stations and 1 link to {out}" in " ".join(err.split())
    assert "1 station without coordinates left out" in " ".join(err.split())
