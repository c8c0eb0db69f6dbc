"""The circle measures against a brute force: one earliest-arrival query per minute (and per
candidate departure for the fastest journey) through the public router, on hand-made
timetables, random ones (hypothesis) and caltrain; plus hand-worked figures."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hbeu_transit.analysis.circle import (Groups, area_groups, circle_measures, parse_window,
                                          station_groups)
from hbeu_transit.errors import InputError
from hbeu_transit.router import UNREACHABLE, earliest_arrival
from hbeu_transit.timetable import timetable_from_connections

H = 3600


# --------------------------------------------------------------------------- the brute force

def brute(tt, src, dest, window, within_min, max_transfers=None):
    """Every measure from first principles: an earliest-arrival query per minute, and per
    instant worth leaving at (a boardable departure at an origin stop, or one footpath
    before one) for the fastest journey; direct trips by walking each trip's hops."""
    src, dest = sorted(set(src)), sorted(set(dest))

    def ea(t: int) -> int:
        return int(earliest_arrival(tt, src, t, max_transfers=max_transfers).arrival[dest].min())

    travel = []
    for t in range(window.start, window.end, window.step):
        a = ea(t)
        travel.append(math.inf if a >= UNREACHABLE else a - t)
    travel = np.array(travel, dtype=float)
    T = within_min * 60
    out = {"share_within": float(np.mean(travel <= T))}
    for col, p in (("p10_min", 10), ("median_min", 50), ("p90_min", 90)):
        v = float(np.percentile(travel, p, method="inverted_cdf"))
        out[col] = None if math.isinf(v) else v / 60
    # walking from the origin: 0 at an origin stop, else one footpath
    walk = {s: 0 for s in src}
    for s in src:
        for f in range(int(tt.fp_start[s]), int(tt.fp_start[s + 1])):
            u, d = int(tt.fp_to[f]), int(tt.fp_dur[f])
            walk[u] = min(walk.get(u, math.inf), d)
    best = min((walk[d] for d in dest if d in walk), default=math.inf)
    events = set()
    for c in range(tt.n_connections):
        s = int(tt.c_from[c])
        if tt.c_board[c] and s in walk:
            events.add(int(tt.c_dep[c]) - walk[s])
    for e in sorted(events):
        if window.start <= e < window.end:
            a = ea(e)
            if a < UNREACHABLE and a < ea(e + 1):     # no later departure arrives as early
                best = min(best, a - e)
    out["fastest_min"] = None if math.isinf(best) else best / 60
    out["in_circle"] = best <= T
    # direct trips
    hops: dict[int, list[int]] = {}
    for c in range(tt.n_connections):
        hops.setdefault(int(tt.c_trip[c]), []).append(c)
    count = 0
    for cs in hops.values():
        cs.sort(key=lambda c: int(tt.c_seq[c]))
        if any(tt.c_board[b] and int(tt.c_from[b]) in src and window.start <= int(tt.c_dep[b]) < window.end
               and tt.c_alight[x] and int(tt.c_to[x]) in dest and int(tt.c_arr[x]) - int(tt.c_dep[b]) <= T
               for i, b in enumerate(cs) for x in cs[i:]):
            count += 1
    out["direct_departures"] = count
    return out


def engine(tt, src, groups: Groups, g: int, window, within_min, max_transfers=None) -> dict:
    m = circle_measures(tt, src, groups, within=within_min, window=window, max_transfers=max_transfers)
    row = m.records()[g]
    return {k: row[k] for k in ("fastest_min", "median_min", "p10_min", "p90_min", "share_within",
                                "direct_departures", "in_circle")}


def same(got: dict, want: dict) -> None:
    for k, v in want.items():
        if isinstance(v, float):
            assert got[k] == pytest.approx(v, abs=1e-9), k
        else:
            assert got[k] == v, k


def groups_of(tt, mapping: dict[str, str]) -> Groups:
    """Groups from {stop_id: label}."""
    labels = list(dict.fromkeys(mapping.values()))
    of = np.array([labels.index(mapping[s]) if s in mapping else -1 for s in tt.stop_ids], dtype=np.int64)
    return Groups(labels, of)


