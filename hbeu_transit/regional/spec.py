"""Read and check the hand-edited spec (data/spec/*.csv) of the modelled regional feed.

The spec is small CSV tables a person edits. A bad value must stop the build with one line
naming the file, the line (header = line 1) and the field, so every value is parsed here, by
a declared schema, before any GTFS is generated. Every row carries ``source`` and
``confidence`` (SOURCED: the key figures come from FACTS.md and ``source`` cites where; EST:
an estimate).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..errors import FeedError

if TYPE_CHECKING:  # pandas is imported where a table is built, so read_rows stays pure Python
    import pandas as pd

CONFIDENCE = ("SOURCED", "EST")
AREA_KINDS = ("city", "county")
FEEDS = ("rail", "bus")
#: What a rail route is in the composition of the weekday service (FACTS: Service composition).
CATEGORIES = ("IN_REGION", "BEIJING", "TAIYUAN_BAOTOU", "VIA_ULANQAB", "VIA_BAOTOU")
#: Bus services: 城际公交 (frequent, one card), long-distance coaches, 定制客运 (door to door, booked).
BUS_KINDS = ("INTERCITY_BUS", "COACH", "CUSTOM_COACH")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class SpecError(FeedError):
    """A spec CSV is malformed: names the file, the line (header = line 1) and the field."""


@dataclass(frozen=True)
class Col:
    """One spec column: how to parse it and whether it may be blank."""

    name: str
    kind: str = "str"          # str, id, int, float, time, date, flag, list, intlist, timelist, enum
    required: bool = True
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()


_ID = re.compile(r"^[A-Za-z0-9_]+$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")

SCHEMAS: dict[str, tuple[Col, ...]] = {
    "feeds": (Col("feed", "enum", choices=FEEDS), Col("file"), Col("publisher_name"), Col("publisher_url"),
              Col("feed_lang"), Col("start_date", "date"), Col("end_date", "date"), Col("version_prefix")),
    "agencies": (Col("feed", "enum", choices=FEEDS), Col("agency_id", "id"), Col("agency_name"), Col("agency_name_en"),
                 Col("agency_url"), Col("agency_timezone"), Col("agency_lang"),
                 Col("agency_phone", required=False)),
    "areas": (Col("area_id", "id"), Col("name_en"), Col("name_zh"), Col("kind", "enum", choices=AREA_KINDS),
              Col("in_region", "flag")),
    "stations": (Col("stop_id", "id"), Col("name_zh"), Col("name_en"), Col("pinyin"),
                 Col("lat", "float", lo=-90, hi=90), Col("lon", "float", lo=-180, hi=180), Col("area", "id"),
                 Col("lines", "list"), Col("platforms", "int", required=False, lo=2, hi=40)),
    "bus_stops": (Col("stop_id", "id"), Col("name_zh"), Col("name_en"), Col("pinyin"),
                  Col("lat", "float", lo=-90, hi=90), Col("lon", "float", lo=-180, hi=180), Col("area", "id"),
                  Col("near_station", "id", required=False)),
    "lines": (Col("line_id", "id"), Col("seq", "int", lo=1), Col("stop_id", "id"), Col("run_min", "int", lo=0, hi=600),
              Col("dwell_min", "int", lo=0, hi=60), Col("call_extra_min", "int", required=False, lo=0, hi=30)),
    "networks": (Col("network_id", "id"), Col("feed", "enum", choices=FEEDS), Col("name")),
    "routes": (Col("route_id", "id"), Col("train_class", "enum", choices=("G", "D", "C", "K", "T", "Z")),
               Col("route_type", "int", lo=0, hi=1702), Col("name_zh"), Col("name_en"), Col("network_id", "id"),
               Col("category", "enum", choices=CATEGORIES)),
    "services": (Col("feed", "enum", choices=FEEDS), Col("service_id", "id"), Col("description"),
                 *(Col(d, "flag") for d in WEEKDAYS), Col("start_date", "date"), Col("end_date", "date")),
    "peak_days": (Col("first_date", "date"), Col("last_date", "date"), Col("name"), Col("add_services", "list")),
    "train_patterns": (Col("pattern_id", "id"), Col("route_id", "id"), Col("service_id", "id"), Col("line_id", "id"),
                       Col("from_stop", "id"), Col("to_stop", "id"), Col("skip_stops", "list", required=False),
                       Col("first_dep", "time"), Col("last_dep", "time"), Col("trains", "int", lo=1, hi=200),
                       Col("first_number", "int", lo=1, hi=9999), Col("headsign_zh", required=False),
                       Col("headsign_en", required=False)),
    # a CUSTOM_COACH route leaves the headway columns blank: its runs are in custom_coach_runs.csv
    "bus_routes": (Col("route_id", "id"), Col("kind", "enum", choices=BUS_KINDS),
                   Col("route_type", "int", lo=0, hi=1702), Col("network_id", "id"),
                   Col("name_zh"), Col("name_en"), Col("from_stop", "id", required=False),
                   Col("to_stop", "id", required=False), Col("run_min", "int", required=False, lo=1, hi=600),
                   Col("first_dep", "time", required=False), Col("last_dep", "time", required=False),
                   Col("headway_min", "int", required=False, lo=1, hi=600), Col("service_id", "id")),
    "custom_coach_runs": (Col("run_id", "id"), Col("route_id", "id"), Col("direction_id", "flag"),
                          Col("stops", "list"), Col("minutes", "intlist"), Col("pickup_stops", "int", lo=1, hi=50),
                          Col("departures", "timelist")),
    "fare_media": (Col("fare_media_id", "id"), Col("feed", "enum", choices=FEEDS), Col("name"),
                   Col("fare_media_type", "int", lo=0, hi=4)),
    "fares": (Col("network_id", "id"), Col("from_area", "id"), Col("to_area", "id"),
              Col("fare_class", "enum", choices=("second", "first", "standard")),
              Col("amount", "float", lo=0, hi=10000), Col("fare_media_id", "list")),
    "interchanges": (Col("from_stop", "id"), Col("to_stop", "id"), Col("min_transfer_min", "int", lo=0, hi=120)),
    # symmetric: one row per unordered pair of the in-region cities (read by driving.driving_times)
    # more names of the in-region cities (read by city_names() for the place index): ``name`` is one
    # of the city's own names (an area of any feed called so is that city), ``alias`` a district
    # or short name that means the city in a query only
    "city_names": (Col("area_id", "id"), Col("name"), Col("kind", "enum", choices=("name", "alias"))),
    "driving_times": (Col("from_area", "id"), Col("to_area", "id"), Col("km", "float", lo=1, hi=3000),
                      Col("minutes", "int", lo=1, hi=2000), Col("note", required=False)),
}

TAIL = (Col("source", required=False), Col("confidence", "enum", choices=CONFIDENCE))


def shipped_spec_file(name: str) -> Path:
    """A spec CSV shipped in the package (``hbeu_transit._spec``), else the repository's
    data/spec copy (a source checkout that was not installed)."""
    from importlib import resources

    try:
        p = Path(str(resources.files("hbeu_transit._spec") / name))
        if p.is_file():
            return p
    except (ModuleNotFoundError, FileNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[2] / "data" / "spec" / name


def city_names(path: str | Path | None = None) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """The in-region cities as (area_id, (Chinese name, English name, other own names...), aliases), from
    areas.csv and city_names.csv (pure Python: the place index reads it on every run)."""
    folder = Path(path) if path is not None else None
    areas = read_rows(folder / "areas.csv" if folder else shipped_spec_file("areas.csv"), SCHEMAS["areas"])
    more = read_rows(folder / "city_names.csv" if folder else shipped_spec_file("city_names.csv"),
                     SCHEMAS["city_names"])
    out = []
    for a in areas:
        if a["kind"] != "city" or not a["in_region"]:
            continue
        own = tuple(r["name"] for r in more if r["area_id"] == a["area_id"] and r["kind"] == "name")
        alias = tuple(r["name"] for r in more if r["area_id"] == a["area_id"] and r["kind"] == "alias")
        out.append((a["area_id"], (a["name_zh"], a["name_en"], *own), alias))
    return out


def _parse(text: str, col: Col) -> Any:
    """One cell -> a Python value; ValueError carries the reason shown to the user."""
    t = text.strip()
    if col.kind in ("str", "enum", "id"):
        if col.kind == "enum" and t not in col.choices:
            raise ValueError(f"{t!r} is not one of {', '.join(col.choices)}")
        if col.kind == "id" and not _ID.match(t):
            raise ValueError(f"{t!r} is not an id (letters, digits, _)")
        return t
    if col.kind == "list":
        items = tuple(s.strip() for s in t.split("|"))
        bad = [s for s in items if not _ID.match(s)]
        if bad:
            raise ValueError(f"{t!r} is not a |-separated list of ids")
        return items
    if col.kind in ("intlist", "timelist"):
        one = Col(col.name, "int" if col.kind == "intlist" else "time", lo=0, hi=10000)
        return tuple(_parse(x, one) for x in t.split("|"))
    if col.kind in ("int", "float", "flag"):
        try:
            v: float = int(t) if col.kind in ("int", "flag") else float(t)
        except ValueError:
            raise ValueError(f"{t!r} is not a{'n integer' if col.kind != 'float' else ' number'}") from None
        if col.kind == "float" and v != v:
            raise ValueError(f"{t!r} is not a number")
        lo, hi = (0, 1) if col.kind == "flag" else (col.lo, col.hi)
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            raise ValueError(f"{t} is outside {lo}..{hi}")
        return v
    if col.kind == "time":
        m = _TIME.match(t)
        if not m or int(m.group(2)) > 59:
            raise ValueError(f"{t!r} is not a time HH:MM")
        return int(m.group(1)) * 60 + int(m.group(2))
    if col.kind == "date":
        try:
            return dt.date.fromisoformat(t)
        except ValueError:
            raise ValueError(f"{t!r} is not a date YYYY-MM-DD") from None
    raise AssertionError(col.kind)


def read_table(path: Path, cols: tuple[Col, ...], label: str | None = None) -> pd.DataFrame:
    """Read one spec CSV into typed columns plus ``_line`` (the CSV line of each row)."""
    import pandas as pd

    rows = read_rows(path, cols, label)
    return pd.DataFrame(rows, columns=["_line", *(c.name for c in cols + TAIL)], dtype=object)


def read_rows(path: Path, cols: tuple[Col, ...], label: str | None = None) -> list[dict[str, Any]]:
    """One spec CSV as typed dicts plus ``_line``; pure Python, for readers without pandas."""
    label = label or str(path)
    cols = cols + TAIL
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise SpecError(label, "empty file (a header line is needed)", line=1)
            header = [h.strip() for h in header]
            missing = [c.name for c in cols if c.name not in header]
            if missing:
                raise SpecError(label, "required column is missing", line=1, field=missing[0])
            idx = {c.name: header.index(c.name) for c in cols}
            rows: list[dict[str, Any]] = []
            for raw in reader:
                line = reader.line_num
                if not any(x.strip() for x in raw):
                    continue
                if len(raw) != len(header):
                    raise SpecError(label, f"{len(raw)} values for {len(header)} columns", line=line)
                row: dict[str, Any] = {"_line": line}
                for c in cols:
                    text = raw[idx[c.name]]
                    if not text.strip():
                        if c.required:
                            raise SpecError(label, "empty value", line=line, field=c.name)
                        row[c.name] = () if c.kind.endswith("list") else None
                        continue
                    try:
                        row[c.name] = _parse(text, c)
                    except ValueError as e:
                        raise SpecError(label, str(e), line=line, field=c.name) from None
                if row["confidence"] == "SOURCED" and not row["source"]:
                    raise SpecError(label, "a SOURCED row needs a source citation (or confidence EST)",
                                    line=line, field="source")
                rows.append(row)
    except OSError as e:
        raise SpecError(label, f"cannot read ({e.strerror})") from None
    except (csv.Error, UnicodeDecodeError) as e:
        raise SpecError(label, f"not a UTF-8 CSV file ({e})") from None
    return rows


@dataclass
class Spec:
    """All spec tables, typed and cross-checked; ``files`` maps a table to its path label."""

    tables: dict[str, pd.DataFrame]
    files: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def fail(self, table: str, row: pd.Series | dict, col: str, message: str) -> None:
        """Raise a SpecError pointing at ``row`` of ``table``."""
        raise SpecError(self.files[table], message, line=int(row["_line"]), field=col)


def load_spec(folder: str | Path) -> Spec:
    """Read every spec table from ``folder`` and check the references between them."""
    root = Path(folder)
    if not root.is_dir():
        raise SpecError(str(root), "spec folder not found")
    files = {name: str(root / f"{name}.csv") for name in SCHEMAS}
    tables = {name: read_table(Path(files[name]), cols) for name, cols in SCHEMAS.items()}
    spec = Spec(tables, files)
    check_spec(spec)
    return spec


def _rows(df: pd.DataFrame) -> list[dict[str, Any]]:
    return df.to_dict("records")


def _unique(spec: Spec, table: str, key: tuple[str, ...], what: str | None = None) -> None:
    seen: set[tuple] = set()
    for r in _rows(spec[table]):
        k = tuple(r[c] for c in key)
        if k in seen:
            spec.fail(table, r, key[-1], f"duplicate {what or key[-1]} {k[-1]!r}")
        seen.add(k)


def _ref(spec: Spec, table: str, col: str, known: set[str] | Callable[[Any], bool], target: str) -> None:
    ok = known if callable(known) else (lambda v: v in known)
    for r in _rows(spec[table]):
        vals = r[col] if isinstance(r[col], tuple) else (r[col],)
        for v in vals:
            if v is not None and not ok(v):
                spec.fail(table, r, col, f"unknown {v!r} (not in {target})")


def line_stops(spec: Spec) -> dict[str, list[dict[str, Any]]]:
    """line_id -> its rows in seq order."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in sorted(_rows(spec["lines"]), key=lambda r: (r["line_id"], r["seq"])):
        out.setdefault(r["line_id"], []).append(r)
    return out


