"""`hbeu freq`: frequency tables and analyst exports. Option parsing and printing only."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from .base import app
from ..network import Network
from .common import (AreasOption, CacheOption, FeedOption, JsonOption, LangOption, ScenarioOption, console,
                     err_console)
from .present import Column, check_lang, lang_frame, name, print_table, show_notes
from .table_output import refuse_json_with_format


def escape(text: str) -> str:
    from rich.markup import escape as _escape

    return _escape(text)


class By(str, Enum):
    route = "route"
    od = "od"
    stop = "stop"
    hour = "hour"


_SPARK = " ▁▂▃▄▅▆▇█"
_PREVIEW_DROP = ("route_long_name", "origin_id", "destination_id", "station_id")
#: Short headers for the terminal preview (exports keep the snake_case names).
_SHORT = {"route_id": "route", "route_short_name": "name", "trips_per_day": "trips/day",
          "departures_per_day": "dep/day", "per_weekday": "wkday", "per_saturday": "sat",
          "per_sunday": "sun", "per_holiday": "hol", "first_departure": "first", "last_departure": "last",
          "headway_min": "hw min", "headway_mean": "hw mean", "headway_max": "hw max",
          "peak_trips_per_hour": "peak/h", "peak_hour": "peak h", "service_span_h": "span h",
          "fastest_min": "fastest", "median_min": "median", "window_departures_per_day": "in window",
          "trips_started": "trips started", "origin": "from", "destination": "to"}


def _spark(values) -> str:
    top = max(values) if len(values) else 0
    if top <= 0:
        return " " * len(values)
    return "".join(_SPARK[0 if v <= 0 else max(1, round(v / top * 8))] for v in values)


def _num(v) -> str:
    import math

    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if isinstance(v, float):
        return f"{v:.0f}" if v == int(v) else f"{v:.2f}".rstrip("0")
    text = str(v)
    if len(text) == 8 and text[2] == ":" and text[5] == ":" and text.endswith(":00"):
        return text[:5]  # HH:MM:SS on the minute -> HH:MM
    return text


#: Columns a narrow terminal gives up first (lower goes first); names and the day's count stay.
def _priority(c: str) -> int | None:
    if c in ("route_id", "route_short_name", "origin", "destination", "station", "hour", "trips_per_day",
             "departures_per_day", "total"):
        return None
    if c.startswith("per_"):
        return 1
    return {"area": 5, "mode": 6, "routes": 4, "fastest_min": 7, "median_min": 3}.get(c, 2)


def _preview(df, meta: dict, rows: int, lang: str) -> None:
    """A table of the first rows (names in ``lang``: with both, one cell "包头 Baotou"); hourly
    columns folded into one sparkline; what does not fit the terminal is dropped in a stated
    order (``_priority``) and named below the table."""
    hours = [c for c in df.columns if len(c) == 3 and c[0] == "h" and c[1:].isdigit()]
    folded = {"first_departure", "last_departure", "headway_min", "headway_mean", "headway_max"}
    twins = {f"{c}_en" for c in df.columns if f"{c}_en" in df.columns}
    cols = [c for c in df.columns if c not in hours and c not in _PREVIEW_DROP and c not in folded and c not in twins]
    span_col = "first_departure" in df.columns
    hw_col = "headway_mean" in df.columns
    if "area" in cols and "station" in df and df["area"].tolist() == df["station"].tolist():
        cols.remove("area")  # a feed without areas: every station is its own
    days = meta["days"]
    span = meta["date_from"] if days == 1 else f"{meta['date_from']} … {meta['date_to']} ({days} days)"
    title = f"hbeu freq --by {meta['by']} · {span} · {meta['clock']} clock"
    if meta.get("coverage_note"):
        title += f" · only the days the feeds cover (asked {meta['requested_from']} … {meta['requested_to']})"
    spec = []
    for c in cols:
        numeric = df[c].dtype.kind in "if"
        spec.append(Column(_SHORT.get(c, c), priority=_priority(c), justify="right" if numeric else "left",
                           wrap=not numeric and not c.endswith("_id")))
    if span_col:
        spec.append(Column("first–last", priority=3))
    if hw_col:
        spec.append(Column("headway min/mean/max", justify="right", priority=2))
    if hours:
        spec.append(Column(f"per hour {hours[0][1:]}–{hours[-1][1:]}", priority=0))
    body = []
    names = df.columns
    for rec in df.rows(rows):
        d = dict(zip(names, rec))
        if "route_short_name" in d and _num(d["route_short_name"]) == "-":
            d["route_short_name"] = d.get("route_long_name")
        cells = [escape(name(_num(d[c]), d.get(f"{c}_en"), lang) if f"{c}_en" in twins else _num(d[c]))
                 for c in cols]
        if span_col:
            cells.append(f"{_num(d['first_departure'])}–{_num(d['last_departure'])}")
        if hw_col:
            cells.append("/".join(_num(d[c]) for c in ("headway_min", "headway_mean", "headway_max")))
        if hours:
            cells.append(_spark([d[h] for h in hours]))
        body.append(cells)
    print_table(console(), escape(title), spec, body, header_style="bold")
    if len(df) > rows:
        console.print(f"… {len(df) - rows} more rows (all rows: -o FILE, or --rows)", highlight=False)
    by_type = meta.get("days_by_type") or {}
    if days > 1:
        console.print("days: " + ", ".join(f"{k} {v}" for k, v in by_type.items())
                      + "; per-day figures average over all days, per_<type> columns over the days of "
                        "each type", highlight=False)


@app.command()
def freq(
    feed: FeedOption = None,
    scenario: ScenarioOption = None,
    by: Annotated[By, typer.Option("--by", help="route, od (city or station pairs), stop (stations) or hour (network).")] = By.route,
    date: Annotated[str | None, typer.Option(help="One service date YYYY-MM-DD (default: today or the next service date).")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="First date of a range (with --to).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last date of a range (inclusive).")] = None,
    day_type: Annotated[str | None, typer.Option("--day-type", help="Keep only these day types of the range: weekday,saturday,sunday,holiday.")] = None,
    window: Annotated[str | None, typer.Option(help="HH:MM-HH:MM: headway window for --by route (default 07:00-19:00); adds window_departures_per_day to od/stop. An end at or before the start runs past midnight: 22:00-02:00 is 22:00-26:00, the night after each date; the whole day is 00:00-24:00.")] = None,
    modes: Annotated[str | None, typer.Option(help="Only these modes, comma-separated: rail,bus,tram,subway,ferry... (rail: every train; high_speed_rail: route_type 101 only).")] = None,
    clock: Annotated[str, typer.Option(help="calendar: each date's wall clock (24:30 counts in hour 00 of the next day); service: GTFS times as written (hour 24 of the service day).")] = "calendar",
    holidays: Annotated[str, typer.Option(help="Holiday/peak days: auto (dates where calendar_dates adds service beyond the weekly pattern), none, or a list of dates.")] = "auto",
    stations: Annotated[bool, typer.Option("--stations", help="--by od between stations rather than cities/areas.")] = False,
    origin: Annotated[str | None, typer.Option(help="--by od: only these origins (area/station names or ids, comma-separated).")] = None,
    destination: Annotated[str | None, typer.Option(help="--by od: only these destinations (comma-separated).")] = None,
    combine: Annotated[bool, typer.Option("--combine", help="--by od: count the destinations as one (a trip serving two counts once).")] = False,
    areas: AreasOption = None,
    cache_dir: CacheOption = None,
    fmt: Annotated[str | None, typer.Option("--format", help="table, csv, parquet, xlsx, json or md (default: from -o's extension, else table).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the whole table here (atomically); - for standard output (CSV unless --format).")] = None,
    png: Annotated[Path | None, typer.Option("--png", help="Also draw a chart (PNG; - for standard output).")] = None,
    rows: Annotated[int, typer.Option(min=1, help="Rows in the terminal preview.")] = 30,
    json: JsonOption = False,
    lang: LangOption = "both",
) -> None:
    """Service frequency tables: trips and departures per day and per hour, headways, run times.

    Date ranges: one column per day type (per_weekday, per_saturday, per_sunday, per_holiday).

    Holiday/peak days: dates where calendar_dates.txt adds service beyond the weekly pattern.

    --clock calendar: a 24:30 departure counts in hour 00 of the next day (service: hour 24). Calendar hours are the date's wall clock: the nights the clocks change, the repeated autumn hour holds both passes and the skipped spring hour is empty (GTFS times before 02:00 are an hour off it then).

    --window 22:00-02:00 runs past midnight (22:00-26:00): calendar clock, 22:00 on each date to 02:00 next morning; service clock, each service day's 22:00-26:00 (as gtfs-kit).

    Exports carry a metadata record and are written atomically; frequencies.txt is expanded.

    Example: hbeu freq --by od --from 2026-12-01 --to 2026-12-31 --modes rail -o december.xlsx

    Example: hbeu freq --by od --date 2026-12-02 --origin Hohhot --destination Baotou,Ordos,Ulanqab --combine

    Example: hbeu freq --by hour --from 2027-01-23 --to 2027-03-03 --png chunyun.png
    """
    from .. import outputs
    from ..export import (BINARY_FORMATS, EXTENSIONS, FILE_FORMATS, csv_text, deliver_table, format_for,
                          json_document_text, markdown)

    check_lang(lang)
    refuse_json_with_format(fmt, json)
    if json:
        fmt = "json"
    kind = format_for(output, fmt, stdout="csv", fmt_flag="--json" if json else None)
    if output is not None and kind == "table":
        raise InputError("--format table is the terminal preview; pick a file format for -o: "
                         + ", ".join(FILE_FORMATS))
    if output is None and kind in BINARY_FORMATS:
        raise InputError(f"--format {kind} is binary: give a file with -o (or -o - to pipe it)")
    out = outputs.target(output, "-o", EXTENSIONS, fmt=kind if output is not None else None,
                         default="csv", binary=BINARY_FORMATS)
    chart = outputs.target(png, "--png", {".png": "png"}, binary={"png"})
    # every output writable before the work starts; an output to `-` owns standard output
    given = outputs.check(out, chart, printing=None if output is not None or kind == "table" else f"--format {kind}")
    preview = not outputs.owns_stdout(given)
    notes: list[str] = []
    with _progress() as progress:
        df = Network(feed, areas=areas, cache_dir=cache_dir, scenarios=scenario).frequency_table(
            by.value, date=date, start=from_, end=to, window=window, modes=modes, day_types=day_type,
            clock=clock, holidays=holidays, stations=stations, origins=origin, destinations=destination,
            combine=combine, progress=progress, notes=notes, provenance=kind != "table" or png is not None)
    df = lang_frame(df, lang)
    meta = df.attrs["metadata"]
    show_notes(notes)
    if out is not None:
        deliver_table(df, meta, out)
        if preview:
            _preview(df, meta, rows, lang)
        if not out.to_stdout:
            err_console.print(f"wrote {output} ({len(df)} rows, {out.fmt})")
    elif kind == "table":
        if preview:
            _preview(df, meta, rows, lang)
    elif kind == "csv":
        sys.stdout.write(csv_text(df))
    elif kind == "json":
        sys.stdout.write(json_document_text(df, meta))
    elif kind == "md":
        sys.stdout.write(markdown(df, meta))
    if png is not None:
        from ..charts import freq_chart

        with outputs.writing(chart) as tmp:
            freq_chart(df.to_pandas(), meta, tmp)
        if not chart.to_stdout:
            err_console.print(f"wrote {chart.label}")


@contextmanager
def _progress(min_days: int = 32):
    """A progress callback for long reports: a rich bar on a terminal once there are at least
    ``min_days`` dates, nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    state: dict = {}

    def update(done: int, total: int) -> None:
        if total < min_days:
            return
        if "bar" not in state:
            from rich.progress import Progress

            state["bar"] = Progress(console=err_console(), transient=True)
            state["bar"].start()
            state["task"] = state["bar"].add_task("dates", total=total)
        state["bar"].update(state["task"], completed=done)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].stop()
