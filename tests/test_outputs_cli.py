"""Outputs never hurt the user's files, through the real CLI (one process per case): devices,
FIFOs and symlinks kept, umask respected, `-o -`, the format from the extension, every path
checked before the work, one line and exit 2 when a path cannot be written, Ctrl-C."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run_cli_batch, run_hbeu, shared_feed

SAMPLE = str(ROOT / "tests" / "data" / "sample.zip")
FREQ = ("freq", "--feed", SAMPLE, "--date", "2007-06-05")
CIRCLE = ("circle", "STAGECOACH", "--feed", SAMPLE, "--date", "2007-06-05", "--window", "07:00-09:00")
COVERAGE = ("coverage", "--feed", SAMPLE, "--origin", "STAGECOACH", "--destination", "BEATTY_AIRPORT",
            "--date", "2007-06-05", "--window", "07:00-09:00")


def run_bytes(*args: str, tmp_path, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    """``hbeu ARGS`` as a real process, run in ``tmp_path`` (a stray file named ``-`` would land
    there), with binary standard output (a pipe unless ``stdout`` says otherwise)."""
    return subprocess.run([sys.executable, "-m", "hbeu_transit", *args], stdout=stdout, stderr=subprocess.PIPE,
                          cwd=tmp_path, timeout=180, env={**os.environ, "HBEU_CACHE_DIR": str(tmp_path / "c")})


def one_error_line(r, text: str) -> None:
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: ") and text in lines[0], r.stderr
    assert "Traceback" not in r.stderr


def test_fifo_is_written_through_and_kept(tmp_path):
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()), daemon=True)
    reader.start()
    r = run_hbeu(*FREQ, "-o", str(fifo), cache=tmp_path / "c")
    reader.join(30)
    assert r.returncode == 0, r.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got and got[0].decode().startswith("route_id,route_short_name,")
    assert [p.name for p in tmp_path.iterdir() if p.name != "c"] == ["out.csv"]  # no sidecar beside a FIFO


def _waiting_for_a_reader(p: subprocess.Popen, timeout: float = 90) -> bool:
    """Whether ``p`` comes to wait in the kernel for a FIFO's other end (Linux's wchan
    "wait_for_partner": blocked opening a FIFO nobody reads), within ``timeout`` seconds; False
    when it ends first."""
    wchan = Path(f"/proc/{p.pid}/wchan")
    if not wchan.exists():
        pytest.skip("needs Linux's /proc/PID/wchan")
    end = time.monotonic() + timeout
    while time.monotonic() < end and p.poll() is None:
        with contextlib.suppress(OSError):
            if wchan.read_text() == "wait_for_partner":
                return True
        time.sleep(0.05)
    return False


def _stop(p: subprocess.Popen) -> None:
    """Kill ``p`` if it still runs (a test that failed while it waited)."""
    if p.poll() is None:
        p.kill()
        p.wait(timeout=30)


@pytest.mark.parametrize("reader, via", [("late", "fifo"), ("never", "fifo"), ("late", "link")])
def test_a_fifo_is_opened_before_the_work_as_the_shell_does(tmp_path, reader, via):
    """`-o FIFO` with no reader yet waits at once, as `hbeu ... > fifo` waits in the shell before
    the command runs: the work (here the timetable compiled into the empty cache folder) starts
    only once a reader comes, and Ctrl-C while waiting has done and written nothing. It did all
    the work first and then waited at the end. Found by helper edges3. Named through a symlink
    (`-o LINK`; the shell's `> LINK` follows it) the FIFO is opened before the work the same
    (helper mut3: the mutant fifo-link-not-followed, the link's own lstat not a FIFO, waited after it)."""
    fifo, cache = tmp_path / "out.csv", tmp_path / "c"
    os.mkfifo(fifo)
    dest = fifo if via == "fifo" else tmp_path / "link.csv"
    if via == "link":
        dest.symlink_to(fifo.name)
    p = subprocess.Popen([sys.executable, "-m", "hbeu_transit", *FREQ, "-o", str(dest)], cwd=tmp_path,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         env={**os.environ, "HBEU_CACHE_DIR": str(cache)})
    try:
        assert _waiting_for_a_reader(p), p.communicate(timeout=60)[1]
        time.sleep(0.5)   # (time for work that should not happen)
        assert not cache.exists() or not any(cache.rglob("*.*")), "the work was done before the wait"
        if reader == "never":
            p.send_signal(signal.SIGINT)
            _, err = p.communicate(timeout=60)
            assert p.returncode == 130 and err.strip().splitlines() == ["interrupted; nothing written"], err
            assert not cache.exists() or not any(cache.rglob("*.*"))
        else:
            with open(fifo, "rb") as f:   # the reader comes late: the work starts, then the bytes
                data = f.read()
            _, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
            assert data.decode().startswith("route_id,route_short_name,")
    finally:
        _stop(p)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_bad_output_beside_a_fifo_is_refused_without_waiting_for_its_reader(tmp_path):
    """`-o FIFO --png missing/x.png` with no reader on the FIFO: the --png cannot be written,
    said at once (exit 2, one line), before any wait for the FIFO's reader: the wait is the
    check's last step (kills the mutant fifo-opened-before-the-checks, which sat waiting).
    Found by helper mut3."""
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    p = subprocess.Popen([sys.executable, "-m", "hbeu_transit", *FREQ, "-o", str(fifo),
                          "--png", str(tmp_path / "missing" / "x.png")], cwd=tmp_path,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env={**os.environ, "HBEU_CACHE_DIR": str(tmp_path / "c")})
    try:
        assert not _waiting_for_a_reader(p, timeout=60), "waited for the FIFO's reader before refusing --png"
        out, err = p.communicate(timeout=60)
    finally:
        _stop(p)
    one_error_line(subprocess.CompletedProcess(p.args, p.returncode, out, err), "x.png")
    assert "--png" in err and "does not exist" in err and out == ""


def test_fifos_of_a_command_that_fails_after_the_check_are_closed(tmp_path, monkeypatch, capsys):
    """In one process (main() run again, as by a test or an embedding program): `freq -o FIFO
    --png FIFO2` with a --date outside the feed opens both FIFOs (their readers are there), then
    fails. Both readers must see the end of an empty stream, as after a failed shell command,
    not wait for ever on a descriptor left open (kills the mutants fifo-not-released, main()
    closing none, and fifo-release-one, closing one). Found by helper mut3."""
    from conftest import run_main

    from hbeu_transit import outputs

    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path / "c"))
    fifos = [tmp_path / "out.csv", tmp_path / "chart.png"]
    got: dict[str, bytes] = {}
    readers = []
    for f in fifos:
        os.mkfifo(f)
        readers.append(threading.Thread(target=lambda f=f: got.__setitem__(f.name, open(f, "rb").read()),
                                        daemon=True))
        readers[-1].start()
    try:
        code, out, err = run_main(["freq", "--feed", SAMPLE, "--date", "2099-01-01", "-o", str(fifos[0]),
                                   "--png", str(fifos[1])], monkeypatch, capsys)
        assert code == 2 and "2099-01-01" in err and "Traceback" not in err, err
        for r in readers:
            r.join(10)
        assert got == {"out.csv": b"", "chart.png": b""}, "a reader still waits: its FIFO was left open"
    finally:
        outputs.release()     # (whatever the command left open, so no reader thread hangs)


