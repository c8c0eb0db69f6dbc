"""Options shared by the commands (the feed/areas/JSON/--lang options, the router options); the
consoles and JSON output, from ``present``, are re-exported for them."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from ..values import MAX_TRANSFERS
from .present import console, err_console, print_json  # noqa: F401 (the commands' imports)


FeedOption = Annotated[
    list[Path] | None,
    typer.Option("--feed", "-f", help="GTFS zip or folder (repeatable). Default: the bundled regional feeds."),
]
ScenarioOption = Annotated[
    list[str] | None,
    typer.Option("--scenario", help="Apply this scenario first: a TOML file or a shipped name such as "
                 "all-planned (repeatable, applied in order; see hbeu scenario list)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")]
LangOption = Annotated[
    str,
    typer.Option("--lang", metavar="zh|en|both",
                 help="Names as published (zh), in English where the feed translates them (en), or both "
                      "side by side (both)."),
]
CacheOption = Annotated[
    Path | None,
    typer.Option("--cache-dir", help="Where compiled timetables and the station index are kept "
                 "(default: $HBEU_CACHE_DIR or ~/.cache/hbeu-transit)."),
]
AreasOption = Annotated[
    Path | None,
    typer.Option("--areas", help="CSV with columns stop_id,area: each stop listed moves to that city/area (the "
                 "feed's area of that name, or a new one); every other stop keeps the feed's grouping."),
]


MaxTransfersOption = Annotated[
    int | None, typer.Option("--max-transfers", min=0, max=MAX_TRANSFERS, help="At most this many changes of vehicle "
                             "(default: 5 for plan and commute, no limit for circle and coverage)."),
]
ModesOption = Annotated[
    str | None, typer.Option("--modes", help="Only these modes, comma-separated, e.g. rail,bus: a family (rail: every train) or a mode the outputs name (high_speed_rail, HSR)."),
]
TransferOption = Annotated[
    float | None,
    typer.Option("--transfer-minutes", min=0, help="Minutes to change vehicle at a stop (default: by "
                 "mode, rail 10, bus 3; transfers.txt wins)."),
]
WalkOption = Annotated[
    float | None,
    typer.Option("--walk-meters", min=0, help="Also walk between stops up to this straight-line distance."),
]
#: The router options every journey command takes, as parameters of ``values.RouterOptions``.
ROUTER_OPTIONS = {"max_transfers": MaxTransfersOption, "modes": ModesOption,
                  "transfer_minutes": TransferOption, "walk_meters": WalkOption}


def router_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command the router options (ROUTER_OPTIONS) as one ``router: RouterOptions``
    argument: the options are declared once here, shown in every command's --help, and the
    command passes the value whole to the Network (``options=router``)."""
    from ..values import RouterOptions

    sig = inspect.signature(command, eval_str=True)
    params = [p for p in sig.parameters.values() if p.name != "router"]
    params += [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=ann)
               for name, ann in ROUTER_OPTIONS.items()]

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        router = RouterOptions(**{name: kwargs.pop(name, None) for name in ROUTER_OPTIONS})
        return command(*args, router=router, **kwargs)

    run.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in params}
    return run
