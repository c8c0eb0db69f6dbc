"""The planning rules: which journeys a plan, a departure board and a commute show.

Given a Timetable and stop indices, these pick journeys from the router's answers (Pareto sets,
profiles over growing windows, the latest arrival before a time...); ``render`` turns them into
the documented JSON. numpy and the standard library only, so a warm-cache ``hbeu plan`` stays fast.
"""


from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import numpy as np

from ..errors import InputError
from ..places import Place, PlaceIndex
from ..router import DEFAULT_MAX_TRANSFERS  # the limit when the user gives none
from ..router.journey import Journey
from ..timetable.model import Timetable
from .render import departure_row, journey_dict

__all__ = ["ARRIVE_LOOKBACK", "PlanQuery", "WIDER_MAX_TRANSFERS", "arrive_window_start", "check_apart", "clock_shift",
           "commute_day",
           "departure_board", "fewest_changes", "longest_trip", "looks_before_start", "plan", "plan_arriving_across",
           "plan_leaving_across", "plan_leaving_onwards", "rides_next_date", "stop_indices", "unique_journeys"]


# --------------------------------------------------------------------------- places -> stops

def stop_indices(tt: Timetable, place: Place) -> np.ndarray:
    """Timetable indices of every stop a place stands for, platforms of its stations included."""
    ids = set(place.stop_ids)
    own = np.fromiter((s in ids for s in tt.stop_ids), dtype=bool, count=tt.n_stops)
    return np.flatnonzero(own | own[tt.stop_station]).astype(np.int32)


def _key(j: Journey) -> tuple:
    return tuple((lg.kind, lg.trip, lg.from_stop, lg.to_stop, lg.departure, lg.arrival) for lg in j.legs)


def unique_journeys(journeys: Iterable[Journey]) -> list[Journey]:
    """Drop repeats, order by departure then arrival then transfers."""
    seen: dict[tuple, Journey] = {}
    for j in journeys:
        if j is not None and j.legs:
            seen.setdefault(_key(j), j)
    return sorted(seen.values(), key=lambda j: (j.departure, j.arrival, j.transfers))


# --------------------------------------------------------------------------- routing glue

def check_apart(tt: Timetable, a, b, params: tuple[str, str] = ("origin", "destination"),
                names: tuple[str, str] | None = None) -> None:
    """InputError when two places (stop indices ``a`` and ``b``) share a station, saying how:
    they name the same station (or place), one contains the other (a city and one of its own
    stations), or they overlap; two platforms of one station are one place (from one to the
    other is a walk across it, not a journey). ``names``: the places' labels as the user knows
    them (default: their stations' names); ``params``: their parameters."""
    sa = {int(tt.stop_station[x]) for x in a}
    sb = {int(tt.stop_station[x]) for x in b}
    shared = sa & sb
    if not shared:
        return

    def named(stations: set[int]) -> str:
        return tt.stop_names[next(iter(stations))] if len(stations) == 1 else f"{len(stations)} stations"

    na, nb = names if names is not None else (named(sa), named(sb))
    pa, pb = "{" + params[0] + "}", "{" + params[1] + "}"
    if sa == sb:
        what = "station" if len(sa) == 1 else "place"
        msg = f"{pa} {na!r} and {pb} {nb!r} name the same {what}; nothing to plan"
    elif sb < sa or sa < sb:
        (outer, on), (inner, inn), part = ((pa, na), (pb, nb), sb) if sb < sa else ((pb, nb), (pa, na), sa)
        mine = "one of its stations" if len(part) == 1 else f"{len(part)} of its stations"
        msg = f"{outer} {on!r} contains {inner} {inn!r} ({mine}); nothing to plan between them"
    else:
        both = ", ".join(repr(tt.stop_names[k]) for k in sorted(shared))
        msg = f"{pa} {na!r} and {pb} {nb!r} overlap (both include {both}); nothing to plan between them"
    raise InputError(msg, *params)


