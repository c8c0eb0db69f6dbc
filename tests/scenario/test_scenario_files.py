"""Scenario files: parsing and its one-line errors, the shipped scenarios, `hbeu scenario apply`
(valid GTFS by gtfs-validator, deterministic bytes, the name in feed_info.txt), exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run_hbeu
from hbeu_transit.scenario import ScenarioError, parse_scenario, read_scenario, shipped_scenarios

SHIPPED = {"hohhot-baotou-hsr", "baotou-ordos-yulin-hsr", "hohhot-ordos-airport-intercity", "all-planned",
           "hohhot-baotou-peak-doubling"}


# --------------------------------------------------------------------------- parsing

LINE = {"type": "add_line", "id": "L", "stations": ["A", "B"], "run_min": 10, "departures": ["08:00"]}


@pytest.mark.parametrize("mod, field, message", [
    ({**LINE, "run_min": -5}, "run_min", "must be positive"),
    ({**LINE, "dwell_min": -1}, "dwell_min", "negative time -1"),
    ({**LINE, "departures": ["08:00", "25:61"]}, "departures", "bad time '25:61'"),
    ({**LINE, "departures": ["08:00", "08:00"]}, "departures", "departure 08:00 is listed twice"),
    ({**{k: v for k, v in LINE.items() if k != "departures"},
      "headways": [{"start": "06:00", "end": "09:00", "every_min": 30},
                   {"start": "08:00", "end": "10:00", "every_min": 15}]}, "headways",
     "overlapping bands 06:00-09:00 and 08:00-10:00"),
    ({**{k: v for k, v in LINE.items() if k != "departures"},
      "headways": [{"start": "09:00", "end": "08:00", "every_min": 30}]}, "headways[1]", "band ends"),
    ({**LINE, "stations": ["A"]}, "stations", "at least two stations"),
    ({**LINE, "stations": ["A", {"id": "N", "name": "N", "lat": 95, "lon": 0}]}, "stations", "bad coordinates"),
    ({**LINE, "speed_kmh": 300}, "run_min", "either run_min"),
    ({**LINE, "run_min": [10, 20]}, "run_min", "expected 1 or 1 values"),
    ({**LINE, "train_number": "G{x}"}, "train_number", "bad pattern"),
    ({**LINE, "colour": "red"}, "colour", "unknown field"),
    ({"type": "thin", "routes": ["R"], "share": 1.5}, "share", "must be in (0, 1]"),
    ({"type": "thin", "routes": ["R"]}, "keep_every", "give either keep_every"),
    ({"type": "thin", "keep_every": 2}, "routes", "name the routes"),
    ({"type": "set_headway", "routes": ["R"], "headway_min": 0}, "headway_min", "must be positive"),
    ({"type": "set_headway", "routes": ["R"], "headway_factor": 0.5,
      "bands": [{"start": "07:00", "end": "09:00"}, {"start": "08:30", "end": "10:00"}]}, "bands", "overlapping"),
    ({"type": "speed_up", "routes": ["R"], "run_min": 30}, "run_min", "give from and to"),
    ({"type": "speed_up", "routes": ["R"], "factor": 0}, "factor", "must be positive"),
    # no routes, trips or segment: not every trip of the feed (data/scenarios/README.md)
    ({"type": "speed_up", "factor": 0.9}, "routes", "name the routes (or trips) to speed up, or a segment"),
    ({"type": "add_stop", "routes": ["R"], "station": "S", "between": ["A"]}, "between", "two different"),
    ({"type": "adjust_fares", "from_area": "X", "to_area": "Y", "amount": 1, "factor": 2}, "amount", "exactly one"),
    ({"type": "adjust_fares", "from_area": "X", "to_area": "Y", "amount": -3}, "amount", "negative"),
    # the either/or, not-both and both-or-neither rules name the field they blame
    ({"type": "adjust_fares", "from_area": "X", "to_area": "Y"}, "amount", "exactly one"),
    ({k: v for k, v in LINE.items() if k != "departures"}, "departures", "give either departures"),
    ({**LINE, "headways": [{"start": "06:00", "end": "09:00", "every_min": 30}]}, "departures", "give either departures"),
    ({**LINE, "return_departures": ["09:00"], "return_headways": [{"start": "09:00", "end": "10:00", "every_min": 30}]},
     "return_departures", "not both"),
    ({**LINE, "service": "WK", "days": "weekdays"}, "days", "not both"),
    ({"type": "thin", "routes": ["R"], "keep_every": 2, "share": 0.5}, "keep_every", "give either keep_every"),
    ({"type": "set_headway", "routes": ["R"], "headway_min": 10, "headway_factor": 0.5}, "headway_factor", "not both"),
    ({"type": "set_headway", "routes": ["R"], "headway_min": 10, "start": "07:00"}, "end", "both start and end"),
    ({"type": "set_headway", "routes": ["R"], "headway_min": 10, "end": "09:00"}, "start", "both start and end"),
    ({"type": "speed_up", "from": "A", "factor": 0.9}, "to", "needs both from and to"),
    ({"type": "speed_up", "to": "B", "factor": 0.9}, "from", "needs both from and to"),
    ({"type": "speed_up", "routes": ["R"], "factor": 0.9, "run_min": 5}, "factor", "give either factor"),
])
def test_invalid_modifications_name_the_modification_and_field(mod, field, message):
    with pytest.raises(ScenarioError) as e:
        parse_scenario({"name": "x", "modification": [{"type": "thin", "routes": ["R"], "keep_every": 2}, mod]},
                       "s.toml")
    text = str(e.value)
    assert text.startswith(f"s.toml modification 2 ({mod['type']}) field {field!r}: "), text
    assert message in text and "\n" not in text


def test_unknown_type_and_missing_name():
    with pytest.raises(ScenarioError, match=r"modification 1 \(teleport\) field 'type': unknown modification type"):
        parse_scenario({"name": "x", "modification": [{"type": "teleport"}]}, "s.toml")
    with pytest.raises(ScenarioError, match=r"s.toml field 'name': is required"):
        parse_scenario({"modification": []}, "s.toml")


def test_times_as_toml_local_times_and_past_midnight(tmp_path):
    p = tmp_path / "s.toml"
    p.write_text('name = "t"\n[[modification]]\ntype = "add_line"\nid = "L"\nstations = ["A", "B"]\n'
                 'run_min = 10\ndepartures = [07:30:00, "25:10"]\n', encoding="utf-8")
    m = read_scenario(p).modifications[0]
    assert m.departures == (7 * 3600 + 1800, 25 * 3600 + 600)


def test_bad_toml_is_one_line(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text('name = "t"\n[[modification]\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        read_scenario(p)


def test_include_applies_the_included_scenarios_first_and_refuses_loops(tmp_path):
    (tmp_path / "a.toml").write_text('name = "a"\n[[modification]]\ntype = "thin"\nroutes = ["R"]\nkeep_every = 2\n',
                                     encoding="utf-8")
    (tmp_path / "b.toml").write_text('name = "b"\ninclude = ["a.toml"]\n[[modification]]\ntype = "remove_routes"\n'
                                     'routes = ["Q"]\n', encoding="utf-8")
    s = read_scenario(tmp_path / "b.toml")
    assert [m.type for m in s.modifications] == ["thin", "remove_routes"]
    assert "a.toml modification 1 (thin)" in s.labels[0]
    (tmp_path / "c.toml").write_text('name = "c"\ninclude = ["c.toml"]\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match="includes itself"):
        read_scenario(tmp_path / "c.toml")


# --------------------------------------------------------------------------- shipped scenarios

def test_shipped_scenarios_are_all_there_and_every_figure_is_sourced_or_est():
    assert set(shipped_scenarios()) == SHIPPED
    for name, path in shipped_scenarios().items():
        s = read_scenario(path)
        assert s.name == name
        text = path.read_text(encoding="utf-8")
        # every number-bearing setting line carries a FACTS or EST note (README of the folder says so)
        for line in text.splitlines():
            key = line.split("=")[0].strip()
            if key in {"speed_kmh", "km", "run_min", "dwell_min", "accel_brake_min", "headways", "first_number",
                       "stations", "network"} and "=" in line and "[" != line.strip()[-1:]:
                assert "FACTS" in line or "EST" in line, f"{path.name}: {line}"


def test_all_planned_is_the_three_lines_together():
    whole = read_scenario("all-planned").modifications
    parts = [m for n in ("hohhot-baotou-hsr", "baotou-ordos-yulin-hsr", "hohhot-ordos-airport-intercity")
             for m in read_scenario(n).modifications]
    assert whole == tuple(parts)


def test_shipped_scenarios_are_package_data():
    """`pip install .` must carry data/scenarios (as hbeu_transit._scenarios), like the feeds."""
    import tomllib

    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    st = cfg["tool"]["setuptools"]
    assert st["package-dir"]["hbeu_transit._scenarios"] == "data/scenarios"
    assert "*.toml" in st["package-data"]["hbeu_transit._scenarios"]


# --------------------------------------------------------------------------- hbeu scenario apply

def _validate(path: Path) -> dict:
    code = "import sys; from gtfs_validator.cli import main; sys.exit(main(sys.argv[1:]))"
    out = subprocess.run([sys.executable, "-c", code, "-i", str(path), "--stdout", "-d", "2026-12-02"],
                         capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _feed_info(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        rows = list(csv.DictReader(io.StringIO(zf.read("feed_info.txt").decode("utf-8"))))
    assert len(rows) == 1
    return rows[0]


def test_apply_writes_valid_deterministic_gtfs_named_in_feed_info(tmp_path):
    if os.environ.get("CI") is None:
        pytest.importorskip("gtfs_validator")
    a, b = tmp_path / "a.zip", tmp_path / "b.zip"
    r = run_hbeu("scenario", "apply", "all-planned", "hohhot-baotou-peak-doubling", "-o", str(a), "--json",
                 cache=tmp_path / "cache")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    # three lines: 3 routes; 2 new stations (Yulin, the airport)
    assert doc["after"]["routes"] - doc["before"]["routes"] == 3
    assert doc["after"]["stops"] - doc["before"]["stops"] == 2
    assert run_hbeu("scenario", "apply", "all-planned", "hohhot-baotou-peak-doubling", "-o", str(b),
                    cache=tmp_path / "cache").returncode == 0
    assert a.read_bytes() == b.read_bytes()
    info = _feed_info(a)
    assert "all-planned + hohhot-baotou-peak-doubling" in info["feed_version"]
    report = _validate(a)
    errors = [(n["code"], n["sampleNotices"][:1]) for n in report["notices"] if n["severity"] == "ERROR"]
    assert errors == []


def test_scenarios_on_another_feed_validate_too(tmp_path, caltrain_zip):
    """Every kind of timetable change on caltrain (shapes, blocks, Fares v1): still 0 errors."""
    if os.environ.get("CI") is None:
        pytest.importorskip("gtfs_validator")
    scn = tmp_path / "ct.toml"
    scn.write_text("""name = "caltrain-test"
