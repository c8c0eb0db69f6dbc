"""`hbeu graph`: export the station network of one service date as GraphML or GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from .base import app
from .common import AreasOption, FeedOption, err_console

FORMATS = ("graphml", "geojson")


@app.command("graph")
def graph_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    format: Annotated[str, typer.Option("--format", help="graphml or geojson.")] = "graphml",
    date: Annotated[str | None, typer.Option(help="Service date YYYY-MM-DD (default: today, or the next service date).")] = None,
    feed: FeedOption = None,
    areas: AreasOption = None,
) -> None:
    """Export the station graph: stations (name, area, coordinates) and the direct links between
    consecutive stations of trips (min/median run minutes, trips per day, routes, modes).

    Example: hbeu graph --format geojson -o network.geojson --date 2026-12-01
    """
    fmt = format.strip().lower()
    if fmt not in FORMATS:
        raise InputError(f"unknown format {format!r}: expected graphml or geojson")
    from ..atomic import atomic_path
    from ..station_graph import station_geojson
    from ..network import Network

    net = Network(feed, areas=areas)
    notes: list[str] = []
    # opened before the slow work, so a missing output folder is reported (by atomic_path) at once
    with atomic_path(output) as tmp:
        with err_console.status("compiling the station graph…"):
            g = net.station_graph(date, notes=notes)
        for note in notes:
            err_console.print(f"[yellow]{note}[/]")
        if fmt == "graphml":
            import networkx as nx

            nx.write_graphml(g, str(tmp))
        else:
            doc = station_geojson(g)
            doc["properties"] = dict(g.graph)
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(doc, fh, ensure_ascii=False)
    err_console.print(f"wrote {g.number_of_nodes()} stations and {g.number_of_edges()} links to {output}")
