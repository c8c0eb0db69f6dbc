"""Times as people read them: service-day seconds <-> ISO 8601 instants in the agency's timezone,
"now" in the feed's timezone, and journey durations ("2h", "1h05").

Times in a Timetable are seconds after the service date's "midnight", which GTFS defines as
noon minus 12 hours (the two differ only on daylight-saving days); they may exceed 24:00 or be
negative (a previous-day trip), and become absolute instants here. Standard library only.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import InputError

__all__ = ["clock", "format_duration", "now_in", "parse_duration", "seconds_of_day", "service_day_origin", "service_seconds",
           "day_shift", "day_start", "next_day_start", "to_iso", "wall_clock", "wall_seconds", "zone"]


def zone(tz: str) -> dt.tzinfo:
    """The agency's timezone; an unknown name is a feed problem, reported in one line."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"unknown agency_timezone {tz!r} in the feed") from None


def service_day_origin(date: str | dt.date, tz: str) -> dt.datetime:
    """The instant GTFS times of ``date`` count from: local noon minus 12 hours, in UTC."""
    d = dt.date.fromisoformat(date) if isinstance(date, str) else date
    noon = dt.datetime(d.year, d.month, d.day, 12, tzinfo=zone(tz))
    return noon.astimezone(dt.timezone.utc) - dt.timedelta(hours=12)


def service_seconds(date: str | dt.date, tz: str, wall: int) -> int:
    """A wall-clock time asked for on ``date`` (seconds after its local midnight; past 24:00 the
    days after) -> seconds on the service day's GTFS clock, which counts from noon minus 12 h:
    the same number except on the two days a year the clocks change, where times before ~02:00
    differ by an hour (what ``to_iso`` shows is the wall clock, so the times asked must be too)."""
    d = dt.date.fromisoformat(date) if isinstance(date, str) else date
    days, rest = divmod(int(wall), 86400)
    local = dt.datetime.combine(d + dt.timedelta(days=days), dt.time(), tzinfo=zone(tz)) + dt.timedelta(seconds=rest)
    return int((local.astimezone(dt.timezone.utc) - service_day_origin(d, tz)).total_seconds())


def day_start(date: str | dt.date, tz: str) -> int:
    """The first second of ``date``'s service day on its GTFS clock that a rider can meet: 00:00,
    or its local midnight when that comes first (-01:00 the night the clocks go back, when the
    day before's trips leaving 00:00-01:00 are on this clock)."""
    return min(0, service_seconds(date, tz, 0))


def next_day_start(date: str | dt.date, tz: str) -> int:
    """The first second of the next service date's day (its ``day_start``) on ``date``'s GTFS
    clock: 24:00, but 23:00 on the eve of the spring change (the next date's clock starts at
    its noon minus 12 h, 23:00 the evening before). From then on the next date's timetable
    holds every hop (its own trips and ``date``'s still running: see timetable.compile)."""
    d = dt.date.fromisoformat(date) if isinstance(date, str) else date
    nxt = d + dt.timedelta(days=1)
    return day_shift(nxt, tz, 1) + day_start(nxt, tz)


def _local(date: str | dt.date, tz: str, seconds: int) -> dt.datetime:
    """The local time of the instant ``seconds`` after ``date``'s service-day origin."""
    return (service_day_origin(date, tz) + dt.timedelta(seconds=int(seconds))).astimezone(zone(tz))


def day_shift(date: str | dt.date, tz: str, k: int) -> int:
    """The seconds from the origin (noon minus 12 h) of the service day ``k`` days before ``date``
    (after it for ``k`` < 0) to ``date``'s: k * 86400, an hour more or less when a clock change
    lies between them. A time of that day minus this is the same instant on ``date``'s clock."""
    d = dt.date.fromisoformat(date) if isinstance(date, str) else date
    return int((service_day_origin(d, tz) - service_day_origin(d - dt.timedelta(days=k), tz)).total_seconds())


