"""Each scenario modification on a hand-made feed changes exactly what it says.

The feed: a rail line A-B-C-D (stations with one platform per direction, 20 min between
stations, 2 min dwells; 8 down trips 06:00-09:30 every 30 min, 4 up trips), a bus route A-D,
Fares v2 areas and leg rules. Expected times are worked out by hand in each test from those
figures, never read back from the code under test.
"""

from __future__ import annotations

import pandas as pd
import pytest

from gtfs_factory import make_feed
from hbeu_transit.feed import load_feeds
from hbeu_transit.scenario import Scenario, ScenarioError, apply_scenarios, parse_scenario

LON = {"A": 110.0, "B": 110.5, "C": 111.0, "D": 111.5}


def hm(t: str) -> str:
    return t[:5]


def _rail_trip(stations: list[str], start_min: int, plat: str) -> list[tuple[str, str, str]]:
    rows, t = [], start_min
    for k, s in enumerate(stations):
        arr = t
        dep = t + (2 if 0 < k < len(stations) - 1 else 0)
        rows.append((f"{s}_{plat}", _c(arr), _c(dep)))
        t = dep + 20
    return rows


def _c(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


@pytest.fixture(scope="module")
def feed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scn") / "f"
    stops = []
    for s, lon in LON.items():
        stops.append({"stop_id": s, "stop_name": f"Station {s}", "stop_lat": 40.0, "stop_lon": lon,
                      "location_type": 1})
        for p in ("1", "2"):
            stops.append({"stop_id": f"{s}_{p}", "stop_name": f"Station {s}", "stop_lat": 40.0, "stop_lon": lon,
                          "location_type": 0, "parent_station": s})
    stops.append({"stop_id": "BUS_A", "stop_name": "Bus A", "stop_lat": 40.001, "stop_lon": 110.0,
                  "location_type": 0, "parent_station": "A"})
    stops.append({"stop_id": "BUS_D", "stop_name": "Bus D", "stop_lat": 40.001, "stop_lon": 111.5,
                  "location_type": 0})
    st, trips = {}, []
    for k in range(8):
        tid = f"D{k + 1:02d}"
        st[tid] = _rail_trip(list("ABCD"), 6 * 60 + 30 * k, "1")
        trips.append({"trip_id": tid, "route_id": "R1", "service_id": "ALL", "direction_id": 0})
    for k in range(4):
        tid = f"U{k + 1:02d}"
        st[tid] = _rail_trip(list("DCBA"), 7 * 60 + 60 * k, "2")
        trips.append({"trip_id": tid, "route_id": "R1", "service_id": "ALL", "direction_id": 1})
    for k, start in enumerate(("07:00:00", "12:00:00")):
        tid = f"B{k + 1}"
        st[tid] = [("BUS_A", start, start), ("BUS_D", start[:1] + str(int(start[1]) + 2) + start[2:],
                                                start[:1] + str(int(start[1]) + 2) + start[2:])]
        trips.append({"trip_id": tid, "route_id": "R2", "service_id": "ALL", "direction_id": 0})
    make_feed(
        folder, stops=stops, stop_times=st, trips=trips,
        routes=[{"route_id": "R1", "agency_id": "A", "route_short_name": "R1", "route_type": 2},
                {"route_id": "R2", "agency_id": "A", "route_short_name": "R2", "route_type": 3}],
        transfers=[{"from_trip_id": "B1", "to_trip_id": "D04", "from_stop_id": "A", "to_stop_id": "A",
                    "transfer_type": 1}],
        translations=[{"table_name": "stops", "field_name": "stop_name", "language": "zh",
                       "translation": "乙站", "record_id": "B"}],
        feed_info=[{"feed_publisher_name": "Test", "feed_publisher_url": "https://example.org", "feed_lang": "en",
                    "feed_version": "v1"}],
        areas=[{"area_id": "WEST", "area_name": "West"}, {"area_id": "EAST", "area_name": "East"},
               {"area_id": "MID", "area_name": "Mid"}],
        stop_areas=[{"area_id": "WEST", "stop_id": "A"}, {"area_id": "MID", "stop_id": "B"},
                    {"area_id": "MID", "stop_id": "C"}, {"area_id": "EAST", "stop_id": "D"}],
        fare_products=[{"fare_product_id": "F_WE", "amount": "40.00", "currency": "CNY"},
                       {"fare_product_id": "F_SHORT", "amount": "10.00", "currency": "CNY"}],
        fare_leg_rules=[{"network_id": "", "from_area_id": "WEST", "to_area_id": "EAST", "fare_product_id": "F_WE"},
                        {"network_id": "", "from_area_id": "EAST", "to_area_id": "WEST", "fare_product_id": "F_WE"},
                        {"network_id": "", "from_area_id": "WEST", "to_area_id": "MID",
                         "fare_product_id": "F_SHORT"},
                        {"network_id": "", "from_area_id": "MID", "to_area_id": "EAST",
                         "fare_product_id": "F_SHORT"}],
    )
    return load_feeds([folder])


def run(feed, *mods, name="t"):
    return apply_scenarios(feed, [parse_scenario({"name": name, "modification": list(mods)}, "t.toml")])


def times(feed, trip):
    st = feed.tables["stop_times"]
    g = st[st["trip_id"] == trip].copy()
    g["seq"] = g["stop_sequence"].astype(int)
    g = g.sort_values("seq")
    return [(s, hm(a), hm(d)) for s, a, d in zip(g["stop_id"], g["arrival_time"], g["departure_time"])]


def same_rows(a: pd.DataFrame, b: pd.DataFrame, key: str, ids) -> None:
    """The rows of ``ids`` are identical in both tables (the modification left them alone)."""
    x = a[a[key].isin(ids)].drop(columns="feed_name").astype(str).sort_values(list(a.columns.drop("feed_name")))
    y = b[b[key].isin(ids)].drop(columns="feed_name").astype(str).sort_values(list(a.columns.drop("feed_name")))
    assert x.reset_index(drop=True).equals(y[x.columns].reset_index(drop=True))


def counts(feed):
    return {t: len(feed.tables[t]) for t in ("stops", "routes", "trips", "stop_times")}


# --------------------------------------------------------------------------- empty

def test_empty_scenario_changes_nothing(feed):
    out = apply_scenarios(feed, [Scenario(name="nothing")])
    for name, df in feed.tables.items():
        if name != "feed_info":
            pd.testing.assert_frame_equal(out.tables[name], df)
    assert out.tables["feed_info"]["feed_version"].iloc[0] == "scenario nothing on v1"
    assert apply_scenarios(feed, []) is feed


# --------------------------------------------------------------------------- add_line

def test_add_line_with_run_times_dwells_departures_and_a_new_station(feed):
    out = run(feed, {"type": "add_line", "id": "NEW", "route_type": 101, "train_number": "G{n}", "first_number": 1,
                     "stations": ["A", {"id": "X", "name": "Xnew", "name_en": "X New", "lat": 40.0, "lon": 110.7,
                                        "area": "Mid"}, "Station D"],
                     "run_min": [10, 15], "dwell_min": 3, "departures": ["08:00", "09:00"]})
    before, after = counts(feed), counts(out)
    assert after == {"stops": before["stops"] + 1, "routes": before["routes"] + 1, "trips": before["trips"] + 4,
                     "stop_times": before["stop_times"] + 12}
    # down trains odd, up trains even; rail platforms by direction (A_1 down, D_2 up), never the bus stop
    assert times(out, "G1") == [("A_1", "08:00", "08:00"), ("X", "08:10", "08:13"), ("D_1", "08:28", "08:28")]
    assert times(out, "G3") == [("A_1", "09:00", "09:00"), ("X", "09:10", "09:13"), ("D_1", "09:28", "09:28")]
    assert times(out, "G2") == [("D_2", "08:00", "08:00"), ("X", "08:15", "08:18"), ("A_2", "08:28", "08:28")]
    trips = out.tables["trips"].set_index("trip_id")
    assert trips.loc["G2", "direction_id"] == "1" and trips.loc["G1", "route_id"] == "NEW"
    assert out.tables["routes"].set_index("route_id").loc["NEW", "route_type"] == "101"
    sa = out.tables["stop_areas"]
    assert sa[sa["stop_id"] == "X"]["area_id"].tolist() == ["MID"]
    cal = out.tables["calendar"].set_index("service_id").loc[trips.loc["G1", "service_id"]]
    assert (cal["start_date"], cal["end_date"], cal["sunday"]) == ("20240101", "20241231", "1")
    same_rows(feed.tables["stop_times"], out.tables["stop_times"], "trip_id", set(feed.tables["trips"]["trip_id"]))


def test_add_line_by_headway_bands_and_design_speed(feed):
    out = run(feed, {"type": "add_line", "id": "FAST", "stations": ["B", "C"], "speed_kmh": 60, "km": [30],
                     "both_directions": False, "days": "weekdays",
                     "headways": [{"start": "06:00", "end": "07:00", "every_min": 20},
                                  {"start": "17:00", "end": "17:30", "every_min": 15}]})
    new = out.tables["trips"][out.tables["trips"]["route_id"] == "FAST"]["trip_id"].tolist()
    firsts = sorted(times(out, t)[0][2] for t in new)
    assert firsts == ["06:00", "06:20", "06:40", "17:00", "17:15"]
    # 30 km at 60 km/h = 30 min
    assert {hm(times(out, t)[-1][1]) for t in new if times(out, t)[0][2] == "06:20"} == {"06:50"}
    cal = out.tables["calendar"].set_index("service_id").loc[f"FAST_SERVICE"]
    assert [cal[d] for d in ("monday", "friday", "saturday", "sunday")] == ["1", "1", "0", "0"]


def test_add_line_bands_that_touch_hand_over_at_the_shared_time(feed):
    """06:00-07:00 every 20 and 07:00-07:30 every 15 touch, not overlap: the first band stops
    before 07:00 and the second departs at it."""
    out = run(feed, {"type": "add_line", "id": "FAST", "stations": ["B", "C"], "run_min": 30,
                     "both_directions": False,
                     "headways": [{"start": "06:00", "end": "07:00", "every_min": 20},
                                  {"start": "07:00", "end": "07:30", "every_min": 15}]})
    new = out.tables["trips"][out.tables["trips"]["route_id"] == "FAST"]["trip_id"].tolist()
    assert sorted(times(out, t)[0][2] for t in new) == ["06:00", "06:20", "06:40", "07:00", "07:15"]


# --------------------------------------------------------------------------- remove, thin

def test_remove_routes_drops_the_route_its_trips_and_references(feed):
    out = run(feed, {"type": "remove_routes", "routes": ["R2"]})
    assert set(out.tables["routes"]["route_id"]) == {"R1"}
    assert not out.tables["trips"]["trip_id"].isin(["B1", "B2"]).any()
    assert len(out.tables["stop_times"]) == len(feed.tables["stop_times"]) - 4
    assert out.tables["transfers"].empty          # its only row named trip B1
    same_rows(feed.tables["stop_times"], out.tables["stop_times"], "trip_id",
              [f"D{k:02d}" for k in range(1, 9)])


def test_remove_single_trips(feed):
    out = run(feed, {"type": "remove_routes", "trips": ["D03", "U01"]})
    assert len(out.tables["trips"]) == len(feed.tables["trips"]) - 2
    assert set(out.tables["routes"]["route_id"]) == {"R1", "R2"}


@pytest.mark.parametrize("how", [{"keep_every": 2}, {"share": 0.5}])
def test_thin_keeps_every_second_trip_per_direction(feed, how):
    out = run(feed, {"type": "thin", "routes": ["R1"], **how})
    kept = set(out.tables["trips"]["trip_id"])
    assert {t for t in kept if t.startswith("D")} == {"D01", "D03", "D05", "D07"}
    assert {t for t in kept if t.startswith("U")} == {"U01", "U03"}
    assert {"B1", "B2"} <= kept
    assert len(out.tables["stop_times"]) == len(feed.tables["stop_times"]) - 6 * 4


# --------------------------------------------------------------------------- set_headway

def test_set_headway_in_a_band_replaces_the_trips_departing_in_it(feed):
    out = run(feed, {"type": "set_headway", "routes": ["R1"], "headway_min": 10, "start": "07:00", "end": "08:00"})
    down = sorted(times(out, t)[0][2] for t in out.tables["trips"]["trip_id"]
                  if out.tables["trips"].set_index("trip_id").loc[t, "route_id"] == "R1"
                  and times(out, t)[0][0] == "A_1")
    assert down == ["06:00", "06:30", "07:00", "07:10", "07:20", "07:30", "07:40", "07:50",
                    "08:00", "08:30", "09:00", "09:30"]
    up = sorted(times(out, t)[0][2] for t in out.tables["trips"]["trip_id"] if times(out, t)[0][0] == "D_2")
    assert up == ["07:00", "07:10", "07:20", "07:30", "07:40", "07:50", "08:00", "09:00", "10:00"]
    new = [t for t in out.tables["trips"]["trip_id"] if t not in set(feed.tables["trips"]["trip_id"])]
    t = next(t for t in new if times(out, t)[0] == ("A_1", "07:10", "07:10"))
    assert times(out, t) == [("A_1", "07:10", "07:10"), ("B_1", "07:30", "07:32"), ("C_1", "07:52", "07:54"),
                             ("D_1", "08:14", "08:14")]


def test_set_headway_factor_half_doubles_the_trips_in_each_band(feed):
    out = run(feed, {"type": "set_headway", "routes": ["R1"], "headway_factor": 0.5,
                     "bands": [{"start": "06:00", "end": "08:00"}]})
    down = sorted(times(out, t)[0][2] for t in out.tables["trips"]["trip_id"] if times(out, t)[0][0] == "A_1")
    # 4 down trips 06:00-07:30 -> 8, in the middle of 15-minute slices; later trips untouched
    assert down == ["06:08", "06:22", "06:38", "06:52", "07:08", "07:22", "07:38", "07:52",
                    "08:00", "08:30", "09:00", "09:30"]
    up = sorted(times(out, t)[0][2] for t in out.tables["trips"]["trip_id"] if times(out, t)[0][0] == "D_2")
    assert up == ["06:30", "07:30", "08:00", "09:00", "10:00"]


# --------------------------------------------------------------------------- speed_up

def test_speed_up_a_route_by_a_factor_keeps_dwells(feed):
    out = run(feed, {"type": "speed_up", "routes": ["R1"], "factor": 0.5})
    assert times(out, "D01") == [("A_1", "06:00", "06:00"), ("B_1", "06:10", "06:12"), ("C_1", "06:22", "06:24"),
                                 ("D_1", "06:34", "06:34")]
    assert times(out, "B1") == times(feed, "B1")


def test_speed_up_a_segment_to_a_run_time_both_ways(feed):
    out = run(feed, {"type": "speed_up", "from": "B", "to": "D", "run_min": 30})
    # B dep 06:22; moving 40 min + 2 min dwell at C must fit 30 min: runs x 28/40 = 14 min each
    assert times(out, "D01") == [("A_1", "06:00", "06:00"), ("B_1", "06:20", "06:22"), ("C_1", "06:36", "06:38"),
                                 ("D_1", "06:52", "06:52")]
    # up: D 07:00 -> C 07:14/07:16 -> B 07:30, then A 20 min after B's 07:32 departure
    assert times(out, "U01") == [("D_2", "07:00", "07:00"), ("C_2", "07:14", "07:16"), ("B_2", "07:30", "07:32"),
                                 ("A_2", "07:52", "07:52")]
    assert times(out, "B1") == times(feed, "B1")       # the bus does not call at B


# --------------------------------------------------------------------------- add_stop

def test_add_stop_between_two_stations_with_a_dwell(feed):
    out = run(feed, {"type": "add_stop", "routes": ["R1"], "between": ["B", "C"], "dwell_min": 2,
                     "station": {"id": "BC", "name": "Halfway", "lat": 40.0, "lon": 110.75}})
    # halfway: 10 of the 20 minutes, then 2 min dwell; C and D two minutes later than before
    assert times(out, "D01") == [("A_1", "06:00", "06:00"), ("B_1", "06:20", "06:22"), ("BC", "06:32", "06:34"),
                                 ("C_1", "06:44", "06:46"), ("D_1", "07:06", "07:06")]
    assert times(out, "U01") == [("D_2", "07:00", "07:00"), ("C_2", "07:20", "07:22"), ("BC", "07:32", "07:34"),
                                 ("B_2", "07:44", "07:46"), ("A_2", "08:06", "08:06")]
    assert len(out.tables["stop_times"]) == len(feed.tables["stop_times"]) + 12
    assert times(out, "B1") == times(feed, "B1")


# --------------------------------------------------------------------------- adjust_fares

def test_adjust_fares_changes_only_the_named_area_pair(feed):
    out = run(feed, {"type": "adjust_fares", "from_area": "West", "to_area": "MID", "factor": 0.5})
    rules, prods = out.tables["fare_leg_rules"], out.tables["fare_products"].set_index("fare_product_id")
    amount = {(f, t): float(prods.loc[p, "amount"]) for f, t, p in
              zip(rules["from_area_id"], rules["to_area_id"], rules["fare_product_id"])}
    # F_SHORT was sold for WEST-MID and MID-EAST: WEST-MID gets a halved copy, MID-EAST keeps 10
    assert amount == {("WEST", "EAST"): 40.0, ("EAST", "WEST"): 40.0, ("WEST", "MID"): 5.0, ("MID", "EAST"): 10.0}


def test_adjust_fares_set_amount_both_directions(feed):
    out = run(feed, {"type": "adjust_fares", "from_area": "EAST", "to_area": "WEST", "amount": 25})
    prods = out.tables["fare_products"].set_index("fare_product_id")
    assert prods.loc["F_WE", "amount"] == "25.00" and prods.loc["F_SHORT", "amount"] == "10.00"


# --------------------------------------------------------------------------- order and errors at apply time

def test_modifications_apply_in_order(feed):
    """A station added by the first modification can be used by the second."""
    out = run(feed, {"type": "add_line", "id": "L1", "stations": ["A", {"id": "Y", "name": "Y", "lat": 40.5,
                                                                         "lon": 110.0}],
                     "run_min": 30, "departures": ["10:00"], "train_number": "L{n}"},
              {"type": "speed_up", "routes": ["L1"], "from": "A", "to": "Y", "run_min": 20})
    assert times(out, "L1") == [("A_1", "10:00", "10:00"), ("Y", "10:20", "10:20")]


@pytest.mark.parametrize("mod, where, message", [
    ({"type": "add_line", "id": "Z", "stations": ["A", "Nowhere"], "run_min": 5, "departures": ["08:00"]},
     "modification 1 (add_line) field 'stations'", "unknown station 'Nowhere'"),
    ({"type": "add_line", "id": "R1", "stations": ["A", "B"], "run_min": 5, "departures": ["08:00"]},
     "modification 1 (add_line) field 'id'", "route 'R1' already exists"),
    ({"type": "remove_routes", "routes": ["R9"]}, "modification 1 (remove_routes) field 'routes'",
     "unknown route 'R9'"),
    ({"type": "speed_up", "from": "BUS_D", "to": "B", "factor": 0.5},
     "modification 1 (speed_up) field 'from'", "no selected trip runs from BUS_D to B"),
    ({"type": "add_stop", "routes": ["R1"], "station": "D", "between": ["A", "C"]},
     "modification 1 (add_stop) field 'between'", "no selected trip calls at A and C"),
    ({"type": "adjust_fares", "from_area": "West", "to_area": "Nowhere", "amount": 1},
     "modification 1 (adjust_fares) field 'to_area'", "unknown area 'Nowhere'"),
    ({"type": "speed_up", "from": "B", "to": "D", "run_min": 1}, "modification 1 (speed_up) field 'run_min'",
     "not more than its dwell"),
])
def test_errors_that_need_the_feed_name_modification_and_field(feed, mod, where, message):
    with pytest.raises(ScenarioError) as e:
        run(feed, mod)
    text = str(e.value)
    assert text.startswith(f"t.toml {where}: ") and message in text and "\n" not in text


# --------------------------------------------------------------------------- naming stations and areas

@pytest.fixture(scope="module")
def shared_station(tmp_path_factory):
    """Station S has rail platform S_1 (2 trains a day, direction 0) and coach bay S_BUS (5
    coaches a day, direction 0) under it; T and U are plain stations; two stations are both
    called "Twin"; areas "North" are two (rail's N_R and coach's N_B, both listing S), "South" one."""
    folder = tmp_path_factory.mktemp("shared") / "f"
    stops = [{"stop_id": "S", "stop_name": "Station S", "stop_lat": 40.0, "stop_lon": 110.0, "location_type": 1},
             {"stop_id": "S_1", "stop_name": "Station S", "stop_lat": 40.0, "stop_lon": 110.0, "parent_station": "S"},
             {"stop_id": "S_BUS", "stop_name": "S coach bay", "stop_lat": 40.001, "stop_lon": 110.0,
              "parent_station": "S"},
             {"stop_id": "T", "stop_name": "Station T", "stop_lat": 40.0, "stop_lon": 110.5},
             {"stop_id": "U", "stop_name": "Station U", "stop_lat": 40.0, "stop_lon": 111.0},
             {"stop_id": "W1", "stop_name": "Twin", "stop_lat": 41.0, "stop_lon": 110.0},
             {"stop_id": "W2", "stop_name": "Twin", "stop_lat": 42.0, "stop_lon": 110.0}]
    st, trips = {}, []
    for k in range(2):
        st[f"R{k}"] = [("S_1", f"0{7 + k}:00:00", f"0{7 + k}:00:00"), ("T", f"0{7 + k}:20:00", f"0{7 + k}:20:00")]
        trips.append({"trip_id": f"R{k}", "route_id": "RAIL", "direction_id": 0})
    for k in range(5):
        st[f"C{k}"] = [("S_BUS", f"1{k}:00:00", f"1{k}:00:00"), ("U", f"1{k}:50:00", f"1{k}:50:00")]
        trips.append({"trip_id": f"C{k}", "route_id": "COACH", "direction_id": 0})
    make_feed(folder, stops=stops, stop_times=st, trips=trips,
              routes=[{"route_id": "RAIL", "agency_id": "A", "route_short_name": "R", "route_type": 2},
                      {"route_id": "COACH", "agency_id": "A", "route_short_name": "C", "route_type": 3}],
              areas=[{"area_id": "N_R", "area_name": "North"}, {"area_id": "N_B", "area_name": "North"},
                     {"area_id": "SO", "area_name": "South"}],
              stop_areas=[{"area_id": "N_R", "stop_id": "S"}, {"area_id": "N_B", "stop_id": "S_BUS"},
                          {"area_id": "SO", "stop_id": "T"}, {"area_id": "SO", "stop_id": "U"}],
              fare_products=[{"fare_product_id": "P", "amount": "10.00", "currency": "CNY"}],
              fare_leg_rules=[{"network_id": "", "from_area_id": a, "to_area_id": "SO", "fare_product_id": "P"}
                              for a in ("N_R", "N_B")])
    return load_feeds([folder])


def test_a_new_train_calls_at_the_rail_platform_of_a_station_busier_with_coaches(shared_station):
    out = run(shared_station, {"type": "add_line", "id": "NEW", "route_type": 2, "stations": ["S", "U"],
                               "run_min": 30, "departures": ["09:00"], "train_number": "N{n}"})
    assert times(out, "N1") == [("S_1", "09:00", "09:00"), ("U", "09:30", "09:30")]


def test_a_platform_id_names_that_platform_only(shared_station):
    out = run(shared_station, {"type": "add_line", "id": "BAY", "route_type": 2, "stations": ["S_BUS", "T"],
                               "run_min": 30, "departures": ["09:00"], "train_number": "B{n}"})
    assert times(out, "B1") == [("S_BUS", "09:00", "09:00"), ("T", "09:30", "09:30")]


def test_a_station_name_two_stations_share_is_refused(shared_station):
    with pytest.raises(ScenarioError, match=r"station name 'Twin' is ambiguous: W1, W2"):
        run(shared_station, {"type": "add_line", "id": "Z", "stations": ["Twin", "T"], "run_min": 5,
                             "departures": ["08:00"]})


def test_an_area_name_two_areas_share_names_both(shared_station):
    out = run(shared_station, {"type": "adjust_fares", "from_area": "North", "to_area": "South", "amount": 4})
    rules, prods = out.tables["fare_leg_rules"], out.tables["fare_products"].set_index("fare_product_id")
    assert {f: float(prods.loc[p, "amount"]) for f, p in zip(rules["from_area_id"], rules["fare_product_id"])} == {
        "N_R": 4.0, "N_B": 4.0}


@pytest.mark.parametrize("how", [{"keep_every": 2}, {"share": 0.5}])
def test_thin_refuses_frequency_based_trips(tmp_path, how):
    """Found by helper breaker3. A frequencies.txt trip is one trips.txt row standing for many
    runs (here F: 06:00-10:00 every 10 min, 24 runs); thinning counted it as one trip, kept it
    (the 1st of its group) and wrote the feed unchanged, so 'hbeu scenario apply' of a thin on
    the sample feed's CITY route reported success with the service as before. It is refused as
    set_headway refuses it."""
    folder = make_feed(tmp_path / "f", stops=[("A", 40.0, 110.0), ("B", 40.0, 110.1)],
                       stop_times={"F": [("A", "06:00:00", "06:00:00"), ("B", "06:10:00", "06:10:00")]},
                       frequencies=[{"trip_id": "F", "start_time": "06:00:00", "end_time": "10:00:00",
                                     "headway_secs": 600}])
    with pytest.raises(ScenarioError) as e:
        run(load_feeds([folder]), {"type": "thin", "routes": ["R"], **how})
    assert str(e.value).startswith("t.toml modification 1 (thin) field 'routes': ")
    assert "frequency-based trips (frequencies.txt)" in str(e.value)


def test_a_station_without_coordinates(tmp_path):
    """Found by helper breaker3. A stop with blank stop_lat/stop_lon (the loader reads such a
    feed) ended every scenario naming it in a TypeError traceback (float(<NA>)), even one that
    needs no distance. Now run times given in minutes work; a design speed without km, or a
    new stop placed by its distance, is one error naming the field."""
    folder = make_feed(tmp_path / "f", stops=[{"stop_id": "N", "stop_name": "Nowhere", "stop_lat": "", "stop_lon": ""},
                                              ("B", 40.0, 110.0), ("C", 40.0, 110.2)],
                       stop_times={"T": [("B", "08:00:00", "08:00:00"), ("C", "08:20:00", "08:20:00")]})
    feed = load_feeds([folder])
    out = run(feed, {"type": "add_line", "id": "L", "stations": ["N", "B"], "run_min": 10, "departures": ["09:00"],
                     "both_directions": False, "train_number": "L{n}"})
    assert times(out, "L1") == [("N", "09:00", "09:00"), ("B", "09:10", "09:10")]
    with pytest.raises(ScenarioError) as e:
        run(feed, {"type": "add_line", "id": "L", "stations": ["N", "B"], "speed_kmh": 100, "departures": ["09:00"]})
    assert str(e.value).startswith("t.toml modification 1 (add_line) field 'speed_kmh': ")
    assert "'N' has no coordinates" in str(e.value) and "km" in str(e.value)
    with pytest.raises(ScenarioError) as e:
        run(feed, {"type": "add_stop", "routes": ["R"], "station": "N", "between": ["B", "C"]})
    assert str(e.value).startswith("t.toml modification 1 (add_stop) field 'station': ")
    assert "'N' has no coordinates" in str(e.value)
    with_n = run(feed, {"type": "add_line", "id": "L", "stations": ["B", "N"], "run_min": 10, "departures": ["09:00"],
                        "both_directions": False, "train_number": "L{n}"})   # L1 calls at B, then N
    with pytest.raises(ScenarioError) as e:
        run(with_n, {"type": "add_stop", "routes": ["L"], "station": "C", "between": ["B", "N"]})
    assert str(e.value).startswith("t.toml modification 1 (add_stop) field 'between': ")
    assert "'N' has no coordinates" in str(e.value)
