#!/usr/bin/env python
"""Benchmark `hbeu freq` as whole processes against baselines measured in the same run.

For hart (../shared/feeds/hart/hart.zip) and the bundled regional feeds, each `--by` table of
one date, and hart over one year (2018-01-01 .. 2018-12-31; the feed covers 2018-02-25 ..
2018-10-20), it times `hbeu freq` with a warm cache: the median wall time of N runs of the
whole process (`hbeu freq ... > /dev/null`, the terminal preview) and the child's peak RSS
(/usr/bin/time's maximum resident set). Baselines, same run, whole processes too:

* "before": what `hbeu freq` did before the freq cache: read the whole feed through the
  loader (gtfs-kit, field checks, planner warnings) every run, then count
  (``Network.feed`` + the table functions on the loaded Feed);
* "gtfs-kit": gtfs-kit's own statistics for the tables it has, from its own reader:
  ``read_feed`` then ``compute_route_stats`` (with the ``compute_trip_stats`` it needs),
  ``compute_stop_stats``, ``compute_network_time_series(freq="h")``; gtfs-kit has no city-pair
  table (od: none).

Yardsticks in the same run: ``python -c pass`` and ``import numpy`` (the floor every whole process
pays). ``--pyc`` lets the timed processes use .pyc files as an installed package does, when the
environment sets PYTHONDONTWRITEBYTECODE (then every run compiles the package from source).

It also checks that the tables are unchanged: the table from the warm cache equals the table
counted from the freshly loaded feed (pandas' assert_frame_equal), for every row printed.

    .venv/bin/python scripts/bench_freq.py                       # 7 runs (baselines 3, gtfs-kit 1)
    .venv/bin/python scripts/bench_freq.py --runs 3 --no-kit     # quicker
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HART = ROOT.parent / "shared" / "feeds" / "hart" / "hart.zip"
HART_DATE = "2018-06-13"          # a Wednesday
YEAR = ("2018-01-01", "2018-12-31")
REGIONAL_DATE = "2026-12-09"      # a Wednesday
TABLES = ("route", "stop", "hour", "od")
#: The targets of issue 12 (whole process, warm): seconds, and MiB for od.
TARGET_S = {"route": 0.5, "stop": 0.5, "hour": 0.5, "od": 1.0, "year": 10.0}
TARGET_MIB = {"od": 300}

BEFORE = """
import datetime as dt, sys, warnings
warnings.simplefilter("ignore")
from hbeu_transit.network import Network
from hbeu_transit.analysis import frequency as fr
from hbeu_transit.analysis.dates import report_dates
paths, by, a, b = sys.argv[1].split(","), sys.argv[2], sys.argv[3], sys.argv[4]
net = Network(paths if paths != [""] else None)
feed = net.feed                                  # the whole feed through the loader, every run
days, _ = report_dates(feed, None, dt.date.fromisoformat(a), dt.date.fromisoformat(b))
fr.BY[by](feed, days)
"""

KIT = """
import sys, warnings
warnings.simplefilter("ignore")
import gtfs_kit as gk
path, by, ymd = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
feed = gk.read_feed(path, dist_units="km")
if by == "route":
    feed.compute_route_stats(ymd, trip_stats=feed.compute_trip_stats())
elif by == "stop":
    feed.compute_stop_stats(ymd)
elif by == "hour":
    feed.compute_network_time_series(ymd, trip_stats=feed.compute_trip_stats(), freq="h")
