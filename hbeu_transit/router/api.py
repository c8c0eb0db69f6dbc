"""The router's queries: earliest arrival, arrive-by, Pareto set, profiles (see ``__init__``).

Each query takes labels reset for it (``scan.State``; numba's come from buffers no live
result holds), runs the kernel on a cached view of the timetable (``scan.run_scan``, or
``scan.run_ea`` for a one-layer earliest arrival) and turns the labels it needs into Journeys. Stops are indices;
times are seconds of the timetable's service day (negative or past 86400 allowed).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..timetable.model import Timetable
from . import backward, bounds, mcprofile, sweep
from .csa import INF
from .journey import Journey
from .reconstruct import build_journey, build_journeys, records_from_state
from .scan import Out, State, run_ea, run_scan
from .views import View, distinct, view

#: arrival time of a stop that cannot be reached
UNREACHABLE = INF
#: transfer limit of ``pareto`` and ``profile`` when none is given
DEFAULT_MAX_TRANSFERS = 5


# --------------------------------------------------------------------------- plumbing

_NO_STOPS = np.zeros(0, dtype=np.int64)     # no stops (size 0: nothing in it to change)


def _is_int(x) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def stop_indices(tt: Timetable, stops: Sequence[int] | int | None, what: str) -> np.ndarray:
    """``stops`` (indices, or one index) checked against ``tt`` (ValueError naming ``what`` when
    out of range or not whole numbers: a boolean mask or 28.9 would be read as other stops) as a
    sorted distinct int64 array, empty for None: every query's (and ``toward``'s) way in."""
    if stops is None:
        return _NO_STOPS
    if _is_int(stops):
        stops = [stops]
    elif isinstance(stops, np.ndarray) and stops.dtype == np.bool_:
        raise ValueError(f"{what}: stop indices, not a boolean mask (np.flatnonzero(mask) gives them)")
    stops = list(stops)
    if len(stops) == 1:             # the common case, checked before it becomes an array
        if not _is_int(stops[0]):
            raise ValueError(f"{what}: stop indices are whole numbers 0..{tt.n_stops - 1}, not {stops[0]!r}")
        if not 0 <= stops[0] < tt.n_stops:
            raise ValueError(f"{what}: stop index out of range 0..{tt.n_stops - 1}")
        return np.array(stops, dtype=np.int64)
    if not stops:
        return _NO_STOPS
    raw = np.asarray(stops)
    if raw.dtype == np.bool_:
        raise ValueError(f"{what}: stop indices, not a boolean mask (np.flatnonzero(mask) gives them)")
    if raw.dtype.kind not in "iu":
        bad = next(x for x in stops if not _is_int(x))
        raise ValueError(f"{what}: stop indices are whole numbers 0..{tt.n_stops - 1}, not {bad!r}")
    a = distinct(raw.astype(np.int64, copy=False))
    if a.size and (a[0] < 0 or a[-1] >= tt.n_stops):
        raise ValueError(f"{what}: stop index out of range 0..{tt.n_stops - 1}")
    return a


def _transfer_limit(max_transfers: int, what: str) -> int:
    """``max_transfers`` of a query that sets journeys apart by transfers (``pareto``,
    ``profile``): a number, never None. (None, no limit, gave one layer, in which such a query
    found nothing: an empty answer instead of an error.)"""
    if max_transfers is None:
        raise ValueError(f"{what}: max_transfers must be a number >= 0 (a Pareto set over transfers "
                         f"needs a limit; default {DEFAULT_MAX_TRANSFERS}), not None")
    return _whole(max_transfers, "max_transfers", "transfers >= 0")


def _whole(x, what: str, unit: str) -> int:
    """``x`` as an int: an int, a numpy integer or a float without a fraction (numbers as pandas
    gives them); a ValueError naming ``what`` for anything else ("07:00", NaN, 7.5, True), which
    ``int()`` would refuse bare, truncate or read as 1."""
    if _is_int(x):
        return int(x)
    if isinstance(x, (float, np.floating)) and math.isfinite(x) and x == int(x):
        return int(x)
    raise ValueError(f"{what}: a whole number of {unit}, not {x!r}")


def _time(x, what: str) -> int:
    """A time argument: whole seconds after the service day's start (may exceed 24 h)."""
    return _whole(x, what, "seconds after the service day's start")


def _layers(max_transfers: int | None) -> tuple[int, bool]:
    if max_transfers is None:
        return 1, False
    max_transfers = _whole(max_transfers, "max_transfers", "transfers >= 0")
    if max_transfers < 0:
        raise ValueError(f"max_transfers must be >= 0, not {max_transfers}")
    return max_transfers + 2, True


