"""Frequency tables against a brute-force count from stop_times (tests/freq_feeds.py), gtfs-kit,
and the regional feed's headline figure."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, missing
from freq_feeds import (brute_hour, brute_od, brute_route, brute_stop, city_of, clock_text, corner_feed,
                        read_gtfs, report_runs, secs, services_on)
from gtfs_factory import write_feed
from hbeu_transit.analysis import frequency as fr
from hbeu_transit.analysis.freqdata import FreqData, freq_cache_path, load_freq_data
from hbeu_transit.errors import InputError
from hbeu_transit.feed import load_feeds

MINUTE = 0.051  # minutes are rounded to 0.1
CLOCKS = ("calendar", "service")
# Sat 25 May .. Sat 1 Jun 2024: a Monday holiday (27th), a removal-only Wednesday (29th),
# a calendar_dates-only peak Friday (31st), both weekend days
WEEK = fr.date_range(dt.date(2024, 5, 25), dt.date(2024, 6, 1))


@pytest.fixture(scope="module")
def corner(tmp_path_factory):
    folder = corner_feed(tmp_path_factory.mktemp("corner") / "feed")
    return load_feeds([folder]), read_gtfs(folder), folder


def places(feed, *names: str) -> list[tuple[str, ...]]:
    """Places named as every command names them (the place index's resolver): their stop_ids."""
    from hbeu_transit.places import build_index

    idx = _indexes.setdefault(id(feed), build_index(feed, "test"))
    return [idx.resolve(n).stop_ids for n in names]


_indexes: dict[int, object] = {}


def _hours(row: pd.Series) -> dict[int, float]:
    return {int(c[1:]): float(row[c]) for c in row.index if c[0] == "h" and c[1:].isdigit() and row[c]}


def check_route(f, g, days, clock):
    got = fr.route_frequency(f, days, clock=clock).set_index("route_id")
    want = brute_route(g, days, clock)
    assert set(got.index) == set(want)
    for route, w in want.items():
        r = got.loc[route]
        assert r.trips_per_day == pytest.approx(w["trips_per_day"], abs=1e-3)
        assert (r.first_departure, r.last_departure) == (clock_text(w["first"]), clock_text(w["last"]))
        for k in ("headway_min", "headway_mean", "headway_max"):
            if w[k] is None:
                assert np.isnan(r[k])
            else:
                assert r[k] == pytest.approx(w[k], abs=MINUTE)


def check_stop(f, g, days, clock):
    got = fr.stop_frequency(f, days, clock=clock).set_index("station_id")
    want = brute_stop(g, days, clock)
    assert set(got.index) == set(want)
    for s, w in want.items():
        r = got.loc[s]
        assert r.departures_per_day == pytest.approx(w["per_day"], abs=1e-3)
        assert _hours(r) == pytest.approx(w["hours"], abs=1e-3)
        assert (r.first_departure, r.last_departure) == (clock_text(w["first"]), clock_text(w["last"]))


def check_od(f, g, days, clock, **kw):
    got = fr.od_frequency(f, days, clock=clock, **kw)
    got = got.set_index(["origin_id", "destination_id"])
    want = brute_od(g, days, clock, place=None if not kw.get("stations") else
                    {s: (r.get("parent_station") or s) for s, r in ((r["stop_id"], r) for r in g["stops"])})
    assert set(got.index) == set(want)
    for key, w in want.items():
        r = got.loc[key]
        assert r.departures_per_day == pytest.approx(w["per_day"], abs=1e-3)
        assert (r.first_departure, r.last_departure) == (clock_text(w["first"]), clock_text(w["last"]))
        assert r.fastest_min == pytest.approx(w["fastest"], abs=MINUTE)
        assert r.median_min == pytest.approx(w["median"], abs=MINUTE)
        assert _hours(r) == pytest.approx(w["hours"], abs=1e-3)


def check_hour(f, g, days, clock):
    got = fr.hourly_frequency(f, days, clock=clock)
    want = brute_hour(g, days, clock)
    got_total = {int(h): float(v) for h, v in zip(got["hour"], got["total"]) if v}
    assert got_total == pytest.approx(want, abs=1e-3)
    modes = got.attrs["hbeu"]["mode_columns"]
    assert np.allclose(got[modes].sum(axis=1), got["total"], atol=1e-2)


# ---------------------------------------------------------------------------- hand-made feed


def cached(folder, tmp) -> FreqData:
    """The feed's arrays as a warm ``hbeu freq`` gets them: prepared, written to the cache, read back."""
    load_freq_data([folder], cache_dir=tmp)
    assert freq_cache_path([folder], tmp).is_file()
    return load_freq_data([folder], cache_dir=tmp, feed_loader=lambda: pytest.fail("a warm cache read the feed"))


@pytest.fixture(scope="module")
def corner_cached(corner, tmp_path_factory):
    return cached(corner[2], tmp_path_factory.mktemp("corner-cache")), corner[1]


@pytest.mark.parametrize("source", ["feed", "cache"])
@pytest.mark.parametrize("clock", CLOCKS)
def test_tables_equal_brute_force_on_corner_feed(corner, corner_cached, clock, source):
    f, g = corner[:2] if source == "feed" else corner_cached
    for days in (WEEK, [dt.date(2024, 5, 28)], [dt.date(2024, 5, 27)]):
        check_route(f, g, days, clock)
        check_stop(f, g, days, clock)
        check_od(f, g, days, clock)
        check_od(f, g, days, clock, stations=True)
        check_hour(f, g, days, clock)


def test_trip_past_midnight_counts_in_hour_00_next_day_or_hour_24(corner):
    """T2 leaves Q at 24:26 on weekday service; at R the night bus T8 leaves at 25:10 and the
    24:30 frequency run of T4 at 25:06."""
    f = corner[0]
    tue, wed = dt.date(2024, 5, 28), dt.date(2024, 5, 29)
    svc = fr.stop_frequency(f, [tue], clock="service").set_index("station_id")
    # Q in hour 24: T2 at 24:26 and the 24:00 and 24:30 runs of T4 (23:00-25:00 every 30 min)
    assert svc.loc["Q", "h24"] == 3 and svc.loc["R", "h25"] == 2  # service day, hours >= 24
    cal_wed = fr.stop_frequency(f, [wed], clock="calendar").set_index("station_id")
    # Wednesday 29th has no weekday service of its own, yet Tuesday's night trips run in its hour 00/01
    assert cal_wed.loc["Q", "h00"] == 3 and cal_wed.loc["R", "h01"] == 2
    cal_tue = fr.stop_frequency(f, [tue], clock="calendar").set_index("station_id")
    assert "h24" not in cal_tue.columns
    hours = fr.hourly_frequency(f, [tue], clock="service")
    # the last boardable departures: T8 leaves R at 25:10, the 24:30 run of T4 leaves R at 25:06
    assert hours["hour"].max() == 25 and hours.set_index("hour").loc[25, "total"] == 2


def test_day_types_are_never_mixed(corner):
    f, g = corner[:2]
    got = fr.route_frequency(f, WEEK, clock="service").set_index("route_id")
    meta = got.attrs["hbeu"]
    assert meta["days_by_type"] == {"weekday": 3, "saturday": 2, "sunday": 1, "holiday": 2}
    assert meta["holidays"] == ["2024-05-27", "2024-05-31"]
    for route in got.index:
        per_type: dict[str, list[int]] = {}
        for d in WEEK:
            n = sum(1 for r in report_runs(g, d, "service") if r["route"] == route)
            t = "holiday" if d.isoformat() in meta["holidays"] else fr.day_type(d)
            per_type.setdefault(t, []).append(n)
        for t, ns in per_type.items():
            assert got.loc[route, f"per_{t}"] == pytest.approx(sum(ns) / len(ns), abs=1e-3)
    only = fr.route_frequency(f, WEEK, clock="service", day_types=["weekday"])
    assert only.attrs["hbeu"]["days"] == 3
    assert "per_holiday" not in only.columns


def test_holiday_rule(corner, caltrain_zip):
    f = corner[0]
    assert fr.holiday_dates(f, WEEK) == {dt.date(2024, 5, 27), dt.date(2024, 5, 31)}
    assert fr.route_frequency(f, WEEK, holidays="none").attrs["hbeu"]["holidays"] == []
    mine = fr.route_frequency(f, WEEK, holidays={dt.date(2024, 5, 28)})
    assert mine.attrs["hbeu"]["holidays"] == ["2024-05-28"]
    cal = load_feeds([caltrain_zip])
    got = fr.holiday_dates(cal, fr.date_range(dt.date(2017, 7, 15), dt.date(2019, 7, 20)))
    assert got == {dt.date(2017, 9, 4), dt.date(2017, 11, 23), dt.date(2017, 12, 25), dt.date(2018, 1, 1),
                   dt.date(2018, 5, 28), dt.date(2018, 7, 4)}


def test_combined_destinations_count_a_trip_once(corner):
    f, g = corner[:2]
    day = [dt.date(2024, 5, 31)]  # the peak trip T7 serves Beta and Gamma
    got = fr.od_frequency(f, day, origins=places(f, "Alpha"), destinations=places(f, "Beta", "gamma"), combine_destinations=True,
                          clock="service")
    assert list(got["destination"]) == ["Beta+Gamma"]
    city = city_of(g)
    want = 0
    for r in report_runs(g, day[0], "service"):
        ev = r["events"]
        hit = any(ev[i]["board"] and city[ev[i]["stop"]] == "C1" and ev[j]["alight"]
                  and city[ev[j]["stop"]] in ("C2", "C3") for i in range(len(ev)) for j in range(i + 1, len(ev)))
        want += hit
    assert got["departures_per_day"].iloc[0] == want
    pairs = fr.od_frequency(f, day, origins=places(f, "Alpha"), clock="service").set_index("destination")
    assert pairs.loc["Beta", "departures_per_day"] + pairs.loc["Gamma", "departures_per_day"] > want


def test_station_pairs_filtered_by_platform_or_name(corner):
    f = corner[0]
    day = [dt.date(2024, 5, 28)]
    a = fr.od_frequency(f, day, stations=True, origins=places(f, "P1"), destinations=places(f, "R City"))
    b = fr.od_frequency(f, day, stations=True, origins=places(f, "p station"), destinations=places(f, "R"))
    pd.testing.assert_frame_equal(a, b)
    assert a[["origin_id", "destination_id"]].values.tolist() == [["PST", "R"]]


def test_progress_reports_every_date(corner):
    f = corner[0]
    seen = []
    fr.stop_frequency(f, WEEK, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(i + 1, len(WEEK)) for i in range(len(WEEK))]


def test_modes_filter(corner):
    f = corner[0]
    rail = fr.route_frequency(f, WEEK, modes=("rail",))
    assert set(rail["mode"]) == {"rail"}
    assert set(fr.hourly_frequency(f, WEEK, modes=("bus",)).columns) >= {"bus", "total"}


def test_departures_table_matches_brute_force(corner):
    f, g = corner[:2]
    for clock in CLOCKS:
        ev = fr.departures(f, WEEK, clock=clock)
        for d in WEEK:
            want = sum(1 for r in report_runs(g, d, clock) for e in r["events"]
                       if clock == "service" or 0 <= e["dep"] < 86400)
            assert (ev["day"] == d.isoformat()).sum() == want
        assert set(ev.columns) >= {"day", "service_date", "trip_id", "route_id", "mode", "stop_id", "station_id",
                                   "area_id", "departure_s", "hour"}


def test_stop_table_sums_to_hour_table(corner):
    f = corner[0]
    stop = fr.stop_frequency(f, WEEK)
    hour = fr.hourly_frequency(f, WEEK)
    hcols = [c for c in stop.columns if c[0] == "h" and c[1:].isdigit()]
    assert np.allclose(stop[hcols].sum().to_numpy(), hour["total"].to_numpy(), atol=1e-2)


def test_blank_times_are_interpolated(tmp_path):
    from gtfs_factory import make_feed

    folder = make_feed(tmp_path / "f", stops=[("A", 0, 0), ("B", 0, 0.01), ("C", 0, 0.02)],
                       stop_times={"T": [("A", "08:00:00", "08:00:00"), ("B", "", ""), ("C", "09:00:00", "09:00:00")]})
    got = fr.stop_frequency(load_feeds([folder]), [dt.date(2024, 3, 1)]).set_index("station_id")
    assert got.loc["B", "first_departure"] == "08:30:00"


def test_a_trip_of_three_days_counts_on_its_third_day(tmp_path):
    """A Monday trip leaving C at 48:06 is a Wednesday 00:06 departure in the calendar clock
    (two service days back), and stays a Monday departure at hour 48 in the service clock."""
    from gtfs_factory import make_feed

    folder = make_feed(tmp_path / "f", stops=[("A", 0, 0), ("B", 0, 0.01), ("C", 0, 0.02), ("D", 0, 0.03)],
                       calendar=[], trips=[{"trip_id": "K", "service_id": "MON"}],
                       calendar_dates=[{"service_id": "MON", "date": "20240304", "exception_type": 1}],
                       stop_times={"K": [("A", "00:30:00", "00:30:00"), ("B", "47:50:00", "47:50:00"),
                                         ("C", "48:05:00", "48:06:00"), ("D", "48:30:00", "48:30:00")]})
    f = load_feeds([folder])
    wed = fr.stop_frequency(f, [dt.date(2024, 3, 6)]).set_index("station_id")
    assert list(wed.index) == ["C"] and wed.loc["C", "first_departure"] == "00:06:00"
    assert wed.loc["C", "departures_per_day"] == 1
    mon = fr.stop_frequency(f, [dt.date(2024, 3, 4)], clock="service").set_index("station_id")
    assert mon.loc["C", "first_departure"] == "48:06:00"


def test_blank_times_are_interpolated_by_distance(tmp_path):
    """As in the timetable: by shape_dist_traveled where the stop and its timed neighbours have it."""
    from gtfs_factory import make_feed

    def row(stop, t, d):
        return {"stop_id": stop, "arrival_time": t, "departure_time": t, "shape_dist_traveled": d}

    folder = make_feed(tmp_path / "f", stops=[("A", 0, 0), ("B", 0, 0.01), ("C", 0, 0.02)],
                       stop_times={"T": [row("A", "08:00:00", 0), row("B", "", 1), row("C", "09:00:00", 4)]})
    got = fr.stop_frequency(load_feeds([folder]), [dt.date(2024, 3, 1)]).set_index("station_id")
    assert got.loc["B", "first_departure"] == "08:15:00"


# ---------------------------------------------------------------------------- random feeds


@st.composite
def random_feeds(draw):
    n_stops = draw(st.integers(3, 6))
    stops = [{"stop_id": f"S{i}", "stop_name": f"S{i}", "stop_lat": 40 + i / 10, "stop_lon": 111} for i in range(n_stops)]
    area = [draw(st.sampled_from(["A", "B", "C", None])) for _ in stops]
    day_flags = lambda: {d: draw(st.integers(0, 1)) for d in  # noqa: E731
                         ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}
    cal = [{"service_id": s, **day_flags(), "start_date": "20240301", "end_date": "20240331"} for s in ("X", "Y")]
    cds, seen = [], set()
    for _ in range(draw(st.integers(0, 3))):
        row = {"service_id": draw(st.sampled_from(["X", "Y", "Z"])),
               "date": f"202403{draw(st.integers(9, 16)):02d}", "exception_type": draw(st.sampled_from([1, 2]))}
        if (row["service_id"], row["date"]) not in seen:  # GTFS: one exception per service and date
            seen.add((row["service_id"], row["date"]))
            cds.append(row)
    trips, st_rows, freq = [], [], []
    for t in range(draw(st.integers(1, 6))):
        tid = f"T{t}"
        trips.append({"trip_id": tid, "route_id": draw(st.sampled_from(["RAIL", "BUS"])),
                      "service_id": draw(st.sampled_from(["X", "Y", "Z"])),
                      "direction_id": draw(st.sampled_from(["0", "1", ""]))})
        if trips[:-1] and draw(st.integers(0, 2)) == 0:  # an earlier trip shifted in time (one timing pattern)
            src = draw(st.sampled_from([x["trip_id"] for x in trips[:-1]]))
            shift = draw(st.integers(-120, 600)) * 60
            rows = [r for r in st_rows if r["trip_id"] == src]
            if all(secs(r["arrival_time"]) + shift >= 0 for r in rows):
                trips[-1]["route_id"] = draw(st.sampled_from([trips[int(src[1:])]["route_id"], "RAIL", "BUS"]))
                st_rows += [{**r, "trip_id": tid, "arrival_time": clock_text(secs(r["arrival_time"]) + shift),
                             "departure_time": clock_text(secs(r["departure_time"]) + shift)} for r in rows]
                continue
        n = draw(st.integers(2, 5))
        clock = draw(st.integers(0, 30 * 60)) * 60
        long_trip = draw(st.integers(0, 3)) == 0    # hops of about a day: runs for up to 4 days
        for k in range(n):
            arr = clock
            dep = arr + draw(st.integers(0, 2)) * 60
            clock = dep + draw(st.integers(0, 90)) * 60 + (draw(st.integers(20, 24)) * 3600 if long_trip else 0)
            st_rows.append({"trip_id": tid, "stop_id": f"S{draw(st.integers(0, n_stops - 1))}",
                            "stop_sequence": k + 1, "arrival_time": clock_text(arr), "departure_time": clock_text(dep),
                            "pickup_type": draw(st.sampled_from(["", "", "", "1"])),
                            "drop_off_type": draw(st.sampled_from(["", "", "", "1"]))})
        if draw(st.integers(0, 3)) == 0:
            start = draw(st.integers(0, 26 * 60)) * 60
            freq.append({"trip_id": tid, "start_time": clock_text(start),
                         "end_time": clock_text(start + draw(st.integers(1, 180)) * 60),
                         "headway_secs": draw(st.integers(5, 60)) * 60})
    tables = {
        "agency": [{"agency_id": "A", "agency_name": "R", "agency_url": "https://x.org", "agency_timezone": "UTC"}],
        "stops": stops, "trips": trips, "stop_times": st_rows, "calendar": cal,
        "routes": [{"route_id": "RAIL", "agency_id": "A", "route_type": 2},
                   {"route_id": "BUS", "agency_id": "A", "route_type": 3}],
        "areas": [{"area_id": a, "area_name": f"City {a}"} for a in "ABC"],
    }
    if any(area):
        tables["stop_areas"] = [{"area_id": a, "stop_id": s["stop_id"]} for s, a in zip(stops, area) if a]
    if cds:
        tables["calendar_dates"] = cds
    if freq:
        tables["frequencies"] = freq
    start = dt.date(2024, 3, 9) + dt.timedelta(days=draw(st.integers(0, 5)))
    days = fr.date_range(start, start + dt.timedelta(days=draw(st.integers(0, 3))))
    return tables, days


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(random_feeds())
def test_random_feeds_equal_brute_force(tmp_path_factory, case):
    tables, days = case
    folder = write_feed(tmp_path_factory.mktemp("rnd") / "f", tables)
    g = read_gtfs(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = load_feeds([folder])
    warm = cached(folder, tmp_path_factory.mktemp("rnd-cache"))
    for clock in CLOCKS:
        if not any(report_runs(g, d, clock) for d in days):
            continue
        for source in (f, warm):
            check_route(source, g, days, clock)
            check_stop(source, g, days, clock)
            check_od(source, g, days, clock)
            check_hour(source, g, days, clock)


# ---------------------------------------------------------------------------- gtfs-kit and real feeds


def test_route_headways_match_gtfs_kit_where_it_fits(caltrain_zip):
    """Service clock, no frequencies: trips, first start and headways are gtfs-kit's."""
    f = load_feeds([caltrain_zip])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kit = f.to_gtfs_kit().compute_route_stats(["20170802"]).set_index("route_id")
    ours = fr.route_frequency(f, [dt.date(2017, 8, 2)], clock="service").set_index("route_id")
    assert set(ours.index) == set(kit.index)
    for rid, k in kit.iterrows():
        o = ours.loc[rid]
        assert o.trips_per_day == k.num_trips
        assert o.first_departure == k.start_time
        for a, b in (("headway_min", "min_headway"), ("headway_mean", "mean_headway"), ("headway_max", "max_headway")):
            assert o[a] == pytest.approx(k[b], abs=MINUTE)
        # span ends where gtfs-kit's end_time does (the last trip's arrival)
        end = sum(int(x) * m for x, m in zip(k.end_time.split(":"), (3600, 60, 1)))
        start = sum(int(x) * m for x, m in zip(k.start_time.split(":"), (3600, 60, 1)))
        assert o.service_span_h == pytest.approx((end - start) / 3600, abs=0.006)


def test_sample_feed_frequencies_expanded(sample_zip):
    """Every sample trip is frequency-based: counts come from the expansion, as in `hbeu info`."""
    f = load_feeds([sample_zip])
    g = read_gtfs(sample_zip)
    day = [dt.date(2007, 6, 9)]
    check_route(f, g, day, "service")
    check_stop(f, g, day, "calendar")
    from hbeu_transit.analysis.summary import feed_summary

    assert fr.route_frequency(f, day, clock="service")["trips_per_day"].sum() == feed_summary(f, day[0])["trips_on_date"]


REGIONAL = ROOT / "data" / "gtfs" / "hbeu-rail.zip"


def test_regional_weekday_trips_from_hohhot_to_other_cities():
    """117 distinct weekday trains leave Hohhot for Baotou, Ordos or Ulanqab (brute force, then hbeu)."""
    if not REGIONAL.exists():
        missing("regional feed data/gtfs/hbeu-rail.zip not built yet")
    g = read_gtfs(REGIONAL)
    day = dt.date(2026, 12, 2)
    areas = {r["area_id"]: r["area_name"] for r in g["areas"]}
    city = {s: areas.get(a, a) for s, a in city_of(g).items()}
    on = services_on(g, day)
    trip_ok = {t["trip_id"] for t in g["trips"] if t["service_id"] in on}
    by_trip: dict[str, list[dict]] = {}
    for r in g["stop_times"]:
        if r["trip_id"] in trip_ok:
            by_trip.setdefault(r["trip_id"], []).append(r)
    targets = {"Baotou", "Ordos", "Ulanqab"}
    distinct, per_pair = set(), {c: 0 for c in targets}
    for tid, rows in by_trip.items():
        rows.sort(key=lambda r: int(r["stop_sequence"]))
        reached = set()
        for i, a in enumerate(rows):
            if city[a["stop_id"]] != "Hohhot" or a.get("pickup_type") == "1" or i == len(rows) - 1:
                continue
            for b in rows[i + 1:]:
                if city[b["stop_id"]] in targets and b.get("drop_off_type") != "1":
                    reached.add(city[b["stop_id"]])
        if reached:
            distinct.add(tid)
        for c in reached:
            per_pair[c] += 1
    assert not g.get("frequencies")  # else the brute force above would need to expand them
    assert len(distinct) == 117

    feed = load_feeds([REGIONAL])
    hohhot_stops = [s for s, c in city.items() if c == "Hohhot"]
    assert hohhot_stops
    got = fr.od_frequency(feed, [day], origins=places(feed, "Hohhot"), destinations=places(feed, *sorted(targets)),
                          combine_destinations=True, clock="service")
    assert got["departures_per_day"].tolist() == [117]
    pairs = fr.od_frequency(feed, [day], origins=places(feed, "Hohhot"), clock="service").set_index("destination")
    for c, n in per_pair.items():
        assert pairs.loc[c, "departures_per_day"] == n
    # with the bus feed merged in, rail alone still gives 117
    bus = REGIONAL.with_name("hbeu-bus.zip")
    if bus.exists():
        both = load_feeds([REGIONAL, bus])
        got = fr.od_frequency(both, [day], modes=("rail",), origins=places(both, "Hohhot"),
                              destinations=places(both, *sorted(targets)),
                              combine_destinations=True, clock="service")
        assert got["departures_per_day"].tolist() == [117]


# ---------------------------------------------------------------------------- input checks


@pytest.mark.parametrize("text, why", [
    ("25:00-7", "'7' is not HH:MM"), ("07:00", "expected HH:MM-HH:MM"), ("7-19", "'7' is not HH:MM"),
    ("47:00-07:00", "the end must be after the start"), ("07:60-08:00", "'07:60' is not a time of day"),
    ("x-y", "'x' is not HH:MM"), ("10:00-10:00", "it starts and ends at the same time.*use 00:00-24:00")])
def test_bad_windows(text, why):
    with pytest.raises(InputError, match=f"^bad window '{text}': {why}"):
        fr.parse_window(text, "calendar")


def test_windows_and_modes_parse():
    assert fr.parse_window("07:00-19:00") == (25200, 68400)
    assert fr.parse_window("22:00-26:00", "service") == (79200, 93600)
    for clock in fr.CLOCKS:   # past midnight, on the service-day clock
        assert fr.parse_window("22:00-02:00", clock) == fr.parse_window("22:00-26:00", clock) == (79200, 93600)
        assert fr.parse_window("19:00-07:00", clock) == (68400, 86400 + 25200)
    assert fr.parse_modes("rail, Bus") == ("rail", "bus")
    with pytest.raises(InputError, match="unknown mode 'hovercraft'"):
        fr.parse_modes("rail,hovercraft")
    with pytest.raises(InputError, match="before"):
        fr.date_range(dt.date(2024, 5, 2), dt.date(2024, 5, 1))


def test_unknown_places_and_day_types(corner):
    f = corner[0]
    with pytest.raises(InputError, match="no trips serve"):
        fr.od_frequency(f, WEEK, origins=[("NO_SUCH_STOP",)])
    with pytest.raises(InputError, match="day type"):
        fr.route_frequency(f, WEEK, day_types=["funday"])
    with pytest.raises(InputError, match="no holiday dates"):
        fr.route_frequency(f, WEEK[:2], day_types=["holiday"])


def test_report_dates_one_date_a_range_or_the_default(sample_zip):
    from hbeu_transit.analysis.dates import MAX_RANGE_DAYS, report_dates

    f = load_feeds([sample_zip])
    d = dt.date(2007, 6, 5)
    assert report_dates(f, d) == ([d], None)
    assert report_dates(f, None, d, d + dt.timedelta(days=2))[0] == [d + dt.timedelta(days=i) for i in range(3)]
    assert report_dates(f, today=dt.date(2007, 6, 4)) == (
        [d], "no service on 2007-06-04; using the next service date 2007-06-05")
    with pytest.raises(InputError, match="either date or start/end"):
        report_dates(f, d, d, d)
    with pytest.raises(InputError, match="needs both start and end"):
        report_dates(f, None, d)
    end = d + dt.timedelta(days=MAX_RANGE_DAYS - 1)
    days, note = report_dates(f, None, d, end)  # accepted, and clipped to the days the feed covers:
    assert (days[0], days[-1], len(days)) == (d, dt.date(2010, 12, 31), 1306)  # 210 + 366 + 365 + 365
    assert f"1306 of the {MAX_RANGE_DAYS} days" in note
    with pytest.raises(InputError, match=f"spans {MAX_RANGE_DAYS + 1} days; at most {MAX_RANGE_DAYS}"):
        report_dates(f, None, d, end + dt.timedelta(days=1))


def test_combined_destination_names_each_place_once(caltrain_zip, tmp_path):
    """--combine of "San Jose Diridon" (two same-named platform stops, no parent station) and
    "Tamien Caltrain" on the real caltrain feed: the combined destination is named once per
    name, not "San Jose Diridon Caltrain+San Jose Diridon Caltrain+Tamien Caltrain+Tamien
    Caltrain"; its id still lists every stop."""
    import hbeu_transit as hb

    df = hb.Network([caltrain_zip], cache_dir=tmp_path).frequency_table(
        "od", date="2018-07-11", origins="San Francisco", destinations="San Jose Diridon,Tamien Caltrain",
        combine=True).to_pandas()
    assert list(df["destination"]) == ["San Jose Diridon Caltrain+Tamien Caltrain"]
    assert sorted(df["destination_id"].iloc[0].split("+")) == ["70261", "70262", "70271", "70272"]
