"""Times shown as wall-clock times of the date asked for, the two nights a year the clocks change.

GTFS counts a service day's times from "noon minus 12 h" local time. In America/Los_Angeles:

* spring, Sun 2024-03-10 (02:00 PST -> 03:00 PDT): noon is PDT (UTC-7), 19:00Z; minus 12 h is
  07:00Z, which is 23:00 PST on Sat 9th. So a GTFS time of 01:30 on the 10th is 00:30 wall
  time, and 03:30 is 03:30 PDT (07:00Z + 3.5 h = 10:30Z).
* autumn, Sun 2024-11-03 (02:00 PDT -> 01:00 PST): noon is PST (UTC-8), 20:00Z; minus 12 h is
  08:00Z, which is 01:00 PDT. So a GTFS time of 00:30 on the 3rd is 01:30 PDT (08:30Z, the
  first pass of the hour that comes twice) and 01:30 is 01:30 PST (09:30Z, the second pass).
* the day before either date is an ordinary day, its origin local midnight: a trip of Sat 9th
  at 24:30 leaves 00:30 PST on the 10th (08:30Z); one of Sat 2nd at 24:30 leaves 00:30 PDT on
  the 3rd (07:30Z).

In Europe/Berlin the same rule gives, on Sun 2024-03-31, origin 23:00 CET on the 30th (GTFS
01:30 = 00:30 wall) and on Sun 2024-10-27 origin 01:00 CEST (GTFS 00:30 = 01:30 CEST, GTFS
01:30 = 02:30 CEST, GTFS 02:30 = 02:30 CET).

Every expected time below is worked out by this rule, not by the code.
"""

from __future__ import annotations

import pytest

import hbeu_transit as hb
from gtfs_factory import make_feed

LA = [{"agency_id": "A", "agency_name": "Pacific", "agency_url": "https://example.org",
       "agency_timezone": "America/Los_Angeles"}]
SPRING, AUTUMN = "2024-03-10", "2024-11-03"


def _clock(sec: int) -> str:
    return f"{sec // 3600:02d}:{sec % 3600 // 60:02d}:{sec % 60:02d}"


# ---------------------------------------------------------------------------- the limit note


def _chain_feed(folder, first_departure: int):
    """Seven rides S0 -> S1 -> ... -> S7, each its own trip (six changes: one more than the
    default limit of five), the first leaving S0 at ``first_departure`` (GTFS seconds), each
    ride 10 minutes, 10 minutes to change. Stops 11 km apart: no walking between them."""
    stops = [(f"S{k}", 37.0 + 0.1 * k, -122.0) for k in range(8)]
    rides = {}
    for k in range(7):
        dep = first_departure + k * 20 * 60
        rides[f"T{k}"] = [(f"S{k}", _clock(dep), _clock(dep)), (f"S{k + 1}", _clock(dep + 600), _clock(dep + 600))]
    return make_feed(folder, agency=LA, stops=stops, stop_times=rides)


@pytest.mark.parametrize("date, gtfs, wall", [
    (SPRING, "01:30:00", "00:30"),   # 23:00 PST + 1:30
    (AUTUMN, "00:30:00", "01:30"),   # 01:00 PDT + 0:30
    ("2024-05-15", "01:30:00", "01:30"),   # an ordinary day: the same number
])
def test_the_change_limit_note_gives_the_wall_clock_time(tmp_path, date, gtfs, wall):
    h, m, s = (int(x) for x in gtfs.split(":"))
    feed = _chain_feed(tmp_path / "chain", h * 3600 + m * 60 + s)
    p = hb.Network([feed], cache_dir=tmp_path / "cache").plan("S0", "S7", date=date, depart="00:00")
    assert not p.journeys
    note = [n for n in p.notes if "the default limit" in n]
    assert note and f"with 6 changes one leaves {wall} " in note[0], p.notes


# ---------------------------------------------------------------------------- fare timeframes


def _fare_feed(folder, departure: str):
    """One ride A -> B leaving at ``departure`` (GTFS), and Fares v2: a night fare ($5, priority 1)
    in the timeframe 00:00-01:00 (start included, end not), else the day fare ($2)."""
    h, m, _ = (int(x) for x in departure.split(":"))
    later = _clock(h * 3600 + m * 60 + 1200)
    return make_feed(
        folder, agency=LA, stops=[("A", 37.0, -122.0), ("B", 37.1, -122.0)],
        stop_times={"T": [("A", departure, departure), ("B", later, later)]},
        fare_products=[{"fare_product_id": "NIGHT", "amount": "5.00", "currency": "USD"},
                       {"fare_product_id": "DAY", "amount": "2.00", "currency": "USD"}],
        fare_leg_rules=[{"leg_group_id": "night", "fare_product_id": "NIGHT", "rule_priority": 1,
                         "from_timeframe_group_id": "night"},
                        {"leg_group_id": "day", "fare_product_id": "DAY", "rule_priority": 0}],
        timeframes=[{"timeframe_group_id": "night", "start_time": "00:00:00", "end_time": "01:00:00",
                     "service_id": "ALL"}])