def _window(start, end, what: str) -> tuple[int, int]:
    """A profile's departure window [start, end], whole seconds, start not after end."""
    start, end = _time(start, "start"), _time(end, "end")
    if start > end:
        raise ValueError(f"{what}: start ({start}) is after end ({end})")
    return start, end


def _best_target(st: State, n: int, targets: np.ndarray, layers: range) -> tuple[int, int, int]:
    """(arrival, layer, stop) of the best target label in ``layers`` (ties: lower layer)."""
    best = (INF, -1, -1)
    for j in layers:
        for t in targets.tolist():
            a = int(st.arr_t[t * st.R + j])
            if a < best[0]:
                best = (a, j, t)
    return best


def _journey(tt: Timetable, v: View, st: State, layer: int, stop: int, leave: int,
             src: np.ndarray) -> Journey:
    """The journey of arrival label (layer, stop) of a scan from ``src`` leaving at ``leave``."""
    recs = records_from_state(st, v, layer, stop, st.bounded)
    if recs is not None:
        return build_journey(tt, v, recs, int(st.arr_fp[stop * st.R + layer]), stop, leave)
    # rare (see records_from_state): find the same arrival with a transfer-bounded scan
    want = int(st.arr_t[stop * st.R + layer])
    tg = np.array([stop], dtype=np.int64)
    for cap in (4, 16, 64, max(v.nt, 64)):
        R, _ = _layers(cap)
        st2 = State(v, R, True)
        run_scan(v, st2, sources=src, targets=tg, events=[leave], origin_arr=False, prune=(0, R - 1))
        for j in range(1, R):
            if int(st2.arr_t[stop * R + j]) == want:
                recs = records_from_state(st2, v, j, stop, True)
                return build_journey(tt, v, recs, int(st2.arr_fp[stop * R + j]), stop, leave)
    raise AssertionError("router: lost the journey of a label")


# --------------------------------------------------------------------------- earliest arrival

@dataclass
class EAResult:
    """Earliest arrivals from one departure.

    ``arrival[s]``: earliest time standing at stop s (``UNREACHABLE`` if never), counting the
    origin itself (sources at ``depart``, one footpath from them). When the query named
    targets, the scan stopped once nothing could beat the best target, so only the targets'
    values are final; other stops hold upper bounds. (Made from the labels when first read:
    a caller after a journey needs no array.)"""

    depart: int
    max_transfers: int | None
    _tt: Timetable = field(repr=False)
    _view: View = field(repr=False)
    _state: State = field(repr=False)
    _sources: np.ndarray = field(repr=False)
    _targets: np.ndarray = field(repr=False, default=None)
    _arrival: np.ndarray | None = field(repr=False, default=None)

    @property
    def arrival(self) -> np.ndarray:
        """Per stop, the earliest arrival (see the class docstring)."""
        if self._arrival is None:
            self._arrival = self._state.arrivals(self._view.n)
        return self._arrival

    def journey(self, targets: Sequence[int] | int) -> Journey | None:
        """The journey to whichever of ``targets`` is reached first (None if none is).

        Ties go to fewer rides (with a transfer limit) or the first best target. A target that
        is a source gives an empty journey; one footpath from a source, a single walk leg."""
        tg = stop_indices(self._tt, [targets] if isinstance(targets, (int, np.integer)) else targets, "targets")
        if not self._state.pointers:    # scanned for times only: the same scan again, with them
            st = State(self._view, self._state.R, self._state.bounded)
            run_scan(self._view, st, sources=self._sources, targets=self._targets, events=[self.depart],
                  origin_arr=True, prune=(0, st.R - 1))
            self._state = st
        a, j, t = _best_target(self._state, self._view.n, tg, range(self._state.R))
        if t < 0:
            return None
        return _journey(self._tt, self._view, self._state, j, t, self.depart, self._sources)


