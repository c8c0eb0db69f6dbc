"""Journeys, departure boards and commutes as plain data, ready for a table or for JSON.

The router returns journeys as indices into a Timetable; this module adds what a person reads:
station names (published and English), modes, train/bus numbers, ISO 8601 times in the
agency's timezone, fares when the feed publishes them. It imports numpy and the standard
library only, so a warm-cache ``hbeu plan`` stays fast.

Times in a Timetable are seconds after the service date's "midnight", which GTFS defines as
noon minus 12 hours (the two differ only on daylight-saving days); they may exceed 24:00 or be
negative (a previous-day trip), and become absolute instants here.

JSON of ``hbeu plan --json`` (times ISO 8601 with the agency's UTC offset, e.g.
``2026-12-01T07:15:00+08:00``; stop ids as in the input feed, with a ``<feed>:`` prefix only
where two feeds clash; amounts in the fare product's currency)::

    {"query": {"from": PLACE, "to": PLACE, "date": "YYYY-MM-DD", "timezone": str,
               "depart": time|null, "arrive_by": time|null, "window_min": int|null,
               "num": int|null,                # journeys asked for (null with a window)
               "max_transfers": int|null, "modes": [str]|null},
     "notes": [str],                      # e.g. the date used when none was given
     "journeys": [{"departure": time, "arrival": time, "duration_min": int,
                   "transfers": int, "fare": FARE|null,
                   "legs": [{"mode": "rail"|"high_speed_rail"|"bus"|...|"walk"|"transfer",
                             "route": route_id|null, "route_name": str|null,
                             "trip": trip_id|null, "name": train/bus number|null,
                             "headsign": str|null,
                             "from_stop": stop_id, "from_name": str, "from_name_en": str|null,
                             "to_stop": stop_id, "to_name": str, "to_name_en": str|null,
                             "departure": time, "arrival": time, "duration_min": int,
                             "fare": FARE|null}]}]}
    PLACE = {"query": str, "label": str, "kind": "stop"|"station"|"area", "stop_ids": [str]}
    FARE  = {"amount": number, "currency": "CNY"}

``departures --json`` gives ``{"station": PLACE, "date", "timezone", "from", "to", "notes",
"departures": [{"departure", "name", "mode", "route", "route_name", "trip", "headsign",
"destination_stop", "destination_name", "destination_name_en", "from_stop", "from_name",
"from_name_en"}]}``; ``commute --json`` gives ``{"home": PLACE, "work": PLACE, "arrive_by",
"leave_after", "timezone", "notes", "days": [{"date", "morning": {"journey": JOURNEY|null,
"alternative": JOURNEY|null}, "evening": {...}}]}``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from typing import Any, Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from ..errors import InputError
from ..places import Place, PlaceIndex
from ..router import DEFAULT_MAX_TRANSFERS  # the limit when the user gives none
from ..router.journey import Journey, Leg
from ..timetable_model import Timetable


# --------------------------------------------------------------------------- time

def zone(tz: str) -> dt.tzinfo:
    """The agency's timezone; an unknown name is a feed problem, reported in one line."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"unknown agency_timezone {tz!r} in the feed") from None


def service_day_origin(date: str | dt.date, tz: str) -> dt.datetime:
    """The instant GTFS times of ``date`` count from: local noon minus 12 hours, in UTC."""
    d = dt.date.fromisoformat(date) if isinstance(date, str) else date
    noon = dt.datetime(d.year, d.month, d.day, 12, tzinfo=zone(tz))
    return noon.astimezone(dt.timezone.utc) - dt.timedelta(hours=12)


def to_iso(date: str | dt.date, tz: str, seconds: int) -> str:
    """Service-day seconds -> "2026-12-01T08:30:00+08:00" (the local time of that instant)."""
    t = service_day_origin(date, tz) + dt.timedelta(seconds=int(seconds))
    return t.astimezone(zone(tz)).isoformat(timespec="seconds")


