"""The feed -> Timetable compiler and its cache, one rule per test.

Expected values are worked out by hand from the tiny feeds written here (tests/gtfs_factory.py).
Dates: 2024-03-04 is a Monday, 2024-03-05 a Tuesday. Stops sit on the equator, where 0.001
degree of longitude is 111.195 m (R = 6371008.8 m).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from conftest import TEST_DATA, shared_feed
from gtfs_factory import make_feed

from hbeu_transit.errors import InputError
from hbeu_transit.feed import load_feeds
from hbeu_transit.cache import default_cache_dir
from hbeu_transit.timetable import (cache_key, check_timetable, compile_timetable, load_timetable,
                                    timetable_from_connections)

MON, TUE, WED = dt.date(2024, 3, 4), dt.date(2024, 3, 5), dt.date(2024, 3, 6)
H = 3600


def compiled(folder: Path, date: dt.date = TUE, **kw):
    tt = compile_timetable(load_feeds([folder]), date, **kw)
    assert check_timetable(tt) == []
    return tt


def conns(tt) -> list[tuple[str, str, int, int, str]]:
    """Connections as (from id, to id, dep, arr, trip label), in array order; the label is the
    trip_id with "@HH:MM:SS" for a frequency run and "@-Nd" for a trip of N service days back."""
    s = tt.stop_ids
    return [(s[a], s[b], int(d), int(r), tt.trip_label(int(k))) for a, b, d, r, k in
            zip(tt.c_from, tt.c_to, tt.c_dep, tt.c_arr, tt.c_trip)]


def footpaths(tt) -> dict[tuple[str, str], int]:
    out = {}
    for s in range(tt.n_stops):
        for k in range(tt.fp_start[s], tt.fp_start[s + 1]):
            out[(tt.stop_ids[s], tt.stop_ids[tt.fp_to[k]])] = int(tt.fp_dur[k])
    return out


def trip_rules(tt) -> set[tuple[str, str, str, str, int]]:
    """Trip transfer rules as (from trip label, to trip label, from stop, to stop, seconds); "*"
    for any stop."""
    n = tt.n_trips
    return {(tt.trip_label(k // n), tt.trip_label(k % n), tt.stop_ids[x] if x >= 0 else "*",
             tt.stop_ids[y] if y >= 0 else "*", sec)
            for k, x, y, sec in zip(tt.xfer_key.tolist(), tt.xfer_from.tolist(), tt.xfer_to.tolist(),
                                    tt.xfer_secs.tolist())}


def change(tt, stop_id: str) -> int:
    return int(tt.stop_change[tt.stop_ids.index(stop_id)])


LINE = [("A", 0.0, 0.0), ("B", 0.0, 0.01), ("C", 0.0, 0.02), ("D", 0.0, 0.03)]


# ---------------------------------------------------------------------------- connections


def test_connections_one_per_stop_pair_sorted_by_departure(tmp_path):
    f = make_feed(tmp_path / "f", stops=LINE, stop_times={
        "T1": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:12:00"), ("C", "08:20:00", "08:20:00")],
        "T2": [("B", "07:00:00", "07:00:00"), ("C", "07:05:00", "07:05:00")],
    })
    tt = compiled(f)
    assert conns(tt) == [
        ("B", "C", 7 * H, 7 * H + 300, "T2"),
        ("A", "B", 8 * H, 8 * H + 600, "T1"),          # departure at A, arrival at B
        ("B", "C", 8 * H + 720, 8 * H + 1200, "T1"),   # departure (08:12) at B, not its arrival
    ]
    assert tt.c_seq.tolist() == [0, 0, 1]
    assert tt.date == "2024-03-05" and tt.timezone == "UTC"


def test_zero_duration_hops_stay_in_trip_order(tmp_path):
    # a trip whose hops all happen in the same second must still be scanned in its own order
    # (D->C, C->B, B->A: against the stop order), whatever the other trip Z does
    f = make_feed(tmp_path / "f", stops=LINE, stop_times={
        "Z": [("A", "08:00:00", "08:00:00"), ("B", "08:00:00", "08:00:00")],
        "Y": [("D", "08:00:00", "08:00:00"), ("C", "08:00:00", "08:00:00"),
              ("B", "08:00:00", "08:00:00"), ("A", "08:00:00", "08:00:00")],
    })
    tt = compiled(f)
    y = [(a, b) for a, b, _, _, t in conns(tt) if t == "Y"]
    assert y == [("D", "C"), ("C", "B"), ("B", "A")]
    assert tt.c_seq[np.array(tt.trip_ids)[tt.c_trip] == "Y"].tolist() == [0, 1, 2]


def test_pickup_and_drop_off_type_1(tmp_path):
    f = make_feed(tmp_path / "f", stops=LINE, stop_times={"T": [
        {"stop_id": "A", "arrival_time": "08:00:00", "departure_time": "08:00:00", "drop_off_type": 1},
        {"stop_id": "B", "arrival_time": "08:10:00", "departure_time": "08:10:00", "pickup_type": 1},
        {"stop_id": "C", "arrival_time": "08:20:00", "departure_time": "08:20:00", "drop_off_type": 1,
         "pickup_type": 0},
        {"stop_id": "D", "arrival_time": "08:30:00", "departure_time": "08:30:00", "pickup_type": 1},
    ]})
    tt = compiled(f)
    # A->B: board at A (pickup 0), alight at B (drop-off blank); B->C: no boarding at B, no
    # alighting at C; C->D: board at C, alight at D (pickup 1 there does not matter)
    assert tt.c_board.tolist() == [True, False, True]
    assert tt.c_alight.tolist() == [True, False, True]


def test_times_past_midnight_of_the_previous_service_day(tmp_path):
    f = make_feed(tmp_path / "f", stops=LINE, calendar=[], stop_times={
        "N": [("A", "23:50:00", "23:50:00"), ("B", "24:10:00", "24:10:00"), ("C", "24:30:00", "24:31:00"),
              ("D", "25:00:00", "25:00:00")],
        "E": [("A", "22:00:00", "22:00:00"), ("B", "23:00:00", "23:00:00")],
    }, trips=[{"trip_id": "N", "service_id": "MON"}, {"trip_id": "E", "service_id": "MON"}],
        calendar_dates=[{"service_id": "MON", "date": "20240304", "exception_type": 1}])
    # on Monday itself the trips run as published, hours past 24 and all
    assert conns(compiled(f, MON)) == [
        ("A", "B", 22 * H, 23 * H, "E"),
        ("A", "B", 23 * H + 3000, 24 * H + 600, "N"),
        ("B", "C", 24 * H + 600, 24 * H + 1800, "N"),
        ("C", "D", 24 * H + 1860, 25 * H, "N")]
    # on Tuesday only the part of N departing after midnight, minus 24 h; E ended before midnight
    tt = compiled(f, TUE)
    assert conns(tt) == [("B", "C", 600, 1800, "N@-1d"), ("C", "D", 1860, 3600, "N@-1d")]
    assert tt.c_seq.tolist() == [0, 1]
    assert compiled(f, WED).n_connections == 0


def test_trips_running_for_days_reach_as_many_days_back_as_needed(tmp_path):
    """A Monday trip with stop times up to 48:30 runs into Wednesday, its third day: the hop
    leaving C at 48:06 is Wednesday 00:06, so Wednesday's timetable (two days back) has it."""
    f = make_feed(tmp_path / "f", stops=LINE, calendar=[], stop_times={
        "K": [("A", "00:30:00", "00:30:00"), ("B", "47:50:00", "47:50:00"), ("C", "48:05:00", "48:06:00"),
              ("D", "48:30:00", "48:30:00")],
    }, trips=[{"trip_id": "K", "service_id": "MON"}],
        calendar_dates=[{"service_id": "MON", "date": "20240304", "exception_type": 1}])
    tt = compiled(f, WED)
    assert conns(tt) == [("C", "D", 360, 1800, "K@-2d")]
    assert tt.trip_ids == ["K"] and tt.trip_day.tolist() == [-2] and tt.trip_run_start.tolist() == [-1]
    # Tuesday: the hops leaving from Tuesday 23:50 on; Monday: the whole trip
    assert conns(compiled(f, TUE)) == [("B", "C", 23 * H + 3000, 24 * H + 300, "K@-1d"),
                                       ("C", "D", 24 * H + 360, 24 * H + 1800, "K@-1d")]
    assert compiled(f, MON).n_connections == 3
    assert compiled(f, dt.date(2024, 3, 7)).n_connections == 0