#: how long before the window of a plan arriving by a time (``PlanQuery.window``) its journeys
#: are looked for leaving, with no direct ride arriving by the window's start, beside the
#: timetable's longest trip (``arrive_window_start``): the changes around that trip
ARRIVE_LOOKBACK = 6 * 3600


@dataclass
class PlanQuery:
    """What `hbeu plan` asks the router, in timetable terms."""

    sources: np.ndarray
    targets: np.ndarray
    depart: int | None = None        # seconds; exactly one of depart / arrive_by
    arrive_by: int | None = None
    window: int | None = None        # seconds: all journeys leaving within it (profile)
    max_transfers: int | None = None
    num: int = 1                     # without a window: at least this many journeys, if there are


def longest_trip(tt: Timetable) -> int:
    """Seconds from the first departure to the last arrival of ``tt``'s longest trip (0 for
    none): a long-distance train may take days."""
    if not tt.n_connections:
        return 0
    first = np.full(tt.n_trips, np.iinfo(np.int64).max, dtype=np.int64)
    last = np.full(tt.n_trips, np.iinfo(np.int64).min, dtype=np.int64)
    # the times as int64, as the arrays they go into: ufunc.at given values of another type takes
    # numpy's slow path (4 ms for hart's 57,000 connections, 0.2 ms so; a plan there takes 7)
    np.minimum.at(first, tt.c_trip, np.asarray(tt.c_dep, dtype=np.int64))
    np.maximum.at(last, tt.c_trip, np.asarray(tt.c_arr, dtype=np.int64))
    ran = last >= first
    return int((last[ran] - first[ran]).max())


def arrive_window_start(tt: Timetable, q: PlanQuery) -> int:
    """The earliest departure a plan arriving by ``q.arrive_by`` in ``q.window`` looks at. A
    journey leaving before the latest direct ride that arrives by the window's start is beaten
    by that ride (it leaves later, arrives no later, changes no more), however long it is, so
    the plan looks from that ride. Without one, as long before the window as the timetable's
    longest trip and ``ARRIVE_LOOKBACK`` (a 30-hour train arriving in the window is found)."""
    from .. import router

    start = q.arrive_by - q.window
    direct = router.latest_departure(tt, [int(x) for x in q.sources], [int(x) for x in q.targets], start,
                                     max_transfers=0)
    return direct if direct is not None else start - ARRIVE_LOOKBACK - longest_trip(tt)


def plan(tt: Timetable, q: PlanQuery, *, look_from: int | None = None) -> list[Journey]:
    """Journeys for a query, ordered by departure. (``look_from``: ``arrive_window_start``
    of an arrive-by window, when the caller has it already.)

    With a window: every journey leaving in [depart, depart + window] that no other journey
    leaving in the window beats (leaves as late or later, arrives as early or earlier, with no
    more transfers): a faster train just after the window does not hide the coaches in it. With
    arrive_by: every journey arriving in [arrive_by - window, arrive_by] that no journey
    arriving by arrive_by beats.

    Without: leaving at a time, the Pareto set of that departure (the fastest journey and each
    slower one with fewer transfers), each leaving as late as arriving as early allows
    (``leave_latest``); arriving by a time, the Pareto set of the latest
    departure that makes it. Then, until ``num`` journeys are shown, the next worthwhile ones
    leaving later (arriving by: earlier), from a profile over a window widened fourfold from 2 hours
    until it has enough or spans the timetable.
    """
    from .. import router

    src, dst = [int(x) for x in q.sources], [int(x) for x in q.targets]
    check_apart(tt, src, dst)
    k = DEFAULT_MAX_TRANSFERS if q.max_transfers is None else q.max_transfers
    if q.window is not None:
        if q.depart is not None:
            found = router.profile(tt, src, dst, q.depart, q.depart + q.window, max_transfers=k,
                                   later_compete=False)
        else:
            start = arrive_window_start(tt, q) if look_from is None else look_from
            found = router.profile(tt, src, dst, start, q.arrive_by, max_transfers=k, later_compete=False)
            found = [j for j in found if q.arrive_by - q.window <= j.arrival <= q.arrive_by]
        return unique_journeys(board_latest(tt, found, src, q.depart + q.window if q.depart is not None else None))
    if not tt.n_connections:
        return []
    if q.depart is not None:
        first = unique_journeys(board_latest(tt, leave_latest(tt, router.pareto(tt, src, dst, q.depart, max_transfers=k),
                                                              src, dst, q.depart, k), src))
        if not first or len(first) >= q.num:  # nothing from `depart` means nothing later
            return first
        last = int(tt.c_dep.max())
        found = _growing(lambda w: board_latest(tt, router.profile(tt, src, dst, q.depart, q.depart + w,
                                                                   max_transfers=k), src),
                         lambda js: len(_add_until(first, js, q.num)) >= q.num,
                         lambda w: q.depart + w > last)
        return unique_journeys(_add_until(first, found, q.num))
    t = q.arrive_by
    first_dep = int(tt.c_dep.min()) - int(tt.fp_dur.max(initial=0))  # earliest possible leaving

    def arriving(w: int) -> list[Journey]:
        return [j for j in board_latest(tt, router.profile(tt, src, dst, t - w, t, max_transfers=k), src)
                if j.arrival <= t]

    def pick(js: list[Journey]) -> list[Journey]:
        if not js:
            return []
        js = sorted(js, key=lambda j: (-j.departure, j.arrival, j.transfers))
        latest = js[0].departure
        return _add_until([j for j in js if j.departure == latest],
                          [j for j in js if j.departure != latest], q.num)

    found = _growing(arriving, lambda js: len(pick(js)) >= q.num, lambda w: t - w < first_dep)
    return unique_journeys(pick(found))


