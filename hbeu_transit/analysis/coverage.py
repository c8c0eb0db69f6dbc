"""The coverage matrix: the circle measures for every ordered pair of places (areas or stations).

Coverage is a map over origins: each task is one origin's whole-window profile
(``circle.circle_measures``) against every destination, so it runs serially here or on a Dask
cluster (``analysis.distributed``) with the same answers. In process on a small feed with no
more destinations than origins it is a map over destinations instead (``by_destination``: one
backward profile pass each, ``router.toward``), cheaper than a profile per origin. The result
is columnar (numpy), so a national feed's millions of pairs stay cheap and a warm command
needs no pandas.

The road side (the "two-hour road circle") is judged from a second timetable (the coach/bus
feed) and from a driving-times table, shown beside the transit measures: a pair is in the road
circle when a coach or a car gets there within ``road_within`` minutes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..router import UNREACHABLE, ProfileAll, backend, bounds, toward
from ..router.views import view
from ..timetable.model import Timetable
from .circle import (MEASURES, Groups, OriginProfile, Window, circle_measures, direct_departures,
                     segment_measures, segments)

__all__ = ["Coverage", "DriveTime", "coverage", "origin_task", "serial_map", "with_road"]

#: Columns the road side adds (coach timetable measures and the driving table).
ROAD_COLUMNS = ("road_fastest_min", "road_median_min", "road_share_within", "drive_min", "drive_confidence",
                "in_road_circle")


@dataclass(frozen=True)
class DriveTime:
    """A driving time between two places and how sure it is (SOURCED or EST)."""

    minutes: float
    confidence: str = ""
    source: str = ""


def origin_task(origin: int, *, tt: Timetable, origins: Groups, destinations: Groups, within: float,
                window: Window, max_transfers: int | None) -> dict[str, np.ndarray]:
    """One origin against every destination except itself: measure columns plus the
    destination indices (``dest``). A plain module-level function, so Dask can ship it."""
    m = circle_measures(tt, origins.stops(origin), destinations, origin=origins.labels[origin], within=within,
                        window=window, max_transfers=max_transfers)
    keep = np.array([lab != origins.labels[origin] for lab in destinations.labels], dtype=bool)
    out = {c: v[keep] for c, v in m.columns.items()}
    out["dest"] = np.flatnonzero(keep)
    return out


def by_destination_pays(tt: Timetable, origins: Groups, destinations: Groups, max_transfers: int | None) -> bool:
    """Whether ``by_destination`` answers, and beats a profile per origin: no more destinations
    than origins, few enough connection visits (one pass per destination) for the interpreter
    (else a compiled profile per origin wins), no transfer limit or trip rules, and every
    origin has a stop (else ``origin_task`` says which has none)."""
    if not 0 < len(destinations) <= len(origins) or backend.choose(tt.n_connections, len(destinations)) != "python":
        return False
    return toward.usable(view(tt), max_transfers) and \
        bool(np.all(np.bincount(origins.of_stop[origins.of_stop >= 0], minlength=len(origins)) > 0))


def by_destination(*, tt: Timetable, origins: Groups, destinations: Groups, within: float, window: Window,
                   max_transfers: int | None) -> list[dict[str, np.ndarray]]:
    """``origin_task`` for every origin, from one all-to-one profile per destination
    (``router.toward``: one backward pass over the connections) instead of one profile per
    origin; the same measures (the tests compare both and the brute force)."""
    T = float(within) * 60
    O, D = len(origins), len(destinations)
    cols = {c: np.empty((O, D), dtype=bool if c == "in_circle" else float) for c in MEASURES}
    for d in range(D):
        tg = destinations.stops(d)
        if not tg.size:
            prof = ProfileAll(np.zeros(tt.n_stops + 1, dtype=np.int64), np.zeros(0, dtype=np.int64),
                              np.zeros(0, dtype=np.int64), np.full(tt.n_stops, UNREACHABLE, dtype=np.int64))
        else:
            prof = toward.profile_to(tt, tg, window.start, window.end - 1)
        walk = bounds.target_offsets(tt, tt.n_stops, tg)
        p = OriginProfile(window, prof.start, prof.dep, prof.arr, prof.after, walk)
        for c, col in segment_measures(segments(p, origins), T).items():
            cols[c][:, d] = col
    parts = []
    for o in range(O):
        cols["direct_departures"][o] = direct_departures(tt, origins.stops(o), destinations, window, T)
        keep = np.array([lab != origins.labels[o] for lab in destinations.labels], dtype=bool)
        part = {c: v[o][keep] for c, v in cols.items()}
        part["direct_departures"] = part["direct_departures"].astype(np.int64)
        part["dest"] = np.flatnonzero(keep)
        parts.append(part)
    return parts


def serial_map(fn: Callable[..., Any], items: Sequence[Any], shared: Mapping[str, Any],
               progress: Callable[[int, int], None] | None = None) -> list[Any]:
    """``[fn(i, **shared) for i in items]``, reporting progress; the in-process runner."""
    out = []
    for k, i in enumerate(items):
        out.append(fn(i, **shared))
        if progress is not None:
            progress(k + 1, len(items))
    return out


@dataclass
class Coverage:
    """Ordered pairs (origin, destination) with the circle measures, columnar.

    ``columns`` holds numpy arrays: ``origin``, ``destination`` (labels), ``origin_name``,
    ``destination_name``, the measures (minutes NaN when unreachable) and, with a road side,
    ``ROAD_COLUMNS``. ``parameters`` records what was asked."""

    parameters: dict[str, Any]
    columns: dict[str, np.ndarray]
    origins: list[str] = field(default_factory=list)
    destinations: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.columns["origin"])

    def records(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per pair (NaN as None), built a column at a time (no place names:
        ``planners.CoverageResult.records`` adds them)."""
        cols = self.plain_columns()
        return [dict(zip(cols, vals)) for vals in zip(*cols.values())]

    def plain_columns(self, rows: Sequence[int] | np.ndarray | None = None) -> dict[str, list[Any]]:
        """Every column as a list of JSON-ready values (NaN as None), of every pair or of the
        pairs ``rows``: the values of ``records``, a column at a time."""
        from .circle import plain_column

        at = None if rows is None else np.asarray(rows, dtype=np.int64)
        return {c: plain_column(v if at is None else np.asarray(v)[at]) for c, v in self.columns.items()}

    def fastest_first(self) -> np.ndarray:
        """The pairs' indices, fastest first, those without a journey (NaN) last; ties keep the
        pairs' order (a stable sort, as ``sorted`` on the records by (no journey, fastest))."""
        v = np.asarray(self.columns["fastest_min"], dtype=float)
        return np.argsort(v, kind="stable")     # (numpy sorts NaN last)

    def to_frame(self):
        """A pandas DataFrame, one row per ordered pair (pandas imported here only)."""
        import pandas as pd

        return pd.DataFrame({c: v for c, v in self.columns.items()})

    def matrix(self, column: str) -> np.ndarray:
        """origins x destinations of one column (NaN on the diagonal and where missing)."""
        oi = {o: k for k, o in enumerate(self.origins)}
        di = {d: k for k, d in enumerate(self.destinations)}
        out = np.full((len(self.origins), len(self.destinations)), np.nan)
        for o, d, v in zip(self.columns["origin"], self.columns["destination"], self.columns[column]):
            out[oi[o], di[d]] = np.nan if v is None else float(v)
        return out

    def headline(self) -> str:
        """"3 of 12 ordered pairs inside the one-hour rail circle; 2 of 12 inside the
        two-hour road circle (coach 1, car 2)"."""
        p = self.parameters
        n = len(self)
        what = "city pairs" if p.get("places") == "areas" else "pairs"
        modes = "+".join(p.get("modes") or []) or "transit"
        text = f"{int(np.sum(self.columns['in_circle']))} of {n} ordered {what} inside the " \
               f"{_span(p['within'])} {modes} circle"
        if "in_road_circle" in self.columns:
            coach = int(np.sum(np.nan_to_num(self.columns["road_fastest_min"], nan=np.inf) <= p["road_within"]))
            car = int(np.sum(np.nan_to_num(self.columns["drive_min"], nan=np.inf) <= p["road_within"]))
            text += f"; {int(np.sum(self.columns['in_road_circle']))} of {n} inside the " \
                    f"{_span(p['road_within'])} road circle (coach {coach}, car {car})"
        elif p.get("road") == "none":
            text += "; no road table and no coach timetable for the road circle"
        return text