def test_frequencies_exact_times_1_and_0(tmp_path):
    f = make_feed(tmp_path / "f", stops=LINE, stop_times={
        # the pattern's own clock times only give the hop durations
        "F": [("A", "06:00:00", "06:00:00"), ("B", "06:05:00", "06:06:00"), ("C", "06:10:00", "06:10:00")],
        "G": [("C", "00:00:00", "00:00:00"), ("D", "00:07:00", "00:07:00")],
    }, frequencies=[
        {"trip_id": "F", "start_time": "08:00:00", "end_time": "09:00:00", "headway_secs": 1200, "exact_times": 1},
        {"trip_id": "G", "start_time": "10:00:00", "end_time": "10:25:00", "headway_secs": 600, "exact_times": 0},
        {"trip_id": "G", "start_time": "23:55:00", "end_time": "24:05:00", "headway_secs": 600},
    ])
    got = conns(compiled(f))
    f_runs = [c for c in got if c[4].startswith("F")]
    # runs at 08:00, 08:20, 08:40; 09:00 is the (excluded) end; never at 06:00
    assert f_runs == [
        ("A", "B", 8 * H, 8 * H + 300, "F@08:00:00"), ("B", "C", 8 * H + 360, 8 * H + 600, "F@08:00:00"),
        ("A", "B", 8 * H + 1200, 8 * H + 1500, "F@08:20:00"), ("B", "C", 8 * H + 1560, 8 * H + 1800, "F@08:20:00"),
        ("A", "B", 8 * H + 2400, 8 * H + 2700, "F@08:40:00"), ("B", "C", 8 * H + 2760, 8 * H + 3000, "F@08:40:00")]
    g_runs = [c for c in got if c[4].startswith("G")]
    # 10:00, 10:10, 10:20 (10:30 is past the end), and 23:55; Monday's 23:55 run left before 00:00
    assert sorted(g_runs) == sorted([
        ("C", "D", 10 * H, 10 * H + 420, "G@10:00:00"), ("C", "D", 10 * H + 600, 10 * H + 1020, "G@10:10:00"),
        ("C", "D", 10 * H + 1200, 10 * H + 1620, "G@10:20:00"),
        ("C", "D", 23 * H + 3300, 24 * H + 120, "G@23:55:00"),
    ])


def test_frequency_run_after_midnight_of_the_previous_day(tmp_path):
    f = make_feed(tmp_path / "f", stops=LINE, stop_times={
        "G": [("C", "00:00:00", "00:00:00"), ("D", "00:07:00", "00:07:00")],
    }, frequencies=[{"trip_id": "G", "start_time": "23:50:00", "end_time": "24:10:00", "headway_secs": 600}],
        calendar=[], trips=[{"trip_id": "G", "service_id": "MON"}],
        calendar_dates=[{"service_id": "MON", "date": "20240304", "exception_type": 1}])
    # Monday's runs: 23:50, 24:00 (24:10 excluded); on Tuesday only the 24:00 run, at 00:00
    assert conns(compiled(f, TUE)) == [("C", "D", 0, 420, "G@24:00:00@-1d")]


def test_calendar_dates_add_and_remove(tmp_path):
    weekdays = {"service_id": "WK", "monday": 1, "tuesday": 1, "wednesday": 1, "thursday": 1, "friday": 1,
                "saturday": 0, "sunday": 0, "start_date": "20240101", "end_date": "20241231"}
    f = make_feed(tmp_path / "f", stops=LINE, calendar=[weekdays], stop_times={
        "TW": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:10:00")],
        "TX": [("C", "09:00:00", "09:00:00"), ("D", "09:10:00", "09:10:00")],
    }, trips=[{"trip_id": "TW", "service_id": "WK"}, {"trip_id": "TX", "service_id": "EXTRA"}],
        calendar_dates=[{"service_id": "WK", "date": "20240305", "exception_type": 2},
                        {"service_id": "EXTRA", "date": "20240305", "exception_type": 1}])
    assert {c[4] for c in conns(compiled(f, TUE))} == {"TX"}
    assert {c[4] for c in conns(compiled(f, WED))} == {"TW"}
    assert compiled(f, dt.date(2024, 3, 9)).n_connections == 0  # a Saturday


def test_blank_times_interpolated_by_position_and_by_distance(tmp_path):
    def rows(h: int, dist: list | None):
        times = [(f"{h:02d}:00:00", f"{h:02d}:00:00"), ("", ""), ("", ""), (f"{h:02d}:30:00", f"{h:02d}:31:00")]
        out = []
        for k, (stop, (a, d)) in enumerate(zip("ABCD", times)):
            r = {"stop_id": stop, "arrival_time": a, "departure_time": d}
            if dist is not None:
                r["shape_dist_traveled"] = dist[k]
            out.append(r)
        return out

    f = make_feed(tmp_path / "f", stops=LINE, stop_times={
        "P": rows(8, [None, None, None, None]),  # no distances: by position, thirds of 30 min
        "S": rows(9, [0, 1, 4, 6]),              # by distance: B at 1/6, C at 4/6 of 30 min
    })
    got = {(c[0], c[4]): c[2:4] for c in conns(compiled(f))}
    assert got[("A", "P")] == (8 * H, 8 * H + 600)
    assert got[("B", "P")] == (8 * H + 600, 8 * H + 1200)
    assert got[("C", "P")] == (8 * H + 1200, 8 * H + 1800)
    assert got[("A", "S")] == (9 * H, 9 * H + 300)
    assert got[("B", "S")] == (9 * H + 300, 9 * H + 1200)
    assert got[("C", "S")] == (9 * H + 1200, 9 * H + 1800)


