"""The primary keys of the GTFS tables the project reads (the GTFS reference's), and the rows
that repeat an earlier row's key: one rule for the loader and `hbeu validate`.

Two rows with one key leave the answer to row order (which stop of a trip comes first, whether
a date both added and removed runs, which of two rules for one transfer holds, which of two
prices a fare has, which name a city has) or count one thing twice (a frequency row). In the
tables the timetable reads that is *fatal*: the loader refuses the feed, naming the second row.
In the tables the answers can do without (agency, fares, areas) it is *repairable*: the later
rows are ignored with a warning, as a bad value there is blanked (``feed.fields``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .fields import Problem
from .lines import row_line

__all__ = ["KEYS", "first_repeat", "repeated_rows"]

#: table -> (key columns, fatal)
KEYS: dict[str, tuple[tuple[str, ...], bool]] = {
    "stops": (("stop_id",), True), "routes": (("route_id",), True), "trips": (("trip_id",), True),
    "calendar": (("service_id",), True),
    "stop_times": (("trip_id", "stop_sequence"), True), "calendar_dates": (("service_id", "date"), True),
    "frequencies": (("trip_id", "start_time"), True),
    "transfers": (("from_stop_id", "to_stop_id", "from_trip_id", "to_trip_id", "from_route_id", "to_route_id"), True),
    "agency": (("agency_id",), False), "fare_attributes": (("fare_id",), False), "areas": (("area_id",), False),
    "route_networks": (("route_id",), False), "networks": (("network_id",), False),
    "fare_media": (("fare_media_id",), False), "rider_categories": (("rider_category_id",), False),
    "fare_products": (("fare_product_id", "fare_media_id", "rider_category_id"), False),
}


def _key_codes(df: pd.DataFrame, col: str) -> np.ndarray:
    """A key column as integer codes of its values as they compare: stop_sequence as a number
    (02 is 2), start_time as seconds (6:00:00 is 06:00:00), text otherwise; blank (or no such
    column) is one value too; a malformed one compares as text. Each distinct text is read once."""
    if col not in df:
        return np.zeros(len(df), dtype=np.int64)
    codes, uniques = pd.factorize(df[col], use_na_sentinel=True)
    if col == "stop_sequence":
        read = int
    elif col == "start_time":
        from .times import _parse_one as read
    else:
        return codes.astype(np.int64)
    values = []
    for u in uniques:
        try:
            values.append(read(str(u)))
        except ValueError:   # a malformed value (`hbeu validate` reads the tables as they are)
            values.append(str(u))
    same = pd.factorize(pd.Series(values + [None], dtype=object))[0]   # the last: blank (code -1)
    return same[codes].astype(np.int64)


def _keys(df: pd.DataFrame, cols: tuple[str, ...]) -> np.ndarray:
    """One number per row, equal for rows of one key (blank ids compare equal, as in the
    canonical validator's composite keys)."""
    codes = [_key_codes(df, c) + 1 for c in cols]   # 0: blank
    key, size = np.zeros(len(df), dtype=np.int64), 1
    for c in codes:   # the key as one number per row: the columns' codes in mixed radix
        n = int(c.max(initial=0)) + 1
        if size * n >= 1 << 62:   # renumbered first where it would not fit (at most one value a row)
            key, uniques = pd.factorize(key)
            size = len(uniques)
        key, size = key * n + c, size * n
    return key


def _repeats(df: pd.DataFrame, cols: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray | None]:
    """The mask of rows whose key an earlier row has, and the keys (``_keys``) of a key of
    several columns (None for one). A one-column key left blank is no key (an agency_id may be,
    with one agency); a blank in a key of several columns is a value."""
    if not any(c in df for c in cols):
        return np.zeros(len(df), dtype=bool), None
    if len(cols) == 1:
        col = df[cols[0]]
        return (col.duplicated() & col.notna()).to_numpy(dtype=bool), None
    key = _keys(df, cols)
    return pd.Series(key).duplicated().to_numpy(), key


def repeated_rows(df: pd.DataFrame, cols: tuple[str, ...]) -> np.ndarray:
    """The mask of the rows of ``df`` that repeat an earlier row's key (``cols``)."""
    return _repeats(df, cols)[0]


def first_repeat(name: str, df: pd.DataFrame) -> Problem | None:
    """The first row of table ``name`` repeating an earlier row's key (``KEYS``; None: no such
    row), as a Problem: its field the key's last column the row gives (its stop_sequence,
    date...), its value the key as the row writes it, fatal as ``KEYS`` says, and the count of
    rows that repeat a key."""
    cols, fatal = KEYS[name]
    dup, key = _repeats(df, cols)
    if not dup.any():
        return None
    i = int(dup.nonzero()[0][0])
    if key is None:
        value = str(df[cols[0]].iloc[i])
        return Problem(name, row_line(df, i), cols[0], value, f"duplicate {cols[0]} {value!r}", fatal, int(dup.sum()))
    first = int(np.flatnonzero(key == key[i])[0])
    named = [c for c in cols if c in df and pd.notna(df[c].iloc[i])]
    what = ", ".join(f"{c} {df[c].iloc[i]!r}" for c in named) or f"key (no {', '.join(cols)})"
    return Problem(name, row_line(df, i), (named or list(cols))[-1], ",".join(str(df[c].iloc[i]) for c in named),
                   f"duplicate {what} (first on line {row_line(df, first)})", fatal, int(dup.sum()))
