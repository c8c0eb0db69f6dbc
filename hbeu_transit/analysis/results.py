"""What the planner's queries return to a person: journeys, boards and commutes as dataclasses.

Each result has ``to_dict()`` (exactly the documented JSON the CLI prints with ``--json``) and
``to_frame()`` (a pandas DataFrame, pandas imported only then). Times are timezone-aware
``datetime`` objects in the agency's timezone; the JSON writes them as ISO 8601.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Board", "Commute", "CommuteDay", "Fare", "Journey", "Leg", "Plan", "place_dict"]


def _time(iso: str | None) -> dt.datetime | None:
    return None if iso is None else dt.datetime.fromisoformat(iso)


def _iso(t: dt.datetime | None) -> str | None:
    return None if t is None else t.isoformat(timespec="seconds")


def place_dict(place) -> dict[str, Any]:
    """A resolved place (``places.Place``) as the JSON ``PLACE`` object."""
    return {"query": place.query, "label": place.label, "kind": place.kind, "stop_ids": list(place.stop_ids)}


@dataclass(frozen=True)
class Fare:
    amount: float
    currency: str

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "Fare | None":
        return None if d is None else cls(d["amount"], d["currency"])

    def to_dict(self) -> dict[str, Any]:
        return {"amount": self.amount, "currency": self.currency}


def _fare_dict(f: Fare | None) -> dict[str, Any] | None:
    return None if f is None else f.to_dict()


@dataclass(frozen=True)
class Leg:
    """One ride (``trip`` set) or walk between different stops of a journey."""

    mode: str
    route: str | None
    route_name: str | None
    trip: str | None
    name: str | None
    number: str | None
    headsign: str | None
    direction: str | None
    direction_en: str | None
    from_stop: str
    from_name: str
    from_name_en: str | None
    to_stop: str
    to_name: str
    to_name_en: str | None
    departure: dt.datetime
    arrival: dt.datetime
    duration_min: int
    fare: Fare | None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Leg":
        return cls(**{**d, "departure": _time(d["departure"]), "arrival": _time(d["arrival"]),
                      "fare": Fare.from_dict(d["fare"])})

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out.update(departure=_iso(self.departure), arrival=_iso(self.arrival), fare=_fare_dict(self.fare))
        return out


@dataclass(frozen=True)
class Journey:
    """A journey as a traveller reads it: leave, arrive, changes, fare, legs."""

    departure: dt.datetime
    arrival: dt.datetime
    duration_min: int
    transfers: int
    fare: Fare | None
    legs: tuple[Leg, ...]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Journey":
        return cls(_time(d["departure"]), _time(d["arrival"]), d["duration_min"], d["transfers"],
                   Fare.from_dict(d["fare"]), tuple(Leg.from_dict(x) for x in d["legs"]))

    def to_dict(self) -> dict[str, Any]:
        return {"departure": _iso(self.departure), "arrival": _iso(self.arrival),
                "duration_min": self.duration_min, "transfers": self.transfers, "fare": _fare_dict(self.fare),
                "legs": [leg.to_dict() for leg in self.legs]}

    @property
    def rides(self) -> list[Leg]:
        return [leg for leg in self.legs if leg.trip is not None]

    def row(self) -> dict[str, Any]:
        """One flat record: the columns of ``Plan.to_frame``."""
        rides = self.rides
        return {"departure": self.departure, "arrival": self.arrival, "duration_min": self.duration_min,
                "transfers": self.transfers, "fare": self.fare.amount if self.fare else None,
                "currency": self.fare.currency if self.fare else None,
                "first_train": rides[0].name if rides else None, "last_train": rides[-1].name if rides else None,
                "trains": " → ".join(r.name or "?" for r in rides),
                "from": self.legs[0].from_name if self.legs else None,
                "to": self.legs[-1].to_name if self.legs else None}


def _frame(rows: list[dict[str, Any]], columns: list[str]):
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


_JOURNEY_COLUMNS = ["departure", "arrival", "duration_min", "transfers", "fare", "currency", "first_train",
                    "last_train", "trains", "from", "to"]


@dataclass(frozen=True)
class Plan:
    """The answer of ``Network.plan``: the query as understood, notes, and the journeys."""

    origin: Any                     # places.Place
    destination: Any
    date: str
    timezone: str
    depart: dt.datetime | None
    arrive_by: dt.datetime | None
    window_min: int | None
    num: int | None
    max_transfers: int | None
    modes: list[str] | None
    notes: list[str]
    journeys: list[Journey] = field(default_factory=list)
    #: when no journey is found: the first one of the next service day that has one, as
    #: {"date", "departure", "arrival"} (ISO times), else None
    next_service: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Exactly what ``hbeu plan --json`` prints (schema in ``analysis.render``)."""
        return {"query": {"from": place_dict(self.origin), "to": place_dict(self.destination), "date": self.date,
                          "timezone": self.timezone, "depart": _iso(self.depart), "arrive_by": _iso(self.arrive_by),
                          "window_min": self.window_min, "num": self.num, "max_transfers": self.max_transfers,
                          "modes": self.modes},
                "notes": list(self.notes), "journeys": [j.to_dict() for j in self.journeys],
                "next_service": self.next_service}

    def to_frame(self):
        """One row per journey: departure, arrival, duration_min, transfers, fare, currency,
        first_train, last_train, trains, from, to."""
        return _frame([j.row() for j in self.journeys], _JOURNEY_COLUMNS)

    def _repr_html_(self) -> str:  # notebooks show the table
        return self.to_frame()._repr_html_()