def test_modes_filter_by_route_family(tmp_path):
    f = make_feed(tmp_path / "f", stops=LINE, routes=[
        {"route_id": "BUS", "route_short_name": "1", "route_type": 3},
        {"route_id": "TRAIN", "route_short_name": "K1", "route_type": 2},
        {"route_id": "HSR", "route_short_name": "G1", "route_type": 101},
    ], stop_times={
        "b": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:10:00")],
        "k": [("B", "08:00:00", "08:00:00"), ("C", "08:10:00", "08:10:00")],
        "g": [("C", "08:00:00", "08:00:00"), ("D", "08:10:00", "08:10:00")],
    }, trips=[{"trip_id": "b", "route_id": "BUS"}, {"trip_id": "k", "route_id": "TRAIN"},
              {"trip_id": "g", "route_id": "HSR"}])
    assert {c[4] for c in conns(compiled(f, modes={"rail"}))} == {"k", "g"}
    assert {c[4] for c in conns(compiled(f, modes={"bus"}))} == {"b"}
    assert compiled(f).n_trips == 3
    with pytest.raises(InputError, match="unknown mode .hovercraft. in .*choose from rail, high_speed_rail"):
        compiled(f, modes={"hovercraft"})


# ---------------------------------------------------------------------------- transfers


def _two_trips_everywhere(stops: list) -> dict:
    """Two bus trips calling at every stop given, so every stop is served."""
    ids = [s[0] if isinstance(s, tuple) else s["stop_id"] for s in stops
           if not (isinstance(s, tuple) and len(s) > 4 and s[4] == 1)]
    t1 = [(s, f"08:{k:02d}:00", f"08:{k:02d}:00") for k, s in enumerate(ids)]
    t2 = [(s, f"09:{k:02d}:00", f"09:{k:02d}:00") for k, s in enumerate(reversed(ids))]
    return {"T1": t1, "T2": t2}


def test_default_change_times_by_mode_and_transfer_minutes(tmp_path):
    stops = LINE + [("E", 0.0, 0.04)]
    f = make_feed(tmp_path / "f", stops=stops, routes=[
        {"route_id": "BUS", "route_type": 3, "route_short_name": "1"},
        {"route_id": "TRAIN", "route_type": 2, "route_short_name": "K"},
        {"route_id": "TRAM", "route_type": 0, "route_short_name": "T"},
    ], stop_times={
        "bus": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:10:00")],
        "train": [("B", "09:00:00", "09:00:00"), ("C", "09:10:00", "09:10:00")],
        "tram": [("D", "09:00:00", "09:00:00"), ("C", "09:10:00", "09:10:00")],
    }, trips=[{"trip_id": "bus", "route_id": "BUS"}, {"trip_id": "train", "route_id": "TRAIN"},
              {"trip_id": "tram", "route_id": "TRAM"}])
    tt = compiled(f)
    # bus 3 min; rail 10 min (B and C are served by rail, the larger wins); tram 2 min;
    # E has no service: 2 min
    assert [change(tt, s) for s in "ABCDE"] == [180, 600, 600, 120, 120]
    assert [change(compiled(f, transfer_minutes=4), s) for s in "ABCDE"] == [240] * 5
    assert [change(compiled(f, transfer_minutes=0), s) for s in "ABCDE"] == [0] * 5


def test_transfers_txt_types_0_1_2_3(tmp_path):
    stops = LINE + [("E", 0.0, 0.04), ("F", 0.0, 0.05)]
    f = make_feed(tmp_path / "f", stops=stops, stop_times=_two_trips_everywhere(stops), transfers=[
        {"from_stop_id": "A", "to_stop_id": "A", "transfer_type": 2, "min_transfer_time": 420},
        {"from_stop_id": "B", "to_stop_id": "B", "transfer_type": 1},
        {"from_stop_id": "C", "to_stop_id": "C", "transfer_type": 3},
        {"from_stop_id": "D", "to_stop_id": "D", "transfer_type": 0},
        {"from_stop_id": "E", "to_stop_id": "E", "transfer_type": 0, "min_transfer_time": 300},
        {"from_stop_id": "A", "to_stop_id": "B", "transfer_type": 2, "min_transfer_time": 240},
        {"from_stop_id": "B", "to_stop_id": "D", "transfer_type": 0},
        {"from_stop_id": "E", "to_stop_id": "F", "transfer_type": 3},
    ])
    tt = compiled(f)
    assert [change(tt, s) for s in "ABCDEF"] == [420, 0, -1, 180, 300, 180]
    # A->B as published, one way only; B->D: no time, so the 2223.90 m walk at 1.2 m/s =
    # 1853.25 -> 1854 s
    assert footpaths(tt) == {("A", "B"): 240, ("B", "D"): 1854}
    # --transfer-minutes is the rider's buffer: it replaces the defaults (D, F) and is added to
    # the file's times (A 420 + 300, B's timed transfer 0 + 300, E 300 + 300, footpaths too)
    tt5 = compiled(f, transfer_minutes=5)
    assert [change(tt5, s) for s in "ABCDEF"] == [720, 300, -1, 300, 600, 300]
    assert footpaths(tt5) == {("A", "B"): 540, ("B", "D"): 2154}


def test_forbidden_transfers_remove_footpaths_and_block_trips(tmp_path):
    # X and Y are 0.001 degree (111.2 m) apart; walk_meters=150 links them both ways
    stops = [("X", 0.0, 0.0), ("Y", 0.0, 0.001), ("Z", 0.0, 0.5)]
    f = make_feed(tmp_path / "f", stops=stops, routes=[
        {"route_id": "R1", "route_type": 3, "route_short_name": "1"},
        {"route_id": "R2", "route_type": 3, "route_short_name": "2"},
    ], stop_times={
        "a": [("X", "08:00:00", "08:00:00"), ("Z", "08:30:00", "08:30:00")],
        "b": [("Z", "09:00:00", "09:00:00"), ("Y", "09:30:00", "09:30:00")],
        "c": [("Y", "10:00:00", "10:00:00"), ("Z", "10:30:00", "10:30:00")],
        "f": [("Z", "00:00:00", "00:00:00"), ("X", "00:10:00", "00:10:00")],
    }, trips=[{"trip_id": t, "route_id": r} for t, r in (("a", "R1"), ("b", "R1"), ("c", "R2"), ("f", "R2"))],
        frequencies=[{"trip_id": "f", "start_time": "12:00:00", "end_time": "12:40:00", "headway_secs": 1200}],
        transfers=[
            {"from_stop_id": "X", "to_stop_id": "Y", "transfer_type": 3},
            {"from_trip_id": "a", "to_trip_id": "b", "transfer_type": 3},
            {"from_route_id": "R2", "to_route_id": "R1", "transfer_type": 3},
            # at Z, a more specific row (trips and stop) gives a -> b a time instead
            {"from_stop_id": "Z", "to_stop_id": "Z", "from_trip_id": "a", "to_trip_id": "b",
             "transfer_type": 2, "min_transfer_time": 999},
    ])
    tt = compiled(f, walk_meters=150)
    # Y->X: 111.195 m / 1.2 = 92.66 -> 93 s walk + 180 s bus change time; X->Y is forbidden
    assert footpaths(tt) == {("Y", "X"): 273}
    assert change(tt, "Z") == 180
    expected = {("a", "b", "*", "*", -1), ("a", "b", "Z", "Z", 999)}
    for r2 in ("c", "f@12:00:00", "f@12:20:00"):      # route R2 -> route R1: every run of f too
        for r1 in ("a", "b"):
            expected.add((r2, r1, "*", "*", -1))
    assert trip_rules(tt) == expected
    assert len(tt.xfer_key) == len(expected) and len(tt.trip_transfer_block) == 0


