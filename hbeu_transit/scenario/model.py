"""Scenario files: read TOML into typed modifications, checking every field before any work.

A scenario is a small TOML file (format documented in ``data/scenarios/README.md``)::

    name = "hohhot-baotou-hsr"
    description = "..."
    include = ["other-scenario"]        # optional: applied first, in order

    [[modification]]
    type = "add_line"
    ...

TOML, not YAML: ``tomllib`` is in the standard library (no new dependency), ``[[modification]]``
is an ordered list by construction, and TOML has no implicit typing surprises (YAML 1.1 reads
``12:30`` as the integer 750 and ``no`` as false). Times are written as strings ("07:30",
"25:10" past midnight) or TOML local times (07:30:00).

Everything a file can get wrong without looking at a feed (types, negative times, overlapping
bands, unknown fields) is caught here; what needs the feed (unknown stations, routes, areas) is
caught when the modification is applied. Either way the error is one line naming the scenario,
the modification (number and type) and the field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError

__all__ = ["ScenarioError", "Scenario", "StationRef", "NewStation", "Band", "AddLine", "RemoveRoutes",
           "Thin", "SetHeadway", "SpeedUp", "AddStop", "AdjustFares", "Modification",
           "parse_scenario", "read_scenario", "scenario_from_dict", "shipped_scenarios", "scenario_path",
           "SCENARIO_CODE_VERSION", "load_scenarios", "scenario_hash"]

FORMAT_VERSION = 1
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_SETS = {"daily": DAYS, "weekdays": DAYS[:5], "weekends": DAYS[5:]}


class ScenarioError(InputError):
    """A scenario that cannot be applied: one line naming the modification and the field."""

    def __init__(self, where: str, message: str):
        self.where, self.message = where, message
        super().__init__(f"{where}: {message}")


# --------------------------------------------------------------------------- the modifications

@dataclass(frozen=True)
class NewStation:
    """A station the feed does not have yet (a plain stop with coordinates)."""

    id: str
    name: str
    lat: float
    lon: float
    name_en: str | None = None
    area: str | None = None


StationRef = str | NewStation


@dataclass(frozen=True)
class Band:
    """Departures every ``every_min`` minutes from ``start`` (included) to ``end`` (excluded), seconds."""

    start: int
    end: int
    every_min: float


@dataclass(frozen=True)
class Selection:
    """Which trips a modification touches: routes and/or trips by id (empty: every trip)."""

    routes: tuple[str, ...] = ()
    trips: tuple[str, ...] = ()


@dataclass(frozen=True)
class AddLine:
    """A new route with its stations, run times, dwells, timetable and service days."""

    id: str
    stations: tuple[StationRef, ...]
    run_min: tuple[float, ...] | None
    speed_kmh: float | None
    km: tuple[float, ...] | None
    accel_brake_min: float
    dwell_min: tuple[float, ...]
    departures: tuple[int, ...] | None
    headways: tuple[Band, ...] | None
    return_departures: tuple[int, ...] | None
    return_headways: tuple[Band, ...] | None
    both_directions: bool
    name: str
    name_en: str | None
    route_type: int
    agency: str | None
    network: str | None
    train_number: str
    first_number: int
    service: str | None
    days: tuple[str, ...]
    type: str = "add_line"


@dataclass(frozen=True)
class RemoveRoutes:
    """Delete routes (or single trips) with their stop times, frequencies and references."""

    select: Selection
    type: str = "remove_routes"


@dataclass(frozen=True)
class Thin:
    """Keep every n-th trip, or a share of the trips, of each route, direction and service."""

    select: Selection
    keep_every: int | None
    share: float | None
    type: str = "thin"


@dataclass(frozen=True)
class SetHeadway:
    """Replace the trips departing in a band by evenly spaced copies of a template trip."""

    select: Selection
    bands: tuple[Band, ...]          # () = the whole day (first to last departure of each group)
    headway_min: float | None
    headway_factor: float | None
    type: str = "set_headway"


@dataclass(frozen=True)
class SpeedUp:
    """Scale or set run times, on whole trips or on the segment between two stations."""

    select: Selection
    from_station: str | None
    to_station: str | None
    factor: float | None
    run_min: float | None
    both_directions: bool
    type: str = "speed_up"


@dataclass(frozen=True)
class AddStop:
    """A new call between two consecutive stations of existing trips, with a dwell time."""

    select: Selection
    station: StationRef
    between: tuple[str, str]
    dwell_min: float
    extra_run_min: float
    type: str = "add_stop"


@dataclass(frozen=True)
class AdjustFares:
    """Change the fare products of Fares v2 leg rules between two areas."""

    from_area: str
    to_area: str
    network: str | None
    both_directions: bool
    amount: float | None
    factor: float | None
    add: float | None
    currency: str | None
    type: str = "adjust_fares"


Modification = AddLine | RemoveRoutes | Thin | SetHeadway | SpeedUp | AddStop | AdjustFares


@dataclass(frozen=True)
class Scenario:
    """A named, ordered list of modifications (included scenarios already expanded in order)."""

    name: str
    description: str = ""
    modifications: tuple[Modification, ...] = ()
    source: str = "<dict>"
    #: Where each modification came from ("file.toml modification 2 (add_line)"), for errors.
    labels: tuple[str, ...] = field(default=())
    #: The file read (its name) and the sha256 of its bytes: None for a scenario given as a dict.
    file: str | None = None
    sha256: str | None = None
    #: Each file it includes, at any depth, in the order applied: (file, sha256).
    includes: tuple[tuple[str | None, str | None], ...] = field(default=())

    def record(self) -> dict[str, Any]:
        """What an export's metadata says of the scenario: its name, file and the file's sha256,
        and ``includes`` (the included files and theirs) when it includes others: the top file's
        sha256 alone does not change when an included file does."""
        out: dict[str, Any] = {"name": self.name, "file": self.file, "sha256": self.sha256}
        if self.includes:
            out["includes"] = [{"file": f, "sha256": h} for f, h in self.includes]
        return out

    def label(self, i: int) -> str:
        return self.labels[i] if i < len(self.labels) else f"{self.source} modification {i + 1}"


# --------------------------------------------------------------------------- field reader

class _Fields:
    """Typed access to one table of the file; every error names the table and the field."""

    def __init__(self, data: dict[str, Any], where: str):
        self.data, self.where, self.used = data, where, {"type"}

    def fail(self, name: str | None, message: str) -> ScenarioError:
        return ScenarioError(self.where + (f" field {name!r}" if name else ""), message)

    def has(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str, default: Any = None) -> Any:
        self.used.add(name)
        return self.data.get(name, default)

    def text(self, name: str, default: str | None = None, required: bool = False) -> str | None:
        v = self.raw(name)
        if v is None:
            if required:
                raise self.fail(name, "is required")
            return default
        if not isinstance(v, str) or not v.strip():
            raise self.fail(name, f"expected a non-empty string, got {v!r}")
        return v.strip()

    def number(self, name: str, default: float | None = None, *, positive: bool = False,
               minimum: float | None = None, required: bool = False) -> float | None:
        v = self.raw(name)
        if v is None:
            if required:
                raise self.fail(name, "is required")
            return default
        return self._num(name, v, positive=positive, minimum=minimum)

    def _num(self, name: str, v: Any, *, positive: bool = False, minimum: float | None = None) -> float:
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise self.fail(name, f"expected a number, got {v!r}")
        if positive and v <= 0:
            raise self.fail(name, f"must be positive, got {v!r}")
        if minimum is not None and v < minimum:
            what = "negative time" if minimum == 0 else f"must be at least {minimum}"
            raise self.fail(name, f"{what} {v!r}" if minimum == 0 else f"{what}, got {v!r}")
        return float(v)

    def numbers(self, name: str, *, positive: bool = False, minimum: float | None = None) -> tuple[float, ...] | None:
        v = self.raw(name)
        if v is None:
            return None
        if not isinstance(v, list):
            v = [v]
        return tuple(self._num(name, x, positive=positive, minimum=minimum) for x in v)

    def integer(self, name: str, default: int | None = None, *, minimum: int | None = None) -> int | None:
        v = self.raw(name)
        if v is None:
            return default
        if isinstance(v, bool) or not isinstance(v, int):
            raise self.fail(name, f"expected a whole number, got {v!r}")
        if minimum is not None and v < minimum:
            raise self.fail(name, f"must be at least {minimum}, got {v!r}")
        return v

    def flag(self, name: str, default: bool) -> bool:
        v = self.raw(name)
        if v is None:
            return default
        if not isinstance(v, bool):
            raise self.fail(name, f"expected true or false, got {v!r}")
        return v

    def ids(self, name: str) -> tuple[str, ...]:
        v = self.raw(name)
        if v is None:
            return ()
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            raise self.fail(name, f"expected a list of ids, got {v!r}")
        return tuple(x.strip() for x in v)

    def clock(self, name: str, v: Any) -> int:
        """A time of day: "HH:MM[:SS]" (hours to 47) or a TOML local time, as seconds."""
        if isinstance(v, dt.time):
            return v.hour * 3600 + v.minute * 60 + v.second
        if isinstance(v, str):
            parts = v.strip().split(":")
            if len(parts) in (2, 3) and all(p.isdigit() for p in parts):
                h, m, s = (int(p) for p in (parts + ["0"])[:3])
                if h <= 47 and m < 60 and s < 60:
                    return h * 3600 + m * 60 + s
        if isinstance(v, int | float) and not isinstance(v, bool) and v < 0:
            raise self.fail(name, f"negative time {v!r}")
        raise self.fail(name, f"bad time {v!r} (expected \"HH:MM\", hours 0-47)")

    def clocks(self, name: str) -> tuple[int, ...] | None:
        v = self.raw(name)
        if v is None:
            return None
        if not isinstance(v, list) or not v:
            raise self.fail(name, f"expected a list of times, got {v!r}")
        out = tuple(self.clock(name, x) for x in v)
        dup = sorted({t for t in out if out.count(t) > 1})
        if dup:
            raise self.fail(name, f"departure {_hm(dup[0])} is listed twice")
        return tuple(sorted(out))

    def bands(self, name: str, *, every_required: bool = True) -> tuple[Band, ...] | None:
        v = self.raw(name)
        if v is None:
            return None
        if isinstance(v, dict):
            v = [v]
        if not isinstance(v, list) or not v or not all(isinstance(b, dict) for b in v):
            raise self.fail(name, f"expected a list of {{start, end, every_min}} tables, got {v!r}")
        out = []
        for k, b in enumerate(v, start=1):
            extra = set(b) - {"start", "end", "every_min"}
            if extra:
                raise self.fail(f"{name}[{k}].{sorted(extra)[0]}", "unknown field (expected start, end, every_min)")
            for key in ("start", "end") + (("every_min",) if every_required else ()):
                if key not in b:
                    raise self.fail(f"{name}[{k}].{key}", "is required")
            start, end = self.clock(f"{name}[{k}].start", b["start"]), self.clock(f"{name}[{k}].end", b["end"])
            if end <= start:
                raise self.fail(f"{name}[{k}]", f"band ends ({_hm(end)}) before it starts ({_hm(start)})")
            every = self._num(f"{name}[{k}].every_min", b["every_min"], positive=True) if "every_min" in b else 0.0
            out.append(Band(start, end, every))
        out.sort(key=lambda b: b.start)
        for a, b in zip(out, out[1:]):
            if b.start < a.end:
                raise self.fail(name, f"overlapping bands {_hm(a.start)}-{_hm(a.end)} and {_hm(b.start)}-{_hm(b.end)}")
        return tuple(out)

    def station(self, name: str, v: Any) -> StationRef:
        if isinstance(v, str) and v.strip():
            return v.strip()
        if isinstance(v, dict):
            sub = _Fields(v, f"{self.where} field {name!r}")
            sub.used.discard("type")
            lat = sub.number("lat", required=True)
            lon = sub.number("lon", required=True)
            if not -90 <= lat <= 90 or not -180 <= lon <= 180:
                raise self.fail(name, f"bad coordinates {lat}, {lon}")
            st = NewStation(id=sub.text("id", required=True), name=sub.text("name", required=True), lat=lat, lon=lon,
                            name_en=sub.text("name_en"), area=sub.text("area"))
            sub.finish()
            return st
        raise self.fail(name, f"expected a station id or name, or a new station {{id, name, lat, lon}}, got {v!r}")

    def pick(self, given: dict[str, Any], message: str, *, optional: bool = False, blame: str | None = None) -> None:
        """The "give either a or b" rules: of the fields in ``given`` (name -> the value read, None
        when absent) exactly one must be given (at most one when ``optional``); else fail on
        ``blame`` (default: the first field) with ``message``."""
        n = sum(v is not None for v in given.values())
        if n > 1 or (n == 0 and not optional):
            raise self.fail(blame or next(iter(given)), message)

    def together(self, given: dict[str, Any], message: str) -> None:
        """The "both or neither" rules: fail on the missing field when only some of ``given`` are."""
        missing = [k for k, v in given.items() if v is None]
        if 0 < len(missing) < len(given):
            raise self.fail(missing[0], message)

    def selection(self) -> Selection:
        return Selection(routes=self.ids("routes"), trips=self.ids("trips"))

    def finish(self) -> None:
        extra = sorted(set(self.data) - self.used)
        if extra:
            raise self.fail(extra[0], "unknown field")


def _hm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


# --------------------------------------------------------------------------- one reader per type

def _add_line(f: _Fields) -> AddLine:
    raw = f.raw("stations")
    if not isinstance(raw, list) or len(raw) < 2:
        raise f.fail("stations", f"expected a list of at least two stations, got {raw!r}")
    stations = tuple(f.station("stations", s) for s in raw)
    keys = [s.id if isinstance(s, NewStation) else s for s in stations]
    if len(set(keys)) != len(keys):
        raise f.fail("stations", "a station appears twice (a line visits each station once)")
    segs = len(stations) - 1
    run = f.numbers("run_min", positive=True)
    speed = f.number("speed_kmh", positive=True)
    km = f.numbers("km", positive=True)
    f.pick({"run_min": run, "speed_kmh": speed},
           "give either run_min (per segment) or speed_kmh (with km, or straight-line distances)")
    if run is not None and len(run) not in (1, segs):
        raise f.fail("run_min", f"expected 1 or {segs} values (one per segment), got {len(run)}")
    if km is not None and speed is None:
        raise f.fail("km", "km is only used with speed_kmh")
    accel = f.number("accel_brake_min", 0.0, minimum=0)
    if accel and speed is None:
        raise f.fail("accel_brake_min", "accel_brake_min is only used with speed_kmh")
    if km is not None and len(km) != segs:
        raise f.fail("km", f"expected {segs} values (one per segment), got {len(km)}")
    dwell = f.numbers("dwell_min", minimum=0) or (2.0,)
    if len(dwell) not in (1, max(segs - 1, 1)):
        raise f.fail("dwell_min", f"expected 1 or {segs - 1} values (one per intermediate station), got {len(dwell)}")
    deps, heads = f.clocks("departures"), f.bands("headways")
    f.pick({"departures": deps, "headways": heads}, "give either departures (a list of times) or headways (time bands)")
    both = f.flag("both_directions", True)
    rdeps, rheads = f.clocks("return_departures"), f.bands("return_headways")
    if not both and (rdeps or rheads):
        raise f.fail("return_departures", "return timetable given but both_directions = false")
    f.pick({"return_departures": rdeps, "return_headways": rheads},
           "give return_departures or return_headways, not both", optional=True)
    pattern = f.text("train_number", "{id}-{n}")
    try:
        pattern.format(id="X", n=1)
    except (KeyError, IndexError, ValueError) as e:
        raise f.fail("train_number", f"bad pattern {pattern!r} (use {{n}} and {{id}}, e.g. \"G{{n}}\"): {e}") from None
    service = f.text("service")
    days_raw = f.raw("days")
    f.pick({"service": service, "days": days_raw}, "give service (an existing service_id) or days, not both",
           optional=True, blame="days")
    if days_raw is None:
        days = DAYS
    elif isinstance(days_raw, str) and days_raw in DAY_SETS:
        days = DAY_SETS[days_raw]
    elif isinstance(days_raw, list) and days_raw and all(isinstance(d, str) and d.lower() in DAYS for d in days_raw):
        days = tuple(d for d in DAYS if d in {x.lower() for x in days_raw})
    else:
        raise f.fail("days", f"expected daily, weekdays, weekends or a list of day names, got {days_raw!r}")
    line_id = f.text("id", required=True)
    return AddLine(
        id=line_id, stations=stations, run_min=run, speed_kmh=speed, km=km, accel_brake_min=accel, dwell_min=dwell,
        departures=deps, headways=heads, return_departures=rdeps, return_headways=rheads, both_directions=both,
        name=f.text("name", line_id), name_en=f.text("name_en"), route_type=f.integer("route_type", 2, minimum=0),
        agency=f.text("agency"), network=f.text("network"), train_number=pattern,
        first_number=f.integer("first_number", 1, minimum=0), service=service, days=days)


def _need_selection(f: _Fields) -> Selection:
    sel = f.selection()
    if not sel.routes and not sel.trips:
        raise f.fail("routes", "name the routes (or trips) to change")
    return sel


def _remove_routes(f: _Fields) -> RemoveRoutes:
    return RemoveRoutes(select=_need_selection(f))


def _thin(f: _Fields) -> Thin:
    sel = _need_selection(f)
    every = f.integer("keep_every", minimum=1)
    share = f.number("share")
    f.pick({"keep_every": every, "share": share}, "give either keep_every (keep every n-th trip) or share (0-1)")
    if share is not None and not 0 < share <= 1:
        raise f.fail("share", f"must be in (0, 1], got {share!r}")
    return Thin(select=sel, keep_every=every, share=share)


def _set_headway(f: _Fields) -> SetHeadway:
    sel = _need_selection(f)
    every = f.number("headway_min", positive=True)
    factor = f.number("headway_factor", positive=True)
    f.pick({"headway_min": every, "headway_factor": factor}, "give headway_min or headway_factor, not both",
           optional=True, blame="headway_factor")
    bands = f.bands("bands", every_required=False)
    if bands is None:
        start, end = f.raw("start"), f.raw("end")
        f.together({"start": start, "end": end}, "give both start and end, or neither (whole day)")
        bands = ()
        if start is not None:
            bands = (Band(f.clock("start", start), f.clock("end", end), 0.0),)
            if bands[0].end <= bands[0].start:
                raise f.fail("end", "band ends before it starts")
    elif f.has("start") or f.has("end"):
        raise f.fail("start", "give bands or start/end, not both")
    if factor is not None and any(b.every_min for b in bands):
        raise f.fail("bands", "every_min in a band conflicts with headway_factor")
    if factor is None and every is None and (not bands or not all(b.every_min for b in bands)):
        raise f.fail("headway_min", "give headway_min (or every_min in each band), or headway_factor "
                     "(0.5 doubles the trips)")
    bands = tuple(Band(b.start, b.end, b.every_min or (every or 0.0)) for b in bands)
    return SetHeadway(select=sel, bands=bands, headway_min=every, headway_factor=factor)


def _speed_up(f: _Fields) -> SpeedUp:
    sel = f.selection()
    frm, to = f.text("from"), f.text("to")
    f.together({"from": frm, "to": to}, "a segment needs both from and to")
    if frm is not None and frm == to:
        raise f.fail("to", "from and to are the same station")
    factor = f.number("factor", positive=True)
    run = f.number("run_min", positive=True)
    f.pick({"factor": factor, "run_min": run}, "give either factor (run times x factor) or run_min (segment run time)")
    if run is not None and frm is None:
        raise f.fail("run_min", "run_min sets a segment's time: give from and to as well")
    if not sel.routes and not sel.trips and frm is None:
        raise f.fail("routes", "name the routes (or trips) to speed up, or a segment (from, to)")
    return SpeedUp(select=sel, from_station=frm, to_station=to, factor=factor, run_min=run,
                   both_directions=f.flag("both_directions", True))


def _add_stop(f: _Fields) -> AddStop:
    sel = _need_selection(f)
    if not f.has("station"):
        raise f.fail("station", "is required")
    station = f.station("station", f.raw("station"))
    between = f.ids("between")
    if len(between) != 2 or between[0] == between[1]:
        raise f.fail("between", f"expected two different consecutive stations, got {list(between)!r}")
    return AddStop(select=sel, station=station, between=(between[0], between[1]),
                   dwell_min=f.number("dwell_min", 2.0, minimum=0),
                   extra_run_min=f.number("extra_run_min", 0.0, minimum=0))


def _adjust_fares(f: _Fields) -> AdjustFares:
    amount = f.number("amount", minimum=0)
    factor = f.number("factor", minimum=0)
    add = f.number("add")
    f.pick({"amount": amount, "factor": factor, "add": add},
           "give exactly one of amount (set), factor (multiply) or add (CNY more or less)")
    return AdjustFares(from_area=f.text("from_area", required=True), to_area=f.text("to_area", required=True),
                       network=f.text("network"), both_directions=f.flag("both_directions", True),
                       amount=amount, factor=factor, add=add, currency=f.text("currency"))


READERS = {"add_line": _add_line, "remove_routes": _remove_routes, "thin": _thin, "set_headway": _set_headway,
           "speed_up": _speed_up, "add_stop": _add_stop, "adjust_fares": _adjust_fares}


# --------------------------------------------------------------------------- files

def _shipped_dir() -> Path | None:
    """The scenarios installed with the package (data/scenarios in a checkout)."""
    from importlib import resources

    try:
        # a data-only package without __init__.py is a namespace package: files() gives a
        # MultiplexedPath, whose str() is not a path, so find the folder through its files
        for f in resources.files("hbeu_transit._scenarios").iterdir():
            if str(f).endswith(".toml"):
                return Path(str(f)).parent
    except (ModuleNotFoundError, FileNotFoundError, TypeError):
        pass
    repo = Path(__file__).resolve().parents[2] / "data" / "scenarios"
    return repo if repo.is_dir() else None


def shipped_scenarios() -> dict[str, Path]:
    """Name -> file of every scenario shipped with the package."""
    d = _shipped_dir()
    return {p.stem: p for p in sorted(d.glob("*.toml"))} if d else {}


def scenario_path(ref: str | Path, base: Path | None = None) -> Path:
    """A scenario file: a path (relative to ``base`` for includes), or a shipped scenario's name."""
    if not str(ref).strip():   # Path("") is the current folder: it read "error: : no such scenario file"
        known = ", ".join(shipped_scenarios()) or "none"
        raise ScenarioError(repr(str(ref)), f"an empty scenario names no file: give a file or a shipped scenario ({known})")
    p = Path(ref)
    for cand in ([base / p] if base is not None and not p.is_absolute() else []) + [p]:
        if cand.is_file():
            return cand
    shipped = shipped_scenarios()
    name = str(ref)[:-5] if str(ref).endswith(".toml") else str(ref)
    if name in shipped:
        return shipped[name]
    known = ", ".join(shipped) or "none"
    raise ScenarioError(str(ref), f"no such scenario file (shipped scenarios: {known})")


