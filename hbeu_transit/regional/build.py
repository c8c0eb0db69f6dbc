"""Generate the GTFS tables of the two regional feeds (rail, bus) from a checked Spec.

Two feeds with two publishers, as in reality (China Railway; coach operators), and with
disjoint IDs (rail stops ``HHE``/``HHE_P1``, bus stops ``BUS_...``, bus areas ``BUS_HOHHOT``...)
so that loading both needs no ID prefixes. The one exception is deliberate: a rail station with
a bus stop in front of it (``near_station``) is published by the bus feed too, with the same
id, name and coordinates, as the bus stop's parent station, so that the loader sees one place
and the bus feed's station-level transfers.txt row gives the rail <-> bus change time. Every
output row is derived from spec rows only and sorted, so the same spec always gives the same
tables.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pandas as pd

from .spec import WEEKDAYS, Spec, line_stops
from .writer import entry_order, table_bytes

#: Platforms of a station without a ``platforms`` count: P1 serves down trains (odd numbers), P2 up.
PLATFORMS = ("P1", "P2")
CLASS_NAME = {"second": "二等座", "first": "一等座", "standard": "票价"}


def _rows(df: pd.DataFrame) -> list[dict[str, Any]]:
    return df.to_dict("records")


def _ymd(d: dt.date) -> str:
    return d.strftime("%Y%m%d")


def _clock(minutes: int) -> str:
    h, m = divmod(int(minutes), 60)
    return f"{h:02d}:{m:02d}:00"


def _coord(x: float) -> str:
    return f"{x:.6f}"


def _frame(rows: list[dict[str, Any]], columns: list[str], sort: list[str] | None = None) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    if sort:
        df = df.sort_values(sort, kind="mergesort").reset_index(drop=True)
    return df.astype(object).where(df.notna(), None)


def platform_ids(station: str, count: int | None) -> list[str]:
    """A station's platforms: P1, P3... serve down trains (odd numbers), P2, P4... up trains."""
    return [f"{station}_P{k}" for k in range(1, (count or len(PLATFORMS)) + 1)]


def area_id(feed: str, area: str) -> str:
    """Area IDs are per feed (bus ones prefixed) so the two feeds share no ID; names match."""
    return area if feed == "rail" else f"BUS_{area}"


