"""Options and helpers shared by the commands: feed loading, JSON output, the console."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import FeedError, InputError

class LazyConsole:
    """A rich Console made on first use: building one loads rich.console (~30 ms), which a
    command printing JSON never needs. Emoji codes are off: names never contain them, and the
    emoji table costs another 15 ms. Call it to get the Console itself (e.g. for a Progress)."""

    def __init__(self, stderr: bool = False):
        self._stderr, self._console = stderr, None

    def __call__(self):
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr, emoji=False)
        return self._console

    def __getattr__(self, name: str):
        return getattr(self(), name)


console = LazyConsole()
err_console = LazyConsole(stderr=True)

FeedOption = Annotated[
    list[Path] | None,
    typer.Option("--feed", "-f", help="GTFS zip or folder (repeatable). Default: the bundled regional feeds."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")]
AreasOption = Annotated[
    Path | None,
    typer.Option("--areas", help="CSV with columns stop_id,area naming each stop's city/area."),
]


def areas_file(path: Path | None) -> Path | None:
    """The --areas CSV, which must be a readable file (its content is hashed into the cache
    keys before anything parses it); None stays None. Pandas-free: the columns and rows are
    checked by feed.areas.read_area_csv when a cache is built."""
    if path is None:
        return None
    p = Path(path)
    if not p.is_file():
        raise FeedError(str(p), "cannot read areas file (no such file)")
    try:
        with open(p, "rb"):
            pass
    except OSError as e:
        raise FeedError(str(p), f"cannot read areas file ({e.strerror or e})") from None
    return p


def feed_paths(feeds: list[Path] | None) -> list[Path]:
    """The user's --feed paths, or the bundled regional feeds."""
    from ..feed import default_feed_paths

    return list(feeds) if feeds else default_feed_paths()


def load(feeds: list[Path] | None):
    """Load and merge the feeds named on the command line (or the bundled ones)."""
    from ..feed import load_feeds

    paths = feed_paths(feeds)
    with err_console.status(f"reading {len(paths)} feed(s)…"):
        feed = load_feeds(paths)
    announce(feed)
    return feed


def announce(feed) -> None:
    """Say on stderr, once per read of the feeds, what the loader repaired (one line per field)
    and, in one line, whether the feeds have errors that may make answers wrong."""
    from ..feed.validate import planner_errors

    for w in feed.warnings:
        print(f"warning: {w}", file=sys.stderr)
    errors = planner_errors(feed)
    if errors:
        first = errors[0]
        print(f"warning: the feeds have {len(errors)} error(s), e.g. {first.code}: {first.message}; "
              "run `hbeu validate` for the list", file=sys.stderr)


def parse_date(text: str | None) -> dt.date | None:
    """YYYY-MM-DD (or YYYYMMDD) -> date; None stays None."""
    if text is None:
        return None
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise InputError(f"impossible date {text!r}: expected YYYY-MM-DD, e.g. 2026-12-01")


def print_json(obj: Any) -> None:
    """Write JSON to stdout (UTF-8, Chinese names unescaped)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")
