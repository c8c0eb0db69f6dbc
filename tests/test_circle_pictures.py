"""The circle's pictures: the offline HTML map (opened in headless Chromium when installed)
and the PNGs with Chinese names (no empty boxes, no font warnings)."""

from __future__ import annotations

import importlib.util
import math
import os
import re
import shutil
import subprocess
import warnings

import numpy as np
import pytest

from conftest import map_layers
from hbeu_transit.maps import UNREACHABLE_COLOUR, MapPoint, circle_map, external_resources, inline_resources


def need(module: str) -> None:
    """Skip without an optional extra, except in CI, where it must be installed."""
    if importlib.util.find_spec(module) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is not installed (pip install '.[test]')")
        pytest.skip(f"{module} not installed")


ORIGIN = MapPoint("呼和浩特东 Hohhot East", 40.83, 111.77, 0, 0, 0, 0, 1, 0)
POINTS = [
    MapPoint("包头 Baotou", 40.62, 109.83, 54.0, 73.0, 57.0, 98.0, 0.21, 54),
    MapPoint("乌兰察布 Ulanqab", 40.96, 113.16, 39.0, 51.0, 41.0, 78.0, 0.72, 52),
    MapPoint("鄂尔多斯 Ordos", 39.60, 109.78, 103.0, 150.0, 113.0, None, 0.0, 0),
    MapPoint("北京北 Beijing North", 39.94, 116.35, None, None, None, None, 0.0, 0),
]


@pytest.fixture
def page(tmp_path):
    need("folium")
    need("offlinefolium")
    path = tmp_path / "circle.html"
    circle_map(ORIGIN, POINTS, path, within=60, title="Hohhot East one-hour circle")
    return path


def test_map_is_self_contained(page):
    html = page.read_text(encoding="utf-8")
    assert external_resources(html) == []
    assert "L.circleMarker" in html                               # the origin
    assert 'id="hbeu-legend"' in html.replace("'", '"') and "not reached" in html
    assert len(html) > 100_000                                    # Leaflet itself is inside
    # the stations and the direct links are GeoJSON features, the popup's fields their properties
    features = [f for layer in map_layers(html) for f in layer]
    stations = {f["properties"]["name"]: f["properties"] for f in features if f["geometry"]["type"] == "Point"}
    links = [f for f in features if f["geometry"]["type"] == "LineString"]
    assert sorted(stations) == sorted(p.name for p in POINTS) and len(links) == 2
    baotou = stations["包头 Baotou"]                              # a popup with the measures
    assert (baotou["fastest"], baotou["median"], baotou["share"], baotou["direct"]) == ("54 min", "73 min", "21%", "54")
    # the checker does catch a fetched resource
    planted = html.replace("</head>", '<script src="https://cdn.example.org/x.js"></script></head>')
    assert external_resources(planted) == ["https:"]


def test_a_station_adds_a_few_hundred_bytes_to_the_map(tmp_path):
    """Each station is one GeoJSON feature, not a folium element of its own (marker, popup and
    tooltip: ~1.8 kB of script each and a template rendered for each, a 4.3 MB page in 2 s on
    hart's 2,300 stops)."""
    need("folium")
    need("offlinefolium")

    def size(n: int) -> int:
        pts = [MapPoint(f"Nebraska Av @ {i}th St", 40 + i * 1e-3, 111 + i * 1e-3, float(i % 150), float(i % 150 + 9),
                        float(i % 150 + 2), float(i % 150 + 30), (i % 100) / 100, 0 if i % 50 else 3) for i in range(n)]
        circle_map(ORIGIN, pts, tmp_path / f"{n}.html", within=60, title="many stations")
        return (tmp_path / f"{n}.html").stat().st_size

    per_station = (size(2010) - size(10)) / 2000
    assert per_station < 600, per_station           # ~360 bytes; 1,720 when each was its own element


def test_inline_refuses_a_resource_it_has_no_copy_of():
    with pytest.raises(RuntimeError, match="no offline copy"):
        inline_resources('<script src="https://cdn.example.org/x.js"></script>', {})


