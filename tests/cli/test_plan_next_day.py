"""`hbeu plan` without --window pages on into the next service dates (with --arrive-by, back into
the dates before) until --num journeys are shown, as every journey planner does: a plan at 20:45
that shows the 20:50 and stops while the next morning's trains run tells the rider nothing.

Hand-made feeds (tests/gtfs_factory.py; agency timezone Asia/Shanghai, +08:00), each service
pinned to its dates by calendar_dates.txt, so every expectation is read off the rows below:

    L1  A 23:00 -> B 23:40   on Tue 2024-03-05 (D) only
    M1  A 06:00 -> B 06:40   on Wed 2024-03-06 (D+1) only
    M2  A 07:00 -> B 07:40   on Wed 2024-03-06 (D+1) only

No other date has service (before D and after D+1 the feed runs nothing).
"""

from __future__ import annotations

import json

import pytest
from conftest import pin_now, run_main

import hbeu_transit as hb
from gtfs_factory import make_feed

AGENCY = [{"agency_id": "A", "agency_name": "Late Bus", "agency_url": "https://example.org",
           "agency_timezone": "Asia/Shanghai"}]
STOPS = [("A", 40.80, 111.60), ("B", 40.80, 111.75)]
D, D1 = "2024-03-05", "2024-03-06"

L1 = ("2024-03-05T23:00:00+08:00", "2024-03-05T23:40:00+08:00", "L1", D)
M1 = ("2024-03-06T06:00:00+08:00", "2024-03-06T06:40:00+08:00", "M1", D1)
M2 = ("2024-03-06T07:00:00+08:00", "2024-03-06T07:40:00+08:00", "M2", D1)


def _feed(folder, trips: dict[str, tuple[str, str, str]]):
    """One trip A -> B per entry: {trip_id: (date YYYYMMDD, departure, arrival)}, each its own
    service running on that date only."""
    return make_feed(folder, agency=AGENCY, stops=STOPS, calendar=[],
                     stop_times={t: [("A", dep, dep), ("B", arr, arr)] for t, (_, dep, arr) in trips.items()},
                     trips=[{"trip_id": t, "service_id": f"S_{t}"} for t in trips],
                     calendar_dates=[{"service_id": f"S_{t}", "date": day, "exception_type": 1}
                                     for t, (day, _, _) in trips.items()])


BASE = {"L1": ("20240305", "23:00:00", "23:40:00"), "M1": ("20240306", "06:00:00", "06:40:00"),
        "M2": ("20240306", "07:00:00", "07:40:00")}


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    root = tmp_path_factory.mktemp("nextday")
    return hb.Network([_feed(root / "feed", BASE)], cache_dir=root / "cache")


def _got(plan):
    return [(j.departure.isoformat(), j.arrival.isoformat(), j.legs[0].trip, j.service_date) for j in plan.journeys]


def test_a_late_plan_goes_on_with_the_next_service_dates_first_trips(net):
    """From 22:00 on D, three journeys: D's L1, then D+1's M1 and M2, each with its service date;
    no next_service (journeys were found)."""
    p = net.plan("A", "B", date=D, depart="22:00", num=3)
    assert _got(p) == [L1, M1, M2]
    assert p.next_service is None
    assert [j["service_date"] for j in p.to_dict()["journeys"]] == [D, D1, D1]


def test_a_plan_after_the_last_trip_of_the_day_shows_the_next_mornings(net):
    """After L1 nothing runs on D: the journeys are D+1's (as many as asked), not a "next
    service" line alone."""
    p = net.plan("A", "B", date=D, depart="23:30", num=2)
    assert _got(p) == [M1, M2]
    assert p.next_service is None


def test_the_pages_stop_at_num(net):
    p = net.plan("A", "B", date=D, depart="22:00", num=2)
    assert _got(p) == [L1, M1]


def test_arrive_by_goes_back_to_the_days_before(net):
    """Arriving by 08:00 on D+1, three journeys: M2, M1, then D's L1 (the evening before)."""
    p = net.plan("A", "B", date=D1, arrive_by="08:00", num=3)
    assert _got(p) == [L1, M1, M2]
    assert p.next_service is None


def test_arrive_by_before_the_days_first_trip_shows_the_evening_before(net):
    p = net.plan("A", "B", date=D1, arrive_by="05:00", num=1)
    assert _got(p) == [L1]


def test_the_feeds_end_shows_what_there_is_without_error(net):
    """Asking for more than the feed has: the three there are. After D+1's last trip (the feed's
    last service date) no journey at all: none, no next one."""
    assert _got(net.plan("A", "B", date=D, depart="20:00", num=5)) == [L1, M1, M2]
    assert _got(net.plan("A", "B", date=D1, arrive_by="09:00", num=5)) == [L1, M1, M2]
    p = net.plan("A", "B", date=D1, depart="08:00", num=3)
    assert p.journeys == [] and p.next_service is None


def test_dates_without_service_between_are_skipped_within_a_week(tmp_path):
    """M1 on Sat 2024-03-09 (three days without service after D): found from D; a trip ten
    days on is not (the pages look a week ahead), and that one is what next_service names."""
    trips = {"L1": BASE["L1"], "M1": ("20240309", "06:00:00", "06:40:00"), "F1": ("20240319", "06:00:00", "06:40:00")}
    net = hb.Network([_feed(tmp_path / "gap", trips)], cache_dir=tmp_path / "cache")
    assert _got(net.plan("A", "B", date=D, depart="22:00", num=3)) == [
        L1, ("2024-03-09T06:00:00+08:00", "2024-03-09T06:40:00+08:00", "M1", "2024-03-09")]
    p = net.plan("A", "B", date="2024-03-09", depart="07:00", num=3)
    assert p.journeys == []
    assert p.next_service == {"date": "2024-03-19", "departure": "2024-03-19T06:00:00+08:00",
                              "arrival": "2024-03-19T06:40:00+08:00"}
    back = net.plan("A", "B", date="2024-03-09", arrive_by="08:00", num=3)
    assert _got(back) == [L1, ("2024-03-09T06:00:00+08:00", "2024-03-09T06:40:00+08:00", "M1", "2024-03-09")]