def test_trip_and_route_transfers_in_seat_and_block_continuations(tmp_path):
    """transfers.txt rows naming trips or routes become trip transfer rules at the stops where
    the trips can be left and boarded (the most specific row wins); type 4 and block_id
    continuations are in-seat rules unless a row for that trip pair says otherwise (type 5)."""
    def at(t: str) -> str:
        return f"{t}:00"
    f = make_feed(tmp_path / "f", stops=LINE, routes=[
        {"route_id": "R1", "route_type": 3, "route_short_name": "1"},
        {"route_id": "R2", "route_type": 3, "route_short_name": "2"},
    ], stop_times={
        "t1": [("A", at("08:00"), at("08:00")), ("B", at("08:30"), at("08:30"))],
        "t2": [("B", at("08:40"), at("08:40")), ("C", at("09:00"), at("09:00"))],
        "t3": [("C", at("09:10"), at("09:10")), ("D", at("09:30"), at("09:30"))],
        "t4": [("B", at("08:35"), at("08:35")), ("D", at("09:00"), at("09:00"))],
        "t5": [("D", at("10:00"), at("10:00")), ("A", at("10:30"), at("10:30"))],
        "t6": [("B", at("11:00"), at("11:00")), ("C", at("11:30"), at("11:30"))],
    }, trips=[{"trip_id": "t1", "route_id": "R1", "block_id": "K"},
              {"trip_id": "t2", "route_id": "R1", "block_id": "K"},
              {"trip_id": "t3", "route_id": "R2", "block_id": "K"},
              {"trip_id": "t4", "route_id": "R2"},
              {"trip_id": "t5", "route_id": "R2", "block_id": "M"},
              {"trip_id": "t6", "route_id": "R2", "block_id": "M"}],
        transfers=[
            {"from_stop_id": "B", "to_stop_id": "B", "from_route_id": "R1", "to_route_id": "R2",
             "transfer_type": 1},
            {"from_stop_id": "B", "to_stop_id": "B", "from_trip_id": "t1", "to_trip_id": "t4",
             "transfer_type": 2, "min_transfer_time": 120},
            {"from_trip_id": "t2", "to_trip_id": "t3", "transfer_type": 5},
            {"from_trip_id": "t4", "to_trip_id": "t5", "transfer_type": 4},
    ])
    # R1 -> R2 at B (timed, 0 s): only t1 is left at B, t4 and t6 are boarded there, and for
    # t1 -> t4 the trip row beats the route row; block K: t1 goes on as t2 at B, not t2 as t3
    # (type 5); block M: t6 starts elsewhere than t5 ends
    assert trip_rules(compiled(f)) == {("t1", "t4", "B", "B", 120), ("t1", "t6", "B", "B", 0),
                                       ("t1", "t2", "B", "B", -2), ("t4", "t5", "D", "D", -2)}
    # the rider's buffer is added to the rule's time
    assert ("t1", "t4", "B", "B", 180) in trip_rules(compiled(f, transfer_minutes=1))


def test_a_timed_trip_rule_takes_the_riders_buffer(tmp_path):
    """transfer_type 1 naming trips or routes is a timed transfer: 0 s, plus the rider's
    --transfer-minutes buffer, as at a stop (it once stayed 0 s whatever the buffer; found by
    the GTFS-text reference on random feeds)."""
    f = make_feed(tmp_path / "f", stops=LINE, stop_times={
        "a": [("A", "08:00:00", "08:00:00"), ("B", "08:30:00", "08:30:00")],
        "b": [("B", "08:31:00", "08:31:00"), ("C", "09:00:00", "09:00:00")],
    }, transfers=[{"from_stop_id": "B", "to_stop_id": "B", "from_trip_id": "a", "to_trip_id": "b",
                   "transfer_type": 1}])
    assert trip_rules(compiled(f)) == {("a", "b", "B", "B", 0)}
    assert trip_rules(compiled(f, transfer_minutes=2)) == {("a", "b", "B", "B", 120)}
    assert change(compiled(f, transfer_minutes=2), "B") == 120      # the stop's own time: same buffer


def test_a_row_forbidding_a_pair_everywhere_beats_a_less_specific_timed_row(tmp_path):
    """a -> b forbidden at every stop by a trip-to-trip row (specificity 4 + 4); a route-to-route
    row gives 60 s at B (3 + 3). The router lets a rule at given stops override "any stop", so
    the compiler must not keep a -> b at B (it did; found by the GTFS-text reference); a -> c
    keeps the route row's 60 s. Swapped specificity (route rows forbid, trip row times) keeps
    both: the timed trip row wins at B."""
    routes = [{"route_id": r, "route_type": 3, "route_short_name": r} for r in ("R1", "R2")]
    trips = [{"trip_id": "a", "route_id": "R1"}, {"trip_id": "b", "route_id": "R2"}, {"trip_id": "c", "route_id": "R2"}]
    times = {"a": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:10:00")],
             "b": [("B", "08:20:00", "08:20:00"), ("C", "08:30:00", "08:30:00")],
             "c": [("B", "08:25:00", "08:25:00"), ("D", "08:35:00", "08:35:00")]}
    trip_row = {"from_trip_id": "a", "to_trip_id": "b"}
    route_row = {"from_route_id": "R1", "to_route_id": "R2", "from_stop_id": "B", "to_stop_id": "B"}
    f = make_feed(tmp_path / "f", stops=LINE, routes=routes, trips=trips, stop_times=times,
                  transfers=[{**trip_row, "transfer_type": 3}, {**route_row, "transfer_type": 2, "min_transfer_time": 60}])
    assert trip_rules(compiled(f)) == {("a", "b", "*", "*", -1), ("a", "c", "B", "B", 60)}
    g = make_feed(tmp_path / "g", stops=LINE, routes=routes, trips=trips, stop_times=times,
                  transfers=[{**trip_row, "from_stop_id": "B", "to_stop_id": "B", "transfer_type": 2,
                              "min_transfer_time": 60}, {"from_route_id": "R1", "to_route_id": "R2", "transfer_type": 3}])
    assert trip_rules(compiled(g)) == {("a", "b", "B", "B", 60), ("a", "b", "*", "*", -1), ("a", "c", "*", "*", -1)}


