"""Change times and footpaths of a compiled timetable: transfers.txt rules (stops, parent
stations, trips, routes; forbidden, timed and in-seat changes; block_id continuations), default change times by mode
family, walks between nearby stations, and the footpath adjacency arrays."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from ..feed.columns import strings
from .model import IN_SEAT

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
#: The longest layover (seconds) after which a block's next trip still carries its riders in seat.
#: A longer pause is a vehicle parked, not a seat anyone keeps: HART reuses each block_id every
#: weekday, and its last trip of a day (to 24:41) and first of the next (from 05:05) are four
#: hours apart, while its same-day continuations wait 32 min at most. (TransitApp's
#: gtfs-blocks-to-transfers takes a trip as continued only within 20 min, in seat within 10.)
BLOCK_LAYOVER_MAX = 3600
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


def stop_changes_and_footpaths(feed: Feed, stops: dict[str, Any], conn: dict[str, np.ndarray],
                               conn_default: np.ndarray, base_ids: list[str], trip_base: np.ndarray,
                               trip_day: np.ndarray, trip_run_start: np.ndarray,
                               transfer_minutes: float | None, walk_meters: float | None,
                               day_shifts: dict[int, int]) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, ...]]:
    """stop_change, footpaths (from, to, seconds) and the trip transfer rules (``_trip_rules``).

    Rules, most specific first: a transfers.txt row between two stops, then a row naming a
    parent station (applied to all its platforms), then the defaults. For the same stop s->s:
    type 2 (or 0) with min_transfer_time gives that time, type 1 (timed transfer) 0 s, type 3
    forbids changing (-1), otherwise the default. Between different stops: type 3 removes the
    footpath; types 0/1/2 add one lasting min_transfer_time, or the straight-line walk at
    1.2 m/s when none is given. Platforms of one station are linked both ways with the station's
    s->s time, else the default change time (the larger of the two platforms' defaults).
    walk_meters footpaths last the walk plus that default change time. Rows with trip or route
    ids, in-seat transfers and block_id continuations become trip transfer rules.

    ``transfer_minutes`` is the rider's buffer: it replaces the default change times and is
    added to every time transfers.txt gives (same-stop times, footpaths, trip rules; a timed
    transfer, type 1, then takes just the buffer).
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

    buffer = 0 if transfer_minutes is None else int(round(transfer_minutes * 60))
    trip_rules = _trip_rules(None, np.zeros(0, dtype=int), np.zeros(0), np.zeros(0, dtype=bool), stops, conn,
                             base_ids, trip_base, trip_day, trip_run_start, feed, buffer, day_shifts)
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
        trip_rules = _trip_rules(tr, ttype, mtt, specific, stops, conn, base_ids, trip_base, trip_day,
                                 trip_run_start, feed, buffer, day_shifts)

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
                        change[a] = int(v) + buffer
            diff = r[r["a"] != r["b"]]
            a = diff["a"].to_numpy(np.int64)
            b = diff["b"].to_numpy(np.int64)
            t = diff["type"].to_numpy()
            m = diff["mtt"].to_numpy(float)
            walk = _walk_seconds(stops, a, b)
            walk = np.where(np.isnan(walk), np.maximum(dflt[a], dflt[b]), walk)
            dur = np.where(t == 3, -1, np.where(np.isnan(m), walk, m) + buffer)
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
    return change.astype(np.int32), fp, trip_rules


def _rule_time(ttype: int, mtt: float) -> float | None:
    """The s->s change time a transfers.txt row sets (None = keep the default)."""
    if not math.isnan(mtt) and ttype in (0, 2):
        return mtt
    if ttype == 1:
        return 0.0
    return None


def _trip_rules(tr: pd.DataFrame | None, ttype: np.ndarray, mtt: np.ndarray, specific: np.ndarray,
                stops: dict[str, Any], conn: dict[str, np.ndarray], base_ids: list[str],
                trip_base: np.ndarray, trip_day: np.ndarray, trip_run_start: np.ndarray,
                feed: Feed, buffer: int, day_shifts: dict[int, int]) -> tuple[np.ndarray, ...]:
    """Trip transfer rules (``timetable.model``): (key, from stop, to stop, seconds) arrays.
    ``day_shifts[k]``: the seconds a run k days back (-1: the next day's) was moved onto the date's clock (k * 86400,
    an hour more or less across a clock change, ``compile._day_clock``).

    * transfers.txt rows naming a trip or route (either side), types 0-3: every run of the
      named trips (a route: of its trips; a blank side: every trip) on each side; from_stop_id
      (a station: its stops) where the from trip can be left, to_stop_id where the to trip can
      be boarded (blank: the same stop). Type 3 forbids (blank stops on both sides: at every
      stop), type 1 takes 0 s, types 0 and 2 min_transfer_time (type 0 without one: no rule),
      each plus ``buffer``. Where several rows cover one change, the most specific wins (as
      OpenTripPlanner ranks them: trip 4, route and stop 3, route and station 2, route 2, stop
      1, station 0 per side; as specific: the row naming stops (stop 2, station 1 per side),
      then the earlier row). A row forbidding a pair at every stop beats the rows it outranks
      at given stops too.
    * In seat: type 4 rows (trip ids) and, where no trip-to-trip row of that pair says
      otherwise (type 5 forbids it), consecutive trips of one block_id that start where the
      previous one ends (same stop or station), no earlier than it arrives and within
      ``BLOCK_LAYOVER_MAX``: from the last stop of the one to the first of the next.
      Consecutive within a service day (by first
      departure), and across midnight: the block's last trip of a service day goes on as its
      first trip of the next service day (see ``continues`` for the day rule). Frequency runs
      do not continue in seat.

      Across midnight, as riders expect and as GTFS and Google describe it: linked trips (type
      4) "MAY" end after the next trip's first departure "in case the to_trip_id trip is
      occurring the subsequent service day" (GTFS reference, Linked trips), and Google's block
      transfers need trips "on the same days, or on consecutive days if a trip crosses
      midnight" (Google Transit, block transfer example). OpenTripPlanner's InterlineProcessor
      links block trips of a shared service date only, so it has no such seat. A date's
      timetable holds the runs of earlier service days still running after its midnight and
      the next day's leaving before ``compile.NEXT_DAY_HORIZON``, so the seat shows from
      yesterday's run into today's and from today's into tomorrow's night runs.
    """
    n_trips = len(trip_base)
    empty = (np.zeros(0, dtype=np.int64),) + tuple(np.zeros(0, dtype=np.int32) for _ in range(3))
    if not n_trips:
        return empty
    station = stops["station"]
    # per timetable trip: stops it may be left at / boarded at, first and last hop
    order = np.lexsort((conn["seq"], conn["trip"]))
    t_of = conn["trip"][order]
    first_c = np.full(n_trips, -1, dtype=np.int64)
    last_c = np.full(n_trips, -1, dtype=np.int64)
    first_c[t_of[::-1]] = order[::-1]
    last_c[t_of] = order
    leave: dict[int, set[int]] = {}
    board: dict[int, set[int]] = {}
    for t, s, ok in zip(conn["trip"].tolist(), conn["to"].tolist(), conn["alight"].tolist()):
        if ok:
            leave.setdefault(t, set()).add(s)
    for t, s, ok in zip(conn["trip"].tolist(), conn["from"].tolist(), conn["board"].tolist()):
        if ok:
            board.setdefault(t, set()).add(s)
    by_trip: dict[str, list[int]] = {}
    for k, b in enumerate(trip_base.tolist()):
        by_trip.setdefault(base_ids[b], []).append(k)
    trips = feed.get("trips")
    tids = strings(trips["trip_id"])
    route_of = dict(zip(tids, strings(trips["route_id"])))
    by_route: dict[str, list[int]] = {}
    for tid, ks in by_trip.items():
        by_route.setdefault(route_of.get(tid, ""), []).extend(ks)
    everyone = list(range(n_trips))
    n_rows = 0 if tr is None else len(tr)
    cols = {c: (strings(tr[c]) if tr is not None and c in tr else [""] * n_rows)
            for c in ("from_trip_id", "from_route_id", "to_trip_id", "to_route_id", "from_stop_id", "to_stop_id")}
    index = stops["index"]

    def side(trip: str, route: str, sid: str) -> tuple[list[int], set[int] | None, int, int]:
        """The trips and stops (None: any) one side of a row names, its specificity (trip 4,
        route and stop 3, route and station 2, route 2, stop 1, station or nothing 0) and what
        its stop is (stop 2, station 1, none 0)."""
        stops_of: set[int] | None = None
        kind = 0                                  # 0 none, 1 station, 2 stop
        if sid:
            i = int(index.get_indexer([sid])[0])
            if i < 0:
                stops_of = set()
            elif station[i] == i and (station == i).sum() > 1:
                stops_of, kind = set(np.flatnonzero(station == i).tolist()), 1
            else:
                stops_of, kind = {i}, 2
        if trip:
            return by_trip.get(trip, []), stops_of, 4, kind
        if route:
            return by_route.get(route, []), stops_of, 2 + (kind == 2), kind
        return everyone, stops_of, int(kind == 2), kind

    # (from, to, x, y) -> (secs, order): the smallest order (-rank, -stops, row) wins
    rules: dict[tuple[int, int, int, int], tuple[int, tuple[int, int, int]]] = {}
    said: set[tuple[str, str]] = set()          # trip pairs some row speaks about
    for i in np.flatnonzero(specific).tolist():
        t = int(ttype[i])
        ft, tt_ = cols["from_trip_id"][i], cols["to_trip_id"][i]
        if ft and tt_:
            said.add((ft, tt_))
        if t > 3:
            continue
        if t == 3:
            sec = -1
        elif t == 1:
            sec = buffer                         # timed: just the rider's buffer, as at a stop
        elif not math.isnan(mtt[i]):
            sec = int(mtt[i]) + buffer
        else:
            continue                             # no time: the ordinary rules apply
        from_trips, xs, xr, xk = side(ft, cols["from_route_id"][i], cols["from_stop_id"][i])
        to_trips, ys, yr, yk = side(tt_, cols["to_route_id"][i], cols["to_stop_id"][i])
        order = (-(xr + yr), -(xk + yk), i)
        for a in from_trips:
            for b in to_trips:
                if a == b:
                    continue
                if xs is None and ys is None and sec < 0:
                    pairs = [(-1, -1)]
                else:
                    here = leave.get(a, set()) if xs is None else xs & leave.get(a, set())
                    there = board.get(b, set())
                    pairs = [(x, y) for x in here for y in ((x,) if ys is None else ys) if y in there]
                for x, y in pairs:
                    k = (a, b, x, y)
                    old = rules.get(k)
                    if old is None or order < old[1]:
                        rules[k] = (sec, order)

    # a row forbidding a pair everywhere beats the rows it outranks at given stops (the router
    # lets a rule at given stops override "any stop"; found by the GTFS-text reference)
    for k, (_, order) in list(rules.items()):
        ban = rules.get((k[0], k[1], -1, -1))
        if k[2] >= 0 and ban is not None and ban[1] < order:
            del rules[k]

    # in seat: type 4 rows, then block continuations
    seat: set[tuple[int, int]] = set()
    plain = trip_run_start < 0

    def continues(a: int, b: int) -> bool:
        """Run b may go on from run a: plain trips, b leaving the station where a ends no earlier
        than a arrives, of a's service day or of the next one; of the next only when b's first
        departure is before a's last arrival on their own service days' clocks (GTFS: then the
        to trip is the subsequent service day's), i.e. within a day of a's arrival (23 or 25 h
        the night the clocks change)."""
        days = int(trip_day[b]) - int(trip_day[a])
        if not (plain[a] and plain[b]) or a == b or days not in (0, 1):
            return False
        la, fb = int(last_c[a]), int(first_c[b])
        if la < 0 or fb < 0 or station[conn["to"][la]] != station[conn["from"][fb]]:
            return False
        arr, dep = int(conn["arr"][la]), int(conn["dep"][fb])
        return arr <= dep and (days == 0 or dep + day_shifts[-int(trip_day[b])] < arr + day_shifts[-int(trip_day[a])])

    for i in np.flatnonzero(ttype == 4).tolist():
        for a in by_trip.get(cols["from_trip_id"][i], []):
            for b in by_trip.get(cols["to_trip_id"][i], []):
                if continues(a, b):
                    seat.add((a, b))
    if "block_id" in trips:
        blk = strings(trips["block_id"])
        block_of = dict(zip(tids, blk))
        groups: dict[tuple[str, int], list[int]] = {}
        for k, b in enumerate(trip_base.tolist()):
            bid = block_of.get(base_ids[b], "")
            if bid and plain[k]:
                groups.setdefault((bid, int(trip_day[k])), []).append(k)
        for ks in groups.values():
            ks.sort(key=lambda k: (int(conn["dep"][first_c[k]]), k))
        for (bid, day), ks in groups.items():
            # consecutive trips of the service day, then the day's last into the next day's first
            after = groups.get((bid, day + 1), [])
            for a, b in [*zip(ks, ks[1:]), *([(ks[-1], after[0])] if after else [])]:
                layover = int(conn["dep"][first_c[b]]) - int(conn["arr"][last_c[a]])
                if (base_ids[trip_base[a]], base_ids[trip_base[b]]) not in said and continues(a, b) \
                        and layover <= BLOCK_LAYOVER_MAX:
                    seat.add((a, b))
    out = [(a * n_trips + b, x, y, sec) for (a, b, x, y), (sec, _) in rules.items()]
    out += [(a * n_trips + b, int(conn["to"][last_c[a]]), int(conn["from"][first_c[b]]), IN_SEAT) for a, b in seat]
    if not out:
        return empty
    out.sort()
    key, x, y, sec = (np.array(c) for c in zip(*out))
    return key.astype(np.int64), x.astype(np.int32), y.astype(np.int32), sec.astype(np.int32)


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
