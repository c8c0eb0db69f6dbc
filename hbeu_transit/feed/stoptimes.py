"""stop_times-level work shared by the timetable compiler and the analyses (pandas/pyarrow level).

* ``parse_numbers`` / ``parse_times``: fast column parsers (Arrow string kernels) for numeric
  columns and GTFS "H:MM:SS" times, falling back to pandas / the loader's checked parser.
* ``frequency_run_counts`` / ``expand_frequencies``: frequencies.txt runs. A row runs at
  start_time, start_time + headway_secs, ... strictly before end_time; headway_secs counts
  whole seconds (a fraction is dropped) and a row with a blank or non-positive headway, or
  end_time not after start_time, has no runs.
* ``interpolate_times``: blank times at non-timepoint stops, filled linearly between the
  surrounding timed stops by shape_dist_traveled when the blank stop and both timed neighbours
  have it (and it increases), else by stop position. A stop with only one of arrival/departure
  uses it for both; blank rows before the first or after the last timed stop of a trip have
  nothing to interpolate from and are marked to be dropped.

Imported lazily by the compiler (a timetable cache hit must not pay for pandas or pyarrow).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .times import parse_time_column

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

# pandas and pyarrow are imported by the parsers only: frequency expansion and interpolation
# run on a warm cache's numpy arrays (``hbeu freq``), where importing them would cost more
# than the counting.


def _arrow_errors() -> tuple[type[Exception], ...]:
    import pyarrow as pa

    return (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError)


def _trimmed(col: pd.Series) -> Any:
    """The column as a whitespace-trimmed Arrow string array (zero-copy in for Arrow strings)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.utf8_trim_whitespace(pa.array(col, from_pandas=True))


def parse_numbers(col: pd.Series) -> np.ndarray:
    """A string column -> float64 (NaN for blank or unparsable), fast on Arrow-backed strings."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        a = _trimmed(col)
        a = pc.if_else(pc.equal(a, ""), pa.scalar(None, a.type), a)
        return pc.cast(a, pa.float64()).to_numpy(zero_copy_only=False).astype(np.float64)
    except _arrow_errors():
        return pd.to_numeric(col, errors="coerce").to_numpy(np.float64, na_value=np.nan)


def parse_times(col: pd.Series, file: str = "stop_times.txt", field: str | None = None) -> np.ndarray:
    """GTFS times "H:MM:SS" (hours may exceed 24) -> float seconds, NaN for blank.

    Arrow string kernels on the whole column; anything they cannot read goes to the loader's
    parser ``parse_time_column``, which accepts or rejects it (naming the bad line).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    name = field if field is not None else str(col.name)
    try:
        a = _trimmed(col)
        a = pc.if_else(pc.greater_equal(pc.utf8_length(a), 7), a, pa.scalar(None, a.type))

        def part(start: int, stop: int | None) -> Any:
            return pc.cast(pc.utf8_slice_codeunits(a, start, stop), pa.int64())

        sec = pc.add(pc.add(pc.multiply(part(0, -6), 3600), pc.multiply(part(-5, -3), 60)), part(-2, None))
        return sec.to_numpy(zero_copy_only=False).astype(np.float64)
    except _arrow_errors():
        return parse_time_column(col, file, name)


# --------------------------------------------------------------------------------------------
# frequencies.txt
# --------------------------------------------------------------------------------------------


def frequency_run_counts(start: np.ndarray, end: np.ndarray, headway: np.ndarray) -> np.ndarray:
    """Number of runs of each frequencies.txt row (start/end in seconds, NaN for blank)."""
    start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    hw = np.trunc(np.asarray(headway, dtype=float))
    ok = np.isfinite(start) & np.isfinite(end) & np.isfinite(hw) & (hw > 0) & (end > start)
    k = np.zeros(len(start), dtype=np.int64)
    k[ok] = np.ceil((end[ok] - start[ok]) / hw[ok]).astype(np.int64)
    return k


def expand_frequencies(start: np.ndarray, end: np.ndarray, headway: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every run of the frequencies.txt rows: (row index, run start in seconds), row by row."""
    k = frequency_run_counts(start, end, headway)
    row = np.repeat(np.arange(len(k), dtype=np.int64), k)
    j = np.arange(int(k.sum()), dtype=np.int64) - np.repeat(np.cumsum(k) - k, k)
    first = np.asarray(start, dtype=float)[row]
    hw = np.trunc(np.asarray(headway, dtype=float))[row]
    return row, first + j * hw


# --------------------------------------------------------------------------------------------
# blank times
# --------------------------------------------------------------------------------------------


def interpolate_times(trip: np.ndarray, arr: np.ndarray, dep: np.ndarray,
                      dist: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fill blank stop times (see the module docstring); rows sorted by (trip, stop_sequence).

    ``arr``/``dep`` are float seconds (NaN blank), ``dist`` shape_dist_traveled (NaN blank) or
    None. Returns new (arr, dep) arrays and the mask of rows to keep (the others have no time).
    """
    a = np.where(np.isnan(arr), dep, arr)
    d = np.where(np.isnan(dep), arr, dep)
    timed = ~np.isnan(a)
    n = len(trip)
    if n == 0 or timed.all():
        return a, d, np.ones(n, dtype=bool)
    pos = np.arange(n)
    new_group = np.ones(n, dtype=bool)
    new_group[1:] = trip[1:] != trip[:-1]
    gstart = np.maximum.accumulate(np.where(new_group, pos, 0))
    end_mark = np.zeros(n, dtype=bool)
    end_mark[:-1] = new_group[1:]
    end_mark[-1] = True
    gend = np.minimum.accumulate(np.where(end_mark, pos, n)[::-1])[::-1]  # last row of the group
    prev = np.maximum.accumulate(np.where(timed, pos, -1))
    nxt = np.minimum.accumulate(np.where(timed, pos, n)[::-1])[::-1]
    fill = ~timed & (prev >= gstart) & (nxt <= gend)
    i = np.flatnonzero(fill)
    p, q = prev[i], nxt[i]
    frac = (i - p) / (q - p)
    if dist is not None:
        dp, dq, di = dist[p], dist[q], dist[i]
        by_dist = np.isfinite(dp) & np.isfinite(dq) & np.isfinite(di) & (dq > dp)
        with np.errstate(invalid="ignore", divide="ignore"):
            fd = np.clip((di - dp) / (dq - dp), 0.0, 1.0)
        frac = np.where(by_dist, fd, frac)
    t = np.rint(d[p] + frac * (a[q] - d[p]))
    a[i] = t
    d[i] = t
    return a, d, timed | fill