def test_a_blank_trip_and_route_side_means_every_trip(tmp_path):
    """A row naming only from_trip_id a (to side blank) covers a to every other trip; one naming
    only to_route_id R2 covers every trip to R2's trips (a trip to itself is no change)."""
    f = make_feed(tmp_path / "f", stops=LINE, routes=[{"route_id": r, "route_type": 3, "route_short_name": r}
                                                       for r in ("R1", "R2")],
                  trips=[{"trip_id": "a", "route_id": "R1"}, {"trip_id": "b", "route_id": "R1"},
                         {"trip_id": "c", "route_id": "R2"}],
                  stop_times={"a": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:10:00")],
                              "b": [("B", "08:20:00", "08:20:00"), ("C", "08:30:00", "08:30:00")],
                              "c": [("B", "08:25:00", "08:25:00"), ("D", "08:35:00", "08:35:00")]},
                  transfers=[{"from_trip_id": "a", "transfer_type": 3},
                             {"to_route_id": "R2", "from_stop_id": "B", "to_stop_id": "B", "transfer_type": 2,
                              "min_transfer_time": 300}])
    # b is never left at B; a -> c at B: the rows are as specific (trip 4 + blank 0, stop 1 +
    # route and stop 3), and the route row names stops: its 300 s governs there
    assert trip_rules(compiled(f)) == {("a", "b", "*", "*", -1), ("a", "c", "*", "*", -1), ("a", "c", "B", "B", 300)}


def test_trip_rules_at_a_station_with_one_stop_blank_or_without_a_time(tmp_path):
    """A trip row naming station ST applies at ST's platforms (a left at P1, b boarded at P2);
    a row with to_stop_id blank applies at from_stop_id only (not at C, where b is boarded
    too); a type 0 row without min_transfer_time says nothing."""
    stops = [{"stop_id": "ST", "stop_lat": 0.0, "stop_lon": 0.0, "location_type": 1},
             ("P1", 0.0, 0.0, "ST", 0), ("P2", 0.0, 0.0001, "ST", 0), ("B", 0.0, 0.01), ("C", 0.0, 0.02)]
    f = make_feed(tmp_path / "f", stops=stops, stop_times={
        "a": [("B", "07:00:00", "07:00:00"), ("P1", "08:00:00", "08:00:00"), ("C", "08:10:00", "08:10:00")],
        "b": [("P2", "08:20:00", "08:20:00"), ("C", "08:30:00", "08:30:00"), ("B", "08:40:00", "08:40:00")],
    }, transfers=[{"from_trip_id": "a", "to_trip_id": "b", "from_stop_id": "ST", "to_stop_id": "ST",
                   "transfer_type": 2, "min_transfer_time": 120},
                  {"from_trip_id": "a", "to_trip_id": "b", "from_stop_id": "C", "transfer_type": 2,
                   "min_transfer_time": 60},
                  {"from_trip_id": "b", "to_trip_id": "a", "transfer_type": 0}])
    assert trip_rules(compiled(f)) == {("a", "b", "P1", "P2", 120), ("a", "b", "C", "C", 60)}


def test_in_seat_needs_departure_order_arrival_and_a_day_rule(tmp_path):
    """Block K lists k2 before k1 in trips.txt, but k1 leaves first and k2 starts where it ends:
    k1 goes on as k2. k2 -> k3 (type 4): k3 leaves D before k2 arrives, so no. n1 -> n2 (type 4,
    both daily): n1 runs 23:00 -> 24:30, n2 00:40 -> 01:00, which is before n1 arrives on their
    own clocks, so n2 is the next service day's (GTFS linked trips): yesterday's n1 (B 00:10 ->
    C 00:30 on today's clock) goes on as today's n2, and today's n1 as tomorrow's n2 (which leaves
    in the night after today: compiled, ``trip_day`` +1). m1 -> m2 (type 4): m1 runs 23:50 -> 24:20,
    m2 24:30 -> 24:50, after m1 arrives: the same day's m2 only, so yesterday's m1 goes on as
    yesterday's m2 (C 00:30 today), never as today's (24:30 today, a day and ten minutes after
    yesterday's m1 arrived). Block L: l2 leaves C an hour after l1 arrives (a seat), l3 an hour and
    a minute after l2 (a parked bus, no seat). p1 -> p2 (type 4): p1 runs 00:10 -> 00:20, p2 24:30
    -> 24:50: today's p2, never yesterday's (B 00:30 on today's clock, but a day earlier than p1)."""
    f = make_feed(tmp_path / "f", stops=LINE, trips=[
        {"trip_id": "k2", "route_id": "R", "block_id": "K"}, {"trip_id": "k1", "route_id": "R", "block_id": "K"},
        {"trip_id": "k3", "route_id": "R"}, {"trip_id": "n1", "route_id": "R"}, {"trip_id": "n2", "route_id": "R"},
        {"trip_id": "m1", "route_id": "R"}, {"trip_id": "m2", "route_id": "R"},
        *({"trip_id": t, "route_id": "R", "block_id": "L"} for t in ("l1", "l2", "l3")),
        {"trip_id": "p1", "route_id": "R"}, {"trip_id": "p2", "route_id": "R"}],
        stop_times={"k2": [("C", "09:00:00", "09:00:00"), ("D", "09:30:00", "09:30:00")],
                    "k1": [("A", "08:00:00", "08:00:00"), ("C", "08:30:00", "08:30:00")],
                    "k3": [("D", "09:20:00", "09:20:00"), ("A", "09:50:00", "09:50:00")],
                    "n1": [("A", "23:00:00", "23:00:00"), ("B", "24:10:00", "24:10:00"), ("C", "24:30:00", "24:30:00")],
                    "n2": [("C", "00:40:00", "00:40:00"), ("D", "01:00:00", "01:00:00")],
                    "m1": [("A", "23:50:00", "23:50:00"), ("B", "24:05:00", "24:05:00"), ("C", "24:20:00", "24:20:00")],
                    "m2": [("C", "24:30:00", "24:30:00"), ("D", "24:50:00", "24:50:00")],
                    "l1": [("A", "10:00:00", "10:00:00"), ("C", "10:30:00", "10:30:00")],
                    "l2": [("C", "11:30:00", "11:30:00"), ("A", "12:00:00", "12:00:00")],
                    "l3": [("A", "13:01:00", "13:01:00"), ("B", "13:20:00", "13:20:00")],
                    "p1": [("A", "00:10:00", "00:10:00"), ("B", "00:20:00", "00:20:00")],
                    "p2": [("B", "24:30:00", "24:30:00"), ("C", "24:50:00", "24:50:00")]},
        transfers=[{"from_trip_id": "k2", "to_trip_id": "k3", "transfer_type": 4},
                   {"from_trip_id": "n1", "to_trip_id": "n2", "transfer_type": 4},
                   {"from_trip_id": "m1", "to_trip_id": "m2", "transfer_type": 4},
                   {"from_trip_id": "p1", "to_trip_id": "p2", "transfer_type": 4}])
    assert trip_rules(compiled(f)) == {("k1", "k2", "C", "C", -2), ("n1@-1d", "n2", "C", "C", -2),
                                       ("n1", "n2@1d", "C", "C", -2),
                                       ("m1@-1d", "m2@-1d", "C", "C", -2), ("m1", "m2", "C", "C", -2),
                                       ("l1", "l2", "C", "C", -2), ("p1", "p2", "B", "B", -2)}


