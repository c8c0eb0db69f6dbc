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


@app.callback()
def _root(max_feed_mb: Optional[float] = typer.Option(  # noqa: UP007 (typer reads the annotation)
        None, "--max-feed-mb", min=0.001, metavar="MB",
        help="Read feeds that inflate past the safety limits (512 MB per file, 1,024 MB per feed): "
             "the new limit for both, e.g. hbeu --max-feed-mb 4000 info big.zip")) -> None:
    """hbeu: plan journeys and measure the one-hour city circle on GTFS feeds."""
    if max_feed_mb is not None:
        from ..feed.limits import ENV

        os.environ[ENV] = str(max_feed_mb)   # read by the loader (and by any worker process)