# --------------------------------------------------------------------------- arriving across service dates
#
# A time past 24:00 of a service day is the next morning (and from 23:00 on the eve of the
# spring change, when the next date's clock starts then: ``times.next_day_start``). Arriving by
# then, a journey may leave before midnight on the day's trips (the next date's timetable does
# not hold those hops) or ride the next date's early trips (the day's timetable holds only the
# night's, those leaving before timetable.compile.NEXT_DAY_HORIZON): both are searched and their
# answers merged, compared on the day's clock. Likewise
# arriving early in the morning, a journey may have left before the date's start on the day
# before's late trips, which only that date's timetable holds (a date's timetable holds the
# day before's hops leaving after its start: see timetable.compile).

#: a journey and the timetable whose indices it holds
Found = tuple[Timetable, Journey]

#: the service dates before a plan's or commute's: a function giving, for the date ``back`` days
#: before (1: the day before), its timetable, the origin's and the destination's stops in it and
#: the time arrived by on its clock (called only when needed: compiling a timetable is not free)
Earlier = Callable[..., tuple[Timetable, np.ndarray, np.ndarray, int]]


def clock_shift(tt: Timetable, later: Timetable) -> int:
    """Seconds to add to a time on ``later``'s clock to have it on ``tt``'s (24 h a day apart;
    an hour more or less across a clock change; negative when ``later`` is the day before)."""
    from .times import service_day_origin

    return int((service_day_origin(later.date, later.timezone)
                - service_day_origin(tt.date, tt.timezone)).total_seconds())


def _on_one_clock(parts: Iterable[tuple[Timetable, list[Journey]]]) -> list[tuple[int, int, int, Found]]:
    """The journeys found in several timetables as (departure, arrival, transfers, found) on the
    first timetable's clock, each once (a journey on the day's trips after midnight is in both)."""
    parts = list(parts)
    seen: dict[tuple, tuple[int, int, int, Found]] = {}
    for tt, js in parts:
        shift = clock_shift(parts[0][0], tt)
        for j in js:
            rides = tuple((lg.kind, tt.trip_ids[lg.trip] if lg.trip >= 0 else "", tt.stop_ids[lg.from_stop],
                           tt.stop_ids[lg.to_stop], lg.departure + shift, lg.arrival + shift) for lg in j.legs)
            seen.setdefault(rides, (j.departure + shift, j.arrival + shift, j.transfers, (tt, j)))
    return list(seen.values())