def earliest_arrival(tt: Timetable, sources: Sequence[int], depart: int, *,
                     targets: Sequence[int] | None = None,
                     max_transfers: int | None = None) -> EAResult:
    """Earliest arrival at every stop leaving any of ``sources`` at ``depart``.

    With ``targets`` the scan stops as soon as no later connection can improve on the best
    target (see EAResult). ``max_transfers`` limits rides to max_transfers + 1. Without
    targets, journeys are traced only when ``journey`` is first called (a second scan)."""
    v = view(tt)
    R, bounded = _layers(max_transfers)
    src = stop_indices(tt, sources, "sources")
    if not src.size:
        raise ValueError("no source stop")
    tg = stop_indices(tt, targets, "targets")
    depart = _time(depart, "depart")
    if v.runs_scan_ea(R):       # one layer (the common query): without targets, times only
        st = State(v, 1, False, pointers=targets is not None)
        run_ea(v, st, src, tg, depart, True, pointers=targets is not None)
    else:
        st = State(v, R, bounded)
        run_scan(v, st, sources=src, targets=tg, events=[depart], origin_arr=True, prune=(0, R - 1))
    return EAResult(depart, max_transfers, tt, v, st, src, tg)


# --------------------------------------------------------------------------- Pareto and arrive-by

def _direct_pruning(tt: Timetable, v: View, src: np.ndarray, tg: np.ndarray, events: np.ndarray,
                    R: int, src_last: int = INF) -> tuple[np.ndarray, np.ndarray]:
    """Per event, the target bound and first pruning layer of a rides-only scan (``bounds``):
    the direct journeys' arrival and layer 1 or, without a direct journey, the fewest rides
    the network allows (at least 2, or 1 when a ride may go on in seat as another trip, which
    ``direct_arrivals`` does not follow); a bound of -INF when that exceeds the layers (nothing
    to find). With rules that govern changes (a timed change needs no footpath) rides are not
    simply trips: then only the direct journeys' bound. Direct rides leaving the origin after
    ``src_last`` are not allowed, so they bound nothing."""
    o_off, t_off = bounds.origin_offsets(tt, v.n, src), bounds.target_offsets(tt, v.n, tg)
    direct = bounds.direct_arrivals(tt, v, o_off, t_off, events, src_last)
    lo = np.ones(len(events), dtype=np.int64)
    none = direct >= INF
    if none.any() and v.K == 1:     # (K == 1: no governing rules, in-seat ones at most)
        lo[none] = max(1 if len(v.fi_conn) else 2, bounds.fewest_rides(tt, v, o_off, t_off, R - 1))
    hopeless = lo > R - 1
    direct[hopeless], lo[hopeless] = -INF, R - 1
    return direct, lo


def _pareto_scan(tt: Timetable, v: View, src: np.ndarray, tg: np.ndarray, depart: int,
                 max_transfers: int, until: int = INF) -> tuple[State, list[tuple[int, int, int]]]:
    """Scan for rides-only journeys; [(arrival, layer, stop)] of the Pareto front, fewest first.
    ``until``: no interest in arrivals after that time (the scan stops there)."""
    R, bounded = _layers(max_transfers)
    st = State(v, R, bounded)
    events = np.array([int(depart)], dtype=np.int64)
    eb, el = _direct_pruning(tt, v, src, tg, events, R)
    run_scan(v, st, sources=src, targets=tg, events=events, origin_arr=False, prune=(1, 1),
          horizon=INF if until >= INF else max(int(until) - int(depart), 0), ev_bound=eb, ev_lo=el)
    front: list[tuple[int, int, int]] = []
    for j in range(1, R):
        a, _, t = _best_target(st, v.n, tg, range(j, j + 1))
        if t >= 0 and (not front or a < front[-1][0]):
            front.append((a, j, t))
    return st, front


def pareto(tt: Timetable, sources: Sequence[int], targets: Sequence[int], depart: int,
           max_transfers: int = DEFAULT_MAX_TRANSFERS) -> list[Journey]:
    """The journeys leaving at ``depart`` that are Pareto-optimal in (arrival, transfers), for
    0..max_transfers transfers: fewest transfers first, each arriving strictly earlier than the
    one before. Only journeys with at least one ride count."""
    max_transfers = _transfer_limit(max_transfers, "pareto")
    depart = _time(depart, "depart")
    v = view(tt)
    src, tg = stop_indices(tt, sources, "sources"), stop_indices(tt, targets, "targets")
    if not src.size or not tg.size:
        raise ValueError("no source or no target stop")
    st, front = _pareto_scan(tt, v, src, tg, depart, max_transfers)
    return [_journey(tt, v, st, j, t, depart, src) for _, j, t in front]


