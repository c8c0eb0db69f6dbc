"""Record the ``--json`` output of a fixed set of CLI commands under ``tests/golden/``.

The record pins what the commands answer (journeys, boards, frequency tables, station lists, the
station graph) on the bundled regional feed and on ``tests/data/caltrain.zip``, with fixed dates so
nothing depends on today. ``tests/cli/test_golden_outputs.py`` re-runs the same commands and
compares, so a refactoring that changes an answer fails. Volatile fields (the time of the run,
package versions, absolute paths, the cache key's hash) are normalised here, never by hand.

    python scripts/record_outputs.py            # rewrite tests/golden/*.json
    python scripts/record_outputs.py --check    # exit 1 if any recorded output differs

Re-record only when an answer is meant to change, and say why in the commit.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
CALTRAIN = "tests/data/caltrain.zip"
CAL = ["--feed", CALTRAIN]

#: name -> CLI arguments. A command writing a file names it "{out}" (its content is recorded).
CASES: dict[str, list[str]] = {
    # --- bundled regional feed (Wednesday 2026-12-09, Saturday 2026-12-12)
    "plan_baotou_hohhot_depart": ["plan", "Baotou", "Hohhot", "--date", "2026-12-09", "--depart", "07:00",
                                  "--window", "2h", "--json"],
    "plan_zh_arrive_by": ["plan", "包头", "呼和浩特", "--date", "2026-12-09", "--arrive-by", "09:00", "--json"],
    "plan_typo_num": ["plan", "Baotou East", "Hohot East", "--date", "2026-12-12", "--depart", "17:00",
                      "--num", "5", "--json"],
    "plan_bus_rail": ["plan", "集宁汽车站", "Baotou", "--date", "2026-12-09", "--depart", "06:00",
                      "--modes", "rail,bus", "--json"],
    "plan_rail_only_max1": ["plan", "Ulanqab", "Ordos", "--date", "2026-12-09", "--depart", "08:00",
                            "--max-transfers", "1", "--modes", "rail", "--transfer-minutes", "5", "--json"],
    "plan_last_trains": ["plan", "Hohhot", "Baotou", "--date", "2026-12-09", "--depart", "21:00",
                         "--num", "3", "--json"],
    "departures_baotou": ["departures", "包头站", "--date", "2026-12-09", "--from", "07:00", "--to", "10:00",
                          "--json"],
    "departures_hohhot_bus": ["departures", "Hohhot", "--date", "2026-12-12", "--from", "12:00", "--to", "14:00",
                              "--modes", "bus", "--json"],
    "commute_baotou_hohhot_east": ["commute", "Baotou", "Hohhot East", "--arrive-by", "09:00", "--leave-after",
                                   "18:00", "--days", "3", "--date", "2026-12-11", "--json"],
    "stations_all": ["stations", "--json"],
    "stations_hohhot": ["stations", "Hohhot", "--json"],
    "info": ["info", "--date", "2026-12-09", "--json"],
    "freq_route": ["freq", "--by", "route", "--date", "2026-12-09", "--format", "json"],
    "freq_od_combine": ["freq", "--by", "od", "--date", "2026-12-02", "--origin", "Hohhot", "--destination",
                        "Baotou,Ordos,Ulanqab", "--combine", "--modes", "rail", "--format", "json"],
    "freq_stop_window": ["freq", "--by", "stop", "--date", "2026-12-09", "--window", "07:00-19:00",
                         "--format", "json"],
    "freq_hour_range": ["freq", "--by", "hour", "--from", "2027-01-23", "--to", "2027-01-31", "--format", "json"],
    "graph_geojson": ["graph", "--format", "geojson", "-o", "{out}", "--date", "2026-12-09"],
    # --- caltrain (Wednesday 2018-03-07)
    "caltrain_plan": ["plan", "San Francisco Caltrain", "Mt View Caltrain", "--date", "2018-03-07", "--depart", "07:00",
                      "--window", "90m", *CAL, "--json"],
    "caltrain_plan_walk": ["plan", "70011", "70262", "--date", "2018-03-07", "--arrive-by", "18:00",
                           "--walk-meters", "300", *CAL, "--json"],
    "caltrain_plan_late": ["plan", "San Francisco Caltrain", "Mt View Caltrain", "--date", "2018-03-07",
                           "--depart", "22:30", "--num", "3", *CAL, "--json"],
    "caltrain_plan_previous_day_trip": ["plan", "70012", "70052", "--date", "2018-03-08", "--depart", "00:00",
                                        *CAL, "--json"],
    "caltrain_departures_after_midnight": ["departures", "70232", "--date", "2018-03-08", "--from", "00:00",
                                           "--to", "01:00", *CAL, "--json"],
    "caltrain_departures": ["departures", "Palo Alto Caltrain", "--date", "2018-03-07", "--from", "16:00", "--to", "19:00",
                            *CAL, "--json"],
    "caltrain_commute": ["commute", "San Jose Diridon Caltrain", "San Francisco Caltrain", "--arrive-by", "09:30", "--leave-after",
                         "17:30", "--days", "2", "--date", "2018-03-09", *CAL, "--json"],
    "caltrain_stations": ["stations", "Caltrain", *CAL, "--json"],
    "caltrain_freq_od": ["freq", "--by", "od", "--stations", "--date", "2018-03-07", "--origin",
                         "San Francisco Caltrain", *CAL, "--format", "json"],
    "caltrain_freq_route": ["freq", "--by", "route", "--from", "2018-03-05", "--to", "2018-03-11", *CAL,
                            "--format", "json"],
    "caltrain_graph": ["graph", "--format", "geojson", "-o", "{out}", "--date", "2018-03-07", *CAL],
}

_VOLATILE = {"generated_at", "versions", "feed_hash"}


def _normalise(obj: Any) -> Any:
    """Blank what changes between runs and machines (time of the run, package versions, the
    cache key hash) and write paths relative to the repository."""
    if isinstance(obj, dict):
        return {k: (f"<{k}>" if k in _VOLATILE else _normalise(v)) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_normalise(v) for v in obj]
    if isinstance(obj, str):
        # The bundled feeds sit in data/gtfs/ in a checkout but in site-packages after a plain
        # `pip install .` (as CI installs): name them by one placeholder either way.
        bundled = str(_bundled_dir())
        if bundled in obj:
            obj = obj.replace(bundled, "<bundled>")
        if str(ROOT) in obj:
            obj = obj.replace(str(ROOT), "<root>")
    return obj


def _bundled_dir() -> Path:
    from hbeu_transit.feed import default_feed_paths

    return default_feed_paths()[0].parent


def run_case(args: list[str], workdir: Path) -> str:
    """Run one command in-process (as ``hbeu ARGS``) and return its normalised JSON text."""
    import typer.main

    from hbeu_transit.cli.app import app

    out = workdir / "out.json"
    argv = [a.replace("{out}", str(out)) for a in args]
    stdout, stderr = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            typer.main.get_command(app).main(argv, prog_name="hbeu", standalone_mode=False)
    finally:
        os.chdir(cwd)
    text = out.read_text(encoding="utf-8") if "{out}" in args else stdout.getvalue()
    out.unlink(missing_ok=True)
    return json.dumps(_normalise(json.loads(text)), ensure_ascii=False, indent=1) + "\n"


def run_all(cache_dir: Path | None = None) -> dict[str, str]:
    """Every case's normalised output, computed with a fresh cache (cold, then warm hits)."""
    with tempfile.TemporaryDirectory() as tmp:
        old = os.environ.get("HBEU_CACHE_DIR")
        os.environ["HBEU_CACHE_DIR"] = str(cache_dir or Path(tmp) / "cache")
        try:
            return {name: run_case(args, Path(tmp)) for name, args in CASES.items()}
        finally:
            if old is None:
                os.environ.pop("HBEU_CACHE_DIR", None)
            else:
                os.environ["HBEU_CACHE_DIR"] = old


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the record instead of writing it")
    a = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    outputs = run_all()
    if a.check:
        bad = [n for n, text in outputs.items()
               if not (GOLDEN / f"{n}.json").exists() or (GOLDEN / f"{n}.json").read_text(encoding="utf-8") != text]
        for n in bad:
            print(f"differs: tests/golden/{n}.json")
        return 1 if bad else 0
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for old in GOLDEN.glob("*.json"):
        if old.stem not in outputs:
            old.unlink()
    for name, text in outputs.items():
        (GOLDEN / f"{name}.json").write_text(text, encoding="utf-8")
    print(f"wrote {len(outputs)} outputs to {GOLDEN.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
