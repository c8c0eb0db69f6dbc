"""The networkx oracle on tiny timetables with hand-computed answers, the station graph, `hbeu graph`.

The oracle is the reference the router is checked against, so it is itself checked here against
answers worked out by hand, one routing rule per test.
"""

from __future__ import annotations

import pytest
from conftest import run_hbeu
from gtfs_factory import write_feed

from tiny_timetables import make_timetable

from hbeu_transit.oracle import Oracle, journey_problems, time_expanded_graph
from hbeu_transit.router.journey import Journey, Leg
from hbeu_transit.timetable.model import Timetable


def ea(tt: Timetable, src: str, depart: int, **kw) -> dict[str, int]:
    """Earliest arrival by stop id."""
    got = Oracle(tt).earliest_arrival([tt.stop_ids.index(src)], depart, **kw)
    return {tt.stop_ids[s]: t for s, t in got.items()}


def S(tt: Timetable, *names: str) -> list[int]:
    return [tt.stop_ids.index(n) for n in names]


LINE = [("A", 0, 100), ("B", 200, 210), ("C", 300, 300)]


def test_single_trip():
    tt = make_timetable("ABC", [LINE])
    assert ea(tt, "A", 50) == {"A": 50, "B": 200, "C": 300}
    assert ea(tt, "A", 100) == {"A": 100, "B": 200, "C": 300}   # boarding exactly at departure
    assert ea(tt, "A", 101) == {"A": 101}
    assert ea(tt, "B", 0) == {"B": 0, "C": 300}                 # board mid-trip


def test_weights_are_time_differences():
    tt = make_timetable("ABC", [LINE, [("B", 0, 250), ("C", 400, 400)]], change={"B": 30})
    g = time_expanded_graph(tt)
    for u, v, d in g.edges(data=True):
        assert d["weight"] == g.nodes[v]["time"] - g.nodes[u]["time"] >= 0


@pytest.mark.parametrize("change, expect_c", [(30, 400), (40, 400), (60, 450), (-1, None)])
def test_change_time_at_same_stop(change, expect_c):
    tt = make_timetable("ABC", [
        [("A", 0, 100), ("B", 200, 200)],
        [("B", 250, 250), ("C", 400, 400)],
        [("B", 350, 350), ("C", 450, 450)],
    ], change={"B": change})
    assert ea(tt, "A", 0).get("C") == expect_c


def test_footpath_to_other_platform_bypasses_forbidden_change():
    tt = make_timetable(["A", "B", "B2", "C"], [
        [("A", 0, 100), ("B", 200, 200)],
        [("B", 205, 205), ("C", 300, 300)],
        [("B2", 230, 230), ("C", 420, 420)],
    ], change={"B": -1}, footpaths=[("B", "B2", 20)])
    assert ea(tt, "A", 0) == {"A": 0, "B": 200, "B2": 220, "C": 420}
    tt2 = make_timetable(["A", "B", "B2", "C"], [
        [("A", 0, 100), ("B", 200, 200)],
        [("B2", 219, 219), ("C", 300, 300)],       # one second too early for the 20 s walk
    ], footpaths=[("B", "B2", 20)])
    assert "C" not in ea(tt2, "A", 0)


def test_footpaths_are_not_chained():
    tt = make_timetable(["A", "B", "D", "E", "F"], [
        [("A", 0, 100), ("B", 200, 200)],
        [("E", 1000, 1000), ("F", 1100, 1100)],
    ], footpaths=[("B", "D", 60), ("D", "E", 60)])
    assert ea(tt, "A", 0) == {"A": 0, "B": 200, "D": 260}
    # nor at the origin: A -> D is one walk, D -> E a second one
    assert ea(tt, "B", 0) == {"B": 0, "D": 60}