def clock(iso: str, date: str) -> str:
    """"HH:MM" of an ISO time, with "+1"/"-1" when it falls on another calendar day."""
    day = dt.date.fromisoformat(iso[:10]) - dt.date.fromisoformat(date)
    return iso[11:16] + (f"{day.days:+d}" if day.days else "")


def now_in(tz: str) -> dt.datetime:
    """The current local time of the feed; HBEU_NOW ("YYYY-MM-DDTHH:MM") pins it for tests."""
    pinned = os.environ.get("HBEU_NOW")
    if pinned:
        return dt.datetime.fromisoformat(pinned).replace(tzinfo=zone(tz))
    return dt.datetime.now(zone(tz))


def seconds_of_day(t: dt.datetime) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def parse_duration(text: str) -> int:
    """"2h", "90m", "1h30", "1:30" or a number of minutes -> seconds."""
    s = text.strip().lower().replace(" ", "")
    m = re.fullmatch(r"(?:(\d+(?:\.\d+)?)h)?(?:(\d+)(?:m|min)?)?", s)
    if s and m and (m.group(1) or m.group(2)):
        h = float(m.group(1) or 0)
        mins = int(m.group(2) or 0)
        if m.group(1) is None and s.endswith("h"):
            raise InputError(f"impossible duration {text!r}")
        return int(round(h * 3600)) + mins * 60
    m = re.fullmatch(r"(\d+):(\d{2})", s)
    if m and int(m.group(2)) < 60:
        return int(m.group(1)) * 3600 + int(m.group(2)) * 60
    raise InputError(f"impossible duration {text!r}: expected e.g. 2h, 90m or 1h30")


def format_duration(seconds: int) -> str:
    """1h05, 45m."""
    m = int(round(seconds / 60))
    return f"{m // 60}h{m % 60:02d}" if m >= 60 else f"{m}m"


# --------------------------------------------------------------------------- places -> stops

def stop_indices(tt: Timetable, place: Place) -> np.ndarray:
    """Timetable indices of every stop a place stands for, platforms of its stations included."""
    ids = set(place.stop_ids)
    own = np.fromiter((s in ids for s in tt.stop_ids), dtype=bool, count=tt.n_stops)
    return np.flatnonzero(own | own[tt.stop_station]).astype(np.int32)


# --------------------------------------------------------------------------- journeys

def gtfs_trip_id(tt: Timetable, trip: int) -> str:
    """The trip_id as published (the same for every frequency run and service day of a trip)."""
    return tt.trip_ids[trip]


def _stop_fields(tt: Timetable, idx: PlaceIndex, s: int, prefix: str) -> dict[str, Any]:
    sid = tt.stop_ids[s]
    return {f"{prefix}_stop": sid, f"{prefix}_name": tt.stop_names[s] or sid,
            f"{prefix}_name_en": idx.name_in(sid)}


def _fare_dict(fare: tuple[float, str] | None) -> dict[str, Any] | None:
    return None if fare is None else {"amount": round(fare[0], 2), "currency": fare[1]}


def leg_dict(tt: Timetable, idx: PlaceIndex, leg: Leg, departure: int | None = None,
             arrival: int | None = None) -> dict[str, Any]:
    """One leg as JSON-ready data (see docs of ``journey_dict`` for the fields)."""
    dep = leg.departure if departure is None else departure
    arr = leg.arrival if arrival is None else arrival
    out: dict[str, Any] = {"mode": leg.kind if leg.kind != "ride" else "other", "route": None,
                           "route_name": None, "trip": None, "name": None, "headsign": None}
    fare = None
    if leg.kind == "ride":
        r = int(tt.trip_route[leg.trip])
        out.update(mode=idx.mode(int(tt.route_type[r])), route=tt.route_ids[r], route_name=tt.route_names[r],
                   trip=gtfs_trip_id(tt, leg.trip), name=tt.trip_name[leg.trip] or tt.route_names[r],
                   headsign=tt.trip_headsign[leg.trip] or None)
        fare = idx.leg_fare(tt.route_ids[r], tt.stop_ids[leg.from_stop], tt.stop_ids[leg.to_stop], dep)
    out.update(_stop_fields(tt, idx, leg.from_stop, "from"))
    out.update(_stop_fields(tt, idx, leg.to_stop, "to"))
    out.update(departure=to_iso(tt.date, tt.timezone, dep), arrival=to_iso(tt.date, tt.timezone, arr),
               duration_min=round((arr - dep) / 60), fare=_fare_dict(fare))
    return out


