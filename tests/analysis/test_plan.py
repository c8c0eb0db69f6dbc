"""``analysis.plan.board_latest``: the same train from a city with several stations is boarded
at the last of them it calls at (the shortest ride, the latest departure), within ``until``."""

from __future__ import annotations

import numpy as np

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


def arriving(tt, origin: str, dest: str, by: int, window: int) -> list[tuple[int, int, int]]:
    """(departure, arrival, transfers) of ``plan`` arriving by ``by`` in ``window``."""
    from hbeu_transit.analysis.plan import PlanQuery, plan

    q = PlanQuery(sources=np.array([tt.stop_ids.index(origin)]), targets=np.array([tt.stop_ids.index(dest)]),
                  arrive_by=by, window=window)
    return [(j.departure, j.arrival, j.transfers) for j in plan(tt, q)]


def test_a_plan_arriving_in_a_window_finds_a_long_direct_ride():
    """A 14-hour train A 06:00 -> B 20:00 arrives in the window 20:00-21:00 and no journey beats
    it (the 18:00 arrives later): it is shown, however long before the window it left."""
    tt = timetable_from_connections([("A", "B", 6 * H, 20 * H, "K1"), ("A", "B", 18 * H, 20 * H + 3000, "K3")])
    assert arriving(tt, "A", "B", 21 * H, H) == [(6 * H, 20 * H, 0), (18 * H, 20 * H + 3000, 0)]


def test_a_plan_arriving_in_a_window_finds_a_long_ride_and_a_change():
    """No direct ride: the 14-hour train to B, then a bus B 20:10 -> C 20:40 is the only
    journey arriving in 20:00-21:00; a journey arriving earlier beats a slower one left earlier."""
    conns = [("A", "B", 6 * H, 20 * H, "K1"), ("B", "C", 20 * H + 600, 20 * H + 2400, "bus")]
    tt = timetable_from_connections(conns)
    assert arriving(tt, "A", "C", 21 * H, H) == [(6 * H, 20 * H + 2400, 1)]
    # a direct coach 19:00 -> 20:30 leaves later and arrives earlier with no change: it beats it
    tt = timetable_from_connections(conns + [("A", "C", 19 * H, 20 * H + 1800, "coach")])
    assert arriving(tt, "A", "C", 21 * H, H) == [(19 * H, 20 * H + 1800, 0)]
