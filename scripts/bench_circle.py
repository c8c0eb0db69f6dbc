#!/usr/bin/env python
"""Benchmark the one-hour circle and the coverage matrix against a per-minute brute force.

Every measure comes from one profile (range) query and one earliest-arrival query per origin;
the baseline, measured in the same run, answers the same question with one earliest-arrival
query per minute of the window through the public router (what a planner's script of
``hbeu plan`` calls would do, minus the process start-ups). Both give the same numbers (the
test suite checks it); this script times them and prints medians, CPU medians and ratios
(baseline / measure). On a shared machine read the CPU times and the same-run ratios: wall
times include waiting for a core (the load average is printed).

    .venv/bin/python scripts/bench_circle.py                  # the default run, ~2-3 min
    .venv/bin/python scripts/bench_circle.py --quick          # fewer repetitions and origins
    .venv/bin/python scripts/bench_circle.py --only hart-dask --hart-origins 0   # every hart origin (long)

Parts (targets from issue 9):
  regional    coverage matrix, every minute 05:00-24:00, in process (<= 50 ms) and as a whole
              ``hbeu coverage`` process on a warm cache (<= 0.5 s; the default table output
              and --json; yardsticks ``python -c pass`` and ``import numpy``);
  hart-circle a whole-day circle for one hart origin (<= 100 ms);
  hart-dask   coverage from a fixed sample of hart origins (``--hart-origins``, evenly spaced;
              0 = all) to every station, in process and on a Dask LocalCluster of 1 and 2
              worker processes: the speed-up, and the answers compared with the serial ones;
  hart-export the whole ``hbeu coverage --feed hart.zip --by station --format parquet -o FILE``
              process (5.5 million pairs: the file and the terminal table) against the routing
              alone (``Network.coverage_result`` in process) measured in the same run: the
              ratio (<= 3x; row by row it was 5.2x) is what the outputs add; one run each, ~40 s on a warm cache.
The hart brute force is timed on every ``--brute-every``-th minute and scaled to the window
(one query per minute costs the same whichever minutes are timed; 1 = all of them).
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
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


def timed(fn, runs: int, warmup: int = 1) -> tuple[float, float]:
    """(median wall ms, median CPU ms of this process) of ``runs`` calls after ``warmup``."""
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def once(fn) -> tuple[float, float, object]:
    """(wall ms, CPU ms, result) of one call."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000, out


