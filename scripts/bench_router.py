#!/usr/bin/env python
"""Benchmark the router against baselines measured in the same run.

Baselines: a plain-Python connection scan (the floor any Python router must beat) and, on small
feeds, the networkx time-expanded oracle (hbeu_transit.oracle). Feeds: the bundled regional feed
(data/gtfs/*.zip, when present) and hart (../shared/feeds/hart/hart.zip, when present), each on
one busy weekday. Measured: compile and cache-load time, one-to-one and one-to-all earliest
arrival, Pareto, arrive-by, a 2-hour profile (to one stop and to all stops), peak memory (max
RSS of a fresh process doing the hart queries), and the whole `hbeu plan` process on a warm
cache. Prints medians (ms) and the ratios baseline / router.

    .venv/bin/python scripts/bench_router.py            # everything present
    .venv/bin/python scripts/bench_router.py --quick    # fewer repetitions
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import os
import random
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

from hbeu_transit import router  # noqa: E402
from hbeu_transit.router import backend  # noqa: E402

HART = ROOT.parent / "shared" / "feeds" / "hart" / "hart.zip"
HART_DATE = "2018-10-19"      # a Friday, the feed's busiest date
INF = router.UNREACHABLE


# --------------------------------------------------------------------------- baselines

def plain_arrays(tt) -> dict:
    """The timetable as Python lists, for the plain scan."""
    return {k: getattr(tt, k).tolist() for k in ("c_from", "c_to", "c_dep", "c_arr", "c_trip", "c_board",
                                                 "c_alight", "stop_change", "fp_start", "fp_to", "fp_dur")}


def plain_scan(p: dict, n: int, nt: int, src: int, depart: int, target: int | None = None) -> list[int]:
    """The textbook connection scan in plain Python: the floor (no trip blocks, no journeys)."""
    dep, arr, frm, to, trip = p["c_dep"], p["c_arr"], p["c_from"], p["c_to"], p["c_trip"]
    board, alight, change, fs, ft, fd = p["c_board"], p["c_alight"], p["stop_change"], p["fp_start"], p["fp_to"], p["fp_dur"]
    best, ready, on = [INF] * n, [INF] * n, [False] * nt
    best[src] = ready[src] = depart
    for i in range(bisect.bisect_left(dep, depart), len(dep)):
        d = dep[i]
        if target is not None and d > best[target]:
            break
        t = trip[i]
        if not on[t]:
            if not board[i] or ready[frm[i]] > d:
                continue
            on[t] = True
        v, a = to[i], arr[i]
        if alight[i] and a < best[v]:
            best[v] = a
            if change[v] >= 0 and a + change[v] < ready[v]:
                ready[v] = a + change[v]
            for f in range(fs[v], fs[v + 1]):
                w = a + fd[f]
                best[ft[f]] = min(best[ft[f]], w)
                ready[ft[f]] = min(ready[ft[f]], w)
    return best


# --------------------------------------------------------------------------- helpers

def median_ms(fn, args_list, repeat: int = 1) -> float:
    """Median time of fn(*args) over the argument list (each run ``repeat`` times).

    CPU time of this process (the machine may be shared: wall time would measure the
    neighbours); single-threaded code, so it equals wall time on an idle machine."""
    times = []
    for args in args_list:
        for _ in range(repeat):
            t0 = time.process_time()
            fn(*args)
            times.append(time.process_time() - t0)
    return statistics.median(times) * 1e3


def served_stops(tt) -> list[int]:
    return sorted(set(tt.c_from.tolist()) & set(tt.c_to.tolist()))


def busiest_weekday(paths: list[Path]) -> str:
    """The next weekday with the most trips running (for the regional feed)."""
    from hbeu_transit.feed import active_services, load_feeds

    feed = load_feeds(paths)
    trips = feed.get("trips")
    start = dt.date.today()
    best, best_n = start, -1
    for k in range(60):
        d = start + dt.timedelta(days=k)
        if d.weekday() >= 5:
            continue
        n = int(trips["service_id"].isin(active_services(feed.get("calendar"), feed.get("calendar_dates"), d)).sum())
        if n > best_n:
            best, best_n = d, n
    return best.isoformat()


class Table:
    def __init__(self):
        self.rows: list[tuple] = []

    def add(self, feed: str, what: str, ours: float | None, plain: float | None = None,
            oracle: float | None = None, note: str = "") -> None:
        self.rows.append((feed, what, ours, plain, oracle, note))
        print(f"  {what:<38} {fmt(ours):>10} {fmt(plain):>10} {fmt(oracle):>10}  {note}", flush=True)

    def show(self) -> None:
        print("\n| feed | measure | router ms | plain scan ms | plain/router | oracle ms | oracle/router | note |")
        print("|---|---|---:|---:|---:|---:|---:|---|")
        for feed, what, ours, plain, oracle, note in self.rows:
            r1 = f"{plain / ours:.1f}x" if plain and ours else ""
            r2 = f"{oracle / ours:.0f}x" if oracle and ours else ""
            print(f"| {feed} | {what} | {fmt(ours)} | {fmt(plain)} | {r1} | {fmt(oracle)} | {r2} | {note} |")


def fmt(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:.3f}" if x < 1 else (f"{x:.2f}" if x < 100 else f"{x:.0f}")


# --------------------------------------------------------------------------- per feed

def load(paths: list[Path], date: str, cache: Path, table: Table, name: str):
    """Compile (cold, in-process) and read back from the cache; returns the Timetable."""
    try:
        from hbeu_transit.timetable import load_timetable, read_timetable
    except ImportError:
        print("  hbeu_transit.timetable not available: skipping", name)
        return None
    t0 = time.perf_counter()
    tt = load_timetable(paths, date, cache_dir=cache)
    compile_s = time.perf_counter() - t0
    files = sorted(cache.glob("timetable-*.npz"), key=lambda p: p.stat().st_mtime)
    table.add(name, f"compile timetable ({tt.n_connections} connections)", compile_s * 1e3)
    if files:
        table.add(name, "cache load (read .npz)", median_ms(read_timetable, [(files[-1],)] * 5))
    return tt


def bench_queries(tt, name: str, table: Table, reps: int, oracle: bool, rng: random.Random) -> None:
    n, nt = tt.n_stops, tt.n_trips
    stops = served_stops(tt)
    pairs = [(rng.choice(stops), rng.choice(stops)) for _ in range(reps)]
    t8 = 8 * 3600
    which = backend.choose(tt.n_connections)
    p = plain_arrays(tt)
    router.earliest_arrival(tt, [stops[0]], t8)            # build the views, load the kernel

    # correctness spot check: the floor and the router agree where the floor is exact
    if tt.trip_transfer_block.size == 0:
        for s, _ in pairs[:5]:
            want = np.array(plain_scan(p, n, nt, s, t8))
            got = router.earliest_arrival(tt, [s], t8).arrival
            if not np.array_equal(want, got):
                print(f"  WARNING: router and plain scan differ from stop {s}")

    one_all = median_ms(lambda s: router.earliest_arrival(tt, [s], t8), [(s,) for s, _ in pairs])
    plain_all = median_ms(lambda s: plain_scan(p, n, nt, s, t8), [(s,) for s, _ in pairs[: max(5, reps // 4)]])
    one_one = median_ms(lambda s, t: router.earliest_arrival(tt, [s], t8, targets=[t]).journey([t]), pairs)
    plain_one = median_ms(lambda s, t: plain_scan(p, n, nt, s, t8, t), pairs[: max(5, reps // 4)])
    o_all = o_one = None
    if oracle:
        try:
            from hbeu_transit.oracle import Oracle
        except ImportError:
            Oracle = None
        if Oracle is not None:
            t0 = time.perf_counter()
            o = Oracle(tt)
            table.add(name, "oracle: build time-expanded graph", None, None, (time.perf_counter() - t0) * 1e3)
            few = pairs[:5]
            o_all = median_ms(lambda s: o.earliest_arrival([s], t8), [(s,) for s, _ in few])
            o_one = median_ms(lambda s, t: o.earliest([s], t8, [t]), few)
    table.add(name, f"one-to-all earliest arrival [{which}]", one_all, plain_all, o_all)
    table.add(name, f"one-to-one earliest arrival + journey [{which}]", one_one, plain_one, o_one)
    table.add(name, "Pareto (max 5 transfers)",
              median_ms(lambda s, t: router.pareto(tt, [s], [t], t8, 5), pairs))
    table.add(name, "arrive-by 10:00",
              median_ms(lambda s, t: router.arrive_by(tt, [s], [t], 10 * 3600), pairs))
    few = pairs[: max(5, reps // 2)]
    table.add(name, "2-hour profile 08-10, one-to-one (max 5 transfers)",
              median_ms(lambda s, t: router.profile(tt, [s], [t], t8, t8 + 7200), few))
    table.add(name, "2-hour profile 08-10, one-to-all",
              median_ms(lambda s: router.profile_all(tt, [s], t8, t8 + 7200), [(s,) for s, _ in few]))
    table.add(name, "whole-day profile one-to-all, 1 h horizon",
              median_ms(lambda s: router.profile_all(tt, [s], 0, 86400, horizon=3600), [(s,) for s, _ in few]))
    if which == "python" and importlib_util_has("numba"):
        backend.set_backend("numba")
        try:
            router.earliest_arrival(tt, [stops[0]], t8)
            table.add(name, "one-to-one earliest arrival [numba, forced]",
                      median_ms(lambda s, t: router.earliest_arrival(tt, [s], t8, targets=[t]).journey([t]), pairs),
                      plain_one)
            table.add(name, "one-to-all earliest arrival [numba, forced]",
                      median_ms(lambda s: router.earliest_arrival(tt, [s], t8), [(s,) for s, _ in pairs]), plain_all)
            table.add(name, "2-hour profile one-to-one [numba, forced]",
                      median_ms(lambda s, t: router.profile(tt, [s], [t], t8, t8 + 7200), few))
        finally:
            backend.set_backend(None)


def importlib_util_has(mod: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(mod) is not None


def fresh_process(code: str, env: dict | None = None) -> tuple[float, str]:
    """Run ``code`` in a fresh interpreter; (wall seconds, stdout)."""
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, **(env or {})}, check=True).stdout
    return time.perf_counter() - t0, out


def bench_process(paths: list[Path], date: str, cache: Path, name: str, table: Table, tt) -> None:
    """Peak memory and the numba kernel load time, each in a fresh process."""
    code = f"""
