"""`hbeu coverage --compare` and `--scenario` on circle/coverage, on a hand-made feed.

Feed: stations A and B 40 km apart, a slow train A->B->A every hour 06:00-09:00 taking 60 min.
Scenario: a new line A-B with a 25-minute run time every 30 min from 06:00. Expected by hand:
the fastest A->B (and B->A) falls from 60 to 25 minutes (delta -35), and with --within 30 the
pair enters the circle.
"""

from __future__ import annotations

import json

from conftest import run_hbeu
from gtfs_factory import make_feed

SCENARIO = """name = "fast-ab"
[[modification]]
type = "add_line"
id = "FAST"
stations = ["A", "B"]
run_min = 25
headways = [{ start = "06:00", end = "10:00", every_min = 30 }]
"""


def _feed(tmp_path):
    st = {}
    for k, h in enumerate(range(6, 10)):
        st[f"S{k}"] = [("A", f"{h:02d}:00:00", f"{h:02d}:00:00"), ("B", f"{h + 1:02d}:00:00", f"{h + 1:02d}:00:00")]
        st[f"R{k}"] = [("B", f"{h:02d}:10:00", f"{h:02d}:10:00"), ("A", f"{h + 1:02d}:10:00", f"{h + 1:02d}:10:00")]
    feed = make_feed(tmp_path / "f", stops=[("A", 40.0, 110.0), ("B", 40.0, 110.47)], stop_times=st)
    scn = tmp_path / "fast.toml"
    scn.write_text(SCENARIO, encoding="utf-8")
    return feed, scn


def test_compare_shows_the_minutes_a_faster_line_saves(tmp_path):
    feed, scn = _feed(tmp_path)
    png = tmp_path / "cmp.png"
    r = run_hbeu("coverage", "--feed", str(feed), "--date", "2024-03-05", "--window", "06:00-09:00", "--within", "30",
                 "--compare", str(scn), "--json", "--png", str(png), cache=tmp_path / "cache")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["parameters"]["scenarios"] == ["fast-ab"]
    pairs = {(p["origin"], p["destination"]): p for p in doc["pairs"]}
    assert set(pairs) == {("A", "B"), ("B", "A")}
    for p in pairs.values():
        assert p["before"]["fastest_min"] == 60.0 and p["after"]["fastest_min"] == 25.0
        assert p["delta"]["fastest_min"] == -35.0
        assert p["change"] == "enters" and not p["before"]["in_circle"] and p["after"]["in_circle"]
    assert doc["summary"]["entered"] == ["A -> B", "B -> A"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_scenario_option_on_circle_and_coverage(tmp_path):
    feed, scn = _feed(tmp_path)
    base = ["--feed", str(feed), "--date", "2024-03-05", "--window", "06:00-09:00", "--json"]
    r = run_hbeu("circle", "A", *base, "--scenario", str(scn), cache=tmp_path / "cache")
    assert r.returncode == 0, r.stderr
    row = next(p for p in json.loads(r.stdout)["pairs"] if p["destination"] == "B")
    assert row["fastest_min"] == 25.0
    r = run_hbeu("coverage", *base, cache=tmp_path / "cache")
    assert r.returncode == 0, r.stderr
    assert {p["fastest_min"] for p in json.loads(r.stdout)["pairs"]} == {60.0}
