"""Router vs the networkx oracle on random timetables and random GTFS feeds (hypothesis).

Two generators: random *feeds* (stations with platforms, trips past 24:00 and spilling over
from the previous day, long-distance trips running on for up to 4 days, calendars with exceptions, frequencies, pickup/drop-off 1, transfers.txt
types 0/2/3) written as GTFS folders and compiled by ``hbeu_transit.timetable``, and a cheaper
one building Timetables directly. On each, random queries from and to single stops or whole
stations compare earliest arrival (one-to-all and one-to-one), arrive-by and the Pareto set.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from gtfs_factory import write_feed
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_graph import make_timetable

from hbeu_transit.oracle import Oracle, journey_problems, station_stops
from hbeu_transit.timetable.model import Timetable

import hbeu_transit.router as router

needs_router = pytest.mark.skipif(not hasattr(router, "earliest_arrival"), reason="the router is not written yet")

#: HBEU_DIFF_SCALE=10 runs ten times as many examples (a thorough run before a release).
SCALE = int(os.environ.get("HBEU_DIFF_SCALE", "1"))
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
DATE = dt.date(2024, 3, 6)  # a Wednesday
DAY = 86400


# --------------------------------------------------------------------------- comparisons

@contextlib.contextmanager
def kernel(name: str):
    """Run the router on one backend (interpreted or numba-compiled), whatever the size."""
    if name == "numba":
        pytest.importorskip("numba")
    router.set_backend(name)
    try:
        yield
    finally:
        router.set_backend(None)


def r_arrival_all(tt: Timetable, sources: list[int], depart: int, max_transfers: int | None = None
                  ) -> dict[int, int]:
    """The router's one-to-all earliest arrivals as {stop: time} (reached stops only)."""
    arr = router.earliest_arrival(tt, sources, depart, max_transfers=max_transfers).arrival
    return {s: int(t) for s, t in enumerate(arr.tolist()) if t < router.UNREACHABLE}


def place(data, tt: Timetable, label: str) -> list[int]:
    """A random query end: one stop, or every stop of a station (what naming a station means)."""
    served = sorted(set(tt.c_from.tolist()) | set(tt.c_to.tolist())) or list(range(tt.n_stops))
    s = data.draw(st.sampled_from(served), label=label)
    if data.draw(st.booleans(), label=f"{label} as station"):
        return station_stops(tt, int(tt.stop_station[s]))
    return [s]


def a_time(data, tt: Timetable, label: str) -> int:
    """A time near the action: just before some departure or arrival, or anywhere in the day."""
    times = sorted(set(tt.c_dep.tolist()) | set(tt.c_arr.tolist()))
    if times and data.draw(st.booleans(), label=f"{label} near"):
        return max(0, data.draw(st.sampled_from(times), label=label) - data.draw(st.sampled_from([0, 0, 1, 60, 300])))
    return data.draw(st.integers(0, 27 * 3600), label=label)