# --------------------------------------------------------------------------- hand-worked

def line(deps, run, stops=("A", "B"), change=0, **kw):
    """Trips A -> B leaving at ``deps`` (seconds), each taking ``run`` seconds."""
    return timetable_from_connections([(stops[0], stops[1], d, d + run, i) for i, d in enumerate(deps)],
                                      stop_change=change, **kw)


def test_hand_worked_line():
    # trains 06:10, 06:40, 07:10, 40 minutes each; window 06:00-07:00
    tt = line([6 * H + 600, 6 * H + 2400, 7 * H + 600], 2400)
    g = groups_of(tt, {"B": "B"})
    got = engine(tt, [0], g, 0, parse_window("06:00-07:00"), 45)
    # 06:00..06:10 -> arrive 06:50 (50..40 min); 06:11..06:40 -> 07:20 (69..40);
    # 06:41..06:59 -> 07:50 (69..51, the train after the window)
    travel = [50 - k for k in range(11)] + [69 - k for k in range(30)] + [69 - k for k in range(19)]
    s = sorted(travel)
    assert got["fastest_min"] == 40
    assert got["share_within"] == pytest.approx(sum(t <= 45 for t in travel) / 60) == pytest.approx(12 / 60)
    assert got["median_min"] == s[29] and got["p10_min"] == s[5] and got["p90_min"] == s[53]
    assert got["direct_departures"] == 2          # 06:10 and 06:40; 07:10 leaves after the window
    assert got["in_circle"] is True


def test_unreachable_destination_is_missing_never_zero():
    tt = timetable_from_connections([("A", "B", 6 * H, 7 * H, 0)], stops=["A", "B", "C"])
    g = groups_of(tt, {"C": "C", "B": "B"})
    rows = circle_measures(tt, [0], g, window=parse_window("05:00-08:00")).records()
    c = rows[0]
    assert c["fastest_min"] is None and c["median_min"] is None and c["p10_min"] is None
    assert c["share_within"] == 0 and c["direct_departures"] == 0 and c["in_circle"] is False
    b = rows[1]   # one train at 06:00, 60 min: reachable for 61 of 180 minutes
    assert b["fastest_min"] == 60 and b["p10_min"] is not None and b["median_min"] is None


def test_window_across_midnight():
    # a late train at 23:50 and one at 24:30 (same service day), 30 minutes each
    tt = line([23 * H + 3000, 24 * H + 1800], 1800)
    w = parse_window("23:00-01:00")
    assert (w.start, w.end) == (23 * H, 25 * H)
    g = groups_of(tt, {"B": "B"})
    got = engine(tt, [0], g, 0, w, 30)
    same(got, brute(tt, [0], [1], w, 30))
    assert got["fastest_min"] == 30 and got["direct_departures"] == 2


def test_fastest_ignores_a_slow_train_overtaken_after_the_window():
    # 21:50 slow (120 min) is beaten by 22:10 fast (50 min, after the window): no journey
    # worth taking leaves in the window, though a minute at 21:59 still has a travel time
    tt = timetable_from_connections([("A", "B", 21 * H + 3000, 23 * H + 3000, 0),
                                     ("A", "B", 22 * H + 600, 23 * H, 1)])
    w = parse_window("21:00-22:00")
    got = engine(tt, [0], groups_of(tt, {"B": "B"}), 0, w, 60)
    same(got, brute(tt, [0], [1], w, 60))
    # travel times 120..61 min (all the 23:00 arrival): the 6th shortest of 60 is 66
    assert got["fastest_min"] is None and got["p10_min"] == 66 and got["share_within"] == 0


