"""Hand-made feeds for the frequency tests, and a brute-force counter that shares no code with them.

The brute force reads the GTFS text files with the csv module and loops over rows: calendars
day by day, frequencies.txt expanded with a while loop, every (boarding, alighting) pair of a
trip tried. It is slow and obvious on purpose; hbeu's vectorised tables must agree with it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
import zipfile
from collections import defaultdict
from pathlib import Path

from gtfs_factory import write_feed

DAY = 86400
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


# ---------------------------------------------------------------------------- reading


def read_gtfs(path: str | Path) -> dict[str, list[dict[str, str]]]:
    """Every .txt table of a feed folder or zip as a list of row dicts (strings)."""
    p = Path(path)
    out: dict[str, list[dict[str, str]]] = {}
    if p.is_dir():
        for f in p.glob("*.txt"):
            with open(f, encoding="utf-8-sig", newline="") as fh:
                out[f.stem] = list(csv.DictReader(fh))
    else:
        with zipfile.ZipFile(p) as zf:
            for n in zf.namelist():
                if n.endswith(".txt"):
                    text = zf.read(n).decode("utf-8-sig")
                    out[Path(n).stem] = list(csv.DictReader(io.StringIO(text)))
    return out


def secs(text: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    h, m, s = text.split(":")
    return int(h) * 3600 + int(m) * 60 + int(s)


def services_on(g: dict, day: dt.date) -> set[str]:
    ymd = day.strftime("%Y%m%d")
    on = set()
    for r in g.get("calendar", []):
        if r["start_date"] <= ymd <= r["end_date"] and r[WEEKDAYS[day.weekday()]] == "1":
            on.add(r["service_id"])
    for r in g.get("calendar_dates", []):
        if r["date"] == ymd:
            if r["exception_type"] == "1":
                on.add(r["service_id"])
            elif r["exception_type"] == "2":
                on.discard(r["service_id"])
    return on


def station_of(g: dict) -> dict[str, str]:
    return {r["stop_id"]: (r.get("parent_station") or r["stop_id"]) for r in g["stops"]}


def city_of(g: dict) -> dict[str, str]:
    """stop -> area_id (stop_areas.txt), inherited from the parent station; else the station id."""
    st = station_of(g)
    direct = {r["stop_id"]: r["area_id"] for r in g.get("stop_areas", [])}
    return {s: direct.get(s) or direct.get(st[s]) or st[s] for s in st}


def runs_of_service_day(g: dict, day: dt.date, modes: set[str] | None = None) -> list[dict]:
    """Every vehicle run of one service day: route, direction, and its stop events in order."""
    on = services_on(g, day)
    route_type = {r["route_id"]: int(r["route_type"]) for r in g["routes"]}
    by_trip: dict[str, list[dict]] = defaultdict(list)
    for r in g["stop_times"]:
        by_trip[r["trip_id"]].append(r)
    freq: dict[str, list[dict]] = defaultdict(list)
    for r in g.get("frequencies", []):
        freq[r["trip_id"]].append(r)
    runs = []
    for t in g["trips"]:
        if t["service_id"] not in on:
            continue
        if modes is not None:
            rt = route_type[t["route_id"]]
            fam = {2: "rail", 3: "bus", 0: "tram", 1: "subway", 4: "ferry"}.get(rt, "other")
            if fam not in modes:
                continue
        rows = sorted(by_trip[t["trip_id"]], key=lambda r: int(r["stop_sequence"]))
        if len(rows) < 2:
            continue
        events = []
        for k, r in enumerate(rows):
            arr, dep = secs(r["arrival_time"]), secs(r["departure_time"])
            arr = dep if arr is None else arr
            dep = arr if dep is None else dep
            events.append({"stop": r["stop_id"], "arr": arr, "dep": dep,
                           "board": k < len(rows) - 1 and r.get("pickup_type", "") != "1",
                           "alight": k > 0 and r.get("drop_off_type", "") != "1"})
        offsets = [0]
        if freq.get(t["trip_id"]):
            offsets = []
            first = events[0]["dep"]
            for f in freq[t["trip_id"]]:
                start, end, h = secs(f["start_time"]), secs(f["end_time"]), int(f["headway_secs"])
                x = start
                while x < end:
                    offsets.append(x - first)
                    x += h
        for off in offsets:
            runs.append({"trip": t["trip_id"], "route": t["route_id"],
                         "dir": t.get("direction_id") or "", "service_date": day,
                         "events": [dict(e, arr=e["arr"] + off, dep=e["dep"] + off) for e in events]})
    return runs


def report_runs(g: dict, day: dt.date, clock: str, modes: set[str] | None = None) -> list[dict]:
    """Runs that can touch report day ``day``, times moved to that day's clock.

    Calendar clock: runs of the four previous service days too, shifted by -24 h, -48 h...
    (the random feeds have trips running for up to 4 days).
    """
    if clock == "service":
        return runs_of_service_day(g, day, modes)
    out = []
    for back in range(5):
        for r in runs_of_service_day(g, day - dt.timedelta(days=back), modes):
            sh = back * DAY
            out.append(dict(r, events=[dict(e, arr=e["arr"] - sh, dep=e["dep"] - sh) for e in r["events"]]))
    return out


def on_day(t: float, clock: str) -> bool:
    return clock == "service" or 0 <= t < DAY


# ---------------------------------------------------------------------------- brute-force tables


def brute_route(g: dict, days: list[dt.date], clock: str, window=(7 * 3600, 19 * 3600)) -> dict[str, dict]:
    """route -> trips per day (avg), first/last start, headway min/mean/max (minutes)."""
    count: dict[str, int] = defaultdict(int)
    starts: dict[str, list[float]] = defaultdict(list)
    gaps: dict[str, list[float]] = defaultdict(list)
    for day in days:
        by_dir: dict[tuple, list[float]] = defaultdict(list)
        for r in report_runs(g, day, clock):
            s = r["events"][0]["dep"]
            if not on_day(s, clock):
                continue
            count[r["route"]] += 1
            starts[r["route"]].append(s)
            if window[0] <= s <= window[1]:
                by_dir[(r["route"], r["dir"])].append(s)
        for (route, _), ss in by_dir.items():
            ss.sort()
            gaps[route].extend(b - a for a, b in zip(ss, ss[1:]))
    out = {}
    for route, n in count.items():
        gp = gaps[route]
        out[route] = {"trips_per_day": n / len(days), "first": min(starts[route]), "last": max(starts[route]),
                      "headway_min": min(gp) / 60 if gp else None,
                      "headway_mean": sum(gp) / len(gp) / 60 if gp else None,
                      "headway_max": max(gp) / 60 if gp else None}
    return out


def brute_stop(g: dict, days: list[dt.date], clock: str) -> dict[str, dict]:
    """station -> boardable departures per day, per hour (avg per day), first, last."""
    st = station_of(g)
    count: dict[str, int] = defaultdict(int)
    hours: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    times: dict[str, list[float]] = defaultdict(list)
    for day in days:
        for r in report_runs(g, day, clock):
            for e in r["events"]:
                if e["board"] and on_day(e["dep"], clock):
                    s = st[e["stop"]]
                    count[s] += 1
                    hours[s][int(e["dep"] // 3600)] += 1
                    times[s].append(e["dep"])
    n = len(days)
    return {s: {"per_day": c / n, "hours": {h: v / n for h, v in hours[s].items()},
                "first": min(times[s]), "last": max(times[s])} for s, c in count.items()}


def brute_od(g: dict, days: list[dt.date], clock: str, place: dict[str, str] | None = None,
             modes: set[str] | None = None) -> dict[tuple[str, str], dict]:
    """(origin, destination) -> departures per day, first/last, fastest and median run (minutes).

    For each run and ordered pair (A, B): the first stop in B where one may alight that comes
    after some stop in A where one may board; the departure is the last such boarding before it.
    """
    place = place or city_of(g)
    count: dict[tuple, int] = defaultdict(int)
    deps: dict[tuple, list[float]] = defaultdict(list)
    runtimes: dict[tuple, list[float]] = defaultdict(list)
    hours: dict[tuple, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for day in days:
        for r in report_runs(g, day, clock, modes):
            ev = r["events"]
            best: dict[tuple, tuple[int, int]] = {}
            for j in range(len(ev)):
                if not ev[j]["alight"]:
                    continue
                for i in range(j):
                    if not ev[i]["board"]:
                        continue
                    a, b = place[ev[i]["stop"]], place[ev[j]["stop"]]
                    if a == b:
                        continue
                    old = best.get((a, b))
                    if old is None or (j == old[1] and i > old[0]):
                        best[(a, b)] = (i, j)
            for key, (i, j) in best.items():
                t0 = ev[i]["dep"]
                if not on_day(t0, clock):
                    continue
                count[key] += 1
                deps[key].append(t0)
                runtimes[key].append(ev[j]["arr"] - t0)
                hours[key][int(t0 // 3600)] += 1
    n = len(days)
    return {k: {"per_day": c / n, "first": min(deps[k]), "last": max(deps[k]),
                "fastest": min(runtimes[k]) / 60, "median": statistics.median(runtimes[k]) / 60,
                "hours": {h: v / n for h, v in hours[k].items()}} for k, c in count.items()}


def brute_hour(g: dict, days: list[dt.date], clock: str) -> dict[int, float]:
    """hour -> boardable departures per day across the network."""
    out: dict[int, float] = defaultdict(float)
    for s in brute_stop(g, days, clock).values():
        for h, v in s["hours"].items():
            out[h] += v
    return dict(out)


def clock_text(t: float) -> str:
    t = int(round(t))
    return f"{t // 3600:02d}:{t % 3600 // 60:02d}:{t % 60:02d}"


# ---------------------------------------------------------------------------- the hand-made feed


def corner_feed(folder: Path) -> Path:
    """Two cities, a parent station with platforms, rail and bus, weekday/Saturday/Sunday services,
    a Sunday timetable added on a Monday holiday, a removal-only day, a calendar_dates-only
    peak service, frequencies.txt (also past midnight), trips past 24:00, a trip that revisits
    a city, pickup/drop-off restrictions, a trip without direction_id.
    """
    stops = [
        {"stop_id": "PST", "stop_name": "P Station", "stop_lat": 40.0, "stop_lon": 111.0, "location_type": 1},
        {"stop_id": "P1", "stop_name": "P Station 1", "stop_lat": 40.0, "stop_lon": 111.0, "parent_station": "PST"},
        {"stop_id": "P2", "stop_name": "P Station 2", "stop_lat": 40.0, "stop_lon": 111.0, "parent_station": "PST"},
        {"stop_id": "Q", "stop_name": "Q Town", "stop_lat": 40.1, "stop_lon": 111.1},
        {"stop_id": "R", "stop_name": "R City", "stop_lat": 40.5, "stop_lon": 110.0},
        {"stop_id": "S", "stop_name": "S Halt", "stop_lat": 40.7, "stop_lon": 109.5},
        {"stop_id": "T", "stop_name": "T Village", "stop_lat": 40.8, "stop_lon": 109.4},
    ]
    areas = [{"area_id": "C1", "area_name": "Alpha"}, {"area_id": "C2", "area_name": "Beta"},
             {"area_id": "C3", "area_name": "Gamma"}]
    stop_areas = [{"area_id": "C1", "stop_id": "PST"}, {"area_id": "C1", "stop_id": "Q"},
                  {"area_id": "C2", "stop_id": "R"}, {"area_id": "C3", "stop_id": "S"}]
    routes = [{"route_id": "RAIL", "agency_id": "A", "route_short_name": "D1", "route_type": 2},
              {"route_id": "BUS", "agency_id": "A", "route_short_name": "7", "route_type": 3},
              {"route_id": "NIGHT", "agency_id": "A", "route_short_name": "N", "route_type": 3}]
    cal = [
        {"service_id": "WK", "monday": 1, "tuesday": 1, "wednesday": 1, "thursday": 1, "friday": 1,
         "saturday": 0, "sunday": 0, "start_date": "20240101", "end_date": "20241231"},
        {"service_id": "SAT", "monday": 0, "tuesday": 0, "wednesday": 0, "thursday": 0, "friday": 0,
         "saturday": 1, "sunday": 0, "start_date": "20240101", "end_date": "20241231"},
        {"service_id": "SUN", "monday": 0, "tuesday": 0, "wednesday": 0, "thursday": 0, "friday": 0,
         "saturday": 0, "sunday": 1, "start_date": "20240101", "end_date": "20241231"},
    ]
    cal_dates = [
        # Monday 2024-05-27 is a holiday: Sunday timetable instead of the weekday one
        {"service_id": "WK", "date": "20240527", "exception_type": 2},
        {"service_id": "SUN", "date": "20240527", "exception_type": 1},
        # Wednesday 2024-05-29: weekday service withdrawn, nothing added (not a holiday)
        {"service_id": "WK", "date": "20240529", "exception_type": 2},
        # a peak service defined only here, on Friday 2024-05-31
        {"service_id": "PEAK", "date": "20240531", "exception_type": 1},
    ]
    trips = [
        {"trip_id": "T1", "route_id": "RAIL", "service_id": "WK", "direction_id": 0},
        {"trip_id": "T2", "route_id": "RAIL", "service_id": "WK", "direction_id": 1},
        {"trip_id": "T3", "route_id": "RAIL", "service_id": "WK", "direction_id": 0},
        {"trip_id": "T3b", "route_id": "RAIL", "service_id": "WK", "direction_id": 0},
        {"trip_id": "T4", "route_id": "BUS", "service_id": "WK", "direction_id": 0},
        {"trip_id": "T5", "route_id": "BUS", "service_id": "SAT", "direction_id": 1},
        {"trip_id": "T6", "route_id": "RAIL", "service_id": "SUN", "direction_id": 0},
        {"trip_id": "T7", "route_id": "RAIL", "service_id": "PEAK", "direction_id": 0},
        {"trip_id": "T8", "route_id": "NIGHT", "service_id": "WK"},
        {"trip_id": "T9", "route_id": "BUS", "service_id": "WK", "direction_id": 1},
    ]

    def rows(trip: str, seq: list[tuple], **flags) -> list[dict]:
        out = []
        for k, item in enumerate(seq, start=1):
            stop, arr, dep = item[:3]
            r = {"trip_id": trip, "stop_id": stop, "stop_sequence": k * 10, "arrival_time": arr,
                 "departure_time": dep}
            if len(item) > 3:
                r.update(item[3])
            out.append(r)
        return out

    st = []
    st += rows("T1", [("P1", "08:00:00", "08:00:00"), ("Q", "08:20:00", "08:21:00"),
                      ("R", "09:00:00", "09:02:00"), ("S", "09:30:00", "09:30:00")])
    st += rows("T2", [("S", "23:30:00", "23:30:00"), ("R", "23:55:00", "23:57:00"),
                      ("Q", "24:25:00", "24:26:00"), ("P2", "24:45:00", "24:45:00")])
    st += rows("T3", [("P2", "07:10:00", "07:10:00"), ("R", "07:55:00", "07:55:00")])
    st += rows("T3b", [("P1", "08:40:00", "08:40:00"), ("R", "09:20:00", "09:20:00")])
    # frequency template: Q -> R -> T, 06:00-08:00 every 20 min and 23:00-25:00 every 30 min
    st += rows("T4", [("Q", "00:00:00", "00:00:00"), ("R", "00:35:00", "00:36:00"), ("T", "00:50:00", "00:50:00")])
    # pickup/drop-off restrictions: no boarding at R, no alighting at Q
    st += rows("T5", [("P1", "10:00:00", "10:00:00"), ("Q", "10:10:00", "10:10:00", {"drop_off_type": 1}),
                      ("R", "10:50:00", "10:51:00", {"pickup_type": 1}), ("S", "11:20:00", "11:20:00")])
    st += rows("T6", [("P1", "09:00:00", "09:00:00"), ("R", "09:40:00", "09:40:00")])
    # revisits Beta and Alpha: P1 R Q R S
    st += rows("T7", [("P1", "12:00:00", "12:00:00"), ("R", "12:40:00", "12:41:00"), ("Q", "13:20:00", "13:21:00"),
                      ("R", "14:00:00", "14:01:00"), ("S", "14:30:00", "14:30:00")])
    # entirely after midnight of its service day
    st += rows("T8", [("R", "25:10:00", "25:10:00"), ("P1", "25:55:00", "25:55:00")])
    st += rows("T9", [("T", "07:00:00", "07:00:00"), ("S", "07:12:00", "07:12:00"), ("P2", "08:10:00", "08:10:00")])
    freq = [{"trip_id": "T4", "start_time": "06:00:00", "end_time": "08:00:00", "headway_secs": 1200},
            {"trip_id": "T4", "start_time": "23:00:00", "end_time": "25:00:00", "headway_secs": 1800}]
    return write_feed(folder, {
        "agency": [{"agency_id": "A", "agency_name": "Corner Cases", "agency_url": "https://example.org",
                    "agency_timezone": "Asia/Shanghai"}],
        "stops": stops, "routes": routes, "trips": trips, "stop_times": st, "calendar": cal,
        "calendar_dates": cal_dates, "frequencies": freq, "areas": areas, "stop_areas": stop_areas,
        "feed_info": [{"feed_publisher_name": "tests", "feed_publisher_url": "https://example.org",
                       "feed_lang": "en", "feed_version": "corner-1"}],
    })
