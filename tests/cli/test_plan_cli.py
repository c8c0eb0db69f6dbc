"""`hbeu plan`, `stations`, `departures`, `commute` on the hand-made mini feed (tests/mini_feed.py).

Every expected journey is worked out by hand from that feed's timetable (all times +08:00,
Asia/Shanghai; 2026-12-01 is a Tuesday with service):

    D6949  包头站 BT1 06:00 -> 包头东站 BTE1 06:15/06:17 -> 呼和浩特东站 HHE1 07:30
    D6951  BT1 07:00 -> BTE1 07:15/07:17 -> HHE1 08:30
    D6953  BT1 08:00 -> BTE1 08:15/08:17 -> HHE1 09:30
    D6952  HHE1 18:30 -> BTE1 19:40/19:42 -> BT1 19:55;  D6954 the same an hour later
    K1     呼和浩特站 HH1 23:30 -> 鄂尔多斯站 ORD 25:10 (01:10 the next morning)
    bus 1  呼和浩特东站 BUS_HHE 08:40 -> 火车站 BUS_HH_RS 09:00 (and 09:40 -> 10:00)
    fares  rail Baotou <-> Hohhot ¥45.50, any bus ¥1.00
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import pin_now, run_cli_in_probe, run_main

from mini_feed import write_mini_feed

DAY = "2026-12-01"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """The mini feed and a cache folder shared by the module (the first call fills it)."""
    root = tmp_path_factory.mktemp("plan")
    return {"feed": write_mini_feed(root / "mini.zip"), "cache": root / "cache"}


@pytest.fixture
def hbeu(env, capsys, monkeypatch):
    """Run the CLI in-process like the console script: returns (exit code, stdout, stderr)."""
    pin_now(monkeypatch, f"{DAY}T05:00")
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str, feed: bool = True):
        argv = list(args)
        if feed and "--feed" not in args:
            argv += ["--feed", str(env["feed"]), "--cache-dir", str(env["cache"])]
        return run_main(argv, monkeypatch, capsys)

    return run


def run_json(hbeu, *args, feed: bool = True):
    code, out, err = hbeu(*args, "--json", feed=feed)
    assert code == 0, err
    return json.loads(out)


# --------------------------------------------------------------------------- plan

LEG_FIELDS = {"mode", "route", "trip", "name", "from_stop", "from_name", "to_stop", "to_name",
              "departure", "arrival"}


def test_plan_json_schema_and_hand_computed_journey(hbeu):
    d = run_json(hbeu, "plan", "包头站", "呼和浩特东站", "--date", DAY, "--depart", "07:30", "--num", "1")
    assert d["query"]["date"] == DAY and d["query"]["timezone"] == "Asia/Shanghai"
    assert d["query"]["depart"] == f"{DAY}T07:30:00+08:00"
    (j,) = d["journeys"]
    assert {"departure", "arrival", "duration_min", "transfers", "legs", "fare"} <= set(j)
    assert (j["departure"], j["arrival"]) == (f"{DAY}T08:00:00+08:00", f"{DAY}T09:30:00+08:00")
    assert j["duration_min"] == 90 and j["transfers"] == 0 and j["service_date"] == DAY
    assert j["fare"] == {"amount": 45.5, "currency": "CNY"}
    (leg,) = j["legs"]
    assert LEG_FIELDS <= set(leg)
    assert leg["mode"] == "rail" and leg["name"] == "D6953" and leg["trip"] == "D6953" and leg["route"] == "R_D"
    assert (leg["from_stop"], leg["from_name"], leg["to_stop"], leg["to_name"]) == ("BT1", "包头站", "HHE1", "呼和浩特东站")
    assert leg["to_name_en"] == "Hohhot East"


def test_plan_city_means_any_of_its_stations(hbeu):
    # from "Baotou" (the city) at 07:10: D6951 is still at Baotou East until 07:17
    d = run_json(hbeu, "plan", "Baotou", "Hohhot East", "--date", DAY, "--depart", "07:10")
    assert d["query"]["from"]["kind"] == "area"
    assert set(d["query"]["from"]["stop_ids"]) >= {"BT", "BTE", "BUS_BT_RS"}
    j = d["journeys"][0]
    assert j["legs"][0]["from_stop"] == "BTE1" and j["legs"][0]["name"] == "D6951"
    assert j["departure"] == f"{DAY}T07:17:00+08:00" and j["arrival"] == f"{DAY}T08:30:00+08:00"


def test_plan_window_lists_every_departure(hbeu):
    d = run_json(hbeu, "plan", "BT", "HHE", "--date", DAY, "--depart", "06:30", "--window", "2h")
    assert [(j["departure"][11:16], j["arrival"][11:16]) for j in d["journeys"]] == [("07:00", "08:30"),
                                                                                    ("08:00", "09:30")]
    assert d["query"]["window_min"] == 120


def test_plan_window_hides_no_journey_behind_a_faster_one_after_it(hbeu, env):
    """Bundled feed, Ordos -> Baotou from 07:00 for 3 h: coaches leave every 25 min; the 10:39
    D6962 (arriving 11:37) leaves after the window, so it must not hide the 09:30 and 09:55
    coaches (arriving 11:45 and 12:10), and nothing leaving after 10:00 is shown."""
    d = run_json(hbeu, "plan", "Ordos", "Baotou", "--date", DAY, "--depart", "07:00", "--window", "3h",
                 "--cache-dir", str(env["cache"]), feed=False)
    got = [(j["departure"][11:16], j["arrival"][11:16]) for j in d["journeys"]]
    assert ("09:30", "11:45") in got and ("09:55", "12:10") in got
    assert all("07:00" <= dep <= "10:00" for dep, _ in got)
    # no journey shown is beaten by another one shown
    js = [(j["departure"], j["arrival"], j["transfers"]) for j in d["journeys"]]
    assert not any(o != j and o[0] >= j[0] and o[1] <= j[1] and o[2] <= j[2] for j in js for o in js)
    assert d["next_service"] is None


def test_plan_boards_the_same_train_once_at_the_latest_station_of_the_city(hbeu, env):
    """D6962 calls at two Ordos stations (ORD 10:25, DSX 10:39) and reaches Baotou at 11:37
    either way: shown once, boarding at DSX."""
    d = run_json(hbeu, "plan", "Ordos", "Baotou", "--date", DAY, "--depart", "10:10",
                 "--cache-dir", str(env["cache"]), feed=False)
    rides = [j["legs"][0] for j in d["journeys"] if any(leg["name"] == "D6962" for leg in j["legs"])]
    assert [(r["from_stop"], r["departure"][11:16]) for r in rides] == [("DSX_P2", "10:39")]
    assert len(d["journeys"]) == 3


def test_plan_without_journey_says_when_the_next_one_leaves(hbeu, env):
    """After the last coach of the day, in a 10-minute window: nothing on DAY, the first journey
    of the next day. Without a window that journey is the first shown (the plan goes on into the
    next service date), and no "next service" is named."""
    d = run_json(hbeu, "plan", "Ordos", "Baotou", "--date", DAY, "--depart", "23:50", "--window", "10m",
                 "--cache-dir", str(env["cache"]), feed=False)
    assert d["journeys"] == []
    nxt = d["next_service"]
    assert nxt["date"] == "2026-12-02" and nxt["departure"].startswith("2026-12-02T")
    code, out, _ = hbeu("plan", "Ordos", "Baotou", "--date", DAY, "--depart", "23:50", "--window", "10m",
                        "--cache-dir", str(env["cache"]), feed=False)
    assert code == 0 and "no journey found; the next one leaves Wed 2026-12-02 " + nxt["departure"][11:16] in out
    d = run_json(hbeu, "plan", "Ordos", "Baotou", "--date", DAY, "--depart", "23:50",
                 "--cache-dir", str(env["cache"]), feed=False)
    first = d["journeys"][0]
    assert (first["departure"], first["arrival"], first["service_date"]) == (nxt["departure"], nxt["arrival"],
                                                                             "2026-12-02")
    assert len(d["journeys"]) == 3 and d["next_service"] is None


def test_plan_arrive_by_takes_the_latest_that_makes_it(hbeu):
    d = run_json(hbeu, "plan", "包头站", "呼和浩特东站", "--date", DAY, "--arrive-by", "09:00", "--num", "1")
    assert [j["legs"][0]["name"] for j in d["journeys"]] == ["D6951"]
    assert d["query"]["arrive_by"] == f"{DAY}T09:00:00+08:00" and d["query"]["num"] == 1


def _times(d):
    return [(j["departure"][11:16], j["arrival"][11:16]) for j in d["journeys"]]


def test_plan_num_adds_later_or_earlier_journeys(hbeu):
    # 包头站 -> 呼和浩特东站: D6949 06:00-07:30, D6951 07:00-08:30, D6953 08:00-09:30
    plan = ("plan", "包头站", "呼和浩特东站", "--date", DAY)
    d = run_json(hbeu, *plan, "--depart", "05:00")
    assert _times(d) == [("06:00", "07:30"), ("07:00", "08:30"), ("08:00", "09:30")] and d["query"]["num"] == 3
    assert _times(run_json(hbeu, *plan, "--depart", "05:00", "--num", "2")) == [("06:00", "07:30"), ("07:00", "08:30")]
    assert _times(run_json(hbeu, *plan, "--depart", "05:00", "--num", "1")) == [("06:00", "07:30")]
    # no more trains that day: the next day's first ones (times with their dates)
    d = run_json(hbeu, *plan, "--depart", "07:30")
    assert [(j["departure"], j["service_date"]) for j in d["journeys"]] == [
        (f"{DAY}T08:00:00+08:00", DAY), ("2026-12-02T06:00:00+08:00", "2026-12-02"),
        ("2026-12-02T07:00:00+08:00", "2026-12-02")]
    # arriving by 10:00: the latest that makes it, then earlier ones
    assert _times(run_json(hbeu, *plan, "--arrive-by", "10:00", "--num", "2")) == [("07:00", "08:30"), ("08:00", "09:30")]
    # two make it by 09:00; the feeds start on DAY: no third
    assert _times(run_json(hbeu, *plan, "--arrive-by", "09:00")) == [("06:00", "07:30"), ("07:00", "08:30")]
    # the next day, the third is DAY's last (the evening before's journeys)
    d = run_json(hbeu, "plan", "包头站", "呼和浩特东站", "--date", "2026-12-02", "--arrive-by", "09:00")
    assert [(j["departure"], j["service_date"]) for j in d["journeys"]] == [
        (f"{DAY}T08:00:00+08:00", DAY), ("2026-12-02T06:00:00+08:00", "2026-12-02"),
        ("2026-12-02T07:00:00+08:00", "2026-12-02")]
    code, _, err = hbeu(*plan, "--depart", "05:00", "--window", "2h", "--num", "2")
    assert code == 2 and "--num" in err and err.count("\n") == 1
    code, _, err = hbeu(*plan, "--num", "0")
    assert code == 2


@pytest.mark.parametrize("window", ["0", "0m", "0h", "0:00"])
def test_plan_refuses_an_empty_window(hbeu, window):
    """--window 0 listed the journeys leaving at the very minute of --depart: a span of nothing,
    which no journey planner offers as a window; refused in one line naming the value."""
    code, out, err = hbeu("plan", "BT", "HHE", "--date", DAY, "--depart", "07:00", "--window", window)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert f"--window '{window}' is an empty span" in err and "Traceback" not in err


def test_plan_num_on_a_hand_made_timetable():
    """A -> C: t1 direct 100-1000; t2 A-B 100-300 + t3 B-C 400-600 (one change, faster);
    t4 direct 2000-2900; t5 direct 20000-20900 (more than 4 hours later)."""
    import numpy as np

    from hbeu_transit.analysis.plan import PlanQuery, plan
    from hbeu_transit.timetable import timetable_from_connections

    tt = timetable_from_connections([("A", "C", 100, 1000, "t1"), ("A", "B", 100, 300, "t2"),
                                     ("B", "C", 400, 600, "t3"), ("A", "C", 2000, 2900, "t4"),
                                     ("A", "C", 20000, 20900, "t5")])
    a, c = np.array([tt.stop_ids.index("A")]), np.array([tt.stop_ids.index("C")])

    def run(**kw):
        return [(j.departure, j.arrival, j.transfers) for j in plan(tt, PlanQuery(a, c, **kw))]

    # the first departure's Pareto set is shown whole, even beyond num
    assert run(depart=0, num=1) == [(100, 600, 1), (100, 1000, 0)]
    assert run(depart=0, num=3) == [(100, 600, 1), (100, 1000, 0), (2000, 2900, 0)]
    assert run(depart=0, num=4) == [(100, 600, 1), (100, 1000, 0), (2000, 2900, 0), (20000, 20900, 0)]
    assert run(depart=0, num=10) == run(depart=0, num=4)  # all there is
    assert run(arrive_by=30000, num=1) == [(20000, 20900, 0)]
    assert run(arrive_by=30000, num=3) == [(100, 600, 1), (2000, 2900, 0), (20000, 20900, 0)]
    assert run(arrive_by=1000, num=1) == [(100, 600, 1), (100, 1000, 0)]
    assert run(arrive_by=500, num=3) == []


def test_plan_overnight_times_roll_into_the_next_day(hbeu):
    d = run_json(hbeu, "plan", "呼和浩特站", "Ordos", "--date", DAY, "--depart", "23:00")
    j = d["journeys"][0]
    assert j["departure"] == f"{DAY}T23:30:00+08:00" and j["arrival"] == "2026-12-02T01:10:00+08:00"
    assert j["duration_min"] == 100 and j["fare"] is None  # no fare rule for Hohhot -> Ordos


def test_plan_with_walk_and_bus_sums_fares(hbeu):
    # the walk of ~140 m (2 min) plus a 3-minute change catches the 08:40 bus; with the
    # default rail change of 10 minutes it would be the 09:40 one
    d = run_json(hbeu, "plan", "BT", "火车站 (呼和浩特)", "--date", DAY, "--depart", "06:50",
                 "--walk-meters", "300", "--transfer-minutes", "3")
    j = d["journeys"][0]
    rides = [leg for leg in j["legs"] if leg["trip"]]
    assert [r["name"] for r in rides] == ["D6951", "1路"] and j["transfers"] == 1
    assert any(leg["mode"] == "walk" for leg in j["legs"])
    assert j["arrival"] == f"{DAY}T09:00:00+08:00"
    assert j["fare"] == {"amount": 46.5, "currency": "CNY"}
    d = run_json(hbeu, "plan", "BT", "火车站 (呼和浩特)", "--date", DAY, "--depart", "06:50", "--walk-meters", "300")
    assert d["journeys"][0]["arrival"] == f"{DAY}T10:00:00+08:00"


def test_plan_table_output(hbeu):
    code, out, _ = hbeu("plan", "Baotou", "Hohhot East", "--date", DAY, "--depart", "06:00", "--window", "3h")
    assert code == 0
    for text in ("D6949", "D6951", "D6953", "¥45.50", "06:17", "07:30", "1h13"):
        assert text in out


def test_default_date_note_when_no_service_today(hbeu, monkeypatch):
    pin_now(monkeypatch, "2026-11-27T10:00")  # a Friday before the service starts
    code, out, err = hbeu("plan", "BT", "HHE", "--json")
    assert code == 0
    d = json.loads(out)
    assert d["query"]["date"] == DAY and d["query"]["depart"] == f"{DAY}T00:00:00+08:00"
    assert "no service on 2026-11-27; using the next service date 2026-12-01" in err
    assert d["notes"] == ["no service on 2026-11-27; using the next service date 2026-12-01"]


def test_default_time_is_now_on_a_service_day(hbeu, monkeypatch):
    """Today at 07:30, D6949 (06:00) and D6951 (07:00) have left 包头站: hidden, and counted."""
    pin_now(monkeypatch, f"{DAY}T07:30")
    d = run_json(hbeu, "plan", "BT", "HHE")
    assert d["query"]["depart"] == f"{DAY}T07:30:00+08:00"
    assert d["notes"] == ["2 journeys left earlier today (before 07:30) and are not shown"]
    assert d["journeys"][0]["legs"][0]["name"] == "D6953"
    code, _, err = hbeu("plan", "BT", "HHE")
    assert code == 0 and "note: 2 journeys left earlier today (before 07:30)" in err
    for whole_day in (("--all-day",), ("--date", DAY)):  # nothing hidden, no note
        d = run_json(hbeu, "plan", "BT", "HHE", *whole_day)
        assert d["query"]["depart"] == f"{DAY}T00:00:00+08:00" and d["notes"] == []
        assert d["journeys"][0]["legs"][0]["name"] == "D6949"


def test_now_exactly_at_a_departure_shows_it_and_does_not_count_it_gone(hbeu, monkeypatch):
    """At 07:00:00 sharp D6951 (07:00) has not left 包头站: it is the first journey and the first
    departure shown, and only D6949 (06:00) is counted as gone."""
    pin_now(monkeypatch, f"{DAY}T07:00")
    d = run_json(hbeu, "plan", "BT", "HHE")
    assert d["journeys"][0]["legs"][0]["name"] == "D6951"
    assert d["notes"] == ["1 journey left earlier today (before 07:00) and is not shown"]
    d = run_json(hbeu, "departures", "BT")
    assert [r["name"] for r in d["departures"]][:1] == ["D6951"]
    assert d["notes"] == ["1 departure left earlier today (before 07:00) and is not shown"]


def test_todays_board_hides_what_left(hbeu, monkeypatch):
    pin_now(monkeypatch, f"{DAY}T07:30")
    d = run_json(hbeu, "departures", "BT")
    assert [r["name"] for r in d["departures"]] == ["D6953"]
    assert d["notes"] == ["2 departures left earlier today (before 07:30) and are not shown"]
    d = run_json(hbeu, "departures", "BT", "--all-day")
    assert [r["name"] for r in d["departures"]] == ["D6949", "D6951", "D6953"] and d["notes"] == []
    # the city's board counts the trips leaving the city only (not bus 2路 inside it at 06:30)
    d = run_json(hbeu, "departures", "包头")
    assert d["notes"] == ["2 departures left earlier today (before 07:30) and are not shown"]
    pin_now(monkeypatch, f"{DAY}T06:10")
    assert run_json(hbeu, "departures", "BT")["notes"] == [
        "1 departure left earlier today (before 06:10) and is not shown"]


def test_todays_board_until_a_time_already_past_says_so(hbeu, monkeypatch):
    """`departures BT --to 07:00` at 07:30 today: the board starts now, so nothing is left; the
    error said "--to 07:00 is before --from 07:30", a --from the user never gave."""
    pin_now(monkeypatch, f"{DAY}T07:30")
    code, out, err = hbeu("departures", "BT", "--to", "07:00")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1, err
    assert "--to 07:00 is before now (07:30)" in err and "--from" in err and "--all-day" in err, err
    d = run_json(hbeu, "departures", "BT", "--to", "07:00", "--all-day")
    assert [r["name"] for r in d["departures"]] == ["D6949", "D6951"]
    code, out, err = hbeu("departures", "BT", "--from", "08:00", "--to", "07:00")
    assert code == 2 and "--to 07:00 is before --from 08:00" in err, err


def test_a_board_past_midnight_is_refused_with_the_time_to_write(hbeu):
    """Found by helper breaker3: `departures X --from 23:30 --to 02:00` (the late board, as
    --window 22:00-02:00 reads elsewhere) said only that 02:00 is before 23:30; like commute's
    --leave-after, the error now says to write 26:00 (02:00 the next day), which works."""
    code, out, err = hbeu("departures", "BT", "--date", DAY, "--from", "23:30", "--to", "02:00")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1, err
    assert "--to 02:00 is before --from 23:30" in err and "write 26:00 (02:00 the next day)" in " ".join(err.split()), err
    assert run_json(hbeu, "departures", "BT", "--date", DAY, "--from", "23:30", "--to", "26:00")["departures"] == []


def test_plan_from_a_coach_bay_inside_a_station_by_its_own_name(hbeu, tmp_path):
    """HUB (tests/mini_feed.py): coach C1 leaves the bay HHE_HUB under 呼和浩特东站 at 10:00 and
    reaches 包头东汽车站 BTE_BUS, a stop of Baotou, at 11:50."""
    from mini_feed import HUB, write_feed

    feed = write_feed(tmp_path / "hub.zip", HUB)
    for name in ("Hohhot East Passenger Hub", "呼和浩特东站综合客运枢纽"):
        d = run_json(hbeu, "plan", name, "包头", "--date", DAY, "--depart", "09:00",
                     "--feed", str(feed), "--cache-dir", str(tmp_path / "cache"))
        assert d["query"]["from"]["stop_ids"] == ["HHE_HUB"] and d["query"]["from"]["kind"] == "stop"
        leg = d["journeys"][0]["legs"][0]
        assert (leg["from_stop"], leg["departure"], leg["to_stop"], leg["arrival"]) == (
            "HHE_HUB", f"{DAY}T10:00:00+08:00", "BTE_BUS", f"{DAY}T11:50:00+08:00")


# --------------------------------------------------------------------------- user errors

def test_unknown_station_is_one_line_with_suggestions(hbeu):
    code, out, err = hbeu("plan", "Baotuo Estt Lu", "HHE", "--date", DAY)
    code2, _, err2 = hbeu("plan", "Xanadu", "HHE", "--date", DAY)
    assert code == 2 and code2 == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("error: ")
    assert "did you mean" in err and "Baotou East" in err
    assert "unknown station 'Xanadu'" in err2


def test_impossible_time_exits_2(hbeu):
    code, _, err = hbeu("plan", "BT", "HHE", "--date", DAY, "--depart", "25:99")
    assert code == 2 and "impossible time '25:99'" in err and err.count("\n") == 1
    code, _, err = hbeu("plan", "BT", "HHE", "--depart", "07:00", "--arrive-by", "09:00")
    assert code == 2 and "either" in err
    code, _, err = hbeu("plan", "BT", "HHE", "--date", "2026-13-01")
    assert code == 2 and "impossible date" in err


def test_cli_parses_times_and_finds_bundled_feeds_with_the_feed_layer(env, hbeu, monkeypatch):
    """One clock parser and one bundled-feed lookup (hbeu_transit.feed), not private copies."""
    import hbeu_transit.feed.bundled as bundled
    import hbeu_transit.feed.times as times

    seen = []

    def parse_clock(text):
        seen.append(text)
        return real(text)

    real = times.parse_clock
    monkeypatch.setattr(times, "parse_clock", parse_clock)
    monkeypatch.setattr(bundled, "default_feed_paths", lambda: [env["feed"]])
    code, out, err = hbeu("plan", "BT", "HHE", "--date", DAY, "--depart", "06:30", "--json",
                          "--cache-dir", str(env["cache"]), feed=False)
    assert code == 0, err
    assert seen == ["06:30"] and json.loads(out)["journeys"][0]["legs"][0]["name"] == "D6951"
    code, _, err = hbeu("plan", "BT", "HHE", "--date", DAY, "--arrive-by", "9:75")
    assert code == 2 and err == ("error: impossible time '9:75' for --arrive-by: expected HH:MM "
                                 "(00:00-47:59), e.g. 08:30\n")


def test_ambiguous_name_lists_candidates(hbeu):
    code, _, err = hbeu("plan", "Railway Station", "HHE", "--date", DAY)
    assert code == 2
    assert "火车站 Railway Station (包头) [BUS_BT_RS]" in err and "火车站 Railway Station (呼和浩特) [BUS_HH_RS]" in err


def test_same_origin_and_destination(hbeu):
    code, _, err = hbeu("plan", "BTE", "包头", "--date", DAY)   # a station and its own city: not "the same"
    assert code == 2 and err.count("\n") == 1 and "TO '包头 Baotou" in err and "contains FROM '包头东站" in err, err
    code, _, err = hbeu("plan", "BTE", "BTE", "--date", DAY)
    assert code == 2 and err.count("\n") == 1 and "name the same station" in err, err


# --------------------------------------------------------------------------- stations / departures / commute

def test_stations_json_and_table(hbeu):
    d = run_json(hbeu, "stations", "Hohhot")
    assert {s["stop_id"] for s in d["stations"]} == {"HHE", "HH", "BUS_HHE", "BUS_HH_RS"}
    hhe = next(s for s in d["stations"] if s["stop_id"] == "HHE")
    assert hhe["names"]["en"] == "Hohhot East" and hhe["city"] == "呼和浩特" and hhe["modes"] == ["rail"]
    code, out, _ = hbeu("stations")
    assert code == 0 and "昆区政府" in out and "Kun District" in out


def test_stations_without_a_match_exit_2_in_table_and_json_mode(hbeu):
    for extra in ((), ("--json",)):
        code, out, err = hbeu("stations", "Xanadu", *extra)
        assert code == 2 and out == ""
        assert err.startswith("error: unknown station 'Xanadu'") and err.count("\n") == 1


def test_departure_board(hbeu):
    d = run_json(hbeu, "departures", "包头站", "--date", DAY, "--from", "06:30", "--to", "12:00")
    assert [(r["departure"][11:16], r["name"], r["headsign"]) for r in d["departures"]] == [
        ("07:00", "D6951", "呼和浩特东"), ("08:00", "D6953", "呼和浩特东")]
    r = d["departures"][0]
    assert r["mode"] == "rail" and r["from_stop"] == "BT1" and r["destination_stop"] == "HHE1"
    assert r["departure"] == f"{DAY}T07:00:00+08:00"
    # a city board has one line per trip (D6949 leaves 包头站 and then 包头东站), and only trips
    # leaving the city: bus 2路 (包头火车站 -> 昆区政府, both in Baotou) is a hop inside it
    d = run_json(hbeu, "departures", "包头", "--date", DAY, "--from", "05:00", "--to", "06:59")
    assert [(r["departure"][11:16], r["name"]) for r in d["departures"]] == [("06:00", "D6949")]
    d = run_json(hbeu, "departures", "BUS_BT_RS", "--date", DAY, "--from", "05:00", "--to", "06:59")
    assert [(r["departure"][11:16], r["name"]) for r in d["departures"]] == [("06:30", "2路")]  # a stop's board: every trip
    code, out, _ = hbeu("departures", "HHE", "--date", DAY, "--from", "18:00")
    assert code == 0 and "D6952" in out and "D6954" in out


def test_commute_days_with_alternatives(hbeu):
    d = run_json(hbeu, "commute", "包头", "Hohhot East", "--arrive-by", "09:00", "--leave-after", "18:00",
                 "--days", "2", "--date", "2026-12-24")
    assert [day["date"] for day in d["days"]] == ["2026-12-24", "2026-12-28"]  # not Christmas, not the weekend
    for day in d["days"]:
        m, e = day["morning"], day["evening"]
        assert (m["journey"]["departure"][11:16], m["journey"]["arrival"][11:16]) == ("07:17", "08:30")
        assert (m["alternative"]["departure"][11:16], m["alternative"]["arrival"][11:16]) == ("06:17", "07:30")
        assert (e["journey"]["departure"][11:16], e["journey"]["arrival"][11:16]) == ("18:30", "19:40")
        assert (e["alternative"]["departure"][11:16], e["alternative"]["arrival"][11:16]) == ("19:30", "20:40")
    assert d["days"][0]["morning"]["journey"]["departure"] == "2026-12-24T07:17:00+08:00"
    code, out, _ = hbeu("commute", "包头", "Hohhot East", "--days", "1", "--date", "2026-12-24")
    assert code == 0 and "D6951" in out and "D6952" in out


def test_commute_refuses_a_return_before_the_arrival(hbeu):
    """--leave-after 07:00 with --arrive-by 09:00 (both on one service day) asked for a return
    leaving work before getting there, and printed a table with a "home" row anyway; refused in
    one line naming both values. Leaving as soon as one arrives is still a commute."""
    ask = ("commute", "包头", "Hohhot East", "--days", "1", "--date", "2026-12-24")
    code, out, err = hbeu(*ask, "--arrive-by", "09:00", "--leave-after", "07:00")
    assert code == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert "--leave-after 07:00 is before --arrive-by 09:00" in err
    code, out, err = hbeu(*ask, "--arrive-by", "9:00", "--leave-after", "08:59:30", "--json")
    assert code == 2 and "--leave-after 08:59:30 is before --arrive-by 09:00" in err
    code, out, err = hbeu(*ask, "--arrive-by", "09:00", "--leave-after", "09:00")
    assert code == 0, err


# --------------------------------------------------------------------------- speed: no pandas when warm

def test_a_cold_cache_reads_the_feeds_once_per_command(env, hbeu, monkeypatch, tmp_path):
    """The place index and every day's timetable are built from one read of the feeds."""
    import hbeu_transit.feed.load as feed_load

    calls = []
    real = feed_load.load_feeds
    monkeypatch.setattr(feed_load, "load_feeds", lambda paths: calls.append(list(paths)) or real(paths))
    code, out, err = hbeu("commute", "包头", "Hohhot East", "--days", "3", "--date", DAY, "--json",
                          "--feed", str(env["feed"]), "--cache-dir", str(tmp_path / "a"))
    assert code == 0, err
    assert calls == [[env["feed"]]] and len(json.loads(out)["days"]) == 3
    for n, cmd in enumerate((["plan", "BT", "HHE", "--depart", "07:00"], ["departures", "BT"]), 2):
        code, _, err = hbeu(*cmd, "--date", DAY, "--feed", str(env["feed"]), "--cache-dir", str(tmp_path / cmd[0]))
        assert code == 0, err
        assert len(calls) == n
    hbeu("plan", "BT", "HHE", "--date", DAY, "--feed", str(env["feed"]), "--cache-dir", str(tmp_path / "a"))
    assert len(calls) == 3  # warm: no read at all