def check_spec(spec: Spec) -> None:
    """Cross-table checks: unique keys, references, line order, stopping patterns, numbering."""
    for table, key in (("feeds", ("feed",)), ("agencies", ("feed",)), ("areas", ("area_id",)),
                       ("stations", ("stop_id",)), ("bus_stops", ("stop_id",)), ("lines", ("line_id", "seq")),
                       ("lines", ("line_id", "stop_id")), ("networks", ("network_id",)),
                       ("routes", ("route_id",)), ("services", ("service_id",)),
                       ("train_patterns", ("pattern_id",)), ("bus_routes", ("route_id",)),
                       ("custom_coach_runs", ("run_id",)),
                       ("fare_media", ("fare_media_id",)),
                       ("fares", ("network_id", "from_area", "to_area", "fare_class")),
                       ("interchanges", ("from_stop", "to_stop")), ("city_names", ("name",))):
        _unique(spec, table, key)
    for feed in FEEDS:
        for table in ("feeds", "agencies"):
            if feed not in set(spec[table]["feed"]):
                raise SpecError(spec.files[table], f"no row for the {feed} feed", field="feed")
    rail_ids = set(spec["stations"]["stop_id"])
    bus_ids = set(spec["bus_stops"]["stop_id"])
    for r in _rows(spec["bus_stops"]):
        if r["stop_id"] in rail_ids:
            spec.fail("bus_stops", r, "stop_id", f"{r['stop_id']!r} is also a rail station id (feeds need disjoint ids)")
    areas = set(spec["areas"]["area_id"])
    _ref(spec, "city_names", "area_id", {r["area_id"] for r in _rows(spec["areas"]) if r["kind"] == "city"
                                         and r["in_region"]}, "areas.csv (in-region cities)")
    _ref(spec, "stations", "area", areas, "areas.csv")
    _ref(spec, "bus_stops", "area", areas, "areas.csv")
    _ref(spec, "bus_stops", "near_station", rail_ids, "stations.csv")
    _ref(spec, "lines", "stop_id", rail_ids, "stations.csv")
    lines = line_stops(spec)
    _ref(spec, "stations", "lines", set(lines), "lines.csv")
    for r in _rows(spec["stations"]):
        on = {lid for lid, rows in lines.items() if any(x["stop_id"] == r["stop_id"] for x in rows)}
        if on != set(r["lines"]):
            spec.fail("stations", r, "lines", f"lists {'|'.join(sorted(r['lines']))} but lines.csv puts it on "
                      f"{'|'.join(sorted(on)) or 'no line'}")
    for lid, rows in lines.items():
        for i, r in enumerate(rows):
            if r["seq"] != i + 1:
                spec.fail("lines", r, "seq", f"line {lid} seq should be {i + 1} (1, 2, 3... without gaps)")
            if i == 0 and r["run_min"] != 0:
                spec.fail("lines", r, "run_min", f"first station of line {lid} must have run_min 0")
            if i > 0 and r["run_min"] <= 0:
                spec.fail("lines", r, "run_min", "run time from the previous station must be > 0")
    nets = {r["network_id"]: r["feed"] for r in _rows(spec["networks"])}
    services = {r["service_id"]: r["feed"] for r in _rows(spec["services"])}
    _ref(spec, "routes", "network_id", lambda v: nets.get(v) == "rail", "networks.csv (rail)")
    _ref(spec, "bus_routes", "network_id", lambda v: nets.get(v) == "bus", "networks.csv (bus)")
    _ref(spec, "bus_routes", "service_id", lambda v: services.get(v) == "bus", "services.csv (bus)")
    _ref(spec, "bus_routes", "from_stop", bus_ids, "bus_stops.csv")
    _ref(spec, "bus_routes", "to_stop", bus_ids, "bus_stops.csv")
    _ref(spec, "peak_days", "add_services", set(services), "services.csv")
    media = {r["fare_media_id"]: r["feed"] for r in _rows(spec["fare_media"])}
    _ref(spec, "fares", "network_id", set(nets), "networks.csv")
    _ref(spec, "fares", "from_area", areas, "areas.csv")
    _ref(spec, "fares", "to_area", areas, "areas.csv")
    _ref(spec, "fares", "fare_media_id", set(media), "fare_media.csv")
    for r in _rows(spec["fares"]):
        if any(media[m] != nets[r["network_id"]] for m in r["fare_media_id"]):
            spec.fail("fares", r, "fare_media_id", "fare medium belongs to the other feed than the network")
    _ref(spec, "interchanges", "from_stop", rail_ids | bus_ids, "stations.csv or bus_stops.csv")
    _ref(spec, "interchanges", "to_stop", rail_ids | bus_ids, "stations.csv or bus_stops.csv")
    _check_interchanges(spec, rail_ids)
    for table, a, b in (("services", "start_date", "end_date"), ("peak_days", "first_date", "last_date"),
                        ("feeds", "start_date", "end_date"), ("train_patterns", "first_dep", "last_dep"),
                        ("bus_routes", "first_dep", "last_dep")):
        for r in _rows(spec[table]):
            if r[a] is not None and r[b] is not None and r[b] < r[a]:
                spec.fail(table, r, b, f"{b} is before {a}")
    _check_bus_routes(spec, bus_ids)
    _check_patterns(spec, lines, services)
    _check_driving(spec)


