"""Analyst exports: CSV, Parquet, XLSX, JSON and Markdown, each with a metadata record, written atomically.

Every writer renders into a temporary file in the target's folder and renames it over the
target (``os.replace``), so a failure (full disk, bad value, Ctrl-C) leaves either the old file or
nothing, never half a table. Where the metadata goes:

* parquet: the schema metadata key ``hbeu`` (JSON);
* xlsx: a second sheet ``metadata`` (key / value rows, values as JSON);
* csv: a sidecar ``FILE.meta.json`` next to ``FILE`` (the CSV itself stays a plain table that
  Excel, R and pandas read without skipping comment lines);
* json: ``{"metadata": {...}, "rows": [...]}``;
* md: a human-readable list above the table, plus the same record in an HTML comment
  (invisible when rendered) so the file can be read back.

The metadata includes ``columns`` (name -> dtype), so the readers restore the exact table; the
round-trip tests rely on it. Supported column dtypes: strings, int64, float64, bool.

The tables are pandas DataFrames or ``analysis.table.Table`` objects; CSV, JSON and Markdown are
written from a Table without importing pandas (the same text as from the DataFrame), Parquet and
XLSX through pandas.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from .analysis.table import Table, missing
from .atomic import atomic_path  # noqa: F401  (re-exported for callers)
from .errors import InputError

FORMATS = ("table", "csv", "parquet", "xlsx", "json", "md")
FILE_FORMATS = ("csv", "parquet", "xlsx", "json", "md")
_EXT = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".xlsx": "xlsx", ".json": "json",
        ".md": "md", ".markdown": "md"}
#: file extension -> export format (the format of -o follows its extension)
EXTENSIONS = dict(_EXT)
#: formats that are bytes rather than text (refused on a terminal)
BINARY_FORMATS = frozenset({"parquet", "xlsx"})
_MD_TAG = "hbeu-metadata:"
#: rows a spreadsheet's sheet holds (Excel's limit, the header row included)
XLSX_ROWS = 2**20
#: the data sheet's name per exporting command (metadata "tool"); freq's is the default
_SHEETS = {"hbeu coverage": "coverage", "hbeu coverage --compare": "coverage", "hbeu circle": "circle"}


def _sheet_name(meta: dict[str, Any]) -> str:
    """The xlsx data sheet's name: the command's table, so a coverage or circle export is not "frequency"."""
    return _SHEETS.get(str(meta.get("tool")), "frequency")


def _title(meta: dict[str, Any]) -> str:
    """The Markdown heading: the command that made the table (with freq's --by)."""
    tool = str(meta.get("tool", "hbeu freq"))
    return f"{tool} --by {meta['by']}" if "by" in meta and tool == "hbeu freq" else tool


def format_for(path: str | Path | None, fmt: str | None, stdout: str | None = None,
               fmt_flag: str | None = None) -> str:
    """The export format: the file extension's, else the one asked for, else "table"; a format
    that contradicts the extension is an InputError (never a mislabelled file). ``stdout``: the
    format of ``-`` (standard output) when none is asked for (None: ``-`` needs --format);
    ``fmt_flag``: how the user gave ``fmt`` when not as ``--format FMT`` (e.g. "--json")."""
    if fmt is not None:
        f = fmt.lower()
        if f not in FORMATS:
            raise InputError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
        ext = _EXT.get(Path(path).suffix.lower()) if path is not None and str(path) != "-" else None
        if ext is not None and ext != f:
            flag = fmt_flag or f"--format {f}"
            raise InputError(f"{flag} contradicts {str(path)!r}, which names a {ext} file: "
                             f"drop {flag.split()[0]} or rename the file")
        return f
    if path is None:
        return "table"
    from . import outputs

    outputs.refuse_folder(path, "-o")
    if str(path) == "-":
        if stdout is None:
            raise InputError(f"-o - writes to standard output: say which format with --format ({', '.join(FILE_FORMATS)})")
        return stdout
    f = _EXT.get(Path(path).suffix.lower())
    if f is None and stdout is not None and outputs.is_stream(path):
        return stdout  # /dev/stdout, /dev/null, a FIFO: the format of `-o -`
    if f is None:
        raise InputError(f"cannot tell the format of {str(path)!r} from its extension: pass --format "
                         f"({', '.join(FILE_FORMATS)})")
    return f


def column_types(df) -> dict[str, str]:
    """name -> "str" | "int64" | "float64" | "bool", the schema recorded with every export."""
    if isinstance(df, Table):
        return {c: df.kind(c) for c in df.columns}
    import pandas as pd

    out = {}
    for c in df.columns:
        dt_ = df[c].dtype
        if pd.api.types.is_bool_dtype(dt_):
            out[str(c)] = "bool"
        elif pd.api.types.is_integer_dtype(dt_):
            out[str(c)] = "int64"
        elif pd.api.types.is_float_dtype(dt_):
            out[str(c)] = "float64"
        elif pd.api.types.is_string_dtype(dt_) or dt_ == object:
            out[str(c)] = "str"
        else:
            raise TypeError(f"column {c!r} has dtype {dt_}, which the exports do not support")
    return out


def _with_schema(df, metadata: dict[str, Any]) -> dict[str, Any]:
    meta = dict(metadata)
    meta["columns"] = column_types(df)
    meta["rows"] = int(len(df))
    return meta


def _restore(df, columns: dict[str, str]):
    """Cast a read-back table to the recorded dtypes and column order."""
    import pandas as pd

    df = df.reindex(columns=list(columns))
    for c, t in columns.items():
        if t == "str":
            df[c] = df[c].astype(object).where(df[c].notna(), np.nan).astype("str")
        elif t == "bool":
            df[c] = df[c].map(lambda x: x if isinstance(x, (bool, np.bool_)) else str(x).lower() == "true").astype(bool)
        else:
            df[c] = pd.to_numeric(df[c]).astype(t)
    return df


def generated_at(tz: str | None) -> str:
    """Now as ISO 8601 in the agency's timezone with its offset ("2026-12-09T08:30:05+08:00"),
    as every other time the tool prints; UTC for a feed without one."""
    from .analysis.times import now_in

    return now_in(tz or "UTC").replace(microsecond=0).isoformat()


def counted(table: dict[str, Any], filters: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a table counted (its ``attrs["hbeu"]``) and with which filters: the first part of
    ``run_metadata``, and all a terminal preview needs."""
    meta: dict[str, Any] = {"tool": "hbeu freq", **table}
    meta["filters"] = {k: v for k, v in (filters or {}).items() if v not in (None, False, [], "")}
    return meta


def run_metadata(feed, table: dict[str, Any], filters: dict[str, Any] | None = None,
                 sources: list | None = None) -> dict[str, Any]:
    """The record every export carries: what was counted, from which feeds, when, with which filters.

    ``feed``: anything holding the feeds' ``sources`` (``feed.FeedSource``) and their ``timezone``:
    the loaded ``Feed``, or what a warm run already has from the cache without reading a feed
    (freq's ``FreqData``, the place index circle and coverage resolve names with). ``table``:
    what the command counted or measured (freq's ``attrs["hbeu"]``; circle's and coverage's
    parameters, with their ``tool``). ``sources``: the feeds to name in place of ``feed``'s
    (a scenario run names the feeds its scenarios were applied to, not the scenario's zip)."""
    from importlib import metadata as im

    def version(pkg: str) -> str | None:
        try:
            return im.version(pkg)
        except im.PackageNotFoundError:
            return None

    meta = counted(table, filters)
    meta["feeds"] = [{"name": s.name, "file": Path(s.path).name, "sha256": s.sha256,
                      "feed_version": s.feed_version, "publisher": s.publisher,
                      "start_date": s.start_date, "end_date": s.end_date, "id_prefix": s.prefix or None}
                     for s in (sources if sources is not None else getattr(feed, "sources", []))]
    meta["generated_at"] = generated_at(getattr(feed, "timezone", None))
    meta["versions"] = {"hbeu-transit": version("hbeu-transit"), "gtfs-kit": version("gtfs-kit"),
                        "pandas": version("pandas")}
    return meta


def json_document(df, metadata: dict[str, Any]) -> dict[str, Any]:
    """The JSON export: {"metadata": ..., "rows": [...]} with snake_case column names as keys."""
    return {"metadata": _with_schema(df, metadata), "rows": records(df)}


def json_document_text(df, metadata: dict[str, Any]) -> str:
    """``json_document`` as printed: ``json.dumps(..., ensure_ascii=False, indent=1)`` and a newline."""
    return json_text(_with_schema(df, metadata), df)


# ---------------------------------------------------------------------------- atomic files


def _json_value(v: Any) -> Any:
    """A cell as JSON has it: missing -> None. (Rows come from ``itertuples`` or a Table, both
    plain Python values: no numpy scalars reach here.)"""
    return None if missing(v) else v


def _rows(df):
    """Rows as tuples (a Table's as plain Python values, NaN as None)."""
    return df.rows() if isinstance(df, Table) else df.itertuples(index=False, name=None)


def records(df) -> list[dict[str, Any]]:
    """Rows as plain dicts, NaN -> None (JSON null)."""
    cols = [str(c) for c in df.columns]
    if isinstance(df, Table):
        return [dict(zip(cols, row)) for row in df.rows()]
    return [{c: _json_value(v) for c, v in zip(cols, row)} for row in df.itertuples(index=False, name=None)]


# ---------------------------------------------------------------------------- writers


def _write_csv(df, tmp: Path, meta: dict[str, Any]) -> None:
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(csv_text(df))


def csv_text(df) -> str:
    """The CSV of a table: pandas' ``to_csv`` (no index, "\\n" lines), or the same text written
    from a Table with the csv module (floats as Python's repr, missing values empty)."""
    if not isinstance(df, Table):
        return df.to_csv(index=False, lineterminator="\n", float_format=None)
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(df.columns)
    w.writerows(zip(*(_csv_column(df[c]) for c in df.columns)))  # None is written empty
    return buf.getvalue()


def _csv_column(v: np.ndarray) -> list[Any]:
    """A Table column's values for the csv module, as ``Table.rows`` gives them (NaN as None);
    a float column whose values repeat (hourly counts, minutes) as their text, each distinct
    value formatted once: the csv module's repr of ~1.7M floats was most of a hart
    ``freq --by od --stations -o x.csv``."""
    if v.dtype.kind != "f":
        return v.tolist()
    uniq, inv = np.unique(v, return_inverse=True)
    if 2 * len(uniq) > len(v) or bool(np.any((v == 0) & np.signbit(v))):  # few repeats; -0.0 (unique merges it with 0.0)
        return [None if x != x else x for x in v.tolist()]
    text = np.array(["" if x != x else repr(x) for x in uniq.tolist()], dtype=object)
    return text[inv.reshape(-1)].tolist()


def _write_parquet(df, tmp: Path, meta: dict[str, Any]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if isinstance(df, Table):
        df = df.to_pandas()
    table = pa.Table.from_pandas(df, preserve_index=False)
    md = dict(table.schema.metadata or {})
    md[b"hbeu"] = json.dumps(meta, ensure_ascii=False).encode()
    pq.write_table(table.replace_schema_metadata(md), tmp)


def _write_xlsx(df, tmp: Path, meta: dict[str, Any]) -> None:
    """The workbook: a data sheet and the ``metadata`` sheet (key, value, json). openpyxl writes the
    package, the header row and the metadata; the data rows are spliced into the data sheet's
    ``<sheetData>`` as the very XML openpyxl's write-only worksheet would write for them
    (``_xlsx_rows``): openpyxl serialises cell by cell in pure Python (hart's freq --by od
    --stations, 1.9M cells: ~10 s of an 11 s run)."""
    import io
    import zipfile

    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_name(meta))
    ws.append([str(c) for c in df.columns])
    ms = wb.create_sheet("metadata")
    ms.append(["key", "value", "json"])
    for k, v in meta.items():
        text = json.dumps(v, ensure_ascii=False)
        ms.append([k, v if isinstance(v, str) else text, text])
    buf = io.BytesIO()
    wb.save(buf)
    data = ws.path.lstrip("/")  # the sheet's part, named as it is saved
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as out:
        if data not in src.namelist():
            raise RuntimeError(f"openpyxl saved no {data}: cannot add the rows")
        for info in src.infolist():
            body = src.read(info)
            if info.filename != data:
                out.writestr(info, body)
                continue
            head, end = body.split(b"</sheetData>")  # the header row, then what follows the rows
            with out.open(info, "w", force_zip64=True) as fh:
                fh.write(head)
                for block in _xlsx_rows(df):
                    fh.write(block.encode("utf-8"))
                fh.write(b"</sheetData>" + end)


def _xlsx_rows(df, start: int = 2, block: int = 4096) -> Iterator[str]:
    """The ``<row>`` elements of ``df``'s rows from row ``start`` on, ``block`` rows a piece, as
    openpyxl 3.1's write-only worksheet writes them: numbers as ``"%.16g"`` unless that loses
    digits (``_xlsx_number``; infinity as an
    empty ``<v />``), text inline (never a formula: "=SUM(A1)" is a name to show), missing cells
    left out. Each column's distinct values are rendered once."""
    from openpyxl.utils import get_column_letter

    n = len(df)
    tails = [_xlsx_tails(df[c] if isinstance(df, Table) else df.iloc[:, j].to_numpy(), str(c))
             for j, c in enumerate(df.columns)]
    refs = ['<c r="' + get_column_letter(j + 1) for j in range(len(tails))]
    for a in range(0, n, block):
        nums = [str(r) for r in range(start + a, start + min(n, a + block))]
        cols = [["" if t is None else ref + r + t for r, t in zip(nums, ts[a:a + block])]
                for ref, ts in zip(refs, tails)]
        yield "".join(['<row r="' + r + '">' + "".join(cells) + "</row>"
                       for r, cells in zip(nums, zip(*cols) if cols else ((),) * len(nums))])


def _xlsx_tails(v: np.ndarray, name: str) -> list[str | None]:
    """Each cell of a column as its XML after the reference ('" t="n"><v>2</v></c>'), None where
    missing: a number column's distinct values (bit patterns: -0.0 is not 0.0) formatted once."""
    if v.dtype.kind == "b":
        return [_XLSX_TRUE if x else _XLSX_FALSE for x in v.tolist()]
    if v.dtype.kind in "iuf":
        uniq, inv = np.unique(v.view(f"i{v.dtype.itemsize}") if v.dtype.kind == "f" else v, return_inverse=True)
        texts = np.array([_xlsx_tail(x, name) for x in uniq.view(v.dtype).tolist()], dtype=object)
        return texts[inv.reshape(-1)].tolist()
    seen: dict[str, str] = {}  # a text's cell (never None: "" is an empty text cell)
    out = []
    for x in v.tolist():
        if type(x) is str:
            t = seen.get(x)
            if t is None:
                t = seen[x] = _xlsx_tail(x, name)
        else:
            t = _xlsx_tail(x, name)
        out.append(t)
    return out


_XLSX_TRUE, _XLSX_FALSE = '" t="b"><v>1</v></c>', '" t="b"><v>0</v></c>'


def _xlsx_number(x: Any) -> str:
    """A finite number's text in a cell: openpyxl's ``"%.16g"`` where that reads back as the same
    value, else all its digits (``repr``: a float's shortest exact text, an integer's own):
    openpyxl's 16 digits turned 1/60 into 0.01666666666666667, so the sheet did not hold the
    table the other formats hold."""
    text = "%.16g" % x
    if float(text) == x:
        return text
    return repr(float(x)) if isinstance(x, (float, np.floating)) else str(int(x))


def _xlsx_tail(x: Any, name: str) -> str | None:
    """One cell's XML after its reference, as openpyxl writes a value appended to a write-only sheet."""
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
    from openpyxl.utils.exceptions import IllegalCharacterError

    if missing(x):
        return None
    if isinstance(x, (bool, np.bool_)):
        return _XLSX_TRUE if x else _XLSX_FALSE
    if isinstance(x, (int, float, np.integer, np.floating)):
        inf = isinstance(x, (float, np.floating)) and bool(np.isinf(x))
        return '" t="n"><v /></c>' if inf else f'" t="n"><v>{_xlsx_number(x)}</v></c>'
    if not isinstance(x, str):
        raise TypeError(f"column {name!r} holds {x!r}, which the xlsx export does not support")
    x = x[:32767]
    if ILLEGAL_CHARACTERS_RE.search(x):
        raise IllegalCharacterError(f"{x} cannot be used in worksheets.")
    if x == "":
        return '" t="inlineStr" />'
    text = x.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if x in ERROR_CODES:
        return f'" t="e"><v>{text}</v></c>'
    space = ' xml:space="preserve"' if x.strip() and x != x.strip() else ""
    return f'" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _write_json(df, tmp: Path, meta: dict[str, Any]) -> None:
    with open(tmp, "w", encoding="utf-8") as fh:
        for part in _json_parts(meta, df, allow_nan=False):
            fh.write(part)


def json_text(meta: dict[str, Any], df, allow_nan: bool = True) -> str:
    """``json.dumps({"metadata": meta, "rows": records(df)}, ensure_ascii=False, indent=1)`` and a
    newline (``_json_parts``)."""
    return "".join(_json_parts(meta, df, allow_nan))


def _json_parts(meta: dict[str, Any], df, allow_nan: bool, block: int = 2000) -> Iterator[str]:
    """The text of ``json_text`` in pieces (``block`` rows each). With ``indent`` the json module
    encodes in Python, value by value (hart's freq --by od --stations: 2.2M cells, ~0.8 s); a
    Table's rows are flat dicts of str/int/float/bool/None, so each row is encoded by the C
    encoder with the separators of the indented layout, and placed as ``indent=1`` places it."""
    rows = records(df)
    if not (isinstance(df, Table) and _flat_scalars(df)):
        yield json.dumps({"metadata": meta, "rows": rows}, ensure_ascii=False, indent=1, allow_nan=allow_nan) + "\n"
        return
    head = json.dumps({"metadata": meta}, ensure_ascii=False, indent=1, allow_nan=allow_nan)[:-2]
    if not rows:
        yield head + ',\n "rows": []\n}\n'
        return
    row = json.JSONEncoder(ensure_ascii=False, allow_nan=allow_nan, separators=(",\n   ", ": ")).encode
    yield head + ',\n "rows": ['
    for k in range(0, len(rows), block):  # each row has 1+ keys: never "{}"
        texts = ["{\n   " + t[1:-1] + "\n  }" for t in map(row, rows[k:k + block])]
        yield ("\n  " if k == 0 else ",\n  ") + ",\n  ".join(texts)
    yield "\n ]\n}\n"


def _flat_scalars(t: Table) -> bool:
    """Whether every cell of ``t`` is a JSON scalar (text columns: str or None only)."""
    return all(t[c].dtype.kind in "biuf" or (t[c].dtype.kind == "O" and all(v is None or type(v) is str for v in t[c]))
               for c in t.columns)


def _md_cell(v: Any) -> str:
    v = _json_value(v)
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v)
    return str(v).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown(df, meta: dict[str, Any]) -> str:
    """The Markdown rendering: a title, the metadata as a list, the table (floats exact)."""
    meta = _with_schema(df, meta)
    lines = [f"<!-- {_MD_TAG} {json.dumps(meta, ensure_ascii=False)} -->",
             f"# {_title(meta)}", ""]
    for k, v in meta.items():
        if k == "columns":
            continue
        lines.append(f"- **{k}**: {v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}")
    lines.append("")
    cols = [str(c) for c in df.columns]
    lines.append("| " + " | ".join(cols) + " |")
    lines.append("|" + "|".join("---:" if t in ("int64", "float64") else "---"
                               for t in column_types(df).values()) + "|")
    for row in _rows(df):
        lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def _write_md(df, tmp: Path, meta: dict[str, Any]) -> None:
    tmp.write_text(markdown(df, meta), encoding="utf-8")


_WRITERS = {"csv": _write_csv, "parquet": _write_parquet, "xlsx": _write_xlsx, "json": _write_json, "md": _write_md}


def sidecar(path: str | Path) -> Path:
    """Where a CSV's metadata goes: ``FILE.meta.json`` beside it."""
    p = Path(path)
    return p.with_name(p.name + ".meta.json")


def render_table(df, path: str | Path, fmt: str, metadata: dict[str, Any]) -> None:
    """Render ``df`` with its metadata as ``fmt`` into ``path`` (a temporary file: not atomic).
    A table longer than a spreadsheet's sheet is refused as xlsx (Excel would open part of it)."""
    if fmt not in _WRITERS:
        raise InputError(f"cannot write format {fmt!r} to a file: choose from {', '.join(FILE_FORMATS)}")
    if fmt == "xlsx" and len(df) > XLSX_ROWS - 1:
        raise InputError(f"an xlsx sheet holds {XLSX_ROWS:,} rows and this table has {len(df):,} rows and a "
                         "header: Excel would open only part of it; write it as parquet or csv")
    _WRITERS[fmt](df, Path(path), _with_schema(df, metadata))


def sidecar_text(df, metadata: dict[str, Any]) -> str:
    """The content of a CSV's ``FILE.meta.json``."""
    return json.dumps(_with_schema(df, metadata), ensure_ascii=False, indent=1) + "\n"


def deliver_table(df, metadata: dict[str, Any], target) -> None:
    """``df`` to a checked ``outputs.Target`` (file, device, FIFO, symlink or standard output); a
    CSV landing in a regular file also gets its ``FILE.meta.json`` sidecar."""
    from . import outputs

    with outputs.writing(target) as tmp:
        render_table(df, tmp, target.fmt, metadata)
        if target.fmt == "csv" and target.is_regular:  # only once the table is rendered (see write_table)
            with outputs.writing(outputs.Target(target.option, sidecar(target.path), "json")) as side:
                side.write_text(sidecar_text(df, metadata), encoding="utf-8")


def write_table(df, path: str | Path, fmt: str, metadata: dict[str, Any]) -> Path:
    """Write ``df`` with its metadata as ``fmt`` to ``path`` atomically; returns the path."""
    if fmt not in _WRITERS:
        raise InputError(f"cannot write format {fmt!r} to a file: choose from {', '.join(FILE_FORMATS)}")
    target = Path(path)
    with atomic_path(target) as tmp:
        render_table(df, tmp, fmt, metadata)
        if fmt == "csv":  # the sidecar lands only with its table: a failure leaves the old pair whole
            with atomic_path(sidecar(target)) as side:
                side.write_text(sidecar_text(df, metadata), encoding="utf-8")
    return target


# ---------------------------------------------------------------------------- readers


def read_table(path: str | Path, fmt: str | None = None) -> tuple[Any, dict[str, Any]]:
    """Read an export back: (a pandas DataFrame with its recorded dtypes, metadata)."""
    import pandas as pd

    p = Path(path)
    fmt = format_for(p, fmt)
    if fmt == "csv":
        meta = json.loads(sidecar(p).read_text(encoding="utf-8"))
        cols = meta["columns"]
        df = pd.read_csv(p, dtype={c: ("str" if t == "str" else None) for c, t in cols.items()
                                   if t == "str"}, keep_default_na=False, na_values=[""])
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(p)
        meta = json.loads(table.schema.metadata[b"hbeu"])
        df = table.to_pandas()
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(p, read_only=True)
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
        width = len(rows[0])   # a row's missing last cells are not in it: padded (pandas 4 refuses ragged rows)
        df = pd.DataFrame([r + (None,) * (width - len(r)) for r in rows[1:]], columns=list(rows[0]))
        meta = {k: json.loads(j) for k, _, j in list(wb["metadata"].iter_rows(values_only=True))[1:]}
        wb.close()
    elif fmt == "json":
        data = json.loads(p.read_text(encoding="utf-8"))
        meta = data["metadata"]
        df = pd.DataFrame(data["rows"], columns=list(meta["columns"]))
    elif fmt == "md":
        text = p.read_text(encoding="utf-8")
        first = text.splitlines()[0]
        meta = json.loads(first[first.index(_MD_TAG) + len(_MD_TAG):first.rindex("-->")])
        rows = [ln for ln in text.splitlines() if ln.startswith("| ")]
        split = [_md_split(ln) for ln in rows]
        df = pd.DataFrame(split[1:], columns=split[0]) if split else pd.DataFrame(columns=list(meta["columns"]))
        df = df.replace("", np.nan)
    else:
        raise InputError(f"cannot read format {fmt!r}")
    return _restore(df, meta["columns"]), meta


def _md_split(line: str) -> list[str]:
    """One Markdown table row -> cells, undoing the \\| and \\\\ escapes."""
    body = line.strip()[1:-1]
    cells, cur, i = [], [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            cur.append(body[i + 1])
            i += 2
            continue
        if ch == "|":
            cells.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
        i += 1
    cells.append("".join(cur).strip())
    return cells
