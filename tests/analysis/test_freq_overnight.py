"""`hbeu freq --window 22:00-02:00`: a window whose end is at or before its start runs past
midnight (22:00-26:00 on the service-day clock); a zero-length window is refused.

The hand-made feed has departures on both sides of midnight, on the report date's service day,
the day before's and the day after's. The expected counts come from the GTFS text files read
with the csv module (``freq_feeds``): every boardable departure's absolute time (its service
date's midnight plus the GTFS time) tested against the night from 22:00 on the report date to
02:00 the next morning (calendar clock), or the service day's GTFS times tested against
22:00-26:00 (service clock).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

import pytest
from freq_feeds import DAY, read_gtfs, runs_of_service_day

from conftest import run_main
from gtfs_factory import make_feed

WED, THU = dt.date(2024, 5, 15), dt.date(2024, 5, 16)
NIGHT = (22 * 3600, 26 * 3600)


def _only_on(service: str, day: dt.date) -> dict:
    return {"service_id": service, "date": day.strftime("%Y%m%d"), "exception_type": 1}


@pytest.fixture(scope="module")
def night_feed(tmp_path_factory):
    """Trips A -> B on Tue 14, Wed 15, Thu 16 May 2024 (services of one date each), plus an
    every-day evening trip (route E) for the date range."""
    def trip(dep: str, arr: str) -> list[tuple]:
        return [("A", dep, dep), ("B", arr, arr)]

    times = {  # trip: (service, departure from A, arrival at B)
        "tue_late": ("TUE", "25:30:00", "25:50:00"),     # Wed 01:30: the night before, not Wed's
        "wed_morning": ("WED", "00:30:00", "00:50:00"),  # Wed 00:30: the night before
        "wed_2150": ("WED", "21:50:00", "22:10:00"),     # before the window
        "wed_2230": ("WED", "22:30:00", "22:50:00"),
        "wed_2340": ("WED", "23:40:00", "24:20:00"),
        "wed_2510": ("WED", "25:10:00", "25:40:00"),     # Thu 01:10 on Wed's service day
        "wed_2630": ("WED", "26:30:00", "26:50:00"),     # Thu 02:30: after the window
        "thu_0020": ("THU", "00:20:00", "00:40:00"),     # Thu 00:20 on Thu's service day
        "thu_0159": ("THU", "01:59:00", "02:10:00"),
        "thu_0200": ("THU", "02:00:00", "02:20:00"),     # the end: not in [start, end)
        "thu_2300": ("THU", "23:00:00", "23:20:00"),
    }
    folder = make_feed(
        tmp_path_factory.mktemp("night") / "feed",
        stops=[("A", 0.0, 0.0), ("B", 0.0, 0.05)],
        stop_times={t: trip(dep, arr) for t, (_, dep, arr) in times.items()},
        trips=[{"trip_id": t, "service_id": s, "route_id": "R", "direction_id": 0} for t, (s, _, _) in times.items()],
        calendar=[],
        calendar_dates=[_only_on("TUE", dt.date(2024, 5, 14)), _only_on("WED", WED), _only_on("THU", THU)])
    return folder


def _departures(g: dict, day: dt.date, clock: str, window=NIGHT) -> dict[str, list[int]]:
    """stop -> boardable departure times (seconds after the report day's midnight) in the
    window: calendar clock, by absolute time over the service days around ``day``; service
    clock, the service day's own GTFS times."""
    out: dict[str, list[int]] = defaultdict(list)
    service_days = range(-4, 3) if clock == "calendar" else (0,)
    for k in service_days:
        for run in runs_of_service_day(g, day + dt.timedelta(days=k)):
            for e in run["events"]:
                t = e["dep"] + k * DAY
                if e["board"] and window[0] <= t < window[1]:
                    out[e["stop"]].append(t)
    return out


def _freq(folder, by: str, *args: str, monkeypatch, capsys, tmp_path) -> dict:
    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path))
    code, out, err = run_main(["freq", "--by", by, "--feed", str(folder), "--json", *args], monkeypatch, capsys)
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("clock", ["calendar", "service"])
@pytest.mark.parametrize("dates", [("--date", "2024-05-15"), ("--from", "2024-05-15", "--to", "2024-05-16")])
def test_an_overnight_window_counts_the_night_after_each_report_day(night_feed, clock, dates, monkeypatch,
                                                                   capsys, tmp_path):
    g = read_gtfs(night_feed)
    days = [WED] if len(dates) == 2 else [WED, THU]
    want = sum(len(_departures(g, d, clock)["A"]) for d in days) / len(days)
    if days == [WED]:   # the feed does what it says: Wed 22:30, 23:40, 01:10 (+ Thu 00:20, 01:59)
        assert want == (5 if clock == "calendar" else 3)
    for window in ("22:00-02:00", "22:00-26:00"):
        d = _freq(night_feed, "stop", "--window", window, "--clock", clock, *dates,
                  monkeypatch=monkeypatch, capsys=capsys, tmp_path=tmp_path)
        assert d["metadata"]["window"] == "22:00-26:00"
        row = {r["station_id"]: r for r in d["rows"]}["A"]
        assert row["window_departures_per_day"] == pytest.approx(want), window
        od = _freq(night_feed, "od", "--stations", "--window", window, "--clock", clock, *dates,
                   monkeypatch=monkeypatch, capsys=capsys, tmp_path=tmp_path)
        (pair,) = [r for r in od["rows"] if (r["origin_id"], r["destination_id"]) == ("A", "B")]
        assert pair["window_departures_per_day"] == pytest.approx(want), window


@pytest.mark.parametrize("clock", ["calendar", "service"])
def test_route_headways_in_an_overnight_window(night_feed, clock, monkeypatch, capsys, tmp_path):
    """gtfs-kit's headways: gaps between consecutive trip starts inside the window, bounds included."""
    g = read_gtfs(night_feed)
    starts = sorted(_departures(g, WED, clock, (NIGHT[0], NIGHT[1] + 1))["A"])
    gaps = [(b - a) / 60 for a, b in zip(starts, starts[1:])]
    d = _freq(night_feed, "route", "--window", "22:00-02:00", "--clock", clock, "--date", "2024-05-15",
              monkeypatch=monkeypatch, capsys=capsys, tmp_path=tmp_path)
    (row,) = d["rows"]
    assert (row["headway_min"], row["headway_max"]) == (round(min(gaps), 1), round(max(gaps), 1))
    assert row["headway_mean"] == pytest.approx(round(sum(gaps) / len(gaps), 1))


@pytest.mark.parametrize("command", [["freq"], ["circle", "A"], ["coverage"]])
@pytest.mark.parametrize("window", ["10:00-10:00", "00:00-00:00", "22:00-22:00"])
def test_a_zero_length_window_is_refused_in_one_line(night_feed, command, window, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path))
    code, out, err = run_main([*command, "--window", window, "--feed", str(night_feed), "--date", "2024-05-15"],
                              monkeypatch, capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert f"'{window}'" in err and "00:00-24:00" in err


def test_the_whole_day_is_00_00_24_00(night_feed, monkeypatch, capsys, tmp_path):
    g = read_gtfs(night_feed)
    d = _freq(night_feed, "stop", "--window", "00:00-24:00", "--date", "2024-05-15",
              monkeypatch=monkeypatch, capsys=capsys, tmp_path=tmp_path)
    row = {r["station_id"]: r for r in d["rows"]}["A"]
    assert row["window_departures_per_day"] == len(_departures(g, WED, "calendar", (0, DAY))["A"]) == 5
