"""`hbeu plan`, `hbeu stations`, `hbeu departures`, `hbeu commute`: the traveller's commands.

A warm cache must answer in well under half a second, so this module and everything it imports
on that path (places, analysis.plan, timetable, router) use numpy and the standard library
only; the feed layer (pandas, gtfs-kit) is imported only when a cache must be built.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import InputError
from .app import app
from .common import (AreasOption, FeedOption, JsonOption, areas_file, console, err_console, feed_paths, parse_date,
                     print_json)

CacheOption = Annotated[
    Path | None,
    typer.Option("--cache-dir", help="Where compiled timetables and the station index are kept "
                 "(default: $HBEU_CACHE_DIR or ~/.cache/hbeu-transit)."),
]
DateOption = Annotated[
    str | None,
    typer.Option("--date", help="Service date YYYY-MM-DD (default: today when the feeds run today, "
                 "else the next date they do)."),
]
MaxTransfersOption = Annotated[
    int | None, typer.Option("--max-transfers", min=0, help="At most this many changes of vehicle."),
]
ModesOption = Annotated[
    str | None, typer.Option("--modes", help="Only these mode families, comma-separated, e.g. rail,bus."),
]
TransferOption = Annotated[
    float | None,
    typer.Option("--transfer-minutes", min=0, help="Minutes to change vehicle at a stop (default: by "
                 "mode, rail 10, bus 3; transfers.txt wins)."),
]
WalkOption = Annotated[
    float | None,
    typer.Option("--walk-meters", min=0, help="Also walk between stops up to this straight-line distance."),
]


# --------------------------------------------------------------------------- shared steps

def _console(stderr: bool = False):
    """The shared lazy consoles (rich is loaded only when something is printed as a table)."""
    return err_console if stderr else console


def _feed_paths(feeds: list[Path] | None) -> list[Path]:
    """The user's feeds (which must exist), or the bundled ones."""
    for p in feeds or ():
        if not Path(p).exists():
            raise InputError(f"no such feed {str(p)!r}")
    return feed_paths(feeds)


def _cache(cache_dir: Path | None) -> Path:
    from ..timetable import default_cache_dir

    return Path(cache_dir) if cache_dir is not None else default_cache_dir()


class _Feeds:
    """The merged feeds of one command, read at most once: on a cold cache the place index and
    every date's timetable are built from the same read. ``area_csv``: the --areas file, which
    both the place index and the timetables group stops by (and key their caches on)."""

    def __init__(self, paths: list[Path], area_csv: Path | None = None):
        self.paths, self.area_csv, self._feed = paths, areas_file(area_csv), None

    def __call__(self):
        if self._feed is None:
            from ..feed import load_feeds
            from .common import announce

            self._feed = load_feeds(list(self.paths))
            announce(self._feed)
        return self._feed


def _index(feeds: _Feeds, cache_dir: Path):
    from ..places import load_index

    return load_index(feeds.paths, cache_dir, feed_loader=feeds, area_csv=feeds.area_csv)


def _options(modes: str | None, transfer_minutes: float | None, walk_meters: float | None) -> dict[str, Any]:
    opts: dict[str, Any] = {}
    if modes:
        fams = sorted({m.strip().lower() for m in modes.split(",") if m.strip()})
        if not fams:
            raise InputError(f"no mode in --modes {modes!r}; e.g. --modes rail,bus")
        opts["modes"] = fams
    if transfer_minutes is not None:
        opts["transfer_minutes"] = transfer_minutes
    if walk_meters is not None:
        opts["walk_meters"] = walk_meters
    return opts


def _timetable(feeds: _Feeds, day: dt.date, cache_dir: Path, opts: dict[str, Any]):
    from ..timetable import load_timetable

    return load_timetable(feeds.paths, day, cache_dir=cache_dir, feed_loader=feeds, area_csv=feeds.area_csv,
                          **opts)


def _service_date(idx, date: str | None, notes: list[str]) -> tuple[dt.date, bool]:
    """The date to plan on and whether it is today (then "now" is the default time)."""
    from ..analysis.plan import now_in

    today = now_in(idx.timezone).date()
    day = _day(date)
    if day is None:
        day, note = idx.default_date(today)
        if note:
            notes.append(note)
    elif day.isoformat() not in idx.service_dates:
        notes.append(f"the feeds run no trips on {day.isoformat()}")
    return day, day == today


