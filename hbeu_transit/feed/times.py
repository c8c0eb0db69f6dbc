"""GTFS time parsing: "H:MM:SS" -> seconds after service-day midnight (may exceed 24:00)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

from ..errors import FeedError, InputError



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
    FeedError naming the first bad line (header = line 1). Works on the distinct values only,
    since a timetable repeats the same few thousand times many times over.
    """
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = np.empty(len(uniques) + 1, dtype=float)
    parsed[-1] = np.nan  # the NA sentinel -1 indexes the last slot
    for i, u in enumerate(uniques):
        try:
            parsed[i] = _parse_one(str(u))
        except ValueError:
            pos = int(np.flatnonzero(codes == i)[0])
            raise FeedError(file, f"bad time {u!r} (expected HH:MM:SS)", line=pos + 2, field=field) from None
    return parsed[codes]


def parse_clock(text: str) -> int:
    """Parse a user's clock time "HH:MM" or "HH:MM:SS" (hours may exceed 23) to seconds."""
    parts = text.strip().split(":")
    try:
        if len(parts) not in (2, 3):
            raise ValueError
        nums = [int(p) for p in parts]
    except ValueError:
        raise InputError(f"impossible time {text!r}: expected HH:MM, e.g. 08:30") from None
    h, m = nums[0], nums[1]
    s = nums[2] if len(nums) == 3 else 0
    if h < 0 or h > 47 or not 0 <= m < 60 or not 0 <= s < 60:
        raise InputError(f"impossible time {text!r}: expected HH:MM with minutes 00-59 and hours 0-47")
    return h * 3600 + m * 60 + s


def format_clock(seconds: float, with_seconds: bool = False) -> str:
    """Seconds after midnight -> "HH:MM" (hours may exceed 24 for overnight trips)."""
    t = int(round(seconds))
    h, rem = divmod(t, 3600)
    m, s = divmod(rem, 60)
    return f"{h:02d}:{m:02d}:{s:02d}" if with_seconds else f"{h:02d}:{m:02d}"
