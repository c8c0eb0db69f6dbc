"""`hbeu commute` for a night shift: at work by 22:00, home after 06:00 the next morning
(`--leave-after 30:00`, a time of the same service day past 24:00).

Hand-made feeds (agency timezone Asia/Shanghai, +08:00; service every day of 2024, so
2024-12-31, a Tuesday, is the feeds' last service date). Every expected time is read off the
stop times below:

    night feed:  N1  H 21:00 -> W 21:40 (to work)
                 E1  W 05:30 -> H 06:10 (too early for a return after 06:00)
                 E2  W 06:20 -> H 07:00;  E3  W 07:20 -> H 08:00
    late feed:   N1  H 21:00 -> W 21:40
                 L1  W 24:30 -> H 25:10 (the service day's own trip, 00:30 the next morning)
    shift feed (at work by 25:30, 01:30 the next morning; home after 33:30, 09:30):
                 S1  H 23:40 -> W 24:20 (the day's own trip, arriving 00:20 the next morning)
                 M1  H 00:30 -> W 01:10 (each service date's first trip: the next date's is the latest)
                 M2  H 01:00 -> W 01:40 (too late for 01:30)
                 R1  W 09:40 -> H 10:20;  R2  W 10:40 -> H 11:20
"""

from __future__ import annotations

import json

import pytest
from conftest import pin_now, run_main

from gtfs_factory import make_feed

AGENCY = [{"agency_id": "A", "agency_name": "Night Bus", "agency_url": "https://example.org",
           "agency_timezone": "Asia/Shanghai"}]
STOPS = [("H", 40.80, 111.60), ("W", 40.80, 111.75)]
TO_WORK = {"N1": [("H", "21:00:00", "21:00:00"), ("W", "21:40:00", "21:40:00")]}


@pytest.fixture(scope="module")
def feeds(tmp_path_factory):
    root = tmp_path_factory.mktemp("night")
    night = make_feed(root / "night", agency=AGENCY, stops=STOPS, stop_times={
        **TO_WORK,
        "E1": [("W", "05:30:00", "05:30:00"), ("H", "06:10:00", "06:10:00")],
        "E2": [("W", "06:20:00", "06:20:00"), ("H", "07:00:00", "07:00:00")],
        "E3": [("W", "07:20:00", "07:20:00"), ("H", "08:00:00", "08:00:00")]})
    late = make_feed(root / "late", agency=AGENCY, stops=STOPS, stop_times={
        **TO_WORK, "L1": [("W", "24:30:00", "24:30:00"), ("H", "25:10:00", "25:10:00")]})
    shift = make_feed(root / "shift", agency=AGENCY, stops=STOPS, stop_times={
        "S1": [("H", "23:40:00", "23:40:00"), ("W", "24:20:00", "24:20:00")],
        "M1": [("H", "00:30:00", "00:30:00"), ("W", "01:10:00", "01:10:00")],
        "M2": [("H", "01:00:00", "01:00:00"), ("W", "01:40:00", "01:40:00")],
        "R1": [("W", "09:40:00", "09:40:00"), ("H", "10:20:00", "10:20:00")],
        "R2": [("W", "10:40:00", "10:40:00"), ("H", "11:20:00", "11:20:00")]})
    return {"night": night, "late": late, "shift": shift, "cache": root / "cache"}


@pytest.fixture
def hbeu(feeds, capsys, monkeypatch):
    pin_now(monkeypatch, "2024-03-04T12:00")
    monkeypatch.setenv("COLUMNS", "200")

    def run(feed: str, *args: str):
        return run_main(["commute", "H", "W", *args, "--feed", str(feeds[feed]), "--cache-dir",
                         str(feeds["cache"] / feed)], monkeypatch, capsys)

    return run


def evening(day):
    e = day["evening"]
    return [(j["departure"], j["arrival"]) if j else None for j in (e["journey"], e["alternative"])]