def test_station_with_platforms_and_origin_walk():
    # station S has platforms S1, S2; the origin O walks 2 min to P and rides from there
    conns = [("P", "S1", 7 * H, 7 * H + 1200, 0), ("O", "S2", 7 * H + 300, 7 * H + 1800, 1),
             ("P", "S2", 7 * H + 900, 7 * H + 1500, 2)]
    tt = timetable_from_connections(conns, stops=["O", "P", "S", "S1", "S2"], footpaths=[("O", "P", 120)],
                                    stop_station={"S1": "S", "S2": "S"})
    groups = station_groups(tt)
    g = groups.labels.index("S")
    w = parse_window("06:50-07:30")
    got = engine(tt, [0], groups, g, w, 30)
    same(got, brute(tt, [0], [2, 3, 4], w, 30))
    assert got["fastest_min"] == 12                 # leave O 07:13, walk, the 07:15 from P
    assert got["direct_departures"] == 1            # the 07:05 (25 min) boards at O itself
    p = groups.labels.index("P")
    assert engine(tt, [0], groups, p, w, 20)["fastest_min"] == 2   # walking counts


def test_a_walk_of_exactly_within_minutes_is_within_at_every_minute():
    # P is a 10-min walk from O; the only ride, O -> P, takes 30 min: every minute is within 10
    tt = timetable_from_connections([("O", "P", 7 * H, 7 * H + 1800, 0)], stops=["O", "P"],
                                    footpaths=[("O", "P", 600)])
    groups = station_groups(tt)
    w = parse_window("06:50-07:30")
    got = engine(tt, [0], groups, groups.labels.index("P"), w, 10)
    same(got, brute(tt, [0], [1], w, 10))
    assert got["share_within"] == 1.0 and got["in_circle"] and got["fastest_min"] == 10


def test_a_journey_after_the_window_beats_one_inside_it_at_another_stop_of_the_group():
    # station X has stops X1, X2: the 07:00 to X1 arrives 09:00, but the 07:40 (after the
    # window) reaches X2 at 08:00, so every minute of the window arrives 08:00 and the 07:00
    # is not worth taking (found by the random test, seed 126205643082148420068431731822042515317)
    conns = [("O", "X1", 7 * H, 9 * H, 0), ("O", "X2", 7 * H + 2400, 8 * H, 1)]
    tt = timetable_from_connections(conns, stops=["O", "X", "X1", "X2"], stop_station={"X1": "X", "X2": "X"})
    groups = station_groups(tt)
    w = parse_window("06:50-07:30")
    got = engine(tt, [0], groups, groups.labels.index("X"), w, 60)
    same(got, brute(tt, [0], [1, 2, 3], w, 60))
    # travel 70..31 min over 40 minutes: the 20th shortest is 50; no journey leaves in the window
    assert got["median_min"] == 50 and got["fastest_min"] is None and got["in_circle"] is False


def test_areas_group_same_named_areas():
    tt = timetable_from_connections([("A", "B", 0, 60, 0), ("A", "C", 0, 60, 1)],
                                    stop_area={"A": "X", "B": "Y", "C": "Y"})
    assert area_groups(tt).labels == ["X", "Y"]


def test_bad_window_and_within():
    with pytest.raises(InputError, match="HH:MM"):
        parse_window("6-")
    with pytest.raises(InputError, match="impossible step 0: expected minutes > 0"):
        parse_window("06:00-22:00", step=0)
    tt = line([0], 60)
    with pytest.raises(InputError, match="within"):
        circle_measures(tt, [0], station_groups(tt), within=0)


# --------------------------------------------------------------------------- random networks

