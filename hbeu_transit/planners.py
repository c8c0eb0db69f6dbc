"""The planners' questions on a Network: the one-hour circle and the coverage matrix.

``Network.circle`` / ``Network.coverage`` (DataFrames) and the ``hbeu circle`` / ``hbeu coverage``
commands (light result objects, no pandas on a warm run) both come here: names are resolved
with the network's place index, the date's timetable comes from its cache, and the measures
from ``analysis.circle`` / ``analysis.coverage`` (definitions there and in the README). The
road side of coverage uses a second timetable of the coach/bus modes and a driving-times table
(the bundled ``data/spec/driving_times.csv`` for the bundled feed, or the caller's).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .analysis.circle import (MEASURES, Groups, Measures, Window, area_groups, circle_measures, parse_window,
                              station_groups)
from .analysis.coverage import Coverage, DriveTime, coverage, serial_map, with_road
from .errors import InputError
from .router.views import distinct
from .values import MAX_TRANSFERS, as_callback, as_count, as_minutes, as_path, is_number, split_names

if TYPE_CHECKING:
    from .timetable.model import Timetable

__all__ = ["CircleResult", "CoverageResult", "circle_result", "coverage_result", "drive_table"]

PERCENTILE_RULE = "nearest rank over the window's minutes; a minute without a journey counts as infinite"


# --------------------------------------------------------------------------- shared

def _place_json(p) -> dict[str, Any]:
    return {"query": p.query, "label": p.label, "kind": p.kind, "stop_ids": list(p.stop_ids)}


def _group_names(tt: Timetable, idx, groups: Groups, by: str) -> tuple[list[str], list[str | None], list[tuple[str, str | None]]]:
    """Per group: published name, English name, and its area's (Chinese, English) names. The
    circle's destinations and the coverage's places both come from here; a station is named as
    every table names a stop (``places.tables.place_names``): a name published in English is its
    English name too, as an area's is (it was None unless translations.txt gave one)."""
    zh: list[str] = []
    en: list[str | None] = []
    area: list[tuple[str, str | None]] = []
    if by == "area":
        ids_of = _area_ids_by_name(idx)
        for lab in groups.labels:
            ids = ids_of.get(lab, [])
            names = idx.areas.get(ids[0], {}).get("names", {}) if ids else {}
            zh.append(names.get("zh") or lab)
            en.append(lab)
            area.append(idx.area_names(ids[0]) if ids else (lab, None))
        return zh, en, area
    from .places.tables import place_names

    names = place_names(idx, groups.labels, "stop")
    zh, en = names[0].tolist(), names[1].tolist()
    for lab in groups.labels:
        st = idx.station_of(lab)
        area.append(idx.area_names(st.area_id) if st is not None else ("", None))
    return zh, en, area


def _area_ids_by_name(idx) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for aid, a in idx.areas.items():
        out.setdefault(a.get("name", aid), []).append(aid)
    return out


def _coords(tt: Timetable, groups: Groups) -> tuple[np.ndarray, np.ndarray]:
    """Mean position of each group's stops that have one (NaN when none)."""
    lat = np.asarray(tt.stop_lat, dtype=float)
    lon = np.asarray(tt.stop_lon, dtype=float)
    ok = (groups.of_stop >= 0) & np.isfinite(lat) & np.isfinite(lon) & ~((lat == 0) & (lon == 0))
    g = groups.of_stop[ok]
    n = np.bincount(g, minlength=len(groups)).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (np.bincount(g, lat[ok], minlength=len(groups)) / n,
                np.bincount(g, lon[ok], minlength=len(groups)) / n)


def _not_origin(groups: Groups, sources: np.ndarray) -> list[int]:
    """Groups without any origin stop (the origin is no destination of itself)."""
    hit = np.zeros(len(groups), dtype=bool)
    g = groups.of_stop[sources]
    hit[g[g >= 0]] = True
    return [k for k in range(len(groups)) if not hit[k]]


def _with_metadata(doc: dict[str, Any], metadata: dict[str, Any] | None) -> dict[str, Any]:
    """A result's JSON with its run's record under "metadata" (the existing keys unchanged)."""
    return doc if metadata is None else {**doc, "metadata": metadata}


def _window(window, step):
    return parse_window(window, step)


