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


def _named_twice(candidate: str) -> bool:
    """"Millbrae Caltrain (Millbrae Caltrain)": a name followed by itself in parentheses."""
    return re.search(r"(^|; )(?P<n>[^;()\[\]]+?) \((?P=n)\)", candidate) is not None


@pytest.mark.parametrize("query,stop_ids", [("Mlbrae", {"70061", "70062"}),          # misspelt: did you mean
                                           ("S Bruno", {"70051", "70052"})])
def test_suggestions_in_a_feed_without_cities_name_each_station_once(hbeu, caltrain_zip, query, stop_ids):
    """Caltrain has no areas: each stop is its own place, named as itself. A suggestion is the
    station's name once (not "NAME (NAME)", the name repeated as its city), and is accepted back."""
    code, _, err = hbeu("plan", query, "Palo Alto Caltrain", "--feed", str(caltrain_zip))
    assert code == 2
    sugg = err.split("did you mean: ", 1)[1].rstrip("?\n").split("; ")
    assert sugg and not any(_named_twice(s) for s in sugg), sugg
    assert len(sugg) == len(set(sugg))
    code, out, err = hbeu("stations", sugg[0], "--json", "--feed", str(caltrain_zip))
    assert code == 0, err
    assert {s["stop_id"] for s in json.loads(out)["stations"]} == stop_ids


def test_an_ambiguous_name_in_a_feed_without_cities_lists_each_candidate_once(hbeu, caltrain_zip):
    code, _, err = hbeu("plan", "Caltrain", "Palo Alto Caltrain", "--feed", str(caltrain_zip))
    assert code == 2 and "matches several places: " in err
    listed = err.split("matches several places: ", 1)[1].split(" … ")[0].split(". Name")[0].split("; ")
    assert len(listed) == 12 and len(set(listed)) == 12
    assert not any(_named_twice(c) for c in listed), listed


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
    want = [r for r in every if r["origin_en"] == "Hohhot" and r["destination_en"] in ("Ulanqab", "Ordos")]
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


@pytest.mark.parametrize("args", [
    ("plan", "Baotuo", "Hohot", "--date", DAY, "--depart", "08:00"),
    ("circle", "Baotuo", "--date", DAY, "--window", "07:00-08:00", "--by", "area"),
    ("coverage", "--origin", "Baotuo", "--destination", "Hohot", "--date", DAY, "--window", "07:00-08:00"),
    ("coverage", "--origin", "Baotuo", "--destination", "Hohot", *ONE_HOUR),
    ("coverage", "--compare", "hohhot-baotou-hsr", "--origin", "Baotuo", "--destination", "Hohot", *ONE_HOUR),
    ("freq", "--by", "od", "--date", DAY, "--origin", "Baotuo", "--destination", "Hohot"),
    ("freq", "--by", "od", "--date", DAY, "--origin", "Baotuo", "--destination", "Hohot", "--format", "csv")])
def test_a_forgiven_typo_is_said_by_every_command(hbeu, args):
    """README: "small typos are forgiven (with a note)", and every command reads a place the same
    way. coverage (--compare too) and freq --origin/--destination once took 'Baotuo' for Baotou
    silently: a user who mistyped a place they did not know could not tell what was measured."""
    code, out, err = hbeu(*args)
    assert code == 0, err
    notes = [line for line in err.splitlines() if line.startswith("note: no station is called")]
    want = {"note: no station is called 'Baotuo'; using 包头 Baotou (any of 5 stations)"}
    if "Hohot" in args:
        want.add("note: no station is called 'Hohot'; using 呼和浩特 Hohhot (any of 4 stations)")
    assert sorted(notes) == sorted(want), err
    if "--json" in args:
        assert set(json.loads(out)["notes"]) >= {n.removeprefix("note: ") for n in want}


# --------------------------------------------------------------------------- commute days


