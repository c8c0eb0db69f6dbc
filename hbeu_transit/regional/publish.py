"""Spec folder -> feed zips on disk, and the check that committed zips equal a fresh build."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from .build import build_all
from .spec import load_spec
from .writer import write_feed


def build_feeds(spec_dir: str | Path, out_dir: str | Path) -> list[Path]:
    """Read and check the spec, then write every feed zip into ``out_dir``; returns the paths."""
    spec = load_spec(spec_dir)
    out = Path(out_dir)
    paths = []
    for name, tables in build_all(spec).items():
        path = out / name
        write_feed(tables, path)
        paths.append(path)
    return paths


def _member_diff(a: Path, b: Path) -> str:
    """Which entries differ between two zips (to tell content changes from compression ones)."""
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        na, nb = za.namelist(), zb.namelist()
        if na != nb:
            return f"entries differ: {na} vs {nb}"
        changed = [n for n in na if za.read(n) != zb.read(n)]
    if not changed:
        return "same content, different zip bytes (a different zlib?)"
    return "content differs in " + ", ".join(changed)


def check_feeds(spec_dir: str | Path, out_dir: str | Path) -> list[str]:
    """Rebuild into a temporary folder; one message per committed zip that differs (empty = equal)."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="hbeu-feed-check-") as tmp:
        for fresh in build_feeds(spec_dir, tmp):
            committed = Path(out_dir) / fresh.name
            if not committed.is_file():
                problems.append(f"{committed}: missing (run scripts/build_feed.py)")
            elif committed.read_bytes() != fresh.read_bytes():
                problems.append(f"{committed}: differs from a fresh build of the spec "
                                f"({_member_diff(committed, fresh)}); run scripts/build_feed.py")
    return problems