def parse_scenario(data: dict[str, Any], source: str = "<dict>", *, base: Path | None = None,
                   _seen: tuple[str, ...] = ()) -> Scenario:
    """A Scenario from the parsed TOML (or an equivalent dict); raises ScenarioError."""
    if not isinstance(data, dict):
        raise ScenarioError(source, "a scenario is a table with name and [[modification]] entries")
    top = _Fields(data, source)
    top.used.discard("type")
    name = top.text("name", required=True)
    version = top.integer("format", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise top.fail("format", f"unsupported format {version} (this version reads {FORMAT_VERSION})")
    description = top.text("description", "")
    top.raw("sources")  # free-form citations, kept in the file for readers
    mods: list[Modification] = []
    labels: list[str] = []
    includes: list[tuple[str | None, str | None]] = []
    for ref in top.ids("include"):
        path = scenario_path(ref, base)
        key = str(path.resolve())
        if key in _seen:
            raise top.fail("include", f"scenario {ref!r} includes itself")
        inner = read_scenario(path, _seen=_seen + (key,))
        mods.extend(inner.modifications)
        labels.extend(inner.labels)
        includes.extend([(inner.file, inner.sha256), *inner.includes])
    raw_mods = top.raw("modification", [])
    if not isinstance(raw_mods, list) or not all(isinstance(m, dict) for m in raw_mods):
        raise top.fail("modification", "expected [[modification]] tables")
    top.finish()
    for i, m in enumerate(raw_mods, start=1):
        kind = m.get("type")
        where = f"{source} modification {i} ({kind})" if isinstance(kind, str) else f"{source} modification {i}"
        if kind not in READERS:
            raise ScenarioError(f"{where} field 'type'",
                                f"unknown modification type {kind!r} (expected one of {', '.join(READERS)})")
        f = _Fields(m, where)
        mods.append(READERS[kind](f))
        f.finish()
        labels.append(where)
    return Scenario(name=name, description=description, modifications=tuple(mods), source=source,
                    labels=tuple(labels), includes=tuple(includes))


def read_scenario(path: str | Path, *, _seen: tuple[str, ...] = ()) -> Scenario:
    """Read and check a scenario file (or a shipped scenario's name)."""
    p = scenario_path(path)
    try:
        raw = p.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ScenarioError(str(path), f"cannot read scenario ({e})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(str(path), f"not valid TOML ({e})") from None
    seen = _seen or (str(p.resolve()),)
    parsed = parse_scenario(data, str(path) if Path(path).is_file() else p.name, base=p.parent, _seen=seen)
    return dataclasses.replace(parsed, file=p.name, sha256=hashlib.sha256(raw).hexdigest())


def scenario_from_dict(data: dict[str, Any] | Scenario) -> Scenario:
    """A Scenario from a dict shaped like the TOML file (or a Scenario, unchanged)."""
    return data if isinstance(data, Scenario) else parse_scenario(data, "<dict>")


#: Bump when a modification's meaning changes: cached scenario feeds are then rebuilt.
SCENARIO_CODE_VERSION = "1"


def load_scenarios(refs: Sequence[str | Path | dict | Scenario]) -> list[Scenario]:
    """Scenario files (or shipped names, dicts, Scenarios), read and checked, in order; any other
    value (a number, bytes, a date) is an InputError naming the ``scenarios`` parameter."""
    for r in refs:
        if not isinstance(r, str | Path | Mapping | Scenario):
            raise InputError(f"a scenario is a file, a shipped scenario name or a dict shaped like its TOML "
                             f"(data/scenarios/README.md) for {{scenarios}}, not {r!r}", "scenarios")
    return [read_scenario(r) if isinstance(r, str | Path) else scenario_from_dict(r) for r in refs]


def scenario_hash(scenarios: Sequence[Scenario]) -> str:
    """A hash of what the scenarios do (their parsed content, not their file bytes or names)."""
    h = hashlib.sha256(SCENARIO_CODE_VERSION.encode())
    for s in scenarios:
        h.update(repr((s.name, s.modifications)).encode())
    return h.hexdigest()
