"""The place index on disk: distilled once from a loaded feed (pandas, on a cache miss) into a
small file (``marshal`` of plain dicts and lists) keyed by the feed content, read back with the standard library only."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ..errors import FeedError
from ..feed.columns import column
from .fares import fare_tables
from .names import INDEX_VERSION, PlaceIndex, Station

__all__ = ["build_index", "feed_key", "index_path", "load_index"]


def feed_key(paths: list[Path], area_csv: str | Path | None = None, cache_dir: Path | None = None) -> str:
    """The index's cache key: ``cache.feeds_digest`` (feed names, order, contents, areas CSV),
    as the timetable cache key, so both caches follow the same inputs (no pandas)."""
    from ..cache import feeds_digest

    for p in map(Path, paths):
        if not p.exists():
            raise FeedError.missing(p)
    h = hashlib.sha256(f"places-v{INDEX_VERSION};{feeds_digest(paths, area_csv, cache_dir)}".encode())
    return h.hexdigest()[:20]


def index_path(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / f"places-{key}.idx"


def load_index(paths: list[Path], cache_dir: Path | None, feed_loader=None,
               area_csv: str | Path | None = None) -> PlaceIndex:
    """The place index of these feeds: from the cache when there, else built and saved.

    ``feed_loader()`` returns the merged Feed on a miss (so the caller can share one read with
    the timetable compiler); by default the feeds are loaded here. ``area_csv`` (columns
    stop_id,area) replaces the feeds' own city grouping; its content is part of the cache key.
    """
    key = feed_key(paths, area_csv, cache_dir)
    path = index_path(cache_dir, key) if cache_dir is not None else None
    if path is not None:
        idx = PlaceIndex.load(path)
        if idx is not None and idx.feed_key == key:
            return idx
    if feed_loader is None:
        from ..feed import load_feeds

        feed = load_feeds(list(paths))
    else:
        feed = feed_loader()
    idx = build_index(feed, key, area_csv)
    if path is not None:
        try:
            idx.save(path)
        except OSError:
            pass  # a read-only cache only costs speed
    return idx


def _translations(feed) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """translations.txt -> (by stop_id, by stop_name value, by area_id|area name) {lang: text}."""
    tr = feed.get("translations")
    by_id: dict[str, dict[str, str]] = {}
    by_value: dict[str, dict[str, str]] = {}
    areas: dict[str, dict[str, str]] = {}
    if tr is None or tr.empty:
        return by_id, by_value, areas
    rows = zip(column(tr, "table_name"), column(tr, "field_name"), column(tr, "language"),
               column(tr, "translation"), column(tr, "record_id"), column(tr, "field_value"))
    for table, fld, lang, text, rid, value in rows:
        if not text:
            continue
        if table == "stops" and fld == "stop_name":
            target = by_id.setdefault(rid, {}) if rid else by_value.setdefault(value, {})
            target.setdefault(lang, text)
        elif table == "areas" and fld == "area_name":
            areas.setdefault(rid or value, {}).setdefault(lang, text)
    return by_id, by_value, areas


def _service_dates(feed) -> list[str]:
    """Every date on which at least one trip's service runs (as `feed.default_date` counts them)."""
    from ..feed.service import dates_with_trips

    return dates_with_trips(feed.get("calendar"), feed.get("calendar_dates"), feed.get("trips"))


