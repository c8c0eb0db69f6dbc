"""A deliberately plain reading of GTFS text: the connections and transfer rules of one service date.

This is the differential tests' second opinion on the compiler (``hbeu_transit.timetable``).
It reads the .txt files with ``csv`` and loops over rows; it imports nothing from
``hbeu_transit`` (an architecture test checks that), so a bug in reading or compiling a feed
shows up as a disagreement instead of being copied here.

What it models, from the GTFS reference and the README's routing rules:

* Service: calendar.txt weekly pattern within [start_date, end_date], then calendar_dates.txt
  (1 adds, 2 removes; a removal wins over an addition of the same date). Times count from a
  service day's "noon minus 12 h" in agency_timezone (the first agency's; an unknown or missing
  zone: every day 86400 s long). A trip of the service day ``date - k`` runs on ``date``'s clock
  at its times minus the seconds between the two days' origins (k * 86400, an hour more or less
  across a clock change: its instant is kept), for *every* k whose trips still run after the
  first second kept (any number of days back). Only hops that leave at or after 00:00 of
  ``date``'s clock are kept, or at or after ``date``'s local midnight when that comes first (the
  night the clocks go back, -01:00): a query never starts earlier.
* The next service day (``date + 1``): each of its runs whose first departure, on that day's
  own clock, is before ``NEXT_DAY_HOURS`` (6 h: the README's "night"), with all its hops, at
  its times plus the seconds between the two days' origins (86400, an hour more or less across
  a clock change); its run key says -1 days back. So a late journey of the date changes onto
  the next date's night trips.
* stop_times: rows ordered by stop_sequence (file order and gaps do not matter). A row with
  only one of arrival/departure uses it for both. Blank rows between two timed rows are
  interpolated linearly by shape_dist_traveled when the row and both timed neighbours carry it
  and it increases, else by position; blank rows before the first or after the last timed row
  are dropped. Times never go backwards within a trip (raised to the previous time).
* frequencies.txt (both exact_times): runs start at start_time, start_time + headway, ...
  strictly before end_time; the template's times are shifted so its first departure is the
  run's start. A run listed twice (overlapping windows) runs once.
* pickup_type / drop_off_type: 1 forbids boarding / alighting; blank, 0, 2 (phone the agency)
  and 3 (ask the driver) allow it.
* Stops: a stop's station is the top of its parent chain, however deep (boarding area ->
  platform -> station). Platforms of a station are its location_type 0 descendants.
* Change times: the largest per-mode default of the routes serving a stop on the date (rail 600,
  ferry 300, bus and trolleybus 180, everything else 120 s; ``transfer_minutes`` replaces them);
  an unserved stop takes the largest of its station's served stops, else the fallback.
  transfers.txt rows (stop level, types 0-3) override, a row between two stops before a row
  naming a station; a same-stop row sets the change time (type 1: 0 s, types 0/2 with a time:
  that time, type 3: forbidden); a row between different stops makes a footpath (type 3 none)
  lasting min_transfer_time, else the walk at 1.2 m/s. Platforms of one station are linked
  both ways with the *larger* of the two platforms' defaults; ``walk_meters`` links platforms
  within that distance (walk plus the larger default). Type-3 rows naming trips or routes
  ``transfer_minutes`` is also the rider's buffer added to every change time and footpath a
  stop-level transfers.txt row gives (type 1: just the buffer).
* Trip transfer rules: transfers.txt rows naming a trip or a route on either side (see
  ``TripRule``). A side names runs (its trip's runs; its route's trips' runs; blank: every run)
  and stops (a station: the stops below it; a stop: itself; blank: see ``TripRule.covers``).
  Type 3 forbids the change, type 1 takes the buffer only, types 0 and 2 take min_transfer_time
  plus the buffer (no time: the row says nothing, the ordinary rules apply); types 4/5 give no
  time. Where several rows cover one change (from run a left at stop x to run b boarded at y,
  a != b), the most specific wins, as the GTFS "specificity of a transfer" and
  OpenTripPlanner rank them per side: trip 4, route with a stop 3, route with a station 2,
  route alone 2, stop 1, station or nothing 0; the two sides add up; as specific, the row naming
  stops wins (a stop 2, a station 1 per side: trips and a stop are more specific than the trips
  alone), then the earlier row. A covered change follows only its rule (the rule's time from arrival at x to departure
  from y, no footpath needed); an uncovered one the stop rules above.
* In seat (a vehicle going on as another trip): a type 4 row from trip A to trip B, and two
  consecutive trips of one block_id where no row names that pair of trips (type 5 says no)
  and the second leaves at most an hour after the first arrives, continue in seat when
  neither is a frequency run, the second starts at the station where the first ends, no
  earlier than it arrives, and on the first's service day or the next one. Consecutive: within one service day in order of first departure on the date (then
  trips.txt order), and a service day's last trip of the block followed by the next service
  day's first. A run of the next service day follows only when its first departure is before
  the first run's last arrival on their own days' clocks (GTFS linked trips: the to trip "is
  occurring the subsequent service day"; Google: block transfers "on consecutive days if a
  trip crosses midnight"). Staying aboard needs no pickup or drop-off and is not a transfer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

DAY = 86400
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WALK_SPEED = 1.2
EARTH_RADIUS = 6_371_008.8
FALLBACK_CHANGE = 120
NEXT_DAY_HOURS = 6       # the next service day's runs starting before this hour are on the date's clock
BLOCK_LAYOVER = 3600     # a block's next trip after a longer pause is no seat (a parked vehicle)

Table = list[dict[str, str]]


# ---------------------------------------------------------------------------------------- reading

def read_tables(path: str | Path) -> dict[str, Table]:
    """Every ``*.txt`` of a feed zip or folder as rows of stripped strings."""
    p = Path(path)
    texts: dict[str, str] = {}
    if p.is_dir():
        for f in sorted(p.glob("*.txt")):
            texts[f.stem] = f.read_text(encoding="utf-8-sig")
    else:
        with zipfile.ZipFile(p) as zf:
            for name in zf.namelist():
                if name.endswith(".txt") and "/" not in name.strip("/"):
                    texts[name[:-4]] = zf.read(name).decode("utf-8-sig")
    out: dict[str, Table] = {}
    for name, text in texts.items():
        rows = csv.DictReader(io.StringIO(text))
        out[name] = [{(k or "").strip(): (v or "").strip() for k, v in r.items()} for r in rows]
    return out


def read_merged(paths) -> dict[str, Table]:
    """Several feeds read as one: rows of each table appended in order; a stop row whose stop_id
    an earlier feed has (a station both feeds publish, as the bundled rail and bus feeds do)
    is kept once, the first."""
    out: dict[str, Table] = {}
    for path in paths:
        for name, rows in read_tables(path).items():
            out.setdefault(name, []).extend(rows)
    seen: set[str] = set()
    out["stops"] = [r for r in out.get("stops", []) if not (r["stop_id"] in seen or seen.add(r["stop_id"]))]
    return out


def clock(text: str) -> int | None:
    """'H:MM:SS' -> seconds (hours may pass 24), None for blank."""
    if not text:
        return None
    h, m, s = text.split(":")
    return int(h) * 3600 + int(m) * 60 + int(s)


def number(text: str) -> float | None:
    try:
        return float(text) if text != "" else None
    except ValueError:
        return None


def services_on(t: dict[str, Table], day: dt.date) -> set[str]:
    """service_ids running on ``day``."""
    ymd = day.strftime("%Y%m%d")
    on = {r["service_id"] for r in t.get("calendar", [])
          if r["start_date"] <= ymd <= r["end_date"] and r.get(WEEKDAYS[day.weekday()]) == "1"}
    added = {r["service_id"] for r in t.get("calendar_dates", []) if r["date"] == ymd and r["exception_type"] == "1"}
    removed = {r["service_id"] for r in t.get("calendar_dates", []) if r["date"] == ymd and r["exception_type"] == "2"}
    return (on | added) - removed


def day_clock(t: dict[str, Table], date: dt.date) -> tuple:
    """(shift, first): ``shift(k)`` the seconds from service day ``date - k``'s origin (noon
    minus 12 h local) to ``date``'s; ``first`` ``date``'s local midnight on its own clock when
    before 00:00, else 0. Read with zoneinfo from agency_timezone, by wall-clock arithmetic of
    its own (nothing shared with the compiler)."""
    from zoneinfo import ZoneInfo

    name = (t.get("agency") or [{}])[0].get("agency_timezone", "")
    try:
        zone = ZoneInfo(name)
    except Exception:
        return (lambda k: k * DAY), 0

    def instant(day: dt.date, hour: int) -> float:
        return dt.datetime.combine(day, dt.time(hour), tzinfo=zone).timestamp()

    origin = instant(date, 12) - 12 * 3600
    return (lambda k: round(origin - (instant(date - dt.timedelta(days=k), 12) - 12 * 3600)),
            min(0, round(instant(date, 0) - origin)))


def change_default(route_type: int) -> int:
    """Default seconds to change vehicle for a route type (basic and extended types)."""
    rt = route_type
    if rt == 2 or 100 <= rt < 200 or 400 <= rt < 500:
        return 600
    if rt == 4 or 1000 <= rt < 1300:
        return 300
    if rt in (3, 11) or 200 <= rt < 300 or 700 <= rt < 800:
        return 180
    return FALLBACK_CHANGE


# ---------------------------------------------------------------------------------------- trips

def trip_events(rows: Table) -> list[dict]:
    """One trip's stop events (stop, arr, dep, board, alight) after ordering, filling blanks,
    dropping untimed ends and making times monotone."""
    rows = sorted(rows, key=lambda r: int(float(r["stop_sequence"])))
    ev = []
    for r in rows:
        a, d = clock(r.get("arrival_time", "")), clock(r.get("departure_time", ""))
        a = d if a is None else a
        d = a if d is None else d
        ev.append({"stop": r["stop_id"], "arr": a, "dep": d, "dist": number(r.get("shape_dist_traveled", "")),
                   "board": r.get("pickup_type", "") != "1", "alight": r.get("drop_off_type", "") != "1"})
    timed = [i for i, e in enumerate(ev) if e["arr"] is not None]
    for i, e in enumerate(ev):
        if e["arr"] is not None:
            continue
        before = [k for k in timed if k < i]
        after = [k for k in timed if k > i]
        if not before or not after:
            continue
        p, q = before[-1], after[0]
        frac = (i - p) / (q - p)
        dp, dq, di = ev[p]["dist"], ev[q]["dist"], e["dist"]
        if dp is not None and dq is not None and di is not None and dq > dp:
            frac = min(1.0, max(0.0, (di - dp) / (dq - dp)))
        t = round(ev[p]["dep"] + frac * (ev[q]["arr"] - ev[p]["dep"]))
        e["arr"] = e["dep"] = t
        e["filled"] = True
    ev = [e for e in ev if e["arr"] is not None]
    last = -10**9
    for e in ev:
        e["arr"] = last = max(last, e["arr"])
        e["dep"] = last = max(last, e["dep"])
    return ev


@dataclass(frozen=True)
class Hop:
    """One vehicle hop on the date's clock."""

    frm: str
    to: str
    dep: int
    arr: int
    board: bool
    alight: bool
    run: tuple          # (trip_id, days back, run start or None): one vehicle journey
    index: int          # position of the hop within its run (0, 1, ...)


