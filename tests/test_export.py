"""Exports round-trip exactly, carry their metadata, and never leave half-written files; `hbeu freq`
end to end (exit codes, one-line errors, files written)."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import ROOT, run_hbeu
from hbeu_transit import export as ex
from hbeu_transit.analysis import frequency as fr
from hbeu_transit.cli.app import FLAGS, app
from hbeu_transit.errors import InputError
from hbeu_transit.feed import load_feeds

RANGE = fr.date_range(dt.date(2007, 6, 1), dt.date(2007, 6, 10))  # sample feed: a removal day, weekends


@pytest.fixture(scope="module")
def tables(request):
    f = load_feeds([ROOT / "tests" / "data" / "sample.zip"])
    out = {by: func(f, RANGE) for by, func in fr.BY.items()}
    out["route_one_day"] = fr.route_frequency(f, [dt.date(2007, 6, 5)])
    return f, out


def awkward() -> pd.DataFrame:
    """Strings with separators, formula-like text, unicode, blanks; exact floats; ints; bools."""
    return pd.DataFrame({
        "name": pd.array(["a|b", "=SUM(A1)", "包头东 \\ x", None, "  x"], dtype="str"),
        "n": np.array([1, 2, 3, 4, -5], dtype=np.int64),
        "x": [0.1, 1 / 3, np.nan, 1e-12, 123456.789],
        "flag": [True, False, True, True, False],
    })


@pytest.mark.parametrize("fmt", ex.FILE_FORMATS)
def test_every_table_round_trips(tables, tmp_path, fmt):
    f, tabs = tables
    for by, df in tabs.items():
        meta = ex.run_metadata(f, df.attrs["hbeu"], {"origin": None})
        path = ex.write_table(df, tmp_path / f"{by}.{fmt}", fmt, meta)
        back, meta_back = ex.read_table(path)
        pd.testing.assert_frame_equal(back, df, check_exact=True)
        assert meta_back["by"] == df.attrs["hbeu"]["by"]
        assert meta_back["feeds"][0]["file"] == "sample.zip" and meta_back["feeds"][0]["sha256"]
        # every table covers RANGE, except route_one_day (the single date 2007-06-05)
        assert meta_back["date_from"] == ("2007-06-05" if by == "route_one_day" else "2007-06-01")
        assert set(meta_back) >= {"clock", "window", "modes", "filters", "generated_at", "versions", "columns"}


@pytest.mark.parametrize("fmt", ex.FILE_FORMATS)
def test_awkward_values_round_trip(tmp_path, fmt):
    df = awkward()
    if fmt == "md":  # Markdown cells are trimmed: leading blanks do not survive
        df["name"] = df["name"].str.strip()
    path = ex.write_table(df, tmp_path / f"t.{fmt}", fmt, {"by": "test"})
    back, meta = ex.read_table(path)
    pd.testing.assert_frame_equal(back, df, check_exact=True)
    assert meta["columns"] == {"name": "str", "n": "int64", "x": "float64", "flag": "bool"}
    if fmt == "xlsx":  # "=SUM(A1)" is a name to show, not a formula for the spreadsheet to run
        from openpyxl import load_workbook

        cells = {c.value: c.data_type for row in load_workbook(path).worksheets[0].iter_rows() for c in row}
        assert cells["=SUM(A1)"] == "s"


def _cells(path) -> dict[str, list[tuple]]:
    """Every cell of every sheet: (coordinate, value, data type, number format), sheet by sheet; an
    empty cell's type is not compared (pandas writes a missing value as an empty text cell, the
    export leaves the cell out: both read back as None)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return {ws.title: [(c.coordinate, c.value, None if c.value is None else c.data_type, c.number_format)
                       for row in ws.iter_rows() for c in row] for ws in wb.worksheets}