@pytest.mark.parametrize("date, departure, iso, fare", [
    (SPRING, "01:30:00", "2024-03-10T00:30:00-08:00", 5.0),   # 23:00 PST + 1:30: in 00:00-01:00
    (AUTUMN, "00:30:00", "2024-11-03T01:30:00-07:00", 2.0),   # 01:00 PDT + 0:30: after 01:00
    (AUTUMN, "24:30:00", "2024-11-03T00:30:00-07:00", 5.0),   # the 2nd's trip: 00:00 PDT + 0:30
    ("2024-05-15", "00:30:00", "2024-05-15T00:30:00-07:00", 5.0),   # an ordinary day: as written
])
def test_a_fare_timeframe_is_matched_on_the_wall_clock(tmp_path, date, departure, iso, fare):
    feed = _fare_feed(tmp_path / "fares", departure)
    p = hb.Network([feed], cache_dir=tmp_path / "cache").plan("A", "B", date=date, depart="00:00")
    j = p.journeys[0]
    assert j.departure.isoformat() == iso
    assert j.fare.amount == fare and j.fare.currency == "USD"
    assert p.to_dict()["journeys"][0]["legs"][0]["fare"] == {"amount": fare, "currency": "USD"}   # the ride's own


# ---------------------------------------------------------------------------- hbeu freq
#
# One route A -> B (10 minutes), one departure per trip (from A), each trip's service running
# on one date only. The expected wall-clock times, by the rule in the module doc:
#
#   Los Angeles, spring (report Sat 2024-03-09 and Sun 2024-03-10):
#     sat_2330  Sat 23:30          -> Sat 23:30 PST
#     sat_2430  Sat 24:30          -> Sun 00:30 PST   (Sat's origin is its midnight: 08:30Z)
#     sun_0030  Sun 00:30          -> Sat 23:30 PST   (Sun's origin is Sat 23:00 PST)
#     sun_0130  Sun 01:30          -> Sun 00:30 PST
#     sun_0230  Sun 02:30          -> Sun 01:30 PST
#     sun_0330  Sun 03:30          -> Sun 03:30 PDT   (02:00-03:00 does not happen)
#     sun_2330  Sun 23:30          -> Sun 23:30 PDT
#   autumn (report Sun 2024-11-03):
#     sat_2430  Sat 24:30          -> Sun 00:30 PDT (07:30Z)
#     sun_0030  Sun 00:30          -> Sun 01:30 PDT (08:30Z; the origin is 01:00 PDT)
#     sun_0130  Sun 01:30          -> Sun 01:30 PST (09:30Z)
#     sun_0230  Sun 02:30          -> Sun 02:30 PST (10:30Z)
#   Europe/Berlin autumn (Sun 2024-10-27, origin 01:00 CEST = 23:00Z on the 26th):
#     sat_2430 -> 00:30 CEST (22:30Z); sun_0030 -> 01:30 CEST (23:30Z);
#     sun_0130 -> 02:30 CEST (00:30Z); sun_0230 -> 02:30 CET (01:30Z)
# Both passes of the repeated hour count in its one hour row; consecutive autumn departures are
# an hour apart in real time (the headways).

SPRING_TRIPS = {"sat_2330": ("2024-03-09", "23:30"), "sat_2430": ("2024-03-09", "24:30"),
                "sun_0030": ("2024-03-10", "00:30"), "sun_0130": ("2024-03-10", "01:30"),
                "sun_0230": ("2024-03-10", "02:30"), "sun_0330": ("2024-03-10", "03:30"),
                "sun_2330": ("2024-03-10", "23:30")}


def _autumn_trips(sat: str, sun: str) -> dict:
    return {"sat_2430": (sat, "24:30"), "sun_0030": (sun, "00:30"), "sun_0130": (sun, "01:30"),
            "sun_0230": (sun, "02:30")}