def test_warm_plan_does_not_import_pandas(env, hbeu):
    args = ["plan", "BT", "HHE", "--date", DAY, "--depart", "07:00", "--json",
            "--feed", str(env["feed"]), "--cache-dir", str(env["cache"])]
    assert hbeu(*args[:7])[0] == 0  # fills the cache (in-process)
    r, heavy = run_cli_in_probe(args)
    assert r.returncode == 0, r.stderr
    assert heavy == []
    assert json.loads(r.stdout)["journeys"][0]["legs"][0]["name"] == "D6951"


def test_warm_plan_loads_neither_pydantic_nor_numba(env, hbeu):
    """One journey plan is a few pruned scans: no JIT (backend chosen by the work), option
    values are coerced without typer's pydantic adapters (cli/coerce.py; still checked), and
    no other command's module is imported (cli/app.py COMMANDS)."""
    args = ["plan", "BT", "HHE", "--date", DAY, "--depart", "07:00", "--num", "2", "--json",
            "--feed", str(env["feed"]), "--cache-dir", str(env["cache"])]
    assert hbeu(*args[:7])[0] == 0  # fills the cache (in-process)
    r, loaded = run_cli_in_probe(args, modules=("pydantic", "numba", "hbeu_transit.cli.freq",
                                                "hbeu_transit.cli.coverage"))
    assert r.returncode == 0, r.stderr
    assert loaded == []
    assert len(json.loads(r.stdout)["journeys"]) == 2  # --num 2, and more than two run after 07:00
    bad = subprocess.run([sys.executable, "-m", "hbeu_transit", *[a if a != "2" else "0" for a in args]],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "greater than or equal to 1" in bad.stderr


def test_real_feed_without_areas_fares_v1_and_its_own_timezone(hbeu, caltrain_zip, tmp_path):
    """Caltrain (tests/data): stations are pairs of NB/SB stops without parents, fares are v1
    zones. Checked by hand in the feed: Saturday train 422 (trip 6512155-...-Saturday-03)
    leaves 70012 at 08:07 and reaches 70172 at 09:16; zone 1 -> 3 costs OW_3, $7.75."""
    d = run_json(hbeu, "plan", "San Francisco", "palo alto", "--date", "2017-07-15", "--depart", "08:00",
                 "--feed", str(caltrain_zip), "--cache-dir", str(tmp_path))
    assert d["query"]["timezone"] == "America/Los_Angeles"
    j = d["journeys"][0]
    assert (j["departure"], j["arrival"]) == ("2017-07-15T08:07:00-07:00", "2017-07-15T09:16:00-07:00")
    (leg,) = j["legs"]
    assert leg["name"] == "422" and leg["trip"] == "6512155-CT-17JUL-Caltrain-Saturday-03"
    assert (leg["from_stop"], leg["to_stop"]) == ("70012", "70172")
    assert j["fare"] == {"amount": 7.75, "currency": "USD"}


# --------------------------------------------------------------------------- presentation units

@pytest.mark.parametrize("command", ["plan", "stations", "departures", "commute"])
def test_help_paragraphs_are_reflowed_to_80_columns(hbeu, monkeypatch, command):
    """Typer's rich mode keeps a docstring's line breaks ("Times may" / "pass midnight"), so
    each paragraph is one line and the terminal wraps it; the example fits on one line."""
    import inspect

    from rich.cells import cell_len

    import hbeu_transit.cli.plan as cli_plan

    paragraphs = inspect.getdoc(getattr(cli_plan, command)).split("\n\n")
    assert all("\n" not in p for p in paragraphs)
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = hbeu(command, "--help", feed=False)
    assert code == 0 and max(cell_len(line) for line in out.splitlines()) <= 80
    example = paragraphs[-1]
    assert example.startswith(f"Example: hbeu {command} ") and example in out


def test_iso_times_past_midnight_before_it_and_on_dst_days():
    from hbeu_transit.analysis.times import clock, to_iso

    assert to_iso(DAY, "Asia/Shanghai", 25 * 3600 + 600) == "2026-12-02T01:10:00+08:00"
    assert to_iso(DAY, "Asia/Shanghai", -600) == "2026-11-30T23:50:00+08:00"
    # GTFS times count from noon - 12 h: on the spring-forward day 03:00 is 3 h after that
    assert to_iso("2026-03-08", "America/New_York", 3 * 3600) == "2026-03-08T03:00:00-04:00"
    assert to_iso("2026-03-08", "America/New_York", 12 * 3600) == "2026-03-08T12:00:00-04:00"
    assert clock("2026-12-02T01:10:00+08:00", DAY) == "01:10+1"


def test_walk_before_the_first_ride_is_timed_to_catch_it(env):
    from hbeu_transit.analysis.render import journey_dict
    from hbeu_transit.places import load_index
    from hbeu_transit.router.journey import Journey, Leg
    from hbeu_transit.timetable import load_timetable

    idx = load_index([env["feed"]], env["cache"])
    tt = load_timetable([env["feed"]], DAY, cache_dir=env["cache"])
    s = {x: i for i, x in enumerate(tt.stop_ids)}
    t = tt.trip_ids.index("D6952")
    j = Journey((Leg("walk", s["BUS_HHE"], s["HHE1"], 18 * 3600, 18 * 3600 + 300),
                 Leg("transfer", s["HHE1"], s["HHE1"], 18 * 3600 + 300, 18 * 3600 + 300),
                 Leg("ride", s["HHE1"], s["BTE1"], 18 * 3600 + 1800, 19 * 3600 + 2400, t)))
    d = journey_dict(tt, idx, j)
    assert [leg["mode"] for leg in d["legs"]] == ["walk", "rail"]  # no leg for staying at one stop
    assert d["legs"][0]["departure"] == f"{DAY}T18:25:00+08:00" and d["legs"][0]["arrival"] == f"{DAY}T18:30:00+08:00"
    assert d["departure"] == f"{DAY}T18:25:00+08:00" and d["duration_min"] == 75
    assert d["fare"] == {"amount": 45.5, "currency": "CNY"}  # the walk costs nothing
