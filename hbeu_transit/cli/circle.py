"""`hbeu circle`: one origin's one-hour circle over the day. Option parsing and printing only."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer

from .base import app
from ..values import RouterOptions
from .common import (AreasOption, CacheOption, FeedOption, JsonOption, LangOption, ScenarioOption, console,
                     router_options)
from .journeys import _network, _show_notes
from .plan import DateOption
from .present import Column, check_lang, lang_result, name, print_table
from .table_output import FormatOption, output_option, show, table_output, write, wrote

DEFINITIONS = (
    "Definitions, over the departure minutes of --window (every --step minutes): travel time at "
    "minute t = arrival of the earliest journey leaving at or after t, minus t (waiting included, as "
    "Conveyal R5); median, p10, p90 = nearest-rank percentiles of it, a minute without a journey "
    "counting as infinite; share = fraction of minutes with travel time <= --within; fastest = the "
    "shortest journey leaving in the window (no wait) that no later one beats; direct = trips boarded "
    "at the origin in the window reaching the destination without a change within --within. In the "
    "circle: fastest <= --within (always read the share too: one fast train a day is not a circle). "
    "A window may pass midnight (22:00-02:00 = until 26:00 of the service day); its times are wall-clock "
    "times of the date.")

WithinOption = Annotated[float, typer.Option("--within", min=0.5, help="T, the circle's radius in minutes.")]
WindowOption = Annotated[str, typer.Option("--window", help="Departure window HH:MM-HH:MM, wall-clock times of the date; may pass midnight (22:00-02:00 is until 26:00 of the service day); the whole day is 00:00-24:00.")]
StepOption = Annotated[float, typer.Option("--step", min=0.05, help="Minutes between sampled departures.")]
DestinationsOutput = output_option("every destination's row (the rows of --json)")


def num(v: Any, pct: bool = False) -> str:
    """A measure for a table cell: "-" when missing."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    return f"{v:.0%}" if pct else f"{v:.0f}"


def bar(share: float, width: int = 6) -> str:
    full = int(round(share * width))
    return "█" * full + "·" * (width - full)


@app.command(help=f"""One origin's travel-time circle: for every station (or area, --by area), the fastest journey, the median and 10th/90th percentile travel time over the day's departure minutes, the share of minutes within --within, and the direct departures.

{DEFINITIONS}

Example: hbeu circle 呼和浩特 --within 60 --window 06:00-22:00 --map circle.html --png circle.png

Example: hbeu circle Baotou --by area --date 2026-12-09 -o baotou.xlsx

Example: hbeu circle 呼和浩特 --format csv -o -  (every destination as CSV on standard output)

Exports (-o, --json) carry a metadata record: the parameters, the feeds (name, file, sha256, feed_version, publisher, dates), generated_at and the versions.
""")
@router_options
def circle(
    origin: Annotated[str, typer.Argument(help="Station, stop_id or city (zh/en/pinyin).")],
    within: WithinOption = 60,
    date: DateOption = None,
    window: WindowOption = "06:00-22:00",
    step: StepOption = 1,
    by: Annotated[str, typer.Option("--by", help="Destinations: station or area.")] = "station",
    feed: FeedOption = None,
    scenario: ScenarioOption = None,
    areas: AreasOption = None,
    cache_dir: CacheOption = None,
    map_: Annotated[Path | None, typer.Option("--map", help="Write an offline HTML map (folium); - for standard output.")] = None,
    png: Annotated[Path | None, typer.Option("--png", help="Write a chart of travel time through the day (PNG); - for "
                                             "standard output (not a terminal).")] = None,
    tiles: Annotated[str | None, typer.Option("--tiles", help="Base map tile URL template for --map, e.g. a "
                                              "local tile server's http://host/{z}/{x}/{y}.png (default: none).")] = None,
    rows: Annotated[int, typer.Option("--rows", min=1, help="Destinations shown in the table.")] = 40,
    fmt: FormatOption = None,
    output: DestinationsOutput = None,
    json: JsonOption = False,
    lang: LangOption = "both",
    *,
    router: RouterOptions,
) -> None:
    from .. import outputs

    check_lang(lang)
    asked = table_output(output, fmt, json)
    map_t = outputs.target(map_, "--map", {".html": "html", ".htm": "html"})
    png_t = outputs.target(png, "--png", {".png": "png"}, binary={"png"})
    # every output writable before the work starts; `--map -` / `--png -` own standard output
    given = outputs.check(asked.out, map_t, png_t, printing=asked.printing)
    net = _network(feed, areas, cache_dir, scenario)
    res = net.circle_result(origin, within=within, date=date, window=window, step=step, by=by, options=router,
                            provenance=asked.provenance)   # every export carries the run's record; the table does not
    _show_notes(res.notes)
    for target, write_picture in ((map_t, lambda p, lang: res.write_map(p, tiles, lang=lang)), (png_t, res.write_png)):
        if target is not None:
            with outputs.writing(target) as tmp:
                write_picture(tmp, lang)
            wrote(target)
    to_dict, to_frame, meta = lang_result(res.to_dict, res.to_frame, res.metadata, lang, res.origin)
    if asked.out is not None:
        write(to_dict, to_frame, meta, asked.out)
        wrote(asked.out, f" ({len(res.rows)} {res.parameters['by']}s, {asked.kind})")
    show(asked.kind, asked.out, given, to_dict, to_frame, meta, lambda: _table(res, rows, lang))


def _table(res, rows: int, lang: str) -> None:
    from rich.markup import escape

    p = res.parameters
    T = p["within_min"]
    inside = sum(1 for r in res.rows if r["in_circle"])
    origin = res.origin.label_in(lang) if res.origin is not None else p["origin"]["label"]
    title = (f"From {origin}, {p['date']} {p['window']} every {p['step_min']:g} min: "
             f"{inside} of {len(res.rows)} {p['by']}s inside the {T:g}-minute circle")
    cols = (Column("to", wrap=True), Column("area", wrap=True, priority=1), Column("fastest", justify="right"),
            Column("median", justify="right", priority=4), Column("p10–p90", justify="right", priority=2),
            Column(f"share ≤ {T:g}"), Column("direct", justify="right", priority=3),
            Column("in", justify="center", priority=5))
    body = [(escape(name(r["destination_name"], r["destination_name_en"], lang)),
             escape(name(r["area"], r.get("area_en"), lang) if r["area"] else ""),
             num(r["fastest_min"]), num(r["median_min"]), f"{num(r['p10_min'])}–{num(r['p90_min'])}",
             f"{bar(r['share_within'])} {num(r['share_within'], True)}", str(r["direct_departures"]),
             "✓" if r["in_circle"] else "") for r in res.rows[:rows]]
    print_table(console(), escape(title), cols, body)
    if len(res.rows) > rows:
        console.print(f"… {len(res.rows) - rows} more (all of them: --json, or --rows)", highlight=False)