def _freq_feed(folder, zone: str, trips: dict):
    rows, services, dates = {}, [], []
    for trip, (date, hhmm) in trips.items():
        h, m = (int(x) for x in hhmm.split(":"))
        dep = h * 3600 + m * 60
        rows[trip] = [("A", _clock(dep), _clock(dep)), ("B", _clock(dep + 600), _clock(dep + 600))]
        services.append({"trip_id": trip, "service_id": date, "route_id": "R", "direction_id": 0})
        dates.append(date)
    agency = [{"agency_id": "A", "agency_name": "Zone", "agency_url": "https://example.org", "agency_timezone": zone}]
    return make_feed(folder, agency=agency, stops=[("A", 37.0, -122.0), ("B", 37.1, -122.0)], stop_times=rows,
                     trips=services, calendar=[],
                     calendar_dates=[{"service_id": d, "date": d.replace("-", ""), "exception_type": 1}
                                     for d in sorted(set(dates))])


def _hours(row) -> dict[int, float]:
    return {h: row[f"h{h:02d}"] for h in range(24) if row[f"h{h:02d}"]}


@pytest.fixture(scope="module")
def spring(tmp_path_factory):
    root = tmp_path_factory.mktemp("spring")
    return hb.Network([_freq_feed(root / "feed", "America/Los_Angeles", SPRING_TRIPS)], cache_dir=root / "cache")


@pytest.mark.parametrize("date, hours, first, last", [
    (SPRING, {0: 2, 1: 1, 3: 1, 23: 1}, "00:30:00", "23:30:00"),   # sat_2430, sun_0130 | sun_0230 | sun_0330 | sun_2330
    ("2024-03-09", {23: 2}, "23:30:00", "23:30:00"),                # sat_2330, sun_0030
])
def test_freq_counts_a_spring_date_on_its_wall_clock(spring, date, hours, first, last):
    by_hour = spring.frequency("hour", date=date)
    assert {int(h): t for h, t in zip(by_hour["hour"], by_hour["total"]) if t} == hours
    assert {int(h): t for h, t in zip(by_hour["hour"], by_hour["trips_started"]) if t} == hours
    stop = spring.frequency("stop", date=date).set_index("station_id").loc["A"]
    assert _hours(stop) == hours and (stop["first_departure"], stop["last_departure"]) == (first, last)
    od = spring.frequency("od", date=date, stations=True).set_index(["origin_id", "destination_id"]).loc[("A", "B")]
    assert _hours(od) == hours and (od["first_departure"], od["last_departure"]) == (first, last)
    assert od["departures_per_day"] == sum(hours.values()) and od["fastest_min"] == 10
    route = spring.frequency("route", date=date).set_index("route_id").loc["R"]
    assert route["trips_per_day"] == sum(hours.values())
    assert (route["first_departure"], route["last_departure"]) == (first, last)


@pytest.mark.parametrize("zone, sat, sun, hours", [
    ("America/Los_Angeles", "2024-11-02", "2024-11-03", {0: 1, 1: 2, 2: 1}),
    ("Europe/Berlin", "2024-10-26", "2024-10-27", {0: 1, 1: 1, 2: 2}),
])
def test_freq_counts_an_autumn_date_on_its_wall_clock(tmp_path, zone, sat, sun, hours):
    net = hb.Network([_freq_feed(tmp_path / "feed", zone, _autumn_trips(sat, sun))], cache_dir=tmp_path / "cache")
    by_hour = net.frequency("hour", date=sun)
    assert {int(h): t for h, t in zip(by_hour["hour"], by_hour["total"]) if t} == hours
    stop = net.frequency("stop", date=sun).set_index("station_id").loc["A"]
    assert _hours(stop) == hours and stop["first_departure"] == "00:30:00" and stop["last_departure"] == "02:30:00"
    od = net.frequency("od", date=sun, stations=True).set_index(["origin_id", "destination_id"]).loc[("A", "B")]
    assert _hours(od) == hours and od["departures_per_day"] == 4
    # the four leave an hour apart (07:30Z ... 10:30Z in Los Angeles), the window is wall-clock
    route = net.frequency("route", date=sun, window="00:00-03:00").set_index("route_id").loc["R"]
    assert route["trips_per_day"] == 4 and route["first_departure"] == "00:30:00"
    assert (route["headway_min"], route["headway_mean"], route["headway_max"]) == (60, 60, 60)
    assert route["service_span_h"] == 3.17          # leaving 00:30 PDT, the last in at 02:40 PST: 3 h 10