def test_in_seat_goes_on_only_into_the_next_service_day_not_two_days_on(tmp_path):
    """t0 runs A 23:00 -> B 48:30 -> C 49:00 every day, so the run of two days back is compiled
    (C at 01:00 on today's clock); t1 (type 4 from t0) leaves C at 02:00, before t0 arrives on
    their own clocks: the subsequent service day's t1 only. Today's t1 is then the one the run of
    yesterday goes on as, which arrives at 25:00, after it leaves: no seat at all on this date;
    above all not from the run of two days back into today's t1 (a day too far). Found by the
    surviving mutant seat-across-days once each run's day shift was added (helper dst)."""
    f = make_feed(tmp_path / "f", stops=LINE, trips=[{"trip_id": "t0", "route_id": "R"}, {"trip_id": "t1", "route_id": "R"}],
                  stop_times={"t0": [("A", "23:00:00", "23:00:00"), ("B", "48:30:00", "48:30:00"),
                                     ("C", "49:00:00", "49:00:00")],
                              "t1": [("C", "02:00:00", "02:00:00"), ("D", "02:30:00", "02:30:00")]},
                  transfers=[{"from_trip_id": "t0", "to_trip_id": "t1", "transfer_type": 4}])
    assert trip_rules(compiled(f)) == set()


def test_parent_stations_platform_footpaths_and_station_level_transfers(tmp_path):
    stops = [
        {"stop_id": "S", "stop_name": "Big Station", "location_type": 1},      # no coordinates
        ("P1", 0.0, 0.0, "S", 0), ("P2", 0.0, 0.002, "S", 0), ("P3", 0.002, 0.0, "S", 0),
        {"stop_id": "U", "stop_lat": 1.0, "stop_lon": 1.0, "location_type": 1},
        ("Q1", 1.0, 1.0, "U", 0), {"stop_id": "Q2", "parent_station": "U", "location_type": 0},  # no coordinates
        {"stop_id": "V", "stop_lat": 2.0, "stop_lon": 2.0, "location_type": 1},
        ("V1", 2.0, 2.0, "V", 0), ("V2", 2.0, 2.001, "V", 0),
    ]
    served = ["P1", "P2", "P3", "Q1", "Q2", "V1", "V2"]
    f = make_feed(tmp_path / "f", stops=stops, stop_times={
        "T1": [(s, f"08:{k:02d}:00", f"08:{k:02d}:00") for k, s in enumerate(served)],
    }, transfers=[
        {"from_stop_id": "S", "to_stop_id": "S", "transfer_type": 2, "min_transfer_time": 300},
        {"from_stop_id": "P1", "to_stop_id": "P2", "transfer_type": 2, "min_transfer_time": 60},
        {"from_stop_id": "S", "to_stop_id": "U", "transfer_type": 2, "min_transfer_time": 900},
        {"from_stop_id": "V", "to_stop_id": "V", "transfer_type": 3},
    ])
    tt = compiled(f)
    st = {tt.stop_ids[i]: tt.stop_ids[tt.stop_station[i]] for i in range(tt.n_stops)}
    assert st == {"S": "S", "P1": "S", "P2": "S", "P3": "S", "U": "U", "Q1": "U", "Q2": "U",
                  "V": "V", "V1": "V", "V2": "V"}
    i = tt.stop_ids.index
    # S takes the mean of its platforms' coordinates; Q2 takes its station's
    assert tt.stop_lat[i("S")] == pytest.approx(0.002 / 3) and tt.stop_lon[i("S")] == pytest.approx(0.002 / 3)
    assert (tt.stop_lat[i("Q2")], tt.stop_lon[i("Q2")]) == (1.0, 1.0)
    # S->S 300 s applies to S's platforms; V->V type 3 forbids changing at V's platforms
    assert [change(tt, s) for s in ("P1", "P2", "P3", "Q1", "Q2", "V1", "V2")] == [300, 300, 300, 180, 180, -1, -1]
    fp = footpaths(tt)
    expected = {(a, b): 300 for a in ("P1", "P2", "P3") for b in ("P1", "P2", "P3") if a != b}
    expected[("P1", "P2")] = 60                                   # the stop-level row wins
    expected.update({(a, b): 900 for a in ("P1", "P2", "P3") for b in ("Q1", "Q2")})   # S->U only
    expected.update({("Q1", "Q2"): 180, ("Q2", "Q1"): 180})       # U: default bus change time
    assert fp == expected                                          # nothing between V1 and V2


def test_walk_meters_footpaths(tmp_path):
    stops = [("A", 0.0, 0.0), ("B", 0.0, 0.002), ("C", 0.0, 0.005)]
    f = make_feed(tmp_path / "f", stops=stops, stop_times=_two_trips_everywhere(stops))
    assert footpaths(compiled(f)) == {}
    # A-B 222.39 m (186 s), B-C 333.59 m (278 s), A-C 555.98 m (464 s); + 180 s bus change
    assert footpaths(compiled(f, walk_meters=300)) == {("A", "B"): 366, ("B", "A"): 366}
    assert footpaths(compiled(f, walk_meters=400)) == {("A", "B"): 366, ("B", "A"): 366,
                                                       ("B", "C"): 458, ("C", "B"): 458}


