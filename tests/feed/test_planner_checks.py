"""feed.validate's planner checks: what every command runs on a first read of the feeds
(``planner_errors``) and what `hbeu validate` reports."""

from __future__ import annotations

import numpy as np
import pytest
import pandas as pd

from hbeu_transit.feed import load_feeds
from hbeu_transit.feed import validate as v


def test_times_parse_each_cell_as_the_rule_says():
    df = pd.DataFrame({"t": pd.Series(["08:00:00", " 08:00:00", "25:10:05", "", None, "8:61:00", "x",
                                       "08:00:00", "0:00:07"], dtype="string")})
    got = v._times(df, "t")
    want = [28800, 28800, 90605, np.nan, np.nan, np.nan, np.nan, 28800, 7]
    assert np.array_equal(got, np.array(want, dtype=float), equal_nan=True)
    assert np.isnan(v._times(df, "missing")).all() and len(v._times(df, "missing")) == len(df)


def test_planner_errors_skip_the_field_checks_the_loader_made(sample_zip, monkeypatch):
    """The loader has checked (and repaired) every field before ``planner_errors`` sees the
    tables, which dropped the field notices anyway: checking them again cost `hbeu info` on a
    fresh cache as much as the first time. `hbeu validate` still reports them."""
    feed = load_feeds([sample_zip])
    calls = []
    real = v.check_table
    monkeypatch.setattr(v, "check_table", lambda name, df: calls.append(name) or real(name, df))
    assert v.planner_errors(feed) == []
    assert calls == []
    stops = feed.tables["stops"].copy()
    stops.loc[stops.index[0], "stop_lat"] = "north"
    notices = v._Checks("feed", {**feed.tables, "stops": stops}, None).run()
    assert calls and [(n.code, n.row, n.field, n.value) for n in notices if n.code == "hbeu_bad_field"] == [
        ("hbeu_bad_field", 2, "stop_lat", "north")]


def _two_feeds(tmp_path):
    """Feeds a and b, each with a two-line stop_headsign on its first stop_times row (lines 2-3);
    b's trip V then arrives at B3 (line 5) before leaving B2 (line 4)."""
    from gtfs_factory import make_feed

    header = b"trip_id,arrival_time,departure_time,stop_id,stop_sequence,stop_headsign\n"
    a = make_feed(tmp_path / "a", stops=[("S1", 40.0, 111.0), ("S2", 40.01, 111.0), ("S3", 40.02, 111.0)],
                  stop_times={"T": [("S1", "08:00:00", "08:00:00"), ("S2", "08:30:00", "08:30:00")]})
    (a / "stop_times.txt").write_bytes(header + b'T,08:00:00,08:00:00,S1,1,"Hohhot\nEast"\n'
                                                b"T,08:30:00,08:30:00,S2,2,\nT,08:40:00,08:40:00,S3,3,\n")
    b = make_feed(tmp_path / "b", stops=[("B1", 41.0, 112.0), ("B2", 41.01, 112.0), ("B3", 41.02, 112.0)],
                  stop_times={"V": [("B1", "08:00:00", "08:00:00"), ("B2", "08:30:00", "08:30:00")]},
                  routes=[{"route_id": "RB", "agency_id": "AB", "route_type": 3}],
                  agency=[{"agency_id": "AB", "agency_name": "B", "agency_url": "https://b.example",
                           "agency_timezone": "UTC"}],
                  trips=[{"trip_id": "V", "route_id": "RB", "service_id": "SB"}],
                  calendar=[{"service_id": "SB", "monday": 1, "tuesday": 1, "wednesday": 1, "thursday": 1,
                             "friday": 1, "saturday": 1, "sunday": 1, "start_date": "20240101",
                             "end_date": "20241231"}])
    (b / "stop_times.txt").write_bytes(header + b'V,08:00:00,08:00:00,B1,1,"Baotou\nWest"\n'
                                                b"V,08:30:00,08:30:00,B2,2,\nV,08:20:00,08:20:00,B3,3,\n")
    return a, b


