"""Journeys as the engines return them: indices into a Timetable, no names, no formatting."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Journey", "Leg", "LegKind", "make_journey", "make_leg"]

#: What a leg is: riding a trip, changing vehicle at one stop or station, or walking between stations.
LegKind = Literal["ride", "transfer", "walk"]


@dataclass(frozen=True, slots=True)
class Leg:
    """One part of a journey.

    kind: "ride" (on trip ``trip``), "transfer" (changing vehicle within a stop or station),
    "walk" (a footpath between different stations) or "seat" (staying on board while the
    vehicle goes on as the next ride's trip: an in-seat transfer, not counted as a transfer). Times are seconds after midnight of the
    timetable's service date; stops and trips are indices into the Timetable.
    """

    kind: LegKind
    from_stop: int
    to_stop: int
    departure: int
    arrival: int
    trip: int = -1   # ride legs only


@dataclass(frozen=True, slots=True)
class Journey:
    """A journey from origin to destination; ``transfers`` = rides - 1, not counting rides
    continued in seat (a "seat" leg before them)."""

    legs: tuple[Leg, ...] = field(default_factory=tuple)

    @property
    def rides(self) -> list[Leg]:
        return [leg for leg in self.legs if leg.kind == "ride"]

    @property
    def departure(self) -> int:
        """Departure of the first ride (waiting at the origin before it is not counted)."""
        for leg in self.legs:
            if leg.kind == "ride":
                return leg.departure
        if not self.legs:
            raise ValueError("an empty journey (origin is the destination) has no departure time")
        return self.legs[0].departure

    @property
    def arrival(self) -> int:
        if not self.legs:
            raise ValueError("an empty journey (origin is the destination) has no arrival time")
        return self.legs[-1].arrival

    @property
    def transfers(self) -> int:
        rides = seated = 0
        for leg in self.legs:
            if leg.kind == "ride":
                rides += 1
            elif leg.kind == "seat":
                seated += 1
        return max(rides - 1 - seated, 0)

    @property
    def duration(self) -> int:
        return self.arrival - self.departure


# The frozen dataclasses' __init__ sets each field through object.__setattr__ (~0.9 us a Leg, most
# of a journey's construction); the router builds thousands of legs per profile query. A Leg is
# built instead as a ``LegSlots`` (a plain class with Leg's slots, in the same order: the same
# memory layout), whose slots Python sets directly (~10 ns each, against ~60 ns through the slot
# descriptors' __set__), then turned into a Leg by assigning __class__ (~0.2 us a Leg in all).
# The result is the same object Leg(...) makes (tests compare them: type, fields, hash, pickle).
_new = object.__new__


class LegSlots:
    """Leg's slots without the frozen guard: only for ``make_leg`` and its inlined copies."""

    __slots__ = Leg.__slots__


def make_leg(kind: str, from_stop: int, to_stop: int, departure: int, arrival: int, trip: int = -1, *,
             _new=_new, _slots=LegSlots, _leg=Leg) -> Leg:
    """``Leg(kind, from_stop, to_stop, departure, arrival, trip)``, built without the frozen
    __init__: the arguments must already be Python ints (no numpy scalars)."""
    leg = _new(_slots)
    leg.kind = kind
    leg.from_stop = from_stop
    leg.to_stop = to_stop
    leg.departure = departure
    leg.arrival = arrival
    leg.trip = trip
    leg.__class__ = _leg
    return leg


_JOURNEY_SET = Journey.legs.__set__


def make_journey(legs: tuple[Leg, ...]) -> Journey:
    """``Journey(legs)`` without the frozen __init__ (``legs`` must be a tuple)."""
    j = _new(Journey)
    _JOURNEY_SET(j, legs)
    return j
