"""City grouping: which area (city) every stop belongs to.

Sources, in order: a user CSV (stop_id -> area name), the feed's Fares v2 ``areas.txt`` +
``stop_areas.txt``, else each parent station (or stop without parent) is its own area.
Platforms inherit their parent station's area.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import FeedError
from .load import Feed


def _station_of(stops: pd.DataFrame) -> pd.Series:
    """stop_id -> the station it belongs to (its parent, or itself)."""
    parent = stops["parent_station"] if "parent_station" in stops else pd.Series(pd.NA, index=stops.index)
    st = parent.where(parent.notna(), stops["stop_id"])
    return pd.Series(st.to_numpy(), index=stops["stop_id"].to_numpy())


def read_area_csv(path: str | Path) -> pd.DataFrame:
    """A user's area file: columns stop_id and area (a name); extra columns are ignored."""
    p = Path(path)
    try:
        df = pd.read_csv(p, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as e:
        raise FeedError(str(p), f"cannot read areas file ({e})") from None
    df.columns = [c.strip() for c in df.columns]
    col = "area" if "area" in df else ("area_name" if "area_name" in df else None)
    if "stop_id" not in df or col is None:
        raise FeedError(str(p), "needs the columns stop_id and area", line=1)
    empty = df[col].str.strip() == ""
    if empty.any():
        i = int(empty.to_numpy().nonzero()[0][0])
        raise FeedError(str(p), "empty area name", line=i + 2, field=col)
    return df[["stop_id", col]].rename(columns={col: "area"})


def stop_areas(feed: Feed, area_csv: str | Path | None = None) -> pd.DataFrame:
    """One row per stop: stop_id, area_id, area_name (stops outside every area get their station)."""
    stops = feed.get("stops")
    station = _station_of(stops)
    names = pd.Series(stops["stop_name"].to_numpy(), index=stops["stop_id"].to_numpy())
    assign: dict[str, tuple[str, str]] = {}
    if area_csv is not None:
        user = read_area_csv(area_csv)
        unknown = ~user["stop_id"].isin(station.index)
        if unknown.any():
            i = int(unknown.to_numpy().nonzero()[0][0])
            raise FeedError(str(area_csv), f"unknown stop_id {user['stop_id'].iloc[i]!r}", line=i + 2,
                            field="stop_id")
        assign = {s: (a, a) for s, a in zip(user["stop_id"], user["area"])}
    else:
        sa, ar = feed.get("stop_areas"), feed.get("areas")
        if sa is not None and not sa.empty:
            label = {}
            if ar is not None and "area_name" in ar:
                label = dict(zip(ar["area_id"], ar["area_name"].fillna(ar["area_id"])))
            assign = {s: (a, label.get(a, a)) for s, a in zip(sa["stop_id"], sa["area_id"])}
    rows = []
    for sid, st in station.items():
        hit = assign.get(sid) or assign.get(st)
        if hit is None:
            hit = (st, str(names.get(st, st)))
        rows.append((sid, hit[0], hit[1]))
    return pd.DataFrame(rows, columns=["stop_id", "area_id", "area_name"])
