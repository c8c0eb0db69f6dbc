"""Shared test fixtures: paths to the bundled test feeds and the optional shared feeds, and
``run_hbeu`` (the CLI in a subprocess, as a user runs it)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = ROOT / "tests" / "data"
SHARED_FEEDS = ROOT.parent / "shared" / "feeds"


@pytest.fixture
def sample_zip() -> Path:
    return TEST_DATA / "sample.zip"


@pytest.fixture
def caltrain_zip() -> Path:
    return TEST_DATA / "caltrain.zip"


def shared_feed(name: str) -> Path:
    """A feed from ../shared/feeds, or skip the test where that folder is absent (users' machines)."""
    p = SHARED_FEEDS / name / f"{name}.zip"
    if not p.exists():
        pytest.skip(f"{p} not present (only in CI and development checkouts)")
    return p


def run_hbeu(*args: str, cache: str | Path | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m hbeu_transit ARGS`` from the repository root, capturing text output.

    ``cache`` sets HBEU_CACHE_DIR (else the environment's cache is used)."""
    env = {**os.environ, "HBEU_CACHE_DIR": str(cache)} if cache is not None else None
    return subprocess.run([sys.executable, "-m", "hbeu_transit", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, env=env)


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