def test_origin_footpath_costs_only_its_duration():
    tt = make_timetable(["A", "A2", "C"], [[("A2", 0, 120), ("C", 200, 200)]],
                        change={"A": 600, "A2": 600}, footpaths=[("A", "A2", 30)])
    assert ea(tt, "A", 90) == {"A": 90, "A2": 120, "C": 200}
    assert ea(tt, "A", 91) == {"A": 91, "A2": 121}
    assert ea(tt, "A2", 120)["C"] == 200      # no change time at the origin itself


def test_pickup_and_dropoff():
    no_drop_b = [("A", 0, 100), ("B", 200, 210, True, False), ("C", 300, 300)]
    tt = make_timetable("ABC", [no_drop_b])
    assert ea(tt, "A", 0) == {"A": 0, "C": 300}          # rides through B, cannot get off there
    no_pick_a = [("A", 0, 100, False), ("B", 200, 210), ("C", 300, 300)]
    tt = make_timetable("ABC", [no_pick_a])
    assert ea(tt, "A", 0) == {"A": 0}
    assert ea(tt, "B", 0) == {"B": 0, "C": 300}


def test_no_dropoff_means_no_transfer_there():
    tt = make_timetable("ABC", [
        [("A", 0, 100), ("B", 200, 200, True, False)],
        [("B", 300, 300), ("C", 400, 400)],
    ])
    assert ea(tt, "A", 0) == {"A": 0}


def test_staying_seated_needs_no_change_time():
    tt = make_timetable("ABC", [LINE], change={"B": -1})
    assert ea(tt, "A", 0)["C"] == 300


def test_trip_transfer_block_does_not_leak_through_waiting():
    trips = [
        [("A", 0, 100), ("B", 200, 200)],
        [("B", 250, 250), ("C", 500, 500)],
        [("B", 260, 260), ("C", 300, 300)],
    ]
    assert ea(make_timetable("ABC", trips), "A", 0)["C"] == 300
    blocked = make_timetable("ABC", trips, blocks=[(0, 2)])
    assert ea(blocked, "A", 0)["C"] == 500               # not 300 by "waiting" past trip 1's departure
    # the block is directional and only for that pair: starting at B one may take trip 2
    assert ea(blocked, "B", 0)["C"] == 300
    both = make_timetable("ABC", trips, blocks=[(0, 2), (0, 1)])
    assert "C" not in ea(both, "A", 0)


def test_trip_block_keeps_staying_seated_a_single_ride():
    # trip 0 has a block, so its arrivals link straight to boardable departures, including its
    # own next hop: that must not turn staying seated into a second ride
    tt = make_timetable("ABCD", [LINE, [("C", 0, 400), ("D", 500, 500)]], blocks=[(0, 1)])
    assert ea(tt, "A", 0, max_transfers=0) == {"A": 0, "B": 200, "C": 300}
    a, c = S(tt, "A", "C")
    assert Oracle(tt).pareto([a], [c], 0, 2) == [(300, 0)]


def test_trip_block_applies_across_footpaths():
    tt = make_timetable(["A", "B", "B2", "C"], [
        [("A", 0, 100), ("B", 200, 200)],
        [("B2", 260, 260), ("C", 300, 300)],
    ], footpaths=[("B", "B2", 30)], blocks=[(0, 1)])
    assert "C" not in ea(tt, "A", 0)


def test_previous_day_negative_times():
    tt = make_timetable("ABC", [
        [("A", -700, -600), ("B", 100, 120), ("C", 300, 300)],    # yesterday's 23:50 train
        [("A", 0, 500), ("C", 900, 900)],
    ])
    assert ea(tt, "A", -1000)["C"] == 300
    assert ea(tt, "A", 0)["C"] == 900
    assert ea(tt, "B", 0)["C"] == 300


