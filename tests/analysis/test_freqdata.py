"""The frequency tables' cached arrays (analysis/freqdata.py): a warm cache gives exactly the
tables the loaded feed gives, its service calendar is ``active_services`` date by date, and a
stale, damaged or differently keyed file is never used. (Against brute force: test_frequency.py
runs its corner-feed and random-feed checks on the cached arrays too.)"""

from __future__ import annotations

import datetime as dt
import warnings

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import ROOT, missing
from freq_feeds import corner_feed
from hbeu_transit.analysis import frequency as fr
from hbeu_transit.analysis.freqdata import FORMAT_VERSION, freq_cache_path, load_freq_data
from hbeu_transit.errors import FeedError
from hbeu_transit.feed import active_services, load_feeds

REGIONAL = ROOT / "data" / "gtfs"


def _feeds(request, name):
    if name == "corner":
        return [corner_feed(request.getfixturevalue("tmp_path") / "corner")]
    if name == "regional":
        paths = sorted(REGIONAL.glob("*.zip"))
        if not paths:
            missing("the bundled regional feeds")
        return paths
    return [request.getfixturevalue(f"{name}_zip")]


@pytest.mark.parametrize("name", ["corner", "caltrain", "sample", "regional"])
def test_warm_cache_gives_the_same_tables_as_the_feed(request, tmp_path, name):
    paths = _feeds(request, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        feed = load_feeds(paths)
    load_freq_data(paths, cache_dir=tmp_path, feed_loader=lambda: feed)
    warm = load_freq_data(paths, cache_dir=tmp_path, feed_loader=lambda: pytest.fail("the warm cache read the feed"))
    assert warm.served_dates and warm.timezone == feed.timezone
    served = [dt.date.fromisoformat(d) for d in warm.served_dates]
    # every date the feed may run, a day either side, and a day long before and after
    span = fr.date_range(served[0] - dt.timedelta(days=1), served[-1] + dt.timedelta(days=1))
    code = {s: i for i, s in enumerate(warm.service_ids)}
    cal, cd = feed.get("calendar"), feed.get("calendar_dates")
    for d in span[::max(1, len(span) // 120)] + [span[0] - dt.timedelta(days=400), span[-1] + dt.timedelta(days=400)]:
        assert warm.services_on(d) == {code[s] for s in active_services(cal, cd, d) if s in code}, d
    assert warm.holiday_set(span) == fr.holiday_dates(feed, span)
    busiest = max(served[:60], key=lambda d: len(warm.services_on(d)))
    week = fr.date_range(busiest, busiest + dt.timedelta(days=6))
    for by, table in fr.BY.items():
        for days, clock in (([busiest], "calendar"), (week, "calendar"), (week, "service")):
            kw = {"stations": True} if by == "od" and name != "regional" else {}
            want = table(feed, days, clock=clock, **kw)
            got = table(warm, days, clock=clock, **kw)
            pd.testing.assert_frame_equal(got, want)
            assert got.attrs == want.attrs


def test_stale_or_damaged_cache_files_are_rebuilt(tmp_path, caltrain_zip):
    path = freq_cache_path([caltrain_zip], tmp_path)
    first = load_freq_data([caltrain_zip], cache_dir=tmp_path)
    reads = []

    def loader():
        reads.append(1)
        return load_feeds([caltrain_zip])

    path.write_bytes(b"not a zip")
    again = load_freq_data([caltrain_zip], cache_dir=tmp_path, feed_loader=loader)
    assert reads == [1] and list(again.served_dates) == list(first.served_dates)
    from hbeu_transit.cache import read_arrays, write_arrays

    arrays, meta = read_arrays(path, FORMAT_VERSION)
    write_arrays(path, arrays, meta, FORMAT_VERSION + 1)    # written by another version of hbeu
    load_freq_data([caltrain_zip], cache_dir=tmp_path, feed_loader=loader)
    assert reads == [1, 1]
    load_freq_data([caltrain_zip], cache_dir=tmp_path, feed_loader=loader)
    assert reads == [1, 1]                                  # rebuilt, then used


def test_an_areas_csv_is_part_of_the_key(tmp_path, caltrain_zip):
    areas = tmp_path / "areas.csv"
    areas.write_text("stop_id,area\n70011,North\n70012,North\n")
    assert freq_cache_path([caltrain_zip], tmp_path, areas) != freq_cache_path([caltrain_zip], tmp_path)
    areas2 = tmp_path / "areas2.csv"
    areas2.write_text("stop_id,area\n70011,South\n70012,North\n")
    assert freq_cache_path([caltrain_zip], tmp_path, areas) != freq_cache_path([caltrain_zip], tmp_path, areas2)


def test_warm_freq_command_reads_no_feed(tmp_path, monkeypatch, caltrain_zip):
    """Through the CLI: the second ``hbeu freq`` of a feed counts from the cache alone (no CSV
    parsed, no gtfs-kit) and prints exactly what the first printed, for every table."""
    from hbeu_transit.cli.app import app
    import hbeu_transit.feed.load as load

    monkeypatch.setenv("HBEU_CACHE_DIR", str(tmp_path))
    runner = CliRunner()
    args = ["freq", "--feed", str(caltrain_zip), "--from", "2017-08-01", "--to", "2017-08-14", "--format", "csv"]
    cold = {by: runner.invoke(app, args + ["--by", by]) for by in fr.BY}
    assert all(r.exit_code == 0 for r in cold.values()), {by: r.output[-300:] for by, r in cold.items()}

    def no_reading(*a, **k):
        raise AssertionError("a warm freq read the feed")

    monkeypatch.setattr(load, "load_feeds", no_reading)
    for by in fr.BY:
        warm = runner.invoke(app, args + ["--by", by])
        assert warm.exit_code == 0, warm.output[-500:]
        assert warm.stdout == cold[by].stdout and len(warm.stdout.splitlines()) > 2


def test_long_ranges_show_a_progress_bar_on_a_terminal_only(tmp_path, caltrain_zip):
    """Through the CLI: ``hbeu freq`` over three months draws rich's progress bar ("dates",
    with the count of dates) when stderr is a terminal, and nothing of it when it is not."""
    import os
    import pty
    import subprocess
    import sys

    args = [sys.executable, "-m", "hbeu_transit", "freq", "--feed", str(caltrain_zip), "--by", "od",
            "--from", "2017-07-01", "--to", "2017-09-30", "--format", "csv"]
    env = {**os.environ, "HBEU_CACHE_DIR": str(tmp_path), "COLUMNS": "100"}
    master, slave = pty.openpty()
    with open(tmp_path / "out.csv", "wb") as out_file:   # a file: a full pipe would block the child
        p = subprocess.Popen(args, stdout=out_file, stderr=slave, env=env)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:         # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        p.wait(timeout=300)
    os.close(master)
    terminal = b"".join(chunks).decode(errors="replace")
    assert p.returncode == 0, terminal[-2000:]
    assert "dates" in terminal and "━" in terminal, terminal[-2000:]
    piped = subprocess.run(args, capture_output=True, env=env, timeout=300)
    assert piped.returncode == 0 and piped.stdout == (tmp_path / "out.csv").read_bytes()
    assert "━" not in piped.stderr.decode() and "dates" not in piped.stderr.decode()


def test_od_counts_the_same_in_small_chunks(monkeypatch, caltrain_zip):
    """The od table sums its departures chunk by chunk (bounded memory): any chunk size gives
    the same table."""
    feed = load_feeds([caltrain_zip])
    days = fr.date_range(dt.date(2017, 7, 28), dt.date(2017, 8, 6))
    whole = fr.od_frequency(feed, days, stations=True, window=(7 * 3600, 9 * 3600))
    monkeypatch.setattr(fr, "_CHUNK_EVENTS", 7)
    pd.testing.assert_frame_equal(fr.od_frequency(feed, days, stations=True, window=(7 * 3600, 9 * 3600)), whole)


def _calendar_feed(tmp_path, cal_dates):
    """Weekday service WK (calendar 2024-01-01..2024-06-30) and whatever ``cal_dates`` add."""
    from gtfs_factory import make_feed

    wk = {"service_id": "WK", "monday": 1, "tuesday": 1, "wednesday": 1, "thursday": 1, "friday": 1,
          "saturday": 0, "sunday": 0, "start_date": "20240101", "end_date": "20240630"}
    services = ["WK"] + sorted({r["service_id"] for r in cal_dates} - {"WK"})
    return make_feed(tmp_path / "f", stops=[("A", 0.0, 0.0), ("B", 0.0, 0.01)],
                     stop_times={f"T{k}": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:10:00")]
                                 for k in range(len(services))},
                     trips=[{"trip_id": f"T{k}", "service_id": s} for k, s in enumerate(services)],
                     calendar=[wk], calendar_dates=cal_dates)


def test_contradictory_exceptions_are_refused_before_any_calendar_reads_them(tmp_path):
    """calendar_dates.txt both removes and adds WK on Tuesday 2024-06-04, in either order: one
    key (service_id, date) twice, which the loader refuses naming the second row, so neither the
    frequency tables' calendar nor the timetable's has to pick one (they once had to agree)."""
    for k, rows in enumerate(([("WK", 2), ("WK", 1)], [("WK", 1), ("WK", 2)])):
        path = _calendar_feed(tmp_path / str(k), [{"service_id": s, "date": "20240604", "exception_type": e}
                                                  for s, e in rows])
        with pytest.raises(FeedError, match=r"calendar_dates\.txt line 3 field date: duplicate service_id 'WK'"):
            load_feeds([path])


def test_holiday_rule_at_its_edges(tmp_path):
    """WK added on Monday 2024-07-01, after its calendar ends: a holiday (the weekly pattern does
    not run it then). CDO, known only from calendar_dates, runs on 13 of the 26 Tuesdays of the
    service period (2024-01-01..2024-07-01), half of them: its Tuesdays are regular, not holidays;
    its one Saturday is."""
    tuesdays = [dt.date(2024, 1, 2) + dt.timedelta(weeks=w) for w in range(26)]
    assert tuesdays[-1] == dt.date(2024, 6, 25)
    cdo = tuesdays[::2]
    rows = [{"service_id": "WK", "date": "20240701", "exception_type": 1}] + [
        {"service_id": "CDO", "date": d.strftime("%Y%m%d"), "exception_type": 1} for d in cdo] + [
        {"service_id": "CDO", "date": "20240316", "exception_type": 1}]
    feed = load_feeds([_calendar_feed(tmp_path, rows)])
    span = fr.date_range(dt.date(2024, 1, 1), dt.date(2024, 7, 1))
    assert fr.holiday_dates(feed, span) == {dt.date(2024, 7, 1), dt.date(2024, 3, 16)}


def test_a_city_id_loses_only_its_own_feed_s_merge_prefix(tmp_path):
    """Found by helper mends16b. The tables show a city's area_id as its feed's file has it, the
    prefix the merge gave a later feed's clashing ids ('b:South' -> 'South') cut off; it was cut
    off any id that began with some feed's prefix: feed a's own 'b:North' (never prefixed) was
    shown as 'North', and so was an --areas city named 'b:Harbour'."""
    from gtfs_factory import make_feed

    from hbeu_transit.analysis.freqdata import prepare

    def feed(name, area, called):
        return make_feed(tmp_path / name, stops=[("S1", 0.0, 0.0), ("S2", 0.0, 0.01), ("S3", 0.0, 0.02)],
                         stop_times={"T": [("S1", "08:00:00", "08:00:00"), ("S2", "08:10:00", "08:10:00"),
                                           ("S3", "08:20:00", "08:20:00")]},
                         areas=[{"area_id": area, "area_name": called}],
                         stop_areas=[{"area_id": area, "stop_id": s} for s in ("S1", "S2")])

    merged = load_feeds([feed("a", "b:North", "North City"), feed("b", "South", "South City")])
    assert [s.prefix for s in merged.sources] == ["", "b:"]
    areas = tmp_path / "areas.csv"
    areas.write_text("stop_id,area\nb:S3,b:Harbour\n", encoding="utf-8")
    data = prepare(merged, areas)
    shown = dict(zip(data.area_names, data.area_ids))
    assert {n: shown[n] for n in ("North City", "South City", "b:Harbour")} == {
        "North City": "b:North", "South City": "South", "b:Harbour": "b:Harbour"}
