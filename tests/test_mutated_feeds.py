"""Hypothesis mutates a valid feed (drop, duplicate or garble cells, rows, columns and files) and
runs the commands on it: each either succeeds or stops with the project's own one-line error
(exit 2); `hbeu validate` exits 0, 1 or 2 with a JSON report; nothing ever raises a traceback.

The commands run in this process through ``cli.app.main`` (as the `hbeu` script does), so an
example costs a few hundred milliseconds; HBEU_FUZZ_EXAMPLES raises the number of examples.
A process differs from a call of ``main`` in ways that could hide a failure (warnings shown
once per process or recorded by pytest instead of printed, output at interpreter exit, exit
codes set by the interpreter, state left by an earlier call), so a fixed sample of mutated
feeds also runs each command as a real process (``python -m hbeu_transit``): the same checks,
and the same exit code and error line as the call of ``main`` gave."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
import zipfile
from pathlib import Path

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, TEST_DATA

with zipfile.ZipFile(TEST_DATA / "sample.zip") as _zf:
    BASE = {Path(n).name: _zf.read(n).decode("utf-8-sig") for n in _zf.namelist() if n.endswith(".txt")}
FILES = sorted(BASE)
NASTY = ["", " ", "x", "-1", "0", "3.5", "99999999999", "1e400", "NaN", "null", "2026-07-15", "20261315",
         "25:61:00", "5:30", "24:00:00", "\"", ",", "é", "包头", "\t", "FFF", "Mars/Phobos", "STAGECOACH", "1"]

op = st.tuples(
    st.sampled_from(["garble", "blank", "drop_row", "dup_row", "drop_col", "dup_col", "drop_file", "empty_file",
                     "truncate", "garble"]),
    st.sampled_from(FILES), st.integers(0, 40), st.integers(0, 12),
    st.one_of(st.sampled_from(NASTY), st.text(max_size=6)))


def mutate(files: dict[str, str], ops) -> dict[str, str]:
    files = dict(files)
    for kind, name, r, c, value in ops:
        if name not in files:
            continue
        if kind == "drop_file":
            del files[name]
            continue
        if kind == "empty_file":
            files[name] = ""
            continue
        if kind == "truncate":
            files[name] = files[name][: (r * 7) % (len(files[name]) + 1)]
            continue
        rows = list(csv.reader(io.StringIO(files[name])))
        if not rows:
            continue
        width = len(rows[0])
        body = rows[1:]
        if kind in ("garble", "blank") and body:
            row = body[r % len(body)]
            if row:
                row[c % len(row)] = value if kind == "garble" else ""
        elif kind == "drop_row" and body:
            del body[r % len(body)]
        elif kind == "dup_row" and body:
            body.insert(r % len(body), list(body[r % len(body)]))
        elif kind in ("drop_col", "dup_col") and width:
            k = c % width
            rows = [rows[0]] + body
            rows = [(x[:k] + x[k + 1:]) if kind == "drop_col" else (x[:k + 1] + x[k:k + 1] + x[k + 1:])
                    for x in rows]
            body = rows[1:]
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([rows[0]] + body)
        files[name] = buf.getvalue()
    return files


def run(argv: list[str]) -> tuple[int, str, str]:
    """One CLI invocation in this process: (exit code, stdout, stderr). An exception that
    escapes ``main`` (a crash) propagates and fails the example. Python's own warnings (which
    pytest would record instead of printing) are added to stderr as a fresh process shows them."""
    from hbeu_transit.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    old_argv = sys.argv
    sys.argv = ["hbeu", *argv]
    try:
        with warnings.catch_warnings(record=True) as shown:
            warnings.simplefilter("default")  # as a process starts: each warning once per place
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    main()
                except SystemExit as e:
                    code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        sys.argv = old_argv
    for w in shown:
        err.write(warnings.formatwarning(w.message, w.category, w.filename, w.lineno, w.line))
    return code, out.getvalue(), err.getvalue()


# CI runs the same 12 examples every time (derandomized); HBEU_FUZZ_EXAMPLES=N explores N random ones.
@settings(max_examples=int(os.environ.get("HBEU_FUZZ_EXAMPLES", "12")), deadline=None,
          derandomize="HBEU_FUZZ_EXAMPLES" not in os.environ,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(op, min_size=1, max_size=3))
def test_every_command_succeeds_or_fails_with_one_line(ops):
    work = Path(tempfile.mkdtemp(prefix="hbeu-fuzz-"))
    try:
        feed = write_feed(work, ops)
        for argv in commands(feed, work):
            check(argv, *run(argv))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_feed(work: Path, ops) -> Path:
    """The mutated sample feed as a folder in ``work``."""
    feed = work / "feed"
    feed.mkdir()
    for name, text in mutate(BASE, ops).items():
        (feed / name).write_text(text, encoding="utf-8")
    return feed


def commands(feed: Path, work: Path) -> list[list[str]]:
    """The commands run on each mutated feed; `validate` last."""
    f = ["--feed", str(feed)]
    day = ["--date", "2007-06-05"]
    return [["info", *f, *day], ["plan", "STAGECOACH", "BEATTY_AIRPORT", *f, *day, "--json",
                                 "--cache-dir", str(work / "cache")],
            ["freq", *f, *day, "--by", "od"], ["graph", *f, *day, "-o", str(work / "g.graphml")],
            ["validate", str(feed), "--json", "--no-canonical", *day]]


def check(argv: list[str], code: int, out: str, err: str) -> None:
    """Success, or exit 2 with one `error:` line (the project's warnings aside); `validate` exits
    0, 1 or 2 with its JSON report; never a traceback, nor a Python warning with its source line."""
    assert "Traceback" not in err, (argv[0], err)
    assert not PYTHON_WARNING.search(err), (argv[0], err)
    if argv[0] == "validate":
        assert code in (0, 1, 2), err
        assert json.loads(out)["exit_code"] == code
        return
    assert code in (0, 2), (argv[0], code, err)
    if code == 2:
        assert len(error_lines(err)) == 1 and error_lines(err)[0].startswith("error: "), (argv[0], err)


PYTHON_WARNING = re.compile(r"^\S+:\d+: \w+: ", re.M)  # "file.py:403: RuntimeWarning: ..."


def error_lines(err: str) -> list[str]:
    return [ln for ln in err.splitlines() if ln.strip() and not ln.startswith("warning: ")]


# A fixed sample that reaches both outcomes (each costs ten processes' worth of work): no
# calendar.txt (loads; no trips that day), and a duplicated column, an infinite latitude and a
# blank stop_id (exit 2; validate's speed check once printed numpy's RuntimeWarning there).
SAMPLE_OPS = {
    "no_calendar": [("drop_file", "calendar.txt", 0, 0, "")],
    "dup_column_and_coordinate": [("dup_col", "stops.txt", 0, 4, ""), ("garble", "stops.txt", 2, 4, "1e400"),
                                  ("blank", "stops.txt", 5, 0, "")],
}


@pytest.mark.parametrize("name", sorted(SAMPLE_OPS))
def test_a_real_process_sees_what_main_sees(name, tmp_path, monkeypatch):
    feed = write_feed(tmp_path, SAMPLE_OPS[name])
    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path / "in-process"))  # both start with an empty cache
    for argv in commands(feed, tmp_path):
        p = subprocess.run([sys.executable, "-m", "hbeu_transit", *argv], capture_output=True, text=True, cwd=tmp_path,
                           timeout=300, env={**os.environ, "HBEU_CACHE_DIR": str(tmp_path / "process")})
        check(argv, p.returncode, p.stdout, p.stderr)
        code, out, err = run(argv)
        # the same exit code and the same error line (other lines are rich's, wrapped to the console's width)
        assert (p.returncode, said(p.stderr)) == (code, said(err)), (argv[0], p.stderr, err)


def said(err: str) -> list[str]:
    return [ln for ln in err.splitlines() if ln.startswith("error: ")]