def journey_dict(tt: Timetable, idx: PlaceIndex, j: Journey) -> dict[str, Any]:
    """A journey as documented JSON.

    ``departure``/``arrival``: ISO 8601 with the agency's UTC offset, from leaving the origin
    (a walk before the first ride is timed to end as that ride leaves) to reaching the
    destination; ``duration_min``; ``transfers`` (rides - 1); ``fare`` ({amount, currency}, the
    sum of the rides' fares when every ride's fare is known, else null); ``legs``: rides
    (``mode`` rail/bus/..., ``route`` route_id, ``trip`` trip_id, ``name`` train/bus number,
    ``headsign``) and walks between different stops (``mode`` "walk" or "transfer", no
    route/trip/name), each with from/to stop ids and names, departure, arrival, duration and fare.
    Changing vehicle at the same stop is not a leg.
    """
    legs = [lg for lg in j.legs if lg.kind == "ride" or lg.from_stop != lg.to_stop]
    first_ride = next((k for k, lg in enumerate(legs) if lg.kind == "ride"), len(legs))
    # walks before the first ride: leave as late as still catches it
    t = legs[first_ride].departure if first_ride < len(legs) else (legs[-1].arrival if legs else j.arrival)
    pre: list[dict[str, Any]] = []
    for lg in reversed(legs[:first_ride]):
        d = lg.arrival - lg.departure
        pre.insert(0, leg_dict(tt, idx, lg, t - d, t))
        t -= d
    start = t
    out_legs = pre + [leg_dict(tt, idx, lg) for lg in legs[first_ride:]]
    end = j.arrival
    ride_fares = [lg["fare"] for lg in out_legs if lg["trip"] is not None]
    fare = None
    if ride_fares and all(f is not None for f in ride_fares) and len({f["currency"] for f in ride_fares}) == 1:
        fare = {"amount": round(sum(f["amount"] for f in ride_fares), 2), "currency": ride_fares[0]["currency"]}
    return {"departure": to_iso(tt.date, tt.timezone, start), "arrival": to_iso(tt.date, tt.timezone, end),
            "duration_min": round((end - start) / 60), "transfers": j.transfers, "fare": fare,
            "legs": out_legs}


def _key(j: Journey) -> tuple:
    return tuple((lg.kind, lg.trip, lg.from_stop, lg.to_stop, lg.departure, lg.arrival) for lg in j.legs)


def unique_journeys(journeys: Iterable[Journey]) -> list[Journey]:
    """Drop repeats, order by departure then arrival then transfers."""
    seen: dict[tuple, Journey] = {}
    for j in journeys:
        if j is not None and j.legs:
            seen.setdefault(_key(j), j)
    return sorted(seen.values(), key=lambda j: (j.departure, j.arrival, j.transfers))


# --------------------------------------------------------------------------- routing glue

@dataclass
class PlanQuery:
    """What `hbeu plan` asks the router, in timetable terms."""

    sources: np.ndarray
    targets: np.ndarray
    depart: int | None = None        # seconds; exactly one of depart / arrive_by
    arrive_by: int | None = None
    window: int | None = None        # seconds: all journeys leaving within it (profile)
    max_transfers: int | None = None
    num: int = 1                     # without a window: at least this many journeys, if there are


