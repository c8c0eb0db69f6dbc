#!/usr/bin/env python
"""Benchmark the one-hour circle and the coverage matrix against a per-minute brute force.

Every measure comes from one profile (range) query and one earliest-arrival query per origin;
the baseline, measured in the same run, answers the same question with one earliest-arrival
query per minute of the window through the public router (what a planner's script of
``hbeu plan`` calls would do, minus the process start-ups). Both give the same numbers (the
test suite checks it); this script times them and prints medians and ratios.

    .venv/bin/python scripts/bench_circle.py                 # everything present
    .venv/bin/python scripts/bench_circle.py --quick         # fewer repetitions, 300 hart origins
    .venv/bin/python scripts/bench_circle.py --only hart-dask --hart-origins 0   # all hart origins

Parts (targets from issue 9): regional coverage matrix, every minute 05:00-24:00, in process
(<= 50 ms) and as a whole ``hbeu coverage`` process on a warm cache (<= 0.5 s); a whole-day
circle for one hart origin (<= 100 ms); all-origins coverage on hart on a Dask LocalCluster
with 1 and 2 workers (the speed-up).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hbeu_transit.analysis.circle import area_groups, circle_measures, parse_window, station_groups  # noqa: E402
from hbeu_transit.analysis.coverage import coverage  # noqa: E402
from hbeu_transit.router import UNREACHABLE, earliest_arrival  # noqa: E402

HART = ROOT.parent / "shared" / "feeds" / "hart" / "hart.zip"
HART_DATE = "2018-10-19"          # a Friday, the feed's busiest date
REGION_DATE = "2026-12-09"        # an ordinary Wednesday of the bundled feed
WINDOW = "05:00-24:00"
CITIES = ("Hohhot", "Baotou", "Ordos", "Ulanqab")


CPU = {}     # name -> median CPU ms of the last timing (the machine may be shared: wall time
            # then includes waiting for a core, CPU time does not)


def median_ms(fn, runs: int, warmup: int = 1, name: str = "") -> float:
    """Median wall ms of ``runs`` calls; the median CPU ms (this process) goes to CPU[name]."""
    for _ in range(warmup):
        fn()
    times, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    CPU[name] = statistics.median(cpu) * 1000
    return statistics.median(times) * 1000


def child_cpu() -> float:
    """CPU seconds used so far by finished child processes."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def brute_force(tt, origins: list[np.ndarray], dests: list[np.ndarray], window) -> np.ndarray:
    """Per (origin, destination, minute): travel seconds from one earliest-arrival query per
    minute (the baseline: the same table the measures are read from)."""
    mins = window.minutes
    out = np.full((len(origins), len(dests), len(mins)), np.inf)
    for i, src in enumerate(origins):
        for k, t in enumerate(mins.tolist()):
            arr = earliest_arrival(tt, src, t).arrival
            for j, d in enumerate(dests):
                a = int(arr[d].min())
                if a < UNREACHABLE:
                    out[i, j, k] = a - t
    return out


def row(name: str, ms: float, base_ms: float | None = None, target: str = "", cpu: float | None = None) -> None:
    ratio = f"{base_ms / ms:8.1f}x" if base_ms else " " * 9
    c = f"{cpu:10.1f} ms" if cpu is not None else " " * 13
    print(f"  {name:<58} {ms:10.1f} ms {c} {ratio}  {target}")


def header() -> None:
    print(f"  {'':<58} {'wall median':>13} {'CPU median':>13} {'vs brute':>9}")


# --------------------------------------------------------------------------- parts

def regional(args) -> None:
    from hbeu_transit.feed import default_feed_paths
    from hbeu_transit.timetable import load_timetable

    paths = default_feed_paths()
    w = parse_window(WINDOW)
    rail = load_timetable(paths, REGION_DATE, modes=["rail"])
    bus = load_timetable(paths, REGION_DATE, modes=["bus"])
    print(f"regional feed {REGION_DATE}, {WINDOW} every minute ({w.size} minutes): rail "
          f"{rail.n_connections:,} connections, bus {bus.n_connections:,}")
    groups = {}
    for name, tt in (("rail", rail), ("bus", bus)):
        g = area_groups(tt)
        groups[name] = g.subset([g.index(c) for c in CITIES if c in g.labels])

    def both():
        coverage(rail, groups["rail"], groups["rail"], window=w)
        coverage(bus, groups["bus"], groups["bus"], within=120, window=w)

    ms = median_ms(both, args.runs, name="regional")
    t0, c0 = time.perf_counter(), time.process_time()
    for name, tt in (("rail", rail), ("bus", bus)):
        g = groups[name]
        stops = [g.stops(k) for k in range(len(g))]
        brute_force(tt, stops, stops, w)
    base, base_cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
    header()
    row("4x4 cities, rail + coach coverage (in process)", ms, base, "target <= 50 ms", CPU["regional"])
    row("brute force: one earliest-arrival query per minute", base, cpu=base_cpu)
    print(f"  CPU ratio brute / coverage: {base_cpu / CPU['regional']:.1f}x")
    # the whole command on a warm cache
    try:
        from hbeu_transit.cli import coverage as _  # noqa: F401
    except ImportError:
        print("  (hbeu coverage not installed: whole-process time skipped)")
        return
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "HBEU_CACHE_DIR": cache}
        cmd = [sys.executable, "-m", "hbeu_transit", "coverage", "--date", REGION_DATE, "--window", WINDOW, "--json"]
        subprocess.run(cmd, env=env, capture_output=True, check=True)          # fills the cache
        times, cpu = [], []
        for _ in range(args.runs):
            t0, c0 = time.perf_counter(), child_cpu()
            subprocess.run(cmd, env=env, capture_output=True, check=True)
            times.append(time.perf_counter() - t0)
            cpu.append(child_cpu() - c0)
        proc = statistics.median(times) * 1000
    row("`hbeu coverage --json` whole process, warm cache", proc, base, "target <= 500 ms",
        statistics.median(cpu) * 1000)