@pytest.mark.parametrize("start, end, hours", [
    # Sat 9th: its own 00:30 (h00) and the 10th's, which leaves 23:30 PST on the 9th (h23);
    # Sun 10th: none (its own left the day before); Mon 11th: 00:30 PDT. Per day over 3 days.
    ("2024-03-09", "2024-03-11", {0: 2 / 3, 23: 1 / 3}),
    # Sat 2nd 00:30 PDT; Sun 3rd: 01:00 PDT + 0:30 = 01:30 PDT; Mon 4th 00:30 PST.
    ("2024-11-02", "2024-11-04", {0: 2 / 3, 1: 1 / 3}),
])
def test_days_with_the_same_service_but_another_clock_are_counted_apart(tmp_path, start, end, hours):
    """An every-day trip at 00:30 (GTFS): the days of a range differ only by their clocks."""
    feed = make_feed(tmp_path / "feed", agency=LA, stops=[("A", 37.0, -122.0), ("B", 37.1, -122.0)],
                     stop_times={"T": [("A", "00:30:00", "00:30:00"), ("B", "00:40:00", "00:40:00")]})
    by_hour = hb.Network([feed], cache_dir=tmp_path / "cache").frequency("hour", start=start, end=end)
    assert {int(h): t for h, t in zip(by_hour["hour"], by_hour["total"]) if t} == pytest.approx(hours, abs=1e-3)


def test_a_night_window_before_the_spring_change_is_read_on_the_wall_clock(spring):
    """--window 22:00-02:00 on Sat 2024-03-09: from 22:00 PST on the 9th to 02:00 on the 10th, which
    is 03:00 PDT (02:00-03:00 does not happen). In it: sat_2330 and sun_0030 (both 23:30 PST on
    the 9th), sat_2430 and sun_0130 (00:30 PST), sun_0230 (01:30 PST); not sun_0330 (03:30 PDT)."""
    stop = spring.frequency("stop", date="2024-03-09", window="22:00-02:00").set_index("station_id").loc["A"]
    assert stop["window_departures_per_day"] == 5
    route = spring.frequency("route", date="2024-03-09", window="22:00-02:00").set_index("route_id").loc["R"]
    assert route["trips_per_day"] == 2                  # on the 9th itself: the two at 23:30
    # headways in the window, in real time: 23:30, 23:30 (0), 00:30 (60), 00:30 (0), 01:30 (60)
    assert (route["headway_min"], route["headway_max"]) == (0, 60) and route["headway_mean"] == 30


# ---------------------------------------------------------------------------- circle and coverage
#
# Every service day: T1 A 00:30 -> B 00:40, T2 A 01:30 -> B 01:50, L A 24:20 -> B 24:50 (00:20
# the next morning). A window of 00:00-01:00 (wall clock), one minute a step, T = 60:
#
#   spring, Sun 2024-03-10 (GTFS origin 23:00 PST on the 9th, 07:00Z): 00:00 PST (08:00Z) is
#   GTFS 01:00, 01:00 PST is GTFS 02:00; the minutes are GTFS 60..119. The 9th's L leaves
#   08:20Z = GTFS 01:20 (80) and arrives 08:50Z = 110; the 10th's T2 leaves 90 and arrives 110.
#   Travel at t: 110 - t up to t = 90 (50 .. 20), then the 10th's L (24:20 -> 24:50): 1490 - t.
#   share = 31/60 (t = 60..90); fastest 20 (T2: L leaves earlier and arrives no sooner);
#   direct = 2 (L and T2); median = the 30th smallest of 20..50 and 29 large = 49.
#   Read on the GTFS clock (00:00-01:00 = 23:00-00:00 PST) it was T1's 10 minutes.
#
#   autumn, Sun 2024-11-03 (origin 01:00 PDT, 08:00Z): 00:00 PDT (07:00Z) is GTFS -01:00, 01:00
#   PDT (the first pass) is GTFS 0; the minutes are GTFS -60..-1. The 2nd's L leaves 07:20Z = -40
#   and arrives 07:50Z = -10; the 3rd's T1 leaves 30 and arrives 40. Travel at t: -10 - t up
#   to t = -40 (50 .. 30), then 40 - t (79 .. 41). share = (21 + 20)/60 (t = -60..-40, -20..-1);
#   fastest 30 (L, the only departure in the window); direct = 1; median: 30..40 once, 41..50
#   twice: the 30th smallest is 50. On the GTFS clock (01:00 PDT - 01:00 PST) it was T1's 10.