@pytest.mark.parametrize("args, code", [
    (("freq", "--by", "nonsense", "-o", "{fifo}"), 2),                        # a bad choice
    (("freq", "--no-such-option", "--png", "{fifo}"), 2),                      # an unknown option
    (("circle", "--map={fifo}"), 2),                                           # ORIGIN missing
    (("freq", "--feed", SAMPLE, "--format", "xlsx", "-o{fifo}"), 2),           # refused before the check
    (("freq", "-o", "{fifo}", "--help"), 0),                                   # help only
])
def test_a_reader_waiting_on_a_fifo_is_let_go_when_the_command_never_opens_it(tmp_path, args, code):
    """A reader already waiting on a FIFO named as an output (`cat fifo &` then `hbeu ... -o
    fifo`) must see the end of an empty stream when the command stops before it opens the FIFO
    (during option parsing, or on a value refused before the outputs are checked), as after the
    shell's `cmd > fifo` of a failed command; it waited for ever. Nothing is written to it.
    Found by helper edges5."""
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    reader = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdout.buffer.write(open(sys.argv[1], 'rb')"
                               ".read())", str(fifo)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert _waiting_for_a_reader(reader), reader.communicate(timeout=30)
        r = run_bytes(*(a.replace("{fifo}", str(fifo)) for a in args), tmp_path=tmp_path)
        assert r.returncode == code, r.stderr
        if code:
            one_error_line(_text(r), "")
        try:
            data, err = reader.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail("the reader still waits on the FIFO the command never opened")
        assert reader.returncode == 0 and data == b"", err
    finally:
        _stop(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_usage_error_with_a_fifo_nobody_reads_ends_at_once(tmp_path):
    """With no reader on the FIFO the usage error still ends at once (the FIFO is not opened in
    a way that waits for one) and leaves the FIFO unread and in place."""
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    try:
        r = subprocess.run([sys.executable, "-m", "hbeu_transit", "freq", "--by", "nonsense", "-o", str(fifo)],
                           capture_output=True, text=True, cwd=tmp_path, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the usage error waited for a reader of the FIFO")
    one_error_line(r, "'nonsense'")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_fifo_the_run_opened_and_closed_is_not_opened_again(tmp_path):
    """A FIFO the run opened (``check``) and closed (``release``: the command failed after the
    check) has had its end of stream: ``unblock_readers`` at the end of the run leaves alone a
    reader that came back to it (`while :; do cat fifo; done`), which would see a second, empty
    stream no command wrote; a FIFO the run never opened it does let go."""
    from hbeu_transit import outputs

    def wait_in_open(f):
        done = threading.Event()
        t = threading.Thread(target=lambda: (open(f, "rb").read(), done.set()), daemon=True)
        t.start()
        end = time.monotonic() + 30
        wchan = Path(f"/proc/self/task/{t.native_id}/wchan")
        if not wchan.exists():
            pytest.skip("needs Linux's /proc/self/task/TID/wchan")
        while wchan.read_text() != "wait_for_partner":
            assert time.monotonic() < end, "the reader never came to wait"
            time.sleep(0.02)
        return done

    fifos = [tmp_path / "out.csv", tmp_path / "other.csv"]
    for f in fifos:
        os.mkfifo(f)
    try:
        first = wait_in_open(fifos[0])
        outputs.check(outputs.target(fifos[0], "-o", {".csv": "csv"}))
        outputs.release()
        assert first.wait(10)
        again, other = wait_in_open(fifos[0]), wait_in_open(fifos[1])
        outputs.unblock_readers(["-o", str(fifos[0]), "--png", str(fifos[1])])
        assert other.wait(10), "a reader of a FIFO the run never opened still waits"
        assert not again.wait(0.5), "the FIFO the run opened and closed was opened again"
    finally:
        outputs.release()
        for f in fifos:   # let any reader still waiting go
            with contextlib.suppress(OSError):
                os.close(os.open(f, os.O_WRONLY | os.O_NONBLOCK))


def _stream_run(args, tmp_path, dest: str, **popen) -> subprocess.CompletedProcess:
    """``hbeu ARGS -o DEST`` as a real process in ``tmp_path`` (scratch files in its ``t``)."""
    (tmp_path / "t").mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-m", "hbeu_transit", *args, "-o", dest], stderr=subprocess.PIPE,
                          cwd=tmp_path, timeout=180, **popen,
                          env={**os.environ, "HBEU_CACHE_DIR": str(tmp_path / "c"), "TMPDIR": str(tmp_path / "t")})


def _text(r: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    return subprocess.CompletedProcess(r.args, r.returncode, r.stdout, r.stderr.decode())


STREAMED = {"circle-csv": ((*CIRCLE, "--format", "csv"), ".csv"),
            "scenario-zip": (("scenario", "apply", "hohhot-baotou-hsr"), ".zip")}


@pytest.mark.parametrize("case", STREAMED)
@pytest.mark.parametrize("how", ["fifo", "fd"])
def test_a_stream_gets_the_bytes_a_file_would(tmp_path, case, how):
    """A FIFO (mkfifo), or a pipe named as /dev/fd/N (what bash's ``-o >(gzip > x.gz)`` passes),
    receives exactly what ``-o FILE`` writes, and nothing lands beside it. /dev/fd/N used to fail
    with "folder '/dev/fd' cannot be written": the check looked for a folder to rename into."""
    args, ext = STREAMED[case]
    r = _stream_run(args, tmp_path, str(tmp_path / f"file{ext}"))
    assert r.returncode == 0, r.stderr
    expected = (tmp_path / f"file{ext}").read_bytes()
    got: list[bytes] = []
    if how == "fifo":
        fifo = tmp_path / f"fifo{ext}"
        os.mkfifo(fifo)
        reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()), daemon=True)
        reader.start()
        r = _stream_run(args, tmp_path, str(fifo))
        reader.join(30)
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    else:
        rfd, wfd = os.pipe()
        reader = threading.Thread(target=lambda: got.append(os.fdopen(rfd, "rb").read()), daemon=True)
        reader.start()
        try:
            r = _stream_run(args, tmp_path, f"/dev/fd/{wfd}", pass_fds=(wfd,))
        finally:
            os.close(wfd)
        reader.join(30)
    assert r.returncode == 0, r.stderr
    assert got == [expected]
    assert not list((tmp_path / "t").iterdir())  # the scratch copy is gone
    made = sorted(p.name for p in tmp_path.iterdir() if p.name not in ("c", "t") and not p.name.startswith("file"))
    assert made == ([f"fifo{ext}"] if how == "fifo" else [])  # no sidecar, no temporary file beside it


def test_dev_null_takes_any_output_and_leaves_no_file(tmp_path):
    """``-o /dev/null`` runs the command and throws the output away: /dev/null stays the device and
    no file is made anywhere (not beside it in /dev, not in the scratch folder, not in the cwd)."""
    before = set(os.listdir("/dev"))
    for args in [(*CIRCLE, "--format", "csv"), (*FREQ, "--format", "parquet"), ("graph", "--feed", SAMPLE, "--format", "graphml"),
                 ("scenario", "apply", "hohhot-baotou-hsr")]:
        r = _stream_run(args, tmp_path, "/dev/null", stdout=subprocess.PIPE)
        assert r.returncode == 0, (args[0], r.stderr)
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert set(os.listdir("/dev")) <= before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c", "t"] and not list((tmp_path / "t").iterdir())


@pytest.mark.parametrize("args", [(*CIRCLE, "--format", "csv"), FREQ, (*COVERAGE, "--format", "json"),
                                  ("graph", "--feed", SAMPLE, "--date", "2007-06-05"),
                                  ("scenario", "apply", "hohhot-baotou-hsr")],
                         ids=["circle", "freq", "coverage", "graph", "scenario"])
def test_dev_stdout_is_standard_output(tmp_path, args):
    """``-o /dev/stdout`` is ``-o -`` byte for byte (a pipe: no table of the command's own mixed in,
    the format ``-`` would take); it used to fail with "folder '/dev' cannot be written"."""
    dash = _stream_run(args, tmp_path, "-", stdout=subprocess.PIPE)
    assert dash.returncode == 0 and dash.stdout, dash.stderr
    r = _stream_run(args, tmp_path, "/dev/stdout", stdout=subprocess.PIPE)
    assert r.returncode == 0, r.stderr
    when = re.compile(rb'"generated_at": "[^"]*"')  # the one thing that may differ between the runs: the clock
    assert when.sub(b"", r.stdout) == when.sub(b"", dash.stdout) and r.stderr == dash.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c", "t"] and not list((tmp_path / "t").iterdir())


def test_dev_stdout_shares_standard_output_like_dash(tmp_path):
    one_error_line(run_hbeu(*CIRCLE, "--png", "/dev/stdout", "--json", cache=tmp_path / "c"),
                   "--png - and --json both write to standard output")


def test_a_descriptor_that_cannot_take_the_output_is_named(tmp_path):
    """/dev/fd/N not open, or open only for reading: one line saying so (it said "folder '/dev/fd'
    cannot be written"), before any work."""
    r = _stream_run([*CIRCLE, "--format", "csv"], tmp_path, "/dev/fd/97", stdout=subprocess.PIPE)
    one_error_line(_text(r), "cannot write '/dev/fd/97' (-o): descriptor 97 is not open")
    rfd, wfd = os.pipe()
    try:
        r = _stream_run([*CIRCLE, "--format", "csv"], tmp_path, f"/dev/fd/{rfd}", stdout=subprocess.PIPE,
                        pass_fds=(rfd,))
    finally:
        os.close(rfd)
        os.close(wfd)
    one_error_line(_text(r), f"descriptor {rfd} is open only for reading")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t"]  # before any work: not even the cache


def _char_device(path, minor: int) -> None:
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except PermissionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("mknod needs root")


def test_device_is_written_through_and_kept(tmp_path):
    null = tmp_path / "null.graphml"  # a copy of /dev/null
    _char_device(null, 3)
    r = run_hbeu("graph", "--feed", SAMPLE, "--date", "2007-06-05", "-o", str(null), cache=tmp_path / "c")
    assert r.returncode == 0, r.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode) and os.lstat(null).st_rdev == os.makedev(1, 3)
    full = tmp_path / "full.csv"  # a copy of /dev/full: every write fails with ENOSPC
    _char_device(full, 7)
    r = run_hbeu(*FREQ, "-o", str(full), cache=tmp_path / "c")
    one_error_line(r, "No space left on device")
    assert stat.S_ISCHR(os.lstat(full).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "c") == ["full.csv", "null.graphml"]


