"""The typer application the command modules register on (imported by them and by ``app``,
which imports them: no cycle)."""

from __future__ import annotations

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
def _root() -> None:
    """hbeu: plan journeys and measure the one-hour city circle on GTFS feeds."""