def test_two_feeds_merged_with_prefixed_ids(tmp_path):
    day = {"T1": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:10:00")]}
    north = make_feed(tmp_path / "north", stops=LINE[:2], stop_times=day)
    south = make_feed(tmp_path / "south", stops=LINE[:2], stop_times={
        "T1": [("B", "09:00:00", "09:00:00"), ("A", "09:20:00", "09:20:00")]})
    tt = compile_timetable(load_feeds([north, south]), TUE)
    assert check_timetable(tt) == []
    assert conns(tt) == [("A", "B", 8 * H, 8 * H + 600, "T1"),
                         ("south:B", "south:A", 9 * H, 9 * H + 1200, "south:T1")]
    assert sorted(tt.stop_ids) == ["A", "B", "south:A", "south:B"]


def test_areas_from_a_given_table(tmp_path):
    import pandas as pd

    stops = [("A", 0.0, 0.0), ("B", 0.0, 0.01), ("C", 0.0, 0.02)]
    f = make_feed(tmp_path / "f", stops=stops, stop_times=_two_trips_everywhere(stops))
    areas = pd.DataFrame({"stop_id": ["A", "B"], "area": ["Hohhot", "Hohhot"]})
    tt = compiled(f, areas=areas)
    names = [tt.area_names[tt.stop_area[tt.stop_ids.index(s)]] for s in "ABC"]
    assert names == ["Hohhot", "Hohhot", "C"]   # C is not listed: its own station


# ---------------------------------------------------------------------------- hand-made timetables


def test_timetable_from_connections_builds_a_valid_timetable():
    tt = timetable_from_connections(
        [("B", "C", 200, 300, "t1"), ("A", "B", 100, 200, "t1"), ("A", "C", 150, 400, "t2", False, True)],
        stop_change={"B": 60}, footpaths=[("C", "A", 30)], trip_transfer_block=[("t1", "t2")])
    assert check_timetable(tt) == []
    assert tt.stop_ids == ["B", "C", "A"]
    assert conns(tt) == [("A", "B", 100, 200, "t1"), ("A", "C", 150, 400, "t2"), ("B", "C", 200, 300, "t1")]
    assert tt.c_seq.tolist() == [0, 0, 1]
    assert tt.c_board.tolist() == [True, False, True]
    assert tt.stop_change.tolist() == [60, 0, 0]
    assert footpaths(tt) == {("C", "A"): 30}
    assert tt.trip_transfer_block.tolist() == [0 * 2 + 1]
    with pytest.raises(ValueError, match="trip '0': hop .* does not continue hop"):   # a trip jumping from B to A
        timetable_from_connections([("A", "B", 100, 200, 0), ("A", "C", 250, 300, 0)])


# ---------------------------------------------------------------------------- cache


def _feed(tmp_path: Path) -> Path:
    return make_feed(tmp_path / "feed", stops=LINE, stop_times={
        "T1": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:10:00"), ("C", "08:20:00", "08:20:00")]})


def test_cache_hit_skips_pandas_and_returns_the_same_timetable(tmp_path):
    feed, cache = _feed(tmp_path), tmp_path / "cache"
    tt = load_timetable([feed], TUE, cache_dir=cache, walk_meters=2000)
    files = list(cache.glob("*.arrays"))
    assert len(files) == 1
    code = (
        "import sys, json, datetime as dt\n"
        "from hbeu_transit.timetable import load_timetable\n"
        f"tt = load_timetable([{str(feed)!r}], dt.date(2024, 3, 5), cache_dir={str(cache)!r}, walk_meters=2000)\n"
        "print(json.dumps({'pandas': 'pandas' in sys.modules, 'gtfs_kit': 'gtfs_kit' in sys.modules,\n"
        "  'conns': tt.c_dep.tolist(), 'fp': tt.fp_dur.tolist(), 'trips': tt.trip_ids, 'opts': tt.options}))\n")
    out = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                    check=True).stdout)
    assert out["pandas"] is False and out["gtfs_kit"] is False
    assert out["conns"] == tt.c_dep.tolist() == [8 * H, 8 * H + 600]
    assert out["fp"] == tt.fp_dur.tolist() and len(out["fp"]) == 6   # A<->B<->C<->D (1111.95 m)
    assert out["trips"] == ["T1"] and out["opts"]["walk_meters"] == 2000


def test_cache_key_changes_with_date_options_and_file(tmp_path):
    feed = _feed(tmp_path)
    k = cache_key([feed], TUE)
    assert cache_key([feed], TUE) == k
    assert cache_key([feed], "2024-03-05", transfer_minutes=None) == k
    others = [cache_key([feed], WED), cache_key([feed], TUE, transfer_minutes=0),
              cache_key([feed], TUE, transfer_minutes=5), cache_key([feed], TUE, walk_meters=300),
              cache_key([feed], TUE, modes={"bus"}), cache_key([feed], TUE, modes={"rail"})]
    assert len({k, *others}) == 1 + len(others)
    p = feed / "stop_times.txt"
    p.write_text(p.read_text().replace("08:20:00", "08:21:00"))
    assert cache_key([feed], TUE) != k
    with pytest.raises(TypeError, match="unknown timetable option.*walkmeters"):
        cache_key([feed], TUE, walkmeters=3)


def test_cache_key_sees_a_feed_file_renamed_and_a_feed_renamed(tmp_path):
    """A feed folder's transfers.txt renamed transfers_off.txt (the same bytes, the same order
    of files) is another feed: the transfers are gone. And a feed renamed (the same bytes) is
    another feed when merged, since a merged feed's name prefixes the ids it shares."""
    feed = _feed(tmp_path)
    (feed / "transfers.txt").write_text("from_stop_id,to_stop_id,transfer_type,min_transfer_time\nB,B,2,300\n")
    k = cache_key([feed], TUE)
    (feed / "transfers.txt").rename(feed / "transfers_off.txt")
    assert cache_key([feed], TUE) != k

    other = make_feed(tmp_path / "other", stops=LINE, stop_times={
        "T9": [("A", "09:00:00", "09:00:00"), ("B", "09:10:00", "09:10:00")]})
    copy = shutil.copytree(other, tmp_path / "copy")
    assert cache_key([feed, other], TUE) != cache_key([feed, copy], TUE)
    assert "other:A" in load_timetable([feed, other], TUE, cache_dir=tmp_path / "cache").stop_ids
    assert "copy:A" in load_timetable([feed, copy], TUE, cache_dir=tmp_path / "cache").stop_ids


def test_a_given_feed_loader_replaces_reading_the_feed_on_a_miss_only(tmp_path, monkeypatch):
    import hbeu_transit.feed.load as feed_load

    feed, cache = _feed(tmp_path), tmp_path / "cache"
    loaded = load_feeds([feed])
    calls = []

    def loader():
        calls.append(1)
        return loaded

    monkeypatch.setattr(feed_load, "load_feeds", lambda *a, **k: pytest.fail("the feed was read again"))
    assert load_timetable([feed], TUE, cache_dir=cache, feed_loader=loader).c_dep.tolist() == [8 * H, 8 * H + 600]
    assert calls == [1]
    load_timetable([feed], TUE, cache_dir=cache, feed_loader=loader)   # a hit needs no feed
    assert calls == [1] and len(list(cache.glob("*.arrays"))) == 1       # and the loader is no option
    load_timetable([feed], TUE, cache_dir=cache, feed_loader=loader, transfer_minutes=1)
    assert calls == [1, 1]


def test_changed_feed_recompiles(tmp_path):
    feed, cache = _feed(tmp_path), tmp_path / "cache"
    assert load_timetable([feed], TUE, cache_dir=cache).c_arr.tolist() == [8 * H + 600, 8 * H + 1200]
    p = feed / "stop_times.txt"
    p.write_text(p.read_text().replace("08:20:00", "08:21:00"))
    assert load_timetable([feed], TUE, cache_dir=cache).c_arr.tolist() == [8 * H + 600, 8 * H + 1260]


def test_corrupt_cache_file_is_recompiled(tmp_path):
    feed, cache = _feed(tmp_path), tmp_path / "cache"
    load_timetable([feed], TUE, cache_dir=cache)
    (path,) = cache.glob("*.arrays")
    good = path.read_bytes()
    for bad in (b"not a zip at all", good[: len(good) // 2]):
        path.write_bytes(bad)
        tt = load_timetable([feed], TUE, cache_dir=cache)
        assert tt.c_dep.tolist() == [8 * H, 8 * H + 600]
        assert path.read_bytes() != bad                  # rewritten with a good file
    assert not list(cache.glob("*.tmp"))


def test_cache_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path / "x"))
    assert default_cache_dir() == tmp_path / "x"
    monkeypatch.delenv("HBEU_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "hbeu-transit"
    feed = _feed(tmp_path)
    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path / "env"))
    load_timetable([feed], TUE)
    assert len(list((tmp_path / "env").glob("*.arrays"))) == 1


