"""`hbeu info`: what a loaded feed holds, as plain data (rendered by the CLI)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from ..feed import Feed, active_services, service_date_range
from ..feed.modes import mode_name
from ..feed.stoptimes import frequency_run_counts, parse_numbers
from ..feed.times import parse_time_column


def _agency_translations(feed: Feed) -> dict[str, dict[str, str]]:
    """translations.txt's agency_name rows: {agency_id, or "=" + the published name: {language: text}}."""
    from ..feed.columns import column

    tr = feed.get("translations")
    out: dict[str, dict[str, str]] = {}
    if tr is None or tr.empty:
        return out
    for table, fld, lang, text, rid, value in zip(*(column(tr, c) for c in (
            "table_name", "field_name", "language", "translation", "record_id", "field_value"))):
        if table == "agency" and fld == "agency_name" and text:
            out.setdefault(rid or f"={value}", {}).setdefault(lang, text)
    return out


def _agency_name(row: dict[str, Any], translated: dict[str, dict[str, str]]) -> dict[str, str | None]:
    """An agency's name as published and in English (None when the feed has no English name),
    by the rule every table names places with (``places.names.bilingual``)."""
    from ..places.names import bilingual

    published = row.get("agency_name")
    if not isinstance(published, str):
        return {"name": published, "name_en": None}
    aid = row.get("agency_id")
    names = translated.get(aid if isinstance(aid, str) else "", {}) or translated.get(f"={published}", {})
    _, en = bilingual(published, names)
    return {"name": published, "name_en": en}


def frequency_runs(frequencies: pd.DataFrame | None) -> pd.Series:
    """trip_id -> number of vehicle runs that frequencies.txt makes of that trip."""
    if frequencies is None or frequencies.empty:
        return pd.Series(dtype="int64")
    start = parse_time_column(frequencies["start_time"], "frequencies.txt", "start_time")
    end = parse_time_column(frequencies["end_time"], "frequencies.txt", "end_time")
    runs = frequency_run_counts(start, end, parse_numbers(frequencies["headway_secs"]))
    return pd.Series(runs, index=frequencies["trip_id"].to_numpy()).groupby(level=0).sum()


#: What ``stations`` counts, here and in `hbeu stations` (the place index): the places one boards.
STATION_RULE = "parent stations, and stops without a parent station, where a trip calls"


def served_stations(stops: pd.DataFrame, stop_times: pd.DataFrame) -> int:
    """How many stations trips call at, as the place index counts them (STATION_RULE): a stop
    counts for its parent station when it has one that is a station, else for itself."""
    lt = pd.to_numeric(stops.get("location_type", pd.Series(0, index=stops.index)), errors="coerce").fillna(0)
    ids = stops["stop_id"].astype(str)
    parent = stops["parent_station"].astype("string").fillna("") if "parent_station" in stops \
        else pd.Series("", index=stops.index)
    is_station = set(ids[lt == 1])
    has_parent = (lt == 0) & parent.isin(is_station)
    station_of = dict(zip(ids, parent.where(has_parent, ids)))
    boardable = set(ids[lt.isin([0, 1])])
    called = {station_of[s] for s in pd.unique(stop_times["stop_id"].astype(str)) if s in boardable}
    return len(called)


def _iso(ymd: str | None) -> str | None:
    """A GTFS date (YYYYMMDD) as ISO 8601; anything else as it is."""
    if ymd and len(ymd) == 8 and ymd.isdigit():
        return f"{ymd[:4]}-{ymd[4:6]}-{ymd[6:]}"
    return ymd


def feed_summary(feed: Feed, date: dt.date) -> dict[str, Any]:
    """Agencies, stops and stations, routes and trips by mode, service dates and versions."""
    stops, routes, trips = feed.stops, feed.routes, feed.trips
    lt = pd.to_numeric(stops.get("location_type", pd.Series(0, index=stops.index)), errors="coerce").fillna(0)
    route_mode = routes.set_index("route_id")["route_type"].astype(int).map(mode_name)
    services = active_services(feed.calendar, feed.calendar_dates, date)
    day_trips = trips[trips["service_id"].isin(services)]
    runs = frequency_runs(feed.frequencies)
    weight = day_trips["trip_id"].map(runs).fillna(1).astype(int)
    by_mode = weight.groupby(day_trips["route_id"].map(route_mode).to_numpy()).sum()
    rng = service_date_range(feed.calendar, feed.calendar_dates)
    agency = feed.agency
    translated = _agency_translations(feed)
    return {
        "feeds": [{"name": s.name, "path": s.path, "feed_version": s.feed_version,
                   "publisher": s.publisher, "id_prefix": s.prefix or None,
                   "start_date": _iso(s.start_date), "end_date": _iso(s.end_date)} for s in feed.sources],
        "agencies": [{"agency_id": (r.get("agency_id") if pd.notna(r.get("agency_id")) else None),
                      **_agency_name(r, translated), "timezone": r.get("agency_timezone")}
                     for r in agency.to_dict("records")],
        "stops": int((lt == 0).sum()),
        "stations": served_stations(stops, feed.stop_times),
        "stations_counted": STATION_RULE,
        "routes_by_mode": {k: int(v) for k, v in route_mode.value_counts().sort_index().items()},
        "date": date.isoformat(),
        "trips_on_date_by_mode": {k: int(v) for k, v in by_mode.sort_index().items()},
        "trips_on_date": int(weight.sum()),
        "service_start": rng[0].isoformat() if rng else None,
        "service_end": rng[1].isoformat() if rng else None,
    }