def child_cpu() -> float:
    """CPU seconds used so far by finished child processes."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def process_env(cache: str) -> dict[str, str]:
    """The environment of a timed ``hbeu`` process on the warm cache ``cache``, this tree's
    bytecode compiled first (as a pip install leaves it; this environment may set
    PYTHONDONTWRITEBYTECODE, which would recompile every module each run: dropped)."""
    compileall.compile_dir(str(ROOT / "hbeu_transit"), quiet=1)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["HBEU_CACHE_DIR"] = cache
    return env


def process_times(cmd: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """(median wall ms, median CPU ms) of a whole process, after one untimed warm-up run."""
    subprocess.run(cmd, env=env, capture_output=True, check=True)
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), child_cpu()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        wall.append(time.perf_counter() - t0)
        cpu.append(child_cpu() - c0)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def brute_force(tt, origins: list[np.ndarray], dests: list[np.ndarray], window, every: int = 1) -> np.ndarray:
    """Per (origin, destination, timed minute): travel seconds from one earliest-arrival query
    per minute (the baseline: the table the measures are read from); only every ``every``-th
    minute is queried."""
    mins = window.minutes[::every]
    out = np.full((len(origins), len(dests), len(mins)), np.inf)
    for i, src in enumerate(origins):
        for k, t in enumerate(mins.tolist()):
            arr = earliest_arrival(tt, src, t).arrival
            for j, d in enumerate(dests):
                a = int(arr[d].min())
                if a < UNREACHABLE:
                    out[i, j, k] = a - t
    return out


def timed_brute(tt, origins, dests, window, every: int) -> tuple[float, float]:
    """(wall ms, CPU ms) of the brute force over the whole window, scaled from every ``every``-th minute."""
    wall, cpu, _ = once(lambda: brute_force(tt, origins, dests, window, every))
    scale = window.size / len(window.minutes[::every])
    return wall * scale, cpu * scale


def row(name: str, wall: float, cpu: float | None = None, base_cpu: float | None = None, target: str = "") -> None:
    ratio = f"{base_cpu / cpu:8.1f}x" if base_cpu and cpu else " " * 9
    c = f"{cpu:10.1f} ms" if cpu is not None else " " * 13
    print(f"  {name:<56} {wall:10.1f} ms {c} {ratio}  {target}", flush=True)


def header() -> None:
    print(f"  {'':<56} {'wall median':>13} {'CPU median':>13} {'brute/CPU':>9}")


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


# --------------------------------------------------------------------------- parts

def regional(args) -> None:
    from hbeu_transit.feed import default_feed_paths
    from hbeu_transit.timetable import load_timetable

    paths = default_feed_paths()
    w = parse_window(WINDOW)
    rail = load_timetable(paths, REGION_DATE, modes=["rail"])
    bus = load_timetable(paths, REGION_DATE, modes=["bus"])
    print(f"regional feed {REGION_DATE}, {WINDOW} every minute ({w.size} minutes): rail "
          f"{rail.n_connections:,} connections, bus {bus.n_connections:,}; {load()}", flush=True)
    groups = {}
    for name, tt in (("rail", rail), ("bus", bus)):
        g = area_groups(tt)
        groups[name] = g.subset([g.index(c) for c in CITIES if c in g.labels])

    def both():
        coverage(rail, groups["rail"], groups["rail"], window=w)
        coverage(bus, groups["bus"], groups["bus"], within=120, window=w)

    wall, cpu = timed(both, args.runs)
    bwall, bcpu, _ = once(lambda: [brute_force(tt, [g.stops(k) for k in range(len(g))],
                                               [g.stops(k) for k in range(len(g))], w)
                                   for tt, g in ((rail, groups["rail"]), (bus, groups["bus"]))])
    header()
    row("4x4 cities, rail + coach coverage, in process", wall, cpu, bcpu, "target <= 50 ms")
    row("brute force: one earliest-arrival query per minute", bwall, bcpu)
    env = process_env(args.cache)
    cmd = [sys.executable, "-m", "hbeu_transit", "coverage", "--date", REGION_DATE, "--window", WINDOW]
    for label, extra, target in (("`hbeu coverage` (tables), whole process, warm", [], "target <= 500 ms"),
                                 ("`hbeu coverage --json`, whole process, warm", ["--json"], "target <= 500 ms"),
                                 ("yardstick: `python -c pass`", None, ""),
                                 ("yardstick: `python -c 'import numpy'`", "numpy", "")):
        if extra is None:
            c = [sys.executable, "-c", "pass"]
        elif extra == "numpy":
            c = [sys.executable, "-c", "import numpy"]
        else:
            c = cmd + extra
        pw, pc = process_times(c, env, args.runs)
        row(label, pw, pc, bcpu if target else None, target)


def hart_circle(args) -> None:
    from hbeu_transit.timetable import load_timetable

    tt = load_timetable([HART], HART_DATE)
    w = parse_window(WINDOW)
    groups = station_groups(tt)
    o = groups.labels.index(args.hart_origin) if args.hart_origin in groups.labels else 0
    src = groups.stops(o)
    print(f"hart {HART_DATE}: {tt.n_connections:,} connections, {len(groups):,} stations; origin "
          f"{groups.labels[o]} ({groups.display(o)}), {WINDOW} every minute; {load()}", flush=True)
    wall, cpu = timed(lambda: circle_measures(tt, src, groups, window=w), args.runs)
    bwall, bcpu = timed_brute(tt, [src], [groups.stops(k) for k in range(len(groups))], w, args.brute_every)
    header()
    row(f"whole-day circle, one origin to {len(groups):,} stations", wall, cpu, bcpu, "target <= 100 ms")
    every = "" if args.brute_every == 1 else f" (every {args.brute_every}th minute, scaled)"
    row(f"brute force: one query per minute{every}", bwall, bcpu)


def hart_dask(args) -> None:
    import logging

    import dask.distributed  # noqa: F401  (configures its loggers on import: quiet them after)

    from hbeu_transit.analysis.distributed import DaskMap

    logging.getLogger("distributed").setLevel(logging.ERROR)     # no nanny chatter at shutdown
    from hbeu_transit.timetable import load_timetable

    tt = load_timetable([HART], HART_DATE)
    w = parse_window(WINDOW)
    groups = station_groups(tt)
    if args.hart_origins:
        pick = np.linspace(0, len(groups) - 1, min(args.hart_origins, len(groups))).round().astype(int)
        origins = groups.subset(sorted(set(pick.tolist())))
    else:
        origins = groups
    print(f"hart coverage: {len(origins):,} origins (of {len(groups):,}, evenly spaced) x {len(groups):,} "
          f"stations, {WINDOW} every minute; {load()}", flush=True)
    coverage(tt, origins.subset([0]), groups, window=w)                 # kernels loaded, caches built
    s_wall, s_cpu, serial = once(lambda: coverage(tt, origins, groups, window=w))
    header()
    row(f"in process (serial), {len(serial):,} pairs", s_wall, s_cpu)
    walls, busiest = {}, {}
    for n in (1, 2):
        t0 = time.perf_counter()
        with DaskMap(workers=n, batch=1) as run:
            # warm-up: a few origins, one a task, so every worker has the timetable (scattered
            # once for both calls) and has built what the router builds from it on first use
            coverage(tt, origins.subset(list(range(min(len(origins), 2 * n)))), groups, window=w, run=run)
            run.batch = args.batch
            start = time.perf_counter() - t0
            walls[n], mine, got = once(lambda: coverage(tt, origins, groups, window=w, run=run))
            worker_cpu = sum(run.task_cpu) * 1000
            per_worker = {}
            for pid, c in zip(run.task_pid, run.task_cpu):
                per_worker[pid] = per_worker.get(pid, 0.0) + c * 1000
            busiest[n] = max(per_worker.values())
            tasks = len(run.task_cpu)
        same = all(np.array_equal(np.asarray(got.columns[c], dtype=float), np.asarray(serial.columns[c], dtype=float),
                                  equal_nan=True) for c in ("fastest_min", "median_min", "p10_min", "p90_min",
                                                            "share_within", "direct_departures"))
        row(f"Dask LocalCluster, {n} worker process(es), {tasks} tasks", walls[n], worker_cpu,
            target=("same answers" if same else "ANSWERS DIFFER") + f"; start-up + warm-up {start:.1f} s")
        print(f"    (CPU: the tasks' on the workers, busiest worker {busiest[n]:.0f} ms; this process {mine:.0f} ms)")
    print(f"  speed-up 2 workers vs 1: {walls[1] / walls[2]:.2f}x wall; serial / 2 workers "
          f"{s_wall / walls[2]:.2f}x ({os.cpu_count()} cores, {load()})")
    print(f"  CPU-bound speed-up (1 worker's task CPU / the busiest of 2 workers' task CPU; what two "
          f"free cores would give): {busiest[1] / busiest[2]:.2f}x")


def hart_export(args) -> None:
    """The whole `hbeu coverage --feed hart.zip --by station --format parquet -o FILE` process (every
    station pair: the terminal table and the parquet file) beside the routing alone
    (``Network.coverage_result``, in this process), both on the warm cache: their ratio is what
    the outputs cost around the routing (row by row: 87 s for 17 s of routing)."""
    import tempfile

    import hbeu_transit as hb

    net = hb.Network([HART], cache_dir=args.cache)
    kw = {"by": "station", "provenance": False}
    net.coverage_result(args.hart_origin, **kw)          # the timetable cached, the kernels compiled
    print(f"hart export: every station pair, the command's default date and window; {load()}", flush=True)
    r_wall, r_cpu, res = once(lambda: net.coverage_result(**kw))
    pairs = len(res.coverage)
    del res, net
    env = process_env(args.cache)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "hbeu_transit", "coverage", "--feed", str(HART), "--by", "station",
               "--format", "parquet", "-o", str(Path(tmp) / "hart.parquet")]
        t0, c0 = time.perf_counter(), child_cpu()
        subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, check=True)   # this tree's package
        p_wall, p_cpu = (time.perf_counter() - t0) * 1000, (child_cpu() - c0) * 1000
    print(f"  {'':<56} {'wall':>13} {'CPU':>13} {'process/routing':>15}")
    print(f"  {f'routing alone (coverage_result, in process), {pairs:,} pairs':<56} {r_wall:10.1f} ms "
          f"{r_cpu:10.1f} ms")
    print(f"  {'`hbeu coverage ... --format parquet -o`, whole process':<56} {p_wall:10.1f} ms {p_cpu:10.1f} ms "
          f"{p_wall / r_wall:8.2f}x wall {p_cpu / r_cpu:5.2f}x CPU  target <= 3x (row by row: 5.2x)")
    print("    (the process adds its start-up, the cached timetable's load, pandas' string columns of the "
          "frame (~4 s) and the file)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="3 runs, 16 hart origins, brute force every 8th minute")
    ap.add_argument("--only", choices=("regional", "hart-circle", "hart-dask", "hart-export"))
    ap.add_argument("--hart-origin", default="6968", help="stop_id of the hart circle's origin")
    ap.add_argument("--hart-origins", type=int, default=None,
                    help="hart origins of the Dask part, evenly spaced over the stations (0: all; default 40)")
    ap.add_argument("--brute-every", type=int, default=None,
                    help="time the hart brute force on every n-th minute, scaled (default 4; 1: all)")
    ap.add_argument("--batch", type=int, default=None, help="origins per Dask task (default: automatic)")
    ap.add_argument("--cache", default=os.environ.get("HBEU_CACHE_DIR") or str(ROOT / ".cache" / "bench"),
                    help="the cache folder of the whole-process runs (warmed by the first run)")
    args = ap.parse_args()
    if args.quick:
        args.runs = 3
        args.hart_origins = 16 if args.hart_origins is None else args.hart_origins
        args.brute_every = 8 if args.brute_every is None else args.brute_every
    args.hart_origins = 40 if args.hart_origins is None else args.hart_origins
    args.brute_every = max(1, 4 if args.brute_every is None else args.brute_every)
    t0 = time.perf_counter()
    print(f"bench_circle: {os.cpu_count()} cores, {load()}", flush=True)
    if args.only in (None, "regional"):
        regional(args)
    if not HART.exists():
        print(f"{HART} absent: hart parts skipped")
    else:
        if args.only in (None, "hart-circle"):
            hart_circle(args)
        if args.only in (None, "hart-dask"):
            hart_dask(args)
        if args.only in (None, "hart-export"):
            hart_export(args)
    print(f"done in {time.perf_counter() - t0:.0f} s; {load()}")


if __name__ == "__main__":
    main()