def test_max_transfers_and_pareto():
    tt = make_timetable("ABC", [
        [("A", 0, 100), ("C", 1000, 1000)],              # direct, slow
        [("A", 0, 110), ("B", 200, 200)],
        [("B", 250, 250), ("C", 450, 450)],
        [("A", 0, 120), ("B", 150, 150)],
        [("B", 160, 160), ("A", 170, 170)],              # a detour back home never helps
    ], change={"B": 30})
    o = Oracle(tt)
    a, b, c = S(tt, "A", "B", "C")
    assert o.earliest([a], 0, [c]) == 450
    assert o.earliest([a], 0, [c], max_transfers=0) == 1000
    assert o.pareto([a], [c], 0, 3) == [(1000, 0), (450, 1)]
    assert o.pareto([a], [c], 0, 0) == [(1000, 0)]
    assert o.pareto([a], [c], 101, 3) == [(450, 1)]
    assert o.pareto([a], [c], 121, 3) == []


def test_pareto_keeps_only_strict_improvements():
    tt = make_timetable("ABC", [
        [("A", 0, 100), ("C", 450, 450)],
        [("A", 0, 110), ("B", 200, 200)],
        [("B", 250, 250), ("C", 450, 450)],
    ])
    a, c = S(tt, "A", "C")
    assert Oracle(tt).pareto([a], [c], 0, 2) == [(450, 0)]


def test_arrive_by():
    tt = make_timetable(["A", "A2", "B", "C"], [
        [("A", 0, 100), ("B", 200, 200)],
        [("B", 250, 250), ("C", 400, 400)],
        [("A", 0, 300), ("C", 500, 500)],
        [("A2", 0, 330), ("C", 510, 510)],
    ], change={"B": 30}, footpaths=[("A", "A2", 20)])
    o = Oracle(tt)
    a, c = S(tt, "A", "C")
    assert o.arrive_by([a], [c], 399) is None
    assert o.arrive_by([a], [c], 400) == 100
    assert o.arrive_by([a], [c], 509) == 300
    assert o.arrive_by([a], [c], 510) == 310                  # walk to A2 at 310, board 330
    assert o.arrive_by([a], [c], 5000) == 310
    assert o.arrive_by([a], [c], 500, max_transfers=0) == 300
    assert o.arrive_by([a], [c], 400, max_transfers=0) is None


def test_profile():
    tt = make_timetable("ABC", [
        [("A", 0, 100), ("C", 300, 300)],
        [("A", 0, 200), ("C", 300, 300)],                # same arrival, later: dominates the first
        [("A", 0, 400), ("C", 700, 700)],
        [("A", 0, 410), ("B", 500, 500)],
        [("B", 510, 510), ("C", 600, 600)],
    ])
    a, c = S(tt, "A", "C")
    o = Oracle(tt)
    assert o.profile([a], [c], 0, 1000, 2) == [(200, 300, 0), (400, 700, 0), (410, 600, 1)]
    assert o.profile([a], [c], 0, 1000, 0) == [(200, 300, 0), (400, 700, 0)]
    assert o.profile([a], [c], 0, 399, 2) == [(200, 300, 0)]
    assert o.profile([a], [c], 0, 150, 2) == []               # leaving at 200 is better: wait
    assert o.profile_all([a], 0, 1000)[c] == [(200, 300), (410, 600)]
    assert o.profile_all([a], 0, 1000, max_transfers=0)[c] == [(200, 300), (400, 700)]
    assert o.profile_all([a], 0, 1000, horizon=150)[c] == [(200, 300)]


def test_station_sources_and_targets():
    tt = make_timetable(["S", ("S1", "S"), ("S2", "S"), "X", "Y"], [
        [("S1", 0, 100), ("X", 200, 200)],
        [("S2", 0, 50), ("Y", 150, 150)],
    ])
    o = Oracle(tt)
    from hbeu_transit.oracle import station_stops
    st = station_stops(tt, 0)
    assert sorted(st) == [0, 1, 2]
    assert o.earliest(st, 0, S(tt, "X", "Y")) == 150
    assert o.earliest(st, 60, S(tt, "X", "Y")) == 200


