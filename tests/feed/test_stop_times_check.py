"""The planner's stop_times check (``feed.validate._Checks.stop_times``: trips with fewer than
two stops, times that go backwards, trips longer than four days, impossible speeds) against a
plain reference written row by row, on hand-made feeds with each problem and on random tables.

The check works on whole columns at once (hart's 435,000 stop_times rows); the reference says
the same rules the slow, obvious way, so any difference is a bug in one of them."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
import pandas as pd
from conftest import ROOT
from gtfs_factory import make_feed, write_feed
from hypothesis import given, settings
from hypothesis import strategies as st

from hbeu_transit.errors import FeedError
from hbeu_transit.feed import validate as v
from hbeu_transit.feed.load import EXTRA_TABLES, GTFS_TABLES, _read_text_tables
from hbeu_transit.feed.modes import mode_family

# ------------------------------------------------------------------------------- the reference


def _text(x) -> str:
    return "" if pd.isna(x) else str(x).strip()


def _number(x) -> float:
    try:
        return float(_text(x))
    except ValueError:
        return math.nan


def _seconds(x) -> float:
    m = re.fullmatch(r"(\d+):([0-5]\d):([0-5]\d)", _text(x), re.ASCII)
    return float(int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3])) if m else math.nan


def _clock(s: float) -> str:
    s = int(s)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _km(p, q) -> float:
    if not all(math.isfinite(c) for c in (*p, *q)):
        return math.nan
    la1, la2, dl = math.radians(p[0]), math.radians(q[0]), math.radians(q[1] - p[1])
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(max(h, 0.0), 1.0)))


def _records(df: pd.DataFrame | None) -> list[dict]:
    return [] if df is None else df.to_dict("records")


def reference(feed: str, tables: dict[str, pd.DataFrame]) -> list[v.Notice]:
    """The stop_times check's notices, in the order it finds them, one row at a time."""
    if tables.get("stop_times") is None or tables.get("trips") is None:
        return []
    out: list[v.Notice] = []

    def add(code, table, row, field, value, message):
        out.append(v.Notice(code, "ERROR", f"{feed}/{table}.txt", row, field,
                            None if value is None else str(value), message))

    rows = []
    for i, r in enumerate(_records(tables["stop_times"])):
        arr, dep = _seconds(r.get("arrival_time")), _seconds(r.get("departure_time"))
        arr = dep if math.isnan(arr) else arr
        dep = arr if math.isnan(dep) else dep
        seq = _number(r.get("stop_sequence"))
        rows.append({"line": i + 2, "trip": _text(r.get("trip_id")), "stop": _text(r.get("stop_id")),
                     "seq": math.inf if math.isnan(seq) else seq, "arr": arr, "dep": dep})
    rows.sort(key=lambda r: (r["trip"], r["seq"]))   # stable: ties stay in file order

    count = Counter(r["trip"] for r in rows)
    for i, r in enumerate(_records(tables["trips"])):
        t = _text(r.get("trip_id"))
        if t and count[t] < 2:
            add("trip_with_fewer_than_two_stops", "trips", i + 2, "trip_id", t,
                f"trip {t!r} has {count[t]} stop(s); a trip needs at least two")
    for r in rows:
        if r["dep"] < r["arr"]:
            add("time_travels_backwards", "stop_times", r["line"], "departure_time", r["dep"],
                f"trip {r['trip']!r} departs stop {r['stop']!r} before it arrives there")
    timed = [r for r in rows if not math.isnan(r["arr"])]
    if len(timed) < 2:
        return out
    hops = [(p, q) for p, q in zip(timed, timed[1:]) if p["trip"] == q["trip"]]
    for p, q in hops:
        if q["arr"] < p["dep"]:
            add("time_travels_backwards", "stop_times", q["line"], "arrival_time", _clock(q["arr"]),
                f"trip {q['trip']!r} arrives at stop {q['stop']!r} ({_clock(q['arr'])}) before "
                f"it left the previous stop ({_clock(p['dep'])})")
    times: dict[str, list[float]] = {}
    for r in timed:
        times.setdefault(r["trip"], []).append(r["arr"])
    for t in sorted(times):
        span = max(times[t]) - min(times[t])
        if span > v.MAX_TRIP_SECONDS:
            add("trip_longer_than_4_days", "stop_times", None, "arrival_time", t,
                f"trip {t!r} runs for {span / 86400:.1f} days (more than 4)")

    if tables.get("stops") is None or tables.get("routes") is None:
        return out
    where, rtype, route = {}, {}, {}
    for r in _records(tables["stops"]):
        where.setdefault(_text(r.get("stop_id")), (_number(r.get("stop_lat")), _number(r.get("stop_lon"))))
    for r in _records(tables["routes"]):
        rtype.setdefault(_text(r.get("route_id")), _number(r.get("route_type")))
    for r in _records(tables["trips"]):
        route.setdefault(_text(r.get("trip_id")), _text(r.get("route_id")))
    nowhere = (math.nan, math.nan)
    for p, q in hops:
        km = _km(where.get(p["stop"], nowhere), where.get(q["stop"], nowhere))
        kmh = km / max(q["arr"] - p["dep"], v.MIN_HOP_SECONDS) * 3600
        t = rtype.get(route.get(p["trip"]), math.nan)
        fam = mode_family(int(t)) if math.isfinite(t) else "other"
        limit = v.MAX_SPEED_KMH.get(fam, v.MAX_SPEED_KMH["other"])
        if not math.isnan(kmh) and kmh > limit:
            add("impossible_speed", "stop_times", q["line"], "arrival_time", f"{kmh:.0f} km/h",
                f"trip {q['trip']!r} ({fam}) covers {km:.1f} km from {p['stop']!r} to {q['stop']!r} "
                f"in {max(q['arr'] - p['dep'], 0) / 60:.0f} min: {kmh:.0f} km/h, over the "
                f"{limit:.0f} km/h a {fam} can do")
    return out