def _span(minutes: float) -> str:
    words = {60: "one-hour", 120: "two-hour", 90: "90-minute", 180: "three-hour", 30: "half-hour"}
    return words.get(int(minutes), f"{minutes:g}-minute") if float(minutes).is_integer() else f"{minutes:g}-minute"


def coverage(tt: Timetable, origins: Groups, destinations: Groups, *, within: float = 60,
             window: Window, max_transfers: int | None = None, parameters: Mapping[str, Any] | None = None,
             run: Callable[..., list[Any]] = serial_map,
             progress: Callable[[int, int], None] | None = None) -> Coverage:
    """The circle measures for every ordered pair of an origin and a destination with
    different labels. ``run`` maps the per-origin task (``serial_map``, or a Dask runner)."""
    shared = {"tt": tt, "origins": origins, "destinations": destinations, "within": float(within),
              "window": window, "max_transfers": max_transfers}
    if run is serial_map and by_destination_pays(tt, origins, destinations, max_transfers):
        parts = by_destination(**shared)
        if progress is not None:
            progress(len(origins), len(origins))
    else:
        parts = run(origin_task, list(range(len(origins))), shared, progress)
    cols: dict[str, list[np.ndarray]] = {"origin": [], "destination": [], "origin_name": [], "destination_name": []}
    dest_labels = np.array(destinations.labels, dtype=object)
    dest_names = np.array([destinations.display(k) for k in range(len(destinations))], dtype=object)
    for o, part in enumerate(parts):
        d = part["dest"]
        cols["origin"].append(np.full(len(d), origins.labels[o], dtype=object))
        cols["origin_name"].append(np.full(len(d), origins.display(o), dtype=object))
        cols["destination"].append(dest_labels[d])
        cols["destination_name"].append(dest_names[d])
        for c in MEASURES:
            cols.setdefault(c, []).append(part[c])
    out = {c: (np.concatenate(v) if v else np.zeros(0)) for c, v in cols.items()}
    for c in ("origin", "destination", "origin_name", "destination_name"):
        out[c] = out[c].astype(object)
    params = {"within": float(within), "window": window.label(), "step_min": window.step / 60,
              "max_transfers": max_transfers, **(parameters or {})}
    return Coverage(params, out, list(origins.labels), list(destinations.labels))