def test_journey_problems():
    trips = [[("A", 0, 100), ("B", 200, 200)], [("B", 250, 250), ("C", 400, 400)]]
    tt = make_timetable("ABC", trips, change={"B": 50})
    a, b, c = S(tt, "A", "B", "C")
    good = Journey((Leg("ride", a, b, 100, 200, 0), Leg("transfer", b, b, 200, 250),
                    Leg("ride", b, c, 250, 400, 1)))
    assert journey_problems(tt, good, [a], [c], 0) == []
    # each broken journey names the one rule it breaks
    assert journey_problems(tt, good, [a], [c], 101) == ["leaves at 100, before 101"]
    assert journey_problems(make_timetable("ABC", trips, change={"B": 51}), good, [a], [c], 0) == [
        "change 0 from stop 1 at 200 to stop 1 at 250 is not allowed"]            # 250 < 200 + 51
    assert journey_problems(make_timetable("ABC", trips, blocks=[(0, 1)]), good, [a], [c], 0) == [
        "change 0 from trip 0 to trip 1 is forbidden"]
    assert journey_problems(tt, Journey((Leg("ride", a, b, 100, 200, 1),)), [a], [b], 0) == [
        "ride 0 does not match trip 1's timetable"]                               # wrong trip
    assert journey_problems(tt, Journey((Leg("ride", a, b, 100, 199, 0),)), [a], [b], 0) == [
        "ride 0 does not match trip 0's timetable"]                               # wrong time
    assert journey_problems(tt, Journey((Leg("ride", a, b, 100, 200, 0),)), [a], [c], 0) == [
        "ends at stop 1, not a target"]
    no_pickup = make_timetable("ABC", [[("A", 0, 100, False, True), ("B", 200, 200)]])
    assert journey_problems(no_pickup, Journey((Leg("ride", a, b, 100, 200, 0),)), [a], [b], 0) == [
        "ride 0 boards where pickup is not allowed"]
    no_dropoff = make_timetable("ABC", [[("A", 0, 100), ("B", 200, 200, True, False)]])
    assert journey_problems(no_dropoff, Journey((Leg("ride", a, b, 100, 200, 0),)), [a], [b], 0) == [
        "ride 0 alights where drop-off is not allowed"]


# --------------------------------------------------------------------------- station graph, CLI

def _st(trip, stops_times):
    return [{"trip_id": trip, "stop_id": s, "stop_sequence": i + 1, "arrival_time": a, "departure_time": d}
            for i, (s, a, d) in enumerate(stops_times)]


