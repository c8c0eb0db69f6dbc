"""What `hbeu plan` prints: the journeys table, the notes, and the command's body.

No typer here: the command's typer declaration (``plan``) and the quick start-up path
(``quick``) both call :func:`show_plan` with the parsed options. The other traveller's commands
(``plan``: stations, departures, commute) and the analysis commands share the helpers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .present import Column, check_lang, console, err_console, name, print_json, print_table
from .present import show_notes as _show_notes

__all__ = ["JOURNEY_COLUMNS", "show_plan"]


def _console(stderr: bool = False):
    """The shared lazy consoles (rich is loaded only when something is printed as a table)."""
    return err_console if stderr else console


def _network(feed: list[Path] | None, areas: Path | None, cache_dir: Path | None,
             scenario: list[str] | None = None, **options):
    from ..network import Network

    return Network(feed, areas=areas, cache_dir=cache_dir, scenarios=scenario, **options)


def _document(result: Any, json: bool) -> dict[str, Any] | None:
    """A result's JSON document, its notes shown on stderr first; None when ``json`` printed it
    (the command has nothing more to show)."""
    doc = result.to_dict()
    _show_notes(result.notes)
    if json:
        print_json(doc)
        return None
    return doc


def _hm(iso: str | None, day: str) -> str:
    from ..analysis.times import clock

    return clock(iso, day) if iso else "-"


def _fare(f: dict[str, Any] | None) -> str:
    if not f:
        return "-"
    sym = {"CNY": "¥", "USD": "$", "EUR": "€"}.get(f["currency"])
    return f"{sym}{f['amount']:.2f}" if sym else f"{f['amount']:.2f} {f['currency']}"


def _leg_cells(leg: dict[str, Any], day: str, lang: str) -> tuple[str, str, str]:
    """(train / bus, from, to) of a leg. A vehicle without a number of its own is shown by the
    direction it travels (its headsign, else "A → B"), never by a route name that may read the
    other way."""
    from rich.markup import escape

    if leg["trip"]:
        number = leg.get("number") if "number" in leg else leg["name"]
        heading = name(leg.get("direction"), leg.get("direction_en"), lang) if leg.get("direction") else None
        label = number if number and not heading else (f"{number} → {heading}" if number else f"→ {heading}")
        what = f"{escape(label or '?')} [dim]{_mode(leg['mode'])}[/]"
    else:
        what = f"[dim]{leg['mode']} {leg['duration_min']} min[/]"
    frm = f"{_hm(leg['departure'], day)} {escape(name(leg['from_name'], leg['from_name_en'], lang))}"
    to = f"{_hm(leg['arrival'], day)} {escape(name(leg['to_name'], leg['to_name_en'], lang))}"
    return what, frm, to


def _mode(mode: str) -> str:
    """Short mode names for narrow tables."""
    return {"high_speed_rail": "HSR"}.get(mode, mode)


#: The journey table's columns, most important kept longest (fare and changes go first).
JOURNEY_COLUMNS = (Column("#", justify="right"), Column("depart"), Column("arrive"),
                   Column("time", justify="right", priority=3), Column("chg", justify="right", priority=1),
                   Column("fare", justify="right", priority=2), Column("train / bus", wrap=True, min_width=10),
                   Column("from", wrap=True), Column("to", wrap=True))


def _journeys_table(title: str, journeys: list[dict[str, Any]], day: str, lang: str) -> None:
    from ..analysis.times import format_duration

    rows: list[tuple[str, ...] | None] = []
    for n, j in enumerate(journeys, 1):
        legs = j["legs"] or [None]
        for k, leg in enumerate(legs):
            cells = _leg_cells(leg, day, lang) if leg else ("", "", "")
            head = (str(n), _hm(j["departure"], day), _hm(j["arrival"], day),
                    format_duration(j["duration_min"] * 60), str(j["transfers"]), _fare(j["fare"])) if k == 0 \
                else ("",) * 6
            rows.append((*head, *cells))
        if n < len(journeys):
            rows.append(None)
    print_table(_console(), title, JOURNEY_COLUMNS, rows)


def show_plan(from_: str, to: str, *, date: str | None = None, depart: str | None = None,
              arrive_by: str | None = None, window: str | None = None, num: int | None = None,
              all_day: bool = False, feed: list[Path] | None = None, scenario: list[str] | None = None,
              areas: Path | None = None, cache_dir: Path | None = None, json: bool = False,
              lang: str = "both", router: Any = None) -> None:
    """`hbeu plan`: plan with the Network and print the journeys (``--json``: the document).
    ``router``: the router options (``values.RouterOptions``) as parsed."""
    check_lang(lang)
    result = _network(feed, areas, cache_dir, scenario).plan(
        from_, to, date=date, depart=depart, arrive_by=arrive_by, window=window, num=num, all_day=all_day,
        options=router)
    doc = _document(result, json)
    if doc is None:
        return
    q, journeys, day = doc["query"], doc["journeys"], result.date
    when = f"leaving after {_hm(q['depart'], day)}" if q["depart"] is not None \
        else f"arriving by {_hm(q['arrive_by'], day)}"
    day_name = dt.date.fromisoformat(day).strftime("%a %Y-%m-%d")
    from rich.markup import escape   # a name may hold square brackets, which rich reads as styles

    title = f"{escape(result.origin.label_in(lang))} → {escape(result.destination.label_in(lang))}, {day_name}, {when}"
    if not journeys:
        nxt = doc["next_service"]
        later = "" if nxt is None else (
            f"; the next one leaves {dt.date.fromisoformat(nxt['date']).strftime('%a %Y-%m-%d')} "
            f"{_hm(nxt['departure'], nxt['date'])} (arrives {_hm(nxt['arrival'], nxt['date'])})")
        _console().print(f"{title}: no journey found{later}", highlight=False)
        return
    _journeys_table(title, journeys, day, lang)
