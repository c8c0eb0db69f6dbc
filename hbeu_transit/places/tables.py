"""Place names in report tables: the Chinese name in the table's own column and the English name
beside it, as the station index names places, so that od, stop and station tables and the station
graph name a place alike (``--lang`` then picks what to show).

Works on a pandas DataFrame or an ``analysis.table.Table`` alike (both have ``columns``, item
access and assignment, and ``insert``), and names each distinct place once: an od table of a
large feed repeats a few thousand places over a hundred thousand rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .names import PlaceIndex

__all__ = ["name_places", "place_names"]

#: The place columns of each frequency table: (name column, id column, kind of place).
_COLUMNS = {"od": [("origin", "origin_id"), ("destination", "destination_id")],
            "stop": [("station", "station_id")]}


def place_names(index: PlaceIndex, ids: Iterable[Any], kind: str) -> tuple[np.ndarray, np.ndarray]:
    """(Chinese, English) names of place ids (object arrays, one item per id), each distinct id
    named once. ``kind``: "area" (a city; areas of several feeds merged as "A|B" are named by the
    first) or "stop" (a stop or station). "A+B" (destinations counted as one) names each part and
    joins them with "+" (same-named parts once); its English name is None only when no part has one."""
    if kind not in ("area", "stop"):
        raise ValueError(f"kind must be 'area' or 'stop', not {kind!r}")
    one = index.area_names if kind == "area" else index.stop_names_of
    parts_seen: dict[str, tuple[str, str | None]] = {}

    def part(pid: str) -> tuple[str, str | None]:
        first = pid.split("|")[0]
        if first not in parts_seen:
            parts_seen[first] = one(first)
        return parts_seen[first]

    def whole(pid: str) -> tuple[str, str | None]:
        parts = list(dict.fromkeys(part(p) for p in pid.split("+")))  # same-named stops: once
        if len(parts) == 1:
            return parts[0]
        en = "+".join(p[1] or p[0] for p in parts) if any(p[1] for p in parts) else None
        return "+".join(p[0] for p in parts), en

    return _each_once(ids, lambda pid: whole(str(pid)))


def _each_once(values: Iterable[Any], names) -> tuple[np.ndarray, np.ndarray]:
    """``names(value)`` -> (zh, en) of every value, called once per distinct value."""
    values = list(values)
    code: dict[Any, int] = {}
    rows = np.fromiter((code.setdefault(v, len(code)) for v in values), dtype=np.int64, count=len(values))
    zh, en = np.empty(len(code), dtype=object), np.empty(len(code), dtype=object)
    for v, k in code.items():
        zh[k], en[k] = names(v)
    return zh[rows], en[rows]


def name_places(index: PlaceIndex, table: Any, by: str, stations: bool = False) -> None:
    """Name the places of a frequency table (``by``: od or stop; others have none) in place: each
    name column ``c`` gets the Chinese name, a new column ``c_en`` after it the English one (None
    where there is none); the stop table's ``area`` likewise. ``stations``: an od table between
    stations rather than cities."""
    kind = "stop" if by == "stop" or stations else "area"
    for name_col, id_col in _COLUMNS.get(by, []):
        if name_col in table and id_col in table:
            zh, en = place_names(index, table[id_col].tolist(), kind)
            table[name_col] = zh
            table.insert(list(table.columns).index(name_col) + 1, f"{name_col}_en", en)
    if by == "stop" and "area" in table:
        zh, en = _each_once((str(x) for x in table["area"].tolist()), index.area_names_by_name)
        table["area"] = zh
        table.insert(list(table.columns).index("area") + 1, "area_en", en)
