"""The loader: merging, prefixes only where needed, unpadded times, one-line errors."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from reference.gtfs_text import read_tables, services_on

from hbeu_transit.errors import FeedError
from hbeu_transit.feed import active_services, default_date, load_feeds, parse_time_column, stop_areas


def _unzip(src: Path, dst: Path) -> Path:
    dst.mkdir()
    with zipfile.ZipFile(src) as zf:
        zf.extractall(dst)
    return dst


def _edit(folder: Path, name: str, fn) -> None:
    p = folder / f"{name}.txt"
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    fn(df).to_csv(p, index=False)


def test_single_feed_keeps_ids(sample_zip):
    f = load_feeds([sample_zip])
    assert f.sources[0].prefix == ""
    assert "STAGECOACH" in set(f.stops["stop_id"])
    assert set(f.stops["feed_name"]) == {"sample"}


def test_merging_prefixes_only_the_colliding_feed(tmp_path, sample_zip, caltrain_zip):
    a = _unzip(sample_zip, tmp_path / "a")
    b = _unzip(sample_zip, tmp_path / "b")
    f = load_feeds([a, b, caltrain_zip])
    prefixes = [s.prefix for s in f.sources]
    assert prefixes == ["", "b:", ""]  # caltrain shares no id with the sample feed
    ids = f.stops["stop_id"]
    assert ids.is_unique
    assert "b:STAGECOACH" in set(ids) and "STAGECOACH" in set(ids)
    # references follow their prefix
    b_times = f.stop_times[f.stop_times["feed_name"] == "b"]
    assert b_times["trip_id"].str.startswith("b:").all()
    assert b_times["stop_id"].isin(set(ids)).all()
    assert f.trips["trip_id"].is_unique
    # provenance
    assert f.trips.groupby("feed_name").size().to_dict() == {"a": 11, "b": 11, "caltrain": 188}


def test_unknown_files_and_columns_are_ignored(caltrain_zip):
    with zipfile.ZipFile(caltrain_zip) as zf:
        names = {Path(n).stem for n in zf.namelist()}
    assert "realtime_trips" in names  # the feed really has extension files
    f = load_feeds([caltrain_zip])
    assert "realtime_trips" not in f.tables


def test_unpadded_and_overnight_times():
    s = pd.Series(["5:30:00", "05:30:00", "25:01:02", None, ""])
    got = parse_time_column(s, "stop_times.txt", "arrival_time")
    assert got[0] == got[1] == 5 * 3600 + 30 * 60
    assert got[2] == 25 * 3600 + 62
    assert np.isnan(got[3]) and np.isnan(got[4])


@pytest.mark.parametrize("bad", ["5:3x:00", "12:60:00", "noon", "1:2:3"])
def test_bad_time_names_file_line_and_field(tmp_path, sample_zip, bad):
    d = _unzip(sample_zip, tmp_path / "f")

    def put(df):
        df.loc[3, "arrival_time"] = bad
        return df

    _edit(d, "stop_times", put)
    with pytest.raises(FeedError) as e:
        load_feeds([d])
    assert str(e.value) == f"f/stop_times.txt line 5 field arrival_time: bad time {bad!r} (expected HH:MM:SS)"


def test_unknown_stop_reference(tmp_path, sample_zip):
    d = _unzip(sample_zip, tmp_path / "f")

    def put(df):
        df.loc[0, "stop_id"] = "NOWHERE"
        return df

    _edit(d, "stop_times", put)
    with pytest.raises(FeedError, match=r"stop_times.txt line 2 field stop_id: unknown stop_id 'NOWHERE'"):
        load_feeds([d])


def test_missing_required_file(tmp_path, sample_zip):
    d = _unzip(sample_zip, tmp_path / "f")
    (d / "trips.txt").unlink()
    with pytest.raises(FeedError, match="trips.txt: required file is missing"):
        load_feeds([d])


def test_not_a_zip(tmp_path):
    p = tmp_path / "x.zip"
    p.write_text("hello")
    with pytest.raises(FeedError, match="not a zip file"):
        load_feeds([p])


def test_service_calendar_exceptions(sample_zip):
    f = load_feeds([sample_zip])
    # calendar: FULLW every day, WE on weekends; calendar_dates removes FULLW on 2007-06-04
    assert active_services(f.calendar, f.calendar_dates, dt.date(2007, 6, 4)) == set()
    assert active_services(f.calendar, f.calendar_dates, dt.date(2007, 6, 5)) == {"FULLW"}
    assert active_services(f.calendar, f.calendar_dates, dt.date(2007, 6, 9)) == {"FULLW", "WE"}
    assert active_services(f.calendar, f.calendar_dates, dt.date(2011, 1, 1)) == set()


def test_default_date_rules(sample_zip):
    f = load_feeds([sample_zip])
    d, note = default_date(f.calendar, f.calendar_dates, f.trips, today=dt.date(2008, 3, 4))
    assert d == dt.date(2008, 3, 4) and note is None
    d, note = default_date(f.calendar, f.calendar_dates, f.trips, today=dt.date(2007, 6, 4))
    assert d == dt.date(2007, 6, 5) and "next service date" in note
    d, note = default_date(f.calendar, f.calendar_dates, f.trips, today=dt.date(2026, 1, 1))
    assert d == dt.date(2007, 1, 1) and "ended" in note


def test_areas_default_to_parent_station(tmp_path, sample_zip):
    d = _unzip(sample_zip, tmp_path / "f")

    def put(df):
        df["location_type"] = "0"
        df["parent_station"] = ""
        df.loc[df["stop_id"].isin(["NADAV", "NANAA"]), "parent_station"] = "NORTH"
        station = {c: "" for c in df.columns}
        station.update(stop_id="NORTH", stop_name="North Station", stop_lat="36.4", stop_lon="-117.1",
                       location_type="1")
        return pd.concat([df, pd.DataFrame([station])], ignore_index=True)

    _edit(d, "stops", put)
    a = stop_areas(load_feeds([d])).set_index("stop_id")
    assert a.loc["NADAV", "area_id"] == a.loc["NANAA", "area_id"] == a.loc["NORTH", "area_id"] == "NORTH"
    assert a.loc["NADAV", "area_name"] == "North Station"
    assert a.loc["DADAN", "area_id"] == "DADAN"


def test_areas_from_user_csv(tmp_path, sample_zip):
    csv = tmp_path / "areas.csv"
    csv.write_text("stop_id,area\nSTAGECOACH,Beatty\nBEATTY_AIRPORT,Beatty\n")
    a = stop_areas(load_feeds([sample_zip]), csv).set_index("stop_id")
    assert a.loc["STAGECOACH", "area_name"] == a.loc["BEATTY_AIRPORT", "area_name"] == "Beatty"
    assert a.loc["BULLFROG", "area_id"] == "BULLFROG"
    bad = tmp_path / "bad.csv"
    bad.write_text("stop_id,area\nNOPE,X\n")
    with pytest.raises(FeedError, match=r"bad.csv line 2 field stop_id: unknown stop_id 'NOPE'"):
        stop_areas(load_feeds([sample_zip]), bad)


def _two_feeds_sharing_a_station(tmp_path: Path, bus_station_name: str = "Central"):
    from gtfs_factory import make_feed

    rail = make_feed(tmp_path / "rail", stops=[
        {"stop_id": "S", "stop_name": "Central", "stop_lat": 40.0, "stop_lon": 111.0, "location_type": 1},
        {"stop_id": "S_R", "stop_name": "Central", "stop_lat": 40.0, "stop_lon": 111.0, "parent_station": "S"},
        ("X", 40.1, 111.1)],
        stop_times={"T": [("X", "08:00:00", "08:00:00"), ("S_R", "08:30:00", "08:30:00")]})
    bus = make_feed(tmp_path / "bus", stops=[
        {"stop_id": "S", "stop_name": bus_station_name, "stop_lat": 40.0005, "stop_lon": 111.0,
         "location_type": 1},
        {"stop_id": "S_B", "stop_name": "Central bus bays", "stop_lat": 40.001, "stop_lon": 111.0,
         "parent_station": "S"},
        ("Y", 40.2, 111.2)],
        stop_times={"T": [("S_B", "09:00:00", "09:00:00"), ("Y", "09:40:00", "09:40:00")]},
        transfers=[{"from_stop_id": "S", "to_stop_id": "S", "transfer_type": 2, "min_transfer_time": 600}])
    return rail, bus


def test_station_published_by_two_feeds_is_one_place(tmp_path):
    rail, bus = _two_feeds_sharing_a_station(tmp_path)
    f = load_feeds([rail, bus])
    assert [s.prefix for s in f.sources] == ["", "bus:"]  # trips, routes... still clash
    stops = f.stops.set_index("stop_id")
    assert list(f.stops["stop_id"]).count("S") == 1
    assert stops.loc["bus:S_B", "parent_station"] == "S"
    assert set(f.transfers["from_stop_id"]) == {"S"}
    from hbeu_transit.feed.lines import row_lines   # the bus feed's rows after its dropped station row

    bus_rows = (f.stops["feed_name"] == "bus").to_numpy()
    bus_stops = pd.read_csv(bus / "stops.txt", dtype=str)
    assert row_lines(f.stops)[bus_rows].tolist() == [
        k + 2 for k, s in enumerate(bus_stops["stop_id"]) if s != "S"]

    import datetime as dt

    from hbeu_transit.timetable import compile_timetable

    tt = compile_timetable(f, dt.date(2024, 5, 1))
    a, b = tt.stop_ids.index("S_R"), tt.stop_ids.index("bus:S_B")
    lo, hi = tt.fp_start[a], tt.fp_start[a + 1]
    paths = dict(zip(tt.fp_to[lo:hi].tolist(), tt.fp_dur[lo:hi].tolist()))
    assert paths[b] == 600  # the bus feed's station-level rule joins the two feeds' platforms


def test_same_station_id_with_another_name_is_a_clash(tmp_path):
    rail, bus = _two_feeds_sharing_a_station(tmp_path, bus_station_name="Elsewhere")
    f = load_feeds([rail, bus])
    assert {"S", "bus:S"} <= set(f.stops["stop_id"])
    assert f.stops.set_index("stop_id").loc["bus:S_B", "parent_station"] == "bus:S"


def test_optional_file_with_only_a_newline_is_absent(tmp_path, sample_zip):
    d = _unzip(sample_zip, tmp_path / "f")
    (d / "stop_areas.txt").write_text("\n")
    (d / "areas.txt").write_text("")
    f = load_feeds([d])
    assert f.get("stop_areas") is None and f.get("areas") is None


def test_gtfs_kit_view_has_numeric_columns(caltrain_zip):
    kit = load_feeds([caltrain_zip]).to_gtfs_kit()
    assert str(kit.routes["route_type"].dtype) == "Int32"
    assert str(kit.stop_times["stop_sequence"].dtype) == "Int32"
    assert "feed_name" not in kit.trips
    day = kit.get_first_week()[:1]
    stats = kit.compute_route_stats(day)  # needs numbers, crashed on strings
    # one row per route running that day, counted from the text by the GTFS-text reference
    g = read_tables(caltrain_zip)
    on = services_on(g, dt.datetime.strptime(day[0], "%Y%m%d").date())
    assert sorted(stats["route_id"]) == sorted({t["route_id"] for t in g["trips"] if t["service_id"] in on})


def test_removal_wins_over_addition_in_both_calendar_readers():
    from hbeu_transit.feed.service import dates_with_trips

    cal = pd.DataFrame(columns=["service_id", "monday", "tuesday", "wednesday", "thursday", "friday",
                                "saturday", "sunday", "start_date", "end_date"])
    cd = pd.DataFrame({"service_id": ["X", "X", "X"], "date": ["20240309", "20240309", "20240310"],
                       "exception_type": ["2", "1", "1"]})  # contradictory rows on the 9th, removal first
    trips = pd.DataFrame({"trip_id": ["T"], "service_id": ["X"]})
    assert active_services(cal, cd, dt.date(2024, 3, 9)) == set()
    assert dates_with_trips(cal, cd, trips) == ["2024-03-10"]


class _CountingTables(dict):
    """A feed's tables that count how often the agency table is read."""

    def __init__(self, tables):
        super().__init__(tables)
        self.agency_reads = 0

    def get(self, name, default=None):
        self.agency_reads += name == "agency"
        return super().get(name, default)


