"""Usage errors (typer/click's own: a missing argument, an unknown option or command, a bad
choice, a value that is no number) are one line on stderr naming what is wrong, with a pointer to
the command's --help, and exit code 2; --help itself is unchanged."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_main

# (command line, text the one line must contain: the bad value or the missing name, the help pointer)
CASES = [
    (["plan"], ["FROM", "hbeu plan --help"]),                                      # missing argument
    (["plan", "A", "B", "--bogus"], ["--bogus", "hbeu plan --help"]),              # unknown option
    (["plan", "A", "B", "--num", "two"], ["'two'", "--num", "hbeu plan --help"]),  # not an integer
    (["plan", "A", "B", "--num", "0"], ["0", "--num", "hbeu plan --help"]),        # below the minimum
    (["freq", "--by", "nope"], ["'nope'", "--by", "hbeu freq --help"]),            # bad choice
    (["freq", "--by"], ["--by", "hbeu freq --help"]),                              # option without its value
    (["coverage", "--window"], ["--window", "hbeu coverage --help"]),
    (["circle", "Hohhot", "--within", "abc"], ["'abc'", "--within", "hbeu circle --help"]),  # not a number
    (["info", "--zzz"], ["--zzz", "hbeu info --help"]),
    (["departures"], ["STATION", "hbeu departures --help"]),
    (["scenario", "apply", "--bogus"], ["--bogus", "hbeu scenario apply --help"]),
    (["nosuch"], ["nosuch", "hbeu --help"]),                                       # unknown command
    (["--max-feed-mb", "abc", "info"], ["'abc'", "--max-feed-mb", "hbeu --help"]),  # the root's own option
    # an empty path was Path(""), the current folder: read as a feed, written to as a file
    (["plan", "A", "B", "--feed", ""], ["'' is an empty path", "--feed", "hbeu plan --help"]),
    (["freq", "-o", ""], ["'' is an empty path", "--output", "hbeu freq --help"]),
]


@pytest.mark.parametrize("argv,wanted", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_a_usage_error_is_one_line_naming_it_with_a_pointer_to_help(argv, wanted, monkeypatch, capsys):
    code, out, err = run_main(argv, monkeypatch, capsys)
    assert code == 2
    assert out == ""
    lines = err.strip("\n").splitlines()
    assert len(lines) == 1, err
    (line,) = lines
    assert line.startswith("error: "), line
    *named, pointer = wanted
    for text in named:
        assert text.lower() in line.lower(), (text, line)
    # in-process the program is named after the test runner; the installed script: below
    assert re.search(rf"\(see '(?:[^']*[ .])?hbeu{re.escape(pointer[4:])}'\)$", line), (pointer, line)
    assert "Traceback" not in err and "╭" not in line and "Usage:" not in line


@pytest.mark.parametrize("argv", [["freq", "--help"], ["plan", "--help"], ["scenario", "apply", "--help"],
                                  ["--help"]])
def test_help_is_still_the_full_rich_help(argv, monkeypatch, capsys):
    code, out, err = run_main(argv, monkeypatch, capsys)
    assert code == 0 and err == ""
    assert "Usage: " in out and "╭─ Options" in out and len(out.splitlines()) > 10


def test_no_arguments_still_show_the_help(monkeypatch, capsys):
    code, out, err = run_main([], monkeypatch, capsys)
    assert code == 2     # click's convention for a group called without a command
    assert "Usage: " in out + err and "╭─ Commands" in out + err


def test_the_installed_script_points_to_its_own_help():
    """As a user runs it: the `hbeu` script installed beside this interpreter."""
    script = Path(sys.executable).parent / "hbeu"
    for argv, pointer in ((["freq", "--by", "nope"], "'hbeu freq --help'"), (["nosuch"], "'hbeu --help'")):
        r = subprocess.run([str(script), *argv], capture_output=True, text=True, timeout=120)
        assert r.returncode == 2 and r.stdout == ""
        assert r.stderr.count("\n") == 1 and r.stderr.startswith("error: ") and pointer in r.stderr, r.stderr


def test_hbeu_help_lists_each_command_on_one_line(monkeypatch, capsys):
    """`hbeu --help` on a terminal wide enough for every summary: one line per command. graph's
    summary was a docstring paragraph folded by hand, shown folded mid-sentence at any width."""
    monkeypatch.setenv("COLUMNS", "400")
    code, out, _ = run_main(["--help"], monkeypatch, capsys)
    assert code == 0
    panel = out[out.index("Commands"):].splitlines()[1:]
    rows = [line for line in panel if line.startswith("│")]
    names = [line[1:].split()[0] for line in rows if line[2:3] != " "]
    assert len(names) >= 11 and "graph" in names
    assert len(rows) == len(names), "\n".join(r.rstrip("│ ") for r in rows)


# every command with --cache-dir, with the arguments it needs to get as far as reading its options
CACHE_DIR_COMMANDS = {
    "plan": ["plan", "Baotou", "Hohhot"], "stations": ["stations"], "departures": ["departures", "Baotou"],
    "commute": ["commute", "Baotou", "Hohhot"], "circle": ["circle", "Baotou"], "coverage": ["coverage"],
    "freq": ["freq"], "graph": ["graph", "--json"], "info": ["info"],
    "scenario apply": ["scenario", "apply", "hohhot-baotou-hsr", "-o", "x.zip"],
    "scenario check": ["scenario", "check", "hohhot-baotou-hsr"],
}


def test_the_table_is_every_command_with_a_cache_dir():
    import typer.main

    from hbeu_transit.cli import app as entry

    def walk(group, prefix=""):
        for name, cmd in group.commands.items():
            if hasattr(cmd, "commands"):
                yield from walk(cmd, f"{prefix}{name} ")
            elif any("--cache-dir" in p.opts for p in cmd.params):
                yield prefix + name

    assert sorted(walk(typer.main.get_command(entry.app))) == sorted(CACHE_DIR_COMMANDS)


@pytest.mark.parametrize("spelling", [["--cache-dir", ""], ["--cache-dir="]], ids=["separate", "equals"])
@pytest.mark.parametrize("name", sorted(CACHE_DIR_COMMANDS))
def test_an_empty_cache_dir_is_refused_not_read_as_the_current_folder(name, spelling, monkeypatch, capsys,
                                                                      tmp_path):
    """`--cache-dir ""` (an unset shell variable, say) was Path(""), the current folder: the
    command ran and filled it with its caches (checks/, places-*.idx, timetable-*.arrays)."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main([*CACHE_DIR_COMMANDS[name], *spelling], monkeypatch, capsys)
    assert code == 2 and out == "", err
    lines = err.strip("\n").splitlines()
    assert len(lines) == 1 and "'--cache-dir'" in lines[0] and "'' is an empty path" in lines[0], err
    assert "Traceback" not in err and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [["circle", "Baotou", "--scenario", ""], ["plan", "Baotou", "Hohhot", "--scenario="],
                                  ["coverage", "--compare", ""], ["scenario", "check", ""]],
                         ids=["scenario", "scenario-equals", "compare", "check"])
def test_an_empty_scenario_is_named_in_its_one_line(args, monkeypatch, capsys, tmp_path):
    """A scenario is a file or a shipped name, not a Path option, so `--scenario ""` missed the
    empty-path refusal and read "error: : no such scenario file": the line names the empty value
    and what to give instead. Found by helper breaker."""
    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path))
    code, out, err = run_main(args, monkeypatch, capsys)
    assert code == 2 and out == "" and "Traceback" not in err, err
    (line,) = err.strip("\n").splitlines()
    assert line.startswith("error: '': an empty scenario names no file"), line
    assert "hohhot-baotou-hsr" in line, line     # the shipped names, to pick one
