"""The entry point: the commands registered on ``base.app``, and user errors as one line.

Each command lives in its own module and registers itself on ``base.app``; heavy imports (pandas,
gtfs-kit) happen inside the commands, so a warm-cache ``hbeu plan`` never loads them.
"""

from __future__ import annotations

import signal
import sys
import warnings

from ..errors import FeedWarning, HbeuError
from .base import app
from .coerce import install as _light_coercion

_light_coercion()  # plain option values without importing pydantic (see coerce.py)

__all__ = ["FLAGS", "app", "main"]

#: The library's parameter names as this CLI spells them, for error messages.
FLAGS = {"depart": "--depart", "arrive_by": "--arrive-by", "window": "--window", "num": "--num",
         "max_transfers": "--max-transfers", "modes": "--modes", "start": "--from", "end": "--to",
         "leave_after": "--leave-after", "date": "--date", "days": "--days", "by": "--by",
         "stations": "--stations", "origins": "--origin", "destinations": "--destination",
         "within": "--within", "road_within": "--road-within", "step": "--step", "road_times": "--road-times",
         "workers": "--workers", "scheduler": "--scheduler",
         "combine": "--combine", "clock": "--clock", "holidays": "--holidays", "day_types": "--day-type",
         "origin": "FROM", "destination": "TO", "home": "HOME", "work": "WORK", "format": "--format"}


# Importing the command modules registers their commands on `app`.
from . import circle, coverage, freq, graph, info, plan, scenario, validate  # noqa: E402,F401


class Interrupted(BaseException):
    """Ctrl-C, raised by our SIGINT handler: click turns a KeyboardInterrupt into a silent exit,
    and a BaseException still unwinds every atomic write (their temporary files are removed)."""


def _on_sigint(signum, frame) -> None:
    raise Interrupted


def _show_feed_warning(message, category, filename, lineno, file=None, line=None, _default=warnings.showwarning):
    """Feed warnings as one ``warning: ...`` line on stderr; any other warning as Python shows it."""
    if isinstance(category, type) and issubclass(category, FeedWarning):
        print(f"warning: {message}", file=sys.stderr)
    else:
        _default(message, category, filename, lineno, file, line)


def main() -> None:
    """Run the CLI; a user error becomes one line on stderr and exit code 2, never a traceback;
    Ctrl-C ends with one line and exit code 130 (outputs are written atomically, so nothing
    half-written is left)."""
    warnings.showwarning = _show_feed_warning
    warnings.simplefilter("always", FeedWarning)
    signal.signal(signal.SIGINT, _on_sigint)
    try:
        app()  # standalone mode: click prints usage errors itself and exits 2
    except HbeuError as e:
        print(f"error: {e.render(FLAGS)}", file=sys.stderr)
        sys.exit(2)
    except (Interrupted, KeyboardInterrupt):
        print("interrupted; nothing written", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