@dataclass(frozen=True)
class Board:
    """The answer of ``Network.departures``: one row per trip leaving the station."""

    station: Any                    # places.Place
    date: str
    timezone: str
    start: dt.datetime
    end: dt.datetime
    notes: list[str]
    rows: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        """Exactly what ``hbeu departures --json`` prints."""
        return {"station": place_dict(self.station), "date": self.date, "timezone": self.timezone,
                "from": _iso(self.start), "to": _iso(self.end), "notes": list(self.notes),
                "departures": [dict(r) for r in self.rows]}

    def to_frame(self):
        import pandas as pd

        df = pd.DataFrame([dict(r) for r in self.rows])
        if len(df):
            df["departure"] = pd.to_datetime(df["departure"].map(_time))
        return df

    def _repr_html_(self) -> str:
        return self.to_frame()._repr_html_()


@dataclass(frozen=True)
class CommuteDay:
    date: str
    morning: Journey | None
    morning_alternative: Journey | None
    evening: Journey | None
    evening_alternative: Journey | None

    def to_dict(self) -> dict[str, Any]:
        d = lambda j: j.to_dict() if j is not None else None  # noqa: E731
        return {"date": self.date,
                "morning": {"journey": d(self.morning), "alternative": d(self.morning_alternative)},
                "evening": {"journey": d(self.evening), "alternative": d(self.evening_alternative)}}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "CommuteDay":
        j = lambda x: Journey.from_dict(x) if x is not None else None  # noqa: E731
        return cls(d["date"], j(d["morning"]["journey"]), j(d["morning"]["alternative"]),
                   j(d["evening"]["journey"]), j(d["evening"]["alternative"]))


@dataclass(frozen=True)
class Commute:
    """The answer of ``Network.commute``: per service day, the way to work and the way home."""

    home: Any
    work: Any
    arrive_by: str
    leave_after: str
    timezone: str
    notes: list[str]
    days: list[CommuteDay]

    def to_dict(self) -> dict[str, Any]:
        """Exactly what ``hbeu commute --json`` prints."""
        return {"home": place_dict(self.home), "work": place_dict(self.work), "arrive_by": self.arrive_by,
                "leave_after": self.leave_after, "timezone": self.timezone, "notes": list(self.notes),
                "days": [d.to_dict() for d in self.days]}

    def to_frame(self):
        """One row per day and direction (``part`` morning/evening), with the chosen journey."""
        rows = []
        for d in self.days:
            for part, j, alt in (("morning", d.morning, d.morning_alternative),
                                 ("evening", d.evening, d.evening_alternative)):
                row = {"date": d.date, "part": part, **(j.row() if j else dict.fromkeys(_JOURNEY_COLUMNS))}
                row["alternative_departure"] = alt.departure if alt else None
                rows.append(row)
        return _frame(rows, ["date", "part", *_JOURNEY_COLUMNS, "alternative_departure"])

    def _repr_html_(self) -> str:
        return self.to_frame()._repr_html_()
