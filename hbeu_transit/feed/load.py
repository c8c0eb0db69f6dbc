"""Load one or more GTFS feeds (zip or folder) through gtfs-kit and merge them into one Feed.

IDs stay as published unless two feeds use the same ID for different things; then the later
feed's IDs get a ``<feed name>:`` prefix, so every ID in the merged feed is unique. Every table
gains a ``feed_name`` column saying which feed each row came from.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..cache import file_sha256
from ..errors import FeedError, FeedWarning
from ..values import as_paths
from .fields import Problem
from .keys import KEYS, first_repeat, repeated_rows
from .limits import Budget, Limits, folder_files, zip_members
from .lines import csv_rows, record_lines, row_line, row_lines, set_row_lines, take_rows
from .bundled import default_feed_paths  # noqa: F401  (re-exported)
from .source import FeedSource, feed_name, feed_path  # noqa: F401  (FeedSource re-exported)

#: GTFS files gtfs-kit does not read but this project uses (Fares v2 areas, translations...).
EXTRA_TABLES = ("areas", "stop_areas", "translations", "fare_media", "fare_products",
                "fare_leg_rules", "fare_transfer_rules", "networks", "route_networks",
                "timeframes", "rider_categories")

#: (table, column, id kind) for every ID column, used to detect collisions and prefix.
ID_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("agency", "agency_id", "agency"), ("routes", "agency_id", "agency"),
    ("fare_attributes", "agency_id", "agency"), ("attributions", "agency_id", "agency"),
    ("stops", "stop_id", "stop"), ("stops", "parent_station", "stop"),
    ("stop_times", "stop_id", "stop"), ("transfers", "from_stop_id", "stop"),
    ("transfers", "to_stop_id", "stop"), ("stop_areas", "stop_id", "stop"),
    ("routes", "route_id", "route"), ("trips", "route_id", "route"),
    ("fare_rules", "route_id", "route"), ("route_networks", "route_id", "route"),
    ("transfers", "from_route_id", "route"), ("transfers", "to_route_id", "route"),
    ("calendar", "service_id", "service"), ("calendar_dates", "service_id", "service"),
    ("trips", "service_id", "service"),
    ("trips", "trip_id", "trip"), ("stop_times", "trip_id", "trip"),
    ("frequencies", "trip_id", "trip"), ("transfers", "from_trip_id", "trip"),
    ("transfers", "to_trip_id", "trip"),
    ("shapes", "shape_id", "shape"), ("trips", "shape_id", "shape"),
    ("trips", "block_id", "block"),
    ("fare_attributes", "fare_id", "fare"), ("fare_rules", "fare_id", "fare"),
    ("stops", "zone_id", "zone"), ("fare_rules", "origin_id", "zone"),
    ("fare_rules", "destination_id", "zone"), ("fare_rules", "contains_id", "zone"),
    ("areas", "area_id", "area"), ("stop_areas", "area_id", "area"),
    ("fare_leg_rules", "from_area_id", "area"), ("fare_leg_rules", "to_area_id", "area"),
    ("fare_products", "fare_product_id", "fare_product"),
    ("fare_leg_rules", "fare_product_id", "fare_product"),
    ("fare_transfer_rules", "fare_product_id", "fare_product"),
    ("fare_media", "fare_media_id", "fare_media"), ("fare_products", "fare_media_id", "fare_media"),
    ("networks", "network_id", "network"), ("route_networks", "network_id", "network"),
    ("fare_leg_rules", "network_id", "network"),
    ("fare_leg_rules", "leg_group_id", "leg_group"),
    ("fare_transfer_rules", "from_leg_group_id", "leg_group"),
    ("fare_transfer_rules", "to_leg_group_id", "leg_group"),
    ("timeframes", "timeframe_group_id", "timeframe"),
    ("fare_leg_rules", "from_timeframe_group_id", "timeframe"),
    ("fare_leg_rules", "to_timeframe_group_id", "timeframe"),
    ("attributions", "attribution_id", "attribution"),
)

REQUIRED = ("agency", "stops", "routes", "trips", "stop_times")
GTFS_TABLES = ("agency", "attributions", "calendar", "calendar_dates", "fare_attributes",
               "fare_rules", "feed_info", "frequencies", "routes", "shapes", "stops",
               "stop_times", "trips", "transfers")


@dataclass
class Feed:
    """A merged GTFS feed: every table as a DataFrame of strings (plus a ``feed_name`` column)."""

    tables: dict[str, pd.DataFrame]
    sources: list[FeedSource] = field(default_factory=list)
    #: one line per repaired field (a bad value in a field the answers can do without, blanked)
    warnings: list[str] = field(default_factory=list)

    def get(self, name: str) -> pd.DataFrame | None:
        """The table ``name`` (without .txt), or None when no feed has it."""
        return self.tables.get(name)

    def __getattr__(self, name: str) -> pd.DataFrame | None:
        if name in GTFS_TABLES or name in EXTRA_TABLES:
            return self.tables.get(name)
        raise AttributeError(name)

    @property
    def content_hash(self) -> str:
        """A hash of the input files and their prefixes: the cache key of everything derived."""
        h = hashlib.sha256()
        for s in self.sources:
            h.update(f"{s.sha256}:{s.prefix};".encode())
        return h.hexdigest()[:20]

    @functools.cached_property
    def timezone(self) -> str:
        """The first agency's timezone (GTFS requires all agencies of a feed to share one).
        Feeds merged from different timezones have no one clock to read their times on (a New
        York 07:00 is not a Los Angeles 07:00): FeedError naming them (asked again, again).
        Worked out once per Feed: its tables are not changed once loaded (a scenario makes a
        new Feed), and the timetable, place index, dates and frequency tables all ask."""
        ag = self.tables.get("agency")
        if ag is None or ag.empty or "agency_timezone" not in ag:
            return "UTC"
        first = ag.drop_duplicates("feed_name") if "feed_name" in ag else ag.iloc[:1]
        zones = dict(zip(first.get("feed_name", first["agency_timezone"]), first["agency_timezone"].astype(str)))
        tz = str(ag["agency_timezone"].iloc[0])
        other = {f: z for f, z in zones.items() if not _same_clock(z, tz)}
        if other:
            files = [s.path for s in self.sources if s.name in zones] or list(zones)
            raise FeedError(", ".join(Path(f).name for f in files),
                            "feeds in different timezones cannot be merged (" +
                            ", ".join(f"{f}: {z}" for f, z in zones.items()) + "): use them one at a time")
        return tz

    def to_gtfs_kit(self):
        """A gtfs_kit.Feed of the merged tables, for gtfs-kit's statistics."""
        import gtfs_kit as gk

        kw = {t: self._kit_table(t) for t in GTFS_TABLES}
        return gk.Feed(dist_units="km", **kw)

    def _kit_table(self, name: str) -> pd.DataFrame | None:
        """A table with gtfs-kit's own column types (numbers as numbers), as its statistics expect."""
        from gtfs_kit.constants import DTYPES

        df = self.tables.get(name)
        if df is None:
            return None
        df = df.drop(columns=["feed_name"], errors="ignore")
        types = {c: t for c, t in DTYPES.get(name, {}).items() if c in df and t != "string"}
        for c, t in types.items():
            num = pd.to_numeric(df[c], errors="coerce")
            df[c] = num.astype(t) if t.startswith("Int") else num.astype(float)
        return df


