"""``analysis.plan.board_latest``: the same train from a city with several stations is boarded
at the last of them it calls at (the shortest ride, the latest departure), within ``until``."""

from __future__ import annotations

import hbeu_transit.router as router
from hbeu_transit.analysis.plan import board_latest
from hbeu_transit.timetable import timetable_from_connections

H = 3600


def three_stations():
    """One train through the origin city's three stations, A1 08:00, A2 08:10, A3 08:20, to
    B 09:00."""
    conns = [("A1", "A2", 8 * H, 8 * H + 600, "T"), ("A2", "A3", 8 * H + 600, 8 * H + 1200, "T"),
             ("A3", "B", 8 * H + 1200, 9 * H, "T")]
    tt = timetable_from_connections(conns)
    src = [tt.stop_ids.index(s) for s in ("A1", "A2", "A3")]
    return tt, src, [tt.stop_ids.index("B")]


def first_ride(j):
    ride = next(leg for leg in j.legs if leg.kind == "ride")
    return ride.from_stop, ride.departure, ride.arrival


def test_the_train_is_boarded_at_the_last_origin_station_it_calls_at():
    tt, src, dst = three_stations()
    (j,) = router.pareto(tt, src, dst, 7 * H + 3000)
    assert first_ride(j)[0] == src[0]           # the router boards at the first station
    (got,) = board_latest(tt, [j], src)
    assert first_ride(got) == (src[2], 8 * H + 1200, 9 * H)     # A3, 08:20, same arrival
    assert got.legs[0].kind == "ride" and len(got.legs) == 1


def test_until_allows_a_boarding_leaving_exactly_then_and_none_after():
    tt, src, dst = three_stations()
    (j,) = router.pareto(tt, src, dst, 7 * H + 3000)
    assert first_ride(board_latest(tt, [j], src, until=8 * H + 1200)[0])[:2] == (src[2], 8 * H + 1200)
    assert first_ride(board_latest(tt, [j], src, until=8 * H + 1199)[0])[:2] == (src[1], 8 * H + 600)
