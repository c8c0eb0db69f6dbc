"""Router answers as documented JSON: journeys, legs and departure-board rows.

The router returns journeys as indices into a Timetable; this module adds what a person reads:
station names (published and English), modes, train/bus numbers, ISO 8601 times in the
agency's timezone, fares when the feed publishes them. It imports numpy and the standard
library only, so a warm-cache ``hbeu plan`` stays fast.

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
                             "number": str|null,      # the trip's or route's short name only
                             "headsign": str|null,
                             "direction": str|null, "direction_en": str|null,
                                                      # where the vehicle is heading: the trip's
                                                      # headsign, else "A → B" of the leg's stops
                             "from_stop": stop_id, "from_name": str, "from_name_en": str|null,
                             "to_stop": stop_id, "to_name": str, "to_name_en": str|null,
                             "departure": time, "arrival": time, "duration_min": int,
                             "fare": FARE|null}],
                   "service_date": "YYYY-MM-DD"}],   # of the first ride's trip (which keeps
                                          # its date past midnight); a plan short of --num goes
                                          # on into the next service dates (arrive_by: the
                                          # ones before), within 7 days
     "next_service": {"date": "YYYY-MM-DD", "departure": time, "arrival": time}|null}
                                          # no journey found: the first one leaving after
                                          # the time asked (or the window), that day or a later
                                          # service day (within 14); with arrive_by, the day's
                                          # first (arriving too late); "date": the service
                                          # date searched, the next one's for a journey
                                          # riding its night trips
    PLACE = {"query": str, "label": str, "kind": "stop"|"station"|"area", "stop_ids": [str]}
    FARE  = {"amount": number, "currency": "CNY"}

``departures --json`` gives ``{"station": PLACE, "date", "timezone", "from", "to", "notes",
"departures": [{"departure", "name", "number", "mode", "route", "route_name", "trip", "headsign",
"headsign_en", "destination_stop", "destination_name", "destination_name_en", "from_stop", "from_name",
"from_name_en"}]}``; ``commute --json`` gives ``{"home": PLACE, "work": PLACE, "arrive_by",
"leave_after", "timezone", "notes", "days": [{"date", "morning": {"journey": JOURNEY|null,
"alternative": JOURNEY|null}, "evening": {...}}]}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..places import PlaceIndex
from ..router.journey import Journey, Leg
from ..timetable.model import Timetable
from .times import to_iso, wall_seconds

__all__ = ["departure_row", "gtfs_trip_id", "journey_dict", "leg_dict", "service_date", "trip_number"]


def gtfs_trip_id(tt: Timetable, trip: int) -> str:
    """The trip_id as published (the same for every frequency run and service day of a trip)."""
    return tt.trip_ids[trip]


def _stop_fields(tt: Timetable, idx: PlaceIndex, s: int, prefix: str) -> dict[str, Any]:
    sid = tt.stop_ids[s]
    return {f"{prefix}_stop": sid, f"{prefix}_name": tt.stop_names[s] or sid,
            f"{prefix}_name_en": idx.name_in(sid)}


def _fare_dict(fare: tuple[float, str] | None) -> dict[str, Any] | None:
    return None if fare is None else {"amount": round(fare[0], 2), "currency": fare[1]}


def trip_number(tt: Timetable, idx: PlaceIndex, trip: int) -> str | None:
    """A trip's own number (trip_short_name) or its route's short name; None when the feed gives
    neither (a route known only by its long name, which may read in the other direction)."""
    r = int(tt.trip_route[trip])
    if tt.trip_name[trip] and tt.trip_name[trip] != tt.route_names[r]:
        return tt.trip_name[trip]
    return idx.route_short.get(tt.route_ids[r]) or None


def leg_dict(tt: Timetable, idx: PlaceIndex, leg: Leg, departure: int | None = None,
             arrival: int | None = None, fare: tuple[float, str] | None = None) -> dict[str, Any]:
    """One leg as JSON-ready data (see docs of ``journey_dict`` for the fields); ``fare``: a
    ride's (amount, currency), as ``journey_dict`` prices each ride with its journey."""
    dep = leg.departure if departure is None else departure
    arr = leg.arrival if arrival is None else arrival
    out: dict[str, Any] = {"mode": leg.kind if leg.kind != "ride" else "other", "route": None,
                           "route_name": None, "trip": None, "name": None, "number": None, "headsign": None,
                           "direction": None, "direction_en": None}
    if leg.kind == "ride":
        r = int(tt.trip_route[leg.trip])
        out.update(mode=idx.mode(int(tt.route_type[r])), route=tt.route_ids[r], route_name=tt.route_names[r],
                   trip=gtfs_trip_id(tt, leg.trip), name=tt.trip_name[leg.trip] or tt.route_names[r],
                   number=trip_number(tt, idx, leg.trip), headsign=tt.trip_headsign[leg.trip] or None)
    out.update(_stop_fields(tt, idx, leg.from_stop, "from"))
    out.update(_stop_fields(tt, idx, leg.to_stop, "to"))
    if leg.kind == "ride":
        if out["headsign"]:
            out.update(direction=out["headsign"], direction_en=idx.translate(out["headsign"]))
        else:
            en = (out["from_name_en"] or out["from_name"], out["to_name_en"] or out["to_name"])
            out.update(direction=f"{out['from_name']} → {out['to_name']}", direction_en=f"{en[0]} → {en[1]}")
    out.update(departure=to_iso(tt.date, tt.timezone, dep), arrival=to_iso(tt.date, tt.timezone, arr),
               duration_min=round((arr - dep) / 60), fare=_fare_dict(fare))
    return out