def test_symlink_keeps_pointing_and_its_target_gets_the_content(tmp_path):
    real = tmp_path / "data" / "table.json"
    real.parent.mkdir()
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    r = run_hbeu(*FREQ, "-o", str(link), cache=tmp_path / "c")
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text())["metadata"]["tool"] == "hbeu freq"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the replaced file's permissions are kept
    assert sorted(p.name for p in real.parent.iterdir()) == ["table.json"]


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600)])
def test_new_files_follow_the_umask(tmp_path, umask, mode):
    out = tmp_path / "t.md"
    r = subprocess.run([sys.executable, "-m", "hbeu_transit", *FREQ, "-o", str(out)], capture_output=True,
                       text=True, cwd=ROOT, timeout=120, preexec_fn=lambda: os.umask(umask),
                       env={**os.environ, "HBEU_CACHE_DIR": str(tmp_path / "c")})
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == mode


def test_dash_is_standard_output(tmp_path):
    r = run_hbeu(*FREQ, "--format", "json", "-o", "-", cache=tmp_path / "c")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["metadata"]["tool"] == "hbeu freq"
    r = run_hbeu("graph", "--feed", SAMPLE, "--date", "2007-06-05", "-o", "-", cache=tmp_path / "c")
    assert r.returncode == 0 and r.stdout.startswith("<?xml") and "graphml" in r.stdout, r.stderr
    p = subprocess.run([sys.executable, "-m", "hbeu_transit", *FREQ, "--format", "parquet", "-o", "-"],
                       capture_output=True, cwd=tmp_path, timeout=120,
                       env={**os.environ, "HBEU_CACHE_DIR": str(tmp_path / "c")})
    assert p.returncode == 0 and p.stdout[:4] == b"PAR1"  # binary to a pipe is fine
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("how", ["./-", ".//-", "$PWD/-"])
def test_only_a_bare_dash_is_standard_output(tmp_path, how):
    """`-o ./-` names a file called `-` in the current folder, as in the shell (`> ./-`); pathlib
    folds `./-` to `-`, so it went to standard output. Found by helper edges3."""
    dest = how.replace("$PWD", str(tmp_path))
    r = run_bytes(*FREQ, "--format", "csv", "-o", dest, tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    assert b"route_id" not in r.stdout   # the data is not on standard output (only the table)
    assert (tmp_path / "-").read_text(encoding="utf-8").startswith("route_id,route_short_name,")
    assert "wrote" in r.stderr.decode() and (tmp_path / "-.meta.json").is_file()


def test_freq_dash_without_format_is_csv(tmp_path):
    """`freq -o -` is CSV on standard output, as its help says ("CSV unless --format"); it was
    refused as "--format table is the terminal preview"."""
    r = run_hbeu(*FREQ, "--by", "hour", "-o", "-", cache=tmp_path / "c")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].split(",")[0] == "hour" and len(r.stdout.splitlines()) == 25


