"""`hbeu info`: a summary of the loaded feeds."""

from __future__ import annotations

from typing import Annotated

import typer

from .base import app
from .common import CacheOption, FeedOption, JsonOption, LangOption, console, err_console, print_json


@app.command()
def info(
    feed: FeedOption = None,
    date: Annotated[str | None, typer.Option(help="Service date YYYY-MM-DD for trip counts (default: today, or the next service date).")] = None,
    cache_dir: CacheOption = None,
    json: JsonOption = False,
    lang: LangOption = "both",
) -> None:
    """Summarise the feeds: agencies, stops and stations, routes by mode, trips per day, dates.

    Example: hbeu info --feed gtfs.zip --date 2026-12-01
    """
    from ..network import Network
    from .present import Column, check_lang, name, print_table, show_notes

    check_lang(lang)
    notes: list[str] = []
    with err_console.status("reading the feeds…"):
        s = Network(feed, cache_dir=cache_dir).summary(date, notes=notes)
    show_notes(notes)
    if json:
        print_json(s)
        return
    from rich.markup import escape
    longest = max((len(fd["name"]) for fd in s["feeds"]), default=0)  # a feed's name is kept whole where it can be
    print_table(console(), "Feeds",
                [Column("feed", wrap=True, min_width=min(longest, 24)), Column("version", wrap=True, priority=3),
                 Column("publisher", wrap=True, priority=1), Column("id prefix", priority=2),
                 Column("valid from"), Column("valid to")],
                [(fd["name"], fd["feed_version"] or "-", fd["publisher"] or "-", fd["id_prefix"] or "-",
                  fd["start_date"] or "-", fd["end_date"] or "-") for fd in s["feeds"]])
    print_table(console(), "Agencies", [Column("agency_id", priority=1), Column("name", wrap=True),
                                        Column("timezone")],
                [(str(ag["agency_id"] or "-"), escape(name(ag["name"], ag.get("name_en"), lang)), str(ag["timezone"]))
                 for ag in s["agencies"]])
    print_table(console(), f"Routes and trips by mode on {s['date']}",
                [Column("mode"), Column("routes", justify="right"), Column("trips", justify="right")],
                [(mode, str(s["routes_by_mode"].get(mode, 0)), str(s["trips_on_date_by_mode"].get(mode, 0)))
                 for mode in sorted(set(s["routes_by_mode"]) | set(s["trips_on_date_by_mode"]))])
    console.print(f"stops: {s['stops']}   stations: {s['stations']} ({s['stations_counted']})   "
                  f"service dates: {s['service_start']} … {s['service_end']}", highlight=False)