def checked(feed: str, tables: dict[str, pd.DataFrame]) -> list[v.Notice]:
    c = v._Checks(feed, tables, None)
    c.stop_times()
    return c.out


# ------------------------------------------------------------------------------- hand-made feeds

STOPS = [("A", 40.0, 116.0), ("B", 40.001, 116.0), ("C", 40.5, 116.0), ("D", 41.0, 116.0),
         {"stop_id": "NOWHERE", "stop_lat": "", "stop_lon": ""}, ("A", 10.0, 10.0)]  # a second A: the first counts


def _feed(tmp_path, name, **kw):
    folder = make_feed(tmp_path / name, stops=kw.pop("stops", STOPS), **kw)
    return _read_text_tables(folder, GTFS_TABLES + EXTRA_TABLES)


def _same(tables, feed="f"):
    got, want = checked(feed, tables), reference(feed, tables)
    assert got == want
    return got


def test_each_problem_is_reported_as_the_reference_says(tmp_path):
    tables = _feed(tmp_path, "f", stop_times={
        "T10": [("A", "08:00:00", "08:00:00"), ("B", "08:05:00", "08:04:00"),        # departs before it arrives
                ("C", "08:03:00", "08:06:00")],                                       # arrives before it left B
        "T2": [("A", "08:00:00", "08:00:00")],                                        # one stop
        "T3": [("A", "00:00:00", "00:00:00"), ("D", "96:00:01", "96:00:01")],         # over four days
        "T4": [("A", "8:00:00", "8:00:00"), ("C", "", ""), ("D", "8:01:00", "8:01:00")],  # blank middle, 111 km/min
        "T5": [("A", "08:00:00", "08:00:00"), ("NOWHERE", "08:00:00", "08:00:00"),
               ("UNKNOWN", "08:01:00", ""), ("B", "", "08:02:00")],
        "é": [("C", "09:00:00", "09:00:00"), ("D", "09:00:00", "09:00:00")],         # same minute: 60 s
    }, trips=[{"trip_id": "NEVER"}, {"trip_id": "T6", "route_id": "RAIL"}],
        routes=[{"route_id": "R", "agency_id": "A", "route_type": 3},
                {"route_id": "RAIL", "agency_id": "A", "route_type": 2},
                {"route_id": "R", "agency_id": "A", "route_type": 2}])              # a second R: the first counts
    got = _same(tables)
    assert Counter(n.code for n in got) == {"trip_with_fewer_than_two_stops": 3, "time_travels_backwards": 2,
                                            "trip_longer_than_4_days": 1, "impossible_speed": 3}