def check_driving_pairs(rows: list[dict[str, Any]], label: str) -> None:
    """driving_times rows are symmetric: one row per unordered pair, never a city to itself."""
    seen: dict[frozenset[str], int] = {}
    for r in rows:
        pair = frozenset((r["from_area"], r["to_area"]))
        if len(pair) == 1:
            raise SpecError(label, "from_area and to_area are the same area", line=int(r["_line"]), field="to_area")
        if pair in seen:
            raise SpecError(label, f"the pair {r['from_area']}–{r['to_area']} is already on line {seen[pair]} "
                            "(the table is symmetric: one row per unordered pair)", line=int(r["_line"]),
                            field="to_area")
        seen[pair] = int(r["_line"])


def _check_driving(spec: Spec) -> None:
    """Driving times join in-region cities, and every pair of them has one row."""
    rows = _rows(spec["driving_times"])
    check_driving_pairs(rows, spec.files["driving_times"])
    cities = {r["area_id"] for r in _rows(spec["areas"]) if r["kind"] == "city" and r["in_region"]}
    _ref(spec, "driving_times", "from_area", cities, "areas.csv (in-region cities)")
    _ref(spec, "driving_times", "to_area", cities, "areas.csv (in-region cities)")
    have = {frozenset((r["from_area"], r["to_area"])) for r in rows}
    missing = sorted(f"{a}–{b}" for a in sorted(cities) for b in sorted(cities) if a < b and frozenset((a, b)) not in have)
    if missing:
        raise SpecError(spec.files["driving_times"], f"no row for {', '.join(missing)} (every pair of in-region "
                        "cities needs one)", field="from_area")


