"""Hand-planted mutation testing of the feed reader, compiler, router, plan, circle and frequencies (outside CI).

Each mutant is one small, realistic bug (a comparison flipped, a rule dropped, a limit off by
one day) written as an exact code snippet and its replacement. The script copies the
repository once to a scratch folder, plants one mutant at a time there (restoring the file
after), and runs the test suite on the copy with ``-x``: the mutant is *killed* when some test
fails, *survives* when all pass. Tests that exercise the compiler run first so that a killed
mutant costs little; the random-feed tests run at a reduced HBEU_DIFF_SCALE (0.1: 50 random
feeds compared with the GTFS-text reference, 15 + 15 routed, ...) with a fixed hypothesis seed,
so a run is repeatable. By default only the test files that read feeds or compile timetables
run (FIRST), or the ones a mutant names (``tests``: the router's run the router tests);
--all-tests adds the rest.

    python scripts/mutants.py                 # every mutant, prints a table and the kill rate
    python scripts/mutants.py pickup-2-3-forbidden platform-min   # just these
    python scripts/mutants.py --list

The mutants are data, in ``mutants.toml`` beside this script. A snippet that no longer occurs
exactly once (the code moved or changed), or whose replacement no longer compiles there, is
reported as "stale" and counts neither way: update the mutant there.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = Path(os.environ.get("HBEU_MUTANT_DIR", "/tmp/hbeu-mutants"))
#: Where mutants may be planted: the feed reader, the timetable compiler, the router, the plan and its
#: searches across service dates, times, the circle, coverage, the frequency tables, scenarios, place
#: names and fares, the coverage comparison, safe outputs, the station graph, cache keys, the planners'
#: facade (road times, places), the Network facade and the journey JSON, the frequency tables' calendar,
#: the feed summary, the exports, the parameters' checks and limits (values), the circle map, the table
#: outputs (-o/--format), path options, the Ctrl-C line (cli/app.py), the scenario commands' help examples
#: (cli/scenario.py) and --lang on the circle's and coverage's outputs (cli/present.py).
TARGETS = ("hbeu_transit/feed", "hbeu_transit/timetable", "hbeu_transit/timetable.py", "hbeu_transit/router",
           "hbeu_transit/analysis/circle.py", "hbeu_transit/analysis/frequency.py",
           "hbeu_transit/analysis/plan.py", "hbeu_transit/analysis/across.py", "hbeu_transit/analysis/times.py",
           "hbeu_transit/analysis/coverage.py",
           "hbeu_transit/scenario", "hbeu_transit/places", "hbeu_transit/analysis/compare.py",
           "hbeu_transit/outputs.py", "hbeu_transit/station_graph.py", "hbeu_transit/cache.py",
           "hbeu_transit/planners.py", "hbeu_transit/network.py", "hbeu_transit/analysis/render.py",
           "hbeu_transit/analysis/freqdata.py", "hbeu_transit/analysis/summary.py", "hbeu_transit/export.py",
           "hbeu_transit/values.py", "hbeu_transit/numeric.py", "hbeu_transit/maps.py", "hbeu_transit/cli/table_output.py",
           "hbeu_transit/cli/coerce.py", "hbeu_transit/cli/app.py", "hbeu_transit/analysis/results",
           "hbeu_transit/cli/scenario.py", "hbeu_transit/cli/present.py")
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
    #: test files (stems) to run instead of FIRST, e.g. a router mutant's (tests/router/...)
    tests: tuple[str, ...] = ()
    #: run in a numba cache of its own, made fresh and removed after (a mutant that changes how
    #: compiled kernels are cached could leave wrong code in the shared one for the mutants after it)
    own_numba_cache: bool = False


#: The mutants: data, one [[mutant]] table each (name, old, new, why) in mutants.toml beside this script.
MUTANTS = [Mutant(**{**m, "tests": tuple(m.get("tests", ()))}) for m in
           tomllib.loads(Path(__file__).with_name("mutants.toml").read_text(encoding="utf-8"))["mutant"]]


def locate(m: Mutant, root: Path) -> Path | None:
    """The one target file holding ``m.old`` exactly once, which still compiles with ``m.new`` in
    its place (None: stale; a mutant that is a syntax error, one re-aimed at a line indented
    otherwise, would be killed by any import, whatever the tests check)."""
    hits = []
    for t in TARGETS:
        p = root / t
        files = [p] if p.is_file() else sorted(p.rglob("*.py")) if p.is_dir() else []
        for f in files:
            n = f.read_text().count(m.old)
            hits += [f] * n
    if len(hits) != 1:
        return None
    try:
        compile(hits[0].read_text().replace(m.old, m.new), str(hits[0]), "exec")
    except SyntaxError:
        return None
    return hits[0]


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


def test_order(repo: Path, everything: bool, first_keys: tuple[str, ...] = FIRST) -> list[str]:
    """The test files of ``first_keys`` (the feed/compiler ones, FIRST, by default; in that
    order), then with ``everything`` the rest."""
    files = sorted(str(p.relative_to(repo)) for p in (repo / "tests").rglob("test_*.py"))
    first = [f for key in first_keys + (SLOW if everything else ()) for f in files if Path(f).stem == key]
    return first + ([f for f in files if f not in first] if everything else [])


def run_suite(repo: Path, timeout: int, everything: bool = False, first: tuple[str, ...] = FIRST,
              own_numba_cache: bool = False) -> tuple[bool, str, float]:
    """(killed, first failing test or '', seconds)."""
    cache = SCRATCH / ("cache-own" if own_numba_cache else "cache")
    if own_numba_cache:
        shutil.rmtree(cache, ignore_errors=True)
        try:
            return _run_suite(repo, timeout, everything, first, cache, own=True)
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    for p in cache.glob("*") if cache.exists() else []:
        if p.name != "numba":
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    return _run_suite(repo, timeout, everything, first, cache)


def _run_suite(repo: Path, timeout: int, everything: bool, first: tuple[str, ...], cache: Path,
               own: bool = False) -> tuple[bool, str, float]:
    env = {**os.environ, "PYTHONPATH": str(repo), "HBEU_CACHE_DIR": str(cache), "MPLBACKEND": "Agg",
           "HBEU_DIFF_SCALE": os.environ.get("HBEU_DIFF_SCALE", "0.1")}
    env.pop("CI", None)
    if own:   # the kernels' cache is then HBEU_CACHE_DIR's numba folder
        env.pop("NUMBA_CACHE_DIR", None)
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--hypothesis-seed=1", "--hypothesis-profile=mutants",
           "-p", "no:warnings", *test_order(repo, everything, first)]
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
            print(f"{m.name:32} stale (snippet not found exactly once, or the mutated file does not compile)",
                  flush=True)
            continue
        original = f.read_text()
        f.write_text(original.replace(m.old, m.new))
        try:
            killed, first, secs = run_suite(repo, args.timeout, args.all_tests, m.tests or FIRST, m.own_numba_cache)
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