def latest_departure(tt: Timetable, sources: Sequence[int], targets: Sequence[int], arrive: int, *,
                     max_transfers: int | None = None) -> int | None:
    """The latest time one may leave a source (stand there) and still reach a target by
    ``arrive`` with at least one ride; None when impossible. One reverse scan."""
    arrive = _time(arrive, "arrive")
    rv = view(tt, reverse=True)
    src, tg = stop_indices(tt, sources, "sources"), stop_indices(tt, targets, "targets")
    if not src.size or not tg.size:
        raise ValueError("no source or no target stop")
    R, bounded = _layers(max_transfers)
    st = State(rv, R, bounded)
    run_scan(rv, st, sources=tg, targets=src, events=[-int(arrive)], origin_arr=False, prune=(0, R - 1))
    best = int(st.arrivals(rv.n)[src].min())
    return None if best >= INF else -best


def arrive_by(tt: Timetable, sources: Sequence[int], targets: Sequence[int], arrive: int, *,
              max_transfers: int | None = None) -> Journey | None:
    """The journey leaving a source as late as possible and reaching a target by ``arrive``;
    among those, the earliest arrival, then the fewest transfers. None when impossible.

    A reverse scan finds the latest departure L; forward scans from L pick the arrival."""
    arrive = _time(arrive, "arrive")
    leave = latest_departure(tt, sources, targets, arrive, max_transfers=max_transfers)
    if leave is None:
        return None
    v = view(tt)
    src, tg = stop_indices(tt, sources, "sources"), stop_indices(tt, targets, "targets")
    if max_transfers is None:
        R, _ = _layers(None)
        st = State(v, R, False)
        run_scan(v, st, sources=src, targets=tg, events=[leave], origin_arr=False, prune=(0, 0))
        a, j, t = _best_target(st, v.n, tg, range(1))
        if t < 0:
            raise AssertionError("arrive_by: the forward scan lost the journey")
        fastest = _journey(tt, v, st, j, t, leave, src)
        if fastest.transfers == 0:
            return fastest
        max_transfers = fastest.transfers
    st, front = _pareto_scan(tt, v, src, tg, leave, max_transfers, until=int(arrive))
    if not front:
        raise AssertionError("arrive_by: the forward scan lost the journey")
    best = front[-1][0]
    a, j, t = next(x for x in front if x[0] == best)
    return _journey(tt, v, st, j, t, leave, src)


# --------------------------------------------------------------------------- profiles

def _departure_events(tt: Timetable, v: View, src: np.ndarray) -> np.ndarray:
    """Every time worth leaving a source: just in time for a boardable connection there, or
    at one footpath from a source (minus the walk). Sorted ascending, distinct."""
    fs = tt.fp_start
    if all(fs[s] == fs[s + 1] for s in src.tolist()):      # no origin walk: the departures there
        if src.size == 1:
            got = _stop_departures(v)
            if got is not None:
                s = int(src[0])
                return got[1][got[0][s]:got[0][s + 1]]
        idx = v.at_stops(src, "from")
        return distinct(v.np_dep[idx[v.np_board[idx]]].astype(np.int64))
    off = bounds.origin_offsets(tt, v.n, src)
    idx = v.at_stops(np.flatnonzero(off < INF), "from")
    idx = idx[v.np_board[idx]]
    return distinct(v.np_dep[idx] - off[v.np_from[idx]])


#: profiles from one stop before ``_stop_departures`` indexes the view
_DEPARTURES_AFTER = 12


def _stop_departures(v: View) -> tuple[np.ndarray, np.ndarray] | None:
    """Per stop, its distinct boardable departure times ascending (``times[start[s]:start[s +
    1]]``), as (start, times); built on the view once it served a few queries (a stable sort
    of the boardable connections by stop: worth it for many profiles, not for one), None
    before."""
    got = v._stop_index.get("departures")
    if got is None:
        uses = v._stop_index["departures uses"] = v._stop_index.get("departures uses", 0) + 1
        if uses <= _DEPARTURES_AFTER:
            return None
        idx = np.flatnonzero(v.np_board)
        frm = v.np_from[idx]
        order = np.argsort(frm, kind="stable")     # (connections are in departure order)
        frm, dep = frm[order], v.np_dep[idx[order]].astype(np.int64)
        keep = np.ones(frm.size, dtype=bool)
        keep[1:] = (frm[1:] != frm[:-1]) | (dep[1:] != dep[:-1])
        start = np.zeros(v.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(frm[keep], minlength=v.n), out=start[1:])
        got = v._stop_index["departures"] = (start, dep[keep])
    return got


