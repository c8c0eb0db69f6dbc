"""`--areas FILE.csv` (stop_id,area) on the planner commands and `hbeu graph`.

The hand-made feed (tests/gtfs_factory.py, timezone UTC, every day of 2024; 2024-03-05 is a
Tuesday) has no areas, so without a CSV every station is its own:

    station Alpha A (platform A1), stops Bravo B, Charlie C, Delta D
    T1  A1 08:00 -> D 08:30
    T2  B  08:15 -> D 08:45
    T3  C  08:20 -> D 08:25

"Peninsula" = {A, B}: the earliest arrival at Delta after 07:00 is T1 from A1 (08:30; T2 only
reaches it 08:45). Regrouped as {B, C}: T3 from C, 08:20 -> 08:25.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import pin_now, run_cli_in_probe, run_main

from gtfs_factory import make_feed

DAY = "2024-03-05"


@pytest.fixture(scope="module")
def feed(tmp_path_factory) -> Path:
    stops = [
        {"stop_id": "A", "stop_name": "Alpha", "stop_lat": 0.0, "stop_lon": 0.0, "location_type": 1},
        {"stop_id": "A1", "stop_name": "Alpha", "stop_lat": 0.0, "stop_lon": 0.0, "location_type": 0,
         "parent_station": "A"},
        {"stop_id": "B", "stop_name": "Bravo", "stop_lat": 0.0, "stop_lon": 0.1},
        {"stop_id": "C", "stop_name": "Charlie", "stop_lat": 0.0, "stop_lon": 0.2},
        {"stop_id": "D", "stop_name": "Delta", "stop_lat": 0.0, "stop_lon": 0.3},
    ]
    return make_feed(tmp_path_factory.mktemp("areas") / "feed", stops=stops, stop_times={
        "T1": [("A1", "08:00:00", "08:00:00"), ("D", "08:30:00", "08:30:00")],
        "T2": [("B", "08:15:00", "08:15:00"), ("D", "08:45:00", "08:45:00")],
        "T3": [("C", "08:20:00", "08:20:00"), ("D", "08:25:00", "08:25:00")],
    })


@pytest.fixture
def hbeu(capsys, monkeypatch, tmp_path):
    """Run the CLI in-process like the console script: returns (exit code, stdout, stderr)."""
    pin_now(monkeypatch, f"{DAY}T05:00")
    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path / "cache"))  # for `hbeu graph`
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str):
        return run_main(list(args), monkeypatch, capsys)

    return run


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def plan_json(hbeu, feed, cache, areas, *extra):
    code, out, err = hbeu("plan", "Peninsula", "Delta", "--date", DAY, "--depart", "07:00", "--num", "1",
                          "--feed", feed, "--cache-dir", cache, "--areas", areas, "--json", *extra)
    assert code == 0, err
    return json.loads(out)


def test_plan_from_an_area_of_the_csv_and_regrouping_on_a_warm_cache(hbeu, feed, tmp_path):
    cache = tmp_path / "c"
    areas = write_csv(tmp_path / "areas.csv", "stop_id,area\nA,Peninsula\nB,Peninsula\n")
    d = plan_json(hbeu, feed, cache, areas)
    assert d["query"]["from"]["kind"] == "area"
    assert set(d["query"]["from"]["stop_ids"]) == {"A", "A1", "B"}
    (j,) = d["journeys"]
    assert j["legs"][0]["from_stop"] == "A1" and j["legs"][0]["trip"] == "T1"
    assert (j["departure"], j["arrival"]) == (f"{DAY}T08:00:00+00:00", f"{DAY}T08:30:00+00:00")
    assert plan_json(hbeu, feed, cache, areas)["journeys"] == d["journeys"]  # warm: the same

    write_csv(areas, "stop_id,area\nB,Peninsula\nC,Peninsula\n")  # regrouped, same path
    d = plan_json(hbeu, feed, cache, areas)
    assert set(d["query"]["from"]["stop_ids"]) == {"B", "C"}
    (j,) = d["journeys"]
    assert j["legs"][0]["from_stop"] == "C" and j["legs"][0]["trip"] == "T3"
    assert (j["departure"], j["arrival"]) == (f"{DAY}T08:20:00+00:00", f"{DAY}T08:25:00+00:00")
    assert len(list(cache.glob("places-*.idx"))) == 2  # one index per CSV content


def test_without_the_csv_the_area_is_unknown(hbeu, feed, tmp_path):
    code, _, err = hbeu("plan", "Peninsula", "Delta", "--date", DAY, "--feed", feed, "--cache-dir", tmp_path)
    assert code == 2 and "unknown station 'Peninsula'" in err


def test_stations_show_the_csv_city(hbeu, feed, tmp_path):
    areas = write_csv(tmp_path / "areas.csv", "stop_id,area\nA,Peninsula\nB,Peninsula\n")
    code, out, err = hbeu("stations", "--feed", feed, "--cache-dir", tmp_path, "--areas", areas, "--json")
    assert code == 0, err
    city = {s["stop_id"]: s["city"] for s in json.loads(out)["stations"]}
    assert city == {"A": "Peninsula", "B": "Peninsula", "C": "Charlie", "D": "Delta"}
    code, out, err = hbeu("stations", "peninsula", "--feed", feed, "--cache-dir", tmp_path, "--areas", areas, "--json")
    assert code == 0, err
    assert sorted(s["stop_id"] for s in json.loads(out)["stations"]) == ["A", "B"]


def test_departures_and_commute_take_the_area(hbeu, feed, tmp_path):
    areas = write_csv(tmp_path / "areas.csv", "stop_id,area\nA,Peninsula\nB,Peninsula\n")
    common = ("--date", DAY, "--feed", feed, "--cache-dir", tmp_path, "--areas", areas, "--json")
    code, out, err = hbeu("departures", "Peninsula", "--from", "07:00", *common)
    assert code == 0, err
    assert [(r["from_stop"], r["departure"][11:16]) for r in json.loads(out)["departures"]] == [
        ("A1", "08:00"), ("B", "08:15")]
    code, out, err = hbeu("commute", "Peninsula", "Delta", "--arrive-by", "08:40", "--days", "1", *common)
    assert code == 0, err
    d = json.loads(out)
    assert d["home"]["kind"] == "area"
    morning = d["days"][0]["morning"]["journey"]  # the latest arriving by 08:40: T1 (T2 is 08:45)
    assert morning["legs"][0]["from_stop"] == "A1" and morning["arrival"][11:16] == "08:30"


def test_graph_nodes_carry_the_csv_area(hbeu, feed, tmp_path):
    import networkx as nx

    areas = write_csv(tmp_path / "areas.csv", "stop_id,area\nA,Peninsula\nB,Peninsula\n")
    out = tmp_path / "net.graphml"
    code, _, err = hbeu("graph", "--feed", feed, "--date", DAY, "--areas", areas, "-o", out)
    assert code == 0, err
    g = nx.read_graphml(out)
    assert {n: g.nodes[n]["area"] for n in g.nodes} == {"A": "Peninsula", "B": "Peninsula", "C": "Charlie",
                                                         "D": "Delta"}
    code, _, err = hbeu("graph", "--feed", feed, "--date", DAY, "-o", out)  # without: its own area
    assert code == 0, err
    assert nx.read_graphml(out).nodes["A"]["area"] == "Alpha"


BAD = [
    ("stop_id,city\nA,Peninsula\n", "line 1: needs the columns stop_id and area"),
    ("stop_id,area\nA,Peninsula\nNOPE,Peninsula\n", "line 3 field stop_id: unknown stop_id 'NOPE'"),
    ("stop_id,area\nA,Peninsula\nB,  \n", "line 3 field area: empty area name"),
    # found by helper breaker3: an empty file was a pandas EmptyDataError traceback; a first row
    # with a cell more than the header was read with its stop_id as an index ("unknown stop_id
    # 'Peninsula'"); a stop listed twice went silently to its last area
    ("", "line 1: needs the columns stop_id and area"),
    ("stop_id,area\nA,Peninsula,x\n", "line 2: cannot be read as CSV: 3 cells where the header has 2"),
    ("stop_id,area\nA,Peninsula\nB,Peninsula\nA,Bay\n",
     "line 4 field stop_id: stop 'A' is listed twice, in 'Peninsula' (line 2) and 'Bay'"),
]


@pytest.mark.parametrize("command", [
    ("plan", "Peninsula", "Delta", "--date", DAY), ("stations",), ("departures", "Peninsula", "--date", DAY),
    ("commute", "Peninsula", "Delta", "--date", DAY), ("graph", "--date", DAY, "-o", "{tmp}/g.graphml")])
@pytest.mark.parametrize("text, message", BAD)
def test_bad_csv_is_one_line_exit_2(hbeu, feed, tmp_path, command, text, message):
    areas = write_csv(tmp_path / "bad.csv", text)
    args = [a.replace("{tmp}", str(tmp_path)) for a in command] + ["--feed", feed, "--areas", areas]
    if command[0] != "graph":
        args += ["--cache-dir", tmp_path / "c"]
    code, out, err = hbeu(*args)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [f"error: {areas} {message}"]


def test_missing_csv_is_one_line_exit_2(hbeu, feed, tmp_path):
    missing = tmp_path / "nope.csv"
    for args in (("plan", "Peninsula", "Delta", "--cache-dir", tmp_path), ("graph", "-o", tmp_path / "g.graphml")):
        code, _, err = hbeu(*args, "--date", DAY, "--feed", feed, "--areas", missing)
        assert code == 2
        assert err.strip().splitlines() == [f"error: {missing}: cannot read areas file (no such file)"]


def test_real_feed_without_areas_grouped_by_csv(hbeu, caltrain_zip, tmp_path):
    """Caltrain (no areas.txt): San Francisco (70011 NB, 70012 SB) and 22nd St (70021, 70022) as
    "Peninsula". Saturday train 422 leaves 70012 at 08:07, 70022 at 08:11 and reaches Palo Alto
    (70172) at 09:16 (stop_times.txt): leaving after 08:09, only 22nd St still catches it."""
    areas = write_csv(tmp_path / "areas.csv",
                      "stop_id,area\n70011,Peninsula\n70012,Peninsula\n70021,Peninsula\n70022,Peninsula\n")
    code, out, err = hbeu("plan", "Peninsula", "palo alto", "--date", "2017-07-15", "--depart", "08:09", "--num", "1",
                          "--feed", caltrain_zip, "--cache-dir", tmp_path, "--areas", areas, "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["query"]["from"]["kind"] == "area"
    assert set(d["query"]["from"]["stop_ids"]) == {"70011", "70012", "70021", "70022"}
    (j,) = d["journeys"]
    assert (j["legs"][0]["from_stop"], j["legs"][0]["to_stop"], j["legs"][0]["name"]) == ("70022", "70172", "422")
    assert (j["departure"], j["arrival"]) == ("2017-07-15T08:11:00-07:00", "2017-07-15T09:16:00-07:00")


def test_warm_plan_with_areas_does_not_import_pandas(hbeu, feed, tmp_path):
    areas = write_csv(tmp_path / "areas.csv", "stop_id,area\nA,Peninsula\nB,Peninsula\n")
    args = ["plan", "Peninsula", "Delta", "--date", DAY, "--depart", "07:00", "--num", "1", "--json",
            "--feed", str(feed), "--cache-dir", str(tmp_path / "c"), "--areas", str(areas)]
    assert hbeu(*args)[0] == 0  # fills the cache (in-process)
    r, heavy = run_cli_in_probe(args)
    assert r.returncode == 0, r.stderr
    assert heavy == []
    assert json.loads(r.stdout)["journeys"][0]["legs"][0]["from_stop"] == "A1"


def test_a_csv_joins_the_feeds_areas_by_name_in_any_case_or_by_id(tmp_path):
    """The feed's Fares v2 areas: Baotou (A_B) lists platform P1 of station ST, Hohhot (A_H)
    lists stop H. The CSV moves ST to "HOHHOT" (Hohhot, whatever the case: not a new city) with
    its platform P1, though the feed lists P1 under Baotou; Q to "A_B" (Baotou by its id, which
    keeps its name); R to Newtown, a new area."""
    from hbeu_transit.feed import load_feeds
    from hbeu_transit.feed.areas import stop_areas

    stops = [{"stop_id": "ST", "stop_name": "Station", "stop_lat": 0.0, "stop_lon": 0.0, "location_type": 1},
             {"stop_id": "P1", "stop_name": "Station 1", "stop_lat": 0.0, "stop_lon": 0.0, "parent_station": "ST"},
             *({"stop_id": s, "stop_name": s, "stop_lat": 0.0, "stop_lon": 0.1 * k} for k, s in enumerate("HQR", 1))]
    feed = make_feed(tmp_path / "f", stops=stops,
                     stop_times={"T1": [("P1", "08:00:00", "08:00:00"), ("H", "08:30:00", "08:30:00")],
                                 "T2": [("Q", "09:00:00", "09:00:00"), ("R", "09:30:00", "09:30:00")]},
                     areas=[{"area_id": "A_B", "area_name": "Baotou"}, {"area_id": "A_H", "area_name": "Hohhot"}],
                     stop_areas=[{"area_id": "A_B", "stop_id": "P1"}, {"area_id": "A_H", "stop_id": "H"}])
    csv = tmp_path / "areas.csv"
    csv.write_text("stop_id,area\nST,HOHHOT\nQ,A_B\nR,Newtown\n", encoding="utf-8")
    got = {r.stop_id: (r.area_id, r.area_name) for r in stop_areas(load_feeds([feed]), csv).itertuples()}
    assert got == {"ST": ("A_H", "Hohhot"), "P1": ("A_H", "Hohhot"), "H": ("A_H", "Hohhot"),
                   "Q": ("A_B", "Baotou"), "R": ("Newtown", "Newtown")}