def test_the_timezone_is_worked_out_once_per_feed(sample_zip, tmp_path):
    """The timetable compiler, the place index, the default date and the frequency tables each
    ask a feed for its timezone; it was worked out from the agency table at every ask."""
    feed = load_feeds([sample_zip])
    feed.tables = _CountingTables(feed.tables)
    assert [feed.timezone for _ in range(3)] == ["America/Los_Angeles"] * 3
    assert feed.tables.agency_reads == 1
    # feeds merged from two timezones: refused at every ask, not once and then forgotten
    other = _unzip(sample_zip, tmp_path / "ny")
    _edit(other, "agency", lambda df: df.assign(agency_timezone="America/New_York"))
    merged = load_feeds([sample_zip, other])
    for _ in range(2):
        with pytest.raises(FeedError, match="different timezones cannot be merged"):
            merged.timezone


@pytest.mark.parametrize("rows", ["every", "first"])
def test_a_row_with_a_cell_more_than_the_header_on_the_first_line_is_an_error(tmp_path, rows):
    """pandas reads a first data row with one cell more than the header as an implicit index
    column: every value moved one column left, so a trailing comma on the data rows of
    stops.txt was reported as "stop_times.txt ... unknown stop_id 'S1' (not in stops.txt)"
    although S1 is there. Like an extra cell on any later line, it is one error naming the line
    (the canonical rules say invalid_row_length)."""
    from gtfs_factory import make_feed

    d = make_feed(tmp_path / "f", stops=[("S1", 40.0, 111.0), ("S2", 40.1, 111.1)],
                  stop_times={"T": [("S1", "08:00:00", "08:00:00"), ("S2", "08:30:00", "08:30:00")]})
    lines = (d / "stops.txt").read_text(encoding="utf-8").splitlines()
    header = len(lines[0].split(","))
    data = [ln + "," if rows == "every" or i == 0 else ln for i, ln in enumerate(lines[1:])]
    (d / "stops.txt").write_text("\n".join([lines[0], *data]) + "\n", encoding="utf-8")
    with pytest.raises(FeedError) as e:
        load_feeds([d])
    assert str(e.value) == (f"f/stops.txt line 2: cannot be read as CSV: {header + 1} cells where the "
                            f"header has {header}")