def _chromium_dom(page, tmp_path) -> subprocess.CompletedProcess:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no headless Chromium installed (apt-get install chromium)")
    # every host name fails to resolve: the page must draw without the network
    return subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
                           "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={tmp_path / 'profile'}",
                           "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)


def test_map_draws_its_markers_in_headless_chromium(page, tmp_path):
    r = _chromium_dom(page, tmp_path)
    dom = r.stdout
    drawn = re.findall(r'<path class="leaflet-interactive"[^>]*fill="(#[0-9a-f]{6})"', dom)
    lines = re.findall(r'<path class="leaflet-interactive"[^>]*fill="none"', dom)
    # four destinations (54 and 39 min: <= T; 103: <= 2T; none: grey) and the origin (white),
    # as filled circles; two direct links
    assert sorted(drawn) == sorted(["#91cf60", "#91cf60", "#fc8d59", "#9e9e9e", "#ffffff"]), r.stderr[-2000:]
    assert len(lines) == 2
    assert "hbeu-legend" in dom


def _click_on_load(page, p: MapPoint) -> None:
    """Make the map page click station ``p``'s marker once loaded (its popup opens)."""
    click = ("<script>window.addEventListener('load', () => { for (const k in window) {"
             " if (k.startsWith('map_') && window[k] instanceof L.Map) window[k].eachLayer(l => {"
             " if (l instanceof L.CircleMarker && Math.abs(l.getLatLng().lat - %r) < 1e-9"
             " && Math.abs(l.getLatLng().lng - %r) < 1e-9) l.fire('click', {latlng: l.getLatLng()}, true); }); } });"
             "</script></html>") % (p.lat, p.lon)
    page.write_text(page.read_text(encoding="utf-8").replace("</html>", click), encoding="utf-8")


def test_map_labels_and_popups_in_headless_chromium(page, tmp_path):
    """Each of the nearest stations keeps its own label on the map (a layer's shared tooltip would
    show one), and a click on a station opens its popup with the measures."""
    _click_on_load(page, POINTS[0])
    dom = _chromium_dom(page, tmp_path).stdout
    labels = [re.sub(r"<[^>]+>", "", t).strip()
              for t in re.findall(r'<div class="leaflet-tooltip [^"]*"[^>]*>(.*?)</div>', dom, re.S)]
    # the three stations within 2T, named on the map with their fastest minutes; none for the unreached
    assert sorted(labels) == sorted(f"{p.name} {p.fastest_min:.0f}′" for p in POINTS[:3]), labels
    popups = re.findall(r'<div class="leaflet-popup-content"[^>]*>(.*?)</div>', dom, re.S)
    assert len(popups) == 1, dom[-3000:]
    text = " ".join(re.sub(r"<[^>]+>", " ", popups[0]).split())
    for part in ("包头 Baotou", "fastest 54 min", "median 73 min", "p10–p90 57–98 min", "share ≤ 60 min 21%",
                 "direct ≤ 60 min 54"):
        assert part in text, text


# --------------------------------------------------------------------------- PNGs

def _png_ok(path) -> None:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_circle_and_heatmap_pngs_with_chinese_names_and_no_font_warning(tmp_path, capfd):
    need("mplfonts")
    from hbeu_transit.circle_charts import circle_chart, coverage_heatmap
    from hbeu_transit.fonts import cjk_family

    assert cjk_family() is not None
    minutes = np.arange(6 * 3600, 22 * 3600, 60)
    saw = (np.arange(len(minutes)) % 30) * 60.0 + 1800
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        circle_chart(minutes, [("包头", "Baotou", saw), ("鄂尔多斯", "Ordos", np.full(len(minutes), math.inf))],
                     60, "从呼和浩特出发 From Hohhot", tmp_path / "circle.png")
        share = np.array([[np.nan, 0.2], [0.7, np.nan]])
        fastest = np.array([[np.nan, 54.0], [39.0, np.nan]])
        coverage_heatmap([("包头", "Baotou"), ("乌兰察布", "Ulanqab")], [("包头", "Baotou"), ("乌兰察布", "Ulanqab")],
                         share, fastest, 60, "一小时交通圈", tmp_path / "heat.png")
    msgs = [str(w.message) for w in caught]
    assert not [m for m in msgs if "Glyph" in m or "missing from" in m], msgs
    err = capfd.readouterr().err
    assert "Glyph" not in err and "missing from" not in err
    _png_ok(tmp_path / "circle.png")
    _png_ok(tmp_path / "heat.png")


