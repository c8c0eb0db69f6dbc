"""A journey leaving late on service date D that changes onto an early trip of D+1: a date's
timetable holds the next date's trips leaving before ``NEXT_DAY_HORIZON`` on its clock
(timetable.compile), so the router connects across midnight as on one timeline (as
OpenTripPlanner and R5 do), while what counts a date's own trips does not count them.

Hand-made feed (tests/gtfs_factory.py; Asia/Shanghai, +08:00), each service pinned by
calendar_dates.txt to one date, so every expectation is read off these rows:

    X  A 23:20 -> B 23:50   on Tue 2024-03-05 (D) only (not past midnight)
    Y  B 00:30 -> C 01:10   on Wed 2024-03-06 (D+1) only
    Z  B 07:00 -> C 07:40   on Wed 2024-03-06 (D+1) only (after the horizon)
"""

from __future__ import annotations

import json

from conftest import pin_now, run_main

import hbeu_transit as hb
from gtfs_factory import make_feed

AGENCY = [{"agency_id": "A", "agency_name": "Night", "agency_url": "https://example.org",
           "agency_timezone": "Asia/Shanghai"}]
STOPS = [("A", 40.80, 111.60), ("B", 40.80, 111.75), ("C", 40.80, 111.90)]
D, D1 = "2024-03-05", "2024-03-06"
TRIPS = {"X": ("20240305", [("A", "23:20:00"), ("B", "23:50:00")]),
         "Y": ("20240306", [("B", "00:30:00"), ("C", "01:10:00")]),
         "Z": ("20240306", [("B", "07:00:00"), ("C", "07:40:00")])}


def _feed(folder, trips=TRIPS):
    return make_feed(folder, agency=AGENCY, stops=STOPS, calendar=[],
                     stop_times={t: [(s, x, x) for s, x in rows] for t, (_, rows) in trips.items()},
                     trips=[{"trip_id": t, "service_id": f"S_{t}"} for t in trips],
                     calendar_dates=[{"service_id": f"S_{t}", "date": day, "exception_type": 1}
                                     for t, (day, _) in trips.items()])


def test_a_late_bus_changes_onto_the_next_dates_first_train(tmp_path, monkeypatch, capsys):
    """From A at 23:00 on D: X then Y, arriving 01:10 the next day; the journey is D's (its
    first ride's service date). Y's timetable alone (D+1's) has no X: without D+1's early
    trips in D's timetable no plan finds it."""
    folder, cache = _feed(tmp_path / "feed"), tmp_path / "cache"
    net = hb.Network([folder], cache_dir=cache)
    p = net.plan("A", "C", date=D, depart="23:00")
    got = [(j.departure.isoformat(), j.arrival.isoformat(), [r.trip for r in j.rides], j.service_date)
           for j in p.journeys]
    assert got[0] == ("2024-03-05T23:20:00+08:00", "2024-03-06T01:10:00+08:00", ["X", "Y"], D)
    pin_now(monkeypatch, "2024-03-04T12:00")
    code, out, err = run_main(["plan", "A", "C", "--feed", str(folder), "--cache-dir", str(cache),
                               "--date", D, "--depart", "23:00", "--json"], monkeypatch, capsys)
    assert code == 0, err
    j = json.loads(out)["journeys"][0]
    assert (j["departure"], j["arrival"], j["service_date"]) == \
        ("2024-03-05T23:20:00+08:00", "2024-03-06T01:10:00+08:00", D)
    assert [lg["trip"] for lg in j["legs"]] == ["X", "Y"]
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = run_main(["plan", "A", "C", "--feed", str(folder), "--cache-dir", str(cache),
                               "--date", D, "--depart", "23:00"], monkeypatch, capsys)
    assert code == 0, err
    assert "01:10+1" in out


def test_a_window_across_midnight_finds_it_once(tmp_path):
    """--window 2h from 23:00: X+Y once (D's search and D+1's both see Y, D's alone X)."""
    net = hb.Network([_feed(tmp_path / "feed")], cache_dir=tmp_path / "cache")
    p = net.plan("A", "C", date=D, depart="23:00", window=120)
    assert [([r.trip for r in j.rides], j.arrival.isoformat()) for j in p.journeys] == \
        [(["X", "Y"], "2024-03-06T01:10:00+08:00")]


def test_after_the_horizon_the_next_date_is_not_in_the_days_timetable(tmp_path):
    """Z leaves B at 07:00 on D+1, after the horizon: D's timetable does not hold it (the
    plan's paging into D+1 does), and D's departure board lists D's own trips only."""
    from hbeu_transit.timetable import NEXT_DAY_HORIZON

    assert NEXT_DAY_HORIZON <= 7 * 3600
    net = hb.Network([_feed(tmp_path / "feed")], cache_dir=tmp_path / "cache")
    tt = net.timetable(D)
    assert sorted(zip(tt.trip_ids, tt.trip_day.tolist())) == [("X", 0), ("Y", 1)]
    assert [r["trip"] for r in net.departures("B", date=D).rows] == []
    assert [r["trip"] for r in net.departures("B", date=D1).rows] == ["Y", "Z"]


def test_paging_on_leaves_the_next_dates_journeys_to_its_own_search(tmp_path):
    """L1 A 23:00 -> C 23:40 on D; on D+1: N A 00:30 -> B 01:00, W B 05:50 -> C 07:00 (both
    leave before the horizon: in D's timetable) and F A 06:10 -> C 06:50 (after it: in D+1's
    only). From 22:00 on D, two journeys: L1, then F, which leaves later than N+W and arrives
    sooner; N+W, found in D's timetable, is no journey to show (D+1's own search, holding F,
    says so). Each journey once, in order."""
    trips = {"L1": ("20240305", [("A", "23:00:00"), ("C", "23:40:00")]),
             "N": ("20240306", [("A", "00:30:00"), ("B", "01:00:00")]),
             "W": ("20240306", [("B", "05:50:00"), ("C", "07:00:00")]),
             "F": ("20240306", [("A", "06:10:00"), ("C", "06:50:00")])}
    net = hb.Network([_feed(tmp_path / "feed", trips)], cache_dir=tmp_path / "cache")
    for num in (2, 3):
        p = net.plan("A", "C", date=D, depart="22:00", num=num)
        assert [([r.trip for r in j.rides], j.departure.isoformat(), j.service_date) for j in p.journeys][:2] == [
            (["L1"], "2024-03-05T23:00:00+08:00", D), (["F"], "2024-03-06T06:10:00+08:00", D1)], num