HEADWAY_COLS = ("from_stop", "to_stop", "run_min", "first_dep", "last_dep", "headway_min")


def _check_bus_routes(spec: Spec, bus_ids: set[str]) -> None:
    """Headway routes fill the headway columns; custom coaches leave them blank and have runs.

    A custom-coach run picks up at its first ``pickup_stops`` stops and sets down at the rest,
    with one minute offset per stop, increasing from 0.
    """
    kinds = {r["route_id"]: r["kind"] for r in _rows(spec["bus_routes"])}
    for r in _rows(spec["bus_routes"]):
        custom = r["kind"] == "CUSTOM_COACH"
        for c in HEADWAY_COLS:
            if (r[c] is None) != custom:
                spec.fail("bus_routes", r, c, "must be blank for a CUSTOM_COACH route (its runs are in "
                          "custom_coach_runs.csv)" if custom else "empty value")
        if not custom and r["from_stop"] == r["to_stop"]:
            spec.fail("bus_routes", r, "to_stop", "a route needs two different terminals")
        if custom and not any(x["route_id"] == r["route_id"] for x in _rows(spec["custom_coach_runs"])):
            spec.fail("bus_routes", r, "kind", "a CUSTOM_COACH route needs rows in custom_coach_runs.csv")
    _ref(spec, "custom_coach_runs", "route_id", lambda v: kinds.get(v) == "CUSTOM_COACH",
         "bus_routes.csv (CUSTOM_COACH)")
    _ref(spec, "custom_coach_runs", "stops", bus_ids, "bus_stops.csv")
    for r in _rows(spec["custom_coach_runs"]):
        n, mins = len(r["stops"]), r["minutes"]
        if len(mins) != n:
            spec.fail("custom_coach_runs", r, "minutes", f"{len(mins)} offsets for {n} stops")
        if mins[0] != 0 or any(b <= a for a, b in zip(mins, mins[1:])):
            spec.fail("custom_coach_runs", r, "minutes", "offsets must start at 0 and increase")
        if not r["pickup_stops"] < n:
            spec.fail("custom_coach_runs", r, "pickup_stops", f"leaves no stop to set down at ({n} stops)")
        if len(set(r["stops"])) != n:
            spec.fail("custom_coach_runs", r, "stops", "a stop is listed twice")


