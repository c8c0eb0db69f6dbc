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
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .atomic import atomic_path
from .errors import InputError

__all__ = ["MapPoint", "circle_map", "external_resources", "LEGEND_COLOURS"]

INSTALL_HINT = "pip install 'hbeu-transit[maps]'"
#: the oldest folium the map is drawn with (its GeoJSON layers use JsCode and on_each_feature);
#: pyproject's maps extra asks for the same
MIN_FOLIUM = (0, 20)

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
    found = getattr(folium, "__version__", "0")
    if _release(found) < MIN_FOLIUM:   # an older one left by the extra's earlier folium>=0.17
        want = ".".join(map(str, MIN_FOLIUM))
        raise InputError(f"maps need folium {want} or later (found {found}): "
                         f"{INSTALL_HINT.replace('install', 'install -U', 1)}")
    return folium, _res


def _release(version: str) -> tuple[int, ...]:
    """The leading numbers of a version string ("0.20.0" -> (0, 20, 0); "0.19.1rc1" -> (0, 19, 1))."""
    out = []
    for part in version.split("."):
        digits = "".join(itertools.takewhile(str.isdigit, part))
        if not digits:
            break
        out.append(int(digits))
        if digits != part:
            break
    return tuple(out)


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


#: A station's popup: its name, then the measures (feature property, label); values HTML-escaped.
POPUP_FIELDS = ("name", "fastest", "median", "p10_p90", "share", "direct")


def _popup_labels(within: float) -> list[str]:
    return ["station", "fastest", "median", "p10–p90", f"share ≤ {within:g} min", f"direct ≤ {within:g} min"]


def _collection(features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def _lonlat(p: MapPoint) -> list[float]:
    return [round(p.lon, 6), round(p.lat, 6)]          # 0.1 m


def _station_feature(p: MapPoint, within: float, on_map: bool) -> dict:
    """A station as a GeoJSON point: its fastest minutes (null: not reached), colour and size in
    ``style``, the popup's fields and the tooltip's text (``tip``: the short label when ``on_map``)."""
    fastest = None if _minutes(p.fastest_min) == math.inf else float(p.fastest_min)
    text = f"{p.short or p.name} {_fmt(p.fastest_min)}′" if on_map else f"{p.name}: {_fmt(p.fastest_min)} min"
    e = html.escape
    props = {"name": e(p.name), "fastest": f"{_fmt(p.fastest_min)} min", "median": f"{_fmt(p.median_min)} min",
             "p10_p90": f"{_fmt(p.p10_min)}–{_fmt(p.p90_min)} min", "share": f"{p.share_within:.0%}",
             "direct": str(p.direct_departures), "tip": e(text), "fastest_min": fastest,
             "style": {"fillColor": colour(p.fastest_min, within), "radius": round(5 + 7 * p.share_within, 1)}}
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": _lonlat(p)}, "properties": props}


def _link_feature(origin: MapPoint, p: MapPoint, within: float) -> dict:
    """A direct link from the origin as a GeoJSON line, thicker with more departures."""
    style = {"color": "#3f51b5", "opacity": 0.55, "weight": round(1 + 1.5 * math.log2(1 + p.direct_departures), 2)}
    return {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [_lonlat(origin), _lonlat(p)]},
            "properties": {"tip": html.escape(f"{p.name}: {p.direct_departures} direct ≤ {within:g} min"),
                           "direct_departures": p.direct_departures, "style": style}}


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
            "vertical-align:middle;border-radius:7px}.hbeu-popup td{text-align:right}"
            ".hbeu-popup tr:first-child td{font-weight:bold;text-align:left}</style>")


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
    popup per station with the measures. Written atomically.

    The stations and the links are GeoJSON layers, one folium element each: a station is a Point
    feature whose properties hold its popup's fields, its tooltip (``tip``), ``fastest_min`` and
    its ``style`` (fill colour, radius); a link a LineString with its ``direct_departures``."""
    folium, res = _libs()
    pts = [p for p in points if _ok(p.lat, p.lon)]
    if not _ok(origin.lat, origin.lon):
        raise InputError(f"the origin {origin.name!r} has no coordinates to draw")
    m = folium.Map(location=[origin.lat, origin.lon], tiles=None, control_scale=True, prefer_canvas=False)
    # Leaflet, and jQuery for folium's popups; nothing here needs Bootstrap or icon fonts
    m.default_js, m.default_css = _offline_links(res)
    if tiles:
        folium.TileLayer(tiles=tiles, attr=attribution or "local tiles").add_to(m)
    # one GeoJSON layer per kind, rendered by one template each (a folium element per station
    # rendered thousands of templates: 2 s and 4 MB of HTML on a feed of 2,300 stops)
    links = [p for p in pts if p.direct_departures > 0]
    if links:
        folium.GeoJson(_collection(_link_feature(origin, p, within) for p in links), name="direct links",
                       control=False, tooltip=folium.GeoJsonTooltip(["tip"], labels=False)).add_to(m)
    near = [p for p in pts if _minutes(p.fastest_min) <= 2 * within]
    labelled = {id(p) for p in sorted(near, key=lambda q: _minutes(q.fastest_min))[:LABEL_MAX]}
    farthest_first = sorted(pts, key=lambda q: -_minutes(q.fastest_min))   # the nearest drawn on top
    for on_map in (False, True):        # the nearest stations carry a short name on the map
        group = [p for p in farthest_first if (id(p) in labelled) == on_map]
        if not group:
            continue
        # a layer's GeoJsonTooltip is one tooltip shared by its features (one open at a time), so
        # the permanent labels are bound feature by feature
        tip = None if on_map else folium.GeoJsonTooltip(["tip"], labels=False, direction="right", opacity=0.9)
        each = folium.JsCode("function (feature, layer) { layer.bindTooltip(feature.properties.tip, "
                             "{permanent: true, direction: 'right', opacity: 0.75}); }") if on_map else None
        popup = folium.GeoJsonPopup(list(POPUP_FIELDS), aliases=_popup_labels(within), localize=False,
                                    class_name="hbeu-popup", max_width=320)
        folium.GeoJson(_collection(_station_feature(p, within, on_map) for p in group),
                       name="labelled stations" if on_map else "stations", control=False,
                       marker=folium.CircleMarker(color="#333333", weight=1, fill=True, fill_opacity=0.9),
                       tooltip=tip, on_each_feature=each, popup=popup).add_to(m)
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
