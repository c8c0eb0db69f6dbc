"""The shape of every GTFS field the planner reads: one schema for the loader and `hbeu validate`.

The loader reads every table as text, then checks it here. A bad value in a field the answers
depend on (a date, a time, a stop_sequence, a route_type...) is *fatal*: the loader stops with one
line naming file, line and field. A bad value in a field the answers can do without (a colour, a
wheelchair flag, a fare price) is *repairable*: the loader blanks the cell and warns, as the
canonical tools do, so the feed stays usable. `hbeu validate` reports both kinds as notices.

Checks work on the distinct values of a column (a timetable repeats a few thousand values
millions of times), so they cost little on large feeds; most of those values are vouched for
at once by a pattern that only good values match (``Kind.sure``, run by pandas on the whole
column of distinct values), and only the rest are checked one by one in Python (hart's 64,000
distinct times: ~3 ms instead of ~40). Pandas is the only dependency.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .lines import row_line

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Problem:
    """One problem of one table, as the loader and `hbeu validate` report it: a bad field (here)
    or a key that rows repeat (``feed.keys``): where its first row is, how many rows have it, and
    whether it stops the planner (``fatal``) or those rows are ignored."""

    table: str
    line: int | None       # CSV line of the first bad cell (header = line 1); None: the column
    field: str             # the bad field; a repeated key's last column the row gives
    value: str | None
    message: str
    fatal: bool
    count: int = 1


_INT = re.compile(r"[+-]?\d+")
_DATE = re.compile(r"\d{8}")
_COLOR = re.compile(r"[0-9A-Fa-f]{6}")
_TIME = re.compile(r"\d+:\d\d:\d\d")


def _is_int(v: str) -> bool:
    return bool(_INT.fullmatch(v))


def _is_float(v: str) -> bool:
    try:
        x = float(v)
    except ValueError:
        return False
    return x == x and abs(x) != float("inf")


def _is_date(v: str) -> bool:
    if not _DATE.fullmatch(v):
        return False
    try:
        dt.date(int(v[:4]), int(v[4:6]), int(v[6:]))
    except ValueError:
        return False
    return True


def _is_time(v: str) -> bool:
    if not _TIME.fullmatch(v):
        return False
    _, m, s = v.split(":")
    return int(m) < 60 and int(s) < 60


def _is_timezone(v: str) -> bool:
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(v)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def _enum(*allowed: int) -> Callable[[str], bool]:
    ok = {str(a) for a in allowed}
    return lambda v: v in ok


def _range(lo: float, hi: float) -> Callable[[str], bool]:
    return lambda v: _is_float(v) and lo <= float(v) <= hi


def _nonneg_int(v: str) -> bool:
    return _is_int(v) and int(v) >= 0


def _nonneg_float(v: str) -> bool:
    return _is_float(v) and float(v) >= 0


@dataclass(frozen=True)
class Kind:
    """What a field must look like, and how a bad value is described."""

    check: Callable[[str], bool]
    expected: str
    noun: str = "value"
    #: A regular expression (Python and RE2 syntax alike) that a value matches in full only when
    #: ``check`` accepts it: ASCII digits only, ranges spelled out. A value it does not match is
    #: not bad for that, it goes to ``check``; so ``sure`` may leave out rare good spellings, but
    #: must never match a bad one (tests/feed/test_fields.py holds it to that). None: ``check``
    #: sees every value.
    sure: str | None = None


#: the fraction of a decimal number, for the ``sure`` patterns below
_FRACTION = r"(?:\.[0-9]+)?"

# ``sure`` patterns: dates with a day up to 28 (every month has it) in 1900-2099; times with
# minutes and seconds under 60; decimals of up to 300 digits before the point (1e300 is finite);
# latitudes 0-89.x or 90(.0), longitudes 0-179.x or 180(.0), either sign.
DATE = Kind(_is_date, "expected YYYYMMDD, e.g. 20260715", "date",
            sure=r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|1[0-9]|2[0-8])")
TIME = Kind(_is_time, "expected HH:MM:SS", "time", sure=r"[0-9]+:[0-5][0-9]:[0-5][0-9]")
INT = Kind(_is_int, "expected a whole number", "number", sure=r"[+-]?[0-9]+")
NONNEG_INT = Kind(_nonneg_int, "expected a whole number >= 0", "number", sure=r"\+?[0-9]+")
NONNEG_FLOAT = Kind(_nonneg_float, "expected a number >= 0", "number", sure=rf"\+?[0-9]{{1,300}}{_FRACTION}")
FLOAT = Kind(_is_float, "expected a number", "number", sure=rf"[+-]?[0-9]{{1,300}}{_FRACTION}")
LAT = Kind(_range(-90, 90), "expected a latitude between -90 and 90", "coordinate",
           sure=rf"[+-]?(?:[0-8]?[0-9]{_FRACTION}|90(?:\.0+)?)")
LON = Kind(_range(-180, 180), "expected a longitude between -180 and 180", "coordinate",
           sure=rf"[+-]?(?:(?:1[0-7][0-9]|[0-9]?[0-9]){_FRACTION}|180(?:\.0+)?)")
COLOR = Kind(lambda v: bool(_COLOR.fullmatch(v)), "expected 6 hex digits, e.g. FFCC00", "colour",
             sure=_COLOR.pattern)
TIMEZONE = Kind(_is_timezone, "expected a tz database name, e.g. Asia/Shanghai", "timezone")


def ENUM(*allowed: int) -> Kind:  # noqa: N802  (reads like the constants above)
    return Kind(_enum(*allowed), f"expected one of {', '.join(map(str, allowed))}",
                sure="|".join(str(a) for a in allowed))


BIT = Kind(_enum(0, 1), "expected 0 or 1", sure="0|1")


@dataclass(frozen=True)
class Field:
    kind: Kind | None      # None: any text (an id); only presence is checked
    fatal: bool            # a bad value stops the loader (else: blanked with a warning)
    required: bool = False  # a blank value (or a missing column) is a bad value too


F, R = True, False  # fatal / repairable, for the table below

#: table -> field -> rule, for every field the planner, the analyses or the exports read.
SCHEMA: dict[str, dict[str, Field]] = {
    "agency": {"agency_timezone": Field(TIMEZONE, F, required=True)},
    "stops": {"stop_id": Field(None, F, required=True),
              "stop_lat": Field(LAT, F), "stop_lon": Field(LON, F),
              "location_type": Field(ENUM(0, 1, 2, 3, 4), F),
              "wheelchair_boarding": Field(ENUM(0, 1, 2), R)},
    "routes": {"route_id": Field(None, F, required=True),
               "route_type": Field(INT, F, required=True),
               "route_color": Field(COLOR, R), "route_text_color": Field(COLOR, R),
               "route_sort_order": Field(NONNEG_INT, R)},
    "trips": {"trip_id": Field(None, F, required=True), "route_id": Field(None, F, required=True),
              "service_id": Field(None, F, required=True),
              "direction_id": Field(BIT, R), "wheelchair_accessible": Field(ENUM(0, 1, 2), R),
              "bikes_allowed": Field(ENUM(0, 1, 2), R)},
    "stop_times": {"trip_id": Field(None, F, required=True), "stop_id": Field(None, F, required=True),
                   "stop_sequence": Field(NONNEG_INT, F, required=True),
                   "arrival_time": Field(TIME, F), "departure_time": Field(TIME, F),
                   "pickup_type": Field(ENUM(0, 1, 2, 3), R), "drop_off_type": Field(ENUM(0, 1, 2, 3), R),
                   "timepoint": Field(BIT, R), "shape_dist_traveled": Field(NONNEG_FLOAT, R)},
    "calendar": {"service_id": Field(None, F, required=True),
                 **{d: Field(BIT, F, required=True) for d in WEEKDAYS},
                 "start_date": Field(DATE, F, required=True), "end_date": Field(DATE, F, required=True)},
    "calendar_dates": {"service_id": Field(None, F, required=True), "date": Field(DATE, F, required=True),
                       "exception_type": Field(ENUM(1, 2), F, required=True)},
    "frequencies": {"trip_id": Field(None, F, required=True), "start_time": Field(TIME, F, required=True),
                    "end_time": Field(TIME, F, required=True), "headway_secs": Field(INT, F, required=True),
                    "exact_times": Field(BIT, R)},
    "transfers": {"transfer_type": Field(ENUM(0, 1, 2, 3, 4, 5), F),
                  "min_transfer_time": Field(NONNEG_INT, F)},
    "feed_info": {"feed_start_date": Field(DATE, R), "feed_end_date": Field(DATE, R)},
    "fare_attributes": {"fare_id": Field(None, R, required=True), "price": Field(NONNEG_FLOAT, R),
                        "payment_method": Field(BIT, R), "transfers": Field(ENUM(0, 1, 2), R),
                        "transfer_duration": Field(NONNEG_INT, R)},
    "shapes": {"shape_pt_lat": Field(LAT, R), "shape_pt_lon": Field(LON, R),
               "shape_pt_sequence": Field(NONNEG_INT, R), "shape_dist_traveled": Field(NONNEG_FLOAT, R)},
    "attributions": {"is_producer": Field(BIT, R), "is_operator": Field(BIT, R), "is_authority": Field(BIT, R)},
    "areas": {"area_id": Field(None, R, required=True)},
    "stop_areas": {"area_id": Field(None, R, required=True), "stop_id": Field(None, R, required=True)},
}


def _short(v: str) -> str:
    return v if len(v) <= 40 else v[:37] + "..."


def _scan(col: pd.Series) -> tuple[np.ndarray, pd.Index, list[str]]:
    """The column as codes into its distinct values, those values as they are, and each
    stripped ("" for blank): the checks look at each distinct value once."""
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    # one bulk conversion to Python strings, not one at a time from pyarrow's array (~10x slower)
    values = [str(u).strip() for u in uniques.tolist()] + [""]  # code -1 (NA) indexes the last ""
    return codes, uniques, values


def _bad_codes(kind: Kind, uniques: pd.Index, values: list[str]) -> list[int]:
    """The codes of the distinct values (stripped: ``values``) that ``kind`` rejects; blanks are
    not bad here. Values matching ``kind.sure`` as they are (no blanks around) are good at once."""
    todo: range | np.ndarray = range(len(uniques))
    if kind.sure is not None and len(uniques) and isinstance(uniques.dtype, pd.StringDtype):
        sure = pd.Series(uniques).str.fullmatch(f"(?:{kind.sure})").to_numpy(dtype=bool, na_value=False)
        todo = np.flatnonzero(~sure)
    return [int(k) for k in todo if values[k] and not kind.check(values[k])]


def check_table(name: str, df: pd.DataFrame) -> list[Problem]:
    """Every bad field of table ``name`` (one Problem per field, naming its first bad line)."""
    rules = SCHEMA.get(name, {})
    out: list[Problem] = []
    for field, rule in rules.items():
        if field not in df.columns:
            if rule.required:
                out.append(Problem(name, 1, field, None, "required column is missing", rule.fatal,
                                   count=len(df)))
            continue
        codes, uniques, values = _scan(df[field])
        blank_codes = [k for k, v in enumerate(values) if not v]
        if rule.required:
            blank = np.isin(codes, blank_codes) | (codes == -1)
            if blank.any():
                i = int(blank.nonzero()[0][0])
                out.append(Problem(name, row_line(df, i), field, "", "missing value", rule.fatal, count=int(blank.sum())))
        if rule.kind is None:
            continue
        bad_codes = _bad_codes(rule.kind, uniques, values)
        if not bad_codes:
            continue
        bad = np.isin(codes, bad_codes)
        i = int(bad.nonzero()[0][0])
        value = str(df[field].iloc[i])
        out.append(Problem(name, row_line(df, i), field, value, f"bad {rule.kind.noun} {_short(value)!r} ({rule.kind.expected})",
                           rule.fatal, count=int(bad.sum())))
    return out


def bad_cells(name: str, df: pd.DataFrame, field: str) -> np.ndarray:
    """The mask of cells of ``field`` that break its rule (blank cells are not bad here)."""
    rule = SCHEMA[name][field]
    if rule.kind is None:
        return np.zeros(len(df), dtype=bool)
    codes, uniques, values = _scan(df[field])
    return np.isin(codes, _bad_codes(rule.kind, uniques, values))


#: values that begin and end with a letter or digit: no blanks around them, whatever else they hold
_UNBLANKED = r"(?s:[0-9A-Za-z](?:.*[0-9A-Za-z])?)"


def needs_trim(col: pd.Series) -> bool:
    """Whether some value of the column has blanks around it (Python's ``str.strip`` blanks)."""
    uniques = pd.Series(pd.unique(col.dropna()))
    if len(uniques) and isinstance(uniques.dtype, pd.StringDtype):
        uniques = uniques[~uniques.str.fullmatch(_UNBLANKED).to_numpy(dtype=bool, na_value=False)]
    return any(str(u) != str(u).strip() for u in uniques.tolist())
