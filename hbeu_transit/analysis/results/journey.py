"""The answer of ``Network.plan`` (``Plan``: journeys of legs, with fares), and the helpers every
result shares (``place_dict``, ``iso``, ``parse_time``, ``frame``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

__all__ = ["JOURNEY_COLUMNS", "TIME_COLUMNS", "Fare", "Journey", "Leg", "Plan", "frame", "iso", "parse_time", "place_dict"]


def parse_time(text: str | None) -> dt.datetime | None:
    """An ISO 8601 time of the JSON as a datetime (None stays None)."""
    return None if text is None else dt.datetime.fromisoformat(text)


def iso(t: dt.datetime | None) -> str | None:
    """A datetime as the JSON writes it: ISO 8601 to the second (None stays None)."""
    return None if t is None else t.isoformat(timespec="seconds")


def place_dict(place) -> dict[str, Any]:
    """A resolved place (``places.Place``) as the JSON ``PLACE`` object."""
    return {"query": place.query, "label": place.label, "kind": place.kind, "stop_ids": list(place.stop_ids)}


@dataclass(frozen=True)
class Fare:
    """A fare: ``amount`` in ``currency`` (an ISO 4217 code, e.g. CNY)."""

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
        return cls(**{**d, "departure": parse_time(d["departure"]), "arrival": parse_time(d["arrival"]),
                      "fare": Fare.from_dict(d["fare"])})

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out.update(departure=iso(self.departure), arrival=iso(self.arrival), fare=_fare_dict(self.fare))
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
    #: the GTFS service date ("YYYY-MM-DD") of the first ride's trip: a plan short of ``num``
    #: journeys goes on into the next service dates (arriving by a time, the dates before)
    service_date: str | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Journey":
        return cls(parse_time(d["departure"]), parse_time(d["arrival"]), d["duration_min"], d["transfers"],
                   Fare.from_dict(d["fare"]), tuple(Leg.from_dict(x) for x in d["legs"]), d.get("service_date"))

    def to_dict(self) -> dict[str, Any]:
        return {"departure": iso(self.departure), "arrival": iso(self.arrival),
                "duration_min": self.duration_min, "transfers": self.transfers, "fare": _fare_dict(self.fare),
                "legs": [leg.to_dict() for leg in self.legs], "service_date": self.service_date}

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
                "to": self.legs[-1].to_name if self.legs else None, "service_date": self.service_date}


#: the columns of the frames that hold times (``frame`` puts them in the agency's timezone)
TIME_COLUMNS = ("departure", "arrival", "alternative_departure")


def frame(rows: list[dict[str, Any]], columns: list[str], timezone: str):
    """A pandas DataFrame of ``rows`` (pandas imported only here), each time column a datetime64
    column in ``timezone`` (the agency's): the times' own fixed offsets differ across a clock
    change, which pandas keeps only as an object column (or refuses), and a column read in a zone
    by name reads its wall clock right on any date."""
    import pandas as pd

    df = pd.DataFrame(rows, columns=columns)
    for c in TIME_COLUMNS:
        if c in df.columns:
            df[c] = pd.to_datetime(df[c], utc=True).dt.tz_convert(timezone)
    return df


#: the columns of ``Plan.to_frame`` (``Journey.row``), also in ``Commute.to_frame``
JOURNEY_COLUMNS = ["departure", "arrival", "duration_min", "transfers", "fare", "currency", "first_train",
                   "last_train", "trains", "from", "to", "service_date"]


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
    #: when no journey is found: the first one leaving after the time asked (or the window),
    #: that day or a later service day (with ``arrive_by``: the day's first, arriving too late), as
    #: {"date", "departure", "arrival"} (ISO times), else None
    next_service: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Exactly what ``hbeu plan --json`` prints (schema in ``analysis.render``)."""
        return {"query": {"from": place_dict(self.origin), "to": place_dict(self.destination), "date": self.date,
                          "timezone": self.timezone, "depart": iso(self.depart), "arrive_by": iso(self.arrive_by),
                          "window_min": self.window_min, "num": self.num, "max_transfers": self.max_transfers,
                          "modes": self.modes},
                "notes": list(self.notes), "journeys": [j.to_dict() for j in self.journeys],
                "next_service": self.next_service}

    def to_frame(self):
        """One row per journey: departure, arrival, duration_min, transfers, fare, currency,
        first_train, last_train, trains, from, to, service_date (of the first ride's trip: a plan
        short of ``num`` goes on into the next service dates)."""
        return frame([j.row() for j in self.journeys], JOURNEY_COLUMNS, self.timezone)

    def _repr_html_(self) -> str:  # notebooks show the table
        return self.to_frame()._repr_html_()
