"""`hbeu validate` as a library: everything wrong with a feed, as a list of notices.

Two sources, one notice shape (code, severity, file, row, field, value, message):

* the canonical GTFS rules, through the ``gtfs-validator`` package (a pure-Python port of
  MobilityData's validator, run through its documented command line in-process);
* the planner's own checks, which the canonical rules do not make or make more leniently: the
  loader's field rules (`feed.fields`), primary keys (`feed.keys`) and verdict, times that go
  backwards within a trip, impossible speeds per mode, stops no trip serves, trips with fewer
  than two stops, services that never run (or not on the date asked), transfers naming unknown
  stops/trips/routes, areas without stops, parent-station cycles, trips longer than four days,
  non-positive headways, and service dates outside the range the feed declares in feed_info.txt.

Each feed is checked on its own (files are named ``<feed>/<file>.txt`` as in the loader's
errors). A feed that cannot be read at all (no such path, not a zip, not CSV) gives one notice
saying why, and the report's exit code is 2.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import json
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import FeedError, FeedWarning
from .fields import WEEKDAYS, Problem, check_table
from .keys import KEYS, first_repeat
from .lines import row_line
from .source import feed_name

SEVERITIES = ("ERROR", "WARNING", "INFO")
#: Fastest plausible speed between consecutive stops, km/h, by mode family (feed.modes).
MAX_SPEED_KMH = {"rail": 400.0, "bus": 150.0, "tram": 150.0, "subway": 150.0, "ferry": 100.0,
                 "aerial_lift": 60.0, "other": 400.0}
MAX_TRIP_SECONDS = 4 * 24 * 3600
#: Consecutive stops timed to the same minute are treated as one minute apart (rounded times).
MIN_HOP_SECONDS = 60
#: The planner's own notices that name a problem the loader refuses a feed for: where one stands
#: at the file, row and field of the loader's refusal, that is the problem, reported once.
LOADER_REFUSALS = ("hbeu_bad_field", "hbeu_duplicate_key", "parent_station_cycle", "transfer_unknown_reference")


@dataclass(frozen=True)
class Notice:
    """One finding. ``row`` is the CSV line (header = line 1), as in the loader's errors."""

    code: str
    severity: str
    file: str | None
    row: int | None
    field: str | None
    value: str | None
    message: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Report:
    """The notices of one run over one or more feeds."""

    feeds: list[str]
    notices: list[Notice] = field(default_factory=list)
    unreadable: bool = False
    canonical: str | None = None   # the canonical validator's version, None when not run

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in SEVERITIES}
        for n in self.notices:
            out[n.severity] = out.get(n.severity, 0) + 1
        return out

    @property
    def exit_code(self) -> int:
        """0 with only warnings, 1 with errors, 2 when a feed cannot be read at all."""
        if self.unreadable:
            return 2
        return 1 if any(n.severity == "ERROR" for n in self.notices) else 0

    def to_json(self) -> dict[str, Any]:
        return {"feeds": self.feeds, "canonical_validator": self.canonical, "counts": self.counts(),
                "exit_code": self.exit_code, "notices": [n.to_json() for n in self.notices]}


class ValidatorMissing(FeedError):
    """The canonical validator package is not installed."""


# ------------------------------------------------------------------------------------ canonical


def canonical_version() -> str | None:
    """The installed gtfs-validator's version, or None."""
    try:
        from gtfs_validator import __version__
    except ImportError:
        return None
    return str(__version__)


#: where a canonical notice names its record: the first key present of each list (a foreign key
#: names the child row, a duplicate key the new row; ``_canonical_file`` covers the rest)
_WHERE = {"file": ("filename", "childFilename"), "row": ("csvRowNumber", "newCsvRowNumber"),
          "field": ("fieldName", "childFieldName", "fieldName1"), "value": ("fieldValue", "fieldValue1")}
_WHERE_KEYS = frozenset(k for keys in _WHERE.values() for k in keys)


def _first(sample: dict[str, Any], what: str) -> Any:
    return next((sample[k] for k in _WHERE[what] if sample.get(k) is not None), None)


@functools.cache
def _canonical_files() -> dict[str, str]:
    """Notice code -> the one file its rule is about (from the validator's notice schema), for
    notices that name a row but no file (e.g. a stop time arriving before the previous departure)."""
    try:
        from importlib.resources import files

        schema = json.loads(files("gtfs_validator").joinpath("data", "notice_schema.json").read_text("utf-8"))
    except (ImportError, OSError, ValueError):
        return {}
    out = {}
    for code, doc in schema.items():
        refs = (doc.get("references") or {}).get("fileReferences") or []
        if len(refs) == 1:
            out[code] = refs[0]
    return out


