"""The entry point: the commands registered on ``base.app``, and user errors as one line.

Each command lives in its own module and registers itself on ``base.app``; heavy imports (pandas,
gtfs-kit) happen inside the commands, so a warm-cache ``hbeu plan`` never loads them. A run
imports and builds only the command it is asked for (``COMMANDS``; all of them for ``--help``
or a name it does not know): typer builds every registered command's options at each start.
A plain `hbeu plan ...` does not load typer at all (``quick``).
"""

from __future__ import annotations

import atexit
import gc
import importlib
import signal
import sys
import warnings
from typing import Any

from ..errors import FeedWarning, HbeuError

__all__ = ["FLAGS", "app", "main"]

#: The cyclic garbage collector's first threshold while a command runs (Python's default: 700).
#: A command is one process whose imports (numpy, rich, this library) create ~100k objects that
#: live to its end: at 700 the collector walks them over and over, ~6 ms of a warm
#: `hbeu plan` on hart, and frees nothing. Cycles are still collected, after this many
#: allocations. Not restored when the command ends: that would trigger a collection of
#: everything allocated since, the very cost saved. For the same reason the process freezes
#: its objects (``gc.freeze``) as its last exit handler: the interpreter's shutdown then skips
#: them in the full collections it runs (~35-40 ms CPU of a warm `hbeu plan`), memory the
#: operating system takes back anyway.
GC_THRESHOLD = 50_000

#: The library's parameter names as this CLI spells them, for error messages.
FLAGS = {"depart": "--depart", "arrive_by": "--arrive-by", "window": "--window", "num": "--num",
         "max_transfers": "--max-transfers", "modes": "--modes", "start": "--from", "end": "--to",
         "leave_after": "--leave-after", "date": "--date", "days": "--days", "by": "--by",
         "stations": "--stations", "origins": "--origin", "destinations": "--destination",
         "within": "--within", "road_within": "--road-within", "step": "--step", "road_times": "--road-times",
         "workers": "--workers", "scheduler": "--scheduler",
         "combine": "--combine", "clock": "--clock", "holidays": "--holidays", "day_types": "--day-type",
         "origin": "FROM", "destination": "TO", "home": "HOME", "work": "WORK", "format": "--format",
         "all_day": "--all-day", "transfer_minutes": "--transfer-minutes", "walk_meters": "--walk-meters",
         "cache_dir": "--cache-dir"}


#: The module (in this package) that registers each command; importing it registers them.
COMMANDS = {"plan": "plan", "stations": "plan", "departures": "plan", "commute": "plan",
            "circle": "circle", "coverage": "coverage", "freq": "freq", "graph": "graph",
            "info": "info", "scenario": "scenario", "validate": "validate"}
#: options of the root command that take a value (the command name comes after it)
_ROOT_VALUES = ("--max-feed-mb",)


def load_commands(name: str | None = None) -> None:
    """Register command ``name`` (every command when None or unknown) on ``base.app``, typer's
    coercion of plain option values set up first (without pydantic: see coerce.py)."""
    from .coerce import install

    install()
    for module in sorted(set(COMMANDS.values()) if name not in COMMANDS else {COMMANDS[name]}):
        importlib.import_module(f"{__package__}.{module}")


def command_name(argv: list[str]) -> str | None:
    """The command an argument list asks for: its first word that is no option or option value."""
    skip = False
    for a in argv:
        if skip:
            skip = False
        elif a in _ROOT_VALUES:
            skip = True
        elif not a.startswith("-"):
            return a
    return None


def registered_name(info: Any) -> str:
    """The name a typer CommandInfo is invoked by (typer's rule: the function's, lower-case, - for _)."""
    return info.name or info.callback.__name__.lower().replace("_", "-")