def _same_clock(a: str, b: str) -> bool:
    """Whether two timezone names keep the same clock (the same UTC offsets, winter and summer);
    unknown names compare by name (the timezone check reports them)."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    if a == b:
        return True
    try:
        za, zb = ZoneInfo(a), ZoneInfo(b)
    except (ValueError, KeyError, OSError):
        return False
    days = [dt.datetime(2024, m, 15, 12) for m in (1, 7)]
    return all(d.replace(tzinfo=za).utcoffset() == d.replace(tzinfo=zb).utcoffset() for d in days)


_CSV_OPTS = dict(dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, EOFError, OSError)


def _read_text_tables(path: Path, names: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """Read the GTFS files ``names`` of a zip or folder, every column as text (blank = NA).

    Empty files (or only a newline) count as absent. A file that is not CSV, not UTF-8 or
    damaged in the zip raises FeedError naming it (and the line, where one is known); so does
    one over the size limits (``feed.limits``), before it is read and while it is read.
    """
    out: dict[str, pd.DataFrame] = {}

    def clean(df: pd.DataFrame) -> pd.DataFrame:
        df.columns = [str(c).strip() for c in df.columns]
        return df

    budget = Budget(path.name, Limits.from_env())
    wanted = {f"{name}.txt" for name in names}
    if path.is_file():
        try:
            with zipfile.ZipFile(path) as zf:
                members = zip_members(path, zf, wanted, budget)
                for name in names:
                    m = members.get(f"{name}.txt")
                    if m is None:
                        continue
                    try:
                        with zf.open(m) as fh:
                            data = budget.read(f"{name}.txt", fh, packed=m.compress_size)
                    except _ZIP_ERRORS as e:
                        raise FeedError(f"{path.name}/{name}.txt", f"cannot be read from the zip ({e})") from None
                    if data.strip():
                        out[name] = clean(_read_csv(data, f"{path.name}/{name}.txt"))
        except _ZIP_ERRORS as e:
            raise FeedError(str(path), f"cannot be read as a zip ({e})") from None
    else:
        files = folder_files(path, wanted, budget)
        for name in names:
            p = files.get(f"{name}.txt")
            if p is None:
                continue
            try:
                with open(p, "rb") as fh:
                    data = budget.read(f"{name}.txt", fh)
            except OSError as e:
                raise FeedError(f"{path.name}/{name}.txt", f"cannot be read ({e.strerror or e})") from None
            if data.strip():
                out[name] = clean(_read_csv(data, f"{path.name}/{name}.txt"))
    return out


def _read_csv(data: bytes, where: str) -> pd.DataFrame:
    try:
        df = pd.read_csv(io.BytesIO(data), **_CSV_OPTS)
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise FeedError(where, f"is not UTF-8 text (byte {data[e.start:e.start + 1]!r}); "
                               "save it as UTF-8", line=line) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as e:
        raise _csv_error(where, str(e).strip().splitlines()[0], data) from None
    if not isinstance(df.index, pd.RangeIndex):   # pandas took a first row's extra cells for an index
        raise _extra_cells(data, where)
    record_lines(df, data)   # a quoted newline or a blank line before a row moves it down a line
    return df


def _extra_cells(data: bytes, where: str) -> FeedError:
    """The error for a table whose first data row has more cells than the header. pandas reads
    such a row's extra cells as an implicit index, moving every value left (a trailing comma on
    the rows of stops.txt made each stop_id its stop_name), where a later row like it is a
    ParserError; both are one error naming the line."""
    rows = csv_rows(data)
    header = next(rows, (1, []))[1]
    for start, row in rows:
        if len(row) > len(header):
            return FeedError(where, f"cannot be read as CSV: {len(row)} cells where the header has "
                                    f"{len(header)}", line=start)
    return FeedError(where, "cannot be read as CSV: a row has more cells than the header")


def _csv_error(where: str, why: str, data: bytes) -> FeedError:
    """The parser's complaint as a FeedError naming the line (header = line 1) where the row
    starts in the file: pandas counts an unclosed quote's row from 0 and an extra cell's line from
    1, neither counting the newlines inside quoted values, so the line is found again with the
    csv module (``feed.lines``), pandas' count where that finds none."""
    quote = re.search(r"EOF inside string starting at row (\d+)", why)
    if quote:
        last = None
        for last in csv_rows(data):   # the unclosed value runs to the end: it is in the last row
            pass
        return FeedError(where, "cannot be read as CSV: a quoted value opens here and never closes",
                         line=last[0] if last is not None else int(quote.group(1)) + 1)
    cells = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", why)
    if cells:
        e = _extra_cells(data, where)
        if e.line is not None:
            return e
        return FeedError(where, f"cannot be read as CSV: {cells.group(3)} cells where the header has "
                                f"{cells.group(1)}", line=int(cells.group(2)))
    return FeedError(where, f"cannot be read as CSV ({why})")


