"""The one-hour circle: travel-time measures from one origin over a departure window.

Definitions (also in the README and ``hbeu circle --help``). For an origin (a set of stops), a
destination (a set of stops: a station with its platforms, or an area), a service date and a
departure window [start, end) sampled every ``step`` seconds ("minutes" t):

* **travel time at t**: the earliest arrival at the destination leaving the origin at or after
  t, minus t (waiting at the origin included, as Conveyal R5 counts it); infinite when no
  journey exists. Walking only (a destination one footpath from the origin) counts, as in
  ``router.earliest_arrival``; a destination stop that is an origin stop has travel time 0.
* **median / p10 / p90**: nearest-rank percentiles of the travel times over the minutes (the
  smallest x such that at least ceil(p% of N) minutes have travel time <= x; numpy's
  ``method="inverted_cdf"``), unreachable minutes counting as infinite, so a percentile
  is missing (NaN) when too few minutes reach the destination; the median is p50.
* **fastest**: the shortest journey (boarding to arrival, no initial wait) among those leaving
  the origin within the window that no later-leaving journey beats (arrives as early or
  earlier); a walk to the destination counts with its duration.
* **share within T**: the fraction of the minutes whose travel time is <= T.
* **direct departures within T**: vehicle trips boarded at an origin stop within the window
  that reach a destination stop without a change, in <= T (from the last origin stop the
  trip calls at before it; each trip counts once).

A pair is *in the circle* when fastest <= T. Windows may pass midnight (22:00-02:00 is 22:00
to 26:00 of the same service day: the trips of that date running after midnight; trips of
the next service date are in the next date's timetable).

How: one one-to-all profile query (``router.profile_all``: per stop the Pareto (departure,
arrival) pairs of journeys leaving in the window) and one earliest-arrival query at the
window's end give the exact earliest arrival at every stop for every instant of the window;
the per-minute travel times are then read off with numpy, never with one query per minute.
Numpy only (no pandas), so a warm command stays fast; ``to_frame`` builds a DataFrame.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError
from ..router import UNREACHABLE, earliest_arrival, profile_all
from ..timetable_model import Timetable

__all__ = [
    "DEFAULT_WINDOW", "PERCENTILES", "Groups", "MEASURES", "Measures", "OriginProfile", "Window",
    "area_groups", "circle_measures", "direct_departures", "origin_profile", "parse_window",
    "station_groups", "travel_matrix",
]

DAY = 86400
#: The default departure window, HH:MM-HH:MM.
DEFAULT_WINDOW = ("06:00", "22:00")
#: The percentiles reported, as (column, percent).
PERCENTILES = (("p10_min", 10), ("median_min", 50), ("p90_min", 90))
#: The measure columns of every circle/coverage row, in order.
MEASURES = ("fastest_min", "median_min", "p10_min", "p90_min", "share_within", "direct_departures",
            "in_circle")
_BIG = np.int64(1) << 40          # "infinite" travel time inside the arithmetic (INF + a day fits)


# --------------------------------------------------------------------------- window

@dataclass(frozen=True)
class Window:
    """Departure instants start, start + step, ... < end (seconds of the service day)."""

    start: int
    end: int
    step: int = 60

    def __post_init__(self) -> None:
        if self.step <= 0:
            raise InputError(f"step must be positive, not {self.step}")
        if self.end <= self.start:
            raise InputError("window: the end must come after the start")

    @property
    def minutes(self) -> np.ndarray:
        """The sampled departure instants."""
        return np.arange(self.start, self.end, self.step, dtype=np.int64)

    @property
    def size(self) -> int:
        return (self.end - self.start + self.step - 1) // self.step

    def label(self) -> str:
        from ..feed.times import format_clock

        return f"{format_clock(self.start)}-{format_clock(self.end)}"


def _clock(value: str | int | float, what: str) -> int:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    from ..feed.times import parse_clock

    try:
        return parse_clock(str(value))
    except InputError:
        raise InputError(f"impossible time {value!r} for {what}: expected HH:MM, e.g. 06:00") from None


def parse_window(window: str | Sequence[str | int] | Window | None = None, step: float = 1) -> Window:
    """A window from "HH:MM-HH:MM" or a (start, end) pair of HH:MM strings or seconds, and a
    step in minutes. An end at or before the start means the next morning (22:00-02:00)."""
    if isinstance(window, Window):
        return window
    if window is None:
        window = DEFAULT_WINDOW
    if isinstance(window, str):
        parts = window.replace("–", "-").split("-")
        if len(parts) != 2:
            raise InputError(f"impossible window {window!r}: expected HH:MM-HH:MM, e.g. 06:00-22:00")
        window = (parts[0].strip(), parts[1].strip())
    if len(window) != 2:
        raise InputError(f"window needs a start and an end, not {window!r}")
    start, end = _clock(window[0], "window start"), _clock(window[1], "window end")
    if end <= start:
        end += DAY
    if not (isinstance(step, (int, float)) and step > 0 and math.isfinite(step)):
        raise InputError(f"impossible step {step!r}: expected minutes > 0, e.g. 1")
    sec = int(round(step * 60))
    if sec <= 0:
        raise InputError(f"step {step!r} minutes is below one second")
    return Window(start, end, sec)


# --------------------------------------------------------------------------- destinations

@dataclass(frozen=True)
class Groups:
    """Named sets of stops (stations with their platforms, or areas): ``of_stop[s]`` is the
    group of stop s, -1 for stops in none."""

    labels: list[str]
    of_stop: np.ndarray
    names: list[str] = field(default_factory=list)    # display names (default: the labels)

    def __len__(self) -> int:
        return len(self.labels)

    def stops(self, g: int) -> np.ndarray:
        return np.flatnonzero(self.of_stop == g)

    def index(self, label: str) -> int:
        try:
            return self.labels.index(label)
        except ValueError:
            raise InputError(f"unknown destination {label!r}") from None

    def subset(self, keep: Sequence[int]) -> Groups:
        """Only the groups ``keep`` (renumbered in that order)."""
        new = np.full(len(self.labels) + 1, -1, dtype=np.int64)
        new[np.asarray(keep, dtype=np.int64)] = np.arange(len(keep))
        return Groups([self.labels[k] for k in keep], new[self.of_stop],
                      [self.display(k) for k in keep])

    def display(self, g: int) -> str:
        return self.names[g] if self.names else self.labels[g]


def station_groups(tt: Timetable) -> Groups:
    """One group per station (parent station, or stop without one), labelled by its stop_id."""
    st = np.asarray(tt.stop_station, dtype=np.int64)
    ids, inv = np.unique(st, return_inverse=True)
    return Groups([tt.stop_ids[i] for i in ids.tolist()], inv.astype(np.int64),
                  [tt.stop_names[i] or tt.stop_ids[i] for i in ids.tolist()])


def area_groups(tt: Timetable) -> Groups:
    """One group per area name (areas of several feeds with one name are one city), in order
    of first appearance."""
    labels: list[str] = []
    pos: dict[str, int] = {}
    of_area = np.empty(len(tt.area_names), dtype=np.int64)
    for a, name in enumerate(tt.area_names):
        if name not in pos:
            pos[name] = len(labels)
            labels.append(name)
        of_area[a] = pos[name]
    return Groups(labels, of_area[np.asarray(tt.stop_area, dtype=np.int64)])


# --------------------------------------------------------------------------- the profile

@dataclass
class OriginProfile:
    """Everything needed for the earliest arrival at every stop at every instant of a window.

    For stop s and departure t in the window: the arrival of the first of s's Pareto pairs
    (``dep``/``arr``, CSR by ``start``) with dep >= t, else ``tail[s]`` (the earliest arrival
    leaving at the window's end); and never later than t + ``walk[s]`` (0 at an origin stop,
    the footpath from the origin, else unreachable)."""

    window: Window
    start: np.ndarray
    dep: np.ndarray
    arr: np.ndarray
    tail: np.ndarray
    walk: np.ndarray


def origin_profile(tt: Timetable, sources: Sequence[int], window: Window, *,
                   max_transfers: int | None = None) -> OriginProfile:
    """One profile query over the window plus one earliest-arrival query at its end."""
    src = np.unique(np.asarray(list(sources), dtype=np.int64))
    if not src.size:
        raise InputError("the origin has no stop in this timetable")
    prof = profile_all(tt, src, window.start, window.end - 1, max_transfers=max_transfers)
    tail = np.asarray(earliest_arrival(tt, src, window.end, max_transfers=max_transfers).arrival,
                      dtype=np.int64)
    walk = np.full(tt.n_stops, UNREACHABLE, dtype=np.int64)
    for s in src.tolist():
        a, b = int(tt.fp_start[s]), int(tt.fp_start[s + 1])
        np.minimum.at(walk, np.asarray(tt.fp_to[a:b], dtype=np.int64), np.asarray(tt.fp_dur[a:b], dtype=np.int64))
    walk[src] = 0
    return OriginProfile(window, np.asarray(prof.start, dtype=np.int64), np.asarray(prof.dep, dtype=np.int64),
                         np.asarray(prof.arr, dtype=np.int64), tail, walk)


def _group_pairs(p: OriginProfile, groups: Groups) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The Pareto (departure, arrival) pairs of each group (the union of its stops' pairs
    without the dominated ones), as (group, dep, arr) sorted by group then departure."""
    n = len(p.start) - 1
    counts = np.diff(p.start)
    g_of_pair = np.repeat(groups.of_stop[:n], counts)
    keep = g_of_pair >= 0
    g, d, a = g_of_pair[keep], p.dep[keep], p.arr[keep]
    if not g.size:
        return g, d, a
    # latest first within each group (groups in descending order, so that a running minimum
    # of g*BIG + arr restarts at every group), earlier arrival first among equal departures
    order = np.lexsort((a, -d, -g))
    g, d, a = g[order], d[order], a[order]
    val = g * _BIG + a
    run = np.minimum.accumulate(val)
    prev = np.concatenate(([np.iinfo(np.int64).max], run[:-1]))
    first = np.concatenate(([True], g[1:] != g[:-1]))
    pareto = first | (val < prev)
    g, d, a = g[pareto][::-1], d[pareto][::-1], a[pareto][::-1]
    return g, d, a