[[modification]]
type = "thin"
routes = ["Lo-129"]
keep_every = 2
[[modification]]
type = "speed_up"
routes = ["Bu-129"]
factor = 0.9
[[modification]]
type = "set_headway"
routes = ["Li-129"]
headway_min = 20
start = "16:00"
end = "18:00"
[[modification]]
type = "add_stop"
routes = ["Bu-129"]
station = "70162"
between = ["70142", "70172"]
dwell_min = 1
[[modification]]
type = "add_line"
id = "EXPRESS"
stations = ["70012", "70262"]
both_directions = false
run_min = 45
headways = [{ start = "07:00", end = "10:00", every_min = 30 }]
""", encoding="utf-8")
    out = tmp_path / "ct.zip"
    r = run_hbeu("scenario", "apply", str(scn), "--feed", str(caltrain_zip), "-o", str(out), "--json",
                 cache=tmp_path / "cache")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["after"]["routes"] == doc["before"]["routes"] + 1
    report = _validate(out)
    assert [n["code"] for n in report["notices"] if n["severity"] == "ERROR"] == []
    # caltrain has no timepoint column: the new line's calls used to add one, blank on every
    # existing call, which the canonical rules flag on each of them (thousands of new warnings)
    assert "missing_timepoint_value" not in {n["code"] for n in report["notices"]}
    with zipfile.ZipFile(out) as zf:
        header = zf.read("stop_times.txt").decode("utf-8").splitlines()[0].split(",")
    assert "timepoint" not in header


def test_invalid_scenario_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\n[[modification]]\ntype = "add_line"\nid = "X"\nstations = ["HHE", "Atlantis"]\n'
                   'run_min = 30\ndepartures = ["08:00"]\n', encoding="utf-8")
    r = run_hbeu("scenario", "apply", str(bad), "-o", str(tmp_path / "out.zip"), cache=tmp_path / "cache")
    assert r.returncode == 2
    assert r.stderr.strip() == (f"error: {bad} modification 1 (add_line) field 'stations': unknown station "
                                "'Atlantis' (give a stop_id or the exact station name)")
    assert not (tmp_path / "out.zip").exists()
    r = run_hbeu("scenario", "apply", "no-such-scenario", "-o", str(tmp_path / "out.zip"))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "shipped scenarios: all-planned" in r.stderr


# --------------------------------------------------------------------------- the cached scenario feed

def test_scenario_feed_path_is_cached_and_an_empty_scenario_compiles_to_the_same_timetable(tmp_path):
    import dataclasses

    import numpy as np

    from hbeu_transit.feed import default_feed_paths, load_feeds
    from hbeu_transit.scenario import scenario_feed_path
    from hbeu_transit.timetable import compile_timetable

    base = default_feed_paths()
    p = scenario_feed_path(base, [{"name": "empty"}], tmp_path)
    assert p.is_file() and p.parent.parent == tmp_path / "scenarios"

    def no_reload():
        raise AssertionError("the feeds were read again")

    assert scenario_feed_path(base, [{"name": "empty"}], tmp_path, loader=no_reload) == p
    # another scenario is another file
    assert scenario_feed_path(base, ["hohhot-baotou-hsr"], tmp_path) != p

    a, b = compile_timetable(load_feeds(base), "2026-12-02"), compile_timetable(load_feeds([p]), "2026-12-02")
    for f in dataclasses.fields(a):
        if f.name in ("feed_hash",):
            continue
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            assert np.array_equal(x, y), f.name
        else:
            assert x == y, f.name


# --------------------------------------------------------------------------- a scenario leaving no trip

def _two_route_feed(folder: Path) -> Path:
    from gtfs_factory import make_feed

    return make_feed(folder, stops=[("A", 40.0, 111.0), ("B", 40.1, 111.1)],
                     stop_times={"T1": [("A", "08:00:00", "08:00:00"), ("B", "08:30:00", "08:30:00")],
                                 "T2": [("B", "09:00:00", "09:00:00"), ("A", "09:30:00", "09:30:00")]},
                     routes=[{"route_id": r, "agency_id": "A", "route_short_name": r, "route_type": 3}
                             for r in ("R1", "R2")],
                     trips=[{"trip_id": "T1", "route_id": "R1"}, {"trip_id": "T2", "route_id": "R2"}])


def _remove(path: Path, name: str, key: str, ids: list[str]) -> Path:
    path.write_text(f'name = "{name}"\n[[modification]]\ntype = "remove_routes"\n{key} = {json.dumps(ids)}\n',
                    encoding="utf-8")
    return path


def test_a_scenario_removing_every_route_is_refused_before_anything_is_written(tmp_path, monkeypatch, capsys):
    """Found by helper edges4: `scenario apply` wrote a zip with no route and no trip (a feed
    no command can plan on: "no trip calls at 'A'"). The scenario that empties the feed is
    refused in one line naming it (the second of a chain here), the output left as it was."""
    from conftest import run_main

    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path / "cache"))
    feed = _two_route_feed(tmp_path / "f")
    first = _remove(tmp_path / "first.toml", "drop-r1", "routes", ["R1"])
    rest = _remove(tmp_path / "rest.toml", "drop-r2", "routes", ["R2"])
    trips = _remove(tmp_path / "trips.toml", "drop-trips", "trips", ["T1", "T2"])
    out = tmp_path / "out.zip"
    out.write_bytes(b"an older file")

    def hbeu(*args):
        return run_main(list(map(str, args)), monkeypatch, capsys)

    code, stdout, err = hbeu("scenario", "apply", first, rest, "-o", out, "--feed", feed)
    assert code == 2 and stdout == "", err
    assert err == (f"error: scenario 'drop-r2' ({rest}): removes every route of the feeds, leaving no trip "
                   "to plan on; keep at least one\n")
    code, stdout, err = hbeu("scenario", "apply", trips, "-o", out, "--feed", feed)
    assert code == 2 and err == (f"error: scenario 'drop-trips' ({trips}): removes every trip of the feeds, "
                                 "leaving no trip to plan on; keep at least one\n")
    assert out.read_bytes() == b"an older file"      # no temporary file left, no scenario feed cached
    assert {p.name for p in tmp_path.iterdir()} - {"cache"} == {"f", "first.toml", "out.zip", "rest.toml", "trips.toml"}
    assert [p.name for p in tmp_path.rglob("*.zip")] == ["out.zip"]
    code, stdout, err = hbeu("scenario", "check", first, rest, "--feed", feed)
    assert code == 2 and err.startswith("error: scenario 'drop-r2'") and err.count("\n") == 1, err
    code, stdout, err = hbeu("plan", "A", "B", "--scenario", rest, "--scenario", first, "--feed", feed,
                             "--date", "2024-05-15")
    assert code == 2 and err.startswith("error: scenario 'drop-r1'") and err.count("\n") == 1, err
    # one route left: written, with that route's one trip
    code, stdout, err = hbeu("scenario", "apply", first, "-o", out, "--feed", feed, "--json")
    assert code == 0, err
    assert json.loads(stdout)["after"]["routes"] == 1 and json.loads(stdout)["after"]["trips"] == 1