@pytest.fixture
def small_feed(tmp_path):
    """A station ST with platforms P1, P2; stops X, Y, Z; a bus and a rail route; 2024-03-05 is a
    Tuesday, service OFF does not run then and YD runs only the day before."""
    return write_feed(tmp_path / "small", {
        "agency": [{"agency_id": "A", "agency_name": "Small", "agency_url": "https://example.org",
                    "agency_timezone": "Europe/Berlin"}],
        "stops": [
            {"stop_id": "ST", "stop_name": "Central", "stop_lat": 50.0, "stop_lon": 8.0, "location_type": 1,
             "parent_station": ""},
            {"stop_id": "P1", "stop_name": "Central 1", "stop_lat": 50.0001, "stop_lon": 8.0, "location_type": 0,
             "parent_station": "ST"},
            {"stop_id": "P2", "stop_name": "Central 2", "stop_lat": 50.0002, "stop_lon": 8.0, "location_type": 0,
             "parent_station": "ST"},
            {"stop_id": "X", "stop_name": "Xdorf", "stop_lat": 50.1, "stop_lon": 8.1, "location_type": 0,
             "parent_station": ""},
            {"stop_id": "Y", "stop_name": "Yburg", "stop_lat": 50.2, "stop_lon": 8.2, "location_type": 0,
             "parent_station": ""},
            {"stop_id": "Z", "stop_name": "Zstadt", "stop_lat": 50.3, "stop_lon": 8.3, "location_type": 0,
             "parent_station": ""},
        ],
        "routes": [{"route_id": "R1", "agency_id": "A", "route_short_name": "1", "route_type": 3},
                   {"route_id": "R2", "agency_id": "A", "route_short_name": "IC", "route_type": 2}],
        "calendar": [{"service_id": s, "monday": m, "tuesday": t, "wednesday": m, "thursday": m, "friday": m,
                      "saturday": 0, "sunday": 0, "start_date": "20240101", "end_date": "20241231"}
                     for s, m, t in (("WK", 1, 1), ("OFF", 1, 0), ("YD", 1, 0))],
        "trips": [{"route_id": r, "service_id": s, "trip_id": t} for r, s, t in (
            ("R1", "WK", "t1"), ("R1", "WK", "t2"), ("R2", "WK", "t3"), ("R1", "OFF", "t4"), ("R1", "YD", "t5"))],
        "stop_times": (
            _st("t1", [("P1", "08:00:00", "08:00:00"), ("X", "08:10:00", "08:11:00"), ("Y", "08:31:00", "08:31:00")])
            + _st("t2", [("P1", "09:00:00", "09:00:00"), ("X", "09:14:00", "09:14:00"), ("Y", "09:30:00", "09:30:00")])
            + _st("t3", [("P2", "10:00:00", "10:00:00"), ("X", "10:05:00", "10:05:00")])
            + _st("t4", [("P1", "11:00:00", "11:00:00"), ("X", "11:01:00", "11:01:00")])
            + _st("t5", [("X", "23:50:00", "23:50:00"), ("Y", "24:20:00", "24:20:00"), ("Z", "24:40:00", "24:40:00")])
        ),
    })


def test_station_graph_attributes(small_feed):
    from hbeu_transit.feed import load_feeds
    from hbeu_transit.station_graph import station_graph
    from hbeu_transit.timetable import compile_timetable

    g = station_graph(compile_timetable(load_feeds([small_feed]), "2024-03-05"))
    assert set(g.nodes) == {"ST", "X", "Y", "Z"}              # platforms fold into their station
    assert g.nodes["ST"] == {"name": "Central", "area": "Central", "lat": 50.0, "lon": 8.0, "stops": 3}
    assert g.nodes["X"]["name"] == "Xdorf"
    assert set(g.edges) == {("ST", "X"), ("X", "Y"), ("Y", "Z")}
    e = g.edges["ST", "X"]
    assert (e["min_minutes"], e["median_minutes"], e["trips_per_day"]) == (5, 10, 3)
    assert (e["routes"], e["route_ids"], e["modes"]) == ("1;IC", "R1;R2", "bus;rail")
    e = g.edges["X", "Y"]
    assert (e["min_minutes"], e["median_minutes"], e["trips_per_day"], e["routes"], e["modes"]) == (
        16, 18, 2, "1", "bus")
    # yesterday's late bus still runs Y -> Z after midnight, but is not one of today's trips
    assert g.edges["Y", "Z"]["trips_per_day"] == 0 and g.edges["Y", "Z"]["min_minutes"] == 20


def test_cli_graphml(small_feed, tmp_path):
    import networkx as nx

    out = tmp_path / "net.graphml"
    r = run_hbeu("graph", "--feed", str(small_feed), "--date", "2024-03-05", "-o", str(out), cache=tmp_path / "c")
    assert r.returncode == 0, r.stderr
    g = nx.read_graphml(out)
    assert set(g.nodes) == {"ST", "X", "Y", "Z"} and g.is_directed()
    assert g.nodes["ST"]["name"] == "Central" and g.nodes["ST"]["lat"] == 50.0
    assert g.edges["ST", "X"]["routes"] == "1;IC" and g.edges["ST", "X"]["trips_per_day"] == 3
    assert g.graph["date"] == "2024-03-05"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith((".tmp", ".part"))] == []