def check_feed_path(path: Path) -> None:
    """FeedError unless ``path`` is a folder or a zip the user may read: missing, unreadable (a
    file the user may not read is that, not "not a zip": is_zipfile hides why) or no zip."""
    if not path.exists():
        raise FeedError.missing(path)
    if not path.is_dir() and not path.is_file():   # a device or pipe (/dev/stdin) is neither
        raise FeedError(str(path), "not a zip file or a folder of GTFS .txt files")
    if path.is_file():
        try:
            open(path, "rb").close()
        except OSError as e:
            raise FeedError(str(path), f"cannot be read ({e.strerror or e})") from None
        if not zipfile.is_zipfile(path):
            raise FeedError(str(path), "not a zip file or a folder of GTFS .txt files")


def feed_labels(paths: list[Path], name: Callable[[Path], str]) -> list[str]:
    """How errors and notices name each feed of ``paths``: ``name(path)``, or the path as given
    where two of them have one name (two agencies' gtfs.zip)."""
    names = [name(p) for p in paths]
    return [n if names.count(n) == 1 else str(p) for n, p in zip(names, paths)]


def read_text_tables(path: Path, label: str) -> dict[str, pd.DataFrame]:
    """``_read_text_tables`` of every GTFS file the project reads, its errors naming the feed
    ``label`` (they name it by its file name)."""
    try:
        return _read_text_tables(path, GTFS_TABLES + EXTRA_TABLES)
    except FeedError as e:
        if label == path.name or not (e.file == path.name or e.file.startswith(f"{path.name}/")):
            raise
        raise FeedError(label + e.file[len(path.name):], e.message, line=e.line, field=e.field) from None