def test_chinese_text_is_drawn_with_glyphs_not_boxes():
    """The same two characters drawn with the CJK font differ from each other (real glyphs);
    DejaVu Sans alone would draw two identical empty boxes."""
    need("mplfonts")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from hbeu_transit.fonts import cjk_family

    def ink(ch: str, family: str) -> np.ndarray:
        fig = Figure(figsize=(1, 1), dpi=50)
        canvas = FigureCanvasAgg(fig)
        fig.text(0.1, 0.2, ch, family=family, fontsize=40)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba())[..., 0] < 128

    fam = cjk_family()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert (ink("包", fam) != ink("头", fam)).sum() > 30
        assert (ink("包", "DejaVu Sans") == ink("头", "DejaVu Sans")).all()


def test_english_fallback_without_a_cjk_font():
    from hbeu_transit.circle_charts import _label

    assert _label("包头东", "Baotou East", cjk=False) == "Baotou East"
    assert _label("包头东", None, cjk=False) == "?"
    assert _label("From 呼和浩特 Hohhot", None, cjk=False) == "From  Hohhot"
    assert _label("包头东", "Baotou East", cjk=True, lang="zh") == "包头东"
    assert _label("包头东", "Baotou East", cjk=True) == "包头东 Baotou East"     # --lang both, the default
    assert _label("包头东", "Baotou East", cjk=False) == "Baotou East"


def _png_size(path) -> tuple[int, int]:
    import struct

    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_heatmaps_of_many_places_stay_a_drawable_size(tmp_path):
    """A feed whose every stop is its own area (cairns: 415) asked `coverage --png` for a
    415 x 415 heatmap 0.75 x 0.5 inch a cell: a 34,000 x 23,000 px figure with 172,000 numbers,
    which ran out of 24 GB of memory. Many places now shrink the cells to a bounded figure (the
    numbers left out when they no longer fit); a few keep their size and their numbers. The
    before/after comparison alike. 130 places here (a 10,000 px wide figure before)."""
    from hbeu_transit.circle_charts import MAX_SIDE_IN, coverage_heatmap
    from hbeu_transit.compare_charts import compare_heatmaps

    rng = np.random.default_rng(7)
    n = 130
    places = [(f"Stop {i} (Hail and Ride Location)", None) for i in range(n)]
    share, fastest = rng.random((n, n)), rng.integers(1, 120, (n, n)).astype(float)
    coverage_heatmap(places, places, share, fastest, 60, "many", tmp_path / "many.png")
    w, h = _png_size(tmp_path / "many.png")
    assert w <= MAX_SIDE_IN * 110 * 1.3 and h <= MAX_SIDE_IN * 110 * 1.3, (w, h)
    compare_heatmaps(places, places, (share, share * 0.5), (fastest, fastest + 3), 60, "many", tmp_path / "cmp.png")
    w, h = _png_size(tmp_path / "cmp.png")
    assert w <= MAX_SIDE_IN * 100 * 1.3 and h <= MAX_SIDE_IN * 100 * 1.3, (w, h)
    coverage_heatmap(places[:2], places[:2], share[:2, :2], fastest[:2, :2], 60, "few", tmp_path / "few.png")
    assert _png_size(tmp_path / "few.png")[0] == int(7.5 * 110)


