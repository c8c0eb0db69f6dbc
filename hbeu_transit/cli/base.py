"""The typer application the command modules register on (imported by them and by ``app``,
which imports them: no cycle)."""

from __future__ import annotations

import os
from typing import Optional

import typer

__all__ = ["app"]

app = typer.Typer(
    name="hbeu",
    help="Journey planning and one-hour-circle analysis for Hohhot-Baotou-Ordos-Ulanqab, "
         "on the bundled regional feed or any GTFS feed.\n\nExample: hbeu info",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def version() -> str:
    """The installed distribution's version (the package's own when not installed)."""
    from importlib import metadata

    try:
        return metadata.version("hbeu-transit")
    except metadata.PackageNotFoundError:
        from .. import __version__

        return __version__


def _print_version(value: bool) -> None:
    if value:
        print(f"hbeu {version()}")
        raise typer.Exit()


@app.callback()
def _root(max_feed_mb: Optional[float] = typer.Option(  # noqa: UP007 (typer reads the annotation)
        None, "--max-feed-mb", min=0.001, metavar="MB",
        help="Read feeds that inflate past the safety limits (512 MB per file, 1,024 MB per feed): "
             "the new limit for both, e.g. hbeu --max-feed-mb 4000 info big.zip"),
          show_version: bool = typer.Option(False, "--version", is_eager=True, callback=_print_version,
                                            help="Print the version and exit.")) -> None:
    """hbeu: plan journeys and measure the one-hour city circle on GTFS feeds."""
    if max_feed_mb is not None:
        from ..feed.limits import ENV

        os.environ[ENV] = str(max_feed_mb)   # read by the loader (and by any worker process)