def test_a_service_id_twice_in_calendar_txt_is_an_error(tmp_path):
    """Found by helper breaker3. Two calendar.txt rows for one service_id (weekdays, then
    weekends) were merged: trip T ran every day, so a Saturday plan found it, with no word. Like
    a duplicate stop_id, trip_id or route_id, it is one error naming the second row."""
    from gtfs_factory import make_feed

    weekdays = {"service_id": "ALL", "monday": 1, "tuesday": 1, "wednesday": 1, "thursday": 1, "friday": 1,
                "saturday": 0, "sunday": 0, "start_date": "20240101", "end_date": "20241231"}
    weekends = {**weekdays, **{d: 1 - weekdays[d] for d in ("monday", "tuesday", "wednesday", "thursday",
                                                               "friday", "saturday", "sunday")}}
    d = make_feed(tmp_path / "f", stops=[("S1", 40.0, 111.0), ("S2", 40.1, 111.1)],
                  stop_times={"T": [("S1", "08:00:00", "08:00:00"), ("S2", "08:30:00", "08:30:00")]},
                  calendar=[weekdays, weekends])
    with pytest.raises(FeedError) as e:
        load_feeds([d])
    assert str(e.value) == "f/calendar.txt line 3 field service_id: duplicate service_id 'ALL'"