# ---------------------------------------------------------------------------- real feeds


def _brute_force_hops(zip_path: Path, date: dt.date) -> int:
    """Hops of a date counted straight from the zip with the csv module (no pandas, no gtfs-kit):
    all hops of trips running that day, plus previous-day hops departing at or after 24:00, plus
    every hop of the next day's trips leaving before 06:00 (the night the timetable holds)."""
    z = zipfile.ZipFile(zip_path)

    def table(name: str) -> list[dict[str, str]]:
        if f"{name}.txt" not in z.namelist():
            return []
        return list(csv.DictReader(io.TextIOWrapper(z.open(f"{name}.txt"), "utf-8-sig")))

    days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    def services(d: dt.date) -> set[str]:
        ymd = d.strftime("%Y%m%d")
        on = {r["service_id"] for r in table("calendar")
              if r["start_date"] <= ymd <= r["end_date"] and r[days[d.weekday()]] == "1"}
        for r in table("calendar_dates"):
            if r["date"] == ymd:
                (on.add if r["exception_type"] == "1" else on.discard)(r["service_id"])
        return on

    today, prev = services(date), services(date - dt.timedelta(days=1))
    nxt = services(date + dt.timedelta(days=1))
    svc = {r["trip_id"]: r["service_id"] for r in table("trips")}
    assert not table("frequencies")
    by_trip: dict[str, list] = defaultdict(list)
    for r in table("stop_times"):
        s = svc[r["trip_id"]]
        if s in today or s in prev or s in nxt:
            t = r["departure_time"].strip() or r["arrival_time"].strip()
            sec = None
            if t:
                h, m, x = t.split(":")
                sec = int(h) * 3600 + int(m) * 60 + int(x)
            by_trip[r["trip_id"]].append((int(r["stop_sequence"]), sec))
    n = 0
    for trip, rows in by_trip.items():
        rows.sort()
        if svc[trip] in today:
            n += len(rows) - 1
        if svc[trip] in nxt and next(sec for _, sec in rows if sec is not None) < 6 * 3600:
            n += len(rows) - 1
        if svc[trip] in prev:
            # blank departures: linear by stop position between the timed neighbours
            secs = [sec for _, sec in rows]
            timed = [k for k, sec in enumerate(secs) if sec is not None]
            for k in range(len(secs) - 1):
                if secs[k] is None:
                    p = max(j for j in timed if j < k)
                    q = min(j for j in timed if j > k)
                    secs[k] = secs[p] + (secs[q] - secs[p]) * (k - p) / (q - p)
                n += round(secs[k]) >= 86400
    return n


@pytest.mark.parametrize("name,date", [("cairns", dt.date(2014, 12, 19)), ("hart", dt.date(2018, 10, 19))])
def test_real_feed_invariants(name, date):
    path = shared_feed(name)
    tt = compile_timetable(load_feeds([path]), date)
    assert check_timetable(tt) == []
    assert np.all(np.diff(tt.c_dep) >= 0) and np.all(tt.c_arr >= tt.c_dep) and np.all(tt.c_dep >= 0)
    assert tt.n_connections == _brute_force_hops(path, date)
    if name == "hart":
        assert tt.n_connections > 90_000        # exact just above; this only says the big feed was read whole


def test_sample_feed_frequency_runs():
    # STBA: Stagecoach -> Airport, one hop, every 30 min from 06:00 to before 22:00 = 32 runs
    tt = compile_timetable(load_feeds([TEST_DATA / "sample.zip"]), dt.date(2008, 6, 2))
    assert check_timetable(tt) == []
    stba = [tt.trip_label(k) for k, t in enumerate(tt.trip_ids) if t == "STBA"]
    assert len(stba) == 32 and stba[0] == "STBA@06:00:00" and stba[-1] == "STBA@21:30:00"


def test_feed_digest_is_remembered_only_for_a_settled_file(tmp_path, monkeypatch):
    """A feed's sha256 is computed once per process (the place index and the timetable cache
    key both ask for it) while the file keeps its size and time; a file written just now is
    hashed every time, and a rewrite is seen."""
    import os

    from hbeu_transit import cache

    hashed = []
    real = cache._sha256
    monkeypatch.setattr(cache, "_sha256", lambda p, files: hashed.append(p) or real(p, files))
    f = tmp_path / "feed.zip"
    f.write_bytes(b"first")
    want = hashlib.sha256(b"first").hexdigest()
    assert cache.file_sha256(f) == cache.file_sha256(f) == want
    assert len(hashed) == 2                              # written just now: not remembered
    old = f.stat().st_mtime_ns - 60 * 10**9
    os.utime(f, ns=(old, old))
    assert cache.file_sha256(f) == cache.file_sha256(f) == want
    assert len(hashed) == 3                              # settled: hashed once more, then remembered
    f.write_bytes(b"other")                              # same size, new time
    assert cache.file_sha256(f) == hashlib.sha256(b"other").hexdigest()


def test_feed_digest_is_remembered_in_the_cache_across_processes(tmp_path, monkeypatch):
    """With a cache folder, a settled feed's sha256 is kept there (a warm ``hbeu plan`` does not
    hash hart's 3.5 MB again); a replacement of the same size and time is still seen (another
    inode; a rewrite in place moves the change time, which the memo waits two seconds for), and a
    damaged memo is ignored."""
    import os

    from hbeu_transit import cache

    hashed = []
    real = cache._sha256
    monkeypatch.setattr(cache, "_sha256", lambda p, files: hashed.append(p) or real(p, files))
    monkeypatch.setattr(cache, "_SETTLED_NS", -1)         # every file counts as settled here
    f, memo_dir = tmp_path / "feed.zip", tmp_path / "cache"
    f.write_bytes(b"first")
    want = hashlib.sha256(b"first").hexdigest()
    assert cache.file_sha256(f, memo_dir) == want and len(hashed) == 1
    cache._DIGESTS.clear()                               # a new process
    assert cache.file_sha256(f, memo_dir) == want and len(hashed) == 1
    memos = list((memo_dir / "digests").iterdir())
    assert len(memos) == 1 and memos[0].read_text() == want
    st = f.stat()
    (tmp_path / "new.zip").write_bytes(b"other")         # a replacement of the same size and time
    os.utime(tmp_path / "new.zip", ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(tmp_path / "new.zip", f)
    cache._DIGESTS.clear()
    assert cache.file_sha256(f, memo_dir) == hashlib.sha256(b"other").hexdigest() and len(hashed) == 2
    for m in (memo_dir / "digests").iterdir():
        m.write_text("not a digest")
    cache._DIGESTS.clear()
    assert cache.file_sha256(f, memo_dir) == hashlib.sha256(b"other").hexdigest() and len(hashed) == 3