def _read_one(path: Path, label: str) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Read one feed as text tables; check it. Returns the tables and warnings about repaired
    cells; errors and warnings name the feed ``label``."""
    check_feed_path(path)
    return checked_tables(label, read_text_tables(path, label))


def checked_tables(feed: str, tables: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The loader's checks on one feed's text tables as read (``_read_text_tables``): GTFS tables
    as strings, required files, field formats (repairs: the warnings returned), ids and
    references; FeedError on the first fatal problem. Returns a new dict: the frames given are
    not changed (``hbeu validate`` runs its own checks on them as read)."""
    tables = dict(tables)
    for t in GTFS_TABLES:
        if t in tables:
            tables[t] = tables[t].astype("string")
    for t in REQUIRED:
        if t not in tables:
            raise FeedError(f"{feed}/{t}.txt", "required file is missing or empty")
    if "calendar" not in tables and "calendar_dates" not in tables:
        raise FeedError(f"{feed}/calendar.txt", "neither calendar.txt nor calendar_dates.txt is present")
    repaired = _check_fields(feed, tables) + _drop_repeats(feed, tables)
    _validate(feed, tables)
    return tables, repaired


def _drop_repeats(feed: str, tables: dict[str, pd.DataFrame]) -> list[str]:
    """The rows of the tables the answers can do without (agency, fares, areas) that repeat an
    earlier row's key are ignored, the first row kept (``feed.keys``): one warning per table.
    The rows kept keep their lines."""
    warned: list[str] = []
    for name, (cols, fatal) in KEYS.items():
        df = tables.get(name)
        repeat = None if fatal or df is None else first_repeat(name, df)
        if repeat is None:
            continue
        tables[name] = take_rows(df, ~repeated_rows(df, cols))
        warned.append(_ignored(feed, repeat))
    return warned


def _ignored(feed: str, p: Problem) -> str:
    """The warning for a problem the loader repairs by ignoring its rows (cells blanked, rows dropped)."""
    more = f" (and {p.count - 1} more rows)" if p.count > 1 else ""
    return f"{feed}/{p.table}.txt line {p.line} field {p.field}: {p.message}; ignored{more}"


def _refused(feed: str, p: Problem) -> FeedError:
    """The error for a problem the loader refuses the feed for."""
    return FeedError(f"{feed}/{p.table}.txt", p.message, line=p.line, field=p.field)


def _check_fields(feed: str, tables: dict[str, pd.DataFrame]) -> list[str]:
    """Field formats (feed.fields): stop at the first fatal problem; blank repairable cells and
    return one warning per repaired field. Typed fields are trimmed of surrounding blanks."""
    from .fields import SCHEMA, bad_cells, check_table, needs_trim

    warnings: list[str] = []
    for name, df in list(tables.items()):
        problems = check_table(name, df)
        fatal = [p for p in problems if p.fatal]
        if fatal:
            raise _refused(feed, fatal[0])
        trim = [f for f, rule in SCHEMA.get(name, {}).items()
                if rule.kind is not None and f in df and needs_trim(df[f])]
        if not problems and not trim:
            continue
        df = df.copy()
        for p in problems:
            warnings.append(_ignored(feed, p))
            if p.field in df:
                df.loc[bad_cells(name, df, p.field), p.field] = pd.NA
        for f in trim:
            df[f] = df[f].str.strip()
        tables[name] = df
    return warnings


