"""`hbeu plan`, `hbeu stations`, `hbeu departures`, `hbeu commute`: the traveller's commands.

A warm cache must answer in well under half a second, so everything `hbeu plan` imports on that
path (places, analysis.plan, timetable, router) uses numpy and the standard library only; the
feed layer (pandas, gtfs-kit) is imported only when a cache must be built. `plan`'s body and its
table are in ``journeys`` (no typer), which the quick start-up path (``quick``) calls as well.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from ..values import RouterOptions
from .base import app
from .common import (AreasOption, CacheOption, FeedOption, JsonOption, LangOption, ModesOption, ScenarioOption, print_json,
                     router_options)
from .journeys import _console, _document, _fare, _hm, _mode, _network, show_plan
from .present import Column, check_lang, name, print_table

DateOption = Annotated[
    str | None,
    typer.Option("--date", help="Service date YYYY-MM-DD (default: today when the feeds run today, "
                 "else the next date they do)."),
]
AllDayOption = Annotated[
    bool,
    typer.Option("--all-day", help="Today too, from 00:00: without it (and without --date) what already "
                 "left today is hidden, and a note says how much."),
]


# --------------------------------------------------------------------------- plan

@app.command()
@router_options
def plan(
    from_: Annotated[str, typer.Argument(metavar="FROM", help="Origin: stop_id, station name (zh/en/pinyin) or city.")],
    to: Annotated[str, typer.Argument(metavar="TO", help="Destination: stop_id, station name or city.")],
    date: DateOption = None,
    depart: Annotated[str | None, typer.Option("--depart", help="Leave at or after HH:MM (default: now "
                                               "when planning for today, else 00:00; past 24:00 the next "
                                               "morning, on the next date's trips too).")] = None,
    arrive_by: Annotated[str | None, typer.Option("--arrive-by", help="Arrive by HH:MM (the latest journey that does; past "
                                                  "24:00 the next morning, the next date's early trips too; early in the "
                                                  "morning the day before's late trips too).")] = None,
    window: Annotated[str | None, typer.Option("--window", help="Every journey leaving in this span after "
                                               "--depart (or arriving in it before --arrive-by), e.g. 2h (above 0, at most 24h), that no other journey "
                                               "shown beats (leaving no earlier, arriving no later, with no more changes): "
                                               "a faster train just after the window does not hide the coaches in it; "
                                               "past 24:00 it covers the next date's early trips too.")] = None,
    num: Annotated[int | None, typer.Option("--num", min=1, help="Without --window: show at least this many "
                                            "journeys, adding later ones (earlier with --arrive-by), from the "
                                            "next service dates (the dates before) when the day has fewer, "
                                            "within a week (default: 3).")] = None,
    all_day: AllDayOption = False,
    feed: FeedOption = None,
    scenario: ScenarioOption = None,
    areas: AreasOption = None,
    cache_dir: CacheOption = None,
    json: JsonOption = False,
    lang: LangOption = "both",
    *,
    router: RouterOptions,
) -> None:
    """Plan journeys between two stations or cities: depart, arrive, duration, changes, trains, fare.

    Without --window: the fastest journey of the first departure and every slower one with fewer changes (each leaving as late as arriving as early allows), then later journeys (earlier ones with --arrive-by) until --num are shown, from the next service dates (the dates before) when the day has fewer. Times may pass midnight (shown as 00:40+1; the day before: 23:40-1).

    Example: hbeu plan 包头 "Hohhot East" --depart 07:00 --window 3h
    """
    show_plan(from_, to, date=date, depart=depart, arrive_by=arrive_by, window=window, num=num, all_day=all_day,
              feed=feed, scenario=scenario, areas=areas, cache_dir=cache_dir, json=json, lang=lang, router=router)


# --------------------------------------------------------------------------- stations

@app.command()
def stations(
    query: Annotated[str | None, typer.Argument(help="A name (zh/en/pinyin, part of one, or a city); all stations when omitted.")] = None,
    feed: FeedOption = None,
    scenario: ScenarioOption = None,
    areas: AreasOption = None,
    cache_dir: CacheOption = None,
    json: JsonOption = False,
    lang: LangOption = "both",
) -> None:
    """List stations with their ids, names (published and English), city and modes.

    Example: hbeu stations Hohhot
    """
    check_lang(lang)
    net = _network(feed, areas, cache_dir, scenario)
    found = net.find_stations(query)
    if json:
        print_json({"stations": [{"stop_id": s.id, "name": s.name, "names": s.names, "city": s.area,
                                  "city_id": s.area_id, "modes": s.modes, "stop_ids": s.stops,
                                  "lat": s.lat, "lon": s.lon} for s in found]})
        return
    from rich.markup import escape

    from ..analysis.summary import STATION_RULE

    title = f"{len(found)} station(s)" + (f" matching {query!r}" if query else "") + f" ({STATION_RULE})"
    cols = (Column("stop_id", priority=2), Column("name", wrap=True), Column("city", wrap=True, priority=3),
            Column("modes", wrap=True, priority=1), Column("stops", justify="right", priority=0))
    rows = [(escape(s.id), escape(name(s.name, _pick_en(s.names), lang)),
             escape(name(*net.places.area_names(s.area_id), lang)), ", ".join(s.modes), str(len(s.stops)))
            for s in found]
    print_table(_console(), escape(title), cols, rows)


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
    all_day: AllDayOption = False,
    modes: ModesOption = None,
    feed: FeedOption = None,
    scenario: ScenarioOption = None,
    areas: AreasOption = None,
    cache_dir: CacheOption = None,
    json: JsonOption = False,
    lang: LangOption = "both",
) -> None:
    """A departure board: every trip leaving the station (one line per trip), with its destination.

    Example: hbeu departures 包头站 --date 2026-12-01 --from 07:00 --to 10:00
    """
    check_lang(lang)
    board = _network(feed, areas, cache_dir, scenario).departures(station, date=date, start=from_, end=to, modes=modes,
                                                                       all_day=all_day)
    doc = _document(board, json)
    if doc is None:
        return
    from rich.markup import escape

    rows, day = doc["departures"], board.date
    title = (f"Departures from {board.station.label_in(lang)}, {dt.date.fromisoformat(day).strftime('%a %Y-%m-%d')} "
             f"{_hm(doc['from'], day)}–{_hm(doc['to'], day) if to is not None else 'end of day'}")
    if not rows:
        _console().print(f"{title}: no departures", highlight=False)
        return
    cols = (Column("time"), Column("train / bus", wrap=True, priority=3), Column("mode", priority=1),
            Column("to", wrap=True), Column("from stop", wrap=True, priority=2))
    rows_out = [(_hm(r["departure"], day), escape(r.get("number") or "-"),
                 _mode(r["mode"]), escape(name(r["headsign"], r.get("headsign_en"), lang)),
                 escape(f"{name(r['from_name'], r['from_name_en'], lang)} [{r['from_stop']}]")) for r in rows]
    print_table(_console(), escape(title), cols, rows_out)


# --------------------------------------------------------------------------- commute

@app.command()
@router_options
def commute(
    home: Annotated[str, typer.Argument(help="Where you live: stop_id, station name or city.")],
    work: Annotated[str, typer.Argument(help="Where you work: stop_id, station name or city.")],
    arrive_by: Annotated[str, typer.Option("--arrive-by", help="Be at work by HH:MM (past 24:00 the "
                                           "next morning, e.g. 25:30 for 01:30; early in the morning the "
                                           "day before's late trips count too).")] = "09:00",
    leave_after: Annotated[str, typer.Option("--leave-after", help="Leave work at or after HH:MM (not before "
                                             "--arrive-by: one service day; past 24:00 the next morning, e.g. "
                                             "30:00 for 06:00).")] = "18:00",
    days: Annotated[int, typer.Option("--days", min=1, max=31, help="How many service days to show (of the "
                                      "kind --weekdays / --all-days says).")] = 5,
    date: Annotated[str | None, typer.Option("--date", help="First day YYYY-MM-DD (default: today).")] = None,
    weekdays: Annotated[bool, typer.Option("--weekdays/--all-days", help="Monday to Friday service days only "
                                           "(default, a working week), or every service day.")] = True,
    feed: FeedOption = None,
    scenario: ScenarioOption = None,
    areas: AreasOption = None,
    cache_dir: CacheOption = None,
    json: JsonOption = False,
    lang: LangOption = "both",
    *,
    router: RouterOptions,
) -> None:
    """For each of the next weekday service days (every service day with --all-days): the latest morning journey arriving by --arrive-by and the earliest evening return leaving after --leave-after, each with the next alternative.

    Example: hbeu commute 包头 "Hohhot East" --arrive-by 09:00 --leave-after 18:00
    """
    check_lang(lang)
    result = _network(feed, areas, cache_dir, scenario).commute(
        home, work, arrive_by=arrive_by, leave_after=leave_after, days=days, date=date, weekdays=weekdays,
        options=router)
    doc = _document(result, json)
    if doc is None:
        return
    h, w, out = result.home, result.work, doc["days"]
    from rich.markup import escape

    title = escape(f"Commute {h.label_in(lang)} ⇄ {w.label_in(lang)}: at work by {doc['arrive_by']}, leaving after {doc['leave_after']}")
    cols = (Column("date"), Column("way"), Column("leave"), Column("arrive"),
            Column("trains / buses", wrap=True), Column("fare", justify="right", priority=2),
            Column("or leave", priority=1), Column("or arrive", priority=0), Column("by", wrap=True, priority=1))
    rows: list[tuple[str, ...] | None] = []
    for d in out:
        label = dt.date.fromisoformat(d["date"]).strftime("%a %m-%d")
        for part, way in (("morning", "to work"), ("evening", "home")):
            j, alt = d[part]["journey"], d[part]["alternative"]
            rows.append((label if part == "morning" else "", way,
                         _hm(j and j["departure"], d["date"]), _hm(j and j["arrival"], d["date"]),
                         escape(_names(j, lang)), _fare(j and j["fare"]),
                         _hm(alt and alt["departure"], d["date"]), _hm(alt and alt["arrival"], d["date"]),
                         escape(_names(alt, lang) if alt else "-")))
        rows.append(None)
    print_table(_console(), title, cols, rows[:-1])


def _names(j: dict[str, Any] | None, lang: str) -> str:
    """The rides of a journey: train numbers, or where a bus without one is heading."""
    if not j:
        return "no journey"
    rides = [leg.get("number") or (f"({name(leg['direction'], leg.get('direction_en'), lang)})"
                                   if leg.get("direction") else leg["name"])
             for leg in j["legs"] if leg["trip"]]
    return " → ".join(rides) or "walk"