def commute(hbeu, *args: str) -> dict:
    code, out, err = hbeu("commute", "Baotou", "Hohhot East", *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_commute_days_are_weekdays_by_default(hbeu):
    d = commute(hbeu, "--date", "2026-12-11", "--days", "3")   # a Friday
    assert [x["date"] for x in d["days"]] == ["2026-12-11", "2026-12-14", "2026-12-15"]
    d = commute(hbeu, "--date", "2026-12-11", "--days", "3", "--all-days")
    assert [x["date"] for x in d["days"]] == ["2026-12-11", "2026-12-12", "2026-12-13"]
    d = commute(hbeu, "--date", "2026-12-12", "--days", "1")   # a Saturday: Monday
    assert [x["date"] for x in d["days"]] == ["2026-12-14"]
    assert any("2026-12-12" in n and "2026-12-14" in n for n in d["notes"])


def test_commute_past_the_feeds_end_says_so(hbeu):
    code, out, err = hbeu("info", "--json")
    end = json.loads(out)["service_end"]
    assert end == "2027-12-31"  # a Friday
    d = commute(hbeu, "--date", "2027-12-29", "--days", "5")
    assert [x["date"] for x in d["days"]] == ["2027-12-29", "2027-12-30", "2027-12-31"]
    assert any("only 3 of the 5" in n and end in n for n in d["notes"])
    code, _, err = hbeu("commute", "Baotou", "Hohhot East", "--date", "2027-12-29", "--days", "5")
    assert code == 0 and "only 3 of the 5" in err


def test_commute_table_names_every_column_and_the_alternative_train(hbeu):
    d = commute(hbeu, "--date", "2026-12-11", "--days", "1")
    alt = d["days"][0]["morning"]["alternative"]
    train = " → ".join(leg["name"] for leg in alt["legs"] if leg["trip"])
    code, out, err = hbeu("commute", "Baotou", "Hohhot East", "--date", "2026-12-11", "--days", "1")
    assert code == 0, err
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("┃"))
    assert all(cell.strip() for cell in header.strip("┃").split("┃")), header
    row = next(line for line in lines if "to work" in line)
    assert train in row and alt["departure"][11:16] in row


# --------------------------------------------------------------------------- info / stations


@pytest.mark.parametrize("feed", [None, "caltrain"])
def test_info_and_stations_count_stations_alike_with_iso_dates(hbeu, feed, caltrain_zip):
    extra = ("--feed", str(caltrain_zip)) if feed else ()
    code, out, err = hbeu("info", *extra, "--json")
    assert code == 0, err
    info = json.loads(out)
    code, out, err = hbeu("stations", *extra, "--json")
    assert code == 0, err
    assert info["stations"] == len(json.loads(out)["stations"])
    assert "parent station" in info["stations_counted"]
    if feed is None:  # the spec: every rail station and every bus station not under a rail station
        spec = set().union(*(city_stations(a) for a in {r["area_id"] for r in csv.DictReader(
            open(SPEC / "areas.csv", encoding="utf-8"))}))
        assert info["stations"] == len(spec) == 30
    iso = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    dates = [f[k] for f in info["feeds"] for k in ("start_date", "end_date") if f[k] is not None]
    dates += [info["service_start"], info["service_end"], info["date"]]
    assert all(iso.match(d) for d in dates), dates
    code, out, _ = hbeu("info", *extra)
    assert "parent station" in " ".join(out.split())
    for d in dates:
        assert d in out or d == info["date"]
    code, out, _ = hbeu("stations", *extra)
    assert "parent station" in " ".join(out.split())


# --------------------------------------------------------------------------- version, missing feed, generated_at


def test_version(hbeu):
    import tomllib

    want = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    code, out, err = hbeu("--version")
    assert (code, out, err) == (0, f"hbeu {want}\n", "")


@pytest.mark.parametrize("args", [("plan", "A", "B"), ("departures", "A"), ("commute", "A", "B"), ("stations",),
                                  ("info",), ("freq",), ("graph", "-o", "{tmp}/g.graphml"), ("circle", "A"),
                                  ("coverage",), ("validate",)])
def test_one_wording_for_a_missing_feed(hbeu, args, tmp_path):
    missing = tmp_path / "nope.zip"
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if args[0] == "validate":  # a report of notices: the same words, in its file and message fields
        code, out, err = hbeu(*argv, str(missing), "--json")
        (n,) = json.loads(out)["notices"]
        assert code == 2 and f"{n['file']}: {n['message']}" == f"{missing}: no such file or folder"
        return
    code, out, err = hbeu(*argv, "--feed", str(missing))
    assert (code, out) == (2, "")
    assert err == f"error: {missing}: no such file or folder\n"


