"""The routing engine: pure functions over a compiled Timetable (numpy; numba when it pays).

Queries (stops are Timetable indices, times seconds of its service day; a source or target
list means "any of these stops", e.g. every platform of a station):

* ``earliest_arrival(tt, sources, depart, *, targets=None, max_transfers=None) -> EAResult``:
  one-to-all (or, with targets, pruned one-to-many) earliest arrival; ``.arrival`` per stop
  (``UNREACHABLE`` when not reached) and ``.journey(targets)``.
* ``arrive_by(tt, sources, targets, arrive, *, max_transfers=None) -> Journey | None``: leave
  as late as possible, then arrive as early as possible, then fewest transfers.
  ``latest_departure(...)`` gives just that time.
* ``pareto(tt, sources, targets, depart, max_transfers=5) -> list[Journey]``: the
  (arrival, transfers) Pareto front, fewest transfers first.
* ``profile(tt, sources, targets, start, end, *, max_transfers=5) -> list[Journey]``: every
  Pareto-optimal (later departure, earlier arrival, fewer transfers) journey leaving in
  [start, end], by departure then transfers; journeys leaving after ``end`` compete. Both
  need a number for ``max_transfers`` (None, no limit, is a ValueError there).
* ``profile_all(tt, sources, start, end, *, max_transfers=None, horizon=None) -> ProfileAll``:
  the same for every stop at once as (departure, arrival) pairs, e.g. for one-hour circles.
* ``toward.profile_to(tt, targets, start, end) -> ProfileAll``: the mirror, from every stop to
  one target set, in one backward pass (no transfer limit or trip rules): coverage matrices.

Rules (``timetable.model``): staying on a trip is free; changing at a stop needs its change
time (none where forbidden), a footpath its duration (never two in a row); no change time at
the origin; pickup/drop-off flags and trip-to-trip blocks are honoured. "Departure" of arrive-by
and profiles is the time the traveller leaves the source, before any walk to a first platform;
journeys made only of walking count for ``earliest_arrival`` but not for the other queries.

Algorithm: a connection scan (CSA) over arrays, with transfer-bounded layers for Pareto sets
and self-pruning repeated scans for profiles (``csa.py``); arrive-by scans a time-reversed view.
Small timetables run interpreted, large ones numba-compiled (``backend.py``), same code.
"""

from .api import (
    DEFAULT_MAX_TRANSFERS,
    UNREACHABLE,
    EAResult,
    ProfileAll,
    arrive_by,
    earliest_arrival,
    latest_departure,
    pareto,
    profile,
    profile_all,
)
from .backend import set_backend
from .journey import Journey, Leg

__all__ = [
    "DEFAULT_MAX_TRANSFERS", "UNREACHABLE", "EAResult", "Journey", "Leg", "ProfileAll",
    "arrive_by", "earliest_arrival", "latest_departure", "pareto", "profile", "profile_all",
    "set_backend",
]