def check_queries(data, tt: Timetable, n_queries: int = 3) -> int:
    """Router == oracle on random queries of ``tt``; returns the number of comparisons made."""
    o = Oracle(tt)
    done = 0
    for _ in range(n_queries):
        src, dst = place(data, tt, "sources"), place(data, tt, "targets")
        depart = a_time(data, tt, "depart")
        k = data.draw(st.sampled_from([None, 0, 1, 2]), label="max_transfers")
        note = f"sources={src} targets={dst} depart={depart} max_transfers={k}"

        # one-to-all earliest arrival, with and without a transfer limit
        assert r_arrival_all(tt, src, depart) == o.earliest_arrival(src, depart), note
        if k is not None:
            assert r_arrival_all(tt, src, depart, k) == o.earliest_arrival(src, depart, max_transfers=k), note

        # one-to-one, with the journey checked leg by leg
        best = o.earliest(src, depart, dst, max_transfers=k)
        j = router.earliest_arrival(tt, src, depart, targets=dst, max_transfers=k).journey(dst)
        if best is None:
            assert j is None, note
        elif set(src) & set(dst) and j is not None and j.legs == ():
            pass                                           # already there: an empty journey
        else:
            assert j is not None and j.arrival == best, note
            assert journey_problems(tt, j, src, dst, depart) == [], note
            assert k is None or j.transfers <= k, note
        done += 2

        # Pareto set (arrival, transfers)
        kp = 3 if k is None else k
        got = [(j.arrival, j.transfers) for j in router.pareto(tt, src, dst, depart, kp)]
        assert got == o.pareto(src, dst, depart, kp), note
        for j in router.pareto(tt, src, dst, depart, kp):
            assert journey_problems(tt, j, src, dst, depart) == [], note

        # arrive-by: the latest departure, then the earliest arrival, then the fewest transfers
        ride_best = o.earliest(src, depart, dst, max_transfers=k, min_rides=1)
        arrive = ride_best if ride_best is not None and data.draw(st.booleans()) else a_time(data, tt, "arrive")
        note += f" arrive={arrive}"
        latest = o.arrive_by(src, dst, arrive, max_transfers=k)
        assert router.latest_departure(tt, src, dst, arrive, max_transfers=k) == latest, note
        jb = router.arrive_by(tt, src, dst, arrive, max_transfers=k)
        if latest is None:
            assert jb is None, note
        else:
            assert jb is not None and jb.legs[0].departure == latest, note
            assert journey_problems(tt, jb, src, dst, latest) == [], note
            assert jb.arrival == o.earliest(src, latest, dst, max_transfers=k, min_rides=1), note
            fewest = min(r for r in range(kp + 1 if k is not None else 8)
                         if o.earliest(src, latest, dst, max_transfers=r, min_rides=1) == jb.arrival)
            assert jb.transfers == fewest, note
        done += 2

        # profiles over a window
        lo = a_time(data, tt, "start")
        hi = lo + data.draw(st.sampled_from([0, 600, 3600, 4 * 3600]), label="window")
        prof = router.profile(tt, src, dst, lo, hi, max_transfers=kp)
        got = [(j.legs[0].departure, j.arrival, j.transfers) for j in prof]
        assert sorted(got) == o.profile(src, dst, lo, hi, kp), f"{note} window=[{lo}, {hi}]"
        assert got == sorted(got, key=lambda x: (x[0], x[2])), "profile: by departure, then transfers"
        for j in prof:
            assert journey_problems(tt, j, src, dst, lo) == [], note
        horizon = data.draw(st.sampled_from([None, 1800]), label="horizon")
        pa = router.profile_all(tt, src, lo, hi, max_transfers=k, horizon=horizon)
        got_all = {s: list(zip(*(x.tolist() for x in pa.pairs(s)))) for s in range(tt.n_stops)}
        assert {s: p for s, p in got_all.items() if p} == o.profile_all(src, lo, hi, k, horizon), \
            f"{note} window=[{lo}, {hi}] horizon={horizon}"
        done += 2
    return done


# --------------------------------------------------------------------------- random timetables

@st.composite
def timetables(draw) -> Timetable:
    """A small random Timetable: stations with platforms, minute-grained times so that ties and
    tight changes are common, forbidden changes, footpaths, no-pickup/no-drop-off, trip blocks."""
    n = draw(st.integers(3, 9))
    ids = [f"s{i}" for i in range(n)]
    stops: list = list(ids)
    usable = list(ids)                       # stops a vehicle may call at
    if n >= 5 and draw(st.booleans()):       # s0 a station (no vehicle calls), s1..sk its platforms
        k = draw(st.integers(2, 3))
        stops = [ids[0]] + [(ids[i], ids[0]) for i in range(1, k + 1)] + ids[k + 1:]
        usable = ids[1:]
    trips = []
    for _ in range(draw(st.integers(1, 10))):
        path = draw(st.lists(st.sampled_from(usable), min_size=2, max_size=5))
        path = [s for i, s in enumerate(path) if i == 0 or s != path[i - 1]]
        if len(path) < 2:
            continue
        t = draw(st.integers(-30, 60)) * 60
        rows = []
        for i, s in enumerate(path):
            arr = t
            t += draw(st.sampled_from([0, 0, 60, 120]))
            rows.append((s, arr, t, draw(st.integers(0, 7)) > 0, draw(st.integers(0, 7)) > 0))
            t += draw(st.integers(0, 15)) * 60
        trips.append(rows)
    if not trips:
        trips = [[(usable[0], 0, 0), (usable[1], 600, 600)]]
    change = {s: draw(st.sampled_from([-1, 0, 0, 60, 120, 300])) for s in ids}
    fps = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids), st.sampled_from([0, 60, 120, 300])),
                        max_size=6))
    fps = list({(a, b): (a, b, d) for a, b, d in fps if a != b}.values())
    blocks = draw(st.lists(st.tuples(st.integers(0, len(trips) - 1), st.integers(0, len(trips) - 1)), max_size=3))
    return make_timetable(stops, trips, change=change, footpaths=fps, blocks=sorted(set(blocks)))


