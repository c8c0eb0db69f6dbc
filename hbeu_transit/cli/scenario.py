"""`hbeu scenario apply|check|list`: planned lines and timetable changes as GTFS. Parse and print only."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .base import app
from ..network import Network
from .common import CacheOption, FeedOption, JsonOption, console, err_console, print_json

scenario_app = typer.Typer(
    help="Scenarios: planned lines and timetable changes applied to the feeds (TOML files; the format "
         "is in data/scenarios/README.md).\n\nExample: hbeu scenario apply all-planned -o planned.zip",
    no_args_is_help=True, rich_markup_mode="rich")
app.add_typer(scenario_app, name="scenario")

ScenarioArgs = Annotated[list[str], typer.Argument(
    help="Scenario files, or names of shipped scenarios (hbeu scenario list); applied in order.")]


@scenario_app.command("apply")
def apply_command(
    scenarios: ScenarioArgs,
    output: Annotated[Path, typer.Option("--output", "-o", help="The GTFS zip to write; - for standard output (not a terminal).")],
    feed: FeedOption = None,
    cache_dir: CacheOption = None,
    json_out: JsonOption = False,
) -> None:
    """Apply scenarios to the merged feeds and write one GTFS zip (deterministic: the same feeds and
    scenarios give the same bytes), with the scenario names in feed_info.txt.

    Example: hbeu scenario apply hohhot-baotou-hsr -o hsr.zip
    """
    from .. import outputs
    from ..scenario import apply_scenarios, feed_zip_bytes, load_scenarios, table_counts

    target = outputs.target(output, "-o", {".zip": "zip"}, binary={"zip"})
    # an unwritable output is reported before the work; `-o -` owns standard output
    outputs.check(target, printing="--json" if json_out else None)
    parsed = load_scenarios(scenarios)          # a bad scenario stops here, before any feed is read
    base = Network(feed, cache_dir=cache_dir).feed
    out = apply_scenarios(base, parsed)
    with outputs.writing(target) as tmp:
        tmp.write_bytes(feed_zip_bytes(out))
    before, after = table_counts(base), table_counts(out)
    version = str(out.tables["feed_info"]["feed_version"].iloc[0]) if parsed else None
    if target.to_stdout:
        return
    if json_out:
        print_json({"output": str(output), "scenarios": [s.name for s in parsed], "feed_version": version,
                    "modifications": sum(len(s.modifications) for s in parsed), "before": before, "after": after})
        return
    from .present import Column, print_table

    print_table(console(), f"{output}: {' + '.join(s.name for s in parsed) or 'no scenario'}",
                [Column("table"), Column("before", justify="right"), Column("after", justify="right"),
                 Column("change", justify="right")],
                [(name, str(before.get(name, 0)), str(after[name]),
                  f"{after[name] - before.get(name, 0):+d}" if after[name] != before.get(name, 0) else "")
                 for name in after])
    err_console.print(f"wrote {output}")


@scenario_app.command("check")
def check_command(scenarios: ScenarioArgs, feed: FeedOption = None, cache_dir: CacheOption = None,
                  json_out: JsonOption = False) -> None:
    """Check scenarios against the feeds without writing anything (exit 2 with one line on an error).

    Example: hbeu scenario check hohhot-baotou-hsr  (a shipped one by name; your own as a file: hbeu scenario check my-line.toml)
    """
    from ..scenario import apply_scenarios, load_scenarios

    parsed = load_scenarios(scenarios)
    apply_scenarios(Network(feed, cache_dir=cache_dir).feed, parsed)
    rows = [{"name": s.name, "description": s.description, "modifications": [m.type for m in s.modifications]}
            for s in parsed]
    if json_out:
        print_json({"ok": True, "scenarios": rows})
        return
    for r in rows:
        console.print(f"ok {r['name']}: {len(r['modifications'])} modification(s) ({', '.join(r['modifications'])})",
                      highlight=False)


@scenario_app.command("list")
def list_command(json_out: JsonOption = False) -> None:
    """The scenarios shipped with hbeu-transit (usable by name wherever a scenario file is asked for).

    Example: hbeu scenario list
    """
    from ..scenario import read_scenario, shipped_scenarios

    rows = []
    for name, path in shipped_scenarios().items():
        s = read_scenario(path)
        rows.append({"name": name, "description": s.description, "modifications": [m.type for m in s.modifications],
                     "path": str(path)})
    if json_out:
        print_json({"scenarios": rows})
        return
    from .present import Column, print_table

    print_table(console(), "shipped scenarios",
                [Column("name"), Column("what it does", wrap=True, min_width=20),
                 Column("modifications", wrap=True, priority=1)],
                [(r["name"], r["description"], ", ".join(r["modifications"])) for r in rows])
