"""City grouping: which area (city) every stop belongs to.

Sources, in order: a user CSV (stop_id -> area name) for the stops it lists, the feed's Fares v2
``areas.txt`` + ``stop_areas.txt``, else each parent station (or stop without parent) is its own area.
Platforms inherit their parent station's area.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import FeedError
from .lines import row_line
from .load import Feed, _read_csv


def station_parents(stops: pd.DataFrame) -> pd.Series:
    """Each stop's parent_station where it names a station or stop (location_type blank, 0 or
    1), else NA: a stop under an entrance, a node, a boarding area or a missing id is its own
    station, in the areas and the timetable alike (and the place index, ``build_index``)."""
    parent = stops["parent_station"] if "parent_station" in stops else pd.Series(pd.NA, index=stops.index)
    lt = stops["location_type"].fillna("").astype(str).str.strip() if "location_type" in stops \
        else pd.Series("", index=stops.index)
    places = set(stops["stop_id"][lt.isin(["", "0", "1"])])
    return parent.where(parent.notna() & parent.isin(places))


def _station_of(stops: pd.DataFrame) -> pd.Series:
    """stop_id -> the station it belongs to: its parent (``station_parents``), or itself."""
    parent = station_parents(stops)
    st = parent.where(parent.notna(), stops["stop_id"])
    return pd.Series(st.to_numpy(), index=stops["stop_id"].to_numpy())


def read_area_csv(path: str | Path) -> pd.DataFrame:
    """A user's area file: columns stop_id and area (a name); extra columns are ignored. Read as
    the loader reads a feed's tables (one error naming the line for a row that is not CSV); a
    stop listed twice in two areas is an error, not the last one silently."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise FeedError(str(p), f"cannot read areas file ({e})") from None
    df = _read_csv(data, str(p)).fillna("") if data.strip() else pd.DataFrame()
    df.columns = [str(c).strip() for c in df.columns]
    col = "area" if "area" in df else ("area_name" if "area_name" in df else None)
    if "stop_id" not in df or col is None:
        raise FeedError(str(p), "needs the columns stop_id and area", line=1)
    empty = df[col].str.strip() == ""
    if empty.any():
        i = int(empty.to_numpy().nonzero()[0][0])
        raise FeedError(str(p), "empty area name", line=row_line(df, i), field=col)
    first: dict[str, tuple[str, int]] = {}
    for i, (stop, area) in enumerate(zip(df["stop_id"], df[col].str.strip())):
        seen = first.setdefault(stop, (area, i))
        if seen[0] != area:
            raise FeedError(str(p), f"stop {stop!r} is listed twice, in {seen[0]!r} (line {row_line(df, seen[1])}) "
                                    f"and {area!r}", line=row_line(df, i), field="stop_id")
    return df[["stop_id", col]].rename(columns={col: "area"})


def stop_areas(feed: Feed, area_csv: str | Path | None = None) -> pd.DataFrame:
    """One row per stop: stop_id, area_id, area_name, and in_area (False for a stop outside every
    area, which gets its station as its own area).

    ``area_csv`` (stop_id,area) adds to or overrides the feed's grouping, for the stops it lists
    only: a listed stop (with its platforms) moves to the named area, which joins the feed's area
    of that name or id when there is one, else is a new area; every other stop keeps the feed's
    area.
    """
    stops = feed.get("stops")
    station = _station_of(stops)
    names = pd.Series(stops["stop_name"].to_numpy(), index=stops["stop_id"].to_numpy())
    assign: dict[str, tuple[str, str]] = {}
    sa, ar = feed.get("stop_areas"), feed.get("areas")
    if sa is not None and not sa.empty:
        label = {}
        if ar is not None and "area_name" in ar:
            label = dict(zip(ar["area_id"], ar["area_name"].fillna(ar["area_id"])))
        assign = {s: (a, label.get(a, a)) for s, a in zip(sa["stop_id"], sa["area_id"])}
    user: dict[str, tuple[str, str]] = {}
    if area_csv is not None:
        rows = read_area_csv(area_csv)
        unknown = ~rows["stop_id"].isin(station.index)
        if unknown.any():
            i = int(unknown.to_numpy().nonzero()[0][0])
            raise FeedError(str(area_csv), f"unknown stop_id {rows['stop_id'].iloc[i]!r}", line=row_line(rows, i),
                            field="stop_id")
        known: dict[str, str] = {}  # the feed's areas by casefolded name and id -> area_id
        for a, n in assign.values():
            known.setdefault(str(n).strip().casefold(), a)
            known.setdefault(str(a).strip().casefold(), a)
        user = {s: (known.get(a.strip().casefold(), a.strip()), a.strip()) for s, a in zip(rows["stop_id"], rows["area"])}
        for s, (a, _) in list(user.items()):  # a joined feed area keeps its own name
            feed_name = next((n for x, n in assign.values() if x == a), None)
            if feed_name is not None:
                user[s] = (a, feed_name)
    out = []
    for sid, st in station.items():
        hit = user.get(sid) or user.get(st) or assign.get(sid) or assign.get(st)
        out.append((sid, *(hit or (st, str(names.get(st, st)))), hit is not None))
    return pd.DataFrame(out, columns=["stop_id", "area_id", "area_name", "in_area"])