@st.composite
def networks(draw):
    """Trips over a few stops with second-level times, stations, footpaths, change times,
    pickup/drop-off flags; some trips run after midnight."""
    n = draw(st.integers(3, 7))
    conns = []
    for t in range(draw(st.integers(1, 8))):
        path = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=5))
        path = [s for i, s in enumerate(path) if i == 0 or s != path[i - 1]]
        time = draw(st.integers(0, 240)) * 60 + draw(st.sampled_from([0, 0, 17]))
        for a, b in zip(path, path[1:]):
            dep = time + draw(st.sampled_from([0, 60, 240]))
            time = dep + draw(st.sampled_from([0, 60, 300, 1200, 3600]))
            conns.append((a, b, dep, time, t, draw(st.integers(0, 5)) > 0, draw(st.integers(0, 5)) > 0))
    if not conns:
        conns = [(0, 1, 0, 60, 0)]
    used = sorted({c[4] for c in conns})
    conns = [c[:4] + (used.index(c[4]),) + c[5:] for c in conns]
    change = [draw(st.sampled_from([-1, 0, 60, 120])) for _ in range(n)]
    # (300 s: a walk of exactly 5 min, one of the test's --within values)
    fps = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.sampled_from([30, 120, 300])),
                        max_size=4))
    fps = list({(a, b): (a, b, d) for a, b, d in fps if a != b}.values())
    station = [draw(st.integers(0, i)) for i in range(n)]
    station = [s if station[s] == s else i for i, s in enumerate(station)]   # one level deep
    return timetable_from_connections(conns, stops=n, stop_change=change, footpaths=fps, stop_station=station)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tt=networks(), data=st.data())
def test_random_networks_equal_the_brute_force(tt, data):
    groups = station_groups(tt)
    o = data.draw(st.integers(0, len(groups) - 1))
    src = groups.stops(o).tolist()
    start = data.draw(st.integers(0, 200)) * 60
    w = parse_window((start, start + data.draw(st.integers(1, 90)) * 60), step=data.draw(st.sampled_from([1, 3])))
    within = data.draw(st.sampled_from([5, 20, 60]))
    mt = data.draw(st.sampled_from([None, 0, 1]))
    m = circle_measures(tt, src, groups, within=within, window=w, max_transfers=mt).records()
    for g in range(len(groups)):
        got = {k: m[g][k] for k in ("fastest_min", "median_min", "p10_min", "p90_min", "share_within",
                                    "direct_departures", "in_circle")}
        same(got, brute(tt, src, groups.stops(g).tolist(), w, within, mt))


# --------------------------------------------------------------------------- a real feed