def _windowed_events(tt: Timetable, v: View, src: np.ndarray, start: int, end: int,
                     later_compete: bool = True) -> tuple[list[int], int]:
    """Events in [start, end], latest first, preceded (``later_compete``) by the first event
    after ``end`` (the seed run, so that journeys leaving after the window dominate those in
    it); and the seed count."""
    ev = _departure_events(tt, v, src)
    lo, hi = int(ev.searchsorted(start)), int(ev.searchsorted(end, "right"))
    inside = ev[lo:hi][::-1].tolist()
    if hi < ev.size and later_compete:
        return [int(ev[hi]), *inside], 1
    return inside, 0


#: whole scans per departure of a one-to-one profile (each run stops at the target bound or
#: where the labels it changed stop mattering) and of a one-to-all profile (no target bound)
_PROFILE_SCANS = 0.1
_PROFILE_ALL_SCANS = 0.5


def profile(tt: Timetable, sources: Sequence[int], targets: Sequence[int], start: int, end: int, *,
            max_transfers: int = DEFAULT_MAX_TRANSFERS, later_compete: bool = True) -> list[Journey]:
    """Every Pareto-optimal journey leaving a source within [start, end]: none other leaves
    later (or equal), arrives earlier (or equal) with no more transfers. Sorted by departure,
    then transfers. Departure = leaving the source (before any origin walk), as in arrive_by.
    Journeys leaving after ``end`` are not listed but do dominate (unless ``later_compete`` is
    False: then only journeys leaving within the window compete), and journeys without a ride
    are not listed."""
    R, bounded = _layers(_transfer_limit(max_transfers, "profile"))
    start, end = _window(start, end, "profile")
    v = view(tt)
    src, tg = stop_indices(tt, sources, "sources"), stop_indices(tt, targets, "targets")
    if not src.size or not tg.size:
        raise ValueError("no source or no target stop")
    events, n_seed = _windowed_events(tt, v, src, int(start), int(end), later_compete)
    if len(events) == n_seed:
        return []
    v = view(tt, scans=_PROFILE_SCANS * len(events))
    if backward.usable(v, R):   # one forward and one backward pass instead of a run per departure
        got = backward.profile(tt, v, src, tg, events[n_seed:], events[0] if n_seed else None, int(start),
                               int(end), R, later_compete)
        if got is not None:
            return got
    last = INF if later_compete else int(end)
    eb, el = _direct_pruning(tt, v, src, tg, np.asarray(events, dtype=np.int64), R, last)
    if mcprofile.usable(v):
        dep, _, stop, fp, rec_end, rb, re_, rp = mcprofile.run(v, src, tg, np.asarray(events, dtype=np.int64),
                                                               n_seed, R, last, eb, el)
        n_out = len(dep)
    else:
        st = State(v, R, bounded, mode=1)
        cap = len(events) * R
        out = Out.make(v.backend, cap, cap * R)
        n_out, _ = run_scan(v, st, sources=src, targets=tg, events=events, n_seed=n_seed, mode=1,
                            origin_arr=False, prune=(1, 1), src_last=last, out=out, ev_bound=eb, ev_lo=el)
        dep, stop, fp, rec_end = (out.col(k, n_out) for k in ("dep", "stop", "fp", "rec"))
        rb, re_, rp = (out.col(k, int(rec_end[-1]) if n_out else 0) for k in ("rb", "re", "rp"))
    n_rec = int(rec_end[n_out - 1]) if n_out else 0
    journeys = build_journeys(tt, v, rb[:n_rec], re_[:n_rec], rp[:n_rec], rec_end[:n_out], fp[:n_out],
                              stop[:n_out], dep[:n_out])
    order = sorted(range(n_out), key=lambda k: (int(dep[k]), journeys[k].transfers))
    return [journeys[k] for k in order]


