"""The file line (header = line 1, as a text editor numbers them) where each row of a CSV table
starts, for the errors and notices that name a row.

pandas reads a quoted value across a newline (a stop_name on two lines) as one row and skips
blank lines, so row ``i`` starts on line ``i + 2`` only while neither occurs before it. The
loader records where the count shifts (``record_lines``) in the table's ``attrs``, a few numbers
only (pandas copies ``attrs`` along with the table), and ``row_line`` / ``row_lines`` read it.
"""

from __future__ import annotations

import csv
import io
from bisect import bisect_right
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["csv_rows", "record_lines", "row_line", "row_lines", "set_row_lines"]

#: the ``attrs`` key: (first rows of each shift, the shift from there on), both ascending
KEY = "row_line_shifts"


def _one_line_a_row(data: bytes, n_rows: int) -> bool:
    """Whether ``data`` has a header and ``n_rows`` lines, blank ones at the end aside: then each
    row is one line (a quoted newline or a skipped blank line would make more lines than rows;
    a bare \\r as line end fewer, so such a file is read again). One byte count."""
    end = len(data)
    while end and data[end - 1] in b"\r\n \t":
        end -= 1
    return data.count(b"\n", 0, end) == n_rows


def csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """(start line, cells) of every row pandas reads from ``data`` (UTF-8), the header first:
    blank lines (empty or only spaces and tabs) are skipped, as pandas skips them. Stops at a row
    the csv module cannot read (a NUL byte)."""
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig", errors="replace"), newline=""))
    end = 0
    try:
        for row in rows:
            start, end = end + 1, rows.line_num
            if row and not (len(row) == 1 and not row[0].strip(" \t")):
                yield start, row
    except csv.Error:
        return


def record_lines(df: pd.DataFrame, data: bytes) -> None:
    """Record in ``df.attrs`` where its rows (read from ``data``) leave the plain count (row i
    on line i + 2). Costs one byte count when every line is one row; else one csv pass."""
    if _one_line_a_row(data, len(df)):
        return
    starts = [s for s, _ in csv_rows(data)][1:]
    if len(starts) != len(df):   # the csv module read it otherwise than pandas: keep the plain count
        return
    set_row_lines(df, np.asarray(starts, dtype=np.int64))


def set_row_lines(df: pd.DataFrame, lines: np.ndarray) -> None:
    """Record in ``df.attrs`` that its rows start on ``lines`` (one a row): as shifts from the
    plain count, where it changes. A table merged from several feeds' (``feed.load``) keeps each
    row's line in its own feed's file; the ``feed_name`` column says which."""
    off = np.asarray(lines, dtype=np.int64) - np.arange(len(df), dtype=np.int64) - 2
    first = np.flatnonzero(np.diff(off, prepend=0) != 0)
    if len(first):
        df.attrs[KEY] = (tuple(first.tolist()), tuple(off[first].tolist()))
    else:
        df.attrs.pop(KEY, None)


def take_rows(df: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """The rows of ``df`` where ``keep`` (a boolean mask), numbered afresh, each keeping its line."""
    lines = row_lines(df)[keep]
    out = df[keep].reset_index(drop=True)
    set_row_lines(out, lines)
    return out


def row_line(df: pd.DataFrame, i: int) -> int:
    """The file line where row ``i`` (by position) of a table the loader read starts."""
    first, shift = df.attrs.get(KEY, ((), ()))
    k = bisect_right(first, i)
    return i + 2 + (shift[k - 1] if k else 0)


def row_lines(df: pd.DataFrame) -> np.ndarray:
    """``row_line`` of every row, as an int64 array."""
    lines = np.arange(2, len(df) + 2, dtype=np.int64)
    first, shift = df.attrs.get(KEY, ((), ()))
    for f, s, nxt in zip(first, shift, (*first[1:], len(df))):
        lines[f:nxt] += s
    return lines
