"""The front door: one ``Network`` holds the feeds, the place index and the compiled timetables.

A notebook and the CLI run the same code::

    import hbeu_transit as hb
    net = hb.Network()                                   # the bundled regional feeds
    plan = net.plan("Baotou", "Hohhot", date="2026-12-09", depart="07:30")
    plan.to_frame()

Everything heavy is read at most once and only when needed: the feeds (pandas, gtfs-kit) only on
a cold cache or for feed-level reports (frequency, summary), the place index and each date's
timetable from the disk cache (``$HBEU_CACHE_DIR``) when they are there. A warm ``plan`` imports
neither pandas nor gtfs-kit.

Dates are ``datetime.date`` or ISO strings; times of day ``"HH:MM"`` strings (up to 47:59) or
seconds after the service day's midnight. Bad values raise :class:`~hbeu_transit.errors.InputError`
naming the parameter (``depart``), never a command-line flag.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from .errors import FeedError, InputError
from .numeric import is_listed
from .values import (RouterOptions, TimeLike, as_callback, as_clock, as_count, as_date, as_meters, as_minutes,
                     as_modes, as_options, as_path, as_paths, as_window, split_names)

__all__ = ["Network"]

PathLike = str | Path


def _areas_file(path: PathLike | None) -> Path | None:
    """The areas CSV, which must be a readable file (its content is hashed into the cache keys
    before anything parses it); None stays None. Its columns are checked when a cache is built."""
    if path is None:
        return None
    p = as_path(path, "areas", "a CSV file's path")
    if not p.is_file():
        raise FeedError(str(p), "cannot read areas file (no such file)")
    try:
        with open(p, "rb"):
            pass
    except OSError as e:
        raise FeedError(str(p), f"cannot read areas file ({e.strerror or e})") from None
    return p


#: bump when the planner's checks change, so that verdicts kept in caches are made again
#: (2: the warning names the first error's feed file and line)
CHECKS_VERSION = 2


def _warn_if_unsound(feed, memo: Path | None = None) -> None:
    """One FeedWarning when the planner's own checks find errors (answers may be wrong); run
    whenever the feeds are read, i.e. once per feed version when the caches are warm. ``memo``:
    where the verdict of these feeds is kept (the checks cost more than reading hart), so a
    command that always reads the feeds (info) checks them once, and warns as often."""
    import warnings

    from .errors import FeedWarning

    try:
        message = memo.read_text(encoding="utf-8") if memo is not None else None
    except (OSError, UnicodeDecodeError):
        message = None
    if message is None:
        from .feed.validate import planner_errors

        errors = planner_errors(feed)
        message = ""
        if errors:
            first = errors[0]
            where = "".join(f" {x}" for x in (first.file, first.row and f"line {first.row}") if x)
            message = (f"the feeds have {len(errors)} error(s), e.g.{where}: {first.code}: {first.message}; "
                       "run `hbeu validate` for the list")
        if memo is not None:
            from .cache import write_memo

            write_memo(memo, message.encode("utf-8"))
    if message:
        warnings.warn(message, FeedWarning, stacklevel=3)


def _with_options(options: RouterOptions | None, kw: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments with the router options filled in from ``options`` where not given."""
    if options is None:
        return kw
    opts = as_options(options)
    return {**kw, **opts.merged(**{k: kw.get(k) for k in opts.as_kwargs()}).as_kwargs()}


def _coverage_filters(origins, destinations, road_times: Any) -> dict[str, Any]:
    """What a coverage run was asked for beyond its parameters: the places as given and the
    driving-times file (a table passed from Python is not a file to name)."""
    return {"origin": split_names(origins), "destination": split_names(destinations),
            "road_times": str(road_times) if isinstance(road_times, (str, Path)) and road_times != "auto" else None}


# --------------------------------------------------------------------------- the network

