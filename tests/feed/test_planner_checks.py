"""feed.validate's planner checks: what every command runs on a first read of the feeds
(``planner_errors``) and what `hbeu validate` reports."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hbeu_transit.feed import load_feeds
from hbeu_transit.feed import validate as v


def test_times_parse_each_cell_as_the_rule_says():
    df = pd.DataFrame({"t": pd.Series(["08:00:00", " 08:00:00", "25:10:05", "", None, "8:61:00", "x",
                                       "08:00:00", "0:00:07"], dtype="string")})
    got = v._times(df, "t")
    want = [28800, 28800, 90605, np.nan, np.nan, np.nan, np.nan, 28800, 7]
    assert np.array_equal(got, np.array(want, dtype=float), equal_nan=True)
    assert np.isnan(v._times(df, "missing")).all() and len(v._times(df, "missing")) == len(df)


def test_planner_errors_skip_the_field_checks_the_loader_made(sample_zip, monkeypatch):
    """The loader has checked (and repaired) every field before ``planner_errors`` sees the
    tables, which dropped the field notices anyway: checking them again cost `hbeu info` on a
    fresh cache as much as the first time. `hbeu validate` still reports them."""
    feed = load_feeds([sample_zip])
    calls = []
    real = v.check_table
    monkeypatch.setattr(v, "check_table", lambda name, df: calls.append(name) or real(name, df))
    assert v.planner_errors(feed) == []
    assert calls == []
    stops = feed.tables["stops"].copy()
    stops.loc[stops.index[0], "stop_lat"] = "north"
    notices = v._Checks("feed", {**feed.tables, "stops": stops}, None).run()
    assert calls and [(n.code, n.row, n.field, n.value) for n in notices if n.code == "hbeu_bad_field"] == [
        ("hbeu_bad_field", 2, "stop_lat", "north")]