#: stops.txt rows after the header whose first stop has a quoted two-line name (lines 2-3), and
#: the loader's error: the line is where the bad row starts in the file, as an editor shows it
QUOTED_NEWLINE_CASES = {
    "duplicate id": ('S2,Plain,40.1,111.1\nS2,Twice,40.2,111.2\n',
                     "f/stops.txt line 5 field stop_id: duplicate stop_id 'S2'"),
    "blank lines, then a missing id": ('S2,Plain,40.1,111.1\n\n  \n,Nameless,40.2,111.2\n',   # empty, spaces
                                       "f/stops.txt line 7 field stop_id: missing value"),
    "extra cell": ('S2,Plain,40.1,111.1,x\n',
                   "f/stops.txt line 4: cannot be read as CSV: 5 cells where the header has 4"),
    "unclosed quote": ('S2,Plain,40.1,111.1\nS3,"Open,40.2,111.2\n',
                       "f/stops.txt line 5: cannot be read as CSV: a quoted value opens here and never closes"),
}


@pytest.mark.parametrize("case", QUOTED_NEWLINE_CASES)
def test_a_quoted_newline_before_a_bad_row_does_not_shift_its_line(tmp_path, case):
    """Found by helper edges4: pandas reads a quoted value across a newline as one row, so
    every error after it named a line one too low (line 4 for the duplicate on line 5)."""
    from gtfs_factory import make_feed

    rows, error = QUOTED_NEWLINE_CASES[case]
    d = make_feed(tmp_path / "f", stops=[("S1", 40.0, 111.0), ("S2", 40.1, 111.1)],
                  stop_times={"T": [("S1", "08:00:00", "08:00:00"), ("S2", "08:30:00", "08:30:00")]})
    (d / "stops.txt").write_text('stop_id,stop_name,stop_lat,stop_lon\nS1,"Hohhot\nEast",40.0,111.0\n' + rows,
                                 encoding="utf-8")
    with pytest.raises(FeedError) as e:
        load_feeds([d])
    assert str(e.value) == error