def test_rows_out_of_order_blank_ids_and_odd_sequences(tmp_path):
    st_rows = [
        {"trip_id": " T1 ", "stop_id": "C", "stop_sequence": "3", "arrival_time": "08:02:00", "departure_time": "08:02:00"},
        {"trip_id": "T1", "stop_id": "A", "stop_sequence": "1", "arrival_time": "08:00:00", "departure_time": "08:00:00"},
        {"trip_id": "T1", "stop_id": "B", "stop_sequence": "2", "arrival_time": "08:30:00", "departure_time": "08:30:00"},
        {"trip_id": "", "stop_id": "A", "stop_sequence": "1", "arrival_time": "09:00:00", "departure_time": "09:00:00"},
        {"trip_id": "", "stop_id": "D", "stop_sequence": "2", "arrival_time": "08:00:00", "departure_time": "08:00:00"},
        {"trip_id": "T7", "stop_id": "A", "stop_sequence": "x", "arrival_time": "10:00:00", "departure_time": "10:00:00"},
        {"trip_id": "T7", "stop_id": "D", "stop_sequence": "", "arrival_time": "09:00:00", "departure_time": "09:00:00"},
        {"trip_id": "T7", "stop_id": "C", "stop_sequence": "2.5", "arrival_time": "9:61:00", "departure_time": "09:10:00"},
        {"trip_id": "T7", "stop_id": "B", "stop_sequence": "2", "arrival_time": "09:10:00", "departure_time": "09:10:00"},
        {"trip_id": "T8", "stop_id": "A", "stop_sequence": "1", "arrival_time": "x", "departure_time": ""},
        {"trip_id": "T8", "stop_id": "B", "stop_sequence": "1", "arrival_time": "08:00:00", "departure_time": "08:00:00"},
    ]
    folder = make_feed(tmp_path / "odd", stops=STOPS, stop_times={},
                       trips=[{"trip_id": t} for t in ("T1", "T7", "T8", "T9")])
    write_feed(folder, {"stop_times": st_rows})   # in this order, as written
    tables = _read_text_tables(folder, GTFS_TABLES + EXTRA_TABLES)
    got = _same(tables)
    assert {n.code for n in got} >= {"time_travels_backwards", "impossible_speed", "trip_with_fewer_than_two_stops"}


def test_without_stops_or_routes_only_the_speeds_are_left_out(tmp_path):
    tables = _feed(tmp_path, "f", stop_times={"T": [("A", "08:00:00", "08:00:00"), ("D", "08:01:00", "07:59:00")]})
    assert {n.code for n in _same(tables)} == {"impossible_speed", "time_travels_backwards"}
    assert [n.code for n in _same({k: t for k, t in tables.items() if k != "routes"})] == ["time_travels_backwards"]
    assert _same({k: t for k, t in tables.items() if k != "trips"}) == []


# ------------------------------------------------------------------------------- random tables

_IDS = ["T1", "T2", "T10", " T1", "é", "", None]
_TIMES = ["08:00:00", "8:00:00", "08:00:30", "08:01:00", "08:59:59", "23:59:00", "30:00:00", "97:00:00",
          "", None, "8:60:00", "x", "0:00:00"]


@st.composite
def stop_time_tables(draw) -> dict[str, pd.DataFrame]:
    n = draw(st.integers(0, 14))
    col = {
        "trip_id": draw(st.lists(st.sampled_from(_IDS), min_size=n, max_size=n)),
        "stop_id": draw(st.lists(st.sampled_from(["A", "B", "C", "D", "NOWHERE", "UNKNOWN", None]), min_size=n, max_size=n)),
        "stop_sequence": draw(st.lists(st.sampled_from(["1", "2", "3", "2", "10", "", None, "x", " 4 "]),
                                       min_size=n, max_size=n)),
        "arrival_time": draw(st.lists(st.sampled_from(_TIMES), min_size=n, max_size=n)),
        "departure_time": draw(st.lists(st.sampled_from(_TIMES), min_size=n, max_size=n)),
    }
    trips = draw(st.lists(st.tuples(st.sampled_from(_IDS), st.sampled_from(["R", "RAIL", "X", None])), max_size=6))
    stops = [("A", "40.0", "116.0"), ("B", "40.001", "116.0"), ("C", "40.5", "116.0"), ("D", "41.0", "116.0"),
             ("NOWHERE", None, None), ("A", "0", "0")]

    def frame(d) -> pd.DataFrame:
        return pd.DataFrame({k: pd.Series(x, dtype="string") for k, x in d.items()})

    return {"stop_times": frame(col),
            "trips": frame({"trip_id": [t for t, _ in trips], "route_id": [r for _, r in trips]}),
            "stops": frame({"stop_id": [s[0] for s in stops], "stop_lat": [s[1] for s in stops],
                            "stop_lon": [s[2] for s in stops]}),
            "routes": frame({"route_id": ["R", "RAIL", "R"], "route_type": ["3", "2", "2"]})}


@settings(max_examples=300, deadline=None)
@given(tables=stop_time_tables())
def test_random_tables_match_the_reference(tables):
    _same(tables)


def test_the_broken_feeds_corpus_and_the_sample_feed_match_the_reference(sample_zip):
    """Every case of tests/broken_feeds (built to raise each notice) and the valid sample feed."""
    feeds = sorted((ROOT / "tests" / "broken_feeds").glob("*.zip")) + [sample_zip]
    found = Counter()
    for path in feeds:
        try:
            tables = _read_text_tables(path, GTFS_TABLES + EXTRA_TABLES)
        except FeedError:
            continue   # unreadable (not UTF-8...): no check runs
        found.update(n.code for n in _same(tables, path.stem))
    assert set(found) == {"trip_with_fewer_than_two_stops", "time_travels_backwards", "trip_longer_than_4_days",
                          "impossible_speed"}