def wall_clock(date: str | dt.date, tz: str, lo: int, hi: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``wall_seconds`` of ``date`` for times ``lo``..``hi`` on its GTFS clock as pieces, for
    numpy: (breaks, adds), the wall clock reading the GTFS time plus ``adds[i]`` from
    ``breaks[i - 1]`` (included) to ``breaks[i]``; ``((), (0,))`` on an ordinary day. Found by
    reading the clock every 6 hours (clock changes are months apart) and halving the interval
    where the difference moves, to the second."""
    def diff(g: int) -> int:
        return wall_seconds(date, tz, g) - g

    step = 6 * 3600
    marks = list(range(int(lo), int(hi), step)) + [int(hi)]
    seen = [diff(g) for g in marks]
    breaks: list[int] = []
    adds = [seen[0]]
    for a, b, da, db in zip(marks, marks[1:], seen, seen[1:]):
        if da == db:
            continue
        while b - a > 1:    # diff(a) is the old difference, diff(b) the new one
            mid = (a + b) // 2
            a, b = (mid, b) if diff(mid) == da else (a, mid)
        breaks.append(b)
        adds.append(db)
    return tuple(breaks), tuple(adds)


def to_iso(date: str | dt.date, tz: str, seconds: int) -> str:
    """Service-day seconds -> "2026-12-01T08:30:00+08:00" (the local time of that instant)."""
    return _local(date, tz, seconds).isoformat(timespec="seconds")


def wall_seconds(date: str | dt.date, tz: str, seconds: int) -> int:
    """Service-day seconds on ``date``'s GTFS clock -> the wall clock read then, as seconds after
    ``date``'s local midnight (24:00 and more the days after, negative the day before): the
    inverse of ``service_seconds``. The same number except the two days a year the clocks change,
    before about 02:00 (spring: GTFS 01:30 is 00:30; autumn: 00:30 is 01:30). In the hour that
    comes twice in autumn both passes read the same (the offset tells them apart: ``to_iso``)."""
    d = dt.date.fromisoformat(date) if isinstance(date, str) else date
    t = _local(d, tz, seconds)
    return (t.date() - d).days * 86400 + seconds_of_day(t)


def clock(iso: str, date: str) -> str:
    """"HH:MM" of an ISO time, with "+1"/"-1" when it falls on another calendar day."""
    day = dt.date.fromisoformat(iso[:10]) - dt.date.fromisoformat(date)
    return iso[11:16] + (f"{day.days:+d}" if day.days else "")


def now_in(tz: str) -> dt.datetime:
    """The current local time in the feed's timezone: the one source of "now" (a ``Network``
    asks its ``clock``, this function by default, looked up when called, so a test pins the time
    by giving a clock or by monkeypatching this function)."""
    return dt.datetime.now(zone(tz))


def seconds_of_day(t: dt.datetime) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def parse_duration(text: str) -> int:
    """"2h", "90m", "1h30", "1:30" or a number of minutes -> seconds."""
    s = text.strip().lower().replace(" ", "")
    m = re.fullmatch(r"(?:(\d+(?:\.\d+)?)h)?(?:(\d+)(?:m|min)?)?", s)
    if s and m and (m.group(1) or m.group(2)):
        h = float(m.group(1) or 0)
        mins = int(m.group(2) or 0)
        if m.group(1) is None and s.endswith("h"):
            raise InputError(f"impossible duration {text!r}")
        return int(round(h * 3600)) + mins * 60
    m = re.fullmatch(r"(\d+):(\d{2})", s)
    if m and int(m.group(2)) < 60:
        return int(m.group(1)) * 3600 + int(m.group(2)) * 60
    raise InputError(f"impossible duration {text!r}: expected e.g. 2h, 90m or 1h30")


def format_duration(seconds: int) -> str:
    """1h05, 45m."""
    m = int(round(seconds / 60))
    return f"{m // 60}h{m % 60:02d}" if m >= 60 else f"{m}m"