def _pandas_xlsx(df: pd.DataFrame, meta: dict, path: Path) -> None:
    """The workbook as pandas' to_excel (openpyxl) writes it: the data sheet, then the metadata
    sheet (key, value as text, value as JSON) with the schema the exports record."""
    rows = [(k, v if isinstance(v, str) else json.dumps(v, ensure_ascii=False), json.dumps(v, ensure_ascii=False))
            for k, v in {**meta, "columns": ex.column_types(df), "rows": len(df)}.items()]
    with pd.ExcelWriter(path, engine="openpyxl") as w:
        df.to_excel(w, sheet_name="frequency", index=False)
        pd.DataFrame(rows, columns=["key", "value", "json"]).to_excel(w, sheet_name="metadata", index=False)


def test_xlsx_holds_what_pandas_to_excel_writes_cell_by_cell(tables, tmp_path):
    """The xlsx export (openpyxl's package with the rows spliced in as XML) has every sheet, cell,
    value, type and number format of pandas' to_excel of the same table and metadata, from a
    DataFrame and from a Table (what freq exports); pandas reads it back."""
    from hbeu_transit.analysis.table import Table

    f, tabs = tables
    od = tabs["od"]
    meta = ex.run_metadata(f, od.attrs["hbeu"], {"origin": None})
    odd = awkward().iloc[[0, 2, 3, 4]]  # not "=SUM(A1)": pandas would write it as a formula
    odd = pd.concat([odd, pd.DataFrame({"name": pd.array([" a ", "x&<y>", "#N/A", "tab\there"], dtype="str"),
                                        "n": np.array([10 ** 17, 0, -1, 7], dtype=np.int64),
                                        # (floats 16 digits hold: pandas' openpyxl drops a 17th,
                                        # which ours keeps: test_xlsx_numbers_read_back_exactly)
                                        "x": [-0.0, 0.25, 2.0, np.nan], "flag": [False] * 4})],
                    ignore_index=True)
    for name, df in (("od", od), ("odd", odd)):
        for kind, table in (("frame", df), ("table", Table({c: df[c].to_numpy() for c in df.columns}))):
            ex.write_table(table, tmp_path / f"{name}-{kind}.xlsx", "xlsx", meta)
            _pandas_xlsx(df, meta, tmp_path / f"{name}-pandas.xlsx")
            got, want = _cells(tmp_path / f"{name}-{kind}.xlsx"), _cells(tmp_path / f"{name}-pandas.xlsx")
            assert list(got) == list(want) == ["frequency", "metadata"]
            for sheet in want:
                assert len(got[sheet]) == len(want[sheet]), (name, kind, sheet)
                for g, w in zip(got[sheet], want[sheet]):
                    assert g == w, (name, kind, sheet)
            back = pd.read_excel(tmp_path / f"{name}-{kind}.xlsx", sheet_name=None)
            pd.testing.assert_frame_equal(back["frequency"], pd.read_excel(tmp_path / f"{name}-pandas.xlsx"))


