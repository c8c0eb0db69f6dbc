"""Small operations on the merged feed's tables shared by the modifications.

Every modification is a function ``(tables, modification, where) -> tables`` on a dict of
DataFrames of strings (as ``feed.load`` gives them); nothing is changed in place, so the input
feed stays as it was and an empty scenario returns equal tables.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..feed.times import parse_time_column
from .model import ScenarioError, Selection

Tables = dict[str, pd.DataFrame]

#: feed_name of the rows a scenario adds (the merged feed's provenance column).
SCENARIO_FEED = "scenario"


def clock(seconds: float) -> str:
    """Seconds after midnight -> GTFS "HH:MM:SS" (hours may exceed 24)."""
    t = int(round(seconds))
    return f"{t // 3600:02d}:{t % 3600 // 60:02d}:{t % 60:02d}"


def strs(df: pd.DataFrame | None, col: str) -> list[str]:
    """A column as plain strings ("" for missing), or [] when the table or column is absent."""
    if df is None or col not in df:
        return []
    return ["" if pd.isna(v) else str(v) for v in df[col].tolist()]


def append_rows(df: pd.DataFrame | None, rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """``df`` with ``rows`` added at the end (new columns added as blanks; dtypes kept)."""
    if not rows:
        return df if df is not None else pd.DataFrame()
    new = pd.DataFrame([{k: (None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))
                             else str(v)) for k, v in r.items()} for r in rows])
    if "feed_name" not in new:
        new["feed_name"] = SCENARIO_FEED
    if df is None:
        return new.astype(object)
    cols = list(df.columns) + [c for c in new.columns if c not in df.columns]
    new = new.reindex(columns=cols)
    old = df.reindex(columns=cols)
    for c in cols:
        if c in df.columns and str(df[c].dtype) == "string":
            new[c] = new[c].astype("string")
        elif c not in df.columns:
            old[c] = old[c].astype(new[c].dtype if c in new else object)
    return pd.concat([old, new], ignore_index=True)


def stop_times_sorted(tables: Tables) -> pd.DataFrame:
    """stop_times with float seconds columns ``arr``/``dep`` and an integer ``seq``, in trip order."""
    st = tables["stop_times"].copy()
    st["arr"] = parse_time_column(st["arrival_time"], "stop_times.txt", "arrival_time") \
        if "arrival_time" in st else np.nan
    st["dep"] = parse_time_column(st["departure_time"], "stop_times.txt", "departure_time") \
        if "departure_time" in st else np.nan
    st["seq"] = pd.to_numeric(st["stop_sequence"], errors="coerce")
    return st.sort_values(["trip_id", "seq"], kind="mergesort")


def first_departures(tables: Tables, st: pd.DataFrame | None = None) -> dict[str, float]:
    """trip_id -> departure from its first timed stop (seconds); ``st`` from stop_times_sorted."""
    st = stop_times_sorted(tables) if st is None else st
    t = st["dep"].where(st["dep"].notna(), st["arr"])
    timed = st.loc[t.notna(), "trip_id"].astype(str)
    first = t[t.notna()].groupby(timed.to_numpy(), sort=False).first()
    return {str(k): float(v) for k, v in first.items()}


def write_times(st: pd.DataFrame, rows: pd.Index, arr: np.ndarray, dep: np.ndarray) -> None:
    """Set arrival/departure text of ``rows`` from seconds (NaN stays blank), in place on ``st``."""
    st.loc[rows, "arrival_time"] = [None if math.isnan(a) else clock(a) for a in arr]
    st.loc[rows, "departure_time"] = [None if math.isnan(d) else clock(d) for d in dep]


def selected_trips(tables: Tables, sel: Selection, where: str, *, default_all: bool = False) -> list[str]:
    """Trip ids chosen by a selection, in the trips table's order; unknown ids raise."""
    trips = tables["trips"]
    tid, rid = strs(trips, "trip_id"), strs(trips, "route_id")
    known_routes = set(strs(tables["routes"], "route_id"))
    for r in sel.routes:
        if r not in known_routes:
            raise ScenarioError(f"{where} field 'routes'", f"unknown route {r!r}{_nearby(r, known_routes)}")
    known_trips = set(tid)
    for t in sel.trips:
        if t not in known_trips:
            raise ScenarioError(f"{where} field 'trips'", f"unknown trip {t!r}{_nearby(t, known_trips)}")
    if not sel.routes and not sel.trips:
        return tid if default_all else []
    routes, wanted = set(sel.routes), set(sel.trips)
    return [t for t, r in zip(tid, rid) if r in routes or t in wanted]


def _nearby(value: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, sorted(known), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def _drop_referring(tables: Tables, ids: set[str], refs: tuple[tuple[str, tuple[str, ...]], ...],
                    table_name: str) -> Tables:
    """The tables without the rows whose ``refs`` columns name one of ``ids`` (and their translations)."""
    out = dict(tables)
    for name, cols in refs:
        df = out.get(name)
        if df is None:
            continue
        keep = np.ones(len(df), dtype=bool)
        for c in cols:
            if c in df:
                keep &= ~df[c].isin(ids).to_numpy()
        if not keep.all():
            out[name] = df[keep].reset_index(drop=True)
    out["translations"] = _drop_translations(out.get("translations"), table_name, ids)
    return {k: v for k, v in out.items() if v is not None}


def drop_trips(tables: Tables, trips: set[str]) -> Tables:
    """The tables without these trips and every row that refers to them."""
    if not trips:
        return tables
    return _drop_referring(tables, trips, (
        ("trips", ("trip_id",)), ("stop_times", ("trip_id",)), ("frequencies", ("trip_id",)),
        ("transfers", ("from_trip_id", "to_trip_id")), ("attributions", ("trip_id",))), "trips")


def drop_routes(tables: Tables, routes: set[str]) -> Tables:
    """The tables without these routes, their trips and every row that refers to them."""
    if not routes:
        return tables
    trips = tables["trips"]
    out = drop_trips(tables, set(strs(trips[trips["route_id"].isin(routes)], "trip_id")))
    return _drop_referring(out, routes, (
        ("routes", ("route_id",)), ("route_networks", ("route_id",)), ("fare_rules", ("route_id",)),
        ("transfers", ("from_route_id", "to_route_id")), ("attributions", ("route_id",))), "routes")


def _drop_translations(tr: pd.DataFrame | None, table: str, ids: set[str]) -> pd.DataFrame | None:
    if tr is None or "record_id" not in tr or "table_name" not in tr:
        return tr
    gone = (tr["table_name"] == table) & tr["record_id"].isin(ids)
    return tr[~gone.to_numpy()].reset_index(drop=True) if gone.any() else tr


def group_key(trips: pd.DataFrame, trip_ids: Sequence[str]) -> dict[str, tuple[str, str, str]]:
    """trip_id -> (route_id, direction_id, service_id): the groups thin/set_headway work within."""
    sub = trips[trips["trip_id"].isin(set(trip_ids))]
    d = strs(sub, "direction_id") or [""] * len(sub)
    return {t: (r, di, s) for t, r, di, s in zip(strs(sub, "trip_id"), strs(sub, "route_id"), d,
                                                 strs(sub, "service_id"))}



def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (the timetable's haversine)."""
    from ..timetable import haversine_m

    return float(haversine_m(np.array([lat1]), np.array([lon1]), np.array([lat2]), np.array([lon2]))[0]) / 1000.0
