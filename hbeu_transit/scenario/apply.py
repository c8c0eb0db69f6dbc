"""Apply scenarios to a merged feed (feed in, feed out) and write the result as one GTFS zip."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..feed.load import Feed, FeedSource
from .fares import adjust_fares
from .lines import add_line, add_stop
from .model import Scenario, ScenarioError, load_scenarios, scenario_hash
from .service import remove_routes, set_headway, speed_up, thin
from .tables import Tables, strs

__all__ = ["apply_scenario", "apply_scenarios", "feed_zip_bytes", "write_scenario_feed",
           "table_counts"]

APPLY: dict[str, Callable[[Tables, Any, str], Tables]] = {
    "add_line": add_line, "remove_routes": remove_routes, "thin": thin, "set_headway": set_headway,
    "speed_up": speed_up, "add_stop": add_stop, "adjust_fares": adjust_fares}


def _feed_info(tables: Tables, names: list[str]) -> pd.DataFrame:
    """One feed_info row naming the scenarios (GTFS allows one row; merged feeds bring several)."""
    fi = tables.get("feed_info")
    label = " + ".join(names)
    if fi is not None and not fi.empty:
        rows = fi.to_dict("records")
        first = dict(rows[0])
        versions = [v for v in strs(fi, "feed_version") if v]
        starts = [v for v in strs(fi, "feed_start_date") if v]
        ends = [v for v in strs(fi, "feed_end_date") if v]
        langs = {v for v in strs(fi, "feed_lang") if v}
        publishers = list(dict.fromkeys(v for v in strs(fi, "feed_publisher_name") if v))
        if publishers:
            first["feed_publisher_name"] = " + ".join(publishers)
        first["feed_version"] = f"scenario {label} on {' + '.join(versions) or 'unversioned feeds'}"
        if starts and "feed_start_date" in first:
            first["feed_start_date"] = min(starts)
        if ends and "feed_end_date" in first:
            first["feed_end_date"] = max(ends)
        if len(langs) > 1:
            first["feed_lang"] = "mul"
        return pd.DataFrame([first]).astype(object)
    ag = tables["agency"]
    lang = (strs(ag, "agency_lang") or ["en"])[0] or "en"
    return pd.DataFrame([{"feed_publisher_name": f"hbeu-transit scenario {label}",
                          "feed_publisher_url": strs(ag, "agency_url")[0], "feed_lang": lang,
                          "feed_version": f"scenario {label}", "feed_name": "scenario"}]).astype(object)


def apply_scenarios(feed: Feed, scenarios: Sequence[Scenario]) -> Feed:
    """The feed with every scenario's modifications applied in order (the input is unchanged).

    The result remembers the scenarios in its sources (so its ``content_hash``, the key of
    every cache, differs from the input's) and in a single ``feed_info`` row."""
    scenarios = list(scenarios)
    if not scenarios:
        return feed
    tables: Tables = dict(feed.tables)
    for s in scenarios:
        had = _n_rows(tables, "trips")
        for i, m in enumerate(s.modifications):
            tables = APPLY[m.type](tables, m, s.label(i))
        if had and not _n_rows(tables, "trips"):
            _refuse_empty(s, tables)
    tables["feed_info"] = _feed_info(tables, [s.name for s in scenarios])
    marker = FeedSource(name="scenario:" + "+".join(s.name for s in scenarios), path="", prefix="",
                        sha256=scenario_hash(scenarios), feed_version=str(tables["feed_info"]["feed_version"].iloc[0]))
    return Feed(tables=tables, sources=list(feed.sources) + [marker])


def _n_rows(tables: Tables, name: str) -> int:
    df = tables.get(name)
    return 0 if df is None else len(df)


def _refuse_empty(s: Scenario, tables: Tables) -> None:
    """A scenario that leaves the feeds no trip makes no timetable (a feed no command can plan on,
    no place to travel from): refused, naming it, before anything is written or cached."""
    what = "every route" if not _n_rows(tables, "routes") else "every trip"
    raise ScenarioError(f"scenario {s.name!r} ({s.source})",
                        f"removes {what} of the feeds, leaving no trip to plan on; keep at least one")


def apply_scenario(feed: Feed, scenario: str | Path | dict | Scenario) -> Feed:
    """One scenario (a file, a shipped name, a dict or a Scenario) applied to ``feed``."""
    return apply_scenarios(feed, load_scenarios([scenario]))


#: Primary keys of tables where two merged feeds may repeat a row: a station both feeds publish
#: (see feed.load._shared_stations) comes with both feeds' translations of its name.
MERGE_KEYS = {"translations": ["table_name", "field_name", "language", "record_id", "record_sub_id", "field_value"]}


def _gtfs_table(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """A table as the writer wants it: no provenance column, missing values as None, and a
    merged feed's repeated rows (same primary key) kept once, the first feed's."""
    out = df.drop(columns=["feed_name"], errors="ignore").astype(object)
    out = out.where(out.notna(), None)
    key = [c for c in MERGE_KEYS.get(name, []) if c in out]
    if key:
        out = out[~out[key].astype(str).duplicated()].reset_index(drop=True)
    return out


def feed_zip_bytes(feed: Feed) -> bytes:
    """The merged (modified) feed as one deterministic GTFS zip."""
    from ..regional.writer import zip_bytes

    return zip_bytes({name: _gtfs_table(name, df) for name, df in feed.tables.items() if df is not None})


def write_scenario_feed(feed: Feed, path: str | Path) -> None:
    """Write ``feed`` as one GTFS zip at ``path`` (atomically: a temporary file, then a rename)."""
    from ..atomic import write_bytes_atomic

    write_bytes_atomic(path, feed_zip_bytes(feed), mode=0o644)


def table_counts(feed: Feed) -> dict[str, int]:
    """Row counts of the tables a scenario changes (for `hbeu scenario apply` to report)."""
    return {t: int(len(feed.tables[t])) for t in ("stops", "routes", "trips", "stop_times", "fare_products")
            if feed.tables.get(t) is not None}

