"""``analysis.table.Table``: the pandas-free frequency table gives the same DataFrame, the same
sort order and the same CSV / JSON / Markdown text as pandas does; a warm ``hbeu freq`` imports
neither pandas, pyarrow nor pydantic; places are named once per distinct id."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, run_cli_in_probe
from hbeu_transit import export as ex
from hbeu_transit.analysis import frequency as fr
from hbeu_transit.analysis.table import Table
from hbeu_transit.feed import load_feeds
from hbeu_transit.places.tables import name_places, place_names

RANGE = fr.date_range(dt.date(2007, 6, 1), dt.date(2007, 6, 10))


def awkward() -> Table:
    return Table({
        "name": ["a,b", 'say "hi"', "包头东 \\ x", None, "line\nbreak", "=SUM(A1)"],
        "n": np.array([1, 2, 3, 4, -5, 0], dtype=np.int64),
        "x": np.array([0.1, 1 / 3, np.nan, 1e-12, 123456.789, 1e16]),
        "whole": np.array([3.0, 0.0, -2.0, 59.0, np.nan, 1.5]),
        "flag": np.array([True, False, True, True, False, True]),
    })


def test_text_exports_equal_pandas_text():
    t = awkward()
    df = t.to_pandas()
    assert list(df.dtypes.astype(str)) == ["str", "int64", "float64", "float64", "bool"]
    assert ex.csv_text(t) == df.to_csv(index=False, lineterminator="\n")
    assert ex.markdown(t, {"by": "x"}) == ex.markdown(df, {"by": "x"})
    assert json.dumps(ex.json_document(t, {"by": "x"})) == json.dumps(ex.json_document(df, {"by": "x"}))
    assert ex.column_types(t) == ex.column_types(df) == {"name": "str", "n": "int64", "x": "float64",
                                                         "whole": "float64", "flag": "bool"}


@pytest.fixture(scope="module")
def sample():
    return load_feeds([ROOT / "tests" / "data" / "sample.zip"])


@pytest.mark.parametrize("by", list(fr.TABLES))
def test_frequency_tables_as_text_equal_pandas_text(sample, by):
    """Every table of a date range: the Table's CSV and JSON equal pandas' of its DataFrame."""
    t = fr.TABLES[by](sample, RANGE)
    df = fr.BY[by](sample, RANGE)
    pd.testing.assert_frame_equal(t.to_pandas(), df)
    assert len(t) == len(df) > 0
    assert ex.csv_text(t) == df.to_csv(index=False, lineterminator="\n")
    assert ex.records(t) == ex.records(df)


words = st.one_of(st.none(), st.sampled_from(["", "a", "B", "b", "包头", "Baotou", "Ä", "z", "10", "9"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(words, words, st.integers(-3, 3)), min_size=1, max_size=30))
def test_sort_order_is_pandas_sort_order(rows):
    """Text by code point, missing values last, stable: as pandas' sort_values."""
    a, b, n = (list(x) for x in zip(*rows))
    t = Table({"a": a, "b": b, "n": np.array(n, dtype=np.int64), "row": np.arange(len(rows))})
    got = t.sorted_by([t["a"], t["b"], t["n"]])["row"].tolist()
    want = t.to_pandas().sort_values(["a", "b", "n"], na_position="last", kind="stable")["row"].tolist()
    assert got == want


def test_insert_and_length_checks():
    t = Table({"a": ["x", "y"], "c": np.array([1.0, 2.0])})
    t.insert(1, "b", [None, "z"])
    assert t.columns == ["a", "b", "c"] and t.kind("b") == "str"
    with pytest.raises(ValueError, match="3 values"):
        t["d"] = np.arange(3)
    assert list(t.rows()) == [("x", None, 1.0), ("y", "z", 2.0)]


class _Index:
    """A stand-in place index that counts its look-ups."""

    def __init__(self):
        self.calls: list[str] = []

    def area_names(self, pid):
        self.calls.append(pid)
        return {"A": ("甲", "Alpha"), "B": ("乙", None), "C": ("丙", None)}[pid]

    stop_names_of = area_names

    def area_names_by_name(self, name):
        return {"甲市": ("甲", "Alpha")}.get(name, (name, None))


def test_place_names_once_per_place_merged_and_combined():
    idx = _Index()
    zh, en = place_names(idx, ["A", "A|X", "B+A", "B", "A", "B+C"], "area")
    assert zh.tolist() == ["甲", "甲", "乙+甲", "乙", "甲", "乙+丙"]
    # a combined place has an English name when one part has one (the other's Chinese stands in)
    assert en.tolist() == ["Alpha", "Alpha", "乙+Alpha", None, "Alpha", None]
    assert sorted(idx.calls) == ["A", "B", "C"]  # each part looked up once
    with pytest.raises(ValueError):
        place_names(idx, ["A"], "city")


