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
arrival) pairs of journeys leaving in the window, and the earliest arrival leaving after it)
gives the exact earliest arrival at every stop for every instant of the window; the per-minute
travel times are then read off with numpy, never with one query per minute.
Numpy only (no pandas), so a warm command stays fast; ``to_frame`` builds a DataFrame.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError
from ..router import UNREACHABLE, profile_all
from ..router.views import distinct  # np.unique without its import of numpy.ma
from ..timetable.model import Timetable

__all__ = [
    "DEFAULT_WINDOW", "PERCENTILES", "Groups", "MEASURES", "Measures", "OriginProfile", "Window",
    "area_groups", "circle_measures", "direct_departures", "origin_profile", "parse_window", "plain_column",
    "station_groups", "travel_matrix",
]

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
    """Departure instants start, start + step, ... < end (seconds of the service day, on its
    GTFS clock); ``wall``: the bounds as asked, wall-clock seconds of the date, which the label
    shows (``on_wall_clock``; None: the same numbers)."""

    start: int
    end: int
    step: int = 60
    wall: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.step <= 0:
            raise InputError(f"{{step}} must be positive, not {self.step}", "step")
        if self.end <= self.start:
            raise InputError("{window}: the end must come after the start", "window")

    @property
    def minutes(self) -> np.ndarray:
        """The sampled departure instants."""
        return np.arange(self.start, self.end, self.step, dtype=np.int64)

    @property
    def size(self) -> int:
        return (self.end - self.start + self.step - 1) // self.step

    def label(self) -> str:
        """"HH:MM-HH:MM" as the wall clock reads it on the date (as asked)."""
        from ..feed.times import format_clock

        start, end = self.wall if self.wall is not None else (self.start, self.end)
        return f"{format_clock(start)}-{format_clock(end)}"

    def on_wall_clock(self, date: str, tz: str) -> Window:
        """This window read as wall-clock times of ``date`` (what a user types, as plan's
        --depart), moved to the service day's GTFS clock (``times.service_seconds``: the same
        numbers except before ~02:00 the two days a year the clocks change); its label stays
        the times asked."""
        from .times import service_seconds

        start, end = (service_seconds(date, tz, t) for t in (self.start, self.end))
        return Window(start, end, self.step, (self.start, self.end))