def _openpyxl_xlsx(df: pd.DataFrame, meta: dict, path: Path) -> None:
    """The workbook as openpyxl's write-only sheet writes it cell by cell (what the export's spliced
    rows must equal): text starting with "=" kept as text, a missing value (None, NaN, pd.NA) no cell."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("frequency")
    ws.append(list(df.columns))
    for row in df.itertuples(index=False, name=None):
        cells = []
        for v in row:
            v = v.item() if isinstance(v, np.generic) else v  # (a nullable boolean's np.bool_: a bool)
            c = WriteOnlyCell(ws, value=None if v is None or v is pd.NA or v != v else v)
            if isinstance(v, str) and v.startswith("="):
                c.data_type = "s"
            cells.append(c)
        ws.append(cells)
    ms = wb.create_sheet("metadata")
    ms.append(["key", "value", "json"])
    for k, v in {**meta, "columns": ex.column_types(df), "rows": len(df)}.items():
        text = json.dumps(v, ensure_ascii=False)
        ms.append([k, v if isinstance(v, str) else text, text])
    wb.save(path)


def _same_package(new: Path, old: Path, label) -> None:
    """Every part of the two xlsx packages byte for byte (but the timestamp)."""
    import zipfile

    with zipfile.ZipFile(new) as a, zipfile.ZipFile(old) as b:
        assert a.namelist() == b.namelist()
        for name in b.namelist():
            if name != "docProps/core.xml":  # when it was written
                assert a.read(name) == b.read(name), (label, name)


def test_xlsx_rows_are_the_xml_openpyxl_writes(tmp_path):
    """The spliced rows are byte for byte what openpyxl's write-only sheet writes for the same
    values (text kept as text, "#N/A" as Excel writes an error, blanks, escapes, -0.0, 1e17,
    infinity, missing cells); every other part of the package as openpyxl's (but its timestamp)."""
    odd = pd.DataFrame({
        "name": pd.array(["=SUM(A1)", "", " x", "a&<>\"'", "#N/A", "包头\r\n", None, "="], dtype="str"),
        "n": np.array([10 ** 17, -1, 0, 2 ** 62, 5, 6, 7, 8], dtype=np.int64),
        "x": [-0.0, np.inf, -np.inf, np.nan, 1 / 3, 1e-300, 0.5, 3.0],  # (16 digits hold each)
        "flag": [True, False] * 4,
        "blank": [np.nan] * 8,
    })
    empty_row = pd.DataFrame({"a": [np.nan, 1.0], "b": pd.array([None, "x"], dtype="str")})  # row 2: no cell
    meta = {"by": "test", "filters": {"origin": "包头"}}
    for i, df in enumerate((odd, empty_row, odd.iloc[:0])):
        ex.write_table(df, tmp_path / f"new{i}.xlsx", "xlsx", meta)
        _openpyxl_xlsx(df, meta, tmp_path / f"old{i}.xlsx")
        _same_package(tmp_path / f"new{i}.xlsx", tmp_path / f"old{i}.xlsx", i)


def test_xlsx_rows_past_a_block_and_odd_cells_are_the_xml_openpyxl_writes(tmp_path):
    """Rows are rendered 4096 a piece and each column's distinct values once: a table longer than
    a block keeps its row numbers and every row's cells; 0.0 and -0.0 in one column stay apart; a
    nullable boolean column (an object array of True, False, NA) is booleans; a text of blanks
    only is not marked xml:space="preserve" and one past Excel's 32767 characters is cut, both
    as openpyxl writes them. Found by helper mut2 (mutants xlsx-rows-restart-per-block,
    xlsx-block-slice-short, xlsx-float-distinct-by-value, xlsx-object-bool-as-number,
    xlsx-blank-preserved, xlsx-no-truncation)."""
    n = 4096 + 5
    long = pd.DataFrame({"i": np.arange(n, dtype=np.int64), "s": pd.array([f"r{i % 7}" for i in range(n)], dtype="str"),
                         "x": np.where(np.arange(n) % 3 == 0, np.nan, np.arange(n) / 4)})
    odd = pd.DataFrame({
        "z": [0.0, -0.0, -0.0, 0.0, 1.0, 0.0, -0.0, 2.0],
        "maybe": pd.array([True, None, False, True, False, None, True, False], dtype="boolean"),
        "text": pd.array(["  ", "\t", "x" * 40000, " ", "a b", "\r\n", " y ", "z"], dtype="str"),
    })
    meta = {"by": "test"}
    for i, df in enumerate((long, odd)):
        ex.write_table(df, tmp_path / f"new{i}.xlsx", "xlsx", meta)
        _openpyxl_xlsx(df, meta, tmp_path / f"old{i}.xlsx")
        _same_package(tmp_path / f"new{i}.xlsx", tmp_path / f"old{i}.xlsx", i)
    back, _ = ex.read_table(tmp_path / "new0.xlsx")
    pd.testing.assert_frame_equal(back, long)


def test_xlsx_integers_past_2_53_read_back_exactly(tmp_path):
    """An integer that 16 significant digits do not hold (2**53 + 1, a 19-digit id) is written
    with all its digits, as the other formats hold it, not through a float. Found by helper mut2
    (mutant xlsx-big-int-as-float)."""
    from openpyxl import load_workbook

    n = [2 ** 53 + 1, -(2 ** 53) - 1, 10 ** 18 + 1, 2 ** 63 - 1, 12345678901234567]
    df = pd.DataFrame({"n": np.array(n, dtype=np.int64)})
    ex.write_table(df, tmp_path / "t.xlsx", "xlsx", {})
    ws = load_workbook(tmp_path / "t.xlsx", read_only=True)["frequency"]
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == n
    back, _ = ex.read_table(tmp_path / "t.xlsx")
    pd.testing.assert_frame_equal(back, df)


