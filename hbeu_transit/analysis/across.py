"""Searches across service dates: which dates' timetables a plan, a departure board and a commute
search, the times asked for on each one's clock, and the notes about what they leave out.

A service date's timetable holds its own trips, the earlier days' still running after its
start and the next date's night trips (``timetable.compile.NEXT_DAY_HORIZON``: a late journey
changes onto them): the next date's other early trips are in the next date's only, the day
before's late ones in the day before's. So a plan leaving past 24:00 is searched on the next
date's timetable; a window running into the next date, an arrive-by past it or early in the
morning, a board past midnight and a night shift's commute on two or three timetables, whose
answers ``analysis.plan`` merges on the first one's clock (``plan_leaving_across``,
``plan_arriving_across``, ``commute_day``). ``Network.plan`` / ``departures`` / ``commute``
resolve the names, pick the date and call these with:

- ``load(date)``: the compiled timetable of a service date with the query's router options
  (kept by the caller), called only for the dates searched: compiling one is not free;
- ``idx``: the place index (names and fares of the rendered journeys, the feeds' service dates);
- the places (``places.Place``) asked for, whose stops are looked up in each timetable searched;
- times as wall-clock seconds of the day asked for (up to 47:59), as given.

numpy and the standard library only, as ``analysis.plan``: a warm-cache ``hbeu plan`` stays fast.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..feed.times import format_clock
from ..places import Place, PlaceIndex
from ..router import DEFAULT_MAX_TRANSFERS
from ..timetable.model import Timetable
from .plan import (WIDER_MAX_TRANSFERS, Earlier, PlanQuery, check_apart, clock_shift, commute_day,
                   departure_board, fewest_changes, first_journey, plan_arriving_across, plan_leaving_across,
                   plan_leaving_onwards, rides_next_date, stop_indices)
from .plan import plan as run_plan
from .render import journey_dict
from .times import (day_shift, day_start, next_day_start, service_seconds, to_iso, wall_seconds)

if TYPE_CHECKING:
    from .results import Board, Commute, Plan

__all__ = ["Load", "NEXT_SERVICE_DAYS", "ONWARD_DAYS", "board_day", "clock_text", "commute_days", "plan_day"]

#: the compiled timetable of a service date (the query's router options bound by the caller)
Load = Callable[[dt.date], Timetable]

#: how many later service days ``plan_day`` looks at for the next journey when it finds none
NEXT_SERVICE_DAYS = 14

#: how many days after (arriving by a time: before) its date a plan without a window that found
#: fewer than ``num`` journeys looks at for more (``plan_day``)
ONWARD_DAYS = 7


def clock_text(s: int) -> str:
    """A time of a commute as read (HH:MM, with seconds only when it has some), not as typed."""
    return format_clock(s, with_seconds=bool(s % 60))


def _gone_note(n: int, what: str, now_s: int) -> str:
    """The note for what a board or plan "from now" leaves out (the whole day: ``all_day``)."""
    many = n != 1
    return (f"{n} {what}{'s' if many else ''} left earlier today (before {format_clock(now_s)}) and "
            f"{'are' if many else 'is'} not shown")


def _limit_note(day: dt.date, search) -> list[str]:
    """The note for a plan on ``day`` that found nothing because of the default change limit, if
    so: ``search(k)`` runs the plan's own search (the timetables it searched: the date's, the next
    date's, the day before's) with at most ``k`` changes and one journey asked for, giving
    (timetable, journey) pairs. The one with the fewest changes is named by its departure as the
    wall clock reads it on ``day``, as every time shown (24:30 on the next date's timetable; the
    day before's as such)."""
    hidden = fewest_changes(search(WIDER_MAX_TRANSFERS))
    if hidden is None:
        return []
    tt, j = hidden
    later = (dt.date.fromisoformat(tt.date) - day).days * 86400
    leaves = later + wall_seconds(tt.date, tt.timezone, j.departure)
    when = f"{format_clock(leaves + 86400)} the day before" if leaves < 0 else format_clock(leaves)
    return [f"no journey within {DEFAULT_MAX_TRANSFERS} changes (the default limit); with {j.transfers} changes "
            f"one leaves {when} (max transfers {j.transfers})"]


# --------------------------------------------------------------------------- plan

def plan_day(load: Load, idx: PlaceIndex, day: dt.date, o: Place, d: Place, *, depart: int | None = None,
             arrive_by: int | None = None, window: int | None = None, num: int | None = None,
             max_transfers: int | None = None, from_now: bool = False, modes: Sequence[str] | None = None,
             notes: list[str] | None = None) -> Plan:
    """Journeys from ``o`` to ``d`` on service date ``day`` (see ``Network.plan``), as a
    :class:`~hbeu_transit.analysis.results.Plan`.

    ``depart`` / ``arrive_by``: wall-clock seconds of ``day`` (at most one; neither: from the
    service day's 00:00); ``from_now``: ``depart`` is the time now, and the journeys of the day
    that left before it are counted in a note. ``window`` (seconds) or ``num`` as in
    ``analysis.plan.PlanQuery``; ``modes`` as the Plan records them; ``notes`` receives what the
    search leaves out (the feeds' end or start, the change limit). Past 24:00 the next morning,
    searched on the next service date's timetable, which holds the day's trips still running then
    (from that date's start: 23:00 on the eve of the spring change); a window running into the
    next date on both (``plan_leaving_across``); an arrive-by past the next date's start on both,
    early in the morning on the day before's late trips too (``plan_arriving_across``). Without a
    window, fewer than ``num`` journeys go on with the next service dates' (``_onward``: the first
    of the next morning after the day's last; arriving by a time, the evenings before), within
    ``ONWARD_DAYS``. Finding nothing, the Plan names the next journey (``_next_service``)."""
    from .results import Journey, Plan

    notes = [] if notes is None else notes
    win, arr_s = window, arrive_by
    tt = load(day)
    dep_s = depart if depart is not None or arr_s is not None else 0   # neither: from the day's 00:00
    now_s = dep_s  # as the clock says, for the note
    if depart is not None:  # times asked are wall-clock times (see service_seconds)
        dep_s = service_seconds(tt.date, tt.timezone, dep_s)
    wall_arr = arr_s
    if arr_s is not None:
        arr_s = service_seconds(tt.date, tt.timezone, arr_s)
    src, tgt = stop_indices(tt, o), stop_indices(tt, d)
    check_apart(tt, src, tgt, names=(o.label, d.label))
    q = PlanQuery(src, tgt, depart=dep_s, arrive_by=arr_s, window=win, max_transfers=max_transfers, num=num or 1)
    stt, sq = tt, q   # the timetable searched and the query on its clock
    tomorrow = next_day_start(tt.date, tt.timezone)  # the next date's start on tt's clock
    parts = [(tt, q)]   # the timetables searched and the query on each one's clock

    def run(ps):   # each its own, merged by nothing
        return [(t, j) for t, pq in ps for j in run_plan(t, pq)]

    if arr_s is None and dep_s >= tomorrow:
        # leaving the next morning (or from 23:00 on the eve of the spring change): the next
        # service date's timetable holds every journey then, its own early trips and the
        # day's still running (see timetable.compile), searched from the time asked on its
        # clock (as commute's return)
        stt, sq = _query_on(load, day, 1, q, o, d, depart=now_s)
        parts = [(stt, sq)]
        if win is not None and sq.depart + win >= next_day_start(stt.date, stt.timezone):
            # its window runs past that date's end too (--depart 47:30 --window 2h): the date
            # after's early trips, which only its timetable holds past the night, as below
            parts.append(_query_on(load, day, 2, q, o, d, depart=now_s))
            run = plan_leaving_across
    elif arr_s is not None:
        # arriving by a time after the next date's start: on the day's trips, or on the next
        # date's early ones, which only its timetable holds past the night (the day's holds
        # those leaving before timetable.compile.NEXT_DAY_HORIZON); early in the morning, on the
        # day before's late trips too (see analysis.plan.plan_arriving_across)
        if arr_s >= tomorrow:
            parts.append(_query_on(load, day, 1, q, o, d, arrive_by=wall_arr))
        earlier = _day_before(load, idx.service_dates, day, o, d, wall_arr, notes,  # before the feeds' start: say so
                              "the feeds start on {first}: no trip of {before} is known, so none of its "
                              "late ones running past midnight")
        runs = set(idx.service_dates)   # without a window, short of num: the dates before that run
        backs = [1] + [k for k in range(2, ONWARD_DAYS + 1) if (day - dt.timedelta(days=k)).isoformat() in runs]
        run = lambda ps: plan_arriving_across(ps, earlier, backs)  # noqa: E731
    elif win is not None and dep_s + win >= tomorrow:
        # a window running past the next date's start: the day's trips, and the next date's
        # early ones, which only its timetable holds past the night (see
        # analysis.plan.plan_leaving_across)
        parts.append(_query_on(load, day, 1, q, o, d, depart=now_s))
        run = plan_leaving_across
    if win is None and arr_s is None:   # short of num: the next service dates' journeys too
        def run(ps):
            (t, pq), = ps
            return plan_leaving_onwards((t, run_plan(t, pq)), _onward(load, idx, day, t.date, pq, o, d, now_s),
                                        pq.num)
    last = idx.service_dates[-1] if idx.service_dates else None
    beyond = [t.date for t, _ in parts if last is not None and t.date > last]
    if beyond and day.isoformat() <= last:   # past the feeds' end: say so, as commute does
        notes.append(f"the feeds end on {last}: no trip of {beyond[0]} is known, only {last}'s running past "
                     "midnight")
    found = run(parts)
    journeys = [Journey.from_dict(journey_dict(t, idx, j)) for t, j in found]
    if not journeys and max_transfers is None:   # the same search with more changes: what the limit hid
        notes += _limit_note(day, lambda k: run([(t, dataclasses.replace(pq, max_transfers=k, num=1))
                                                 for t, pq in parts]))
    if from_now and dep_s > 0:  # what "now" hid: the worthwhile journeys of the day before it
        gone = [j for j in run_plan(tt, PlanQuery(src, tgt, depart=0, window=dep_s, max_transfers=max_transfers))
                if j.departure < dep_s]
        if gone:
            notes.append(_gone_note(len(gone), "journey", now_s))
    at = lambda s: dt.datetime.fromisoformat(to_iso(tt.date, tt.timezone, s)) if s is not None else None  # noqa: E731
    nxt = None if journeys else _next_service(load, idx, o, d, dt.date.fromisoformat(stt.date), max_transfers,
                                              after=sq.depart if arr_s is None else None)
    return Plan(o, d, tt.date, tt.timezone, at(dep_s), at(arr_s), win // 60 if win is not None else None,
                num, max_transfers, modes, notes, journeys, nxt)


def _query_on(load: Load, day: dt.date, k: int, q: PlanQuery, origin: Place, destination: Place,
              **wall: int) -> tuple[Timetable, PlanQuery]:
    """(timetable, query) of the service date ``k`` days after ``day`` for a plan query ``q``
    on ``day``: the origin's and destination's stops in that timetable, and each time of
    ``wall`` (``depart``/``arrive_by``, wall-clock seconds of ``day``) on its clock."""
    tt = load(day + dt.timedelta(days=k))
    moved = {f: service_seconds(tt.date, tt.timezone, t - k * 86400) for f, t in wall.items()}
    return tt, dataclasses.replace(q, sources=stop_indices(tt, origin), targets=stop_indices(tt, destination),
                                   **moved)


def _onward(load: Load, idx: PlaceIndex, day: dt.date, since: str, q: PlanQuery, origin: Place,
            destination: Place, wall: int):
    """(timetable, query) of each service date after ``since`` (of ``idx.service_dates``) up to
    ``ONWARD_DAYS`` after ``day``, for a plan query ``q`` on ``day`` leaving at ``wall`` (a
    wall-clock time of ``day``): leaving then on that date's clock, no earlier than its start
    (``times.day_start``), as ``_next_service`` looks. Lazy: a date is compiled when reached."""
    for nd in idx.next_service_dates(dt.date.fromisoformat(since) + dt.timedelta(days=1), ONWARD_DAYS):
        if (nd - day).days > ONWARD_DAYS:
            return
        tt, nq = _query_on(load, day, (nd - day).days, q, origin, destination, depart=wall)
        yield tt, dataclasses.replace(nq, depart=max(nq.depart, day_start(tt.date, tt.timezone)))


def _day_before(load: Load, service_dates: Sequence[str], day: dt.date, origin: Place, destination: Place,
                wall: int, notes: list[str] | None = None, note: str = "") -> Earlier:
    """``analysis.plan.Earlier`` for a plan or commute on ``day`` arriving by ``wall`` (a
    wall-clock time of ``day``): the timetable of the date ``back`` days before, the stops of
    ``origin`` and ``destination`` in it and ``wall`` on its clock, compiled only when called.
    Called for a date before the feeds' first service date (of ``service_dates``: no feed holds
    its late trips), it adds ``note`` (its ``{first}`` that date, ``{before}`` the date) to
    ``notes`` (once), as the plan past the feeds' last date says they end."""

    def earlier(back: int = 1):
        before, first = day - dt.timedelta(days=back), service_dates[:1]
        text = note.format(first=first[0], before=before) if first else ""
        if notes is not None and first and before.isoformat() < first[0] and text not in notes:
            notes.append(text)
        tt = load(before)
        return (tt, stop_indices(tt, origin), stop_indices(tt, destination),
                service_seconds(tt.date, tt.timezone, wall + back * 86400))

    return earlier


def _next_service(load: Load, idx: PlaceIndex, o: Place, d: Place, day: dt.date, max_transfers: int | None,
                  after: int | None) -> dict[str, str] | None:
    """The first journey leaving at or after ``after`` (seconds on ``day``'s clock: what the
    plan asked for and found nothing, e.g. after its --window) on ``day`` or a later service
    day (within NEXT_SERVICE_DAYS); with ``after`` None (arriving by a time no journey
    makes) the first of ``day``, else of a later day. A later day's timetable holds the
    trips of the days before it still running after midnight: those leaving before
    ``after`` are gone already."""

    def first(nd: dt.date):
        tt = load(nd)
        # ``after`` on nd's clock: the time between the two days' origins (24 h a day, an hour
        # more or less across a clock change); no earlier than nd's 00:00 or local midnight
        start = day_start(nd, tt.timezone)
        if after is not None:
            start = max(start, after - day_shift(nd, tt.timezone, (nd - day).days))
        return tt, first_journey(tt, stop_indices(tt, o), stop_indices(tt, d), max_transfers, depart=start)

    for nd in idx.next_service_dates(day, NEXT_SERVICE_DAYS):
        tt, j = first(nd)
        if after is not None and nd == day:
            # the next date's early trips, which only its timetable holds past the night, may
            # come before the day's own late ones (01:45 before 26:30): the sooner arrival of the two
            ntt, nj = first(day + dt.timedelta(days=1))
            if nj is not None and (j is None or nj.arrival + clock_shift(tt, ntt) < j.arrival):
                tt, j = ntt, nj
        if j is not None:   # one riding the next date's night trips (tt holds them) is that date's
            later = rides_next_date(tt, j)
            date = (dt.date.fromisoformat(tt.date) + dt.timedelta(days=1)).isoformat() if later else tt.date
            return {"date": date, "departure": to_iso(tt.date, tt.timezone, j.departure),
                    "arrival": to_iso(tt.date, tt.timezone, j.arrival)}
    return None


# --------------------------------------------------------------------------- departure board

def board_day(load: Load, idx: PlaceIndex, day: dt.date, place: Place, *, start: int | None = None,
              end: int | None = None, from_now: bool = False, notes: list[str] | None = None) -> Board:
    """The departure board of ``place`` on service date ``day`` (see ``Network.departures``), as
    a :class:`~hbeu_transit.analysis.results.Board`: every trip leaving between ``start`` and
    ``end`` (wall-clock seconds of ``day``; None: from the day's start, 00:00 or local midnight
    when it comes first, until the end of its own trips), one row per trip; for a city (an
    area), the trips leaving it. ``from_now``: ``start`` is the time now, and the trips of the
    day that left before it are counted in a note added to ``notes``. An ``end`` past the next
    date's start takes the next date's trips from then (its early ones only its timetable holds)."""
    from .results import Board

    notes = [] if notes is None else notes
    tt = load(day)
    start_s = now_s = start if start is not None else 0  # now_s: as the clock says, for the note
    end_s = end if end is not None else 48 * 3600
    # the board's day starts at 00:00, or at local midnight when it comes first (-01:00 on the
    # service day's clock the night the clocks go back: the day before's trips then)
    first = day_start(tt.date, tt.timezone)
    if start is not None:  # times asked are wall-clock times (see service_seconds)
        start_s = service_seconds(tt.date, tt.timezone, start_s)
    else:
        start_s = first
    if end is not None:
        end_s = service_seconds(tt.date, tt.timezone, end_s)
    stops, leaving = stop_indices(tt, place), place.kind == "area"
    tomorrow = next_day_start(tt.date, tt.timezone)
    if end is not None and end_s >= tomorrow:
        # a board past midnight: from the next date's start its timetable holds every trip
        # leaving then, its own early ones (which only it holds) and the day's still running
        rows = departure_board(tt, idx, stops, start_s, tomorrow - 1, leaving=leaving)
        ntt = load(day + dt.timedelta(days=1))
        shift = day_shift(ntt.date, ntt.timezone, 1)   # tt's clock -> ntt's
        rows += departure_board(ntt, idx, stop_indices(ntt, place), max(start_s, tomorrow) - shift,
                                end_s - shift, leaving=leaving)
    else:
        rows = departure_board(tt, idx, stops, start_s, end_s, leaving=leaving)
    if from_now and start_s > first:  # what "now" hid: the trips that left earlier today
        shown = {r["trip"] for r in rows}
        gone = {r["trip"] for r in departure_board(tt, idx, stops, first, start_s - 1, leaving=leaving)} - shown
        if gone:
            notes.append(_gone_note(len(gone), "departure", now_s))
    at = lambda s: dt.datetime.fromisoformat(to_iso(tt.date, tt.timezone, s))  # noqa: E731
    return Board(place, tt.date, tt.timezone, at(start_s), at(end_s), notes, rows)


# --------------------------------------------------------------------------- commute

def commute_days(load: Load, idx: PlaceIndex, h: Place, w: Place, start: dt.date, days: int, *, arr_s: int,
                 leave_s: int, weekdays: bool = True, max_transfers: int | None = None,
                 notes: list[str] | None = None) -> Commute:
    """A commute from ``h`` to ``w`` (see ``Network.commute``), as a
    :class:`~hbeu_transit.analysis.results.Commute`: on each of the next ``days`` service days
    from ``start`` (Monday to Friday ones with ``weekdays``), the way to work by ``arr_s`` and
    home after ``leave_s`` (wall-clock seconds of the day, ``leave_s`` >= ``arr_s``), by
    ``analysis.plan.commute_day``. Past the next date's start the return (and the way to work
    by a time past it) rides the next date's trips too (``_next_morning``); the way to work, the
    day before's late ones (``_day_before``). ``notes`` receives the dates' notes (a start that
    is no such day, fewer days than asked, the feeds' end or start); no such day at all is an
    InputError."""
    from .results import Commute, CommuteDay

    notes = [] if notes is None else notes
    dates = idx.next_service_dates(start, days, weekdays=weekdays)
    kind = "weekday service days (Monday to Friday)" if weekdays else "service days"
    last = f" (their last service date is {idx.service_dates[-1]})" if idx.service_dates else ""
    if not dates:
        raise InputError(f"the feeds have no {kind} on or after {start.isoformat()}{last}")
    if dates[0] != start:
        notes.append(f"{start.isoformat()} is not one of the {kind}; starting on {dates[0].isoformat()}")
    if len(dates) < days:
        notes.append(f"only {len(dates)} of the {days} {kind} asked for: the feeds end{last}")
    out = []
    for d in dates:
        tt = load(d)
        by, after = (service_seconds(tt.date, tt.timezone, x) for x in (arr_s, leave_s))  # wall clock
        tomorrow = next_day_start(tt.date, tt.timezone)   # 24:00, 23:00 on the eve of the spring change
        back = ahead = None
        if after >= tomorrow:  # a night shift: home the next morning (see _next_morning)
            back, after = _next_morning(load, idx.service_dates, d, h, w, leave_s, notes, last,
                                        arr_s if by >= tomorrow else None)
        if by >= tomorrow:   # at work after midnight: the next date's early trips go there too
            ahead = (*back, service_seconds(back[0].date, back[0].timezone, arr_s - 86400))
        out.append(CommuteDay.from_dict(commute_day(tt, idx, stop_indices(tt, h), stop_indices(tt, w), by,
                                                    after, max_transfers, back=back, ahead=ahead,
                                                    earlier=_day_before(
                                                        load, idx.service_dates, d, h, w, arr_s, notes,
                                                        f"{d}: the way to work by {clock_text(arr_s)} can ride "
                                                        "only that day's own trips: the feeds start on {first}"),
                                                    names=(h.label, w.label))))
    return Commute(h, w, clock_text(arr_s), clock_text(leave_s), idx.timezone, notes, out)


def _next_morning(load: Load, service_dates: Sequence[str], day: dt.date, h: Place, w: Place, leave_s: int,
                  notes: list[str], last: str, arr_s: int | None = None) -> tuple[tuple[Any, Any, Any], int]:
    """The return of a commute leaving work at or after ``leave_s`` >= 24:00 on ``day`` (from
    the next date's start: 23:00 on the eve of the spring change, ``times.next_day_start``): it
    may ride ``day``'s trips still running after midnight and the next service date's
    trips. The next date's timetable holds both (an earlier day's hops departing after its
    00:00 are compiled in, see ``timetable.compile``), so the return is searched there alone,
    from ``leave_s`` - 24:00. Returns that timetable with its home and work stops, and the
    time on its clock; notes when the feeds end (the last of ``service_dates``) before the next
    date (only ``day``'s own late trips can then be found; for the way to work by ``arr_s``
    too, when given)."""
    nxt = day + dt.timedelta(days=1)
    if service_dates and nxt.isoformat() > service_dates[-1]:
        what = f"the return after {format_clock(leave_s)}"
        if arr_s is not None:
            what = f"the way to work by {format_clock(arr_s)} and {what}"
        notes.append(f"{day.isoformat()}: {what} can ride only that day's trips running past midnight: "
                     f"the feeds end before {nxt.isoformat()}{last}")
    tt = load(nxt)
    return (tt, stop_indices(tt, h), stop_indices(tt, w)), service_seconds(tt.date, tt.timezone, leave_s - 86400)
