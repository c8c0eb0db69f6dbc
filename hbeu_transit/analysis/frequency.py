"""Service frequency tables (by route, city pair, station, hour) over one date or a date range.

Everything is built on one "departures" model: every trip run of the selected dates with its
stop events (frequencies.txt expanded), so the four tables count the same things.

Choices (documented for analysts, recorded in every export's metadata):

* **Clock.** ``clock="calendar"`` (default): the wall clock of each report date in the agency's
  timezone. A trip departing at 24:30 on service day D counts in hour 00 of calendar day D+1,
  and reports for D include the previous service day's trips that run after midnight. GTFS
  times count from noon minus 12 h of their service date, so each departure is that instant
  read on the local clock: the GTFS time minus 24 h per day back on ordinary days; the two days
  a year the clocks change, times before about 02:00 move by an hour (Los Angeles 2024-03-10:
  GTFS 01:30 is 00:30, and that date's 00:30 is 23:30 on the 9th; 2024-11-03: GTFS 00:30 is
  01:30 PDT). The hour that comes twice in autumn is one hour row holding both passes (as the
  hour of local timestamps in pandas), the hour skipped in spring is empty, and first/last
  departures and windows are clock readings; headways, run times and service spans are real
  elapsed time. ``clock="service"``: everything stays on its GTFS service day and hours may be
  24 or more, GTFS times as written (gtfs-kit's convention). A trip belongs to the day (and
  hour) of its first departure; an origin-destination trip to the day of its departure from the
  origin; a station departure to its own time.
* **Frequencies.** A frequencies.txt trip runs at ``start, start+headway, ...`` strictly before
  ``end_time`` (as gtfs-kit's ``expand_frequencies`` and ``hbeu info``); its stop_times give the
  pattern of travel times only.
* **Departures** are stop events a passenger can board: not the trip's last stop, pickup_type
  not 1. Blank times at non-timepoint stops are interpolated linearly as in the timetable
  compiler: by shape_dist_traveled where the stop and both timed neighbours have it, else by
  stop order (``hbeu_transit.feed.stoptimes.interpolate_times``).
* **Day types.** weekday / saturday / sunday / holiday. With ``holidays="auto"`` a date is a
  holiday/peak day when calendar_dates.txt *adds* (exception_type 1) a service that the weekly
  pattern would not run on that date: the service's calendar.txt row excludes that weekday or
  date, or, for a service defined only in calendar_dates.txt, it runs on fewer than half of that
  weekday's dates in the feed's service period (so calendar_dates-only feeds work too). A Sunday
  timetable run on a public holiday, or extra Spring Festival trains, mark the date; a removal
  alone does not. ``holidays="none"`` turns this off; a set of dates replaces it. Date ranges
  report the average per day over all days (``trips_per_day``, ``departures_per_day``, the
  hourly columns) and per day type (``per_weekday``, ``per_saturday``, ``per_sunday``,
  ``per_holiday``: the mean over the days of that type), so a weekday is never mixed with a
  peak day; ``day_types`` keeps only some types (then every column is pure).
* **Places.** Cities are the feed's areas (areas.txt + stop_areas.txt, or ``--areas`` CSV);
  platforms take their station's area; areas of merged feeds with the same name are one city
  (their ids joined by "|"); a stop outside every area is its own place.
* **City pairs.** A trip serves the ordered pair (A, B), A != B, when it can be boarded in A and
  later left in B; it counts once per pair however many stations it calls at. Its departure is
  its last boardable departure in A before its first arrival in B where it may alight, and its
  run time is between those two events (the time between the cities). ``combine_destinations``
  treats several destinations as one, so a trip serving two of them counts once.
* **Window.** The headway window of ``route_frequency`` (default 07:00-19:00, as gtfs-kit); when
  given to the other tables it adds ``window_departures_per_day`` (start included, end not).
* **Ranges are cheap.** Days with the same running services (and, in the calendar clock, the
  same services the day before) give identical counts, so each distinct kind of day is computed
  once and weighted by how many days of each type it stands for.

Where gtfs-kit fits and where not: ``route_frequency`` uses gtfs-kit's headway definition
(per direction, consecutive trip starts inside the window, inclusive bounds, pooled over both
directions; checked against ``compute_route_stats`` in the tests), but is computed here because
gtfs-kit ignores frequencies.txt unless the feed is first expanded, keeps trips after 24:00 on
their service day only, drops trips without direction_id from headways (here they form their own
direction), has no per-hour or city-pair counts, gives one row per date rather than per day type,
and needs its slow ``compute_trip_stats`` (shape distances this table does not use).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..errors import InputError
from ..feed.modes import check_modes
from ..feed.service import day_type
from ..feed.stoptimes import expand_frequencies
from ..feed.times import format_clock, parse_clock_window
from .freqdata import FreqData, holiday_dates, prepare  # noqa: F401  (holiday_dates re-exported)
from .table import Table, rank, texts

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..feed import Feed

CLOCKS = ("calendar", "service")
DAY_TYPES = ("weekday", "saturday", "sunday", "holiday")
DEFAULT_WINDOW = (7 * 3600, 19 * 3600)
DAY = 86400
#: Pair departures handled at once by the od table (bounds its memory on long ranges).
_CHUNK_EVENTS = 1_000_000

Progress = Callable[[int, int], None]


# ---------------------------------------------------------------------------- inputs


def parse_window(text: str | None, clock: str = "calendar") -> tuple[int, int] | None:
    """"07:00-19:00" -> seconds. An end at or before the start runs past midnight on the
    service-day clock ("22:00-02:00" is 22:00-26:00, as gtfs-kit writes it): on the calendar
    clock the night after each report day, on the service clock the service day's times. A
    window of no length (10:00-10:00), one ending after 48:00 and malformed ones are refused
    (``feed.times.parse_clock_window``, the rule every --window follows); errors name the
    ``window`` parameter, which the CLI shows as --window."""
    if text is None:
        return None
    return parse_clock_window(text, latest=2 * DAY, param="window")


def parse_modes(modes: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """"rail,bus" -> ("rail", "bus"); unknown names are an InputError listing the known ones, and
    so is a list naming no mode ("", " , "), as for every command's --modes (``values.as_modes``)."""
    if modes is None:
        return None
    out = tuple(check_modes(modes))
    if not out:
        raise InputError(f"no mode in {{modes}} {modes!r}; e.g. {{modes}} rail,bus", "modes")
    return out