def _day(text: str | None) -> dt.date | None:
    """--date: ISO dates directly (common.parse_date's strptime costs an import on the fast
    path), anything else through it for the same error message."""
    if text is not None:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    return parse_date(text)


def _clock(text: str, what: str) -> int:
    """An option's HH:MM as seconds; the error names the option."""
    from ..feed import parse_clock  # pandas-free

    try:
        return parse_clock(text)
    except InputError:
        raise InputError(f"impossible time {text!r} for {what}: expected HH:MM (00:00-47:59), "
                         "e.g. 08:30") from None


def _show_notes(notes: list[str]) -> None:
    from rich.markup import escape

    for n in notes:
        _console(stderr=True).print(f"[yellow]note:[/] {escape(n)}", highlight=False)


def _place_json(p) -> dict[str, Any]:
    return {"query": p.query, "label": p.label, "kind": p.kind, "stop_ids": list(p.stop_ids)}


def _hm(iso: str | None, day: str) -> str:
    from ..analysis.plan import clock

    return clock(iso, day) if iso else "-"


def _fare(f: dict[str, Any] | None) -> str:
    if not f:
        return "-"
    sym = {"CNY": "¥", "USD": "$", "EUR": "€"}.get(f["currency"])
    return f"{sym}{f['amount']:.2f}" if sym else f"{f['amount']:.2f} {f['currency']}"


def _name(zh: str | None, en: str | None) -> str:
    if en and zh and en.casefold() != zh.casefold():
        return f"{zh} {en}"
    return zh or en or "-"


def _leg_cells(leg: dict[str, Any], day: str) -> tuple[str, str, str]:
    from rich.markup import escape

    what = f"{escape(leg['name'])} [dim]{_mode(leg['mode'])}[/]" if leg["trip"] \
        else f"[dim]{leg['mode']} {leg['duration_min']} min[/]"
    frm = f"{_hm(leg['departure'], day)} {escape(_name(leg['from_name'], leg['from_name_en']))}"
    to = f"{_hm(leg['arrival'], day)} {escape(_name(leg['to_name'], leg['to_name_en']))}"
    return what, frm, to


def _mode(mode: str) -> str:
    """Short mode names for narrow tables."""
    return {"high_speed_rail": "HSR"}.get(mode, mode)


def _journeys_table(title: str, journeys: list[dict[str, Any]], day: str):
    from rich.table import Table

    from ..analysis.plan import format_duration

    t = Table(title=title, title_justify="left", show_lines=False)
    for col, kw in (("#", {"justify": "right"}), ("depart", {}), ("arrive", {}), ("time", {"justify": "right"}),
                    ("chg", {"justify": "right"}), ("fare", {"justify": "right"}), ("train / bus", {}),
                    ("from", {"overflow": "fold"}), ("to", {"overflow": "fold"})):
        t.add_column(col, **kw)
    for n, j in enumerate(journeys, 1):
        legs = j["legs"] or [None]
        for k, leg in enumerate(legs):
            cells = _leg_cells(leg, day) if leg else ("", "", "")
            head = (str(n), _hm(j["departure"], day), _hm(j["arrival"], day),
                    format_duration(j["duration_min"] * 60), str(j["transfers"]), _fare(j["fare"])) if k == 0 \
                else ("",) * 6
            t.add_row(*head, *cells)
        if n < len(journeys):
            t.add_section()
    return t


# --------------------------------------------------------------------------- plan

