"""Driving times between the four cities (data/spec/driving_times.csv), read without pandas.

The two-hour highway circle of the policy target (FACTS: "one-hour railway, two-hour highway
economic circle") needs road times next to the rail timetable. The table is symmetric (one row
per unordered pair); this reader returns both directions. It is shipped inside the package
(``hbeu_transit._spec``) so an installed ``hbeu`` finds it without the repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .spec import SCHEMAS, SpecError, check_driving_pairs, read_rows, shipped_spec_file

FILE = "driving_times.csv"


@dataclass(frozen=True)
class DrivingTime:
    """One city-to-city road link: kilometres, minutes, and where the figures come from."""

    from_area: str
    to_area: str
    km: float
    minutes: int
    source: str
    confidence: str   # SOURCED or EST
    note: str


def spec_path() -> Path:
    """The shipped driving_times.csv (package data), else the repository's data/spec copy."""
    return shipped_spec_file(FILE)


def driving_times(path: str | Path | None = None) -> dict[tuple[str, str], DrivingTime]:
    """(from_area, to_area) -> DrivingTime for every pair, in both directions.

    Area ids are those of data/spec/areas.csv (HOHHOT, BAOTOU, ORDOS, ULANQAB). A malformed
    file raises SpecError naming the file, line and field.
    """
    p = Path(path) if path is not None else spec_path()
    rows = read_rows(p, SCHEMAS["driving_times"])
    check_driving_pairs(rows, str(p))
    out: dict[tuple[str, str], DrivingTime] = {}
    for r in rows:
        a, b = r["from_area"], r["to_area"]
        for x, y in ((a, b), (b, a)):
            out[(x, y)] = DrivingTime(x, y, float(r["km"]), int(r["minutes"]), r["source"] or "",
                                      r["confidence"], r["note"] or "")
    return out


__all__ = ["DrivingTime", "SpecError", "driving_times", "spec_path"]