def plan(tt: Timetable, q: PlanQuery) -> list[Journey]:
    """Journeys for a query, ordered by departure.

    With a window: every journey worth taking (no later departure arrives as early with as
    few transfers) leaving in [depart, depart + window], or arriving in
    [arrive_by - window, arrive_by].

    Without: leaving at a time, the Pareto set of that departure (the fastest journey and each
    slower one with fewer transfers); arriving by a time, the Pareto set of the latest
    departure that makes it. Then, until ``num`` journeys are shown, the next worthwhile ones
    leaving later (arriving by: earlier), from a profile over a window doubled from 2 hours
    until it has enough or spans the timetable.
    """
    from .. import router

    src, dst = [int(x) for x in q.sources], [int(x) for x in q.targets]
    if set(src) & set(dst):
        raise InputError("{origin} and {destination} name the same station; nothing to plan", "origin", "destination")
    k = DEFAULT_MAX_TRANSFERS if q.max_transfers is None else q.max_transfers
    if q.window is not None:
        if q.depart is not None:
            found = router.profile(tt, src, dst, q.depart, q.depart + q.window, max_transfers=k)
        else:
            found = router.profile(tt, src, dst, q.arrive_by - q.window - 6 * 3600, q.arrive_by,
                                   max_transfers=k)
            found = [j for j in found if q.arrive_by - q.window <= j.arrival <= q.arrive_by]
        return unique_journeys(found)
    if not tt.n_connections:
        return []
    if q.depart is not None:
        first = unique_journeys(router.pareto(tt, src, dst, q.depart, max_transfers=k))
        if not first or len(first) >= q.num:  # nothing from `depart` means nothing later
            return first
        last = int(tt.c_dep.max())
        found = _growing(lambda w: router.profile(tt, src, dst, q.depart, q.depart + w, max_transfers=k),
                         lambda js: len(_add_until(first, js, q.num)) >= q.num,
                         lambda w: q.depart + w > last)
        return unique_journeys(_add_until(first, found, q.num))
    t = q.arrive_by
    first_dep = int(tt.c_dep.min()) - int(tt.fp_dur.max(initial=0))  # earliest possible leaving

    def arriving(w: int) -> list[Journey]:
        return [j for j in router.profile(tt, src, dst, t - w, t, max_transfers=k) if j.arrival <= t]

    def pick(js: list[Journey]) -> list[Journey]:
        if not js:
            return []
        js = sorted(js, key=lambda j: (-j.departure, j.arrival, j.transfers))
        latest = js[0].departure
        return _add_until([j for j in js if j.departure == latest],
                          [j for j in js if j.departure != latest], q.num)

    found = _growing(arriving, lambda js: len(pick(js)) >= q.num, lambda w: t - w < first_dep)
    return unique_journeys(pick(found))


def _growing(query, enough, covers, start: int = 2 * 3600) -> list[Journey]:
    """``query(w)`` for w = start, 2 start, 4 start... until ``enough`` of its answer or the
    window ``covers`` the whole timetable."""
    w = start
    while True:
        found = query(w)
        if enough(found) or covers(w):
            return found
        w *= 2


def _add_until(first: list[Journey], more: list[Journey], num: int) -> list[Journey]:
    """``first``, then journeys of ``more`` (in its order) that none chosen is as good as
    (leaving as late, arriving as early, with as few transfers), until there are ``num``."""
    out = list(first)
    for p in more:
        if len(out) >= num:
            break
        if not any(j.departure >= p.departure and j.arrival <= p.arrival and j.transfers <= p.transfers
                   for j in out):
            out.append(p)
    return out


# --------------------------------------------------------------------------- departure board

def _last_stop_of_trips(tt: Timetable) -> np.ndarray:
    """Each trip's final stop (the to-stop of its last hop), -1 for trips without hops."""
    out = np.full(tt.n_trips, -1, dtype=np.int64)
    if tt.n_connections:
        o = np.lexsort((tt.c_seq, tt.c_trip))
        out[tt.c_trip[o]] = tt.c_to[o]  # later (higher c_seq) writes win
    return out