def test_dash_gives_each_output_standard_output_alone(tmp_path):
    """`--map -` is the HTML, `--png -` the PNG bytes, `coverage -o -` only the data: the table
    the command would print is not mixed in; nothing is said on stderr about writing."""
    r = run_bytes(*CIRCLE, "--map", "-", tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    html = r.stdout.decode()
    assert html.lstrip().startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "STAGECOACH" not in html.split("</html>")[-1] and b"wrote" not in r.stderr
    for args in (CIRCLE, COVERAGE, FREQ):
        r = run_bytes(*args, "--png", "-", tmp_path=tmp_path)
        assert r.returncode == 0 and r.stdout.startswith(b"\x89PNG\r\n\x1a\n"), (args[0], r.stderr)
        assert r.stdout.endswith(b"IEND\xaeB`\x82"), args[0]  # one PNG and nothing after it
    for args in (COVERAGE, CIRCLE):
        r = run_bytes(*args, "--format", "json", "-o", "-", tmp_path=tmp_path)
        assert r.returncode == 0 and json.loads(r.stdout)["pairs"][0]["destination"], r.stderr
    r = run_bytes("coverage", "--origin", "Hohhot,Baotou", "--window", "07:00-08:00", "--date", "2026-12-02",
                  "--compare", "hohhot-baotou-hsr", "--format", "json", "-o", "-", tmp_path=tmp_path)
    assert r.returncode == 0 and json.loads(r.stdout)["summary"]["pairs"] == 6, r.stderr  # --compare too
    r = run_bytes("scenario", "apply", "hohhot-baotou-hsr", "-o", "-", tmp_path=tmp_path)
    assert r.returncode == 0 and b"wrote" not in r.stderr, r.stderr
    assert r.stdout[-22:-18] == b"PK\x05\x06"  # the zip's end record is the last thing: no table after it
    with zipfile.ZipFile(io.BytesIO(r.stdout)) as z:
        assert "hohhot-baotou-hsr" in z.read("feed_info.txt").decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c"]  # no file named "-"


def test_format_table_is_the_terminal_view_not_data_on_standard_output(tmp_path):
    """`--format table` is what circle and coverage print without --format: a `--png -` still
    owns standard output (the table is not printed), as without it. Found by helper mut2 (mutant
    table-printing-table: "--png - and --format table both write to standard output")."""
    for args in (CIRCLE, COVERAGE):
        r = run_bytes(*args, "--format", "table", "--png", "-", tmp_path=tmp_path)
        assert r.returncode == 0 and r.stdout.startswith(b"\x89PNG\r\n\x1a\n"), (args[0], r.stderr)
        assert r.stdout.endswith(b"IEND\xaeB`\x82"), args[0]  # one PNG and nothing after it


@pytest.mark.parametrize("args, text", [
    ((*CIRCLE, "--png", "-", "--json"), "--png - and --json both write to standard output"),
    ((*CIRCLE, "--png", "-", "--map", "-"), "--map and --png both write to standard output"),
    ((*FREQ, "--png", "-", "--format", "csv"), "--png - and --format csv both write to standard output"),
    ((*COVERAGE, "--png", "-", "--json"), "--png - and --json both write to standard output"),
    ((*CIRCLE, "--png", "-", "--format", "md"), "--png - and --format md both write to standard output"),
    ((*CIRCLE, "--format", "csv", "-o", "-", "--map", "-"), "-o and --map both write to standard output"),
])
def test_two_things_on_standard_output_is_an_error(tmp_path, args, text):
    one_error_line(run_hbeu(*args, cache=tmp_path / "c"), text)


@pytest.mark.parametrize("args", [(*CIRCLE, "--png", "-"), (*FREQ, "--format", "parquet", "-o", "-")])
def test_binary_to_a_terminal_is_refused_before_any_work(tmp_path, args):
    main, term = os.openpty()
    p = subprocess.Popen([sys.executable, "-m", "hbeu_transit", *args], stdout=term, stderr=subprocess.PIPE,
                         cwd=tmp_path, env={**os.environ, "HBEU_CACHE_DIR": str(tmp_path / "c")})
    os.close(term)
    shown = b""
    try:
        while True:  # drain the terminal (so a wrongly written PNG cannot block the process) until it closes
            try:
                chunk = os.read(main, 65536)
            except OSError:  # EIO: the process has closed its side
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(main)
    r = subprocess.CompletedProcess(p.args, p.wait(timeout=180), None, p.stderr.read())
    p.stderr.close()
    err = r.stderr.decode().strip().splitlines()
    assert r.returncode == 2 and len(err) == 1, r.stderr
    assert err[0].startswith("error: cannot write 'standard output'") and "is binary and standard output is a terminal" in err[0]
    assert shown == b""  # not a byte of it reached the terminal
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # refused before the work: not even the cache


def test_socket_is_written_through_and_kept():
    # AF_UNIX paths are short (108 bytes): a folder of its own under /tmp rather than pytest's tmp_path
    folder = Path(tempfile.mkdtemp(prefix="hbeu-sock-", dir="/tmp"))
    try:
        path = folder / "s.csv"
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(path))
        server.listen(1)
        server.settimeout(150)
        got = io.BytesIO()

        def serve() -> None:
            conn, _ = server.accept()
            with conn:
                while chunk := conn.recv(65536):
                    got.write(chunk)

        reader = threading.Thread(target=serve, daemon=True)
        reader.start()
        r = run_hbeu(*FREQ, "-o", str(path), cache=folder / "c")
        reader.join(30)
        server.close()
        assert r.returncode == 0, r.stderr
        assert stat.S_ISSOCK(os.lstat(path).st_mode)  # the socket is still there, not replaced by a file
        assert got.getvalue().decode().startswith("route_id,route_short_name,")
        assert sorted(p.name for p in folder.iterdir() if p.name != "c") == ["s.csv"]  # no sidecar beside it
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_format_follows_the_extension_and_a_contradiction_is_an_error(tmp_path):
    out = tmp_path / "net.geojson"
    r = run_hbeu("graph", "--feed", SAMPLE, "--date", "2007-06-05", "-o", str(out), cache=tmp_path / "c")
    assert r.returncode == 0 and json.loads(out.read_text())["type"] == "FeatureCollection"
    r = run_hbeu("graph", "--feed", SAMPLE, "-o", str(tmp_path / "x.geojson"), "--format", "graphml")
    one_error_line(r, "--format graphml contradicts")
    r = run_hbeu(*FREQ, "-o", str(tmp_path / "x.csv"), "--format", "json")
    one_error_line(r, "--format json contradicts")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "c") == ["net.geojson"]


