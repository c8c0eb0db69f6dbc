"""Shared test fixtures: paths to the bundled test feeds and the optional shared feeds, and
``run_hbeu`` (the CLI in a subprocess, as a user runs it)."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import Phase, settings

ROOT = Path(__file__).resolve().parents[1]

# `pytest --hypothesis-profile=mutants` (scripts/mutants.py): report the first failing example
# without shrinking it, since only "does some test fail" matters there.
settings.register_profile("mutants", phases=[Phase.explicit, Phase.reuse, Phase.generate], database=None)
TEST_DATA = ROOT / "tests" / "data"
SHARED_FEEDS = ROOT.parent / "shared" / "feeds"


@pytest.fixture
def sample_zip() -> Path:
    return TEST_DATA / "sample.zip"


@pytest.fixture
def caltrain_zip() -> Path:
    return TEST_DATA / "caltrain.zip"


def missing(what: str) -> None:
    """A test's input or extra is absent: skip on a user's machine, but FAIL in CI (env ``CI``
    set), where everything must be present and a silent skip would hide a broken setup."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} (CI is set: this must not be skipped)", pytrace=False)
    pytest.skip(what)


def shared_feed(name: str) -> Path:
    """A feed from ../shared/feeds; skipped where that folder is absent (users' machines), fails in CI."""
    p = SHARED_FEEDS / name / f"{name}.zip"
    if not p.exists():
        missing(f"{p} not present (only in CI and development checkouts)")
    return p


def run_hbeu(*args: str, cache: str | Path | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m hbeu_transit ARGS`` from the repository root, capturing text output.

    ``cache`` sets HBEU_CACHE_DIR (else the environment's cache is used)."""
    env = {**os.environ, "HBEU_CACHE_DIR": str(cache)} if cache is not None else None
    return subprocess.run([sys.executable, "-m", "hbeu_transit", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, env=env)


def map_layers(page: str) -> list[list[dict]]:
    """The GeoJSON features of each layer a ``--map`` page embeds (folium writes each layer's data
    as one ``geo_json_..._add({...});`` line), in drawing order."""
    return [json.loads(m.group(1))["features"]
            for m in re.finditer(r'^\s*geo_json_\w+_add\((\{.*\})\);$', page, re.M)]


def pin_now(monkeypatch, local: str) -> None:
    """Make "now" the local time ``local`` ("YYYY-MM-DDTHH:MM") in whatever timezone is asked:
    the library's one clock, ``analysis.times.now_in``, monkeypatched (in-process runs only)."""
    import datetime as dt

    from hbeu_transit.analysis import times

    monkeypatch.setattr(times, "now_in", lambda tz: dt.datetime.fromisoformat(local).replace(tzinfo=times.zone(tz)))


def run_main(argv: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    """Run ``hbeu ARGV`` in-process through ``cli.app.main`` (user errors exit 2 there);
    return (exit code, stdout, stderr)."""
    from hbeu_transit.cli.app import main

    monkeypatch.setattr(sys, "argv", ["hbeu", *map(str, argv)])
    code = 0
    try:
        main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err


HEAVY_MODULES = ("pandas", "gtfs_kit", "geopandas", "networkx", "shapely", "numpy.ma")


def run_cli_in_probe(args: list[str], env: dict[str, str] | None = None,
                     modules: tuple[str, ...] = HEAVY_MODULES) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run the CLI with ``args`` in a fresh interpreter; return its result and which of
    ``modules`` (default: the heavy pandas, gtfs-kit...) it imported, for the warm-cache
    fast-path tests."""
    probe = ("import sys\n"
             "from hbeu_transit.cli.app import main\n"
             f"sys.argv = ['hbeu', *{args!r}]\n"
             "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
             f"heavy = [m for m in {modules!r} if m in sys.modules]\n"
             "print('HEAVY', heavy, file=sys.stderr)\n")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                       env={**os.environ, **(env or {})})
    heavy = [line for line in r.stderr.splitlines() if line.startswith("HEAVY ")]
    return r, (ast.literal_eval(heavy[-1][6:]) if heavy else list(modules))


_BATCH = r'''
import io, json, sys, time, traceback
from hbeu_transit.cli.app import main
out = []
for argv in json.loads(sys.stdin.read()):
    so, se = (io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True) for _ in range(2))
    sys.stdout, sys.stderr = so, se
    sys.argv = ["hbeu", *argv]
    code = 0
    t0 = time.perf_counter()
    try:
        main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:
        se.write(traceback.format_exc())
        code = "crash"
    finally:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    text = [f.buffer.getvalue().decode("utf-8", "replace") for f in (so, se)]
    out.append({"argv": argv, "code": code, "stdout": text[0], "stderr": text[1],
                "seconds": time.perf_counter() - t0})
print(json.dumps(out))
'''


def run_cli_batch(commands: list[list[str]], cache: str | Path | None = None, timeout: int = 600) -> list[dict]:
    """Run many CLI invocations in one fresh interpreter (as `hbeu ARGS` would, through
    ``cli.app.main``), returning per command its exit ``code`` ("crash" for an exception that
    escaped main), ``stdout`` and ``stderr``. One process for a corpus instead of one per
    command keeps the malformed-feed tests affordable."""
    env = {**os.environ, "COLUMNS": "160", **({"HBEU_CACHE_DIR": str(cache)} if cache is not None else {})}
    r = subprocess.run([sys.executable, "-c", _BATCH], input=json.dumps(commands),
                       capture_output=True, text=True, cwd=ROOT, timeout=timeout, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.splitlines()[-1])