def test_generated_at_is_in_the_agency_timezone(hbeu, monkeypatch, caltrain_zip):
    from conftest import pin_now

    pin_now(monkeypatch, "2026-12-09T08:30:05")
    code, out, err = hbeu("freq", "--by", "hour", "--date", "2026-12-09", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["metadata"]["generated_at"] == "2026-12-09T08:30:05+08:00"
    code, out, err = hbeu("freq", "--by", "hour", "--date", "2018-03-07", "--feed", str(caltrain_zip),
                          "--format", "json")
    assert code == 0, err
    assert json.loads(out)["metadata"]["generated_at"] == "2026-12-09T08:30:05-08:00"


# --------------------------------------------------------------------------- --areas


def test_areas_file_changes_only_the_stops_it_lists(hbeu, tmp_path):
    """SLQ joins Baotou (the feed's area of that name), CSQ and the Jining bus station make a new
    area; every other stop keeps the feed's grouping (Hohhot untouched, Ulanqab loses one)."""
    areas = tmp_path / "areas.csv"
    areas.write_text("stop_id,area\nSLQ,Baotou\nCSQ,Tumed\nBUS_JN,Tumed\n", encoding="utf-8")

    def listed(name: str) -> set[str]:
        code, out, err = hbeu("stations", name, "--areas", str(areas), "--json")
        assert code == 0, err
        return {s["stop_id"] for s in json.loads(out)["stations"]}

    assert listed("Baotou") == city_stations("BAOTOU") | {"SLQ"}
    assert listed("Hohhot") == city_stations("HOHHOT")
    assert listed("Ulanqab") == city_stations("ULANQAB") - {"BUS_JN"}
    assert listed("Tumed") == {"CSQ", "BUS_JN"}
    rows = freq_rows(hbeu, "--areas", str(areas), "--origin", "Tumed")
    assert rows and {r["origin"] for r in rows} == {"Tumed"}
    code, out, err = hbeu("plan", "Tumed", "Jining", "--date", DAY, "--depart", "08:00", "--areas", str(areas), "--json")
    assert code == 0, err
    q = json.loads(out)["query"]
    assert {"CSQ", "BUS_JN"} <= set(q["from"]["stop_ids"]) and "BUS_JN" not in q["to"]["stop_ids"]


# --------------------------------------------------------------------------- router options


@pytest.mark.parametrize("args,query", [
    (("plan", "Baotou", "Hohhot", "--date", DAY, "--depart", "07:00", "--json"), lambda d: d["query"]),
    (("circle", "Baotou", *ONE_HOUR), lambda d: d["parameters"]),
    (("coverage", "--origin", "Baotou", "--destination", "Hohhot", *ONE_HOUR), lambda d: d["parameters"])])
def test_router_options_reach_the_network(hbeu, args, query):
    code, out, err = hbeu(*args, "--modes", "bus", "--max-transfers", "0", "--transfer-minutes", "7",
                          "--walk-meters", "150")
    assert code == 0, err
    q = query(json.loads(out))
    assert (q["modes"], q["max_transfers"]) == (["bus"], 0)
    if args[0] != "plan":  # a plan's query does not record them
        assert (q["transfer_minutes"], q["walk_meters"]) == (7, 150)


def test_commute_takes_the_router_options(hbeu):
    d = commute(hbeu, "--date", DAY, "--days", "1", "--modes", "bus", "--max-transfers", "0")
    legs = [leg for part in ("morning", "evening") for j in d["days"][0][part].values() if j for leg in j["legs"]]
    assert legs and all(leg["mode"] in ("bus", "walk", "transfer") for leg in legs)
    assert all(j["transfers"] == 0 for part in ("morning", "evening") for j in d["days"][0][part].values() if j)


def test_router_options_are_declared_once():
    """plan, commute, circle and coverage take them through cli.common.router_options."""
    import typer.main

    from hbeu_transit.cli.app import app

    cmd = typer.main.get_command(app)
    for name in ("plan", "commute", "circle", "coverage"):
        flags = {o for p in cmd.commands[name].params for o in p.opts}
        assert {"--max-transfers", "--modes", "--transfer-minutes", "--walk-meters"} <= flags, name
    for module in ("plan", "circle", "coverage"):
        text = (ROOT / "hbeu_transit" / "cli" / f"{module}.py").read_text(encoding="utf-8")
        assert "--max-transfers" not in text and "--walk-meters" not in text, module


@pytest.mark.parametrize("args", [("info",), ("info", "--json"), ("graph", "--json"), ("freq", "--by", "route"),
                                  ("freq", "--by", "route", "--format", "csv"), ("circle", "STAGECOACH", "--json"),
                                  ("departures", "STAGECOACH")])
def test_every_command_words_its_notes_alike(hbeu, sample_zip, args):
    """The sample feed ended in 2010, so each command says which date it used instead of today,
    as one 'note: ...' line on standard error whatever it prints on standard output (info and
    graph printed the bare sentence, info not at all with --json, freq only for tables)."""
    code, out, err = hbeu(*args, "--feed", str(sample_zip))
    assert code == 0, err
    assert err.splitlines() == ["note: the feed's service ended 2010-12-31; using its first service date 2007-01-01"]


@pytest.mark.parametrize("args", [("info",), ("graph", "--json"), ("freq", "--by", "od"), ("stations",),
                                  ("scenario", "check", "hohhot-baotou-hsr"),
                                  ("scenario", "apply", "hohhot-baotou-hsr", "-o", "{tmp}/s.zip")])
def test_every_command_that_caches_takes_cache_dir(hbeu, tmp_path, monkeypatch, args):
    """README: the cache is under $HBEU_CACHE_DIR, or --cache-dir. info, graph, freq and
    scenario apply/check write there too (the feed checks' verdict, timetables, frequency
    arrays) but had no --cache-dir ("No such option"), so their cache could not be moved."""
    env, own = tmp_path / "env", tmp_path / "own"
    monkeypatch.setenv("HBEU_CACHE_DIR", str(env))
    code, out, err = hbeu(*(a.format(tmp=tmp_path) for a in args), "--cache-dir", str(own))
    assert code == 0, err
    assert any(p.is_file() for p in own.rglob("*")) and not env.exists()


@pytest.mark.parametrize("query", [" ", "   ", "\t"])
def test_a_blank_stations_query_lists_every_station(hbeu, query):
    """`hbeu stations ""` lists every station; a query of spaces (a quoted variable left empty)
    ended in a 2,000-character error claiming "stop_id '' is 'BTD' or 'BUS_CC_DH' or ... in
    the merged feeds" (every unprefixed id ends in an empty prefix-less part)."""
    code, every, err = hbeu("stations", "--json")
    assert code == 0, err
    code, out, err = hbeu("stations", query, "--json")
    assert code == 0 and err == "", err
    assert json.loads(out) == json.loads(every)


@pytest.mark.parametrize("blank", ["", ",", " , "])
def test_coverage_takes_a_blank_place_list_as_freq_does(hbeu, blank):
    """freq --origin '' (an empty shell variable) counts every origin; coverage said "no pair of
    places to measure: --origin and --destination are the same one place ('Baotou', 'Hohhot',
    'Ordos', 'Ulanqab')", four places. Both now read a blank list as none given."""
    code, every, err = hbeu("coverage", *ONE_HOUR)
    assert code == 0, err
    pairs = lambda doc: [(p["origin"], p["destination"]) for p in json.loads(doc)["pairs"]]  # noqa: E731
    code, out, err = hbeu("coverage", "--origin", blank, *ONE_HOUR)
    assert code == 0, err
    assert pairs(out) == pairs(every) and len(pairs(every)) == 12
    code, out, err = hbeu("coverage", "--origin", f"{blank}Hohhot", "--destination", blank, *ONE_HOUR)
    assert code == 0, err
    assert pairs(out) == [p for p in pairs(every) if p[0] == "Hohhot"]
