"""Service calendars: which service_ids run on a date (calendar.txt + calendar_dates.txt)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .columns import column

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _ymd(d: dt.date) -> str:
    return d.strftime("%Y%m%d")


def active_services(calendar: pd.DataFrame | None, calendar_dates: pd.DataFrame | None,
                    date: dt.date) -> set[str]:
    """The service_ids running on ``date``: the weekly pattern, then exceptions (1 add, 2 remove)."""
    import pandas as pd

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
    import pandas as pd

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


def dates_with_trips(calendar: pd.DataFrame | None, calendar_dates: pd.DataFrame | None,
                     trips: pd.DataFrame | None) -> list[str]:
    """The sorted ISO dates ("YYYY-MM-DD") on which at least one trip's service runs.

    Services that no trip uses do not count. The place index caches this list, so the planner
    and the pandas commands choose their default date from the same dates.
    """
    days = service_days(calendar, calendar_dates, set(column(trips, "service_id")))
    return sorted(set().union(*days.values()))


def service_days(calendar: pd.DataFrame | None, calendar_dates: pd.DataFrame | None,
                 services: set[str]) -> dict[str, set[str]]:
    """The ISO dates ("YYYY-MM-DD") on which each of ``services`` runs (those running on none
    left out): calendar.txt's weekly pattern, then calendar_dates.txt's additions and removals
    (a removal wins over an addition of the same date, whatever the row order, as
    ``active_services``)."""
    days: dict[str, set[str]] = {}
    if calendar is not None and not calendar.empty:
        cols = [column(calendar, d) for d in _WEEKDAYS]
        rows = zip(column(calendar, "service_id"), column(calendar, "start_date"), column(calendar, "end_date"))
        for i, (sid, a, b) in enumerate(rows):
            if sid not in services or not a or not b:
                continue
            week = [cols[w][i] == "1" for w in range(7)]
            d, end = dt.datetime.strptime(a, "%Y%m%d").date(), dt.datetime.strptime(b, "%Y%m%d").date()
            while d <= end:
                if week[d.weekday()]:
                    days.setdefault(sid, set()).add(d.isoformat())
                d += dt.timedelta(days=1)
    if calendar_dates is not None and not calendar_dates.empty:
        removed: list[tuple[str, str]] = []
        for sid, day, et in zip(column(calendar_dates, "service_id"), column(calendar_dates, "date"),
                                column(calendar_dates, "exception_type")):
            if sid not in services or not day:
                continue
            iso = dt.datetime.strptime(day, "%Y%m%d").date().isoformat()
            if et == "1":
                days.setdefault(sid, set()).add(iso)
            elif et == "2":
                removed.append((iso, sid))
        for iso, sid in removed:
            days.get(sid, set()).discard(iso)
    return {sid: d for sid, d in days.items() if d}


def default_date(calendar: pd.DataFrame | None, calendar_dates: pd.DataFrame | None,
                 trips: pd.DataFrame | None, today: dt.date | None = None) -> tuple[dt.date, str | None]:
    """The date a query runs on when the user names none, and a note when it is not today.

    The rule and wording of `feed.dates.choose_default_date` (shared with the planner's place
    index): today when any trip runs today, else the next date with trips, else (service ended)
    the first date with trips.
    """
    from .dates import choose_default_date

    return choose_default_date(dates_with_trips(calendar, calendar_dates, trips), today or dt.date.today())