@needs_router
def test_zero_time_loop_journey():
    """Regression (found by the random timetables). The trip runs s1 -> s0 -> s1 -> s2 -> s0,
    every hop at 00:00:00; one may board only at its 2nd and 3rd stops and alight only at the
    last. From s1 the answer is one ride s1 -> s0. The router once re-boarded the same trip at
    s0 in the repeated scan of the zero-duration group, overwrote the trip's boarding pointer
    and returned ride s0 -> s0, transfer, ride s0 -> s0 (arrival time right, journey wrong)."""
    tt = make_timetable(["s0", "s1", "s2"], [[
        ("s1", 0, 0, False, True), ("s0", 0, 0, True, False), ("s1", 0, 0, True, False),
        ("s2", 0, 0, False, False), ("s0", 0, 0, True, True)]])
    j = router.earliest_arrival(tt, [1], 0, targets=[0]).journey([0])
    assert j is not None and j.arrival == 0
    assert journey_problems(tt, j, [1], [0], 0) == []
    assert [(leg.kind, leg.from_stop, leg.to_stop) for leg in j.legs] == [("ride", 1, 0)]


@needs_router
@pytest.mark.parametrize("backend", ["python", "numba"])
@settings(max_examples=200 * SCALE, **SETTINGS)
@given(tt=timetables(), data=st.data())
def test_router_matches_oracle_on_random_timetables(backend, tt, data):
    with kernel(backend):
        check_queries(data, tt)


@settings(max_examples=100 * SCALE, **SETTINGS)
@given(tt=timetables(), data=st.data())
def test_oracle_queries_agree_with_each_other(tt, data):
    """The oracle's answers are consistent: the Pareto set ends at the earliest arrival, arriving
    by that time one may leave no earlier than now, leaving at the latest departure arrives in time."""
    o = Oracle(tt)
    src, dst = place(data, tt, "sources"), place(data, tt, "targets")
    walk = {u for s in src for u in tt.fp_to[tt.fp_start[s]:tt.fp_start[s + 1]].tolist()}
    if (set(src) | walk) & set(dst):
        return  # reachable on foot: no ride needed, and the Pareto set counts rides
    depart = a_time(data, tt, "depart")
    k = data.draw(st.integers(0, 3))
    best = o.earliest(src, depart, dst, max_transfers=k)
    front = o.pareto(src, dst, depart, k)
    assert (front[-1][0] if front else None) == best
    assert all(a > b for (a, _), (b, _) in zip(front, front[1:]))
    if best is not None:
        latest = o.arrive_by(src, dst, best, max_transfers=k)
        assert latest is not None and latest >= depart
        assert o.earliest(src, latest, dst, max_transfers=k) <= best
        assert o.earliest(src, latest + 1, dst, max_transfers=k) in (None, *range(best + 1, 10 * DAY))


# --------------------------------------------------------------------------- random feeds

def _clock(sec: int, pad: bool) -> str:
    h, rem = divmod(sec, 3600)
    return f"{h:02d}:{rem // 60:02d}:{rem % 60:02d}" if pad else f"{h}:{rem // 60:02d}:{rem % 60:02d}"