def hart_circle(args) -> None:
    from hbeu_transit.timetable import load_timetable

    tt = load_timetable([HART], HART_DATE)
    w = parse_window(WINDOW)
    groups = station_groups(tt)
    o = groups.labels.index(args.hart_origin) if args.hart_origin in groups.labels else 0
    src = groups.stops(o)
    print(f"hart {HART_DATE}: {tt.n_connections:,} connections, {len(groups):,} stations; origin "
          f"{groups.labels[o]} ({groups.display(o)}), {WINDOW} every minute")
    circle_measures(tt, src, groups, window=w)                    # compile/load the kernels
    ms = median_ms(lambda: circle_measures(tt, src, groups, window=w), args.runs, name="hart")
    t0, c0 = time.perf_counter(), time.process_time()
    brute_force(tt, [src], [groups.stops(k) for k in range(len(groups))], w)
    base, base_cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
    header()
    row(f"whole-day circle, one origin to {len(groups):,} stations", ms, base, "target <= 100 ms", CPU["hart"])
    row("brute force: one earliest-arrival query per minute", base, cpu=base_cpu)
    print(f"  CPU ratio brute / circle: {base_cpu / CPU['hart']:.1f}x")


def hart_dask(args) -> None:
    from hbeu_transit.analysis.distributed import DaskMap
    from hbeu_transit.timetable import load_timetable

    tt = load_timetable([HART], HART_DATE)
    w = parse_window(WINDOW)
    groups = station_groups(tt)
    if args.hart_origins:
        pick = np.linspace(0, len(groups) - 1, min(args.hart_origins, len(groups))).round().astype(int)
        origins = groups.subset(sorted(set(pick.tolist())))
    else:
        origins = groups
    print(f"hart all-origins coverage: {len(origins):,} origins x {len(groups):,} stations, {WINDOW} every minute")
    t0, c0 = time.perf_counter(), time.process_time()
    serial = coverage(tt, origins, groups, window=w)
    s_ms = (time.perf_counter() - t0) * 1000
    header()
    row(f"in process (serial), {len(serial):,} pairs", s_ms, cpu=(time.process_time() - c0) * 1000)
    times = {}
    for n in (1, 2):
        t0 = time.perf_counter()
        with DaskMap(workers=n) as run:
            start = time.perf_counter() - t0
            t1 = time.perf_counter()
            got = coverage(tt, origins, groups, window=w, run=run)
            times[n] = (time.perf_counter() - t1) * 1000
        same = all(np.array_equal(np.asarray(got.columns[c], dtype=float), np.asarray(serial.columns[c], dtype=float),
                                  equal_nan=True) for c in ("fastest_min", "median_min", "share_within"))
        row(f"Dask LocalCluster, {n} worker process(es) (+{start:.1f} s start-up)", times[n],
            target="same answers" if same else "ANSWERS DIFFER")
    print(f"  speed-up 2 workers vs 1: {times[1] / times[2]:.2f}x (machine: {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.1f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--quick", action="store_true", help="3 runs, 300 hart origins for Dask")
    ap.add_argument("--only", choices=("regional", "hart-circle", "hart-dask"))
    ap.add_argument("--hart-origin", default="6968", help="stop_id of the hart circle's origin")
    ap.add_argument("--hart-origins", type=int, default=None,
                    help="origins of the hart Dask coverage, spread over the stations (0: all; default all, "
                         "300 with --quick)")
    args = ap.parse_args()
    if args.quick:
        args.runs = 3
        if args.hart_origins is None:
            args.hart_origins = 300
    if args.hart_origins is None:
        args.hart_origins = 0
    print(f"bench_circle: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    if args.only in (None, "regional"):
        regional(args)
    if not HART.exists():
        print(f"{HART} absent: hart parts skipped")
        return
    if args.only in (None, "hart-circle"):
        hart_circle(args)
    if args.only in (None, "hart-dask"):
        hart_dask(args)


if __name__ == "__main__":
    main()