def _validate(feed: str, t: dict[str, pd.DataFrame]) -> None:
    """Reject what would make every later answer wrong: duplicate ids, broken references."""

    def check_ref(table: str, col: str, target: str, tcol: str) -> None:
        df = t.get(table)
        if df is None or col not in df:
            return
        vals = df[col]
        known = set(t[target][tcol].dropna()) if target in t and tcol in t[target] else set()
        bad = vals.notna() & ~vals.isin(known)
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise FeedError(f"{feed}/{table}.txt", f"unknown {tcol} {vals.iloc[i]!r} (not in {target}.txt)",
                            line=row_line(df, i), field=col)

    for table, (_, fatal) in KEYS.items():   # two rows with one key (feed.keys)
        df = t.get(table)
        repeat = first_repeat(table, df) if fatal and df is not None else None
        if repeat is not None:
            raise _refused(feed, repeat)
    check_ref("stop_times", "trip_id", "trips", "trip_id")
    check_ref("stop_times", "stop_id", "stops", "stop_id")
    check_ref("trips", "route_id", "routes", "route_id")
    check_ref("stops", "parent_station", "stops", "stop_id")
    check_ref("frequencies", "trip_id", "trips", "trip_id")
    check_ref("transfers", "from_stop_id", "stops", "stop_id")
    check_ref("transfers", "to_stop_id", "stops", "stop_id")
    _check_parent_cycles(feed, t["stops"])


def _check_parent_cycles(feed: str, stops: pd.DataFrame) -> None:
    """Parent stations must not form a cycle (a station grouping would never end)."""
    if "parent_station" not in stops:
        return
    ids = stops["stop_id"].astype(str).tolist()
    parent = {s: p for s, p in zip(ids, stops["parent_station"].tolist()) if isinstance(p, str) and p}
    done: set[str] = set()
    for i, s in enumerate(ids):
        path: dict[str, None] = {}
        cur: str | None = s
        while cur is not None and cur not in done and cur not in path:
            path[cur] = None
            cur = parent.get(cur)
        if cur is not None and cur in path:
            cycle = list(path)[list(path).index(cur):] + [cur]
            line = row_line(stops, ids.index(cur))
            raise FeedError(f"{feed}/stops.txt", "parent stations form a cycle: " + " -> ".join(cycle),
                            line=line, field="parent_station")
        done.update(path)