@st.composite
def feeds(draw) -> dict:
    """GTFS tables of a small random network around DATE (see the module docstring)."""
    stops = []
    platforms: list[str] = []
    for k in range(draw(st.integers(0, 2))):
        sid = f"ST{k}"
        stops.append({"stop_id": sid, "stop_name": f"Station {k}", "stop_lat": 50 + k / 100, "stop_lon": 8.0,
                      "location_type": 1, "parent_station": None})
        for p in range(draw(st.integers(1, 3))):
            pid = f"ST{k}P{p}"
            platforms.append(pid)
            stops.append({"stop_id": pid, "stop_name": f"Station {k} platform {p}",
                          "stop_lat": 50 + k / 100 + p / 20000, "stop_lon": 8.0, "location_type": 0,
                          "parent_station": sid})
    for k in range(draw(st.integers(2, 5))):
        sid = f"S{k}"
        platforms.append(sid)
        stops.append({"stop_id": sid, "stop_name": f"Stop {k}", "stop_lat": 50.0 + draw(st.integers(0, 30)) / 1000,
                      "stop_lon": 8.0 + draw(st.integers(0, 30)) / 1000, "location_type": 0, "parent_station": None})
    routes = [{"route_id": f"R{k}", "agency_id": "A", "route_short_name": f"{k}",
               "route_type": draw(st.sampled_from([3, 3, 2, 0, 4, 109]))} for k in range(draw(st.integers(1, 3)))]

    days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    calendar = [{"service_id": "D", **{d: 1 for d in days}, "start_date": "20240101", "end_date": "20241231"}]
    for k in range(draw(st.integers(0, 2))):
        mask = draw(st.lists(st.booleans(), min_size=7, max_size=7))
        calendar.append({"service_id": f"C{k}", **{d: int(m) for d, m in zip(days, mask)},
                         "start_date": draw(st.sampled_from(["20240301", "20240306", "20240307"])),
                         "end_date": draw(st.sampled_from(["20240305", "20240306", "20240331"]))})
    services = [c["service_id"] for c in calendar]
    calendar_dates = [{"service_id": draw(st.sampled_from(services)),
                       "date": draw(st.sampled_from(["20240305", "20240306"])),
                       "exception_type": draw(st.sampled_from([1, 2]))}
                      for _ in range(draw(st.integers(0, 2)))]
    calendar_dates = list({(r["service_id"], r["date"]): r for r in calendar_dates}.values())

    pad = draw(st.booleans())
    trips, stop_times, freqs = [], [], []
    for k in range(draw(st.integers(1, 7))):
        tid = f"t{k}"
        path = draw(st.lists(st.sampled_from(platforms), min_size=2, max_size=5))
        path = [s for i, s in enumerate(path) if i == 0 or s != path[i - 1]]
        if len(path) < 2:
            path = platforms[:2]
        trips.append({"route_id": draw(st.sampled_from(routes))["route_id"],
                      "service_id": draw(st.sampled_from(services)), "trip_id": tid})
        window = draw(st.sampled_from([(7 * 60, 8 * 60 + 30), (23 * 60 + 20, 25 * 60 + 30)]))
        t = draw(st.integers(*window)) * 60
        # a long-distance trip: hops of about a day, so that it runs on for up to 4 days
        long_trip = draw(st.integers(0, 4)) == 0
        for i, s in enumerate(path):
            if i and long_trip:
                t += draw(st.sampled_from([22 * 60, 23 * 60 + 50, 24 * 60])) * 60
            arr = t
            t += draw(st.sampled_from([0, 0, 60]))
            row = {"trip_id": tid, "arrival_time": _clock(arr, pad), "departure_time": _clock(t, pad),
                   "stop_id": s, "stop_sequence": 10 * i + 1,
                   "pickup_type": 1 if draw(st.integers(0, 9)) == 0 else 0,
                   "drop_off_type": 1 if draw(st.integers(0, 9)) == 0 else 0}
            stop_times.append(row)
            t += draw(st.integers(1, 12)) * 60
        if draw(st.integers(0, 4)) == 0:
            hw = draw(st.integers(5, 20)) * 60
            start = draw(st.integers(*window)) * 60
            freqs.append({"trip_id": tid, "start_time": _clock(start, True),
                          "end_time": _clock(start + draw(st.integers(1, 4)) * hw, True),
                          "headway_secs": hw, "exact_times": draw(st.sampled_from([0, 1]))})
    everywhere = [s["stop_id"] for s in stops]
    transfers = []
    for _ in range(draw(st.integers(0, 4))):
        ttype = draw(st.sampled_from([0, 2, 3]))
        same = draw(st.booleans())
        a = draw(st.sampled_from(everywhere))
        b = a if same else draw(st.sampled_from(everywhere))
        row = {"from_stop_id": a, "to_stop_id": b, "transfer_type": ttype, "min_transfer_time": None}
        if ttype == 2 or (ttype == 0 and draw(st.booleans())):
            row["min_transfer_time"] = draw(st.sampled_from([0, 60, 120, 300, 600]))
        transfers.append(row)
    if len(trips) > 1 and draw(st.integers(0, 3)) == 0:
        x, y = draw(st.permutations([t["trip_id"] for t in trips]))[:2]
        s = draw(st.sampled_from(platforms))
        transfers.append({"from_stop_id": s, "to_stop_id": s, "transfer_type": 3, "min_transfer_time": None,
                          "from_trip_id": x, "to_trip_id": y})
    transfers = list({(r["from_stop_id"], r["to_stop_id"], r.get("from_trip_id")): r for r in transfers}.values())
    tables = {
        "agency": [{"agency_id": "A", "agency_name": "Random", "agency_url": "https://example.org",
                    "agency_timezone": "Europe/Berlin"}],
        "stops": stops, "routes": routes, "trips": trips, "stop_times": stop_times, "calendar": calendar,
    }
    for name, rows in (("calendar_dates", calendar_dates), ("frequencies", freqs), ("transfers", transfers)):
        if rows:
            tables[name] = rows
    options = {"walk_meters": draw(st.sampled_from([None, None, 400.0])),
               "transfer_minutes": draw(st.sampled_from([None, None, 0.0, 2.0]))}
    return {"tables": tables, "options": options}