def _wall_window(window, w: Window, tt: Timetable) -> Window:
    """``w``, parsed from ``window``, on ``tt``'s clock: a window given as text or times is of
    wall-clock times of the date (as plan's --depart); one given as a ``Window`` is already in
    seconds of the service day's GTFS clock."""
    return w if isinstance(window, Window) else w.on_wall_clock(tt.date, tt.timezone)


def _options_json(opts: Mapping[str, Any], max_transfers: int | None) -> dict[str, Any]:
    return {"modes": opts.get("modes"), "max_transfers": max_transfers,
            "transfer_minutes": opts.get("transfer_minutes"), "walk_meters": opts.get("walk_meters")}


# --------------------------------------------------------------------------- circle

@dataclass
class CircleResult:
    """One origin's circle: a row per destination (sorted by fastest), plus what the pictures need."""

    parameters: dict[str, Any]
    notes: list[str]
    rows: list[dict[str, Any]]
    measures: Measures = field(repr=False)
    origin_point: tuple[str, float, float] = ("", math.nan, math.nan)
    origin: Any = None              # places.Place: the title names it in the --lang asked
    metadata: dict[str, Any] | None = None   # the record exports carry (``Network.circle_result``)

    def to_dict(self) -> dict[str, Any]:
        """What ``hbeu circle --json`` prints: {"parameters", "notes", "pairs"}, and "metadata"
        (feeds, ``generated_at``, versions) when the run recorded it."""
        return _with_metadata({"parameters": self.parameters, "notes": self.notes, "pairs": self.rows}, self.metadata)

    def to_frame(self):
        from .analysis.circle import records_frame

        df = records_frame(self.rows)
        df.attrs["parameters"] = self.parameters
        if self.metadata is not None:
            df.attrs["metadata"] = self.metadata
        return df

    def write_map(self, path: str | Path, tiles: str | None = None, lang: str = "both") -> None:
        from .maps import MapPoint, circle_map
        from .places.names import label

        pts = [MapPoint(label(r["destination_name"], r["destination_name_en"], lang), r["lat"], r["lon"],
                        r["fastest_min"], r["median_min"], r["p10_min"], r["p90_min"], r["share_within"],
                        r["direct_departures"], r["destination_name"]) for r in self.rows if r["lat"] is not None]
        name, lat, lon = self.origin_point
        origin = MapPoint(name, lat, lon, 0, 0, 0, 0, 1, 0)
        p = self.parameters
        circle_map(origin, pts, path, within=p["within_min"], tiles=tiles,
                   title=f"{name}: {p['within_min']:g}-minute circle, {p['date']} {p['window']}")

    def write_png(self, path: str | Path, lang: str = "both") -> None:
        from .analysis.times import wall_seconds
        from .circle_charts import circle_chart

        m = self.measures
        assert m.travel is not None
        series = []
        for k in range(len(m.groups)):
            r = self._row_of(m.groups.labels[k])
            if r is None or r["fastest_min"] is None:
                continue
            t = m.travel[k].astype(float)
            t[m.travel[k] >= np.iinfo(np.int32).max] = np.inf
            series.append((r["destination_name"], r["destination_name_en"], t))
        p = self.parameters
        circle_chart(m.window.minutes, series, p["within_min"],
                     f"From {self.origin_point[0]}, {p['date']}: travel time through the day", path, lang,
                     wall=lambda s: wall_seconds(p["date"], p["timezone"], s))

    def _row_of(self, label: str) -> dict[str, Any] | None:
        if not hasattr(self, "_by_label"):
            self._by_label = {r["destination"]: r for r in self.rows}
        return self._by_label.get(label)



