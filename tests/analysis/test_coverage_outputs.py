"""Coverage's outputs are built a column at a time: the terminal's pairs table picks its rows on
the columns (``CoverageResult.fastest``) and builds records only for them, ``records`` and
``to_frame`` convert whole columns. On hart (5.5 million pairs) the row-by-row code (a dict per
pair, ``_plain`` per value, a Python sort of every dict to print 40) took 2 of the export's 2.5
minutes. These tests hold the columnar outputs to what the row-by-row code gave, computed here
from the columns one value at a time, on the bundled feed's 870 station pairs (with ties and
pairs without a journey, and the road side's columns)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from conftest import run_cli_batch

import hbeu_transit as hb

RUN = {"by": "station", "date": "2026-12-02", "window": "07:00-09:00"}


@pytest.fixture(scope="module")
def res(tmp_path_factory):
    net = hb.Network(cache_dir=tmp_path_factory.mktemp("cov-outputs-cache"))
    return net.coverage_result(provenance=False, **RUN)


def plain(v):
    """One value as the row-by-row records had it: Python bool/int/float, NaN as None."""
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else float(v)
    return v


def row_by_row(res) -> list[dict]:
    """The pairs one at a time: each place's names beside its label, then the other columns."""
    cols = res.coverage.columns
    out = []
    for k in range(len(res.coverage)):
        r = {c: plain(v[k]) for c, v in cols.items()}
        named = {"origin": r["origin"], "destination": r["destination"]}
        for side in ("origin", "destination"):
            zh, en = res.names.get(r[side], (r[side], None))
            named[f"{side}_name"], named[f"{side}_name_en"] = zh, en
        out.append({**named, **r, **named})
    return out


def fastest_first(recs: list[dict]) -> list[dict]:
    return sorted(recs, key=lambda r: (r["fastest_min"] is None, r["fastest_min"] or 0))


def typed(recs: list[dict]) -> list[list[tuple]]:
    return [[(k, type(v).__name__, v) for k, v in r.items()] for r in recs]


def test_the_feed_has_ties_and_pairs_without_a_journey(res):
    f = res.coverage.columns["fastest_min"]
    finite = f[~np.isnan(f)]
    assert len(res.coverage) == 870 and np.isnan(f).sum() > 40
    assert len(np.unique(finite)) < len(finite)      # equal fastest times: their order is the pairs'
    assert "drive_confidence" in res.coverage.columns and "in_road_circle" in res.coverage.columns


def test_records_equal_the_row_by_row_ones(res):
    want = row_by_row(res)
    assert typed(res.records()) == typed(want)
    assert typed(res.records([5, 0, 869, 5])) == typed([want[5], want[0], want[869], want[5]])
    assert res.records([]) == []


@pytest.mark.parametrize("n", [0, 1, 3, 40, 869, 870, 900])
def test_the_pairs_table_rows_are_the_fastest_of_the_sorted_records(res, n):
    assert typed(res.fastest(n)) == typed(fastest_first(row_by_row(res))[:n])


def test_the_frame_equals_the_row_by_row_names_beside_the_columns(res):
    want = res.coverage.to_frame()
    recs = row_by_row(res)
    for side in ("origin", "destination"):
        at = want.columns.get_loc(f"{side}_name")
        want[f"{side}_name"] = [r[f"{side}_name"] for r in recs]
        want.insert(at + 1, f"{side}_name_en", [r[f"{side}_name_en"] for r in recs])
    got = res.to_frame()
    assert list(got.columns) == list(recs[0]) and list(got.dtypes) == list(want.dtypes)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got.map(type).equals(want.map(type))


def test_the_printed_pairs_are_the_fastest_of_the_json_pairs(tmp_path):
    """Through the CLI: the 40 rows of the terminal table are the first 40 of the --json pairs
    sorted fastest first (no journey last, ties in the pairs' order)."""
    args = ["coverage", "--by", "station", "--date", RUN["date"], "--window", RUN["window"], "--lang", "en"]
    table, doc = run_cli_batch([args, [*args, "--json"]], cache=tmp_path / "cache")
    assert table["code"] == doc["code"] == 0, (table, doc)

    def num(v, pct=False):
        return "-" if v is None else (f"{v:.0%}" if pct else f"{v:.0f}")

    want = [(r["origin_name"], r["destination_name"], num(r["fastest_min"]), num(r["median_min"]),
             f"{num(r['p10_min'])}–{num(r['p90_min'])}", num(r["share_within"], True), str(r["direct_departures"]))
            for r in fastest_first(json.loads(doc["stdout"])["pairs"])[:40]]
    rows = [tuple(c.strip() for c in line.split("│")[1:-1]) for line in table["stdout"].splitlines()
            if line.startswith("│")]
    assert rows == want
    assert "870 ordered pairs, fastest first" in table["stdout"] and "… 830 more" in table["stdout"]


def test_the_circle_rows_carry_the_measures_as_the_row_by_row_records(tmp_path):
    """The circle's rows take the measures a column at a time: the same values and Python types as
    the measures' records, one per destination (pairs without a journey: None)."""
    net = hb.Network(cache_dir=tmp_path / "cache")
    res = net.circle_result("Baotou", provenance=False, date=RUN["date"], window=RUN["window"])
    m = res.measures
    want = {m.groups.labels[k]: {c: plain(v[k]) for c, v in m.columns.items()} for k in range(len(m.groups))}
    got = {r["destination"]: {c: r[c] for c in m.columns} for r in res.rows}
    assert [r["destination"] for r in res.rows] != m.groups.labels      # sorted fastest first, not as measured
    assert {k: typed([v])[0] for k, v in got.items()} == {k: typed([v])[0] for k, v in want.items()}
    assert any(r["fastest_min"] is None for r in res.rows) and any(type(r["in_circle"]) is bool for r in res.rows)