def departures(first: int, last: int, n: int) -> list[int]:
    """``n`` departure minutes spread evenly from ``first`` to ``last`` (both included)."""
    if n == 1:
        return [first]
    return [first + (k * (last - first) + (n - 1) // 2) // (n - 1) for k in range(n)]


def pattern_path(line: list[dict[str, Any]], start: str, end: str) -> tuple[bool, list[tuple[str, int, int, int]]]:
    """(down?, [(stop_id, run minutes from the previous station, dwell, call extra)...]) start->end."""
    order = [r["stop_id"] for r in line]
    i, j = order.index(start), order.index(end)
    extra = [r.get("call_extra_min") or 0 for r in line]
    if i < j:
        return True, [(r["stop_id"], r["run_min"] if k > i else 0, r["dwell_min"], extra[k])
                      for k, r in enumerate(line) if i <= k <= j]
    path = []
    for k in range(i, j - 1, -1):
        run = line[k + 1]["run_min"] if k < i else 0
        path.append((line[k]["stop_id"], run, line[k]["dwell_min"], extra[k]))
    return False, path


def train_stop_times(path: list[tuple[str, int, int, int]], skip: set[str], dep: int) -> list[tuple[str, int, int]]:
    """[(station, arrival, departure)] in minutes for a train leaving the first station at ``dep``.

    Passing a station costs its run time only; calling adds the station's dwell (not at the
    end), and at a station with a call extra (where passing trains run markedly faster) that
    many minutes of braking before it and of accelerating after it.
    """
    out: list[tuple[str, int, int]] = []
    t, pending = dep, path[0][3]
    for k, (stop, run, dwell, extra) in enumerate(path):
        if k == 0:
            out.append((stop, dep, dep))
            continue
        t += run + pending
        pending = 0
        if stop in skip:
            continue
        t += extra
        pending = extra
        last = k == len(path) - 1
        out.append((stop, t, t if last else t + dwell))
        t = t if last else t + dwell
    return out


#: Minutes a platform stays clear between one train leaving it and the next arriving.
PLATFORM_CLEAR_MIN = 3


def assign_platforms(spec: Spec, calls: list[tuple[str, bool, int, int, str]]) -> list[str]:
    """The platform of each call (station, down?, arrival, departure, trip), in input order.

    Every train of every service is placed as if all ran on one day (a peak day runs nearly
    all), so no day has two trains on one platform less than PLATFORM_CLEAR_MIN apart. Down
    trains use odd platforms, up trains even ones; each call takes the lowest-numbered one
    that is clear (first fit in arrival order, which needs the fewest platforms). A station
    with too few platforms (stations.csv ``platforms``, default 2) stops the build.
    """
    rows = {r["stop_id"]: r for r in _rows(spec["stations"])}
    out = [""] * len(calls)
    groups: dict[tuple[str, bool], list[int]] = {}
    for i, c in enumerate(calls):
        groups.setdefault((c[0], c[1]), []).append(i)
    for (station, down), idx in sorted(groups.items()):
        plats = platform_ids(station, rows[station]["platforms"])[0 if down else 1::2]
        free_at = [-10**9] * len(plats)
        for i in sorted(idx, key=lambda i: (calls[i][2], calls[i][3], calls[i][4])):
            k = next((k for k, f in enumerate(free_at) if f + PLATFORM_CLEAR_MIN <= calls[i][2]), None)
            if k is None:
                spec.fail("stations", rows[station], "platforms", f"{len(plats)} {'down' if down else 'up'} "
                          f"platform(s) are not enough at {station}: train {calls[i][4]} arrives at "
                          f"{_clock(calls[i][2])[:5]} while all are taken")
            out[i] = plats[k]
            free_at[k] = calls[i][3]
    return out


def rail_trips(spec: Spec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """trips.txt and stop_times.txt of the rail feed, from train_patterns.csv and lines.csv."""
    lines = line_stops(spec)
    names = dict(zip(spec["stations"]["stop_id"], spec["stations"]["name_zh"]))
    klass = dict(zip(spec["routes"]["route_id"], spec["routes"]["train_class"]))
    trips, times, calls = [], [], []
    for p in _rows(spec["train_patterns"]):
        down, path = pattern_path(lines[p["line_id"]], p["from_stop"], p["to_stop"])
        skip = set(p["skip_stops"])
        for k, dep in enumerate(departures(p["first_dep"], p["last_dep"], p["trains"])):
            name = f"{klass[p['route_id']]}{p['first_number'] + 2 * k}"
            trips.append({"route_id": p["route_id"], "service_id": p["service_id"], "trip_id": name,
                          "trip_headsign": p["headsign_zh"] or names[p["to_stop"]], "trip_short_name": name,
                          "direction_id": 0 if down else 1})
            for seq, (stop, arr, dep_) in enumerate(train_stop_times(path, skip, dep), start=1):
                calls.append((stop, down, arr, dep_, name))
                times.append({"trip_id": name, "arrival_time": _clock(arr), "departure_time": _clock(dep_),
                              "stop_id": None, "stop_sequence": seq, "timepoint": 1})
    for row, platform in zip(times, assign_platforms(spec, calls)):
        row["stop_id"] = platform
    t = _frame(trips, ["route_id", "service_id", "trip_id", "trip_headsign", "trip_short_name", "direction_id"],
               ["trip_id"])
    st = _frame(times, ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence", "timepoint"],
                ["trip_id", "stop_sequence"])
    return t, st


def bus_trips(spec: Spec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """trips.txt and stop_times.txt of the bus feed.

    A headway route runs both ways on the same headway, terminal to terminal. A custom coach
    (定制客运) runs at its listed departures, picking up at its first ``pickup_stops`` stops
    only and setting down at the rest only (pickup_type / drop_off_type 1), as a booked
    door-to-door service does.
    """
    names = dict(zip(spec["bus_stops"]["stop_id"], spec["bus_stops"]["name_zh"]))
    service = {r["route_id"]: r["service_id"] for r in _rows(spec["bus_routes"])}
    trips, times = [], []

    def trip(route: str, direction: int, dep: int, stops: list[str], offsets: list[int], board: int) -> None:
        tid = f"{route}_{direction}_{dep // 60:02d}{dep % 60:02d}"
        trips.append({"route_id": route, "service_id": service[route], "trip_id": tid,
                      "trip_headsign": names[stops[-1]], "direction_id": direction})
        for seq, (stop, off) in enumerate(zip(stops, offsets), start=1):
            up = seq <= board
            times.append({"trip_id": tid, "arrival_time": _clock(dep + off), "departure_time": _clock(dep + off),
                          "stop_id": stop, "stop_sequence": seq, "timepoint": 0,
                          "pickup_type": None if up or board == 1 else "1",
                          "drop_off_type": None if not up or board == 1 else "1"})

    for r in _rows(spec["bus_routes"]):
        if r["kind"] == "CUSTOM_COACH":
            continue
        for direction, (a, b) in enumerate(((r["from_stop"], r["to_stop"]), (r["to_stop"], r["from_stop"]))):
            for dep in range(r["first_dep"], r["last_dep"] + 1, r["headway_min"]):
                trip(r["route_id"], direction, dep, [a, b], [0, r["run_min"]], 1)
    for c in _rows(spec["custom_coach_runs"]):
        for dep in c["departures"]:
            trip(c["route_id"], c["direction_id"], dep, list(c["stops"]), list(c["minutes"]), c["pickup_stops"])
    t = _frame(trips, ["route_id", "service_id", "trip_id", "trip_headsign", "direction_id"], ["trip_id"])
    st = _frame(times, ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence", "timepoint",
                        "pickup_type", "drop_off_type"], ["trip_id", "stop_sequence"])
    return t, st


def _station_row(s: dict[str, Any]) -> dict[str, Any]:
    """A rail station (location_type 1), the same in both feeds (the loader then merges them)."""
    return {"stop_id": s["stop_id"], "stop_code": s["stop_id"], "stop_name": s["name_zh"],
            "stop_lat": _coord(s["lat"]), "stop_lon": _coord(s["lon"]), "location_type": 1,
            "parent_station": None, "platform_code": None}


def rail_stops(spec: Spec) -> pd.DataFrame:
    """Stations (location_type 1) and their two platforms (location_type 0)."""
    rows = []
    for s in _rows(spec["stations"]):
        rows.append(_station_row(s))
        for k, pid in enumerate(platform_ids(s["stop_id"], s["platforms"]), start=1):
            rows.append({"stop_id": pid, "stop_code": None, "stop_name": s["name_zh"],
                         "stop_lat": _coord(s["lat"]), "stop_lon": _coord(s["lon"]), "location_type": 0,
                         "parent_station": s["stop_id"], "platform_code": str(k)})
    return _frame(rows, ["stop_id", "stop_code", "stop_name", "stop_lat", "stop_lon", "location_type",
                         "parent_station", "platform_code"], ["stop_id"])


def bus_stops(spec: Spec) -> pd.DataFrame:
    """Coach terminals (location_type 0); one placed at a rail station (``near_station``) gets
    that station as its parent, and the station row is published here exactly as in the rail
    feed."""
    stations = {s["stop_id"]: s for s in _rows(spec["stations"])}
    rows = [{"stop_id": s["stop_id"], "stop_code": None, "stop_name": s["name_zh"], "stop_lat": _coord(s["lat"]),
             "stop_lon": _coord(s["lon"]), "location_type": 0, "parent_station": s["near_station"]}
            for s in _rows(spec["bus_stops"])]
    shared = sorted({s["near_station"] for s in _rows(spec["bus_stops"]) if s["near_station"]})
    rows += [{k: v for k, v in _station_row(stations[sid]).items() if k != "platform_code"} for sid in shared]
    return _frame(rows, ["stop_id", "stop_code", "stop_name", "stop_lat", "stop_lon", "location_type",
                         "parent_station"], ["stop_id"])


def _stop_rows(spec: Spec, feed: str) -> list[dict[str, Any]]:
    """Spec rows of the stations (rail) or terminals (bus)."""
    return _rows(spec["stations"] if feed == "rail" else spec["bus_stops"])


def translations(spec: Spec, feed: str, stops: pd.DataFrame, routes: pd.DataFrame,
                 trips: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """English (and pinyin) stop names, Chinese area names, English route names, headsigns and
    agency name."""
    rows = []
    own = {s["stop_id"]: s for s in _stop_rows(spec, feed)}
    stations = {s["stop_id"]: s for s in _rows(spec["stations"])}
    for sid, parent in zip(stops["stop_id"], stops["parent_station"]):
        # a platform is named as its station; a bus stop as itself; a shared station as in the rail feed
        s = own.get(sid) or own.get(parent) or stations[sid]
        rows.append(("stops", "stop_name", "en", s["name_en"], sid, None))
        rows.append(("stops", "stop_name", "zh-Latn-pinyin", s["pinyin"], sid, None))
    zh = {area_id(feed, a["area_id"]): a["name_zh"] for a in _rows(spec["areas"])}
    for aid in areas["area_id"]:
        rows.append(("areas", "area_name", "zh", zh[aid], aid, None))
    head_en = {x["name_zh"]: x["name_en"] for x in own.values()}
    if feed == "rail":
        head_en.update({p["headsign_zh"]: p["headsign_en"] for p in _rows(spec["train_patterns"]) if p["headsign_zh"]})
    for heads in sorted(set(trips["trip_headsign"])):
        rows.append(("trips", "trip_headsign", "en", head_en[heads], None, heads))
    src = spec["routes"] if feed == "rail" else spec["bus_routes"]
    for r in _rows(src):
        rows.append(("routes", "route_long_name", "en", r["name_en"], r["route_id"], None))
    ag = spec["agencies"][spec["agencies"]["feed"] == feed].iloc[0]
    rows.append(("agency", "agency_name", "en", ag["agency_name_en"], ag["agency_id"], None))
    cols = ["table_name", "field_name", "language", "translation", "record_id", "field_value"]
    df = _frame([dict(zip(cols, r)) for r in rows], cols)
    return df.sort_values(["table_name", "field_name", "language", "record_id", "field_value"],
                          kind="mergesort", na_position="first").reset_index(drop=True)


def calendars(spec: Spec, feed: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """calendar.txt (weekly patterns) and calendar_dates.txt (services added on peak days)."""
    svc = [r for r in _rows(spec["services"]) if r["feed"] == feed]
    cal = [{"service_id": r["service_id"], **{d: r[d] for d in WEEKDAYS}, "start_date": _ymd(r["start_date"]),
            "end_date": _ymd(r["end_date"])} for r in svc if any(r[d] for d in WEEKDAYS)]
    by_id = {r["service_id"]: r for r in svc}
    added: set[tuple[str, str]] = set()
    for p in _rows(spec["peak_days"]):
        for sid in p["add_services"]:
            s = by_id.get(sid)
            if s is None:
                continue
            d = max(p["first_date"], s["start_date"])
            while d <= min(p["last_date"], s["end_date"]):
                if not s[WEEKDAYS[d.weekday()]]:
                    added.add((_ymd(d), sid))
                d += dt.timedelta(days=1)
    dates = [{"service_id": sid, "date": d, "exception_type": 1} for d, sid in sorted(added)]
    return (_frame(cal, ["service_id", *WEEKDAYS, "start_date", "end_date"], ["service_id"]),
            _frame(dates, ["service_id", "date", "exception_type"], ["date", "service_id"]))


def areas(spec: Spec, feed: str, stops: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """areas.txt (the cities and counties this feed serves, English names) and stop_areas.txt.

    Every rail station, platform and bus stop is in its spec area (platforms in their
    station's). A rail station the bus feed publishes as a bus stop's parent is left out of the
    bus feed's stop_areas: the rail feed places it, and its bus stop has its own row.
    """
    own = {s["stop_id"]: s["area"] for s in _stop_rows(spec, feed)}
    sa = []
    for sid, parent in zip(stops["stop_id"], stops["parent_station"]):
        a = own.get(sid) or own.get(parent)
        if a is not None:
            sa.append({"area_id": area_id(feed, a), "stop_id": sid})
    used = set(own.values())
    ar = [{"area_id": area_id(feed, c["area_id"]), "area_name": c["name_en"]}
          for c in _rows(spec["areas"]) if c["area_id"] in used]
    return (_frame(ar, ["area_id", "area_name"], ["area_id"]),
            _frame(sa, ["area_id", "stop_id"], ["area_id", "stop_id"]))


def fares(spec: Spec, feed: str, route_network: dict[str, str]) -> dict[str, pd.DataFrame]:
    """Fares v2: networks, route_networks, fare_media, fare_products (CNY), fare_leg_rules both ways."""
    nets = [r for r in _rows(spec["networks"]) if r["feed"] == feed]
    net_ids = {r["network_id"] for r in nets}
    zh = dict(zip(spec["areas"]["area_id"], spec["areas"]["name_zh"]))
    products, legs = [], []
    for f in _rows(spec["fares"]):
        if f["network_id"] not in net_ids:
            continue
        a, b = sorted((f["from_area"], f["to_area"]))
        pid = f"{f['network_id']}_{a}_{b}_{f['fare_class'].upper()}"
        for medium in f["fare_media_id"]:  # one row per accepted medium, same product and amount
            products.append({"fare_product_id": pid,
                             "fare_product_name": f"{zh[a]}—{zh[b]} {CLASS_NAME[f['fare_class']]}",
                             "fare_media_id": medium, "amount": f"{f['amount']:.2f}", "currency": "CNY"})
        for x, y in {(a, b), (b, a)}:
            legs.append({"network_id": f["network_id"], "from_area_id": area_id(feed, x),
                         "to_area_id": area_id(feed, y), "fare_product_id": pid})
    media = [{"fare_media_id": m["fare_media_id"], "fare_media_name": m["name"],
              "fare_media_type": m["fare_media_type"]} for m in _rows(spec["fare_media"]) if m["feed"] == feed]
    return {
        "networks": _frame([{"network_id": n["network_id"], "network_name": n["name"]} for n in nets],
                           ["network_id", "network_name"], ["network_id"]),
        "route_networks": _frame([{"network_id": n, "route_id": r} for r, n in route_network.items()],
                                 ["network_id", "route_id"], ["route_id"]),
        "fare_media": _frame(media, ["fare_media_id", "fare_media_name", "fare_media_type"], ["fare_media_id"]),
        "fare_products": _frame(products, ["fare_product_id", "fare_product_name", "fare_media_id", "amount",
                                           "currency"], ["fare_product_id", "fare_media_id"]),
        "fare_leg_rules": _frame(legs, ["network_id", "from_area_id", "to_area_id", "fare_product_id"],
                                 ["network_id", "from_area_id", "to_area_id", "fare_product_id"]),
    }


def transfers(spec: Spec, feed: str, stops: pd.DataFrame) -> pd.DataFrame:
    """Minimum change times (transfer_type 2) between the stops of this feed.

    Rail feed: a rail station row becomes one row per pair of its platforms (both ways, and
    each platform to itself). Bus feed: a bus stop row becomes that stop-level row; a rail <->
    bus row (station S, bus stop placed at S) becomes the one row ``S,S`` naming the station
    both feeds publish. A station-level row applies to every pair of the station's child stops
    (rail platforms and bus stops, once the feeds are merged) that no stop-level row names, so
    it sets the rail <-> bus time while the platform and bus-stop rows keep rail <-> rail and
    bus <-> bus (hence the spec check that each such bus stop has its own row).
    """
    rail = set(spec["stations"]["stop_id"])
    members: dict[str, list[str]] = {}
    for sid, par, t in zip(stops["stop_id"], stops["parent_station"], stops["location_type"]):
        if int(t) == 0:
            members.setdefault(par if (feed == "rail" and par) else sid, []).append(sid)
    rows = {}

    def add(p: str, q: str, minutes: int) -> None:
        rows[(p, q)] = {"from_stop_id": p, "to_stop_id": q, "transfer_type": 2, "min_transfer_time": minutes * 60}

    for r in _rows(spec["interchanges"]):
        a, b, minutes = r["from_stop"], r["to_stop"], int(r["min_transfer_min"])
        if (a in rail) != (b in rail):
            if feed == "bus":
                station = a if a in rail else b
                add(station, station, minutes)
            continue
        if a not in members or b not in members:
            continue
        for x, y in {(a, b), (b, a)}:
            for p in members[x]:
                for q in members[y]:
                    add(p, q, minutes)
    return _frame(list(rows.values()), ["from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time"],
                  ["from_stop_id", "to_stop_id"])


def _agency(spec: Spec, feed: str) -> pd.DataFrame:
    ag = [{"agency_id": r["agency_id"], "agency_name": r["agency_name"], "agency_url": r["agency_url"],
           "agency_timezone": r["agency_timezone"], "agency_lang": r["agency_lang"],
           "agency_phone": r["agency_phone"]} for r in _rows(spec["agencies"]) if r["feed"] == feed]
    return _frame(ag, ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang", "agency_phone"],
                  ["agency_id"])


def _routes(spec: Spec, feed: str) -> pd.DataFrame:
    agency = spec["agencies"].set_index("feed").loc[feed, "agency_id"]
    if feed == "rail":
        rows = [{"route_id": r["route_id"], "agency_id": agency, "route_short_name": None,
                 "route_long_name": f"{r['train_class']} {r['name_zh']}", "route_desc": r["name_en"],
                 "route_type": r["route_type"]} for r in _rows(spec["routes"])]
    else:
        rows = [{"route_id": r["route_id"], "agency_id": agency, "route_short_name": None,
                 "route_long_name": r["name_zh"], "route_desc": r["name_en"], "route_type": r["route_type"]}
                for r in _rows(spec["bus_routes"])]
    return _frame(rows, ["route_id", "agency_id", "route_short_name", "route_long_name", "route_desc",
                         "route_type"], ["route_id"])


def content_version(tables: dict[str, pd.DataFrame]) -> str:
    """A short hash of the tables: feed_version changes exactly when the content does."""
    h = hashlib.sha256()
    for name in entry_order(list(tables)):
        h.update(name.encode())
        h.update(table_bytes(tables[name]))
    return h.hexdigest()[:10]


def build_feed(spec: Spec, feed: str) -> dict[str, pd.DataFrame]:
    """Every GTFS table of one feed ("rail" or "bus"), keyed by file name without .txt."""
    stops = rail_stops(spec) if feed == "rail" else bus_stops(spec)
    trips, stop_times = rail_trips(spec) if feed == "rail" else bus_trips(spec)
    routes = _routes(spec, feed)
    cal, cal_dates = calendars(spec, feed)
    ar, sa = areas(spec, feed, stops)
    src = spec["routes"] if feed == "rail" else spec["bus_routes"]
    t: dict[str, pd.DataFrame] = {
        "agency": _agency(spec, feed), "stops": stops, "routes": routes, "trips": trips,
        "stop_times": stop_times, "calendar": cal, "calendar_dates": cal_dates,
        "transfers": transfers(spec, feed, stops),
        "translations": translations(spec, feed, stops, routes, trips, ar), "areas": ar, "stop_areas": sa,
        **fares(spec, feed, dict(zip(src["route_id"], src["network_id"]))),
    }
    t = {k: v for k, v in t.items() if not v.empty}
    info = spec["feeds"].set_index("feed").loc[feed]
    t["feed_info"] = _frame([{
        "feed_publisher_name": info["publisher_name"], "feed_publisher_url": info["publisher_url"],
        "feed_lang": info["feed_lang"], "feed_start_date": _ymd(info["start_date"]),
        "feed_end_date": _ymd(info["end_date"]),
        "feed_version": f"{info['version_prefix']}-{_ymd(info['start_date'])}-{content_version(t)}",
        "feed_contact_url": info["publisher_url"],
    }], ["feed_publisher_name", "feed_publisher_url", "feed_lang", "feed_start_date", "feed_end_date",
         "feed_version", "feed_contact_url"])
    return t


def build_all(spec: Spec) -> dict[str, dict[str, pd.DataFrame]]:
    """Output file name (e.g. hbeu-rail.zip) -> its tables, for both feeds."""
    files = dict(zip(spec["feeds"]["feed"], spec["feeds"]["file"]))
    return {files[feed]: build_feed(spec, feed) for feed in ("rail", "bus")}
