"""Offline HTML maps of a one-hour circle (folium), for planners who would rather look.

The page must open where foreign CDNs cannot be reached, so it carries Leaflet's JavaScript and
CSS inline: folium draws the map, and the resources come from ``folium-offline``, a PyPI
package that ships folium's CDN files as Python strings (``offlinefolium.elements._res``,
keyed by the CDN address folium would link). Only Leaflet itself is kept (the markers, lines,
popups and legend here need no jQuery/Bootstrap/icon fonts), and the written page is checked
to load nothing from the network. Base tiles are optional (``tiles``: e.g. a local tile
server's URL template); without them stations are drawn on a plain background.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .atomic import atomic_path
from .errors import InputError

__all__ = ["MapPoint", "circle_map", "external_resources", "LEGEND_COLOURS"]

INSTALL_HINT = "pip install 'hbeu-transit[maps]'"

#: (upper bound as a multiple of T, colour, label) for the fastest travel time.
LEGEND_COLOURS = ((0.5, "#1a9850", "≤ {half} min"), (1.0, "#91cf60", "≤ {t} min"),
                  (1.5, "#fee08b", "≤ {t15} min"), (2.0, "#fc8d59", "≤ {t2} min"),
                  (math.inf, "#d73027", "> {t2} min"))
UNREACHABLE_COLOUR = "#9e9e9e"
#: At most this many stations (the nearest within 2T) carry their name on the map; the rest on hover.
LABEL_MAX = 15
_TAG = re.compile(r'<script src="(?P<js>[^"]+)"></script>|<link rel="stylesheet" href="(?P<css>[^"]+)"\s*/?>')


@dataclass(frozen=True)
class MapPoint:
    """A destination on the map, with the measures its popup shows (minutes None if none)."""

    name: str
    lat: float
    lon: float
    fastest_min: float | None
    median_min: float | None
    p10_min: float | None
    p90_min: float | None
    share_within: float
    direct_departures: int
    short: str | None = None       # the name on the map's labels (default: name)


def _libs():
    try:
        import folium
        from offlinefolium.elements import _res
    except ImportError:
        raise InputError(f"maps need folium and folium-offline: {INSTALL_HINT}") from None
    return folium, _res


def colour(fastest: float | None, within: float) -> str:
    if fastest is None or (isinstance(fastest, float) and math.isnan(fastest)):
        return UNREACHABLE_COLOUR
    for mult, col, _ in LEGEND_COLOURS:
        if fastest <= mult * within:
            return col
    return LEGEND_COLOURS[-1][1]


def _minutes(v: float | None) -> float:
    return math.inf if v is None or math.isnan(v) else float(v)


def _fmt(v: float | None) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.0f}"


def _popup(p: MapPoint, within: float) -> str:
    rows = (("fastest", f"{_fmt(p.fastest_min)} min"), ("median", f"{_fmt(p.median_min)} min"),
            ("p10–p90", f"{_fmt(p.p10_min)}–{_fmt(p.p90_min)} min"),
            (f"share ≤ {within:g} min", f"{p.share_within:.0%}"),
            (f"direct ≤ {within:g} min", str(p.direct_departures)))
    body = "".join(f"<tr><td>{html.escape(k)}</td><td style='text-align:right'>{html.escape(v)}</td></tr>"
                   for k, v in rows)
    return f"<b>{html.escape(p.name)}</b><table>{body}</table>"


def _legend(within: float, title: str) -> str:
    t = within
    labels = {"half": f"{t / 2:g}", "t": f"{t:g}", "t15": f"{1.5 * t:g}", "t2": f"{2 * t:g}"}
    items = "".join(f"<div><span style='background:{c}'></span>{html.escape(lab.format(**labels))}</div>"
                    for _, c, lab in LEGEND_COLOURS)
    items += f"<div><span style='background:{UNREACHABLE_COLOUR}'></span>not reached</div>"
    items += "<div><span style='background:#3f51b5;height:3px;margin-top:6px'></span>direct link</div>"
    return ("<div id='hbeu-legend' style='position:fixed;bottom:24px;left:24px;z-index:9999;background:white;"
            "padding:8px 10px;border:1px solid #999;border-radius:4px;font:13px sans-serif'>"
            f"<b>{html.escape(title)}</b><br>fastest travel time{items}</div>"
            "<style>#hbeu-legend span{display:inline-block;width:14px;height:14px;margin-right:6px;"
            "vertical-align:middle;border-radius:7px}</style>")


def _offline_links(res: dict[str, str]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The addresses of Leaflet's JS and CSS and of jQuery that folium-offline holds (whatever
    version folium itself would link)."""
    def find(pattern: str) -> str:
        hits = sorted(k for k in res if re.search(pattern, k))
        if not hits:
            raise RuntimeError(f"maps: folium-offline holds no file matching {pattern}")
        return hits[-1]
    return ([("leaflet", find(r"/leaflet@[\d.]+/dist/leaflet\.js$")), ("jquery", find(r"/jquery-[\d.]+\.min\.js$"))],
            [("leaflet_css", find(r"/leaflet@[\d.]+/dist/leaflet\.css$"))])