def _group_min(values: np.ndarray, groups: Groups) -> np.ndarray:
    out = np.full(len(groups), UNREACHABLE, dtype=np.int64)
    ok = groups.of_stop >= 0
    np.minimum.at(out, groups.of_stop[ok], values[ok])
    return out


def travel_matrix(p: OriginProfile, groups: Groups) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group: the travel time (seconds; ``UNREACHABLE`` when none) at every minute of the
    window, as a (groups x minutes) int64 matrix; and the group pairs' fastest journey and
    walk time (seconds, ``UNREACHABLE`` when none)."""
    w = p.window
    N, G = w.size, len(groups)
    g, d, a = _group_pairs(p, groups)
    tail, walk = _group_min(p.tail, groups), _group_min(p.walk, groups)
    # minutes served by each pair: those after the group's previous pair, up to its departure
    k_upto = np.clip((d - w.start) // w.step + 1, 0, N)          # minutes t <= d
    prev = np.concatenate(([0], k_upto[:-1]))
    prev[np.concatenate(([True], g[1:] != g[:-1]))] = 0
    counts = k_upto - prev
    used = np.zeros(G, dtype=np.int64)
    np.add.at(used, g, counts)
    # per group: its pairs, then its tail for the remaining minutes
    seq_g = np.concatenate((g, np.arange(G, dtype=np.int64)))
    seq_a = np.concatenate((a, tail))
    seq_n = np.concatenate((counts, N - used))
    order = np.argsort(seq_g, kind="stable")
    arrival = np.repeat(seq_a[order], seq_n[order]).reshape(G, N)
    travel = np.where(arrival >= UNREACHABLE, UNREACHABLE, arrival - w.minutes[None, :])
    travel = np.minimum(travel, walk[:, None])
    fastest = np.full(G, UNREACHABLE, dtype=np.int64)
    if g.size:
        np.minimum.at(fastest, g, a - d)
    fastest = np.minimum(fastest, walk)
    return travel, fastest, walk


@dataclass
class Measures:
    """The circle measures from one origin to each destination group (numpy columns).

    Minutes are floats (seconds / 60), NaN when unreachable; ``travel`` keeps the per-minute
    travel times (seconds, ``UNREACHABLE`` when none) for charts."""

    origin: str
    groups: Groups
    window: Window
    within_min: float
    columns: dict[str, np.ndarray]
    travel: np.ndarray | None = None

    def records(self) -> list[dict[str, Any]]:
        """One dict per destination: ``origin``, ``destination``, ``destination_name`` and the
        measures, NaN as None (JSON-ready)."""
        out = []
        for k in range(len(self.groups)):
            row: dict[str, Any] = {"origin": self.origin, "destination": self.groups.labels[k],
                                   "destination_name": self.groups.display(k)}
            for c, col in self.columns.items():
                row[c] = _plain(col[k])
            out.append(row)
        return out


def _plain(v: Any) -> Any:
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else float(v)
    return v


def _minutes(sec: np.ndarray) -> np.ndarray:
    return np.where(sec >= UNREACHABLE, np.nan, sec / 60.0)


def _percentiles(travel: np.ndarray) -> dict[str, np.ndarray]:
    """Nearest-rank percentiles per row; unreachable (>= UNREACHABLE) as infinite."""
    N = travel.shape[1]
    srt = np.sort(travel, axis=1)
    out = {}
    for col, pct in PERCENTILES:
        rank = max(1, -(-pct * N // 100))            # ceil(pct% of N)
        out[col] = _minutes(srt[:, rank - 1])
    return out


def direct_departures(tt: Timetable, sources: Sequence[int], groups: Groups, window: Window,
                      within_s: float) -> np.ndarray:
    """Per group: how many vehicle trips, boarded at a source within the window, reach one of
    its stops without a change within ``within_s`` seconds (see the module docstring)."""
    G = len(groups)
    is_src = np.zeros(tt.n_stops, dtype=bool)
    is_src[np.asarray(list(sources), dtype=np.int64)] = True
    c_from = np.asarray(tt.c_from, dtype=np.int64)
    c_dep = np.asarray(tt.c_dep, dtype=np.int64)
    board = is_src[c_from] & np.asarray(tt.c_board, dtype=bool) & (c_dep >= window.start) & (c_dep < window.end)
    if not board.any():
        return np.zeros(G, dtype=np.int64)
    trips = np.asarray(tt.c_trip, dtype=np.int64)
    mine = np.isin(trips, np.unique(trips[board]))
    idx = np.flatnonzero(mine)
    idx = idx[np.lexsort((np.asarray(tt.c_seq)[idx], trips[idx]))]
    t, dep = trips[idx], c_dep[idx]
    # the last boarding in the window at a source so far along the trip (0: none yet)
    shift = dep.min() - 1
    val = np.where(board[idx], dep - shift, 0) + t * _BIG
    last = np.maximum.accumulate(val) - t * _BIG
    to = np.asarray(tt.c_to, dtype=np.int64)[idx]
    ok = (last > 0) & np.asarray(tt.c_alight, dtype=bool)[idx] & (groups.of_stop[to] >= 0)
    ok &= np.asarray(tt.c_arr, dtype=np.int64)[idx] - (last + shift) <= within_s
    hits = np.unique(t[ok] * G + groups.of_stop[to[ok]])
    return np.bincount(hits % G, minlength=G).astype(np.int64)


def circle_measures(tt: Timetable, sources: Sequence[int], groups: Groups, *, origin: str = "",
                    within: float = 60, window: Window | None = None, max_transfers: int | None = None,
                    keep_travel: bool = False) -> Measures:
    """The circle measures from ``sources`` to every group (see the module docstring)."""
    if not (within > 0 and math.isfinite(within)):
        raise InputError(f"within must be a positive number of minutes, not {within!r}")
    window = window or parse_window()
    p = origin_profile(tt, sources, window, max_transfers=max_transfers)
    travel, fastest, _ = travel_matrix(p, groups)
    T = float(within) * 60
    cols: dict[str, np.ndarray] = {"fastest_min": _minutes(fastest)}
    pct = _percentiles(travel)
    cols["median_min"], cols["p10_min"], cols["p90_min"] = pct["median_min"], pct["p10_min"], pct["p90_min"]
    cols["share_within"] = (travel <= T).sum(axis=1) / travel.shape[1]
    cols["direct_departures"] = direct_departures(tt, sources, groups, window, T)
    cols["in_circle"] = fastest <= T
    return Measures(origin, groups, window, float(within), cols, travel if keep_travel else None)


def records_frame(records: list[dict[str, Any]]):
    """A list of row dicts as a DataFrame (pandas imported here only), missing values NaN."""
    import pandas as pd

    df = pd.DataFrame.from_records(records)
    for c in ("fastest_min", "median_min", "p10_min", "p90_min", "share_within"):
        if c in df:
            df[c] = df[c].astype("float64")
    return df


def by_label(groups: Groups, wanted: Mapping[str, Any] | Sequence[str] | None) -> Groups:
    """The groups named in ``wanted`` (labels), in that order; all when None."""
    if wanted is None:
        return groups
    return groups.subset([groups.index(w) for w in wanted])