def test_caltrain_equals_the_brute_force(caltrain_zip, tmp_path):
    from hbeu_transit.timetable import load_timetable

    tt = load_timetable([caltrain_zip], "2018-07-11", cache_dir=tmp_path)
    # stations by name (this copy has no parent stations: one stop per direction)
    groups = groups_of(tt, dict(zip(tt.stop_ids, tt.stop_names)))
    o = groups.labels.index("San Francisco Caltrain")
    src = groups.stops(o).tolist()
    w = parse_window("23:00-01:30", step=7)              # crosses midnight
    m = circle_measures(tt, src, groups, within=60, window=w).records()
    checked = 0
    for g in range(0, len(groups), max(1, len(groups) // 6)):
        want = brute(tt, src, groups.stops(g).tolist(), w, 60)
        got = {k: m[g][k] for k in want}
        same(got, want)
        checked += want["fastest_min"] is not None and g != o
    assert checked >= 3          # a floor on what this test compares (reachable groups), not a result


# --------------------------------------------------------------------------- the two percentile routes

@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_percentile_routes_agree(data):
    """The numpy bisection and the per-step selection (``_segstats``, run interpreted here)
    give the same percentiles on random segments, phases and steps included."""
    from hbeu_transit.analysis import _segstats
    from hbeu_transit.analysis.circle import PERCENTILES, Segments, _bisect

    step = data.draw(st.sampled_from([1, 60, 180, 7]))
    G = data.draw(st.integers(1, 4))
    N = data.draw(st.integers(1, 40))
    g, rel, klo, khi = [], [], [], []
    for k in range(G):
        cuts = sorted(data.draw(st.lists(st.integers(0, N), max_size=4)) + [0, N])
        for lo, hi in zip(cuts, cuts[1:]):
            g.append(k)
            klo.append(lo)
            khi.append(hi)
            reach = data.draw(st.booleans()) or lo == hi
            rel.append(UNREACHABLE if not reach else (hi - 1) * step + data.draw(st.integers(0, 5000)))
    arr = lambda x: np.array(x, dtype=np.int64)  # noqa: E731
    first = np.searchsorted(arr(g), np.arange(G))
    sg = Segments(arr(g), arr(rel), arr(klo), arr(khi), first, np.full(G, UNREACHABLE), np.zeros(G), N, step)
    ranks = np.array([max(1, -(-p * N // 100)) for _, p in PERCENTILES], dtype=np.int64)
    want = _bisect(sg, ranks[:, None])
    got = _segstats.run(first, sg.rel, sg.klo, sg.khi, step, ranks, compiled=False)
    assert got.tolist() == want.tolist()
    # and both equal sorting the minutes' travel times
    for k in range(G):
        vals = sorted(r - m * step for gg, r, lo, hi in zip(g, rel, klo, khi) if gg == k and r < UNREACHABLE
                      for m in range(lo, hi))
        for j, rk in enumerate(ranks):
            assert want[j, k] == (vals[rk - 1] if len(vals) >= rk else UNREACHABLE)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_compiled_percentiles_equal_sorting_on_random_segments(data):
    """The compiled per-step selection (its own heapsort, not np.sort) on random groups of up
    to 120 segments, many of them overlapping at one step: the nearest-rank percentiles of the
    minutes' travel times, sorted in Python."""
    from hbeu_transit.analysis import _segstats

    step = data.draw(st.sampled_from([1, 60, 7]))
    N = data.draw(st.integers(1, 60))
    G = data.draw(st.integers(1, 3))
    g, rel, klo, khi = [], [], [], []
    for k in range(G):
        for _ in range(data.draw(st.integers(0, 120))):
            lo = data.draw(st.integers(0, N))
            hi = data.draw(st.integers(lo, N))
            g.append(k)
            klo.append(lo)
            khi.append(hi)
            rel.append(UNREACHABLE if data.draw(st.booleans()) and data.draw(st.booleans())
                       else max(hi - 1, 0) * step + data.draw(st.integers(0, 300)))
    arr = lambda x: np.array(x, dtype=np.int64)  # noqa: E731
    first = np.searchsorted(arr(g), np.arange(G)) if g else np.zeros(G, dtype=np.int64)
    ranks = arr(sorted(data.draw(st.lists(st.integers(1, 3 * N), min_size=1, max_size=5))))
    got = _segstats.run(first, arr(rel), arr(klo), arr(khi), step, ranks, compiled=True)
    for k in range(G):
        vals = sorted(r - m * step for gg, r, lo, hi in zip(g, rel, klo, khi) if gg == k and r < UNREACHABLE
                      for m in range(lo, hi))
        assert got[:, k].tolist() == [vals[rk - 1] if len(vals) >= rk else UNREACHABLE for rk in ranks]


@given(st.lists(st.integers(-2**40, 2**40), max_size=60), st.integers(0, 60))
def test_sort_prefix_sorts_only_the_prefix(values, n):
    from hbeu_transit.analysis._segstats import sort_prefix

    n = min(n, len(values))
    a = np.array(values, dtype=np.int64)
    sort_prefix(a, n)
    assert a.tolist() == sorted(values[:n]) + values[n:]


def test_compiled_percentiles_equal_numpy_on_caltrain(caltrain_zip, tmp_path):
    from hbeu_transit.analysis.circle import _percentiles, origin_profile, segments
    from hbeu_transit.timetable import load_timetable

    tt = load_timetable([caltrain_zip], "2018-07-11", cache_dir=tmp_path)
    groups = station_groups(tt)
    src = [i for i, n in enumerate(tt.stop_names) if n == "San Francisco Caltrain"]
    sg = segments(origin_profile(tt, src, parse_window("05:00-24:00", step=2)), groups)
    a, b = _percentiles(sg, compiled=False), _percentiles(sg, compiled=True)
    assert all(a[c].tolist() == b[c].tolist() for c in a)
    assert (a["median_min"] < UNREACHABLE).sum() >= 10
