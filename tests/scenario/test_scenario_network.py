"""Scenarios through the front door: ``Network.with_scenario`` and ``--scenario`` on plan and freq.

Expected figures come from the scenario file, worked out by hand: the Hohhot–Baotou HSR runs
Hohhot East -> Baotou East 150 km at 350 km/h + 4 min = 30 min (rounded), 2 min dwell, Baotou
East -> Baotou 17 km at 350 km/h + 4 min = 7 min; every 30 min 06:30-21:30 (31 trains a way).
"""

from __future__ import annotations

import json

import pytest

from conftest import run_hbeu
from hbeu_transit import Network

DAY = "2026-12-02"


@pytest.fixture(scope="module")
def nets(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    net = Network(cache_dir=cache)
    return net, net.with_scenario("hohhot-baotou-hsr")


def test_with_scenario_gives_a_new_network_with_the_new_line(nets):
    net, hsr = nets
    assert hsr.scenarios == ["hohhot-baotou-hsr"] and net.scenarios == []
    assert net.paths != hsr.paths and len(hsr.paths) == 1
    j = hsr.plan("Baotou", "Hohhot East", date=DAY, depart="10:00", num=1).journeys[0]
    # G8802...: up trains leave Baotou at 06:30 + k*30 min, Baotou East 7 + 2 min later; the 10:00
    # reaches Hohhot East at 10:39. Boarding at the city's last station it calls at (Baotou East,
    # 10:09) is the same train with the shortest ride: 30 min
    rides = [leg for leg in j.legs if leg.trip]
    assert [leg.name for leg in rides] == ["G8816"] and rides[0].from_name_en.startswith("Baotou East")
    assert j.duration_min == 30
    before = net.plan("Baotou", "Hohhot East", date=DAY, depart="10:00", num=1).journeys[0]
    assert before.duration_min > 39 and not any(leg.name.startswith("G88") for leg in before.legs if leg.trip)


def test_with_scenario_from_a_dict_and_chained(nets):
    net, hsr = nets
    faster = hsr.with_scenario({"name": "faster", "modification": [
        {"type": "speed_up", "routes": ["R_G_HB_HSR"], "from": "HHE", "to": "BTD", "run_min": 25}]})
    assert faster.scenarios == ["hohhot-baotou-hsr", "faster"]
    j = faster.plan("Baotou", "Hohhot East", date=DAY, depart="10:00", num=1).journeys[0]
    assert j.duration_min == 25                     # boarding at Baotou East, as above


def test_freq_and_plan_take_scenario_options(tmp_path):
    args = ["freq", "--by", "od", "--date", DAY, "--origin", "Hohhot", "--destination", "Baotou", "--combine",
            "--modes", "rail", "--format", "json"]
    before = json.loads(run_hbeu(*args, cache=tmp_path).stdout)["rows"][0]
    r = run_hbeu(*args, "--scenario", "hohhot-baotou-hsr", cache=tmp_path)
    assert r.returncode == 0, r.stderr
    after = json.loads(r.stdout)["rows"][0]
    assert after["departures_per_day"] == before["departures_per_day"] + 31
    assert after["fastest_min"] == 30.0 and before["fastest_min"] > 30
    r = run_hbeu("plan", "Baotou", "Hohhot East", "--date", DAY, "--depart", "10:00", "--num", "1", "--json",
                 "--scenario", "hohhot-baotou-hsr", cache=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["journeys"][0]["duration_min"] == 30   # from Baotou East, as above


def test_bad_scenario_option_is_one_line_exit_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\n[[modification]]\ntype = "thin"\nroutes = ["NOPE"]\nkeep_every = 2\n',
                   encoding="utf-8")
    r = run_hbeu("plan", "Baotou", "Hohhot", "--scenario", str(bad), cache=tmp_path)
    assert r.returncode == 2
    assert r.stderr.startswith(f"error: {bad} modification 1 (thin) field 'routes': unknown route 'NOPE'")
    assert r.stderr.count("\n") == 1