@app.command()
def plan(
    from_: Annotated[str, typer.Argument(metavar="FROM", help="Origin: stop_id, station name (zh/en/pinyin) or city.")],
    to: Annotated[str, typer.Argument(metavar="TO", help="Destination: stop_id, station name or city.")],
    date: DateOption = None,
    depart: Annotated[str | None, typer.Option("--depart", help="Leave at or after HH:MM (default: now "
                                               "when planning for today, else 00:00).")] = None,
    arrive_by: Annotated[str | None, typer.Option("--arrive-by", help="Arrive by HH:MM (the latest journey that does).")] = None,
    window: Annotated[str | None, typer.Option("--window", help="Every worthwhile journey leaving in this "
                                               "span after --depart (or arriving in it before --arrive-by), e.g. 2h.")] = None,
    num: Annotated[int | None, typer.Option("--num", min=1, help="Without --window: show at least this many "
                                            "journeys, adding later ones (earlier with --arrive-by) "
                                            "(default: 3).")] = None,
    max_transfers: MaxTransfersOption = None,
    modes: ModesOption = None,
    transfer_minutes: TransferOption = None,
    walk_meters: WalkOption = None,
    feed: FeedOption = None,
    areas: AreasOption = None,
    cache_dir: CacheOption = None,
    json: JsonOption = False,
) -> None:
    """Plan journeys between two stations or cities: depart, arrive, duration, changes, trains, fare.

    Without --window: the fastest journey of the first departure and every slower one with fewer changes, then later journeys (earlier ones with --arrive-by) until --num are shown. Times may pass midnight (shown as 00:40+1).

    Example: hbeu plan 包头 "Hohhot East" --depart 07:00 --window 3h
    """
    from ..analysis.plan import (PlanQuery, journey_dict, now_in, parse_duration, seconds_of_day,
                                 stop_indices, to_iso)
    from ..analysis.plan import plan as run_plan

    if depart is not None and arrive_by is not None:
        raise InputError("give either --depart or --arrive-by, not both")
    dep_s = _clock(depart, "--depart") if depart is not None else None
    arr_s = _clock(arrive_by, "--arrive-by") if arrive_by is not None else None
    win = parse_duration(window) if window is not None else None
    if win is not None and num is not None:
        raise InputError("--num is for plans without --window (a window lists every worthwhile journey in it)")
    num = 3 if num is None and win is None else num
    opts = _options(modes, transfer_minutes, walk_meters)
    feeds = _Feeds(_feed_paths(feed), areas)
    cache = _cache(cache_dir)
    idx = _index(feeds, cache)
    origin, dest = idx.resolve(from_), idx.resolve(to)
    notes = [p.note for p in (origin, dest) if p.note]
    day, is_today = _service_date(idx, date, notes)
    if dep_s is None and arr_s is None:
        dep_s = seconds_of_day(now_in(idx.timezone)) if is_today else 0
    tt = _timetable(feeds, day, cache, opts)
    q = PlanQuery(stop_indices(tt, origin), stop_indices(tt, dest), depart=dep_s, arrive_by=arr_s,
                  window=win, max_transfers=max_transfers, num=num or 1)
    journeys = [journey_dict(tt, idx, j) for j in run_plan(tt, q)]
    _show_notes(notes)
    if json:
        print_json({
            "query": {"from": _place_json(origin), "to": _place_json(dest), "date": tt.date,
                      "timezone": tt.timezone,
                      "depart": to_iso(tt.date, tt.timezone, dep_s) if dep_s is not None else None,
                      "arrive_by": to_iso(tt.date, tt.timezone, arr_s) if arr_s is not None else None,
                      "window_min": win // 60 if win is not None else None, "num": num,
                      "max_transfers": max_transfers, "modes": opts.get("modes")},
            "notes": notes, "journeys": journeys})
        return
    when = f"leaving after {_hm(to_iso(tt.date, tt.timezone, dep_s), tt.date)}" if dep_s is not None \
        else f"arriving by {_hm(to_iso(tt.date, tt.timezone, arr_s), tt.date)}"
    day_name = dt.date.fromisoformat(tt.date).strftime("%a %Y-%m-%d")
    title = f"{origin.label} → {dest.label}, {day_name}, {when}"
    if not journeys:
        _console().print(f"{title}: no journey found", highlight=False)
        return
    _console().print(_journeys_table(title, journeys, tt.date))


# --------------------------------------------------------------------------- stations