def test_a_quoted_newline_does_not_shift_a_reference_error_or_a_validate_row(tmp_path):
    """The same in stop_times.txt (a two-line stop_headsign on line 2-3, then an unknown stop on
    line 4, CRLF line ends), for the loader and for `hbeu validate`'s notice."""
    from gtfs_factory import make_feed

    from hbeu_transit.feed.validate import validate_feed

    d = make_feed(tmp_path / "f", stops=[("S1", 40.0, 111.0), ("S2", 40.1, 111.1)],
                  stop_times={"T": [("S1", "08:00:00", "08:00:00"), ("S2", "08:30:00", "08:30:00")]})
    (d / "stop_times.txt").write_bytes(
        b'trip_id,arrival_time,departure_time,stop_id,stop_sequence,stop_headsign\r\n'
        b'T,08:00:00,08:00:00,S1,1,"Hohhot\r\nEast"\r\nT,08:30:00,08:30:00,NOWHERE,2,\r\n')
    with pytest.raises(FeedError) as e:
        load_feeds([d])
    assert str(e.value) == "f/stop_times.txt line 4 field stop_id: unknown stop_id 'NOWHERE' (not in stops.txt)"
    notices, readable = validate_feed(d, canonical=False)
    refused = [n for n in notices if n.code == "hbeu_load_error"]
    assert readable and [(n.file, n.row, n.field) for n in refused] == [("f/stop_times.txt", 4, "stop_id")]


def test_a_quoted_newline_in_an_areas_csv_does_not_shift_its_lines(tmp_path, sample_zip):
    """An --areas file read as the feeds are: a two-line note (lines 2-3) before an unknown stop
    (line 4), and before a stop listed twice (lines 2-3 and 5)."""
    feed = load_feeds([sample_zip])
    bad = tmp_path / "bad.csv"
    bad.write_text('stop_id,area,note\nSTAGECOACH,Beatty,"two\nlines"\nNOPE,X,\n', encoding="utf-8")
    with pytest.raises(FeedError) as e:
        stop_areas(feed, bad)
    assert str(e.value) == f"{bad} line 4 field stop_id: unknown stop_id 'NOPE'"
    bad.write_text('stop_id,area,note\nSTAGECOACH,Beatty,"two\nlines"\nBULLFROG,Beatty,\nSTAGECOACH,Elsewhere,\n',
                   encoding="utf-8")
    with pytest.raises(FeedError) as e:
        stop_areas(feed, bad)
    assert str(e.value) == (f"{bad} line 5 field stop_id: stop 'STAGECOACH' is listed twice, in 'Beatty' (line 2) "
                            "and 'Elsewhere'")