def parse_window(window: str | Sequence[str | int] | Window | None = None, step: float = 1) -> Window:
    """A window from "HH:MM-HH:MM" (or with an en dash) or a (start, end) pair of HH:MM strings
    or seconds, and a step in minutes. An end before the start means the next morning
    (22:00-02:00); one equal to it is refused (no departure fits in no time; the whole day is
    00:00-24:00). The window's rule and its errors: ``feed.times.parse_clock_window``."""
    from ..feed.times import parse_clock_window
    from ..values import is_number

    if isinstance(window, Window):
        return window
    start, end = parse_clock_window(DEFAULT_WINDOW if window is None else window, param="window")
    if not (is_number(step) and 0 < step <= 24 * 60):
        raise InputError(f"impossible {{step}} {step!r}: expected minutes > 0 and up to a day (1440), e.g. 1", "step")
    sec = int(round(step * 60))
    if sec <= 0:
        raise InputError(f"{{step}} {step!r} minutes is below one second", "step")
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
    ids = distinct(st)
    inv = np.searchsorted(ids, st)
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
    with a ride leaving at or after the window's end); and never later than t + ``walk[s]`` (0
    at an origin stop, the footpath from the origin, else unreachable)."""

    window: Window
    start: np.ndarray
    dep: np.ndarray
    arr: np.ndarray
    tail: np.ndarray
    walk: np.ndarray


def origin_profile(tt: Timetable, sources: Sequence[int], window: Window, *,
                   max_transfers: int | None = None) -> OriginProfile:
    """One profile query over the window (its seed run, leaving after the window, gives the
    tail: no separate earliest-arrival query)."""
    src = distinct(np.asarray(list(sources), dtype=np.int64))
    if not src.size:
        raise InputError("the origin has no stop in this timetable")
    prof = profile_all(tt, src, window.start, window.end - 1, max_transfers=max_transfers)
    # leaving at the window's end: the profile's journeys leaving after it (those with a ride;
    # the origin's stops and footpaths are ``walk``, and the travel time never exceeds it)
    tail = np.asarray(prof.after, dtype=np.int64)
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
    member = groups.of_stop[:n][groups.of_stop[:n] >= 0]
    if np.all(member[1:] > member[:-1]):
        return g, d, a          # one stop per group, in stop order: the stops' pairs as they are
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


@dataclass
class Segments:
    """Each group's travel time over the window as runs of minutes sharing one arrival.

    Segment i of group ``g[i]`` (sorted by group, then time) covers minutes k in
    [``klo[i]``, ``khi[i]``) and arrives at ``start + rel[i]`` (``UNREACHABLE`` for rel: none),
    so the travel time at minute k is ``rel[i] - k * step``, never more than the group's
    ``walk``; every group has at least one (possibly empty) segment, from ``first[g]``.
    ``fastest``: the shortest worthwhile journey (seconds, ``UNREACHABLE`` when none)."""

    g: np.ndarray
    rel: np.ndarray
    klo: np.ndarray
    khi: np.ndarray
    first: np.ndarray
    walk: np.ndarray
    fastest: np.ndarray
    n_minutes: int
    step: int


def segments(p: OriginProfile, groups: Groups) -> Segments:
    """The segments of every group (see ``Segments``) from an origin's profile."""
    w = p.window
    N, G = w.size, len(groups)
    g, d, a = _group_pairs(p, groups)
    tail, walk = _group_min(p.tail, groups), _group_min(p.walk, groups)
    # A journey leaving after the window (the tail) may still reach the group no later than a
    # pair inside it (at another of its stops, or because the profile stops at the window's
    # end): such a pair is not worth leaving for, and its minutes arrive with the tail.
    beaten = tail[g] <= a
    a = np.minimum(a, tail[g])
    # minutes served by each pair: those after the group's previous pair, up to its departure
    khi = np.clip((d - w.start) // w.step + 1, 0, N)          # minutes t <= d
    new_group = np.concatenate(([True], g[1:] != g[:-1])) if g.size else np.zeros(0, dtype=bool)
    klo = np.concatenate(([0], khi[:-1])) if g.size else khi.copy()
    klo[new_group] = 0
    used = np.zeros(G, dtype=np.int64)
    np.maximum.at(used, g, khi)
    # per group: its pairs, then its tail (the journeys leaving after the window) to the end
    seq_g = np.concatenate((g, np.arange(G, dtype=np.int64)))
    order = np.argsort(seq_g, kind="stable")
    rel = np.concatenate((a, tail))[order]
    rel = np.where(rel >= UNREACHABLE, UNREACHABLE, rel - w.start)
    klo = np.concatenate((klo, used))[order]
    khi = np.concatenate((khi, np.full(G, N, dtype=np.int64)))[order]
    seq_g = seq_g[order]
    first = np.searchsorted(seq_g, np.arange(G))
    # fastest: every group has a segment (its tail, duration UNREACHABLE)
    dur = np.concatenate((np.where(beaten, UNREACHABLE, a - d), np.full(G, UNREACHABLE, dtype=np.int64)))[order]
    fastest = np.minimum.reduceat(dur, first) if G else np.zeros(0, dtype=np.int64)
    return Segments(seq_g, rel, klo, khi, first, walk, np.minimum(fastest, walk), N, w.step)


def _count_within(sg: Segments, x: np.ndarray) -> np.ndarray:
    """Per group (x: a value per group, or rows of them): the number of minutes whose travel
    time ignoring walking is <= x."""
    xs = x[..., sg.g]
    # minutes k of a segment with rel - k*step <= x: k >= ceil((rel - x) / step)
    k0 = -((xs - sg.rel) // sg.step)
    c = np.clip(sg.khi - np.maximum(sg.klo, k0), 0, None)
    c = np.where(sg.rel >= UNREACHABLE, 0, c)
    return np.add.reduceat(c, sg.first, axis=-1)


#: segments from which the compiled bisection pays (when numba is loaded anyway)
COMPILED_MIN_SEGMENTS = 5_000


def _percentiles(sg: Segments, compiled: bool | None = None) -> dict[str, np.ndarray]:
    """Nearest-rank percentiles per group (seconds, ``UNREACHABLE`` when too few minutes
    have a journey), by bisection on the travel time with counts per segment, so the cost
    does not grow with the number of minutes. ``compiled``: the numba loop of
    ``_segstats`` (default: for many segments when the router has loaded numba), else numpy."""
    N = sg.n_minutes
    ranks = np.array([max(1, -(-pct * N // 100)) for _, pct in PERCENTILES], dtype=np.int64)
    if compiled is None:
        import sys

        compiled = len(sg.rel) >= COMPILED_MIN_SEGMENTS and "numba" in sys.modules
    if compiled:
        from . import _segstats

        val = _segstats.run(sg.first, sg.rel, sg.klo, sg.khi, sg.step, ranks)
    else:
        val = _bisect(sg, ranks[:, None])
    val = np.minimum(val, sg.walk[None, :])
    return {col: val[k] for k, (col, _) in enumerate(PERCENTILES)}


def _bisect(sg: Segments, ranks: np.ndarray) -> np.ndarray:
    """The vectorised bisection: (len(ranks) x groups) smallest x with count(x) >= rank."""
    G = len(sg.first)
    finite = sg.rel < UNREACHABLE
    top = int(np.max(sg.rel[finite] - sg.klo[finite] * sg.step)) if finite.any() else 0
    lo = np.zeros((len(ranks), G), dtype=np.int64)
    hi = np.full((len(ranks), G), top, dtype=np.int64)
    while True:
        open_ = lo < hi
        if not open_.any():
            break
        mid = (lo + hi) // 2
        ok = _count_within(sg, mid) >= ranks
        hi = np.where(open_ & ok, mid, hi)
        lo = np.where(open_ & ~ok, mid + 1, lo)
    found = _count_within(sg, lo) >= ranks
    return np.where(found, lo, UNREACHABLE)


def travel_matrix(p: OriginProfile, groups: Groups) -> np.ndarray:
    """Per group: the travel time (seconds; ``UNREACHABLE`` when none) at every minute of the
    window, as a (groups x minutes) int64 matrix (for charts: memory grows with both)."""
    sg = segments(p, groups)
    N, G = sg.n_minutes, len(groups)
    rel = np.repeat(sg.rel, sg.khi - sg.klo).reshape(G, N)
    k = np.arange(N, dtype=np.int64)[None, :]
    travel = np.where(rel >= UNREACHABLE, UNREACHABLE, rel - k * sg.step)
    return np.minimum(travel, sg.walk[:, None])


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
        measures, NaN as None (JSON-ready), converted a column at a time (``plain_column``)."""
        plain = {c: plain_column(col) for c, col in self.columns.items()}
        return [{"origin": self.origin, "destination": self.groups.labels[k], "destination_name": self.groups.display(k),
                 **{c: v[k] for c, v in plain.items()}} for k in range(len(self.groups))]


def _plain(v: Any) -> Any:
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else float(v)
    return v


def plain_column(col: np.ndarray) -> list[Any]:
    """``[_plain(v) for v in col]``, a column at a time: numpy's ``tolist`` gives the Python bools,
    ints and floats, NaN then set to None (coverage's millions of pairs: one call per value cost
    a minute)."""
    col = np.asarray(col)
    if col.dtype.kind in "biuf":
        out = col.tolist()
        if col.dtype.kind == "f":
            for k in np.flatnonzero(np.isnan(col)).tolist():
                out[k] = None
        return out
    return [v if type(v) is str else _plain(v) for v in col]


def _minutes(sec: np.ndarray) -> np.ndarray:
    return np.where(sec >= UNREACHABLE, np.nan, sec / 60.0)


_TRIP_ORDER: dict[int, tuple[weakref.ref, np.ndarray]] = {}


def _trip_order(tt: Timetable) -> np.ndarray:
    """The connections ordered by (trip, hop), computed once per timetable (coverage asks
    for it once per origin)."""
    hit = _TRIP_ORDER.get(id(tt))
    if hit is not None and hit[0]() is tt:
        return hit[1]
    order = np.lexsort((np.asarray(tt.c_seq), np.asarray(tt.c_trip)))
    _TRIP_ORDER[id(tt)] = (weakref.ref(tt, lambda _r, k=id(tt): _TRIP_ORDER.pop(k, None)), order)
    return order


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
    boarded = np.zeros(tt.n_trips, dtype=bool)
    boarded[trips[board]] = True
    order = _trip_order(tt)
    idx = order[boarded[trips[order]]]
    t, dep = trips[idx], c_dep[idx]
    # the last boarding in the window at a source so far along the trip (0: none yet)
    shift = dep.min() - 1
    val = np.where(board[idx], dep - shift, 0) + t * _BIG
    last = np.maximum.accumulate(val) - t * _BIG
    to = np.asarray(tt.c_to, dtype=np.int64)[idx]
    ok = (last > 0) & np.asarray(tt.c_alight, dtype=bool)[idx] & (groups.of_stop[to] >= 0)
    ok &= np.asarray(tt.c_arr, dtype=np.int64)[idx] - (last + shift) <= within_s
    hits = distinct(t[ok] * G + groups.of_stop[to[ok]])
    return np.bincount(hits % G, minlength=G).astype(np.int64)


def circle_measures(tt: Timetable, sources: Sequence[int], groups: Groups, *, origin: str = "",
                    within: float = 60, window: Window | None = None, max_transfers: int | None = None,
                    keep_travel: bool = False) -> Measures:
    """The circle measures from ``sources`` to every group (see the module docstring)."""
    from ..values import as_minutes

    as_minutes(within, "within")
    window = window or parse_window()
    p = origin_profile(tt, sources, window, max_transfers=max_transfers)
    T = float(within) * 60
    cols = segment_measures(segments(p, groups), T)
    cols["direct_departures"] = direct_departures(tt, sources, groups, window, T)
    cols = {c: cols[c] for c in MEASURES}
    return Measures(origin, groups, window, float(within), cols, travel_matrix(p, groups) if keep_travel else None)


def segment_measures(sg: Segments, T: float) -> dict[str, np.ndarray]:
    """Per group of ``sg``, every measure but the direct departures, within ``T`` seconds."""
    cols: dict[str, np.ndarray] = {"fastest_min": _minutes(sg.fastest)}
    pct = _percentiles(sg)
    for c in ("median_min", "p10_min", "p90_min"):
        cols[c] = _minutes(pct[c])
    within_n = _count_within(sg, np.full(len(sg.first), math.floor(T), dtype=np.int64))
    cols["share_within"] = np.where(sg.walk <= T, sg.n_minutes, within_n) / sg.n_minutes
    cols["in_circle"] = sg.fastest <= T
    return cols


def records_frame(records: list[dict[str, Any]]):
    """A list of row dicts as a DataFrame (pandas imported here only), missing values NaN."""
    import pandas as pd

    df = pd.DataFrame.from_records(records)
    for c in ("fastest_min", "median_min", "p10_min", "p90_min", "share_within"):
        if c in df:
            df[c] = df[c].astype("float64")
    return df