def _check_interchanges(spec: Spec, rail_ids: set[str]) -> None:
    """Rail <-> bus interchanges are published as the station both feeds share.

    The bus feed lists a bus stop's ``near_station`` as its parent station and gives the
    station one transfers.txt row (the rail <-> bus time). So a rail <-> bus row must join a
    station and a bus stop placed at it, a station has one such time, and every bus stop placed
    at a station lies in the station's area and needs that row and its own bus <-> bus row (else
    the station's rail <-> bus time would also be the time to change coaches there).
    """
    near = {r["stop_id"]: r["near_station"] for r in _rows(spec["bus_stops"])}
    pairs = {(r["from_stop"], r["to_stop"]) for r in _rows(spec["interchanges"])}
    minutes: dict[str, tuple[int, int]] = {}
    for r in _rows(spec["interchanges"]):
        a, b = r["from_stop"], r["to_stop"]
        if (a in rail_ids) == (b in rail_ids):
            continue
        station, stop, col = (a, b, "to_stop") if a in rail_ids else (b, a, "from_stop")
        if near.get(stop) != station:
            spec.fail("interchanges", r, col, f"{stop!r} is not placed at {station!r} (near_station in "
                      "bus_stops.csv); a rail <-> bus interchange is published as the station both feeds share")
        if station in minutes and minutes[station][0] != r["min_transfer_min"]:
            spec.fail("interchanges", r, "min_transfer_min", f"station {station!r} already has a rail <-> bus "
                      f"time of {minutes[station][0]} min (line {minutes[station][1]}); the feed has one per station")
        minutes.setdefault(station, (r["min_transfer_min"], int(r["_line"])))
    area = dict(zip(spec["stations"]["stop_id"], spec["stations"]["area"]))
    for r in _rows(spec["bus_stops"]):
        sid, station = r["stop_id"], r["near_station"]
        if station is None:
            continue
        if r["area"] != area[station]:
            spec.fail("bus_stops", r, "area", f"{r['area']!r} differs from the area {area[station]!r} of "
                      f"station {station!r} it is placed at")
        for need in ((station, sid), (sid, sid)):
            if need not in pairs and need[::-1] not in pairs:
                spec.fail("bus_stops", r, "near_station", f"{sid!r} is placed at station {station!r} but "
                          f"interchanges.csv has no {need[0]},{need[1]} row")


