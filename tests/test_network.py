"""The front door, hbeu_transit.Network: the same answers as the CLI recorded in tests/golden/
(before the orchestration moved out of cli/plan.py), results as dataclasses and DataFrames,
errors naming the parameter, and a warm plan without pandas."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

import hbeu_transit as hb

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
DAY = "2026-12-09"


def golden(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def net(tmp_path_factory) -> hb.Network:
    return hb.Network(cache_dir=tmp_path_factory.mktemp("net-cache"))


def test_plan_matches_the_recorded_cli_output(net):
    plan = net.plan("Baotou", "Hohhot", date=DAY, depart="07:00", window="2h")
    assert plan.to_dict() == golden("plan_baotou_hohhot_depart")
    plan = net.plan("包头", "呼和浩特", date=dt.date(2026, 12, 9), arrive_by=9 * 3600)
    assert plan.to_dict() == golden("plan_zh_arrive_by")


def test_plan_results_are_dataclasses_and_a_frame(net):
    plan = net.plan("Baotou", "Hohhot", date=DAY, depart=dt.time(7, 0), window=dt.timedelta(hours=2))
    n = len(golden("plan_baotou_hohhot_depart")["journeys"])
    assert n >= 2 and len(plan.journeys) == n      # n is exact (the golden); >= 2: the golden is no degenerate one
    j = plan.journeys[0]
    assert isinstance(j, hb.Journey) and isinstance(j.legs[0], hb.Leg)
    assert j.departure.tzinfo is not None and j.departure.utcoffset() == dt.timedelta(hours=8)
    df = plan.to_frame()
    assert list(df.columns[:5]) == ["departure", "arrival", "duration_min", "transfers", "fare"]
    assert len(df) == n
    for row, jj in zip(df.itertuples(index=False), plan.journeys):
        assert row.departure == jj.departure and row.arrival == jj.arrival
        assert row.duration_min == round((jj.arrival - jj.departure).total_seconds() / 60)
        assert row.first_train == jj.rides[0].name


def test_departures_commute_and_frequency_match_the_cli(net):
    board = net.departures("包头站", date=DAY, start="07:00", end="10:00")
    assert board.to_dict() == golden("departures_baotou")
    assert list(board.to_frame()["name"]) == [r["name"] for r in golden("departures_baotou")["departures"]]
    commute = net.commute("Baotou", "Hohhot East", arrive_by="09:00", leave_after="18:00", days=3,
                          date="2026-12-11")
    assert commute.to_dict() == golden("commute_baotou_hohhot_east")
    assert len(commute.to_frame()) == 6
    df = net.frequency("route", date=DAY)
    rows = golden("freq_route")["rows"]
    assert list(df["route_id"]) == [r["route_id"] for r in rows]
    assert list(df["trips_per_day"]) == [r["trips_per_day"] for r in rows]
    assert df.attrs["metadata"]["tool"] == "hbeu freq"


def test_stations_frame(net):
    df = net.stations("Baotou")
    # Baotou's two rail stations (its coach terminal sits under BTD) and the three custom-coach points
    assert set(df["stop_id"]) == {"BTD", "BTO", "BUS_CC_KDL", "BUS_CC_QS", "BUS_CC_DH"}
    assert list(df.columns) == ["stop_id", "name", "name_en", "area", "modes", "lat", "lon", "stop_ids"]
    assert df.set_index("stop_id").loc["BTO", "name_en"] == "Baotou"


def test_timetable_is_the_compiled_contract(net):
    tt = net.timetable(DAY)
    assert isinstance(tt, hb.Timetable) and tt.date == DAY
    # as many connections as the stdlib GTFS-text reference reads from the bundled feeds
    from reference.gtfs_text import reference_for

    bundled = sorted((Path(__file__).resolve().parents[1] / "data" / "gtfs").glob("*.zip"))
    assert len(bundled) == 2
    assert tt.n_connections == sum(len(reference_for(p, dt.date.fromisoformat(DAY)).connections()) for p in bundled)
    assert net.timetable(DAY) is tt  # kept in the object too


@pytest.mark.parametrize("call, param", [
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, depart="7x"), "depart"),
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, depart="07:00", arrive_by="09:00"), "arrive_by"),
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, window="2h", num=2), "window"),
    (lambda n: n.departures("Baotou", date=DAY, start="10:00", end="09:00"), "start"),
    (lambda n: n.commute("Baotou", "Hohhot", date=DAY, leave_after="25:99"), "leave_after"),
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, modes=","), "modes"),
    # days=0 said "the feeds have no weekday service days ... on or after 2026-12-09" (they have)
    (lambda n: n.commute("Baotou", "Hohhot", date=DAY, days=0), "days"),
    (lambda n: n.commute("Baotou", "Hohhot", date=DAY, days=-2), "days"),
    (lambda n: n.commute("Baotou", "Hohhot", date=DAY, days=2.5), "days"),
    # a return leaving work before the arrival there (one service day) was planned anyway
    (lambda n: n.commute("Baotou", "Hohhot", date=DAY, arrive_by="09:00", leave_after="07:00"), "leave_after"),
    # the CLI checks these with typer; from Python num=0 planned anyway, max_transfers=-1 was the
    # router's ValueError and within=nan numpy's "cannot convert float NaN to integer"
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, num=0), "num"),
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, max_transfers=-1), "max_transfers"),
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, max_transfers=1.5), "max_transfers"),
    (lambda n: n.commute("Baotou", "Hohhot", date=DAY, max_transfers=-1), "max_transfers"),
    (lambda n: n.circle("Hohhot", date=DAY, max_transfers=-1), "max_transfers"),
    (lambda n: n.coverage(date=DAY, max_transfers=-1), "max_transfers"),
    (lambda n: n.coverage(date=DAY, within=float("nan")), "within"),
    (lambda n: n.coverage(date=DAY, within=0), "within"),
    # a plan window that is no duration said "impossible duration '2x'", naming no option
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, window="2x"), "window"),
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, window="-1h"), "window"),
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, window=-30), "window"),
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, window=dt.timedelta(minutes=-30)), "window"),
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, window=float("nan")), "window"),   # NaN minutes: no duration
    # a window of 0 (as 0, "0m", "0h" or a zero timedelta) listed the journeys leaving at the very
    # minute asked: no span, so no window, refused as the CLI refuses it
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, window=0), "window"),
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, window="0m"), "window"),
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, window="0h"), "window"),
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, window=dt.timedelta(0)), "window"),
    # "transfer minutes must be >= 0", "walk meters ...": no parameter of that name; NaN passed
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, transfer_minutes=-5), "transfer_minutes"),
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, transfer_minutes=float("nan")), "transfer_minutes"),
    (lambda n: n.circle("Hohhot", date=DAY, walk_meters=-1), "walk_meters"),
    # numbers too big for the arrays: OverflowError / MemoryError tracebacks (the CLI too), and
    # max_transfers=100000 took 1.8 GB for one plan on the bundled feed
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, max_transfers=10**20), "max_transfers"),
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, max_transfers=100000), "max_transfers"),
    (lambda n: n.circle("Hohhot", date=DAY, max_transfers=10**20), "max_transfers"),
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, transfer_minutes=float("inf")), "transfer_minutes"),
    (lambda n: n.plan("Baotou", "Hohhot", date=DAY, transfer_minutes=1e20), "transfer_minutes"),
    (lambda n: n.circle("Hohhot", date=DAY, within=1e20), "within"),
    (lambda n: n.circle("Hohhot", date=DAY, step=1e20), "step"),
    (lambda n: n.coverage(date=DAY, within=1e20), "within"),
    (lambda n: n.coverage(date=DAY, road_within=1e20), "road_within"),
])
def test_errors_name_the_parameter_not_a_flag(net, call, param):
    with pytest.raises(hb.InputError) as e:
        call(net)
    assert param in str(e.value) and "--" not in str(e.value)
    assert "--" in e.value.render({param: "--" + param.replace("_", "-")})


def test_each_limit_itself_is_allowed(net):
    """MAX_TRANSFERS changes and MAX_MINUTES (a week) are the most a query may ask for, so asking
    for exactly that is an answer, not an error; one more is refused, naming the parameter."""
    from hbeu_transit.values import MAX_MINUTES, MAX_TRANSFERS

    most = net.plan("Baotou", "Hohhot", date=DAY, depart="07:00", max_transfers=MAX_TRANSFERS)
    assert most.to_dict()["journeys"] == net.plan("Baotou", "Hohhot", date=DAY, depart="07:00").to_dict()["journeys"]
    with pytest.raises(hb.InputError, match="max_transfers"):
        net.plan("Baotou", "Hohhot", date=DAY, depart="07:00", max_transfers=MAX_TRANSFERS + 1)
    kw = dict(origins="Baotou", destinations="Hohhot", date=DAY, window="07:00-08:00")
    week = net.coverage(within=MAX_MINUTES, road_within=MAX_MINUTES, **kw)
    assert list(zip(week["origin"], week["destination"])) == [("Baotou", "Hohhot")] and week["in_road_circle"].all()
    for param in ("within", "road_within"):
        with pytest.raises(hb.InputError, match=param):
            net.coverage(**{param: MAX_MINUTES + 1}, **kw)


def test_missing_feed_is_a_feed_error(tmp_path):
    with pytest.raises(hb.FeedError, match="nope.zip: no such file or folder"):
        hb.Network([tmp_path / "nope.zip"])


def test_warm_plan_imports_neither_pandas_nor_gtfs_kit(net):
    net.plan("Baotou", "Hohhot", date=DAY, depart="07:00")  # fills the cache
    probe = ("import sys, hbeu_transit as hb\n"
             f"p = hb.Network(cache_dir={str(net.cache_dir)!r}).plan('Baotou', 'Hohhot', date={DAY!r}, depart='07:00')\n"
             "assert p.journeys\n"
             "print([m for m in ('pandas', 'gtfs_kit') if m in sys.modules])\n")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_station_graph_on_a_warm_cache_reads_no_feed(tmp_path, monkeypatch):
    """`hbeu graph` takes its date from the place index, as plan does: on a warm cache it reads
    no feed (on hart, reading and checking the feed cost ~30 s a run), and a date outside the
    service dates is refused at once."""
    import networkx as nx

    from hbeu_transit.feed import load

    sample = ROOT / "tests" / "data" / "sample.zip"
    g = hb.Network([sample], cache_dir=tmp_path).station_graph("2007-06-05")

    def no_reading(*a, **k):
        raise AssertionError("the feed was read")

    monkeypatch.setattr(load, "load_feeds", no_reading)
    warm = hb.Network([sample], cache_dir=tmp_path)
    again = warm.station_graph("2007-06-05")
    assert nx.utils.graphs_equal(again, g) and again.graph == g.graph
    with pytest.raises(hb.InputError, match="outside the feeds' service dates"):
        warm.station_graph("2012-01-02")


def test_a_plan_finding_nothing_says_when_the_default_change_limit_hid_a_journey(tmp_path):
    """Without max_transfers the router allows 5 changes; a plan that finds nothing within them
    says so when more changes reach the destination (a cairns plan, 750414 -> 750070 arriving
    by 17:37, needs 6 and showed only "no journey found"). Seven buses in a row, A to H."""
    from gtfs_factory import make_feed

    stops = [(s, 0.0, 0.01 * i) for i, s in enumerate("ABCDEFGH")]
    hm = lambda m: f"{m // 60:02d}:{m % 60:02d}:00"  # noqa: E731
    times = {f"T{i}": [(a, hm(480 + 10 * i), hm(480 + 10 * i)), (b, hm(485 + 10 * i), hm(485 + 10 * i))]
             for i, (a, b) in enumerate(zip("ABCDEFG", "BCDEFGH"))}
    net = hb.Network([make_feed(tmp_path / "chain", stops=stops, stop_times=times)], cache_dir=tmp_path / "c")
    for when in ({"depart": "07:00"}, {"arrive_by": "10:00"}, {"depart": "07:00", "window": "2h"}):
        plan = net.plan("A", "H", date="2024-03-05", **when)
        assert plan.journeys == []
        assert any("within 5 changes" in n and "with 6 changes one leaves 08:00" in n for n in plan.notes), (when, plan.notes)
        assert net.plan("A", "H", date="2024-03-05", max_transfers=6, **when).journeys[0].transfers == 6
    # a limit the user gave is theirs: no note
    assert not any("changes" in n for n in net.plan("A", "H", date="2024-03-05", depart="07:00", max_transfers=5).notes)
    # nothing at all: no note either
    assert not any("changes" in n for n in net.plan("H", "A", date="2024-03-05", depart="07:00").notes)