@pytest.mark.parametrize("bad, text", [
    ("missing/x.png", "does not exist"),
    ("afile/x.png", "Not a directory"),
    ("/sys/x.png", "cannot be written"),
])
def test_every_output_is_checked_before_any_work(tmp_path, bad, text):
    (tmp_path / "afile").write_text("")
    ok = tmp_path / "ok.csv"
    png = bad if bad.startswith("/") else str(tmp_path / bad)
    t0 = time.monotonic()
    r = run_hbeu(*FREQ, "-o", str(ok), "--png", png, cache=tmp_path / "c")
    one_error_line(r, "cannot write")
    assert text in r.stderr and "--png" in r.stderr
    assert not ok.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["afile"]  # not even the cache
    assert time.monotonic() - t0 < 60


def test_the_analyses_check_every_output_before_any_work(tmp_path):
    """circle, coverage and scenario apply as freq above: one bad output, nothing written, one line."""
    ok, bad = str(tmp_path / "ok"), str(tmp_path / "missing" / "x")
    cases = [
        ([*CIRCLE, "--map", ok + ".html", "--png", bad + ".png"], "cannot write", "--png"),
        ([*CIRCLE, "--png", ok + ".png", "--map", bad + ".html"], "cannot write", "--map"),
        ([*CIRCLE, "--map", ok + ".png"], "cannot tell the format", ".html"),
        ([*CIRCLE, "-o", ok + ".txt"], "cannot tell the format", "'" + ok + ".txt'"),
        ([*CIRCLE, "-o", bad + ".csv"], "cannot write", "-o"),
        ([*CIRCLE, "-o", ok + ".csv", "--png", bad + ".png"], "cannot write", "--png"),
        ([*CIRCLE, "-o", ok + ".csv", "--format", "json"], "--format json contradicts", ".csv"),
        ([*CIRCLE, "--format", "xlsx"], "--format xlsx is binary", "-o"),
        ([*CIRCLE, "--format", "table", "-o", ok + ".md"], "--format table contradicts", ".md"),
        ([*CIRCLE, "--format", "table", "-o", "-"], "--format table is the terminal view", "-o"),
        ([*CIRCLE, "--json", "--format", "csv"], "--json and --format csv disagree", "give one"),
        ([*COVERAGE, "--json", "--format", "md", "-o", ok + ".md"], "--json and --format md disagree", "give one"),
        ([*FREQ, "--json", "--format", "parquet", "-o", ok + ".parquet"], "--json and --format parquet disagree", "give one"),
        ([*COVERAGE, "-o", ok + ".csv", "--png", bad + ".png"], "cannot write", "--png"),
        ([*COVERAGE, "-o", ok + ".csv", "--format", "json"], "--format json contradicts", ".csv"),
        (["scenario", "apply", "hohhot-baotou-hsr", "-o", bad + ".zip"], "cannot write", "-o"),
        (["scenario", "apply", "hohhot-baotou-hsr", "-o", ok + ".gtfs"], "cannot tell the format", ".zip"),
    ]
    got = run_cli_batch([c for c, _, _ in cases], cache=tmp_path / "c")
    for (argv, text, where), r in zip(cases, got):
        lines = r["stderr"].strip().splitlines()
        assert r["code"] == 2 and r["stdout"] == "" and len(lines) == 1, (argv, r)
        assert lines[0].startswith("error: ") and text in lines[0] and where in lines[0], (argv, lines)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written, not even the cache