def date_range(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every date from start to end inclusive; an InputError when end is before start."""
    if end < start:
        raise InputError(f"{{end}} {end.isoformat()} is before {{start}} {start.isoformat()}", "end", "start")
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


# ---------------------------------------------------------------------------- the prepared feed


def _base(feed: Feed | FreqData, modes: Sequence[str] | None, area_csv=None) -> FreqData:
    """The arrays to count from, with the mode filter applied: ``feed`` itself when it is
    already a FreqData (``Network`` reads it from the cache; its areas are fixed then), else
    prepared from the loaded Feed."""
    data = feed if isinstance(feed, FreqData) else prepare(feed, area_csv)
    return data.for_modes(modes)


def _runs(base: FreqData, services: frozenset[int]) -> tuple[np.ndarray, np.ndarray]:
    """(trip code, time offset) of every vehicle run of one service day, frequencies expanded."""
    hit = base._runs.get(services)
    if hit is not None:
        return hit
    active = base.trip_keep & np.isin(base.trip_service, list(services))
    plain = np.flatnonzero(active & ~base.trip_freq)
    fr = active[base.freq_trip] if len(base.freq_trip) else np.zeros(0, bool)
    ft, fs, fe, fh = (a[fr] for a in (base.freq_trip, base.freq_start, base.freq_end, base.freq_headway))
    rep, run_start = expand_frequencies(fs, fe, fh)
    f_trip = ft[rep]
    f_off = run_start - base.trip_first[f_trip]
    out = (np.concatenate([plain, f_trip]).astype(np.int64), np.concatenate([np.zeros(len(plain)), f_off]))
    base._runs[services] = out
    return out


def _expand(base: FreqData, run_trip: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stop events of runs: (run index, stop_times row) for every stop of every run, in order."""
    lens = base.trip_len[run_trip]
    total = int(lens.sum())
    run = np.repeat(np.arange(len(run_trip)), lens)
    row = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens) + base.trip_start[run_trip][run]
    return run, row


# ---------------------------------------------------------------------------- days and their kinds


@dataclass(frozen=True)
class _Clock:
    """How a report day's clock reads (see the module doc's Clock): each service day's GTFS
    times, first..back days before the report day D, move onto D's GTFS clock by ``shifts``
    (``times.day_shift``: k * 24 h, an hour more or less across a clock change), and D's GTFS
    clock reads on the wall plus ``adds`` between ``breaks`` (``times.wall_clock``)."""

    first: int = 0                  # the first service day kept: -1, the day after D, or D itself
    shifts: tuple[int, ...] = (0,)  # per service day first, first + 1, ...: seconds to D's clock
    breaks: tuple[int, ...] = ()
    adds: tuple[int, ...] = (0,)

    def wall(self, t: np.ndarray) -> np.ndarray:
        """Times on D's GTFS clock -> as D's wall clock reads them (the same on most days)."""
        if not self.breaks:
            return t + self.adds[0] if self.adds[0] else t
        return t + np.asarray(self.adds)[np.searchsorted(self.breaks, t, side="right")]


def _report_clock(tz: str, d: dt.date, back: int, window_ahead: bool) -> _Clock:
    """The calendar clock of report day ``d``: its wall clock, with the runs of ``back`` service
    days before it and, when a window runs past 24:00 or the next service day's origin (noon
    minus 12 h) comes before the next midnight (the date the clocks go forward, whose 00:30 is
    ``d``'s 23:30), of the day after."""
    from .times import day_shift, wall_clock, zone

    try:
        z = zone(tz)
    except InputError:  # an unknown zone (reported where times are shown): days of 24 h
        z = None
    noons = {z.utcoffset(dt.datetime.combine(d + dt.timedelta(days=k), dt.time(12))) for k in range(-back - 1, 4)} \
        if z is not None else set()
    if len(noons) <= 1:     # no clock change near: every day 24 h, the GTFS clock is the wall clock
        first = -1 if window_ahead else 0
        return _Clock(first, tuple(j * DAY for j in range(first, back + 1)))
    nxt = day_shift(d, tz, -1)
    first = -1 if window_ahead or nxt > -DAY else 0
    shifts = tuple(nxt if j < 0 else day_shift(d, tz, j) for j in range(first, back + 1))
    breaks, adds = wall_clock(d, tz, -3 * 3600, 2 * DAY + 3 * 3600)
    return _Clock(first, shifts, breaks, adds)


@dataclass
class _Days:
    """The selected report days grouped into kinds with identical service and clock (computed once each)."""

    dates: list[dt.date]
    clock: str
    types: list[str]                             # day type per date
    keys: list[tuple[tuple[frozenset[int], ...], _Clock]]   # distinct kinds: services of D+a, ... D, D-1,
                                                 # ... D-k, and the day's clock
    weight: np.ndarray                           # (kinds,) days of each kind
    type_weight: dict[str, np.ndarray]           # day type -> (kinds,) days of that type
    type_days: dict[str, int]
    kind_of: np.ndarray = None                   # (dates,) kind of each date
    progress: Progress | None = None
    until: int = DAY                             # runs of D+1 leaving after this do not matter (a calendar
                                                 # window's end past 24:00, else 24:00)
    timezone: str | None = None                  # the feeds' (agency) timezone, the calendar clock's
    _reported: int = 0

    def done(self, kind: int) -> None:
        """Report the dates of one more computed kind to the progress callback (once per date)."""
        self._report(self._reported + int(self.weight[kind]))

    def advance(self, fraction: float) -> None:
        """Report progress as the fraction of the work done (once per date, in order)."""
        self._report(int(fraction * len(self.dates)))

    def _report(self, upto: int) -> None:
        if self.progress is None:
            return
        while self._reported < min(upto, len(self.dates)):
            self._reported += 1
            self.progress(self._reported, len(self.dates))


