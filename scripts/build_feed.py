#!/usr/bin/env python3
"""Build the modelled regional GTFS feeds from data/spec into data/gtfs (or check them).

    python scripts/build_feed.py            # writes data/gtfs/hbeu-rail.zip and hbeu-bus.zip
    python scripts/build_feed.py --check    # exit 1 when the committed zips differ from the spec
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # build with this checkout's code, even when another copy is installed

from hbeu_transit.errors import HbeuError  # noqa: E402
from hbeu_transit.regional import build_feeds, check_feeds  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", default=str(ROOT / "data" / "spec"), help="spec folder (default: data/spec)")
    ap.add_argument("--out", default=str(ROOT / "data" / "gtfs"), help="output folder (default: data/gtfs)")
    ap.add_argument("--check", action="store_true",
                    help="rebuild into a temporary folder and exit 1 if the files in --out differ")
    args = ap.parse_args(argv)
    try:
        if args.check:
            problems = check_feeds(args.spec, args.out)
            for p in problems:
                print(f"error: {p}", file=sys.stderr)
            if not problems:
                print(f"ok: {args.out} matches a fresh build of {args.spec}")
            return 1 if problems else 0
        for path in build_feeds(args.spec, args.out):
            print(f"wrote {path}")
        return 0
    except HbeuError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