def test_json_contradicting_the_extension_is_named_as_given(tmp_path):
    """freq and coverage take --json as the format of -o; with -o x.csv the error spoke of a
    "--format json" the user never typed and told them to drop it."""
    cases = [[*args, "--json", "-o", str(tmp_path / "x.csv")] for args in (FREQ, COVERAGE, CIRCLE)]
    for argv, r in zip(cases, run_cli_batch(cases, cache=tmp_path / "c")):
        lines = r["stderr"].strip().splitlines()
        assert r["code"] == 2 and len(lines) == 1, (argv, r)
        assert "--json contradicts" in lines[0] and "drop --json" in lines[0] and "--format" not in lines[0], lines
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_graph_json_and_dash_do_not_share_standard_output(tmp_path):
    """graph --json -o - wrote the GraphML and then the JSON to standard output, one document
    after the other (neither readable), and said "wrote standard output"; as every command
    with --json, it is one line and exit 2 before any work."""
    r = run_bytes("graph", "--feed", SAMPLE, "--date", "2007-06-05", "--json", "-o", "-", tmp_path=tmp_path)
    r.stderr = r.stderr.decode()
    one_error_line(r, "-o - and --json both write to standard output")
    assert r.stdout == b""


@pytest.mark.parametrize("fmt", ["geojson", "svg"])
def test_graph_format_without_an_output_is_refused(tmp_path, fmt):
    """graph --json --format geojson printed node-link JSON, not GeoJSON, without a word: --format
    only picks -o's format, and any value (even 'svg') passed without -o."""
    r = run_bytes("graph", "--feed", SAMPLE, "--date", "2007-06-05", "--json", "--format", fmt, tmp_path=tmp_path)
    r.stderr = r.stderr.decode()
    one_error_line(r, "--format")
    assert "-o" in r.stderr and r.stdout == b""


