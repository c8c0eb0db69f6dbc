#!/usr/bin/env python
"""A PNG of an `hbeu circle --map` page, taken by headless Chromium with the network cut off
(every host name fails to resolve), so the picture shows what an offline reader sees.

    .venv/bin/python scripts/map_screenshot.py circle.html -o circle-map.png
    .venv/bin/python scripts/map_screenshot.py --origin 呼和浩特 -o circle-map.png   # draws the map first

Needs Chromium (`apt-get install chromium`, or Google Chrome).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("error: no Chromium found (apt-get install chromium)")


def screenshot(page: Path, out: Path, width: int, height: int) -> None:
    with tempfile.TemporaryDirectory() as profile:
        r = subprocess.run([browser(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                            "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}",
                            "--virtual-time-budget=5000", f"--window-size={width},{height}",
                            f"--screenshot={out.resolve()}", page.resolve().as_uri()],
                           capture_output=True, text=True, timeout=120)
    if r.returncode != 0 or not out.exists():
        sys.exit(f"error: Chromium failed ({r.returncode}): {r.stderr[-500:]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("page", nargs="?", type=Path, help="the map HTML (or use --origin)")
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--origin", help="draw the circle map of this origin on the bundled feed first")
    ap.add_argument("--date", default="2026-12-09")
    ap.add_argument("--width", type=int, default=1200)
    ap.add_argument("--height", type=int, default=900)
    args = ap.parse_args()
    if args.page is None and args.origin is None:
        ap.error("give a map page or --origin")
    with tempfile.TemporaryDirectory() as tmp:
        page = args.page
        if page is None:
            from hbeu_transit.network import Network

            page = Path(tmp) / "circle.html"
            Network().circle_result(args.origin, date=args.date).write_map(page)
        screenshot(page, args.output, args.width, args.height)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