def inline_resources(page: str, resources: dict[str, str]) -> str:
    """Replace every ``<script src>``/stylesheet ``<link>`` by the file's text (from
    folium-offline's table); a resource it does not hold is an error, never a CDN link."""
    def sub(m: re.Match) -> str:
        url = m.group("js") or m.group("css")
        if url not in resources:
            raise RuntimeError(f"maps: no offline copy of {url}")
        text = resources[url]
        if m.group("js"):
            return "<script>" + text.replace("</script", "<\\/script") + "</script>"
        return "<style>" + text + "</style>"
    return _TAG.sub(sub, page)


def external_resources(page: str) -> list[str]:
    """Addresses a page would fetch: script/img/iframe ``src``, stylesheet links, CSS
    ``url(http...)`` and ``@import`` (hyperlinks a reader may click are not fetches)."""
    found = re.findall(r'<(?:script|img|iframe)[^>]*\bsrc=["\']?(https?:|//)[^"\'\s>]*', page)
    found += re.findall(r'<link[^>]*\bhref=["\']?((?:https?:)?//[^"\'\s>]+)', page)
    found += re.findall(r'url\(\s*["\']?((?:https?:)?//[^)"\']+)', page)
    found += re.findall(r'@import\s+["\']?((?:https?:)?//[^"\';]+)', page)
    return found


def circle_map(origin: MapPoint, points: Sequence[MapPoint], path: str | Path, *, within: float,
               title: str, tiles: str | None = None, attribution: str | None = None) -> None:
    """Write the circle map: stations coloured by fastest travel time from the origin, lines
    to those with a direct departure within T (thicker: more departures), a legend, and a
    popup per station with the measures. Written atomically."""
    folium, res = _libs()
    pts = [p for p in points if _ok(p.lat, p.lon)]
    if not _ok(origin.lat, origin.lon):
        raise InputError(f"the origin {origin.name!r} has no coordinates to draw")
    m = folium.Map(location=[origin.lat, origin.lon], tiles=None, control_scale=True, prefer_canvas=False)
    # Leaflet, and jQuery for folium's popups; nothing here needs Bootstrap or icon fonts
    m.default_js, m.default_css = _offline_links(res)
    if tiles:
        folium.TileLayer(tiles=tiles, attr=attribution or "local tiles").add_to(m)
    for p in pts:
        if p.direct_departures > 0:
            folium.PolyLine([[origin.lat, origin.lon], [p.lat, p.lon]], color="#3f51b5", opacity=0.55,
                            weight=1 + 1.5 * math.log2(1 + p.direct_departures),
                            tooltip=f"{p.name}: {p.direct_departures} direct ≤ {within:g} min").add_to(m)
    near = [p for p in pts if _minutes(p.fastest_min) <= 2 * within]
    labelled = {id(p) for p in sorted(near, key=lambda q: _minutes(q.fastest_min))[:LABEL_MAX]}
    for p in sorted(pts, key=lambda q: -_minutes(q.fastest_min)):
        col = colour(p.fastest_min, within)
        on_map = id(p) in labelled          # the nearest stations carry a short name on the map
        text = f"{p.short or p.name} {_fmt(p.fastest_min)}′" if on_map else f"{p.name}: {_fmt(p.fastest_min)} min"
        tip = folium.Tooltip(html.escape(text), permanent=on_map, direction="right", opacity=0.75 if on_map else 0.9)
        folium.CircleMarker([p.lat, p.lon], radius=5 + 7 * p.share_within, color="#333333", weight=1,
                            fill=True, fill_color=col, fill_opacity=0.9,
                            popup=folium.Popup(_popup(p, within), max_width=320), tooltip=tip).add_to(m)
    folium.CircleMarker([origin.lat, origin.lon], radius=11, color="black", weight=3, fill=True,
                        fill_color="#ffffff", fill_opacity=1, popup=folium.Popup(f"<b>{html.escape(origin.name)}</b> (origin)"),
                        tooltip=f"{origin.name} (origin)").add_to(m)
    frame = near if len(near) >= 2 else pts      # zoom on the circle; farther stations lie beyond
    lats = [p.lat for p in frame] + [origin.lat]
    lons = [p.lon for p in frame] + [origin.lon]
    m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(20, 20))
    m.get_root().html.add_child(folium.Element(_legend(within, title)))
    m.get_root().header.add_child(folium.Element(f"<title>{html.escape(title)}</title>"))
    page = inline_resources(m.get_root().render(), res)
    bad = [u for u in external_resources(page) if not (tiles and u.startswith(tiles.split("{")[0]))]
    if bad:
        raise RuntimeError(f"maps: the page would fetch {bad[0]}")
    with atomic_path(path) as tmp:
        Path(tmp).write_text(page, encoding="utf-8")


def _ok(lat: float | None, lon: float | None) -> bool:
    return lat is not None and lon is not None and math.isfinite(lat) and math.isfinite(lon) and \
        not (lat == 0 and lon == 0)
