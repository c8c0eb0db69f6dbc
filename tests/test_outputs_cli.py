"""Outputs never hurt the user's files, through the real CLI (one process per case): devices,
FIFOs and symlinks kept, umask respected, `-o -`, the format from the extension, every path
checked before the work, one line and exit 2 when a path cannot be written, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest

from conftest import ROOT, run_hbeu, shared_feed

SAMPLE = str(ROOT / "tests" / "data" / "sample.zip")
FREQ = ("freq", "--feed", SAMPLE, "--date", "2007-06-05")


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


def test_ctrl_c_says_so_and_leaves_nothing(tmp_path):
    # work that lasts well beyond the signal on any machine: every day of hart's four months by
    # origin and destination (the bundled feed's year took only ~4 s on a quiet machine)
    out = tmp_path / "months.xlsx"
    hart = str(shared_feed("hart"))
    p = subprocess.Popen([sys.executable, "-m", "hbeu_transit", "freq", "--feed", hart, "--by", "od",
                          "--from", "2018-02-25", "--to", "2018-06-30", "-o", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env={**os.environ, "HBEU_CACHE_DIR": str(tmp_path / "c")})
    time.sleep(4)
    assert p.poll() is None, "finished before Ctrl-C: make the work longer"
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130
    assert err.strip().splitlines()[-1] == "interrupted; nothing written" and "Traceback" not in err
    assert [q.name for q in tmp_path.iterdir() if q.name != "c"] == []
