"""Journeys as the engines return them: indices into a Timetable, no names, no formatting."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Journey", "Leg", "LegKind"]

#: What a leg is: riding a trip, changing vehicle at one stop or station, or walking between stations.
LegKind = Literal["ride", "transfer", "walk"]


@dataclass(frozen=True)
class Leg:
    """One part of a journey.

    kind: "ride" (on trip ``trip``), "transfer" (changing vehicle within a stop or station) or
    "walk" (a footpath between different stations). Times are seconds after midnight of the
    timetable's service date; stops and trips are indices into the Timetable.
    """

    kind: LegKind
    from_stop: int
    to_stop: int
    departure: int
    arrival: int
    trip: int = -1   # ride legs only


@dataclass(frozen=True)
class Journey:
    """A journey from origin to destination; ``transfers`` = number of rides - 1."""

    legs: tuple[Leg, ...] = field(default_factory=tuple)

    @property
    def rides(self) -> list[Leg]:
        return [leg for leg in self.legs if leg.kind == "ride"]

    @property
    def departure(self) -> int:
        """Departure of the first ride (waiting at the origin before it is not counted)."""
        rides = self.rides
        if rides:
            return rides[0].departure
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
        return max(len(self.rides) - 1, 0)

    @property
    def duration(self) -> int:
        return self.arrival - self.departure
