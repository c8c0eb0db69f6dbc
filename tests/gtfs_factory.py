"""Write small hand-made GTFS feeds as folders, for tests.

``write_feed`` writes any tables given as lists of row dicts. ``make_feed`` fills in the dull
parts (agency, one bus route, an every-day calendar for 2024, trips) so a test states only what
it is about: stops and each trip's stop times.

    make_feed(tmp_path / "f", stops=[("A", 0.0, 0.0), ("B", 0.0, 0.01)],
              stop_times={"T1": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:10:00")]})
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

Row = Mapping[str, Any]

#: The default calendar: service "ALL" runs every day of 2024.
ALL_2024 = {"service_id": "ALL", "monday": 1, "tuesday": 1, "wednesday": 1, "thursday": 1,
            "friday": 1, "saturday": 1, "sunday": 1, "start_date": "20240101", "end_date": "20241231"}


def write_feed(folder: str | Path, tables: Mapping[str, Sequence[Row]]) -> Path:
    """Write each table as ``<name>.txt`` (columns: union of the rows' keys, first-seen order;
    None becomes an empty field). Returns the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        cols: dict[str, None] = {}
        for r in rows:
            cols.update(dict.fromkeys(r))
        with open(folder / f"{name}.txt", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(list(cols))
            for r in rows:
                w.writerow(["" if r.get(c) is None else r.get(c) for c in cols])
    return folder


def make_feed(folder: str | Path, *, stops: Sequence[Row | tuple], stop_times: Mapping[str, Sequence[Row | tuple]],
              trips: Sequence[Row] | None = None, routes: Sequence[Row] | None = None,
              calendar: Sequence[Row] | None = None, agency: Sequence[Row] | None = None,
              **tables: Sequence[Row]) -> Path:
    """A complete feed folder from the essentials.

    stops: dicts, or tuples (stop_id, lat, lon[, parent_station[, location_type]]); stop_name
    defaults to the id. stop_times: {trip_id: rows}, a row being a dict or a tuple
    (stop_id, arrival_time, departure_time); stop_sequence defaults to 1, 2, ... trips: rows
    overriding the default (route "R", service "ALL") of the trips they name. routes default to
    one bus route "R"; calendar to ``ALL_2024``. Other tables (calendar_dates, frequencies,
    transfers...) pass through as keyword arguments; pass calendar=[] to omit calendar.txt.
    """
    stop_rows = []
    for s in stops:
        if isinstance(s, Mapping):
            row = dict(s)
        else:
            row = {"stop_id": s[0], "stop_lat": s[1], "stop_lon": s[2]}
            if len(s) > 3:
                row["parent_station"] = s[3]
            if len(s) > 4:
                row["location_type"] = s[4]
        row.setdefault("stop_name", row["stop_id"])
        stop_rows.append(row)

    st_rows = []
    for trip_id, rows in stop_times.items():
        for k, r in enumerate(rows, start=1):
            row = dict(r) if isinstance(r, Mapping) else {
                "stop_id": r[0], "arrival_time": r[1], "departure_time": r[2]}
            row = {"trip_id": trip_id, **row}
            row.setdefault("stop_sequence", k)
            st_rows.append(row)

    override = {t["trip_id"]: dict(t) for t in (trips or [])}
    trip_rows = []
    for trip_id in list(stop_times) + [t for t in override if t not in stop_times]:
        row = {"route_id": "R", "service_id": "ALL", "trip_id": trip_id}
        row.update(override.get(trip_id, {}))
        trip_rows.append(row)

    out: dict[str, Sequence[Row]] = {
        "agency": agency or [{"agency_id": "A", "agency_name": "Test Agency",
                              "agency_url": "https://example.org", "agency_timezone": "UTC"}],
        "stops": stop_rows,
        "routes": routes or [{"route_id": "R", "agency_id": "A", "route_short_name": "R",
                              "route_type": 3}],
        "trips": trip_rows,
        "stop_times": st_rows,
    }
    if calendar is None:
        out["calendar"] = [ALL_2024]
    elif calendar:
        out["calendar"] = calendar
    out.update({k: v for k, v in tables.items() if v is not None})
    return write_feed(folder, out)