CIRCLE_TRIPS = {"T1": [("A", "00:30:00", "00:30:00"), ("B", "00:40:00", "00:40:00")],
                "T2": [("A", "01:30:00", "01:30:00"), ("B", "01:50:00", "01:50:00")],
                "L": [("A", "24:20:00", "24:20:00"), ("B", "24:50:00", "24:50:00")]}


@pytest.fixture(scope="module")
def circle_net(tmp_path_factory):
    root = tmp_path_factory.mktemp("circle")
    feed = make_feed(root / "feed", agency=LA, stops=[("A", 37.0, -122.0), ("B", 37.1, -122.0)],
                     stop_times=CIRCLE_TRIPS)
    return hb.Network([feed], cache_dir=root / "cache")


@pytest.mark.parametrize("date, share, fastest, direct, median", [
    (SPRING, 31 / 60, 20, 2, 49),
    (AUTUMN, 41 / 60, 30, 1, 50),
])
def test_a_circle_and_coverage_window_is_read_on_the_wall_clock(circle_net, date, share, fastest, direct, median):
    res = circle_net.circle_result("A", 60, date=date, window="00:00-01:00")
    assert res.parameters["window"] == "00:00-01:00"
    (row,) = res.rows
    assert row["destination"] == "B"
    assert (row["fastest_min"], row["direct_departures"], row["median_min"]) == (fastest, direct, median)
    assert row["share_within"] == pytest.approx(share)
    cov = circle_net.coverage_result("A", "B", 60, date=date, window=("00:00", "01:00"), by="station")
    assert cov.parameters["window"] == "00:00-01:00"
    (pair,) = cov.records()
    assert (pair["fastest_min"], pair["direct_departures"], pair["median_min"]) == (fastest, direct, median)
    assert pair["share_within"] == pytest.approx(share)


def test_the_circle_chart_reads_its_time_axis_on_the_wall_clock(circle_net, tmp_path, monkeypatch):
    """Spring, window 00:00-06:00: 08:00Z-13:00Z, GTFS 01:00-06:00 (origin 07:00Z), five real
    hours; an hour-a-tick axis at GTFS 1, 2, ... 6 h (08:00Z ... 13:00Z), which the wall clock
    reads 00:00, 01:00 (PST), 03:00 (PDT: 02:00 does not happen), 04:00, 05:00, 06:00. On the
    GTFS clock it read 01:00 ... 06:00."""
    pytest.importorskip("matplotlib")
    from matplotlib.axes import Axes

    seen: list[list[str]] = []
    real = Axes.set_xticklabels
    monkeypatch.setattr(Axes, "set_xticklabels", lambda ax, labels, **kw: (seen.append(list(labels)),
                                                                           real(ax, labels, **kw))[1])
    circle_net.circle_result("A", 60, date=SPRING, window="00:00-06:00").write_png(tmp_path / "c.png")
    assert seen and seen[-1] == ["00:00", "01:00", "03:00", "04:00", "05:00", "06:00"]


def test_a_transfer_duration_across_the_spring_change_counts_real_time(tmp_path):
    """Fares v1: one fare ($3) whose ticket allows any number of changes within 3600 s
    (transfer_duration). On 2024-03-10 ride 1 leaves A at GTFS 02:40 (23:00 PST + 2:40 = 01:40
    PST) and ride 2 leaves B at GTFS 03:30 (03:30 PDT): 50 minutes apart in real time, one
    ticket ($3), though the wall clock reads 01:40 and 03:30, 110 minutes apart (two tickets,
    $6). The rides' fares still read the wall clock (the test above)."""
    feed = make_feed(
        tmp_path / "v1", agency=LA, stops=[("A", 37.0, -122.0), ("B", 37.1, -122.0), ("C", 37.2, -122.0)],
        stop_times={"T1": [("A", "02:40:00", "02:40:00"), ("B", "02:50:00", "02:50:00")],
                    "T2": [("B", "03:30:00", "03:30:00"), ("C", "03:40:00", "03:40:00")]},
        fare_attributes=[{"fare_id": "F", "price": "3.00", "currency_type": "USD", "payment_method": 0,
                          "transfers": "", "transfer_duration": "3600"}])
    p = hb.Network([feed], cache_dir=tmp_path / "cache").plan("A", "C", date=SPRING, depart="00:00")
    j = p.journeys[0]
    assert [lg.departure.isoformat() for lg in j.legs if lg.trip] == ["2024-03-10T01:40:00-08:00",
                                                                     "2024-03-10T03:30:00-07:00"]
    assert j.fare.amount == 3.0 and j.fare.currency == "USD"