def test_a_folder_as_output_is_named_as_a_folder(tmp_path):
    """`-o results` where results/ is a folder: every command said it could not tell the format
    of 'results' from its extension and suggested --format, which then only led to "it is a
    folder"; the folder is the problem, so it is named first, with or without an extension."""
    (tmp_path / "results").mkdir()
    (tmp_path / "maps.html").mkdir()
    folder, html = str(tmp_path / "results"), str(tmp_path / "maps.html")
    cases = [
        ([*FREQ, "-o", folder], "-o"),
        ([*FREQ, "-o", folder + "/"], "-o"),
        ([*COVERAGE, "-o", folder], "-o"),
        ([*CIRCLE, "-o", folder], "-o"),
        ([*CIRCLE, "--json", "-o", folder + "/"], "-o"),
        (["graph", "--feed", SAMPLE, "--date", "2007-06-05", "-o", folder], "-o"),
        (["validate", SAMPLE, "-o", folder], "-o"),
        (["scenario", "apply", "hohhot-baotou-hsr", "-o", folder], "-o"),
        ([*CIRCLE, "--png", folder], "--png"),
        ([*CIRCLE, "--map", html], "--map"),
    ]
    got = run_cli_batch([c for c, _ in cases], cache=tmp_path / "c")
    for (argv, option), r in zip(cases, got):
        lines = r["stderr"].strip().splitlines()
        assert r["code"] == 2 and r["stdout"] == "" and len(lines) == 1, (argv, r)
        assert lines[0].startswith("error: cannot write ") and lines[0].endswith(f"({option}): it is a folder"), (argv, lines)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["maps.html", "results"]
    assert not any((tmp_path / "results").iterdir())


