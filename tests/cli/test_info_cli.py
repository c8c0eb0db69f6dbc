"""`hbeu info` end to end, as a user runs it (a subprocess, exit codes, JSON)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT, missing, run_hbeu
from reference.gtfs_text import read_tables


def _count_trips(zip_path: Path, date: str) -> int:
    """Brute force: trips whose service runs on ``date``, times their frequency runs."""
    with zipfile.ZipFile(zip_path) as zf:
        names = set(zf.namelist())
        empty = {"calendar.txt": ["service_id", "start_date", "end_date"],
                 "calendar_dates.txt": ["service_id", "date", "exception_type"],
                 "frequencies.txt": ["trip_id", "start_time", "end_time", "headway_secs"]}

        def read(n: str) -> pd.DataFrame:  # optional files may be absent
            return pd.read_csv(zf.open(n), dtype=str) if n in names else pd.DataFrame(columns=empty[n])

        trips, cal, cd, freq = read("trips.txt"), read("calendar.txt"), read("calendar_dates.txt"), read(
            "frequencies.txt")
    wd = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][
        pd.Timestamp(date).weekday()]
    ymd = date.replace("-", "")
    on = set(cal[(cal.start_date <= ymd) & (cal.end_date >= ymd) & (cal.get(wd, "0") == "1")].service_id)
    on |= set(cd[(cd.date == ymd) & (cd.exception_type == "1")].service_id)
    on -= set(cd[(cd.date == ymd) & (cd.exception_type == "2")].service_id)
    total = 0
    for _, t in trips[trips.service_id.isin(on)].iterrows():
        rows = freq[freq.trip_id == t.trip_id]
        if rows.empty:
            total += 1
        for _, r in rows.iterrows():
            sec = lambda s: sum(int(x) * m for x, m in zip(s.split(":"), (3600, 60, 1)))  # noqa: E731
            start, end, h = sec(r.start_time), sec(r.end_time), int(r.headway_secs)
            total += len(range(start, end, h))
    return total


def test_info_sample_json(sample_zip):
    r = run_hbeu("info", "--feed", str(sample_zip), "--date", "2007-06-09", "--json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["agencies"][0]["name"] == "Demo Transit Authority"
    assert s["stops"] == 9 and s["stations"] == 9  # no parent stations: every stop a trip calls at
    assert s["routes_by_mode"] == {"bus": 5}
    assert s["trips_on_date"] == _count_trips(sample_zip, "2007-06-09")
    assert (s["service_start"], s["service_end"]) == ("2007-01-01", "2010-12-31")


def test_info_removed_date_has_no_trips(sample_zip):
    r = run_hbeu("info", "--feed", str(sample_zip), "--date", "2007-06-04", "--json")
    assert json.loads(r.stdout)["trips_on_date"] == 0


def test_info_table_renders(sample_zip):
    r = run_hbeu("info", "--feed", str(sample_zip))
    assert r.returncode == 0
    assert "Demo Transit Authority" in r.stdout and "bus" in r.stdout
    assert "using its first service date 2007-01-01" in r.stderr


def test_info_bundled_regional_feed():
    if not list((ROOT / "data" / "gtfs").glob("*.zip")):
        missing("regional feed data/gtfs/*.zip not built yet")
    r = run_hbeu("info", "--json", "--date", "2026-12-02")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert {a["timezone"] for a in s["agencies"]} == {"Asia/Shanghai"}
    assert len(s["feeds"]) == 2 and all(f["feed_version"] for f in s["feeds"])
    # stations = the places trips call at, from the text: a platform's parent station, else the stop
    # (the rail and bus feeds share some stations), as `hbeu stations` lists them
    called = set()
    for p in sorted((ROOT / "data" / "gtfs").glob("*.zip")):
        t = read_tables(p)
        parent = {r["stop_id"]: r.get("parent_station") or r["stop_id"] for r in t["stops"]}
        called |= {parent[r["stop_id"]] for r in t["stop_times"]}
    assert s["stations"] == len(called)
    expected = sum(_count_trips(p, "2026-12-02") for p in sorted((ROOT / "data" / "gtfs").glob("*.zip")))
    assert s["trips_on_date"] == expected


@pytest.mark.parametrize("args,needle", [
    (["--feed", "no/such.zip"], "no/such.zip: no such file or folder"),
    (["--date", "2026-02-30"], "impossible date '2026-02-30'"),
])
def test_info_bad_input_is_one_line(sample_zip, args, needle):
    if "--feed" not in args:
        args = ["--feed", str(sample_zip), *args]
    r = run_hbeu("info", *args)
    assert r.returncode == 2
    assert needle in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("columns", ["60", "80", "100"])
def test_info_keeps_feed_names_whole(columns, monkeypatch, capsys, tmp_path):
    """At 100 columns the Feeds table folded 'hbeu-rail' into 'hbeu-rai' / 'l' while the
    version and publisher columns had room to fold instead: a feed's name (what --feed and the
    id prefixes go by) is kept whole."""
    from conftest import run_main

    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path))
    code, out, err = run_main(["info", "--date", "2026-12-09"], monkeypatch, capsys)
    assert code == 0, err
    feeds = out[:out.index("Agencies")]
    for name in ("hbeu-bus", "hbeu-rail"):
        assert f"│ {name} " in feeds, feeds
    assert max(len(line) for line in out.splitlines()) <= int(columns)


@pytest.mark.parametrize("given", [".", "./", "sub/.."])
def test_a_feed_given_as_the_current_folder_is_named_after_it(given, monkeypatch, capsys, tmp_path):
    """`hbeu info --feed .` inside a GTFS folder named the feed '' (an empty cell in the Feeds
    table, "name": "" in JSON), and in a folder without GTFS files the error read
    '/agency.txt: required file is missing or empty', as if about the root folder."""
    from conftest import run_main

    feed = tmp_path / "demo"
    (feed / "sub").mkdir(parents=True)
    with zipfile.ZipFile(ROOT / "tests" / "data" / "sample.zip") as z:
        z.extractall(feed)
    monkeypatch.chdir(feed)
    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path / "cache"))
    code, out, err = run_main(["info", "--feed", given, "--json"], monkeypatch, capsys)
    assert code == 0, err
    assert [f["name"] for f in json.loads(out)["feeds"]] == ["demo"]
    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    monkeypatch.chdir(empty)
    code, out, err = run_main(["stations", "--feed", given], monkeypatch, capsys)
    assert code == 2 and err.strip() == "error: empty/agency.txt: required file is missing or empty", err


@pytest.mark.parametrize("command", [["info"], ["stations"], ["plan", "STAGECOACH", "BEATTY_AIRPORT"], ["validate"]])
def test_an_unreadable_feed_is_one_error_line(command, monkeypatch, capsys, tmp_path, sample_zip):
    """A feed zip the user may not read (mode 000, someone else's file): a PermissionError
    traceback from the feed's content hash. Reading is refused here by the operating system's
    answer itself (open raises PermissionError for that file), since tests may run as root."""
    import builtins
    import shutil

    from conftest import run_main

    feed = tmp_path / "locked.zip"
    shutil.copy(sample_zip, feed)
    real_open = builtins.open

    def refusing_open(file, *args, **kwargs):
        if str(file) == str(feed) or str(file).endswith("/locked.zip"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path / "cache"))
    argv = [*command, str(feed)] if command == ["validate"] else [*command, "--feed", str(feed)]
    code, out, err = run_main(argv, monkeypatch, capsys)
    assert "Traceback" not in err and code == 2, err
    if command == ["validate"]:   # the report says it, as for any feed it cannot read
        assert "hbeu_unreadable_feed" in out and "Permission denied" in out, out
        return
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "locked.zip" in lines[0] and "Permission denied" in lines[0], err


def test_a_device_as_feed_is_no_zip_or_folder(monkeypatch, capsys, tmp_path):
    """--feed /dev/null (or /dev/stdin, a pipe): 'null/agency.txt: cannot be read (Not a
    directory)', reading the device as a folder; it is neither a zip nor a folder."""
    from conftest import run_main

    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path / "cache"))
    code, out, err = run_main(["info", "--feed", "/dev/null"], monkeypatch, capsys)
    assert code == 2 and err.strip() == "error: /dev/null: not a zip file or a folder of GTFS .txt files", err