def test_xlsx_numbers_read_back_exactly(tmp_path):
    """Every float and integer of the table is in the sheet to its last digit, as in the other
    formats: openpyxl's "%.16g" read 1/60 back as 0.01666666666666667 and 0.1 + 0.2 as 0.3."""
    from openpyxl import load_workbook

    x = [1 / 60, 0.1 + 0.2, 2 / 3, 1e-5 / 3, 123456.78901234567, -1.5, 0.5, 1e17, 5e-324]
    n = [2 ** 53, -(2 ** 53), 10 ** 15 + 1, 0, 7, -1, 2 ** 53 - 1, 3, 42]  # (Excel's whole numbers: to 2**53)
    df = pd.DataFrame({"x": x, "n": np.array(n, dtype=np.int64)})
    ex.write_table(df, tmp_path / "t.xlsx", "xlsx", {})
    ws = load_workbook(tmp_path / "t.xlsx", read_only=True)["frequency"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == x
    assert [r[1] for r in rows] == n
    back, _ = ex.read_table(tmp_path / "t.xlsx")
    pd.testing.assert_frame_equal(back, df)


def test_xlsx_refuses_a_control_character_as_openpyxl_does(tmp_path):
    from openpyxl.utils.exceptions import IllegalCharacterError

    with pytest.raises(IllegalCharacterError):
        ex.write_table(pd.DataFrame({"name": ["ok", "bell\x07"]}), tmp_path / "t.xlsx", "xlsx", {})
    assert list(tmp_path.iterdir()) == []


def test_xlsx_refuses_more_rows_than_a_sheet_holds_and_writes_nothing(tmp_path):
    """A sheet holds 1,048,576 rows, the header one of them. coverage --by station on hart has
    5.5M pairs: -o hart.xlsx wrote them all into one sheet, a file Excel opens only in part
    ("file not loaded completely"), silently losing pairs (found by helper breaker5). It is
    refused in one line pointing at Parquet or CSV; one row fewer is written."""
    from hbeu_transit.analysis.table import Table

    fits = 2**20 - 1                      # Excel's rows per sheet, less the header row
    old = tmp_path / "t.xlsx"
    old.write_bytes(b"old")
    with pytest.raises(InputError, match=r"1,048,576 rows.*1,048,576 rows and a header.*parquet or csv"):
        ex.write_table(Table({"n": np.arange(fits + 1, dtype=np.int64)}), old, "xlsx", {})
    assert old.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]
    with pytest.raises(InputError, match="1,048,576 rows"):
        ex.render_table(Table({"n": np.arange(fits + 1, dtype=np.int64)}), tmp_path / "u.xlsx", "xlsx", {})
    ex.write_table(Table({"n": np.arange(fits, dtype=np.int64)}), old, "xlsx", {})   # a full sheet (~3 s)
    assert old.read_bytes()[:2] == b"PK"


def test_a_missing_value_of_any_float_width_is_json_null():
    """NaN in a float32 column (numpy's NaN there is no Python float) is null, as in float64."""
    df = pd.DataFrame({"a": np.array([np.nan, 1.5], dtype=np.float32), "b": [np.nan, 2.5]})
    assert ex.records(df) == [{"a": None, "b": None}, {"a": 1.5, "b": 2.5}]
    json.dumps(ex.records(df), allow_nan=False)