#: a notice about a trip's (route's...) record names its row as tripCsvRowNumber (...)
_ROW_OF = {"tripCsvRowNumber": "trips.txt", "routeCsvRowNumber": "routes.txt", "stopCsvRowNumber": "stops.txt",
           "stopTimeCsvRowNumber": "stop_times.txt", "agencyCsvRowNumber": "agency.txt"}


#: a notice about two rows (duplicate or overlapping) or a range of rows, and no row of its own
#: nor of a trip's (...) record: the later of the two rows, as for a duplicate key, or the first
#: of the range (a block's two trips: trip A; one geography id in two files: the stop)
_OTHER_ROWS = ("csvRowNumber2", "currCsvRowNumber", "startCsvRowNumber", "csvRowNumberA")


#: notices whose row is in the first file when it has rows, else in the second (the rule's own
#: logic: an expired service of calendar.txt, else of calendar_dates.txt)
_ROW_IN_FIRST_WITH_ROWS = {"expired_calendar": ("calendar.txt", "calendar_dates.txt")}


#: notices that read two files or more and give the row (csvRowNumber) of one without naming it:
#: the file each rule reports on (the validator's rules; e.g. a stop without a zone id is a
#: stops.txt row, found through stop_times, trips and fare_rules)
_ROW_FILE = {
    "equal_shape_distance_diff_coordinates": "shapes.txt",
    "equal_shape_distance_diff_coordinates_distance_below_threshold": "shapes.txt",
    "equal_shape_distance_same_coordinates": "shapes.txt",
    "feed_info_lang_and_agency_lang_mismatch": "agency.txt",
    "inconsistent_route_type_for_in_seat_transfer": "transfers.txt",
    "location_with_unexpected_stop_time": "stops.txt",
    "duplicate_geography_id": "stops.txt",          # csvRowNumberA (B: location_groups.txt)
    "fare_product_with_multiple_default_rider_categories": "fare_products.txt",
    "timeframe_overlap": "timeframes.txt",          # the schema names frequencies.txt
    "missing_bike_allowance": "trips.txt",
    "missing_feed_contact_email_and_url": "feed_info.txt",
    "pathway_dangling_generic_node": "stops.txt",
    "pathway_to_stop_with_access_outside_of_station_pathways": "pathways.txt",
    "pathway_unreachable_location": "stops.txt",
    "stop_time_timepoint_without_times": "stop_times.txt",
    "stop_without_stop_time": "stops.txt",
    "stop_without_zone_id": "stops.txt",
    "transfer_distance_above_2_km": "transfers.txt",
    "transfer_distance_too_large": "transfers.txt",
    "transfer_with_suspicious_mid_trip_in_seat": "transfers.txt",
    "trip_headsign_matches_intermediate_stop": "trips.txt",
    "unusable_trip": "trips.txt",
    "unused_shape": "shapes.txt",
    "unused_trip": "trips.txt",
    "wrong_parent_location_type": "stops.txt",
}


def _has_rows(path: Path, name: str) -> bool:
    """Whether the feed (a zip or a folder) has ``name`` with a line after its header."""
    try:
        if path.is_dir():
            with open(path / name, "rb") as fh:
                lines = fh.read(1 << 16).splitlines()
        else:
            with zipfile.ZipFile(path) as z:
                member = next((m for m in z.namelist() if m.rsplit("/", 1)[-1] == name), None)
                if member is None:
                    return False
                with z.open(member) as fh:
                    lines = fh.read(1 << 16).splitlines()
    except (OSError, zipfile.BadZipFile):
        return False
    return any(line.strip() for line in lines[1:])


def _canonical_where(code: str, sample: dict[str, Any],
                     has_rows: Callable[[str], bool] | None = None) -> tuple[str | None, Any]:
    """The file and row a canonical notice is about (None where it names neither); ``has_rows``:
    whether the feed's file of that name has rows, for rules whose file depends on it."""
    name, row = _first(sample, "file"), _first(sample, "row")
    if name is None and row is not None and code in _ROW_IN_FIRST_WITH_ROWS and has_rows is not None:
        first, second = _ROW_IN_FIRST_WITH_ROWS[code]
        name = first if has_rows(first) else second
    if name is None and row is not None:
        name = _ROW_FILE.get(code) or _canonical_files().get(code)
    if name is None and row is None:
        key = next((k for k in _ROW_OF if sample.get(k) is not None), None)
        if key is not None:
            name, row = _ROW_OF[key], sample[key]
    if name is None and row is None:
        key = next((k for k in _OTHER_ROWS if sample.get(k) is not None), None)
        if key is not None:
            name, row = _ROW_FILE.get(code) or _canonical_files().get(code), sample[key]
    return name, row


