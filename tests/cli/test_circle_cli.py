"""`hbeu circle` / `hbeu coverage` and `Network.circle` / `Network.coverage` on the bundled feed
and caltrain: JSON shape, agreement with `plan`, road side, exports, pictures, bad input."""

from __future__ import annotations

import importlib.util
import json
import math

import pytest

from conftest import HEAVY_MODULES, map_layers, missing, run_cli_in_probe, run_hbeu

DAY = "2026-12-09"


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def net(cache):
    import hbeu_transit as hb

    return hb.Network(cache_dir=cache)


def test_circle_json(cache):
    r = run_hbeu("circle", "呼和浩特", "--date", DAY, "--json", cache=cache)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    p = doc["parameters"]
    assert p["window"] == "06:00-22:00" and p["within_min"] == 60 and p["date"] == DAY
    pairs = doc["pairs"]
    assert pairs and {"origin", "destination", "fastest_min", "median_min", "p10_min", "p90_min", "share_within",
                      "direct_departures", "in_circle"} <= set(pairs[0])
    for row in pairs:
        f = row["fastest_min"]
        assert row["in_circle"] == (f is not None and f <= 60)
        assert f != 0                                             # the origin's own stations are not rows
        if f is None:                                             # unreachable: missing, never 0
            assert row["median_min"] is None and row["share_within"] == 0
        if row["median_min"] is not None:
            assert row["p10_min"] <= row["median_min"] and (row["p90_min"] is None or row["median_min"] <= row["p90_min"])
            assert row["median_min"] >= f
    ids = [row["destination"] for row in pairs]
    assert "HHT" not in ids and "HHE" not in ids and "BTD" in ids


def test_circle_agrees_with_plan(net):
    """The fastest Hohhot -> Baotou journey of the circle is the fastest `plan` lists over the
    same window with the same options."""
    df = net.circle("Hohhot", date=DAY, by="area", max_transfers=1)
    fastest = float(df.set_index("destination").loc["Baotou", "fastest_min"])
    plan = net.plan("Hohhot", "Baotou", date=DAY, depart="06:00", window="16h", max_transfers=1)
    best = min(j.duration_min for j in plan.journeys if j.departure.hour < 22)
    assert fastest == best
    assert df["fastest_min"].dtype == float and df.attrs["parameters"]["by"] == "area"


def test_coverage_json_on_the_bundled_feed(cache):
    r = run_hbeu("coverage", "--date", DAY, "--window", "05:00-24:00", "--json", cache=cache)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    pairs = doc["pairs"]
    assert len(pairs) == 12
    assert {p["origin"] for p in pairs} == {"Hohhot", "Baotou", "Ordos", "Ulanqab"}
    assert doc["parameters"]["modes"] == ["rail"] and doc["parameters"]["road_modes"] == ["bus"]
    n_in = sum(p["in_circle"] for p in pairs)
    n_road = sum(p["in_road_circle"] for p in pairs)
    assert doc["headline"].startswith(f"{n_in} of 12 ordered city pairs inside the one-hour rail circle; "
                                      f"{n_road} of 12 inside the two-hour road circle")
    hb = next(p for p in pairs if p["origin"] == "Hohhot" and p["destination"] == "Baotou")
    assert hb["drive_min"] == 110 and hb["drive_confidence"] == "EST"     # data/spec/driving_times.csv
    assert hb["road_fastest_min"] is not None and hb["road_fastest_min"] > hb["fastest_min"]


def test_coverage_is_a_pure_function_of_the_network(net):
    a = net.coverage(date=DAY, window="07:00-09:00")
    b = net.coverage(date=DAY, window="07:00-09:00")
    assert a.equals(b) and len(a) == 12
    assert a.attrs["headline"].startswith(f"{int(a['in_circle'].sum())} of 12")


def test_coverage_by_area_defaults_to_every_area_without_cities(caltrain_zip, cache):
    """No city on the feed (caltrain: each station its own area): every area the stations
    table lists is an origin and a destination, each ordered pair once (the bundled feed's
    four cities: test_coverage_json_on_the_bundled_feed)."""
    import hbeu_transit as hb

    net = hb.Network([caltrain_zip], cache_dir=cache)
    areas = set(net.stations()["area"])
    df = net.coverage(date="2018-07-11", window="07:00-07:30")
    assert len(areas) > 20
    assert set(df.origin) == set(df.destination) == areas
    assert len(df) == len(areas) * (len(areas) - 1) == len(set(zip(df.origin, df.destination)))


def test_coverage_on_any_feed_and_exports(caltrain_zip, tmp_path, cache):
    out = tmp_path / "cov.csv"
    args = ("coverage", "--feed", str(caltrain_zip), "--date", "2018-07-11", "--window", "07:00-09:00",
            "--origin", "San Francisco Caltrain,Palo Alto Caltrain", "--destination",
            "Palo Alto Caltrain,Mountain View Caltrain,San Francisco Caltrain")
    r = run_hbeu(*args, "-o", str(out), cache=cache)
    assert r.returncode == 0, r.stderr
    import pandas as pd

    df = pd.read_csv(out)
    assert len(df) == 4 and "in_road_circle" not in df                  # no road side on caltrain
    assert "no road table" in r.stderr
    sf_pa = df[(df.origin.str.contains("San Francisco")) & (df.destination.str.contains("Palo Alto"))]
    assert len(sf_pa) == 1 and 30 < float(sf_pa.fastest_min.iloc[0]) < 90
    r = run_hbeu(*args, "--format", "xlsx", cache=cache)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "give a file with -o" in r.stderr