def test_an_overnight_trip_seen_from_two_dates_is_shown_once(tmp_path):
    """N1 leaves A at 24:30 on D (00:30 on D+1): D's timetable holds it and so does D+1's (its
    hops after D+1's start). From 22:00 on D with four asked: L1, N1 once, M1, M2; N1's service
    date is D, though it leaves on D+1's calendar day."""
    trips = {**BASE, "N1": ("20240305", "24:30:00", "25:00:00")}
    net = hb.Network([_feed(tmp_path / "night", trips)], cache_dir=tmp_path / "cache")
    n1 = ("2024-03-06T00:30:00+08:00", "2024-03-06T01:00:00+08:00", "N1", D)
    assert _got(net.plan("A", "B", date=D, depart="22:00", num=4)) == [L1, n1, M1, M2]
    assert _got(net.plan("A", "B", date=D, depart="23:30", num=5)) == [n1, M1, M2]
    assert _got(net.plan("A", "B", date=D1, arrive_by="08:00", num=5)) == [L1, n1, M1, M2]


def _cli(feed_net, monkeypatch, capsys, *args):
    pin_now(monkeypatch, "2024-03-04T12:00")
    monkeypatch.setenv("COLUMNS", "200")
    return run_main(["plan", "A", "B", "--feed", str(feed_net[0]), "--cache-dir", str(feed_net[1]), *args],
                    monkeypatch, capsys)


@pytest.fixture(scope="module")
def feed_net(tmp_path_factory):
    root = tmp_path_factory.mktemp("nextday-cli")
    return _feed(root / "feed", BASE), root / "cache"


def test_the_cli_shows_the_next_days_times_as_plus_one_and_the_day_befores_as_minus_one(feed_net, monkeypatch,
                                                                                        capsys):
    code, out, err = _cli(feed_net, monkeypatch, capsys, "--date", D, "--depart", "22:00", "--num", "3")
    assert code == 0, err
    rows = [[c.strip() for c in line.split("│")[2:4]] for line in out.splitlines() if line.startswith("│ ")
            and line.split("│")[1].strip().isdigit()]
    assert rows == [["23:00", "23:40"], ["06:00+1", "06:40+1"], ["07:00+1", "07:40+1"]]
    code, out, err = _cli(feed_net, monkeypatch, capsys, "--date", D1, "--arrive-by", "08:00", "--num", "3")
    assert code == 0, err
    rows = [[c.strip() for c in line.split("│")[2:4]] for line in out.splitlines() if line.startswith("│ ")
            and line.split("│")[1].strip().isdigit()]
    assert rows == [["23:00-1", "23:40-1"], ["06:00", "06:40"], ["07:00", "07:40"]]
    code, out, err = _cli(feed_net, monkeypatch, capsys, "--date", D, "--depart", "22:00", "--num", "3", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert [(j["departure"], j["service_date"]) for j in d["journeys"]] == [(L1[0], D), (M1[0], D1), (M2[0], D1)]
    assert d["next_service"] is None


# --------------------------------------------------------------------------- the bundled feed

@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    return hb.Network(cache_dir=tmp_path_factory.mktemp("bundled-cache"))


def _times(plan):
    return [(j.departure.isoformat(), j.arrival.isoformat(), j.service_date) for j in plan.journeys]


def test_bundled_baotou_hohhot_after_the_last_train_pages_into_the_next_morning(bundled):
    """包头 -> 呼和浩特 on 2026-12-01 from 20:45: the 20:50 D6768 is the day's last; the other three
    of four are the first three of 2026-12-02 (that date's plan from 00:00 says which), the
    first leaving at 06:30."""
    p = bundled.plan("包头", "呼和浩特", date="2026-12-01", depart="20:45", num=4)
    got = _times(p)
    assert len(got) == 4
    assert got[0][0] == "2026-12-01T20:50:00+08:00" and got[0][2] == "2026-12-01"
    assert p.journeys[0].rides[0].number == "D6768"
    morning = bundled.plan("包头", "呼和浩特", date="2026-12-02", depart="00:00", num=3)
    assert got[1:] == _times(morning)
    assert got[1][0] == "2026-12-02T06:30:00+08:00"
    assert p.next_service is None


def test_bundled_arrive_by_early_pages_back_to_the_evening_before(bundled):
    """Arriving in 呼和浩特 by 07:30 on 2026-12-02: that morning's two, then the evening before's
    last two (2026-12-01's plan arriving by 23:59 says which)."""
    p = bundled.plan("包头", "呼和浩特", date="2026-12-02", arrive_by="07:30", num=4)
    evening = bundled.plan("包头", "呼和浩特", date="2026-12-01", arrive_by="23:59", num=2)
    today = bundled.plan("包头", "呼和浩特", date="2026-12-02", arrive_by="07:30", num=2)
    assert len(_times(today)) == 2 and all(t[2] == "2026-12-02" for t in _times(today))
    assert _times(p) == _times(evening) + _times(today)
