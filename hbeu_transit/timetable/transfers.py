"""Change times and footpaths of a compiled timetable: transfers.txt rules (stops, parent
stations, trips, routes; forbidden changes; trip-to-trip blocks), default change times by mode
family, walks between nearby stations, and the footpath adjacency arrays."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from ..feed.columns import strings

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..feed import Feed

__all__ = ["DEFAULT_CHANGE_SECONDS", "OTHER_CHANGE_SECONDS", "WALK_SPEED_MPS", "footpath_csr", "haversine_m",
           "near_pairs", "route_change_defaults", "stop_changes_and_footpaths"]

#: Default time to change vehicle at a stop, by mode family, when transfers.txt says nothing and
#: no --transfer-minutes is given. A stop served by several families takes the largest.
DEFAULT_CHANGE_SECONDS: dict[str, int] = {"rail": 600, "ferry": 300, "bus": 180, "trolleybus": 180}
#: Every other family (tram, subway, cable car...), and stops with no service on the date.
OTHER_CHANGE_SECONDS = 120
#: Walking speed for footpaths without a published time (straight-line distance).
WALK_SPEED_MPS = 1.2
EARTH_RADIUS_M = 6_371_008.8


def route_change_defaults(families: list[str], transfer_minutes: float | None) -> np.ndarray:
    """Default change seconds of each route (by mode family, or the user's override)."""
    if transfer_minutes is not None:
        return np.full(len(families), int(round(transfer_minutes * 60)), dtype=np.int64)
    return np.array([DEFAULT_CHANGE_SECONDS.get(f, OTHER_CHANGE_SECONDS) for f in families], dtype=np.int64)


def haversine_m(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance in metres (NaN when a coordinate is missing)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def _walk_seconds(stops: dict[str, Any], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    dist = haversine_m(stops["lat"][a], stops["lon"][a], stops["lat"][b], stops["lon"][b])
    return np.ceil(dist / WALK_SPEED_MPS)


def stop_changes_and_footpaths(feed: Feed, stops: dict[str, Any], conn: dict[str, np.ndarray], conn_default: np.ndarray,
               trip_ids: list[str], base_ids: list[str], trip_base: np.ndarray,
               transfer_minutes: float | None, walk_meters: float | None
               ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray], np.ndarray]:
    """stop_change, footpaths (from, to, seconds) and trip_transfer_block.

    Rules, most specific first: a transfers.txt row between two stops, then a row naming a
    parent station (applied to all its platforms), then the defaults. For the same stop s->s:
    type 2 (or 0) with min_transfer_time gives that time, type 1 (timed transfer) 0 s, type 3
    forbids changing (-1), otherwise the default. Between different stops: type 3 removes the
    footpath; types 0/1/2 add one lasting min_transfer_time, or the straight-line walk at
    1.2 m/s when none is given. Platforms of one station are linked both ways with the station's
    s->s time, else the default change time (the larger of the two platforms' defaults).
    walk_meters footpaths last the walk plus that default change time. Rows with trip or route
    ids: type 3 blocks those trip pairs (route rules expanded to every run of their trips, a
    blank side meaning any trip; the block holds at every stop, since the model has no stop in
    it); other types with trip or route ids, and in-seat types 4/5, are not modelled.
    """
    import pandas as pd

    n = len(stops["ids"])
    station, ltype = stops["station"], stops["ltype"]
    # default change time per stop: the largest over the modes serving it on the date
    dflt = np.full(n, -1, dtype=np.int64)
    np.maximum.at(dflt, conn["from"], conn_default)
    np.maximum.at(dflt, conn["to"], conn_default)
    fallback = OTHER_CHANGE_SECONDS if transfer_minutes is None else int(round(transfer_minutes * 60))
    st_max = np.full(n, -1, dtype=np.int64)
    np.maximum.at(st_max, station, dflt)
    # an unserved stop (a boarding area, an idle platform) takes its station's largest default
    dflt = np.where(dflt >= 0, dflt, np.where(st_max[station] >= 0, st_max[station], fallback))
    change = dflt.copy()

    # platforms (location_type 0) of each station; a plain stop is its own only platform
    is_platform = ltype == 0
    children: dict[int, list[int]] = {}
    child = np.flatnonzero(is_platform & (station != np.arange(n)))
    for c, s in zip(child.tolist(), station[child].tolist()):
        children.setdefault(s, []).append(c)

    # explicit footpath candidates: (from, to, seconds or -1 forbidden, priority)
    fa: list[np.ndarray] = []
    fb: list[np.ndarray] = []
    fd: list[np.ndarray] = []
    fprio: list[np.ndarray] = []

    blocks = np.zeros(0, dtype=np.int64)
    tr = feed.get("transfers")
    if tr is not None and not tr.empty:
        def col(name: str) -> pd.Series:
            return tr[name] if name in tr else pd.Series(pd.NA, index=tr.index, dtype="string")
        ttype = pd.to_numeric(col("transfer_type"), errors="coerce").fillna(0).astype(int).to_numpy()
        mtt = pd.to_numeric(col("min_transfer_time"), errors="coerce").to_numpy(float)
        specific = (col("from_trip_id").notna() | col("to_trip_id").notna()
                    | col("from_route_id").notna() | col("to_route_id").notna()).to_numpy()
        fs = stops["index"].get_indexer(col("from_stop_id").astype(object).where(col("from_stop_id").notna(), None))
        ts = stops["index"].get_indexer(col("to_stop_id").astype(object).where(col("to_stop_id").notna(), None))
        blocks = _trip_blocks(tr, ttype, specific, trip_ids, base_ids, trip_base, feed)

        rules: list[tuple[int, int, int, int, float]] = []  # (level, a, b, type, mtt)
        # types 4/5 (in-seat transfers) need trip ids and say nothing about walking
        for i in np.flatnonzero(~specific & (fs >= 0) & (ts >= 0) & (ttype <= 3)).tolist():
            a, b = int(fs[i]), int(ts[i])
            ca = children.get(a, [a])
            cb = children.get(b, [b])
            level = 1 if (a in children or b in children) else 0
            t, m = int(ttype[i]), float(mtt[i])
            if a == b and a in children:
                rules.append((level, a, a, t, m))
                # within a station without a time, platform pairs keep the default below
                timeless = t != 3 and math.isnan(m)
            else:
                timeless = False
            for x in ca:
                for y in cb:
                    if x == y or not timeless:
                        rules.append((level, x, y, t, m))
        if rules:
            r = pd.DataFrame(rules, columns=["level", "a", "b", "type", "mtt"])
            r = r.sort_values("level", kind="stable").drop_duplicates(["a", "b"], keep="first")
            same = r[r["a"] == r["b"]]
            for a, t, m in zip(same["a"].tolist(), same["type"].tolist(), same["mtt"].tolist()):
                if t == 3:
                    change[a] = -1
                else:
                    v = _rule_time(t, m)
                    if v is not None:
                        change[a] = int(v)
            diff = r[r["a"] != r["b"]]
            a = diff["a"].to_numpy(np.int64)
            b = diff["b"].to_numpy(np.int64)
            t = diff["type"].to_numpy()
            m = diff["mtt"].to_numpy(float)
            walk = _walk_seconds(stops, a, b)
            walk = np.where(np.isnan(walk), np.maximum(dflt[a], dflt[b]), walk)
            dur = np.where(t == 3, -1, np.where(np.isnan(m), walk, m))
            fa.append(a)
            fb.append(b)
            fd.append(dur.astype(np.int64))
            fprio.append(diff["level"].to_numpy(np.int64))

    # platforms of one station, both ways
    pa, pb = [], []
    for s, kids in children.items():
        if len(kids) > 1:
            k = np.array(kids, dtype=np.int64)
            x, y = np.meshgrid(k, k, indexing="ij")
            m = x != y
            pa.append(x[m])
            pb.append(y[m])
    if pa:
        a, b = np.concatenate(pa), np.concatenate(pb)
        fa.append(a)
        fb.append(b)
        fd.append(np.maximum(dflt[a], dflt[b]))
        fprio.append(np.full(len(a), 2, dtype=np.int64))

    if walk_meters:
        a, b, dist = near_pairs(stops, is_platform, float(walk_meters))
        fa.append(a)
        fb.append(b)
        fd.append((np.ceil(dist / WALK_SPEED_MPS) + np.maximum(dflt[a], dflt[b])).astype(np.int64))
        fprio.append(np.full(len(a), 3, dtype=np.int64))

    if fa:
        a, b, d, p = (np.concatenate(x) for x in (fa, fb, fd, fprio))
        order = np.lexsort((p, b, a))
        a, b, d, p = a[order], b[order], d[order], p[order]
        first = np.ones(len(a), dtype=bool)
        first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        keep = first & (d >= 0) & (a != b)
        fp = (a[keep], b[keep], d[keep])
    else:
        z = np.zeros(0, dtype=np.int64)
        fp = (z, z, z)
    return change.astype(np.int32), fp, blocks


def _rule_time(ttype: int, mtt: float) -> float | None:
    """The s->s change time a transfers.txt row sets (None = keep the default)."""
    if not math.isnan(mtt) and ttype in (0, 2):
        return mtt
    if ttype == 1:
        return 0.0
    return None


def _trip_blocks(tr: pd.DataFrame, ttype: np.ndarray, specific: np.ndarray, trip_ids: list[str],
                 base_ids: list[str], trip_base: np.ndarray, feed: Feed) -> np.ndarray:
    """Encoded (from_trip * n_trips + to_trip) pairs of type-3 rows naming trips or routes."""
    rows = np.flatnonzero(specific & (ttype == 3))
    n = len(trip_ids)
    if not len(rows) or not n:
        return np.zeros(0, dtype=np.int64)
    # every run/copy of a GTFS trip id, and every run of a route's trips
    by_trip: dict[str, list[int]] = {}
    for k, b in enumerate(trip_base.tolist()):
        by_trip.setdefault(base_ids[b], []).append(k)
    trips = feed.get("trips")
    route_of = dict(zip(strings(trips["trip_id"]), strings(trips["route_id"])))
    by_route: dict[str, list[int]] = {}
    for tid, ks in by_trip.items():
        by_route.setdefault(route_of.get(tid, ""), []).extend(ks)
    everyone = np.arange(n, dtype=np.int64)

    def side(trip: str, route: str) -> np.ndarray:
        if trip:
            return np.array(by_trip.get(trip, []), dtype=np.int64)
        if route:
            return np.array(by_route.get(route, []), dtype=np.int64)
        return everyone

    cols = {c: (strings(tr[c]) if c in tr else [""] * len(tr))
            for c in ("from_trip_id", "from_route_id", "to_trip_id", "to_route_id")}

    def val(name: str, i: int) -> str:
        return cols[name][i]

    out = []
    for i in rows.tolist():
        x = side(val("from_trip_id", i), val("from_route_id", i))
        y = side(val("to_trip_id", i), val("to_route_id", i))
        if len(x) and len(y):
            out.append((x[:, None] * n + y[None, :]).ravel())
    return np.unique(np.concatenate(out)) if out else np.zeros(0, dtype=np.int64)


def near_pairs(stops: dict[str, Any], candidate: np.ndarray, meters: float
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ordered pairs of distinct candidate stops within ``meters`` (grid buckets, no O(n^2))."""
    import pandas as pd

    lat, lon = stops["lat"], stops["lon"]
    idx = np.flatnonzero(candidate & np.isfinite(lat) & np.isfinite(lon))
    z = np.zeros(0, dtype=np.int64)
    if len(idx) < 2 or meters <= 0:
        return z, z, np.zeros(0)
    # a projection that never overstates distances, so true neighbours share adjacent cells
    coslat = math.cos(math.radians(min(89.0, float(np.abs(lat[idx]).max()))))
    x = lon[idx] * coslat * 110_500.0
    y = lat[idx] * 110_500.0
    cell = pd.DataFrame({"s": idx, "cx": np.floor(x / meters).astype(np.int64),
                         "cy": np.floor(y / meters).astype(np.int64)})
    parts = []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            other = cell.assign(cx=cell["cx"] + dx, cy=cell["cy"] + dy)
            parts.append(cell.merge(other, on=["cx", "cy"], suffixes=("_a", "_b"))[["s_a", "s_b"]])
    pairs = pd.concat(parts, ignore_index=True)
    a = pairs["s_a"].to_numpy(np.int64)
    b = pairs["s_b"].to_numpy(np.int64)
    m = a != b
    a, b = a[m], b[m]
    dist = haversine_m(lat[a], lon[a], lat[b], lon[b])
    m = dist <= meters
    return a[m], b[m], dist[m]


def footpath_csr(n: int, a: np.ndarray, b: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Footpath lists (from, to, seconds) -> CSR arrays sorted by (from, seconds, to)."""
    order = np.lexsort((b, d, a))
    a, b, d = a[order], b[order], d[order]
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(a, minlength=n), out=start[1:])
    return start.astype(np.int32), b.astype(np.int32), d.astype(np.int32)