def _on_the_date(tt: Timetable, earlier: Timetable, journeys: list[Journey]) -> list[Journey]:
    """The journeys of ``earlier`` (the timetable of a date before ``tt``'s) arriving at or after
    the local midnight that starts ``tt``'s date: those of its date, as a plan leaving at a time
    shows the journeys leaving on its date (not from its clock's start: on the spring change
    date that is 23:00 the evening before)."""
    from .times import service_seconds

    start = service_seconds(tt.date, tt.timezone, 0) - clock_shift(tt, earlier)
    return [j for j in journeys if j.arrival >= start]


def looks_before_start(tt: Timetable, q: PlanQuery, found: int, look_from: int | None) -> bool:
    """Whether a plan arriving by ``q.arrive_by`` on ``tt``, which found ``found`` journeys,
    looks back before the start of ``tt``'s service day, where the day before's late trips may
    give journeys ``tt`` does not hold: in a window, when it or the departures it looks at
    (``look_from``: its ``arrive_window_start``, as ``plan`` took it) reach before the start;
    else when fewer than ``q.num`` were found (the plan then looked back to the timetable's
    start: a journey leaving before it leaves before every one found, so it counts only then)."""
    from .times import day_start

    if q.window is not None:
        return min(q.arrive_by - q.window, look_from) < day_start(tt.date, tt.timezone)
    return found < q.num


