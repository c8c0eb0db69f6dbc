"""One query's scan state and the loop that runs the kernel on it.

``State`` holds the labels of a query (Python lists for the interpreted kernel, int32 arrays for
numba, reused across queries once no result holds them), ``Out`` the output buffers of recording
scans, and ``run_scan`` (``run_ea`` for a one-layer earliest arrival) calls the kernel of the
view's backend until it is done: converting more connections for the interpreter, growing the
output buffers, falling back to the interpreter should numba fail.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from . import backend, csa, lean
from .csa import INF
from .views import View


class State:
    """Labels of one query (lists for the interpreter, int32 arrays for numba).

    ``mode`` as in ``csa.scan``: the recording arrays of modes 1 and 2 are only allocated for
    them. For numba, arrays of one initial value are views of a single allocation (a query on
    a small feed is otherwise mostly allocation)."""

    #: (the first four are all ``csa.scan_ea`` reads: a State without pointers resets only them)
    _INF_FIELDS = ("arr_t", "rarr", "rdy_t", "t_min", "rdy_min", "tb", "t_seq", "last_rec", "tbest")
    _NEG_FIELDS = ("arr_exit", "arr_fp", "rdy_exit", "rdy_fp", "t_board", "t_pexit", "t_pfp")
    _ZERO_FIELDS = ("stamp", "touched")

    def __init__(self, v: View, R: int, bounded: bool, mode: int = 0, pointers: bool = True):
        """``pointers=False``: for a one-layer scan of times only (``run_ea``): numba's arrays
        that scan does not read are then not reset, and ``pointers`` stays False."""
        self.R, self.bounded, self._v, self._mode = R, bounded, v, mode
        self.pointers = pointers
        self.reset()

    def reset(self) -> None:
        """Every label back to its initial value (a new query). The interpreter's lists are
        made by ``lists`` (its earliest-arrival scan needs only a few). numba's arrays are
        views of a few buffers, taken from the view's pool of buffers no live State holds
        (``__del__`` gives them back) or allocated, and refilled (a compiled fill would be
        about twice as fast, but loading it costs a process several milliseconds)."""
        v, R = self._v, self.R
        if v.backend == "python":
            for f in self.__dict__.pop("_made", ()):
                del self.__dict__[f]
            self._made = []
            self._spec = self._sizes(v.n, v.nt, v.K, R, self._mode)
            return
        layout = self._layout(v.n, v.nt, v.K, R, self._mode)
        if "_bufs" not in self.__dict__:
            free = v.pool.get((v.K, R, self._mode))
            try:
                self._bufs, arrays = free.pop()
            except (AttributeError, IndexError):    # no pool yet, or an empty one
                self._bufs = tuple(np.empty(total, dtype=np.int32) for _, _, total in layout)
                arrays = {f: buf[a:b] for (fields, _, _), buf in zip(layout, self._bufs) for f, a, b in fields}
            self._arrays = arrays
            self.__dict__.update(arrays)
        (inf_fields, inf_val, _), (_, neg_val, _), _ = layout
        inf, neg, zero = self._bufs
        if self.pointers:
            inf.fill(inf_val)
            neg.fill(neg_val)
            zero.fill(0)
        else:                       # times only (``run_ea``): the first four INF fields
            inf[:inf_fields[3][2]].fill(inf_val)

    def __del__(self) -> None:
        """Give numba's buffers to the view's pool (a few per layout), for the next query:
        nothing returned to a caller is a view of them (``arrivals`` copies)."""
        bufs = self.__dict__.get("_bufs")
        if bufs is not None:
            free = self._v.pool.setdefault((self._v.K, self.R, self._mode), [])
            if len(free) < 2:
                free.append((bufs, self._arrays))

    def lists(self, *names: str) -> None:
        """Make the interpreter's label lists ``names`` (all without names) not made yet."""
        d = self.__dict__
        if "_spec" not in d:
            return                              # numba: arrays made by reset
        for f in names or self._spec:
            if f not in d:
                val, size = self._spec[f]
                d[f] = [val] * size
                self._made.append(f)

    def __getattr__(self, name: str) -> list:
        """A label list of the interpreter read before ``lists`` made it (slower: the lookup
        fails first)."""
        if name.startswith("_") or name not in self.__dict__.get("_spec", ()):
            raise AttributeError(name)
        self.lists(name)
        return self.__dict__[name]

    @staticmethod
    @functools.lru_cache(maxsize=64)
    def _sizes(n: int, nt: int, K: int, R: int, mode: int) -> dict:
        """{field: (initial value, size)} of ``_layout``."""
        return {f: (val, b - a) for fields, val, _ in State._layout(n, nt, K, R, mode) for f, a, b in fields}

    @staticmethod
    @functools.lru_cache(maxsize=64)
    def _layout(n: int, nt: int, K: int, R: int, mode: int) -> tuple:
        """((field, start, end)..., initial value, total size) per group of arrays. (rarr and
        rdy_t have a slot more: ``csa.scan_ea``'s stop n, whose labels stay INF.)"""
        size = {"arr_t": R * n, "rarr": R * n + 1, "rdy_t": R * n * K + 1, "rdy_min": n, "tb": R, "t_seq": R * nt,
                "t_min": nt, "last_rec": n if mode == 2 else 0, "tbest": R if mode == 1 else 0,
                "arr_exit": R * n, "arr_fp": R * n, "rdy_exit": R * n * K, "rdy_fp": R * n * K,
                "t_board": R * nt, "t_pexit": R * nt, "t_pfp": R * nt,
                "stamp": n if mode == 2 else 0, "touched": n if mode == 2 else 0}
        out = []
        for fields, val in ((State._INF_FIELDS, INF), (State._NEG_FIELDS, -1), (State._ZERO_FIELDS, 0)):
            at, spans = 0, []
            for f in fields:
                spans.append((f, at, at + size[f]))
                at += size[f]
            out.append((tuple(spans), val, at))
        return tuple(out)

    def arrivals(self, n: int, layers: slice = slice(None)) -> np.ndarray:
        """Per stop, the best arrival over the given layers."""
        if self.R == 1:
            return np.array(self.arr_t, dtype=np.int64)
        return np.asarray(self.arr_t, dtype=np.int64).reshape(n, self.R)[:, layers].min(axis=1)