@dataclass(frozen=True)
class TripRule:
    """One transfers.txt row naming a trip or route, as the runs and stops it covers."""

    row: int                          # position in transfers.txt (a tie goes to the earlier row)
    rank: tuple[int, int]             # specificity, from + to, then stops named (module docstring)
    from_runs: frozenset
    to_runs: frozenset
    from_stops: frozenset | None      # None: blank
    to_stops: frozenset | None
    secs: int                         # -1 forbidden

    def covers(self, a: tuple, b: tuple, x: str, y: str) -> bool:
        """Whether this row speaks about leaving run a at x and boarding run b at y. Blank
        stops: both blank, the same stop (a forbidding row: any stops at all); only to_stop_id
        blank, the same stop as from_stop_id; only from_stop_id blank, any stop a is left at."""
        if a == b or a not in self.from_runs or b not in self.to_runs:
            return False
        fs, ts = self.from_stops, self.to_stops
        if fs is None and ts is None:
            return self.secs < 0 or x == y
        if ts is None:
            return x in fs and y == x
        return (fs is None or x in fs) and y in ts


@dataclass
class Reference:
    """The connections and transfer rules of ``date`` read from GTFS ``tables``."""

    tables: dict[str, Table]
    date: dt.date
    transfer_minutes: float | None = None
    walk_meters: float | None = None
    hops: list[Hop] = field(init=False)
    station: dict[str, str] = field(init=False)           # stop -> top of its parent chain
    change: dict[str, int] = field(init=False)            # stop -> seconds, -1 forbidden
    footpaths: dict[tuple[str, str], int] = field(init=False)
    trip_rules: list[TripRule] = field(init=False)
    seats: set[tuple[tuple, tuple, int]] = field(init=False)  # (run, run it goes on as in seat, its last hop's index)

    def __post_init__(self) -> None:
        self._stops()
        self._hops()
        self._defaults()
        self._transfers()
        self._seats()

    # -- stops
    def _stops(self) -> None:
        rows = self.tables["stops"]
        self.stop_ids = [r["stop_id"] for r in rows]
        self.parent = {r["stop_id"]: r.get("parent_station", "") for r in rows}
        self.ltype = {r["stop_id"]: int(r.get("location_type") or 0) for r in rows}
        self.station = {}
        for s in self.stop_ids:
            top, seen = s, {s}
            while self.parent.get(top) and self.parent[top] not in seen:
                top = self.parent[top]
                seen.add(top)
            self.station[s] = top
        coords = {r["stop_id"]: (number(r.get("stop_lat", "")), number(r.get("stop_lon", ""))) for r in rows}
        own = {s: c for s, c in coords.items() if c[0] is not None and c[1] is not None}
        kids: dict[str, list] = defaultdict(list)
        for s, c in own.items():
            if self.station[s] != s:
                kids[self.station[s]].append(c)
        for st, cs in kids.items():
            if st not in own:
                own[st] = (sum(c[0] for c in cs) / len(cs), sum(c[1] for c in cs) / len(cs))
        self.coords = {s: own.get(s) or own.get(self.station[s]) for s in self.stop_ids}
        self.platforms: dict[str, list[str]] = defaultdict(list)
        for s in self.stop_ids:
            if self.ltype[s] == 0 and self.station[s] != s:
                self.platforms[self.station[s]].append(s)

    # -- hops
    def _hops(self) -> None:
        t = self.tables
        by_trip: dict[str, Table] = defaultdict(list)
        for r in t["stop_times"]:
            by_trip[r["trip_id"]].append(r)
        freq: dict[str, list[int]] = defaultdict(list)
        for f in t.get("frequencies", []):
            freq[f["trip_id"]] += []      # listed: the trip runs only as its frequency runs
            start, end, hw = clock(f["start_time"]), clock(f["end_time"]), number(f["headway_secs"])
            if start is None or end is None or hw is None or int(hw) <= 0:
                continue
            x = start
            while x < end:
                freq[f["trip_id"]].append(x)
                x += int(hw)
        route_type = {r["route_id"]: int(float(r.get("route_type") or 3)) for r in t["routes"]}
        events = {tid: trip_events(rows) for tid, rows in by_trip.items()}
        latest = 0
        for tid, ev in events.items():
            if len(ev) > 1:
                shift = max(freq.get(tid, []), default=ev[0]["dep"]) - ev[0]["dep"]
                latest = max(latest, ev[-1]["arr"] + shift)
        self.hops = []
        self.run_route: dict[tuple, int] = {}
        self.run_trip: dict[tuple, str] = {}
        shift, first = day_clock(t, self.date)
        self.shift = shift
        back = -1
        days = []
        while (back := back + 1) == 0 or shift(back) + first <= latest:
            days.append(back)
        for back in days + [-1]:          # -1: the next service day, its night runs only
            on = services_on(t, self.date - dt.timedelta(days=back))
            for trip in t["trips"]:
                tid = trip["trip_id"]
                ev = events.get(tid, [])
                if trip["service_id"] not in on or len(ev) < 2:
                    continue
                starts = sorted(set(freq[tid])) if tid in freq else [None]
                for start in starts:
                    if back < 0 and (ev[0]["dep"] if start is None else start) >= NEXT_DAY_HOURS * 3600:
                        continue
                    off = (start - ev[0]["dep"] if start is not None else 0) - shift(back)
                    run = (tid, back, start)
                    k = 0
                    for a, b in zip(ev, ev[1:]):
                        if a["dep"] + off < first:
                            continue
                        self.hops.append(Hop(a["stop"], b["stop"], a["dep"] + off, b["arr"] + off,
                                             a["board"], b["alight"], run, k))
                        k += 1
                    if k:
                        self.run_route[run] = route_type[trip["route_id"]]
                        self.run_trip[run] = tid
        self.route_of_trip = {r["trip_id"]: r["route_id"] for r in t["trips"]}

    # -- change times
    def _defaults(self) -> None:
        tm = self.transfer_minutes
        fallback = FALLBACK_CHANGE if tm is None else int(round(tm * 60))
        served: dict[str, int] = {}
        for h in self.hops:
            d = change_default(self.run_route[h.run]) if tm is None else fallback
            for s in (h.frm, h.to):
                served[s] = max(served.get(s, -1), d)
        by_station: dict[str, int] = {}
        for s, d in served.items():
            st = self.station[s]
            by_station[st] = max(by_station.get(st, -1), d)
        self.default = {s: served.get(s, by_station.get(self.station[s], fallback)) for s in self.stop_ids}

    def walk_seconds(self, a: str, b: str) -> float | None:
        ca, cb = self.coords.get(a), self.coords.get(b)
        if ca is None or cb is None:
            return None
        return math.ceil(distance_m(ca, cb) / WALK_SPEED)

    def _transfers(self) -> None:
        self.change = dict(self.default)
        stop_rule: dict[tuple[str, str], tuple[int, float | None]] = {}
        station_rule: dict[tuple[str, str], tuple[int, float | None]] = {}
        trip_rows = []
        for row_no, r in enumerate(self.tables.get("transfers", [])):
            ttype = int(r.get("transfer_type") or 0)
            mtt = number(r.get("min_transfer_time", ""))
            if any(r.get(k) for k in ("from_trip_id", "to_trip_id", "from_route_id", "to_route_id")):
                trip_rows.append((row_no, r))
                continue
            a, b = r.get("from_stop_id", ""), r.get("to_stop_id", "")
            if a not in self.station or b not in self.station or ttype > 3:
                continue
            if a in self.platforms or b in self.platforms:
                pa = self.platforms.get(a, [a])
                pb = self.platforms.get(b, [b])
                if a == b:   # a station's own rule: its platforms' change times, and (with a time) their links
                    station_rule.setdefault((a, a), (ttype, mtt))
                    pairs = [(x, y) for x in pa for y in pb if x == y or ttype == 3 or mtt is not None]
                else:
                    pairs = [(x, y) for x in pa for y in pb]
                for x, y in pairs:
                    station_rule.setdefault((x, y), (ttype, mtt))
            else:
                stop_rule.setdefault((a, b), (ttype, mtt))
        rules = dict(station_rule)
        rules.update(stop_rule)    # a row between two stops beats one naming a station
        paths: dict[tuple[str, str], int] = {}
        buf = 0 if self.transfer_minutes is None else int(round(self.transfer_minutes * 60))
        for (a, b), (ttype, mtt) in rules.items():
            if a == b:
                if ttype == 3:
                    self.change[a] = -1
                elif ttype == 1:
                    self.change[a] = buf
                elif mtt is not None:
                    self.change[a] = int(mtt) + buf
            elif ttype == 3:
                paths[(a, b)] = -1
            elif mtt is not None:
                paths[(a, b)] = int(mtt) + buf
            else:
                w = self.walk_seconds(a, b)
                paths[(a, b)] = (int(w) if w is not None else max(self.default[a], self.default[b])) + buf
        for st, kids in self.platforms.items():
            for x in kids:
                for y in kids:
                    if x != y:
                        paths.setdefault((x, y), max(self.default[x], self.default[y]))
        if self.walk_meters:
            # sweep by latitude: two stops further apart in latitude alone are too far apart
            plats = sorted((self.coords[s][0], s) for s in self.stop_ids if self.ltype[s] == 0 and self.coords.get(s))
            reach = math.degrees(self.walk_meters / EARTH_RADIUS)
            for i, (lat, x) in enumerate(plats):
                for lat2, y in plats[i + 1:]:
                    if lat2 - lat > reach:
                        break
                    d = distance_m(self.coords[x], self.coords[y])
                    if d <= self.walk_meters:
                        for u, v in ((x, y), (y, x)):
                            paths.setdefault((u, v), int(math.ceil(distance_m(self.coords[u], self.coords[v]) / WALK_SPEED)
                                                         + max(self.default[u], self.default[v])))
        self.footpaths = {k: v for k, v in paths.items() if v >= 0}
        self.trip_rules = []
        for row_no, r in trip_rows:
            ttype = int(r.get("transfer_type") or 0)
            mtt = number(r.get("min_transfer_time", ""))
            if ttype == 3:
                secs = -1
            elif ttype == 1:
                secs = buf
            elif ttype in (0, 2) and mtt is not None:
                secs = int(mtt) + buf
            else:
                continue            # no time (or in seat): says nothing about changing
            fr, fs, frank = self._side(r.get("from_trip_id", ""), r.get("from_route_id", ""), r.get("from_stop_id", ""))
            tr, ts, trank = self._side(r.get("to_trip_id", ""), r.get("to_route_id", ""), r.get("to_stop_id", ""))
            rank = (frank[0] + trank[0], frank[1] + trank[1])
            self.trip_rules.append(TripRule(row_no, rank, fr, tr, fs, ts, secs))
        self.ruled_from = set().union(*(r.from_runs for r in self.trip_rules))

    def _seats(self) -> None:
        """In-seat continuations: type 4 rows, and block_id chains. A chain is one block's
        trips (not frequency runs) of one service day in order of first departure on the date,
        its last trip followed by the first of the block's chain of the next service day; each
        goes on in seat as the next when ``goes_on`` and no transfers.txt row names that pair."""
        first: dict[tuple, Hop] = {}
        last: dict[tuple, Hop] = {}
        for h in self.hops:
            if h.run not in first or h.index < first[h.run].index:
                first[h.run] = h
            if h.run not in last or h.index > last[h.run].index:
                last[h.run] = h
        rows = self.tables.get("transfers", [])
        said = {(r.get("from_trip_id"), r.get("to_trip_id")) for r in rows
                if r.get("from_trip_id") and r.get("to_trip_id")}
        block = {r["trip_id"]: r.get("block_id") or "" for r in self.tables["trips"]}
        position = {r["trip_id"]: i for i, r in enumerate(self.tables["trips"])}

        def goes_on(a: tuple, b: tuple) -> bool:
            """b starts where a ends, no earlier; b of a's service day, or of the next one (one
            day fewer back) when it leaves before a arrives on their own clocks: fb.dep + shift(days
            back of b) < la.arr + shift(days back of a)."""
            la, fb = last[a], first[b]
            same, next_day = a[1] == b[1], a[1] == b[1] + 1
            own = fb.dep + self.shift(b[1]) < la.arr + self.shift(a[1])
            return (a != b and a[2] is None and b[2] is None and (same or (next_day and own))
                    and self.station[la.to] == self.station[fb.frm] and fb.dep >= la.arr)

        self.seats = set()
        for r in rows:
            if int(r.get("transfer_type") or 0) == 4:
                for a in first:
                    for b in first:
                        if a[0] == r.get("from_trip_id") and b[0] == r.get("to_trip_id") and goes_on(a, b):
                            self.seats.add((a, b, last[a].index))
        groups: dict[tuple, list[tuple]] = {}
        for run in first:
            if run[2] is None and block.get(run[0]):
                groups.setdefault((block[run[0]], run[1]), []).append(run)
        for runs in groups.values():
            runs.sort(key=lambda r: (first[r].dep, position[r[0]]))
        for (blk, back), runs in groups.items():
            chain = list(zip(runs, runs[1:]))
            if (blk, back - 1) in groups:            # the next service day's chain of the block
                chain.append((runs[-1], groups[(blk, back - 1)][0]))
            for a, b in chain:
                if (a[0], b[0]) not in said and goes_on(a, b) and first[b].dep - last[a].arr <= BLOCK_LAYOVER:
                    self.seats.add((a, b, last[a].index))

    def _side(self, trip: str, route: str, stop: str) -> tuple[frozenset, frozenset | None, tuple[int, int]]:
        """(runs, stops or None for blank, (specificity, stops named)) of one side of a
        trip/route row."""
        if not stop:
            stops, kind = None, "none"
        elif stop not in self.station:
            stops, kind = frozenset(), "stop"          # an unknown stop: the row covers nothing
        elif self.ltype[stop] == 1:
            stops, kind = frozenset(s for s in self.stop_ids if s != stop and self._below(s, stop)), "station"
        else:
            stops, kind = frozenset([stop]), "stop"
        runs = self.run_route
        named = {"stop": 2, "station": 1, "none": 0}[kind]
        if trip:
            return frozenset(r for r in runs if r[0] == trip), stops, (4, named)
        if route:
            return (frozenset(r for r in runs if self.route_of_trip.get(r[0]) == route), stops,
                    (3 if kind == "stop" else 2, named))
        return frozenset(runs), stops, (1 if kind == "stop" else 0, named)

    def _below(self, s: str, ancestor: str) -> bool:
        seen = set()
        while self.parent.get(s) and s not in seen:
            seen.add(s)
            s = self.parent[s]
            if s == ancestor:
                return True
        return False

    def rule_for(self, a: tuple, b: tuple, x: str, y: str) -> int | None:
        """The seconds the governing trip rule gives leaving run a at x for run b at y
        (-1 forbidden), None when no trip rule speaks about that change."""
        best = None
        for r in self.trip_rules:
            if r.covers(a, b, x, y) and (best is None or r.rank > best.rank):
                best = r
        return None if best is None else best.secs

    def connections(self) -> list[tuple[str, str, int, int, bool, bool]]:
        """(from, to, dep, arr, board, alight) of every hop."""
        return [(h.frm, h.to, h.dep, h.arr, h.board, h.alight) for h in self.hops]


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dl = math.radians(b[1] - a[1])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS * math.asin(math.sqrt(min(1.0, max(0.0, h))))


def reference_for(path: str | Path, date: dt.date, **options) -> Reference:
    """The Reference of a feed zip or folder on ``date``."""
    return Reference(read_tables(path), date, **options)