def _canonical_message(code: str, sample: dict[str, Any]) -> str:
    extra = {k: v for k, v in sample.items() if k not in _WHERE_KEYS}
    text = code.replace("_", " ")
    if extra:
        text += " (" + ", ".join(f"{k}={v}" for k, v in list(extra.items())[:4]) + ")"
    return text


def canonical_notices(path: Path, feed: str, date: dt.date | None) -> tuple[list[Notice], bool]:
    """The canonical rules' notices for one feed, and whether the validator could open it.

    Runs the package's command line (its stable interface: upstream's flags) in-process into a
    temporary folder, then reads report.json and system_errors.json back.
    """
    try:
        from gtfs_validator.cli import main as gv_main
    except ImportError:
        raise ValidatorMissing("gtfs-validator", "the canonical GTFS rules need the gtfs-validator package: "
                                                 "pip install gtfs-validator") from None
    with tempfile.TemporaryDirectory(prefix="hbeu-validate-") as out:
        args = ["-i", str(path), "-o", out]
        if date is not None:
            args += ["-d", date.isoformat()]
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            status = gv_main(args)
        notices: list[Notice] = []
        has_rows = functools.cache(lambda file: _has_rows(path, file))   # one look per file, not per notice
        for name in ("system_errors.json", "report.json"):
            p = Path(out) / name
            doc = json.loads(p.read_text(encoding="utf-8")) if p.exists() else {"notices": []}
            for group in doc.get("notices", []):
                code, sev = group["code"], group["severity"]
                for s in group.get("sampleNotices", []):
                    fname, row = _canonical_where(code, s, has_rows)
                    file = f"{feed}/{Path(fname).name}" if fname and fname.endswith(".txt") else (fname or None)
                    val = _first(s, "value")
                    notices.append(Notice(code, sev, file, row, _first(s, "field"),
                                          None if val is None else str(val), _canonical_message(code, s)))
    return notices, status == 0


# ------------------------------------------------------------------------------------ planner


def _num(df: pd.DataFrame | None, col: str) -> np.ndarray:
    """A column as numbers, NaN where blank or not a number; each distinct text read once
    (hart's 435,000 stop_sequence values are 73)."""
    if df is None or col not in df:
        return np.full(0 if df is None else len(df), np.nan)
    codes, uniques = pd.factorize(df[col].astype("string").str.strip(), use_na_sentinel=True)
    values = pd.to_numeric(pd.Series(uniques, dtype="string"), errors="coerce").to_numpy(float, na_value=np.nan)
    return np.append(values, np.nan)[codes]   # the last: code -1 (blank)


def _times(df: pd.DataFrame, col: str) -> np.ndarray:
    """GTFS times -> seconds; blank or malformed -> NaN (malformed ones are field notices).
    Each distinct time is parsed once (hart: 64,000 of them for 435,000 rows), by string
    slices (H:MM:SS ends in MM:SS); hours as floats, so an hour too long for an integer is
    a (huge) time, as the loader reads it, not an overflow."""
    if col not in df:
        return np.full(len(df), np.nan)
    codes, uniques = pd.factorize(df[col].astype("string").str.strip(), use_na_sentinel=True)
    texts = pd.Series(uniques, dtype="string")
    parts = texts.str.fullmatch(r"\d+:[0-5]\d:[0-5]\d").to_numpy(dtype=bool, na_value=False)
    secs = np.full(len(texts) + 1, np.nan)   # the last: code -1 (blank)
    if parts.any():
        good = texts[parts].str

        def num(start: int, stop: int | None) -> np.ndarray:
            return good.slice(start, stop).astype("float64").to_numpy(dtype=float)

        secs[:-1][parts] = num(0, -6) * 3600 + num(-5, -3) * 60 + num(-2, None)
    return secs[codes]


def _codes(df: pd.DataFrame, col: str) -> tuple[np.ndarray, np.ndarray]:
    """A text column as (codes, values): values[codes] is the column as ``_str`` gives it, and
    the values are sorted, so codes order rows as their text does (sorting and grouping 435,000
    ints instead of Python strings)."""
    codes, uniques = pd.factorize(_str_column(df, col))
    values = np.asarray(uniques, dtype=object)
    order = np.argsort(values, kind="stable")        # as Python compares the strings
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], values[order]