@dataclass
class Out:
    """Output buffers of recording scans (mode 1: journeys; mode 2: per-stop pairs)."""

    cap: int = 0
    rec_cap: int = 0
    arrays: dict = field(default_factory=dict)

    @classmethod
    def make(cls, which: str, cap: int, rec_cap: int) -> Out:
        def mk(size: int):
            return [0] * size if which == "python" else np.zeros(size, dtype=np.int64)
        o = cls(cap, rec_cap)
        for k in ("dep", "layer", "stop", "arr", "fp", "rec"):
            o.arrays[k] = mk(cap)
        for k in ("rb", "re", "rp"):
            o.arrays[k] = mk(rec_cap)
        return o

    def grow(self, which: str, n_out: int) -> None:
        self.cap *= 2
        for k in ("dep", "layer", "stop", "arr", "fp", "rec"):
            old = self.arrays[k]
            if which == "python":
                self.arrays[k] = old + [0] * (self.cap - len(old))
            else:
                new = np.zeros(self.cap, dtype=np.int64)
                new[:n_out] = old[:n_out]
                self.arrays[k] = new

    def col(self, k: str, n_out: int) -> np.ndarray:
        return np.asarray(self.arrays[k][:n_out], dtype=np.int64)


def call_kernel(k, name: str, *args):
    """k.<name>(*args); should numba fail to compile it, the same code interpreted (it runs
    on numpy arrays too, only slower) and the interpreter for later queries."""
    try:
        return getattr(k, name)(*args)
    except Exception as e:
        backend.numba_broken(e, k is not csa)
        return getattr(csa, name)(*args)


_NO_OUT: dict[str, Out] = {}   # empty output buffers for non-recording scans, per backend
_NONE = {"python": [], "numba": np.zeros(0, dtype=np.int64)}

#: the interpreter first converts the connections of this span after the latest departure
_FIRST_SPAN = 2 * 3600


def _cover_first_span(v: View, first_dep: int, last_dep: int, horizon: int) -> None:
    """Make the interpreter's lists hold the connections leaving from ``first_dep`` to the
    first span after ``last_dep`` (a scan asks for more when it needs them)."""
    first = bisect.bisect_left(v.c_dep, first_dep)
    last = last_dep + (min(horizon, _FIRST_SPAN) if horizon < INF else _FIRST_SPAN)
    hi = min(bisect.bisect_right(v.c_dep, last) + 1, len(v.c_dep))
    if first < v.lo or hi > v.hi or v.lo == v.hi:
        v.cover(first, hi)


