"""Random GTFS feeds (hypothesis) for the differential tests, written as text like a publisher would.

Every feed is small (a few stations, up to eight trips) but packs in what real feeds do and a
compiler can get wrong: stations with platforms, boarding areas under platforms (two-level
parent chains), entrances, stations served by rail and bus; calendars with exceptions on the
days before the query date and the day after; stop_times rows shuffled out of sequence order with gaps in
stop_sequence, blank times at non-timepoint stops (with or without shape_dist_traveled), unpadded
hours, pickup/drop-off blank, 0, 1, 2 and 3; trips past 24:00 and in the night after the
date's (the next service day's, which the date's timetable holds); frequencies with both
exact_times; transfers.txt types 0-3 between stops and stations and type 3 between trips and
routes.

Flags (all on; the GTFS-text reference models every one): ``MULTI_DAY`` (trips running up to
four days, times past 96:00), ``TRIP_ROUTE_TIMES`` (transfers.txt types 0-2 naming trips or
routes, with or without stops), ``IN_SEAT`` (block_id, with some trips chained so the vehicle
goes on as the next, on the same service day or, after a trip past 24:00, into the next one;
types 4/5 between trips, some of them naming a chained pair).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

DATE = dt.date(2024, 3, 6)  # a Wednesday
#: (agency_timezone, query date): mostly DATE, sometimes a date on or just after a clock change
#: (spring forward, fall back) where an earlier service day's trips are 23 or 25 h back
ZONED_DATES = [("Europe/Berlin", DATE), ("America/Los_Angeles", DATE), ("Asia/Shanghai", DATE),
               ("Europe/Berlin", dt.date(2024, 3, 31)), ("Europe/Berlin", dt.date(2024, 4, 1)),
               ("Europe/Berlin", dt.date(2024, 10, 27)), ("Europe/Berlin", dt.date(2024, 10, 28)),
               ("America/Los_Angeles", dt.date(2024, 3, 10)), ("America/Los_Angeles", dt.date(2024, 3, 11)),
               ("America/Los_Angeles", dt.date(2024, 11, 3)), ("America/Los_Angeles", dt.date(2024, 11, 4)),
               ("America/Los_Angeles", dt.date(2024, 11, 5))]
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

MULTI_DAY = True
TRIP_ROUTE_TIMES = True
IN_SEAT = True


def clock_text(sec: int, pad: bool) -> str:
    h, rem = divmod(sec, 3600)
    return f"{h:02d}:{rem // 60:02d}:{rem % 60:02d}" if pad else f"{h}:{rem // 60:02d}:{rem % 60:02d}"


@st.composite
def stops_table(draw) -> tuple[list[dict], list[str], list[str]]:
    """(stops rows, stops a vehicle may call at, stops and stations transfers.txt may name)."""
    rows: list[dict] = []
    platforms: list[str] = []
    nameable: list[str] = []

    def add(sid: str, lat: float, lon: float, ltype: int | None, parent: str | None) -> None:
        rows.append({"stop_id": sid, "stop_name": f"name {sid}", "stop_lat": round(lat, 6),
                     "stop_lon": round(lon, 6), "location_type": ltype, "parent_station": parent})

    for k in range(draw(st.integers(0, 3))):
        sid = f"ST{k}"
        lat, lon = 50 + k / 100, 8.0
        add(sid, lat, lon, 1, None)
        nameable.append(sid)
        if draw(st.booleans()):
            add(f"{sid}E", lat + 1e-4, lon, 2, sid)                       # an entrance
        for p in range(draw(st.integers(1, 3))):
            pid = f"{sid}P{p}"
            add(pid, lat + p / 20000, lon, draw(st.sampled_from([0, None])), sid)
            platforms.append(pid)
            nameable.append(pid)
            for b in range(draw(st.integers(0, 2))):                      # boarding areas
                add(f"{pid}B{b}", lat + p / 20000, lon + (b + 1) / 50000, 4, pid)
    for k in range(draw(st.integers(2, 4))):
        sid = f"S{k}"
        add(sid, 50.0 + draw(st.integers(0, 30)) / 1000, 8.0 + draw(st.integers(0, 30)) / 1000,
            draw(st.sampled_from([0, None])), None)
        platforms.append(sid)
        nameable.append(sid)
    order = draw(st.permutations(range(len(rows))))
    return [rows[i] for i in order], platforms, nameable


@st.composite
def feeds(draw) -> dict:
    """GTFS tables of a small random network around its query date ("date": DATE or one by a
    clock change, ZONED_DATES) and compile options."""
    zone, date = draw(st.sampled_from(ZONED_DATES))

    def ymd(days: int) -> str:
        return (date + dt.timedelta(days=days)).strftime("%Y%m%d")

    stops, platforms, nameable = draw(stops_table())
    routes = [{"route_id": f"R{k}", "agency_id": "A", "route_short_name": f"{k}",
               "route_type": draw(st.sampled_from([3, 2, 3, 2, 0, 4, 109, 700, 1]))}
              for k in range(draw(st.integers(1, 4)))]

    calendar = [{"service_id": "D", **{d: 1 for d in DAYS}, "start_date": "20240101", "end_date": "20241231"}]
    for k in range(draw(st.integers(0, 2))):
        mask = draw(st.lists(st.booleans(), min_size=7, max_size=7))
        calendar.append({"service_id": f"C{k}", **{d: int(m) for d, m in zip(DAYS, mask)},
                         "start_date": ymd(draw(st.sampled_from([-5, -2, 0, 1]))),
                         "end_date": ymd(draw(st.sampled_from([-3, -1, 0, 25])))})
    services = [c["service_id"] for c in calendar]
    exception_days = [ymd(k) for k in (-3, -2, -1, 0, 1)]
    calendar_dates = [{"service_id": draw(st.sampled_from(services + ["X"])),
                       "date": draw(st.sampled_from(exception_days)),
                       "exception_type": draw(st.sampled_from([1, 2]))}
                      for _ in range(draw(st.integers(0, 3)))]
    calendar_dates = list({(r["service_id"], r["date"]): r for r in calendar_dates}.values())
    if any(r["service_id"] == "X" for r in calendar_dates):
        services.append("X")               # a service defined by calendar_dates only

    pad = draw(st.booleans())
    trips, stop_times, freqs, linked = [], [], [], []
    prev = None                 # (trip, last stop, last arrival) of the trip drawn before
    for k in range(draw(st.integers(1, 8))):
        tid = f"t{k}"
        path = draw(st.lists(st.sampled_from(platforms), min_size=2, max_size=6))
        # the vehicle of the previous trip going on as this one (same block and service)
        chained = IN_SEAT and prev is not None and draw(st.integers(0, 2)) == 0
        if chained:
            path[0] = prev[1]
        path = [s for i, s in enumerate(path) if i == 0 or s != path[i - 1]]
        if len(path) < 2:
            path = platforms[:2]
        trip = {"route_id": draw(st.sampled_from(routes))["route_id"],
                "service_id": prev[0]["service_id"] if chained else draw(st.sampled_from(services)),
                "trip_id": tid}
        if chained:
            prev[0].setdefault("block_id", draw(st.sampled_from(["B1", "B2"])))
            trip["block_id"] = prev[0]["block_id"]
        elif IN_SEAT and draw(st.booleans()):
            trip["block_id"] = draw(st.sampled_from(["B1", "B2"]))
        trips.append(trip)
        long_trip = MULTI_DAY and draw(st.integers(0, 3)) == 0
        # the night (00:10-01:30) and around 06:00: the next service day's trips a late journey
        # of the date changes onto, and those just past the night (NEXT_DAY_HORIZON)
        window = draw(st.sampled_from([(7 * 60, 8 * 60 + 30), (23 * 60 + 20, 25 * 60 + 30), (10, 90),
                                       (5 * 60 + 50, 6 * 60 + 10)] + ([(47 * 60, 49 * 60)] if MULTI_DAY else [])))
        t = draw(st.integers(*window)) * 60
        if chained:
            t = prev[2] + draw(st.sampled_from([0, 60, 300, -60, 3600, 3660]))   # an hour: the longest layover
            if prev[2] >= 86400 and draw(st.booleans()):
                t -= 86400          # past midnight: on as the next service day's trip (its clock)
            t = max(0, t)
            if draw(st.integers(0, 3)) == 0:     # a row naming the pair: linked (4) or not in seat (5)
                linked.append({"from_trip_id": prev[0]["trip_id"], "to_trip_id": tid,
                               "transfer_type": draw(st.sampled_from([4, 5]))})
        seq = draw(st.integers(0, 3))
        with_dist = draw(st.booleans())
        dist = 0.0
        rows = []
        for i, s in enumerate(path):
            arr = t
            t += draw(st.sampled_from([0, 0, 60, 30]))
            seq += draw(st.integers(1, 4))
            dist += draw(st.integers(0, 3)) * 0.5
            row = {"trip_id": tid, "arrival_time": clock_text(arr, pad), "departure_time": clock_text(t, pad),
                   "stop_id": s, "stop_sequence": seq,
                   "pickup_type": draw(st.sampled_from([None, 0, 0, 1, 2, 3])),
                   "drop_off_type": draw(st.sampled_from([None, 0, 0, 1, 2, 3]))}
            if with_dist and draw(st.integers(0, 4)):
                row["shape_dist_traveled"] = dist
            blank = draw(st.integers(0, 5))
            if blank == 0:
                row["arrival_time"] = row["departure_time"] = None     # a non-timepoint stop
            elif blank == 1:
                row[draw(st.sampled_from(["arrival_time", "departure_time"]))] = None
            rows.append(row)
            hop = draw(st.integers(1, 12)) * 60
            if long_trip and draw(st.booleans()):
                hop += draw(st.integers(10, 30)) * 3600                   # a long overnight leg
            t += hop
        stop_times += [rows[i] for i in draw(st.permutations(range(len(rows))))]
        prev = (trip, path[-1], arr)
        if draw(st.integers(0, 4)) == 0:
            hw = draw(st.integers(5, 20)) * 60
            start = draw(st.integers(*window)) * 60
            for _ in range(draw(st.integers(1, 2))):
                freqs.append({"trip_id": tid, "start_time": clock_text(start, True),
                              "end_time": clock_text(start + draw(st.integers(1, 4)) * hw, True),
                              "headway_secs": hw, "exact_times": draw(st.sampled_from([0, 1, None]))})
                start += draw(st.integers(1, 3)) * hw     # (one start twice: a repeated key, refused)

    transfers = []
    for _ in range(draw(st.integers(0, 5))):
        ttype = draw(st.sampled_from([0, 1, 2, 3, None]))
        a = draw(st.sampled_from(nameable))
        b = a if draw(st.booleans()) else draw(st.sampled_from(nameable))
        row = {"from_stop_id": a, "to_stop_id": b, "transfer_type": ttype, "min_transfer_time": None}
        if ttype == 2 or (ttype in (0, 1, None) and draw(st.booleans())):
            row["min_transfer_time"] = draw(st.sampled_from([0, 60, 120, 300, 600]))
        transfers.append(row)
    trip_ids = [t["trip_id"] for t in trips]
    route_ids = [r["route_id"] for r in routes]
    specific_types = [3] + ([0, 1, 2] if TRIP_ROUTE_TIMES else []) + ([4, 5] if IN_SEAT else [])
    for _ in range(draw(st.integers(0, 2))):
        ttype = draw(st.sampled_from(specific_types))
        row = {"from_stop_id": None, "to_stop_id": None, "transfer_type": ttype, "min_transfer_time": None}
        for side in ("from", "to"):
            kind = "trip" if ttype in (4, 5) else draw(st.sampled_from(["trip", "trip", "route", "none"]))
            if kind == "trip":
                row[f"{side}_trip_id"] = draw(st.sampled_from(trip_ids))
            elif kind == "route":
                row[f"{side}_route_id"] = draw(st.sampled_from(route_ids))
        if (TRIP_ROUTE_TIMES or IN_SEAT) and (draw(st.booleans()) or ttype in (4, 5)):
            s = draw(st.sampled_from(nameable))          # a stop or a station
            row["from_stop_id"] = s
            row["to_stop_id"] = s if draw(st.booleans()) or ttype in (4, 5) else draw(st.sampled_from(nameable))
            if draw(st.integers(0, 5)) == 0:        # one side's stop left blank
                row[draw(st.sampled_from(["from_stop_id", "to_stop_id"]))] = None
        if ttype == 2 or (ttype in (0, 1) and draw(st.booleans())):
            row["min_transfer_time"] = draw(st.sampled_from([0, 60, 300]))
        transfers.append(row)
    transfers += linked
    key = ("from_stop_id", "to_stop_id", "from_trip_id", "to_trip_id", "from_route_id", "to_route_id")
    transfers = list({tuple(r.get(k) for k in key): r for r in transfers}.values())
    tables = {
        "agency": [{"agency_id": "A", "agency_name": "Random", "agency_url": "https://example.org",
                    "agency_timezone": zone}],
        "stops": stops, "routes": routes, "trips": trips, "stop_times": stop_times, "calendar": calendar,
    }
    for name, rows in (("calendar_dates", calendar_dates), ("frequencies", freqs), ("transfers", transfers)):
        if rows:
            tables[name] = rows
    options = {"walk_meters": draw(st.sampled_from([None, None, 400.0])),
               "transfer_minutes": draw(st.sampled_from([None, None, 0.0, 2.0]))}
    return {"tables": tables, "options": options, "date": date}


def compile_and_read(spec: dict, date: dt.date | None = None):
    """Write the feed as a GTFS folder; return (compiled Timetable, GTFS-text Reference) of
    ``date`` (the spec's own date when None)."""
    date = date or spec.get("date", DATE)
    import tempfile
    from pathlib import Path

    from gtfs_factory import write_feed
    from reference.gtfs_text import reference_for

    from hbeu_transit.feed import load_feeds
    from hbeu_transit.timetable import compile_timetable

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_feed(Path(tmp) / "feed", spec["tables"])
        tt = compile_timetable(load_feeds([folder]), date, **spec["options"])
        ref = reference_for(folder, date, **spec["options"])
    return tt, ref
