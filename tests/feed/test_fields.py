"""feed.fields: the field checks the loader and `hbeu validate` share, and their cost.

Each Kind's ``check`` (one value at a time) is the rule; ``sure`` (a pattern pandas runs over a
column's distinct values at once) may only vouch for values the rule accepts, so that the few
it does not vouch for are all that Python has to look at one by one.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hbeu_transit.feed import fields
from hbeu_transit.feed.fields import SCHEMA, Field, bad_cells, check_table, needs_trim

KINDS = {name: k for name, k in vars(fields).items() if isinstance(k, fields.Kind)}
KINDS["ENUM(0..4)"] = fields.ENUM(0, 1, 2, 3, 4)

# text that looks like the values the kinds expect, and text that almost does
_ALPHABET = "0123456789+-.:eE abcdefABCF/_\t\u00a0\u3000\u0663\uff11\n"
_values = st.one_of(
    st.text(alphabet=_ALPHABET, max_size=14),
    st.from_regex(r"[+-]?[0-9]{1,3}(\.[0-9]{0,4})?", fullmatch=True),
    st.from_regex(r"[0-9]{1,3}:[0-9]{2}:[0-9]{2}", fullmatch=True),
    st.from_regex(r"(19|20|21)[0-9]{2}[0-1][0-9][0-3][0-9]", fullmatch=True),
    st.sampled_from(["90", "90.0", "90.00001", "-90.0", "180", "180.0", "-180.00", "180.1", "179.999",
                     "89.9", "1" * 310, "1" * 300 + ".5", "20240229", "20230229", "19000101", "99999999",
                     "24:00:00", "23:60:00", "+5", "-0", "٣", "１", "0 ", " 1"]),
)


@pytest.mark.parametrize("name", sorted(k for k, v in KINDS.items() if getattr(v, "sure", None)))
@settings(max_examples=200, deadline=None)
@given(values=st.lists(_values, min_size=1, max_size=30))
def test_sure_vouches_only_for_values_the_rule_accepts(name, values):
    kind = KINDS[name]
    col = pd.Series(values, dtype="string")
    by_pandas = col.str.fullmatch(f"(?:{kind.sure})").to_numpy(dtype=bool, na_value=False)
    for v, sure in zip(values, by_pandas):
        if sure or re.fullmatch(kind.sure, v):
            assert kind.check(v.strip()), (name, v)


def _reference(kind: fields.Kind, col: pd.Series) -> np.ndarray:
    """The rule applied cell by cell: a non-blank cell whose stripped text ``check`` rejects."""
    return np.array([pd.notna(v) and bool(str(v).strip()) and not kind.check(str(v).strip()) for v in col])


@pytest.mark.parametrize("table,field", [("stop_times", "arrival_time"), ("stops", "stop_lat"),
                                         ("stops", "stop_lon"), ("stop_times", "stop_sequence"),
                                         ("calendar", "start_date"), ("routes", "route_color"),
                                         ("stops", "location_type"), ("stop_times", "shape_dist_traveled")])
@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.one_of(st.none(), _values), min_size=1, max_size=40))
def test_bad_cells_are_the_cells_the_rule_rejects(table, field, values):
    df = pd.DataFrame({field: pd.Series(values, dtype="string")})
    want = _reference(SCHEMA[table][field].kind, df[field])
    assert (bad_cells(table, df, field) == want).all()
    problems = [p for p in check_table(table, df) if p.field == field and p.message != "missing value"]
    if want.any():
        (p,) = problems
        assert p.count == int(want.sum()) and p.line == int(want.nonzero()[0][0]) + 2
        assert p.value == values[int(want.nonzero()[0][0])]
    else:
        assert problems == []


@pytest.mark.parametrize("values,trim", [(["a", "b"], False), (["a", " b"], True), (["a\u3000"], True),
                                         (["\x1cx"], True), (["12:00:00", None], False), ([None], False),
                                         (["a b", "x-y"], False), (["-1 "], True)])
def test_needs_trim_is_blanks_around_any_value(values, trim):
    assert needs_trim(pd.Series(values, dtype="string")) is trim


def test_distinct_good_values_are_not_checked_one_by_one(monkeypatch):
    """A timetable's times: 20,000 distinct good values (hart has 64,000) are vouched for at once;
    only the odd ones reach the per-value rule. Was: every distinct value, one call each (the
    most of `hbeu info`'s checking time on hart)."""
    calls = []

    def counting(v: str) -> bool:
        calls.append(v)
        return fields.TIME.check(v)

    kind = dataclasses.replace(fields.TIME, check=counting)
    monkeypatch.setitem(SCHEMA["stop_times"], "arrival_time", Field(kind, True))
    good = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(6) for m in range(60) for s in range(0, 60)][:20_000]
    df = pd.DataFrame({"arrival_time": pd.Series(good + [" 07:00:00", "7:61:00", ""], dtype="string")})
    (p,) = [p for p in check_table("stop_times", df) if p.field == "arrival_time"]
    assert (p.line, p.value, p.count) == (20_003, "7:61:00", 1)
    assert sorted(calls) == ["07:00:00", "7:61:00"]
