"""The answer of ``Network.departures``: a departure board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .journey import iso, parse_time, place_dict

__all__ = ["Board"]


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
        import pandas as pd

        df = pd.DataFrame([dict(r) for r in self.rows])
        if len(df):
            df["departure"] = pd.to_datetime(df["departure"].map(parse_time))
        return df

    def _repr_html_(self) -> str:
        return self.to_frame()._repr_html_()
