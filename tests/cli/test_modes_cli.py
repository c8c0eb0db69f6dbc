"""`--modes` takes every mode name the tool itself prints (journey legs, `info`, freq tables and
their --json), and an unknown name is one line listing the accepted names once.

A hand-made feed has a conventional train (route_type 2), a high-speed train (101) and a bus
(3) between the same two stops, so each name's selection is checked against routes.txt."""

from __future__ import annotations

import json

import pytest

from conftest import run_main
from gtfs_factory import make_feed

ROUTES = {"IC": 2, "G1": 101, "B7": 3}     # route_id -> route_type
DAY = "2024-05-15"


@pytest.fixture(scope="module")
def mixed_feed(tmp_path_factory):
    trips = {f"{r}-{k}": r for r in ROUTES for k in range(2)}
    def hm(minutes: int) -> str:
        return f"{minutes // 60:02d}:{minutes % 60:02d}:00"

    stop_times = {t: [("A", hm(480 + 15 * i), hm(480 + 15 * i)), ("B", hm(510 + 15 * i), hm(510 + 15 * i))]
                  for i, t in enumerate(trips)}
    return make_feed(tmp_path_factory.mktemp("modes") / "feed",
                     stops=[("A", 0.0, 0.0), ("B", 0.0, 0.2)], stop_times=stop_times,
                     routes=[{"route_id": r, "agency_id": "A", "route_short_name": r, "route_type": t}
                             for r, t in ROUTES.items()],
                     trips=[{"trip_id": t, "route_id": r} for t, r in trips.items()])


@pytest.fixture
def hbeu(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path))
    return lambda *args: run_main(list(args), monkeypatch, capsys)


def _printed_modes(hbeu, feed) -> set[str]:
    """Every mode name the tool prints about ``feed``: info's tables, journey legs and the
    journey table's short names, freq's route and hour tables (their --json)."""
    names: set[str] = set()
    code, out, err = hbeu("info", "--json", "--feed", str(feed), "--date", DAY)
    assert code == 0, err
    info = json.loads(out)
    names |= set(info["routes_by_mode"]) | set(info["trips_on_date_by_mode"])
    code, out, err = hbeu("plan", "A", "B", "--json", "--all-day", "--num", "9", "--feed", str(feed), "--date", DAY)
    assert code == 0, err
    names |= {leg["mode"] for j in json.loads(out)["journeys"] for leg in j["legs"]}
    code, out, err = hbeu("plan", "A", "B", "--all-day", "--num", "9", "--feed", str(feed), "--date", DAY)
    assert code == 0, err
    names |= {w for w in ("HSR",) if w in out.split()}
    code, out, err = hbeu("freq", "--by", "route", "--json", "--feed", str(feed), "--date", DAY)
    assert code == 0, err
    names |= {r["mode"] for r in json.loads(out)["rows"]}
    code, out, err = hbeu("freq", "--by", "hour", "--json", "--feed", str(feed), "--date", DAY)
    assert code == 0, err
    names |= set(json.loads(out)["metadata"]["mode_columns"])
    return names


def test_every_printed_mode_name_is_accepted_and_selects_its_routes(hbeu, mixed_feed):
    printed = _printed_modes(hbeu, mixed_feed)
    assert {"rail", "high_speed_rail", "bus", "HSR"} <= printed, printed
    for name in sorted(printed):
        family = {"high_speed_rail": "rail", "hsr": "rail"}.get(name.lower(), name.lower())
        # the routes this name stands for, from routes.txt: its mode, or (rail) any train
        want = {r for r, t in ROUTES.items()
                if name.lower() in ({"rail"} if t == 2 else {"rail", "high_speed_rail", "hsr"} if t == 101 else {"bus"})}
        code, out, err = hbeu("freq", "--by", "route", "--json", "--modes", name, "--feed", str(mixed_feed),
                              "--date", DAY)
        assert code == 0, (name, err)
        rows = json.loads(out)["rows"]
        assert {r["route_id"] for r in rows} == want, name
        assert {r["mode"] for r in rows} <= {family}
        code, out, err = hbeu("plan", "A", "B", "--json", "--all-day", "--num", "9", "--modes", name,
                              "--feed", str(mixed_feed), "--date", DAY)
        assert code == 0, (name, err)
        used = {leg["route"] for j in json.loads(out)["journeys"] for leg in j["legs"] if leg.get("route")}
        assert used == want, name


@pytest.mark.parametrize("command", [["plan", "A", "B"], ["freq"], ["departures", "A"], ["circle", "A"]])
def test_an_unknown_mode_lists_the_accepted_names_once(hbeu, mixed_feed, command):
    code, out, err = hbeu(*command, "--modes", "rail,hovercraft", "--feed", str(mixed_feed), "--date", DAY)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "'hovercraft'" in err, err
    for name in ("rail", "high_speed_rail", "bus", "tram", "ferry", "other"):
        assert err.count(f" {name},") + err.count(f" {name}\n") == 1, (name, err)


@pytest.fixture(scope="module")
def bus_feed(tmp_path_factory):
    """Two stops and two buses (the default route "R", route_type 3): no train at all."""
    return make_feed(tmp_path_factory.mktemp("bus") / "feed", stops=[("A", 0.0, 0.0), ("B", 0.0, 0.02)],
                     stop_times={"T1": [("A", "08:00:00", "08:00:00"), ("B", "08:20:00", "08:20:00")],
                                 "T2": [("B", "18:30:00", "18:30:00"), ("A", "18:50:00", "18:50:00")]})


MODE_COMMANDS = [["plan", "A", "B"], ["departures", "A"], ["commute", "A", "B"], ["circle", "A"],
                 ["coverage"], ["freq", "--by", "route"]]


@pytest.mark.parametrize("command", MODE_COMMANDS, ids=lambda c: c[0])
def test_modes_the_feed_does_not_have_are_noted_with_the_modes_it_has(hbeu, bus_feed, mixed_feed, command):
    def mode_notes(err: str) -> list[str]:
        assert all(line.startswith("note:") for line in err.splitlines()), err   # notes only, no error
        return [line for line in err.splitlines() if "modes" in line]

    # a bus-only feed asked for trains: an empty answer, and one note saying why (it has buses)
    code, out, err = hbeu(*command, "--modes", "rail", "--feed", str(bus_feed), "--date", DAY)
    assert code == 0, err
    notes = mode_notes(err)
    assert len(notes) == 1 and " rail " in notes[0] and notes[0].endswith(": bus"), err
    # the mixed feed (routes.txt: types 2, 101 and 3) asked for trams or ferries: its three modes named
    code, out, err = hbeu(*command, "--modes", "tram,ferry", "--feed", str(mixed_feed), "--date", DAY)
    assert code == 0, err
    notes = mode_notes(err)
    assert len(notes) == 1 and " tram" in notes[0] and " ferry" in notes[0], err
    assert notes[0].endswith(": rail, high_speed_rail, bus"), notes[0]
    # a mode the feed has (high-speed rail only, by its short name) is no note
    code, out, err = hbeu(*command, "--modes", "hsr", "--feed", str(mixed_feed), "--date", DAY)
    assert code == 0 and mode_notes(err) == [], err