def with_road(main: Coverage, road: Coverage | None, drive: Mapping[tuple[str, str], DriveTime] | None,
              road_within: float) -> Coverage:
    """``main`` plus the road side: the coach timetable's measures (``road``, same pairs) and
    the driving table (``drive``: (origin label, destination label) -> DriveTime)."""
    n = len(main)
    cols = dict(main.columns)
    nan = np.full(n, np.nan)
    if road is not None:
        at = {(o, d): k for k, (o, d) in enumerate(zip(road.columns["origin"], road.columns["destination"]))}
        pick = np.array([at.get((o, d), -1) for o, d in zip(main.columns["origin"], main.columns["destination"])],
                        dtype=np.int64)
        for c, src in (("road_fastest_min", "fastest_min"), ("road_median_min", "median_min"),
                       ("road_share_within", "share_within")):
            v = np.asarray(road.columns[src], dtype=float)
            cols[c] = np.where(pick >= 0, v[np.maximum(pick, 0)] if len(v) else np.nan, np.nan)
    else:
        for c in ("road_fastest_min", "road_median_min", "road_share_within"):
            cols[c] = nan.copy()
    drive = drive or {}
    if drive:
        dm, dc = [], []
        for o, d in zip(main.columns["origin"], main.columns["destination"]):
            t = drive.get((o, d))
            dm.append(math.nan if t is None else float(t.minutes))
            dc.append(None if t is None else t.confidence)
        cols["drive_min"] = np.array(dm, dtype=float)
        cols["drive_confidence"] = np.array(dc, dtype=object)
    else:   # no driving table: no look-up per pair (hart's 5.5 million pairs: 3 s)
        cols["drive_min"] = nan.copy()
        cols["drive_confidence"] = np.full(n, None, dtype=object)
    lim = float(road_within)
    cols["in_road_circle"] = (np.nan_to_num(cols["road_fastest_min"], nan=np.inf) <= lim) | \
        (np.nan_to_num(cols["drive_min"], nan=np.inf) <= lim)
    params = {**main.parameters, "road_within": lim,
              "road": "+".join(x for x, ok in (("coach timetable", road is not None), ("driving table", bool(drive)))
                               if ok) or "none"}
    out = Coverage(params, cols, main.origins, main.destinations)
    if road is None and not drive:
        for c in ROAD_COLUMNS:
            out.columns.pop(c, None)
    return out