def test_cli_geojson(small_feed, tmp_path):
    import json

    out = tmp_path / "net.geojson"
    r = run_hbeu("graph", "--feed", str(small_feed), "--date", "2024-03-05", "--format", "geojson", "-o", str(out),
             cache=tmp_path / "c")
    assert r.returncode == 0, r.stderr
    doc = json.load(open(out, encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    kinds = [(f["geometry"]["type"], f["properties"]["kind"]) for f in doc["features"]]
    assert kinds.count(("Point", "station")) == 4 and kinds.count(("LineString", "link")) == 3
    link = next(f for f in doc["features"] if f["properties"].get("from") == "X")
    assert link["geometry"]["coordinates"] == [[8.1, 50.1], [8.2, 50.2]]
    assert link["properties"]["to"] == "Y" and link["properties"]["median_minutes"] == 18


def test_cli_bad_format_is_one_line(small_feed, tmp_path):
    out = tmp_path / "net.x"
    r = run_hbeu("graph", "--feed", str(small_feed), "--format", "xml", "-o", str(out), cache=tmp_path / "c")
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == ["error: unknown format 'xml' for -o: choose from geojson, graphml"]
    assert not out.exists()


def test_cli_missing_folder_is_one_line(small_feed, tmp_path):
    r = run_hbeu("graph", "--feed", str(small_feed), "--date", "2024-03-05", "-o", str(tmp_path / "no" / "x.graphml"),
             cache=tmp_path / "c")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "does not exist" in r.stderr and "compiling" not in r.stderr   # reported before the slow work


def test_station_graph_places_a_station_without_coordinates_at_the_mean_of_its_stops(tmp_path):
    """Station S gives no coordinates (seen in real feeds); its stops S1 and S2 do: the node
    stands at their mean, not at whichever stop comes first (the compiler fills a station's
    coordinates so; ``station_graph`` does for a timetable that has none for it)."""
    from gtfs_factory import make_feed

    from hbeu_transit.feed import load_feeds
    from hbeu_transit.station_graph import station_graph
    from hbeu_transit.timetable import compile_timetable
    from hbeu_transit.timetable.handmade import timetable_from_connections

    feed = make_feed(tmp_path / "f", stops=[
        {"stop_id": "S", "stop_name": "Sundial", "stop_lat": "", "stop_lon": "", "location_type": 1},
        ("S1", 10.0, 20.0, "S"), ("S2", 10.2, 20.4, "S"), ("Q", 11.0, 21.0)],
        stop_times={"T1": [("S1", "08:00:00", "08:00:00"), ("Q", "08:30:00", "08:30:00")],
                    "T2": [("Q", "09:00:00", "09:00:00"), ("S2", "09:30:00", "09:30:00")]})
    g = station_graph(compile_timetable(load_feeds([feed]), "2024-03-05"))
    assert g.nodes["S"]["lat"] == pytest.approx(10.1) and g.nodes["S"]["lon"] == pytest.approx(20.2)
    assert g.nodes["Q"]["lat"] == 11.0 and g.nodes["S"]["stops"] == 3
    # the same network as a timetable built in code, whose station keeps no coordinates of its own
    tt = timetable_from_connections([("S1", "Q", 8 * 3600, 8 * 3600 + 1800, "T1"),
                                     ("Q", "S2", 9 * 3600, 9 * 3600 + 1800, "T2")],
                                    stops=["S", "S1", "S2", "Q"], stop_station={"S1": "S", "S2": "S"},
                                    coords={"S1": (10.0, 20.0), "S2": (10.2, 20.4), "Q": (11.0, 21.0)})
    assert tt.stop_ids[0] == "S" and not (tt.stop_lat[0] == tt.stop_lat[0])     # NaN
    g = station_graph(tt)
    assert g.nodes["S"]["lat"] == pytest.approx(10.1) and g.nodes["S"]["lon"] == pytest.approx(20.2)