@app.command()
def stations(
    query: Annotated[str | None, typer.Argument(help="A name (zh/en/pinyin, part of one, or a city); all stations when omitted.")] = None,
    feed: FeedOption = None,
    areas: AreasOption = None,
    cache_dir: CacheOption = None,
    json: JsonOption = False,
) -> None:
    """List stations with their ids, names (published and English), city and modes.

    Example: hbeu stations Hohhot
    """
    feeds = _Feeds(_feed_paths(feed), areas)
    idx = _index(feeds, _cache(cache_dir))
    found = idx.search(query)
    if not found and query:  # exit 2 in JSON mode too, so scripts notice
        sugg = idx.suggest(query)
        raise InputError(f"no station matches {query!r}" + (f"; did you mean: {', '.join(sugg)}?" if sugg else ""))
    if json:
        print_json({"stations": [{"stop_id": s.id, "name": s.name, "names": s.names, "city": s.area,
                                  "city_id": s.area_id, "modes": s.modes, "stop_ids": s.stops,
                                  "lat": s.lat, "lon": s.lon} for s in found]})
        return
    from rich.table import Table

    t = Table(title=f"{len(found)} station(s)" + (f" matching {query!r}" if query else ""), title_justify="left")
    for col in ("stop_id", "name", "English", "city", "modes", "stops"):
        t.add_column(col, justify="right" if col == "stops" else "left")
    for s in found:
        t.add_row(s.id, s.name, _pick_en(s.names) or "", idx.area_label(s.area_id), ",".join(s.modes), str(len(s.stops)))
    _console().print(t)


def _pick_en(names: dict[str, str]) -> str | None:
    from ..places import pick_translation

    return pick_translation(names, "en")


# --------------------------------------------------------------------------- departures

@app.command()
def departures(
    station: Annotated[str, typer.Argument(help="Stop_id, station name (zh/en/pinyin) or city.")],
    date: DateOption = None,
    from_: Annotated[str | None, typer.Option("--from", help="From HH:MM (default: now for today, else 00:00).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Until HH:MM (default: the end of the service day).")] = None,
    modes: ModesOption = None,
    feed: FeedOption = None,
    areas: AreasOption = None,
    cache_dir: CacheOption = None,
    json: JsonOption = False,
) -> None:
    """A departure board: every trip leaving the station (one line per trip), with its destination.

    Example: hbeu departures 包头站 --date 2026-12-01 --from 07:00 --to 10:00
    """
    from ..analysis.plan import departure_board, now_in, seconds_of_day, stop_indices
    from ..feed import format_clock

    start = _clock(from_, "--from") if from_ is not None else None
    end = _clock(to, "--to") if to is not None else 48 * 3600
    opts = _options(modes, None, None)
    feeds = _Feeds(_feed_paths(feed), areas)
    cache = _cache(cache_dir)
    idx = _index(feeds, cache)
    place = idx.resolve(station)
    notes = [place.note] if place.note else []
    day, is_today = _service_date(idx, date, notes)
    if start is None:
        start = seconds_of_day(now_in(idx.timezone)) if is_today else 0
    if end < start:
        raise InputError(f"--to {to} is before --from {format_clock(start)}")
    tt = _timetable(feeds, day, cache, opts)
    rows = departure_board(tt, idx, stop_indices(tt, place), start, end)
    _show_notes(notes)
    if json:
        print_json({"station": _place_json(place), "date": tt.date, "timezone": tt.timezone,
                    "from": _iso(tt, start), "to": _iso(tt, end), "notes": notes, "departures": rows})
        return
    from rich.markup import escape
    from rich.table import Table

    title = (f"Departures from {place.label}, {dt.date.fromisoformat(tt.date).strftime('%a %Y-%m-%d')} "
             f"{format_clock(start)}–{format_clock(end) if to is not None else 'end of day'}")
    if not rows:
        _console().print(f"{title}: no departures", highlight=False)
        return
    t = Table(title=escape(title), title_justify="left")
    for col in ("time", "train / bus", "mode", "to", "from stop"):
        t.add_column(col)
    for r in rows:
        t.add_row(_hm(r["departure"], tt.date), escape(r["name"]), _mode(r["mode"]),
                  escape(_name(r["headsign"], r["destination_name_en"] if r["headsign"] == r["destination_name"] else None)),
                  escape(f"{r['from_name']} [{r['from_stop']}]"))
    _console().print(t)