@dataclass
class ProfileAll:
    """One-to-all profile: for each stop, the Pareto (departure, arrival) pairs.

    Pairs of stop s are ``dep[start[s]:start[s+1]]`` and ``arr[...]``, departures ascending
    (arrivals then ascending too). Departure = leaving a source; arrival = earliest standing at
    s with at least one ride. ``after[s]``: the earliest arrival at s leaving after the window
    (``UNREACHABLE`` if none). Leaving at time t in the window, the earliest arrival at s is
    the arrival of the first pair with dep >= t, else ``after[s]``: see ``arrivals_at``.
    With a ``horizon``, only pairs (and ``after``) arriving within it of their departure are
    kept, so answers beyond the horizon read as later arrivals or ``UNREACHABLE``."""

    start: np.ndarray
    dep: np.ndarray
    arr: np.ndarray
    after: np.ndarray = None
    window: tuple[int, int] = (0, 0)

    def pairs(self, stop: int) -> tuple[np.ndarray, np.ndarray]:
        a, b = int(self.start[stop]), int(self.start[stop + 1])
        return self.dep[a:b], self.arr[a:b]

    def arrivals_at(self, times: Sequence[int], stops: Sequence[int] | None = None) -> np.ndarray:
        """Earliest arrival at each stop leaving a source at or after each time (waiting at
        the source included), shape (len(times), len(stops)); times must lie in the window.
        ``stops``: which stops (default all). ``UNREACHABLE`` where none."""
        t = np.asarray(times, dtype=np.int64)
        if t.size and (t.min() < self.window[0] or t.max() > self.window[1]):
            raise ValueError(f"times must lie in the profile's window {self.window}")
        s = np.arange(len(self.start) - 1) if stops is None else np.asarray(stops, dtype=np.int64)
        span = np.int64(1) << 40            # above any time: one searchsorted for every stop
        key = np.repeat(np.arange(len(self.start) - 1, dtype=np.int64), np.diff(self.start)) * span + self.dep
        q = s[None, :] * span + t[:, None]
        i = np.searchsorted(key, q, side="left")
        inside = i < self.start[s + 1][None, :]
        out = np.broadcast_to(self.after[s][None, :], q.shape).copy()
        out[inside] = self.arr[i[inside]]
        return out

    def fastest(self) -> np.ndarray:
        """Per stop, the shortest journey (arrival - departure, s) leaving in the window;
        ``UNREACHABLE`` where none."""
        n = len(self.start) - 1
        best = np.full(n, INF, dtype=np.int64)
        if self.dep.size:
            stop = np.repeat(np.arange(n), np.diff(self.start))
            np.minimum.at(best, stop, self.arr - self.dep)
        return best


def profile_all(tt: Timetable, sources: Sequence[int], start: int, end: int, *,
                max_transfers: int | None = None, horizon: int | None = None) -> ProfileAll:
    """For every stop, the (departure, arrival) pairs of journeys leaving ``sources`` within
    [start, end] that no journey leaving later (or equal) beats (arrives earlier or equal):
    the query behind one-hour circles and coverage matrices (one call per origin; see
    ``ProfileAll.arrivals_at`` for "travel time leaving at minute t" and ``fastest``).

    ``horizon`` (seconds) keeps only arrivals within that time of the departure and scans
    no further, which makes whole-day profiles cheap (e.g. 3600 for a one-hour circle)."""
    start, end = _window(start, end, "profile_all")
    v = view(tt)
    src = stop_indices(tt, sources, "sources")
    if not src.size:
        raise ValueError("no source stop")
    R, bounded = _layers(max_transfers)
    events, n_seed = _windowed_events(tt, v, src, int(start), int(end))
    v = view(tt, scans=_PROFILE_ALL_SCANS * len(events))
    hz = INF if horizon is None else _whole(horizon, "horizon", "seconds")
    if sweep.usable(v, R):      # one pass instead of one run per departure
        until = INF if hz >= INF or not events else max(events) + hz
        dep, stop, arr = sweep.run(v, src, np.asarray(events, dtype=np.int64), until, hz,
                                   (tt.fp_start, tt.fp_to, tt.fp_dur))
    else:
        st = State(v, R, bounded, mode=2)
        out = Out.make(v.backend, max(4 * v.n, 64 * len(events)), 0)
        n_out, _ = run_scan(v, st, sources=src, targets=np.zeros(0, dtype=np.int64), events=events,
                            n_seed=n_seed, mode=2, origin_arr=False, prune=(0, -1), horizon=hz, out=out)
        # (pairs come departure by departure, latest first: reversed, in ascending departures)
        dep, stop, arr = (out.col(k, n_out)[::-1] for k in ("dep", "stop", "arr"))
    after = np.full(v.n, INF, dtype=np.int64)
    seed = dep > int(end)
    after[stop[seed]] = arr[seed]
    dep, stop, arr = dep[~seed], stop[~seed], arr[~seed]
    # each stop's pairs are in ascending departure order already: a stable sort by stop (a
    # radix sort on 16 bits) puts them in (stop, departure) order
    order = np.argsort(stop.astype(np.int16 if v.n < 2 ** 15 else np.int32), kind="stable")
    starts = np.zeros(v.n + 1, dtype=np.int64)
    np.cumsum(np.bincount(stop, minlength=v.n), out=starts[1:])
    return ProfileAll(starts, dep[order], arr[order], after, (int(start), int(end)))