def departure_board(tt: Timetable, idx: PlaceIndex, stops: np.ndarray, start: int, end: int,
                    limit: int | None = None) -> list[dict[str, Any]]:
    """Departures from ``stops`` leaving in [start, end], one per trip (its first call there),
    where boarding is allowed, with number, mode, route, destination and stop/platform."""
    in_place = np.zeros(tt.n_stops, dtype=bool)
    in_place[stops] = True
    m = in_place[tt.c_from] & tt.c_board & (tt.c_dep >= start) & (tt.c_dep <= end)
    cs = np.flatnonzero(m)
    seen = np.zeros(tt.n_trips, dtype=bool)
    keep = []
    for c, t in zip(cs.tolist(), tt.c_trip[cs].tolist()):  # first call of each trip
        if not seen[t]:  # (np.unique would import numpy.ma, 30 ms)
            seen[t] = True
            keep.append(c)
    cs = np.array(keep, dtype=np.int64)
    if limit is not None:
        cs = cs[:limit]
    last = _last_stop_of_trips(tt)
    rows = []
    for c in cs.tolist():
        t = int(tt.c_trip[c])
        r = int(tt.trip_route[t])
        dest = int(last[t])
        s = int(tt.c_from[c])
        rows.append({
            "departure": to_iso(tt.date, tt.timezone, int(tt.c_dep[c])),
            "name": tt.trip_name[t] or tt.route_names[r], "mode": idx.mode(int(tt.route_type[r])),
            "route": tt.route_ids[r], "route_name": tt.route_names[r], "trip": gtfs_trip_id(tt, t),
            "headsign": tt.trip_headsign[t] or (tt.stop_names[dest] if dest >= 0 else None),
            "destination_stop": tt.stop_ids[dest] if dest >= 0 else None,
            "destination_name": tt.stop_names[dest] if dest >= 0 else None,
            "destination_name_en": idx.name_in(tt.stop_ids[dest]) if dest >= 0 else None,
            **_stop_fields(tt, idx, s, "from"),
        })
    return rows


# --------------------------------------------------------------------------- commute

def commute_day(tt: Timetable, idx: PlaceIndex, home: np.ndarray, work: np.ndarray, arrive_by: int,
                leave_after: int, max_transfers: int | None = None,
                lookback: int = 4 * 3600) -> dict[str, Any]:
    """One day of a commute: the latest morning journey home -> work arriving by ``arrive_by``
    and the one before it; the earliest evening journey work -> home leaving at or after
    ``leave_after`` and the one after it. Missing ones are null."""
    from .. import router

    k = DEFAULT_MAX_TRANSFERS if max_transfers is None else max_transfers
    h, w = [int(x) for x in home], [int(x) for x in work]
    if set(h) & set(w):
        raise InputError("{home} and {work} name the same station", "home", "work")
    morning = [j for j in router.profile(tt, h, w, arrive_by - lookback, arrive_by, max_transfers=k)
               if j.arrival <= arrive_by]
    # latest departure first; at equal departure the earlier arrival
    morning = sorted(unique_journeys(morning), key=lambda j: (-j.departure, j.arrival, j.transfers))
    morning = _distinct_departures(morning)
    evening = router.profile(tt, w, h, leave_after, leave_after + lookback, max_transfers=k)
    evening = sorted(unique_journeys(evening), key=lambda j: (j.arrival, -j.departure, j.transfers))
    evening = _distinct_departures(evening)
    pick = lambda js, i: journey_dict(tt, idx, js[i]) if len(js) > i else None  # noqa: E731
    return {"date": tt.date,
            "morning": {"journey": pick(morning, 0), "alternative": pick(morning, 1)},
            "evening": {"journey": pick(evening, 0), "alternative": pick(evening, 1)}}


def _distinct_departures(js: list[Journey]) -> list[Journey]:
    """Keep the first journey of each departure time (alternatives must leave at another time)."""
    seen: set[int] = set()
    out = []
    for j in js:
        if j.departure not in seen:
            seen.add(j.departure)
            out.append(j)
    return out