def _str(df: pd.DataFrame | None, col: str) -> pd.Series:
    return _str_column(df, col).astype(object)


def _str_column(df: pd.DataFrame | None, col: str) -> pd.Series:
    """A column as stripped text, blank where missing (or where there is no such column)."""
    if df is None or col not in df:
        return pd.Series([""] * (0 if df is None else len(df)), dtype="string")
    return df[col].astype("string").fillna("").str.strip().reset_index(drop=True)


def _date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


class _Checks:
    """The planner's checks over one feed's text tables."""

    def __init__(self, feed: str, tables: dict[str, pd.DataFrame], date: dt.date | None,
                 labels: dict[str, str] | None = None, prefixes: dict[str, str] | None = None):
        self.feed, self.t, self.date = feed, tables, date
        self.labels = labels or {}   # merged tables: feed_name -> what the notices call that feed
        self.prefixes = prefixes or {}   # ... and the prefix the merge gave its ids (feed.load)
        self._stations: dict[str, set[str]] = {}   # feed_name -> the other feeds' station ids
        self.out: list[Notice] = []

    def _feed_of(self, table: str | None, pos: Any) -> str | None:
        """The feed row ``pos`` of ``table`` came from, in tables merged from several feeds."""
        if table is None or pos is None or "feed_name" not in self.t[table].columns:
            return None
        return self.t[table]["feed_name"].iloc[int(pos)]

    def ids(self, table: str | None, pos: Any) -> Callable[[str], str]:
        """The ids of row ``pos`` of ``table`` as its feed's files have them. In tables merged from
        several feeds (``planner_errors``) the merge prefixed every id of a feed whose ids clash
        ('gtfs2:CITY1'; feed.load) but those of the stations it shares with an earlier feed,
        whose rows stand for them: such an id is taken back to its file's form one by one, not
        by looking for the prefix in the message's text."""
        name = self._feed_of(table, pos)
        prefix = self.prefixes.get(name, "") if name is not None else ""
        if not prefix:
            return str
        if name not in self._stations:
            st = self.t["stops"]
            other = (st["feed_name"] != name).to_numpy(dtype=bool)
            if "location_type" in st:
                other = other & (st["location_type"] == "1").to_numpy(dtype=bool, na_value=False)
            self._stations[name] = set(st["stop_id"][other])
        stations = self._stations[name]
        return lambda v: v[len(prefix):] if v.startswith(prefix) and v not in stations else v

    def add(self, code: str, severity: str, table: str | None, pos: Any, field_: str | None,
            value: Any, message: str, *, line: int | None = None, feed_of: Any = None) -> None:
        """A notice about row ``pos`` (by position) of ``table``, or about the table as a whole
        (None), at ``line`` if given. The row's line is where it starts in its file (``feed.lines``);
        in tables merged from several feeds (``planner_errors``), in its own feed's file, which
        the notice names (the ``feed_name`` column; ``feed_of``: the row whose feed a notice
        without a row is about); its message and value speak of the ids as that file has them
        (``ids``)."""
        file = f"{self.feed}/{table}.txt" if table else self.feed
        if pos is not None:
            line = row_line(self.t[table], int(pos))
        name = self._feed_of(table, pos if pos is not None else feed_of)
        if name is not None:
            file = f"{self.labels.get(name, name)}/{table}.txt"
        self.out.append(Notice(code, severity, file, line, field_, None if value is None else str(value), message))

    def problem(self, code: str, p: Problem) -> None:
        """A problem the loader finds too (a bad field, a repeated key): an ERROR where it stops
        the planner, else a WARNING (the loader ignores its rows)."""
        more = f" ({p.count} rows)" if p.count > 1 else ""
        what = "stops the planner" if p.fatal else "ignored by the planner"
        self.add(code, "ERROR" if p.fatal else "WARNING", p.table, None, p.field, p.value, f"{p.message}; {what}{more}",
                 line=p.line)

    def run(self, fields: bool = True) -> list[Notice]:
        """Every notice; without ``fields``, not the field notices (hbeu_bad_field)."""
        for name, df in self.t.items() if fields else ():
            for p in check_table(name, df):
                self.problem("hbeu_bad_field", p)
        for name in KEYS if fields else ():
            repeat = first_repeat(name, self.t[name]) if name in self.t else None
            if repeat is not None:
                self.problem("hbeu_duplicate_key", repeat)
        for check in (self.stop_times, self.unserved_stops, self.services, self.transfers, self.areas,
                      self.parent_cycles, self.frequencies, self.feed_dates):
            try:
                check()
            except (KeyError, ValueError, TypeError, IndexError) as e:  # a table too broken to check
                self.add("hbeu_check_skipped", "INFO", None, None, None, None,
                         f"check {check.__name__} skipped: the tables it reads are malformed ({type(e).__name__}: {e})")
        return self.out

    # --- stop_times: order, speed, length ------------------------------------------------------
    def stop_times(self) -> None:
        st, trips = self.t.get("stop_times"), self.t.get("trips")
        if st is None or trips is None:
            return
        # trips and stops by integer codes numbering their ids in sorted order: sorting and
        # grouping by them is sorting and grouping by the ids, without comparing strings
        trip, trip_ids = _codes(st, "trip_id")
        seq = _num(st, "stop_sequence")
        arr, dep = _times(st, "arrival_time"), _times(st, "departure_time")
        arr = np.where(np.isnan(arr), dep, arr)
        dep = np.where(np.isnan(dep), arr, dep)
        order = np.lexsort((np.nan_to_num(seq, nan=np.inf), trip))
        trip, arr, dep = trip[order], arr[order], dep[order]
        sid, stop_ids = _codes(st, "stop_id")
        sid = sid[order]
        # fewer than two stops (trips with no stop_times at all too)
        counts = np.bincount(trip, minlength=len(trip_ids) + 1)    # the last, 0: a trip without stop_times
        listed = _str(trips, "trip_id").to_numpy()
        n_stops = counts[pd.Index(trip_ids).get_indexer(listed)]
        for i in np.flatnonzero((listed != "") & (n_stops < 2)):
            t = listed[i]
            u = self.ids("trips", i)
            self.add("trip_with_fewer_than_two_stops", "ERROR", "trips", i, "trip_id", u(t),
                     f"trip {u(t)!r} has {n_stops[i]} stop(s); a trip needs at least two")
        back = dep < arr
        for i in np.flatnonzero(back):
            u = self.ids("stop_times", order[i])
            self.add("time_travels_backwards", "ERROR", "stop_times", order[i], "departure_time",
                     dep[i], f"trip {u(trip_ids[trip[i]])!r} departs stop {u(stop_ids[sid[i]])!r} before it "
                     "arrives there")
        timed = ~np.isnan(arr)
        idx = np.flatnonzero(timed)
        if len(idx) < 2:
            return
        a, b = idx[:-1], idx[1:]
        same = trip[a] == trip[b]
        a, b = a[same], b[same]
        for i, j in zip(a[arr[b] < dep[a]], b[arr[b] < dep[a]]):
            u = self.ids("stop_times", order[j])
            self.add("time_travels_backwards", "ERROR", "stop_times", order[j], "arrival_time",
                     _clock(arr[j]), f"trip {u(trip_ids[trip[j]])!r} arrives at stop {u(stop_ids[sid[j]])!r} "
                     f"({_clock(arr[j])}) before it left the previous stop ({_clock(dep[i])})")
        # trips longer than four days: each trip's timed rows are one run, in trip order
        tt, ta = trip[timed], arr[timed]
        start = np.flatnonzero(np.r_[True, tt[1:] != tt[:-1]])
        span = np.maximum.reduceat(ta, start) - np.minimum.reduceat(ta, start)
        for k in np.flatnonzero(span > MAX_TRIP_SECONDS):
            t = self.ids("stop_times", order[idx[start[k]]])(trip_ids[tt[start[k]]])
            self.add("trip_longer_than_4_days", "ERROR", "stop_times", None, "arrival_time", t,
                     f"trip {t!r} runs for {span[k] / 86400:.1f} days (more than 4)", feed_of=order[idx[start[k]]])
        self.speeds(trip, trip_ids, sid, stop_ids, arr, dep, order, a, b)

    def speeds(self, trip, trip_ids, sid, stop_ids, arr, dep, order, a, b) -> None:
        """Hops a -> b (rows of the stop_times sorted by ``order``) faster than their mode can
        go; ``trip`` and ``sid`` are codes of ``trip_ids`` and ``stop_ids``, each looked up once."""
        stops, routes, trips = self.t.get("stops"), self.t.get("routes"), self.t.get("trips")
        if stops is None or routes is None:
            return
        from .modes import mode_family

        ids = _str(stops, "stop_id")
        lat = pd.Series(_num(stops, "stop_lat"), index=ids.to_numpy())
        lon = pd.Series(_num(stops, "stop_lon"), index=ids.to_numpy())
        lat, lon = lat[~lat.index.duplicated()], lon[~lon.index.duplicated()]
        lat, lon = lat.reindex(stop_ids).to_numpy(), lon.reindex(stop_ids).to_numpy()
        rtype = pd.Series(_num(routes, "route_type"), index=_str(routes, "route_id").to_numpy())
        rtype = rtype[~rtype.index.duplicated()]
        t_route = pd.Series(_str(trips, "route_id").to_numpy(), index=_str(trips, "trip_id").to_numpy())
        t_route = t_route[~t_route.index.duplicated()]
        km = _haversine_km(lat[sid[a]], lon[sid[a]], lat[sid[b]], lon[sid[b]])
        secs = np.maximum(arr[b] - dep[a], MIN_HOP_SECONDS)
        kmh = km / secs * 3600
        rt = rtype.reindex(t_route.reindex(trip_ids).to_numpy()).to_numpy()   # each trip's route_type
        types, which = np.unique(rt, return_inverse=True)   # each route_type once, not once a trip
        fam_of = np.array([mode_family(int(x)) if np.isfinite(x) else "other" for x in types], dtype=object)
        limit_of = np.array([MAX_SPEED_KMH.get(f, MAX_SPEED_KMH["other"]) for f in fam_of], dtype=float)
        which = which.ravel()[trip[a]]
        fam, limit = fam_of[which], limit_of[which]
        for k in np.flatnonzero(np.nan_to_num(kmh) > limit):
            u = self.ids("stop_times", order[b[k]])
            t, s1, s2 = u(trip_ids[trip[b[k]]]), u(stop_ids[sid[a[k]]]), u(stop_ids[sid[b[k]]])
            self.add("impossible_speed", "ERROR", "stop_times", order[b[k]], "arrival_time",
                     f"{kmh[k]:.0f} km/h",
                     f"trip {t!r} ({fam[k]}) covers {km[k]:.1f} km from {s1!r} to {s2!r} "
                     f"in {max(arr[b[k]] - dep[a[k]], 0) / 60:.0f} min: {kmh[k]:.0f} km/h, over the "
                     f"{limit[k]:.0f} km/h a {fam[k]} can do")

    # --- stops ---------------------------------------------------------------------------------
    def unserved_stops(self) -> None:
        stops, st = self.t.get("stops"), self.t.get("stop_times")
        if stops is None:
            return
        served = set(_str(st, "stop_id")) if st is not None else set()
        lt = _str(stops, "location_type")
        for i, s in enumerate(_str(stops, "stop_id")):
            if s and lt[i] in ("", "0") and s not in served:
                s = self.ids("stops", i)(s)
                self.add("stop_not_served", "WARNING", "stops", i, "stop_id", s, f"no trip serves stop {s!r}")

    def parent_cycles(self) -> None:
        stops = self.t.get("stops")
        if stops is None or "parent_station" not in stops:
            return
        ids = list(_str(stops, "stop_id"))
        parent = dict(zip(ids, _str(stops, "parent_station")))
        pos = {s: i for i, s in reversed(list(enumerate(ids)))}   # each id's first row
        done: set[str] = set()
        for s in ids:
            path: list[str] = []
            cur = s
            while cur and cur not in done and cur not in path:
                path.append(cur)
                cur = parent.get(cur, "")
            if cur and cur in path:
                cyc, u = path[path.index(cur):], self.ids("stops", pos.get(cur))
                self.add("parent_station_cycle", "ERROR", "stops", pos.get(cur), "parent_station", u(parent[cur]),
                         "parent stations form a cycle: " + " -> ".join(map(u, cyc + [cur])) + "; stops the planner")
            done.update(path)

    # --- services --------------------------------------------------------------------------------
    def services(self) -> None:
        cal, cd, trips = self.t.get("calendar"), self.t.get("calendar_dates"), self.t.get("trips")
        runs = _service_days(cal, cd)  # service -> whether it runs on some date
        defined = set(runs)
        used = _str(trips, "service_id") if trips is not None else pd.Series(dtype=object)
        for i, s in enumerate(used):
            if s and s not in defined:
                defined.add(s)  # once per service
                s = self.ids("trips", i)(s)
                self.add("service_not_defined", "ERROR", "trips", i, "service_id", s,
                         f"service {s!r} is in neither calendar.txt nor calendar_dates.txt: the trip never runs")
        for s, (ok, table, row) in runs.items():
            if not ok:
                s = self.ids(table, row)(s)
                self.add("service_never_active", "WARNING", table, row, "service_id", s,
                         f"service {s!r} runs on no date")
        if self.date is not None:
            from .service import active_services

            try:
                active = active_services(cal, cd, self.date)
            except (ValueError, TypeError, KeyError):
                return  # malformed calendar: reported as field notices
            if not active & set(used):
                self.add("no_service_on_date", "WARNING", "calendar", None, None, self.date.isoformat(),
                         f"no trip runs on {self.date.isoformat()}")

    def feed_dates(self) -> None:
        fi = self.t.get("feed_info")
        if fi is None or fi.empty:
            return
        start, end = _date(_str(fi, "feed_start_date")[0]), _date(_str(fi, "feed_end_date")[0])
        if start is None and end is None:
            return
        rng = f"{start or '…'} … {end or '…'}"

        def outside(d: dt.date | None) -> bool:
            return d is not None and ((start is not None and d < start) or (end is not None and d > end))

        for table, cols in (("calendar", ("start_date", "end_date")), ("calendar_dates", ("date",))):
            df = self.t.get(table)
            if df is None:
                continue
            for col in cols:
                for i, v in enumerate(_str(df, col)):
                    if outside(_date(v)):
                        self.add("date_outside_feed_range", "WARNING", table, i, col, v,
                                 f"{v} is outside the feed's declared range {rng} (feed_info.txt)")
                        break
        if outside(self.date):
            self.add("date_outside_feed_range", "WARNING", "feed_info", 0, "feed_start_date",
                     self.date.isoformat(), f"{self.date.isoformat()} is outside the feed's declared range {rng}")

    # --- transfers, areas, frequencies -----------------------------------------------------------
    def transfers(self) -> None:
        tr = self.t.get("transfers")
        if tr is None:
            return
        known = {"stop": set(_str(self.t.get("stops"), "stop_id")), "trip": set(_str(self.t.get("trips"), "trip_id")),
                 "route": set(_str(self.t.get("routes"), "route_id"))}
        for kind, target in (("stop", "stops"), ("trip", "trips"), ("route", "routes")):
            for end in ("from", "to"):
                col = f"{end}_{kind}_id"
                for i, v in enumerate(_str(tr, col)):
                    if v and v not in known[kind]:
                        refused = "; stops the planner" if kind == "stop" else ""   # (the loader checks stops only)
                        v = self.ids("transfers", i)(v)
                        self.add("transfer_unknown_reference", "ERROR", "transfers", i, col, v,
                                 f"unknown {kind} {v!r} (not in {target}.txt){refused}")

    def areas(self) -> None:
        ar = self.t.get("areas")
        if ar is None:
            return
        with_stops = set(_str(self.t.get("stop_areas"), "area_id"))
        for i, a in enumerate(_str(ar, "area_id")):
            if a and a not in with_stops:
                a = self.ids("areas", i)(a)
                self.add("area_without_stops", "WARNING", "areas", i, "area_id", a, f"area {a!r} has no stops")

    def frequencies(self) -> None:
        fq = self.t.get("frequencies")
        if fq is None:
            return
        hw = _num(fq, "headway_secs")
        for i in np.flatnonzero(hw <= 0):
            self.add("frequency_headway_not_positive", "ERROR", "frequencies", i,
                     "headway_secs",
                     _str(fq, "headway_secs")[i], "headway_secs must be more than 0 (the row makes no trips)")