def test_a_return_past_midnight_rides_the_next_mornings_trips(hbeu):
    """The next morning's trips belong to the next service date: searching the service day's own
    timetable only, the night shift had no way home."""
    code, out, err = hbeu("night", "--arrive-by", "22:00", "--leave-after", "30:00", "--days", "2",
                          "--date", "2024-03-04", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["leave_after"] == "30:00" and d["notes"] == []
    assert [day["date"] for day in d["days"]] == ["2024-03-04", "2024-03-05"]
    for day, nxt in zip(d["days"], ["2024-03-05", "2024-03-06"]):
        assert day["morning"]["journey"]["departure"] == f"{day['date']}T21:00:00+08:00"
        assert evening(day) == [(f"{nxt}T06:20:00+08:00", f"{nxt}T07:00:00+08:00"),
                                (f"{nxt}T07:20:00+08:00", f"{nxt}T08:00:00+08:00")]
    code, out, err = hbeu("night", "--arrive-by", "22:00", "--leave-after", "30:00", "--days", "1",
                          "--date", "2024-03-04")
    assert code == 0, err
    home = next(line for line in out.splitlines() if " home " in line)
    assert "06:20+1" in home and "07:00+1" in home and "07:20+1" in home and "08:00+1" in home


def test_a_return_after_midnight_still_rides_the_days_own_late_trip(hbeu):
    """The next service date's timetable holds the day's trips still running after midnight:
    the 24:30 trip (00:30 on the next calendar date) stays the way home."""
    code, out, err = hbeu("late", "--arrive-by", "22:00", "--leave-after", "24:00", "--days", "1",
                          "--date", "2024-03-04", "--json")
    assert code == 0, err
    (day,) = json.loads(out)["days"]  # the alternative: the next day's own 24:30 run
    assert evening(day) == [("2024-03-05T00:30:00+08:00", "2024-03-05T01:10:00+08:00"),
                            ("2024-03-06T00:30:00+08:00", "2024-03-06T01:10:00+08:00")]
    code, out, err = hbeu("late", "--arrive-by", "22:00", "--leave-after", "24:00", "--days", "1",
                          "--date", "2024-03-04")
    assert code == 0 and "00:30+1" in next(line for line in out.splitlines() if " home " in line)


def test_the_feeds_last_day_has_no_next_morning(hbeu):
    """On the feeds' last service date the late trip of the day itself is still found, the next
    morning's are not (the feeds end): a note says so."""
    code, out, err = hbeu("late", "--arrive-by", "22:00", "--leave-after", "24:00", "--days", "1",
                          "--date", "2024-12-31", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert evening(d["days"][0]) == [("2025-01-01T00:30:00+08:00", "2025-01-01T01:10:00+08:00"), None]
    code, out, err = hbeu("night", "--arrive-by", "22:00", "--leave-after", "30:00", "--days", "1",
                          "--date", "2024-12-31", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert evening(d["days"][0]) == [None, None]
    (note,) = d["notes"]
    assert note == ("2024-12-31: the return after 30:00 can ride only that day's trips running past midnight: "
                    "the feeds end before 2025-01-01 (their last service date is 2024-12-31)")


def test_a_return_before_the_arrival_says_how_to_ask_for_the_next_morning(hbeu):
    code, out, err = hbeu("night", "--arrive-by", "22:00", "--leave-after", "06:00", "--days", "1",
                          "--date", "2024-03-04")
    assert code == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert "--leave-after 06:00 is before --arrive-by 22:00" in err
    assert "for the next morning write e.g. 30:00 (06:00 the next day)" in err


@pytest.mark.parametrize("date, nxt, offset", [("2024-03-09", "2024-03-10", "-08:00"),   # clocks go forward at 02:00
                                               ("2024-11-02", "2024-11-03", "-07:00")])  # and back at 02:00
def test_a_return_past_midnight_keeps_its_wall_clock_when_the_clocks_change(tmp_path, capsys, monkeypatch,
                                                                           date, nxt, offset):
    """The late feed in America/Los_Angeles: L1 leaves W at 24:30 of its service day, 00:30 the
    next morning, before the clocks change at 02:00 (still the offset of the service day). The
    next service date's timetable holds it, shifted to its clock: by 24 h only when that day's
    noon-minus-12h lies 24 h after the service day's (on a change night it was an hour off:
    in spring the return after 24:00 missed it, in autumn it showed 01:30)."""
    agency = [{**AGENCY[0], "agency_timezone": "America/Los_Angeles"}]
    feed = make_feed(tmp_path / "la", agency=agency, stops=STOPS, stop_times={
        **TO_WORK, "L1": [("W", "24:30:00", "24:30:00"), ("H", "25:10:00", "25:10:00")]})
    pin_now(monkeypatch, "2024-03-04T12:00")
    code, out, err = run_main(["commute", "H", "W", "--feed", str(feed), "--cache-dir", str(tmp_path / "cache"),
                               "--arrive-by", "22:00", "--leave-after", "24:00", "--days", "1", "--all-days",
                               "--date", date, "--json"], monkeypatch, capsys)
    assert code == 0, err
    (day,) = json.loads(out)["days"]
    assert evening(day)[0] == (f"{nxt}T00:30:00{offset}", f"{nxt}T01:10:00{offset}")


@pytest.mark.parametrize("date, want", [
    ("2024-11-03", ["2024-11-03T00:30:00-07:00", "2024-11-04T00:30:00-08:00"]),   # clocks back at 02:00
    ("2024-11-05", ["2024-11-05T00:30:00-08:00", "2024-11-06T00:30:00-08:00"]),
    ("2024-03-10", ["2024-03-10T00:30:00-08:00", "2024-03-11T00:30:00-07:00"]),   # clocks forward
])
def test_a_days_board_shows_the_day_befores_trip_after_midnight_when_the_clocks_go_back(tmp_path, capsys,
                                                                                        monkeypatch, date, want):
    """America/Los_Angeles, L1 leaves W at 24:30 every service day (00:30 the next morning).
    A date's board (no --start: from its 00:00) shows the day before's at 00:30 and its own at
    24:30. The night the clocks go back the day before's is at -00:30 on the date's GTFS clock
    (noon minus 12 h is 01:00 PDT), and the board started at 0 s of that clock, so it was missing."""
    agency = [{**AGENCY[0], "agency_timezone": "America/Los_Angeles"}]
    feed = make_feed(tmp_path / "la", agency=agency, stops=STOPS, stop_times={
        "L1": [("W", "24:30:00", "24:30:00"), ("H", "25:10:00", "25:10:00")]})
    pin_now(monkeypatch, "2024-03-04T12:00")
    code, out, err = run_main(["departures", "W", "--feed", str(feed), "--cache-dir", str(tmp_path / "cache"),
                               "--date", date, "--json"], monkeypatch, capsys)
    assert code == 0, err
    assert [r["departure"] for r in json.loads(out)["departures"]] == want


def _plan(feed, cache, monkeypatch, capsys, date, *args, ends=("H", "W")):
    pin_now(monkeypatch, "2024-03-04T12:00")
    monkeypatch.setenv("COLUMNS", "200")
    return run_main(["plan", *ends, "--feed", str(feed), "--cache-dir", str(cache), "--date", date, *args],
                    monkeypatch, capsys)


def test_the_next_service_after_a_plan_is_sought_from_the_same_instant_when_the_clocks_go_back(tmp_path, capsys,
                                                                                              monkeypatch):
    """America/Los_Angeles, every service day: A leaves W at 24:20 for X (24:40), B leaves X at
    00:50 for H (01:20). A plan on Sat 2024-11-02 departing 23:50 in a 20-minute window finds
    nothing (its A leaves at 24:20). The next service is the 2nd's A and the 3rd's B, which the
    2nd's timetable holds too (the night after it; riding the 3rd's B, the next service is
    dated the 3rd). It is also sought from the same instant, 23:50 PDT, on the 3rd's clock,
    which starts at 01:00 PDT (noon PST minus 12 h), 25 h after the 2nd's: 23:50 - 25 h = -01:10, so from its local
    midnight (-01:00). There the 2nd's A leaves at 00:20 PDT (-00:40) and reaches X at 00:40 PDT,
    before the 3rd's B at 00:50 on its clock (01:50 PDT), which reaches H at 01:20 on it: 09:20Z,
    01:20 PST (the hour after 01:00 comes twice). Shifted by 24 h (from 23:50 - 24 h = -00:10)
    the 2nd's A was missed and the 4th's journey offered.

    (This test asked for --depart 24:40 before plan searched the next service date's
    timetable for a departure past 24:00: that now finds the journey itself, below. Without a
    window the plan now goes on into the next date from the same instant, and shows it: the
    next service is asked for in a 20-minute window that holds none.)"""
    agency = [{**AGENCY[0], "agency_timezone": "America/Los_Angeles"}]
    feed = make_feed(tmp_path / "la", agency=agency, stops=[*STOPS, ("X", 40.80, 111.90)], stop_times={
        "A": [("W", "24:20:00", "24:20:00"), ("X", "24:40:00", "24:40:00")],
        "B": [("X", "00:50:00", "00:50:00"), ("H", "01:20:00", "01:20:00")]})
    code, out, err = _plan(feed, tmp_path / "cache", monkeypatch, capsys, "2024-11-02", "--depart", "23:50",
                           "--window", "20m", "--json", ends=("W", "H"))
    assert code == 0, err
    plan = json.loads(out)
    assert plan["journeys"] == []
    assert plan["next_service"] == {"date": "2024-11-03", "departure": "2024-11-03T00:20:00-07:00",
                                    "arrival": "2024-11-03T01:20:00-08:00"}
    code, out, err = _plan(feed, tmp_path / "cache", monkeypatch, capsys, "2024-11-02", "--depart", "23:50",
                           "--num", "1", "--json", ends=("W", "H"))
    assert code == 0, err
    plan = json.loads(out)
    assert [(j["departure"], j["arrival"], j["service_date"]) for j in plan["journeys"]] == [
        ("2024-11-03T00:20:00-07:00", "2024-11-03T01:20:00-08:00", "2024-11-02")]
    assert plan["next_service"] is None


def test_a_plan_departing_after_midnight_rides_the_next_dates_early_trips(feeds, capsys, monkeypatch):
    """`plan --depart 24:10` (00:10 the next morning) on the shift feed: the next service date's
    M1 (00:30) and M2 (01:00) are the journeys, as commute's --leave-after past 24:00 finds
    them. Searched in the day's timetable only there was none (its S1 left at 23:40, its M1 and
    M2 the morning before), the next date's M1 only in the "next service" line."""
    def plan(*args):
        return _plan(feeds["shift"], feeds["cache"] / "shift", monkeypatch, capsys, "2024-03-04", "--depart",
                     "24:10", "--num", "2", *args)

    code, out, err = plan("--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["query"]["depart"] == "2024-03-05T00:10:00+08:00"
    assert [(j["departure"], j["arrival"], j["legs"][0]["trip"]) for j in d["journeys"]] == [
        ("2024-03-05T00:30:00+08:00", "2024-03-05T01:10:00+08:00", "M1"),
        ("2024-03-05T01:00:00+08:00", "2024-03-05T01:40:00+08:00", "M2")]
    assert d.get("next_service") is None
    code, out, err = plan()
    assert code == 0, err
    rows = [line.split("│") for line in out.splitlines() if line.startswith(("│ 1 ", "│ 2 "))]
    assert [[c.strip() for c in r[2:4]] for r in rows] == [["00:30+1", "01:10+1"], ["01:00+1", "01:40+1"]]


def test_a_plan_departing_after_midnight_still_rides_the_days_own_late_trip(tmp_path, capsys, monkeypatch):
    """L1 leaves H at 24:10 of its service day (00:10 the next morning), M1 at 00:30 of each
    date. Leaving at or after 24:00 within an hour: the day's own L1 and the next date's M1
    (the next date's timetable holds both), each once. The day's timetable alone had only L1."""
    feed = make_feed(tmp_path / "twice", agency=AGENCY, stops=STOPS, stop_times={
        "L1": [("H", "24:10:00", "24:10:00"), ("W", "24:50:00", "24:50:00")],
        "M1": [("H", "00:30:00", "00:30:00"), ("W", "01:10:00", "01:10:00")]})
    code, out, err = _plan(feed, tmp_path / "cache", monkeypatch, capsys, "2024-03-04", "--depart", "24:00",
                           "--window", "1h", "--json")
    assert code == 0, err
    assert [(j["departure"], j["arrival"], j["legs"][0]["trip"]) for j in json.loads(out)["journeys"]] == [
        ("2024-03-05T00:10:00+08:00", "2024-03-05T00:50:00+08:00", "L1"),
        ("2024-03-05T00:30:00+08:00", "2024-03-05T01:10:00+08:00", "M1")]


def test_a_plan_departing_after_midnight_keeps_its_wall_clock_when_the_clocks_go_back(tmp_path, capsys,
                                                                                     monkeypatch):
    """America/Los_Angeles, N0 leaves W at 00:10 every service day. Departing 24:40 on Sat
    2024-11-02 is 00:40 PDT on the 3rd, whose GTFS clock starts at 01:00 PDT (noon PST minus
    12 h): -00:20 on it. The 3rd's N0 leaves at 00:10 on that clock, 01:10 PDT, and arrives
    00:50, 01:50 PDT: the journey. (From 24:40 - 24 h = 00:40 on the 3rd's clock, 01:40 PDT, it
    was missed; searched on the 2nd's timetable alone there was none, only a next-service line.)"""
    agency = [{**AGENCY[0], "agency_timezone": "America/Los_Angeles"}]
    feed = make_feed(tmp_path / "la", agency=agency, stops=STOPS, stop_times={
        "N0": [("W", "00:10:00", "00:10:00"), ("H", "00:50:00", "00:50:00")]})
    code, out, err = _plan(feed, tmp_path / "cache", monkeypatch, capsys, "2024-11-02", "--depart", "24:40", "--num",
                           "1", "--json", ends=("W", "H"))
    assert code == 0, err
    plan = json.loads(out)
    assert plan["query"]["depart"] == "2024-11-03T00:40:00-07:00"
    assert [(j["departure"], j["arrival"]) for j in plan["journeys"]] == [
        ("2024-11-03T01:10:00-07:00", "2024-11-03T01:50:00-07:00")]


def morning(day):
    m = day["morning"]
    return [(j["departure"], j["arrival"]) if j else None for j in (m["journey"], m["alternative"])]


def _commute(feed, cache, monkeypatch, capsys, date, *args):
    """`hbeu commute H W --days 1 --date DATE ARGS` on a hand-made feed: (exit code, out, err)."""
    pin_now(monkeypatch, "2024-03-04T12:00")
    monkeypatch.setenv("COLUMNS", "200")
    return run_main(["commute", "H", "W", "--feed", str(feed), "--cache-dir", str(cache), "--days", "1",
                     "--date", date, *args], monkeypatch, capsys)


def test_a_shift_starting_after_midnight_rides_the_next_dates_early_trips_to_work(hbeu):
    """--arrive-by 25:30 is 01:30 the next morning: the latest way there is the next service
    date's 00:30 trip, which only that date's timetable holds; the day's own 23:40 trip is the
    alternative. Searched in the day's timetable only, the 23:40 was the journey and the
    alternative the day's own 01:00 trip, a day early."""
    code, out, err = hbeu("shift", "--arrive-by", "25:30", "--leave-after", "33:30", "--days", "2",
                          "--date", "2024-03-04", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["arrive_by"] == "25:30" and d["notes"] == []
    for day, nxt in zip(d["days"], ["2024-03-05", "2024-03-06"]):
        assert morning(day) == [(f"{nxt}T00:30:00+08:00", f"{nxt}T01:10:00+08:00"),
                                (f"{day['date']}T23:40:00+08:00", f"{nxt}T00:20:00+08:00")]
        assert evening(day) == [(f"{nxt}T09:40:00+08:00", f"{nxt}T10:20:00+08:00"),
                                (f"{nxt}T10:40:00+08:00", f"{nxt}T11:20:00+08:00")]
    code, out, err = hbeu("shift", "--arrive-by", "25:30", "--leave-after", "33:30", "--days", "1",
                          "--date", "2024-03-04")
    assert code == 0, err
    to_work = next(line for line in out.splitlines() if " to work " in line).split("│")
    assert [c.strip() for c in to_work[3:5] + to_work[7:9]] == ["00:30+1", "01:10+1", "23:40", "00:20+1"]
    # a return before that arrival is refused, saying how to write the next morning
    code, out, err = hbeu("shift", "--arrive-by", "25:30", "--leave-after", "09:30", "--date", "2024-03-04")
    assert code == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert "--leave-after 09:30 is before --arrive-by 25:30" in err and "write e.g. 33:30" in err


def test_a_shift_after_midnight_on_the_feeds_last_day(hbeu):
    """The feeds end with 2024-12-31: the way to work by 25:30 can only be the day's own 23:40
    trip (the alternative, further back, is that day's own 01:00 run); one note says so."""
    code, out, err = hbeu("shift", "--arrive-by", "25:30", "--leave-after", "33:30", "--days", "1",
                          "--date", "2024-12-31", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert morning(d["days"][0])[0] == ("2024-12-31T23:40:00+08:00", "2025-01-01T00:20:00+08:00")
    assert evening(d["days"][0]) == [None, None]
    assert d["notes"] == ["2024-12-31: the way to work by 25:30 and the return after 33:30 can ride only that "
                          "day's trips running past midnight: the feeds end before 2025-01-01 (their last "
                          "service date is 2024-12-31)"]


def test_a_plan_arriving_by_the_next_morning_sees_the_next_dates_early_trips(feeds, capsys, monkeypatch):
    """`plan --arrive-by 25:30` (01:30 the next morning) as `commute` above: the next date's
    00:30 trip is the latest that makes it, the day's 23:40 the one before. Only the day's
    timetable was searched: in a 2h window only the 23:40 showed, and the latest journey was
    the day's own 01:00 trip, 24 hours early."""
    pin_now(monkeypatch, "2024-03-04T12:00")
    monkeypatch.setenv("COLUMNS", "200")

    def plan(*args):
        return run_main(["plan", "H", "W", "--feed", str(feeds["shift"]), "--cache-dir", str(feeds["cache"] / "shift"),
                         "--date", "2024-03-04", "--arrive-by", "25:30", *args], monkeypatch, capsys)

    code, out, err = plan("--window", "2h", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["query"]["arrive_by"] == "2024-03-05T01:30:00+08:00"
    assert [(j["departure"], j["arrival"]) for j in d["journeys"]] == [
        ("2024-03-04T23:40:00+08:00", "2024-03-05T00:20:00+08:00"),
        ("2024-03-05T00:30:00+08:00", "2024-03-05T01:10:00+08:00")]
    code, out, err = plan("--num", "1", "--json")
    assert code == 0, err
    assert [(j["departure"], j["arrival"]) for j in json.loads(out)["journeys"]] == [
        ("2024-03-05T00:30:00+08:00", "2024-03-05T01:10:00+08:00")]
    code, out, err = plan("--num", "1")
    assert code == 0, err
    row = next(line for line in out.splitlines() if line.startswith("│ 1 ")).split("│")
    assert [c.strip() for c in row[2:4]] == ["00:30+1", "01:10+1"]


def test_a_journey_after_midnight_on_the_days_own_trip_is_shown_once(tmp_path, capsys, monkeypatch):
    """L1 leaves H at 24:10 of its service day (00:10 the next morning): both the day's and the
    next date's timetables hold it, and a plan arriving by 25:30 searches both; it is one
    journey, shown once beside the next date's M1."""
    feed = make_feed(tmp_path / "twice", agency=AGENCY, stops=STOPS, stop_times={
        "L1": [("H", "24:10:00", "24:10:00"), ("W", "24:50:00", "24:50:00")],
        "M1": [("H", "00:30:00", "00:30:00"), ("W", "01:10:00", "01:10:00")]})
    pin_now(monkeypatch, "2024-03-04T12:00")
    code, out, err = run_main(["plan", "H", "W", "--feed", str(feed), "--cache-dir", str(tmp_path / "cache"),
                               "--date", "2024-03-04", "--arrive-by", "25:30", "--window", "2h", "--json"],
                              monkeypatch, capsys)
    assert code == 0, err
    assert [(j["departure"], j["legs"][0]["trip"]) for j in json.loads(out)["journeys"]] == [
        ("2024-03-05T00:10:00+08:00", "L1"), ("2024-03-05T00:30:00+08:00", "M1")]


def test_a_plan_departing_after_midnight_names_the_hidden_journey_on_the_days_clock(tmp_path, capsys, monkeypatch):
    """Seven rides S0 -> S1 -> ... -> S7 every service day, each its own trip (six changes, one
    more than the default limit), the first leaving S0 at 00:30. `--depart 24:10` finds none
    within five changes; the note names the next date's 00:30 chain as the day's clock reads
    it, 24:30 (the time asked was 24:10). Searched in the day's timetable only, nothing was
    left after 24:10 and there was no note."""
    stops = [(f"S{k}", 40.0 + 0.1 * k, 111.0) for k in range(8)]
    clock = lambda s: f"{s // 3600:02d}:{s % 3600 // 60:02d}:00"  # noqa: E731
    rides = {f"T{k}": [(f"S{k}", clock(1800 + k * 1200), clock(1800 + k * 1200)),
                       (f"S{k + 1}", clock(2400 + k * 1200), clock(2400 + k * 1200))] for k in range(7)}
    feed = make_feed(tmp_path / "chain", agency=AGENCY, stops=stops, stop_times=rides)
    code, out, err = _plan(feed, tmp_path / "cache", monkeypatch, capsys, "2024-03-04", "--depart", "24:10", "--json",
                           ends=("S0", "S7"))
    assert code == 0, err
    d = json.loads(out)
    assert d["journeys"] == []
    assert [n for n in d["notes"] if "the default limit" in n] == [
        "no journey within 5 changes (the default limit); with 6 changes one leaves 24:30 (max transfers 6)"]


def _chain(folder, start: int):
    """Seven rides S0 -> S1 -> ... -> S7 every service day, each its own trip (six changes, one more
    than the default limit): ride k leaves S_k at ``start`` + k * 20 min and is at S_k+1 10 min later."""
    stops = [(f"S{k}", 40.0 + 0.1 * k, 111.0) for k in range(8)]
    clock = lambda s: f"{s // 3600:02d}:{s % 3600 // 60:02d}:00"  # noqa: E731
    return make_feed(folder, agency=AGENCY, stops=stops, stop_times={
        f"T{k}": [(f"S{k}", clock(start + k * 1200), clock(start + k * 1200)),
                  (f"S{k + 1}", clock(start + k * 1200 + 600), clock(start + k * 1200 + 600))] for k in range(7)})


@pytest.mark.parametrize("date, start, args, leaves", [
    # the next date's chain, 00:30-02:40 on the 5th: arriving by 02:50 then (the day's own chain
    # left 24 h before, and the note named its 00:30) and in the hour before it
    ("2024-03-04", 1800, ("--arrive-by", "26:50"), "24:30"),
    ("2024-03-04", 1800, ("--arrive-by", "26:50", "--window", "1h"), "24:30"),
    # leaving 23:00-02:00: the next date's chain leaves in the window
    ("2024-03-04", 1800, ("--depart", "23:00", "--window", "3h"), "24:30"),
    # the day before's chain, 23:00 on the 4th - 01:10 on the 5th, arriving by 01:30 on the 5th
    ("2024-03-05", 23 * 3600, ("--arrive-by", "01:30"), "23:00 the day before"),
])
def test_the_change_limit_note_searches_where_the_plan_searched(tmp_path, capsys, monkeypatch, date, start, args,
                                                                 leaves):
    """A plan past midnight or early in the morning that finds nothing within the default five
    changes names the journey six would find in the timetables it searched (the next date's, the
    day before's), not only in the date's own: there it named the wrong journey or none."""
    feed = _chain(tmp_path / "chain", start)
    code, out, err = _plan(feed, tmp_path / "cache", monkeypatch, capsys, date, *args, "--json", ends=("S0", "S7"))
    assert code == 0, err
    d = json.loads(out)
    assert d["journeys"] == []
    assert [n for n in d["notes"] if "the default limit" in n] == [
        f"no journey within 5 changes (the default limit); with 6 changes one leaves {leaves} (max transfers 6)"]


# --- plan_arriving_across / commute_day(ahead=...) merge rules, each against a mutant of
# scripts/mutants.toml (found by helper mut3). The times below are read off each feed's stop times.

def _plan_across(tmp_path, capsys, monkeypatch, stop_times, *args, tz="Asia/Shanghai", date="2024-03-04",
                 arrive_by="25:30"):
    """`plan H W --arrive-by 25:30` on a hand-made feed: its journeys as (departure, arrival, changes)."""
    agency = [{**AGENCY[0], "agency_timezone": tz}]
    feed = make_feed(tmp_path / "f", agency=agency, stops=[*STOPS, ("X", 40.80, 111.68)], stop_times=stop_times)
    pin_now(monkeypatch, "2024-03-04T12:00")
    code, out, err = run_main(["plan", "H", "W", "--feed", str(feed), "--cache-dir", str(tmp_path / "cache"),
                               "--date", date, "--arrive-by", arrive_by, *args, "--json"], monkeypatch, capsys)
    assert code == 0, err
    return [(j["departure"], j["arrival"], j["transfers"]) for j in json.loads(out)["journeys"]]


#: D1 leaves H at 23:50 and crawls to W by 25:20 (01:20 the next morning); the next date's M1
#: leaves later (00:30) and is there sooner (01:10): it beats D1, though they are in different
#: timetables. (The day's own M1 is 24 h earlier.)
SLOW_AND_FAST = {"D1": [("H", "23:50:00", "23:50:00"), ("W", "25:20:00", "25:20:00")],
                 "M1": [("H", "00:30:00", "00:30:00"), ("W", "01:10:00", "01:10:00")]}


def test_a_plan_past_midnight_drops_a_journey_the_next_dates_trip_beats(tmp_path, capsys, monkeypatch):
    """--window 2h: D1 (the day's timetable) arrives in the window, but M1 (the next date's)
    leaves later, arrives earlier with as few changes: only M1 is worthwhile, as in a plan of one
    timetable (kills across-window-no-pruning, across-beats-strict-changes)."""
    assert _plan_across(tmp_path, capsys, monkeypatch, SLOW_AND_FAST, "--window", "2h") == [
        ("2024-03-05T00:30:00+08:00", "2024-03-05T01:10:00+08:00", 0)]


def test_a_plan_past_midnight_without_a_window_skips_the_beaten_journey(tmp_path, capsys, monkeypatch):
    """--num 2: the latest is the next date's M1; the day's D1 leaves earlier and arrives later
    than it, so the second shown is the next one back no chosen journey beats: the day's own M1,
    00:30 on the 4th (kills across-earlier-unpruned)."""
    assert _plan_across(tmp_path, capsys, monkeypatch, SLOW_AND_FAST, "--num", "2") == [
        ("2024-03-04T00:30:00+08:00", "2024-03-04T01:10:00+08:00", 0),
        ("2024-03-05T00:30:00+08:00", "2024-03-05T01:10:00+08:00", 0)]


def test_a_plan_past_midnight_keeps_every_journey_of_the_latest_departure(tmp_path, capsys, monkeypatch):
    """At 00:30 two ways leave H: the direct B1, at W 01:25, and T1 to X then T2, at W 01:00
    with a change. Both are the latest departure's worthwhile journeys (fewer changes, or
    sooner), so --num 1 shows both, as a plan in one timetable does (kills across-latest-one-only)."""
    assert _plan_across(tmp_path, capsys, monkeypatch, {
        "B1": [("H", "00:30:00", "00:30:00"), ("W", "01:25:00", "01:25:00")],
        "T1": [("H", "00:30:00", "00:30:00"), ("X", "00:40:00", "00:40:00")],
        "T2": [("X", "00:50:00", "00:50:00"), ("W", "01:00:00", "01:00:00")]}, "--num", "1") == [
        ("2024-03-05T00:30:00+08:00", "2024-03-05T01:00:00+08:00", 1),
        ("2024-03-05T00:30:00+08:00", "2024-03-05T01:25:00+08:00", 0)]


def test_a_plan_past_midnight_before_the_spring_change_uses_the_next_dates_clock(tmp_path, capsys, monkeypatch):
    """America/Los_Angeles, 2024-03-09, arriving by 25:30 (01:30 PST on the 10th, whose clocks
    go forward at 02:00). The 10th's GTFS clock starts at noon PDT minus 12 h, 23:00 PST on the
    9th, 23 h after the 9th's: 01:30 PST is 02:30 on it, so the 10th's M1 (GTFS 01:10-02:10,
    00:10-01:10 PST) makes it; and the 9th's S1 (23:50-24:40, to 00:40 PST), which the 10th's
    timetable holds too (at GTFS 00:50), is one journey. Read on the 9th's clock the 10th's
    arrive-by missed M1; shifted by a flat 24 h, S1 showed twice (kill
    across-next-arrive-by-days-clock, clock-shift-flat-day)."""
    assert _plan_across(tmp_path, capsys, monkeypatch, {
        "S1": [("H", "23:50:00", "23:50:00"), ("W", "24:40:00", "24:40:00")],
        "M1": [("H", "01:10:00", "01:10:00"), ("W", "02:10:00", "02:10:00")]}, "--window", "2h",
        tz="America/Los_Angeles", date="2024-03-09") == [
        ("2024-03-09T23:50:00-08:00", "2024-03-10T00:40:00-08:00", 0),
        ("2024-03-10T00:10:00-08:00", "2024-03-10T01:10:00-08:00", 0)]


def test_a_shift_after_midnight_takes_the_sooner_of_two_ways_leaving_together(hbeu, tmp_path, capsys, monkeypatch):
    """The day's own L1 leaves H at 24:30 (00:30 the next morning, at W 01:20) and the next
    date's M1 at 00:30 too, at W 01:10. Both leave at the same minute: the way to work is M1,
    the sooner; the alternative must leave at another time, the day's 23:40 S1 (kill
    commute-ahead-same-departure, commute-ahead-later-arrival-first)."""
    feed = make_feed(tmp_path / "same", agency=AGENCY, stops=STOPS, stop_times={
        "S1": [("H", "23:40:00", "23:40:00"), ("W", "24:20:00", "24:20:00")],
        "L1": [("H", "24:30:00", "24:30:00"), ("W", "25:20:00", "25:20:00")],
        "M1": [("H", "00:30:00", "00:30:00"), ("W", "01:10:00", "01:10:00")],
        "R1": [("W", "09:40:00", "09:40:00"), ("H", "10:20:00", "10:20:00")]})
    code, out, err = _commute(feed, tmp_path / "cache", monkeypatch, capsys, "2024-03-04", "--arrive-by", "25:30",
                              "--leave-after", "33:30", "--json")
    assert code == 0, err
    (day,) = json.loads(out)["days"]
    assert morning(day) == [("2024-03-05T00:30:00+08:00", "2024-03-05T01:10:00+08:00"),
                            ("2024-03-04T23:40:00+08:00", "2024-03-05T00:20:00+08:00")]


def test_arriving_by_midnight_before_the_spring_change_sees_the_next_dates_first_trip(tmp_path, capsys, monkeypatch):
    """America/Los_Angeles, M0 leaves H at GTFS 00:10 every service date. The 10th's clock
    starts at 23:00 PST on the 9th (noon PDT minus 12 h), so its M0 runs 23:10-23:50 PST on the
    9th: arriving by 24:00 on the 9th, it is the latest journey, in the 10th's timetable only
    (not the 9th's own 00:10 run, a day early). Kills across-at-24-not-searched (the next date
    searched only after 24:00). Found by helper mut3."""
    assert _plan_across(tmp_path, capsys, monkeypatch, {
        "M0": [("H", "00:10:00", "00:10:00"), ("W", "00:50:00", "00:50:00")]}, "--num", "1",
        tz="America/Los_Angeles", date="2024-03-09", arrive_by="24:00") == [
        ("2024-03-09T23:10:00-08:00", "2024-03-09T23:50:00-08:00", 0)]


# --- a journey leaving on the day before's late trips, arriving early on the date (found by a
# reviewer), and the next date's trips before 24:00 on the eve of the spring change (found by
# helper mut3). Worked out by hand from the stop times (helper midnight2).

#: every service date: E1 H 22:50 -> W 23:20; L1 H 23:40 -> W 24:04 (00:04 the next morning);
#: M1 H 00:30 -> W 01:00. Arriving by 01:05 on Sat 2024-03-02 (Asia/Shanghai), the journeys
#: are Saturday's M1 (00:30-01:00) and Friday's L1 (Fri 23:40 - Sat 00:04), which leaves before
#: Saturday's 00:00 and so is in Friday's timetable only (Saturday's holds Friday's hops leaving
#: after midnight). Friday's E1 arrives Fri 23:20, before the date; Friday's own M1 on the 1st.
EARLY = {"E1": [("H", "22:50:00", "22:50:00"), ("W", "23:20:00", "23:20:00")],
         "L1": [("H", "23:40:00", "23:40:00"), ("W", "24:04:00", "24:04:00")],
         "M1": [("H", "00:30:00", "00:30:00"), ("W", "01:00:00", "01:00:00")],
         "R1": [("W", "09:40:00", "09:40:00"), ("H", "10:20:00", "10:20:00")]}
FRI_L1 = ("2024-03-01T23:40:00+08:00", "2024-03-02T00:04:00+08:00", 0)
SAT_M1 = ("2024-03-02T00:30:00+08:00", "2024-03-02T01:00:00+08:00", 0)


def test_a_plan_arriving_early_rides_the_day_befores_late_trip(tmp_path, capsys, monkeypatch):
    """--num 2: Saturday's M1 and Friday's L1 (Saturday's timetable alone gave M1 only).
    --num 3 adds Friday's E1, which arrives on Friday, before the date: short of --num the plan
    goes on into the evening before (as a plan leaving at a time into the next morning). In a 2 h window (arrivals from Fri 23:05) the
    window says how far back: L1 and M1, E1 (at W 23:20) too (none beats another: each leaves
    later and arrives later); arriving by 01:00 in 1 h, L1 (at 00:04) and M1 (at 01:00). The
    table marks Friday's time -1."""
    def plan(*args):
        return _plan_across(tmp_path, capsys, monkeypatch, EARLY, *args, date="2024-03-02", arrive_by="01:05")

    assert plan("--num", "2") == [FRI_L1, SAT_M1]
    assert plan("--num", "3") == [("2024-03-01T22:50:00+08:00", "2024-03-01T23:20:00+08:00", 0), FRI_L1, SAT_M1]
    assert plan("--window", "2h") == [("2024-03-01T22:50:00+08:00", "2024-03-01T23:20:00+08:00", 0),
                                      FRI_L1, SAT_M1]
    # arrivals from 00:00: the window starts at the date's start, the 6 h looked back before it
    # reach into Friday, where L1 left
    assert plan("--window", "1h", "--arrive-by", "01:00") == [FRI_L1, SAT_M1]
    code, out, err = _plan(tmp_path / "f", tmp_path / "cache", monkeypatch, capsys, "2024-03-02", "--arrive-by",
                           "01:05", "--num", "2")
    assert code == 0, err
    rows = [line.split("│") for line in out.splitlines() if line.startswith(("│ 1 ", "│ 2 "))]
    assert [[c.strip() for c in r[2:4]] for r in rows] == [["23:40-1", "00:04"], ["00:30", "01:00"]]


def test_on_the_spring_change_date_the_day_befores_journeys_count_from_its_midnight(tmp_path, capsys, monkeypatch):
    """EARLY in America/Los_Angeles on Sun 2024-03-10, whose clock starts at 23:00 PST on the 9th
    (noon PDT minus 12 h). Arriving by 00:30: the 10th's M1 (GTFS 00:30-01:00: 23:30 PST on the
    9th - 00:00) and the 9th's L1 (23:40 - 00:04 on the 10th), as on any date; the 9th's E1
    arrives at 23:20 on the 9th, the day before: --num 3 shows it as the third, the evening
    before's, as on an ordinary date. commute by 00:02: the 10th's M1, and no alternative (E1
    arrives before the date's midnight; counted from the clock's start, 23:00 on the 9th, it was
    the alternative)."""
    agency = [{**AGENCY[0], "agency_timezone": "America/Los_Angeles"}]
    feed = make_feed(tmp_path / "la", agency=agency, stops=STOPS, stop_times=EARLY)
    code, out, err = _plan(feed, tmp_path / "cache", monkeypatch, capsys, "2024-03-10", "--arrive-by", "00:30",
                           "--num", "3", "--json")
    assert code == 0, err
    assert [(j["departure"], j["arrival"], j["service_date"]) for j in json.loads(out)["journeys"]] == [
        ("2024-03-09T22:50:00-08:00", "2024-03-09T23:20:00-08:00", "2024-03-09"),
        ("2024-03-09T23:30:00-08:00", "2024-03-10T00:00:00-08:00", "2024-03-10"),
        ("2024-03-09T23:40:00-08:00", "2024-03-10T00:04:00-08:00", "2024-03-09")]
    code, out, err = _commute(feed, tmp_path / "cache", monkeypatch, capsys, "2024-03-10", "--arrive-by", "00:02",
                              "--leave-after", "09:30", "--all-days", "--json")
    assert code == 0, err
    assert morning(json.loads(out)["days"][0]) == [("2024-03-09T23:30:00-08:00", "2024-03-10T00:00:00-08:00"), None]


@pytest.mark.parametrize("asked, want", [
    ({"arrive_by": "09:00", "window": "1h"}, []),   # the window and 6 h before it start at 02:00
    ({"arrive_by": "01:05", "num": 1}, [SAT_M1]),   # the date's M1: one as asked, L1 leaves earlier
])
def test_a_plan_arriving_early_compiles_the_day_before_only_when_it_can_matter(tmp_path, asked, want):
    """The day before's journeys not in the date's timetable leave before its start: they count
    in a window only when the window and the 6 h the plan looks back before it reach before the
    start, else only when the date gives fewer than --num (they leave before every one found).
    Otherwise the day before's timetable is not compiled (for a real feed, seconds)."""
    import hbeu_transit as hb

    net = hb.Network([make_feed(tmp_path / "early", agency=AGENCY, stops=STOPS, stop_times=EARLY)],
                     cache_dir=tmp_path / "cache")
    p = net.plan("H", "W", date="2024-03-02", **asked)
    assert [(j.departure.isoformat(), j.arrival.isoformat(), j.transfers) for j in p.journeys] == want
    assert {str(key[0]) for key in net._timetables} == {"2024-03-02"}


def test_a_shift_starting_early_in_the_morning_rides_the_day_befores_late_trip(tmp_path, capsys, monkeypatch):
    """commute --arrive-by 01:05 on Tue 2024-03-05: the way to work is the Tuesday's M1, the
    alternative Monday's L1 (Mon 23:40 - Tue 00:04), in Monday's timetable only (there was none).
    As plan's, only ways arriving on the date count: by 00:03 there is none."""
    feed = make_feed(tmp_path / "early", agency=AGENCY, stops=STOPS, stop_times=EARLY)

    def commute(by, *args):
        return _commute(feed, tmp_path / "cache", monkeypatch, capsys, "2024-03-05", "--arrive-by", by,
                        "--leave-after", "09:30", *args)

    code, out, err = commute("01:05", "--json")
    assert code == 0, err
    (day,) = json.loads(out)["days"]
    assert morning(day) == [("2024-03-05T00:30:00+08:00", "2024-03-05T01:00:00+08:00"),
                            ("2024-03-04T23:40:00+08:00", "2024-03-05T00:04:00+08:00")]
    # at work by 00:03 no way: L1 is there at 00:04, Monday's E1 at 23:20 on Monday, the day before
    code, out, err = commute("00:03", "--json")
    assert code == 0, err
    assert morning(json.loads(out)["days"][0]) == [None, None]
    code, out, err = commute("01:05")
    assert code == 0, err
    to_work = next(line for line in out.splitlines() if " to work " in line).split("│")
    assert [c.strip() for c in to_work[3:5] + to_work[7:9]] == ["00:30", "01:00", "23:40-1", "00:04"]


#: America/Los_Angeles, every service date: M0 H 00:10 -> W 00:50, R0 W 01:20 -> H 01:40 (GTFS).
#: The 10th's clock starts at 23:00 PST on Sat the 9th (noon PDT minus 12 h), so the 10th's M0
#: runs 23:10-23:50 PST on the 9th and its R0 00:20-00:40 PST on the 10th; the 9th's own M0
#: ran 00:10-00:50 that morning. Only the 10th's timetable holds the 10th's trips.
SPRING_EVE = {"M0": [("H", "00:10:00", "00:10:00"), ("W", "00:50:00", "00:50:00")],
              "R0": [("W", "01:20:00", "01:20:00"), ("H", "01:40:00", "01:40:00")]}
TENTHS_M0 = ("2024-03-09T23:10:00-08:00", "2024-03-09T23:50:00-08:00", 0)


def test_before_24_00_on_the_eve_of_the_spring_change_the_next_dates_trips_are_searched(tmp_path, capsys,
                                                                                       monkeypatch):
    """On the 9th, arriving by 23:59 the latest journey is the 10th's M0 (it was the 9th's own,
    a day early); leaving at 23:00, the 10th's M0 (there was none). The table shows 23:10 and
    23:50 with no marker: the 9th's evening."""
    def plan(*args):
        return _plan_across(tmp_path, capsys, monkeypatch, SPRING_EVE, *args, tz="America/Los_Angeles",
                            date="2024-03-09", arrive_by="23:59")

    assert plan("--num", "1") == [TENTHS_M0]
    code, out, err = _plan(tmp_path / "f", tmp_path / "cache", monkeypatch, capsys, "2024-03-09", "--depart", "23:00",
                           "--num", "1", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["query"]["depart"] == "2024-03-09T23:00:00-08:00"
    assert [(j["departure"], j["arrival"], j["transfers"]) for j in d["journeys"]] == [TENTHS_M0]
    code, out, err = _plan(tmp_path / "f", tmp_path / "cache", monkeypatch, capsys, "2024-03-09", "--depart", "23:00",
                           "--num", "1")
    assert code == 0, err
    row = next(line for line in out.splitlines() if line.startswith("│ 1 ")).split("│")
    assert [c.strip() for c in row[2:4]] == ["23:10", "23:50"]


def test_a_commute_on_the_eve_of_the_spring_change_rides_the_next_dates_trips(tmp_path, capsys, monkeypatch):
    """commute on the 9th, at work by 23:55, home after 23:55: to work the 10th's M0 (23:10 PST),
    home its R0 at 00:20 PST on the 10th. The 9th's timetable gave its own M0 (00:10 that
    morning) and no way home."""
    feed = make_feed(tmp_path / "la", agency=[{**AGENCY[0], "agency_timezone": "America/Los_Angeles"}],
                     stops=STOPS, stop_times=SPRING_EVE)
    code, out, err = _commute(feed, tmp_path / "cache", monkeypatch, capsys, "2024-03-09", "--arrive-by", "23:55",
                              "--leave-after", "23:55", "--all-days", "--json")
    assert code == 0, err
    (day,) = json.loads(out)["days"]
    assert morning(day)[0] == TENTHS_M0[:2]
    assert evening(day)[0] == ("2024-03-10T00:20:00-08:00", "2024-03-10T00:40:00-08:00")


def test_a_window_leaving_past_the_next_dates_start_rides_its_early_trips(tmp_path, capsys, monkeypatch):
    """EARLY on Sat 2024-03-02, --depart 23:30 --window 2h (leaving 23:30 to Sun 01:30):
    Saturday's L1 (23:40, at W Sun 00:04) and Sunday's M1 (Sun 00:30-01:00), which only
    Sunday's timetable holds (Saturday's had L1 alone). SLOW_AND_FAST, --depart 23:45 --window
    1h: the day's D1 (23:50, at W 01:20) is beaten by the next date's M1 (leaving 00:30, at W
    01:10): M1 alone, as a plan of one timetable keeps no journey another in the window beats."""
    feed = make_feed(tmp_path / "early", agency=AGENCY, stops=STOPS, stop_times=EARLY)

    def plan(*args):
        return _plan(feed, tmp_path / "cache", monkeypatch, capsys, "2024-03-02", "--depart", "23:30", "--window",
                     "2h", *args)

    code, out, err = plan("--json")
    assert code == 0, err
    assert [(j["departure"], j["arrival"], j["legs"][0]["trip"]) for j in json.loads(out)["journeys"]] == [
        ("2024-03-02T23:40:00+08:00", "2024-03-03T00:04:00+08:00", "L1"),
        ("2024-03-03T00:30:00+08:00", "2024-03-03T01:00:00+08:00", "M1")]
    code, out, err = plan()
    assert code == 0, err
    rows = [line.split("│") for line in out.splitlines() if line.startswith(("│ 1 ", "│ 2 "))]
    assert [[c.strip() for c in r[2:4]] for r in rows] == [["23:40", "00:04+1"], ["00:30+1", "01:00+1"]]
    slow = make_feed(tmp_path / "slow", agency=AGENCY, stops=STOPS, stop_times=SLOW_AND_FAST)
    code, out, err = _plan(slow, tmp_path / "cache2", monkeypatch, capsys, "2024-03-04", "--depart", "23:45",
                           "--window", "1h", "--json")
    assert code == 0, err
    assert [(j["departure"], j["arrival"]) for j in json.loads(out)["journeys"]] == [
        ("2024-03-05T00:30:00+08:00", "2024-03-05T01:10:00+08:00")]


def test_a_window_from_the_next_evening_rides_the_date_afters_early_trips(feeds, capsys, monkeypatch):
    """shift feed on Mon 2024-03-04, --depart 47:30 --window 2h (leaving Tue 23:30 to Wed 01:30):
    Tuesday's S1 (23:40, at W Wed 00:20) and Wednesday's M1 (00:30-01:10) and M2 (01:00-01:40),
    which only Wednesday's timetable holds, as --date 2024-03-05 --depart 23:30 --window 2h
    shows. Searched in Tuesday's timetable alone, S1 was the only one."""
    want = [("2024-03-05T23:40:00+08:00", "2024-03-06T00:20:00+08:00"),
            ("2024-03-06T00:30:00+08:00", "2024-03-06T01:10:00+08:00"),
            ("2024-03-06T01:00:00+08:00", "2024-03-06T01:40:00+08:00")]
    for date, depart in (("2024-03-05", "23:30"), ("2024-03-04", "47:30")):
        code, out, err = _plan(feeds["shift"], feeds["cache"] / "shift", monkeypatch, capsys, date, "--depart", depart,
                               "--window", "2h", "--json")
        assert code == 0, err
        assert [(j["departure"], j["arrival"]) for j in json.loads(out)["journeys"]] == want, depart


M1_TUE = {"date": "2024-03-05", "departure": "2024-03-05T01:45:00+08:00", "arrival": "2024-03-05T02:15:00+08:00"}


@pytest.mark.parametrize("x1, window, want, m1", [
    (("26:30:00", "27:00:00"), "2h", M1_TUE, ("01:45:00", "02:15:00")),
    (("26:30:00", "27:00:00"), "30m", M1_TUE, ("01:45:00", "02:15:00")),
    # Monday's own X1 at 24:50 (00:50 on Tuesday) comes first: it is the next one
    (("24:50:00", "25:20:00"), "30m",
     {"date": "2024-03-04", "departure": "2024-03-05T00:50:00+08:00", "arrival": "2024-03-05T01:20:00+08:00"},
     ("01:45:00", "02:15:00")),
    # Monday's X1 at 23:40 (not past midnight: in Monday's timetable only) arrives before M1
    (("23:40:00", "24:10:00"), "30m",
     {"date": "2024-03-04", "departure": "2024-03-04T23:40:00+08:00", "arrival": "2024-03-05T00:10:00+08:00"},
     ("01:45:00", "02:15:00")),
    # M1 at 06:45, after the night Monday's timetable holds of Tuesday's: before Monday's X1 at 30:50
    (("30:50:00", "31:20:00"), "30m",
     {"date": "2024-03-05", "departure": "2024-03-05T06:45:00+08:00", "arrival": "2024-03-05T07:15:00+08:00"},
     ("06:45:00", "07:15:00")),
])
def test_the_next_service_after_a_late_window_is_the_next_dates_early_trip_when_it_comes_first(
        tmp_path, capsys, monkeypatch, x1, window, want, m1):
    """Every service date: X1 H 26:30 -> W 27:00 (02:30-03:00 the next morning) and M1 H 01:45 ->
    W 02:15. On Mon 2024-03-04 nothing leaves 23:00-01:00 (or 23:00-23:30); the next journey is
    Tuesday's M1 at 01:45 (at W 02:15), before Monday's own X1 (02:30, at W 03:00), as
    --depart 25:00 --window 30m says (Monday's timetable holds Tuesday's M1 too: it leaves in
    the night after Monday). With X1 at 24:50 (at W 25:20, before M1) Monday's X1 is the next
    one, and so it is at 23:40, which only Monday's timetable holds. With M1 at 06:45 (after
    the night: in Tuesday's timetable only) and X1 at 30:50, Tuesday's M1 is the next one."""
    feed = make_feed(tmp_path / "late", agency=AGENCY, stops=STOPS, stop_times={
        "X1": [("H", x1[0], x1[0]), ("W", x1[1], x1[1])],
        "M1": [("H", m1[0], m1[0]), ("W", m1[1], m1[1])]})
    code, out, err = _plan(feed, tmp_path / "cache", monkeypatch, capsys, "2024-03-04", "--depart", "23:00",
                           "--window", window, "--json")
    assert code == 0, err
    plan = json.loads(out)
    assert plan["journeys"] == [] and plan["next_service"] == want


LAST_S1 = ("2024-12-31T23:40:00+08:00", "2025-01-01T00:20:00+08:00")


@pytest.mark.parametrize("date, args, want", [
    ("2024-12-31", ("--depart", "24:10"), []),
    ("2024-12-31", ("--depart", "23:30", "--window", "2h"), [LAST_S1]),
    ("2024-12-31", ("--arrive-by", "25:30", "--window", "2h"), [LAST_S1]),
    ("2024-12-30", ("--depart", "24:10"), [("2024-12-31T00:30:00+08:00", "2024-12-31T01:10:00+08:00"),
                                           ("2024-12-31T01:00:00+08:00", "2024-12-31T01:40:00+08:00"),
                                           LAST_S1]),
])
def test_a_plan_past_midnight_on_the_feeds_last_date_says_the_feeds_end(feeds, capsys, monkeypatch, date, args, want):
    """shift feed, whose last service date is Tue 2024-12-31: past its midnight only its own S1
    (23:40, at W 00:20) can be found; the next date's trips are not known, which a note says, as
    commute's does (no journey leaving 00:10 was all --depart 24:10 said). The day before, the
    next date (the 31st) is in the feeds: its M1, M2 and S1, and no note."""
    code, out, err = _plan(feeds["shift"], feeds["cache"] / "shift", monkeypatch, capsys, date, *args, "--json")
    assert code == 0, err
    d = json.loads(out)
    assert [(j["departure"], j["arrival"]) for j in d["journeys"]] == want
    note = "the feeds end on 2024-12-31: no trip of 2025-01-01 is known, only 2024-12-31's running past midnight"
    assert d["notes"] == ([note] if date == "2024-12-31" else [])


def test_a_window_ending_before_the_next_dates_start_compiles_only_the_date(tmp_path):
    """--depart 23:30 --window 20m ends at 23:50, before Sunday's start: Saturday's L1 only, and
    Sunday's timetable, which cannot add a journey leaving by then, is not compiled."""
    import hbeu_transit as hb

    net = hb.Network([make_feed(tmp_path / "early", agency=AGENCY, stops=STOPS, stop_times=EARLY)],
                     cache_dir=tmp_path / "cache")
    p = net.plan("H", "W", date="2024-03-02", depart="23:30", window="20m")
    assert [(j.departure.isoformat(), j.arrival.isoformat()) for j in p.journeys] == [
        ("2024-03-02T23:40:00+08:00", "2024-03-03T00:04:00+08:00")]
    assert {str(key[0]) for key in net._timetables} == {"2024-03-02"}


FIRST_M1 = ("2024-01-01T00:30:00+08:00", "2024-01-01T01:10:00+08:00")
FIRST_NOTE = ("the feeds start on 2024-01-01: no trip of 2023-12-31 is known, so none of its late ones running "
              "past midnight")


@pytest.mark.parametrize("date, args, want, noted", [
    ("2024-01-01", ("--arrive-by", "00:30"), [], True),
    ("2024-01-01", ("--arrive-by", "01:30"), [FIRST_M1], True),
    ("2024-01-01", ("--arrive-by", "02:00", "--window", "2h"),
     [FIRST_M1, ("2024-01-01T01:00:00+08:00", "2024-01-01T01:40:00+08:00")], True),
    # the window and the 6 h looked back before it stay on the date: the day before is not searched
    ("2024-01-01", ("--arrive-by", "12:00", "--window", "1h"), [], False),
    # the 2nd's M1, the 1st's S1, then (--num 3) the 1st's M2: the evening before's journeys
    ("2024-01-02", ("--arrive-by", "01:30"), [("2024-01-01T01:00:00+08:00", "2024-01-01T01:40:00+08:00"),
                                              ("2024-01-01T23:40:00+08:00", "2024-01-02T00:20:00+08:00"),
                                              ("2024-01-02T00:30:00+08:00", "2024-01-02T01:10:00+08:00")], False),
    # a day's window from 01:30 on the 1st: its M2, S1 and the 2nd's M1. The 1st's M1, direct and
    # arriving before the window, beats any journey leaving before it: 2023-12-31 is not looked at
    ("2024-01-02", ("--arrive-by", "01:30", "--window", "24h"),
     [("2024-01-01T01:00:00+08:00", "2024-01-01T01:40:00+08:00"),
      ("2024-01-01T23:40:00+08:00", "2024-01-02T00:20:00+08:00"),
      ("2024-01-02T00:30:00+08:00", "2024-01-02T01:10:00+08:00")], False),
    # a window from 23:00 on 2023-12-31: its S1 would arrive in it, but is not known
    ("2024-01-01", ("--arrive-by", "23:00", "--window", "24h"),
     [FIRST_M1, ("2024-01-01T01:00:00+08:00", "2024-01-01T01:40:00+08:00")], True),
])
def test_an_early_arrive_by_on_the_feeds_first_date_says_the_feeds_start(feeds, capsys, monkeypatch, date, args,
                                                                          want, noted):
    """shift feed, whose first service date is Mon 2024-01-01: arriving by 00:30 that day only
    the day before's S1 (23:40, at W 00:20) would do, and by 01:30 it would be the latest but one
    after the date's own M1; the feeds know no trip of 2023-12-31, which a note says, as the plan
    past their last date says they end. The next day the 1st's S1 is found and nothing is noted;
    arriving by 12:00 in a 1 h window the day before is never looked at: no note either."""
    code, out, err = _plan(feeds["shift"], feeds["cache"] / "shift", monkeypatch, capsys, date, *args, "--json")
    assert code == 0, err
    d = json.loads(out)
    assert [(j["departure"], j["arrival"]) for j in d["journeys"]] == want
    assert d["notes"] == ([FIRST_NOTE] if noted else [])


def test_an_early_shift_on_the_feeds_first_date_says_the_feeds_start(hbeu):
    """At work by 01:05 from Mon 2024-01-01: that day only the day before's S1 (23:40, at W 00:20)
    would do (M1 arrives 01:10), and the feeds start on the 1st: a note says so for that day; on
    the 2nd the 1st's S1 is the way."""
    code, out, err = hbeu("shift", "--arrive-by", "01:05", "--leave-after", "09:30", "--days", "2",
                          "--date", "2024-01-01", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert [day["date"] for day in d["days"]] == ["2024-01-01", "2024-01-02"]
    assert morning(d["days"][0]) == [None, None]
    assert morning(d["days"][1]) == [("2024-01-01T23:40:00+08:00", "2024-01-02T00:20:00+08:00"), None]
    assert d["notes"] == ["2024-01-01: the way to work by 01:05 can ride only that day's own trips: the feeds "
                          "start on 2024-01-01"]


#: X leaves H at 23:50 and reaches W at 26:10 (02:10 the next morning); N runs at noon
OVERNIGHT = {"X": [("H", "23:50:00", "23:50:00"), ("W", "26:10:00", "26:10:00")],
             "N": [("H", "12:00:00", "12:00:00"), ("W", "12:40:00", "12:40:00")]}


@pytest.mark.parametrize("window, want", [
    # from Mon 01:30 to Tue 01:30: Sunday's X (at W Mon 02:10) and Monday's N
    ("24h", [("2024-03-03T23:50:00+08:00", "2024-03-04T02:10:00+08:00"),
             ("2024-03-04T12:00:00+08:00", "2024-03-04T12:40:00+08:00")]),
    # from Mon 05:30: Sunday's X arrives before it
    ("20h", [("2024-03-04T12:00:00+08:00", "2024-03-04T12:40:00+08:00")]),
])
def test_a_days_window_back_from_an_early_arrival_rides_the_date_two_days_back(tmp_path, capsys, monkeypatch,
                                                                               window, want):
    """Tue 2024-03-05 --arrive-by 01:30 --window 24h: the window starts at 01:30 on Monday, where
    Sunday's X (23:50, at W 02:10) arrives; only Sunday's timetable holds it (Monday's holds
    Sunday's hops leaving after Monday's start), and the day before (Monday) was the furthest
    searched. No journey in the window beats another (the later leaves later)."""
    feed = make_feed(tmp_path / "over", agency=AGENCY, stops=STOPS, stop_times=OVERNIGHT)
    code, out, err = _plan(feed, tmp_path / "cache", monkeypatch, capsys, "2024-03-05", "--arrive-by", "01:30",
                           "--window", window, "--json")
    assert code == 0, err
    assert [(j["departure"], j["arrival"]) for j in json.loads(out)["journeys"]] == want


@pytest.mark.parametrize("args, value", [
    (("--arrive-by", "01:30", "--window", "26h"), "26h"),   # would reach Sunday 23:30
    (("--depart", "23:00", "--window", "1441"), "1441"),    # minutes: a day and one minute
])
def test_a_plan_window_over_a_day_is_refused(feeds, capsys, monkeypatch, args, value):
    """A plan searches the date and the next one or the ones before, not several days: a window
    over 24 h is refused in one line naming it (it missed the trips of dates further away:
    --depart 23:00 --window 26h on Tue never reached Thursday's 00:30)."""
    code, out, err = _plan(feeds["shift"], feeds["cache"] / "shift", monkeypatch, capsys, "2024-03-05", *args)
    assert code == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"error: --window '{value}' is longer than 24h"), err
