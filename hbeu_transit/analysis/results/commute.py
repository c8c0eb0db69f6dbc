"""The answer of ``Network.commute``: per service day, the way to work and the way home."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .journey import JOURNEY_COLUMNS, Journey, frame, place_dict

__all__ = ["Commute", "CommuteDay"]


@dataclass(frozen=True)
class CommuteDay:
    """One service day of a commute: the way to work and the way home, each with its alternative."""

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
                row = {"date": d.date, "part": part, **(j.row() if j else dict.fromkeys(JOURNEY_COLUMNS))}
                row["alternative_departure"] = alt.departure if alt else None
                rows.append(row)
        return frame(rows, ["date", "part", *JOURNEY_COLUMNS, "alternative_departure"], self.timezone)

    def _repr_html_(self) -> str:
        return self.to_frame()._repr_html_()