def test_pictures_from_the_commands(tmp_path, cache):
    if importlib.util.find_spec("folium") is None:
        missing("folium is not installed (the maps extra)")
    m, png, heat = tmp_path / "c.html", tmp_path / "c.png", tmp_path / "h.png"
    r = run_hbeu("circle", "Baotou", "--date", DAY, "--map", str(m), "--png", str(png), "--json", cache=cache)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["pairs"]                                   # JSON stays clean
    assert "L.circleMarker" in m.read_text(encoding="utf-8") and png.read_bytes()[:4] == b"\x89PNG"
    r = run_hbeu("coverage", "--date", DAY, "--png", str(heat), cache=cache)
    assert r.returncode == 0, r.stderr and heat.stat().st_size > 10_000
    assert "Glyph" not in r.stderr and "Traceback" not in r.stderr


def test_map_holds_every_station_of_the_json(tmp_path, cache):
    """`circle --map` draws each destination of the same run's --json as a GeoJSON point at its
    coordinates with its fastest minutes and the legend's colour for them (T/2, T, 1.5T, 2T,
    beyond; grey: not reached), and each one with direct departures as a line from the origin."""
    if importlib.util.find_spec("folium") is None:
        missing("folium is not installed (the maps extra)")
    from collections import Counter

    from hbeu_transit.maps import LEGEND_COLOURS, UNREACHABLE_COLOUR

    m = tmp_path / "c.html"
    r = run_hbeu("circle", "Baotou", "--date", DAY, "--map", str(m), "--json", cache=cache)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    t = doc["parameters"]["within_min"]
    rows = [p for p in doc["pairs"] if p["lat"] is not None]

    def legend_colour(minutes):
        if minutes is None:
            return UNREACHABLE_COLOUR
        return next((c for bound, (_, c, _) in zip((t / 2, t, 1.5 * t, 2 * t), LEGEND_COLOURS) if minutes <= bound),
                    LEGEND_COLOURS[-1][1])

    features = [f for layer in map_layers(m.read_text(encoding="utf-8")) for f in layer]
    points = [f for f in features if f["geometry"]["type"] == "Point"]
    lines = [f for f in features if f["geometry"]["type"] == "LineString"]
    got = Counter((*f["geometry"]["coordinates"], f["properties"]["fastest_min"], f["properties"]["style"]["fillColor"])
                  for f in points)
    want = Counter((round(p["lon"], 6), round(p["lat"], 6), p["fastest_min"], legend_colour(p["fastest_min"]))
                   for p in rows)
    assert got == want
    assert len(rows) > 20 and len({c for *_, c in want}) >= 3          # several bands of the legend
    got = Counter((*f["geometry"]["coordinates"][1], f["properties"]["direct_departures"]) for f in lines)
    want = Counter((round(p["lon"], 6), round(p["lat"], 6), p["direct_departures"])
                   for p in rows if p["direct_departures"] > 0)
    assert got == want and want


@pytest.mark.parametrize("args, flag", [
    (("circle", "Hohhot", "--window", "6-22"), "--window"),
    (("circle", "Hohhot", "--window", "06:00"), "--window"),
    (("coverage", "--origin", "Atlantis"), "Atlantis"),
    (("coverage", "--by", "city"), "--by"),
    (("coverage", "--workers", "2", "--scheduler", "tcp://x:1"), "--workers"),
])
def test_bad_input_is_one_line_and_exit_2(args, flag, cache):
    r = run_hbeu(*args, "--date", DAY, cache=cache)
    assert r.returncode == 2, r.stdout
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1 and flag in r.stderr, r.stderr


def test_warm_coverage_json_and_table_import_no_pandas(cache):
    assert run_hbeu("coverage", "--date", DAY, "--json", cache=cache).returncode == 0   # warm the cache
    r, heavy = run_cli_in_probe(["coverage", "--date", DAY, "--json"], env={"HBEU_CACHE_DIR": str(cache)})
    assert r.returncode == 0, r.stderr
    assert heavy == [], heavy
    assert not math.isnan(len(json.loads(r.stdout)["pairs"]))
    # the default output, the terminal tables, needs no pandas either (nor the export module)
    r, heavy = run_cli_in_probe(["coverage", "--date", DAY], env={"HBEU_CACHE_DIR": str(cache)},
                                modules=(*HEAVY_MODULES, "hbeu_transit.export"))
    assert r.returncode == 0, r.stderr
    assert heavy == [], heavy
    assert "ordered city pairs inside" in r.stdout