def _clock(s: float) -> str:
    s = int(s)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _haversine_km(la1, lo1, la2, lo2) -> np.ndarray:
    """Great-circle km; NaN (quietly: the coordinate's own notice says why) where a coordinate
    is infinite or missing."""
    p1, p2 = np.radians(la1), np.radians(la2)
    dp, dl = p2 - p1, np.radians(lo2 - lo1)
    with np.errstate(invalid="ignore"):
        h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


#: A calendar.txt row spanning more days than this is taken to run (some weekday is set).
_ENUMERATE_DAYS = 3700


def _service_days(cal: pd.DataFrame | None, cd: pd.DataFrame | None) -> dict[str, tuple[bool, str, int | None]]:
    """service_id -> (runs on some date, the table and row (by position) that defines it)."""
    days: dict[str, set[dt.date]] = {}
    always: set[str] = set()
    where: dict[str, tuple[str, int | None]] = {}
    if cal is not None:
        flags = [_str(cal, d) for d in WEEKDAYS]
        for i, (s, a, b) in enumerate(zip(_str(cal, "service_id"), _str(cal, "start_date"), _str(cal, "end_date"))):
            if not s:
                continue
            where.setdefault(s, ("calendar", i))
            days.setdefault(s, set())
            start, end = _date(a), _date(b)
            week = [flags[w][i] == "1" for w in range(7)]
            if start is None or end is None:
                always.add(s)  # a malformed date: a field notice already; do not guess more
                continue
            if end < start or not any(week):
                continue
            n = (end - start).days + 1
            if n > _ENUMERATE_DAYS:
                always.add(s)
                continue
            days[s].update(start + dt.timedelta(k) for k in range(n) if week[(start.weekday() + k) % 7])
    if cd is not None:
        for i, (s, d, e) in enumerate(zip(_str(cd, "service_id"), _str(cd, "date"), _str(cd, "exception_type"))):
            day = _date(d)
            if not s or day is None:
                continue
            where.setdefault(s, ("calendar_dates", i))
            days.setdefault(s, set())
        removed = [(s, _date(d)) for s, d, e in zip(_str(cd, "service_id"), _str(cd, "date"), _str(cd, "exception_type"))
                   if e == "2"]
        for s, d, e in zip(_str(cd, "service_id"), _str(cd, "date"), _str(cd, "exception_type")):
            if e == "1" and _date(d) is not None:
                days.setdefault(s, set()).add(_date(d))
        for s, d in removed:
            days.get(s, set()).discard(d)
    return {s: (s in always or bool(v), *where.get(s, ("calendar", None))) for s, v in days.items() if s}


