"""What users type, as the library's values: dates, times of day, plan windows, mode lists and
comma-separated names. Errors name the parameter (``depart``), never a command-line flag.
Standard library only (the warm ``hbeu plan`` path goes through here)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import numbers
import operator
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import InputError
from .numeric import is_listed, is_number, stop_number_text

__all__ = ["RouterOptions", "TimeLike", "as_callback", "as_clock", "as_count", "as_date", "as_meters", "as_minutes",
           "as_modes", "as_options", "as_path", "as_paths", "as_window", "is_number", "split_names"]

TimeLike = str | int | dt.time

#: The most changes of vehicle a query may allow: the router keeps a round per change, and
#: 100,000 of them took 1.8 GB for one plan on the regional feed (real journeys need a handful).
MAX_TRANSFERS = 50
#: The longest span in minutes a time limit (a change of vehicle, the circle's --within) may be:
#: a week, beyond which the timetable's arrays would overflow long before any answer changed.
MAX_MINUTES = 7 * 24 * 60


@dataclasses.dataclass(frozen=True)
class RouterOptions:
    """How journeys may be made, as one value every journey query takes (``Network.plan``,
    ``commute``, ``circle``, ``coverage``: ``options=``); None leaves a field to the network's
    default. ``modes``: mode families ("rail,bus" or a list); ``transfer_minutes``: minutes to
    change vehicle (default by mode; transfers.txt wins); ``walk_meters``: also walk between stops
    this close; ``max_transfers``: at most this many changes."""

    modes: str | tuple[str, ...] | list[str] | None = None
    transfer_minutes: float | None = None
    walk_meters: float | None = None
    max_transfers: int | None = None

    def __post_init__(self) -> None:
        as_count(self.max_transfers, "max_transfers", 0, MAX_TRANSFERS)

    def merged(self, **given: Any) -> "RouterOptions":
        """These options with each of ``given`` that is not None put over them."""
        return dataclasses.replace(self, **{k: v for k, v in given.items() if v is not None})

    def as_kwargs(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def as_options(value: Any) -> RouterOptions:
    """``options=`` of a journey query as a ``RouterOptions`` (None: none given); anything else (a
    dict, a mode name) is an InputError naming ``options``."""
    if value is None:
        return RouterOptions()
    if not isinstance(value, RouterOptions):
        raise InputError(f"{{options}} must be a RouterOptions (e.g. hbeu_transit.RouterOptions(modes=\"rail\", "
                         f"max_transfers=1)) or None, not {value!r}", "options")
    return value


def as_callback(value: Any, param: str = "progress") -> Any:
    """A function to call (``progress(done, total)``), or None; anything else (True, a name) is
    an InputError naming ``param``, before the work it would report on starts."""
    if value is not None and not callable(value):
        raise InputError(f"{{{param}}} is a function called as {param}(done, total), or None, not {value!r}", param)
    return value


def as_path(value: Any, param: str, what: str) -> Path:
    """A path given as text, a ``Path`` or any ``os.PathLike``; anything else (a number, bytes, a
    list, an empty str: ``Path('')`` would be the working folder) is an InputError naming
    ``param`` and the value (``what``: what the path is of)."""
    if not isinstance(value, str | os.PathLike) or value == "":
        raise InputError(f"{{{param}}} must be {what} (a str or Path), not {value!r}", param)
    return Path(value)


def as_paths(value: Any, param: str, what: str) -> list[Path]:
    """One path (as :func:`as_path` takes it) or any iterable of them (a list, ``Path.glob``'s
    generator: read once) as a list of Paths; a str is one path, not its letters. A value that is
    neither (a number, bytes, None) or holds no path is an InputError naming ``param`` and the value
    (``what``: what the paths are of)."""
    if isinstance(value, str | os.PathLike):
        return [as_path(value, param, what)]
    if not isinstance(value, Iterable) or isinstance(value, bytes):
        raise InputError(f"{{{param}}} must be {what} (a path or a list of them), not {value!r}", param)
    return [as_path(p, param, f"{what}, each a path") for p in value]


def as_count(value: Any, param: str, least: int = 0, most: int | None = None, optional: bool = True) -> int | None:
    """A whole number from ``least`` to ``most`` (None stays None when ``optional``); the error
    names ``param``."""
    if value is None and optional:
        return None
    try:
        n = operator.index(value)   # int and numpy integers; not 1.5, "2" or True
    except TypeError:
        n = None
    if n is None or isinstance(value, bool) or n < least or (most is not None and n > most):
        span = f"{least} or more" if most is None else f"from {least} to {most}"
        raise InputError(f"{{{param}}} must be a whole number {span}, not {value!r}", param)
    return n


def _plain(value: numbers.Real) -> int | float:
    """A number as Python's own (numpy's np.int64 is no JSON, which a timetable's cache writes)."""
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def as_minutes(value: float, param: str, zero: bool = False) -> float:
    """A span of minutes above 0 (from 0 with ``zero``) and up to ``MAX_MINUTES``, as a Python
    number; NaN, negative or larger values (or no number) are an InputError naming ``param``
    (beyond a week the timetable's arrays would overflow long before any answer changed)."""
    if not is_number(value) or not ((0 <= value) if zero else (0 < value)) or not value <= MAX_MINUTES:   # NaN fails both
        span = f"a number of minutes from 0 to {MAX_MINUTES}" if zero else \
            f"a positive number of minutes up to {MAX_MINUTES}"
        raise InputError(f"{{{param}}} must be {span} (a week), not {value!r}", param)
    return _plain(value)