def circle_result(net, origin: str, *, within: float = 60, date=None, window=None, step: float = 1,
                  modes=None, max_transfers: int | None = None, transfer_minutes: float | None = None,
                  walk_meters: float | None = None, by: str = "station") -> CircleResult:
    """The circle from ``origin`` (a station, stop or city) to every station (``by="station"``)
    or area (``by="area"``) of the network. See ``analysis.circle`` for the measures."""
    from .analysis.plan import stop_indices

    if by not in ("station", "area"):
        raise InputError(f"{{by}} must be 'station' or 'area', not {by!r}", "by")
    max_transfers = as_count(max_transfers, "max_transfers", 0, MAX_TRANSFERS)
    w = _window(window, step)
    opts = net._options(modes, transfer_minutes, walk_meters)
    idx = net.places
    place = idx.resolve(origin, "origin")
    notes = [place.note] if place.note else []
    net._note_modes(opts.get("modes"), notes)
    day = net._day(date, notes)[0]
    tt = net._timetable(day, opts)
    w = _wall_window(window, w, tt)
    src = np.asarray(stop_indices(tt, place), dtype=np.int64)
    if not src.size:
        raise InputError(f"{origin!r} has no stop in the timetable of {day.isoformat()}")
    all_groups = station_groups(tt) if by == "station" else area_groups(tt)
    groups = all_groups.subset(_not_origin(all_groups, src))
    m = circle_measures(tt, src, groups, origin=place.label, within=within, window=w,
                        max_transfers=max_transfers, keep_travel=True)
    zh, en, area = _group_names(tt, idx, groups, by)
    lat, lon = _coords(tt, groups)
    rows = []
    for k, (dest, rec) in enumerate(zip(groups.labels, m.records())):
        r = {"origin": place.label, "destination": dest, "destination_name": zh[k],
             "destination_name_en": en[k], "area": area[k][0], "area_en": area[k][1],
             "lat": None if math.isnan(lat[k]) else round(float(lat[k]), 6),
             "lon": None if math.isnan(lon[k]) else round(float(lon[k]), 6),
             **{c: rec[c] for c in MEASURES}}
        rows.append(r)
    rows.sort(key=lambda r: (r["fastest_min"] is None, r["fastest_min"] or 0, r["destination_name"]))
    if rows and rows[0]["fastest_min"] is None and tt.n_connections and day.isoformat() in idx.service_dates:
        # the date runs trips, none from here: say so (a date or a mode without trips has its own note)
        notes.append(f"no journey leaves {place.label} in {w.label()} on {day.isoformat()}: "
                     "its stops have no departure then")
    at_origin = np.full(tt.n_stops, -1, dtype=np.int64)
    at_origin[src] = 0
    olat, olon = _coords(tt, Groups(["o"], at_origin))
    params = {"origin": _place_json(place), "date": tt.date, "timezone": tt.timezone, "window": w.label(),
              "step_min": w.step / 60, "within_min": float(within), "by": by,
              **_options_json(opts, max_transfers), "percentiles": PERCENTILE_RULE}
    return CircleResult(params, notes, rows, m, (place.label, float(olat[0]), float(olon[0])), place)


# --------------------------------------------------------------------------- coverage

@dataclass
class CoverageResult:
    """The coverage matrix of ordered pairs, with the names the tables and the heatmap show."""

    coverage: Coverage
    notes: list[str]
    names: dict[str, tuple[str, str | None]]        # label -> (published name, English name)
    metadata: dict[str, Any] | None = None            # the record exports carry (``Network.coverage_result``)

    @property
    def parameters(self) -> dict[str, Any]:
        return self.coverage.parameters

    def headline(self) -> str:
        return self.coverage.headline()

    def _name(self, label: str, k: int) -> str | None:
        """The place's published name (k=0) or English name (k=1)."""
        pair = self.names.get(label)
        return (label if k == 0 else None) if pair is None else pair[k]

    def _names(self, labels: Sequence[str]) -> tuple[list[str | None], list[str | None]]:
        """The published and English names of each of ``labels`` (looked up once per place)."""
        places = dict.fromkeys(labels)
        zh = {lab: self._name(lab, 0) for lab in places}
        en = {lab: self._name(lab, 1) for lab in places}
        return list(map(zh.__getitem__, labels)), list(map(en.__getitem__, labels))

    def records(self, rows: Sequence[int] | np.ndarray | None = None, lang: str = "both") -> list[dict[str, Any]]:
        """The pairs (all, or those at the indices ``rows``, in that order), each place by its
        published name and the English one beside it (``origin_name``/``origin_name_en``, as the
        circle's ``destination_name``/``_en``); built a column at a time. ``lang`` "zh" or "en":
        one name column, the published name or the English one (the published where there is
        none), as ``cli.present.lang_rows`` picks a row's."""
        cols = self.coverage.plain_columns(rows)
        named = {"origin": cols["origin"], "destination": cols["destination"]}
        for side in ("origin", "destination"):
            zh, en = self._names(cols[side])
            if lang == "both":
                named[f"{side}_name"], named[f"{side}_name_en"] = zh, en
            else:
                named[f"{side}_name"] = zh if lang == "zh" else [e or z for z, e in zip(zh, en)]
        cols = {**named, **cols, **named}
        return [dict(zip(cols, vals)) for vals in zip(*cols.values())]

    def fastest(self, n: int) -> list[dict[str, Any]]:
        """The records of the ``n`` fastest pairs, fastest first (pairs without a journey last,
        ties in the pairs' order): chosen on the columns, a record built only for those."""
        return self.records(self.coverage.fastest_first()[:max(n, 0)])

    def to_dict(self, lang: str = "both") -> dict[str, Any]:
        """What ``hbeu coverage --json`` prints: {"parameters", "headline", "notes", "pairs"}, and
        "metadata" (feeds, ``generated_at``, versions) when the run recorded it; the pairs' place
        names in ``lang`` (``records``)."""
        return _with_metadata({"parameters": self.parameters, "headline": self.headline(), "notes": self.notes,
                               "pairs": self.records(lang=lang)}, self.metadata)

    def to_frame(self):
        df = self.coverage.to_frame()
        for side in ("origin", "destination"):  # the names as records() gives them
            at = df.columns.get_loc(f"{side}_name")
            zh, en = self._names(self.coverage.columns[side].tolist())
            df[f"{side}_name"] = zh
            df.insert(at + 1, f"{side}_name_en", en)
        df.attrs["parameters"] = self.parameters
        df.attrs["headline"] = self.headline()
        if self.metadata is not None:
            df.attrs["metadata"] = self.metadata
        return df

    def write_png(self, path: str | Path, lang: str = "both") -> None:
        from .circle_charts import coverage_heatmap

        c = self.coverage
        p = c.parameters
        coverage_heatmap([self.names[o] for o in c.origins], [self.names[d] for d in c.destinations],
                         c.matrix("share_within"), c.matrix("fastest_min"), p["within"],
                         f"{self.headline()}\n{p['date']} {p['window']}", path, lang)