def _days(base: FreqData, dates: Sequence[dt.date], clock: str, holidays,
          day_types: Sequence[str] | None, progress: Progress | None,
          window: tuple[int, int] | None = None) -> _Days:
    """The report days and their kinds. On the calendar clock a ``window`` ending past 24:00
    reaches into the next calendar day, so the next service day's runs are kept too (``_Clock.first``)."""
    if clock not in CLOCKS:
        raise InputError(f"unknown clock {clock!r}: choose calendar or service")
    if not dates:
        raise InputError("no dates selected")
    if isinstance(holidays, str):
        if holidays == "auto":
            peak = base.holiday_set(dates)
        elif holidays == "none":
            peak = set()
        else:
            raise InputError(f"unknown holidays rule {holidays!r}: auto, none or a list of dates")
    else:
        peak = set(holidays or ())
    types = [day_type(d, peak) for d in dates]
    if day_types:
        bad = [t for t in day_types if t not in DAY_TYPES]
        if bad:
            raise InputError(f"unknown day type {bad[0]!r} in {{day_types}}: choose from {', '.join(DAY_TYPES)}",
                             "day_types")
        sel = [i for i, t in enumerate(types) if t in day_types]
        if not sel:
            raise InputError(f"no {'/'.join(day_types)} dates in the selected range")
        dates, types = [dates[i] for i in sel], [types[i] for i in sel]
    services = base.services_on
    window_ahead = clock == "calendar" and window is not None and window[1] > DAY
    kinds: dict[tuple, int] = {}
    kind_of = []
    for i, d in enumerate(dates):
        clk = _report_clock(base.timezone, d, base.max_shift, window_ahead) if clock == "calendar" else _Clock()
        key = (tuple(services(d - dt.timedelta(days=j)) for j in range(clk.first, clk.first + len(clk.shifts))), clk)
        kind_of.append(kinds.setdefault(key, len(kinds)))
    kind_of = np.array(kind_of)
    weight = np.bincount(kind_of, minlength=len(kinds)).astype(float)
    tw = {t: np.bincount(kind_of[np.array(types) == t], minlength=len(kinds)).astype(float)
          for t in DAY_TYPES if t in types}
    return _Days(dates=list(dates), clock=clock, types=types, keys=list(kinds), weight=weight,
                 type_weight=tw, type_days={t: types.count(t) for t in DAY_TYPES if t in types},
                 kind_of=kind_of, progress=progress, until=window[1] if window_ahead else DAY,
                 timezone=base.timezone)


def _day_runs(base: FreqData, key: tuple[tuple[frozenset[int], ...], _Clock], days: _Days):
    """Runs that may touch one report day (or its window): trip, offset to the day's GTFS clock
    (``key[1].wall`` reads it on the wall), service-day shift (-1: the next service day)."""
    trips, offs, shifts = [], [], []
    clk = key[1]
    for j, services, shift in zip(range(clk.first, clk.first + len(clk.shifts)), key[0], clk.shifts):
        rt, ro = _runs(base, services)
        ro = ro - shift
        # (an hour of slack: the wall clock reads the day's GTFS clock up to an hour off)
        if j > 0:  # runs of earlier service days matter only if they reach past midnight into this day
            m = base.trip_last[rt] + ro >= -3600
            rt, ro = rt[m], ro[m]
        elif j < 0:  # and the next service day's only if they leave before the window (or the day) ends
            m = base.trip_first[rt] + ro <= days.until + 3600
            rt, ro = rt[m], ro[m]
        trips.append(rt)
        offs.append(ro)
        shifts.append(np.full(len(rt), j))
    return np.concatenate(trips), np.concatenate(offs), np.concatenate(shifts)


def _on_day(t: np.ndarray, clock: str) -> np.ndarray:
    """Which times belong to the report day (calendar clock: within [0, 24h))."""
    if clock == "service":
        return np.ones(len(t), dtype=bool)
    return (t >= 0) & (t < DAY)


def _in_window(t: np.ndarray, on: np.ndarray, window: tuple[int, int], end_included: bool = False) -> np.ndarray:
    """Which times (of the report day's runs, ``on``: those on the day itself) are in the
    window, [start, end) or [start, end]. A calendar window past 24:00 takes the next
    calendar day's times before its end too; any other takes the day's own."""
    m = (t >= window[0]) & ((t <= window[1]) if end_included else (t < window[1]))
    return m if window[1] > DAY else m & on


# ---------------------------------------------------------------------------- helpers for tables


def _clock_str(sec: float) -> str | float:
    if sec is None or np.isnan(sec):
        return np.nan
    return format_clock(sec, with_seconds=True)


def _clock_col(sec: np.ndarray) -> np.ndarray:
    """Seconds -> "HH:MM:SS" strings (NaN: None), formatting each distinct value once."""
    uniq, inv = np.unique(np.asarray(sec, dtype=float), return_inverse=True)
    labels = np.array([None if np.isnan(x) else format_clock(x, with_seconds=True) for x in uniq], dtype=object)
    return labels[inv.reshape(-1)]


def _per_day(group: np.ndarray, kind: np.ndarray, n_groups: int, days: _Days) -> dict[str, np.ndarray]:
    """Average count per day (all days, and per day type) of things in each group."""
    out = {"all": np.bincount(group, weights=days.weight[kind], minlength=n_groups) / len(days.dates)}
    if len(days.dates) > 1:
        for t, w in days.type_weight.items():
            out[t] = np.bincount(group, weights=w[kind], minlength=n_groups) / days.type_days[t]
    return out


def _add_per_day(df: Table, counts: dict[str, np.ndarray], name: str, rows: np.ndarray) -> None:
    df[name] = np.round(counts["all"][rows], 3)
    for t in DAY_TYPES:
        if t in counts:
            df[f"per_{t}"] = np.round(counts[t][rows], 3)


