"""The quick start-up path: a plain `hbeu plan ...` run without typer.

typer and click cost ~25 ms to import and to build the command at every start, about a tenth
of a warm `hbeu plan`. A command line that uses only `plan`'s own options, each in its plain form
(``--opt value`` or ``--opt=value``; a repeatable option as often as wanted, any other once),
with values that need no rule beyond "ASCII digits" (int) or "digits and one point" (float)
within the option's minimum, is parsed here and handed to the body typer calls
(``journeys.show_plan``). Anything else (``--help``, root options, an unknown, repeated or
malformed option, a value starting with "-", a number typer would have to judge, a wrong
number of arguments) is left to typer, which parses it and reports errors as always.
``tests/cli/test_quick.py`` checks the table against typer's command and random command lines
against typer's own parse.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["PLAN_ARGUMENTS", "PLAN_DEFAULTS", "PLAN_OPTIONS", "parse_plan", "run_plan"]

#: `hbeu plan`'s options: spelling -> (parameter, value type (bool: a flag), repeatable, minimum)
PLAN_OPTIONS: dict[str, tuple[str, type, bool, float | None]] = {
    "--date": ("date", str, False, None),
    "--depart": ("depart", str, False, None),
    "--arrive-by": ("arrive_by", str, False, None),
    "--window": ("window", str, False, None),
    "--num": ("num", int, False, 1),
    "--all-day": ("all_day", bool, False, None),
    "--feed": ("feed", Path, True, None),
    "-f": ("feed", Path, True, None),
    "--scenario": ("scenario", str, True, None),
    "--areas": ("areas", Path, False, None),
    "--cache-dir": ("cache_dir", Path, False, None),
    "--json": ("json", bool, False, None),
    "--lang": ("lang", str, False, None),
    "--max-transfers": ("max_transfers", int, False, 0),
    "--modes": ("modes", str, False, None),
    "--transfer-minutes": ("transfer_minutes", float, False, 0),
    "--walk-meters": ("walk_meters", float, False, 0),
}
#: its arguments, in order
PLAN_ARGUMENTS = ("from_", "to")
#: the values of options not given (None for every other)
PLAN_DEFAULTS: dict[str, Any] = {"all_day": False, "json": False, "lang": "both"}
#: the options that make up ``values.RouterOptions`` (``common.ROUTER_OPTIONS``)
ROUTER_PARAMS = ("max_transfers", "modes", "transfer_minutes", "walk_meters")


def _value(text: str, kind: type, minimum: float | None) -> Any:
    """The option value ``text`` as ``kind``, or None when typer should judge it."""
    if kind is str:
        return text
    if not text or not text.isascii():
        return None
    if kind is Path:
        return Path(text)
    if kind is int:
        v: Any = int(text) if text.isdigit() else None
    else:  # float
        v = float(text) if text.replace(".", "", 1).isdigit() else None
    return None if v is None or (minimum is not None and v < minimum) else v


def parse_plan(args: list[str]) -> dict[str, Any] | None:
    """The parameters of `hbeu plan ARGS` (as typer passes them to the command, the router
    options separate), or None when the command line is not one this parser takes."""
    kw: dict[str, Any] = {p: PLAN_DEFAULTS.get(p) for p, _, _, _ in PLAN_OPTIONS.values()}
    given: set[str] = set()
    positional: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        i += 1
        if not a.startswith("-"):
            positional.append(a)
            continue
        spelling, eq, text = a.partition("=") if a.startswith("--") else (a, "", "")
        spec = PLAN_OPTIONS.get(spelling)
        if spec is None:
            return None
        param, kind, repeatable, minimum = spec
        if param in given and not repeatable:
            return None
        given.add(param)
        if kind is bool:
            if eq:
                return None
            kw[param] = True
            continue
        if not eq:
            if i >= len(args):
                return None
            text = args[i]
            i += 1
        if text.startswith("-"):
            return None
        v = _value(text, kind, minimum)
        if v is None:
            return None
        if repeatable:
            kw[param] = [*(kw[param] or ()), v]
        else:
            kw[param] = v
    if len(positional) != len(PLAN_ARGUMENTS):
        return None
    kw.update(zip(PLAN_ARGUMENTS, positional))
    return kw


def run_plan(args: list[str]) -> bool:
    """Run `hbeu plan ARGS` here when ``parse_plan`` takes the command line; False: typer's turn."""
    kw = parse_plan(args)
    if kw is None:
        return False
    from ..values import RouterOptions
    from .journeys import show_plan

    router = RouterOptions(**{p: kw.pop(p) for p in ROUTER_PARAMS})
    try:
        show_plan(kw.pop("from_"), kw.pop("to"), router=router, **kw)
    except BrokenPipeError:  # as click does: `hbeu plan ... | head -3` ends quietly, exit code 1
        import os
        import sys

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    return True