def __getattr__(name: str) -> Any:
    """``app``: the typer application with every command registered (for tests and tools)."""
    if name == "app":
        from . import base

        load_commands()
        return base.app
    raise AttributeError(name)


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
    half-written is left). A plain `hbeu plan ...` runs without typer (``quick``)."""
    warnings.showwarning = _show_feed_warning
    warnings.simplefilter("always", FeedWarning)
    signal.signal(signal.SIGINT, _on_sigint)
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])   # for the process, as the handlers above
    atexit.unregister(gc.freeze)    # once, however often main() runs in one process (tests)
    atexit.register(gc.freeze)      # before the command imports anything: runs after their handlers
    argv = sys.argv[1:]
    name = command_name(argv)
    delivered = getattr(sys.modules.get("hbeu_transit.outputs"), "DELIVERED", None)
    if delivered is not None:     # main() run again in one process (tests): this run's files only
        delivered.clear()
    try:
        if argv[:1] == ["plan"]:
            from .quick import run_plan

            if run_plan(argv[1:]):
                return
        sys.exit(_run_typer(name))
    except HbeuError as e:
        print(f"error: {e.render(FLAGS)}", file=sys.stderr)
        sys.exit(2)
    except (Interrupted, KeyboardInterrupt):
        print(_interrupted_line(), file=sys.stderr)
        sys.exit(130)
    finally:  # FIFOs opened for an output the command never wrote (main() run again in one process: tests)
        release = getattr(sys.modules.get("hbeu_transit.outputs"), "release", None)
        if release is not None:
            release()


def _interrupted_line() -> str:
    """The Ctrl-C line: nothing written, or which of the outputs were complete before it (a
    --map in place when the -o table was interrupted): none is ever half-written."""
    done = getattr(sys.modules.get("hbeu_transit.outputs"), "DELIVERED", None) or []
    if not done:
        return "interrupted; nothing written"
    return f"interrupted after writing {', '.join(done)} (nothing half-written)"


def _run_typer(name: str | None) -> int:
    """Run the typer application, with only command ``name`` built when it is one of ours; its
    exit code. Not in click's standalone mode, so that a usage error (click's multi-line usage
    and boxed panel) becomes one line here (``one_line``). However it ends, a reader waiting on
    a FIFO named as an output the run never opened is let go (``outputs.unblock_readers``)."""
    from typer import Abort

    from . import base

    load_commands(name)
    app, saved = base.app, base.app.registered_commands
    if name in COMMANDS and name != "scenario":   # build that command's options only
        app.registered_commands = [c for c in saved if registered_name(c) == name]
    try:
        code = app(standalone_mode=False)   # the command's return value (None), or an Exit's code
    except _click_exceptions().ClickException as e:
        line = one_line(e, name)
        if line:
            print(line, file=sys.stderr)
        return e.exit_code
    except Abort:                            # click's own abort (Ctrl-D at a prompt), as standalone mode
        print("Aborted!", file=sys.stderr)
        return 1
    finally:
        app.registered_commands = saved
        from .. import outputs   # a FIFO named as an output but never opened (a usage error): its reader
        outputs.unblock_readers(sys.argv[1:])   # would wait for ever; the shell's `> fifo` would have ended it
    return code if isinstance(code, int) else 0


def _click_exceptions():
    """click's exception module as typer uses it (vendored since typer 0.2x)."""
    try:
        from typer._click import exceptions
    except ImportError:  # pragma: no cover  (an older typer on click itself)
        from click import exceptions
    return exceptions


def one_line(e: Exception, name: str | None = None) -> str:
    """click's error ``e`` as one line: what is wrong and, for a usage error, where help is
    (the help of command ``name`` when click names only the root, as for an option without its
    value, unless the option is the root's own); "" for "no arguments: help shown" (typer has
    printed the help already)."""
    if type(e).__name__ == "NoArgsIsHelpError":
        return ""
    what = " ".join(e.format_message().split()).rstrip(".")
    if not isinstance(e, _click_exceptions().UsageError):
        return f"error: {what}"
    ctx = getattr(e, "ctx", None)
    path = ctx.command_path if ctx is not None else "hbeu"
    param = getattr(e, "param", None)
    opts = set(getattr(param, "opts", None) or [getattr(e, "option_name", None)])
    root = ctx is None or ctx.parent is None
    if root and name in COMMANDS and not (ctx is not None and opts & {o for p in ctx.command.params for o in p.opts}):
        path = f"{path} {name}"
    return f"error: {what} (see '{path} --help')"


if __name__ == "__main__":  # pragma: no cover
    main()