"""


def run_once(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one child process; its output is discarded. The RSS comes
    from /usr/bin/time (Linux counts the forking parent's memory in a child's own ru_maxrss)."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        timer = ["/usr/bin/time", "-o", rss.name, "-f", "%M"] if Path("/usr/bin/time").exists() else []
        t0 = time.perf_counter()
        p = subprocess.run(timer + cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - t0
        if p.returncode:
            raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr.decode(errors='replace')[-2000:]}")
        text = Path(rss.name).read_text().strip().splitlines()
        mib = int(text[-1]) / 1024 if timer and text else float("nan")
    return wall, mib


def measure(cmd: list[str], env: dict, runs: int) -> tuple[float, float]:
    """Median wall time and the largest peak RSS over ``runs`` runs."""
    got = [run_once(cmd, env) for _ in range(runs)]
    return statistics.median(w for w, _ in got), max(r for _, r in got)


SAME = """
import datetime as dt, sys, warnings
warnings.simplefilter("ignore")
import pandas as pd
from hbeu_transit.analysis import frequency as fr
from hbeu_transit.analysis.dates import report_dates
from hbeu_transit.network import Network
from hbeu_transit.places.tables import name_places
paths, by, start, end = [p for p in sys.argv[1].split(",") if p], sys.argv[2], sys.argv[3], sys.argv[4]
net = Network(paths or None)
got = net.frequency(by, start=start, end=end) if start != end else net.frequency(by, date=start)
feed = net.feed
days, _ = report_dates(feed, None, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
want = fr.BY[by](feed, days)
name_places(net.places, want, by)  # the table's names as Network.frequency gives them
try:
    pd.testing.assert_frame_equal(got, want)
    print("same")
except AssertionError as e:
    print("DIFFERENT: " + str(e).splitlines()[0])
"""


def same_tables(paths: list[str], by: str, start: str, end: str, env: dict) -> str:
    """"same" when the warm-cache table equals the table counted from the loaded feed (in a
    child process, so that this one stays small)."""
    p = subprocess.run([sys.executable, "-c", SAME, ",".join(paths), by, start, end], env=env,
                       capture_output=True, text=True)
    return p.stdout.strip() or f"error: {p.stderr.strip().splitlines()[-1:]}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7, help="runs of each hbeu freq (median)")
    ap.add_argument("--baseline-runs", type=int, default=3, help="runs of each 'before' baseline")
    ap.add_argument("--kit-runs", type=int, default=1, help="runs of each gtfs-kit baseline")
    ap.add_argument("--year-runs", type=int, default=3, help="runs of each one-year hbeu freq")
    ap.add_argument("--no-kit", action="store_true", help="skip the gtfs-kit baseline")
    ap.add_argument("--no-year", action="store_true", help="skip the one-year range")
    ap.add_argument("--pyc", action="store_true",
                    help="let the timed processes write and read .pyc files, as an installed package does "
                         "(drops PYTHONDONTWRITEBYTECODE from their environment; without it, a set "
                         "PYTHONDONTWRITEBYTECODE makes every run compile hbeu_transit from source)")
    args = ap.parse_args()

    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(Console().width, 150))
    hbeu = str(Path(sys.executable).with_name("hbeu"))
    cache = Path(tempfile.mkdtemp(prefix="bench-freq-"))
    env = {**os.environ, "HBEU_CACHE_DIR": str(cache), "MPLBACKEND": "Agg"}
    if args.pyc:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    load = os.getloadavg()
    console.print(f"load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
                  f"({os.cpu_count()} cpus); hbeu runs {args.runs}, 'before' {args.baseline_runs}, "
                  f"gtfs-kit {args.kit_runs}, year {args.year_runs}; warm cache {cache}")
    pyc = "off (PYTHONDONTWRITEBYTECODE: every run compiles from source)" if env.get("PYTHONDONTWRITEBYTECODE") \
        else "on (.pyc files, as an installed package)"
    yard = {what: measure([sys.executable, "-c", code], {**env, "OPENBLAS_NUM_THREADS": "1"}, args.runs)[0]
            for what, code in (("python -c pass", "pass"), ("import numpy", "import numpy"))}
    console.print(f"bytecode cache {pyc}; yardsticks (median of {args.runs}): "
                  + ", ".join(f"{k} {v:.2f} s" for k, v in yard.items()))
    cases = []   # (feed label, paths, by, start, end, runs)
    if HART.exists():
        cases += [("hart", [str(HART)], by, HART_DATE, HART_DATE, args.runs) for by in TABLES]
    else:
        console.print(f"[yellow]{HART} missing: hart skipped[/]")
    cases += [("regional", [], by, REGIONAL_DATE, REGIONAL_DATE, args.runs) for by in TABLES]
    if HART.exists() and not args.no_year:
        cases += [("hart year", [str(HART)], by, *YEAR, args.year_runs) for by in TABLES]

    t = Table(title="hbeu freq, whole process (median s; peak RSS MiB) vs baselines in the same run")
    for col in ("feed", "--by", "hbeu s", "MiB", "before s", "MiB ", "before/hbeu", "gtfs-kit s", "kit/hbeu",
                "target", "tables"):
        t.add_column(col, justify="left" if col in ("feed", "--by", "target", "tables") else "right")
    try:
        for label, paths, by, start, end, runs in cases:
            feed_args = [a for p in paths for a in ("--feed", p)]
            dates = ["--date", start] if start == end else ["--from", start, "--to", end]
            cmd = [hbeu, "freq", *feed_args, "--by", by, *dates]
            run_once(cmd, env)                    # warm the cache (and the OS file cache)
            ours, ours_mib = measure(cmd, env, runs)
            before, before_mib = measure([sys.executable, "-c", BEFORE, ",".join(paths), by, start, end], env,
                                         args.baseline_runs if start == end else 1)
            kit = None
            if not args.no_kit and paths and by != "od" and start == end:
                kit, _ = measure([sys.executable, "-c", KIT, paths[0], by, start.replace("-", "")], env,
                                 args.kit_runs)
            target = TARGET_S["year" if start != end else by]
            mib_goal = TARGET_MIB.get(by, float("inf")) if start == end else float("inf")
            ok = ours <= target and ours_mib <= mib_goal if label.startswith("hart") else None
            goal = f"≤{target:g} s" + (f", ≤{TARGET_MIB[by]} MiB" if by in TARGET_MIB and start == end else "")
            t.add_row(label, by, f"{ours:.2f}", f"{ours_mib:.0f}", f"{before:.2f}", f"{before_mib:.0f}",
                      f"{before / ours:.1f}x", "-" if kit is None else f"{kit:.2f}",
                      "-" if kit is None else f"{kit / ours:.1f}x",
                      goal + ("" if ok is None else (" ok" if ok else " MISSED")),
                      same_tables(paths, by, start, end, env))
            console.print(f"  {label} --by {by}: {ours:.2f} s, {ours_mib:.0f} MiB (before {before:.2f} s)")
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    console.print(t)
    load = os.getloadavg()
    console.print(f"load average at end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; ratios = baseline / hbeu "
                  "(above 1: hbeu is faster); 'tables: same' = warm-cache table equals the table counted "
                  "from the loaded feed")


if __name__ == "__main__":
    main()
