"""The typer application and its entry point.

Each command lives in its own module and registers itself on ``app``; heavy imports (pandas,
gtfs-kit) happen inside the commands, so a warm-cache ``hbeu plan`` never loads them.
"""

from __future__ import annotations

import sys

import typer

from ..errors import HbeuError

app = typer.Typer(
    name="hbeu",
    help="Journey planning and one-hour-circle analysis for Hohhot-Baotou-Ordos-Ulanqab, "
         "on the bundled regional feed or any GTFS feed.\n\nExample: hbeu info",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

@app.callback()
def _root() -> None:
    """hbeu: plan journeys and measure the one-hour city circle on GTFS feeds."""


# Command modules register themselves on `app` when imported.
from . import info  # noqa: E402,F401

for _optional in ("plan", "freq", "graph", "scenario", "validate"):
    try:
        __import__(f"{__package__}.{_optional}")
    except ModuleNotFoundError as _e:  # a command module not written yet
        if _e.name != f"{__package__}.{_optional}":
            raise


def main() -> None:
    """Run the CLI; a user error becomes one line on stderr and exit code 2, never a traceback."""
    try:
        app()  # standalone mode: click prints usage errors itself and exits 2
    except HbeuError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
