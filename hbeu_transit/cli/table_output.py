"""The table outputs of `hbeu circle` and `hbeu coverage`: -o/--output, --format and --json.

One reading of the three options (which format, where; the same refusals for both commands),
checked before any work; then the result written (``export.deliver_table``: atomically, with the
run's metadata record) and printed."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from .common import err_console, print_json

FormatOption = Annotated[str | None, typer.Option("--format", help="table, md, csv, json, xlsx or parquet (default: "
                                                  "from -o's extension, else table).")]


def output_option(what: str) -> Any:
    """The -o/--output option, writing ``what`` ("the pairs")."""
    return Annotated[Path | None, typer.Option("--output", "-o", help=f"Write {what} here (atomically); - for "
                                               "standard output (with --format).")]


@dataclass(frozen=True)
class TableOutput:
    """What -o/--format/--json ask for: ``kind`` ("table", "json", "csv", "md", "xlsx",
    "parquet"), ``out`` (the checked -o target, None without -o) and ``printing`` (the option by
    which the command prints data on standard output, for ``outputs.check``; None for the
    terminal tables or when -o takes the data)."""

    kind: str
    out: Any
    printing: str | None

    @property
    def provenance(self) -> bool:
        """Whether the run records its metadata: every export carries it, the terminal tables do not."""
        return self.kind != "table"


def refuse_json_with_format(fmt: str | None, json: bool) -> None:
    """--json is --format json: InputError when --format names another (the JSON was silently
    dropped for the other format)."""
    if json and fmt is not None and fmt.strip().lower() != "json":
        from ..errors import InputError

        raise InputError(f"--json and --format {fmt} disagree: give one of them")


def table_output(output: Path | None, fmt: str | None, json: bool) -> TableOutput:
    """Read -o, --format and --json (InputError, one line, on a bad suffix, a folder, a format
    that contradicts the file's extension or --json, a binary format without a file)."""
    refuse_json_with_format(fmt, json)
    if fmt is None and output is None:
        # the fast path: no pandas (the export module uses it)
        return TableOutput("json" if json else "table", None, "--json" if json else None)
    from .. import outputs
    from ..errors import InputError
    from ..export import BINARY_FORMATS, EXTENSIONS, FILE_FORMATS, format_for

    json_flag = "--json" if json and fmt is None else None
    kind = "json" if json_flag else format_for(output, fmt)
    if output is not None and kind == "table":
        raise InputError("--format table is the terminal view; pick a file format for -o: " + ", ".join(FILE_FORMATS))
    if output is None and kind in BINARY_FORMATS:
        raise InputError(f"--format {kind} is binary: give a file with -o")
    out = None
    if output is not None:
        out = outputs.target(output, "-o", EXTENSIONS, fmt=kind, binary=BINARY_FORMATS, fmt_flag=json_flag)
    printing = None if output is not None or kind == "table" else (json_flag or f"--format {kind}")
    return TableOutput(kind, out, printing)


def wrote(t, detail: str = "") -> None:
    """Say on stderr where an output went (nothing for standard output: it speaks for itself)."""
    if not t.to_stdout:
        err_console.print(f"wrote {t.label}{detail}", highlight=False)


def write(to_dict, to_frame, meta: dict, out) -> None:
    """The rows delivered to the checked output ``out``: JSON as ``--json`` prints it
    (``to_dict()``), any other format the table ``to_frame()`` with the record ``meta`` (a CSV
    file gets its FILE.meta.json)."""
    from .. import outputs

    if out.fmt == "json":
        import json as _json

        with outputs.writing(out) as tmp:
            tmp.write_text(_json.dumps(to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return
    from ..export import deliver_table

    deliver_table(to_frame(), meta, out)


def show(kind: str, out, given, to_dict, to_frame, meta: dict, tables) -> None:
    """Print the result: as --json/--format asked when there is no -o, else the tables (none when
    an output to `-` owns standard output)."""
    from .. import outputs

    if outputs.owns_stdout(given):
        return
    if kind == "json" and out is None:
        print_json(to_dict())
    elif kind == "csv" and out is None:
        to_frame().to_csv(sys.stdout, index=False, lineterminator="\n")
    elif kind == "md" and out is None:
        from ..export import markdown

        sys.stdout.write(markdown(to_frame(), meta))
    else:
        tables()
