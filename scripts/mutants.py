"""Hand-planted mutation testing of the feed reader and the timetable compiler (outside CI).

Each mutant is one small, realistic bug (a comparison flipped, a rule dropped, a limit off by
one day) written as an exact code snippet and its replacement. The script copies the
repository once to a scratch folder, plants one mutant at a time there (restoring the file
after), and runs the test suite on the copy with ``-x``: the mutant is *killed* when some test
fails, *survives* when all pass. Tests that exercise the compiler run first so that a killed
mutant costs little; the random-feed tests run at a reduced HBEU_DIFF_SCALE (0.1: 50 random
feeds compared with the GTFS-text reference, 15 + 15 routed, ...) with a fixed hypothesis seed,
so a run is repeatable. By default only the test files that read feeds or compile timetables
run (FIRST); --all-tests adds the rest.

    python scripts/mutants.py                 # every mutant, prints a table and the kill rate
    python scripts/mutants.py pickup-2-3-forbidden platform-min   # just these
    python scripts/mutants.py --list

A snippet that no longer occurs exactly once (the code moved or changed) is reported as
"stale" and counts neither way: update the mutant.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = Path(os.environ.get("HBEU_MUTANT_DIR", "/tmp/hbeu-mutants"))
#: Where mutants may be planted: the feed reader and the timetable compiler (module or package).
TARGETS = ("hbeu_transit/feed", "hbeu_transit/timetable", "hbeu_transit/timetable.py")
#: Test files run first (those that read feeds and compile timetables), then the rest.
FIRST = ("test_reference", "test_timetable", "test_feed_loader", "test_hostile_feeds", "test_frequency")
#: Added by --all-tests before the rest of the suite (slow: real feeds, router differential).
SLOW = ("test_real_feeds", "test_differential")


@dataclass(frozen=True)
class Mutant:
    name: str
    old: str
    new: str
    why: str


MUTANTS = [
    # --- the named survivors and the multi-day case
    Mutant("pickup-2-3-forbidden", "return parse_numbers(s[col]) != 1", "return ~np.isin(parse_numbers(s[col]), [1, 2, 3])",
           "pickup/drop-off 2 and 3 (phone, ask the driver) treated as forbidden"),
    Mutant("platform-min", "fd.append(np.maximum(dflt[a], dflt[b]))", "fd.append(np.minimum(dflt[a], dflt[b]))",
           "platform footpath takes the smaller of two modes' change times"),
    Mutant("parent-one-level", "    for _ in range(3):\n        up = parent[station]",
           "    for _ in range(0):\n        up = parent[station]", "parent chains resolved one level only"),
    Mutant("one-day-back", "    return max(int(latest // 86400), 0)", "    return min(max(int(latest // 86400), 0), 1)",
           "multi-day trips: only one previous service day compiled"),
    # --- service calendar
    Mutant("calendar-end-exclusive", '(cal["end_date"].astype(str) >= ymd)', '(cal["end_date"].astype(str) > ymd)',
           "calendar end_date treated as exclusive"),
    Mutant("calendar-weekday-shift", "day = _WEEKDAYS[date.weekday()]", "day = _WEEKDAYS[(date.weekday() + 1) % 7]",
           "weekday column off by one"),
    Mutant("exception-removal-ignored", 'active.difference_update(cd.loc[et == 2, "service_id"].astype(str))',
           "pass", "calendar_dates removals ignored"),
    Mutant("exception-addition-ignored", 'active.update(cd.loc[et == 1, "service_id"].astype(str))',
           "pass", "calendar_dates additions ignored"),
    # --- stop_times
    Mutant("sequence-file-order", "order = np.lexsort((seq, trip))", "order = np.lexsort((np.arange(len(seq)), trip))",
           "stop_times taken in file order instead of stop_sequence order"),
    Mutant("sequence-as-text", 'seq = parse_numbers(s["stop_sequence"])',
           'seq = pd.Series(s["stop_sequence"]).astype(str).rank(method="first").to_numpy()',
           "stop_sequence compared as text (10 before 9)"),
    Mutant("interp-ignores-dist", "frac = np.where(by_dist, fd, frac)", "frac = frac",
           "blank times interpolated by position even where shape_dist_traveled is given"),
    Mutant("interp-from-arrival", "t = np.rint(d[p] + frac * (a[q] - d[p]))", "t = np.rint(a[p] + frac * (a[q] - a[p]))",
           "interpolation starts from the previous stop's arrival, not its departure"),
    Mutant("one-sided-time-dropped", "a = np.where(np.isnan(arr), dep, arr)", "a = arr.copy()",
           "a row with only departure_time is treated as untimed"),
    Mutant("no-monotone-times", "inter = np.maximum.accumulate(inter + base) - base", "inter = inter",
           "times going backwards within a trip are kept (hops arriving before they leave)"),
    Mutant("alight-flag-from-start", '"alight": rows["alight"][r + 1][order].astype(bool)',
           '"alight": rows["alight"][r][order].astype(bool)', "drop-off flag read at the hop's start stop"),
    Mutant("midnight-hop-dropped", "keep = dep >= 0", "keep = dep > 0",
           "a hop of an earlier day leaving exactly at 00:00 is dropped"),
    # --- frequencies
    Mutant("freq-end-inclusive", "k[ok] = np.ceil((end[ok] - start[ok]) / hw[ok]).astype(np.int64)",
           "k[ok] = (np.floor((end[ok] - start[ok]) / hw[ok]) + 1).astype(np.int64)",
           "frequency runs include end_time"),
    Mutant("freq-dupes-kept", "keep = ~dup\n", "keep = np.ones(len(dup), dtype=bool)\n",
           "a run listed by two overlapping frequencies.txt rows runs twice"),
    Mutant("freq-offset-from-arrival", "first_dep[has] = rows[\"dep\"][rows[\"start\"][has]]",
           "first_dep[has] = rows[\"arr\"][rows[\"start\"][has]]",
           "frequency runs aligned on the template's first arrival, not its first departure"),
    Mutant("freq-days-back-ignored", "            latest = max(latest, float(np.nanmax(reach)))", "            pass",
           "frequency runs after midnight of a later day not counted in days_back"),
    # --- change times and transfers
    Mutant("rail-default-5min", '"rail": 600', '"rail": 300', "rail change time 5 min instead of 10"),
    Mutant("stop-default-min-mode", "np.maximum.at(dflt, conn[\"from\"], conn_default)",
           "np.minimum.at(dflt, conn[\"from\"], conn_default)", "a stop takes a departing mode's smaller default"),
    Mutant("unserved-stop-fallback", "np.where(st_max[station] >= 0, st_max[station], fallback)",
           "np.where(st_max >= 0, st_max[station], fallback)", "unserved platform ignores its station's default"),
    Mutant("type1-not-zero", "    if ttype == 1:\n        return 0.0", "    if ttype == 1:\n        return None",
           "transfer_type 1 (timed) keeps the default change time"),
    Mutant("type3-stop-allowed", "                if t == 3:\n                    change[a] = -1",
           "                if t == 3:\n                    pass", "transfer_type 3 at a stop does not forbid changing"),
    Mutant("station-rule-beats-stop-rule", 'r = r.sort_values("level", kind="stable")',
           'r = r.sort_values("level", kind="stable", ascending=False)',
           "a rule naming a station beats one naming the two stops"),
    Mutant("walk-ignores-mtt", "dur = np.where(t == 3, -1, np.where(np.isnan(m), walk, m) + buffer)",
           "dur = np.where(t == 3, -1, walk + buffer)", "min_transfer_time between stops ignored (walk time used)"),
    Mutant("walk-meters-no-change-time",
           "fd.append((np.ceil(dist / WALK_SPEED_MPS) + np.maximum(dflt[a], dflt[b])).astype(np.int64))",
           "fd.append(np.ceil(dist / WALK_SPEED_MPS).astype(np.int64))",
           "--walk-meters footpaths without the change time"),
    Mutant("walk-speed", "WALK_SPEED_MPS = 1.2", "WALK_SPEED_MPS = 1.4", "walking speed 1.4 m/s"),
    Mutant("transfer-minutes-ignored", "        return np.full(len(families), int(round(transfer_minutes * 60)), dtype=np.int64)",
           "        pass", "--transfer-minutes ignored for served stops"),
    # --- trip/route transfer rules (transfers.txt rows naming trips or routes)
    Mutant("route-side-nobody", "return by_route.get(route, []), stops_of, 2 + (kind == 2), kind",
           "return [], stops_of, 2 + (kind == 2), kind", "rows naming routes ignored"),
    Mutant("blank-side-nobody", "return everyone, stops_of, int(kind == 2), kind", "return [], stops_of, int(kind == 2), kind",
           "a row with a blank trip/route side covers nobody (should be every trip)"),
    Mutant("station-side-one-stop", "stops_of, kind = set(np.flatnonzero(station == i).tolist()), 1",
           "stops_of, kind = {i}, 1", "a trip rule naming a station applies at the station id only, not its stops"),
    Mutant("trip-rule-type1-no-buffer", "            sec = buffer                         # timed",
           "            sec = 0                              # timed", "a timed (type 1) trip rule ignores the rider's buffer"),
    Mutant("trip-rule-untimed-zero", "            continue                             # no time: the ordinary rules apply",
           "            sec = buffer", "a type 0/2 trip row without min_transfer_time taken as a timed transfer"),
    Mutant("to-stop-blank-any", "y in ((x,) if ys is None else ys) if y in there", "y in (there if ys is None else ys) if y in there",
           "a blank to_stop_id means any stop the to-trip is boarded at (not the same stop)"),
    Mutant("least-specific-wins", "if old is None or order < old[1]:", "if old is None or order > old[1]:",
           "of several rows covering one change, the least specific wins"),
    Mutant("ban-outranked", "if k[2] >= 0 and ban is not None and ban[1] < order:", "if False:",
           "a less specific timed rule at given stops overrides a row forbidding the pair everywhere"),
    # --- in-seat transfers (types 4/5, block_id)
    Mutant("type4-ignored", "for i in np.flatnonzero(ttype == 4).tolist():", "for i in np.flatnonzero(ttype == 99).tolist():",
           "type 4 (in-seat transfer allowed) rows ignored"),
    Mutant("type5-ignored", "if (base_ids[trip_base[a]], base_ids[trip_base[b]]) not in said and continues(a, b):",
           "if continues(a, b):", "type 5 (and any trip-pair row) does not stop a block continuation"),
    Mutant("seat-across-days", "if not (plain[a] and plain[b]) or trip_day[a] != trip_day[b] or a == b:",
           "if not (plain[a] and plain[b]) or a == b:", "in seat between runs of different service days"),
    Mutant("seat-before-arrival", "            and conn[\"dep\"][fb] >= conn[\"arr\"][la]", "            and True",
           "in seat into a trip leaving before the vehicle arrives"),
    Mutant("seat-elsewhere", "station[conn[\"to\"][la]] == station[conn[\"from\"][fb]]", "True",
           "in seat into a trip starting at another station"),
    Mutant("block-file-order", "ks.sort(key=lambda k: (int(conn[\"dep\"][first_c[k]]), k))", "ks.sort()",
           "block trips taken in file order, not by first departure"),
    # --- loader and limits
    Mutant("limit-per-file-off", "if size > lim.file_bytes:", "if size > 4 * lim.file_bytes:",
           "per-file size limit four times too generous"),
    Mutant("ratio-off", "size > RATIO_FLOOR and size > lim.ratio * max(packed, 1)",
           "size > RATIO_FLOOR and size > 10 * lim.ratio * max(packed, 1)", "compression-ratio limit 10x too generous"),
    Mutant("stream-limit-off", "            if got > lim.file_bytes:", "            if got > 1 << 62:",
           "bytes actually read not counted against the per-file limit"),
    Mutant("unsafe-names-allowed", 'return p.is_absolute() or ".." in p.parts', "return False",
           "zip entries with '..' or absolute paths accepted"),
]


def locate(m: Mutant, root: Path) -> Path | None:
    """The one target file holding ``m.old`` exactly once (None: stale)."""
    hits = []
    for t in TARGETS:
        p = root / t
        files = [p] if p.is_file() else sorted(p.rglob("*.py")) if p.is_dir() else []
        for f in files:
            n = f.read_text().count(m.old)
            hits += [f] * n
    return hits[0] if len(hits) == 1 else None


def prepare() -> Path:
    """A fresh copy of the repository in the scratch folder (same path every run, so numba's
    cache of the untouched router stays valid)."""
    repo = SCRATCH / "repo"
    if repo.exists():
        shutil.rmtree(repo)
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".git", ".venv", ".hypothesis", "__pycache__",
                                                               "*.egg-info", ".pytest_cache"))
    shared = SCRATCH / "shared"
    if not shared.exists():
        shared.symlink_to((ROOT.parent / "shared").resolve())
    return repo


def test_order(repo: Path, everything: bool) -> list[str]:
    """The feed/compiler test files (FIRST, in that order), then with ``everything`` the rest."""
    files = sorted(str(p.relative_to(repo)) for p in (repo / "tests").rglob("test_*.py"))
    first = [f for key in FIRST + (SLOW if everything else ()) for f in files if Path(f).stem == key]
    return first + ([f for f in files if f not in first] if everything else [])


def run_suite(repo: Path, timeout: int, everything: bool = False) -> tuple[bool, str, float]:
    """(killed, first failing test or '', seconds)."""
    cache = SCRATCH / "cache"
    for p in cache.glob("*") if cache.exists() else []:
        if p.name != "numba":
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    env = {**os.environ, "PYTHONPATH": str(repo), "HBEU_CACHE_DIR": str(cache), "MPLBACKEND": "Agg",
           "HBEU_DIFF_SCALE": os.environ.get("HBEU_DIFF_SCALE", "0.1")}
    env.pop("CI", None)
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--hypothesis-seed=1", "--hypothesis-profile=mutants",
           "-p", "no:warnings", *test_order(repo, everything)]
    t0 = time.time()
    try:
        r = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, "(timeout)", time.time() - t0
    failed = [line.split(" ", 1)[1].split(" - ")[0] for line in r.stdout.splitlines() if line.startswith("FAILED ")]
    failed += [line.split(" ", 1)[1] for line in r.stdout.splitlines() if line.startswith("ERROR ")]
    return r.returncode != 0, (failed[0] if failed else ("" if r.returncode == 0 else f"exit {r.returncode}")), \
        time.time() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="mutants to run (default: all)")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per mutant run")
    ap.add_argument("--baseline", action="store_true", help="first check the unmutated suite passes")
    ap.add_argument("--all-tests", action="store_true", help="run every test file, not only the feed/compiler ones")
    args = ap.parse_args()
    chosen = [m for m in MUTANTS if not args.names or m.name in args.names]
    if args.list:
        for m in chosen:
            print(f"{m.name:32} {m.why}")
        return 0
    repo = prepare()
    if args.baseline:
        killed, first, secs = run_suite(repo, args.timeout, args.all_tests)
        print(f"baseline: {'FAILS ' + first if killed else 'passes'} ({secs:.0f} s)", flush=True)
        if killed:
            return 1
    results = []
    for m in chosen:
        f = locate(m, repo)
        if f is None:
            results.append((m, "stale", "", 0.0))
            print(f"{m.name:32} stale (snippet not found exactly once)", flush=True)
            continue
        original = f.read_text()
        f.write_text(original.replace(m.old, m.new))
        try:
            killed, first, secs = run_suite(repo, args.timeout, args.all_tests)
        finally:
            f.write_text(original)
        status = "killed" if killed else "SURVIVED"
        results.append((m, status, first, secs))
        print(f"{m.name:32} {status:8} {secs:6.0f} s  {first}", flush=True)
    done = [r for r in results if r[1] != "stale"]
    k = sum(r[1] == "killed" for r in done)
    print(f"\nkill rate: {k}/{len(done)} = {100 * k / max(len(done), 1):.0f} %"
          + (f" ({len(results) - len(done)} stale)" if len(done) < len(results) else ""))
    for m, status, _, _ in results:
        if status == "SURVIVED":
            print(f"  survivor {m.name}: {m.why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