class Network:
    """GTFS feeds ready for questions: places, plans, departure boards, commutes, frequencies.

    ``feeds``: GTFS zips or folders, any iterable of them (merged in order; None, the default:
    the bundled regional feeds; an empty one is an InputError);
    ``areas``: a CSV ``stop_id,area`` moving the stops it lists into cities/areas (joining the
    feeds' area of that name, or a new one; every other stop keeps the feeds' grouping);
    ``cache_dir``: where timetables and the place index are kept (default ``$HBEU_CACHE_DIR``,
    else ``~/.cache/hbeu-transit``); ``transfer_minutes``, ``walk_meters``, ``modes``: the
    router's defaults for every query (each query may override them); ``scenarios``: scenario
    files, shipped scenario names or dicts (``data/scenarios/README.md``) applied in order to the
    merged feeds (see also :meth:`with_scenario`); ``clock(timezone)``: "now" as an aware
    datetime (default ``analysis.times.now_in``), which sets today and the default time.
    """

    def __init__(self, feeds: PathLike | Iterable[PathLike] | None = None, *, areas: PathLike | None = None,
                 cache_dir: PathLike | None = None, transfer_minutes: float | None = None,
                 walk_meters: float | None = None, modes: str | Iterable[str] | None = None,
                 scenarios: Sequence[PathLike | dict] | None = None,
                 clock: Callable[[str], dt.datetime] | None = None):
        if feeds is not None:   # any iterable (Path.glob's generator too), read once
            feeds = as_paths(feeds, "feeds", "GTFS zips or folders")
            if not feeds:   # a glob that matched nothing is no reason to plan on the bundled region
                raise InputError("{feeds} is empty: give GTFS zips or folders, or leave it out (None) for the "
                                 "bundled regional feeds", "feeds")
        for p in feeds or ():
            if not p.exists():
                raise FeedError.missing(p)
        if feeds is not None:
            self.paths = feeds
        else:
            from .feed.bundled import default_feed_paths

            self.paths = default_feed_paths()
        self.area_csv = _areas_file(areas)
        if cache_dir is None:
            from .cache import default_cache_dir

            cache_dir = default_cache_dir()
        self.cache_dir = as_path(cache_dir, "cache_dir", "a folder's path")
        self.options = self._options(modes, transfer_minutes, walk_meters)
        self.clock = clock
        self._feed = None
        self._places = None
        self._timetables: dict[tuple, Any] = {}
        self.scenarios: list[str] = []
        #: Each scenario applied: its name, file and the file's sha256 (for the exports' metadata).
        self.scenario_records: list[dict[str, Any]] = []
        #: The feeds before any scenario (a scenario of the bundled feed is still the bundled region).
        self.base_paths = list(self.paths)
        if scenarios is not None and not is_listed(scenarios):
            scenarios = [scenarios]   # one name, file or dict (not its letters or keys), or a value load_scenarios refuses
        if scenarios:
            self._apply_scenarios(list(scenarios))

    def _apply_scenarios(self, scenarios: list, loader: Callable[[], Any] | None = None) -> None:
        """Swap the feeds for their scenario version: one GTFS zip in the cache (built once)."""
        from .scenario import load_scenarios, scenario_feed_path

        parsed = load_scenarios(scenarios)
        self.paths = [scenario_feed_path(self.paths, parsed, self.cache_dir, loader=loader)]
        self.scenarios = self.scenarios + [s.name for s in parsed]
        self.scenario_records = self.scenario_records + [s.record() for s in parsed]
        self._feed, self._places, self._timetables = None, None, {}

    def with_scenario(self, *scenarios: PathLike | dict) -> "Network":
        """A new Network: this one's feeds with the scenarios (files, shipped names such as
        ``"all-planned"``, or dicts shaped like the TOML) applied in order, same options::

            after = net.with_scenario("hohhot-baotou-hsr")
            net.coverage(), after.coverage()      # before and after
        """
        other = Network(self.paths, areas=self.area_csv, cache_dir=self.cache_dir, clock=self.clock)
        other.options = dict(self.options)
        other.scenarios = list(self.scenarios)
        other.scenario_records = list(self.scenario_records)
        other.base_paths = list(self.base_paths)
        other._apply_scenarios(list(scenarios), loader=self._load_feed if self._feed is not None else None)
        return other

    def __repr__(self) -> str:
        extra = f", scenarios={self.scenarios!r}" if self.scenarios else ""
        return f"Network({[str(p) for p in self.paths]!r}, areas={self.area_csv!r}, options={self.options!r}{extra})"

    # ------------------------------------------------------------------ what it holds
    @property
    def feed(self):
        """The merged feeds (``feed.Feed``), read on first use."""
        if self._feed is None:
            from .feed.load import load_feeds

            from .cache import feeds_digest

            self._feed = load_feeds(list(self.paths))
            digest = feeds_digest(self.paths, cache_dir=self.cache_dir)
            _warn_if_unsound(self._feed, self.cache_dir / "checks" / f"{digest}-v{CHECKS_VERSION}.txt")
        return self._feed

    def _load_feed(self):
        return self.feed

    @property
    def places(self):
        """The place index (names, cities, modes, service dates, fares), from the cache when there."""
        if self._places is None:
            from .places import load_index

            self._places = load_index(self.paths, self.cache_dir, feed_loader=self._load_feed,
                                      area_csv=self.area_csv)
        return self._places

    @property
    def timezone(self) -> str:
        return self.places.timezone

    def _options(self, modes=None, transfer_minutes=None, walk_meters=None) -> dict[str, Any]:
        """Router options: the given ones over the network's defaults (None keeps the default)."""
        opts: dict[str, Any] = dict(getattr(self, "options", {}))
        fams = as_modes(modes)
        if fams is not None:
            opts["modes"] = fams
        if transfer_minutes is not None:   # checked here, not only when a timetable is compiled
            opts["transfer_minutes"] = as_minutes(transfer_minutes, "transfer_minutes", zero=True)
        if walk_meters is not None:
            opts["walk_meters"] = as_meters(walk_meters)
        return opts

    def _note_modes(self, modes: Sequence[str] | None, notes: list[str] | None) -> None:
        """Add to ``notes`` that ``modes`` (a command's mode filter) select no trip of the feeds,
        naming the modes they have (the place index's, of every trip): an empty answer then
        says why, as a date without trips does."""
        from .feed.modes import missing_modes_note

        note = missing_modes_note(modes, (m for s in self.places.stations for m in s.modes)) if modes else None
        if note and notes is not None and note not in notes:
            notes.append(note)

    def timetable(self, date: dt.date | str | None = None, *, modes=None, transfer_minutes: float | None = None,
                  walk_meters: float | None = None):
        """The compiled ``Timetable`` of a service date (default: today or the next service date),
        for the router's functions; cached on disk and in this object."""
        day = self._day(date, [])[0]
        return self._timetable(day, self._options(modes, transfer_minutes, walk_meters))

    def _timetable(self, day: dt.date, opts: dict[str, Any]):
        key = (day, tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in opts.items())))
        if key not in self._timetables:
            from .timetable import load_timetable

            self._timetables[key] = load_timetable(self.paths, day, cache_dir=self.cache_dir,
                                                   feed_loader=self._load_feed, area_csv=self.area_csv, **opts)
        return self._timetables[key]

    def _loader(self, opts: dict[str, Any]) -> Callable[[dt.date], Any]:
        """``load(date)``: a service date's timetable with router options ``opts``, kept here (the
        timetable loader the analyses of ``analysis.across`` take)."""
        return lambda day: self._timetable(day, opts)

    def resolve(self, query: str):
        """The place (``places.Place``: stop, station or city) a name or id stands for."""
        return self.places.resolve(query)

    def stop_indices(self, query: str, tt):
        """Indices in timetable ``tt`` of every stop a place name stands for (platforms of its
        stations included): the sources/targets of the router's functions."""
        from .analysis.plan import stop_indices

        return stop_indices(tt, self.resolve(query))

    def now(self, timezone: str | None = None) -> dt.datetime:
        """The current time in the feeds' timezone (or ``timezone``), from the clock."""
        if self.clock is not None:
            return self.clock(timezone or self.timezone)
        from .analysis import times

        return times.now_in(timezone or self.timezone)

    def _today(self) -> dt.date:
        return self.now().date()

    def _day(self, date: dt.date | str | None, notes: list[str]) -> tuple[dt.date, bool]:
        """The service date to use and whether it is today by default (then "now" is the default
        time): ``date`` (never "today" then: a date asked for is shown whole), or today when
        the feeds run today, else their next service date (noted)."""
        idx = self.places
        today = self._today()
        day = as_date(date)
        if day is None:
            day, note = idx.default_date(today)
            if note:
                notes.append(note)
        else:
            from .analysis.dates import check_in_span

            check_in_span(day, idx.service_dates)
            if day.isoformat() not in idx.service_dates:
                notes.append(f"the feeds run no trips on {day.isoformat()}")
        return day, date is None and day == today

    def _feed_day(self, date: dt.date | str | None, notes: list[str]) -> dt.date:
        """As ``_day`` for the feed-level reports, from the loaded feed (no place index): a date
        asked for outside the feeds' service dates is an InputError there too (a graph or trip
        count of a day with no data would be empty, not an answer)."""
        day = as_date(date)
        f = self.feed
        if day is None:
            from .feed.service import default_date

            day, note = default_date(f.calendar, f.calendar_dates, f.trips, today=self.now(f.timezone).date())
            if note:
                notes.append(note)
        else:
            from .analysis.dates import check_in_span
            from .feed.service import dates_with_trips

            served = dates_with_trips(f.calendar, f.calendar_dates, f.trips)
            check_in_span(day, served)
            if day.isoformat() not in served:
                notes.append(f"the feeds run no trips on {day.isoformat()}")
        return day

    # ------------------------------------------------------------------ stations
    def find_stations(self, query: str | None = None) -> list:
        """Stations (``places.Station``) a name matches, or all; InputError with suggestions when none."""
        idx = self.places
        found = idx.search(query)
        if not found and query is not None:   # (0 is a stop_id; a blank query finds every station)
            raise idx.no_match(query)
        return found

    def stations(self, query: str | None = None):
        """DataFrame of the stations a name matches (all without one): stop_id, name, name_en,
        area, modes, lat, lon, stop_ids."""
        import pandas as pd

        from .places import pick_translation

        rows = [{"stop_id": s.id, "name": s.name, "name_en": pick_translation(s.names, "en"),
                 "area": self.places.area_label(s.area_id), "modes": ",".join(s.modes), "lat": s.lat,
                 "lon": s.lon, "stop_ids": list(s.stops)} for s in self.find_stations(query)]
        return pd.DataFrame(rows, columns=["stop_id", "name", "name_en", "area", "modes", "lat", "lon", "stop_ids"])

    # ------------------------------------------------------------------ journeys
    def plan(self, origin: str, destination: str, *, date: dt.date | str | None = None,
             depart: TimeLike | None = None, arrive_by: TimeLike | None = None,
             window: str | int | dt.timedelta | None = None, num: int | None = None,
             max_transfers: int | None = None, modes=None, transfer_minutes: float | None = None,
             walk_meters: float | None = None, all_day: bool = False, options: RouterOptions | None = None):
        """Journeys from ``origin`` to ``destination`` (stop ids, station or city names).

        ``options``: the router options as one value (:class:`~hbeu_transit.values.RouterOptions`);
        ``max_transfers``, ``modes``, ``transfer_minutes``, ``walk_meters`` given here win over it.

        ``depart`` (default: now when planning for today without a ``date``, the journeys gone
        already counted in a note, unless ``all_day``; else 00:00) or ``arrive_by``, wall-clock
        times of ``date``; past 24:00 the next morning, searched on the day's trips still running
        then and the next service date's (from that date's start: 23:00 on the eve of the spring
        change); arriving early in the morning, on the day before's late trips too (see
        ``analysis.plan.plan_arriving_across``);
        ``window`` ("2h", minutes or a timedelta): every journey leaving in it (arriving in it with
        ``arrive_by``) that no other journey in it beats (a journey after the window hides none); else at least ``num`` (default 3) from the first departure,
        going on into the next service dates that run (arriving by a time: the dates before) when
        the date gives fewer, within a week (each journey's ``service_date`` says its date).
        Returns a :class:`~hbeu_transit.analysis.results.Plan`.
        """
        from .analysis.across import plan_day
        from .analysis.times import seconds_of_day

        if depart is not None and arrive_by is not None:
            raise InputError("give either {depart} or {arrive_by}, not both", "depart", "arrive_by")
        dep_s = as_clock(depart, "depart") if depart is not None else None
        arr_s = as_clock(arrive_by, "arrive_by") if arrive_by is not None else None
        win = as_window(window)
        num = as_count(num, "num", 1)
        if win is not None and num is not None:
            raise InputError("{num} is for plans without {window} (a window lists every worthwhile journey in it)",
                             "num", "window")
        num = 3 if num is None and win is None else num
        r = as_options(options).merged(modes=modes, transfer_minutes=transfer_minutes,
                                       walk_meters=walk_meters, max_transfers=max_transfers)
        opts, max_transfers = self._options(r.modes, r.transfer_minutes, r.walk_meters), r.max_transfers
        idx = self.places
        o, d = idx.resolve(origin, "origin"), idx.resolve(destination, "destination")
        notes = [p.note for p in (o, d) if p.note]
        self._note_modes(opts.get("modes"), notes)
        day, is_today = self._day(date, notes)
        from_now = dep_s is None and arr_s is None and is_today and not all_day
        if from_now:
            dep_s = seconds_of_day(self.now())
        return plan_day(self._loader(opts), idx, day, o, d, depart=dep_s, arrive_by=arr_s, window=win, num=num,
                        max_transfers=max_transfers, from_now=from_now, modes=opts.get("modes"), notes=notes)

    def departures(self, station: str, *, date: dt.date | str | None = None, start: TimeLike | None = None,
                   end: TimeLike | None = None, modes=None, all_day: bool = False):
        """A departure board (:class:`~hbeu_transit.analysis.results.Board`): every trip leaving
        ``station`` between ``start`` (default: now for today without a ``date``, the trips gone
        already counted in a note, unless ``all_day``; else 00:00) and ``end`` (default:
        the end of the service day: its own trips), one row per trip; for a city, the trips
        leaving it (not hops between two of its stations). An ``end`` past 24:00 is the next
        morning, whose board holds the next service date's early trips too (as ``plan``'s)."""
        from .analysis.across import board_day
        from .analysis.times import seconds_of_day
        from .feed.times import format_clock

        start_s = as_clock(start, "start") if start is not None else None
        end_s = as_clock(end, "end") if end is not None else 48 * 3600
        opts = self._options(modes)
        idx = self.places
        place = idx.resolve(station, "station")
        notes = [place.note] if place.note else []
        self._note_modes(opts.get("modes"), notes)
        day, is_today = self._day(date, notes)
        from_now = start_s is None and is_today and not all_day
        if start_s is None:
            start_s = seconds_of_day(self.now()) if from_now else 0
        if end_s < start_s and from_now:  # no start asked: today's board starts now
            raise InputError(f"{{end}} {end} is before now ({format_clock(start_s)}), when today's board "
                             "starts: give {start} or {all_day}", "end", "start", "all_day")
        if end_s < start_s:   # one service day's clock: the night goes on past 24:00
            hint = (f"; for a board past midnight write {format_clock(end_s + 86400)} "
                    f"({format_clock(end_s)} the next day)" if end_s + 86400 >= start_s and end_s < 86400 else "")
            raise InputError(f"{{end}} {end} is before {{start}} {format_clock(start_s)}{hint}", "end", "start")
        return board_day(self._loader(opts), idx, day, place, start=start_s if start is not None or from_now else None,
                         end=end_s if end is not None else None, from_now=from_now, notes=notes)

    def commute(self, home: str, work: str, *, arrive_by: TimeLike = "09:00", leave_after: TimeLike = "18:00",
                days: int = 5, date: dt.date | str | None = None, weekdays: bool = True,
                max_transfers: int | None = None, modes=None, transfer_minutes: float | None = None,
                walk_meters: float | None = None, options: RouterOptions | None = None):
        """For each of the next ``days`` service days from ``date`` (default today), Monday to
        Friday ones unless ``weekdays`` is False: the latest journey arriving at work by
        ``arrive_by`` and the earliest home leaving after ``leave_after``, each with the next
        alternative (:class:`~hbeu_transit.analysis.results.Commute`); a note says when the
        feeds end before ``days`` such days. ``options`` as in :meth:`plan`. ``leave_after``
        earlier than ``arrive_by`` is refused (both are times of the same service day); past
        24:00 it is the next morning (a night shift: ``arrive_by="22:00", leave_after="30:00"``),
        and the return rides the next service date's trips too; so does the way to work by an
        ``arrive_by`` past 24:00 (a shift starting at 01:30 the next morning: ``"25:30"``); an
        early ``arrive_by`` (``"01:05"``) rides the day before's late trips too when the date's
        own give fewer than two ways."""
        from .analysis.across import clock_text as text, commute_days

        days = as_count(days, "days", 1, optional=False)
        arr_s = as_clock(arrive_by, "arrive_by")
        leave_s = as_clock(leave_after, "leave_after")
        if leave_s < arr_s:   # both on one service day's clock: the return cannot leave before the arrival
            raise InputError(f"{{leave_after}} {text(leave_s)} is before {{arrive_by}} {text(arr_s)}: the return "
                             "home leaves work after the arrival there, on the same service day; for the next "
                             f"morning write e.g. {text(leave_s % 86400 + 86400)} ({text(leave_s % 86400)} the next "
                             "day)", "leave_after", "arrive_by")
        r = as_options(options).merged(modes=modes, transfer_minutes=transfer_minutes,
                                       walk_meters=walk_meters, max_transfers=max_transfers)
        opts, max_transfers = self._options(r.modes, r.transfer_minutes, r.walk_meters), r.max_transfers
        idx = self.places
        h, w = idx.resolve(home, "home"), idx.resolve(work, "work")
        notes = [p.note for p in (h, w) if p.note]
        self._note_modes(opts.get("modes"), notes)
        start = as_date(date)
        if start is not None:
            from .analysis.dates import check_in_span

            check_in_span(start, idx.service_dates)
        return commute_days(self._loader(opts), idx, h, w, start or self._today(), days, arr_s=arr_s,
                            leave_s=leave_s, weekdays=weekdays, max_transfers=max_transfers, notes=notes)

    # ------------------------------------------------------------------ feed-level reports
    def frequency(self, by: str = "route", **options):
        """The frequency table ``hbeu freq`` prints, as a pandas DataFrame (``by``: route, od, stop
        or hour; ``options`` as ``frequency_table``: ``date`` or ``start``..``end``, ``window``,
        ``modes``, ``day_types``, ``clock``, ``holidays``, ``stations``, ``origins``,
        ``destinations``, ``combine``, ``progress``, ``notes``); its ``attrs["metadata"]`` is the
        record exports carry."""
        return self.frequency_table(by, **options).to_pandas()

    def frequency_table(self, by: str = "route", *, date: dt.date | str | None = None,
                        start: dt.date | str | None = None, end: dt.date | str | None = None,
                        window: str | None = None, modes=None, day_types: str | Iterable[str] | None = None,
                        clock: str = "calendar", holidays: str | Iterable[dt.date | str] = "auto",
                        stations: bool = False, origins: str | Iterable[str] | None = None,
                        destinations: str | Iterable[str] | None = None, combine: bool = False,
                        progress: Callable[[int, int], None] | None = None, notes: list[str] | None = None,
                        provenance: bool = True):
        """The frequency table as an ``analysis.table.Table`` (numpy columns; ``frequency`` gives
        the DataFrame): what ``hbeu freq`` prints and writes as text without importing pandas,
        over one ``date`` or the range ``start``..``end``. Places are named in Chinese with
        English twins ``<column>_en`` (``places.name_places``); ``modes`` defaults to the
        network's. ``notes`` (a list) receives e.g. the default date used; its
        ``attrs["metadata"]`` is the record exports carry, or with ``provenance=False`` only what
        was counted (dates, clock, window, filters: no feeds, package versions or time of the run,
        whose look-ups cost a terminal preview ~30 ms)."""
        from .analysis import frequency as fr
        from .analysis.dates import report_dates, served_dates
        from .export import counted, run_metadata
        from .places.tables import name_places

        if not isinstance(by, str) or by not in fr.TABLES:   # (a list is no key: TypeError)
            raise InputError(f"unknown table {by!r} for {{by}}: choose from {', '.join(fr.TABLES)}", "by")
        if clock not in fr.CLOCKS:
            raise InputError(f"unknown clock {clock!r} for {{clock}}: choose calendar or service", "clock")
        win = fr.parse_window(window, clock)
        stations, combine = bool(stations), bool(combine)   # flags (np.bool_ from a DataFrame: no JSON)
        mode_list = fr.parse_modes(modes if modes is not None else self.options.get("modes"))   # the network's default
        self._note_modes(mode_list, notes)
        types = split_names(day_types)
        hol = holidays.strip().lower() if isinstance(holidays, str) and holidays.strip().lower() in ("auto", "none") \
            else {as_date(x, "holidays") for x in split_names(holidays) or []}
        origins, destinations = split_names(origins), split_names(destinations)
        if by != "od" and (stations or origins or destinations or combine):
            raise InputError("{stations}, {origins}, {destinations} and {combine} apply to {by} od",
                             "stations", "origins", "destinations", "combine", "by")
        f = self._frequency_data(with_areas=by in ("od", "stop"))
        days, note = report_dates(f, as_date(date), as_date(start, "start"), as_date(end, "end"))
        if note and notes is not None:
            notes.append(note)
        kw: dict[str, Any] = dict(clock=clock, holidays=hol, day_types=types)
        if by == "od":
            kw.update(stations=stations, area_csv=self.area_csv, origins=self._stop_groups(origins, notes, "origins"),
                      destinations=self._stop_groups(destinations, notes, "destinations"), combine_destinations=combine)
        elif by == "stop":
            kw["area_csv"] = self.area_csv
        if as_callback(progress) is not None:
            kw["progress"] = progress
        table = fr.TABLES[by](f, days, win, mode_list, **kw)
        if by == "od" and (origins or destinations) and not len(table) and notes is not None:
            notes.extend(fr.no_pair_note(served_dates(f), days, origins, destinations))
        if by in ("od", "stop"):
            name_places(self.places, table, by, stations)
        filters = self._filters(origin=origins, destination=destinations, combine=combine, stations=stations,
                                day_types=types)
        table.attrs["metadata"] = (run_metadata(f, table.attrs.get("hbeu", {}), filters, self._base_feeds())
                                   if provenance
                                   else counted(table.attrs.get("hbeu", {}), filters))
        if start is not None and len(days) < (as_date(end) - as_date(start)).days + 1:  # clipped to the feeds
            table.attrs["metadata"].update(requested_from=as_date(start).isoformat(),
                                           requested_to=as_date(end).isoformat(), coverage_note=note)
        return table

    def _filters(self, **given: Any) -> dict[str, Any]:
        """The filters an export's metadata records: ``given`` (a command's own), the areas CSV and
        the scenarios applied: name, file, sha256 (empty ones are dropped by ``export.counted``)."""
        return {**given, "areas_csv": str(self.area_csv) if self.area_csv else None,
                "scenarios": [*self._earlier_scenarios(), *(dict(r) for r in self.scenario_records)]}

    def _earlier_scenarios(self) -> list[dict[str, Any]]:
        """With scenarios, those already in the feeds they were applied to (a cached scenario zip
        given as a feed: its recorded scenarios, named as the feeds under it are); else none."""
        if not self.scenarios:
            return []
        from .scenario.cache import scenario_chain

        return scenario_chain(self.base_paths, self.cache_dir)

    def _base_feeds(self) -> list | None:
        """With scenarios, the feeds they were applied to (``FeedSource``, recorded beside the
        cached scenario zip: no feed is read), which the exports name so a run can be reproduced;
        None without scenarios (the feeds read are the inputs)."""
        if not self.scenarios:
            return None
        from .scenario.cache import scenario_base_feeds

        return scenario_base_feeds(self.paths[0])

    def _run_metadata(self, counted: dict[str, Any], filters: dict[str, Any]) -> dict[str, Any]:
        """``export.run_metadata`` of a circle or coverage run: the feeds as the place index
        records them (``FeedSource``: name, file, sha256, feed_info), so a warm run names its
        feeds without reading them, and ``generated_at`` in the feeds' timezone."""
        from .export import run_metadata

        return run_metadata(self.places, counted, self._filters(**filters), self._base_feeds())

    def _stop_groups(self, names: list[str] | None, notes: list[str] | None = None,
                     param: str | None = None) -> list[tuple[str, ...]] | None:
        """Each name resolved as every command resolves it (ids, names in any language, cities,
        aliases): its stop_ids; a forgiven typo is noted in ``notes`` (when given), as a plan notes it;
        a value that is no place is an InputError naming ``param``."""
        if not names:
            return None
        places = [self.places.resolve(n, param) for n in names]
        if notes is not None:
            notes.extend(p.note for p in places if p.note and p.note not in notes)
        return [p.stop_ids for p in places]

    def _frequency_data(self, with_areas: bool):
        """The arrays the frequency tables count from (``analysis.freqdata``), from the disk cache
        when there: a warm ``freq`` reads no CSV. The areas CSV only shapes the od and stop
        tables' places, so the route and hour tables never read it."""
        from .analysis.freqdata import load_freq_data

        return load_freq_data(self.paths, cache_dir=self.cache_dir, feed_loader=self._load_feed,
                              area_csv=self.area_csv if with_areas else None)

    def station_graph(self, date: dt.date | str | None = None, notes: list[str] | None = None):
        """The station graph of a service date (networkx DiGraph: stations with name, area and
        coordinates; direct links with run times, trips per day, routes and modes); its
        ``graph`` attributes hold the date, timezone and feed hash. The date comes from the place
        index (as a plan's): a warm cache reads no feed."""
        from .station_graph import station_graph

        day = self._day(date, notes if notes is not None else [])[0]
        tt = self._timetable(day, self._options())
        g = station_graph(tt)
        idx = self.places
        for sid, d in g.nodes(data=True):  # both names, as the other tables give them
            d["name"], d["name_en"] = idx.stop_names_of(sid)
            d["area"], d["area_en"] = idx.area_names_by_name(d["area"])
            d["name_en"], d["area_en"] = d["name_en"] or "", d["area_en"] or ""  # GraphML has no null
        g.graph.update({"date": tt.date, "timezone": tt.timezone, "feed_hash": tt.feed_hash})
        return g

    def summary(self, date: dt.date | str | None = None, notes: list[str] | None = None) -> dict[str, Any]:
        """What ``hbeu info`` shows: agencies, stops and stations, routes and trips by mode,
        service dates and feed versions (trip counts on ``date``)."""
        from .analysis.summary import feed_summary

        return feed_summary(self.feed, self._feed_day(date, notes if notes is not None else []))

    # ------------------------------------------------------------------ the one-hour circle
    def circle(self, origin: str, within: float = 60, *, date: dt.date | str | None = None,
               window: str | Sequence[TimeLike] = ("06:00", "22:00"), step: float = 1, modes=None,
               max_transfers: int | None = None, transfer_minutes: float | None = None,
               walk_meters: float | None = None, by: str = "station", options: RouterOptions | None = None):
        """DataFrame, one row per destination station (or area, ``by="area"``) from ``origin``:
        ``origin, destination, destination_name(_en), area, lat, lon, fastest_min, median_min,
        p10_min, p90_min, share_within, direct_departures, in_circle`` (missing values NaN, never
        0); ``attrs["parameters"]`` records the query. ``window``: "HH:MM-HH:MM" or a (start, end)
        pair, wall-clock times of ``date`` (as ``plan``'s ``depart``; ``coverage``'s too).
        Definitions: ``analysis.circle``."""
        return self.circle_result(origin, within, date=date, window=window, step=step, modes=modes,
                                  max_transfers=max_transfers, transfer_minutes=transfer_minutes,
                                  walk_meters=walk_meters, by=by, options=options).to_frame()

    def circle_result(self, origin: str, within: float = 60, *, options: RouterOptions | None = None,
                      provenance: bool = True, **kw):
        """As ``circle``, as a :class:`~hbeu_transit.planners.CircleResult` (rows as dicts, no
        pandas; ``write_map`` / ``write_png`` draw it). Its ``metadata`` is the record exports carry
        (``export.run_metadata``: the parameters, feeds, ``generated_at``, versions), None with
        ``provenance=False`` (the terminal table: no package look-ups)."""
        from .planners import circle_result

        res = circle_result(self, origin, within=within, **_with_options(options, kw))
        if provenance:
            res.metadata = self._run_metadata({"tool": "hbeu circle", **res.parameters}, {})
        return res

    def coverage(self, origins: str | Sequence[str] | None = None, destinations: str | Sequence[str] | None = None,
                 within: float = 60, road_within: float = 120, *, date: dt.date | str | None = None,
                 window: str | Sequence[TimeLike] = ("06:00", "22:00"), step: float = 1, modes=None,
                 max_transfers: int | None = None, transfer_minutes: float | None = None,
                 walk_meters: float | None = None, by: str = "area", road_times: Any = "auto",
                 road_modes: Any = "auto", workers: int | None = None, scheduler: str | None = None,
                 progress: Callable[[int, int], None] | None = None, options: RouterOptions | None = None):
        """DataFrame, one row per ordered pair of places (default: the region's cities where
        the feed has them, else every area): the circle measures, and the road side: a timetable
        of ``road_modes`` (within ``road_within``) and a driving table ``road_times`` (a CSV path,
        a DataFrame or a mapping); "auto": rail against coaches and the bundled driving table on
        the bundled feed, no road side elsewhere.
        ``workers``/``scheduler``: run on Dask. ``attrs``: parameters and headline. A pure
        function of the network and the arguments, so a before/after comparison is two calls."""
        return self.coverage_result(origins, destinations, within, road_within, date=date, window=window,
                                    step=step, modes=modes, max_transfers=max_transfers,
                                    transfer_minutes=transfer_minutes, walk_meters=walk_meters, by=by,
                                    road_times=road_times, road_modes=road_modes, workers=workers,
                                    scheduler=scheduler, progress=progress, options=options).to_frame()

    def compare_coverage(self, *scenarios: PathLike | dict, origins: str | Sequence[str] | None = None,
                         destinations: str | Sequence[str] | None = None, provenance: bool = True, **kw):
        """Coverage before (this network) and after the scenarios, pair by pair: an
        :class:`~hbeu_transit.analysis.compare.Comparison` (``to_dict()`` is what ``hbeu coverage
        --compare --json`` prints; ``to_frame()``). ``kw`` as :meth:`coverage`."""
        import dataclasses

        from .analysis.compare import compare_coverage

        origins, destinations = split_names(origins), split_names(destinations)   # read once: two runs, the record
        after_net = self.with_scenario(*scenarios)
        before = self.coverage_result(origins, destinations, provenance=False, **kw)
        after = after_net.coverage_result(origins, destinations, provenance=False, **kw)
        params = {**before.parameters, "scenarios": after_net.scenarios[len(self.scenarios):]}
        # (the after run's measures only: its place names are the before run's)
        cmp = compare_coverage(before.records(), after.coverage.records(), params, origins=list(before.coverage.origins),
                               destinations=list(before.coverage.destinations), names=dict(before.names),
                               notes=list(dict.fromkeys(before.notes + after.notes)))
        if not provenance:
            return cmp
        compared = [dict(r) for r in after_net.scenario_records[len(self.scenario_records):]]  # name, file, sha256
        meta = self._run_metadata({"tool": "hbeu coverage --compare", **cmp.parameters},
                                  {**_coverage_filters(origins, destinations, kw.get("road_times")), "compare": compared})
        return dataclasses.replace(cmp, metadata=meta)

    def coverage_result(self, origins: str | Sequence[str] | None = None,
                        destinations: str | Sequence[str] | None = None, within: float = 60,
                        road_within: float = 120, *, options: RouterOptions | None = None,
                        provenance: bool = True, **kw):
        """As ``coverage``, as a :class:`~hbeu_transit.planners.CoverageResult` (columnar, no
        pandas; ``headline()``, ``to_dict()``, ``write_png``). Its ``metadata`` is the record
        exports carry, None with ``provenance=False`` (as ``circle_result``)."""
        from .planners import coverage_result

        origins, destinations = split_names(origins), split_names(destinations)   # read once: the run, the record
        res = coverage_result(self, origins, destinations, within=within, road_within=road_within,
                              **_with_options(options, kw))
        if provenance:
            res.metadata = self._run_metadata({"tool": "hbeu coverage", "headline": res.headline(), **res.parameters},
                                              _coverage_filters(origins, destinations, kw.get("road_times")))
        return res