def run_ea(v: View, st: State, sources: np.ndarray, targets: np.ndarray, L: int, origin_arr: bool,
           horizon: int = INF, pointers: bool = True) -> None:
    """``run_scan`` of one earliest-arrival run leaving at ``L`` without transfer layers or
    governing trip rules (R = K = 1, mode 0; ``View.ea_scan``): the most common query, so with the least
    set-up (``csa.scan_ea``, or ``lean.scan_ea`` for the interpreter without rule firings)."""
    if pointers and not st.pointers:
        raise ValueError("run_ea: pointers asked of a State made without them")
    st.pointers = pointers
    if v.no_targets is None:        # read-only all-False marks, for a scan without targets
        v.no_targets = [False] * v.n if v.backend == "python" else np.zeros(v.n, dtype=np.bool_)
    if v.backend != "python":
        if targets.size:
            is_t = np.zeros(v.n, dtype=np.bool_)
            is_t[targets] = True
        else:
            is_t = v.no_targets
        call_kernel(backend.kernels(v.backend, times_only=not pointers), "scan_ea",
                    *v.ea_args(times_only=not pointers), origin_arr,
                    horizon, sources, targets,
                    is_t, L, pointers, st.arr_t, st.arr_exit, st.arr_fp, st.rarr, st.rdy_t, st.rdy_exit,
                    st.rdy_fp, st.t_board, st.t_pexit, st.t_pfp, st.t_min,
                    *v.settle_args(None if targets.size else sources))
        return
    src, tg = sources.tolist(), targets.tolist()
    is_t = v.no_targets
    if tg:
        is_t = list(is_t)
        for t in tg:
            is_t[t] = True
    _cover_first_span(v, L, L, horizon)
    while True:
        if not v.fi_conn:            # no trip rule firings: the interpreter's own loop
            st.lists(*lean.EA_LISTS[pointers])
            more = lean.scan_ea(v, st, src, tg, is_t, L, origin_arr, horizon, pointers)
        else:
            st.lists()
            more = csa.scan_ea(*v.ea_args(), origin_arr, horizon, src, tg, is_t, L, pointers, st.arr_t,
                               st.arr_exit, st.arr_fp, st.rarr, st.rdy_t, st.rdy_exit, st.rdy_fp, st.t_board,
                               st.t_pexit, st.t_pfp, st.t_min, *v.settle_args(None))
        if more != 1:               # (0 or csa.SETTLED: done)
            return
        v.cover(v.lo, v.hi + max(v.hi - v.lo, 4096))
        st.reset()


def run_scan(v: View, st: State, *, sources: np.ndarray, targets: np.ndarray, events: Sequence[int],
          n_seed: int = 0, mode: int = 0, origin_arr: bool, prune: tuple[int, int],
          horizon: int = INF, src_last: int = INF, out: Out | None = None, ev_bound: np.ndarray | None = None,
          ev_lo: np.ndarray | None = None, pointers: bool = True) -> tuple[int, int]:
    """Run the kernel over ``events`` (latest first); returns (n_out, n_rec).

    ``ev_bound``/``ev_lo``: per event, a known upper bound on the pruning layers' best target
    arrival and the first pruning layer (see ``csa.scan``). ``pointers=False``: the labels'
    journeys are not needed (only honoured by the earliest-arrival kernel; ``st.pointers``
    says whether the state has them). ``src_last``: the latest a first ride may leave the origin
    (``csa.scan``)."""
    if v.runs_scan_ea(st.R) and mode == 0 and len(events) == 1 and ev_bound is None:
        run_ea(v, st, sources, targets, int(events[0]), origin_arr, int(horizon), pointers)
        return 0, 0
    py = v.backend == "python"
    if out is None:
        out = _NO_OUT.get(v.backend) or _NO_OUT.setdefault(v.backend, Out.make(v.backend, 0, 0))
    if py:
        src, tg = sources.tolist(), targets.tolist()
        ev = events.tolist() if isinstance(events, np.ndarray) else [int(e) for e in events]
        is_t = [False] * v.n
        for t in tg:
            is_t[t] = True
        eb = ev_bound.tolist() if ev_bound is not None else []
        el = ev_lo.tolist() if ev_lo is not None else []
    else:
        is_t = np.zeros(v.n, dtype=np.bool_)
        is_t[targets] = True
        src, tg, ev = sources.astype(np.int64), targets.astype(np.int64), np.asarray(events, dtype=np.int64)
        eb = ev_bound.astype(np.int64) if ev_bound is not None else _NONE["numba"]
        el = ev_lo.astype(np.int64) if ev_lo is not None else _NONE["numba"]
    if len(ev) == 0:
        return 0, 0
    if py:
        _cover_first_span(v, min(ev), max(ev), horizon)
    k = backend.kernels(v.backend)
    ev_i, n_out, n_rec = 0, 0, 0
    while True:
        st.lists()
        a = out.arrays
        ev_i, n_out, n_rec, cut = call_kernel(k, "scan",
            *v.tt_args(), st.R, st.bounded, v.K, origin_arr, prune[0], prune[1], int(horizon), int(src_last),
            src, tg, is_t, ev, ev_i, n_seed, mode, eb, el,
            st.arr_t, st.arr_exit, st.arr_fp, st.rarr, st.rdy_t, st.rdy_exit, st.rdy_fp, st.rdy_min, st.tb,
            st.t_seq, st.t_board, st.t_pexit, st.t_pfp, st.t_min,
            st.stamp, st.touched, st.tbest, st.last_rec,
            a["dep"], a["layer"], a["stop"], a["arr"], a["fp"], a["rec"], out.cap,
            a["rb"], a["re"], a["rp"], out.rec_cap, n_out, n_rec)
        if cut:     # the interpreter needs more connections: convert twice as many, start again
            v.cover(v.lo, v.hi + max(v.hi - v.lo, 4096))
            st.reset()
            ev_i, n_out, n_rec = 0, 0, 0
            continue
        if ev_i >= len(ev):
            return n_out, n_rec
        out.grow(v.backend, n_out)