def drive_table(net, road_times: Any = "auto") -> dict[tuple[str, str], DriveTime]:
    """Driving times keyed by (area name, area name), both directions.

    ``road_times``: "auto" (the bundled table for the bundled feed, else none), None, a path to
    a CSV or a DataFrame/list of rows with ``from_area, to_area, minutes`` (and optionally
    ``confidence``, ``source``; areas by id or name), or a mapping (from, to) -> minutes."""
    if road_times is None:
        return {}
    name_of = {aid: a.get("name", aid) for aid, a in net.places.areas.items()}
    if isinstance(road_times, str) and road_times == "auto":
        if not _is_bundled(net):
            return {}
        from .regional.driving import driving_times

        return {(name_of.get(f, f), name_of.get(t, t)): DriveTime(float(d.minutes), d.confidence, d.source)
                for (f, t), d in driving_times().items()}
    names = set(name_of.values())

    def known(area: str, where: str) -> None:
        """A table naming an area of no feed never matches: refused, not silently ignored."""
        if area not in name_of and area not in names:
            raise InputError(f"{{road_times}}{where}: unknown area {area!r} (give an area's id or name, as "
                             "`hbeu stations` shows them)", "road_times")

    if isinstance(road_times, Mapping):
        out = {}
        for key, v in road_times.items():
            if not (isinstance(key, tuple) and len(key) == 2) or not (isinstance(v, DriveTime) or is_number(v)):
                raise InputError(f"{{road_times}}: a mapping's items are (from_area, to_area): minutes, not "
                                 f"{key!r}: {v!r}", "road_times")
            f, t = key
            known(f, ""), known(t, "")
            d = v if isinstance(v, DriveTime) else DriveTime(float(v))
            out[(name_of.get(f, f), name_of.get(t, t))] = d
        return _symmetric(out)
    out = {}
    for where, r in _rows(road_times):
        try:
            f, t, mins = str(r["from_area"]), str(r["to_area"]), float(r["minutes"])
        except (KeyError, TypeError, ValueError):
            raise InputError(f"{{road_times}}{where}: needs from_area, to_area and minutes (a number)",
                             "road_times") from None
        if not (mins >= 0 and math.isfinite(mins)):
            raise InputError(f"{{road_times}}{where}: impossible minutes {r['minutes']!r}", "road_times")
        known(f, where), known(t, where)
        out[(name_of.get(f, f), name_of.get(t, t))] = DriveTime(mins, str(r.get("confidence") or ""),
                                                                str(r.get("source") or ""))
    return _symmetric(out)


