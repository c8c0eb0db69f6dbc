"""feed.service: which services run on a date, the calendar's span, day types and the dates
with trips, on calendars written out by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from hbeu_transit.feed.service import active_services, dates_with_trips, day_type, default_date, service_date_range

WEEK = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def cal(rows):
    return pd.DataFrame([{"service_id": s, **dict(zip(WEEK, days)), "start_date": a, "end_date": b}
                         for s, days, a, b in rows], dtype=object)


CAL = cal([("WK", "1111100", "20240301", "20240331"), ("SAT", "0000010", "20240301", "20240331"),
           ("UNUSED", "1111111", "20240101", "20241231")])
CD = pd.DataFrame({"service_id": ["WK", "WK", "EXTRA"], "date": ["20240304", "20240309", "20240401"],
                   "exception_type": ["2", "1", "1"]}, dtype=object)
TRIPS = pd.DataFrame({"trip_id": ["t1", "t2", "t3"], "service_id": ["WK", "SAT", "EXTRA"]}, dtype=object)


def test_active_services_weekly_pattern_then_exceptions():
    assert active_services(CAL, CD, dt.date(2024, 3, 5)) == {"WK", "UNUSED"}        # a Tuesday
    assert active_services(CAL, CD, dt.date(2024, 3, 4)) == {"UNUSED"}              # WK removed
    assert active_services(CAL, CD, dt.date(2024, 3, 9)) == {"WK", "SAT", "UNUSED"}  # WK added on a Saturday
    assert active_services(CAL, CD, dt.date(2024, 4, 1)) == {"EXTRA", "UNUSED"}     # after WK's range
    assert active_services(None, None, dt.date(2024, 3, 5)) == set()


def test_service_date_range_spans_calendar_and_added_dates():
    assert service_date_range(CAL, CD) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert service_date_range(None, CD) == (dt.date(2024, 3, 9), dt.date(2024, 4, 1))
    assert service_date_range(None, None) is None


def test_day_type():
    assert [day_type(dt.date(2024, 3, d)) for d in (8, 9, 10)] == ["weekday", "saturday", "sunday"]
    assert day_type(dt.date(2024, 3, 8), {dt.date(2024, 3, 8)}) == "holiday"


def test_dates_with_trips_ignore_services_without_trips():
    dates = dates_with_trips(CAL, CD, TRIPS)
    # March: weekdays except the removed 4th, Saturdays, plus April 1 (EXTRA); UNUSED adds nothing
    march = [dt.date(2024, 3, d) for d in range(1, 32)]
    want = [d.isoformat() for d in march if d.weekday() < 6 and d != dt.date(2024, 3, 4)] + ["2024-04-01"]
    assert dates == want


def test_default_date_is_today_or_the_next_date_with_trips():
    assert default_date(CAL, CD, TRIPS, today=dt.date(2024, 3, 5)) == (dt.date(2024, 3, 5), None)
    day, note = default_date(CAL, CD, TRIPS, today=dt.date(2024, 3, 3))  # a Sunday: no trips
    assert day == dt.date(2024, 3, 5) and "2024-03-05" in note
