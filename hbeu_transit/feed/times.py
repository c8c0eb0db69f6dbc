"""GTFS time parsing: "H:MM:SS" -> seconds after service-day midnight (may exceed 24:00)."""

from __future__ import annotations

import math
from collections.abc import Sequence, Set
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

from ..errors import FeedError, InputError
from ..numeric import is_listed, is_number



def _parse_one(text: str) -> float:
    """One GTFS time string -> seconds; NaN for blank, ValueError for a bad value."""
    t = text.strip()
    if not t:
        return float("nan")
    h, m, sec = t.split(":")
    if not (h.isdigit() and len(m) == 2 and len(sec) == 2 and m.isdigit() and sec.isdigit()):
        raise ValueError(text)
    mi, se = int(m), int(sec)
    if mi > 59 or se > 59:
        raise ValueError(text)
    return int(h) * 3600 + mi * 60 + se


def parse_time_column(values: pd.Series, file: str, field: str) -> np.ndarray:
    """Parse a column of GTFS times to float seconds; blanks become NaN.

    Unpadded hours ("5:30:00") and hours past 24 are accepted; anything else raises a
    FeedError naming the first bad line (header = line 1): for a column of a table the loader
    read, or of rows picked out of one (which keep their index), the line of that row in its
    feed's file (``feed.lines``), else the place in the column + 2. Works on the distinct values
    only, since a timetable repeats the same few thousand times many times over.
    """
    import pandas as pd

    from .lines import row_line

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = np.empty(len(uniques) + 1, dtype=float)
    parsed[-1] = np.nan  # the NA sentinel -1 indexes the last slot
    for i, u in enumerate(uniques):
        try:
            parsed[i] = _parse_one(str(u))
        except ValueError:
            pos = int(np.flatnonzero(codes == i)[0])
            label = values.index[pos]
            row = int(label) if pd.api.types.is_integer(label) else pos
            raise FeedError(file, f"bad time {u!r} (expected HH:MM:SS)", line=row_line(values, row),
                            field=field) from None
    return parsed[codes]


def _clock_seconds(text: str) -> int:
    """A user's clock time "HH:MM" or "HH:MM:SS" -> seconds; ValueError("format") when it is not
    written so, ValueError("range") when it is but out of range (hours 0-47, minutes and seconds
    00-59)."""
    parts = text.strip().split(":")
    try:
        if len(parts) not in (2, 3):
            raise ValueError
        nums = [int(p) for p in parts]
    except ValueError:
        raise ValueError("format") from None
    h, m = nums[0], nums[1]
    s = nums[2] if len(nums) == 3 else 0
    if h < 0 or h > 47 or not 0 <= m < 60 or not 0 <= s < 60:
        raise ValueError("range")
    return h * 3600 + m * 60 + s


def parse_clock(text: str) -> int:
    """Parse a user's clock time "HH:MM" or "HH:MM:SS" (hours may exceed 23) to seconds."""
    try:
        return _clock_seconds(text)
    except ValueError as e:
        if e.args == ("range",):
            raise InputError(f"impossible time {text!r}: expected HH:MM with minutes 00-59 and hours 0-47") from None
        raise InputError(f"impossible time {text!r}: expected HH:MM, e.g. 08:30") from None


_DAY = 86400


def parse_clock_window(window: str | Sequence[str | int | float], *, latest: int | None = None,
                       param: str | None = None) -> tuple[int, int]:
    """A window of the service day as (start, end) seconds, from "HH:MM-HH:MM" (a hyphen or an
    en dash between; hours may pass 24) or from a (start, end) pair of such times or of seconds:
    the one rule of every ``--window`` (``hbeu freq``'s, the circle's and the coverage's).

    An end before the start runs past midnight on the service-day clock ("22:00-02:00" is
    22:00-26:00); an end equal to the start is refused (no departure fits in no time; the whole
    day is 00:00-24:00), as is one still not after the start once moved ("47:00-02:00") and,
    with ``latest``, one after ``latest``. Errors read "bad window 'TEXT': why"; with ``param``
    the window is named by that parameter's placeholder ("bad {window} ..."), which a front end
    shows as its own flag."""
    name = "window" if param is None else "{" + param + "}"
    params = () if param is None else (param,)
    if isinstance(window, str):
        text = window
        parts: Sequence[str | int | float] = window.replace("\u2013", "-").split("-")
        if len(parts) != 2 or not all(p.strip() for p in parts):
            raise InputError(f"bad {name} {text!r}: expected HH:MM-HH:MM, e.g. 07:00-19:00", *params)
    else:
        if not is_listed(window) or isinstance(window, Set):   # one time; a set has no order
            raise InputError(f"bad {name} {window!r}: expected HH:MM-HH:MM (e.g. 07:00-19:00) or a (start, end) pair",
                             *params)
        parts = tuple(window)
        text = "-".join(map(str, parts))
        if len(parts) != 2:
            raise InputError(f"bad {name} {tuple(parts)!r}: expected a start and an end", *params)
    bounds = []
    for p in parts:
        if is_number(p):   # seconds, as given (numpy's too; not a bool, nor numpy's timedelta64)
            if not math.isfinite(p):
                raise InputError(f"bad {name} {text!r}: {p!r} is not a time of day", *params)
            bounds.append(int(p))
            continue
        try:
            bounds.append(_clock_seconds(str(p)))
        except ValueError as e:
            why = "is not a time of day" if e.args == ("range",) else "is not HH:MM (e.g. 07:00-19:00)"
            raise InputError(f"bad {name} {text!r}: {str(p).strip()!r} {why}", *params) from None
    start, end = bounds
    if end == start:
        raise InputError(f"bad {name} {text!r}: it starts and ends at the same time, so it holds no "
                         "departure; for the whole day use 00:00-24:00", *params)
    if end < start:
        end += _DAY          # past midnight: 22:00-02:00 is 22:00-26:00
    if end <= start:
        raise InputError(f"bad {name} {text!r}: the end must be after the start", *params)
    if latest is not None and end > latest:
        raise InputError(f"bad {name} {text!r}: it must end by {format_clock(latest)} (02:00 is 26:00 "
                         "after a late start)", *params)
    return start, end


def format_clock(seconds: float, with_seconds: bool = False) -> str:
    """Seconds after midnight -> "HH:MM" (hours may exceed 24 for overnight trips; before
    midnight, as an earlier day's trip is on the night the clocks go back, "-00:30")."""
    t = int(round(seconds))
    sign, t = ("-" if t < 0 else ""), abs(t)
    h, rem = divmod(t, 3600)
    m, s = divmod(rem, 60)
    return f"{sign}{h:02d}:{m:02d}:{s:02d}" if with_seconds else f"{sign}{h:02d}:{m:02d}"