# ------------------------------------------------------------------------------------ the run


def validate_feed(path: Path, date: dt.date | None = None, canonical: bool = True,
                  label: str | None = None) -> tuple[list[Notice], bool]:
    """All notices for one feed, and whether it could be read at all. ``label``: what the notices
    call the feed, if not its name (``validate``: the path, for feeds of one name)."""
    from .load import check_feed_path, checked_tables, read_text_tables
    from .source import feed_path

    path = feed_path(path)
    name = label or feed_name(path)
    notices: list[Notice] = []
    try:
        check_feed_path(path)
        tables = read_text_tables(path, label or path.name)
    except FeedError as e:
        return [Notice("hbeu_unreadable_feed", "ERROR", e.file, e.line, e.field, None, e.message)], False
    try:  # the loader's own checks, on the tables already read (as load_feeds([path]) would)
        repaired, refused = checked_tables(label or path.name, tables)[1], None
    except FeedError as e:
        repaired, refused = [], e
    if canonical:
        notices += canonical_notices(path, name, date)[0]
    notices += _Checks(name, tables, date).run()
    for w in repaired:
        warnings.warn(w, FeedWarning, stacklevel=2)
    if refused is not None:
        # the loader names a zip feed's files as x.zip/...; the notices, as x/...
        read_as, file = f"{label or path.name}/", refused.file
        if file and file.startswith(read_as):
            file = f"{name}/{file[len(read_as):]}"
        seen = {(n.file, n.row, n.field) for n in notices if n.code in LOADER_REFUSALS}
        if (file, refused.line, refused.field) not in seen:
            notices.append(Notice("hbeu_load_error", "ERROR", file, refused.line, refused.field, None,
                                  f"{refused.message}; the planner refuses this feed"))
    return notices, True


