"""analysis.compare: before/after/delta of two coverage runs, on hand-written records."""

from __future__ import annotations

import math

from hbeu_transit.analysis.compare import compare_coverage


def rec(o, d, fastest, median, share, direct=0, within=60):
    return {"origin": o, "destination": d, "fastest_min": fastest, "median_min": median, "p10_min": median,
            "p90_min": median, "share_within": share, "direct_departures": direct,
            "in_circle": fastest is not None and not (isinstance(fastest, float) and math.isnan(fastest))
            and fastest <= within}


def test_pairs_enter_leave_and_deltas():
    before = [rec("A", "B", 75.0, 90.0, 0.0), rec("B", "A", 50.0, 70.0, 0.3), rec("A", "C", None, None, 0.0),
              rec("C", "A", 40.0, 55.0, 0.6)]
    after = [rec("A", "B", 39.0, 50.0, 0.7, direct=20), rec("B", "A", 65.0, 80.0, 0.0),
             rec("A", "C", 58.0, float("nan"), 0.2), rec("C", "A", 40.0, 55.0, 0.6), rec("A", "NEW", 20.0, 30.0, 1.0)]
    c = compare_coverage(before, after, {"within": 60})
    by = {(p["origin"], p["destination"]): p for p in c.pairs}
    assert [p["change"] for p in c.pairs] == ["enters", "leaves", "enters", "in"]
    assert by["A", "B"]["delta"]["fastest_min"] == -36.0 and by["A", "B"]["delta"]["median_min"] == -40.0
    assert by["A", "B"]["delta"]["direct_departures"] == 20.0
    assert abs(by["A", "B"]["delta"]["share_within"] - 0.7) < 1e-12
    assert by["A", "C"]["delta"]["fastest_min"] is None and by["A", "C"]["after"]["median_min"] is None
    s = c.summary()
    assert s["entered"] == ["A -> B", "A -> C"] and s["left"] == ["B -> A"]
    assert (s["in_circle_before"], s["in_circle_after"]) == (2, 3)
    assert s["faster_pairs"] == 1 and s["median_fastest_saved_min"] == 36.0 and s["newly_reachable_pairs"] == 1
    assert c.parameters == {"within": 60, "pairs_only_after": 1}
    doc = c.to_dict()
    assert set(doc) == {"parameters", "notes", "summary", "pairs"} and doc["notes"] == []
    assert set(doc["pairs"][0]) >= {"origin", "destination", "before", "after", "delta"}


def test_same_runs_compare_to_no_change():
    rows = [rec("A", "B", 75.0, 90.0, 0.1), rec("B", "A", 50.0, 70.0, 0.3)]
    c = compare_coverage(rows, [dict(r) for r in rows])
    assert all(p["change"] in ("in", "out") for p in c.pairs)
    assert all(v in (0.0, None) for p in c.pairs for v in p["delta"].values())
    assert c.summary()["faster_pairs"] == 0


def test_summary_median_of_an_even_count_of_faster_pairs():
    """Three pairs made faster by 10, 30 and 20 minutes and one slower: the median saving is 20;
    with a fourth made faster by 50, the median of four is the mean of the middle two, 25."""
    before = [rec("A", "B", 70.0, 80.0, 0.0), rec("B", "C", 90.0, 95.0, 0.0), rec("C", "D", 60.0, 60.0, 0.5),
              rec("D", "A", 40.0, 40.0, 1.0), rec("A", "D", 100.0, 100.0, 0.0)]
    after = [rec("A", "B", 60.0, 80.0, 0.0), rec("B", "C", 60.0, 95.0, 0.0), rec("C", "D", 40.0, 60.0, 0.5),
             rec("D", "A", 45.0, 45.0, 1.0), rec("A", "D", 100.0, 100.0, 0.0)]
    assert compare_coverage(before, after).summary()["median_fastest_saved_min"] == 20.0
    after[4] = rec("A", "D", 50.0, 100.0, 0.0)
    s = compare_coverage(before, after).summary()
    assert s["faster_pairs"] == 4 and s["median_fastest_saved_min"] == 25.0


def test_direct_departures_stay_whole_numbers():
    """A count of departures is a whole number in coverage (41), but --compare turned it into 41.0 in
    its JSON and a float64 column in its files (found by helper breaker5); minutes and shares stay floats."""
    before, after = [rec("A", "B", 75.0, 90.0, 0.0, direct=3)], [rec("A", "B", 39.0, 50.0, 0.7, direct=20)]
    p = compare_coverage(before, after).pairs[0]
    counts = [p[side]["direct_departures"] for side in ("before", "after", "delta")]
    assert counts == [3, 20, 17] and all(type(n) is int for n in counts), counts
    assert type(p["after"]["fastest_min"]) is float
    df = compare_coverage(before, after).to_frame()
    assert [str(df[f"direct_departures_{s}"].dtype) for s in ("before", "after", "delta")] == ["int64"] * 3