def as_meters(value: float, param: str = "walk_meters") -> float:
    """A distance in meters from 0 (not NaN nor infinite), as a Python number; else an
    InputError naming ``param``."""
    if not (is_number(value) and 0 <= value < math.inf):
        raise InputError(f"{{{param}}} must be a number >= 0, not {value!r}", param)
    return _plain(value)


def as_date(value: dt.date | str | None, param: str = "date") -> dt.date | None:
    """A date from ``datetime.date``, "YYYY-MM-DD" or "YYYYMMDD"; None stays None; the error
    names ``param``. pandas' NaT (a missing date, though a datetime to isinstance) is no date."""
    if value is None:
        return None
    if isinstance(value, dt.date) and (day := value.date() if isinstance(value, dt.datetime) else value) == day:
        return day   # (NaT equals nothing, itself included)
    if type(value).__name__ == "datetime64" and isinstance(day := value.astype("datetime64[D]").item(), dt.date):
        return day   # numpy's, of any unit (not NaT)
    text = str(value)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    if len(text) == 8 and text.isdigit():
        try:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            pass
    raise InputError(f"impossible date {text!r} for {{{param}}}: expected YYYY-MM-DD, e.g. 2026-12-01", param)


def as_clock(value: TimeLike, param: str) -> int:
    """Seconds after the service day's midnight from "HH:MM[:SS]", seconds or a ``datetime.time``;
    the error names ``param``."""
    if isinstance(value, dt.time):
        return value.hour * 3600 + value.minute * 60 + value.second
    if is_number(value):
        if 0 <= value < 48 * 3600:   # (NaN and inf fail)
            return int(value)
    else:
        from .feed.times import parse_clock  # pandas-free

        try:
            return parse_clock(str(value))
        except InputError:
            pass
    raise InputError(f"impossible time {str(value)!r} for {{{param}}}: expected HH:MM (00:00-47:59), "
                     "e.g. 08:30", param)


def as_modes(value: str | Iterable[str] | None, param: str = "modes") -> list[str] | None:
    """Mode families ("rail,bus" or a list) as a sorted list; None for all modes; the errors
    name ``param`` (``feed.modes.check_modes``)."""
    if value is None:
        return None
    from .feed.modes import check_modes  # pandas-free

    fams = sorted(check_modes(value, param))
    if not fams:
        raise InputError(f"no mode in {{{param}}} {value!r}; e.g. {{{param}}} rail,bus", param)
    return fams


#: the longest plan window (seconds): a plan searches the date's timetable and the next date's
#: or the ones before (``Network.plan``), not a span of several days
MAX_WINDOW = 24 * 3600


def as_window(value: str | int | dt.timedelta | None) -> int | None:
    """A plan window in seconds: "2h", "90m", a timedelta, or a number of minutes, above 0 (a
    window of 0 holds no departure time: refused, not read as "no window") and at most
    ``MAX_WINDOW`` (24 h); the error names the ``window`` parameter."""
    if value is None:
        return None
    if type(value).__name__ == "timedelta64":   # numpy's: as a timedelta (NaT: no duration)
        value = value.astype("timedelta64[s]").item()
        if value is None:
            value = "NaT"
    if isinstance(value, dt.timedelta):
        seconds = int(value.total_seconds())
    elif is_number(value):
        seconds = int(value * 60) if math.isfinite(value) else -1   # NaN and inf are no duration
    else:
        from .analysis.times import parse_duration

        try:
            seconds = parse_duration(str(value))
        except InputError:
            seconds = -1
    if seconds < 0:
        raise InputError(f"impossible duration {str(value)!r} for {{window}}: expected e.g. 2h, 90m or 1h30",
                         "window")
    if seconds == 0:
        raise InputError(f"{{window}} {str(value)!r} is an empty span: give one above 0, e.g. 2h, 90m or 1h30, "
                         "or leave {window} out for the next journeys", "window")
    if seconds > MAX_WINDOW:
        raise InputError(f"{{window}} {str(value)!r} is longer than 24h: give at most 24h (for more, plan again "
                         "from where it ends)", "window")
    return seconds


def split_names(value: str | Iterable[str] | None) -> list[str] | None:
    """"a,b" or a list -> a list of non-blank names; None (or nothing) -> None. A whole number in
    the list is a stop_id as pandas reads a numeric one (70012 -> "70012"); other items that are
    not text (dates of ``holidays``) are kept as they are, for their reader to check. One value
    that is no list (a stop_id as a number, a date, bytes) is a list of one."""
    if value is None:
        return None
    if isinstance(value, str):
        given: Iterable[Any] = value.split(",")
    elif is_listed(value):
        given = value
    else:
        given = [value]
    items = [x if (text := stop_number_text(x)) is None else text for x in given]
    items = [x.strip() if isinstance(x, str) else x for x in items]
    return [x for x in items if x != ""] or None