def test_metadata_locations(tables, tmp_path):
    f, tabs = tables
    df = tabs["od"]
    meta = ex.run_metadata(f, df.attrs["hbeu"])
    ex.write_table(df, tmp_path / "t.csv", "csv", meta)
    assert json.loads((tmp_path / "t.csv.meta.json").read_text())["by"] == "od"
    assert (tmp_path / "t.csv").read_text().splitlines()[0].startswith("origin,destination,")
    import pyarrow.parquet as pq

    ex.write_table(df, tmp_path / "t.parquet", "parquet", meta)
    assert json.loads(pq.read_schema(tmp_path / "t.parquet").metadata[b"hbeu"])["days"] == 10
    from openpyxl import load_workbook

    ex.write_table(df, tmp_path / "t.xlsx", "xlsx", meta)
    wb = load_workbook(tmp_path / "t.xlsx", read_only=True)
    assert wb.sheetnames == ["frequency", "metadata"]
    ex.write_table(df, tmp_path / "t.json", "json", meta)
    doc = json.loads((tmp_path / "t.json").read_text())
    assert set(doc) == {"metadata", "rows"} and set(doc["rows"][0]) >= {
        "origin", "destination", "departures_per_day", "first_departure", "last_departure", "fastest_min", "median_min"}


def test_failed_write_leaves_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "t.csv"
    target.write_text("old\n")

    def broken(df, tmp, meta):
        Path(tmp).write_text("half a tab")
        raise OSError("disk full")

    monkeypatch.setitem(ex._WRITERS, "csv", broken)
    with pytest.raises(OSError, match="disk full"):
        ex.write_table(awkward(), target, "csv", {})
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]  # no sidecar for a table not written
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("how", ["write_table", "deliver_table"])
def test_interrupted_csv_keeps_the_old_table_and_its_own_sidecar(tmp_path, monkeypatch, how):
    """A CSV and its FILE.meta.json are one output: an interrupted rewrite (Ctrl-C) used to replace
    the sidecar before failing on the table, leaving the old table described by the new run."""
    from hbeu_transit import outputs

    target = tmp_path / "t.csv"
    ex.write_table(awkward(), target, "csv", {"run": 1})
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert sorted(before) == ["t.csv", "t.csv.meta.json"]

    def interrupted(df, tmp, meta):
        Path(tmp).write_text("half a tab")
        raise KeyboardInterrupt

    monkeypatch.setitem(ex._WRITERS, "csv", interrupted)
    with pytest.raises(KeyboardInterrupt):
        if how == "write_table":
            ex.write_table(awkward(), target, "csv", {"run": 2})
        else:
            ex.deliver_table(awkward(), {"run": 2}, outputs.target(target, "-o", ex.EXTENSIONS))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_new_file_failure_leaves_nothing(tmp_path, monkeypatch):
    def broken(df, tmp, meta):
        Path(tmp).write_bytes(b"PK\x03\x04 half")
        raise ValueError("boom")

    monkeypatch.setitem(ex._WRITERS, "xlsx", broken)
    with pytest.raises(ValueError, match="^boom$"):
        ex.write_table(awkward(), tmp_path / "t.xlsx", "xlsx", {})
    assert list(tmp_path.iterdir()) == []


def test_format_guessing():
    assert ex.format_for("a.XLSX", None) == "xlsx"
    assert ex.format_for(None, None) == "table"
    assert ex.format_for("a.txt", "json") == "json"  # an extension that names no format: --format decides
    with pytest.raises(InputError, match="--format json contradicts 'a.csv', which names a csv file"):
        ex.format_for("a.csv", "json")
    with pytest.raises(InputError, match="unknown format 'xls'"):
        ex.format_for(None, "xls")
    with pytest.raises(InputError, match="extension"):
        ex.format_for("a.txt", None)


# ---------------------------------------------------------------------------- the CLI


runner = CliRunner()
SAMPLE = str(ROOT / "tests" / "data" / "sample.zip")


def cli(*args: str):
    return runner.invoke(app, ["freq", "--feed", SAMPLE, *args])


def od_pairs_from_text(feed: Path, days: list[dt.date]) -> set[tuple[str, str]]:
    """(from stop, to stop) pairs some trip running on one of ``days`` rides, read from the GTFS
    text with the stdlib reference (tests/reference), not with the code under test."""
    from reference.gtfs_text import read_tables, services_on

    t = read_tables(feed)
    live = {r["trip_id"] for r in t["trips"] if any(r["service_id"] in services_on(t, d) for d in days)}
    calls: dict[str, list[tuple[int, str]]] = {}
    for r in t["stop_times"]:
        calls.setdefault(r["trip_id"], []).append((int(r["stop_sequence"]), r["stop_id"]))
    return {(a, b) for tid in live for i, (_, a) in enumerate(sorted(calls[tid]))
            for _, b in sorted(calls[tid])[i + 1:] if a != b}


