"""Every flag the README gives a command is one that command takes.

The README's commands table and its example blocks are where a user learns the flags; one that
the command does not know (renamed, or never there) ends in "No such option" at the first try.
The flags are read from the README and looked up in the click command the CLI builds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> dict[str, set[str]]:
    """"plan", "scenario apply"... -> every option string the command takes (the root's too)."""
    import click
    import typer

    from hbeu_transit.cli.app import app

    root = typer.main.get_command(app)
    root_opts = {o for p in root.params for o in p.opts + p.secondary_opts}
    out: dict[str, set[str]] = {}

    def walk(group: click.Command, prefix: str) -> None:
        for name, cmd in getattr(group, "commands", {}).items():
            full = f"{prefix}{name}"
            out[full] = root_opts | {o for p in cmd.params for o in p.opts + p.secondary_opts} | {"--help"}
            walk(cmd, full + " ")

    walk(root, "")
    return out


def readme_uses() -> list[tuple[str, str, str]]:
    """(command, flag, README line) for each flag written after `hbeu COMMAND` in the commands
    table and in the shell examples."""
    known = sorted(commands(), key=len, reverse=True)   # "scenario apply" before "scenario"
    uses = []
    for line in README.splitlines():
        for m in re.finditer(r"\bhbeu ((?:--max-feed-mb \S+ )?)([a-z]+(?: [a-z]+)?)((?:[^`|\\]|\\.)*)", line):
            head = m.group(2)
            cmd = next((c for c in known if head == c or head.startswith(c + " ")), None)
            if cmd is None:
                continue
            rest = head[len(cmd):] + m.group(3)
            rest = rest.split("#")[0]      # a shell comment is prose
            for flag in re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", rest):
                uses.append((cmd, flag, line.strip()))
    return uses


def test_the_readme_names_flags():
    assert len(readme_uses()) > 40


@pytest.mark.parametrize("cmd, flag, line", readme_uses())
def test_a_flag_the_readme_gives_exists(cmd, flag, line):
    assert flag in commands()[cmd], f"README: `hbeu {cmd}` has no option {flag}: {line[:160]}"


@pytest.mark.parametrize("pattern, flag", [
    (r"`--scenario FILE` \(repeatable\) runs (.*?) on the modified", "--scenario"),
    (r"`hbeu plan`, `(.*?) take `--areas`", "--areas"),
])
def test_the_commands_a_sentence_lists_take_the_flag(pattern, flag):
    """Prose that says which commands take a flag ("... take `--areas`")."""
    m = re.search(pattern, " ".join(README.split()))
    assert m, pattern
    named = set(re.findall(r"`(?:hbeu )?([a-z]+)`|\b(plan|departures|commute|freq|circle|coverage|graph|stations)\b",
                           m.group(0)))
    names = {a or b for a, b in named} - {""}
    assert len(names) >= 5, names
    cmds = commands()
    assert [n for n in sorted(names) if flag not in cmds[n]] == []
