"""Options and helpers shared by the commands: the feed/areas/JSON options, JSON output, the consoles."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer


class LazyConsole:
    """A rich Console made on first use: building one loads rich.console (~30 ms), which a
    command printing JSON never needs. Emoji codes are off: names never contain them, and the
    emoji table costs another 15 ms. Call it to get the Console itself (e.g. for a Progress)."""

    def __init__(self, stderr: bool = False):
        self._stderr, self._console, self._columns = stderr, None, None

    def __call__(self):
        columns = os.environ.get("COLUMNS")
        if self._console is None or columns != self._columns:  # a new width (tests, or a caller) is honoured
            from rich.console import Console

            self._console, self._columns = Console(stderr=self._stderr, emoji=False), columns
        return self._console

    def __getattr__(self, name: str):
        return getattr(self(), name)


console = LazyConsole()
err_console = LazyConsole(stderr=True)

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
AreasOption = Annotated[
    Path | None,
    typer.Option("--areas", help="CSV with columns stop_id,area naming each stop's city/area."),
]


def print_json(obj: Any) -> None:
    """Write JSON to stdout (UTF-8, Chinese names unescaped)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")
