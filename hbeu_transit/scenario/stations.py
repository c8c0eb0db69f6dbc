"""Stations named in a scenario: existing ones by id or name, new ones added with coordinates.

A name must match exactly (published name or a translation, ignoring case): a scenario is a
planning document, and a forgiven typo that silently picks another station would be worse than
an error naming the field.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from .model import NewStation, ScenarioError, StationRef
from .tables import Tables, append_rows, strs


@dataclass(frozen=True)
class Station:
    """An existing (or just added) station: its id, the stops that belong to it, a point."""

    id: str
    stops: tuple[str, ...]        # the station itself and its child platforms/stops
    boardable: tuple[str, ...]    # stops a trip may call at (location_type 0/blank)
    name: str
    lat: float
    lon: float

    def platform(self, tables: Tables, direction: str, route_type: int | None = None) -> str:
        """The stop a new call uses: the platform most used by trips of the same mode family
        (rail trains do not stop at the coach bays of a shared station) and direction, else of
        that family, else the first boardable stop (by id)."""
        if len(self.boardable) == 1:
            return self.boardable[0]
        if not self.boardable:
            raise ValueError(f"station {self.id} has no stop a trip can call at")
        from ..feed.modes import mode_family

        st, trips, routes = tables["stop_times"], tables["trips"], tables["routes"]
        calls = st[st["stop_id"].isin(self.boardable)]
        fam = {r: mode_family(int(t)) for r, t in zip(strs(routes, "route_id"), strs(routes, "route_type"))}
        want = mode_family(route_type) if route_type is not None else None
        info = {t: (d, fam.get(r)) for t, d, r in zip(strs(trips, "trip_id"),
                                                       strs(trips, "direction_id") or [""] * len(trips),
                                                       strs(trips, "route_id"))}
        pairs = [(s, info.get(t, ("", None))) for s, t in zip(strs(calls, "stop_id"), strs(calls, "trip_id"))]
        for keep in (lambda d, f: d == direction and f == want, lambda d, f: f == want):
            used = Counter(s for s, (d, f) in pairs if keep(d, f) or want is None and d == direction)
            if used:
                return sorted(used.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        return sorted(self.boardable)[0]


def _location_types(stops: pd.DataFrame) -> list[str]:
    return strs(stops, "location_type") or [""] * len(stops)


def find_station(tables: Tables, ref: str, where: str) -> Station:
    """The station ``ref`` names: a stop_id (a platform id means that platform only), or an exact
    station name or translated name. Unknown or ambiguous names raise, naming ``where``."""
    stops = tables["stops"]
    ids, names = strs(stops, "stop_id"), strs(stops, "stop_name")
    parent = strs(stops, "parent_station") or [""] * len(stops)
    ltype = _location_types(stops)
    row = {s: i for i, s in enumerate(ids)}
    if ref in row:
        i = row[ref]
        if ltype[i] in ("", "0") and parent[i]:
            return _station(tables, [i], ids[i])   # a named platform: that stop only
        return _station(tables, [i] + [k for k, p in enumerate(parent) if p == ref], ids[i])
    key = ref.casefold()
    en = _translated(tables)
    hits = sorted({i for i, n in enumerate(names)
                   if not parent[i] and ltype[i] in ("", "0", "1")
                   and (n.casefold() == key or en.get(ids[i], "").casefold() == key
                        or en.get("\0" + n, "").casefold() == key)})
    if not hits:
        raise ScenarioError(where, f"unknown station {ref!r} (give a stop_id or the exact station name)")
    if len(hits) > 1:
        raise ScenarioError(where, f"station name {ref!r} is ambiguous: {', '.join(ids[i] for i in hits)}")
    sid = ids[hits[0]]
    return _station(tables, [hits[0]] + [k for k, p in enumerate(parent) if p == sid], sid)


def _translated(tables: Tables) -> dict[str, str]:
    """stop_id (or "\\0" + stop_name) -> a translation of the name, for matching English names."""
    tr = tables.get("translations")
    out: dict[str, str] = {}
    if tr is None:
        return out
    for t, f, text, rid, val in zip(strs(tr, "table_name"), strs(tr, "field_name"), strs(tr, "translation"),
                                    strs(tr, "record_id") or [""] * len(tr), strs(tr, "field_value") or [""] * len(tr)):
        if t == "stops" and f == "stop_name" and text:
            out.setdefault(rid if rid else "\0" + val, text)
    return out


def _station(tables: Tables, rows: list[int], sid: str) -> Station:
    stops = tables["stops"]
    ids, ltype = strs(stops, "stop_id"), _location_types(stops)
    lat, lon = coordinates(stops, "stop_lat"), coordinates(stops, "stop_lon")
    members = tuple(ids[i] for i in rows)
    board = tuple(ids[i] for i in rows if ltype[i] in ("", "0"))
    return Station(id=sid, stops=members, boardable=board, name=strs(stops, "stop_name")[rows[0]],
                   lat=float(lat[rows[0]]), lon=float(lon[rows[0]]))


def coordinates(stops: pd.DataFrame, col: str) -> list[float]:
    """A coordinate column as floats, NaN where blank or not a number (a stop may have none)."""
    if col not in stops:
        return [float("nan")] * len(stops)
    return pd.to_numeric(stops[col], errors="coerce").to_numpy(dtype="float64", na_value=float("nan")).tolist()


def no_coordinates(where: str, stations: list[Station], what: str) -> None:
    """ScenarioError naming ``where`` when one of ``stations`` has no coordinates."""
    import math

    bad = next((s for s in stations if not (math.isfinite(s.lat) and math.isfinite(s.lon))), None)
    if bad is not None:
        raise ScenarioError(where, f"station {bad.id!r} has no coordinates in stops.txt: {what}")


def find_area_ids(tables: Tables, ref: str, where: str) -> set[str]:
    """Area ids named by ``ref``: an area_id, or every area with that name (rail and bus feeds
    may both have a "Baotou"), or a translated name."""
    areas = tables.get("areas")
    if areas is None or areas.empty:
        raise ScenarioError(where, "the feed has no areas.txt")
    ids, names = strs(areas, "area_id"), strs(areas, "area_name") or [""] * len(areas)
    if ref in ids:
        return {ref}
    key = ref.casefold()
    tr = tables.get("translations")
    other: dict[str, set[str]] = {}
    if tr is not None:
        for t, text, rid in zip(strs(tr, "table_name"), strs(tr, "translation"), strs(tr, "record_id")):
            if t == "areas" and text:
                other.setdefault(text.casefold(), set()).add(rid)
    hits = {a for a, n in zip(ids, names) if n.casefold() == key} | (other.get(key, set()) & set(ids))
    if not hits:
        raise ScenarioError(where, f"unknown area {ref!r} (known: {', '.join(sorted(set(names) or set(ids)))})")
    return hits


def add_station(tables: Tables, new: NewStation, where: str) -> tuple[Tables, Station]:
    """Add a new station as one plain stop (with its area and English name when given)."""
    if new.id in set(strs(tables["stops"], "stop_id")):
        raise ScenarioError(where, f"new station id {new.id!r} already exists in stops.txt")
    out = dict(tables)
    out["stops"] = append_rows(tables["stops"], [{"stop_id": new.id, "stop_name": new.name,
                                                  "stop_lat": f"{new.lat:.6f}", "stop_lon": f"{new.lon:.6f}",
                                                  "location_type": "0"}])
    if new.area is not None:
        area = sorted(find_area_ids(tables, new.area, where))
        out["stop_areas"] = append_rows(tables.get("stop_areas"), [{"area_id": area[0], "stop_id": new.id}])
    if new.name_en:
        out["translations"] = append_rows(tables.get("translations"), [{
            "table_name": "stops", "field_name": "stop_name", "language": "en", "translation": new.name_en,
            "record_id": new.id}])
    return out, Station(id=new.id, stops=(new.id,), boardable=(new.id,), name=new.name, lat=new.lat, lon=new.lon)


def station_or_new(tables: Tables, ref: StationRef, where: str) -> tuple[Tables, Station]:
    """Resolve an existing station, or add a new one."""
    if isinstance(ref, NewStation):
        return add_station(tables, ref, where)
    return tables, find_station(tables, ref, where)