def _rows(table: Any) -> list[tuple[str, Mapping[str, Any]]]:
    """The road times' rows, each with where it is for an error: " 'file.csv' line 3" in a CSV
    file (its line in the file), " row 3" in rows given (the first is row 2, as under a header)."""
    if isinstance(table, (str, Path)):
        from .errors import FeedError
        from .feed.lines import row_line
        from .feed.load import _read_csv

        p = as_path(table, "road_times", "a CSV file's path")
        try:
            data = p.read_bytes()
        except OSError as e:
            raise InputError(f"cannot read {{road_times}} {str(p)!r}: {e.strerror or e}", "road_times") from None
        try:   # as the feeds and --areas are read: a byte-order mark, not UTF-8, not CSV, lines
            df = _read_csv(data, str(p)) if data.strip() else None
        except FeedError as e:
            line = "" if e.line is None else f" line {e.line}"
            raise InputError(f"{{road_times}} {str(p)!r}{line}: {e.message}", "road_times") from None
        if df is None:
            return []
        df.columns = [str(c).strip() for c in df.columns]   # "from_area, to_area" written by hand
        return [(f" {str(p)!r} line {row_line(df, i)}", {k: v.strip() for k, v in r.items()})
                for i, r in enumerate(df.fillna("").to_dict("records"))]
    if hasattr(table, "to_dict"):
        rows = table.to_dict("records")
    elif not isinstance(table, Iterable) or isinstance(table, bytes):
        raise InputError(f"{{road_times}} is a CSV file, a DataFrame, rows or a mapping {{(from_area, to_area): "
                         f"minutes}}, not {table!r}", "road_times")
    else:
        rows = list(table)
    return [(f" row {i + 2}", r) for i, r in enumerate(rows)]


def _symmetric(d: dict[tuple[str, str], DriveTime]) -> dict[tuple[str, str], DriveTime]:
    out = dict(d)
    for (f, t), v in d.items():
        out.setdefault((t, f), v)
    return out


def _is_bundled(net) -> bool:
    from .feed.bundled import default_feed_paths

    try:
        paths = getattr(net, "base_paths", net.paths)   # a scenario of the bundled feed is still the region
        return sorted(Path(p).resolve() for p in paths) == sorted(p.resolve() for p in default_feed_paths())
    except Exception:  # noqa: BLE001  (no bundled feed installed: not bundled)
        return False


def _families(idx) -> set[str]:
    from .feed.modes import mode_family

    return {mode_family(int(rt)) for rt in idx.mode_of_route_type}


def _pick_groups(tt: Timetable, idx, groups: Groups, names: Sequence[str] | None, by: str, what: str,
                 notes: list[str]) -> list[int]:
    """Group indices named by ``names`` (place names resolved with the index, a forgiven typo
    noted in ``notes`` as every command notes it), or the default."""
    from .analysis.plan import stop_indices

    if names is None:
        if by == "area":
            ids_of = _area_ids_by_name(idx)  # once: per label it was a pass over every area
            cities = [k for k, lab in enumerate(groups.labels)
                      if any(idx.city_key(a).startswith("city:") for a in ids_of.get(lab, []))]
            if len(cities) >= 2:
                return cities
        return list(range(len(groups)))
    out = []
    for q in names:
        if q in groups.labels:
            k = groups.labels.index(q)
        else:
            place = idx.resolve(q, what)
            if place.note and place.note not in notes:
                notes.append(place.note)
            g = distinct(groups.of_stop[stop_indices(tt, place)])
            g = g[g >= 0]
            if len(g) != 1:
                kind = "city/area" if by == "area" else "station"
                raise InputError(f"{{{what}}} {q!r} is not one {kind} ({place.label}{_listed(idx, groups, g, by)}); "
                                 f"name one {kind}", what)
            k = int(g[0])
        if k not in out:
            out.append(k)
    return out


def _listed(idx, groups: Groups, g, by: str, most: int = 12) -> str:
    """The places a name stands for, to pick one from: ": A [id]; B [id]" (stations by their
    label and stop_id, which names exactly that station), "" for none."""
    if len(g) < 2:
        return ""
    def one(k: int) -> str:
        if by == "area":
            return groups.display(k)
        sid = groups.labels[k]
        try:
            return f"{idx.resolve(sid).label} [{sid}]"
        except InputError:
            return f"{groups.display(k)} [{sid}]"
    more = f"; and {len(g) - most} more" if len(g) > most else ""
    return ": " + "; ".join(one(int(k)) for k in g[:most]) + more