def validate(paths: list[Path], date: dt.date | None = None, canonical: bool = True,
             progress=None) -> Report:
    """Validate each feed in ``paths``; ``progress(i, path)`` is called before each feed."""
    from .load import feed_labels
    from .source import feed_path

    report = Report(feeds=[str(p) for p in paths], canonical=canonical_version() if canonical else None)
    labels = feed_labels([feed_path(p) for p in paths], feed_name)
    for i, p in enumerate(paths):
        if progress is not None:
            progress(i, p)
        own = labels[i] != feed_name(feed_path(p))
        notices, readable = validate_feed(Path(p), date, canonical, label=labels[i] if own else None)
        report.notices += notices
        report.unreadable |= not readable
    order = {s: k for k, s in enumerate(SEVERITIES)}
    report.notices.sort(key=lambda n: order.get(n.severity, 9))  # stable: by severity, then as found
    return report



def planner_errors(feed) -> list[Notice]:
    """The planner's own ERROR notices for a loaded (merged) feed, without the canonical rules:
    cheap enough to run whenever a command reads the feeds, to warn that answers may be wrong.
    Each names its feed as `hbeu validate` does (feeds of one name: by their paths), and the
    ids as its files have them (the merge prefixes clashing ones)."""
    from .load import feed_labels

    paths = [Path(s.path) for s in feed.sources]
    labels = dict(zip((s.name for s in feed.sources), feed_labels(paths, feed_name)))
    prefixes = {s.name: s.prefix for s in feed.sources}
    return [n for n in _Checks("feed", feed.tables, None, labels, prefixes).run(fields=False) if n.severity == "ERROR"]
