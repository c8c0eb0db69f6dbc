"""The answer of ``Network.departures``: a departure board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .journey import frame, iso, parse_time, place_dict

__all__ = ["BOARD_COLUMNS", "Board"]

#: the columns of ``Board.to_frame``: a row of ``analysis.render.departure_row``, in its order
BOARD_COLUMNS = ["departure", "name", "mode", "route", "route_name", "trip", "number", "headsign", "headsign_en",
                 "destination_stop", "destination_name", "destination_name_en", "from_stop", "from_name",
                 "from_name_en"]


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
                "from": iso(self.start), "to": iso(self.end), "notes": list(self.notes),
                "departures": [dict(r) for r in self.rows]}

    def to_frame(self):
        """One row per departure, the columns of ``BOARD_COLUMNS`` (also when there is none), the
        departure in the agency's timezone."""
        return frame([{**r, "departure": parse_time(r["departure"])} for r in self.rows], BOARD_COLUMNS,
                     self.timezone)

    def _repr_html_(self) -> str:
        return self.to_frame()._repr_html_()
