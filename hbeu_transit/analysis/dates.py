"""The dates a report covers: one date, an inclusive range, or the default service date."""

from __future__ import annotations

import datetime as dt

from ..errors import InputError

#: The longest --from/--to range a report accepts (ten years).
MAX_RANGE_DAYS = 3660


def report_dates(feed, date: dt.date | None = None, start: dt.date | None = None, end: dt.date | None = None,
                 today: dt.date | None = None) -> tuple[list[dt.date], str | None]:
    """The dates of a report and a note when the default date is not today (or the date asked
    for has no trips, or a range is cut to the feeds' dates).

    ``date`` alone, or ``start`` and ``end`` (inclusive, at most MAX_RANGE_DAYS days); neither
    means the default service date of ``feed`` (`feed.default_date`: today in the feed's
    timezone when a trip runs today, else the next date with trips...). InputError for a
    contradictory or too long request. ``feed``: a loaded Feed, or the frequency tables'
    ``FreqData`` (which carries its dates with trips and timezone).
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
        span = service_span(feed)
        if span is None:
            return days, None
        inside = [d for d in days if span[0] <= d <= span[1]]
        if not inside:
            raise InputError(f"{{start}} {start.isoformat()} {{end}} {end.isoformat()} is outside the feeds' "
                             f"service dates {span[0].isoformat()} … {span[1].isoformat()}", "start", "end")
        if len(inside) < len(days):
            return inside, (f"the feeds run only {span[0].isoformat()} … {span[1].isoformat()}: counting the "
                            f"{len(inside)} of the {len(days)} days asked for that they cover")
        return days, None
    if date is not None:
        span = service_span(feed)
        if span is not None and not span[0] <= date <= span[1]:
            raise InputError(f"{{date}} {date.isoformat()} is outside the feeds' service dates "
                             f"{span[0].isoformat()} … {span[1].isoformat()}", "date")
        if span is not None and date.isoformat() not in served_dates(feed):  # as the planner notes it
            return [date], f"the feeds run no trips on {date.isoformat()}"
        return [date], None
    from ..feed.dates import choose_default_date

    if today is None:
        from .times import now_in

        today = now_in(feed.timezone).date()
    day, note = choose_default_date(served_dates(feed), today)
    return [day], note


def service_span(feed) -> tuple[dt.date, dt.date] | None:
    """The first and last date on which the feeds run a trip (None when they never do): a report
    over dates outside it would average over days with no data."""
    served = served_dates(feed)
    if not served:
        return None
    return dt.date.fromisoformat(served[0]), dt.date.fromisoformat(served[-1])


def served_dates(feed) -> list[str]:
    """The sorted ISO dates with trips: carried by a ``FreqData``, computed for a Feed."""
    served = getattr(feed, "served_dates", None)
    if served is not None:
        return served
    from ..feed.service import dates_with_trips

    return dates_with_trips(feed.calendar, feed.calendar_dates, feed.trips)


def check_in_span(day: dt.date, served: list[str], param: str = "date") -> None:
    """InputError when ``day`` lies outside the sorted ISO dates ``served`` (dates with trips)."""
    if served and not served[0] <= day.isoformat() <= served[-1]:
        raise InputError(f"{{{param}}} {day.isoformat()} is outside the feeds' service dates "
                         f"{served[0]} … {served[-1]}", param)