@pytest.mark.parametrize("make", [lambda cols: Table(cols), lambda cols: pd.DataFrame(cols)])
def test_name_places_on_a_table_and_a_dataframe_alike(make):
    t = make({"station_id": ["A", "B"], "station": ["x", "y"], "area": ["甲市", "丁"],
              "n": np.array([1.0, 2.0])})
    name_places(_Index(), t, "stop")
    assert list(t.columns) == ["station_id", "station", "station_en", "area", "area_en", "n"]
    assert list(t["station"]) == ["甲", "乙"] and list(t["area"]) == ["甲", "丁"]
    assert [None if v is None or v != v else v for v in t["station_en"]] == ["Alpha", None]


@pytest.mark.parametrize("args", [["--by", "route", "--date", "2026-12-09"],
                                  ["--by", "od", "--date", "2026-12-09", "--format", "csv"],
                                  ["--by", "stop", "--date", "2026-12-09", "--json", "--lang", "en"],
                                  ["--by", "hour", "--from", "2026-12-01", "--to", "2026-12-31", "--format", "md"]])
def test_warm_freq_imports_no_pandas_pyarrow_or_pydantic(tmp_path, args):
    env = {"HBEU_CACHE_DIR": str(tmp_path)}
    r, _ = run_cli_in_probe(["freq", *args], env=env)  # cold: builds the caches
    assert r.returncode == 0, r.stderr[-2000:]
    r, heavy = run_cli_in_probe(["freq", *args], env=env, modules=("pandas", "pyarrow", "pydantic", "gtfs_kit"))
    assert r.returncode == 0, r.stderr[-2000:]
    assert heavy == [], heavy
    assert r.stdout.strip()


FLOATS = [0.0, -0.0, 1.0, 3.0, 1.5, 1 / 3, 59.0, 1e-12, 1e16, 123456.789, -2.0, float("nan"), float("inf"),
          float("-inf")]


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 80).flatmap(lambda n: st.tuples(
    st.lists(st.sampled_from(FLOATS), min_size=n, max_size=n),
    st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=n, max_size=n),
    st.lists(words, min_size=n, max_size=n),
    st.lists(st.integers(-5, 5), min_size=n, max_size=n))))
def test_csv_of_repeating_and_distinct_floats_equals_pandas_csv(cols):
    """CSV text of float columns with many repeats (formatted once per distinct value), any
    floats, text with missing values and integers: as pandas writes the same DataFrame."""
    few, anyf, text, ints = cols
    t = Table({"few": np.array(few), "any": np.array(anyf), "text": text, "n": np.array(ints, dtype=np.int64)})
    assert ex.csv_text(t) == t.to_pandas().to_csv(index=False, lineterminator="\n")
    one = Table({"few": np.array(few)})                     # one column: a missing value is ""
    assert ex.csv_text(one) == one.to_pandas().to_csv(index=False, lineterminator="\n")


_texts = st.one_of(st.none(), st.text(max_size=6), st.sampled_from(['"q"', "a\\b", "\n", "包头", "\u2028", "\x00", "é"]))
_meta = st.dictionaries(st.text(max_size=4), st.one_of(st.none(), st.integers(), st.text(max_size=4),
                                                     st.lists(st.integers(), max_size=3),
                                                     st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)),
                        max_size=4)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 6).flatmap(lambda n: st.tuples(
    st.lists(_texts, min_size=n, max_size=n),
    st.lists(st.integers(-2**62, 2**62), min_size=n, max_size=n),
    st.lists(st.floats(allow_nan=True, allow_infinity=False), min_size=n, max_size=n),
    st.lists(st.booleans(), min_size=n, max_size=n))), _meta, st.integers(0, 4))
def test_json_text_is_json_dumps_with_indent_one(cols, meta, width):
    """The JSON export of a Table (rows through the C encoder) is, to the byte, what
    json.dumps(..., ensure_ascii=False, indent=1) writes; any number of columns, no rows too."""
    text, ints, floats, flags = cols
    t = Table({k: v for k, v in [("name", text), ("n", np.array(ints, dtype=np.int64)),
                                 ("x", np.array(floats, dtype=np.float64)),
                                 ("ok", np.array(flags, dtype=bool))][:width]})
    want = json.dumps({"metadata": meta, "rows": ex.records(t)}, ensure_ascii=False, indent=1) + "\n"
    assert ex.json_text(meta, t) == want
    assert ex.json_text(meta, t, allow_nan=False) == want
    assert "".join(ex._json_parts(meta, t, True, block=2)) == want        # rows written in blocks


def test_json_text_of_infinity_as_json_dumps_and_of_other_cells_by_json_dumps():
    t = Table({"x": np.array([1.5, np.inf])})
    assert ex.json_text({}, t) == json.dumps({"metadata": {}, "rows": ex.records(t)}, ensure_ascii=False,
                                             indent=1) + "\n"
    with pytest.raises(ValueError):
        ex.json_text({}, t, allow_nan=False)
    odd = Table({"v": np.array([None, [1, 2]], dtype=object)})   # not a flat text column: the json module
    assert ex.json_text({"a": 1}, odd) == json.dumps({"metadata": {"a": 1}, "rows": [{"v": None}, {"v": [1, 2]}]},
                                                     ensure_ascii=False, indent=1) + "\n"