def test_cli_writes_every_format(tmp_path):
    # the sample feed has no parent stations, pickup rules or loops: one row per stop pair ridden
    n_pairs = len(od_pairs_from_text(Path(SAMPLE), [dt.date(2007, 6, 1) + dt.timedelta(days=k) for k in range(10)]))
    assert n_pairs == 27
    for fmt in ex.FILE_FORMATS:
        out = tmp_path / f"od.{fmt}"
        r = cli("--by", "od", "--from", "2007-06-01", "--to", "2007-06-10", "-o", str(out))
        assert r.exit_code == 0, r.output
        back, meta = ex.read_table(out)
        assert meta["by"] == "od" and len(back) == meta["rows"] == n_pairs
        assert meta["days_by_type"] == {"weekday": 6, "saturday": 2, "sunday": 2}
    assert (tmp_path / "od.csv.meta.json").exists()


def test_cli_json_stdout_and_png(tmp_path):
    png = tmp_path / "hours.png"
    r = cli("--by", "hour", "--date", "2007-06-05", "--format", "json", "--png", str(png), "--clock", "service")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["metadata"]["clock"] == "service"
    assert [row["hour"] for row in doc["rows"]][:3] == [0, 1, 2]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    r = cli("--by", "od", "--date", "2007-06-05", "--format", "json")
    rows = json.loads(r.stdout)["rows"]
    assert all(k == k.lower() and " " not in k for k in rows[0])


def test_od_table_of_places_no_trip_joins_that_day_says_so():
    """freq --by od --origin AMV (served on weekends only) on a Tuesday printed an empty table and
    wrote an empty file with no word why, while a date without trips or a mode the feeds lack is
    noted (found by helper breaker5). The Saturday has rows and no such note."""
    tue = cli("--by", "od", "--date", "2007-06-05", "--origin", "AMV", "--format", "json")
    assert tue.exit_code == 0 and json.loads(tue.stdout)["rows"] == []
    assert "note: no trip runs from AMV to any place on 2007-06-05" in tue.stderr, tue.stderr
    sat = cli("--by", "od", "--date", "2007-06-02", "--origin", "AMV", "--destination", "BEATTY_AIRPORT", "--format", "json")
    assert sat.exit_code == 0 and len(json.loads(sat.stdout)["rows"]) == 1 and "no trip runs" not in sat.stderr
    rng = cli("--by", "od", "--from", "2007-06-04", "--to", "2007-06-05", "--origin", "AMV", "--destination", "BULLFROG")
    assert "note: no trip runs from AMV to BULLFROG on 2007-06-04 … 2007-06-05" in rng.stderr, rng.stderr


def test_cli_preview_and_csv_stdout():
    r = cli("--by", "stop", "--date", "2007-06-05")
    assert r.exit_code == 0 and "hbeu freq --by stop" in r.stdout
    r = cli("--by", "route", "--date", "2007-06-05", "--format", "csv")
    assert r.stdout.splitlines()[0].startswith("route_id,route_short_name,")


@pytest.mark.parametrize("args, message", [
    (["--window", "25:00-7"], "bad --window '25:00-7'"),   # named by its flag, as circle's is
    (["--modes", "rail,hovercraft"], "unknown mode 'hovercraft'"),
    (["--from", "2007-06-10", "--to", "2007-06-01"], "--to 2007-06-01 is before --from 2007-06-10"),
    (["--format", "xls"], "unknown format 'xls'"),
    (["--format", "parquet"], "give a file with -o"),
    (["--date", "2007-06-01", "--from", "2007-06-01", "--to", "2007-06-02"], "either --date or --from/--to"),
    (["--by", "od", "--origin", "Nowhere"], "unknown station 'Nowhere'"),
    (["--by", "od", "--combine"], "--combine needs --destination"),   # it named neither flag
    (["--modes", ""], "no mode in --modes ''"),    # freq counted every mode; plan and circle refuse it
    (["--modes", " , "], "no mode in --modes ' , '"),
    # the hour table counts the whole day whatever the window, yet its exports recorded the
    # window in their metadata as if it had been applied (found by helper breaker5)
    (["--by", "hour", "--date", "2007-06-05", "--window", "07:00-09:00"], "--window applies to --by route, od and stop"),
])
def test_cli_bad_input_is_an_input_error(args, message):
    r = cli(*args)
    assert isinstance(r.exception, InputError), r.output
    assert message in r.exception.render(FLAGS)  # as `hbeu` prints it: flags, not parameter names


