"""Scenarios: planned lines and timetable changes applied to a merged feed (feed in, feed out).

``read_scenario`` checks a TOML file, ``apply_scenarios`` returns the modified Feed,
``write_scenario_feed`` writes it as one valid, deterministic GTFS zip, and
``scenario_feed_path`` keeps that zip in the cache for the commands that read feeds by path. The
format is documented in ``data/scenarios/README.md``. Names are imported lazily: reading a
scenario and finding its cached feed need no pandas.
"""

from __future__ import annotations

from .._lazy import exports

_WHERE = {
    "Scenario": "model", "ScenarioError": "model", "parse_scenario": "model", "read_scenario": "model",
    "scenario_from_dict": "model", "shipped_scenarios": "model",
    "load_scenarios": "model", "scenario_feed_path": "cache", "scenario_base_feeds": "cache", "scenario_chain": "cache",
    "scenario_hash": "model",
    "apply_scenario": "apply", "apply_scenarios": "apply", "feed_zip_bytes": "apply", "table_counts": "apply",
    "write_scenario_feed": "apply",
}

__all__ = sorted(_WHERE)


__getattr__ = exports(__name__, _WHERE)