def coverage_result(net, origins: Sequence[str] | str | None = None, destinations: Sequence[str] | str | None = None,
                    *, within: float = 60, road_within: float = 120, date=None, window=None, step: float = 1,
                    modes=None, max_transfers: int | None = None, transfer_minutes: float | None = None,
                    walk_meters: float | None = None, by: str = "area", road_times: Any = "auto",
                    road_modes: Any = "auto", workers: int | None = None, scheduler: str | None = None,
                    progress: Callable[[int, int], None] | None = None) -> CoverageResult:
    """The circle measures for every ordered pair of places (areas, or stations with
    ``by="station"``); default places: the region's cities where the feed has them, else
    every area. The road side: a second timetable of ``road_modes`` (its measures within
    ``road_within``) and the driving table ``road_times``; "auto" for both means, on the
    bundled feed, rail as the transit side (unless ``modes``), coaches and the bundled driving
    table as the road side, and on other feeds no road side. ``workers``/``scheduler`` run the
    per-origin tasks on Dask."""
    if by not in ("station", "area"):
        raise InputError(f"{{by}} must be 'station' or 'area', not {by!r}", "by")
    as_minutes(within, "within")
    as_minutes(road_within, "road_within")
    max_transfers = as_count(max_transfers, "max_transfers", 0, MAX_TRANSFERS)
    as_callback(progress)
    w = _window(window, step)
    idx = net.places
    fams = _families(idx)
    if isinstance(road_modes, str) and road_modes == "auto":
        road_modes = None
        if _is_bundled(net) and "rail" in fams and "bus" in fams:
            road_modes = ["bus"]
            if modes is None and not net.options.get("modes"):
                modes = ["rail"]
    elif road_modes is not None:
        from .values import as_modes

        road_modes = as_modes(road_modes, "road_modes")
    opts = net._options(modes, transfer_minutes, walk_meters)
    notes: list[str] = []
    net._note_modes(opts.get("modes"), notes)
    day = net._day(date, notes)[0]
    tt = net._timetable(day, opts)
    w = _wall_window(window, w, tt)
    all_groups = station_groups(tt) if by == "station" else area_groups(tt)
    o_idx = _pick_groups(tt, idx, all_groups, split_names(origins), by, "origins", notes)
    d_idx = _pick_groups(tt, idx, all_groups, split_names(destinations), by, "destinations", notes)
    if not any(o != d for o in o_idx for d in d_idx):  # a place is never paired with itself
        only = ", ".join(repr(all_groups.labels[k]) for k in dict.fromkeys(o_idx + d_idx)) or "none"
        raise InputError(f"no pair of places to measure: {{origins}} and {{destinations}} are the same one "
                         f"place ({only}); name at least one other", "origins", "destinations")
    og, dg = all_groups.subset(o_idx), all_groups.subset(d_idx)
    params = {"date": tt.date, "timezone": tt.timezone, "places": "areas" if by == "area" else "stations",
              **_options_json(opts, max_transfers), "percentiles": PERCENTILE_RULE}
    run: Any = serial_map
    ctx = None
    if workers is not None or scheduler is not None:
        from .analysis.distributed import dask_map

        ctx = run = dask_map(workers, scheduler)
    try:
        main = coverage(tt, og, dg, within=within, window=w, max_transfers=max_transfers, parameters=params,
                        run=run, progress=progress)
        road = None
        if road_modes is not None:
            rtt = net._timetable(day, net._options(road_modes, transfer_minutes, walk_meters))
            rg = station_groups(rtt) if by == "station" else area_groups(rtt)
            keep_o = [rg.labels.index(x) for x in og.labels if x in rg.labels]
            keep_d = [rg.labels.index(x) for x in dg.labels if x in rg.labels]
            if keep_o and keep_d:
                road = coverage(rtt, rg.subset(keep_o), rg.subset(keep_d), within=road_within, window=w,
                                max_transfers=max_transfers, run=run)
    finally:
        if ctx is not None:
            ctx.close()
    drive = drive_table(net, road_times)
    cov = with_road(main, road, drive, road_within)
    cov.parameters["road_modes"] = road_modes
    if road is None and not drive:
        notes.append("no road table and no coach timetable: road circle not judged")
    zh, en, _ = _group_names(tt, idx, all_groups, by)
    names = {all_groups.labels[k]: (zh[k], en[k]) for k in range(len(all_groups))}
    return CoverageResult(cov, notes, names)