def test_an_older_folium_is_one_line_naming_the_version(tmp_path, monkeypatch):
    """The map's GeoJSON layers need folium 0.20 (JsCode, GeoJson(on_each_feature=...)); an older
    one still installed (the maps extra asked for 0.17 before) ended in AttributeError: one line
    naming the version found and how to upgrade. Found by helper breaker."""
    need("folium")
    need("offlinefolium")
    import folium

    from hbeu_transit.errors import InputError

    monkeypatch.setattr(folium, "__version__", "0.17.0")
    monkeypatch.delattr(folium, "JsCode")                 # as 0.17 has it
    with pytest.raises(InputError, match=r"folium 0\.20 or later \(found 0\.17\.0\).*pip install -U"):
        circle_map(ORIGIN, POINTS, tmp_path / "c.html", within=60, title="t")
    assert list(tmp_path.iterdir()) == []


def test_a_release_candidate_folium_is_read_by_its_numbers(tmp_path, monkeypatch):
    """A folium version with a suffix ("0.20.0rc1", a dev build) is compared by its leading
    numbers: 0.20.0rc1 draws the map, 0.19.1rc1 is the one line asking for 0.20. Found by helper
    mut2 (mutant folium-rc-version-crashes: int("0rc1"), a ValueError traceback)."""
    need("folium")
    need("offlinefolium")
    import folium

    from hbeu_transit.errors import InputError

    monkeypatch.setattr(folium, "__version__", "0.20.0rc1")
    circle_map(ORIGIN, POINTS, tmp_path / "c.html", within=60, title="t")
    assert (tmp_path / "c.html").stat().st_size > 10_000
    monkeypatch.setattr(folium, "__version__", "0.19.1rc1")
    with pytest.raises(InputError, match=r"folium 0\.20 or later \(found 0\.19\.1rc1\)"):
        circle_map(ORIGIN, POINTS, tmp_path / "d.html", within=60, title="t")


def test_a_station_not_reached_given_as_nan_is_null_in_the_geojson(tmp_path):
    """``circle_map`` reads a NaN fastest time as "not reached" (grey, "–"), as None: its
    feature's ``fastest_min`` is null, so the layer is JSON (NaN is not). Found by helper mut2
    (mutant map-unreached-nan)."""
    import json

    need("folium")
    need("offlinefolium")
    nan = float("nan")
    pts = [*POINTS[:2], MapPoint("Nowhere", 40.5, 112.0, nan, nan, nan, nan, 0.0, 0)]
    circle_map(ORIGIN, pts, tmp_path / "c.html", within=60, title="t")
    page = (tmp_path / "c.html").read_text(encoding="utf-8")

    def no_constants(name):
        raise AssertionError(f"{name} in the GeoJSON")

    for m in re.finditer(r'^\s*geo_json_\w+_add\((\{.*\})\);$', page, re.M):
        json.loads(m.group(1), parse_constant=no_constants)
    (nowhere,) = [f for layer in map_layers(page) for f in layer if f["properties"].get("tip", "").startswith("Nowhere")]
    assert nowhere["properties"]["fastest_min"] is None
    assert nowhere["properties"]["style"]["fillColor"] == UNREACHABLE_COLOUR


def test_a_station_name_is_text_in_its_popup_and_label(tmp_path):
    """A name holding markup ("<b>Bus</b> & Rail") is shown as written in the station's popup and
    on its map label, not run as HTML. Found by helper mut2 (mutant map-name-not-escaped)."""
    need("folium")
    need("offlinefolium")
    odd = MapPoint('<b>Bus</b> & <i>Rail</i>', 40.62, 109.83, 54.0, 73.0, 57.0, 98.0, 0.21, 3)
    page = tmp_path / "odd.html"
    circle_map(ORIGIN, [odd], page, within=60, title="t")
    _click_on_load(page, odd)
    dom = _chromium_dom(page, tmp_path).stdout
    (popup,) = re.findall(r'<div class="leaflet-popup-content"[^>]*>(.*?)</div>', dom, re.S)
    assert "&lt;b&gt;Bus&lt;/b&gt; &amp; &lt;i&gt;Rail&lt;/i&gt;" in popup and "<b>Bus" not in popup, popup
    labels = re.findall(r'<div class="leaflet-tooltip [^"]*"[^>]*>(.*?)</div>', dom, re.S)
    assert any("&lt;b&gt;Bus&lt;/b&gt;" in t for t in labels) and not any("<b>Bus" in t for t in labels), labels