def test_cli_errors_are_one_line_exit_2_and_write_nothing(tmp_path):
    out = tmp_path / "out.xlsx"
    r = run_hbeu("freq", "--feed", SAMPLE, "--window", "25:00-7", "-o", str(out))
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "bad --window '25:00-7'" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []
    r = run_hbeu("freq", "--feed", SAMPLE, "--date", "2007-06-05", "-o", str(tmp_path / "missing" / "out.csv"))
    assert r.returncode == 2 and "does not exist" in r.stderr and r.stderr.strip().count("\n") == 0
    assert list(tmp_path.iterdir()) == []


def test_coverage_exports_are_titled_coverage_not_freq(tmp_path):
    """`hbeu coverage -o x.xlsx|x.md` went through the freq writers: a sheet named "frequency" and
    a "# hbeu freq --by ?" title on the coverage table. The sheet and title now follow the tool."""
    from openpyxl import load_workbook

    from conftest import run_cli_batch

    f = ["--feed", str(ROOT / "tests" / "data" / "sample.zip"), "--date", "2007-06-05", "--window", "07:00-08:00"]
    res = run_cli_batch([["coverage", *f, "-o", str(tmp_path / "c.xlsx")], ["coverage", *f, "-o", str(tmp_path / "c.md")],
                         ["freq", *f[:4], "-o", str(tmp_path / "f.xlsx")]], cache=tmp_path / "cache")
    assert [r["code"] for r in res] == [0, 0, 0], res
    wb = load_workbook(tmp_path / "c.xlsx", read_only=True)
    assert wb.sheetnames == ["coverage", "metadata"]
    assert load_workbook(tmp_path / "f.xlsx", read_only=True).sheetnames == ["frequency", "metadata"]
    md = (tmp_path / "c.md").read_text(encoding="utf-8").splitlines()
    assert md[1] == "# hbeu coverage" and "freq" not in md[1]
    for name in ("c.xlsx", "c.md"):  # both still read back, with the coverage's columns and rows
        df, meta = ex.read_table(tmp_path / name)
        assert meta["tool"] == "hbeu coverage" and list(df.columns)[:2] == ["origin", "destination"]
        assert len(df) == meta["rows"] > 0


def test_cli_negative_preview_rows_are_refused():
    """`hbeu freq --rows -5` printed all rows but the last five and "… 33 more rows" of 28: a
    preview length below 1 is a usage error (exit 2), as `hbeu circle --rows 0` is."""
    r = cli("--date", "2007-06-05", "--rows", "-5")
    assert r.exit_code == 2 and "--rows" in r.output, r.output
    r = cli("--date", "2007-06-05", "--rows", "1")
    assert r.exit_code == 0 and "more rows" in r.stdout


def test_xlsx_with_missing_last_cells_reads_back_without_pandas_warning(tmp_path):
    """A row whose last cells are missing is shorter in openpyxl's read-only rows (the export
    leaves missing cells out, as openpyxl does): read_table padded them through pandas' deprecated
    ragged-list constructor (Pandas4Warning: "will raise in a future version"). Found by helper mut2."""
    import warnings

    df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [np.nan, 5.0, np.nan], "c": pd.array([None, "x", None], dtype="str")})
    ex.write_table(df, tmp_path / "t.xlsx", "xlsx", {})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back, _ = ex.read_table(tmp_path / "t.xlsx")
    pd.testing.assert_frame_equal(back, df)
