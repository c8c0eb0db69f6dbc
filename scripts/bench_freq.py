"""Benchmark `hbeu freq` tables against gtfs-kit's statistics on the same feed and dates, same run.

    .venv/bin/python scripts/bench_freq.py                     # hart, its busiest date, 5 runs
    .venv/bin/python scripts/bench_freq.py --days 7 --runs 3   # a week

The feed is loaded once (not timed); each timed call starts from the loaded feed's tables, as
`hbeu freq` does. gtfs-kit gets the same merged tables through ``Feed.to_gtfs_kit()`` (cast to
gtfs-kit's column types, which its statistics need). Its route statistics and network time
series start with ``compute_trip_stats``; that step is timed once per run and added, so "gtfs-kit"
is what a user calling ``compute_route_stats(feed, dates)`` waits for, and the aggregation alone
(trip stats given) is shown too. Comparators: route -> compute_route_stats, stop ->
compute_stop_stats, hour -> compute_network_time_series(freq="h", split_route_types=True) (the
same table: departures... per hour per mode), od -> none in gtfs-kit (compute_stop_stats shown
as a reference only).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hbeu_transit.analysis import frequency as fr  # noqa: E402
from hbeu_transit.feed import load_feeds  # noqa: E402


def median_time(fn, runs: int, warmup: bool = True) -> tuple[float, object]:
    if warmup:
        fn()
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--feed", default=str(ROOT.parent / "shared" / "feeds" / "hart" / "hart.zip"))
    ap.add_argument("--date", default="2018-10-19", help="first date (hart's busiest: 2018-10-19)")
    ap.add_argument("--days", type=int, default=1, help="number of dates from --date")
    ap.add_argument("--runs", type=int, default=5, help="timed runs of each hbeu table")
    ap.add_argument("--kit-runs", type=int, default=3, help="timed runs of each gtfs-kit call")
    ap.add_argument("--by", default="route,stop,hour,od")
    args = ap.parse_args()

    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    feed = load_feeds([args.feed])
    kit = feed.to_gtfs_kit()
    print(f"feed {Path(args.feed).name}: {len(feed.get('stop_times')):,} stop_times, "
          f"{len(feed.get('trips')):,} trips (loaded in {time.perf_counter() - t0:.1f} s, not timed)")
    first = dt.date.fromisoformat(args.date)
    dates = [first + dt.timedelta(days=i) for i in range(args.days)]
    ymd = [d.strftime("%Y%m%d") for d in dates]
    print(f"dates {dates[0]} .. {dates[-1]} ({len(dates)}), window 07:00-19:00, service clock for "
          f"like-for-like (gtfs-kit counts by service day); medians of {args.runs} (hbeu) / "
          f"{args.kit_runs} (gtfs-kit) runs after one warm-up\n")

    k = args.kit_runs
    ts_t, trip_stats = median_time(lambda: kit.compute_trip_stats(), k, warmup=False)
    kit_times = {
        "route": median_time(lambda: kit.compute_route_stats(ymd, trip_stats=trip_stats), k, warmup=False)[0],
        "stop": median_time(lambda: kit.compute_stop_stats(ymd), k, warmup=False)[0],
        "hour": median_time(lambda: kit.compute_network_time_series(ymd, trip_stats=trip_stats, freq="h",
                                                                    split_route_types=True), k, warmup=False)[0],
    }
    needs_trip_stats = {"route": True, "stop": False, "hour": True}
    print(f"gtfs-kit compute_trip_stats: {ts_t:.3f} s (part of route stats and network time series)\n")
    header = f"{'--by':6} {'hbeu median':>12} {'rows':>7}   {'gtfs-kit comparator':46} {'gtfs-kit':>9} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    for by in [b.strip() for b in args.by.split(",") if b.strip()]:
        func = fr.BY[by]
        ours, df = median_time(lambda: func(feed, dates, clock="service"), args.runs)
        if by in kit_times:
            total = kit_times[by] + (ts_t if needs_trip_stats[by] else 0.0)
            name = {"route": "compute_route_stats (incl. trip stats)", "stop": "compute_stop_stats",
                    "hour": "compute_network_time_series (incl. trip stats)"}[by]
            print(f"{by:6} {ours:11.3f}s {len(df):7d}   {name:46} {total:8.3f}s {ours / total:7.3f}")
            if needs_trip_stats[by]:
                print(f"{'':6} {'':12} {'':7}   {'  aggregation only (trip stats given)':46} "
                      f"{kit_times[by]:8.3f}s {ours / kit_times[by]:7.3f}")
        else:
            ref = kit_times["stop"]
            print(f"{by:6} {ours:11.3f}s {len(df):7d}   {'(none in gtfs-kit; ref. compute_stop_stats)':46} "
                  f"{ref:8.3f}s {ours / ref:7.3f}")
    print("\nratio = hbeu / gtfs-kit (below 1: hbeu is faster)")


if __name__ == "__main__":
    main()