def _check_patterns(spec: Spec, lines: dict[str, list[dict[str, Any]]], services: dict[str, str]) -> None:
    """Stopping patterns lie on their line; numbers are unique; odd numbers run in line order.

    Chinese railway numbering: trains running away from Beijing (down, 下行) carry odd
    numbers, towards Beijing even ones; lines.csv lists every line from its Beijing end.
    """
    routes = set(spec["routes"]["route_id"])
    used: dict[str, int] = {}
    klass = dict(zip(spec["routes"]["route_id"], spec["routes"]["train_class"]))
    for r in _rows(spec["train_patterns"]):
        if r["route_id"] not in routes:
            spec.fail("train_patterns", r, "route_id", f"unknown {r['route_id']!r} (not in routes.csv)")
        if services.get(r["service_id"]) != "rail":
            spec.fail("train_patterns", r, "service_id", f"unknown {r['service_id']!r} (not a rail service in services.csv)")
        if r["line_id"] not in lines:
            spec.fail("train_patterns", r, "line_id", f"unknown {r['line_id']!r} (not in lines.csv)")
        order = [x["stop_id"] for x in lines[r["line_id"]]]
        for col in ("from_stop", "to_stop"):
            if r[col] not in order:
                spec.fail("train_patterns", r, col, f"{r[col]!r} is not on line {r['line_id']}")
        i, j = order.index(r["from_stop"]), order.index(r["to_stop"])
        if i == j:
            spec.fail("train_patterns", r, "to_stop", "from_stop and to_stop are the same station")
        between = order[min(i, j) + 1:max(i, j)]
        for s in r["skip_stops"]:
            if s not in between:
                spec.fail("train_patterns", r, "skip_stops", f"{s!r} is not between {r['from_stop']} and "
                          f"{r['to_stop']} on line {r['line_id']}")
        if (r["headsign_zh"] is None) != (r["headsign_en"] is None):
            spec.fail("train_patterns", r, "headsign_en", "headsign_zh and headsign_en go together (both or neither)")
        if r["trains"] == 1 and r["last_dep"] != r["first_dep"]:
            spec.fail("train_patterns", r, "last_dep", "a single train needs last_dep = first_dep")
        down = i < j
        if (r["first_number"] % 2 == 1) != down:
            spec.fail("train_patterns", r, "first_number", f"{'down' if down else 'up'} trains (in line order "
                      f"{'from' if down else 'towards'} the Beijing end) need {'odd' if down else 'even'} numbers")
        for k in range(r["trains"]):
            number = r["first_number"] + 2 * k
            if number > 9999:
                spec.fail("train_patterns", r, "trains", f"train numbers run past 9999 ({number})")
            name = f"{klass.get(r['route_id'], '')}{number}"
            if name in used:
                spec.fail("train_patterns", r, "first_number", f"train {name} is also made by the row on line "
                          f"{used[name]}")
            used[name] = int(r["_line"])
