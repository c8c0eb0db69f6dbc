"""`hbeu graph`: export the station network of one service date as GraphML or GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .base import app
from .common import AreasOption, FeedOption, err_console

#: file extension -> format: the format follows -o's extension
EXTENSIONS = {".graphml": "graphml", ".xml": "graphml", ".geojson": "geojson", ".json": "geojson"}


@app.command("graph")
def graph_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write (.graphml or .geojson; - for standard output).")],
    format: Annotated[str | None, typer.Option("--format", help="graphml or geojson (default: from -o's extension; graphml for -o -).")] = None,
    date: Annotated[str | None, typer.Option(help="Service date YYYY-MM-DD (default: today, or the next service date).")] = None,
    feed: FeedOption = None,
    areas: AreasOption = None,
) -> None:
    """Export the station graph: stations (name, area, coordinates) and the direct links between
    consecutive stations of trips (min/median run minutes, trips per day, routes, modes).

    Example: hbeu graph -o network.geojson --date 2026-12-01
    """
    from .. import outputs
    from ..network import Network
    from ..station_graph import station_geojson

    out = outputs.target(output, "-o", EXTENSIONS, fmt=format, default="graphml")
    outputs.check(out)  # before the slow work
    net = Network(feed, areas=areas)
    notes: list[str] = []
    with err_console.status("compiling the station graph…"):
        g = net.station_graph(date, notes=notes)
    for note in notes:
        err_console.print(f"[yellow]{note}[/]")
    with outputs.writing(out) as tmp:
        if out.fmt == "graphml":
            import networkx as nx

            nx.write_graphml(g, str(tmp))
        else:
            doc = station_geojson(g)
            doc["properties"] = dict(g.graph)
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(doc, fh, ensure_ascii=False)
    err_console.print(f"wrote {g.number_of_nodes()} stations and {g.number_of_edges()} links to {out.label}")
