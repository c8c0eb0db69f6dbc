"""Service calendars: which service_ids run on a date (calendar.txt + calendar_dates.txt)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _ymd(d: dt.date) -> str:
    return d.strftime("%Y%m%d")


def active_services(calendar: pd.DataFrame | None, calendar_dates: pd.DataFrame | None,
                    date: dt.date) -> set[str]:
    """The service_ids running on ``date``: the weekly pattern, then exceptions (1 add, 2 remove)."""
    ymd = _ymd(date)
    active: set[str] = set()
    if calendar is not None and not calendar.empty:
        day = _WEEKDAYS[date.weekday()]
        cal = calendar
        on = (cal["start_date"].astype(str) <= ymd) & (cal["end_date"].astype(str) >= ymd) & (
            pd.to_numeric(cal[day]).fillna(0).astype(int) == 1)
        active.update(cal.loc[on, "service_id"].astype(str))
    if calendar_dates is not None and not calendar_dates.empty:
        cd = calendar_dates[calendar_dates["date"].astype(str) == ymd]
        et = pd.to_numeric(cd["exception_type"]).astype(int)
        active.update(cd.loc[et == 1, "service_id"].astype(str))
        active.difference_update(cd.loc[et == 2, "service_id"].astype(str))
    return active


def service_date_range(calendar: pd.DataFrame | None,
                       calendar_dates: pd.DataFrame | None) -> tuple[dt.date, dt.date] | None:
    """First and last date on which any service may run (None for an empty calendar)."""
    days: list[str] = []
    if calendar is not None and not calendar.empty:
        days += [str(calendar["start_date"].astype(str).min()), str(calendar["end_date"].astype(str).max())]
    if calendar_dates is not None and not calendar_dates.empty:
        added = calendar_dates[pd.to_numeric(calendar_dates["exception_type"]).astype(int) == 1]
        if not added.empty:
            days += [str(added["date"].astype(str).min()), str(added["date"].astype(str).max())]
    if not days:
        return None
    parse = lambda s: dt.datetime.strptime(s, "%Y%m%d").date()  # noqa: E731
    return parse(min(days)), parse(max(days))


def day_type(date: dt.date, peak_dates: set[dt.date] | None = None) -> str:
    """weekday / saturday / sunday, or "holiday" for a date in ``peak_dates``."""
    if peak_dates and date in peak_dates:
        return "holiday"
    wd = date.weekday()
    return "weekday" if wd < 5 else ("saturday" if wd == 5 else "sunday")


def default_date(calendar: pd.DataFrame | None, calendar_dates: pd.DataFrame | None,
                 today: dt.date | None = None) -> tuple[dt.date, str | None]:
    """The date a query runs on when the user names none, and a note when it is not today.

    Today when any service runs today; otherwise the next date that has service; for a feed
    whose service has ended, its first date with service.
    """
    today = today or dt.date.today()
    rng = service_date_range(calendar, calendar_dates)
    if rng is None:
        return today, "the feed has no service dates; using today"
    start, end = rng
    if active_services(calendar, calendar_dates, today):
        return today, None
    d = max(today, start)
    if d <= end:
        while d <= end:
            if active_services(calendar, calendar_dates, d):
                return d, f"no service on {today.isoformat()}; using the next service date {d.isoformat()}"
            d += dt.timedelta(days=1)
    d = start
    while d <= end:
        if active_services(calendar, calendar_dates, d):
            return d, (f"the feed's service ended {end.isoformat()}; using its first service date "
                       f"{d.isoformat()}")
        d += dt.timedelta(days=1)
    return today, "the feed has no service on any date; using today"
