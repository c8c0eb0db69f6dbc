"""The default service date: one rule and one wording for every command (pure Python, no pandas).

`feed.service.default_date` (info, freq, graph) and `PlaceIndex.default_date` (plan, departures,
commute; read from the cached place index without pandas) both end here.
"""

from __future__ import annotations

import datetime as dt


def choose_default_date(dates_with_service: list[str], today: dt.date) -> tuple[dt.date, str | None]:
    """The date a query runs on when the user names none, and a note when it is not today.

    ``dates_with_service`` are the sorted ISO dates ("YYYY-MM-DD") on which at least one trip
    runs (services without trips do not count). Today when a trip runs today; otherwise the next
    date with trips; for a feed whose service has ended, its first date with trips.
    """
    if not dates_with_service:
        return today, "the feed has no service dates; using today"
    iso = today.isoformat()
    if iso in dates_with_service:
        return today, None
    later = [d for d in dates_with_service if d > iso]
    if later:
        return dt.date.fromisoformat(later[0]), f"no service on {iso}; using the next service date {later[0]}"
    first = dates_with_service[0]
    return dt.date.fromisoformat(first), (
        f"the feed's service ended {dates_with_service[-1]}; using its first service date {first}")