def test_ctrl_c_says_so_and_leaves_nothing(tmp_path):
    # work that lasts well beyond the signal on any machine: the circle between every pair of
    # hart's stations (over 25 s; freq --by od over its four months, ~15 s while its xlsx was
    # written cell by cell, now takes ~3 s)
    out = tmp_path / "pairs.xlsx"
    hart = str(shared_feed("hart"))
    p = subprocess.Popen([sys.executable, "-m", "hbeu_transit", "coverage", "--feed", hart, "--by", "station",
                          "-o", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env={**os.environ, "HBEU_CACHE_DIR": str(tmp_path / "c")})
    time.sleep(4)
    assert p.poll() is None, "finished before Ctrl-C: make the work longer"
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130
    assert err.strip().splitlines()[-1] == "interrupted; nothing written" and "Traceback" not in err
    assert [q.name for q in tmp_path.iterdir() if q.name != "c"] == []


def test_ctrl_c_after_the_map_names_what_was_written(tmp_path, monkeypatch, capsys):
    """`circle --map m.html -o t.xlsx` interrupted while the table is written: the map is already
    in place ("wrote m.html" on stderr), and the last line said "interrupted; nothing written".
    It names the files complete before Ctrl-C; the table is not there, not even half.
    Found by helper breaker."""
    pytest.importorskip("folium")
    pytest.importorskip("offlinefolium")
    from conftest import run_main
    from hbeu_transit.cli import app
    from hbeu_transit.cli import circle as circle_cli

    def interrupted(*args, **kwargs):
        raise app.Interrupted

    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setattr(circle_cli, "write", interrupted)      # as Ctrl-C while the table is written
    html, table = tmp_path / "m.html", tmp_path / "t.xlsx"
    code, _, err = run_main([*CIRCLE, "--map", str(html), "-o", str(table)], monkeypatch, capsys)
    assert code == 130 and "Traceback" not in err, err
    assert err.strip().splitlines()[-1] == f"interrupted after writing {html} (nothing half-written)"
    assert html.is_file() and sorted(p.name for p in tmp_path.iterdir()) == ["c", "m.html"]
    # the next run in the same process starts with nothing written
    code, _, err = run_main([*CIRCLE, "-o", str(table)], monkeypatch, capsys)
    assert code == 130 and err.strip().splitlines()[-1] == "interrupted; nothing written", err


def test_ctrl_c_while_an_output_is_written_does_not_name_it(tmp_path, monkeypatch, capsys):
    """Ctrl-C while the map itself is being written: it is not in place, and the last line does
    not name it as written. Found by helper mut2 (mutant delivered-before-written: an output was
    counted as delivered before its bytes were)."""
    from conftest import run_main
    from hbeu_transit import maps
    from hbeu_transit.cli import app

    def interrupted(origin, points, path, **kwargs):
        Path(path).write_text("<!DOCTYPE html><html>half", encoding="utf-8")
        raise app.Interrupted

    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setattr(maps, "circle_map", interrupted)   # as Ctrl-C halfway through the map
    html = tmp_path / "m.html"
    code, _, err = run_main([*CIRCLE, "--map", str(html)], monkeypatch, capsys)
    assert code == 130 and "Traceback" not in err, err
    assert err.strip().splitlines()[-1] == "interrupted; nothing written", err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c"]


def test_a_closed_standard_output_is_named_and_does_not_stop_a_descriptor(tmp_path):
    """Run with standard output closed (``>&-``): -o /dev/fd/N still gets the output (it raised
    AttributeError flushing the missing sys.stdout before writing), and -o - or /dev/stdout is one
    line saying standard output is closed, before any work (it was a traceback after the work)."""
    close_stdout = lambda: os.close(1)  # noqa: E731  (in the child, after its descriptors are set up)
    r = _stream_run(FREQ, tmp_path, str(tmp_path / "file.csv"))
    assert r.returncode == 0, r.stderr
    with open(tmp_path / "fd.csv", "wb") as f:
        r = _stream_run(FREQ, tmp_path, f"/dev/fd/{f.fileno()}", pass_fds=(f.fileno(),), preexec_fn=close_stdout)
    assert r.returncode == 0 and "Traceback" not in r.stderr.decode(), r.stderr
    assert (tmp_path / "fd.csv").read_bytes() == (tmp_path / "file.csv").read_bytes()
    shutil.rmtree(tmp_path / "c")
    for dest in ("-", "/dev/stdout"):
        r = _stream_run([*FREQ, "--format", "csv"], tmp_path, dest, preexec_fn=close_stdout)
        one_error_line(_text(r), "cannot write 'standard output' (-o): it is closed")
    assert not (tmp_path / "c").exists()  # before any work: not even the cache


def test_another_process_pipe_named_in_proc_is_written_through(tmp_path):
    """/proc/PID/fd/N of another process's pipe (as `> /proc/PID/fd/0` in a shell): the pipe gets
    what -o FILE would. It was "folder '/proc/PID/fd' cannot be written": the check resolved the
    name with realpath, and a pipe's link (pipe:[N]) names no file."""
    r = _stream_run(FREQ, tmp_path, str(tmp_path / "file.csv"))
    assert r.returncode == 0, r.stderr
    cat = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(cat.stdout.read()), daemon=True)
    reader.start()
    try:
        r = _stream_run([*FREQ, "--format", "csv"], tmp_path, f"/proc/{cat.pid}/fd/0", stdout=subprocess.PIPE)
    finally:
        cat.stdin.close()
        reader.join(30)
        cat.wait(30)
    assert r.returncode == 0, r.stderr
    assert got == [(tmp_path / "file.csv").read_bytes()]