def test_planner_errors_on_merged_feeds_name_the_feed_file_and_line_of_the_row(tmp_path):
    """Found by helper feedcheck. The checks every command runs on the merged feeds named the
    file "feed/stop_times.txt" and the row's place in the merged table (line 7 here), not its
    feed's file and line: pandas drops the line shifts of tables merged from feeds that differ
    in them and keeps the first feed's where they agree, as here. `hbeu validate` checks each
    feed on its own and says b/stop_times.txt line 5; so do they now, and the warning names it."""
    a, b = _two_feeds(tmp_path)
    feed = load_feeds([a, b])
    got = [(n.code, n.file, n.row) for n in v.planner_errors(feed)]
    assert got == [("time_travels_backwards", "b/stop_times.txt", 5)]
    alone = [(n.code, n.file, n.row) for n in v.validate([a, b], canonical=False).notices if n.severity == "ERROR"]
    assert alone == got


def test_merged_tables_keep_each_row_s_line_in_its_feed(tmp_path):
    """``row_lines`` of a merged table: each row's line in its own feed's file (header = 1)."""
    from hbeu_transit.feed.lines import row_lines

    a, b = _two_feeds(tmp_path)
    st = load_feeds([a, b]).stop_times
    assert list(zip(st["feed_name"], row_lines(st).tolist())) == [
        ("a", 2), ("a", 4), ("a", 5), ("b", 2), ("b", 4), ("b", 5)]


def test_the_warning_of_every_command_names_the_feed_file_and_line(tmp_path):
    """The one-line warning a command gives on merged feeds with errors says where the first is,
    in its feed's file, not only what it is."""
    from conftest import run_hbeu

    a, b = _two_feeds(tmp_path)
    r = run_hbeu("info", "--feed", str(a), "--feed", str(b), "--date", "2024-03-05", cache=tmp_path / "cache")
    warned = [ln for ln in r.stderr.splitlines() if ln.startswith("warning: the feeds have")]
    assert r.returncode == 0 and len(warned) == 1, r.stderr
    assert "e.g. b/stop_times.txt line 5: time_travels_backwards: trip 'V'" in warned[0]


def test_two_feeds_of_one_file_name_are_told_apart_by_their_paths(tmp_path):
    """Found by helper feedcheck. Agencies publish google_transit.zip or gtfs.zip: given two
    feeds of one name, the loader's error said gtfs.zip/stop_times.txt, `hbeu validate`'s notices
    gtfs/stop_times.txt and the checks' warning gtfs2/stop_times.txt (the merged feed's name for
    the second, a file nobody has) for either. Such feeds are named by their paths."""
    import shutil

    from conftest import ROOT

    from hbeu_transit.errors import FeedError

    corpus = ROOT / "tests" / "broken_feeds"
    good, backwards, unknown, latin1 = (tmp_path / d / "gtfs.zip" for d in ("x", "y", "z", "w"))
    for src, dst in ((ROOT / "tests" / "data" / "sample.zip", good), (corpus / "47_time_backwards.zip", backwards),
                     (corpus / "43_unknown_stop_in_stop_times.zip", unknown), (corpus / "30_latin1_file.zip", latin1)):
        dst.parent.mkdir()
        shutil.copy(src, dst)
    with pytest.raises(FeedError) as e:
        load_feeds([good, unknown])
    assert str(e.value) == (f"{unknown}/stop_times.txt line 2 field stop_id: unknown stop_id 'NOWHERE' "
                            "(not in stops.txt)")
    with pytest.raises(FeedError) as e:   # found while reading the files
        load_feeds([good, latin1])
    assert str(e.value).startswith(f"{latin1}/stops.txt line ") and "is not UTF-8 text" in str(e.value)
    unreadable = v.validate([good, latin1], canonical=False).notices
    assert [n.file for n in unreadable if n.code == "hbeu_unreadable_feed"] == [f"{latin1}/stops.txt"]
    merged = v.planner_errors(load_feeds([good, backwards]))
    checked = [(n.code, n.file, n.row) for n in merged]
    assert checked == [("time_travels_backwards", f"{backwards}/stop_times.txt", 6)]
    # the second feed's ids clash with the first's, so the merged feed prefixes them (gtfs2:CITY1);
    # the notice speaks of the ids its file has
    assert "trip 'CITY1' arrives at stop 'NADAV'" in merged[0].message and "gtfs2:" not in merged[0].message
    report = v.validate([good, backwards], canonical=False)
    assert [(n.code, n.file, n.row) for n in report.notices if n.severity == "ERROR"] == checked
    alone = v.validate([backwards], canonical=False)   # one feed: its name, as before
    assert [(n.code, n.file, n.row) for n in alone.notices if n.severity == "ERROR"] == [
        ("time_travels_backwards", "gtfs/stop_times.txt", 6)]


