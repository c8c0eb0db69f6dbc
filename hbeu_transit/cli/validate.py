"""`hbeu validate`: everything wrong with a feed, before trusting an answer. Parse and print only."""

from __future__ import annotations

import json as _json
from pathlib import Path
from typing import Annotated

import typer

from .base import app
from .common import FeedOption, JsonOption, console, err_console, print_json

#: Rows shown per notice code in the terminal summary.
SHOWN = 5
REPORT_FORMATS = {".html": "html", ".htm": "html", ".json": "json"}


@app.command()
def validate(
    feeds: Annotated[list[Path] | None, typer.Argument(metavar="FEED...", help="GTFS zips or folders (default: the bundled feeds).")] = None,
    feed: FeedOption = None,
    date: Annotated[str | None, typer.Option(help="Validate as of this date YYYY-MM-DD (default: today); also warns when no trip runs on it.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report: .html (like the canonical validator's) or .json; - for JSON on standard output.")] = None,
    canonical: Annotated[bool, typer.Option("--canonical/--no-canonical", help="Run the canonical GTFS rules (gtfs-validator) as well as the planner's own checks.")] = True,
    json: JsonOption = False,
) -> None:
    """Check feeds against the canonical GTFS rules and the planner's own checks (times going backwards, impossible speeds, unserved stops, services that never run, bad transfers, parent-station cycles...).

    Exit code: 0 with only warnings, 1 with errors, 2 when a feed cannot be read at all.

    Example: hbeu validate gtfs.zip --date 2026-12-01 -o report.html
    """
    from .. import outputs
    from ..feed.bundled import default_feed_paths
    from ..feed.validate import validate as run
    from ..network import as_date

    out = outputs.target(output, "-o", REPORT_FORMATS, default="json", has_format=False)
    outputs.check(out)
    day = as_date(date)
    paths = [*(feeds or []), *(feed or [])] or default_feed_paths()
    with err_console.status("validating…") as status:
        report = run(paths, day, canonical=canonical,
                     progress=lambda i, p: status.update(f"validating {Path(p).name} ({i + 1}/{len(paths)})…"))
    if out is not None:
        with outputs.writing(out) as tmp:
            if out.fmt == "html":
                from ..report_html import validation_html

                tmp.write_text(validation_html(report, day), encoding="utf-8")
            else:
                tmp.write_text(_json.dumps(report.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if not out.to_stdout:
            err_console.print(f"wrote {out.label}", highlight=False)
    if json:
        if out is None or not out.to_stdout:
            print_json(report.to_json())
    elif out is None or not out.to_stdout:
        _summary(report)
    raise typer.Exit(report.exit_code)


def _summary(report) -> None:
    from rich.markup import escape

    from ..feed.validate import SEVERITIES
    from .present import Column, print_table

    counts = report.counts()
    style = {"ERROR": "bold red", "WARNING": "yellow", "INFO": "dim"}
    print_table(console(), f"hbeu validate: {len(report.feeds)} feed(s)",
                [Column("severity"), Column("notices", justify="right")],
                [(f"[{style[s]}]{s}[/]", str(counts.get(s, 0))) for s in SEVERITIES])
    by_code: dict[str, list] = {}
    for n in report.notices:
        by_code.setdefault(n.code, []).append(n)
    for code, ns in by_code.items():
        sev = ns[0].severity
        cols = [Column("file", wrap=True), Column("row", justify="right", priority=2),
                Column("field", wrap=True, priority=3), Column("value", wrap=True, priority=1),
                Column("message", wrap=True, min_width=20)]
        print_table(console(), f"[{style.get(sev, '')}]{sev}[/] {code} ({len(ns)})", cols,
                    [tuple(escape("" if v is None else str(v)) for v in (n.file, n.row, n.field, n.value, n.message))
                     for n in ns[:SHOWN]])
        if len(ns) > SHOWN:
            console.print(f"  … {len(ns) - SHOWN} more (all: --json or -o report.html)", highlight=False)
    verdict = {0: "[green]no errors[/]", 1: "[bold red]errors found[/]", 2: "[bold red]a feed cannot be read[/]"}
    console.print(f"result: {verdict[report.exit_code]}")