def _hours(group: np.ndarray, t: np.ndarray, w: np.ndarray, n_groups: int, n_days: int, clock: str) -> np.ndarray:
    """(groups, hours) matrix of average departures per day in each hour."""
    hour = (t // 3600).astype(np.int64)
    n_h = 24 if clock == "calendar" or not len(hour) else max(24, int(hour.max()) + 1)
    m = np.bincount(group * n_h + hour, weights=w, minlength=n_groups * n_h) / n_days
    return m.reshape(n_groups, n_h)


def _distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique`` of integer codes, by counting when their range is small (no sort of
    millions of departures over a long date range)."""
    if not len(values):
        return np.unique(values)
    lo, hi = int(values.min()), int(values.max())
    if hi - lo > 50_000_000:
        return np.unique(values)
    return (np.flatnonzero(np.bincount(values - lo)) + lo).astype(values.dtype)


def _min_max(group: np.ndarray, v: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    lo = np.full(n, np.inf)
    hi = np.full(n, -np.inf)
    np.minimum.at(lo, group, v)
    np.maximum.at(hi, group, v)
    lo[np.isinf(lo)] = np.nan
    hi[np.isinf(hi)] = np.nan
    return lo, hi


def _weighted_median(group: np.ndarray, v: np.ndarray, w: np.ndarray, n: int) -> np.ndarray:
    """Median of each group's values, each repeated w (a whole number of days) times."""
    out = np.full(n, np.nan)
    if not len(v):
        return out
    span = float(np.nanmax(v) - np.nanmin(v)) + 1.0
    order = np.argsort(group * span + (v - np.nanmin(v)))
    g, v, w = group[order], v[order], w[order].astype(np.int64)
    cum = np.cumsum(w)
    totals = np.bincount(g, weights=w, minlength=n).astype(np.int64)
    starts = np.searchsorted(g, np.arange(n))
    base = np.where(starts > 0, cum[np.maximum(starts - 1, 0)], 0)
    has = totals > 0
    lo_pos = base + (totals - 1) // 2
    hi_pos = base + totals // 2
    lo = v[np.minimum(np.searchsorted(cum, lo_pos, side="right"), len(v) - 1)]
    hi = v[np.minimum(np.searchsorted(cum, hi_pos, side="right"), len(v) - 1)]
    out[has] = ((lo + hi) / 2)[has]
    return out


def _attrs(df: Table, by: str, days: _Days, window, modes, extra: dict | None = None) -> Table:
    """Record what the table is (dates, clock, window, filters) for exports and the CLI."""
    df.attrs["hbeu"] = {
        "by": by, "clock": days.clock,
        "date_from": days.dates[0].isoformat(), "date_to": days.dates[-1].isoformat(),
        "timezone": days.timezone,   # (as circle's and coverage's records: the clock of the window and generated_at)
        "days": len(days.dates), "days_by_type": dict(days.type_days),
        "holidays": [d.isoformat() for d, t in zip(days.dates, days.types) if t == "holiday"],
        "window": None if window is None else f"{_clock_str(window[0])[:5]}-{_clock_str(window[1])[:5]}",
        "modes": list(modes) if modes else None, **(extra or {}),
    }
    return df


# ---------------------------------------------------------------------------- the tables


def route_table(feed: Feed | FreqData, dates: Sequence[dt.date], window: tuple[int, int] | None = None,
                modes: Sequence[str] | None = None, *, clock: str = "calendar", holidays="auto",
                day_types: Sequence[str] | None = None, progress: Progress | None = None) -> Table:
    """One row per route: trips per day, first/last departure, headways in the window, peak hour, span.

    Headways follow gtfs-kit: gaps between consecutive trip starts of the same direction inside
    the window (bounds included), minutes; mean pooled over directions and days.
    """
    win = window or DEFAULT_WINDOW
    base = _base(feed, modes)
    days = _days(base, dates, clock, holidays, day_types, progress, win)
    parts = []
    for k, key in enumerate(days.keys):
        rt, ro, _ = _day_runs(base, key, days)
        start = base.trip_first[rt] + ro          # the day's GTFS clock: in order, gaps are real time
        order = np.lexsort((start, base.trip_dir[rt], base.trip_route[rt]))
        rt, ro, start = rt[order], ro[order], start[order]
        wall = key[1].wall(start)                 # what the day's clock reads: its hours, window, first/last
        on = _on_day(wall, clock)
        inw = _in_window(wall, on, win, end_included=True)
        r2, d2, s2 = base.trip_route[rt][inw], base.trip_dir[rt][inw], start[inw]
        rt, start, wall = rt[on], start[on], wall[on]
        end = base.trip_last[rt] + ro[on]
        route = base.trip_route[rt]
        same = (r2[1:] == r2[:-1]) & (d2[1:] == d2[:-1])
        parts.append((np.full(len(route), k), route, start, wall, end, np.full(int(same.sum()), k), r2[1:][same],
                      (s2[1:] - s2[:-1])[same]))
        days.done(k)
    kind, route, start, wall, end, hkind, hroute, gap = (np.concatenate([p[i] for p in parts]) for i in range(8))
    n = len(base.route_ids)
    counts = _per_day(route, kind, n, days)
    first, last = _min_max(route, wall, n)
    span_start, _ = _min_max(route, start, n)
    _, span_end = _min_max(route, end, n)
    hmin, hmax = _min_max(hroute, gap, n)
    hw = days.weight[hkind]
    hsum = np.bincount(hroute, weights=gap * hw, minlength=n)
    hcnt = np.bincount(hroute, weights=hw, minlength=n)
    hourly = _hours(route, wall, days.weight[kind], n, len(days.dates), clock)
    rows = np.flatnonzero(counts["all"] > 0)
    df = Table({
        "route_id": base.route_ids[rows].astype(str),
        "route_short_name": texts(base.route_short)[rows],
        "route_long_name": texts(base.route_long)[rows],
        "mode": base.route_mode[rows].astype(str),
    })
    _add_per_day(df, counts, "trips_per_day", rows)
    df["first_departure"] = _clock_col(first[rows])
    df["last_departure"] = _clock_col(last[rows])
    with np.errstate(invalid="ignore", divide="ignore"):
        df["headway_min"] = np.round(hmin[rows] / 60, 1)
        df["headway_mean"] = np.round(np.where(hcnt > 0, hsum / hcnt, np.nan)[rows] / 60, 1)
        df["headway_max"] = np.round(hmax[rows] / 60, 1)
    df["peak_trips_per_hour"] = np.round(hourly.max(axis=1)[rows], 3)
    df["peak_hour"] = hourly.argmax(axis=1)[rows].astype(np.int64)
    df["service_span_h"] = np.round((span_end[rows] - span_start[rows]) / 3600, 2)
    df = df.sorted_by([df["mode"], df["route_short_name"], df["route_id"]])
    return _attrs(df, "route", days, win, modes)


def no_pair_note(served: Iterable[str], dates: Sequence[dt.date], origins: Sequence[str] | None,
                 destinations: Sequence[str] | None) -> list[str]:
    """Why an od table of the places asked is empty, when its dates run trips (``served``: the
    ISO dates with trips; a date without trips has its own note): no trip joins them then, e.g.
    a weekend-only stop on a Tuesday."""
    served = set(served)
    if not any(d.isoformat() in served for d in dates):
        return []
    when = dates[0].isoformat() if len(dates) == 1 else f"{dates[0].isoformat()} … {dates[-1].isoformat()}"
    return [f"no trip runs from {', '.join(origins or ['any place'])} to {', '.join(destinations or ['any place'])} "
            f"on {when}: the table is empty"]


def _select(places: Sequence[Sequence[str]] | None, stop_ids: np.ndarray, place_of_stop: np.ndarray) -> np.ndarray | None:
    """Codes of the places (areas or stations, ``place_of_stop``) the given stops are in: each
    item is one resolved place's stop_ids (``places.PlaceIndex.resolve``), so a city named in a
    station table selects each of its stations, and a station named in an area table its area."""
    if not places:
        return None
    wanted = {s for group in places for s in group}
    codes = place_of_stop[np.array([str(x) in wanted for x in stop_ids], dtype=bool)]
    codes = codes[codes >= 0]
    if not len(codes):
        raise InputError("no trips serve the places named (check --origin / --destination)")
    return np.unique(codes)


@dataclass
class _TripPairs:
    """The (origin, destination) places each trip serves, in the trip's own times: CSR by trip."""

    ptr: np.ndarray          # (trips + 1,) rows of each trip
    origin: np.ndarray       # place codes
    destination: np.ndarray
    t0: np.ndarray           # departure from the origin (the trip's times, no run offset)
    runtime: np.ndarray      # origin departure to destination arrival


def _trip_pairs(base: FreqData, trips: np.ndarray, place_of_stop: np.ndarray, n_places: int, o_sel, d_sel,
                combined: int | None) -> _TripPairs:
    """The city pairs of each trip (see the module doc): every run of a trip serves the same
    pairs with the same run times, only shifted in time, so they are found once per trip.
    ``combined``: the place code standing for all of ``d_sel`` (combined destinations), or None."""
    run, row = _expand(base, trips)
    place = place_of_stop[base.st_stop[row]]
    board, alight = base.st_board[row], base.st_alight[row]
    dep, arr = base.st_dep[row], base.st_arr[row]
    if combined is not None:
        place = np.where(np.isin(place, d_sel), combined, place)
    # visits: consecutive events of a run in the same place
    new = np.r_[True, (run[1:] != run[:-1]) | (place[1:] != place[:-1])] if len(run) else np.zeros(0, bool)
    vid = np.cumsum(new) - 1
    nv = int(vid[-1]) + 1 if len(vid) else 0
    v_run, v_place = run[new], place[new]
    v_board_dep = np.full(nv, np.nan)  # last boardable departure in the visit
    bi = np.flatnonzero(board)
    v_board_dep[vid[bi]] = dep[bi]          # later rows overwrite: the last one wins
    v_alight_arr = np.full(nv, np.nan)  # first arrival where one may alight
    ai = np.flatnonzero(alight)[::-1]
    v_alight_arr[vid[ai]] = arr[ai]         # reversed: the first one wins
    # candidate origin visits (boardable) x later destination visits (alightable) of the same run
    ov = np.flatnonzero(~np.isnan(v_board_dep))
    dv = np.flatnonzero(~np.isnan(v_alight_arr))
    if o_sel is not None:
        ov = ov[np.isin(v_place[ov], o_sel)]
    if d_sel is not None:
        dv = dv[np.isin(v_place[dv], [combined] if combined is not None else d_sel)]
    # for each origin visit, the destination visits after it in the same run
    run_end_dv = np.searchsorted(v_run[dv], v_run[ov], side="right")
    first_dv = np.searchsorted(dv, ov, side="right")
    cnt = np.maximum(run_end_dv - first_dv, 0)
    a = np.repeat(ov, cnt)
    b = dv[np.repeat(first_dv, cnt) + np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)]
    m = v_place[a] != v_place[b]
    a, b = a[m], b[m]
    # per (run, A, B): the first destination visit, then the last origin visit before it.
    # Only runs that visit a place twice can yield a pair more than once.
    width = n_places + 2
    vkey = v_run.astype(np.int64) * width + v_place
    sk = np.sort(vkey)
    again_runs = np.unique(sk[1:][sk[1:] == sk[:-1]] // width)
    rep = np.isin(v_run[a], again_runs) if len(again_runs) else np.zeros(len(a), bool)
    if rep.any():
        ra, rb = a[rep], b[rep]
        gkey = (v_run[ra].astype(np.int64) * width + v_place[ra]) * width + v_place[rb]
        grp = np.unique(gkey, return_inverse=True)[1].reshape(-1)
        n_grp = int(grp.max()) + 1
        best_b = np.full(n_grp, np.iinfo(np.int64).max)
        np.minimum.at(best_b, grp, rb)
        first_b = rb == best_b[grp]
        ra, rb, grp = ra[first_b], rb[first_b], grp[first_b]
        best_a = np.full(n_grp, -1)
        np.maximum.at(best_a, grp, ra)
        m = ra == best_a[grp]
        kept = np.flatnonzero(rep)[first_b][m]
        keep = ~rep
        keep[kept] = True
        a, b = a[keep], b[keep]             # still in run order (the CSR below needs it)
    t0 = v_board_dep[a]
    ptr = np.searchsorted(v_run[a], np.arange(len(trips) + 1)).astype(np.int64)
    return _TripPairs(ptr=ptr, origin=v_place[a], destination=v_place[b], t0=t0, runtime=v_alight_arr[b] - t0)


def _pair_events(tp: _TripPairs, trip_pos: np.ndarray, offset: np.ndarray, run_clock: np.ndarray,
                 clocks: list[_Clock], clock: str):
    """The pair departures of runs (trip position in ``tp``, time offset, which of ``clocks``
    reads their day): (trip-pair index, departure time on the wall clock, run, whether it falls
    on the report day)."""
    start, lens = tp.ptr[trip_pos], tp.ptr[trip_pos + 1] - tp.ptr[trip_pos]
    total = int(lens.sum())
    run = np.repeat(np.arange(len(trip_pos)), lens)
    idx = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens) + start[run]
    t = tp.t0[idx] + offset[run]
    if len(clocks) == 1:
        t = clocks[0].wall(t)
    else:
        ck = run_clock[run]
        for c in np.unique(ck):
            m = ck == c
            t[m] = clocks[c].wall(t[m])
    return idx, t, run, _on_day(t, clock)