def compile_feed(spec: dict) -> Timetable:
    """Write the random feed as a GTFS folder and compile it for DATE."""
    from hbeu_transit.feed import load_feeds
    from hbeu_transit.timetable import compile_timetable

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_feed(Path(tmp) / "feed", spec["tables"])
        return compile_timetable(load_feeds([folder]), DATE, **spec["options"])


@needs_router
@pytest.mark.parametrize("backend", ["python", "numba"])
@settings(max_examples=40 * SCALE, **SETTINGS)
@given(spec=feeds(), data=st.data())
def test_router_matches_oracle_on_random_feeds(backend, spec, data):
    with kernel(backend):
        check_queries(data, compile_feed(spec), n_queries=4)


def _secs(text: str) -> int:
    h, m, x = (int(v) for v in text.split(":"))
    return h * 3600 + m * 60 + x


def _active(tables: dict, day: dt.date) -> set[str]:
    """Service ids running on ``day``, computed here from scratch."""
    ymd = day.strftime("%Y%m%d")
    wd = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][day.weekday()]
    on = {c["service_id"] for c in tables["calendar"] if c["start_date"] <= ymd <= c["end_date"] and c[wd]}
    for r in tables.get("calendar_dates", []):
        if r["date"] == ymd:
            (on.add if r["exception_type"] == 1 else on.discard)(r["service_id"])
    return on


def expected_hops(tables: dict) -> Counter:
    """(from, to, dep, arr, board, alight) of every vehicle hop on DATE, per the compiler's
    documented model: today's trips whole; those of N days before shifted by -N * 24 h, hops
    leaving before midnight dropped; frequency trips as runs start, start + headway, ... < end."""
    out: Counter = Counter()
    freqs: dict[str, list[dict]] = {}
    for f in tables.get("frequencies", []):
        freqs.setdefault(f["trip_id"], []).append(f)
    for back in range(6):   # (trips of the generator run for up to 4 days)
        day_off, day = -back * DAY, DATE - dt.timedelta(days=back)
        on = _active(tables, day)
        for trip in tables["trips"]:
            if trip["service_id"] not in on:
                continue
            rows = sorted((r for r in tables["stop_times"] if r["trip_id"] == trip["trip_id"]),
                          key=lambda r: r["stop_sequence"])
            first = _secs(rows[0]["departure_time"])
            offsets = [0]
            if trip["trip_id"] in freqs:
                offsets = [start - first for f in freqs[trip["trip_id"]]
                           for start in range(_secs(f["start_time"]), _secs(f["end_time"]), f["headway_secs"])]
            for off in offsets:
                for a, b in zip(rows, rows[1:]):
                    dep = _secs(a["departure_time"]) + off + day_off
                    if dep >= 0:
                        out[(a["stop_id"], b["stop_id"], dep, _secs(b["arrival_time"]) + off + day_off,
                             a["pickup_type"] != 1, b["drop_off_type"] != 1)] += 1
    return out


@settings(max_examples=60 * SCALE, **SETTINGS)
@given(spec=feeds())
def test_compiled_connections_match_the_feed(spec):
    """The compiler keeps exactly the hops of DATE's service (checked independently of the router)."""
    from hbeu_transit.timetable import check_timetable

    tt = compile_feed(spec)
    assert check_timetable(tt) == []
    ids = tt.stop_ids
    got = Counter((ids[f], ids[t], d, a, bool(b), bool(al)) for f, t, d, a, b, al in zip(
        tt.c_from.tolist(), tt.c_to.tolist(), tt.c_dep.tolist(), tt.c_arr.tolist(), tt.c_board.tolist(),
        tt.c_alight.tolist()))
    assert got == expected_hops(spec["tables"])
    # a same-stop transfers.txt row at a stop (not a station) sets that stop's change time
    lt = {s["stop_id"]: s["location_type"] for s in spec["tables"]["stops"]}
    for r in spec["tables"].get("transfers", []):
        if r["from_stop_id"] == r["to_stop_id"] and lt[r["from_stop_id"]] == 0 and "from_trip_id" not in r:
            want = -1 if r["transfer_type"] == 3 else r["min_transfer_time"]
            if want is not None:
                assert tt.stop_change[ids.index(r["from_stop_id"])] == want