#: a table with two rows of one primary key (the GTFS reference's), the second written
#: otherwise where the key's type allows it (stop_sequence 02 is 2, 6:00:00 is 06:00:00), and the
#: loader's error naming the second row
_STOPS3 = [("S1", 40.0, 111.0), ("S2", 40.1, 111.1), ("S3", 40.2, 111.2)]
_TIMES3 = {"T": [("S1", "08:00:00", "08:00:00"), ("S2", "08:30:00", "08:30:00"), ("S3", "08:40:00", "08:40:00")]}
DUPLICATE_KEY_CASES = {
    "stop_times": ({"stop_times": {"T": [
        {"stop_id": "S1", "arrival_time": "08:00:00", "departure_time": "08:00:00", "stop_sequence": 1},
        {"stop_id": "S2", "arrival_time": "08:30:00", "departure_time": "08:30:00", "stop_sequence": 2},
        {"stop_id": "S3", "arrival_time": "08:40:00", "departure_time": "08:40:00", "stop_sequence": "02"}]}},
        "f/stop_times.txt line 4 field stop_sequence: duplicate trip_id 'T', stop_sequence '02' (first on line 3)"),
    "frequencies": ({"frequencies": [
        {"trip_id": "T", "start_time": "06:00:00", "end_time": "07:00:00", "headway_secs": 600},
        {"trip_id": "T", "start_time": "6:00:00", "end_time": "08:00:00", "headway_secs": 900}]},
        "f/frequencies.txt line 3 field start_time: duplicate trip_id 'T', start_time '6:00:00' (first on line 2)"),
    "calendar_dates": ({"calendar_dates": [
        {"service_id": "ALL", "date": "20240105", "exception_type": 1},
        {"service_id": "ALL", "date": "20240106", "exception_type": 1},
        {"service_id": "ALL", "date": "20240105", "exception_type": 2}]},
        "f/calendar_dates.txt line 4 field date: duplicate service_id 'ALL', date '20240105' (first on line 2)"),
    "transfers": ({"transfers": [
        {"from_stop_id": "S1", "to_stop_id": "S2", "transfer_type": 2, "min_transfer_time": 60},
        {"from_stop_id": "S1", "to_stop_id": "S2", "transfer_type": 2, "min_transfer_time": 600}]},
        "f/transfers.txt line 3 field to_stop_id: duplicate from_stop_id 'S1', to_stop_id 'S2' (first on line 2)"),
}


@pytest.mark.parametrize("case", DUPLICATE_KEY_CASES)
def test_two_rows_with_one_primary_key_are_an_error(tmp_path, case):
    """Found by helper feedcheck. GTFS makes (trip_id, stop_sequence), (service_id, date),
    (trip_id, start_time) and the six ids of a transfer primary keys, as it does stop_id; the
    loader refused only duplicate stop, route, trip and service ids. Two stops of a trip at one
    stop_sequence were read in an order the feed does not give, a frequency row twice ran twice
    the vehicles, a date both added and removed ran or not by row order, two rules for one
    transfer kept the first: each silently. Now one error naming the second row."""
    from gtfs_factory import make_feed

    tables, error = DUPLICATE_KEY_CASES[case]
    d = make_feed(tmp_path / "f", stops=_STOPS3, **{"stop_times": _TIMES3, **tables})
    with pytest.raises(FeedError) as e:
        load_feeds([d])
    assert str(e.value) == error


def test_rows_differing_in_one_key_column_are_not_duplicates(tmp_path):
    """The keys compare whole: the same stop_sequence in two trips, one trip at two start times,
    one date of two services, a transfer and the same stops' transfer for one trip."""
    from gtfs_factory import ALL_2024, make_feed

    d = make_feed(tmp_path / "f", stops=_STOPS3, stop_times={**_TIMES3, "U": _TIMES3["T"]},
                  frequencies=[{"trip_id": "T", "start_time": "06:00:00", "end_time": "07:00:00", "headway_secs": 600},
                               {"trip_id": "T", "start_time": "07:00:00", "end_time": "08:00:00", "headway_secs": 900},
                               {"trip_id": "U", "start_time": "06:00:00", "end_time": "07:00:00", "headway_secs": 600}],
                  calendar=[ALL_2024, {**ALL_2024, "service_id": "OTHER"}],
                  calendar_dates=[{"service_id": "ALL", "date": "20240105", "exception_type": 2},
                                  {"service_id": "OTHER", "date": "20240105", "exception_type": 2}],
                  transfers=[{"from_stop_id": "S1", "to_stop_id": "S2", "transfer_type": 2, "min_transfer_time": 60},
                             {"from_stop_id": "S1", "to_stop_id": "S2", "from_trip_id": "T", "transfer_type": 2,
                              "min_transfer_time": 600}])
    feed = load_feeds([d])
    assert len(feed.stop_times) == 6 and len(feed.frequencies) == 3 and len(feed.transfers) == 2


