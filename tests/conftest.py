"""Shared test fixtures: paths to the bundled test feeds and the optional shared feeds."""

from __future__ import annotations

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
