"""The examples in the planners' and analysts' `--help` (circle, coverage, freq, scenario) run as
written on the bundled feed: an example is what a user copies first (found by helper breaker5)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from conftest import ROOT, run_cli_batch

#: the files the examples write: given in tmp_path instead of the repository
OUTPUT_OPTIONS = ("-o", "--output", "--map", "--png")
DAY = "2026-12-09"   # a Wednesday of the bundled feeds: examples without a date run on it, not on "today"


def help_examples(*commands: str) -> list[tuple[str, list[str]]]:
    """(help text's example, its argv without "hbeu") for each command and subcommand named."""
    import typer

    from hbeu_transit.cli.app import app

    def walk(cmd, path):
        yield path, cmd
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, [*path, name])

    out = []
    for path, cmd in walk(typer.main.get_command(app), []):
        if path and path[0] in commands:
            for m in re.finditer(r"Example: hbeu ([^\n]*?)(?:  \(.*)?$", cmd.help or "", re.M):
                out.append((m.group(1), shlex.split(m.group(1))))
    return out


def runnable(argv: list[str], tmp_path: Path) -> list[str] | None:
    """The example with its outputs in tmp_path and a fixed date; None when it reads a feed the user
    brings (``--feed hart.zip``: a placeholder for one's own feed)."""
    out = list(argv)
    for k, a in enumerate(argv[:-1]):
        if a == "--feed" and not (ROOT / argv[k + 1]).exists():
            return None
        if a in OUTPUT_OPTIONS and argv[k + 1] != "-":
            out[k + 1] = str(tmp_path / Path(argv[k + 1]).name)
    if out[0] in ("circle", "coverage", "freq") and not {"--date", "--from"} & set(out):
        out += ["--date", DAY]
    return out


def test_every_planner_and_analyst_help_example_runs(tmp_path):
    examples = help_examples("circle", "coverage", "freq", "scenario")
    assert len(examples) >= 9, examples
    runs = [(text, runnable(argv, tmp_path)) for text, argv in examples]
    runs = [(text, argv) for text, argv in runs if argv is not None]
    results = run_cli_batch([argv for _, argv in runs])
    failed = [(text, r["code"], r["stderr"].strip()[-300:]) for (text, _), r in zip(runs, results) if r["code"] != 0]
    assert not failed, failed