def build_index(feed, key: str, area_csv: str | Path | None = None) -> PlaceIndex:
    """Distil a loaded Feed into a PlaceIndex (runs on a cache miss; pandas is loaded then).
    ``area_csv``: the user's stop_id,area file, instead of the feed's areas (FeedError when bad)."""
    from ..feed.areas import stop_areas
    from ..feed.modes import mode_name

    stops = feed.get("stops")
    sid, sname = column(stops, "stop_id"), column(stops, "stop_name")
    ltype = [x.strip() or "0" for x in column(stops, "location_type")]
    parent = column(stops, "parent_station")
    lat, lon = column(stops, "stop_lat"), column(stops, "stop_lon")
    tr_id, tr_value, tr_area = _translations(feed)

    def names_of(stop: str, name: str) -> dict[str, str]:
        out = dict(tr_value.get(name, {}))
        out.update(tr_id.get(stop, {}))
        return out

    ar = stop_areas(feed, area_csv)
    area_of = {s: (a, n) for s, a, n in zip(ar["stop_id"].tolist(), ar["area_id"].tolist(),
                                             ar["area_name"].tolist())}
    # modes per stop, from the trips that call there
    routes, trips, st = feed.get("routes"), feed.get("trips"), feed.get("stop_times")
    rtype = dict(zip(column(routes, "route_id"), column(routes, "route_type")))
    mode_of_route_type = {}
    for t in set(rtype.values()):
        try:
            mode_of_route_type[str(int(t))] = mode_name(int(t))
        except ValueError:
            pass
    trip_mode = {t: mode_of_route_type.get(str(int(rtype[r])) if rtype.get(r, "").strip().isdigit() else "", "other")
                 for t, r in zip(column(trips, "trip_id"), column(trips, "route_id"))}
    pairs = st[["stop_id", "trip_id"]].drop_duplicates()
    stop_modes: dict[str, set[str]] = {}
    for s, t in zip(pairs["stop_id"].astype(str).tolist(), pairs["trip_id"].astype(str).tolist()):
        stop_modes.setdefault(s, set()).add(trip_mode.get(t, "other"))

    stations: dict[str, Station] = {}
    stop_parent: dict[str, str] = {}
    stop_names: dict[str, dict[str, str]] = {}
    row_of: dict[str, int] = {}

    def own_station(i: int) -> Station:
        a_id, a_name = area_of.get(sid[i], (sid[i], sname[i]))
        return Station(id=sid[i], name=sname[i], names=names_of(sid[i], sname[i]), area=a_name, area_id=a_id,
                       modes=[], stops=[sid[i]], lat=_float(lat[i]), lon=_float(lon[i]))

    for i, s in enumerate(sid):
        if ltype[i] not in ("0", "1"):
            continue  # entrances, nodes, boarding areas: not places one names
        stop_names[s] = {"": sname[i], **names_of(s, sname[i])}
        if ltype[i] == "0" and parent[i]:
            stop_parent[s] = parent[i]
            row_of[s] = i
            continue
        stations[s] = own_station(i)
    for child, par in list(stop_parent.items()):
        if par in stations:
            stations[par].stops.append(child)
        else:  # a parent that is not a station (an entrance, a missing id): the child is its own
            del stop_parent[child]
            stations[child] = own_station(row_of[child])
    named = {(s.area_id, s.name): s.names for s in stations.values() if s.names}
    for s in stations.values():
        s.modes = sorted({m for x in s.stops for m in stop_modes.get(x, ())})
        if not s.names and (s.area_id, s.name) in named:  # the bus stop outside a translated station
            s.names = dict(named[(s.area_id, s.name)])
    served = [s for s in stations.values() if s.modes]  # drop stations no trip calls at
    child_modes = {c: sorted(stop_modes[c]) for c in stop_parent if c in stop_modes}
    areas: dict[str, dict[str, Any]] = {}
    for s in served:
        if s.area_id not in areas:
            names = dict(tr_area.get(s.area_id, {}) or tr_area.get(s.area, {}))
            if s.area_id == s.id:  # the station is its own area: share its translations
                names = {**s.names, **names}
            areas[s.area_id] = {"name": s.area, "names": names}
    return PlaceIndex(feed_key=key, timezone=feed.timezone, stations=served, areas=areas,
                      stop_names=stop_names, stop_parent=stop_parent,
                      service_dates=_service_dates(feed), mode_of_route_type=mode_of_route_type,
                      fares=fare_tables(feed, sid), child_modes=child_modes,
                      route_short={r: n.strip() for r, n in zip(column(routes, "route_id"),
                                                                column(routes, "route_short_name")) if n.strip()},
                      sources=list(feed.sources))


def _float(x: str) -> float | None:
    try:
        return float(x)
    except ValueError:
        return None
