"""`hbeu coverage`: the city x city circle matrix, transit beside road. Parsing and printing only."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .base import app
from .circle import DEFINITIONS, StepOption, WindowOption, WithinOption, num
from ..values import RouterOptions
from .common import (AreasOption, CacheOption, FeedOption, JsonOption, LangOption, ScenarioOption, console, err_console,
                     router_options)
from .journeys import _network, _show_notes
from .plan import DateOption
from .present import Column, check_lang, lang_result, name, print_table
from .table_output import FormatOption, output_option, show, table_output, write, wrote

#: Most places shown as a matrix; more are listed as pairs.
MATRIX_MAX = 14
PairsOutput = output_option("the pairs")


@app.command(help=f"""The one-hour circle for every ordered pair of cities (areas; stations with --by station): fastest, median, p10/p90, share of departure minutes within --within, direct departures, and the road side (coach timetable within --road-within, driving table) shown beside.

On the bundled feed: the four cities, rail against coach and car (data/spec/driving_times.csv). On any feed: every area (or --origin/--destination), all modes unless --modes; a road side with --road-modes and/or --road-times.

{DEFINITIONS}

Example: hbeu coverage --within 60 --road-within 120 --window 05:00-24:00 --png heatmap.png

Example: hbeu coverage --feed hart.zip --by station --workers 2 --format parquet -o hart.parquet

Example: hbeu coverage --compare all-planned --png before-after.png  (before/after/delta; --json prints {{"parameters", "notes", "summary", "pairs": [{{"origin", "destination", "before", "after", "delta", "change"}}], "metadata"}})