def _iso(tt, seconds: int) -> str:
    from ..analysis.plan import to_iso

    return to_iso(tt.date, tt.timezone, seconds)


# --------------------------------------------------------------------------- commute

@app.command()
def commute(
    home: Annotated[str, typer.Argument(help="Where you live: stop_id, station name or city.")],
    work: Annotated[str, typer.Argument(help="Where you work: stop_id, station name or city.")],
    arrive_by: Annotated[str, typer.Option("--arrive-by", help="Be at work by HH:MM.")] = "09:00",
    leave_after: Annotated[str, typer.Option("--leave-after", help="Leave work at or after HH:MM.")] = "18:00",
    days: Annotated[int, typer.Option("--days", min=1, max=31, help="How many service days to show.")] = 5,
    date: Annotated[str | None, typer.Option("--date", help="First day YYYY-MM-DD (default: today).")] = None,
    max_transfers: MaxTransfersOption = None,
    modes: ModesOption = None,
    transfer_minutes: TransferOption = None,
    walk_meters: WalkOption = None,
    feed: FeedOption = None,
    areas: AreasOption = None,
    cache_dir: CacheOption = None,
    json: JsonOption = False,
) -> None:
    """For each of the next service days: the latest morning journey arriving by --arrive-by and the earliest evening return leaving after --leave-after, each with the next alternative.

    Example: hbeu commute 包头 "Hohhot East" --arrive-by 09:00 --leave-after 18:00
    """
    from ..analysis.plan import commute_day, now_in, stop_indices

    arr_s = _clock(arrive_by, "--arrive-by")
    leave_s = _clock(leave_after, "--leave-after")
    opts = _options(modes, transfer_minutes, walk_meters)
    feeds = _Feeds(_feed_paths(feed), areas)
    cache = _cache(cache_dir)
    idx = _index(feeds, cache)
    h, w = idx.resolve(home), idx.resolve(work)
    notes = [p.note for p in (h, w) if p.note]
    start = _day(date) or now_in(idx.timezone).date()
    dates = idx.next_service_dates(start, days)
    if not dates:
        raise InputError(f"the feeds run no trips on or after {start.isoformat()}"
                         + (f" (their last service date is {idx.service_dates[-1]})" if idx.service_dates else ""))
    if dates[0] != start:
        notes.append(f"no service on {start.isoformat()}; starting on {dates[0].isoformat()}")
    out = []
    for d in dates:
        tt = _timetable(feeds, d, cache, opts)
        out.append(commute_day(tt, idx, stop_indices(tt, h), stop_indices(tt, w), arr_s, leave_s, max_transfers))
    _show_notes(notes)
    if json:
        print_json({"home": _place_json(h), "work": _place_json(w), "arrive_by": arrive_by,
                    "leave_after": leave_after, "timezone": idx.timezone, "notes": notes, "days": out})
        return
    from rich.markup import escape
    from rich.table import Table

    t = Table(title=escape(f"Commute {h.label} ⇄ {w.label}: at work by {arrive_by}, leaving after {leave_after}"),
              title_justify="left")
    for col in ("date", "", "leave", "arrive", "trains / buses", "fare", "or", "arrive"):
        t.add_column(col)
    for d in out:
        label = dt.date.fromisoformat(d["date"]).strftime("%a %m-%d")
        for part, name in (("morning", "to work"), ("evening", "home")):
            j, alt = d[part]["journey"], d[part]["alternative"]
            t.add_row(label if part == "morning" else "", name,
                      _hm(j and j["departure"], d["date"]), _hm(j and j["arrival"], d["date"]),
                      escape(_names(j)), _fare(j and j["fare"]),
                      _hm(alt and alt["departure"], d["date"]), _hm(alt and alt["arrival"], d["date"]))
        t.add_section()
    _console().print(t)


def _names(j: dict[str, Any] | None) -> str:
    if not j:
        return "no journey"
    return " → ".join(leg["name"] for leg in j["legs"] if leg["trip"]) or "walk"
