"""`hbeu graph`: export the station network of one service date as GraphML or GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .base import app
from .common import AreasOption, CacheOption, FeedOption, LangOption, err_console, print_json
from .present import check_lang, name, show_notes

#: file extension -> format: the format follows -o's extension
EXTENSIONS = {".graphml": "graphml", ".xml": "graphml", ".geojson": "geojson", ".json": "geojson"}


@app.command("graph")
def graph_command(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (.graphml or .geojson; "
                                                "- for standard output).")] = None,
    format: Annotated[str | None, typer.Option("--format", help="graphml or geojson (default: from -o's extension; graphml for -o -).")] = None,
    date: Annotated[str | None, typer.Option(help="Service date YYYY-MM-DD (default: today, or the next service date).")] = None,
    feed: FeedOption = None,
    areas: AreasOption = None,
    cache_dir: CacheOption = None,
    json_: Annotated[bool, typer.Option("--json", help="Print the graph as JSON (networkx node-link: "
                                        "{\"graph\", \"nodes\", \"links\"}) instead of a summary line; "
                                        "-o is then optional.")] = False,
    lang: LangOption = "both",
) -> None:
    """Export the station graph: stations (name and name_en, area and area_en, a label in --lang, coordinates) and the direct links between consecutive stations of trips (min/median run minutes, trips per day, routes, modes).

    Example: hbeu graph -o network.geojson --date 2026-12-01
    """
    from .. import outputs
    from ..errors import InputError
    from ..network import Network
    from ..station_graph import station_geojson

    check_lang(lang)
    if output is None and not json_:
        raise InputError("give -o FILE (.graphml or .geojson), or --json to print the graph")
    if output is None and format is not None:
        raise InputError(f"--format {format} is the format of -o: give -o FILE, or -o - for standard output "
                         "(--json prints networkx node-link JSON)")
    out = outputs.target(output, "-o", EXTENSIONS, fmt=format, default="graphml") if output is not None else None
    outputs.check(out, printing="--json" if json_ else None)  # before the slow work
    net = Network(feed, areas=areas, cache_dir=cache_dir)
    notes: list[str] = []
    with err_console.status("compiling the station graph…"):
        g = net.station_graph(date, notes=notes)
    show_notes(notes)
    for _, d in g.nodes(data=True):   # the name shown by GIS tools, in the language asked
        d["label"] = name(d["name"], d["name_en"], lang)
    g.graph["lang"] = lang
    written = (g.number_of_nodes(), g.number_of_edges())   # stations and links in the file
    if out is not None:
        with outputs.writing(out) as tmp:
            if out.fmt == "graphml":
                import networkx as nx

                nx.write_graphml(g, str(tmp))
            else:
                doc = station_geojson(g)   # leaves out stations without coordinates, and their links
                kinds = [f["properties"]["kind"] for f in doc["features"]]
                written = (kinds.count("station"), kinds.count("link"))
                doc["properties"] = dict(g.graph)
                with open(tmp, "w", encoding="utf-8") as fh:
                    json.dump(doc, fh, ensure_ascii=False)
    if json_:
        import math

        import networkx as nx

        try:
            doc = nx.node_link_data(g, edges="links")
        except TypeError:  # networkx < 3.4 names them "links" already
            doc = nx.node_link_data(g)
        for n in doc["nodes"]:  # a station without coordinates: null, not NaN (not JSON)
            n.update({k: None for k in ("lat", "lon") if isinstance(n.get(k), float) and math.isnan(n[k])})
        print_json(doc)
        if out is not None:
            err_console.print(f"wrote {out.label}", highlight=False)
        return
    (n, m), left = written, g.number_of_nodes() - written[0]
    err_console.print(f"wrote {n} station{'s' * (n != 1)} and {m} link{'s' * (m != 1)} to {out.label}"
                      + (f" ({left} station{'s' * (left != 1)} without coordinates left out)" if left else ""))