Exports (-o, --json) carry a metadata record: the parameters, the feeds (name, file, sha256, feed_version, publisher, dates), generated_at and the versions.
""")
@router_options
def coverage(
    origins: Annotated[str | None, typer.Option("--origin", help="Origin places, comma-separated (default: the "
                                                "region's cities, else every area).")] = None,
    destinations: Annotated[str | None, typer.Option("--destination", help="Destination places (default: as "
                                                     "origins).")] = None,
    within: WithinOption = 60,
    road_within: Annotated[float, typer.Option("--road-within", min=0.5, help="The road circle's radius in minutes.")] = 120,
    date: DateOption = None,
    window: WindowOption = "06:00-22:00",
    step: StepOption = 1,
    by: Annotated[str, typer.Option("--by", help="Places: area or station.")] = "area",
    road_times: Annotated[Path | None, typer.Option("--road-times", help="CSV of driving times: from_area,to_area,"
                                                    "minutes[,confidence,source] (default: the bundled table for "
                                                    "the bundled feed).")] = None,
    road_modes: Annotated[str | None, typer.Option("--road-modes", help="Mode families of the road side's "
                                                   "timetable, e.g. bus (default: bus on the bundled feed, else "
                                                   "none).")] = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="Run on a Dask LocalCluster of this many "
                                                "worker processes, at most one per CPU (pip install "
                                                "'hbeu-transit[dask]').")] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Run on an existing Dask cluster, e.g. "
                                                  "tcp://10.0.0.5:8786.")] = None,
    feed: FeedOption = None,
    scenario: ScenarioOption = None,
    areas: AreasOption = None,
    cache_dir: CacheOption = None,
    fmt: FormatOption = None,
    output: PairsOutput = None,
    png: Annotated[Path | None, typer.Option("--png", help="Write a heatmap of share within T, fastest in the cells (PNG; - for standard output).")] = None,
    compare: Annotated[list[str] | None, typer.Option("--compare", help="Before/after: also run with this scenario "
                                                      "(file or shipped name; repeatable, applied in order) and "
                                                      "show both and the difference.")] = None,
    json: JsonOption = False,
    lang: LangOption = "both",
    *,
    router: RouterOptions,
) -> None:
    from ..errors import InputError

    check_lang(lang)
    asked = table_output(output, fmt, json)
    kind, out = asked.kind, asked.out
    if workers is not None and scheduler is not None:
        raise InputError("give either --workers or --scheduler, not both")
    from .. import outputs

    png_t = outputs.target(png, "--png", {".png": "png"}, binary={"png"})
    # every output writable before the work starts; an output to `-` owns standard output
    given = outputs.check(out, png_t, printing=asked.printing)
    net = _network(feed, areas, cache_dir, scenario)
    kw = dict(within=within, road_within=road_within, date=date, window=window, step=step, options=router, by=by,
              road_times=str(road_times) if road_times is not None else "auto",
              road_modes=road_modes if road_modes is not None else "auto", workers=workers, scheduler=scheduler,
              provenance=asked.provenance)   # every export carries the run's record; the terminal tables do not
    if compare:
        _compare(net, compare, origins, destinations, kw, kind, out, png_t, lang)
        return
    if kind == "table" and sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(console=err_console(), transient=True) as bar:
            task = bar.add_task("origins", total=None)
            res = net.coverage_result(origins, destinations,
                                      progress=lambda d, n: bar.update(task, completed=d, total=n), **kw)
    else:
        res = net.coverage_result(origins, destinations, **kw)
    _show_notes(res.notes)
    if png_t is not None:
        with outputs.writing(png_t) as tmp:
            res.write_png(tmp, lang)
        wrote(png_t)
    to_dict, to_frame, meta = lang_result(res.to_dict, res.to_frame, res.metadata, lang, picks=True)
    if out is not None:
        write(to_dict, to_frame, meta, out)
        wrote(out, f" ({len(res.coverage)} pairs, {kind})")
    show(kind, out, given, to_dict, to_frame, meta, lambda: _tables(res, lang))


def _tables(res, lang: str) -> None:
    from rich.markup import escape

    c = res.coverage
    p = res.parameters
    console.print(escape(res.headline()), highlight=False)
    places = list(dict.fromkeys(list(c.origins) + list(c.destinations)))
    if len(places) > MATRIX_MAX:
        _pairs(res, lang)
        return
    names = {k: name(*res.names[k], lang) for k in places}
    cols = c.columns
    modes = "+".join(p.get("modes") or []) or "transit"

    def transit(k: int) -> str:
        cell = f"{num(cols['fastest_min'][k])} / {num(cols['share_within'][k], True)}"
        return f"[bold green]{cell}[/]" if cols["in_circle"][k] else cell

    def road(k: int) -> str:
        car = num(cols["drive_min"][k]) + (" EST" if cols["drive_confidence"][k] == "EST" else "")
        cell = f"{num(cols['road_fastest_min'][k])} / {car}"
        return f"[bold]{cell}[/]" if cols["in_road_circle"][k] else cell

    _matrix(c, names, f"{modes}, {p['date']} {p['window']}: fastest min / share of minutes ≤ {p['within']:g} "
            "(in the circle: green)", transit)
    if "in_road_circle" in cols:
        _matrix(c, names, f"road: coach fastest / car minutes (≤ {p['road_within']:g} in bold)", road)


def _matrix(c, names: dict[str, str], title: str, cell) -> None:
    """Origins x destinations, ``cell(row index)`` in each (blank on the diagonal); every column
    is a destination, so none is dropped: names fold instead."""
    from rich.markup import escape

    at = {(o, d): k for k, (o, d) in enumerate(zip(c.columns["origin"], c.columns["destination"]))}
    cols = [Column("from \\ to", wrap=True)] + [Column(escape(names[d]), justify="right", wrap=True, min_width=5)
                                                for d in c.destinations]
    body = [(escape(names[o]), *(cell(at[(o, d)]) if (o, d) in at else "" for d in c.destinations))
            for o in c.origins]
    print_table(console(), escape(title), cols, body)


def _pairs(res, lang: str, rows: int = 40) -> None:
    from rich.markup import escape

    n = len(res.coverage)
    recs = res.fastest(rows)
    T = res.parameters["within"]
    cols = [Column("from", wrap=True), Column("to", wrap=True), Column("fastest", justify="right"),
            Column("median", justify="right", priority=3), Column("p10–p90", justify="right", priority=1),
            Column(f"share ≤ {T:g}", justify="right"), Column("direct", justify="right", priority=2)]
    body = [(escape(name(*res.names[r["origin"]], lang)), escape(name(*res.names[r["destination"]], lang)),
             num(r["fastest_min"]), num(r["median_min"]), f"{num(r['p10_min'])}–{num(r['p90_min'])}",
             num(r["share_within"], True), str(r["direct_departures"])) for r in recs]
    print_table(console(), f"{n} ordered pairs, fastest first", cols, body)
    if n > rows:
        console.print(f"… {n - rows} more (all of them: -o FILE or --json)", highlight=False)


def _compare(net, scenarios: list[str], origins, destinations, kw: dict, kind: str, out, png_t, lang: str) -> None:
    """--compare: the before/after comparison, printed and written like the plain matrix (to the
    checked outputs ``out`` and ``png_t``)."""
    from .. import outputs

    cmp = net.compare_coverage(*scenarios, origins=origins, destinations=destinations, **kw)
    _show_notes(cmp.notes)
    to_dict, to_frame, meta = lang_result(cmp.to_dict, cmp.to_frame, cmp.metadata, lang)
    if png_t is not None:
        from ..compare_charts import comparison_png

        with outputs.writing(png_t) as tmp:
            comparison_png(cmp, tmp, lang)
        wrote(png_t)
    if out is not None:
        write(to_dict, to_frame, meta, out)
        wrote(out, f" ({len(cmp.pairs)} pairs, {kind})")
    show(kind, out, [t for t in (out, png_t) if t is not None], to_dict, to_frame, meta,
          lambda: _compare_table(cmp, lang))


def _compare_table(cmp, lang: str) -> None:
    from rich.markup import escape

    s, p = cmp.summary(), cmp.parameters
    T = p.get("within", 60)

    def place(label: str) -> str:
        return name(*cmp.names.get(label, (label, None)), lang)

    def pairs(change: str) -> str:  # the summary's entered / left pairs, named in --lang
        return ", ".join(f"{place(r['origin'])} -> {place(r['destination'])}" for r in cmp.pairs
                         if r["change"] == change)

    console.print(escape(f"{' + '.join(p.get('scenarios', []))}: {s['in_circle_before']} of {s['pairs']} ordered "
                         f"pairs inside the {T:g}-minute circle before, {s['in_circle_after']} after"
                         + (f"; entering: {pairs('enters')}" if s["entered"] else "")
                         + (f"; leaving: {pairs('leaves')}" if s["left"] else "")), highlight=False)
    cols = [Column("from", wrap=True), Column("to", wrap=True), Column("fastest", justify="right"),
            Column("saved", justify="right", priority=2), Column("median", justify="right", priority=3),
            Column("median saved", justify="right", priority=1, wrap=True, min_width=6), Column(f"share ≤ {T:g}", justify="right"),
            Column("circle", priority=4)]
    body = []
    for r in cmp.pairs:
        b, a, d = r["before"], r["after"], r["delta"]
        saved = lambda m: "-" if d[m] is None else ("0" if round(d[m]) == 0 else f"{-d[m]:+.0f}")  # noqa: E731
        body.append((escape(place(r["origin"])), escape(place(r["destination"])),
                     f"{num(b['fastest_min'])} → {num(a['fastest_min'])}", saved("fastest_min"),
                     f"{num(b['median_min'])} → {num(a['median_min'])}", saved("median_min"),
                     f"{num(b['share_within'], True)} → {num(a['share_within'], True)}",
                     {"enters": "[bold green]enters[/]", "leaves": "[bold red]leaves[/]", "in": "in",
                      "out": ""}[r["change"]]))
    print_table(console(), escape(f"{p.get('date', '')} {p.get('window', '')}: before → after (minutes saved)"),
                cols, body)