_STOPS = [("S1", 40.0, 111.0), ("S2", 40.01, 111.0), ("S3", 40.02, 111.0)]


@pytest.mark.parametrize("name, trip, stops, says, value", [
    # an id whose repr is in double quotes kept the prefix: trip "b:O'Hare"
    ("b", "O'Hare", ["S1", "S2", "S3"], "trip \"O'Hare\" arrives at stop 'S3'", "08:20:00"),
    # a feed name with an apostrophe: its prefix was never found ("o'b:T")
    ("o'b", "T", ["S1", "S2", "S3"], "trip 'T' arrives at stop 'S3'", "08:20:00"),
    # a feed named 08: its prefix was cut from the time the notice is about ("20:00")
    ("08", "T", ["S1", "S2", "S3"], "trip 'T' arrives at stop 'S3' (08:20:00)", "08:20:00"),
    # a station both feeds publish is one, under the id both give it (never prefixed): was 'Hub'
    ("b", "T", ["S1", "S2", "b:Hub"], "trip 'T' arrives at stop 'b:Hub'", "08:20:00"),
    # guards (right before): an id that does start with the feed's name, a feed name with a colon
    ("b", "b:T", ["S1", "S2", "S3"], "trip 'b:T' arrives at stop 'S3'", "08:20:00"),
    ("x:y", "T", ["S1", "S2", "S3"], "trip 'T' arrives at stop 'S3'", "08:20:00"),
], ids=["apostrophe_id", "apostrophe_feed", "feed_08", "shared_station", "id_with_name", "feed_with_colon"])
def test_merged_notices_speak_of_the_ids_the_feed_s_file_has(tmp_path, name, trip, stops, says, value):
    """Found by helper mends16b. A notice on merged feeds took the prefix the merge gave a
    feed's clashing ids ('b:') out of its message by text, as "'b:" -> "'", and out of the value
    where it began so: an id quoted in double quotes (an apostrophe in it, or in the feed's name)
    kept it, a value that was no id lost its start, and a shared station, which keeps its id,
    lost a start that was its own. The ids are now taken back to their files' form one by one."""
    from gtfs_factory import make_feed

    hub = {"stop_id": "b:Hub", "stop_name": "Hub", "stop_lat": 40.0105, "stop_lon": 111.0, "location_type": 1}
    a = make_feed(tmp_path / "a", stops=_STOPS + [hub], stop_times={"T": [(s, "08:00:00", "08:00:00")
                                                                         for s in ("S1", "S2")]})
    b = make_feed(tmp_path / "b2" / name, stops=_STOPS + [hub],
                  stop_times={trip: [(stops[0], "08:00:00", "08:00:00"), (stops[1], "08:30:00", "08:30:00"),
                                     (stops[2], "08:20:00", "08:20:00")]})
    feed = load_feeds([a, b])
    assert feed.sources[1].prefix == f"{name}:"
    (n,) = v.planner_errors(feed)
    assert (n.code, n.file, n.row, n.value) == ("time_travels_backwards", f"{name}/stop_times.txt", 4, value)
    assert n.message.startswith(says), n.message


def test_a_bad_time_in_merged_or_picked_rows_names_the_row_s_line(tmp_path):
    """Found by helper feedcheck. ``parse_time_column`` named a bad time's line as its place in
    the column given + 2: in merged feeds the place in the merged table (line 7 here, for line 5
    of b/stop_times.txt), in rows picked out of a table (one date's trips: the compiler's
    frequencies) the place among them (line 3), and one line low after a quoted newline. A
    loaded table's rows keep their line (``feed.lines``): it names that."""
    from hbeu_transit.errors import FeedError
    from hbeu_transit.feed import parse_time_column

    st = load_feeds(list(_two_feeds(tmp_path))).stop_times
    st.loc[5, "arrival_time"] = "8:6x:00"
    for rows in (st, st.loc[[1, 5]], st[st["feed_name"] == "b"]):
        with pytest.raises(FeedError) as e:
            parse_time_column(rows["arrival_time"], "stop_times.txt", "arrival_time")
        assert (e.value.line, e.value.field) == (5, "arrival_time")
    plain = pd.Series(["08:00:00", "8:6x:00"])   # a column of its own: by place
    with pytest.raises(FeedError) as e:
        parse_time_column(plain, "f.txt", "t")
    assert e.value.line == 3