def _max_hour(t0: np.ndarray, offset: np.ndarray) -> int:
    """An upper bound of the hours of pair departures (service clock)."""
    if not len(t0) or not len(offset):
        return 0
    return int((float(np.nanmax(t0)) + float(offset.max())) // 3600)


def od_table(feed: Feed | FreqData, dates: Sequence[dt.date], window: tuple[int, int] | None = None,
             modes: Sequence[str] | None = None, *, stations: bool = False, area_csv=None,
             origins: Sequence[Sequence[str]] | None = None,
             destinations: Sequence[Sequence[str]] | None = None,
             combine_destinations: bool = False, clock: str = "calendar", holidays="auto",
             day_types: Sequence[str] | None = None, progress: Progress | None = None) -> Table:
    """One row per ordered city (area) pair, or station pair: direct departures, first/last, run times.

    ``origins``/``destinations``: places as groups of stop_ids (``Network.frequency`` resolves
    names with the place index, as every command does); a table row's place is in when one of
    its stops is.

    ``combine_destinations`` makes the chosen destinations one group, so a trip serving two of
    them counts once (e.g. trips from Hohhot to any of Baotou, Ordos, Ulanqab).
    """
    base = _base(feed, modes, area_csv)
    if stations:
        place_of_stop = base.stop_station
        place_ids, place_names = base.stop_ids, base.stop_names
    else:
        place_of_stop = base.stop_area
        place_ids, place_names = base.area_ids, base.area_names
    n_places = len(place_ids)
    o_sel = _select(origins, base.stop_ids, place_of_stop)
    d_sel = _select(destinations, base.stop_ids, place_of_stop)
    if combine_destinations and d_sel is None:
        raise InputError("{combine} needs {destinations}: the destinations to count as one", "combine",
                         "destinations")
    days = _days(base, dates, clock, holidays, day_types, progress, window)
    # every vehicle run of the report days as (timing pattern, time shift), the same run on
    # several kinds of day counted once with the days it stands for (all, and per day type)
    nd = len(days.dates)
    # (and the same clock: a run's times read on the wall an hour off on a clock-change day)
    clocks = list(dict.fromkeys(key[1] for key in days.keys))
    clock_of = [clocks.index(key[1]) for key in days.keys]
    pat, off, kind = [], [], []
    for k, key in enumerate(days.keys):
        rt, ro, _ = _day_runs(base, key, days)
        pattern = base.trip_pattern[rt]
        pat.append(pattern)
        off.append(ro + (base.trip_first[rt] - base.trip_first[pattern]))
        kind.append(np.full(len(rt), k))
    pat, off, kind = np.concatenate(pat), np.concatenate(off), np.concatenate(kind)
    ck = np.asarray(clock_of, dtype=np.int64)[kind]
    order = np.lexsort((off, pat, ck))
    pat, off, kind, ck = pat[order], off[order], kind[order], ck[order]
    new = np.r_[True, (pat[1:] != pat[:-1]) | (off[1:] != off[:-1]) | (ck[1:] != ck[:-1])] if len(pat) \
        else np.zeros(0, bool)
    run_id = np.cumsum(new) - 1
    r_pat, r_off, r_clock = pat[new], off[new], ck[new]
    r_weight = {"all": np.bincount(run_id, weights=days.weight[kind], minlength=len(r_pat))}
    if nd > 1:
        r_weight.update({ty: np.bincount(run_id, weights=tw[kind], minlength=len(r_pat))
                         for ty, tw in days.type_weight.items()})
    trips = np.unique(r_pat)
    tp = _trip_pairs(base, trips, place_of_stop, n_places, o_sel, d_sel, n_places if combine_destinations else None)
    n_d = n_places + 1
    uniq, codes = np.unique(tp.origin * n_d + tp.destination, return_inverse=True)
    codes = codes.reshape(-1).astype(np.int64)
    n = len(uniq)
    # per pair: departures (all days, per day type), per hour, in the window; first/last
    # departure; and how many departures each trip pair makes (for the run-time median)
    count = {ty: np.zeros(n) for ty in r_weight}
    n_h = 24 if clock == "calendar" else max(24, _max_hour(tp.t0, r_off) + 1)
    hourly = np.zeros(n * n_h)
    in_window = np.zeros(n)
    first, last = np.full(n, np.inf), np.full(n, -np.inf)
    tp_weight = np.zeros(len(codes))
    used_hours = 0
    pos = np.searchsorted(trips, r_pat)
    ends = np.cumsum(tp.ptr[pos + 1] - tp.ptr[pos])
    marks = np.arange(_CHUNK_EVENTS, int(ends[-1]) if len(ends) else 0, _CHUNK_EVENTS)
    cuts = np.unique(np.r_[0, np.searchsorted(ends, marks, side="right"), len(pos)])
    for a, b in zip(cuts[:-1], cuts[1:]):   # a few million departures at a time: bounded memory
        idx, t, run, on = _pair_events(tp, pos[a:b], r_off[a:b], r_clock[a:b], clocks, clock)
        if window is not None:
            inw = _in_window(t, on, window)
            in_window += np.bincount(codes[idx[inw]], weights=r_weight["all"][a:b][run[inw]], minlength=n)
        idx, t, run = idx[on], t[on], run[on]
        c = codes[idx]
        w = r_weight["all"][a:b][run]
        for ty, rw in r_weight.items():
            count[ty] += np.bincount(c, weights=w if ty == "all" else rw[a:b][run], minlength=n)
        hour = (t // 3600).astype(np.int64)
        if len(hour):
            used_hours = max(used_hours, int(hour.max()) + 1)
        hourly += np.bincount(c * n_h + hour, weights=w, minlength=n * n_h)
        np.minimum.at(first, c, t)
        np.maximum.at(last, c, t)
        tp_weight += np.bincount(idx, weights=w, minlength=len(codes))
        days.advance(b / max(len(pos), 1))
    days.advance(1.0)
    counts = {ty: count[ty] / (nd if ty == "all" else days.type_days[ty]) for ty in count}
    runs_of = tp_weight > 0
    fastest, _ = _min_max(codes[runs_of], tp.runtime[runs_of], n)
    median = _weighted_median(codes[runs_of], tp.runtime[runs_of], tp_weight[runs_of], n)
    if clock != "calendar":
        n_h_used = max(24, used_hours)
        hourly = hourly.reshape(n, n_h)[:, :n_h_used]
    else:
        hourly = hourly.reshape(n, n_h)
    hourly = hourly / nd
    rows = np.flatnonzero(counts["all"] > 0)
    uo, ud = (uniq[rows] // n_d).astype(np.int64), (uniq[rows] % n_d).astype(np.int64)
    label = texts(np.append(place_names, "+".join(str(place_names[i]) for i in d_sel)
                            if combine_destinations else ""))
    ident = np.append(place_ids, "+".join(str(place_ids[i]) for i in d_sel) if combine_destinations else "")
    ident = ident.astype(str).astype(object)
    # rows by origin, destination, origin_id, destination_id (names ranked once per place), put
    # in that order before the columns are gathered
    lab, ide = rank(label), rank(ident)
    order = np.lexsort((ide[ud], ide[uo], lab[ud], lab[uo]))
    rows, uo, ud = rows[order], uo[order], ud[order]
    df = Table({"origin": label[uo], "destination": label[ud], "origin_id": ident[uo], "destination_id": ident[ud]})
    _add_per_day(df, counts, "departures_per_day", rows)
    df["first_departure"] = _clock_col(first[rows])
    df["last_departure"] = _clock_col(last[rows])
    df["fastest_min"] = np.round(fastest[rows] / 60, 1)
    df["median_min"] = np.round(median[rows] / 60, 1)
    if window is not None:
        df["window_departures_per_day"] = np.round(in_window[rows] / nd, 3)
    hourly = np.round(hourly[rows], 3)
    for h in range(hourly.shape[1]):
        df[f"h{h:02d}"] = hourly[:, h]
    return _attrs(df, "od", days, window, modes, {"places": "stations" if stations else "areas"})


def _boardings(base: FreqData, key, days: _Days):
    """Boardable stop events of one report day's runs: (stop code, time on the day's wall clock,
    route code, trip, whether it falls on the report day)."""
    rt, ro, _ = _day_runs(base, key, days)
    run, row = _expand(base, rt)
    m = base.st_board[row]
    run, row = run[m], row[m]
    t = key[1].wall(base.st_dep[row] + ro[run])
    return base.st_stop[row], t, base.trip_route[rt][run], rt[run], _on_day(t, days.clock)


def stop_table(feed: Feed | FreqData, dates: Sequence[dt.date], window: tuple[int, int] | None = None,
               modes: Sequence[str] | None = None, *, area_csv=None, clock: str = "calendar",
               holidays="auto", day_types: Sequence[str] | None = None,
               progress: Progress | None = None) -> Table:
    """One row per station (platforms merged): departures per day and per hour of day, first/last."""
    base = _base(feed, modes, area_csv)
    days = _days(base, dates, clock, holidays, day_types, progress, window)
    parts = []
    for k, key in enumerate(days.keys):
        stop, t, route, _, on = _boardings(base, key, days)
        inw = _in_window(t, on, window) if window is not None else np.zeros(len(t), bool)
        parts.append((np.full(int(on.sum()), k), base.stop_station[stop[on]], t[on], route[on],
                      np.full(int(inw.sum()), k), base.stop_station[stop[inw]]))
        days.done(k)
    kind, station, t, route, wkind, wstation = (np.concatenate([p[i] for p in parts]) for i in range(6))
    n = len(base.stop_ids)
    counts = _per_day(station, kind, n, days)
    first, last = _min_max(station, t, n)
    pairs = _distinct(station * len(base.route_ids) + route)
    n_routes = np.bincount(pairs // len(base.route_ids), minlength=n)
    hourly = _hours(station, t, days.weight[kind], n, len(days.dates), clock)
    rows = np.flatnonzero(counts["all"] > 0)
    df = Table({
        "station_id": base.stop_ids[rows].astype(str),
        "station": texts(base.stop_names[rows]),
        "area": texts(base.area_names)[base.stop_area[rows]],
    })
    _add_per_day(df, counts, "departures_per_day", rows)
    df["routes"] = n_routes[rows].astype(np.int64)
    df["first_departure"] = _clock_col(first[rows])
    df["last_departure"] = _clock_col(last[rows])
    if window is not None:
        df["window_departures_per_day"] = np.round(
            np.bincount(wstation, weights=days.weight[wkind], minlength=n)[rows] / len(days.dates), 3)
    for h in range(hourly.shape[1]):
        df[f"h{h:02d}"] = np.round(hourly[rows, h], 3)
    df = df.sorted_by([df["area"], df["station"], df["station_id"]])
    return _attrs(df, "stop", days, window, modes)


def hour_table(feed: Feed | FreqData, dates: Sequence[dt.date], window: tuple[int, int] | None = None,
               modes: Sequence[str] | None = None, *, clock: str = "calendar", holidays="auto",
               day_types: Sequence[str] | None = None, progress: Progress | None = None) -> Table:
    """One row per hour of day: boardable departures across the network by mode, and trips started.

    The per-mode columns sum to ``total``, which equals the sum over stations of ``stop_frequency``.
    Every hour is counted, so a ``window`` is refused rather than recorded in the metadata as if applied.
    """
    if window is not None:
        raise InputError("{window} applies to {by} route, od and stop; {by} hour counts every hour of the day",
                         "window", "by")
    base = _base(feed, modes)
    days = _days(base, dates, clock, holidays, day_types, progress)
    parts, starts = [], []
    for k, key in enumerate(days.keys):
        _, t, route, _, on = _boardings(base, key, days)
        parts.append((np.full(int(on.sum()), k), t[on], route[on]))
        rt, ro, _ = _day_runs(base, key, days)
        s = key[1].wall(base.trip_first[rt] + ro)
        s = s[_on_day(s, clock)]
        starts.append((np.full(len(s), k), s))
        days.done(k)
    kind, t, route = (np.concatenate([p[i] for p in parts]) for i in range(3))
    skind, st = (np.concatenate([p[i] for p in starts]) for i in range(2))
    mode_names = sorted(set(base.route_mode[_distinct(route)].tolist())) if len(route) else []
    code_of = {m: i for i, m in enumerate(mode_names)}
    mode_code = np.array([code_of.get(m, -1) for m in base.route_mode.tolist()], dtype=np.int64)[route] \
        if len(route) else np.zeros(0, int)
    nd = len(days.dates)
    n_h = 24 if clock == "calendar" else max(24, int(max(t.max() if len(t) else 0, st.max() if len(st) else 0)
                                                       // 3600) + 1)
    hour = (t // 3600).astype(np.int64)
    df = Table({"hour": np.arange(n_h, dtype=np.int64)})
    w = days.weight[kind]
    for i, mname in enumerate(mode_names):
        m = mode_code == i
        df[mname] = np.round(np.bincount(hour[m], weights=w[m], minlength=n_h) / nd, 3)
    df["total"] = np.round(np.bincount(hour, weights=w, minlength=n_h) / nd, 3)
    if nd > 1:
        for ty, tw in days.type_weight.items():
            df[f"per_{ty}"] = np.round(np.bincount(hour, weights=tw[kind], minlength=n_h) / days.type_days[ty], 3)
    df["trips_started"] = np.round(
        np.bincount((st // 3600).astype(np.int64), weights=days.weight[skind], minlength=n_h) / nd, 3)
    return _attrs(df, "hour", days, window, modes, {"mode_columns": mode_names})


def departures(feed: Feed | FreqData, dates: Sequence[dt.date], modes: Sequence[str] | None = None, *,
               area_csv=None, clock: str = "calendar", holidays="auto") -> pd.DataFrame:
    import pandas as pd

    """The shared event table, materialised: one row per trip run per stop per report day.

    Columns: day (report date), day_type, service_date, run (unique per day), trip_id, route_id,
    mode, stop_id, station_id, area_id, arrival_s / departure_s (seconds in the report clock:
    the day's wall clock, or GTFS times with ``clock="service"``), hour, can_board, can_alight.
    In the calendar clock an event belongs to the calendar day of its departure; the tables above
    use the same events.
    """
    base = _base(feed, modes, area_csv)
    days = _days(base, dates, clock, holidays, None, None)
    frames = []
    for d, ty, kind in zip(days.dates, days.types, days.kind_of):
        key = days.keys[kind]
        rt, ro, sh = _day_runs(base, key, days)
        run, row = _expand(base, rt)
        dep, arr = key[1].wall(base.st_dep[row] + ro[run]), key[1].wall(base.st_arr[row] + ro[run])
        on = _on_day(dep, clock)
        run, row, dep, arr = run[on], row[on], dep[on], arr[on]
        stop = base.st_stop[row]
        trip = rt[run]
        frames.append(pd.DataFrame({
            "day": d.isoformat(), "day_type": ty,
            "service_date": [(d - dt.timedelta(days=int(j))).isoformat() for j in sh[run]],
            "run": run.astype(np.int64), "trip_id": base.trip_ids[trip].astype(str),
            "route_id": base.route_ids[base.trip_route[trip]].astype(str),
            "mode": base.route_mode[base.trip_route[trip]].astype(str),
            "stop_id": base.stop_ids[stop].astype(str), "station_id": base.stop_ids[base.stop_station[stop]].astype(str),
            "area_id": base.area_ids[base.stop_area[stop]].astype(str),
            "arrival_s": arr, "departure_s": dep, "hour": (dep // 3600).astype(np.int64),
            "can_board": base.st_board[row], "can_alight": base.st_alight[row],
        }))
    return pd.concat(frames, ignore_index=True)


def _as_frame(build: Callable[..., Table]) -> Callable[..., pd.DataFrame]:
    @functools.wraps(build)
    def frame(*args, **kw) -> pd.DataFrame:
        return build(*args, **kw).to_pandas()

    frame.__doc__ = f"{build.__doc__}\n\n    As a pandas DataFrame (``{build.__name__}`` gives the ``Table``)."
    return frame


route_frequency = _as_frame(route_table)
od_frequency = _as_frame(od_table)
stop_frequency = _as_frame(stop_table)
hourly_frequency = _as_frame(hour_table)

#: --by -> the table as a Table (printing and text exports: no pandas) or as a DataFrame.
TABLES = {"route": route_table, "od": od_table, "stop": stop_table, "hour": hour_table}
BY = {"route": route_frequency, "od": od_frequency, "stop": stop_frequency, "hour": hourly_frequency}
