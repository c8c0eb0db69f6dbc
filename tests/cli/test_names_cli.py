"""Names and places through the CLI (issue 12): city aliases from the spec, no-match errors that
exit 2 with suggestions naming each place once, departures from a city.

Expected stations come from the spec tables (data/spec/stations.csv, bus_stops.csv), not from
the resolver: a city means every rail station of its area plus the bus stations not placed
under a rail station (those are platforms of it).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, run_main

SPEC = ROOT / "data" / "spec"
DAY = "2026-12-09"  # a Wednesday of the bundled feed


def city_stations(area: str, platforms: bool = False) -> set[str]:
    """The stations of a city in the spec; with ``platforms``, the bus stops under its rail
    stations too."""
    out = set()
    for name in ("stations.csv", "bus_stops.csv"):
        with open(SPEC / name, encoding="utf-8") as fh:
            out |= {r["stop_id"] for r in csv.DictReader(fh)
                    if r["area"] == area and (platforms or not r.get("near_station"))}
    return out


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("names-cache")


@pytest.fixture
def hbeu(cache, capsys, monkeypatch):
    monkeypatch.setenv("HBEU_CACHE_DIR", str(cache))
    monkeypatch.setenv("COLUMNS", "200")
    return lambda *args: run_main(list(args), monkeypatch, capsys)


@pytest.mark.parametrize("query,area", [
    ("Jining", "ULANQAB"), ("集宁", "ULANQAB"), ("Ulanqab", "ULANQAB"), ("Wulanchabu", "ULANQAB"),
    ("Dongsheng", "ORDOS"), ("东胜", "ORDOS"), ("Kangbashi", "ORDOS"), ("康巴什", "ORDOS"),
    ("呼市", "HOHHOT"), ("Huhhot", "HOHHOT"), ("包市", "BAOTOU")])
def test_city_names_and_aliases_mean_the_city(hbeu, query, area):
    code, out, err = hbeu("stations", query, "--json")
    assert code == 0, err
    assert {s["stop_id"] for s in json.loads(out)["stations"]} == city_stations(area)


def test_an_alias_plans_from_the_whole_city(hbeu):
    code, out, err = hbeu("plan", "Jining", "Kangbashi", "--date", DAY, "--depart", "08:00", "--json")
    assert code == 0, err
    q = json.loads(out)["query"]
    assert q["from"]["kind"] == q["to"]["kind"] == "area"
    assert {"JNN", "ULQ", "BUS_JN"} <= set(q["from"]["stop_ids"])
    assert {"ORD", "DSX", "DSD", "BUS_DSS"} <= set(q["to"]["stop_ids"])


def test_station_names_are_not_taken_by_an_alias(hbeu):
    code, out, err = hbeu("stations", "Jining South", "--json")
    assert code == 0, err
    assert [s["stop_id"] for s in json.loads(out)["stations"]] == ["JNN"]
    code, out, err = hbeu("stations", "东胜西", "--json")
    assert [s["stop_id"] for s in json.loads(out)["stations"]] == ["DSX"]


def test_aliases_apply_only_to_feeds_with_the_city(hbeu, caltrain_zip):
    code, out, err = hbeu("stations", "Jining", "--feed", caltrain_zip)
    assert code == 2 and out == "" and "unknown station 'Jining'" in err


@pytest.mark.parametrize("command", [("stations",), ("stations", "--json"), ("departures",), ("circle",)])
def test_a_name_matching_nothing_exits_2_with_suggestions(hbeu, command):
    code, out, err = hbeu(command[0], "Atlantis", *command[1:])
    assert code == 2 and out == ""
    assert err.startswith("error: unknown station 'Atlantis'") and err.count("\n") == 1
    assert "did you mean" in err


def test_suggestions_name_each_place_once(hbeu):
    code, _, err = hbeu("plan", "Salaqqqi Xyz", "Hohhot")
    assert code == 2
    sugg = err.split("did you mean: ", 1)[1].rstrip("?\n").split("; ")
    assert "萨拉齐 Salaqi (Tumed Right Banner) [SLQ]" in sugg
    assert len(sugg) == len(set(sugg))
    for s in sugg:  # no "(Tumed Right Banner) (Tumed Right Banner)"
        parts = re.findall(r"\(([^()]*)\)", s)
        assert len(parts) == len(set(parts)), s
    # the label is accepted back, without its id too
    code, out, err = hbeu("stations", "萨拉齐 Salaqi (Tumed Right Banner)", "--json")
    assert code == 0 and [s["stop_id"] for s in json.loads(out)["stations"]] == ["SLQ"]


def test_departures_from_a_city_leave_it(hbeu):
    """Every row of a city's board reaches a stop outside the city; the station boards show the
    trips that stay inside (so the filter removed something real)."""
    code, out, err = hbeu("departures", "包头", "--date", DAY, "--json")
    assert code == 0, err
    rows = json.loads(out)["departures"]
    inside = city_stations("BAOTOU", platforms=True)
    assert rows
    for r in rows:
        assert r["destination_stop"].split("_P")[0] not in inside, r
    # a station's own board keeps the trips ending in the city (Baotou East -> Baotou: D6751...)
    code, out, err = hbeu("departures", "BTD", "--date", DAY, "--json")
    ends = {r["destination_stop"].split("_P")[0] for r in json.loads(out)["departures"]}
    assert ends & inside


def freq_rows(hbeu, *args: str) -> list[dict[str, str]]:
    code, out, err = hbeu("freq", "--by", "od", "--date", DAY, "--format", "csv", *args)
    assert code == 0, err
    return list(csv.DictReader(out.splitlines()))


def test_freq_takes_the_names_every_command_takes(hbeu):
    """--origin/--destination by alias and English station name select the same rows as the
    unfiltered table shows for those places (freq once accepted only ids and Chinese names)."""
    every = freq_rows(hbeu)
    want = [r for r in every if r["origin"] == "Hohhot" and r["destination"] in ("Ulanqab", "Ordos")]
    assert len(want) == 2
    assert freq_rows(hbeu, "--origin", "呼市", "--destination", "Jining,Kangbashi") == want
    stations = freq_rows(hbeu, "--stations")
    want = [r for r in stations if r["origin_id"] == "BTD"]
    assert want and freq_rows(hbeu, "--stations", "--origin", "Baotou East") == want
    code, out, err = hbeu("freq", "--by", "od", "--date", DAY, "--origin", "Atlantis")
    assert code == 2 and "unknown station 'Atlantis'" in err and "did you mean" in err


ULANQAB = city_stations("ULANQAB")
ONE_HOUR = ("--date", DAY, "--window", "07:00-08:00", "--json")


@pytest.mark.parametrize("args,place", [
    (("plan", "集宁", "Hohhot", "--date", DAY, "--depart", "08:00", "--json"), lambda d: d["query"]["from"]),
    (("departures", "集宁", "--date", DAY, "--json"), lambda d: d["station"]),
    (("commute", "集宁", "Hohhot", "--date", DAY, "--days", "1", "--json"), lambda d: d["home"]),
    (("circle", "集宁", *ONE_HOUR), lambda d: d["parameters"]["origin"])])
def test_every_command_resolves_an_alias_to_the_city(hbeu, args, place):
    code, out, err = hbeu(*args)
    assert code == 0, err
    p = place(json.loads(out))
    assert p["kind"] == "area" and ULANQAB <= set(p["stop_ids"])


def test_coverage_takes_aliases(hbeu):
    code, out, err = hbeu("coverage", "--origin", "呼市", "--destination", "Jining", *ONE_HOUR)
    assert code == 0, err
    assert [(p["origin"], p["destination"]) for p in json.loads(out)["pairs"]] == [("Hohhot", "Ulanqab")]