def test_validate_reports_a_duplicate_stop_sequence_where_it_is(tmp_path):
    """`hbeu validate` reports the second row as a notice of its own (as a bad field), saying
    the planner refuses the feed, and how many rows repeat a key."""
    from gtfs_factory import make_feed

    from hbeu_transit.feed.validate import validate_feed

    tables, _ = DUPLICATE_KEY_CASES["stop_times"]
    tables = {"stop_times": {**tables["stop_times"], "U": tables["stop_times"]["T"]}}   # twice over
    d = make_feed(tmp_path / "f", stops=_STOPS3, **tables)
    notices, readable = validate_feed(d, canonical=False)
    got = [(n.severity, n.file, n.row, n.field, n.value) for n in notices if n.code.startswith("hbeu_")]
    assert readable and got == [("ERROR", "f/stop_times.txt", 4, "stop_sequence", "T,02")]
    (hit,) = [n for n in notices if n.code == "hbeu_duplicate_key"]
    assert "(first on line 3); stops the planner (2 rows)" in hit.message


def test_validate_reports_a_zip_feeds_duplicate_stop_sequence_once(tmp_path):
    """The same feed zipped: the loader's refusal named the file f.zip/stop_times.txt where the
    notices say f/stop_times.txt, so the row was reported twice (hbeu_duplicate_key and
    hbeu_load_error). Once, under the notices' name of the file."""
    import shutil

    from gtfs_factory import make_feed

    from hbeu_transit.feed.validate import validate_feed

    tables, _ = DUPLICATE_KEY_CASES["stop_times"]
    d = make_feed(tmp_path / "src" / "f", stops=_STOPS3, **tables)
    z = Path(shutil.make_archive(str(tmp_path / "f"), "zip", d))
    notices, readable = validate_feed(z, canonical=False)
    got = [(n.code, n.severity, n.file, n.row, n.field) for n in notices if n.code.startswith("hbeu_")]
    assert readable and got == [("hbeu_duplicate_key", "ERROR", "f/stop_times.txt", 4, "stop_sequence")]


def test_repeated_keys_of_fares_and_areas_are_ignored_with_a_warning(tmp_path):
    """Found by helper feedcheck. A fare_id or an area_id twice (two prices, two city names)
    was read as the last row, silently. The fare and area tables are ones the answers can do
    without, so the later row is ignored with a warning, as a bad value there is blanked;
    `hbeu validate` reports it as a WARNING."""
    import warnings

    from gtfs_factory import make_feed

    from hbeu_transit.errors import FeedWarning
    from hbeu_transit.feed.lines import row_lines
    from hbeu_transit.feed.validate import validate_feed

    d = make_feed(tmp_path / "f", stops=_STOPS3, stop_times=_TIMES3,
                  fare_attributes=[{"fare_id": "F", "price": "2", "currency_type": "CNY", "payment_method": 0},
                                   {"fare_id": "F", "price": "9", "currency_type": "CNY", "payment_method": 0},
                                   {"fare_id": "G", "price": "5", "currency_type": "CNY", "payment_method": 0}],
                  areas=[{"area_id": "HH", "area_name": "Hohhot"}, {"area_id": "HH", "area_name": "Baotou"},
                         {"area_id": "BT", "area_name": "Baotou"}],
                  stop_areas=[{"area_id": "HH", "stop_id": "S1"}, {"area_id": "BT", "stop_id": "S2"}])
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        feed = load_feeds([d])
    assert sorted(str(x.message) for x in w if issubclass(x.category, FeedWarning)) == [
        "f/areas.txt line 3 field area_id: duplicate area_id 'HH'; ignored",
        "f/fare_attributes.txt line 3 field fare_id: duplicate fare_id 'F'; ignored"]
    fa = feed.fare_attributes   # the rows kept keep their lines
    assert list(zip(fa["fare_id"], fa["price"], row_lines(fa).tolist())) == [("F", "2", 2), ("G", "5", 4)]
    assert stop_areas(feed).set_index("stop_id").loc["S1", "area_name"] == "Hohhot"
    with pytest.warns(FeedWarning):   # the loader's repairs, as it would warn
        notices, _ = validate_feed(d, canonical=False)
    assert sorted((n.severity, n.file, n.row, n.field) for n in notices if n.code == "hbeu_duplicate_key") == [
        ("WARNING", "f/areas.txt", 3, "area_id"), ("WARNING", "f/fare_attributes.txt", 3, "fare_id")]