def plan_arriving_across(parts: list[tuple[Timetable, PlanQuery]], earlier: Earlier | None = None,
                         days_back: Iterable[int] = (1,)) -> list[Found]:
    """A plan arriving by a time, searched in several service dates' timetables: the first the
    date's, then e.g. the next date's (for a time after its start, each query's ``arrive_by`` on
    its own clock). ``earlier``: the dates before's, searched when the plan looks back before
    the date's start (``looks_before_start``). In a window, the journeys arriving in it; a
    window that looks back before the day before's start too (``--arrive-by 01:30 --window
    24h``: from 01:30 the day before, which the late trips of the date before that may reach)
    searches that date as well, and so on. Without one, the dates ``days_back`` days before (in
    order; the caller leaves out dates without service) while fewer than ``num`` are found: the
    journeys of the evenings before, as a plan leaving at a time goes on into the next dates
    (``plan_leaving_onwards``). The rules of ``plan`` are applied to what all find: in a window,
    every journey no other beats; else the latest departure's journeys, then earlier ones none
    chosen is as good as, until ``num``. Ordered by departure (on the first clock)."""
    tt, q = parts[0]

    def start(t: Timetable, pq: PlanQuery) -> int | None:   # once per timetable: a reverse scan
        return arrive_window_start(t, pq) if pq.window is not None else None

    starts = [start(t, pq) for t, pq in parts]
    found = [(t, plan(t, pq, look_from=s)) for (t, pq), s in zip(parts, starts)]
    kept = _merged_rules(q, found)
    # in a window, the furthest back: it and the time looked back before it reach at most this
    # many days back (from 00:00)
    backs = days_back if q.window is None else range(1, 2 + (q.arrive_by - starts[0]) // 86400)
    before, bq, bs = tt, q, starts[0]
    for back in backs:
        if earlier is None or not looks_before_start(before, bq, len(kept), bs):
            break
        before, src, dst, by = earlier(back)
        bq = dataclasses.replace(q, sources=src, targets=dst, arrive_by=by)
        bs = start(before, bq)
        found.append((before, plan(before, bq, look_from=bs)))
        kept = _merged_rules(q, found)
    return [c[3] for c in kept]


def plan_leaving_onwards(first: tuple[Timetable, list[Journey]], later: Iterable[tuple[Timetable, PlanQuery]],
                         num: int) -> list[Found]:
    """A plan leaving at a time whose timetable gave fewer than ``num`` journeys (``first``: it
    and its journeys) goes on into the next service dates' until ``num`` are found: ``later``,
    each date's timetable and the query on its clock from that date's start, in date order,
    taken only as needed (compiling a timetable is not free). A date's timetable holds every
    journey leaving from its start on (its own early trips and the days before's still running:
    see timetable.compile), so of the journeys found before, those leaving from then on are left
    to its search (which may beat them with its early trips, and would find them again: each is
    shown once). Ordered by departure (on the first clock); with ``num`` or more in ``first``,
    its journeys as they are, but for those leaving after the next date's start on its trips:
    ``first``'s timetable holds only its night ones (``timetable.compile.NEXT_DAY_HORIZON``),
    so that date's search, which holds them all, shows those."""
    from .times import next_day_start

    tt, js = first
    tomorrow = next_day_start(tt.date, tt.timezone)
    js = [j for j in js if j.departure < tomorrow or not rides_next_date(tt, j)]
    first = (tt, js)
    if len(js) >= num:
        return [(tt, j) for j in js]
    parts = [first]
    for ntt, nq in later:
        parts = [(t, [j for j in pjs if j.departure + clock_shift(ntt, t) < nq.depart]) for t, pjs in parts]
        have = sum(len(pjs) for _, pjs in parts)
        parts.append((ntt, plan(ntt, dataclasses.replace(nq, num=num - have))))
        if have + len(parts[-1][1]) >= num:
            break
    return [c[3] for c in sorted(_on_one_clock(parts), key=lambda c: c[:3])[:num]]


def rides_next_date(tt: Timetable, j: Journey) -> bool:
    """Whether journey ``j`` of ``tt`` rides a trip of the next service date (``trip_day`` +1: the
    night trips ``tt`` holds for journeys across midnight, ``timetable.compile``)."""
    return any(lg.trip >= 0 and tt.trip_day[lg.trip] > 0 for lg in j.legs)


def plan_leaving_across(parts: list[tuple[Timetable, PlanQuery]]) -> list[Found]:
    """A plan leaving in a window that runs past the next service date's start, searched in the
    date's timetable (the first) and the next date's (its query's ``depart`` on that clock: the
    next date's early trips past the night are in its timetable only): every journey leaving in the window that
    no other beats, as in ``plan``. Ordered by departure (on the first clock)."""
    return [c[3] for c in _merged_rules(parts[0][1], [(t, plan(t, pq)) for t, pq in parts])]


def _merged_rules(q: PlanQuery, parts: list[tuple[Timetable, list[Journey]]]) -> list[tuple[int, int, int, Found]]:
    """``plan``'s rules applied to the journeys of several timetables (see
    ``plan_arriving_across``), ordered by departure on the first one's clock: in a window (leaving
    or arriving in it) every journey no other beats; else, arriving by a time, the latest
    departure's and earlier ones until ``q.num``."""
    found = _on_one_clock(parts)
    beats = lambda a, b: a[0] >= b[0] and a[1] <= b[1] and a[2] <= b[2]  # noqa: E731
    if q.window is not None:
        kept = [c for c in found if not any(beats(o, c) and o[:3] != c[:3] for o in found)]
    else:
        found.sort(key=lambda c: (-c[0], c[1], c[2]))
        kept = [c for c in found if c[0] == found[0][0]] if found else []
        for c in found[len(kept):]:
            if len(kept) >= q.num:
                break
            if not any(beats(o, c) for o in kept):
                kept.append(c)
    return sorted(kept, key=lambda c: c[:3])


#: the change limit tried when a plan under the default one finds nothing (to say what it hid)
WIDER_MAX_TRANSFERS = 2 * DEFAULT_MAX_TRANSFERS


def fewest_changes(found: list[Found]) -> Found | None:
    """Of journeys found in one or more timetables (compared on the first one's clock), the one
    with the fewest changes, then the earliest arrival, then the latest departure; None if none.
    For a plan given no transfer limit that found nothing: its search run again with up to
    ``WIDER_MAX_TRANSFERS`` changes finds what the limit hid (a real bus network can need six:
    "no journey found" would be wrong without a word about the limit)."""
    if not found:
        return None
    first = found[0][0]

    def rank(c: Found) -> tuple[int, int, int]:
        shift = clock_shift(first, c[0])
        return c[1].transfers, c[1].arrival + shift, -(c[1].departure + shift)

    return min(found, key=rank)


def leave_latest(tt: Timetable, journeys: list[Journey], sources: list[int], targets: list[int], depart: int,
                 max_transfers: int) -> list[Journey]:
    """Each journey of a departure's Pareto set (which rides the first vehicle that makes its
    arrival) as the journey leaving latest that arrives as early with no more transfers, from a
    profile up to the latest arrival: leaving at 06:00 to wait 1h40 at the change for a bus the
    07:30 feeder also reaches is not the journey to show (OpenTripPlanner's reverse search)."""
    from .. import router

    if not journeys:
        return journeys
    later = router.profile(tt, sources, targets, depart, max(j.arrival for j in journeys), max_transfers=max_transfers)
    return [max((j for j in later if j.departure >= p.departure and j.arrival <= p.arrival
                 and j.transfers <= p.transfers), key=lambda j: (j.departure, -j.arrival, -j.transfers), default=p)
            for p in journeys]


def first_journey(tt: Timetable, sources: np.ndarray, targets: np.ndarray,
                  max_transfers: int | None = None, depart: int = 0) -> Journey | None:
    """The earliest-arriving journey of a service day leaving at or after ``depart`` (default its
    start, 00:00), or None."""
    if not tt.n_connections or not len(sources) or not len(targets):
        return None
    found = plan(tt, PlanQuery(sources, targets, depart=depart, max_transfers=max_transfers, num=1))
    return min(found, key=lambda j: (j.arrival, j.transfers, -j.departure)) if found else None


def board_latest(tt: Timetable, journeys: Iterable[Journey], sources: Iterable[int],
                 until: int | None = None) -> list[Journey]:
    """Each journey boarding its first train at the last origin stop the train calls at (and
    may be boarded at, leaving no later than ``until``) before the rider leaves it: from a city
    with several stations, the shortest ride and latest departure for the same arrival. Walks
    before the ride go."""
    from ..router.journey import Leg

    src = set(int(s) for s in sources)
    out = []
    hops_of: dict[int, list[tuple]] = {}
    for j in journeys:
        k = next((i for i, leg in enumerate(j.legs) if leg.kind == "ride"), None)
        if k is None:
            out.append(j)
            continue
        r = j.legs[k]
        if r.trip not in hops_of:   # the trip's hops in ride order, as (from, to, dep, arr, pickup) rows
            h = np.flatnonzero(tt.c_trip == r.trip)
            h = h[np.argsort(tt.c_seq[h], kind="stable")]
            hops_of[r.trip] = list(zip(*(a[h].tolist() for a in (tt.c_from, tt.c_to, tt.c_dep, tt.c_arr, tt.c_board))))
        hops = hops_of[r.trip]
        on = next((i for i, (f, _, d, _, _) in enumerate(hops) if f == r.from_stop and d == r.departure), None)
        off = next((i for i, (_, t, _, a, _) in enumerate(hops) if on is not None and i >= on and t == r.to_stop
                    and a == r.arrival), None)
        late = None if off is None else next(
            (h for h in reversed(hops[on + 1:off + 1]) if h[0] in src and h[4] and (until is None or h[2] <= until)),
            None)
        if late is None:
            out.append(j)
            continue
        ride = Leg("ride", late[0], r.to_stop, late[2], r.arrival, r.trip)
        out.append(Journey((ride,) + tuple(j.legs[k + 1:])))
    return out


def _growing(query, enough, covers, start: int = 2 * 3600) -> list[Journey]:
    """``query(w)`` for w = start, 4 start, 16 start... until ``enough`` of its answer or the
    window ``covers`` the whole timetable. A profile's answer in a window does not depend on
    where the window starts (only journeys leaving no earlier compete), so a wider window only
    adds journeys after those of a narrower one: growing by 4 gives what growing by 2 gives, in
    fewer queries (3 instead of 5 for a whole day on hart, where fewer than --num exist)."""
    w = start
    while True:
        found = query(w)
        if enough(found) or covers(w):
            return found
        w *= 4


def _add_until(first: list[Journey], more: list[Journey], num: int) -> list[Journey]:
    """``first``, then journeys of ``more`` (in its order) that none chosen is as good as
    (leaving as late, arriving as early, with as few transfers), until there are ``num``."""
    out = list(first)
    for p in more:
        if len(out) >= num:
            break
        if not any(j.departure >= p.departure and j.arrival <= p.arrival and j.transfers <= p.transfers
                   for j in out):
            out.append(p)
    return out


# --------------------------------------------------------------------------- departure board

def _last_stop_of_trips(tt: Timetable) -> np.ndarray:
    """Each trip's final stop (the to-stop of its last hop), -1 for trips without hops."""
    out = np.full(tt.n_trips, -1, dtype=np.int64)
    if tt.n_connections:
        o = np.lexsort((tt.c_seq, tt.c_trip))
        out[tt.c_trip[o]] = tt.c_to[o]  # later (higher c_seq) writes win
    return out


def departure_board(tt: Timetable, idx: PlaceIndex, stops: np.ndarray, start: int, end: int,
                    limit: int | None = None, leaving: bool = False) -> list[dict[str, Any]]:
    """Departures from ``stops`` leaving in [start, end], one per trip (its first call there),
    where boarding is allowed, with number, mode, route, destination and stop/platform.
    ``leaving`` (a city's board): only trips that go on to a stop outside ``stops`` where one may
    alight, not hops between two of the city's stations. The next date's night trips, which
    ``tt`` holds for journeys across midnight (``trip_day`` +1), are that date's board's."""
    in_place = np.zeros(tt.n_stops, dtype=bool)
    in_place[stops] = True
    m = in_place[tt.c_from] & tt.c_board & (tt.c_dep >= start) & (tt.c_dep <= end) & (tt.trip_day[tt.c_trip] <= 0)
    if leaving:  # the trip's last departure towards an alighting stop outside the place
        out = tt.c_alight & ~in_place[tt.c_to]
        last_out = np.full(tt.n_trips, np.iinfo(np.int64).min, dtype=np.int64)
        np.maximum.at(last_out, tt.c_trip[out], tt.c_dep[out].astype(np.int64))
        m &= tt.c_dep <= last_out[tt.c_trip]
    cs = np.flatnonzero(m)
    seen = np.zeros(tt.n_trips, dtype=bool)
    keep = []
    for c, t in zip(cs.tolist(), tt.c_trip[cs].tolist()):  # first call of each trip
        if not seen[t]:  # (np.unique would import numpy.ma, 30 ms)
            seen[t] = True
            keep.append(c)
    cs = np.array(keep, dtype=np.int64)
    if limit is not None:
        cs = cs[:limit]
    last = _last_stop_of_trips(tt)
    return [departure_row(tt, idx, c, last) for c in cs.tolist()]


# --------------------------------------------------------------------------- commute

def commute_day(tt: Timetable, idx: PlaceIndex, home: np.ndarray, work: np.ndarray, arrive_by: int,
                leave_after: int, max_transfers: int | None = None,
                lookback: int = 4 * 3600, back: tuple[Timetable, np.ndarray, np.ndarray] | None = None,
                ahead: tuple[Timetable, np.ndarray, np.ndarray, int] | None = None,
                earlier: Earlier | None = None, names: tuple[str, str] | None = None) -> dict[str, Any]:
    """One day of a commute: the latest morning journey home -> work arriving by ``arrive_by``
    and the one before it; the earliest evening journey work -> home leaving at or after
    ``leave_after`` and the one after it. Missing ones are null. Journeys are looked for
    within ``lookback`` of the times asked first, then in windows widened fourfold until two
    are found or the window spans the timetable (a sparse service's only bus still shows).

    ``back``: the timetable the return is searched in and its home and work stops, when it is
    not ``tt`` (a night shift's return after 24:00 rides the next service date's trips as well:
    see ``analysis.across.commute_days``); ``leave_after`` is then a time on its clock. ``ahead``: the next
    service date's timetable, its home and work stops and ``arrive_by`` on its clock, for an
    ``arrive_by`` after its start (a shift starting after midnight): the way to work is searched
    in both (see ``plan_arriving_across``), the two latest of distinct departures kept.
    ``earlier``: the date before's (see ``Earlier``), searched when fewer than two ways to work
    are found (an early shift: the way may leave before midnight on that date's late trips),
    for journeys arriving on the date (``_on_the_date``). ``names``: home's and work's labels for
    the error when they share a station (``check_apart``)."""
    k = DEFAULT_MAX_TRANSFERS if max_transfers is None else max_transfers
    h, w = [int(x) for x in home], [int(x) for x in work]
    check_apart(tt, h, w, ("home", "work"), names)
    btt, bh, bw = (tt, h, w) if back is None else (back[0], [int(x) for x in back[1]], [int(x) for x in back[2]])

    def way_to_work(t: Timetable, home_stops, work_stops, by: int) -> list[Journey]:
        return _commute_way(t, [int(x) for x in home_stops], [int(x) for x in work_stops], by, k, lookback,
                            arriving=True)

    ways = [(tt, way_to_work(tt, h, w, arrive_by))]
    if ahead is not None:
        ways.append((ahead[0], way_to_work(*ahead)))
    am = _latest_two(ways)
    if earlier is not None and len(am) < 2:
        ett, eh, ew, eby = earlier()
        ways.append((ett, _on_the_date(tt, ett, way_to_work(ett, eh, ew, eby))))
        am = _latest_two(ways)
    pm = [(btt, j) for j in _commute_way(btt, bw, bh, leave_after, k, lookback, arriving=False)]
    return {"date": tt.date,
            "morning": {"journey": _pick(idx, am, 0), "alternative": _pick(idx, am, 1)},
            "evening": {"journey": _pick(idx, pm, 0), "alternative": _pick(idx, pm, 1)}}


def _latest_two(ways: list[tuple[Timetable, list[Journey]]]) -> list[Found]:
    """Of the ways to work found in several timetables, on the first one's clock: the latest
    departure (at equal departure the sooner arrival, then fewer changes) and the latest of
    another departure."""
    both = sorted(_on_one_clock(ways), key=lambda c: (-c[0], c[1], c[2]))
    return [both[i][3] for i in range(len(both)) if i == 0 or both[i][0] != both[i - 1][0]][:2]


def _pick(idx: PlaceIndex, found: list[Found], i: int) -> dict[str, Any] | None:
    return journey_dict(found[i][0], idx, found[i][1]) if len(found) > i else None


def _commute_way(tt: Timetable, src: list[int], dst: list[int], t: int, k: int, lookback: int,
                 arriving: bool) -> list[Journey]:
    """One way of a commute, at most two journeys with distinct departures looked for in
    growing windows: ``arriving`` by ``t``, the latest departure first (at equal departure the
    earlier arrival); else leaving at or after ``t``, the earliest arrival first."""
    from .. import router

    if not tt.n_connections:
        return []
    if arriving:
        def way(span: int) -> list[Journey]:
            js = [j for j in router.profile(tt, src, dst, t - span, t, max_transfers=k) if j.arrival <= t]
            return _distinct_departures(sorted(unique_journeys(js), key=lambda j: (-j.departure, j.arrival, j.transfers)))

        first = int(tt.c_dep.min()) - int(tt.fp_dur.max(initial=0))
        return _growing(way, lambda js: len(js) >= 2, lambda span: t - span < first, start=lookback)

    def way(span: int) -> list[Journey]:
        js = router.profile(tt, src, dst, t, t + span, max_transfers=k)
        return _distinct_departures(sorted(unique_journeys(js), key=lambda j: (j.arrival, -j.departure, j.transfers)))

    last = int(tt.c_dep.max())
    return _growing(way, lambda js: len(js) >= 2, lambda span: t + span > last, start=lookback)


def _distinct_departures(js: list[Journey]) -> list[Journey]:
    """Keep the first journey of each departure time (alternatives must leave at another time)."""
    seen: set[int] = set()
    out = []
    for j in js:
        if j.departure not in seen:
            seen.add(j.departure)
            out.append(j)
    return out
