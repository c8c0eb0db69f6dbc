"""The README's captured outputs are what the commands print.

The README shows what its example commands print "on 2026-11-29 (a Sunday, the service date the
commands without `--date` used) in a 100-column terminal". Each is re-run here as a user runs
it (in-process through ``cli.app.main``, "now" pinned to that Sunday before the first train, a
100-column terminal) and compared line by line with the README's text: a renamed or added
column, a changed row count, a note or headline worded anew makes the README stale, which is
what a user reading it would find. Lines the command writes to standard error (``note:``,
``wrote ...``) may sit anywhere in the capture; a capture cut short with "(truncated here in
this README)" is compared up to the cut.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from conftest import pin_now, run_main

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CUT = "… (truncated here in this README)"


def code_blocks() -> list[str]:
    """The text of every plain (no language) fenced code block of the README."""
    blocks, current, lang = [], None, None
    for line in README.splitlines():
        if line.startswith("```"):
            if current is None:
                current, lang = [], line[3:].strip()
            else:
                if not lang:
                    blocks.append("\n".join(current))
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def captures() -> list[tuple[str, list[str]]]:
    """(command line, captured lines) for every ``$ hbeu ...`` in the README's code blocks, and
    for the two blocks introduced as "`hbeu ...` prints" (coverage and its --compare)."""
    out: list[tuple[str, list[str]]] = []
    for block in code_blocks():
        cmd, lines = None, []
        for line in block.splitlines():
            if line.startswith("$ hbeu "):
                if cmd is not None:
                    out.append((cmd, lines))
                cmd, lines = line[2:], []
            elif cmd is not None:
                lines.append(line)
        if cmd is not None:
            out.append((cmd, lines))
    for cmd, block in re.findall(r"`(hbeu [^`]+)` prints[^\n]*(?:\n[^\n`]+)*\n\n```\n(.*?)^```$", README, re.S | re.M):
        out.append((re.sub(r"\s*\[[^]]*\]", "", cmd), block.splitlines()))
    return [(c, [x.rstrip() for x in ls]) for c, ls in out]


CAPTURES = captures()


def test_the_readme_captures_are_found():
    cmds = [c for c, _ in CAPTURES]
    assert len(cmds) >= 12, cmds
    assert any(c.startswith("hbeu commute") for c in cmds) and any("--compare" in c for c in cmds)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """One folder for every command, in README order (the scenario block's plan reads the zip
    its apply wrote)."""
    return tmp_path_factory.mktemp("readme")


@pytest.mark.parametrize("cmd, expected", CAPTURES, ids=[c for c, _ in CAPTURES])
def test_a_readme_capture_is_what_the_command_prints(cmd, expected, workdir, monkeypatch, capsys):
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("HBEU_CACHE_DIR", str(workdir / "cache"))
    pin_now(monkeypatch, "2026-11-29T05:00")
    while expected and not expected[-1]:
        expected = expected[:-1]
    code, out, err = run_main(shlex.split(cmd)[1:], monkeypatch, capsys)
    assert code == 0, err
    said = {line.rstrip() for line in err.splitlines()}
    want = [line for line in expected if line not in said]
    got = [line.rstrip() for line in out.rstrip("\n").splitlines()]
    missing_notes = [line for line in expected if re.match(r"(note|warning|wrote)\b", line) and line not in said]
    assert not missing_notes, f"{cmd}: the README shows {missing_notes}, the command no longer says it"
    if want and want[-1].strip() == CUT:
        want = want[:-1]
        got = got[:len(want)]
    assert got == want, f"{cmd}: the README's capture is stale"