import time, json

def peak_mib():  # VmHWM: peak RSS of this process image (ru_maxrss would include the parent's)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")

from hbeu_transit.timetable import load_timetable
tt = load_timetable({[str(p) for p in paths]!r}, {date!r}, cache_dir={str(cache)!r})
rss0 = peak_mib()
t0 = time.perf_counter()
from hbeu_transit import router
stops = sorted(set(tt.c_from.tolist()))
router.earliest_arrival(tt, [stops[0]], 8 * 3600)
t1 = time.perf_counter()
for s in stops[::max(1, len(stops) // 20)]:
    router.earliest_arrival(tt, [s], 8 * 3600)
    router.profile(tt, [s], [stops[-1]], 8 * 3600, 10 * 3600)
    router.profile_all(tt, [s], 0, 86400, horizon=3600)
print(json.dumps({{"first_query_s": t1 - t0, "rss_before_mb": rss0, "rss_peak_mb": peak_mib()}}))
"""
    _, out = fresh_process(code)
    r = json.loads(out.strip().splitlines()[-1])
    table.add(name, "first query in a fresh process (kernel load)", r["first_query_s"] * 1e3,
              note=f"{backend.choose(tt.n_connections)} backend")
    table.add(name, "peak RSS MiB (timetable + queries)", r["rss_peak_mb"],
              note=f"{r['rss_before_mb']:.0f} MiB after loading the timetable")


def bench_plan(paths: list[Path] | None, date: str, cache: Path, name: str, table: Table, tt, reps: int) -> None:
    """The whole `hbeu plan` process on a warm cache (skipped when the command does not exist)."""
    try:
        from hbeu_transit.cli import plan as _plan  # noqa: F401
    except ImportError:
        print("  no `hbeu plan` command: skipping")
        return
    if tt is None:
        return
    # two stations joined by a trip with a change-free ride of some length
    c = int(np.argmax(tt.c_arr - tt.c_dep))
    a = tt.stop_ids[int(tt.stop_station[tt.c_from[c]])]
    b = tt.stop_ids[int(tt.stop_station[tt.c_to[c]])]
    exe = str(Path(sys.executable).with_name("hbeu"))
    cmd = [exe, "plan", a, b, "--date", date, "--depart", "07:00", "--cache-dir", str(cache)]
    if paths:
        for p in paths:
            cmd += ["--feed", str(p)]
    run = lambda: subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)  # noqa: E731
    first = run()
    if first.returncode != 0:
        print(f"  hbeu plan failed ({first.stderr.strip()[:200]}): skipping")
        return
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    table.add(name, f"`hbeu plan` process, warm cache ({a} -> {b})", statistics.median(times) * 1e3)


# --------------------------------------------------------------------------- main

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    ap.add_argument("--no-hart", action="store_true")
    ap.add_argument("--no-regional", action="store_true")
    args = ap.parse_args()
    reps = 10 if args.quick else 40
    rng = random.Random(7)
    table = Table()
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, cpus {os.cpu_count()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"  {'measure':<38} {'router':>10} {'plain':>10} {'oracle':>10}  (ms, medians; CPU time "
          "in-process, wall time for processes)")
    with tempfile.TemporaryDirectory(prefix="hbeu-bench-") as tmp:
        regional = sorted((ROOT / "data" / "gtfs").glob("*.zip"))
        if regional and not args.no_regional:
            cache = Path(tmp) / "regional"
            date = busiest_weekday(regional)
            print(f"regional feed {', '.join(p.name for p in regional)} on {date}")
            tt = load(regional, date, cache, table, "regional")
            if tt is not None:
                bench_queries(tt, "regional", table, reps, oracle=True, rng=rng)
                bench_plan(None, date, cache, "regional", table, tt, 5 if args.quick else 10)
        else:
            print("regional feed (data/gtfs/*.zip) absent: skipping")
        if HART.exists() and not args.no_hart:
            cache = Path(tmp) / "hart"
            print(f"hart on {HART_DATE}")
            tt = load([HART], HART_DATE, cache, table, "hart")
            if tt is not None:
                bench_queries(tt, "hart", table, reps, oracle=False, rng=rng)
                bench_process([HART], HART_DATE, cache, "hart", table, tt)
                bench_plan([HART], HART_DATE, cache, "hart", table, tt, 3 if args.quick else 5)
        else:
            print(f"{HART} absent: skipping")
    table.show()
    print(f"\nmax RSS of this benchmark process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