def journey_dict(tt: Timetable, idx: PlaceIndex, j: Journey) -> dict[str, Any]:
    """A journey as documented JSON.

    ``departure``/``arrival``: ISO 8601 with the agency's UTC offset, from leaving the origin
    (a walk before the first ride is timed to end as that ride leaves) to reaching the
    destination; ``duration_min``; ``transfers`` (rides - 1); ``fare`` ({amount, currency}, the
    sum of the rides' fares when every ride's fare is known, else null; a Fares v1 ticket whose
    transfers allow it pays for several rides at once, Fares v2 transfer rules price the changes:
    ``PlaceIndex.journey_fares``); ``legs``: rides
    (``mode`` rail/bus/..., ``route`` route_id, ``trip`` trip_id, ``name`` train/bus number,
    ``headsign``) and walks between different stops (``mode`` "walk" or "transfer", no
    route/trip/name), each with from/to stop ids and names, departure, arrival, duration and fare.
    Changing vehicle at the same stop is not a leg. ``service_date``: the GTFS service date of
    the first ride's trip (``service_date``), which a trip past midnight keeps (a plan paging on
    into the next dates shows which date each journey is of).
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
    end = j.arrival
    rides = [lg for lg in legs if lg.kind == "ride"]
    seated, n = [], 0   # the rides the rider stays aboard for (a "seat" leg before them: no change)
    for before, lg in zip([None, *j.legs], j.legs):
        if lg.kind == "ride":
            if before is not None and before.kind == "seat":
                seated.append(n)
            n += 1
    # the journey's fare and each ride's, the fare rules matched once for both: fare timeframes
    # read the wall clock, transfer_duration and duration_limit real seconds
    total, each = idx.journey_fares([(tt.route_ids[int(tt.trip_route[lg.trip])], tt.stop_ids[lg.from_stop],
                                      tt.stop_ids[lg.to_stop], wall_seconds(tt.date, tt.timezone, lg.departure),
                                      wall_seconds(tt.date, tt.timezone, lg.arrival))
                                     for lg in rides], tt.date, [lg.departure for lg in rides], seated,
                                    [lg.arrival for lg in rides])
    fares = iter(each)   # the rides' in order
    out_legs = pre + [leg_dict(tt, idx, lg, fare=next(fares) if lg.kind == "ride" else None)
                      for lg in legs[first_ride:]]
    return {"departure": to_iso(tt.date, tt.timezone, start), "arrival": to_iso(tt.date, tt.timezone, end),
            "duration_min": round((end - start) / 60), "transfers": j.transfers, "fare": _fare_dict(total),
            "legs": out_legs, "service_date": service_date(tt, rides[0].trip if rides else None)}


def service_date(tt: Timetable, trip: int | None) -> str:
    """The GTFS service date of trip ``trip`` of ``tt`` (``tt``'s date, a day before it for a trip
    of an earlier day still running, the day after for a night trip of the next date:
    ``trip_day``); ``tt``'s date for None."""
    if trip is None or not tt.trip_day[trip]:
        return tt.date
    return (dt.date.fromisoformat(tt.date) + dt.timedelta(days=int(tt.trip_day[trip]))).isoformat()


def departure_row(tt: Timetable, idx: PlaceIndex, c: int, last) -> dict[str, Any]:
    """A departure-board row for connection ``c`` (its trip's final stop from ``last``)."""
    t = int(tt.c_trip[c])
    r = int(tt.trip_route[t])
    dest = int(last[t])
    s = int(tt.c_from[c])
    return {
        "departure": to_iso(tt.date, tt.timezone, int(tt.c_dep[c])),
        "name": tt.trip_name[t] or tt.route_names[r], "mode": idx.mode(int(tt.route_type[r])),
        "route": tt.route_ids[r], "route_name": tt.route_names[r], "trip": gtfs_trip_id(tt, t),
        "number": trip_number(tt, idx, t),
        "headsign": tt.trip_headsign[t] or (tt.stop_names[dest] if dest >= 0 else None),
        "headsign_en": idx.translate(tt.trip_headsign[t] or (tt.stop_names[dest] if dest >= 0 else None)),
        "destination_stop": tt.stop_ids[dest] if dest >= 0 else None,
        "destination_name": tt.stop_names[dest] if dest >= 0 else None,
        "destination_name_en": idx.name_in(tt.stop_ids[dest]) if dest >= 0 else None,
        **_stop_fields(tt, idx, s, "from"),
    }
