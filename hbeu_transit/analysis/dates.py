"""The dates a report covers: one date, an inclusive range, or the default service date."""

from __future__ import annotations

import datetime as dt

from ..errors import InputError

#: The longest --from/--to range a report accepts (ten years).
MAX_RANGE_DAYS = 3660


def report_dates(feed, date: dt.date | None = None, start: dt.date | None = None, end: dt.date | None = None,
                 today: dt.date | None = None) -> tuple[list[dt.date], str | None]:
    """The dates of a report and a note when the default date is not today.

    ``date`` alone, or ``start`` and ``end`` (inclusive, at most MAX_RANGE_DAYS days); neither
    means the default service date of ``feed`` (`feed.default_date`: today in the feed's
    timezone when a trip runs today, else the next date with trips...). InputError for a
    contradictory or too long request.
    """
    from .frequency import date_range

    if date is not None and (start is not None or end is not None):
        raise InputError("give either {date} or {start}/{end}, not both", "date", "start", "end")
    if (start is None) != (end is None):
        raise InputError("a date range needs both {start} and {end}", "start", "end")
    if start is not None and end is not None:
        days = date_range(start, end)
        if len(days) > MAX_RANGE_DAYS:
            raise InputError(f"{{start}} {start.isoformat()} {{end}} {end.isoformat()} spans {len(days)} days; "
                             f"at most {MAX_RANGE_DAYS} (ten years)", "start", "end")
        return days, None
    if date is not None:
        return [date], None
    from ..feed import default_date

    if today is None:
        from .times import now_in

        today = now_in(feed.timezone).date()
    day, note = default_date(feed.calendar, feed.calendar_dates, feed.trips, today=today)
    return [day], note
