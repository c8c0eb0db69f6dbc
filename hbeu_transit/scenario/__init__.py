"""Scenarios: planned lines and timetable changes applied to a merged feed (feed in, feed out).

``read_scenario`` checks a TOML file, ``apply_scenarios`` returns the modified Feed, and
``write_scenario_feed`` writes it as one valid, deterministic GTFS zip. The format is documented
in ``data/scenarios/README.md``.
"""

from .apply import (apply_scenario, apply_scenarios, feed_zip_bytes, load_scenarios, scenario_feed_path,
                    write_scenario_feed)
from .model import Scenario, ScenarioError, parse_scenario, read_scenario, scenario_from_dict, shipped_scenarios

__all__ = ["Scenario", "ScenarioError", "apply_scenario", "apply_scenarios", "feed_zip_bytes", "load_scenarios",
           "parse_scenario", "read_scenario", "scenario_feed_path", "scenario_from_dict", "shipped_scenarios",
           "write_scenario_feed"]