def _ids_by_kind(tables: dict[str, pd.DataFrame]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for table, col, kind in ID_COLUMNS:
        df = tables.get(table)
        if df is not None and col in df:
            out.setdefault(kind, set()).update(map(str, df[col].dropna().unique()))
    return out


def _prefix(tables: dict[str, pd.DataFrame], prefix: str,
            keep_stops: set[str] = frozenset()) -> dict[str, pd.DataFrame]:
    """Prefix every ID (and reference) except the stations shared with an earlier feed."""
    out = {k: v.copy() for k, v in tables.items()}
    for table, col, kind in ID_COLUMNS:
        df = out.get(table)
        if df is not None and col in df:
            m = df[col].notna()
            if kind == "stop" and keep_stops:
                m &= ~df[col].isin(keep_stops)
            df[col] = df[col].astype("string")
            df.loc[m, col] = prefix + df.loc[m, col]
    tr = out.get("translations")
    if tr is not None and "record_id" in tr:
        m = tr["record_id"].notna()
        if keep_stops and "table_name" in tr:
            m &= ~((tr["table_name"] == "stops") & tr["record_id"].isin(keep_stops))
        tr.loc[m, "record_id"] = prefix + tr.loc[m, "record_id"]
    return out


def _feed_info(tables: dict[str, pd.DataFrame]) -> dict[str, str | None]:
    fi = tables.get("feed_info")
    if fi is None or fi.empty:
        return {}
    row = fi.iloc[0]
    g = lambda c: (str(row[c]) if c in fi and pd.notna(row[c]) else None)  # noqa: E731
    return {"feed_version": g("feed_version"), "publisher": g("feed_publisher_name"),
            "start_date": g("feed_start_date"), "end_date": g("feed_end_date")}


SHARED_STATION_METERS = 200.0


def _shared_stations(new: pd.DataFrame, known: pd.DataFrame | None) -> set[str]:
    """Stations (location_type 1) a later feed publishes exactly as an earlier one did.

    Two publishers serving one interchange (a railway station and the bus bays in front of it)
    may both list the station with the same stop_id, name and place. Such a station is one
    place, not an ID clash: it is kept once, and each feed's platforms hang under it, so a
    transfers.txt rule naming the station (GTFS lets from/to_stop_id name a parent station)
    sets the change time between the two feeds' platforms.
    """
    if known is None or "location_type" not in new or "location_type" not in known:
        return set()
    cols = ["stop_id", "stop_name", "stop_lat", "stop_lon"]
    a = new[new["location_type"] == "1"][cols]
    b = known[known["location_type"] == "1"][cols]
    m = a.merge(b, on=["stop_id", "stop_name"], suffixes=("", "_k"))
    if m.empty:
        return set()
    lat, lon, lat_k, lon_k = (pd.to_numeric(m[c], errors="coerce").to_numpy(float)
                              for c in ("stop_lat", "stop_lon", "stop_lat_k", "stop_lon_k"))
    dy = (lat - lat_k) * 111_320.0
    dx = (lon - lon_k) * 111_320.0 * np.cos(np.radians(lat))
    close = np.hypot(dx, dy) <= SHARED_STATION_METERS
    return set(m.loc[close, "stop_id"].astype(str))


def load_feeds(paths: str | Path | Iterable[str | Path]) -> Feed:
    """Load and merge GTFS feeds (one path, or any iterable of them: a list, ``Path.glob``); raise
    FeedError (one clear line) on malformed input, InputError naming ``paths`` on a value that is
    no path (a number, bytes)."""
    paths = as_paths(paths, "paths", "GTFS zips or folders")
    if not paths:
        raise FeedError("(no feed)", "no feed given")
    merged: dict[str, list[pd.DataFrame]] = {}
    seen: dict[str, set[str]] = {}
    sources: list[FeedSource] = []
    names: set[str] = set()
    repaired: list[str] = []
    labels = feed_labels([feed_path(raw) for raw in paths], lambda p: p.name)
    for raw, label in zip(paths, labels):
        path = feed_path(raw)
        name = feed_name(path)
        base, k = name, 2
        while name in names:
            name, k = f"{base}{k}", k + 1
        names.add(name)
        tables, warned = _read_one(path, label)
        repaired += warned
        shared: set[str] = set()
        if merged.get("stops"):
            shared = _shared_stations(tables["stops"], pd.concat(merged["stops"], ignore_index=True))
        ids = _ids_by_kind(tables) if len(paths) > 1 else {}
        if shared:
            ids["stop"] = ids.get("stop", set()) - shared
        clash = any(ids[k] & seen.get(k, set()) for k in ids)
        prefix = f"{name}:" if clash else ""
        if prefix:
            tables = _prefix(tables, prefix, keep_stops=shared)
            ids = _ids_by_kind(tables)
        for k, v in ids.items():
            seen.setdefault(k, set()).update(v)
        if shared:  # the earlier feed's row stands for the shared station
            st = tables["stops"]
            keep = ~(st["stop_id"].isin(shared) & (st["location_type"] == "1")).to_numpy(dtype=bool, na_value=False)
            tables["stops"] = take_rows(st, keep)
        for tname, df in tables.items():
            df = df.copy()          # (keeps each row's line in this feed's file: df.attrs)
            df["feed_name"] = name
            merged.setdefault(tname, []).append(df)
        sources.append(FeedSource(name=name, path=str(path.resolve()), sha256=file_sha256(path),
                                  prefix=prefix, **_feed_info(tables)))
    out = {t: (dfs[0] if len(dfs) == 1 else pd.concat(dfs, ignore_index=True)) for t, dfs in merged.items()}
    for t, dfs in merged.items():   # concat drops or mixes up the feeds' own line shifts
        if len(dfs) > 1:
            set_row_lines(out[t], np.concatenate([row_lines(d) for d in dfs]))
    for w in repaired:
        warnings.warn(w, FeedWarning, stacklevel=2)
    return Feed(tables=out, sources=sources, warnings=repaired)
