"""Timetable arrays in the form the kernel scans, built once per Timetable and direction.

The forward view re-sorts connections by (dep, arr, trip, seq), so a trip's zero-duration hops
are scanned in ride order. The reverse view (for arrive-by) is the same network with time
flowing backwards: a connection u -> v leaving at d and arriving at a becomes v -> u leaving at
-a and arriving at -d, pickup and drop-off swap, footpaths and trip blocks point the other way.
An earliest-arrival scan of the reverse view from the targets at -T yields, at every stop, minus
the latest time one may leave it and still arrive by T.

Timetables are treated as immutable: a view is cached per Timetable object (dropped with it).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..timetable.model import Timetable
from . import backend
from .csa import INF


@dataclass
class View:
    """One direction of a timetable, as kernel arguments (numpy, or lists for the interpreter)."""

    n: int
    nt: int
    c_from: Any
    c_to: Any
    c_dep: Any
    c_arr: Any
    c_trip: Any
    c_seq: Any
    c_board: Any
    c_alight: Any
    stop_change: Any
    fp_start: Any
    fp_to: Any
    fp_dur: Any
    blocks: Any
    trip_end: Any               # per trip, the departure of its last hop (in scan direction)
    K: int                      # ready labels per stop: 1 + most trips one trip is blocked from
    backend: str                # "python" (lists) or "numba" (numpy arrays)
    np_dep: np.ndarray = field(repr=False, default=None)   # int64 copies for the Python side
    np_arr: np.ndarray = field(repr=False, default=None)
    np_from: np.ndarray = field(repr=False, default=None)
    np_to: np.ndarray = field(repr=False, default=None)
    np_trip: np.ndarray = field(repr=False, default=None)
    np_board: np.ndarray = field(repr=False, default=None)
    np_seq: np.ndarray = field(repr=False, default=None)

    def tt_args(self) -> tuple:
        """The timetable part of ``csa.scan``'s arguments."""
        return (self.c_from, self.c_to, self.c_dep, self.c_arr, self.c_trip, self.c_seq,
                self.c_board, self.c_alight, self.stop_change, self.fp_start, self.fp_to,
                self.fp_dur, self.blocks, self.trip_end, self.n, self.nt)


def distinct(a: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique without its lazy import of numpy.ma, ~50 ms)."""
    s = np.sort(np.asarray(a).ravel())
    if s.size < 2:
        return s
    keep = np.empty(s.size, dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def _block_width(blocks: np.ndarray, nt: int) -> int:
    if blocks.size == 0:
        return 1
    return 1 + int(np.bincount(blocks % nt, minlength=1).max())


def _csr_reverse(n: int, start: np.ndarray, to: np.ndarray, dur: np.ndarray):
    """Footpaths u -> v as v -> u, in CSR."""
    frm = np.repeat(np.arange(n, dtype=np.int64), np.diff(start.astype(np.int64)))
    order = np.lexsort((frm, to))
    rstart = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(to, minlength=n), out=rstart[1:])
    return rstart, frm[order], dur.astype(np.int64)[order]


def _build(tt: Timetable, reverse: bool, which: str) -> View:
    n, nt = tt.n_stops, tt.n_trips
    dep = tt.c_dep.astype(np.int64)
    arr = tt.c_arr.astype(np.int64)
    frm, to = tt.c_from.astype(np.int64), tt.c_to.astype(np.int64)
    trip, seq = tt.c_trip.astype(np.int64), tt.c_seq.astype(np.int64)
    board, alight = tt.c_board.astype(bool), tt.c_alight.astype(bool)
    fp_start = tt.fp_start.astype(np.int64)
    fp_to = tt.fp_to.astype(np.int64)
    fp_dur = tt.fp_dur.astype(np.int64)
    blocks = np.asarray(tt.trip_transfer_block, dtype=np.int64)
    if reverse:
        dep, arr = -arr, -dep
        frm, to = to, frm
        seq = -seq
        board, alight = alight, board
        fp_start, fp_to, fp_dur = _csr_reverse(n, fp_start, fp_to, fp_dur)
        blocks = (blocks % max(nt, 1)) * nt + blocks // max(nt, 1)
    blocks = distinct(blocks)
    order = np.lexsort((seq, trip, arr, dep))
    dep, arr, frm, to = dep[order], arr[order], frm[order], to[order]
    trip, seq, board, alight = trip[order], seq[order], board[order], alight[order]
    trip_end = np.full(max(nt, 1), -INF, dtype=np.int64)
    np.maximum.at(trip_end, trip, dep)
    cols = dict(trip_end=trip_end[:nt].astype(np.int32), c_from=frm.astype(np.int32), c_to=to.astype(np.int32), c_dep=dep.astype(np.int32),
                c_arr=arr.astype(np.int32), c_trip=trip.astype(np.int32), c_seq=seq.astype(np.int32),
                c_board=board, c_alight=alight, stop_change=tt.stop_change.astype(np.int32),
                fp_start=fp_start.astype(np.int32), fp_to=fp_to.astype(np.int32),
                fp_dur=fp_dur.astype(np.int32), blocks=blocks)
    if which == "python":
        cols = {k: v.tolist() for k, v in cols.items()}
    return View(n=n, nt=nt, K=_block_width(blocks, nt), backend=which, **cols,
                np_dep=dep, np_arr=arr, np_from=frm, np_to=to, np_trip=trip, np_board=board, np_seq=seq)


_CACHE: dict[int, tuple[weakref.ref, dict]] = {}


def view(tt: Timetable, reverse: bool = False) -> View:
    """The (cached) forward or reverse view of ``tt`` for the backend its size calls for."""
    which = backend.choose(tt.n_connections)
    key = id(tt)
    hit = _CACHE.get(key)
    if hit is None or hit[0]() is not tt:
        views: dict = {}
        _CACHE[key] = (weakref.ref(tt, lambda _r, k=key: _CACHE.pop(k, None)), views)
    else:
        views = hit[1]
    v = views.get((reverse, which))
    if v is None:
        v = views[(reverse, which)] = _build(tt, reverse, which)
    return v
