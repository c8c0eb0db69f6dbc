"""`hbeu info`: a summary of the loaded feeds."""

from __future__ import annotations

from typing import Annotated

import typer

from .base import app
from .common import FeedOption, JsonOption, console, err_console, print_json


@app.command()
def info(
    feed: FeedOption = None,
    date: Annotated[str | None, typer.Option(help="Service date YYYY-MM-DD for trip counts (default: today, or the next service date).")] = None,
    json: JsonOption = False,
) -> None:
    """Summarise the feeds: agencies, stops and stations, routes by mode, trips per day, dates.

    Example: hbeu info --feed gtfs.zip --date 2026-12-01
    """
    from rich.table import Table

    from ..network import Network

    notes: list[str] = []
    with err_console.status("reading the feeds…"):
        s = Network(feed).summary(date, notes=notes)
    if not json:
        for note in notes:
            err_console.print(f"[yellow]{note}[/]")
    if json:
        print_json(s)
        return
    t = Table(title="Feeds", show_lines=False)
    for col in ("feed", "version", "publisher", "id prefix", "valid from", "valid to"):
        t.add_column(col)
    for fd in s["feeds"]:
        t.add_row(fd["name"], fd["feed_version"] or "-", fd["publisher"] or "-", fd["id_prefix"] or "-",
                  fd["start_date"] or "-", fd["end_date"] or "-")
    console.print(t)
    a = Table(title="Agencies")
    for col in ("agency_id", "name", "timezone"):
        a.add_column(col)
    for ag in s["agencies"]:
        a.add_row(str(ag["agency_id"] or "-"), str(ag["name"]), str(ag["timezone"]))
    console.print(a)
    m = Table(title=f"Routes and trips by mode on {s['date']}")
    m.add_column("mode")
    m.add_column("routes", justify="right")
    m.add_column("trips", justify="right")
    for mode in sorted(set(s["routes_by_mode"]) | set(s["trips_on_date_by_mode"])):
        m.add_row(mode, str(s["routes_by_mode"].get(mode, 0)), str(s["trips_on_date_by_mode"].get(mode, 0)))
    console.print(m)
    console.print(f"stops: {s['stops']}   stations: {s['stations']} ({s['stations_counted']})   "
                  f"service dates: {s['service_start']} … {s['service_end']}", highlight=False)
